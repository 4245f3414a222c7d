"""The site model: frozen records with every value already resolved, and no I/O but one:
an article's body is read from the article cache file when a page shows it (`BodyRef`).

Templates read these as they are: `page.sidebar` is "left", "right" or None, `page.widgets` is
the final list, `article.thumbnail` already knows where it shows. Nothing here is raw front matter
waiting to be reinterpreted.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from .config import AuthorProfile, Config, MenuItem
from .pickling import fast_pickling
from .sources.fields import Correction, MenuRef


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One h2/h3 heading of an article's table of contents; h3s nest under their h2."""

    level: int
    id: str
    title: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class TermRef:
    """A link to a taxonomy term (category, tag or author) as shown on an article."""

    taxonomy: str  # "categories", "tags" or "authors"
    name: str
    slug: str
    prefix: str = ""  # the article's edition: "" or "fr/" (its term pages are the edition's)

    @property
    def path(self) -> str:
        return f"{self.prefix}{self.taxonomy}/{self.slug}/"

    def __reduce__(self) -> tuple[Any, tuple[str, str, str, str]]:
        return _term_ref, (self.taxonomy, self.name, self.slug, self.prefix)


_TERM_REFS: dict[tuple[str, str, str, str], TermRef] = {}
TERM_REFS_LIMIT = 100_000  # distinct links kept; a long `serve` must not grow for ever


def _term_ref(taxonomy: str, name: str, slug: str, prefix: str) -> TermRef:
    """A TermRef as unpickled: one object per distinct link. Each article cache record is a
    pickle of its own, so a tag on 500 articles came back as 500 objects (and 1,000 strings);
    this is also quicker than the dataclass's `__setstate__`."""
    key = (taxonomy, name, slug, prefix)
    found = _TERM_REFS.get(key)
    if found is None:
        if len(_TERM_REFS) >= TERM_REFS_LIMIT:
            _TERM_REFS.clear()
        found = _TERM_REFS[key] = TermRef(*key)
    return found


@dataclass(frozen=True, slots=True)
class Variant:
    """One processed file of an image: a resized width, or a crop for search and share cards."""

    path: str  # site path, "img/harbour-1a2b3c4d-800.webp"
    width: int
    height: int
    mime: str  # "image/webp", "image/avif", "image/jpeg", "image/png"


@dataclass(frozen=True, slots=True)
class Picture:
    """A raster image after the image stage (generator/images.py): what `<picture>` needs.

    `src` is the largest fallback (JPEG/PNG) width, `sources` the srcset per type (modern format
    first), `crops` the 16x9, 4x3 and 1x1 crops (keyed by ratio) for JSON-LD and Open Graph."""

    src: Variant
    sources: tuple[tuple[str, str], ...]  # (mime, "img/a-480.webp 480w, ...") with site paths
    crops: tuple[tuple[str, Variant], ...] = ()


@dataclass(frozen=True, slots=True)
class Image:
    src: str  # a site path ("img/x.svg") or an absolute URL
    in_list: bool
    in_post: bool
    picture: Picture | None = None  # set by the image stage for a processed raster image
    focus: tuple[float, float] = (0.5, 0.5)  # the crops' focal point, 0-1 from the top left


class BodyFile:
    """An open file that article bodies are read from (the article cache: see cache/articles.py).

    Held open, so a body stays readable however the file is replaced later (a `serve` session's
    last build keeps reading its own); `os.pread` needs no shared position, so forked render
    workers read through the same descriptor."""

    __slots__ = ("fd",)

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, offset: int, length: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        if len(data) != length:
            raise OSError(f"article cache cut short at {offset}: rebuild with --no-cache")
        return data

    def __reduce__(self) -> Any:
        raise TypeError("a BodyFile is an open descriptor of this process: read the body first")

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


@dataclass(frozen=True, slots=True)
class BodyRef:
    """Where an article's body (or its search terms) is, when it is not held in memory."""

    file: BodyFile
    offset: int
    length: int

    def read(self) -> bytes:
        return self.file.read(self.offset, self.length)


