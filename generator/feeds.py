"""Atom and RSS 2.0 feeds: the site's, and one Atom feed per category, tag and author; JSON Feed
1.1 for the site and each section; the corrections feed and each live blog's feed of updates.

With `[websub] hub` set, every feed names the hub (`rel="hub"`) beside its own URL
(`rel="self"`), so readers can subscribe for pushed updates; `broadsheet deploy` pings the hub.

Built with feedgen: slower than hand-written XML (docs/performance.md, "Measurements behind the
code"), a cost worth a well-kept library's escaping and validity.
Entry ids are tag: URIs made from the article's date and source file, so they survive a changed
headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator

from . import __version__, jsonfeed, seo
from .model import Article, Site
from .site import newest, newest_among
from .urls import CORRECTIONS_PATH

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ATOM_NS = "http://www.w3.org/2005/Atom"
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_links(html: str, base_url: str) -> str:
    """Root-relative links (`/news/story/#fn1`) made absolute: a feed is read away from the site,
    and RSS has no base URL to resolve them against."""
    parts = urlsplit(base_url)
    return _ROOT_RELATIVE.sub(rf"\1{parts.scheme}://{parts.netloc}/", html)


def entry_id(site: Site, article: Article) -> str:
    host = urlsplit(site.config.base_url).hostname or "localhost"
    stem = article.source.rsplit(".", 1)[0]
    return f"tag:{host},{article.date.astimezone(UTC):%Y-%m-%d}:/{stem}"


class _HubLink(BaseExtension):
    """`<atom:link rel="hub">` in an RSS channel, beside the self link: feedgen writes only the
    self link there, and a WebSub subscriber looks for both (W3C WebSub, discovery)."""

    def __init__(self) -> None:
        self.href = ""

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM_NS}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        links = channel.findall(f"{{{ATOM_NS}}}link")
        at = list(channel).index(links[-1]) + 1 if links else len(channel)
        hub = channel.makeelement(f"{{{ATOM_NS}}}link", {"href": self.href, "rel": "hub"})
        channel.insert(at, hub)
        return rss_feed


def advertise_hub(fg: FeedGenerator, hub: str, kind: str) -> None:
    """Name the site's WebSub hub (if any) in a feed of `kind` "atom" or "rss"; call it after the
    self link and before the alternate one."""
    if hub and kind == "atom":
        fg.link(href=hub, rel="hub")
    elif hub:
        fg.register_extension("websub", _HubLink, atom=False)
        fg.websub.href = hub


def _feed(site: Site, title: str, page_path: str, feed_path: str, kind: str,
          articles: Iterable[Article]) -> FeedGenerator:
    """One feed of the newest `feed_items` articles. Every date is set from the articles, never
    from the clock, so the same input gives the same bytes."""
    config = site.config
    items = newest(articles, config.feed_items)
    fg = FeedGenerator()
    if kind == "rss":
        fg.load_extension("dc")
    fg.id(config.absolute(page_path))
    fg.title(title)
    fg.subtitle(config.description or config.title)
    fg.link(href=config.absolute(feed_path), rel="self",
            type="application/atom+xml" if kind == "atom" else "application/rss+xml")
    advertise_hub(fg, config.websub_hub, kind)
    # Last: feedgen makes the last link the RSS channel's <link>, which must be the page.
    fg.link(href=config.absolute(page_path), rel="alternate")
    fg.language(config.language)
    fg.generator("Broadsheet", version=__version__)
    if config.copyright:
        fg.rights(config.copyright)
    newest_mod = max((a.lastmod for a in items), default=EPOCH)
    fg.updated(newest_mod)
    fg.lastBuildDate(newest_mod)
    for a in items:
        e = fg.add_entry(order="append")
        e.id(entry_id(site, a))
        e.guid(entry_id(site, a), permalink=False)
        e.title(a.title)
        e.link(href=config.absolute(a.path), rel="alternate")
        e.published(a.date)
        e.updated(a.lastmod)
        names = [r.name for r in a.authors]
        for name in names or [config.title]:
            e.author(name=name)
        if names and kind == "rss":
            e.dc.dc_creator(names)
        for ref in (*a.categories, *a.tags):
            e.category(term=ref.name)
        summary = absolute_links(a.summary_html, config.base_url)
        if kind == "atom":
            e.summary(summary, type="html")
        else:
            e.description(summary)
    return fg


def atom(site: Site, title: str, page_path: str, feed_path: str,
         articles: Iterable[Article]) -> bytes:
    return _feed(site, title, page_path, feed_path, "atom", articles).atom_str(pretty=True)


def rss(site: Site, articles: Iterable[Article], prefix: str = "") -> bytes:
    # RSS author elements want e-mail addresses; names go out as dc:creator instead.
    fg = _feed(site, site.config.title, prefix, f"{prefix}rss.xml", "rss", articles)
    for entry in fg.entry():
        entry.author([])
    return fg.rss_str(pretty=True)


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed file: what it is and the articles it shows (the newest `feed_items`)."""

    path: str  # output file
    kind: str  # "atom", "rss", "json", "corrections" (Atom) or "updates" (Atom, one live blog)
    title: str
    page_path: str  # the list page it belongs to
    items: tuple[Article, ...]
    lang: str = ""  # its edition's language ("": the site's, without [languages])


