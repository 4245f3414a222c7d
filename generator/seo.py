"""Search and social metadata for article pages: NewsArticle JSON-LD (or its label's subtype, or
LiveBlogPosting), Open Graph/X cards, hreflang.

Pure functions of (Site, Article), so every value a crawler reads is computed in one tested place
and the theme only prints it. `generator.render` binds `site` with functools.partial and exposes
them to templates as `news_article_jsonld(page)`, `social_meta(page)` and `hreflang_links(page)`.
The rules behind each value are in docs/news.md. The language versions of any page (hreflang,
the sitemap's alternates, the language switcher) are here too: `versions`, `language_links`.
"""

from __future__ import annotations

import weakref
from typing import Any

from .config import Config
from .model import Article, LanguageLink, Site

FAVICON = "img/favicon.svg"  # the theme's icon: the publisher logo when the site sets no `logo`
PAYWALL_SELECTOR = ".paywall"  # templates/article.html puts this class on a paywalled body


def absolute_url(config: Config, src: str) -> str:
    """An image or page reference as an absolute URL: crawlers and share cards ignore relative ones.

    A path is a site path (a leading "/" means the site root, as for thumbnails), so a site
    served under /news/ still gets the right URL; "//host/x" takes the site's scheme.
    """
    if src.startswith(("http://", "https://")):
        return src
    if src.startswith("//"):
        return config.base_url.split("//", 1)[0] + src
    return config.absolute(src)


def twitter_handle(social: dict[str, str]) -> str | None:
    """`social.twitter` (or `social.x`) as "@handle": config may hold "name", "@name" or a URL."""
    value = (social.get("twitter") or social.get("x") or "").strip()
    if "://" in value:
        value = value.rstrip("/").rsplit("/", 1)[-1]
    value = value.lstrip("@")
    return f"@{value}" if value else None


def hreflang_code(lang: str) -> str:
    """BCP 47 as hreflang wants it ("pt_BR" -> "pt-br"): front matter may use either separator."""
    return lang.replace("_", "-").lower()


def og_locale(lang: str) -> str | None:
    """Open Graph's language_TERRITORY ("en-gb" -> "en_GB"); None for a bare language, which
    og:locale does not accept (Facebook then assumes en_US, so we say nothing rather than lie)."""
    parts = lang.replace("-", "_").split("_")
    if len(parts) != 2 or not all(parts):
        return None
    return f"{parts[0].lower()}_{parts[1].upper()}"


# The article's schema.org type by its `label`; a live blog is a LiveBlogPosting whatever its label.
ARTICLE_TYPES = {None: "NewsArticle", "opinion": "OpinionNewsArticle",
                 "analysis": "AnalysisNewsArticle", "sponsored": "AdvertiserContentArticle"}
# Config attributes (site.toml [publisher] keys) -> NewsMediaOrganization properties
PUBLISHER_PROPERTIES = {
    "publishing_principles": "publishingPrinciples", "corrections_policy": "correctionsPolicy",
    "ethics_policy": "ethicsPolicy", "masthead": "masthead",
    "ownership_funding_info": "ownershipFundingInfo",
}


def _publisher(config: Config) -> dict[str, Any]:
    """The site as publisher: a NewsMediaOrganization with its policy pages once `[publisher]`
    names any, else the plain Organization it always was."""
    policies = {prop: getattr(config, attr) for attr, prop in PUBLISHER_PROPERTIES.items()
                if getattr(config, attr)}
    data: dict[str, Any] = {
        "@type": "NewsMediaOrganization" if policies else "Organization",
        "name": config.title,
        "url": config.absolute(""),
        "logo": {"@type": "ImageObject", "url": absolute_url(config, config.logo or FAVICON)},
    }
    data.update({prop: absolute_url(config, url) for prop, url in policies.items()})
    return data


def _corrections(article: Article) -> list[dict[str, Any]]:
    """Each correction as a CorrectionComment; an undated one is dated by the article's lastmod,
    as on the /corrections/ page and in its feed."""
    return [{"@type": "CorrectionComment", "text": c.text,
             "datePublished": (c.date or article.lastmod).isoformat()}
            for c in article.corrections]


