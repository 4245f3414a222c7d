"""What generator/adapters.py relies on in Python-Markdown and html.parser, checked head-on.

These fail, naming the library and its version, when an upgrade changes a private detail an
adapter uses. The adapters' users have their own tests (tests/test_markdown.py compares the
filtered inline stage with Python-Markdown's own; tests/test_check.py the line memo with a whole
parse); those would only show a symptom, or nothing at all when the failure is a lost speed-up.
"""

from __future__ import annotations

import inspect
import platform

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from generator import adapters
from generator.adapters import INLINE_NEEDS, LineFedHTMLParser, QuickInlineProcessor
from generator.markdown import _md, to_html

MARKDOWN = f"Python-Markdown {markdown.__version__}"
PYTHON = f"html.parser of Python {platform.python_version()}"
ADVICE = "see 'Where we lean on other libraries' private APIs' in docs/architecture.md"


def fail(library: str, what: str, checked: str) -> None:
    pytest.fail(f"{library} (adapter checked on {checked}): {what}; {ADVICE}", pytrace=False)


# --- Python-Markdown ------------------------------------------------------------------------

def md_fail(what: str) -> None:
    fail(MARKDOWN, what, adapters.MARKDOWN_CHECKED)


def fresh_md(math: bool = False) -> markdown.Markdown:
    """A new instance of Broadsheet's set-up (the cached ones stay untouched)."""
    _md.cache_clear()
    try:
        return _md(math)
    finally:
        _md.cache_clear()


def test_inline_processor_still_has_the_private_methods_the_adapter_uses():
    expected = {"_InlineProcessor__handleInline": ["self", "data", "patternIndex"],
                "_InlineProcessor__applyPattern": ["self", "pattern", "data", "patternIndex",
                                                   "startIndex"]}
    for name, params in expected.items():
        method = getattr(InlineProcessor, name, None)
        if method is None:
            md_fail(f"InlineProcessor has no {name.replace('_InlineProcessor', '')} any more")
        got = list(inspect.signature(method).parameters)
        if got != params:
            md_fail(f"InlineProcessor.{name.replace('_InlineProcessor', '')} takes {got}, not {params}")


def test_the_inline_stage_calls_the_overridden_method_for_every_text_and_tail():
    """If Python-Markdown stopped calling `__handleInline`, the filter would be skipped without
    a sound: same HTML, a third slower. Count the calls on a page of text and tails."""
    assert "_InlineProcessor__handleInline" in vars(QuickInlineProcessor)
    seen: list[str] = []

    class Counting(QuickInlineProcessor):
        def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
            seen.append(str(data))
            return super()._InlineProcessor__handleInline(data, patternIndex)

    md = fresh_md()
    if not isinstance(md.treeprocessors["inline"], QuickInlineProcessor):
        md_fail("Broadsheet's Markdown set-up does not use the QuickInlineProcessor")
    md.treeprocessors.register(Counting(md, INLINE_NEEDS), "inline", 20)
    html = md.convert("First paragraph.\n\nA *word* then a tail, and [a link](/x/) with a tail.\n")
    if "First paragraph." not in seen or not any("then a tail" in s for s in seen) \
            or not any("with a tail." in s for s in seen):
        md_fail(f"InlineProcessor.run no longer hands each text and tail to __handleInline "
                f"(it was called with {seen!r})")
    assert "<em>word</em>" in html and '<a href="/x/">a link</a>' in html


def test_apply_pattern_returns_the_text_whether_it_matched_and_where_to_go_on():
    md = fresh_md()
    processor = md.treeprocessors["inline"]
    processor.stashed_nodes, processor.ancestors = {}, []
    patterns = md.inlinePatterns
    index = patterns.get_index_for_name("em_strong")
    apply = processor._InlineProcessor__applyPattern
    plain = apply(patterns[index], "no markup here", index, 0)
    if plain != ("no markup here", False, 0):
        md_fail(f"__applyPattern on text it cannot match returns {plain!r}, not (text, False, 0)")
    data, matched, start = apply(patterns[index], "an *emphasis* here", index, 0)
    if not (isinstance(data, str) and matched is True and isinstance(start, int)
            and "emphasis" not in data and data.startswith("an ")):
        md_fail(f"__applyPattern on a match returns {(data, matched, start)!r}, not (text with a "
                "placeholder, True, the index to go on from)")


