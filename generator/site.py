"""Articles -> Site: default order, taxonomies, archives, pager neighbours, menus, related.

Everything here is computed once per build and shared by every page that needs it, so no
template sorts or filters a list of 10,000 articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from itertools import chain, pairwise

from babel import Locale, UnknownLocaleError

from .config import Config, LanguageSettings
from .errors import ContentError, Report
from .model import Archive, Article, CorrectionEntry, Edition, MenuEntry, Site, Term, TermRef
from .urls import CORRECTIONS_PATH, edition_prefix, slugify

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def _canonical_terms(articles: Iterable[Article], config: Config) -> dict[tuple[str, str], str]:
    """A term written two ways ("Energy", "energy") is one term named by its first spelling;
    a section named in site.toml (`[sections.world] title = "World"`) takes that name."""
    names: dict[tuple[str, str], str] = {}
    for a in sorted(articles, key=lambda a: a.source):
        for ref in (*a.categories, *a.tags, *a.authors):
            names.setdefault((ref.taxonomy, ref.slug), ref.name)
    for key, section in config.sections.items():
        slug = slugify(key, keep_unicode=config.slug_unicode)
        if ("categories", slug) in names:
            names[("categories", slug)] = section.title.strip()
    return names


def _rename(article: Article, names: dict[tuple[str, str], str]) -> Article:
    def fix(refs: tuple[TermRef, ...]) -> tuple[TermRef, ...]:
        if all(r.name == names[(r.taxonomy, r.slug)] for r in refs):
            return refs  # the usual case: no copies made (37,000 refs at 10,000 articles)
        return tuple(replace(r, name=names[(r.taxonomy, r.slug)]) for r in refs)

    cats, tags, auths = fix(article.categories), fix(article.tags), fix(article.authors)
    if cats is article.categories and tags is article.tags and auths is article.authors:
        return article
    return replace(article, categories=cats, tags=tags, authors=auths)


def _terms(taxonomy: str, articles: tuple[Article, ...], names: dict[tuple[str, str], str],
           prefix: str = "") -> tuple[Term, ...]:
    members: dict[str, list[Article]] = defaultdict(list)
    for a in articles:  # already in the default order, so each term's list is too
        for ref in getattr(a, taxonomy):
            members[ref.slug].append(a)
    terms = [Term(taxonomy, names[(taxonomy, slug)], slug, tuple(items), prefix)
             for slug, items in members.items()]
    return tuple(sorted(terms, key=lambda t: (t.name.lower(), t.slug)))


def _archives(articles: tuple[Article, ...], config: Config, prefix: str = ""
              ) -> tuple[tuple[Archive, ...], tuple[Archive, ...]]:
    by_year: dict[int, list[Article]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for a in articles:
        local = a.date.astimezone(config.tz)
        by_year[local.year].append(a)
        by_month[(local.year, local.month)].append(a)
    years = tuple(Archive(f"{prefix}{y:04d}/", str(y), y, None, tuple(by_year[y]))
                  for y in sorted(by_year, reverse=True))
    months = tuple(Archive(f"{prefix}{y:04d}/{m:02d}/", f"{MONTHS[m - 1]} {y}", y, m,
                           tuple(by_month[(y, m)]))
                   for y, m in sorted(by_month, reverse=True))
    return years, months


def _neighbours(articles: tuple[Article, ...]) -> tuple[dict[str, Article], dict[str, Article]]:
    """Pager: previous is the next older article of the same category, next the next newer."""
    by_cat: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_cat[a.category.slug if a.category else ""].append(a)
    older: dict[str, Article] = {}
    newer: dict[str, Article] = {}
    for items in by_cat.values():
        # list order (newest first, then title, then path), so ties read as the lists show them
        items.sort(key=lambda a: (-a.date.timestamp(), a.title, a.source))
        for later, earlier in pairwise(items):
            older[later.source] = earlier
            newer[earlier.source] = later
    return older, newer


def _menus(articles: tuple[Article, ...], config: Config) -> dict[str, tuple[MenuEntry, ...]]:
    entries: dict[str, list[MenuEntry]] = defaultdict(list)
    for name, items in config.menus.items():
        for item in items:
            url = item.url if "://" in item.url else item.url.lstrip("/")
            entries[name].append(MenuEntry(item.name, url, item.weight))
    for a in articles:
        for ref in a.menus:
            # the menu position comes from the menu entry, never from the article's list weight
            entries[ref.menu].append(MenuEntry(ref.name or a.title, a.path, ref.weight or 0))
    return {name: tuple(sorted(items, key=lambda e: (e.weight == 0, e.weight, e.name)))
            for name, items in entries.items()}


def related_articles(articles: tuple[Article, ...], tags: tuple[Term, ...], limit: int,
             cap: int = 100) -> dict[str, tuple[Article, ...]]:
    """Most shared tags, then newest. Each tag contributes at most its `cap` newest members,
    which keeps this linear at 10,000 articles while very common tags add little signal anyway.
    Translations of the article itself are not "related".

    An article's candidates are the members of its tags; only those in two or more of them
    (the pairwise intersections, small) need counting, and the rest are taken newest first
    from the heads of the tags' lists, as few as are wanted. Counting every candidate instead
    (a Counter of ~250 a tag set at 100,000 articles) was 5 s there; tests hold both equal."""
    by_age = sorted(range(len(articles)), key=lambda i: (-articles[i].date.timestamp(),
                                                          articles[i].source))
    rank = {articles[i].source: r for r, i in enumerate(by_age)}  # 0 = newest
    newest_first = [articles[i] for i in by_age]
    members: dict[str, list[int]] = {}
    for t in tags:
        members[t.slug] = sorted(rank[a.source] for a in t.articles)[:cap]
    sets = {slug: frozenset(found) for slug, found in members.items()}
    want = limit * 2  # ranked before translations of the article are dropped
    out: dict[str, tuple[Article, ...]] = {}
    for a in articles:
        slugs = [ref.slug for ref in a.tags if ref.slug in members]
        me = rank[a.source]
        multi: set[int] = set()
        for i, slug in enumerate(slugs):
            for other in slugs[i + 1:]:
                multi |= sets[slug] & sets[other]
        multi.discard(me)
        if len(slugs) > 2:
            best = sorted(multi, key=lambda r: (-sum(r in sets[s] for s in slugs), r))[:want]
        else:  # each is in both
            best = sorted(multi)[:want]
        if len(best) < want:
            # a single's place in its own list is under want + len(multi) + 1 (everything
            # before it there is a newer single, a multi or the article itself)
            heads = len(multi) + want + 1
            singles = set(chain.from_iterable(members[s][:heads] for s in slugs))
            singles.difference_update(multi)
            singles.discard(me)
            best += sorted(singles)[:want - len(best)]
        picks = [newest_first[r] for r in best
                 if newest_first[r].translation_key != a.translation_key]
        out[a.source] = tuple(picks[:limit])
    return out


def _corrections(articles: tuple[Article, ...]) -> tuple[CorrectionEntry, ...]:
    """Every correction on the site, newest first; an undated one counts from its article's
    lastmod (the article was updated to carry it)."""
    entries = [CorrectionEntry(a, n, c.text, c.date, c.date or a.lastmod)
               for a in articles for n, c in enumerate(a.corrections, 1)]
    return tuple(sorted(entries, key=lambda e: (-e.when.timestamp(), e.article.source, e.number)))


# What works out each article's related articles: `related_articles`, or the build's cache of
# its results (generator/cache/related.py), called with (articles, tags, limit).
Related = Callable[[tuple[Article, ...], tuple[Term, ...], int], dict[str, tuple[Article, ...]]]


def build_site(articles: Iterable[Article], config: Config, now: datetime | None = None,
               related: Related | None = None) -> Site:
    """The site model. `now`, the build clock (default: `--now`, else the real time), decides
    which live blogs show as running.

    Without [languages], one Site of every article, as it always was. With them, one Site per
    edition over that language's articles (lists, terms, widgets, pager and related stay inside
    it), held by a Site of the whole newsroom (`edition_sites`; its own lists are empty)."""
    now = now or config.now or datetime.now(UTC)
    items = list(articles)
    found = editions(config)
    if not config.languages:
        return _edition_site(items, config, now, found[0], tuple(sorted({a.lang for a in items})),
                             related)
    codes = tuple(ed.code for ed in found)
    by_lang: dict[str, list[Article]] = defaultdict(list)
    for a in items:
        by_lang[a.lang].append(a)
    sites = tuple(_edition_site(by_lang.get(ed.code, []), edition_config(config, ed), now, ed,
                                codes, related) for ed in found)
    return Site(
        config=config,
        articles=tuple(sorted((a for s in sites for a in s.articles), key=Article.sort_key)),
        categories=(), tags=(), authors=(), years=(), months=(), menus={},
        languages=codes,
        older={}, newer={}, related={},
        profiles={p.slug: p for p in config.authors.values()},
        live=frozenset().union(*(s.live for s in sites)),
        edition=found[0],
        edition_sites=sites,
        counterparts=_counterparts(sites, config),
    )


def _edition_site(items: list[Article], config: Config, now: datetime, edition: Edition,
                  languages: tuple[str, ...], related: Related | None = None) -> Site:
    """One edition's Site (or, without [languages], the site): its articles in the default
    order, their terms, archives, pager neighbours, menus and related articles. `languages`:
    the site's editions, or without them the languages its articles are in."""
    related = related or related_articles
    names = _canonical_terms(items, config)
    ordered = tuple(sorted((_rename(a, names) for a in items), key=Article.sort_key))
    prefix = edition.prefix
    tags = _terms("tags", ordered, names, prefix)
    years, months = _archives(ordered, config, prefix)
    older, newer = _neighbours(ordered)
    return Site(
        config=config,
        articles=ordered,
        categories=_terms("categories", ordered, names, prefix),
        tags=tags,
        authors=_terms("authors", ordered, names, prefix),
        years=years,
        months=months,
        menus=_menus(ordered, config),
        languages=languages,
        older=older,
        newer=newer,
        related=related(ordered, tags, config.related_num),
        profiles={p.slug: p for p in config.authors.values()},
        corrections=_corrections(ordered),
        live=frozenset(a.source for a in ordered
                       if a.liveblog is not None and a.liveblog.running(now)),
        edition=edition,
    )


