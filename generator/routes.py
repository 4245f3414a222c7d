"""Site -> Routes: every HTML page the build writes, with its template and its page record.

Two routes for one path is an error that names both sources: a newsroom must never lose an
article because another one took its URL.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import BuildError, ContentError
from .hugo import site as hugo_site
from .model import (
    Archive,
    Article,
    IndexPage,
    ListPage,
    PageLink,
    Pagination,
    Redirect,
    Route,
    Site,
    Term,
    numbered,
)
from .urls import CORRECTIONS_PATH, output_file, paginated

TAXONOMY_TITLES = {"categories": "Categories", "tags": "Tags", "authors": "Authors"}


def paginate(base: str, items: Sequence[Article], size: int) -> list[tuple[Pagination,
                                                                            tuple[Article, ...]]]:
    """Split a list into pages; page 1 is the list's own URL, there is no /page/1/."""
    total = max(1, -(-len(items) // size))
    links = tuple(PageLink(n, paginated(base, n)) for n in range(1, total + 1))
    return [(Pagination(n, total, links), tuple(items[(n - 1) * size: n * size]))
            for n in range(1, total + 1)]


def _list_pages(kind: str, title: str, base: str, items: Sequence[Article], site: Site,
                sidebar: str | None, **extra: object) -> list[Route]:
    config = site.config
    lang = site.edition.code if site.edition else config.language
    routes = []
    for pagination, chunk in paginate(base, items, config.paginate):
        page = ListPage(kind=kind, title=numbered(title, pagination.number), name=title,
                        path=pagination.pages[pagination.number - 1].path, articles=chunk,
                        pagination=pagination, sidebar=sidebar, widgets=config.sidebar_widgets,
                        lang=lang,
                        **extra)  # type: ignore[arg-type]
        routes.append(Route(page.path, "list.html", page))
    return routes


def _index(site: Site, kind: str, title: str, path: str, **extra: object) -> IndexPage:
    """A page of one edition that lists no articles (/tags/, /archives/, /search/, 404)."""
    config = site.config
    return IndexPage(kind=kind, title=title, path=path, sidebar=config.sidebar_list,
                     widgets=config.sidebar_widgets, lang=_lang(site),
                     **extra)  # type: ignore[arg-type]


def _lang(site: Site) -> str:
    return site.edition.code if site.edition else site.config.language


def _prefix(site: Site) -> str:
    return site.edition.prefix if site.edition else ""


def _term_routes(site: Site, taxonomy: str, terms: tuple[Term, ...]) -> list[Route]:
    config = site.config
    title = TAXONOMY_TITLES[taxonomy]
    index = _index(site, taxonomy, title, f"{_prefix(site)}{taxonomy}/", terms=terms,
                   terms_by_use=tuple(sorted(terms, key=lambda t: (-t.count, t.name.lower()))))
    routes = [Route(index.path, "terms.html", index)]
    for term in terms:
        profile = site.profiles.get(term.slug) if taxonomy == "authors" else None
        routes += _list_pages(taxonomy, term.name, term.path, term.articles, site,
                              config.sidebar_list, term=term, feed=f"{term.path}feed.xml",
                              json_feed=f"{term.path}feed.json" if taxonomy == "categories" else None,
                              profile=profile,
                              description=profile.bio if profile else "")
    return routes


def _archive_routes(site: Site) -> list[Route]:
    config = site.config
    index = _index(site, "archives", "Archives", f"{_prefix(site)}archives/", years=site.years)
    routes = [Route(index.path, "terms.html", index)]
    archive: Archive
    for archive in (*site.years, *site.months):
        routes += _list_pages("archive", archive.title, archive.path, archive.articles, site,
                              config.sidebar_list, archive=archive)
    return routes


def _edition_routes(site: Site) -> list[Route]:
    """The pages of one edition (without [languages], of the site) but the 404 page and
    redirects: home, articles, terms, archives, search, corrections."""
    config = site.config
    prefix = _prefix(site)
    routes = _list_pages("home", config.title, prefix, site.articles, site, config.sidebar_home,
                         description=config.description, feed=f"{prefix}feed.xml")
    routes += [Route(a.path, "article.html", a) for a in site.articles]
    routes += _term_routes(site, "categories", site.categories)
    routes += _term_routes(site, "tags", site.tags)
    routes += _term_routes(site, "authors", site.authors)
    routes += _archive_routes(site)
    if config.search:
        routes.append(Route(f"{prefix}search/", "search.html",
                            _index(site, "search", "Search", f"{prefix}search/")))
    if site.corrections:  # only once there is one: no empty page on a site without any
        path = prefix + CORRECTIONS_PATH
        routes.append(Route(path, "corrections.html", _index(
            site, "corrections", "Corrections", path, corrections=site.corrections,
            description=f"Every correction published by {config.title}, newest first.")))
    return routes


def build_routes(site: Site, reserved: dict[str, str] | None = None) -> list[Route]:
    """Every HTML page, checked for two sources claiming one output file; `reserved` maps the
    other files the build writes (feeds, sitemaps, static files) to what they are. Each
    edition's pages in turn (the default language's first); one 404 page, the default's."""
    routes: list[Route] = []
    for edition in site.editions:
        own = _edition_routes(edition)
        if edition is site.editions[0]:
            if _prefix(edition):  # default_language_in_subdir: the root leads to it
                own.append(Route("", "redirect.html", Redirect("", _prefix(edition),
                                                              lang=_lang(edition))))
            own.append(Route("404.html", "404.html",
                             _index(edition, "404", "Page not found", "404.html")))
        own += [Route(alias, "redirect.html", Redirect(alias, a.path, a.source, a.lang))
                for a in edition.articles for alias in a.aliases]
        routes += hugo_site.add_routes(edition, own)  # main_sections; a Hugo site's sections
    check_collisions(routes, reserved or {})
    return routes


def _owner(route: Route) -> str:
    page = route.page
    if isinstance(page, Article):
        return page.source
    if isinstance(page, Redirect):
        return f"an alias in {page.source}"
    return f"the generated {getattr(page, 'kind', 'page')} page"


def check_collisions(routes: list[Route], reserved: dict[str, str]) -> None:
    """Two outputs for one file: an error naming both sources (the article's file when it is one)."""
    seen: dict[str, Route] = {}
    errors = []
    for route in routes:
        key = output_file(route.path).lower()
        if key in reserved:
            errors.append(ContentError(_source(route), f"writes /{route.path}, which is "
                                                       f"{reserved[key]}", field="url"))
            continue
        first = seen.setdefault(key, route)
        if first is route:
            continue
        a, b = first, route
        if not isinstance(a.page, Article) and isinstance(b.page, Article):
            a, b = b, a
        errors.append(ContentError(_source(a), f"writes the same URL /{route.path} as {_owner(b)}",
                                   field="url"))
    if errors:
        raise BuildError([e.problem for e in errors],
                         f"build failed: {len(errors)} URL collision(s)")


def _source(route: Route) -> str:
    """The file to blame: the article, or for an alias the article that declares it."""
    page = route.page
    if isinstance(page, Article):
        return page.source
    if isinstance(page, Redirect):
        return page.source
    return _owner(route)
