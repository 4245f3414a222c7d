"""The Jinja environment and page rendering.

A site's own `templates/` folder overrides the built-in theme file by file. Site-wide widgets are
rendered once per build (per link prefix) and reused on every page: at 10,000 pages that is most of
the rendering cost saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from datetime import datetime
from functools import cache, cached_property, partial
from operator import methodcaller
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import markupsafe
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
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


# json.dumps(value, ensure_ascii=False) makes a new encoder at every call
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=False, indent=None)


def json_script(value: Any) -> Markup:
    """JSON that is safe inside <script>: no `</script>`, `<!--` or `&` can close or confuse it."""
    text = _JSON.encode(value)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def archive_title(interface: Interface, archive: Any) -> str:
    """A date archive's title in the interface language ("février 2025"; a year is a year)."""
    if archive.month is None:
        return str(archive.title)
    return i18n.month_name(archive.year, archive.month, interface) or archive.title


def N_(message: str) -> str:
    """Marks a message for pybabel's Python extractor (babel.cfg); translated where it shows."""
    return message


# The pages the engine names in English (routes.py), by kind: shown in the interface language.
PAGE_NAMES = {"categories": N_("Categories"), "tags": N_("Tags"), "authors": N_("Authors"),
              "archives": N_("Archives"), "search": N_("Search"),
              "corrections": N_("Corrections"), "404": N_("Page not found")}
PAGED = N_("%(title)s (page %(number)s)")  # a later page of a list


def page_name(interface: Interface, translate: Any, page: Any) -> Markup:
    """A page's name in the interface language, escaped: the engine's own names ("Tags",
    "Archives", "(page 2)", a month) translated; articles', terms', people's and the site's
    titles as they are. In Python, not a partial: it is on every list page twice. `translate`
    is the interface's gettext (not named so: pybabel would take its calls for messages)."""
    title = page.title
    if hasattr(page, "pagination"):  # a ListPage: its name, and from page 2 which page
        number = page.pagination.number
        base = page.term.name if page.term else archive_title(interface, page.archive) \
            if page.archive else page.name
        if number > 1:
            return Markup(translate(PAGED, title=base,
                                    number=i18n.format_number(number, interface)))
        return escape(base)
    english = PAGE_NAMES.get(page.kind) if hasattr(page, "kind") else None
    if english is not None and title == english:
        return Markup(translate(english))
    return escape(title)


def direction_in(interface: Interface, lang: str) -> str:
    """The text direction of a page in `lang`: the edition's (its `direction`, else CLDR's)
    when it is the interface language, else the language's own from CLDR."""
    return str(interface.direction) if lang == interface.code else i18n.text_direction(lang)


# `month_title(archive)`, `page_title(page)`, `direction_of(lang)` and `plural_samples()` in
# the interface language of the context they are called in; the renderer draws each page with
# them bound to its edition's interface instead (`Renderer.context`)
@pass_context
def month_title(ctx: Any, archive: Any) -> str:
    return archive_title(ctx["interface"], archive)


@pass_context
def page_title(ctx: Any, page: Any) -> Markup:
    return page_name(ctx["interface"], ctx["gettext"], page)


@pass_context
def direction_of(ctx: Any, lang: str) -> str:
    return direction_in(ctx["interface"], lang)


@pass_context
def plural_samples(ctx: Any) -> list[tuple[str, int]]:
    return i18n.plural_samples(ctx["interface"])


