"""Hugo's built-in shortcodes that a newsroom uses, written from Hugo's documentation.

figure, highlight, details and param render at build time. ref and relref leave a page
reference (resolved once every page is read). youtube, vimeo, x (and its old name tweet),
instagram and gist are embeds from other hosts: by default each is a plain link to the post
or video (`<p class="embed-card ...">`), so a page makes no request to that host; a site opts in
to a host's player with `[hugo] embeds = ["youtube"]`. Parameters are taken by name or by
position, as Hugo's built-ins take them.
"""

from __future__ import annotations

import re
from html import escape

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from ..markdown import HIGHLIGHT_CLASS, plain_text
from .calls import Call, Context, Shortcode, param_value

_ID = {
    "youtube": re.compile(r"[A-Za-z0-9_-]{1,64}"), "vimeo": re.compile(r"[0-9]{1,20}"),
    "status": re.compile(r"[0-9]{1,30}"), "user": re.compile(r"[A-Za-z0-9_]{1,50}"),
    "instagram": re.compile(r"[A-Za-z0-9_-]{1,64}"), "gist": re.compile(r"[A-Za-z0-9_.-]{1,100}"),
}


def _attrs(**values: str | None) -> str:
    return "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in values.items() if v)


def _checked(ctx: Context, call: Call, kind: str, value: str, what: str) -> str:
    if not _ID[kind].fullmatch(value):
        raise ctx.body.error(call.start, f"shortcode '{call.name}': {value!r} is not a valid "
                                         f"{what}")
    return value


