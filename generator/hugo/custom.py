"""A site's own shortcodes: `templates/shortcodes/NAME.html`, Jinja templates that replace a
Hugo site's `layouts/shortcodes/NAME.html` (Go templates, which Broadsheet cannot run) under the
same name, built-ins included.

A template sees `params` (a dict for named parameters, a list for positional ones), `get(key,
default)` (Hugo's `.Get`: a name or a position), `inner` (the content between the tags, raw,
nested shortcodes already expanded; `.Inner`), `name`, `position` ("file:line"), `page` (title,
date, params, source) and `site` (title, base_url, params), with filters `markdownify` and
`plainify`. It takes inner content, and so needs a closing tag, when it uses `inner`. A missing
parameter is empty, as in Hugo; autoescaping is on, `inner` and `markdownify` are HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, TemplateError, TemplateSyntaxError, meta
from markupsafe import Markup

from ..errors import ContentError
from ..markdown import plain_text
from .calls import Call, Context, Shortcode


def _template_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def load(site_dir: Path) -> dict[str, Shortcode]:
    root = site_dir / "templates" / "shortcodes"
    if not root.is_dir():
        return {}
    env = Environment(loader=FileSystemLoader(str(root)), autoescape=True, keep_trailing_newline=False,
                      trim_blocks=True, lstrip_blocks=True)
    out = {}
    for path in sorted(root.rglob("*.html")):
        rel = _template_name(path, root)
        source = path.read_text(encoding="utf-8")
        try:
            uses_inner = "inner" in meta.find_undeclared_variables(env.parse(source))
        except TemplateSyntaxError as exc:
            raise ContentError(f"templates/shortcodes/{rel}", exc.message or str(exc),
                               exc.lineno) from None
        out[rel[: -len(".html")]] = Shortcode(_renderer(env, rel), inner=uses_inner)
    return out


def _renderer(env: Environment, rel: str) -> Any:
    def render(ctx: Context, call: Call, inner: str) -> str:
        f = ctx.doc.fields
        params = call.params

        def get(key: str | int, default: Any = "") -> Any:
            return call.get(key, default) if isinstance(key, int) else call.named.get(key, default)

        try:
            template = env.get_template(rel)
            html = template.render(
                params=params, get=get, inner=Markup(inner), name=call.name,
                position=f"{ctx.doc.path}:{call.line}", is_named_params=bool(call.named),
                page={"title": f.title, "date": f.date, "params": f.params,
                      "source": ctx.doc.path, "description": f.description or ""},
                site={"title": ctx.config.title, "base_url": ctx.config.base_url,
                      "params": ctx.config.params, "language": ctx.config.language},
            )
        except TemplateSyntaxError as exc:
            raise ContentError(f"templates/shortcodes/{rel}", exc.message or str(exc),
                               exc.lineno) from None
        except TemplateError as exc:
            raise ctx.body.error(call.start, f"shortcode '{call.name}' "
                                             f"(templates/shortcodes/{rel}): {exc}") from None
        return html.strip("\n")

    env.filters.setdefault("markdownify", lambda text: Markup(_markdownify(str(text))))
    env.filters.setdefault("plainify", lambda html: plain_text(str(html)))
    return render


def _markdownify(text: str) -> str:
    from ..markdown import to_html

    html = to_html(text)[0].strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
