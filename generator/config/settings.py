"""Every site setting, declared once: `Config`'s fields are the `site.toml` keys.

Each field made with `setting(default, help, kind)` is one key: the field is the attribute the
stages and templates read (`config.paginate`), with its type hint and default; its metadata says
the TOML key, how a value is checked and one line of help. Validation (`load.parse_config`),
`broadsheet init`'s commented `site.toml` (`scaffold.site_toml`) and docs/configuration.md
(`reference.markdown`) all walk these fields, so nothing else lists the keys. We chose fields
with metadata over a separate `SETTINGS` tuple (MkDocs' `config/defaults.py` style) so that
`Config` stays a plain frozen dataclass whose every field editors and type checkers see, and a
setting's declaration and its attribute are the same line and cannot drift apart.

To add a setting, add one field here, e.g.

    websub_hub: str = setting("", "WebSub hub announced in the feeds; empty: none", Text())

- the TOML key is the field name; `key="table.name"` puts it in a table (a new table also needs
  its note in `TABLES`). A table of entries (like `[[menu.main]]`) is a record class whose
  fields are `setting()`s too, read by the `Entries` or `Profiles` kind;
- the kind follows from the default (a string, a whole number of at least 1, true or false) or is
  one of `kinds.py`: `Text`, `Choice`, `Url`, `Whole(least=0)`, `Flag`, `Place`, `Names`,
  `Subset`, `Table`, or a new `Kind` subclass for a new rule (its error says what is allowed);
- `intro=` writes a comment line above the key in `broadsheet init`; `overrides=` names the front
  matter field that overrides it per article (the docs say so);
- then refresh the reference: `python -m generator.config.reference > docs/configuration.md`
  (tests/test_config.py fails, saying so, until it matches).

Fields without `setting()` (site_dir, output_dir, drafts, future, now) are not in site.toml: the
command line and `load_config` set them. Key names follow the Mainroad/Hugo params a newsroom
migrating from Hugo already knows; every key has a working default, so a site folder with only
`content/` builds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import Problem
from .kinds import (
    Choice,
    DatePattern,
    Entries,
    HugoPattern,
    Key,
    Labels,
    LanguageTag,
    Link,
    Matches,
    Names,
    Pattern,
    Place,
    Profiles,
    Subset,
    Table,
    TermNames,
    Text,
    TimeZone,
    Url,
    Whole,
    Widths,
    Words,
    setting,
)

SIDEBAR_VALUES = ("left", "right")
WIDGET_NAMES = ("search", "recent", "categories", "taglist", "languages", "social", "sidemenu")
THUMBNAIL_VISIBILITY = ("list", "post")
INDEXNOW_ENDPOINT = "https://api.indexnow.org/indexnow"
"""The shared IndexNow endpoint: it passes each submission on to every participating engine."""
PERMALINK_TOKENS = (":year", ":month", ":day", ":slug", ":category", ":lang")
POST_META = ("author", "date", "categories", "translations", "reading")
EMBED_HOSTS = ("youtube", "vimeo", "x", "instagram", "gist")
"""The hosts whose Hugo embed shortcodes can load the host's player (`hugo.embeds`)."""
TERM_TAXONOMIES = ("categories", "tags")
"""The taxonomies whose terms `[terms]` names in other languages (an author's name is theirs)."""
HUGO_TOKENS = (":year", ":month", ":monthname", ":day", ":weekday", ":weekdayname", ":yearday",
               ":section", ":sections", ":title", ":slug", ":filename", ":slugorfilename",
               ":contentbasename", ":slugorcontentbasename")
"""Hugo's permalink tokens, as `[permalinks]` takes them (generator/hugo/permalinks.py)."""

# The note of each table of dotted keys (tables of entries carry theirs as the setting's help).
TABLES = {
    "sidebar": 'sidebar position by kind of page: "left", "right" or false',
    "widgets": "settings of the sidebar widgets",
    "thumbnail": "where article thumbnails show",
    "images": "raster images resized to responsive widths and crops (docs/images.md)",
    "indexnow": "after a deploy, submit the changed pages to search engines (docs/deploy.md)",
    "websub": "after a deploy, ping a WebSub hub for each changed feed (docs/deploy.md)",
    "publisher": "the publication's policy pages, named in its structured data (docs/news.md)",
    "hugo": "a site moved from Hugo keeps its URLs and shortcodes (docs/migrating-from-hugo.md)",
}