def _prefix(site: Site) -> str:
    return site.edition.prefix if site.edition else ""


def all_feeds(site: Site) -> Iterator[Feed]:
    """Every feed of the site, edition by edition: the edition's Atom and RSS, and Atom per
    category, tag and author; then the JSON Feeds, corrections and live-blog updates. Each
    feed holds only its edition's articles."""
    for edition in site.editions:
        yield from _edition_feeds(edition, edition.edition.code if edition.edition else "")


def _edition_feeds(site: Site, lang: str) -> Iterator[Feed]:
    items = site.config.feed_items
    prefix = _prefix(site)
    pick = newest_among(site.articles)
    home = tuple(pick(site.articles, items))  # sorted once for the three site feeds
    yield Feed(f"{prefix}feed.xml", "atom", site.config.title, prefix, home, lang)
    yield Feed(f"{prefix}rss.xml", "rss", site.config.title, prefix, home, lang)
    sections = {prefix: home}  # page path -> newest items, for the JSON Feeds
    for term in (*site.categories, *site.tags, *site.authors):
        feed = Feed(f"{term.path}feed.xml", "atom", f"{term.name} - {site.config.title}",
                    term.path, tuple(pick(term.articles, items)), lang)
        sections[term.path] = feed.items
        yield feed
    yield from newsroom_feeds(site, sections, lang)


def render(site: Site, feed: Feed) -> bytes:
    """A feed's bytes; `site` is the whole site (the feed's edition is found by its lang)."""
    site = site.edition_of(feed.lang)
    if feed.kind == "rss":
        return rss(site, feed.items, feed.page_path)
    if feed.kind in NEWSROOM_KINDS:
        return NEWSROOM_KINDS[feed.kind](site, feed)
    return atom(site, feed.title, feed.page_path, feed.path, feed.items)


# --- JSON Feed, corrections, live-blog updates --------------------------------------------

CORRECTIONS_FEED = f"{CORRECTIONS_PATH}feed.xml"


def newsroom_files(site: Site) -> dict[str, str]:
    """The files `newsroom_feeds` writes, as `build.reserved_files` lists them (no feed made),
    for every edition."""
    out = {}
    for edition in site.editions:
        prefix = _prefix(edition)
        out[f"{prefix}feed.json"] = "the site's JSON Feed"
        for term in edition.categories:
            out[f"{term.path}feed.json"] = f"the JSON Feed of {term.name}"
        if edition.corrections:
            out[prefix + CORRECTIONS_FEED] = "the corrections feed"
        for a in edition.articles:
            if a.updates_feed:
                out[a.updates_feed.lower()] = f"the updates feed of {a.source}"
    return out


def newsroom_feeds(site: Site, newest_of: dict[str, tuple[Article, ...]] | None = None,
                   lang: str = "") -> Iterator[Feed]:
    """JSON Feeds of one edition (or the site) and each section; the corrections feed once
    there is a correction; a feed of updates for each live blog. `newest_of` (page path -> its
    newest items) saves sorting again what the Atom feeds already sorted."""
    config = site.config
    n = config.feed_items
    known = newest_of or {}
    prefix = _prefix(site)

    def items(path: str, articles: tuple[Article, ...]) -> tuple[Article, ...]:
        return known[path] if path in known else tuple(newest(articles, n))

    yield Feed(f"{prefix}feed.json", "json", config.title, prefix, items(prefix, site.articles),
               lang)
    for term in site.categories:
        yield Feed(f"{term.path}feed.json", "json", f"{term.name} - {config.title}", term.path,
                   items(term.path, term.articles), lang)
    if site.corrections:
        corrected = tuple({e.article.source: e.article for e in site.corrections}.values())
        yield Feed(prefix + CORRECTIONS_FEED, "corrections", f"Corrections - {config.title}",
                   prefix + CORRECTIONS_PATH, corrected, lang)
    for a in site.articles:
        if a.updates_feed:
            yield Feed(a.updates_feed, "updates", f"{a.title} - live updates", a.path, (a,), lang)


