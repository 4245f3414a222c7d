"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the format, apart from what goes in it.

`generator.feeds` decides which articles a feed carries and how an article reads as an item (the
same ids, links and summaries as its Atom entry); this module only writes the document, so the
rules of the format live in one place: `version` first, `items` required, at least one of
`content_html`/`content_text` per item, RFC 3339 dates, `authors` (1.1) rather than `author`
(1.0), and no key with an empty value. `tests/test_newsroom.py` checks the output against a JSON
Schema written from the spec (`tests/fixtures/jsonfeed-1.1.schema.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"  # what <link rel="alternate" type=...> announces


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    url: str
    title: str
    content_html: str
    summary: str = ""
    date_published: datetime | None = None
    date_modified: datetime | None = None
    authors: tuple[Author, ...] = ()
    tags: tuple[str, ...] = ()
    image: str = ""
    language: str = ""


def _author(a: Author) -> dict[str, str]:
    return {"name": a.name, **({"url": a.url} if a.url else {})}


def _item(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "url": item.url, "title": item.title,
                           "content_html": item.content_html}
    if item.summary:
        out["summary"] = item.summary
    if item.image:
        out["image"] = item.image
    if item.date_published is not None:
        out["date_published"] = item.date_published.isoformat()
    if item.date_modified is not None:
        out["date_modified"] = item.date_modified.isoformat()
    if item.authors:
        out["authors"] = [_author(a) for a in item.authors]
    if item.tags:
        out["tags"] = list(item.tags)
    if item.language:
        out["language"] = item.language
    return out


def document(*, title: str, home_page_url: str, feed_url: str, items: Iterable[Item],
             description: str = "", language: str = "", icon: str = "", favicon: str = "",
             authors: tuple[Author, ...] = (), hubs: tuple[tuple[str, str], ...] = ()) -> bytes:
    """One feed as UTF-8 JSON bytes, keys in the spec's order (the same input, the same bytes)."""
    doc: dict[str, Any] = {"version": VERSION, "title": title, "home_page_url": home_page_url,
                           "feed_url": feed_url}
    if description:
        doc["description"] = description
    if icon:
        doc["icon"] = icon
    if favicon:
        doc["favicon"] = favicon
    if authors:
        doc["authors"] = [_author(a) for a in authors]
    if language:
        doc["language"] = language
    if hubs:  # (type, url): ("WebSub", "https://hub.example/")
        doc["hubs"] = [{"type": kind, "url": url} for kind, url in hubs]
    doc["items"] = [_item(i) for i in items]
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
