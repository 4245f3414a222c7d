"""Hugo's URL rules: where a page of a Hugo site is published, so every page keeps its address.

Hugo's default is the file's own path: `content/post/basic-elements.md` is `/post/basic-elements/`,
a leaf bundle `content/post/x/index.md` is `/post/x/`, and a front-matter `slug` replaces the last
segment. `url` is the whole path, as written. `[permalinks]` gives a section (a top-level content
folder) a pattern of Hugo's tokens (`HUGO_TOKENS`). Hugo lower-cases paths and keeps non-ASCII
letters; titles and slugs are "urlized" one way (`urlize_title`), folder names, file names and
taxonomy terms another (`urlize_path`). Both were checked against Hugo 0.168 (tests/test_hugo.py
compares whole URL lists when the `hugo` binary is installed).
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urljoin

from ..config import Config
from ..sources.document import SourceDocument

_TOKEN = re.compile(r":\w+")
_HEX = set("0123456789abcdefABCDEF")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
BUNDLE_INDEX = ("index.md", "index.markdown")


def _word(ch: str) -> bool:
    """A letter, a combining mark or a decimal digit (Go's IsLetter, IsMark, IsDigit)."""
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat == "Nd"


def _escape_at(text: str, i: int) -> bool:
    return text[i] == "%" and i + 2 < len(text) and text[i + 1] in _HEX and text[i + 2] in _HEX


def urlize_path(text: str) -> str:
    """A folder or file name, or a taxonomy term, as Hugo puts it in a URL: each space a dash,
    letters, digits and `. _ - # + ~ / \\` kept, anything else dropped, lower case
    ("A/B testing" -> "a/b-testing", "C++" -> "c++")."""
    out = []
    for i, ch in enumerate(text):
        if ch.isspace():
            out.append("-")
        elif _word(ch) or ch in "._-#+~/\\" or _escape_at(text, i):
            out.append(ch)
    return "".join(out).lower()


def urlize_title(text: str) -> str:
    """A title or slug as Hugo's :title and :slug put it: runs of spaces (and `+ / \\`) are one
    dash, unless a dash is already there; other punctuation is dropped; lower case
    ("What's New? 2.0 & More" -> "whats-new-2.0-more")."""
    out: list[str] = []
    gap = False
    text = text.strip()
    for i, ch in enumerate(text):
        if _word(ch) or ch in "._-#~" or _escape_at(text, i):
            if gap and out and out[-1] != "-" and ch != "-":
                out.append("-")
            gap = False
            out.append(ch)
        elif ch.isspace() or ch in "+/\\":
            gap = True
    return "".join(out).lower()


def folder_form(path: str) -> str:
    """A URL path as a site path: no leading slash; a folder ends in "/" unless its last segment
    names a file ("page.html")."""
    path = re.sub(r"/{2,}", "/", path.strip()).lstrip("/")
    if not path:
        return ""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith("/") or "." not in last:
        return path.rstrip("/") + "/"
    return path


def page_file(doc: SourceDocument) -> tuple[str, str]:
    """(folder, file name) of a page as Hugo sees them: a leaf bundle's file name is its folder's
    ("post/x/index.md" -> ("post", "x")); a page's is its file name without the extension."""
    path = PurePosixPath(doc.path)
    if path.name.lower() in BUNDLE_INDEX and len(path.parts) > 1:
        return path.parent.parent.as_posix().lstrip("."), path.parent.name
    return path.parent.as_posix().lstrip("."), path.stem


def sections_of(folder: str, content_dir: str | None) -> list[str]:
    """The section path of a page in `folder`: the top-level folder, then each deeper folder as
    long as it has an `_index.md` (Hugo's nested sections)."""
    parts = [p for p in folder.split("/") if p]
    if not parts:
        return []
    out = [parts[0]]
    for n in range(2, len(parts) + 1):
        if content_dir is None or not os.path.isfile(os.path.join(content_dir, *parts[:n], "_index.md")):
            break
        out.append(parts[n - 1])
    return out


def _date_tokens(date: datetime) -> dict[str, str]:
    return {
        ":year": f"{date.year:04d}", ":month": f"{date.month:02d}", ":day": f"{date.day:02d}",
        ":monthname": MONTHS[date.month - 1], ":weekday": str((date.weekday() + 1) % 7),
        ":weekdayname": WEEKDAYS[(date.weekday() + 1) % 7],
        ":yearday": str(date.timetuple().tm_yday),
    }


def expand(pattern: str, tokens: dict[str, str]) -> str:
    """Fill a Hugo pattern; `tokens` has a value for every token `[permalinks]` allows."""
    return _TOKEN.sub(lambda m: tokens.get(m.group(0), m.group(0)), pattern)


def page_path(doc: SourceDocument, config: Config) -> str:
    """The site path Hugo gives one page (see the module docstring)."""
    f = doc.fields
    if f.url:
        return folder_form(f.url)
    folder, name = page_file(doc)
    content_dir = str(config.site_dir / "content")
    top = folder.split("/", 1)[0] if folder else ""
    pattern = config.permalinks.get(top) if top else None
    filename = urlize_path(name)
    slug = urlize_title(f.slug) if f.slug else None
    if not pattern:
        segments = [urlize_path(p) for p in folder.split("/") if p]
        return folder_form("/".join([*segments, slug or filename]) + "/")
    sections = [urlize_path(s) for s in sections_of(folder, content_dir)]
    date = f.date or datetime(1, 1, 1)
    tokens = {
        **_date_tokens(date),
        ":section": sections[0] if sections else "",
        ":sections": "/".join(sections),
        ":title": urlize_title(f.title),
        ":slug": slug or urlize_title(f.title),
        ":filename": filename,
        ":contentbasename": filename,
        ":slugorfilename": slug or filename,
        ":slugorcontentbasename": slug or filename,
    }
    return folder_form(expand(pattern, tokens))


def alias_path(alias: str, page: str) -> str:
    """An `aliases` entry as the site path of its redirect page: from the site root when it
    starts with "/", else relative to the page's folder, as Hugo resolves it."""
    alias = alias.strip()
    if not alias.startswith("/"):
        alias = urljoin("/" + page.rstrip("/"), alias)
    return folder_form(alias)
