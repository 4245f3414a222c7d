"""WordPress post HTML -> clean Markdown that our Markdown setup renders back faithfully.

WordPress stores a post as it was typed, not as it is shown: classic posts have no <p> tags
(WordPress adds them when it shows the post, `wpautop`), shortcodes such as `[caption]` and
`[gallery]` are expanded at view time, a URL alone on a line becomes an embed, and block-editor
posts carry `<!-- wp:... -->` comments around every block. So a body goes through four steps:

1. block comments out (a dynamic block with no stored HTML, such as "latest posts", is left as
   an HTML comment naming it, and reported), `<!--more-->` kept, `<!--nextpage-->` dropped;
2. the classic shortcodes (`[caption]`, `[gallery]`, `[embed]`, `[audio]`, `[video]`) into
   HTML our articles show: figures with captions, a gallery of figures, audio and video players,
   and embeds as a link (YouTube and Vimeo also as a player);
3. paragraphs for classic posts, as WordPress would show them;
4. HTML -> Markdown with markdownify (chosen over html2text, see docs/migrating-from-wordpress.md),
   with overrides where its defaults would not survive Python-Markdown: text that looks like
   markup is escaped (`<b>` typed as text stays text), nested lists are indented four spaces,
   `<sup>`, `<del>` and friends stay inline HTML, and anything with no Markdown form (iframes,
   forms, scripts, complex tables, custom HTML blocks) stays as raw HTML, which Markdown
   allows, and is reported. Nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

MORE_MARK = "BROADSHEETMOREMARK"
COMMENT_MARK = "BROADSHEETCOMMENTMARK"
_RAW = "data-bs-raw"  # an element kept as raw HTML; its value says why ("" = ours, not reported)


@dataclass(frozen=True, slots=True)
class Picture:
    """An image WordPress knows as an attachment (for galleries): URL, alt text, caption."""

    url: str
    alt: str = ""
    caption: str = ""


@dataclass
class BodyContext:
    """What body conversion needs from the rest of the export, and what it found."""

    gallery: Callable[[list[int] | None], list[Picture]] = lambda ids: []
    rewrite: Callable[[str], str] = lambda url: url  # old image URL -> its new link
    review: list[str] = field(default_factory=list)  # things a person should look at
    info: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # HTML comments to put back after conversion


# --- step 1: block comments ---------------------------------------------------------------

_BLOCK_OPEN = re.compile(r"<!--\s+(/?)wp:([a-z0-9_/-]+)(\s+\{.*?\})?\s*(/?)-->", re.S)
_HTML_BLOCK = re.compile(r"<!--\s+wp:html(?:\s+\{.*?\})?\s*-->(.*?)<!--\s+/wp:html\s*-->", re.S)
_MORE = re.compile(r"<!--more(?:\s[^>]*)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")


def _blocks(text: str, ctx: BodyContext) -> str:
    def html_block(m: re.Match[str]) -> str:
        ctx.review.append("a custom HTML block is kept as HTML")
        return f'\n\n<div {_RAW}="custom HTML block">{m.group(1).strip()}</div>\n\n'

    text = _HTML_BLOCK.sub(html_block, text)

    def comment(m: re.Match[str]) -> str:
        closing, name, _attrs, self_closing = m.groups()
        if self_closing and not closing:
            ctx.review.append(f"block {name!r} has no content in the export (WordPress draws it "
                              "when the page is shown): left as a comment in the article")
            ctx.comments.append(f"<!-- WordPress block not imported: {name} -->")
            return f"\n\n<p>{COMMENT_MARK}{len(ctx.comments) - 1}X</p>\n\n"
        return "\n"

    return _BLOCK_OPEN.sub(comment, text)


# --- step 2: shortcodes -------------------------------------------------------------------

SHORTCODES = ("caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist")
_SHORTCODE = re.compile(r"\[(\[?)(" + "|".join(SHORTCODES) + r")(?![\w-])((?:[^\]\"']|\"[^\"]*\"|'[^']*')*?)"
                        r"(/?)\](?:(.*?)\[/\2\])?(\]?)", re.S)
_ATTR = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'\"]+)"
                   r"|\"([^\"]*)\"|(\S+)")
_OTHER_SHORTCODE = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]]*)?\][^\[]*\[/\1\]")
_IMG = re.compile(r"^\s*(<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>)\s*(.*)$", re.S | re.I)
_MEDIA_EXT = ("mp3", "ogg", "oga", "m4a", "wav", "flac", "mp4", "m4v", "webm", "ogv", "mov", "wmv",
              "flv")


def shortcode_attrs(text: str) -> tuple[dict[str, str], list[str]]:
    """Named and positional attributes, parsed the way WordPress's shortcode_parse_atts does."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for m in _ATTR.finditer(unescape(text).replace("\u00a0", " ")):
        if m.group(1):
            named[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            named[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            named[m.group(5).lower()] = m.group(6)
        else:
            positional.append(m.group(7) if m.group(7) is not None else m.group(8))
    return named, positional


def _figure(image_html: str, caption_html: str) -> str:
    caption = f"<figcaption>{caption_html.strip()}</figcaption>" if caption_html.strip() else ""
    return f'<figure class="figure" {_RAW}="">{image_html}{caption}</figure>'


def _img(url: str, alt: str) -> str:
    return f'<img src="{escape(url)}" alt="{escape(alt)}">'


def embed_html(url: str, caption_html: str, ctx: BodyContext) -> str:
    """An embed without the network: a link to it; YouTube and Vimeo also as a player."""
    url = url.strip()
    link = f'<a href="{escape(url)}">{escape(url)}</a>'
    caption = f"{link} {caption_html.strip()}".strip()
    player = _player(url)
    if player:
        return (f'<figure class="embed" {_RAW}=""><iframe src="{escape(player)}" title="Video" '
                f'loading="lazy" allowfullscreen></iframe><figcaption>{caption}</figcaption></figure>')
    host = urlsplit(url).hostname or "the web"
    ctx.info.append(f"embed from {host} kept as a link: {url}")
    return f'<p class="embed">{caption}</p>'


def _player(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    video = ""
    if host == "youtube.com" and parts.path == "/watch":
        video = parse_qs(parts.query).get("v", [""])[0]
    elif host == "youtu.be":
        video = parts.path.strip("/")
    if re.fullmatch(r"[\w-]{6,20}", video):
        return f"https://www.youtube-nocookie.com/embed/{video}"
    if host == "vimeo.com" and re.fullmatch(r"/\d+", parts.path):
        return f"https://player.vimeo.com/video{parts.path}"
    return None


def _media(kind: str, named: dict[str, str], positional: list[str], content: str) -> str | None:
    src = named.get("src") or next((named[e] for e in _MEDIA_EXT if e in named), "")
    if not src and positional and positional[0].startswith(("http://", "https://", "/")):
        src = positional[0]
    if not src and content.strip().startswith(("http://", "https://")):
        src = content.strip()
    if not src:
        return None
    poster = f' poster="{escape(named["poster"])}"' if named.get("poster") else ""
    return (f'<figure class="media" {_RAW}=""><{kind} controls src="{escape(src)}"{poster}>'
            f'<a href="{escape(src)}">{escape(src)}</a></{kind}></figure>')


def _gallery(named: dict[str, str], ctx: BodyContext) -> str | None:
    ids_text = named.get("ids") or named.get("include") or ""
    ids = [int(i) for i in re.findall(r"\d+", ids_text)] or None
    pictures = ctx.gallery(ids)
    exclude = {int(i) for i in re.findall(r"\d+", named.get("exclude", ""))}
    if exclude and ids is None:
        pictures = [p for n, p in enumerate(pictures) if n not in exclude]
    if not pictures:
        return None
    if named.get("orderby") == "rand":
        ctx.info.append("a gallery shown in random order in WordPress keeps its stored order")
    figures = "".join(_figure(_img(p.url, p.alt), escape(p.caption)) for p in pictures)
    return f'<div class="gallery" {_RAW}="">{figures}</div>'


def shortcodes(text: str, ctx: BodyContext) -> str:
    """Expand the classic shortcodes; `[[gallery]]` is WordPress's escape for the literal text."""

    def expand(m: re.Match[str]) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)[1:-1]
        name, attrs, content = m.group(2), m.group(3), m.group(5) or ""
        named, positional = shortcode_attrs(attrs)
        out: str | None
        if name in ("caption", "wp_caption"):
            img = _IMG.match(content)
            caption = named.get("caption") or (img.group(2) if img else "")
            out = _figure(img.group(1), caption) if img else None
        elif name == "gallery":
            out = _gallery(named, ctx)
        elif name == "embed":
            url = content.strip() or named.get("src", "")
            out = embed_html(url, "", ctx) if url else None
        elif name in ("audio", "video"):
            out = _media(name, named, positional, content)
        else:
            out = None
        if out is None:
            ctx.review.append(f"shortcode [{name}] could not be converted: kept as written")
            return m.group(0)
        return f"\n\n{out}\n\n"

    text = _SHORTCODE.sub(expand, text)
    for m in _OTHER_SHORTCODE.finditer(text):
        ctx.review.append(f"unknown shortcode [{m.group(1)}] kept as written")
    return text


# --- step 3: paragraphs for classic posts -------------------------------------------------

_BLOCK_TAGS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
               "form|map|area|blockquote|address|math|style|script|p|h[1-6]|hr|fieldset|legend|"
               "section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|"
               "summary|audio|video|iframe|object|embed|noscript|center")
_BEFORE_BLOCK = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.I)
_AFTER_BLOCK = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.I)
_STARTS_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})[\s/>]|^<!--", re.I)
_OPEN_CLOSE = re.compile(rf"<(/?)({_BLOCK_TAGS})\b[^>]*?(/?)>", re.I)
_KEEP_WHOLE = re.compile(r"<(pre|script|style)\b.*?</\1>|<(?:figure|div) [^>]*data-bs-raw=.*?"
                         r"</(?:figure|div)>(?=\s*\n\n|\s*$)", re.S | re.I)
