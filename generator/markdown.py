"""The one Python-Markdown setup: body -> HTML, table of contents, summary, word count.

One `Markdown` instance per process is reset between documents: building one per article would
add markedly to every conversion (docs/performance.md, "Measurements behind the code"). Its inline
stage tries each pattern only on text that can match it (`adapters.QuickInlineProcessor`). The
body is never run through Jinja, so `{{` in an article is just text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape, unescape
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pygments.formatters import HtmlFormatter

from .adapters import filter_inline_patterns
from .analysis import simple_text
from .model import TocEntry

MORE = re.compile(r"^\s*<!--\s*more\s*-->\s*$", re.MULTILINE)
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+(?:[’'-]\w+)*")
_FENCE = re.compile(r"^(```|~~~)")
HIGHLIGHT_CLASS = "highlight"


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    summary_html: str
    summary_is_full: bool  # the summary is the whole article: no "Read more"
    toc: tuple[TocEntry, ...]
    word_count: int


_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.DOTALL)


class MathPreprocessor(Preprocessor):
    """TeX math -> MathML at build time, so math needs no script and no CDN.

    `$$...$$` and `\\[...\\]` are display math, `\\(...\\)` inline (MathJax's defaults; a
    lone `$` stays a dollar sign, which news copy is full of). Only for articles with `mathjax`.
    """

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "$$" not in text and "\\[" not in text and "\\(" not in text:
            return lines

        import latex2mathml.converter  # here: only articles with math need it (8 ms to import)

        def to_mathml(m: re.Match[str]) -> str:
            tex = next(g for g in m.groups() if g is not None)
            display = "inline" if m.group(3) is not None else "block"
            try:
                html = latex2mathml.converter.convert(tex.strip(), display=display)
            except Exception:  # malformed TeX: show it as written rather than fail the build
                html = f'<code class="math-error">{escape(m.group(0))}</code>'
            return self.md.htmlStash.store(html)

        return _MATH.sub(to_mathml, text).split("\n")


class MathExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(MathPreprocessor(md), "broadsheet_math", 20)  # after fenced code is stashed


# What each block processor's `test` (or, for those whose `test` is always true, `run`) cannot
# match a block without: the processor is asked only about blocks holding one of these. Each
# claim is checked in tests/test_markdown.py. The rest (md_in_html, empty, indented and code
# blocks, the lists) test the block's start, already as cheap as this check.
BLOCK_NEEDS: dict[str, tuple[str, ...]] = {
    "hashheader": ("#",), "setextheader": ("\n",), "hr": ("-", "_", "*"), "table": ("|",),
    "deflist": (":",), "quote": (">",), "footnote": ("[^",), "abbr": ("*[",), "reference": ("]:",),
}


# Preprocessors that give back a document without any of these as it came (a fenced block
# needs its fence, the raw-HTML stash a "<"): run only on documents with one (each claim is
# checked in tests/test_markdown.py). 0.04 of the 0.40 ms `to_html` takes for a news article.
PRE_NEEDS: dict[str, tuple[str, ...]] = {"fenced_code_block": ("```", "~~~"), "html_block": ("<",)}
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _run_needing(run: Any, needs: tuple[str, ...]) -> Any:
    def quick_run(lines: list[str]) -> list[str]:
        for line in lines:
            for s in needs:
                if s in line:
                    return run(lines)  # type: ignore[no-any-return]
        return lines
    return quick_run


def _toc_needing_headings(run: Any, marker: str) -> Any:
    """The toc tree processor changes a document only through its headings (their ids) and a
    `[TOC]` marker; without either it is skipped (`md.toc_tokens` stays as `reset()` left it,
    empty). Walking the tree here is cheap next to what it does per element."""
    def quick_run(doc: Any) -> Any:
        for el in doc.iter():
            if el.tag in _HEADINGS or (marker and el.text and marker in el.text):
                return run(doc)
        return None
    return quick_run


def _normalize_needing(run: Any) -> Any:
    """Python-Markdown's whitespace preprocessor removes STX and ETX, turns "\r" into "\n",
    expands tabs, appends two blank lines and empties lines of spaces (a regex over the
    document, the costly part). A document with none of those only gains the two lines."""
    def quick_run(lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        for s in ("\x02", "\x03", "\r", "\t", " \n"):
            if s in source:
                return run(lines)  # type: ignore[no-any-return]
        if source.endswith(" "):
            return run(lines)  # type: ignore[no-any-return]
        return (source + "\n\n").split("\n")
    return quick_run


def quick_block_level(md: markdown.Markdown) -> None:
    """`Markdown.is_block_level` (asked about every element by the tree processors and the
    serializer, ~40 times an article) looks the tag up in a set instead of scanning the
    59-name `block_level_elements` list; the set is made again whenever the list is replaced
    or changes length (extensions append to it as they load)."""
    made: list[Any] = [None, -1, frozenset()]  # the list, its length, its set

    def is_block_level(tag: Any) -> bool:
        if not isinstance(tag, str):
            return False  # some ElementTree tags (comments) are not strings
        elements = md.block_level_elements
        if made[0] is not elements or made[1] != len(elements):
            made[:] = [elements, len(elements), frozenset(elements)]
        return tag.lower().rstrip("/") in made[2]

    md.is_block_level = is_block_level  # type: ignore[method-assign]


def quick_stage_skips(md: markdown.Markdown) -> None:
    """Skip the preprocessors of `PRE_NEEDS`, and the toc tree processor, on documents that
    cannot give them work, and the whitespace preprocessor's costly part on documents without
    what it changes (public interface: the registries and each processor's `run`)."""
    if "normalize_whitespace" in md.preprocessors:
        proc = md.preprocessors["normalize_whitespace"]
        proc.run = _normalize_needing(proc.run)  # type: ignore[method-assign]
    for name, needs in PRE_NEEDS.items():
        if name in md.preprocessors:
            proc = md.preprocessors[name]
            proc.run = _run_needing(proc.run, needs)  # type: ignore[method-assign]
    if "toc" in md.treeprocessors:
        toc = md.treeprocessors["toc"]
        toc.run = _toc_needing_headings(toc.run, getattr(toc, "marker", "[TOC]"))  # type: ignore[method-assign]


def quick_block_tests(md: markdown.Markdown) -> None:
    """Ask each block processor in `BLOCK_NEEDS` only about blocks that can be its kind.

    Python-Markdown puts every block to each processor in turn; a news paragraph reaches the
    paragraph processor after nine regex searches over it (three of them inside `run`, their
    `test` being always true, which a `test` of False skips just as a `run` returning False
    does). `parseBlocks` is the block parser's public method for this loop (extensions call it
    for nested blocks); this one is Python-Markdown's, less the tries that cannot match, with
    the registry listed once a call instead of once a block."""
    parser = md.parser
    registry = parser.blockprocessors
    needs_of = {id(registry[name]): needs for name, needs in BLOCK_NEEDS.items() if name in registry}

    def parse_blocks(parent: Any, blocks: list[str]) -> None:
        order = [(proc, needs_of.get(id(proc))) for proc in registry]
        while blocks:
            block = blocks[0]
            for proc, needs in order:
                if needs is not None:
                    for s in needs:
                        if s in block:
                            break
                    else:
                        continue
                if proc.test(parent, block):
                    if proc.run(parent, blocks) is not False:
                        break
                    block = blocks[0]  # as Python-Markdown reads it: after the run

    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]