# --- editions -------------------------------------------------------------------------------


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return None  # a tag CLDR does not know ("x-" private use is refused before this)


def editions(config: Config) -> tuple[Edition, ...]:
    """Every edition of the site, the default language's first, then [languages] in the order
    site.toml gives them. An empty value of `[languages.CODE]` is the site's own (title,
    description, permalink, each menu it does not set); the name and direction are CLDR's.
    Without [languages]: the one edition of `language`, at the root."""
    codes = dict.fromkeys((config.language, *config.languages))
    return tuple(_edition(config, code) for code in codes)


def _edition(config: Config, code: str) -> Edition:
    own = config.languages.get(code) or LanguageSettings(code)
    default = code == config.language
    locale = _locale(code)
    return Edition(
        code=code,
        prefix=edition_prefix(code, default, config.default_language_in_subdir)
        if config.languages else "",
        name=own.name or (locale.get_display_name(locale) or code if locale else code),
        title=own.title or config.title,
        description=own.description or config.description,
        menus={**config.menus, **own.menus},
        permalink=own.permalink or config.permalink,
        date_format=own.date_format,
        headings=dict(own.headings),
        direction=own.direction or (locale.text_direction if locale else "ltr"),
        default=default,
    )


def edition_config(config: Config, edition: Edition) -> Config:
    """The settings an edition's pages, feeds and widgets read (`site.config` of its Site): the
    site's, with the edition's title, description, menus, permalink and `language` its code.
    Only the whole site's config says which edition is the default: resolve editions from it."""
    return replace(config, title=edition.title, description=edition.description,
                   menus=edition.menus, permalink=edition.permalink, language=edition.code)