@pytest.mark.parametrize("math", [False, True])
def test_every_inline_pattern_registered_is_one_the_adapter_knows(math: bool):
    """An unknown pattern turns the filter off (correct, but slow): say so rather than be slow."""
    md = fresh_md(math)
    registered = getattr(md.inlinePatterns, "_priority", None)  # the test's own reach: names
    if registered is None:
        md_fail("markdown.util.Registry has no _priority to list the inline patterns' names; "
                "find another way for this test")
    unknown = sorted({item.name for item in registered} - set(INLINE_NEEDS))
    if unknown:
        md_fail(f"the inline patterns {unknown} are not in adapters.INLINE_NEEDS, so the inline "
                "filter is off; add what each pattern's regular expression cannot match without")
    assert isinstance(md.treeprocessors["inline"], QuickInlineProcessor)


def test_a_pattern_registered_later_sends_every_text_through_python_markdowns_loop():
    """Python-Markdown before 3.7 registers a pattern per abbreviation while converting; any
    pattern the table does not know may match plain words, so no text may skip it."""
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    filtered, plain = fresh_md(), markdown.Markdown(extensions=["extra"])
    for md in (filtered, plain):
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()(Portville)()", "mark"), "town", 65)
    text = "Ships left Portville at dawn.\n\nA *storm* hit Portville.\n"
    assert isinstance(filtered.treeprocessors["inline"], QuickInlineProcessor)
    got = filtered.convert(text)
    assert got == plain.convert(text)
    assert got.count("<mark>Portville</mark>") == 2, got


# Text made of every character an inline pattern may start with, and the usual words around them.
_PIECES = ["word", " ", "  ", "\n", "  \n", "*", "_", "`", "\\", "[", "]", "(", ")", "!", "^", "<",
           ">", "&", "#", ";", ":", "/", "@", ".", "http", "mailto", "a@b.c", "x1", "~", "=", "+", "-",
           "|", "'", '"', "{", "}", "\t", "’", "amp", "#169", "b>",
           # whole constructs, so that a wrong entry in INLINE_NEEDS is found at once
           "`code`", "\\*", "[^1]", "[r]", "[a](/b/)", "![i](x.png)", "![r]", "<http://x.example>",
           "<a@b.example>", "<b>", "</b>", "<!-- c -->", "&amp;", "&#169;", "&copy;", "*em*",
           "**strong**", "_u_", "__s__", "~~d~~", "==m=="]


def _text_without(needs: tuple[str, ...]) -> st.SearchStrategy[str]:
    pieces = [p for p in _PIECES if not any(n in p for n in needs)]
    return st.lists(st.sampled_from(pieces), max_size=40).map("".join).filter(
        lambda text: not any(n in text for n in needs))


