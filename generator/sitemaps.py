"""sitemap.xml (with an index past 50,000 URLs), the Google News sitemap, robots.txt; with
[languages], one sitemap and one news sitemap per edition (in its folder), each URL with its
translations as xhtml:link alternates, and robots.txt naming them all."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from operator import attrgetter
from xml.sax.saxutils import escape, quoteattr

from . import seo
from .model import Article, IndexPage, ListPage, Redirect, Route, Site
from .site import newest

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000
NEWS_WINDOW = timedelta(days=2)
NEWS_MAX = 1_000
_LASTMOD = attrgetter("lastmod")


def _lastmod(route: Route) -> datetime | None:
    page = route.page
    if isinstance(page, Article):
        return page.lastmod
    if isinstance(page, ListPage):
        return max(map(_LASTMOD, page.articles), default=None)
    return None


def _urlset(site: Site, routes: Sequence[Route], whole: Site | None = None) -> bytes:
    """One sitemap file. With `whole` (the site of every edition), each URL lists its language
    versions, itself and x-default included, as Google reads hreflang from a sitemap."""
    xhtml = f' xmlns:xhtml="{XHTML_NS}"' if whole is not None else ""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}"{xhtml}>']
    for route in routes:
        out.append(f"<url><loc>{escape(site.config.absolute(route.path))}</loc>")
        mod = _lastmod(route)
        if mod is not None:
            out.append(f"<lastmod>{mod.isoformat()}</lastmod>")
        if whole is not None:
            out += [f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(href)}/>'
                    for code, href in seo.hreflang_links(whole, route.page)]
        out.append("</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def sitemap_routes(routes: Sequence[Route]) -> list[Route]:
    """Pages worth indexing: not the 404 page, not redirects."""
    return [r for r in routes if not isinstance(r.page, Redirect)
            and not (isinstance(r.page, IndexPage) and r.page.kind == "404")]


def news_articles(site: Site, now: datetime) -> list[Article]:
    """Google News: articles published in the 2 days before the build clock, at most 1,000."""
    start = now - NEWS_WINDOW
    recent = [a for a in site.articles if start <= a.date <= now]
    return newest(recent, NEWS_MAX)


def news_sitemap(site: Site, now: datetime) -> bytes:
    """The Google News sitemap of one edition (or the site): its name is the edition's title,
    each entry's news:language the article's language."""
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


def _by_edition(site: Site, routes: Sequence[Route]) -> list[tuple[Site, list[Route]]]:
    """The pages worth indexing of each edition, in the editions' order (every page carries its
    edition's language: `lang`)."""
    groups: dict[int, list[Route]] = {id(e): [] for e in site.editions}
    for route in sitemap_routes(routes):
        groups[id(site.edition_of(getattr(route.page, "lang", "")))].append(route)
    return [(e, groups[id(e)]) for e in site.editions]


def render_all(site: Site, routes: Sequence[Route], now: datetime) -> Iterator[tuple[str, bytes]]:
    config = site.config
    whole = site if site.edition_sites else None
    named = []  # every sitemap, for robots.txt
    for edition, pages in _by_edition(site, routes):
        prefix = edition.edition.prefix if edition.edition else ""
        if len(pages) <= MAX_URLS:
            yield f"{prefix}sitemap.xml", _urlset(edition, pages, whole)
        else:
            parts = [pages[i: i + MAX_URLS] for i in range(0, len(pages), MAX_URLS)]
            index = ['<?xml version="1.0" encoding="utf-8"?>',
                     f'<sitemapindex xmlns="{SITEMAP_NS}">']
            for n, part in enumerate(parts, 1):
                yield f"{prefix}sitemap-{n}.xml", _urlset(edition, part, whole)
                index.append(f"<sitemap><loc>{escape(config.absolute(f'{prefix}sitemap-{n}.xml'))}"
                             "</loc></sitemap>")
            index.append("</sitemapindex>\n")
            yield f"{prefix}sitemap.xml", "\n".join(index).encode("utf-8")
        yield f"{prefix}news-sitemap.xml", news_sitemap(edition, now)
        named += [f"{prefix}sitemap.xml", f"{prefix}news-sitemap.xml"]
    yield "robots.txt", ("User-agent: *\nAllow: /\n\n" + "".join(
        f"Sitemap: {config.absolute(name)}\n" for name in named)).encode()
