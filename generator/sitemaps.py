"""sitemap.xml (with an index past 50,000 URLs), the Google News sitemap, robots.txt."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from .model import Article, IndexPage, ListPage, Redirect, Route, Site
from .site import newest

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000
NEWS_WINDOW = timedelta(days=2)
NEWS_MAX = 1_000


def _lastmod(route: Route) -> datetime | None:
    page = route.page
    if isinstance(page, Article):
        return page.lastmod
    if isinstance(page, ListPage):
        return max((a.lastmod for a in page.articles), default=None)
    return None


def _urlset(site: Site, routes: Sequence[Route]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for route in routes:
        out.append(f"<url><loc>{escape(site.config.absolute(route.path))}</loc>")
        mod = _lastmod(route)
        if mod is not None:
            out.append(f"<lastmod>{mod.isoformat()}</lastmod>")
        out.append("</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def sitemap_routes(routes: Sequence[Route]) -> list[Route]:
    """Pages worth indexing: not the 404 page, not redirects."""
    return [r for r in routes if not isinstance(r.page, Redirect)
            and not (isinstance(r.page, IndexPage) and r.page.kind == "404")]


def news_articles(site: Site, now: datetime) -> list[Article]:
    """Google News: articles published in the 2 days before the build clock, at most 1,000."""
    recent = [a for a in site.articles if now - NEWS_WINDOW <= a.date <= now]
    return newest(recent, NEWS_MAX)


def news_sitemap(site: Site, now: datetime) -> bytes:
    config = site.config
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
    for a in news_articles(site, now):
        out += [
            f"<url><loc>{escape(config.absolute(a.path))}</loc>",
            "<news:news><news:publication>",
            f"<news:name>{escape(config.title)}</news:name>",
            f"<news:language>{escape(a.lang)}</news:language>",
            "</news:publication>",
            f"<news:publication_date>{a.date.isoformat()}</news:publication_date>",
            f"<news:title>{escape(a.title)}</news:title>",
            "</news:news></url>",
        ]
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def render_all(site: Site, routes: Sequence[Route], now: datetime) -> Iterator[tuple[str, bytes]]:
    config = site.config
    pages = sitemap_routes(routes)
    if len(pages) <= MAX_URLS:
        yield "sitemap.xml", _urlset(site, pages)
    else:
        parts = [pages[i: i + MAX_URLS] for i in range(0, len(pages), MAX_URLS)]
        index = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
        for n, part in enumerate(parts, 1):
            yield f"sitemap-{n}.xml", _urlset(site, part)
            index.append(f"<sitemap><loc>{escape(config.absolute(f'sitemap-{n}.xml'))}</loc>"
                         "</sitemap>")
        index.append("</sitemapindex>\n")
        yield "sitemap.xml", "\n".join(index).encode("utf-8")
    yield "news-sitemap.xml", news_sitemap(site, now)
    yield "robots.txt", (
        "User-agent: *\nAllow: /\n\n"
        f"Sitemap: {config.absolute('sitemap.xml')}\n"
        f"Sitemap: {config.absolute('news-sitemap.xml')}\n"
    ).encode()
