"""Reading a WordPress export (WXR, "WordPress eXtended RSS") into plain frozen records.

The file is parsed with defusedxml: a WordPress export never declares entities or a DTD, so any
that does is refused (that is how "billion laughs" entity bombs and external-entity reads
work). Malformed XML names its line and column; a well-formed file that is not an export says so.
Everything else (what to import, how) is `wordpress.py`'s business.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

_WP_NS = re.compile(r"^\{(https?://wordpress\.org/export/\d+\.\d+/)\}")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


class ExportError(Exception):
    """The export cannot be read: names the file, the line when known, and what is wrong."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Author:
    login: str
    display_name: str


@dataclass(frozen=True, slots=True)
class Category:
    nicename: str
    name: str
    parent: str  # the parent's nicename, "" at the top


@dataclass(frozen=True, slots=True)
class Term:
    """A term attached to an item: `domain` is "category", "post_tag", "post_format" ..."""

    domain: str
    nicename: str
    name: str


@dataclass(frozen=True, slots=True)
class Item:
    """One <item>: a post, page, attachment, menu item or any other post type."""

    id: int
    type: str
    status: str
    title: str  # as exported (may hold HTML)
    link: str
    slug: str  # wp:post_name, percent-encoded as WordPress stores it
    date: datetime | None  # wp:post_date: the blog's local time, naive
    date_gmt: datetime | None  # wp:post_date_gmt, aware (UTC); None for "0000-00-00 ..."
    creator: str
    content: str
    excerpt: str
    terms: tuple[Term, ...]
    meta: dict[str, str]
    parent: int
    menu_order: int
    password: str
    attachment_url: str
    comments: int  # approved comments and pingbacks
    sticky: bool = False  # pinned to the front page
    line: int | None = None  # where the item starts in the file, when known


@dataclass(frozen=True)
class Export:
    path: str
    title: str
    link: str  # the blog's home URL (wp:base_blog_url, or the channel link)
    language: str
    authors: dict[str, Author]
    categories: dict[str, Category]
    items: tuple[Item, ...]
    attachments: dict[int, Item] = field(default_factory=dict)

    def children(self, parent: int) -> list[Item]:
        """Attachments of one post, in WordPress's gallery order (menu_order, then id)."""
        kids = [a for a in self.attachments.values() if a.parent == parent]
        return sorted(kids, key=lambda a: (a.menu_order, a.id))


def _date(text: str | None) -> datetime | None:
    text = (text or "").strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _int(text: str | None) -> int:
    try:
        return int((text or "0").strip())
    except ValueError:
        return 0


def _lines_of_items(data: bytes) -> list[int]:
    """Line numbers of each <item> start, so a problem with one item can name its line."""
    out, line, pos = [], 1, 0
    for m in re.finditer(rb"<item[\s>]", data):
        line += data.count(b"\n", pos, m.start())
        pos = m.start()
        out.append(line)
    return out


def read_export(path: Path, shown: str | None = None) -> Export:
    """Parse a WXR file. Raises ExportError for unreadable, malformed, hostile or non-WXR files."""
    shown = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(shown, f"cannot read the file: {exc.strerror}") from None
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise ExportError(shown, f"refused: the file declares XML entities or external references "
                                 f"({type(exc).__name__}); a WordPress export never does, and "
                                 "expanding them could exhaust memory (an entity bomb)") from None
    except ET.ParseError as exc:
        line, col = exc.position
        raise ExportError(shown, f"malformed XML at column {col + 1}: {_reason(exc)}; "
                                 "export the site again from WordPress (Tools > Export)", line) from None
    return _export(root, shown, _lines_of_items(data))


def _reason(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0] if ":" in str(exc) else str(exc)


def _export(root: ET.Element, shown: str, item_lines: list[int]) -> Export:
    channel = root.find("channel")
    wp = None
    if root.tag == "rss" and channel is not None:
        for el in channel:
            m = _WP_NS.match(el.tag)
            if m:
                wp = m.group(1)
                break
    if wp is None or channel is None:
        what = f"<{root.tag}>" if root.tag != "rss" else "an RSS feed without wp: elements"
        raise ExportError(shown, f"not a WordPress export (WXR): the file is {what}; export it "
                                 "from WordPress with Tools > Export > All content")
    ns = {"wp": wp, "content": CONTENT_NS, "dc": DC_NS, "excerpt": wp + "excerpt/"}

    def text(el: ET.Element, tag: str) -> str:
        return el.findtext(tag, default="", namespaces=ns) or ""

    authors = {}
    for a in channel.findall("wp:author", ns):
        login = text(a, "wp:author_login").strip()
        if login:
            authors[login] = Author(login, text(a, "wp:author_display_name").strip() or login)
    categories = {}
    for c in channel.findall("wp:category", ns):
        nice = text(c, "wp:category_nicename").strip()
        if nice:
            categories[nice] = Category(nice, unescape(text(c, "wp:cat_name").strip()) or nice,
                                        text(c, "wp:category_parent").strip())
    items, attachments = [], {}
    for n, el in enumerate(channel.findall("item")):
        gmt = _date(text(el, "wp:post_date_gmt"))
        meta = {}
        for m in el.findall("wp:postmeta", ns):
            meta[text(m, "wp:meta_key")] = text(m, "wp:meta_value")
        comments = sum(1 for c in el.findall("wp:comment", ns)
                       if text(c, "wp:comment_approved").strip() == "1")
        item = Item(
            id=_int(text(el, "wp:post_id")),
            type=text(el, "wp:post_type").strip(),
            status=text(el, "wp:status").strip(),
            title=el.findtext("title", default="") or "",
            link=(el.findtext("link", default="") or "").strip(),
            slug=text(el, "wp:post_name").strip(),
            date=_date(text(el, "wp:post_date")),
            date_gmt=gmt.replace(tzinfo=UTC) if gmt else None,
            creator=text(el, "dc:creator").strip(),
            content=text(el, "content:encoded"),
            excerpt=text(el, "excerpt:encoded"),
            terms=tuple(Term(t.get("domain", ""), t.get("nicename", ""), unescape(t.text or ""))
                        for t in el.findall("category")),
            meta=meta,
            parent=_int(text(el, "wp:post_parent")),
            menu_order=_int(text(el, "wp:menu_order")),
            password=text(el, "wp:post_password"),
            attachment_url=text(el, "wp:attachment_url").strip(),
            comments=comments,
            sticky=text(el, "wp:is_sticky").strip() == "1",
            line=item_lines[n] if n < len(item_lines) else None,
        )
        items.append(item)
        if item.type == "attachment":
            attachments[item.id] = item
    link = text(channel, "wp:base_blog_url").strip() or (channel.findtext("link") or "").strip()
    return Export(path=shown, title=(channel.findtext("title") or "").strip(), link=link,
                  language=(channel.findtext("language") or "").strip(), authors=authors,
                  categories=categories, items=tuple(items), attachments=attachments)