def _true(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def figure(ctx: Context, call: Call, inner: str) -> str:
    src = call.get("src")
    if not src:
        raise ctx.body.error(call.start, "shortcode 'figure' needs src")
    alt = call.get("alt") or plain_text(ctx.markdownify(call.get("caption"), inline=True))
    img = (f'<img src="{escape(src)}" alt="{escape(alt)}"'
           f"{_attrs(width=call.get('width'), height=call.get('height'), loading=call.get('loading'))}>")
    link = call.get("link")
    if link:
        img = f"<a{_attrs(href=link, target=call.get('target'), rel=call.get('rel'))}>{img}</a>"
    caption = []
    if call.get("title"):
        caption.append(f"<h4>{escape(call.get('title'))}</h4>")
    text = call.get("caption")
    attr = call.get("attr")
    if text or attr:
        para = ctx.markdownify(text, inline=True) if text else ""
        if attr:
            attr_html = ctx.markdownify(attr, inline=True)
            if call.get("attrlink"):
                attr_html = f'<a href="{escape(call.get("attrlink"))}">{attr_html}</a>'
            para = f"{para} {attr_html}".strip()
        caption.append(f"<p>{para}</p>")
    figcaption = f"\n<figcaption>{''.join(caption)}</figcaption>" if caption else ""
    return f"<figure{_attrs(class_=call.get('class'), id=call.get('id'))}>\n{img}{figcaption}\n</figure>"


def _options(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip().lower()] = value.strip()
    return out


def _lines(spec: str) -> list[int]:
    lines: list[int] = []
    for part in spec.replace(",", " ").split():
        if "-" in part:
            a, b = part.split("-", 1)
            if a.isdigit() and b.isdigit():
                lines += range(int(a), int(b) + 1)
        elif part.isdigit():
            lines.append(int(part))
    return lines


def highlight(ctx: Context, call: Call, inner: str) -> str:
    """Code through Pygments with Hugo's options (linenos, hl_lines, linenostart), in the same
    `highlight` class as fenced code, so the site's pygments.css colours both."""
    lang = call.arg("lang", 0)
    opts = _options(call.arg("options", 1))
    for key in ("linenos", "hl_lines", "linenostart"):
        if key in call.named:
            opts[key] = call.named[key]
    try:
        lexer = get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    linenos = opts.get("linenos", "false").lower()
    formatter = HtmlFormatter(
        cssclass=HIGHLIGHT_CLASS, wrapcode=True,
        linenos={"true": "table", "table": "table", "inline": "inline"}.get(linenos, False),
        hl_lines=_lines(opts.get("hl_lines", "")),
        linenostart=int(opts["linenostart"]) if opts.get("linenostart", "").isdigit() else 1)
    code = inner.strip("\n")
    return pygments_highlight(code + "\n", lexer, formatter).strip()


def ref(ctx: Context, call: Call, inner: str) -> str:
    target = call.arg("path", 0)
    if not target:
        raise ctx.body.error(call.start, f"shortcode '{call.name}' needs the page it points to")
    return ctx.add_ref(target, call.name == "ref", call.line)


def details(ctx: Context, call: Call, inner: str) -> str:
    summary = ctx.markdownify(call.get("summary") or "Details", inline=True)
    attrs = _attrs(class_=call.get("class"), name=call.get("name"), title=call.get("title"))
    if _true(call.get("open", "false")):
        attrs += " open"
    body = ctx.markdownify(inner.strip(), inline=False) if inner.strip() else ""
    if body and not body.startswith("<"):
        body = f"<p>{body}</p>"
    return f"<details{attrs}>\n<summary>{summary}</summary>\n{body}\n</details>"


def param(ctx: Context, call: Call, inner: str) -> str:
    """A front-matter field of this page, else a site parameter (`[params]`); dotted names
    reach into tables. A missing one is an error, as in Hugo."""
    name = call.arg("name", 0)
    if not name:
        raise ctx.body.error(call.start, "shortcode 'param' needs the parameter's name")
    f = ctx.doc.fields
    page = {"title": f.title, "description": f.description, "summary": f.summary, "lead": f.lead,
            "slug": f.slug, "date": f.date.isoformat() if f.date else None,
            "categories": list(f.categories) or None, "tags": list(f.tags) or None,
            "dateline": f.dateline}
    for scope in ({**{k.lower(): v for k, v in f.params.items()},
                   **{k: v for k, v in page.items() if v is not None}},
                  ctx.config.params):
        value = _dig(scope, name)
        if value is not None:
            return escape(param_value(value))
    raise ctx.body.error(call.start, f"shortcode 'param': no parameter {name!r} in this page's "
                                     "front matter or the site's [params]")


def _dig(scope: object, name: str) -> object:
    node = scope
    for key in name.lower().split("."):
        if not isinstance(node, dict):
            return None
        lowered = {str(k).lower(): v for k, v in node.items()}
        if key not in lowered:
            return None
        node = lowered[key]
    return node


# --- embeds --------------------------------------------------------------------------------


def _card(host: str, href: str, label: str) -> str:
    return (f'<p class="embed-card embed-card--{host}"><a class="embed-card__link" '
            f'href="{escape(href)}">{escape(label)}</a></p>')


def _embeds(ctx: Context, host: str) -> bool:
    return host in ctx.config.hugo_embeds


def youtube(ctx: Context, call: Call, inner: str) -> str:
    vid = _checked(ctx, call, "youtube", call.arg("id", 0), "YouTube video id")
    title = call.get("title")
    start = call.get("start")
    if not _embeds(ctx, "youtube"):
        href = f"https://www.youtube.com/watch?v={vid}" + (f"&t={start}s" if start.isdigit() else "")
        return _card("youtube", href, f"{title} (video on YouTube)" if title else
                     "Watch the video on YouTube")
    query = "&".join(f"{k}={call.get(k)}" for k in ("start", "end") if call.get(k).isdigit())
    for key in ("autoplay", "loop", "mute"):
        if _true(call.get(key, "false")):
            query += ("&" if query else "") + f"{key}=1"
    src = f"https://www.youtube-nocookie.com/embed/{vid}" + (f"?{query}" if query else "")
    return (f'<div class="embed embed--youtube"><iframe src="{escape(src)}"'
            f'{_attrs(title=title or "YouTube video", class_=call.get("class"))} '
            f'loading="{escape(call.get("loading") or "lazy")}" allow="accelerometer; autoplay; '
            'clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" '
            'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe></div>')


def vimeo(ctx: Context, call: Call, inner: str) -> str:
    vid = _checked(ctx, call, "vimeo", call.arg("id", 0), "Vimeo video id")
    title = call.get("title")
    if not _embeds(ctx, "vimeo"):
        return _card("vimeo", f"https://vimeo.com/{vid}", f"{title} (video on Vimeo)" if title
                     else "Watch the video on Vimeo")
    return (f'<div class="embed embed--vimeo"><iframe src="https://player.vimeo.com/video/{vid}'
            f'?dnt=1"{_attrs(title=title or "Vimeo video", class_=call.get("class"))} '
            'loading="lazy" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen>'
            '</iframe></div>')


def x_post(ctx: Context, call: Call, inner: str) -> str:
    if call.named:
        user = _checked(ctx, call, "user", call.get("user"), "user name")
        status = _checked(ctx, call, "status", call.get("id"), "post id")
    else:  # the old positional form: {{< tweet 1234 >}} or {{< tweet user 1234 >}}
        args = call.positional
        user = _checked(ctx, call, "user", args[0], "user name") if len(args) > 1 else "i"
        status = _checked(ctx, call, "status", args[-1] if args else "", "post id")
    href = f"https://x.com/{user}/status/{status}"
    label = f"Post by @{user} on X" if user != "i" else "Post on X"
    if not _embeds(ctx, "x"):
        return _card("x", href, label)
    return (f'<blockquote class="twitter-tweet"><p><a href="{href}">{escape(label)}</a></p>'
            '</blockquote>\n<script async src="https://platform.twitter.com/widgets.js"></script>')


def instagram(ctx: Context, call: Call, inner: str) -> str:
    pid = _checked(ctx, call, "instagram", call.arg("id", 0), "Instagram post id")
    href = f"https://www.instagram.com/p/{pid}/"
    if not _embeds(ctx, "instagram"):
        return _card("instagram", href, "View the post on Instagram")
    return (f'<blockquote class="instagram-media" data-instgrm-permalink="{href}"><p><a href='
            f'"{href}">View the post on Instagram</a></p></blockquote>\n'
            '<script async src="https://www.instagram.com/embed.js"></script>')


def gist(ctx: Context, call: Call, inner: str) -> str:
    user = _checked(ctx, call, "gist", call.arg("user", 0), "GitHub user name")
    gid = _checked(ctx, call, "gist", call.arg("id", 1), "gist id")
    file = call.arg("file", 2)
    if file:
        _checked(ctx, call, "gist", file, "file name")
    href = f"https://gist.github.com/{user}/{gid}"
    label = f"View the code {file or gid} on GitHub Gist"
    if not _embeds(ctx, "gist"):
        return _card("gist", href, label)
    src = f"{href}.js" + (f"?file={file}" if file else "")
    return (f'<script src="{escape(src)}"></script>\n<noscript>{_card("gist", href, label)}'
            '</noscript>')


BUILTINS: dict[str, Shortcode] = {
    "figure": Shortcode(figure, inner=False),
    "highlight": Shortcode(highlight, inner=True, raw_inner=True),
    "ref": Shortcode(ref, inner=False, ref=True),
    "relref": Shortcode(ref, inner=False, ref=True),
    "details": Shortcode(details, inner=True),
    "param": Shortcode(param, inner=False),
    "youtube": Shortcode(youtube, inner=False),
    "vimeo": Shortcode(vimeo, inner=False),
    "x": Shortcode(x_post, inner=False),
    "tweet": Shortcode(x_post, inner=False),
    "instagram": Shortcode(instagram, inner=False),
    "gist": Shortcode(gist, inner=False),
}