def article_edition(config: Config, lang: str) -> tuple[str, str]:
    """(prefix, permalink) of the edition an article in `lang` is on: where make_article puts
    it. Cheap (no CLDR): it runs once per article."""
    if not config.languages:
        return "", config.permalink
    own = config.languages.get(lang)
    prefix = edition_prefix(lang, lang == config.language, config.default_language_in_subdir)
    return prefix, (own.permalink if own and own.permalink else config.permalink)


def _term_keys(config: Config) -> dict[tuple[str, str, str], str]:
    """`[terms]` as (taxonomy, language, slug there) -> the default language's slug: the one
    name a term has in every edition."""
    keep = config.slug_unicode
    out = {}
    for taxonomy, terms in config.terms.items():
        for term, names in terms.items():
            home = slugify(term, keep_unicode=keep)
            out[(taxonomy, config.language, home)] = home
            for code, name in names.items():
                out[(taxonomy, code, slugify(name, keep_unicode=keep))] = home
    return out


def _counterparts(sites: tuple[Site, ...], config: Config) -> dict[str, dict[str, str]]:
    """Which list pages are the same list in other editions: the home pages, the index pages
    (/tags/, /archives/ ...), an archive period, an author, and a category or tag by its
    `[terms]` translation, else by its slug. Keyed by each such page's path, for the pages
    that have at least one counterpart."""
    renamed = _term_keys(config)
    lists: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
    for s in sites:
        assert s.edition is not None
        code, prefix = s.edition.code, s.edition.prefix
        own: dict[tuple[str, ...], str] = {("home",): prefix}
        for index in ("categories", "tags", "authors", "archives"):
            own[("index", index)] = f"{prefix}{index}/"
        if config.search:
            own[("index", "search")] = f"{prefix}search/"
        if s.corrections:
            own[("index", "corrections")] = prefix + CORRECTIONS_PATH
        for archive in (*s.years, *s.months):
            own[("archive", archive.path[len(prefix):])] = archive.path
        translated = [t for t in (*s.categories, *s.tags) if (t.taxonomy, code, t.slug) in renamed]
        for term in translated:  # a translation in [terms] first: it wins over a same slug
            own[(term.taxonomy, renamed[(term.taxonomy, code, term.slug)])] = term.path
        for term in (*s.categories, *s.tags, *s.authors):
            own.setdefault((term.taxonomy, term.slug), term.path)
        for key, path in own.items():
            lists[key][code] = path
    return {path: paths for paths in lists.values() if len(paths) > 1 for path in paths.values()}