def _live_blog(article: Article, url: str) -> dict[str, Any]:
    """LiveBlogPosting's own properties: the coverage window and every update, newest first."""
    live = article.liveblog
    assert live is not None
    data: dict[str, Any] = {"coverageStartTime": live.start.isoformat()}
    if live.end is not None:
        data["coverageEndTime"] = live.end.isoformat()
    data["liveBlogUpdate"] = [
        {"@type": "BlogPosting", "headline": u.headline, "datePublished": u.time.isoformat(),
         "url": f"{url}#{u.anchor}", "articleBody": u.text}
        for u in live.updates]
    return data


def _authors(site: Site, article: Article) -> list[dict[str, Any]]:
    """Each byline name as a Person linking to its author page; with no byline at all, the
    publication itself (Google wants an author, and wire copy without a name is the desk's)."""
    config = site.config
    if not article.authors:
        return [{"@type": "Organization", "name": config.title, "url": config.absolute("")}]
    people = []
    for ref in article.authors:
        person: dict[str, Any] = {"@type": "Person", "name": ref.name,
                                  "url": config.absolute(ref.path)}
        profile = site.profiles.get(ref.slug)
        if profile is not None and profile.url:
            person["sameAs"] = [absolute_url(config, profile.url)]
        people.append(person)
    return people


def news_article_jsonld(site: Site, article: Article) -> dict[str, Any]:
    """schema.org NewsArticle for one article, as a plain dict (the `json_script` filter makes it
    safe inside <script>). Dates are the same values the byline shows, so the two never disagree."""
    config = site.config
    url = config.absolute(article.path)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting" if article.liveblog else ARTICLE_TYPES[article.label],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,  # kept whole even past Google's 110-character advice
    }
    if article.description:
        data["description"] = article.description
    if article.thumbnail is not None:
        picture = article.thumbnail.picture
        if picture is not None and picture.crops:  # Google: 16x9, 4x3 and 1x1, >= 1200 px wide
            data["image"] = [{"@type": "ImageObject", "url": absolute_url(config, c.path),
                              "width": c.width, "height": c.height} for _, c in picture.crops]
        else:
            data["image"] = [absolute_url(config, article.thumbnail.src)]
    data["datePublished"] = article.date.isoformat()
    data["dateModified"] = article.lastmod.isoformat()
    data["author"] = _authors(site, article)
    data["publisher"] = _publisher(config)
    if article.category is not None:
        data["articleSection"] = article.category.name
    if article.tags:
        data["keywords"] = [t.name for t in article.tags]
    data["inLanguage"] = article.lang
    if article.dateline:
        data["dateline"] = article.dateline
    if article.paywall:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False,
                           "cssSelector": PAYWALL_SELECTOR}
    if article.corrections:
        data["correction"] = _corrections(article)
    if article.liveblog is not None:
        data.update(_live_blog(article, url))
    return data


def social_meta(site: Site, article: Article) -> list[tuple[str, str, str]]:
    """Open Graph and X/Twitter tags as (attribute, key, content): OG uses `property`, X `name`."""
    config = site.config
    og: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:title", article.title),
    ]
    if article.description:
        og.append(("og:description", article.description))
    og.append(("og:url", config.absolute(article.path)))
    image = article.thumbnail
    if image is not None:
        card = dict(image.picture.crops).get("16x9") if image.picture else None
        if card is not None:  # the wide crop: what share cards and Discover show
            og += [("og:image", absolute_url(config, card.path)), ("og:image:type", card.mime),
                   ("og:image:width", str(card.width)), ("og:image:height", str(card.height))]
        else:
            og.append(("og:image", absolute_url(config, image.src)))
        alt = article.params.get("thumbnail_alt")
        if isinstance(alt, str) and alt:
            og.append(("og:image:alt", alt))
    og.append(("og:site_name", config.title))
    locale = og_locale(article.lang)
    if locale:
        og.append(("og:locale", locale))
    og += [
        ("article:published_time", article.date.isoformat()),
        ("article:modified_time", article.lastmod.isoformat()),
    ]
    if article.category is not None:
        og.append(("article:section", article.category.name))
    og += [("article:tag", t.name) for t in article.tags]
    og += [("article:author", config.absolute(a.path)) for a in article.authors]
    out = [("property", key, value) for key, value in og]
    out.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    handle = twitter_handle(config.social)
    if handle:
        out.append(("name", "twitter:site", handle))
    return out


