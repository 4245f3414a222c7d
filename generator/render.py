"""The Jinja environment and page rendering.

A site's own `templates/` folder overrides the built-in theme file by file. Site-wide widgets are
rendered once per build (per link prefix) and reused on every page: at 10,000 pages that is most of
the rendering cost saved.
"""

from __future__ import annotations

import json
from functools import cache, partial
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
    select_autoescape,
)
from markupsafe import Markup, escape

from . import __version__, i18n, images, seo
from .i18n import Interface, format_date
from .model import LanguageLink, Route, Site
from .theme import theme_dir
from .urls import EDITION_PAGES


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


@pass_context
def month_title(ctx: Any, archive: Any) -> str:
    """A date archive's title in the interface language ("février 2025"; a year is a year)."""
    if archive.month is None:
        return str(archive.title)
    return i18n.month_name(archive.year, archive.month, ctx["interface"]) or archive.title


def N_(message: str) -> str:
    """Marks a message for pybabel's Python extractor (babel.cfg); translated where it shows."""
    return message


# The pages the engine names in English (routes.py), by kind: shown in the interface language.
PAGE_NAMES = {"categories": N_("Categories"), "tags": N_("Tags"), "authors": N_("Authors"),
              "archives": N_("Archives"), "search": N_("Search"),
              "corrections": N_("Corrections"), "404": N_("Page not found")}
PAGED = N_("%(title)s (page %(number)s)")  # a later page of a list


@pass_context
def page_title(ctx: Any, page: Any) -> Markup:
    """A page's name in the interface language, escaped: the engine's own names ("Tags",
    "Archives", "(page 2)", a month) translated; articles', terms', people's and the site's
    titles as they are. In Python, not a partial: it is on every list page twice."""
    title = page.title
    if hasattr(page, "pagination"):  # a ListPage: its name, and from page 2 which page
        number = page.pagination.number
        base = page.term.name if page.term else month_title(ctx, page.archive) if page.archive \
            else page.name
        if number > 1:
            return Markup(ctx["gettext"](PAGED, title=base,
                                         number=i18n.format_number(number, ctx["interface"])))
        return escape(base)
    english = PAGE_NAMES.get(page.kind) if hasattr(page, "kind") else None
    if english is not None and title == english:
        return Markup(ctx["gettext"](english))
    return escape(title)


@pass_context
def direction_of(ctx: Any, lang: str) -> str:
    """The text direction of a page in `lang`: the edition's (its `direction`, else CLDR's)
    when it is the interface language, else the language's own from CLDR."""
    interface = ctx["interface"]
    return str(interface.direction) if lang == interface.code else i18n.text_direction(lang)


@pass_context
def plural_samples(ctx: Any) -> list[tuple[str, int]]:
    return i18n.plural_samples(ctx["interface"])


