"""The build, top to bottom: config -> sources -> articles -> site -> routes -> bytes -> output/.

`build_keeping_state` is the list of stages; each stage below it decides for itself what it can
skip (the rules are in `generator/cache/__init__.py`). Every input problem is collected before
anything is written; a failure at any later point discards the staged files, so the previous
output stays as it was.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from . import feeds, images, pings, search, sitemaps, workers
from .articles import build_clock, is_visible
from .cache import (
    ArticleCache,
    Entry,
    PageFingerprints,
    SourceKeys,
    article_key,
    mtime_to_check,
    record,
    stamp,
)
from .cache.related import RelatedCache
from .config import Config
from .errors import BuildError, ContentError, Problem, Report
from .hugo import site as hugo_site
from .hugo.pages import make_article  # a Hugo site's pages by Hugo's rules, else articles'
from .markdown import pygments_css
from .model import Article, BodyRef, Picture, Route, Section, Site
from .output import Writer
from .render import Renderer, theme_dir
from .routes import build_routes
from .schedule import next_change, record_next_change
from .site import Related, build_site, check_languages
from .sources import discover, read_document
from .sources.fields import Schedule
from .urls import output_file

RENDER_CHUNK = 250  # pages per task of the render stage


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
    # The nearest embargo lifting or article expiring after the build clock (schedule.py).
    next_change: datetime | None = None

    def timing_line(self) -> str:
        return "  ".join(f"{stage} {sec:.2f}s" for stage, sec in self.timings)

    def summary(self) -> str:
        line = (f"built {self.articles} articles, {self.pages} pages in {self.seconds:.2f}s: "
                f"{len(self.written)} written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")
        if self.next_change is not None:
            line += f"; next scheduled change {self.next_change.isoformat()}"
        return line


@dataclass(frozen=True)
class BuildState:
    """What a finished build leaves for `serve` to re-render an edited article at once
    (`render_ahead`); kept apart from the report, which is all a plain build returns."""

    site: Site
    renderer: Renderer
    routes: tuple[Route, ...]


def build(config: Config, *, use_cache: bool = True, jobs: int | None = None) -> BuildResult:
    """Build the site. `jobs` worker processes (default: one per core) render in parallel; the
    output is byte-identical to a serial build (`jobs=1`) and to an uncached one.

    When the build stamp holds (inputs, output folder and clock window as the last build left
    them: generator/cache/stamp.py), there is nothing to do and nothing is read."""
    if not use_cache:
        return build_keeping_state(config, use_cache=False, jobs=jobs, remember=False)[0]
    started = time.perf_counter()
    clock = build_clock(config)
    config = replace(config, now=clock)  # the build sees the clock the stamp records
    seen = stamp.inputs(config)
    last = stamp.load(config)
    output_dir = config.output_dir.resolve()
    if last is not None and last.holds(seen, output_dir, clock):
        record_next_change(config.site_dir, last.next_change)  # as every build reports it
        seconds = time.perf_counter() - started
        return BuildResult(articles=last.articles, pages=last.pages, written=(),
                           unchanged=last.files, removed=(), warnings=last.warnings,
                           seconds=seconds, timings=(("unchanged (build stamp)", seconds),),
                           next_change=last.next_change)
    result, state = build_keeping_state(config, use_cache=True, jobs=jobs, remember=False)
    if not seen.racy:
        stamp.save(config, stamp.Stamp(
            seen.digest, stamp.output_digest(output_dir), clock,
            stamp.valid_until((a.date for a in state.site.articles), result.next_change, clock,
                              sitemaps.NEWS_WINDOW),
            result.articles, result.pages, len(result.written) + result.unchanged,
            result.warnings, result.next_change))
    return result


def build_keeping_state(config: Config, *, use_cache: bool = True, jobs: int | None = None,
                        remember: bool = True) -> tuple[BuildResult, BuildState]:
    """`build`, also returning the site model and renderer it used, for `serve`; `remember`
    keeps the article cache's entries in this process for the next build (`ArticleCache`)."""
    jobs = jobs or os.cpu_count() or 1
    if use_cache:
        stamp.forget(config)  # this build changes what the stamp describes; `build` saves anew
    laps = _Laps()
    report = Report()
    now = build_clock(config)
    with _cycle_collector_paused():
        loaded, keys = load_articles(config, report, use_cache, jobs, remember)
        laps.lap("read+markdown")
        visible = [e.article for e in loaded if is_visible(e.schedule, config, now)]
        check_languages((e.article for e in loaded), visible, config, report)
        report.raise_if_errors()
        upcoming = next_change((e.schedule for e in loaded), config, now)

        terms = {e.article.source: e.terms for e in loaded if e.terms is not None}
        del loaded  # the entries: not needed from here on
        workers.release_free_memory()  # the workers' results, read: not in the render worker
        made = process_images(visible, config, keys, report, use_cache, jobs)
        laps.lap(f"images ({made.made} made)")

        related = RelatedCache(config.site_dir, enabled=use_cache)
        site = with_pictures(site_model(made.articles, config, now, report, related),
                             made.pictures)
        related.save()
        del visible
        static = site_static(site, config, report)  # listed once: reserved here, copied at the end
        routes = plan_routes(site, static, report, made)
        laps.lap("site+routes")

        writer = Writer(config.output_dir, config.site_dir)
        with _discarded_on_failure(writer):
            renderer = Renderer(site)
            prints = PageFingerprints(site, renderer, keys, writer, enabled=use_cache)
            todo = pages_to_render(routes, prints)
            laps.lap("fingerprints")

            # The search index is merged in a forked worker while this process writes the feeds
            # and sitemaps and starts on the pages; the pages left are shared with a render
            # worker forked once the index's worker has ended (three processes, each with a
            # copy of the site model, were 1.8 GiB at 100,000 articles).
            workers.release_free_memory()  # before the search index's worker forks
            with search_index_beside(site, terms, writer, prints, jobs) as index:
                write_feeds(site, writer, prints)
                write_sitemaps(site, routes, writer, now)
                laps.lap("feeds+sitemaps")
                left = render_until(renderer, writer, routes, todo, index.ready)
                index.record()
                laps.lap(f"search index, and {len(todo) - len(left)} pages meanwhile")
            del terms
            workers.release_free_memory()  # the index's terms: not in the render worker

            render_pages(renderer, writer, routes, left, jobs)
            renderer.forget_summaries()
            laps.lap(f"render {len(left)} pages")

            write_static(config, static, writer)
            images.write(made, writer)
            laps.lap("static")

            written = writer.commit()
            prints.save()
            if use_cache:
                record_next_change(config.site_dir, upcoming)
            laps.lap("commit")
    result = BuildResult(
        articles=len(site.articles),
        pages=len(routes),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        warnings=tuple(sorted(report.warnings, key=Problem.sort_key)),
        seconds=laps.total(),
        timings=tuple(laps.laps),
        next_change=upcoming,
    )
    return result, BuildState(site, renderer, tuple(routes))


