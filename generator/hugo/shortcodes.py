"""Hugo shortcodes, expanded before Markdown: `{{< name params >}}` and `{{% name params %}}`,
named or positional parameters, with or without inner content, nested.

Hugo's rule for the two forms (gohugo.io, "shortcode notation"): the output of `{{% %}}` is
Markdown, rendered with the page; the output of `{{< >}}` is finished HTML, not processed
further. So a `{{< >}}` output goes into the Markdown as a placeholder (`Expanded.fragments`)
that `fill` swaps for the HTML after rendering (a placeholder alone in its paragraph takes the
paragraph's place), and a `{{% %}}` output goes into the Markdown as it is. Inner content is
handed to the shortcode raw, nested shortcodes in it already expanded; `highlight`'s inner is
code and is left exactly as written. `ref` and `relref` need every page of the site, so they
leave a placeholder of their own (`PageRef`) that generator/hugo/site.py fills once all
sources are read.

Code is never touched: a fenced block or an inline code span keeps `{{< x >}}` as written (the
task's rule; Hugo itself expands there, which is why it has `{{</* x */>}}`, also supported:
it writes the shortcode as text). `{{ .Title }}` and any other Go template text is not a
shortcode and stays text. An unknown shortcode, a ref to a missing page, a tag never closed or
a bad parameter is an error naming the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from ..config import Config
from ..errors import ContentError, ContentErrors, Problem
from ..markdown import plain_text
from ..model import PageRef
from ..sources.document import SourceDocument
from . import custom
from .builtins import BUILTINS
from .calls import FRAGMENT, Body, Call, Context, Shortcode

PLACEHOLDER = re.compile(r"/zbs([qr])(\d{4,})[qr]z")
_SCAN = re.compile(r"(?P<fence>^[ \t]*(?:`{3,}|~{3,}))|(?P<sc>\{\{[<%])|(?P<tick>`+)", re.M)
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_KEY = re.compile(r"([A-Za-z_][\w-]*)=")
_COMMENTED = re.compile(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", re.S)
_BLANK = re.compile(r"\n[ \t]*\n")
_BLOCK = re.compile(r"\s*</?(?:figure|div|details|pre|table|blockquote|script|p|iframe|ul|ol|dl|"
                    r"section|aside|h[1-6]|hr|video|audio)\b", re.I)


class Expanded(str):
    """A body with its shortcodes expanded: Markdown holding placeholders, and what fills them."""

    fragments: list[str]
    refs: list[PageRef]

    def fill(self, html: str) -> str:
        return fill(html, self.fragments)


def fill(html: str, fragments: list[str]) -> str:
    """Put each `{{< >}}` output in its placeholder's place: a block of HTML alone in its
    paragraph replaces the paragraph; inside a tag (an attribute) it goes in as escaped text."""
    if "/zbsq" not in html:
        return html

    def block(m: re.Match[str]) -> str:
        html_ = fragments[int(m.group(1))]
        return html_ if _BLOCK.match(html_) else m.group(0)

    html = re.sub(r"<p>\s*/zbsq(\d{4,})qz\s*</p>", block, html)
    parts = re.split(r"(<[^>]*>)", html)
    for n, part in enumerate(parts):
        if "/zbsq" not in part:
            continue
        if n % 2:  # a tag: attribute text
            parts[n] = re.sub(r"/zbsq(\d{4,})qz",
                              lambda m: escape(plain_text(fragments[int(m.group(1))])), part)
        else:
            parts[n] = re.sub(r"/zbsq(\d{4,})qz", lambda m: fragments[int(m.group(1))], part)
    return "".join(parts)


def fill_text(text: str, fragments: list[str]) -> str:
    """Plain text (a description, a toc entry) with each placeholder as its output's text."""
    if "/zbsq" not in text:
        return text
    return re.sub(r"/zbsq(\d{4,})qz", lambda m: plain_text(fragments[int(m.group(1))]), text)


# --- reading tags --------------------------------------------------------------------------


def _value(text: str, i: int, body: Body) -> tuple[str, int]:
    """One parameter value at i: "quoted" (with \\" escapes), `raw`, or a bare word."""
    if text[i] == '"':
        out, j = [], i + 1
        while j < len(text) and text[j] != '"':
            if text[j] == "\\" and j + 1 < len(text):
                j += 1
            out.append(text[j])
            j += 1
        if j >= len(text):
            raise body.error(i, "a quoted shortcode parameter is never closed with \"")
        return "".join(out), j + 1
    if text[i] == "`":
        j = text.find("`", i + 1)
        if j < 0:
            raise body.error(i, "a `raw` shortcode parameter is never closed with `")
        return text[i + 1: j], j + 1
    m = re.compile(r"[^\s\"`]+").match(text, i)
    assert m is not None
    word = m.group(0)
    for stop in (">}}", "%}}", "/>}}", "/%}}"):
        at = word.find(stop)
        if at >= 0:
            word = word[:at]
    return word, i + len(word)


