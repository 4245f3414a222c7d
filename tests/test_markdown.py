"""The Markdown stage: summaries by precedence, toc levels, and the plain-summary fast path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown import (
    BLOCK_NEEDS,
    PRE_NEEDS,
    leading_blocks,
    render,
    summary_to_html,
    to_html,
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=80))
def test_summary_fast_path_equals_markdown(text):
    text = text.strip()
    if text:
        assert summary_to_html(text) == to_html(text)[0]


def test_summary_precedence():
    body = "First para.\n\n<!--more-->\n\nSecond para.\n"
    assert render(body, "Field summary", 70).summary_html == "<p>First para.</p>"
    assert render("One.\n\nTwo.\n", "Field *summary*", 70).summary_html == (
        "<p>Field <em>summary</em></p>")
    auto = render("One two.\n\nThree four.\n\n## Head\n\nFive.\n", None, 70)
    assert auto.summary_html == "<p>One two.</p>\n<p>Three four.</p>"
    assert not auto.summary_is_full  # "Read more": the article is longer
    assert render("Only this.\n", None, 70).summary_is_full


def test_automatic_summary_keeps_whole_blocks():
    body = "\n\n".join(" ".join(["word"] * 30) for _ in range(5))
    assert leading_blocks(body, 70).count("\n\n") == 2  # 3 blocks: 90 words >= 70


def test_toc_is_h2_and_h3_only():
    r = render("# Top\n\n## A\n\n### B\n\n#### C\n\n## D\n", None, 70)
    assert [(e.level, e.title) for e in r.toc] == [(2, "A"), (2, "D")]
    assert [(c.level, c.title) for c in r.toc[0].children] == [(3, "B")]


# Markdown-ish text: whole inline constructs and their loose characters, block syntax, words.
_MARKDOWNISH = st.lists(st.sampled_from([
    "word", "Word", " ", "  ", "\n", "\n\n", "  \n", "*", "**", "_", "`", "\\", "[", "]", "(", ")",
    "!", "<", ">", "&", ";", "#", "## ", "- ", "1. ", "> ", "|", "---", "{: .x}", ":",
    "*em*", "**strong**", "_em_", "__strong__", "`code`", "\\*", "[link](http://x.example)",
    "[ref][r]", "[r]: http://r.example", "![img](x.png)", "<http://x.example>", "<a@b.example>",
    "<b>bold</b>", "&amp;", "&copy;", "&#169;", "[^1]", "[^1]: note", "*[HTML]: Hyper", "HTML",
    "’", "“", "é", "\t", "    code", "```", "~~~",
]), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MARKDOWNISH)
def test_quick_inline_processor_changes_nothing(text):
    assert to_html(text, quick=True) == to_html(text, quick=False)


def test_quick_inline_processor_on_the_sample_site_and_seed():
    from .conftest import REPO

    for path in sorted((REPO / "content").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        assert to_html(body, quick=True) == to_html(body, quick=False), path
    for math in (False, True):
        text = "Cost: $5 & *more*; \\(x^2\\) and $$y$$ `code` <i>i</i>  \nnext"
        assert to_html(text, math=math, quick=True) == to_html(text, math=math, quick=False)


_BLOCKISH = st.lists(st.sampled_from([
    "word", " ", "   ", "\n", "#", "=", "-", "_", "*", "|", ":", ">", "[", "]", "^", "1.", "!",
    "*[", "[^", "]:", "---", "***", "___", "# ", ": ", "> ", "| a |", "\t", "x"]), max_size=20
).map("".join)


def _unwrapped_md():
    """A fresh Markdown of `_md`'s configuration without the quick wrappers, reset: whose own
    processors the claims are checked against."""
    from generator.markdown import _md

    _md.cache_clear()
    try:
        md = _md(quick=False)
    finally:
        _md.cache_clear()
    md.reset()
    return md


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(BLOCK_NEEDS)), _BLOCKISH)
def test_no_block_processor_takes_a_block_without_what_it_needs(name, block):
    """The claim behind `quick_block_tests`: Python-Markdown's own processor (not the wrapped
    one) takes no block lacking all of its BLOCK_NEEDS: its test is false, or its run gives the
    block back untouched (reference, footnote and abbr do their matching in run)."""
    from xml.etree.ElementTree import Element

    needs = BLOCK_NEEDS[name]
    if any(s in block for s in needs):
        return
    md = _unwrapped_md()
    proc = md.parser.blockprocessors[name]
    parent = Element("div")
    if proc.test(parent, block):
        blocks = [block]
        assert proc.run(parent, blocks) is False, (name, block)
        assert blocks == [block] and len(parent) == 0, (name, block)


def test_every_quick_block_test_is_on_a_registered_processor():
    """A renamed processor would silently lose its quick test (same HTML, slower)."""
    from generator.markdown import _md

    md = _md()
    for name in BLOCK_NEEDS:
        assert name in md.parser.blockprocessors, name
    assert md.parser.parseBlocks.__name__ == "parse_blocks"


_WHITESPACEISH = st.lists(st.sampled_from([
    "word", " ", "  ", "\n", "\n\n", "  \n", " \n ", "\t", "\r", "\r\n", "\x02", "\x03", "    ",
    "- a", "> q", "é"]), max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(_WHITESPACEISH)
def test_quick_whitespace_preprocessor_equals_python_markdowns(text):
    """The skip of `normalize_whitespace`'s costly part gives its lines exactly, and the same
    HTML."""
    from generator.markdown import _md

    quick, plain = _md().preprocessors["normalize_whitespace"], _unwrapped_md().preprocessors[
        "normalize_whitespace"]
    assert quick.run.__name__ == "quick_run"
    lines = text.split("\n")
    assert quick.run(list(lines)) == plain.run(list(lines))
    assert to_html(text, quick=True) == to_html(text, quick=False)


_STAGEISH = st.lists(st.sampled_from([
    "word", " ", "\n", "\n\n", "[TOC]", "\n\n[TOC]\n\n", "# H", "## Part", "###### Six",
    "Title\n=====", "Title\n-----", "```", "```python\nx = 1\n```", "~~~\ncode\n~~~", "<div>",
    "</div>", '<div markdown="1">\n## In\n</div>', "<!-- c -->", "<", "&lt;", "> ", "- ", "{#id}",
    "\t", "    indented",
]), max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(_STAGEISH)
def test_quick_stage_skips_change_nothing(text):
    """`quick_stage_skips`: the html and fenced-code preprocessors and the toc tree processor,
    skipped on documents without what they act on, give the same HTML and toc tokens."""
    for math in (False, True):
        assert to_html(text, math=math, quick=True) == to_html(text, math=math, quick=False)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(PRE_NEEDS)), _MARKDOWNISH)
def test_no_skipped_preprocessor_changes_a_document_without_what_it_needs(name, text):
    """The claim behind PRE_NEEDS, on Python-Markdown's own (unwrapped) preprocessor."""
    lines = text.split("\n")
    if any(s in line for line in lines for s in PRE_NEEDS[name]):
        return
    md = _unwrapped_md()
    assert md.preprocessors[name].run(list(lines)) == lines


def test_every_stage_skip_is_on_a_registered_processor():
    """A renamed processor would silently lose its skip (same HTML, slower)."""
    from generator.markdown import _md

    md = _md()
    for name in PRE_NEEDS:
        assert md.preprocessors[name].run.__name__ == "quick_run", name
    assert md.treeprocessors["toc"].run.__name__ == "quick_run"


def test_quick_block_level_agrees_with_python_markdowns():
    """`quick_block_level`'s set answers as the list does, also after an extension appends."""
    import markdown as md_lib

    from generator.markdown import _md

    md = _md()
    assert "is_block_level" in vars(md)
    tags = [*md.block_level_elements, "a", "em", "P", "DIV", "hr/", "custom", "", "span"]
    for tag in [*tags, None, 3]:
        assert md.is_block_level(tag) == md_lib.Markdown.is_block_level(md, tag), tag
    md.block_level_elements.append("custom")
    try:
        assert md.is_block_level("custom") and md.is_block_level("CUSTOM/")
    finally:
        md.block_level_elements.remove("custom")
    assert not md.is_block_level("custom")