def scheduled_change(config: Config, *, use_cache: bool = True, jobs: int | None = None
                     ) -> datetime | None:
    """The next scheduled change (`schedule.next_change`) without building: the read stage
    only, through the article cache, so CI can ask cheaply when to build next."""
    report = Report()
    loaded, _ = load_articles(config, report, use_cache, jobs or os.cpu_count() or 1, False)
    report.raise_if_errors()
    return next_change((e.schedule for e in loaded), config, build_clock(config))


# --- read+markdown ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Reading:
    """What the read workers inherit."""

    config: Config
    keys: SourceKeys


ReadResult = tuple[str, str | None, tuple[bytes, bytes, bytes | None] | None, list[Problem]]


def _read_one(reading: _Reading, task: tuple[str, str | None]) -> ReadResult:
    """Read, validate and render one source file: (source, cache key, its cache `record()` or
    None, errors). The key is worked out here when the parent did not need it (no cache entries
    to match)."""
    config = reading.config
    rel, key = task
    path = reading.keys.content_dir / rel
    try:
        before = os.stat(path)
        data = path.read_bytes()  # read once: for its key and for the document
        key = key or reading.keys.key(rel, data, before)
    except OSError as exc:
        return rel, None, None, [Problem(rel, f"cannot read the file: {exc.strerror}")]
    report = Report()
    doc = read_document(reading.keys.content_dir, rel, config, report, data)
    if doc is None or report.errors:
        return rel, key, None, report.errors
    try:
        after: os.stat_result | None = os.stat(path)
    except OSError:
        after = None  # gone since it was read: the next build looks again
    try:
        article = make_article(doc, config, report)
    except ContentError as exc:  # a live blog's bad update heading, a Hugo shortcode
        return rel, key, None, list(getattr(exc, "problems", [exc.problem]))
    terms = (search.article_terms(article, search.index_language(config, article.lang))
             if config.search else None)
    entry = Entry(Schedule.of(doc.fields), article, tuple(report.warnings), terms,
                  mtime_to_check(before, after, doc.fields.date))
    return rel, key, record(key, entry), []


