"""The Markdown stage: summaries by precedence, toc levels, and the plain-summary fast path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown import leading_blocks, render, summary_to_html, to_html


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