# --- hreflang -----------------------------------------------------------------------------
# translation_key -> {hreflang code -> article}, built once per Site. Site is a frozen dataclass
# with dict fields, so it cannot be a dict key itself: key on id() and keep a weak reference to
# tell a live Site from a dead one whose id was reused; the finalizer drops the entry with it.
_Index = dict[str, dict[str, Article]]
_INDEXES: dict[int, tuple[weakref.ref[Site], _Index]] = {}


def translation_index(site: Site) -> _Index:
    """Translation groups of the whole site, computed on the first call and then reused, so
    `hreflang_links` costs O(group size) per page instead of O(articles) (10,000 pages)."""
    entry = _INDEXES.get(id(site))
    if entry is not None and entry[0]() is site:
        return entry[1]
    index: _Index = {}
    for a in site.articles:  # default order: the first article of a language wins a collision
        index.setdefault(a.translation_key, {}).setdefault(hreflang_code(a.lang), a)
    key = id(site)
    _INDEXES[key] = (weakref.ref(site), index)
    weakref.finalize(site, _INDEXES.pop, key, None)
    return index


def versions(site: Site, page: Any) -> dict[str, str]:
    """The page in each language that has it, as {edition code: site path}, the page itself
    included: an article's translations (same translationKey, or file name), or for a list
    page of an edition the same list in the others (`Site.counterparts`: homes, index pages,
    archives, authors, terms linked by `[terms]`). Empty for a page with no counterpart; a
    list's later pages answer for its first (its counterparts are lists, not page numbers)."""
    if isinstance(page, Article):
        found = translation_index(site).get(page.translation_key, {})
        codes = {hreflang_code(s.edition.code): s.edition.code for s in site.edition_sites
                 if s.edition is not None}
        if not codes:  # no [languages]: every language version, by its own lang
            return {a.lang: a.path for a in found.values()}
        return {codes[code]: a.path for code, a in found.items() if code in codes}
    if not site.counterparts:
        return {}
    pagination = getattr(page, "pagination", None)
    path = pagination.first.path if pagination is not None else getattr(page, "path", None)
    return site.counterparts.get(path, {}) if isinstance(path, str) else {}


def hreflang_links(site: Site, page: Any) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for every language version of this page, itself included
    (Google ignores a set without the self-reference), plus x-default for the site's main
    language; empty when the page has no translation. An article's versions are its
    translations; with [languages] a list page's are the same list in the other editions
    (`versions`), given on its first page only."""
    config = site.config
    if isinstance(page, Article):
        found = dict(translation_index(site).get(page.translation_key, {}))
        found[hreflang_code(page.lang)] = page  # this page always speaks for its language
        paths = {code: a.path for code, a in found.items()}
    elif getattr(page, "pagination", None) is not None and page.pagination.number > 1:
        return []
    else:
        paths = {hreflang_code(code): path for code, path in versions(site, page).items()}
    if len(paths) < 2:
        return []
    links = [(code, config.absolute(path)) for code, path in sorted(paths.items())]
    default = paths.get(hreflang_code(config.language))
    if default is not None:
        links.append(("x-default", config.absolute(default)))
    return links


def language_links(site: Site, page: Any) -> tuple[LanguageLink, ...]:
    """The language switcher of a page, one entry per edition in the site's order: the same
    article or list in that language (`versions`), else that edition's home. Empty without
    [languages]. `site` is the whole site (`Site.edition_sites`)."""
    if not site.edition_sites:
        return ()
    lang = getattr(page, "lang", "") or site.config.language
    found = versions(site, page)
    here = getattr(page, "path", None)
    if getattr(page, "kind", "") == "404":
        here = None  # served at any address: its own language's entry is that edition's home
    out = []
    for s in site.edition_sites:
        ed = s.edition
        assert ed is not None
        current = ed.code == lang
        path = here if current and here is not None else found.get(ed.code, ed.prefix)
        out.append(LanguageLink(ed.code, ed.name, path, current, ed.direction))
    return tuple(out)
