"""The article of a Hugo page: shortcodes expanded around Broadsheet's own article making.

`make_article` is what the build calls for every source: a Hugo site's Markdown pages come
here, everything else goes straight to `articles.make_article`. Broadsheet's article making
gives the page Hugo's path (it asks permalinks.page_path when `hugo.rules` is on); here the
shortcode outputs are put in, and categories, tags and aliases follow Hugo's rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .. import articles, markdown
from ..config import Config
from ..errors import Report
from ..model import Article, TermRef, TocEntry
from ..sources.document import SourceDocument
from . import shortcodes
from .permalinks import alias_path, urlize_path


def make_article(doc: SourceDocument, config: Config, report: Report | None = None) -> Article:
    """The Article of one source: a Hugo page's by Hugo's rules, any other by Broadsheet's
    (`report` collects warnings, as for `articles.make_article`)."""
    if config.hugo_rules and doc.kind == "markdown":
        return hugo_article(doc, config, report)
    return articles.make_article(doc, config, report)


def _unique(refs: Iterable[TermRef]) -> tuple[TermRef, ...]:
    seen: dict[str, TermRef] = {}
    for ref in refs:
        seen.setdefault(ref.slug, ref)
    return tuple(seen.values())


def hugo_term(taxonomy: str, name: str) -> TermRef:
    """A tag or category at Hugo's URL for it (`C++` is tags/c++/)."""
    return TermRef(taxonomy, name, urlize_path(name) or "-")


def _toc(entries: tuple[TocEntry, ...], fragments: list[str]) -> tuple[TocEntry, ...]:
    return tuple(replace(e, title=shortcodes.fill_text(e.title, fragments),
                         children=_toc(e.children, fragments)) for e in entries)


def hugo_article(doc: SourceDocument, config: Config, report: Report | None = None) -> Article:
    """A Hugo page as an Article: shortcodes expanded around Broadsheet's own article making
    (which gives it Hugo's path: articles.make_article asks permalinks.page_path), then the
    outputs put in, terms and aliases by Hugo's rules."""
    body = shortcodes.expand(doc, config)
    article = articles.make_article(replace(doc, body=body), config, report)
    html = body.fill(article.html)
    f = doc.fields
    fragments = body.fragments
    summary = shortcodes.fill(article.summary_html, fragments)
    return replace(
        article,
        body=html.encode("utf-8"),
        summary_html=summary,
        description=f.description or shortcodes.fill_text(article.description, fragments),
        toc=_toc(article.toc, fragments),
        word_count=markdown.count_words(shortcodes.PLACEHOLDER.sub("", html)),
        categories=_unique(hugo_term("categories", c) for c in f.categories),
        tags=_unique(hugo_term("tags", t) for t in f.tags),
        aliases=tuple(dict.fromkeys(alias_path(a, article.path) for a in f.aliases)),
        local_links=articles.local_links(html, article.path, config),
        refs=tuple(body.refs),
    )
