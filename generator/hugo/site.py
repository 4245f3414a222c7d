"""The Hugo stage after every source is read: section pages from `_index.md`, `ref`/`relref`
resolved against the whole site, bundle files to copy, and the routes that Hugo sites add.

A section is a top-level content folder (Hugo makes its list page whether or not it has an
`_index.md`) or a deeper folder with an `_index.md`; its list page is at the folder's URL
(`/docs/`), titled, described and introduced by its `_index.md`, and lists every article under
the folder, newest first (Hugo's `.RegularPagesRecursive`), paginated like every list.
`content/_index.md` introduces the home page. An `_index.md` in a taxonomy's folder
(`content/tags/go/_index.md`) introduces that term's page instead.

A `ref` or `relref` names a content file as Hugo does: from content/ with a leading "/", else
beside the page first, then from content/; with or without ".md"; a bundle or section by its
folder; and, if nothing else matches, by its file name when only one page has it. Anything
else is an error naming the file and the line of the shortcode.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

from .. import articles as articles_mod
from .. import markdown
from ..config import Config
from ..errors import ContentError, Problem, Report
from ..model import Article, ListPage, PageLink, PageRef, Pagination, Route, Section, Site, numbered
from ..sources.document import SourceDocument, decode
from ..sources.fields import Fields
from ..sources.markdown_source import load_yaml, toml_front_matter
from ..urls import paginated
from . import content, shortcodes
from .permalinks import urlize_path

TAXONOMY_FOLDERS = ("tags", "categories", "authors")
_REF = re.compile(r"/zbsr(\d{4,})rz")


# --- sections ------------------------------------------------------------------------------


def _split(rel: str, text: str) -> tuple[dict[str, Any], str, int]:
    if text.startswith("+++"):
        return toml_front_matter(rel, text)
    if text.startswith("---"):
        m = re.search(r"^---[ \t]*$", text[3:], re.M)
        if m is None:
            raise ContentError(rel, "the front matter starting on line 1 is never closed", 1)
        block = text[3: 3 + m.start()].lstrip("\n")
        body = text[3 + m.end():].lstrip("\n")
        data = load_yaml(rel, block, 2) if block.strip() else {}
        if not isinstance(data, dict):
            raise ContentError(rel, "front matter must be a map of fields", 1)
        return data, body, text.count("\n", 0, len(text) - len(body)) + 1
    return {}, text, 1


def _text(rel: str, data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ContentError(rel, f"{value!r} is not allowed: {key} is a string", None, key)
    return str(value).strip()


def _title(folder: str) -> str:
    name = folder.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")
    return name[:1].upper() + name[1:] if name else ""


def read_section(content_dir: Path, rel: str, config: Config
                 ) -> tuple[Section, shortcodes.Expanded]:
    """One `_index.md`: its section's title, description and body (shortcodes expanded; refs
    still placeholders)."""
    data, body, body_line = _split(rel, decode(rel, (content_dir / rel).read_bytes()))
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    title = _text(rel, data, "title") or (_title(folder) if folder else config.title)
    doc = SourceDocument(rel, Fields(title=title, params={str(k): v for k, v in data.items()}),
                         body, body_line)
    expanded = shortcodes.expand(doc, config)
    html = expanded.fill(markdown.to_html(expanded)[0]) if expanded.strip() else ""
    path = "" if not folder else "/".join(urlize_path(p) for p in folder.split("/")) + "/"
    return Section(folder, path, title, _text(rel, data, "description"), html, rel), expanded


def sections(site_articles: Iterable[Article], found: content.Discovery, config: Config,
             report: Report) -> tuple[list[Section], dict[str, shortcodes.Expanded]]:
    content_dir = config.site_dir / "content"
    bundles = {a.rsplit("/", 1)[0] for a in found.pages if a.lower().endswith(content.BUNDLE_INDEX)}
    out: dict[str, Section] = {}
    bodies: dict[str, shortcodes.Expanded] = {}
    for rel in found.sections:
        folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if folder in bundles:
            continue
        try:
            section, expanded = read_section(content_dir, rel, config)
        except ContentError as exc:
            for problem in getattr(exc, "problems", [exc.problem]):
                report.errors.append(problem)
            continue
        out[folder] = section
        bodies[folder] = expanded
    for a in site_articles:
        top = a.source.split("/", 1)[0] if "/" in a.source else ""
        if top and top not in out and top not in TAXONOMY_FOLDERS:
            out[top] = Section(top, urlize_path(top) + "/", _title(top))
    return [out[k] for k in sorted(out)], bodies


# --- refs ----------------------------------------------------------------------------------


class Pages:
    """Every page a ref can name: content files and section folders -> site paths."""

    def __init__(self, site_articles: Iterable[Article], site_sections: Iterable[Section]) -> None:
        self.paths: dict[str, str] = {}
        for a in site_articles:
            self.paths[a.source] = a.path
            if a.source.lower().endswith(content.BUNDLE_INDEX):
                self.paths.setdefault(a.source.rsplit("/", 1)[0], a.path)
        for s in site_sections:
            self.paths[s.source or f"{s.folder}/_index.md".lstrip("/")] = s.path
            self.paths.setdefault(s.folder, s.path)
        self.by_name: dict[str, list[str]] = {}
        for key in self.paths:
            name = PurePosixPath(key).name
            stem = name.rsplit(".", 1)[0] if "." in name else name
            if stem in ("index", "_index"):
                stem = PurePosixPath(key).parent.name
            self.by_name.setdefault(stem.lower(), []).append(key)

    def _exact(self, rel: str) -> str | None:
        rel = rel.strip("/")
        for candidate in (rel, f"{rel}.md", f"{rel}.markdown", f"{rel}/index.md", f"{rel}/_index.md"):
            if candidate in self.paths:
                return self.paths[candidate]
        return None

    def find(self, target: str, source: str) -> str | None:
        here = source.rsplit("/", 1)[0] if "/" in source else ""
        if target.startswith("/"):
            found = self._exact(target)
        else:
            joined = str(PurePosixPath(here, target)) if here else target
            found = self._exact(_normal(joined)) or self._exact(target)
        if found is not None:
            return found
        name = PurePosixPath(target.rstrip("/")).name
        stem = (name.rsplit(".", 1)[0] if name.endswith((".md", ".markdown")) else name).lower()
        matches = self.by_name.get(stem, [])
        return self.paths[matches[0]] if len(set(self.paths[m] for m in matches)) == 1 else None


def _normal(path: str) -> str:
    parts: list[str] = []
    for p in path.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def _resolve(refs: Iterable[PageRef], pages: Pages, source: str, own_path: str, config: Config,
             errors: list[Problem]) -> dict[str, str]:
    out = {}
    for ref in refs:
        target, _, anchor = ref.target.partition("#")
        path = own_path if not target else pages.find(target, source)
        if path is None:
            errors.append(Problem(source, f"ref {ref.target!r}: no page of the site is at "
                                          f"content/{target.lstrip('/')} (a draft, or a typo?)",
                                  ref.line, "shortcode"))
            continue
        url = config.absolute(path) if ref.absolute else config.base_path + path
        out[ref.token] = url + (f"#{anchor}" if anchor else "")
    return out


def _put(html: str, urls: dict[str, str]) -> str:
    return _REF.sub(lambda m: escape(urls.get(m.group(0), m.group(0))), html) if urls else html


def resolve(site_articles: list[Article], config: Config, report: Report
            ) -> tuple[list[Article], list[Section]]:
    """Section pages read, every ref/relref of articles and sections filled; problems reported
    (with the config's warnings and the content Broadsheet does not read)."""
    report.warnings.extend(config.warnings)
    found = content.discover(config.site_dir / "content")
    for rel in found.unread:
        report.warn(rel, "not read: Broadsheet reads Markdown content (.md, .markdown); convert "
                         "this page to Markdown")
    site_sections, bodies = sections(site_articles, found, config, report)
    pages = Pages(site_articles, site_sections)
    errors: list[Problem] = []
    out = []
    for a in site_articles:
        if not a.refs:
            out.append(a)
            continue
        urls = _resolve(a.refs, pages, a.source, a.path, config, errors)
        html = _put(a.html, urls)
        out.append(replace(a, body=html.encode("utf-8"), summary_html=_put(a.summary_html, urls),
                           local_links=articles_mod.local_links(html, a.path, config), refs=()))
    done = []
    for s in site_sections:
        body = bodies.get(s.folder)
        if body is not None and body.refs:
            urls = _resolve(body.refs, pages, s.source, s.path, config, errors)
            s = replace(s, intro=_put(s.intro, urls))
        done.append(s)
    report.errors.extend(errors)
    return out, done


# --- files and routes ----------------------------------------------------------------------


def bundle_files(site: Site, taken: Iterable[str], report: Report) -> list[tuple[str, Path]]:
    """Files of content/ to publish: a leaf bundle's next to its page, any other at its own
    path; a bundle of an article not built (a draft) is not published."""
    content_dir = site.config.site_dir / "content"
    by_source = {a.source: a for a in site.articles}
    seen = {t.lower() for t in taken}
    out = []
    for rel, owner in content.discover(content_dir).resources:
        if rel.lower().endswith(content.PAGE_SUFFIXES):
            continue  # Markdown in a bundle is the page's to read, not published (as Hugo)
        if owner is None:
            target = rel
        else:
            article = by_source.get(owner)
            if article is None:
                continue
            target = content.page_folder(article) + rel[len(content.bundle_root(owner)):]
        if target.lower() in seen:
            report.warn(f"content/{rel}", f"not copied: /{target} is already a file of static/")
            continue
        seen.add(target.lower())
        out.append((target, content_dir / rel))
    return out


def main_sections(site: Site) -> tuple[str, ...]:
    """The folders the home page lists: `main_sections`, else (a Hugo site) the section with
    the most articles, as Hugo's default mainSections is; () for all."""
    config = site.config
    if config.main_sections or not config.hugo_rules:
        return config.main_sections
    counts: dict[str, int] = {}
    for a in site.articles:
        if "/" in a.source:
            top = a.source.split("/", 1)[0]
            counts[top] = counts.get(top, 0) + 1
    if not counts:
        return ()
    return (max(sorted(counts), key=lambda k: counts[k]),)


def paginate(base: str, items: list[Article], size: int) -> list[tuple[Pagination,
                                                                         tuple[Article, ...]]]:
    """A list split into pages as every list of the site is (page 1 at `base`)."""
    total = max(1, -(-len(items) // size))
    links = tuple(PageLink(n, paginated(base, n)) for n in range(1, total + 1))
    return [(Pagination(n, total, links), tuple(items[(n - 1) * size: n * size]))
            for n in range(1, total + 1)]


def _home(site: Site, routes: list[Route], intro: Section | None) -> list[Route]:
    config = site.config
    main = main_sections(site)
    homes = [r for r in routes if isinstance(r.page, ListPage) and r.page.kind == "home"]
    if not homes or (not main and intro is None):
        return routes
    first = homes[0].page
    items = [a for a in site.articles if not main or a.source.split("/", 1)[0] in main] \
        if main else list(site.articles)
    new = []
    for pagination, chunk in paginate(first.path, items, config.paginate):
        n = pagination.number
        page = replace(first, title=numbered(first.name, n),
                       path=pagination.pages[n - 1].path, articles=chunk, pagination=pagination,
                       intro=intro.intro if (intro and n == 1) else "",
                       description=(intro.description if intro and intro.description
                                    else first.description))
        new.append(Route(page.path, homes[0].template, page))
    at = routes.index(homes[0])
    rest = [r for r in routes if r not in homes]
    return rest[:at] + new + rest[at:]


def add_routes(site: Site, routes: list[Route]) -> list[Route]:
    """The routes a Hugo site adds to Broadsheet's: section list pages, intros from _index.md,
    the home page listing the main sections. Other sites: only `main_sections`."""
    config = site.config
    by_folder = {s.folder: s for s in site.hugo_sections}
    routes = _home(site, routes, by_folder.get(""))
    if not config.hugo_rules:
        return routes
    intros = {s.path: s for s in site.hugo_sections if s.folder.split("/", 1)[0] in TAXONOMY_FOLDERS}
    if intros:
        routes = [Route(r.path, r.template, replace(r.page, intro=intros[r.path].intro,
                                                    title=intros[r.path].title or r.page.title,
                                                    name=intros[r.path].title or r.page.name))
                  if isinstance(r.page, ListPage) and r.path in intros else r for r in routes]
    for s in site.hugo_sections:
        if not s.folder or s.folder.split("/", 1)[0] in TAXONOMY_FOLDERS:
            continue
        items = [a for a in site.articles if a.source.startswith(s.folder + "/")]
        for pagination, chunk in paginate(s.path, items, config.paginate):
            n = pagination.number
            page = ListPage(kind="section", title=numbered(s.title, n), name=s.title,
                            path=pagination.pages[n - 1].path, articles=chunk,
                            pagination=pagination, sidebar=config.sidebar_list,
                            widgets=config.sidebar_widgets, description=s.description,
                            intro=s.intro if n == 1 else "", lang=config.language)
            routes.append(Route(page.path, "list.html", page))
    return routes