def read_tag(body: Body, start: int) -> Call:
    """The shortcode tag beginning at `start` (at "{{<" or "{{%")."""
    text = body.text
    md = text[start + 2] == "%"
    close = "%}}" if md else ">}}"
    i = start + 3
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if text.startswith("/*", i):  # {{</* name */>}}: written out as text
        end = text.find("*/", i + 2)
        after = end + 2
        while end >= 0 and after < len(text) and text[after] in " \t\n":
            after += 1
        if end < 0 or not text.startswith(close, after):
            raise body.error(start, f"a commented shortcode here is never closed with */{close}")
        inside = text[i + 2: end].strip()
        return Call("", md, start, after + 3, body.line(start),
                    literal="{{" + ("%" if md else "<") + f" {inside} " + close)
    closing = text.startswith("/", i)
    if closing:
        i += 1
    m = _NAME.match(text, i)
    if not m:
        raise body.error(start, f"a shortcode needs a name after {text[start:start + 3]}")
    name, i = m.group(0), m.end()
    named: dict[str, str] = {}
    positional: list[str] = []
    while True:
        while i < len(text) and text[i] in " \t\n":
            i += 1
        if i >= len(text):
            raise body.error(start, f"shortcode '{name}' is never closed with {close}")
        if text.startswith(close, i):
            end, self_closed = i + 3, False
            break
        if text.startswith("/" + close, i):
            end, self_closed = i + 4, True
            break
        if text.startswith((">}}", "%}}"), i):
            raise body.error(start, f"shortcode '{name}' opens with {text[start:start + 3]} but "
                                    f"closes with {text[i:i + 3]}")
        key = _KEY.match(text, i)
        if key:
            value, i = _value(text, key.end(), body)
            named[key.group(1)] = value
        else:
            value, i = _value(text, i, body)
            if not value:
                raise body.error(start, f"shortcode '{name}': cannot read its parameters")
            positional.append(value)
        if named and positional:
            raise body.error(start, f"shortcode '{name}' mixes named and positional parameters: "
                                    "use one kind")
    if closing and (named or positional):
        raise body.error(start, f"closing tag of '{name}' has parameters")
    return Call(name, md, start, end, body.line(start), closing, self_closed, named,
                tuple(positional))


@dataclass(frozen=True)
class Code:
    start: int
    end: int


def scan(body: Body, start: int, end: int, errors: list[Problem]) -> list[Code | Call]:
    """The code regions and shortcode tags of body[start:end], in order; a tag that cannot be
    read goes to `errors` and the scan goes on after its "{{<"."""
    text = body.text
    out: list[Code | Call] = []
    i = start
    while i < end:
        m = _SCAN.search(text, i, end)
        if not m:
            break
        if m.group("fence"):
            mark = m.group("fence").strip()
            closer = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", re.M)
            line_end = text.find("\n", m.end())
            c = closer.search(text, line_end + 1, end) if line_end >= 0 else None
            stop = (c.end() if c else end)
            out.append(Code(m.start(), stop))
            i = stop
        elif m.group("tick"):
            run = m.group("tick")
            closer = re.compile(rf"(?<!`){run}(?!`)")
            c = closer.search(text, m.end(), end)
            blank = _BLANK.search(text, m.end(), c.start()) if c else None
            if c and not blank:
                out.append(Code(m.start(), c.end()))
                i = c.end()
            else:
                i = m.end()
        else:
            try:
                call = read_tag(body, m.start())
            except ContentError as exc:
                errors.append(exc.problem)
                i = m.end()
                continue
            out.append(call)
            i = call.end
    return out


# --- expanding -----------------------------------------------------------------------------

def _closing(ctx: Context, items: list[Code | Call], at: int, call: Call) -> int | None:
    """Index of the tag that closes `call` (items[at]), counting nested tags of its name."""
    depth = 0
    for n in range(at + 1, len(items)):
        item = items[n]
        if not isinstance(item, Call) or item.name != call.name or item.literal is not None:
            continue
        if item.closing:
            if depth == 0:
                return n
            depth -= 1
        elif not item.self_closed:
            code = ctx.lookup(item.name)
            if code is not None and code.inner:
                depth += 1
    return None


