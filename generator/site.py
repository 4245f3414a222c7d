"""Articles -> Site: default order, taxonomies, archives, pager neighbours, menus, related.

Everything here is computed once per build and shared by every page that needs it, so no
template sorts or filters a list of 10,000 articles.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from itertools import pairwise

from .config import Config
from .model import Archive, Article, CorrectionEntry, MenuEntry, Site, Term, TermRef
from .urls import slugify

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
        return tuple(replace(r, name=names[(r.taxonomy, r.slug)]) for r in refs)

    cats, tags, auths = fix(article.categories), fix(article.tags), fix(article.authors)
    if (cats, tags, auths) == (article.categories, article.tags, article.authors):
        return article
    return replace(article, categories=cats, tags=tags, authors=auths)


def _terms(taxonomy: str, articles: tuple[Article, ...], names: dict[tuple[str, str], str]
           ) -> tuple[Term, ...]:
    members: dict[str, list[Article]] = defaultdict(list)
    for a in articles:  # already in the default order, so each term's list is too
        for ref in getattr(a, taxonomy):
            members[ref.slug].append(a)
    terms = [Term(taxonomy, names[(taxonomy, slug)], slug, tuple(items))
             for slug, items in members.items()]
    return tuple(sorted(terms, key=lambda t: (t.name.lower(), t.slug)))


def _archives(articles: tuple[Article, ...], config: Config
              ) -> tuple[tuple[Archive, ...], tuple[Archive, ...]]:
    by_year: dict[int, list[Article]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for a in articles:
        local = a.date.astimezone(config.tz)
        by_year[local.year].append(a)
        by_month[(local.year, local.month)].append(a)
    years = tuple(Archive(f"{y:04d}/", str(y), y, None, tuple(by_year[y]))
                  for y in sorted(by_year, reverse=True))
    months = tuple(Archive(f"{y:04d}/{m:02d}/", f"{MONTHS[m - 1]} {y}", y, m,
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


def _related(articles: tuple[Article, ...], tags: tuple[Term, ...], limit: int,
             cap: int = 100) -> dict[str, tuple[Article, ...]]:
    """Most shared tags, then newest. Each tag contributes at most its `cap` newest members,
    which keeps this linear at 10,000 articles while very common tags add little signal anyway.
    Translations of the article itself are not "related"."""
    by_age = sorted(range(len(articles)), key=lambda i: (-articles[i].date.timestamp(),
                                                          articles[i].source))
    rank = {articles[i].source: r for r, i in enumerate(by_age)}  # 0 = newest
    newest_first = [articles[i] for i in by_age]
    members: dict[str, list[int]] = {}
    for t in tags:
        members[t.slug] = sorted(rank[a.source] for a in t.articles)[:cap]
    out: dict[str, tuple[Article, ...]] = {}
    for a in articles:
        shared: Counter[int] = Counter()
        for ref in a.tags:
            shared.update(members.get(ref.slug, ()))
        shared.pop(rank[a.source], None)
        # one int per candidate orders by (most shared, newest) with C-speed comparisons
        scale = len(articles)
        best = heapq.nsmallest(limit * 2, [r - n * scale for r, n in shared.items()])
        picks = [newest_first[k % scale] for k in best
                 if newest_first[k % scale].translation_key != a.translation_key]
        out[a.source] = tuple(picks[:limit])
    return out


def _corrections(articles: tuple[Article, ...]) -> tuple[CorrectionEntry, ...]:
    """Every correction on the site, newest first; an undated one counts from its article's
    lastmod (the article was updated to carry it)."""
    entries = [CorrectionEntry(a, n, c.text, c.date, c.date or a.lastmod)
               for a in articles for n, c in enumerate(a.corrections, 1)]
    return tuple(sorted(entries, key=lambda e: (-e.when.timestamp(), e.article.source, e.number)))


def build_site(articles: Iterable[Article], config: Config, now: datetime | None = None) -> Site:
    """The site model. `now`, the build clock (default: `--now`, else the real time), decides
    which live blogs show as running."""
    now = now or config.now or datetime.now(UTC)
    items = list(articles)
    names = _canonical_terms(items, config)
    ordered = tuple(sorted((_rename(a, names) for a in items), key=Article.sort_key))
    tags = _terms("tags", ordered, names)
    years, months = _archives(ordered, config)
    older, newer = _neighbours(ordered)
    return Site(
        config=config,
        articles=ordered,
        categories=_terms("categories", ordered, names),
        tags=tags,
        authors=_terms("authors", ordered, names),
        years=years,
        months=months,
        menus=_menus(ordered, config),
        languages=tuple(sorted({a.lang for a in ordered})),
        older=older,
        newer=newer,
        related=_related(ordered, tags, config.related_num),
        profiles={p.slug: p for p in config.authors.values()},
        corrections=_corrections(ordered),
        live=frozenset(a.source for a in ordered
                       if a.liveblog is not None and a.liveblog.running(now)),
    )


def newest(articles: Iterable[Article], n: int) -> list[Article]:
    """The n newest articles by date (for feeds and the news sitemap, which ignore weight)."""
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.title, a.source))[:n]
