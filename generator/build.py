"""The build, top to bottom: config -> sources -> articles -> site -> routes -> bytes -> output/.

Every input problem is collected before anything is written; a failure at any later point
discards the staged files, so the previous output stays as it was.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from . import feeds, sitemaps
from .articles import build_clock, is_live, make_article
from .config import Config
from .errors import BuildError, ContentError, Problem, Report
from .markdown import pygments_css
from .output import Writer, WriteReport
from .render import Renderer, theme_dir
from .routes import build_routes
from .site import build_site
from .sources import read_all
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

    def summary(self) -> str:
        return (f"built {self.articles} articles, {self.pages} pages in {self.seconds:.2f}s: "
                f"{len(self.written)} written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")


def static_files(config: Config) -> Iterator[tuple[str, Path]]:
    """Theme static files, then the site's own `static/` (which wins file by file)."""
    chosen: dict[str, Path] = {}
    for folder in (theme_dir("static"), config.site_dir / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not any(p.startswith(".") for p in path.parts[-1:]):
                    chosen[path.relative_to(folder).as_posix()] = path
    return iter(sorted(chosen.items()))


def _template_problem(exc: TemplateError) -> Problem:
    if isinstance(exc, TemplateSyntaxError):
        return Problem(f"templates/{exc.name or exc.filename}", exc.message or str(exc), exc.lineno)
    return Problem("templates", f"template error: {exc}")


def build(config: Config) -> BuildResult:
    started = time.perf_counter()
    report = Report()
    now = build_clock(config)
    try:
        docs = read_all(config, report)
    except ContentError as exc:
        raise BuildError([exc.problem]) from None
    articles = [make_article(d, config) for d in docs if is_live(d, config, now)]
    report.raise_if_errors()
    site = build_site(articles, config)
    routes = build_routes(site)
    writer = Writer(config.output_dir, config.site_dir)
    try:
        renderer = Renderer(site)
        for route in routes:
            writer.write(output_file(route.path), renderer.render(route))
        for rel, data in feeds.render_all(site):
            writer.write(rel, data)
        for rel, data in sitemaps.render_all(site, routes, now):
            writer.write(rel, data)
        for rel, path in static_files(config):
            writer.write(rel, path.read_bytes())
        writer.write("css/pygments.css", pygments_css().encode("utf-8"))
        written: WriteReport = writer.commit()
    except TemplateError as exc:
        writer.abort()
        raise BuildError([_template_problem(exc)], "build failed in a template") from None
    except ContentError as exc:
        writer.abort()
        raise BuildError([exc.problem]) from None
    except BaseException:
        writer.abort()
        raise
    return BuildResult(
        articles=len(site.articles),
        pages=len(routes),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        warnings=tuple(sorted(report.warnings, key=Problem.sort_key)),
        seconds=time.perf_counter() - started,
    )