@lru_cache(maxsize=4)
def _md(math: bool = False, quick: bool = True) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["extra", "toc", "codehilite", "sane_lists", *([MathExtension()] if math else [])],
        extension_configs={
            "codehilite": {"css_class": HIGHLIGHT_CLASS, "guess_lang": False},
            "toc": {"permalink": False},
        },
        output_format="html",
    )
    if quick:  # only while every inline pattern is one the adapter knows
        filter_inline_patterns(md)
        quick_block_tests(md)
        quick_stage_skips(md)
        quick_block_level(md)
    return md


def to_html(text: str, math: bool = False, quick: bool = True) -> tuple[str, list[dict]]:
    md = _md(math, quick)
    md.reset()
    html = md.convert(text)
    return html, getattr(md, "toc_tokens", [])


# For count_words' bytes: a word character is "a" (UTF-8's bytes beyond ASCII are those of
# letters, in a `simple_text`), a joiner "-", anything else a space.
_WORD_BYTES = bytes(97 if c >= 128 or re.fullmatch(r"\w", chr(c), re.ASCII)
                    else 45 if chr(c) in "'-" else 32 for c in range(256))


def count_words(html: str) -> int:
    """The words of an HTML fragment's text: runs of word characters, joined by apostrophes
    and hyphens ("London’s", "ex-minister" are one word each).

    For a `simple_text` (news copy: ASCII but for quotes, dashes and accented names), the
    words are counted in its bytes (a word character "a", a joiner "-"): each run of "a" ends
    in "a " or "a-", and each joiner between two runs is an "a-a", found one by one unless a
    one-byte word sits between two joiners ("-a-"). Three C scans instead of a regex match
    per word, under half the time; tests/test_markdown.py holds the two ways equal."""
    text = unescape(_TAGS.sub(" ", html))
    if not text.isascii():
        simple = simple_text(text.replace("’", "'"))
        if simple is None:
            return len(_WORDS.findall(text))
        text = simple
    marks = b" " + text.encode().translate(_WORD_BYTES) + b" "
    if b"-a-" in marks:
        return len(_WORDS.findall(text))
    return marks.count(b"a ") + marks.count(b"a-") - marks.count(b"a-a")