def load_articles(config: Config, report: Report, use_cache: bool, jobs: int,
                  remember: bool = True) -> tuple[list[Entry], dict[str, str]]:
    """Every article of the site, from the cache where it is not stale; and each article's
    `article_key` (source -> key), which later says whether its pages can be skipped."""
    content_dir = config.site_dir / "content"
    if not content_dir.is_dir():
        raise BuildError([Problem(str(content_dir), "no content/ folder: a site needs content/ "
                                                    "with its articles")])
    cache = ArticleCache(config, enabled=use_cache, remember=remember)
    found: dict[str, Entry] = {}
    keys: dict[str, str] = {}
    source_keys: dict[str, str] = {}  # source -> its cache key, for SourceKeys.save
    tasks: list[tuple[str, str | None]] = []
    if not cache.old:
        # Nothing to match (first build, --no-cache, a changed engine): the workers key the
        # sources as they read them, instead of this process keying them all first.
        tasks = [(rel, None) for rel in discover(content_dir, config.hugo_rules)]
    else:
        for rel in discover(content_dir, config.hugo_rules):
            try:
                key, entry = cache.lookup(rel)
            except OSError as exc:
                report.error(ContentError(rel, f"cannot read the file: {exc.strerror}"))
                continue
            source_keys[rel] = key
            if entry is None:
                tasks.append((rel, key))
            else:
                found[rel], keys[rel] = entry, article_key(key, entry)
    try:
        for rel, key, made, errors in workers.pool_map(
                _read_one, _Reading(config, cache.keys), tasks, workers.jobs_for(len(tasks), jobs)):
            report.errors.extend(errors)
            if key is not None and made is not None:
                entry = found[rel] = cache.add(key, *made)
                keys[rel] = article_key(key, entry)
                source_keys[rel] = key
    except BaseException:
        cache.discard()
        raise
    for rel in sorted(found):
        report.warnings.extend(found[rel].warnings)
    if report.errors:
        cache.discard()
    else:
        cache.save()
        if use_cache:
            cache.keys.save(source_keys)
    return [found[rel] for rel in sorted(found)], keys


# --- images ---------------------------------------------------------------------------------

def process_images(articles: list[Article], config: Config, keys: dict[str, str],
                   report: Report, use_cache: bool, jobs: int) -> images.Outcome:
    """The image stage (generator/images.py): widths, formats and crops, made in forked workers
    or taken from `.broadsheet-cache/images/`. An article's image keys join its cache key, so
    its pages are rendered again when one of its images changes."""
    made = images.process_articles(articles, config, dict(static_files(config)), report,
                                   use_cache, jobs)
    report.raise_if_errors()
    for source, image_key in made.per_article.items():
        keys[source] = keys.get(source, source) + "|img:" + image_key
    return made


# --- site+routes ----------------------------------------------------------------------------

def site_model(articles: list[Article], config: Config, now: datetime, report: Report,
               related: Related | None = None) -> Site:
    """The site model (order, terms, archives, pager, menus, related); on a Hugo site its
    `_index.md` sections and ref/relref links are resolved first (generator/hugo/site.py)."""
    sections: list[Section] = []
    if config.hugo_rules:
        articles, sections = hugo_site.resolve(articles, config, report)
        report.raise_if_errors()
    return replace(build_site(articles, config, now, related), hugo_sections=tuple(sections))


def with_pictures(site: Site, pictures: dict[str, Picture]) -> Site:
    """The site (and each edition) with the image stage's `<picture>`s of body images."""
    return replace(site, pictures=pictures, edition_sites=tuple(
        replace(e, pictures=pictures) for e in site.edition_sites))


def site_static(site: Site, config: Config, report: Report) -> list[tuple[str, Path]]:
    """`static_files`, and on a Hugo site the resources of its page bundles."""
    static = static_files(config)
    if config.hugo_rules:
        static += hugo_site.bundle_files(site, (rel for rel, _ in static), report)
    return static


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
    out = {name: "a file the build writes" for name in ("robots.txt", "css/pygments.css")}
    for edition in site.editions:
        prefix = edition.edition.prefix if edition.edition else ""
        out.update({prefix + name: "a file the build writes" for name in (
            "feed.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml")})
        if config.search:
            out[f"{prefix}{search.SEARCH_DIR}/meta.json"] = "the search index"
        for term in (*edition.categories, *edition.tags, *edition.authors):
            out[f"{term.path}feed.xml"] = f"the feed of {term.name}"
    out.update(dict.fromkeys((rel for rel, _ in pings.site_files(config)), "the IndexNow key file"))
    out.update(feeds.newsroom_files(site))  # JSON Feeds, corrections and live-blog updates
    for rel, _ in static:
        out[rel.lower()] = "a static file"
    return out