class Links(dict[str, str]):
    """The links of one link prefix and edition, each made once: `links[path]` is `url(path)`,
    and `url` is `links.__getitem__`, a builtin (no Python frame) for a link already made."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, path: str) -> str:
        found = self[path] = self.make(path)
        return found


def draw(template: Any, variables: dict[str, Any]) -> str:
    """`template.render(variables)`, where `variables` already holds the globals (`page_vars`):
    Jinja would copy them into a new dict at every page."""
    context = template.new_context(variables, shared=True)
    try:
        return template.environment.concat(template.root_render_func(context))  # type: ignore[no-any-return]
    except Exception:
        template.environment.handle_exception()
        raise  # not reached: handle_exception raises the error with the template's lines


# Callables whose `__call__` is their type's own, so that only a `pass_context` (or
# `pass_environment` ...) mark on the object itself changes how Jinja calls them
_PLAIN_CALLABLES = frozenset({FunctionType, BuiltinFunctionType, MethodType, partial})


class PageContext(Context):
    """Jinja's Context, with a shorter way through `call` for a plain function.

    Every call in a template (`url(...)`, `_(...)`, `summary(a)`, `site.older.get(...)`) is
    `Context.call`, which looks for a pass-context mark on the callable and on its `__call__`
    and sorts out Jinja's own keyword arguments: ~40 calls a page, a tenth of the render stage.
    A function, builtin, bound method or partial without the mark is called as it is, as
    `Context.call` would; anything else goes through `Context.call`."""

    def __init__(self, environment: Environment, parent: dict[str, Any], name: str | None,
                 blocks: dict[str, Any], globals: MutableMapping[str, Any] | None = None) -> None:
        super().__init__(environment, parent, name, blocks)
        if globals is not None:  # the names of the globals, which `{% import %}` reads: Jinja
            # makes a set of them for each context (the page's, each include's, each list item's)
            self.globals_keys = (environment.global_names if globals is environment.globals
                                 else set(globals))

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


# markupsafe's own escaping of a plain string (C), without its Python-level wrapping
_escape_inner = getattr(markupsafe, "_escape_inner", None)
_new_markup = partial(str.__new__, Markup)


def quick_escape(value: Any) -> Markup:
    """`markupsafe.escape`, the same Markup for every value, with less around it for the two
    kinds a page prints ~90 times: a plain string (escaped by markupsafe's own `_escape_inner`,
    made Markup without `Markup.__new__` looking for `__html__` on a str) and a Markup (already
    safe: `escape` gives a copy of it)."""
    if type(value) is str:
        return _new_markup(_escape_inner(value))  # type: ignore[misc]
    if type(value) is Markup:
        return value
    return escape(value)


class PageTemplate(Template):
    """A compiled template whose `{{ ... }}` escape with `quick_escape`: the code Jinja makes
    imports markupsafe's `escape` as a global of the template's module and calls it for every
    output under autoescape, a seventh of the render stage. With a markupsafe that has no
    `_escape_inner` (before 3.0) the template keeps `escape`."""

    @classmethod
    def from_code(cls, environment: Environment, code: Any, globals: MutableMapping[str, Any],
                  uptodate: Any = None) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__  # type: ignore[attr-defined]
        if _escape_inner is not None and namespace.get("escape") is escape:
            namespace["escape"] = quick_escape
        return template


class JoinedOutput(CodeGenerator):
    """Jinja's code generator, each run of text and `{{ ... }}` between two tags yielded as
    one string instead of one yield per piece.

    A page is a generator of generators (its template, base.html, a block, an include), and
    every piece yielded passes through each: ~250 pieces on an article page, 4% of the render
    stage's instructions. A run is made as Jinja makes one into a buffer (a `{% set %}` block,
    a macro): `yield concat((text, escape(value), text))`, the same values in the same order.
    With a Jinja whose code generator lacks the helpers used here, runs stay as Jinja makes
    them."""

    _joins = all(hasattr(CodeGenerator, name) for name in (
        "_make_finalize", "_output_child_to_const", "_output_const_repr", "_output_child_pre",
        "_output_child_post"))

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        if (not self._joins or frame.buffer is not None or frame.require_output_check
                or len(node.nodes) < 2):
            super().visit_Output(node, frame)
            return
        finalize = self._make_finalize()
        body: list[list[Any] | nodes.Expr] = []
        for child in node.nodes:  # constants folded at compile time, as Jinja's own
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (nodes.Impossible, Exception):
                body.append(child)
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        if len(body) < 2:
            super().visit_Output(node, frame)
            return
        self.writeline("yield concat((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
            else:
                self.newline(item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                self.write(",")
        self.outdent()
        self.writeline("))")


class PageEnvironment(Environment):
    """Jinja's Environment, but a template's globals are the environment's own dict.

    Jinja makes them a ChainMap of the template's over the environment's, and every context
    (each page, include and list item) iterates that ChainMap in Python (`set(globals)`,
    `dict(globals, **vars)`). The Renderer sets its globals once, before any template loads,
    and never passes a template globals of its own."""

    context_class = PageContext
    code_generator_class = JoinedOutput
    template_class = PageTemplate

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **d} if d else self.globals

    @cached_property
    def global_names(self) -> frozenset[str]:
        return frozenset(self.globals)

    def get_template(self, name: Any, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> Template:
        """Jinja's, each template found once per environment: every `{% include %}` and
        `{% extends %}` asks at every page. The name alone is the key, as `join_path` (not
        overridden) gives it back whatever the parent; templates are not reloaded within a
        build (`auto_reload=False`)."""
        if globals is None and type(name) is str:
            found = self.loaded.get(name)
            if found is None:
                found = self.loaded[name] = super().get_template(name, parent)
            return found
        return super().get_template(name, parent, globals)

    @cached_property
    def loaded(self) -> dict[str, Template]:
        return {}

    def overlay(self, **options: Any) -> Environment:
        env = super().overlay(**options)
        env.__dict__.pop("loaded", None)  # its own templates
        return env


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
        self.env = PageEnvironment(
            loader=ChoiceLoader(loaders),
            autoescape=True,  # every template, whatever its name (a callable ran per context)
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
        self._relative = config.relative_urls
        self._editions = bool(site.edition_sites)
        tz = config.tz

        # What every template sees as `url`, `summary`, `article_body` and `picture`, for a
        # template drawn with its link prefix as `prefix`; the renderer draws each page with
        # plain functions bound to its prefix and edition instead (`page_vars`)
        @pass_context
        def url(ctx: Any, path: str) -> str:
            return self.link(ctx["prefix"], ctx["edition"], path)

        @pass_context
        def summary(ctx: Any, article: Any) -> Markup:
            return self.summary(article, ctx["prefix"])

        @pass_context
        def article_body(ctx: Any, article: Any) -> Markup:
            return self.article_body(article, ctx["prefix"])

        @pass_context
        def picture(ctx: Any, pic: Any, alt: str = "", sizes: str | None = None,
                    first: bool = False) -> Markup:
            return self.picture(ctx["prefix"], pic, alt, sizes, first)

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

        dates: dict[tuple[datetime, int, bool, str], str] = {}

        @pass_context
        def date(ctx: Any, d: Any, with_time: bool = True) -> str:
            """A date as the page's language writes it, each once per build: an article's date
            shows on its page, in its list items and next to it in others' related lists."""
            interface = ctx["interface"]
            if type(d) is not datetime:
                return format_date(d, tz, with_time, interface)
            # equal aware datetimes are one instant, so one local time; a naive one's fold
            # (the repeated hour) is not part of its equality
            key = (d, d.fold, with_time, interface.code)
            found = dates.get(key)
            if found is None:
                found = dates[key] = format_date(d, tz, with_time, interface)
            return found

        @pass_context
        def number(ctx: Any, n: int) -> str:
            return i18n.format_number(n, ctx["interface"])

        self.env.filters.update(
            date=date,
            number=number,
            iso=methodcaller("isoformat"),
            json_script=json_script,
        )
        self._summaries: dict[tuple[str, str], Markup] = {}
        self._sidebars: dict[tuple[tuple[str, ...], str, str], Markup] = {}
        self._contexts: dict[str, dict[str, Any]] = {}
        self._page_vars: dict[tuple[str, str], dict[str, Any]] = {}
        self._fragments: dict[tuple[str, str, str], Markup] = {}

    def link(self, prefix: str, edition: Any, path: str) -> str:
        """`url(path)` on a page with link prefix `prefix` in `edition` (with [languages], its
        own /archives/ ...: `EDITION_PAGES`)."""
        if self._editions and path in EDITION_PAGES:
            path = edition.prefix + path
        return make_url(prefix, path, self._relative)

    def summary(self, article: Any, prefix: str) -> Markup:
        """An article's list item, rendered once per build (it shows on ~7 list pages)."""
        key = (article.source, prefix)
        html = self._summaries.get(key)
        if html is None:
            lang = self.lang_of(article)
            html = Markup(draw(self.template("partials/summary.html", lang),
                               {**self.page_vars(prefix, lang), "a": article}))
            self._summaries[key] = html
        return html

    def article_body(self, article: Any, prefix: str) -> Markup:
        """The body's HTML, its processed `<img>`s made `<picture>` (generator/images.py)."""
        html = article.html
        pictures = self.site.pictures
        if pictures and "<img" in html:
            config = self.site.config
            th = article.thumbnail
            html = images.rewrite_body(
                html, article, pictures, lambda p: make_url(prefix, p, self._relative),
                config.base_path, config.image_sizes, lcp_free=not (th and th.in_post))
        return Markup(html)

    def picture(self, prefix: str, pic: Any, alt: str = "", sizes: str | None = None,
                first: bool = False) -> Markup:
        """A processed image as `<picture>`: srcset per type, width/height, and lazy loading
        unless it is the page's likely LCP image (`first`)."""
        return Markup(images.picture_html(pic, lambda p: make_url(prefix, p, self._relative),
                                          {"alt": alt}, sizes or self.site.config.image_sizes,
                                          first))

    def page_vars(self, prefix: str, lang: str) -> dict[str, Any]:
        """What a template drawn with link prefix `prefix` in edition `lang` sees, but the page:
        the globals, the edition's `context`, `prefix`, and `url`, `summary`, `article_body` and
        `picture` as plain functions bound to the two. Made once per prefix and edition.

        Not the pass-context globals: Jinja gives a pass-context function called in a block or
        loop that sets a variable (article.html's `{% set a = page %}`) a copy of the whole
        context, at every call. `url` remembers its links: most are on every page."""
        key = (prefix, lang)
        found = self._page_vars.get(key)
        if found is None:
            context = self.context(lang)
            links = Links(partial(self.link, prefix, context["edition"]))
            found = self._page_vars[key] = {
                **self.env.globals, **context, "prefix": prefix, "url": links.__getitem__,
                "summary": partial(self.summary, prefix=prefix),
                "article_body": partial(self.article_body, prefix=prefix),
                "picture": partial(self.picture, prefix)}
        return found

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
            words = self._interface_context(self.interface_of(lang))
            interface = words["interface"]
            found = self._contexts[lang] = {
                "site": ed, "config": ed.config, "edition": ed.edition,
                "news_article_jsonld": partial(seo.news_article_jsonld, ed),
                "social_meta": partial(seo.social_meta, ed),
                **words,
                # plain functions: a pass-context one costs Jinja a look at the context per call
                "month_title": partial(archive_title, interface),
                "page_title": partial(page_name, interface, words["gettext"]),
                "direction_of": partial(direction_in, interface),
                "plural_samples": partial(i18n.plural_samples, interface)}
        return found

    def switcher(self, page: Any, prefix: str) -> tuple[LanguageLink, ...]:
        """The language switcher of a page, its links made from `prefix` (empty without
        [languages])."""
        relative = self.site.config.relative_urls
        return tuple(link._replace(url=make_url(prefix, link.url, relative))
                     for link in seo.language_links(self.site, page))

    def widget(self, name: str, prefix: str, lang: str = "") -> Markup:
        """One widget's HTML, rendered once per build, link prefix and edition."""
        return self.fragment(f"widgets/{name}.html", prefix, lang)

    def fragment(self, name: str, prefix: str, lang: str = "") -> Markup:
        """A partial the same on every page of one link prefix and edition (the footer, each
        widget), rendered once per build for each."""
        key = (name, prefix, lang)
        found = self._fragments.get(key)
        if found is None:
            found = self._fragments[key] = Markup(draw(self.template(name, lang),
                                                       self.page_vars(prefix, lang)).strip())
        return found

    def sidebar(self, widgets: tuple[str, ...], prefix: str, lang: str = "",
                switcher: tuple[LanguageLink, ...] = ()) -> Markup:
        # with `search = false` there is no /search/ page for the search box to send to
        shown = [w for w in widgets if w != "search" or self.site.config.search]
        if switcher and "languages" in shown:  # it leads to this page's versions: per page
            return Markup("\n").join(
                self.widget(w, prefix, lang) if w != "languages" else Markup(
                    draw(self.template("widgets/languages.html", lang),
                         {**self.page_vars(prefix, lang), "switcher": switcher}).strip())
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
        html = draw(self.template(route.template, lang), {
            **self.page_vars(prefix, lang),
            "page": page,
            "sidebar_html": self.sidebar(widgets, prefix, lang, switcher) if sidebar else Markup(""),
            "switcher": switcher,
            "footer_html": self.fragment("partials/footer.html", prefix, lang),
        })
        return html.encode("utf-8")