@dataclass(frozen=True, slots=True)
class LiveUpdate:
    """One timestamped update of a live blog (its HTML is also in the article body)."""

    anchor: str  # the id of its <article> on the page: "update-20250301-1405"
    time: datetime
    headline: str  # plain text: the heading after the time, else the update's first words
    text: str  # plain text, for JSON-LD articleBody
    html: str  # for the updates feed


@dataclass(frozen=True, slots=True)
class LiveBlog:
    """A live blog's coverage window and updates, newest first (see generator/liveblog.py)."""

    start: datetime  # the article's date, or its first update when that is earlier
    end: datetime | None  # `coverageEnd`; None while the coverage is open-ended
    updates: tuple[LiveUpdate, ...]

    def running(self, now: datetime) -> bool:
        return self.start <= now and (self.end is None or now < self.end)


LABEL_NAMES = {"opinion": "Opinion", "analysis": "Analysis", "sponsored": "Sponsored content"}


@dataclass(frozen=True, slots=True)
class PageRef:
    """A Hugo `ref`/`relref` in a body: a placeholder that generator/hugo/site.py replaces with
    the target page's URL once every page is known."""

    token: str  # the placeholder, in the body and summary HTML
    target: str  # as written: "/docs/faq.md", "faq#install"
    absolute: bool  # ref: an absolute URL; relref: a path under base_url
    line: int | None  # in the source file


@dataclass(frozen=True, slots=True)
class Article:
    source: str
    kind: str  # "markdown" or "plaintext"
    title: str
    slug: str
    path: str  # site path, e.g. "thehill/some-story/"
    date: datetime
    lastmod: datetime  # = date when not given
    # The body's HTML in UTF-8 (half the memory of a str with any curly quote in it), or where
    # to read it: a build keeps bodies in the article cache file, not in memory, because the
    # forked render worker would copy every body it touched (docs/performance.md, "Measurements
    # behind the code").
    body: bytes | BodyRef
    summary_html: str
    summary_is_full: bool
    description: str
    word_count: int
    toc: tuple[TocEntry, ...]  # empty when the toc is off or there are no h2/h3 headings
    lead: str | None
    lang: str
    categories: tuple[TermRef, ...]
    tags: tuple[TermRef, ...]
    authors: tuple[TermRef, ...]
    translations: tuple[str, ...]
    translation_key: str
    thumbnail: Image | None
    sidebar: str | None
    widgets: tuple[str, ...]
    pager: bool
    comments: bool
    authorbox: bool
    mathjax: bool
    menus: tuple[MenuRef, ...]
    aliases: tuple[str, ...]
    weight: int
    dateline: str | None
    corrections: tuple[Correction, ...]
    paywall: bool
    params: dict[str, Any] = field(default_factory=dict)
    local_links: tuple[str, ...] = ()  # site paths the body links to, checked against the output
    label: str | None = None  # "opinion", "analysis" or "sponsored"
    liveblog: LiveBlog | None = None
    refs: tuple[PageRef, ...] = ()  # Hugo ref/relref placeholders still in the body

    @property
    def label_name(self) -> str | None:
        """The label as readers see it ("Opinion", "Sponsored content")."""
        return LABEL_NAMES[self.label] if self.label else None

    @property
    def updates_feed(self) -> str | None:
        """Site path of a live blog's Atom feed of updates, beside its page."""
        if self.liveblog is None:
            return None
        if self.path.endswith("/") or not self.path:
            return self.path + "updates.xml"
        return self.path.rsplit(".", 1)[0] + ".updates.xml"

    @property
    def html(self) -> str:
        """The body's HTML (decoded, and read if need be, on use: each page shows it once)."""
        body = self.body
        return (body.read() if isinstance(body, BodyRef) else body).decode("utf-8")

    @property
    def updated(self) -> bool:
        return self.lastmod != self.date

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / 230))

    @property
    def category(self) -> TermRef | None:
        return self.categories[0] if self.categories else None

    def sort_key(self) -> tuple[int, int, float, str, str]:
        """The spec's default order: weight (0 last), newest first, title, source path."""
        return (0 if self.weight else 1, self.weight, -self.date.timestamp(), self.title,
                self.source)