def check_languages(articles: Iterable[Article], visible: Iterable[Article], config: Config,
                    report: Report) -> None:
    """With [languages]: an article in a language without an edition, and two built articles
    that are the same translation in one language, are errors (all of them reported)."""
    if not config.languages:
        return
    codes = tuple(dict.fromkeys((config.language, *config.languages)))  # the editions' codes
    for a in articles:
        if a.lang not in codes:
            report.error(ContentError(a.source, f"lang {a.lang!r} is not one of the site's "
                                                f"languages: {', '.join(codes)} ([languages] in "
                                                "site.toml)", field="lang"))
    first: dict[tuple[str, str], Article] = {}
    for a in sorted(visible, key=lambda a: a.source):
        other = first.setdefault((a.translation_key, a.lang), a)
        if other is not a:
            report.error(ContentError(
                a.source, f"this and {other.source} are both the {a.lang!r} version of "
                          f"translation {a.translation_key!r}: a language has one version of an "
                          "article (give one of them another translationKey)",
                field="translationKey"))


def newest(articles: Iterable[Article], n: int) -> list[Article]:
    """The n newest articles by date (for feeds and the news sitemap, which ignore weight)."""
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.title, a.source))[:n]


def newest_among(articles: Sequence[Article]) -> Callable[[Iterable[Article], int], list[Article]]:
    """`newest` for lists drawn from `articles` (a site's term lists, for its feeds): all of
    them sorted once, then each list by rank, in C. The key tuples of ~450 term lists were
    three quarters of the feeds stage. A list with an article from elsewhere is sorted by
    `newest` itself."""
    order = newest(articles, len(articles))
    get = {id(a): i for i, a in enumerate(order)}.__getitem__

    def pick(some: Iterable[Article], n: int) -> list[Article]:
        some = list(some)
        try:
            return [order[r] for r in sorted(map(get, map(id, some)))[:n]]
        except KeyError:
            return newest(some, n)
    return pick