_URL_LINE = re.compile(r"^https?://[^\s<>\"]+$")
_VOID = {"hr", "col", "area", "embed"}
_IMG_ATTRS = ("src", "alt", "title", "width", "height")  # srcset and classes name the old site
_INNER_NEWLINE = re.compile(r"(?<=[^>\s])[ \t]*\n[ \t]*(?=[^<\s])")


def autop(text: str, ctx: BodyContext) -> str:
    """WordPress's `wpautop` in short: blank lines separate paragraphs, a single newline inside
    a paragraph is a line break, block elements are left alone, and a URL alone on a line at
    the top level is an embed (WordPress's auto-embed)."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\n\n\x02{len(kept) - 1}\x03\n\n"

    text = _KEEP_WHOLE.sub(keep, text)
    text = _AFTER_BLOCK.sub(r"\1\n\n", _BEFORE_BLOCK.sub(r"\n\n\1", text))
    out: list[str] = []
    depth = 0
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if depth == 0 and not _STARTS_BLOCK.match(chunk) and not re.fullmatch(r"\x02\d+\x03", chunk):
            if _URL_LINE.match(chunk):
                chunk = embed_html(unescape(chunk), "", ctx)
            else:
                chunk = "<p>" + re.sub(r"[ \t]*\n[ \t]*", "<br />\n", chunk) + "</p>"
        elif not chunk.startswith("\x02"):
            chunk = _INNER_NEWLINE.sub("<br />\n", chunk)  # a line break inside a block
        for m in _OPEN_CLOSE.finditer(chunk):
            if m.group(2).lower() in _VOID or m.group(3):
                continue
            depth = max(0, depth + (-1 if m.group(1) else 1))
        out.append(chunk)
    joined = "\n\n".join(out)
    return re.sub(r"\x02(\d+)\x03", lambda m: kept[int(m.group(1))], joined)


# --- step 4: HTML -> Markdown -------------------------------------------------------------

ALWAYS_RAW = {"iframe", "object", "embed", "video", "audio", "script", "noscript", "form", "svg",
              "math", "canvas", "map", "details", "select", "textarea", "input", "button"}
INLINE_HTML = ("sup", "sub", "u", "ins", "del", "s", "strike", "mark", "small", "big", "abbr",
               "acronym", "cite", "dfn", "var", "bdo", "q", "tt")
_INLINE_ATTRS = ("title", "dir", "lang", "datetime", "cite")
_TEXT_SPECIAL = re.compile(r"([\\`*_\[\]])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"(?m)^([ \t]*)(#|>|[-+*](?=\s)|-{2,}(?=\s*$)|=+(?=\s*$)|\d+(?=\.(?:\s|$)))")


class _Converter(MarkdownConverter):
    """markdownify, adjusted to what Python-Markdown (with `extra`) reads back unchanged."""

    def __init__(self) -> None:
        super().__init__(heading_style="ATX", bullets="-", escape_misc=False, strip_document="strip",
                         code_language_callback=_code_language, table_infer_header=False)

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        if isinstance(node, Tag) and node.has_attr(_RAW):
            return "\n\n" + raw_html(node) + "\n\n"
        return super().process_tag(node, parent_tags)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = _TEXT_SPECIAL.sub(r"\\\1", text)
        text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
        if "td" in parent_tags or "th" in parent_tags:
            text = text.replace("|", "\\|")
        return text

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_p(el, _protect_line_starts(text), parent_tags)

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Four spaces for what belongs to an item: Python-Markdown needs them for nesting."""
        text = (text or "").strip()
        if not text:
            return "\n"
        first, nl, rest_text = text.partition("\n")
        text = _protect_line_starts(first) + nl + rest_text  # later lines may be nested lists
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = parent.get("start")
            first = int(start) if start and str(start).isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        lines = text.split("\n")
        rest = ["    " + line if line.strip() else "" for line in lines[1:]]
        return "\n".join([f"{bullet} {lines[0]}", *rest]) + "\n"

    def convert_list(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "li" in parent_tags:
            return "\n" + text.rstrip() + "\n"  # tight: no blank line before a nested list
        return "\n\n" + text + "\n\n"

    convert_ul = convert_list
    convert_ol = convert_list

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        fence = "~~~~" if "```" in text else "```"
        lang = _code_language(el) or ""
        return f"\n\n{fence}{lang}\n{text.strip(chr(10))}\n{fence}\n\n"

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = (text or "").strip()
        if not text:
            return ""
        quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
        return f"\n\n{quoted}\n\n"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = (el.get("alt") or "").replace("[", "\\[").replace("]", "\\]")
        src = (el.get("src") or "").replace(" ", "%20").replace(")", "%29").replace("(", "%28")
        if not src:
            return ""
        title = el.get("title") or ""
        title_part = ' "{}"'.format(title.replace('"', "&quot;")) if title else ""
        return f"![{alt}]({src}{title_part})"

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = (el.get("href") or "").strip()
        if not text.strip():
            return text
        if not href or href.startswith("javascript:"):
            return text
        href = href.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
        title = el.get("title") or ""
        title_part = ' "{}"'.format(title.replace('"', "&quot;")) if title else ""
        prefix = " " if text.startswith(" ") else ""
        suffix = " " if text.endswith(" ") else ""
        return f"{prefix}[{text.strip()}]({href}{title_part}){suffix}"

    def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_dt(el, _protect_line_starts(text.strip()), parent_tags)

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n---\n\n"

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n" + text.strip() + "\n\n"

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return "<br>"
        return "  \n"


def _inline_html(name: str) -> Callable[[_Converter, Tag, str, set[str]], str]:
    def convert(self: _Converter, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return text
        attrs = "".join(f' {a}="{escape(str(el.get(a)))}"' for a in _INLINE_ATTRS if el.get(a))
        return f"<{name}{attrs}>{text}</{name}>"

    return convert


for _name in INLINE_HTML:
    setattr(_Converter, f"convert_{_name}", _inline_html(_name))


def _code_language(el: Tag) -> str | None:
    for node in (el, el.find("code")):
        if isinstance(node, Tag):
            for cls in node.get("class") or []:
                if cls.startswith(("language-", "lang-")):
                    return re.sub(r"[^\w+#.-]", "", cls.split("-", 1)[1]) or None
    return None


def _protect_line_starts(text: str) -> str:
    """Escape what would start a heading, quote or list at the start of a line of prose."""
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker + "\\"  # "1. " would start a list; "1\\. " is the text "1. "
    if marker[0] == "=":
        return "&#61;" + marker[1:]  # "===" under a line would make it a heading
    return "\\" + marker


def raw_html(node: Tag) -> str:
    """An element as HTML for the Markdown file, without our marker attributes. Python-Markdown
    keeps a block-level element as it is up to its closing tag, blank lines included."""
    for el in [node, *node.find_all(True)]:
        if el.has_attr(_RAW):
            del el[_RAW]
    return str(node).strip()


def _simple_table(table: Tag) -> bool:
    """A table Markdown can hold: no merged cells, no nested tables, lists or blocks in cells."""
    for cell in table.find_all(["td", "th"]):
        if cell.get("colspan", "1") != "1" or cell.get("rowspan", "1") != "1":
            return False
        if cell.find(["table", "ul", "ol", "p", "div", "pre", "blockquote", "h1", "h2", "h3",
                      "h4", "h5", "h6", "figure"]):
            return False
    return bool(table.find("tr"))


def _mark_raw(el: Tag, why: str, ctx: BodyContext) -> None:
    if not el.has_attr(_RAW):
        el[_RAW] = why
        ctx.review.append(f"{why} kept as HTML")


def _dom(soup: BeautifulSoup, ctx: BodyContext) -> None:
    """Rewrite the parsed body in place: WordPress block markup into plain elements, image URLs
    to their new place, and whatever Markdown cannot hold marked to be kept as HTML."""
    for img in soup.find_all("img"):
        img.attrs = {k: v for k, v in img.attrs.items() if k in _IMG_ATTRS}
        if img.get("src"):
            img["src"] = ctx.rewrite(img["src"])
    for a in soup.find_all("a"):
        if a.get("href"):
            a["href"] = ctx.rewrite(a["href"])
    for pre in soup.find_all("pre"):
        for br in pre.find_all("br"):
            br.replace_with("\n")
        if not pre.find("code"):
            pre[_RAW] = ""  # preformatted text and verse: kept as written
    for fig in soup.find_all("figure"):
        if fig.parent is None or fig.has_attr(_RAW) or fig.find_parent(attrs={_RAW: True}):
            continue
        _figure_block(fig, soup, ctx)
    for div in soup.find_all("div", class_="wp-block-cover"):
        m = re.search(r"background-image:\s*url\(['\"]?([^)'\"]+)", div.get("style", ""))
        if m:
            img = soup.new_tag("img", src=ctx.rewrite(m.group(1)), alt="")
            div.insert(0, img)
    for div in soup.find_all("div", class_="wp-block-spacer"):
        if not div.get_text(strip=True):
            div.decompose()
    for table in soup.find_all("table"):
        if not table.find_parent(attrs={_RAW: True}) and not _simple_table(table):
            _mark_raw(table, "a table with merged cells or blocks in its cells", ctx)
    for el in soup.find_all(ALWAYS_RAW):
        if not el.find_parent(attrs={_RAW: True}) and not el.has_attr(_RAW):
            _mark_raw(el, f"<{el.name}>", ctx)


def _figure_block(fig: Tag, soup: BeautifulSoup, ctx: BodyContext) -> None:
    classes = set(fig.get("class") or [])
    caption = fig.find("figcaption", recursive=False) or fig.find("figcaption")
    caption_html = caption.decode_contents() if caption else ""
    if "wp-block-embed" in classes or any(c.startswith("wp-block-embed") for c in classes):
        wrapper = fig.find(class_="wp-block-embed__wrapper") or fig
        url = ""
        for s in wrapper.find_all(string=True, recursive=True):
            if s.strip().startswith(("http://", "https://")):
                url = s.strip()
                break
        if url:
            fig.replace_with(BeautifulSoup(embed_html(url, caption_html, ctx), "html.parser"))
            return
    if "wp-block-gallery" in classes or fig.find("ul", class_="blocks-gallery-grid"):
        figures = []
        for item in fig.find_all("figure"):
            img = item.find("img")
            if img is None:
                continue
            cap = item.find("figcaption")
            picture = _img(img.get("src", ""), img.get("alt", ""))
            link = img.find_parent("a")
            if link is not None and link.get("href") and item in link.parents:
                picture = f'<a href="{escape(link["href"])}">{picture}</a>'  # kept, as WordPress linked it
            figures.append(_figure(picture, cap.decode_contents() if cap else ""))
        own = fig.find("figcaption", recursive=False)
        if own is not None:
            figures.append(f"<p>{own.decode_contents()}</p>")
        fig.replace_with(BeautifulSoup(f'<div class="gallery" {_RAW}="">{"".join(figures)}</div>',
                                       "html.parser"))
        return
    if fig.find(["table", "blockquote"]) and not fig.find(["img", "audio", "video", "iframe"]):
        fig.unwrap()  # table and pull-quote blocks: the table or quote is the content
        return
    media = fig.find(["img", "audio", "video", "iframe", "object", "embed"])
    if media is None:
        fig.unwrap()
        return
    if media.name == "img" and not caption:
        fig.unwrap()  # a picture without caption: a Markdown image
        return
    fig.attrs = {"class": "figure" if media.name == "img" else "media", _RAW: ""}
    for el in fig.find_all(True):
        if el.name in ("img", "a", "figcaption", "audio", "video", "source", "track"):
            el.attrs = {k: v for k, v in el.attrs.items()
                        if k in ("src", "alt", "href", "title", "controls", "poster", "type",
                                 "loop", "muted", "kind", "srclang", "label", "width", "height")}


@dataclass(frozen=True, slots=True)
class Converted:
    markdown: str
    review: tuple[str, ...]
    info: tuple[str, ...]


def wordpress_html(html: str, ctx: BodyContext) -> str:
    """Steps 1-3: the HTML WordPress would have shown (blocks, shortcodes, paragraphs), before
    any Markdown. Also what bench/html_to_markdown.py hands each library it compares."""
    text = html.replace("\r\n", "\n").replace("\r", "\n")
    is_blocks = "<!-- wp:" in text
    if is_blocks:
        text = _blocks(text, ctx)
    if _NEXTPAGE.search(text):
        ctx.info.append("page breaks (<!--nextpage-->) removed: the article is one page")
        text = _NEXTPAGE.sub("\n\n", text)
    parts = _MORE.split(text, maxsplit=1)
    if len(parts) == 2:
        text = parts[0] + f"\n\n<p>{MORE_MARK}</p>\n\n" + _MORE.sub("", parts[1])
    text = shortcodes(text, ctx)
    return text if is_blocks else autop(text, ctx)


def convert_body(html: str, ctx: BodyContext | None = None) -> Converted:
    """One post body (content:encoded as exported) -> Markdown, with what needs a look."""
    ctx = ctx or BodyContext()
    soup = BeautifulSoup(wordpress_html(html, ctx), "html.parser")
    _dom(soup, ctx)
    md = _Converter().convert_soup(soup)
    md = md.replace(MORE_MARK, "<!--more-->")
    md = re.sub(COMMENT_MARK + r"(\d+)X", lambda m: ctx.comments[int(m.group(1))], md)
    md = re.sub(r"[ \t]+\n", lambda m: "  \n" if m.group(0).startswith("  ") else "\n", md)
    md = re.sub(r"\n{3,}", "\n\n", md).strip()
    return Converted(md + "\n" if md else "", tuple(dict.fromkeys(ctx.review)),
                     tuple(dict.fromkeys(ctx.info)))


def convert_inline(html: str) -> str:
    """A short text such as an excerpt or a caption, as one paragraph of Markdown."""
    result = convert_body(html)
    return " ".join(result.markdown.replace("<!--more-->", "").split())


def plain_title(html: str) -> str:
    """A WordPress title as plain text: markup removed, entities decoded, spaces folded."""
    text = BeautifulSoup(html, "html.parser").get_text() if "<" in html else unescape(html)
    return " ".join(unescape(text).split())