@dataclass(frozen=True)
class MenuItem:
    """One `[[menu.NAME]]` entry of site.toml."""

    name: str = setting(help="the label", sample="World", required=True)
    url: str = setting(help="a site path or a full URL", sample="/categories/world/", required=True)
    weight: int = setting(0, "lower first; 0: after the weighted entries, by name", Whole(least=None),
                          sample=1)
    identifier: str = setting("", "accepted for Hugo menus; not used")


@dataclass(frozen=True)
class AuthorProfile:
    """One `[authors.SLUG]` table of site.toml; the slug is the table's name."""

    slug: str
    name: str = setting(help="shown in bylines", sample="Jane Doe")
    bio: str = setting("", "shown in the author box and on the author page",
                       sample="Covers energy and trade.")
    avatar: str = setting("", "image path, shown in the author box", sample="/img/jane.png")
    url: str = setting("", "the author's own page, for structured data (sameAs)")


@dataclass(frozen=True)
class SectionSettings:
    """One `[sections.SLUG]` table of site.toml; the slug (a category's, or its folder name) is
    the table's name."""

    slug: str
    title: str = setting(help="the section's name as readers see it; the slug stays in URLs",
                         kind=Matches(r".*\S.*", "a name that is not empty"), sample="World")


@dataclass(frozen=True)
class LanguageSettings:
    """One `[languages.CODE]` table of site.toml: the edition of the site in that language; the
    code (a BCP 47 tag) is the table's name. Empty values are the site's own (docs/languages.md);
    generator/site.py resolves them into an `Edition`."""

    code: str
    title: str = setting("", "the edition's name (header, feeds); empty: the site's title",
                         sample="Le Quotidien")
    description: str = setting("", "its home page description and feed subtitle; empty: the "
                                   "site's", sample="Le journal de la côte, en français.")
    name: str = setting("", "the language in the switcher; empty: its own name from CLDR "
                            '("français")')
    permalink: str = setting("", "article URLs inside the edition's folder; empty: the site's "
                                 "permalink", Pattern(PERMALINK_TOKENS, off=True))
    date_format: str = setting("", "how dates show in this edition; empty: the theme's",
                               DatePattern(), sample="d MMMM y")
    direction: str = setting("", 'text direction; empty: the language\'s own (CLDR: "rtl" for '
                                 'ar, he, fa ...)', Choice(("ltr", "rtl", "")))
    headings: dict[str, str] = setting(
        factory=dict, kind=Labels(keys=(Key("languages", "Langues", "the languages widget"),),
                                  names=WIDGET_NAMES, what="widget"),
        help="the sidebar widgets' headings in this edition, by widget name",
        sample={"languages": "Langues"})
    menus: dict[str, tuple[MenuItem, ...]] = setting(
        factory=dict, key="menu", kind=Entries(MenuItem, sample="main"),
        help="the edition's own menus (main, footer, side), entries as in [[menu.NAME]]; a "
             "menu it does not set is the site's",
        sample={"main": [{"name": "Monde", "url": "/fr/categories/monde/", "weight": 1,
                          "identifier": ""}]})


_SIDE = Place(SIDEBAR_VALUES)