_BLOCK_TAGS = re.compile(r"</?(?:p|br|li|ul|ol|h[1-6]|div|blockquote|pre|table|tr|td|th|figure|"
                         r"figcaption|section|dd|dt|dl|hr)\b[^>]*>", re.IGNORECASE)


def visible_text(html: str) -> str:
    """Visible text of an HTML fragment: block tags become spaces, inline tags vanish
    ("<a>a link</a>." reads "a link.")."""
    return unescape(_TAGS.sub("", _BLOCK_TAGS.sub(" ", html)))


def plain_text(html: str) -> str:
    """`visible_text`, whitespace folded (for meta descriptions and feeds)."""
    return " ".join(visible_text(html).split())


def _toc(tokens: list[dict]) -> tuple[TocEntry, ...]:
    """h2-h3 only: h1 is the headline and deeper levels clutter a news article's contents."""
    out: list[TocEntry] = []
    for tok in tokens:
        children = _toc(tok.get("children", []))
        if 2 <= tok["level"] <= 3:
            out.append(TocEntry(tok["level"], tok["id"], unescape(tok["name"]), children))
        else:
            out.extend(children)
    return tuple(out)


def leading_blocks(text: str, words: int) -> str:
    """Whole leading Markdown blocks (split at blank lines, fences kept whole) up to ~`words`."""
    blocks: list[str] = []
    count = 0
    current: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            if current:
                block = "\n".join(current)
                if block.lstrip().startswith("#"):
                    if blocks:
                        break  # the summary is the lead-in, up to the first subheading
                    current = []  # a leading heading alone makes a poor summary
                    continue
                blocks.append(block)
                count += len(_WORDS.findall(block))
                current = []
                if count >= words:
                    break
            continue
        current.append(line)
    else:
        if current and count < words:
            blocks.append("\n".join(current))
    return "\n\n".join(blocks)


_INLINE_SPECIAL = re.compile(r"[\\`*_{}\[\]<>#+\-!|&\n:~=^$]|^\d+\.|  ")


def summary_to_html(text: str) -> str:
    """A summary as HTML; plain prose (the usual case) skips the Markdown machinery."""
    if not _INLINE_SPECIAL.search(text):
        return f"<p>{text}</p>"
    return to_html(text)[0]


def render(body: str, summary: str | None, summary_words: int, math: bool = False) -> Rendered:
    """Render an article body and its summary by the spec's precedence.

    `<!--more-->` in the body wins, then the front-matter `summary` (Markdown), then the leading
    blocks of the body up to `summary_words`.
    """
    html, tokens = to_html(body, math)
    words = count_words(html)
    split = MORE.split(body, maxsplit=1)
    if len(split) == 2:
        summary_source = split[0]
    elif summary:
        summary_source = summary
    else:
        summary_source = leading_blocks(body, summary_words)
    source = summary_source.strip()
    if not source:
        summary_html = ""
    else:
        summary_html = to_html(source, True)[0] if math else summary_to_html(source)
    full = count_words(summary_html) >= words
    return Rendered(html, summary_html, full, _toc(tokens), words)


def pygments_css() -> str:
    """Code highlighting colours for light and dark schemes (written as css/pygments.css)."""
    light = HtmlFormatter(style="friendly").get_style_defs(f".{HIGHLIGHT_CLASS}")
    dark = HtmlFormatter(style="monokai").get_style_defs(f".{HIGHLIGHT_CLASS}")
    return (f"/* Generated by Broadsheet from Pygments styles. */\n{light}\n"
            f"@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