def plan_routes(site: Site, static: list[tuple[str, Path]], report: Report,
                made: images.Outcome | None = None) -> list[Route]:
    """Every HTML page of the site; URL collisions with each other or with the other files the
    build writes are errors, links to files it does not write are warnings."""
    reserved = reserved_files(site, site.config, static)
    if made is not None:
        reserved.update(dict.fromkeys((rel for rel, *_ in made.files), "a processed image"))
        reserved.update(dict.fromkeys((rel for rel, _ in made.copies), "an image"))
        reserved.update(dict.fromkeys(made.pictures, "an image made into <picture>"))
    routes = build_routes(site, reserved)
    check_references(site, routes, reserved, report, made.missing if made else frozenset())
    return routes


def check_references(site: Site, routes: list[Route], reserved: dict[str, str],
                     report: Report, known: frozenset[tuple[str, str]] = frozenset()) -> None:
    """Warn (an error under --strict) about thumbnails, avatars and body links to local files
    that the build does not write: on the live site they would be broken images and links."""
    config = site.config
    outputs = {output_file(r.path) for r in routes} | set(reserved)

    def exists(path: str) -> bool:
        p = path.lower()
        return p in outputs or (p.rstrip("/") + "/index.html").lstrip("/") in outputs or p == ""

    for a in site.articles:
        th = a.thumbnail
        if th and (a.source, th.src) in known:
            th = None  # the image stage said it is missing
        if th and "://" not in th.src and not th.src.startswith("//") and not exists(th.src):
            report.warn(a.source, f"thumbnail {th.src!r} is in neither static/ nor the theme's "
                                  "static/", field="thumbnail")
        for link in a.local_links:
            if not exists(link) and (a.source, link) not in known:
                report.warn(a.source, f"links to /{link}, which the build does not write")
    for profile in config.authors.values():
        avatar = profile.avatar.lstrip("/")
        if avatar and "://" not in avatar and not exists(avatar):
            report.warn("site.toml", f"avatar {profile.avatar!r} of {profile.slug} is in neither "
                                     "static/ nor the theme's static/", field=f"authors.{profile.slug}")


# --- fingerprints, render -------------------------------------------------------------------

def pages_to_render(routes: list[Route], prints: PageFingerprints) -> list[int]:
    """Indices of the routes to render: all but the pages whose last file stands (`keep`)."""
    fps = prints.pages(routes)
    todo = []
    for i, route in enumerate(routes):
        rel = output_file(route.path)
        if not prints.keep(rel, fps.get(rel)):
            todo.append(i)
    return todo


def _render_chunk(state: tuple[Renderer, Writer, list[Route]], indices: list[int]
                  ) -> list[tuple[str, str, bool]]:
    renderer, writer, routes = state
    out = []
    for i in indices:
        try:
            out.append(writer.prepare(output_file(routes[i].path), renderer.render(routes[i])))
        except TemplateError as exc:
            p = _template_problem(exc)
            raise ContentError(p.path, p.message, p.line) from None
    return out


def render_until(renderer: Renderer, writer: Writer, routes: list[Route], todo: list[int],
                 done: Callable[[], bool]) -> list[int]:
    """Render the routes at indices `todo` here, a chunk at a time, in order, until `done()`
    (another stage's worker has finished); the indices left."""
    for start in range(0, len(todo), RENDER_CHUNK):
        if done():
            return todo[start:]
        render_pages(renderer, writer, routes, todo[start: start + RENDER_CHUNK], jobs=1)
    return []


def render_pages(renderer: Renderer, writer: Writer, routes: list[Route], todo: list[int],
                 jobs: int) -> None:
    """Render the routes at indices `todo`, in parallel when there are many."""
    chunks = [todo[i: i + RENDER_CHUNK] for i in range(0, len(todo), RENDER_CHUNK)]
    jobs = workers.jobs_for(len(todo), jobs)
    if jobs > 1:
        renderer.preload()  # compiled once, here, and inherited by the workers
    for results in workers.shared_map(_render_chunk, (renderer, writer, routes), chunks, jobs):
        for rel, h, staged in results:
            writer.record(rel, h, staged)


# --- search index, feeds, sitemaps, static --------------------------------------------------