def _json_item(site: Site, a: Article) -> jsonfeed.Item:
    """An article as a JSON Feed item: the id, link and summary of its Atom entry."""
    config = site.config
    return jsonfeed.Item(
        id=entry_id(site, a),
        url=config.absolute(a.path),
        title=a.title,
        content_html=absolute_links(a.summary_html, config.base_url),
        summary=a.description,
        date_published=a.date,
        date_modified=a.lastmod,
        authors=tuple(jsonfeed.Author(r.name, config.absolute(r.path)) for r in a.authors)
        or (jsonfeed.Author(config.title, config.absolute("")),),
        tags=tuple(r.name for r in (*a.categories, *a.tags)),
        image=seo.absolute_url(config, a.thumbnail.src) if a.thumbnail else "",
        language=a.lang,
    )


def json_feed(site: Site, feed: Feed) -> bytes:
    config = site.config
    return jsonfeed.document(
        title=feed.title,
        home_page_url=config.absolute(feed.page_path),
        feed_url=config.absolute(feed.path),
        description=config.description,
        language=config.language,
        icon=seo.absolute_url(config, config.logo) if config.logo else "",
        favicon=seo.absolute_url(config, seo.FAVICON),
        hubs=(("WebSub", config.websub_hub),) if config.websub_hub else (),
        items=(_json_item(site, a) for a in feed.items),
    )


def _atom_frame(site: Site, feed: Feed, updated: datetime) -> FeedGenerator:
    """The head of an Atom feed of entries that are not whole articles."""
    config = site.config
    fg = FeedGenerator()
    fg.id(config.absolute(feed.path))
    fg.title(feed.title)
    fg.subtitle(config.description or config.title)
    fg.author(name=config.title)
    fg.link(href=config.absolute(feed.path), rel="self", type="application/atom+xml")
    advertise_hub(fg, config.websub_hub, "atom")
    fg.link(href=config.absolute(feed.page_path), rel="alternate")
    fg.language(config.language)
    fg.generator("Broadsheet", version=__version__)
    if config.copyright:
        fg.rights(config.copyright)
    fg.updated(updated)
    return fg


def corrections_atom(site: Site, feed: Feed) -> bytes:
    """Every correction of the edition, newest first, each linking to its article's corrections."""
    config = site.config
    entries = site.corrections
    fg = _atom_frame(site, feed, max((e.when for e in entries), default=EPOCH))
    for c in entries:
        a = c.article
        e = fg.add_entry(order="append")
        e.id(f"{entry_id(site, a)}#correction-{c.number}")
        e.title(f"Correction: {a.title}")
        e.link(href=config.absolute(a.path) + "#corrections", rel="alternate")
        e.published(c.when)
        e.updated(c.when)
        e.summary(c.text)
    return fg.atom_str(pretty=True)


def updates_atom(site: Site, feed: Feed) -> bytes:
    """A live blog's newest `feed_items` updates, newest first, each linking to its anchor."""
    config = site.config
    a = feed.items[0]
    assert a.liveblog is not None
    updates = a.liveblog.updates[: config.feed_items]
    fg = _atom_frame(site, feed, updates[0].time if updates else a.lastmod)
    names = [r.name for r in a.authors] or [config.title]
    for u in updates:
        e = fg.add_entry(order="append")
        e.id(f"{entry_id(site, a)}#{u.anchor}")
        e.title(u.headline)
        e.link(href=f"{config.absolute(a.path)}#{u.anchor}", rel="alternate")
        e.published(u.time)
        e.updated(u.time)
        for name in names:
            e.author(name=name)
        e.content(absolute_links(u.html, config.base_url), type="html")
    return fg.atom_str(pretty=True)


NEWSROOM_KINDS = {"json": json_feed, "corrections": corrections_atom, "updates": updates_atom}