@dataclass(frozen=True)
class Config:
    """Every setting of one build, resolved and validated; templates see it as `site.config`."""

    site_dir: Path = Path(".")
    output_dir: Path = Path("output")
    title: str = setting("Broadsheet", "site name: <title>, header, feeds, JSON-LD publisher")
    base_url: str = setting("http://localhost:8000/", "absolute URL of the site root, may have a path",
                            Url())
    language: str = setting("en", "default article language; with [languages], the edition at the "
                            "site root", LanguageTag())
    default_language_in_subdir: bool = setting(
        False, "with [languages]: the default language's edition under /CODE/ like the others "
               "(the root page then sends readers there)")
    timezone: str = setting("UTC", "IANA name for dates without an offset", TimeZone())
    paginate: int = setting(10, "articles per list page")
    summary_words: int = setting(70, "length of automatic summaries, in words")
    permalink: str = setting("/:category/:slug/", "article URLs; also :year :month :day :lang",
                             Pattern(PERMALINK_TOKENS))
    slug_source: str = setting("title", "what an article's slug is made of",
                               Choice(("title", "filename")))
    slug_unicode: bool = setting(False, "true keeps non-ASCII letters in URLs")
    relative_urls: bool = setting(False, "true for hosting at an unknown path")
    description: str = setting("", "home page meta description; feed subtitle")
    copyright: str = setting("", "footer text; empty: © and the site title")
    author: str = setting("", "byline for articles without author")
    logo: str = setting("", "logo image path for structured data")
    feed_items: int = setting(20, "articles in each feed")
    related_num: int = setting(4, "related articles under each article", Whole(least=None))
    search: bool = setting(True, "full-text search: the /search/ page and its index in search-index/")
    main_sections: tuple[str, ...] = setting(
        (), "content folders whose articles the home page lists; empty: all of them (with "
            "hugo.rules: the folder with the most articles, as Hugo does)", Words("folder name"))
    post_meta: tuple[str, ...] = setting(
        ("author", "date", "categories", "reading"), "what the line under a headline shows, in "
        "this order", Names(POST_META, "post meta"))
    toc: bool = setting(False, "table of contents before the body", overrides="toc",
                        intro="Site values that an article's front matter overrides (true or false).")
    pager: bool = setting(True, "previous/next links in the section", overrides="pager")
    authorbox: bool = setting(False, '"About the author" box', overrides="authorbox")
    mathjax: bool = setting(False, "load the math renderer", overrides="mathjax")
    sidebar_home: str | None = setting("right", "on the home page", _SIDE, key="sidebar.home")
    sidebar_list: str | None = setting("right", "on sections, tags, archives, 404", _SIDE,
                                       key="sidebar.list")
    sidebar_single: str | None = setting("right", "on articles", _SIDE, key="sidebar.single",
                                         overrides="sidebar")
    sidebar_widgets: tuple[str, ...] = setting(
        ("search", "recent", "categories", "taglist"), "in this order", Names(WIDGET_NAMES, "widget"),
        key="sidebar.widgets", overrides="widgets", intro=f"Widget names: {', '.join(WIDGET_NAMES)}.")
    recent_num: int = setting(5, "articles in the recent widget", key="widgets.recent_num")
    categories_counter: bool = setting(True, "article count per section",
                                       key="widgets.categories_counter")
    tags_counter: bool = setting(True, "article count per tag", key="widgets.tags_counter")
    taglist_max: int = setting(50, "most-used tags in the widget; all of them on /tags/",
                               key="widgets.taglist_max")
    image_widths: tuple[int, ...] = setting(
        (480, 800, 1200, 1600), "widths body images and thumbnails are resized to (never "
        "larger than the original)", Widths(), key="images.widths")
    image_format: str = setting(
        "webp", "the modern format written beside the JPEG/PNG fallback (AVIF is smaller and "
        "several times slower to encode)", Choice(("webp", "avif")), key="images.format")
    image_quality: int = setting(80, "encoder quality, 1-100", Whole(least=1),
                                 key="images.quality")
    image_sizes: str = setting(
        "(min-width: 50rem) 46rem, 100vw", "the `sizes` attribute of body images: how wide "
        "they show at each viewport width", Text(), key="images.sizes")
    thumbnail_visibility: tuple[str, ...] = setting(
        ("list", "post"), "list pages and/or the article page", Subset(THUMBNAIL_VISIBILITY),
        key="thumbnail.visibility")
    menus: dict[str, tuple[MenuItem, ...]] = setting(
        factory=dict, key="menu", kind=Entries(MenuItem, sample="main"),
        help="one entry of a menu (main, footer or side); repeat the block")
    authors: dict[str, AuthorProfile] = setting(
        factory=dict, kind=Profiles(AuthorProfile, from_key=("name",), sample="jane-doe"),
        help="an author profile; the key is the slug")
    sections: dict[str, SectionSettings] = setting(
        factory=dict, kind=Profiles(SectionSettings, from_key=("title",), sample="world"),
        help="a section's display name; the key is its slug or folder name")
    languages: dict[str, LanguageSettings] = setting(
        factory=dict, kind=Profiles(LanguageSettings, key_field="code", sample="fr",
                                    names=LanguageTag(canonical=True)),
        help="an edition of the site in another language (or the default language's own "
             "settings); the key is its BCP 47 code. None: one site, as before "
             "(docs/languages.md)")
    terms: dict[str, dict[str, dict[str, str]]] = setting(
        factory=dict, kind=TermNames(keys=(Key("tags.energy.fr", "énergie",
                                               "the term's name in the edition of language CODE "
                                               "(its slug is that edition's URL)"),),
                                     taxonomies=TERM_TAXONOMIES),
        help="a category or tag in the other editions, so its pages are each other's "
             "translations (hreflang, the language switcher)")
    comments: dict[str, Any] = setting(
        factory=dict, help="comments under articles; no provider: none anywhere", kind=Table(keys=(
            Key("provider", "", '"giscus", "utterances" or "disqus"'),
            Key("repo", "", 'giscus/utterances: "owner/repository"'),
            Key("repo_id", "", "giscus: from giscus.app"),
            Key("category", "", "giscus: the discussion category; empty: Announcements"),
            Key("category_id", "", "giscus: from giscus.app"),
            Key("shortname", "", "disqus: the site's shortname"))))
    social: dict[str, str] = setting(
        factory=dict, help="profile links in the social widget: network = handle or URL",
        kind=Table(Text(), keys=(Key("twitter", "", "a handle; also used for twitter:site"),)))
    permalinks: dict[str, str] = setting(
        factory=dict, help="with hugo.rules: a Hugo URL pattern per section (content folder)",
        kind=Table(HugoPattern(tokens=HUGO_TOKENS), keys=(
            Key("post", "/:year/:month/:slug/", "the articles under content/post/",
                allowed=f"a URL pattern; tokens: {' '.join(HUGO_TOKENS)}"),)))
    params: dict[str, Any] = setting(
        factory=dict, kind=Table(),
        help="site parameters, for the param shortcode and templates (`config.params`)")
    hugo_rules: bool = setting(
        False, "Hugo's rules for content/: URLs by folder and file name, _index.md section pages, "
               "page bundles, shortcodes; on when a Hugo config file is present", key="hugo.rules")
    hugo_embeds: tuple[str, ...] = setting(
        (), "hosts whose embed shortcodes load the host's player (a request to it when read); "
            "the others show a link", Subset(EMBED_HOSTS), key="hugo.embeds")
    indexnow_key: str = setting(
        "", "your key; the build writes KEY.txt, which proves the URLs are yours; empty: off",
        Matches(r"[A-Za-z0-9-]{8,128}", "8 to 128 letters a-z, A-Z, digits 0-9 and dashes",
                off=True), key="indexnow.key")
    indexnow_endpoint: str = setting(
        INDEXNOW_ENDPOINT, "where the URLs go; the shared endpoint tells every engine", Url(),
        key="indexnow.endpoint")
    websub_hub: str = setting("", "hub named in every feed (rel=hub), pinged after deploys; empty: off",
                              Url(off=True), key="websub.hub")
    publishing_principles: str = setting("", "page on how the newsroom works (publishingPrinciples)", Link(),
                                         key="publisher.publishing_principles")
    corrections_policy: str = setting("", "corrections policy (correctionsPolicy); linked from /corrections/",
                                      Link(), key="publisher.corrections_policy")
    ethics_policy: str = setting("", "ethics policy (ethicsPolicy)", Link(), key="publisher.ethics_policy")
    masthead: str = setting("", "who is who in the newsroom (masthead)", Link(),
                            key="publisher.masthead")
    ownership_funding_info: str = setting("", "who owns and funds it (ownershipFundingInfo)",
                                          Link(), key="publisher.ownership_funding_info")
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    warnings: tuple[Problem, ...] = ()  # about the configuration (a Hugo key we do not support)
    templates_key: str = ""  # a hash of templates/shortcodes/: Hugo articles are cached under it

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always with leading and trailing slash ("/" or "/news/")."""
        return _base_path(self.base_url)  # worked out once per base_url: pages ask often

    @property
    def site_root(self) -> str:
        """Scheme and host of base_url ("https://example.org"), for absolute URLs."""
        return _site_root(self.base_url)

    @property
    def comments_provider(self) -> str:
        return str(self.comments.get("provider", "") or "")

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path such as "world/some-slug/"."""
        return _site_root(self.base_url) + _base_path(self.base_url) + path.lstrip("/")


@functools.lru_cache(maxsize=16)
def _base_path(base_url: str) -> str:
    rest = base_url.split("://", 1)[-1]
    path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return path if path.endswith("/") else path + "/"


@functools.lru_cache(maxsize=16)
def _site_root(base_url: str) -> str:
    scheme, rest = base_url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"
