"""The build, top to bottom: config -> sources -> articles -> site -> routes -> bytes -> output/.

Every input problem is collected before anything is written; a failure at any later point
discards the staged files, so the previous output stays as it was.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from . import feeds, pings, search, sitemaps
from .articles import build_clock, is_visible
from .cache import ArticleCache, Entry, record, source_key
from .config import Config
from .errors import BuildError, ContentError, Problem, Report
from .hugo import site as hugo_site
from .hugo.pages import make_article  # a Hugo site's pages by Hugo's rules, else articles'
from .incremental import Fingerprints, PageCache
from .markdown import pygments_css
from .model import BodyRef, Route, Site
from .output import Writer, WriteReport
from .render import Renderer, theme_dir
from .routes import build_routes
from .site import build_site
from .sources import discover, read_document
from .urls import output_file


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    warnings: tuple[Problem, ...]
    seconds: float
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds), for --timings and profiling

    def timing_line(self) -> str:
        return "  ".join(f"{stage} {sec:.2f}s" for stage, sec in self.timings)

    def summary(self) -> str:
        return (f"built {self.articles} articles, {self.pages} pages in {self.seconds:.2f}s: "
                f"{len(self.written)} written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")


@dataclass(frozen=True)
class BuildState:
    """What a finished build leaves for `serve` to re-render an edited article at once
    (`render_ahead`); kept apart from the report, which is all a plain build returns."""

    site: Site
    renderer: Renderer
    routes: tuple[Route, ...]


def static_files(config: Config) -> list[tuple[str, Path]]:
    """Theme static files, then the site's own `static/` (which wins file by file)."""
    chosen: dict[str, Path] = {}
    for folder in (theme_dir("static"), config.site_dir / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not any(p.startswith(".") for p in path.parts[-1:]):
                    chosen[path.relative_to(folder).as_posix()] = path
    return sorted(chosen.items())


def reserved_files(site: Site, config: Config, static: list[tuple[str, Path]]) -> dict[str, str]:
    """Files the build writes besides pages, so no article or alias can take their place."""
    out = {name: "a file the build writes" for name in (
        "feed.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml", "robots.txt", "css/pygments.css")}
    if config.search:
        out[f"{search.SEARCH_DIR}/meta.json"] = "the search index"
    out.update(dict.fromkeys((rel for rel, _ in pings.site_files(config)), "the IndexNow key file"))
    for term in (*site.categories, *site.tags, *site.authors):
        out[f"{term.path}feed.xml"] = f"the feed of {term.name}"
    out.update(feeds.newsroom_files(site))  # JSON Feeds, corrections and live-blog updates
    for rel, _ in static:
        out[rel.lower()] = "a static file"
    return out


def check_references(site: Site, routes: list[Route], reserved: dict[str, str],
                     report: Report) -> None:
    """Warn (an error under --strict) about thumbnails, avatars and body links to local files
    that the build does not write: on the live site they would be broken images and links."""
    config = site.config
    outputs = {output_file(r.path) for r in routes} | set(reserved)

    def exists(path: str) -> bool:
        p = path.lower()
        return p in outputs or (p.rstrip("/") + "/index.html").lstrip("/") in outputs or p == ""

    for a in site.articles:
        th = a.thumbnail
        if th and "://" not in th.src and not th.src.startswith("//") and not exists(th.src):
            report.warn(a.source, f"thumbnail {th.src!r} is in neither static/ nor the theme's "
                                  "static/", field="thumbnail")
        for link in a.local_links:
            if not exists(link):
                report.warn(a.source, f"links to /{link}, which the build does not write")
    for profile in config.authors.values():
        avatar = profile.avatar.lstrip("/")
        if avatar and "://" not in avatar and not exists(avatar):
            report.warn("site.toml", f"avatar {profile.avatar!r} of {profile.slug} is in neither "
                                     "static/ nor the theme's static/", field=f"authors.{profile.slug}")


def _template_problem(exc: TemplateError) -> Problem:
    if isinstance(exc, TemplateSyntaxError):
        return Problem(f"templates/{exc.name or exc.filename}", exc.message or str(exc), exc.lineno)
    return Problem("templates", f"template error: {exc}")


# --- the parallel stages (read+markdown, render, search index) -----------------------------
# Workers are forked, so they inherit these module globals instead of receiving them pickled.
_CONFIG: Config | None = None
_CACHE_PREFIX: str | None = None  # the article cache key prefix, for workers that key sources
_RENDER: tuple[Renderer, Writer, list[Route]] | None = None
_INDEX: tuple[Site, dict[str, search.IndexTerms | BodyRef], Writer] | None = None  # for _stage_index
PARALLEL_MIN = 200  # below this many items a worker pool costs more than it saves
RENDER_CHUNK = 250  # pages per task of the render stage


def _read_one(task: tuple[str, str | None]
              ) -> tuple[str, str | None, tuple[bytes, bytes, bytes | None] | None, list[Problem]]:
    """Read, validate and render one source file: (source, cache key, its cache `record()` or
    None, errors). The key is worked out here when the parent did not need it (no cache entries
    to match)."""
    assert _CONFIG is not None and _CACHE_PREFIX is not None
    rel, key = task
    content_dir = _CONFIG.site_dir / "content"
    if key is None:
        try:
            key = source_key(content_dir, rel, _CACHE_PREFIX)
        except OSError as exc:
            return rel, None, None, [Problem(rel, f"cannot read the file: {exc.strerror}")]
    report = Report()
    doc = read_document(content_dir, rel, _CONFIG, report)
    if doc is None or report.errors:
        return rel, key, None, report.errors
    try:
        article = make_article(doc, _CONFIG, report)
    except ContentError as exc:  # a live blog's bad update heading, a Hugo shortcode
        return rel, key, None, list(getattr(exc, "problems", [exc.problem]))
    terms = search.article_terms(article) if _CONFIG.search else None
    return rel, key, record(key, Entry(doc.fields, article, tuple(report.warnings), terms)), []


def _render_chunk(indices: list[int]) -> list[tuple[str, str, bool]]:
    assert _RENDER is not None
    renderer, writer, routes = _RENDER
    out = []
    for i in indices:
        try:
            out.append(writer.prepare(output_file(routes[i].path), renderer.render(routes[i])))
        except TemplateError as exc:
            p = _template_problem(exc)
            raise ContentError(p.path, p.message, p.line) from None
    return out


def _stage_index() -> list[tuple[str, str, bool]]:
    """The search index's files, staged by the Writer: `Writer.prepare` results to record."""
    assert _INDEX is not None
    site, terms, writer = _INDEX
    return [writer.prepare(rel, data) for rel, data in search.index_files(site, terms)]


@contextlib.contextmanager
def _beside(func: Callable[[], Any], jobs: int) -> Iterator[Callable[[], Any]]:
    """Start func() in a forked worker and run the block here meanwhile; the block gets a
    function that waits for func's result. With jobs=1 (or no fork) func runs in this process
    when that function is called, and not at all if it is not."""
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        yield func
        return
    with mp.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(func)
        yield pending.get


def _pool_map(func: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> Iterator[Any]:
    """map() over items on `jobs` forked workers (serial for jobs=1); results in input order.

    For the read+markdown stage, whose results are large: the parent only receives them. With
    the parent reading a share too (as `_shared_map` does), the stage measured 25% slower: the
    pool's result thread then waits for the GIL while workers wait to send."""
    if jobs <= 1 or len(items) < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(func, items)
        return
    with mp.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(func, items, chunksize=max(1, len(items) // (jobs * 8)))


def _shared_map(func: Callable[[Any], Any], chunks: Sequence[Any], jobs: int) -> list[Any]:
    """[func(c) for c in chunks] on `jobs` processes: `jobs - 1` forked workers and this one.

    The parent takes every `jobs`-th chunk itself instead of waiting for the workers: the same
    cores stay busy, its share of the results needs no pickling across processes, and one
    process fewer holds a copy-on-write share of the parent's memory. At 10,000 articles
    (2 cores) the build tree's peak PSS went from ~424 to ~297 MiB at the same render time.
    Results come back in the order of `chunks`, whoever made them.
    """
    if jobs <= 1 or len(chunks) < 2 or "fork" not in mp.get_all_start_methods():
        return [func(c) for c in chunks]
    theirs = [c for i, c in enumerate(chunks) if i % jobs]
    with mp.get_context("fork").Pool(jobs - 1) as pool:
        pending = pool.map_async(func, theirs, chunksize=1)
        mine = [func(c) for c in chunks[::jobs]]
        others = pending.get()
    return [mine[i // jobs] if i % jobs == 0 else others[i - i // jobs - 1]
            for i in range(len(chunks))]


def load_articles(config: Config, report: Report, use_cache: bool, jobs: int
                  ) -> tuple[list[Entry], dict[str, str]]:
    """Every article of the site, from the cache where the source is unchanged; and each
    article's cache key (source -> key), which later says whether its pages can be skipped."""
    global _CONFIG, _CACHE_PREFIX
    content_dir = config.site_dir / "content"
    if not content_dir.is_dir():
        raise BuildError([Problem(str(content_dir), "no content/ folder: a site needs content/ "
                                                    "with its articles")])
    cache = ArticleCache(config, enabled=use_cache)
    found: dict[str, Entry] = {}
    keys: dict[str, str] = {}
    tasks: list[tuple[str, str | None]] = []
    if not cache.old:
        # Nothing to match (first build, --no-cache, a changed engine): the workers key the
        # sources as they read them; keying 10,000 files here first took 0.2-1 s of one core.
        tasks = [(rel, None) for rel in discover(content_dir, config.hugo_rules)]
    else:
        for rel in discover(content_dir, config.hugo_rules):
            try:
                key = cache.key(content_dir, rel)
            except OSError as exc:
                report.error(ContentError(rel, f"cannot read the file: {exc.strerror}"))
                continue
            keys[rel] = key
            entry = cache.get(key)
            if entry is None:
                tasks.append((rel, key))
            else:
                found[rel] = entry
    _CONFIG, _CACHE_PREFIX = config, cache.prefix
    try:
        for rel, key, made, errors in _pool_map(_read_one, tasks,
                                                jobs if len(tasks) >= PARALLEL_MIN else 1):
            report.errors.extend(errors)
            if key is not None:
                keys[rel] = key
                if made is not None:
                    found[rel] = cache.add(key, *made)
    except BaseException:
        cache.discard()
        raise
    finally:
        _CONFIG = _CACHE_PREFIX = None
    for rel in sorted(found):
        report.warnings.extend(found[rel].warnings)
    if report.errors:
        cache.discard()
    else:
        cache.save()
    return [found[rel] for rel in sorted(found)], keys


def render_pages(renderer: Renderer, writer: Writer, routes: list[Route], todo: list[int],
                 jobs: int) -> None:
    """Render the routes at indices `todo`, in parallel when there are many."""
    global _RENDER
    chunks = [todo[i: i + RENDER_CHUNK] for i in range(0, len(todo), RENDER_CHUNK)]
    _RENDER = (renderer, writer, routes)
    try:
        for results in _shared_map(_render_chunk, chunks, jobs if len(todo) >= PARALLEL_MIN else 1):
            for rel, h, staged in results:
                writer.record(rel, h, staged)
    finally:
        _RENDER = None


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A build makes millions of objects and almost no reference cycles, so the cyclic
    collector's passes over the growing heap cost time and free nothing: measured on 10,000
    articles, a no-change build took 3.7 s with it and 3.0 s without, at the same peak memory.
    Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(config: Config, *, use_cache: bool = True, jobs: int | None = None) -> BuildResult:
    """Build the site. `jobs` worker processes (default: one per core) render in parallel; the
    output is byte-identical to a serial build (`jobs=1`)."""
    return build_keeping_state(config, use_cache=use_cache, jobs=jobs)[0]


def build_keeping_state(config: Config, *, use_cache: bool = True, jobs: int | None = None
                        ) -> tuple[BuildResult, BuildState]:
    """`build`, also returning the site model and renderer it used, for `serve`."""
    with _cycle_collector_paused():
        return _build(config, use_cache, jobs)


def _build(config: Config, use_cache: bool, jobs: int | None) -> tuple[BuildResult, BuildState]:
    global _INDEX
    started = time.perf_counter()
    clock = [started]
    timings: list[tuple[str, float]] = []

    def lap(stage: str) -> None:
        now_ = time.perf_counter()
        timings.append((stage, now_ - clock[0]))
        clock[0] = now_

    jobs = jobs or os.cpu_count() or 1
    report = Report()
    now = build_clock(config)
    loaded, keys = load_articles(config, report, use_cache, jobs)
    lap("read+markdown")
    report.raise_if_errors()
    articles = [e.article for e in loaded if is_visible(e.fields, config, now)]
    sections = ()
    if config.hugo_rules:  # _index.md sections, ref/relref: generator/hugo/site.py
        articles, sections = hugo_site.resolve(articles, config, report)
        report.raise_if_errors()
    site = replace(build_site(articles, config, now), hugo_sections=tuple(sections))
    static = static_files(config)  # listed once: reserved here, copied at the end
    if config.hugo_rules:
        static += hugo_site.bundle_files(site, (rel for rel, _ in static), report)
    reserved = reserved_files(site, config, static)
    routes = build_routes(site, reserved)
    check_references(site, routes, reserved, report)
    lap("site+routes")
    writer = Writer(config.output_dir, config.site_dir)
    try:
        renderer = Renderer(site)
        pages = PageCache(config.site_dir, use_cache)
        prints = Fingerprints(site, renderer, keys) if use_cache else None
        fps = prints.pages(routes) if prints else {}
        todo = []
        for i, route in enumerate(routes):
            rel = output_file(route.path)
            fp = fps.get(rel)
            same = pages.unchanged(rel, fp, writer.old, writer.root) if fp else None
            if same is None:
                todo.append(i)
            else:
                writer.record(rel, same, False)
        lap("fingerprints")
        terms = {e.article.source: e.terms for e in loaded if e.terms is not None}
        del loaded  # the raw fields: not needed from here on
        # The search index is merged after rendering: its transient memory would otherwise be
        # part of the heap the render worker is forked with.
        render_pages(renderer, writer, routes, todo, jobs)
        lap(f"render {len(todo)} pages")
        index_fp, kept = "", None
        if config.search and prints:
            index_fp = prints.index()
            kept = pages.unchanged_group(f"{search.SEARCH_DIR}/", index_fp, writer.old,
                                         writer.root)
        merge = config.search and kept is None
        # The index is merged in a forked worker while this process makes the feeds and
        # sitemaps: both are serial, and the two cores are otherwise idle in turn.
        _INDEX = (site, terms, writer)
        try:
            parallel = merge and len(site.articles) >= PARALLEL_MIN
            with _beside(_stage_index, jobs if parallel else 1) as staged_index:
                all_feeds = list(feeds.all_feeds(site))
                feed_fps = prints.feeds(all_feeds) if prints else {}
                for feed in all_feeds:
                    same = pages.unchanged(feed.path, feed_fps[feed.path], writer.old,
                                           writer.root) if prints else None
                    if same is None:
                        writer.write(feed.path, feeds.render(site, feed))
                    else:
                        writer.record(feed.path, same, False)
                fps.update(feed_fps)
                for rel, data in sitemaps.render_all(site, routes, now):
                    writer.write(rel, data)
                lap("feeds+sitemaps")
                if config.search:
                    for rel, h, new in staged_index() if merge else []:
                        writer.record(rel, h, new)
                    for rel, h in sorted((kept or {}).items()):
                        writer.record(rel, h, False)
                    if prints:
                        fps.update({rel: index_fp for rel in writer.new
                                    if rel.startswith(f"{search.SEARCH_DIR}/")})
                    lap("search index")  # what was left of it once the feeds were done
        finally:
            _INDEX = None
        del terms
        for rel, path in static:
            writer.write(rel, path.read_bytes())
        writer.write("css/pygments.css", pygments_css().encode("utf-8"))
        for rel, data in pings.site_files(config):
            writer.write(rel, data)
        lap("static")
        written: WriteReport = writer.commit()
        pages.save(fps, writer.new)
        lap("commit")
    except TemplateError as exc:
        writer.abort()
        raise BuildError([_template_problem(exc)], "build failed in a template") from None
    except ContentError as exc:
        writer.abort()
        raise BuildError([exc.problem]) from None
    except BaseException:
        writer.abort()
        raise
    result = BuildResult(
        articles=len(site.articles),
        pages=len(routes),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        warnings=tuple(sorted(report.warnings, key=Problem.sort_key)),
        seconds=time.perf_counter() - started,
        timings=tuple(timings),
    )
    return result, BuildState(site, renderer, tuple(routes))


def render_ahead(last: BuildState, config: Config, sources: Sequence[str]) -> dict[str, bytes]:
    """The pages of edited articles, rendered with the last build's site model, by output file.

    For `serve`: the edited page is shown within a fraction of a second while the full rebuild
    (lists, feeds, search) runs, as Hugo's fast render mode does. Only an edit to an article the
    last build published that still reads cleanly, stays visible and keeps its URL is rendered
    here; a page that shows other articles (the sidebar's "recent" list) may lag by one rebuild.
    Anything else returns nothing and waits for the rebuild, which also reports any error.
    """
    by_source = {r.page.source: r for r in last.routes if r.template == "article.html"}
    now = build_clock(config)
    out: dict[str, bytes] = {}
    for rel in sources:
        route = by_source.get(rel)
        if route is None:
            continue
        report = Report()
        try:
            doc = read_document(config.site_dir / "content", rel, config, report)
            if doc is None or report.errors or not is_visible(doc.fields, config, now):
                continue
            article = make_article(doc, config)
            if article.path == route.path and not article.refs:  # refs wait for the rebuild
                out[output_file(route.path)] = last.renderer.render(Route(route.path, route.template,
                                                                          article))
        except (ContentError, TemplateError, OSError):
            continue  # the full rebuild says what is wrong
    return out
