"""Atom and RSS 2.0 feeds: the site's, and one Atom feed per category, tag and author.

Written directly as XML text with escaping, not through a feed library: a 10,000-article site has
thousands of term feeds, and string assembly keeps that to a few milliseconds per feed. Entry ids
are tag: URIs made from the article's date and source file, so they survive a changed headline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from . import __version__
from .model import Article, Site
from .site import newest


def entry_id(site: Site, article: Article) -> str:
    host = urlsplit(site.config.base_url).hostname or "localhost"
    stem = article.source.rsplit(".", 1)[0]
    return f"tag:{host},{article.date.astimezone(UTC):%Y-%m-%d}:/{stem}"


def _iso(d: datetime) -> str:
    return d.isoformat()


def atom(site: Site, title: str, page_path: str, feed_path: str,
         articles: Iterable[Article]) -> bytes:
    config = site.config
    items = newest(articles, config.feed_items)
    updated = max((a.lastmod for a in items), default=datetime(1970, 1, 1, tzinfo=UTC))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(config.absolute(page_path))}</id>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(config.absolute(feed_path))}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(config.absolute(page_path))}/>',
        f"<updated>{_iso(updated)}</updated>",
        f'<generator version="{__version__}">Broadsheet</generator>',
    ]
    if config.copyright:
        out.append(f"<rights>{escape(config.copyright)}</rights>")
    for a in items:
        out.append(f'<entry xml:lang={quoteattr(a.lang)}>')
        out.append(f"<title>{escape(a.title)}</title>")
        out.append(f'<link rel="alternate" type="text/html" href={quoteattr(config.absolute(a.path))}/>')
        out.append(f"<id>{escape(entry_id(site, a))}</id>")
        out.append(f"<published>{_iso(a.date)}</published>")
        out.append(f"<updated>{_iso(a.lastmod)}</updated>")
        names = [r.name for r in a.authors] or [config.title]
        out.extend(f"<author><name>{escape(n)}</name></author>" for n in names)
        out.extend(f"<category term={quoteattr(r.name)}/>" for r in (*a.categories, *a.tags))
        out.append(f'<summary type="html">{escape(a.summary_html)}</summary>')
        out.append("</entry>")
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")


def rss(site: Site, articles: Iterable[Article]) -> bytes:
    config = site.config
    items = newest(articles, config.feed_items)
    newest_date = max((a.lastmod for a in items), default=datetime(1970, 1, 1, tzinfo=UTC))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{escape(config.title)}</title>",
        f"<link>{escape(config.absolute(''))}</link>",
        f"<description>{escape(config.description or config.title)}</description>",
        f"<language>{escape(config.language)}</language>",
        f"<lastBuildDate>{format_datetime(newest_date.astimezone(UTC))}</lastBuildDate>",
        f'<atom:link href={quoteattr(config.absolute("rss.xml"))} rel="self" '
        'type="application/rss+xml"/>',
        f"<generator>Broadsheet {__version__}</generator>",
    ]
    for a in items:
        out.append("<item>")
        out.append(f"<title>{escape(a.title)}</title>")
        out.append(f"<link>{escape(config.absolute(a.path))}</link>")
        out.append(f'<guid isPermaLink="false">{escape(entry_id(site, a))}</guid>')
        out.append(f"<pubDate>{format_datetime(a.date.astimezone(UTC))}</pubDate>")
        out.extend(f"<dc:creator>{escape(r.name)}</dc:creator>" for r in a.authors)
        out.extend(f"<category>{escape(r.name)}</category>" for r in (*a.categories, *a.tags))
        out.append(f"<description>{escape(a.summary_html)}</description>")
        out.append("</item>")
    out.append("</channel>\n</rss>\n")
    return "\n".join(out).encode("utf-8")


def render_all(site: Site) -> Iterator[tuple[str, bytes]]:
    """(output path, bytes) for every feed of the site."""
    yield "feed.xml", atom(site, site.config.title, "", "feed.xml", site.articles)
    yield "rss.xml", rss(site, site.articles)
    for term in (*site.categories, *site.tags, *site.authors):
        title = f"{term.name} - {site.config.title}"
        yield f"{term.path}feed.xml", atom(site, title, term.path, f"{term.path}feed.xml",
                                           term.articles)