class Renderer:
    """Renders routes of one Site; holds the compiled templates and per-build caches.

    With [languages], each page is drawn with its edition's Site as `site` and `config` (its
    lists, widgets, title), `edition` (the Edition record) and `switcher` (the language
    switcher's links, resolved in `seo.language_links`)."""

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
            # `_()`, `ngettext` and `{% trans %}`; the callables are each language's, bound in
            # `context(lang)`; `_("a constant")` is translated as the template compiles, in an
            # environment per interface language (generator/i18n.py, `env_for`)
            extensions=["jinja2.ext.i18n", i18n.ConstantMessages],
        )
        self.env.newstyle_gettext = True  # type: ignore[attr-defined]
        eds = [s.edition for s in site.edition_sites or (site,) if s.edition is not None]
        self.interfaces = i18n.load_interfaces(
            config.site_dir, [(ed.code, ed.direction, ed.date_format) for ed in eds]
            or [(config.language, "", "")])
        self._envs: dict[str, Environment] = {}
        self._gettexts: dict[str, dict[str, Any]] = {}
        relative = config.relative_urls
        tz = config.tz
        editions = bool(site.edition_sites)

        @pass_context
        def url(ctx: Any, path: str) -> str:
            if editions and path in EDITION_PAGES:  # the page's own edition's /archives/ ...
                path = ctx["edition"].prefix + path
            return make_url(ctx["prefix"], path, relative)

        @pass_context
        def summary(ctx: Any, article: Any) -> Markup:
            """An article's list item, rendered once per build (it shows on ~7 list pages)."""
            key = (article.source, ctx["prefix"])
            html = self._summaries.get(key)
            if html is None:
                lang = self.lang_of(article)
                html = Markup(self.template("partials/summary.html", lang).render(
                    a=article, prefix=ctx["prefix"], **self.context(lang)))
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
            edition=site.edition,
            switcher=(),
            month_title=month_title,
            page_title=page_title,
            direction_of=direction_of,
            plural_samples=plural_samples,
            **self._interface_context(self.interface_of("")),
        )

        @pass_context
        def date(ctx: Any, d: Any, with_time: bool = True) -> str:
            return format_date(d, tz, with_time, ctx["interface"])

        @pass_context
        def number(ctx: Any, n: int) -> str:
            return i18n.format_number(n, ctx["interface"])

        self.env.filters.update(
            date=date,
            number=number,
            iso=lambda d: d.isoformat(),
            json_script=json_script,
        )
        self._widgets: dict[tuple[str, str, str], Markup] = {}
        self._summaries: dict[tuple[str, str], Markup] = {}
        self._sidebars: dict[tuple[tuple[str, ...], str, str], Markup] = {}
        self._contexts: dict[str, dict[str, Any]] = {}

    def preload(self) -> None:
        """Compile every template for every edition's interface now, before the render workers
        fork: each would otherwise compile them again for itself (60-70 ms a process)."""
        langs = [e.edition.code for e in self.site.edition_sites if e.edition] or [""]
        for name in self.env.list_templates(filter_func=lambda n: n.endswith(".html")):
            for lang in langs:
                try:
                    self.template(name, lang)
                except TemplateError:
                    break  # not a page template (a Hugo shortcode), or broken: said if used

    def forget_summaries(self) -> None:
        """Drop the list items rendered so far (one per article: 120 MB at 100,000 articles),
        once the list pages are made; a later page renders the ones it shows again."""
        self._summaries.clear()

    def env_for(self, interface: Interface) -> Environment:
        """The environment that compiles templates for one interface language: an overlay of
        `self.env` (same loader, globals and filters; its own compiled templates), its
        constant `_()` messages already translated (`i18n.ConstantMessages`)."""
        env = self._envs.get(interface.code)
        if env is None:
            env = self._envs[interface.code] = self.env.overlay()
            env.constant_gettext = self._interface_context(interface)["gettext"]  # type: ignore[attr-defined]
        return env

    @cache  # noqa: B019 - one Renderer per build; the cache lives exactly as long
    def template(self, name: str, lang: str = "") -> Any:
        """Template `name` as compiled for the interface language of edition `lang`."""
        return self.env_for(self.interface_of(lang)).get_template(name)

    def interface_of(self, lang: str) -> Interface:
        """The interface language of an edition: its code ("" is the site's `language`)."""
        ed = self.site.edition_of(lang).edition
        code = ed.code if ed is not None else self.site.config.language
        found = self.interfaces.get(code)
        return found if found is not None else next(iter(self.interfaces.values()))

    def _interface_context(self, interface: Interface) -> dict[str, Any]:
        """`interface` and its gettext callables, made once per language (their memo of
        escaped messages is then shared by the globals, every context and `env_for`)."""
        found = self._gettexts.get(interface.code)
        if found is None:
            found = self._gettexts[interface.code] = {
                "interface": interface, **i18n.gettext_callables(interface)}
        return found

    def lang_of(self, page: Any) -> str:
        """The edition a page is on, by its language; "" (the site) without [languages]."""
        return getattr(page, "lang", "") if self.site.edition_sites else ""

    def context(self, lang: str) -> dict[str, Any]:
        """What the templates of a page in `lang` see as its edition (`site`, `config`,
        `edition` and the structured data bound to it); without [languages], the site's."""
        found = self._contexts.get(lang)
        if found is None:
            ed = self.site.edition_of(lang)
            found = self._contexts[lang] = {
                "site": ed, "config": ed.config, "edition": ed.edition,
                "news_article_jsonld": partial(seo.news_article_jsonld, ed),
                "social_meta": partial(seo.social_meta, ed),
                **self._interface_context(self.interface_of(lang))}
        return found

    def switcher(self, page: Any, prefix: str) -> tuple[LanguageLink, ...]:
        """The language switcher of a page, its links made from `prefix` (empty without
        [languages])."""
        relative = self.site.config.relative_urls
        return tuple(link._replace(url=make_url(prefix, link.url, relative))
                     for link in seo.language_links(self.site, page))

    def widget(self, name: str, prefix: str, lang: str = "") -> Markup:
        """One widget's HTML, rendered once per build, link prefix and edition."""
        key = (name, prefix, lang)
        if key not in self._widgets:
            html = self.template(f"widgets/{name}.html", lang).render(prefix=prefix,
                                                                      **self.context(lang))
            self._widgets[key] = Markup(html.strip())
        return self._widgets[key]

    def sidebar(self, widgets: tuple[str, ...], prefix: str, lang: str = "",
                switcher: tuple[LanguageLink, ...] = ()) -> Markup:
        # with `search = false` there is no /search/ page for the search box to send to
        shown = [w for w in widgets if w != "search" or self.site.config.search]
        if switcher and "languages" in shown:  # it leads to this page's versions: per page
            return Markup("\n").join(
                self.widget(w, prefix, lang) if w != "languages" else Markup(
                    self.template("widgets/languages.html", lang).render(
                        prefix=prefix, switcher=switcher, **self.context(lang)).strip())
                for w in shown)
        key = (widgets, prefix, lang)
        if key not in self._sidebars:
            self._sidebars[key] = Markup("\n").join(self.widget(w, prefix, lang) for w in shown)
        return self._sidebars[key]

    def render(self, route: Route) -> bytes:
        config = self.site.config
        page_path = None if route.template == "404.html" else route.path
        prefix = link_prefix(page_path, config.base_path, config.relative_urls)
        page = route.page
        lang = self.lang_of(page)
        switcher = self.switcher(page, prefix) if lang else ()
        sidebar = getattr(page, "sidebar", None)
        widgets = getattr(page, "widgets", ())
        html = self.template(route.template, lang).render(
            page=page,
            prefix=prefix,
            sidebar_html=self.sidebar(widgets, prefix, lang, switcher) if sidebar else Markup(""),
            switcher=switcher,
            **self.context(lang),
        )
        return html.encode("utf-8")
