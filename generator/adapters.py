"""The two places Broadsheet relies on another library's private behaviour, each in one adapter.

Nothing else in the code touches these names. Each is kept because a benchmark shows it pays
(`bench/private_apis.py`; figures in docs/performance.md), and tests/test_adapters.py fails,
naming the library and its version, when the library stops behaving as the adapter expects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# --- Python-Markdown: the inline patterns ----------------------------------------------------

MARKDOWN_CHECKED = "3.5.0 to 3.11.3"  # Python-Markdown versions tests/test_adapters.py passed on

# What each inline pattern of Broadsheet's extensions cannot match without: a pattern is tried
# on a text only when the text holds one of these (tests/test_adapters.py checks each claim).
INLINE_NEEDS: Mapping[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",),
    "link": ("[",), "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",),
    "short_image_ref": ("![",), "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",),
    "html": ("<",), "entity": ("&",), "em_strong": ("*", "_"),
    "em_strong2": ("_",), "not_strong": ("*", "_"),  # older releases: "_" has its own pattern
}


def _any_of(needs: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    """A regex finding any needed string: a text it does not match is left alone by every pattern."""
    strings = {s for group in needs.values() for s in group}
    minimal = sorted(s for s in strings if not any(o != s and o in s for o in strings))
    singles = "".join(re.escape(s) for s in minimal if len(s) == 1)
    longer = [re.escape(s) for s in minimal if len(s) > 1]
    return re.compile("|".join(([f"[{singles}]"] if singles else []) + longer))


class QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's inline tree processor, trying a pattern only on text that can match it.

    Python-Markdown tries each of its 15 inline patterns on every text node; on news copy most
    nodes have no markup and the rest only a link or an emphasis. The per-node loop has no public
    hook, so this overrides the private `InlineProcessor.__handleInline(data, patternIndex)` and
    calls the private `__applyPattern(pattern, data, patternIndex, startIndex)`, which returns
    `(data, matched, next start)`. The loop is Python-Markdown's own, less the hopeless tries.
    Checked against Python-Markdown 3.5.0 to 3.11.3 (`MARKDOWN_CHECKED`).
    """

    def __init__(self, md: markdown.Markdown, needs: Mapping[str, tuple[str, ...]]) -> None:
        super().__init__(md)
        self._by_name = needs
        self._any = _any_of(needs)
        self._ordered: tuple[object, ...] = ()  # the patterns, in the registry's order
        self._needs: tuple[tuple[str, ...], ...] | None = None  # theirs; None: one is unknown

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        # Looked up again for each document (before 3.7 the abbr extension registers a pattern
        # per abbreviation while converting), and worked out again when the patterns changed.
        # With one unknown, every text goes through Python-Markdown's own loop.
        patterns = self.inlinePatterns
        ordered = tuple(patterns)
        if ordered != self._ordered:
            by_id = {id(patterns[n]): group for n, group in self._by_name.items() if n in patterns}
            found = tuple(by_id.get(id(p)) for p in ordered)
            self._ordered = ordered
            self._needs = None if None in found else found  # type: ignore[assignment]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        needs = self._needs
        if needs is None:  # a pattern the table does not know
            return InlineProcessor._InlineProcessor__handleInline(  # type: ignore[attr-defined]
                self, data, patternIndex)
        if isinstance(data, AtomicString) or not self._any.search(data):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        ordered = self._ordered
        count = len(ordered)
        start = 0
        while patternIndex < count:
            for need in needs[patternIndex]:  # a loop, not any(): ~90 checks an article
                if need in data:
                    data, matched, start = apply(ordered[patternIndex], data, patternIndex, start)
                    break
            else:
                matched = False
            if matched:
                continue  # the same pattern again, after its match (as Python-Markdown does)
            start = 0
            patternIndex += 1
        return data


def filter_inline_patterns(md: markdown.Markdown,
                           needs: Mapping[str, tuple[str, ...]] = INLINE_NEEDS) -> bool:
    """Put a `QuickInlineProcessor` in place of `md`'s inline processor, if every registered
    inline pattern is one `needs` knows (an unknown one could match anything). Whether it did."""
    patterns = md.inlinePatterns
    if len(patterns) != sum(name in patterns for name in needs):
        return False
    md.treeprocessors.register(QuickInlineProcessor(md, needs), "inline", 20)
    return True


# --- html.parser: is the parser between tags? -----------------------------------------------

HTML_PARSER_CHECKED = "CPython 3.11.7, 3.12.1 and 3.13.0"  # where tests/test_adapters.py passed


class LineFedHTMLParser(HTMLParser):
    """`html.parser.HTMLParser` that can say, between two `feed()` calls, that it holds no state a
    later line depends on, so that the items of a line can be remembered and reused.

    html.parser has no public way to ask this. `between_tags()` reads two private attributes:
    `rawdata`, the input fed but not yet handled (an unfinished tag, comment or character
    reference), and `cdata_elem`, the open `script` or `style` element (newer releases may add
    `title` and `textarea`). Checked against CPython 3.11.7, 3.12.1 and 3.13.0
    (`HTML_PARSER_CHECKED`).
    """

    def between_tags(self) -> bool:
        """Whether everything fed so far was handled and the parser is in ordinary markup (not in
        a tag, comment, script or style): what is fed next parses as it would on its own."""
        return not self.rawdata and self.cdata_elem is None