def _stage_index(state: tuple[list[Site], dict[str, search.IndexTerms | BodyRef], Writer,
                             PageFingerprints]) -> list[tuple[str, str, bool]]:
    """The search index's files of each edition given, staged by the Writer: `Writer.prepare`
    results to record. With the cache on, each edition's merge starts from what the last one
    kept (generator/cache/search.py), knowing the articles by their fingerprint keys, and a file
    it leaves as it was is recorded from its hash."""
    editions, terms, writer, prints = state
    staged = []
    for edition in editions:
        prefix = _prefix(edition)
        cache = search.SearchCache(edition.config, prefix) if prints.enabled else None
        for rel, data in search.index_files(edition, terms, prefix, cache=cache, held=writer.holds,
                                            keys=prints.keys):
            staged.append(writer.prepare(rel, data) if isinstance(data, bytes)
                          else (rel, data.digest, False))
    return staged


def _prefix(edition: Site) -> str:
    return edition.edition.prefix if edition.edition else ""


class _IndexLater:
    """The search index being merged beside: `ready()`, and `record()` (which waits)."""

    def __init__(self, staged: workers.Later[list[tuple[str, str, bool]]] | None, writer: Writer,
                 prints: PageFingerprints, fps: dict[str, str]) -> None:
        self.staged, self.writer, self.prints, self.fps = staged, writer, prints, fps

    def ready(self) -> bool:
        return self.staged is None or self.staged.ready()

    def record(self) -> None:
        """Record the index's files in the writer, with their fingerprints."""
        for rel, h, new in self.staged.get() if self.staged is not None else ():
            self.writer.record(rel, h, new)
            self.prints.note(rel, self.fps[rel[: rel.index(search.SEARCH_DIR + "/")]])


@contextlib.contextmanager
def search_index_beside(site: Site, terms: dict[str, search.IndexTerms | BodyRef], writer: Writer,
                        prints: PageFingerprints, jobs: int) -> Iterator[_IndexLater]:
    """Merge the search index (one per edition, in its folder) in a forked worker while the
    block runs; the block records the index's files with what it gets. The last build's index
    of an edition stands whole when its fingerprint is unchanged; with `search = false` there
    is none."""
    todo, fps = [], {}
    for edition in site.editions if site.config.search else ():
        fp = prints.index(edition if site.edition_sites else None)
        if not prints.keep_group(f"{_prefix(edition)}{search.SEARCH_DIR}/", fp):
            todo.append(edition)
            fps[_prefix(edition)] = fp
    if not todo:
        yield _IndexLater(None, writer, prints, fps)
        return
    with workers.beside(_stage_index, (todo, terms, writer, prints),
                        workers.jobs_for(sum(len(e.articles) for e in todo), jobs)) as staged:
        yield _IndexLater(staged, writer, prints, fps)


def write_feeds(site: Site, writer: Writer, prints: PageFingerprints) -> None:
    """Every feed, but those whose last file stands."""
    all_feeds = list(feeds.all_feeds(site))
    fps = prints.feeds(all_feeds)
    for feed in all_feeds:
        if not prints.keep(feed.path, fps.get(feed.path)):
            writer.write(feed.path, feeds.render(site, feed))


def write_sitemaps(site: Site, routes: list[Route], writer: Writer, now: datetime) -> None:
    """The sitemaps, news sitemap and robots.txt: made every build (the news sitemap depends on
    the clock); the writer skips bytes it already wrote."""
    for rel, data in sitemaps.render_all(site, routes, now):
        writer.write(rel, data)


def write_static(config: Config, static: list[tuple[str, Path]], writer: Writer) -> None:
    """Static files, the Pygments stylesheet and the IndexNow key file: written every build,
    skipped by the writer when the bytes are already in place."""
    for rel, path in static:
        writer.write(rel, path.read_bytes())
    writer.write("css/pygments.css", pygments_css().encode("utf-8"))
    for rel, data in pings.site_files(config):
        writer.write(rel, data)


# --- around the stages ----------------------------------------------------------------------

class _Laps:
    """Stage timings for `--timings`: each lap is the time since the last."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self._last))
        self._last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A build makes millions of objects and almost no reference cycles: the cyclic collector
    costs time and frees nothing (performance.md). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _template_problem(exc: TemplateError) -> Problem:
    if isinstance(exc, TemplateSyntaxError):
        return Problem(f"templates/{exc.name or exc.filename}", exc.message or str(exc), exc.lineno)
    return Problem("templates", f"template error: {exc}")


@contextlib.contextmanager
def _discarded_on_failure(writer: Writer) -> Iterator[None]:
    """Any failure drops the staged files (output/ stays as the last build left it); template
    and content errors become a BuildError naming the file."""
    try:
        yield
    except TemplateError as exc:
        writer.abort()
        raise BuildError([_template_problem(exc)], "build failed in a template") from None
    except ContentError as exc:
        writer.abort()
        raise BuildError([exc.problem]) from None
    except BaseException:
        writer.abort()
        raise


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