@pytest.mark.parametrize("name", sorted(INLINE_NEEDS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_no_inline_pattern_matches_text_without_what_the_adapter_says_it_needs(name: str, data):
    md = _md()
    if name not in md.inlinePatterns:
        return  # not registered in this version: nothing to filter
    needs = INLINE_NEEDS[name]
    text = data.draw(_text_without(needs))
    regex = md.inlinePatterns[name].getCompiledRegExp()
    found = regex.search(text)
    if found:
        md_fail(f"the inline pattern {name!r} ({regex.pattern!r}) matches {found.group(0)!r} in "
                f"{text!r}, which holds none of {needs}: correct adapters.INLINE_NEEDS")


def test_the_filtered_inline_stage_gives_python_markdowns_html():
    text = ("`code` \\* [^1] [ref][r] [link](http://x.example) ![i](x.png) ![r][r] [r] ![r] "
            "<http://x.example> <a@b.example> two spaces  \nnext <b>b</b> &amp; *em* **s** _u_\n\n"
            "[r]: http://r.example\n[^1]: A note.\n*[HTML]: Hyper Text\n\nHTML in plain text.\n")
    if to_html(text, quick=True) != to_html(text, quick=False):
        md_fail("the QuickInlineProcessor's HTML differs from InlineProcessor's")


# --- html.parser ----------------------------------------------------------------------------

def hp_fail(what: str) -> None:
    fail(PYTHON, what, adapters.HTML_PARSER_CHECKED)


class Recorder(LineFedHTMLParser):
    """Every event, with runs of text joined (html.parser splits text where the feed did)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, object]] = []

    def _add(self, kind: str, value: object) -> None:
        if kind == "data" and self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", str(self.events[-1][1]) + str(value))
        else:
            self.events.append((kind, value))

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self._add("start", (tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self._add("startend", (tag, tuple(attrs)))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._add("end", tag)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self._add("data", data)

    def handle_comment(self, data):  # type: ignore[no-untyped-def]
        self._add("comment", data)

    def handle_decl(self, decl):  # type: ignore[no-untyped-def]
        self._add("decl", decl)

    def handle_pi(self, data):  # type: ignore[no-untyped-def]
        self._add("pi", data)


def settled(parser: LineFedHTMLParser) -> bool:
    try:
        return parser.between_tags()
    except AttributeError as exc:
        hp_fail(f"HTMLParser has no attribute {exc.name!r} any more")
        raise


@pytest.mark.parametrize(("fed", "between"), [
    ('<p class="x">Text <a href="/a/">link</a>.</p>\n', True),
    ("plain text\n", True),
    ('<a href="/a/"\n', False),  # an unfinished start tag
    ("<!-- a comment\n", False),  # an unfinished comment
    ("<script>\n", False),
    ("<script>var a = '<p>';\n", False),
    ("<script>x</script>\n", True),
    ("<style>\n", False),
    ("<style>a { b: c }</style>\n", True),
    ("<p>Text<script>", False),  # nothing buffered, but inside a script
    ("<p>Text<style>", False),
    ("Fish &am", False),  # a character reference cut in half
    ("Fish &amp; chips\n", True),
])
def test_between_tags_tells_whether_the_parser_holds_state(fed: str, between: bool):
    parser = Recorder()
    parser.feed(fed)
    if settled(parser) is not between:
        hp_fail(f"after feeding {fed!r}, rawdata={parser.rawdata!r} and cdata_elem="
                f"{parser.cdata_elem!r}: between_tags() is {not between}, expected {between}")


DOCUMENT = """<!DOCTYPE html>
<html lang="en"><head><title>Fish &amp; chips</title>
<style>
a { background: url("/a.png") }
</style>
<script>
if (a < b && c) { d = "<p>"; }
</script></head>
<body><!-- a comment
over two lines --><p id="x">Text with <a href="/a/"
   title="split">a tag over lines</a> and &copy; &#169; &notanentity; AT&T.</p>
<textarea name="t"><b>not bold</b>
still the textarea</textarea>
<?pi here?><p>a < b, c > d</p>
<img src="/i.png"/><br>
</body></html>
"""


def test_a_line_fed_between_tags_parses_as_it_would_on_its_own():
    """The line memo's premise: after a line that leaves the parser between tags, the rest of
    the document gives the same events in a new parser as in the one that read the start."""
    whole = Recorder()
    whole.feed(DOCUMENT)
    whole.close()
    lines = DOCUMENT.splitlines(keepends=True)
    fed = Recorder()
    checked = 0
    for number, line in enumerate(lines, 1):
        fed.feed(line)
        if not settled(fed):
            continue
        checked += 1
        rest = Recorder()
        rest.feed("".join(lines[number:]))
        rest.close()
        if _joined(fed.events + rest.events) != _joined(whole.events):
            hp_fail(f"after line {number} ({line!r}) between_tags() was True, yet a new parser "
                    f"reads the rest differently: {rest.events[:3]!r}")
    fed.close()
    assert checked >= 5, "the document should reach between-tags state on several lines"
    assert _joined(fed.events) == _joined(whole.events)


def _joined(events: list[tuple[str, object]]) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for kind, value in events:
        if kind == "data" and out and out[-1][0] == "data":
            out[-1] = ("data", str(out[-1][1]) + str(value))
        else:
            out.append((kind, value))
    return out


def test_script_content_is_not_parsed_as_markup():
    """cdata_elem is what keeps `<p>` inside a script from counting as a tag."""
    parser = Recorder()
    parser.feed('<script>document.write("<a href=\'/x/\'>")</script>')
    if any(kind == "start" and value[0] == "a" for kind, value in parser.events):  # type: ignore[index]
        hp_fail("a tag inside <script> was reported as a tag")
