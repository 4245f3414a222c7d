"""The Jinja environment and page rendering.

A site's own `templates/` folder overrides the built-in theme file by file. Site-wide widgets are
rendered once per build (per link prefix) and reused on every page: at 10,000 pages that is most of
the rendering cost saved.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from markupsafe import Markup

from . import __version__, images, seo
from .model import Route, Site


def theme_dir(name: str) -> Path:
    """The built-in theme's `templates` or `static`: inside the installed package, or the repo."""
    installed = Path(__file__).parent / "theme" / name
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / name


def link_prefix(page_path: str | None, base_path: str, relative: bool) -> str:
    """What goes before a site path in a link from `page_path`.

    Root-relative by default (`base_path`, so a site under /news/ works); with `relative_urls`
    each link climbs out of the page's folder instead, for hosting at an unknown path. The 404
    page (page_path None) is served at any depth, so it always uses root-relative links.
    """
    if not relative or page_path is None:
        return base_path
    return "../" * page_path.count("/")


def make_url(prefix: str, path: str, relative: bool) -> str:
    if "://" in path or path.startswith(("#", "mailto:", "data:")):
        return path
    path = path.lstrip("/")
    if relative and (path == "" or path.endswith("/")) and not prefix.startswith("/"):
        path += "index.html"  # folders need their file name on file:// and some hosts
    return prefix + path or "./"


def format_date(value: datetime, tz: Any, with_time: bool = True) -> str:
    local = value.astimezone(tz)
    text = f"{local.day} {local:%B %Y}"
    return f"{text}, {local:%H:%M} {local.tzname()}" if with_time else text


SOCIAL_URLS = {
    "twitter": "https://x.com/", "x": "https://x.com/", "facebook": "https://www.facebook.com/",
    "instagram": "https://www.instagram.com/", "linkedin": "https://www.linkedin.com/company/",
    "youtube": "https://www.youtube.com/@", "github": "https://github.com/",
    "bluesky": "https://bsky.app/profile/", "threads": "https://www.threads.net/@",
}


def social_links(social: dict[str, str]) -> list[tuple[str, str]]:
    """(label, URL) for each configured network: a handle becomes the network's profile URL."""
    links = []
    for network, handle in sorted(social.items()):
        if not handle:
            continue
        if "://" in handle:
            href = handle
        elif network in SOCIAL_URLS:
            href = SOCIAL_URLS[network] + handle.lstrip("@")
        else:
            continue  # a bare handle on a network we cannot link (e.g. mastodon needs its server)
        links.append((network.capitalize(), href))
    return links


def json_script(value: Any) -> Markup:
    """JSON that is safe inside <script>: no `</script>`, `<!--` or `&` can close or confuse it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class Renderer:
    """Renders routes of one Site; holds the compiled templates and per-build caches."""

    def __init__(self, site: Site) -> None:
        self.site = site
        config = site.config
        loaders = []
        own = config.site_dir / "templates"
        if own.is_dir() and own.resolve() != theme_dir("templates").resolve():
            loaders.append(FileSystemLoader(str(own)))
        loaders.append(FileSystemLoader(str(theme_dir("templates"))))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # One Renderer per build, so a template edited between builds is read by the next
            # one; within a build, checking every extends/include's mtime cost ~8% of rendering.
            auto_reload=False,
        )
        relative = config.relative_urls
        tz = config.tz

        @pass_context
        def url(ctx: Any, path: str) -> str:
            return make_url(ctx["prefix"], path, relative)

        @pass_context
        def summary(ctx: Any, article: Any) -> Markup:
            """An article's list item, rendered once per build (it shows on ~7 list pages)."""
            key = (article.source, ctx["prefix"])
            html = self._summaries.get(key)
            if html is None:
                html = Markup(self.template("partials/summary.html").render(
                    a=article, prefix=ctx["prefix"]))
                self._summaries[key] = html
            return html

        pictures = site.pictures

        @pass_context
        def article_body(ctx: Any, article: Any) -> Markup:
            """The body's HTML, its processed `<img>`s made `<picture>` (generator/images.py)."""
            html = article.html
            if pictures and "<img" in html:
                th = article.thumbnail
                html = images.rewrite_body(
                    html, article, pictures, lambda p: make_url(ctx["prefix"], p, relative),
                    config.base_path, config.image_sizes, lcp_free=not (th and th.in_post))
            return Markup(html)

        @pass_context
        def picture(ctx: Any, pic: Any, alt: str = "", sizes: str | None = None,
                    first: bool = False) -> Markup:
            """A processed image as `<picture>`: srcset per type, width/height, and lazy
            loading unless it is the page's likely LCP image (`first`)."""
            return Markup(images.picture_html(pic, lambda p: make_url(ctx["prefix"], p, relative),
                                              {"alt": alt}, sizes or config.image_sizes, first))

        self.env.globals.update(
            article_body=article_body,
            picture=picture,
            summary=summary,
            url=url,
            absolute=config.absolute,
            site=site,
            config=config,
            version=__version__,
            profiles=site.profiles,
            social_links=social_links(config.social),
            news_article_jsonld=partial(seo.news_article_jsonld, site),
            social_meta=partial(seo.social_meta, site),
            hreflang_links=partial(seo.hreflang_links, site),
        )
        self.env.filters.update(
            date=lambda d, with_time=True: format_date(d, tz, with_time),
            iso=lambda d: d.isoformat(),
            json_script=json_script,
        )
        self._widgets: dict[tuple[str, str], Markup] = {}
        self._summaries: dict[tuple[str, str], Markup] = {}
        self._sidebars: dict[tuple[tuple[str, ...], str], Markup] = {}

    @cache  # noqa: B019 - one Renderer per build; the cache lives exactly as long
    def template(self, name: str) -> Any:
        return self.env.get_template(name)

    def widget(self, name: str, prefix: str) -> Markup:
        """One widget's HTML, rendered once per build and link prefix."""
        key = (name, prefix)
        if key not in self._widgets:
            html = self.template(f"widgets/{name}.html").render(prefix=prefix)
            self._widgets[key] = Markup(html.strip())
        return self._widgets[key]

    def sidebar(self, widgets: tuple[str, ...], prefix: str) -> Markup:
        key = (widgets, prefix)
        if key not in self._sidebars:
            # with `search = false` there is no /search/ page for the search box to send to
            shown = [w for w in widgets if w != "search" or self.site.config.search]
            self._sidebars[key] = Markup("\n").join(self.widget(w, prefix) for w in shown)
        return self._sidebars[key]

    def render(self, route: Route) -> bytes:
        config = self.site.config
        page_path = None if route.template == "404.html" else route.path
        prefix = link_prefix(page_path, config.base_path, config.relative_urls)
        sidebar = getattr(route.page, "sidebar", None)
        widgets = getattr(route.page, "widgets", ())
        html = self.template(route.template).render(
            page=route.page,
            prefix=prefix,
            sidebar_html=self.sidebar(widgets, prefix) if sidebar else Markup(""),
        )
        return html.encode("utf-8")