@dataclass(frozen=True, slots=True)
class Term:
    taxonomy: str
    name: str
    slug: str
    articles: tuple[Article, ...]
    prefix: str = ""  # its edition's folder: "" or "fr/"

    @property
    def path(self) -> str:
        return f"{self.prefix}{self.taxonomy}/{self.slug}/"

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    name: str
    path: str  # site path, or an absolute URL for outside links
    weight: int


@dataclass(frozen=True, slots=True)
class Archive:
    """One year or month of the date archives."""

    path: str
    title: str
    year: int
    month: int | None
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    """One correction of one article, for the site's /corrections/ page and feed."""

    article: Article
    number: int  # 1-based, in the article's own list: part of the feed entry's id
    text: str
    date: datetime | None  # as the article gives it
    when: datetime  # its date, or the article's lastmod when undated: what lists sort by


@dataclass(frozen=True, slots=True)
class Section:
    """A Hugo section (a top-level content folder, or a deeper one with `_index.md`) and what
    its `_index.md` says; the home page's is the section with folder ""."""

    folder: str  # relative to content/: "docs", "docs/sub"
    path: str  # site path of its list page: "docs/"
    title: str
    description: str = ""
    intro: str = ""  # the _index.md body as HTML
    source: str = ""  # "docs/_index.md", or "" when the folder has none


@dataclass(frozen=True, slots=True)
class Edition:
    """One language edition of the site, every value resolved (`site.editions`): what its
    pages, feeds and sitemaps say, and where they go. A site without `[languages]` is one
    edition, of `language`, at the root, with the site's own values."""

    code: str  # BCP 47, as site.toml spells it in canonical case: "fr", "pt-BR"
    prefix: str  # the folder of its pages: "" (the default language at the root) or "fr/"
    name: str  # the language's own name, for the switcher: "français", "العربية"
    title: str
    description: str
    menus: dict[str, tuple[MenuItem, ...]]  # as site.toml gives them; Site.menus adds articles'
    permalink: str  # article URLs inside `prefix`
    date_format: str  # a CLDR pattern such as "d MMMM y", or "" for the theme's
    headings: dict[str, str]  # widget name -> its heading; only those site.toml sets
    direction: str  # "ltr" or "rtl"
    default: bool  # the edition of `language`, the x-default of hreflang


class LanguageLink(NamedTuple):
    """One entry of the language switcher: the page in that language's edition (the same
    article or list there, else that edition's home)."""

    code: str
    name: str  # the language's own name
    url: str  # a site path from `seo.language_links`; the link itself in templates
    current: bool  # the page's own language
    direction: str = "ltr"  # the language's: "ltr" or "rtl" (for the link's dir attribute)