def expand_region(ctx: Context, start: int, end: int, nested: bool) -> str:
    """body[start:end] with its shortcodes expanded; `nested`: inside another's inner content,
    where every output goes in as text (the outer shortcode decides what it becomes)."""
    text = ctx.body.text
    items = scan(ctx.body, start, end, ctx.errors)
    out: list[str] = []
    pos = start
    n = 0
    while n < len(items):
        item = items[n]
        n += 1
        if isinstance(item, Code):  # left as written, but for {{</* x */>}} (Hugo's way to
            out.append(text[pos:item.start])  # show a shortcode in code): {{< x >}}
            out.append(_COMMENTED.sub(r"{{\1 \2 \3}}", text[item.start:item.end]))
            pos = item.end
            continue
        out.append(text[pos:item.start])
        pos = item.end
        if item.literal is not None:
            html = escape(item.literal).replace("%", "&#37;")
            out.append(html if nested else _fragment(ctx, html))
            continue
        if item.closing:
            ctx.errors.append(ctx.body.error(item.start, f"closing tag {{{{< /{item.name} >}}}} "
                                             "has no opening tag").problem)
            continue
        code = ctx.lookup(item.name)
        if code is None:
            ctx.errors.append(unknown(ctx, item).problem)
            continue
        inner = ""
        if code.inner and not item.self_closed:
            close = _closing(ctx, items, n - 1, item)
            if close is None:
                ctx.errors.append(ctx.body.error(item.start, f"{item.tag} has no closing tag "
                                                 f"{{{{{'%' if item.markdown else '<'} /{item.name} "
                                                 f"{'%' if item.markdown else '>'}}}}}").problem)
                continue
            closer = items[close]
            assert isinstance(closer, Call)
            inner = (text[item.end:closer.start] if code.raw_inner
                     else expand_region(ctx, item.end, closer.start, nested=True))
            pos = closer.end
            n = close + 1
        try:
            result = code.render(ctx, item, inner)
        except ContentError as exc:
            ctx.errors.append(exc.problem)
            continue
        if code.ref or nested:
            out.append(result)
        elif item.markdown:
            out.append(_markdown_output(ctx, result))
        else:
            out.append(_fragment(ctx, result))
    out.append(text[pos:end])
    return "".join(out)


def _markdown_output(ctx: Context, text: str) -> str:
    """A `{{% %}}` output, read as CommonMark (Hugo's Goldmark) reads it: a paragraph that
    starts with a block-level HTML tag is HTML up to the next blank line, and the Markdown
    between such paragraphs is Markdown (Python-Markdown alone would keep a whole <div> raw)."""
    parts = re.split(r"(\n[ \t]*\n)", text)
    return "".join(_fragment(ctx, p) if n % 2 == 0 and _BLOCK.match(p) else p
                   for n, p in enumerate(parts))


def _fragment(ctx: Context, html: str) -> str:
    ctx.fragments.append(html)
    return FRAGMENT.format(len(ctx.fragments) - 1)


def unknown(ctx: Context, call: Call) -> ContentError:
    """An unknown shortcode, saying where a Hugo site's own template was and what to write."""
    site = ctx.config.site_dir
    hint = f"write templates/shortcodes/{call.name}.html (a Jinja template, docs/migrating-from-hugo.md)"
    for folder in ("layouts/shortcodes", "layouts/_shortcodes"):
        if (site / folder / f"{call.name}.html").is_file():
            hint = (f"{folder}/{call.name}.html is a Go template, which Broadsheet cannot run: "
                    f"rewrite it as templates/shortcodes/{call.name}.html (Jinja)")
            break
    return ctx.body.error(call.start, f"unknown shortcode '{call.name}': {hint}")


def expand(doc: SourceDocument, config: Config) -> Expanded:
    """A page's body with its shortcodes expanded (see the module docstring); every problem in
    it is raised at once."""
    ctx = Context(doc, config)
    ctx.registry = {**BUILTINS, **site_shortcodes(config.site_dir, config.templates_key)}
    if "{{<" not in doc.body and "{{%" not in doc.body:
        out = Expanded(doc.body)
    else:
        out = Expanded(expand_region(ctx, 0, len(doc.body), nested=False))
    if ctx.errors:
        raise ContentErrors(ctx.errors)
    out.fragments = ctx.fragments
    out.refs = ctx.refs
    return out


# --- a site's own shortcodes ---------------------------------------------------------------


@lru_cache(maxsize=8)
def site_shortcodes(site_dir: Path, key: str) -> dict[str, Shortcode]:
    """templates/shortcodes/NAME.html of a site, each a Jinja template under its file's name
    (subfolders give "media/audio"); `key` (the templates' hash) renews the cache on an edit."""
    return custom.load(site_dir)