@dataclass(frozen=True)  # no slots: seo.py keeps a weak reference to it
class Site:
    config: Config
    articles: tuple[Article, ...]  # every built article, in the default order
    categories: tuple[Term, ...]  # alphabetical
    tags: tuple[Term, ...]
    authors: tuple[Term, ...]
    years: tuple[Archive, ...]  # newest first, each month newest first in `months`
    months: tuple[Archive, ...]
    menus: dict[str, tuple[MenuEntry, ...]]
    languages: tuple[str, ...]
    older: dict[str, Article]  # source -> the next older article of the same category
    newer: dict[str, Article]
    related: dict[str, tuple[Article, ...]]
    profiles: dict[str, AuthorProfile]
    corrections: tuple[CorrectionEntry, ...] = ()  # every correction on the site, newest first
    live: frozenset[str] = frozenset()  # sources of the live blogs whose coverage runs at the build clock
    hugo_sections: tuple[Section, ...] = ()  # a Hugo site's sections (generator/hugo/site.py)
    pictures: dict[str, Picture] = field(default_factory=dict)  # body <img> site path -> picture
    edition: Edition | None = None  # what this Site is the edition of (set by build_site)
    # With [languages]: one Site per edition, the default language's first. This Site is then
    # the whole newsroom: every article (hreflang, checks, the caches), but no lists of its own.
    edition_sites: tuple[Site, ...] = ()
    # With [languages]: a list page's path (its first page) -> {code: the same list's path in
    # each edition that has it}, for the pages with a counterpart (site.counterparts).
    counterparts: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def tags_by_use(self) -> tuple[Term, ...]:
        return tuple(sorted(self.tags, key=lambda t: (-t.count, t.name.lower())))

    @property
    def editions(self) -> tuple[Site, ...]:
        """The editions to make pages, feeds and sitemaps for: this Site itself without
        [languages]."""
        return self.edition_sites or (self,)

    def edition_of(self, lang: str) -> Site:
        """The edition whose pages an article (or page) of language `lang` is on."""
        for s in self.edition_sites:
            if s.edition is not None and s.edition.code == lang:
                return s
        return self.edition_sites[0] if self.edition_sites else self


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    path: str


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    pages: tuple[PageLink, ...]

    @property
    def first(self) -> PageLink:
        return self.pages[0]

    @property
    def last(self) -> PageLink:
        return self.pages[-1]

    @property
    def prev(self) -> PageLink | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.pages[self.number] if self.number < self.total else None

    @property
    def window(self) -> tuple[PageLink | None, ...]:
        """Numbered links to show: the first two, the last two, two either side of this page;
        None marks a gap. Computed here so a 500-page tag list costs ~10 steps, not 500."""
        shown = sorted({n for n in (1, 2, self.total - 1, self.total,
                                    *range(self.number - 2, self.number + 3))
                        if 1 <= n <= self.total})
        out: list[PageLink | None] = []
        for prev, n in zip([0, *shown], shown, strict=False):
            if n - prev > 1:
                out.append(None)
            out.append(self.pages[n - 1])
        return tuple(out)


def numbered(name: str, page: int) -> str:
    """A list page's title: its name, and from page 2 on, which page ("Tags (page 2)")."""
    return name if page == 1 else f"{name} (page {page})"


@dataclass(frozen=True, slots=True)
class ListPage:
    """A page of article summaries: home, a term, an archive."""

    kind: str  # "home", "categories", "tags", "authors", "archive"
    title: str  # `numbered(name, page)`
    name: str  # the list's own name; the theme shows it translated (render.page_title)
    path: str
    articles: tuple[Article, ...]
    pagination: Pagination
    sidebar: str | None
    widgets: tuple[str, ...]
    description: str = ""
    feed: str | None = None  # site path of the feed that belongs to this list
    json_feed: str | None = None  # its JSON Feed, for the site and each section
    term: Term | None = None
    profile: AuthorProfile | None = None
    intro: str = ""  # HTML shown above the list: a Hugo section's _index.md body
    lang: str = ""  # its edition's language (routes.py always sets it)
    archive: Archive | None = None  # a date archive's year or month (its title per language)


@dataclass(frozen=True, slots=True)
class IndexPage:
    """A page listing terms (/tags/, /categories/, /authors/) or archive periods (/archives/)."""

    kind: str
    title: str
    path: str
    terms: tuple[Term, ...] = ()
    terms_by_use: tuple[Term, ...] = ()
    years: tuple[Archive, ...] = ()
    corrections: tuple[CorrectionEntry, ...] = ()  # the /corrections/ page
    sidebar: str | None = None
    widgets: tuple[str, ...] = ()
    description: str = ""
    lang: str = ""  # its edition's language (routes.py always sets it)


@dataclass(frozen=True, slots=True)
class Redirect:
    path: str
    target: str  # site path of the article
    source: str = ""  # the article file that declares the alias
    lang: str = ""  # the language of the page it leads to


@dataclass(frozen=True, slots=True)
class Route:
    """One output file: where it goes, which template draws it, and what it shows."""

    path: str  # site path
    template: str
    page: Any


# what the article cache stores (Article and what it holds): see generator/pickling.py
fast_pickling(TocEntry, Variant, Picture, Image, LiveUpdate, LiveBlog, PageRef, Article)
