"""Safe static serving: which file of the output folder a URL gets, if any.

The site is served under base_url's path (`/news/...`), as it will be deployed, so links that
work here work in production; `/` redirects there. Paths are checked segment by segment and
again after resolving symlinks: nothing outside the output folder is ever served, and neither is
the build's own bookkeeping (`.broadsheet-manifest.json`, the staging folder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Config
from ..urls import output_file

PLAIN_404 = (b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>"
             b"\n<body><h1>Not found</h1></body></html>\n")


@dataclass(frozen=True, slots=True)
class Request:
    """A request's URL: `raw` as sent (still %-encoded), `path` decoded, or None when it can name
    no file of ours (see `url_path`), and the query string."""

    raw: str
    path: str | None
    query: str


def parse(url: str) -> Request:
    parts = urlsplit(url)
    raw = parts.path or "/"
    return Request(raw, url_path(raw), parts.query)


@dataclass(frozen=True, slots=True)
class Located:
    """The answer for a URL: a file to send (`file`), a redirect (`location`, `status`), or
    neither (not found)."""

    file: Path | None = None
    location: str | None = None
    status: int = 200


NOT_FOUND = Located(status=404)


def unsafe(raw: str) -> bool:
    """Reject encodings that could smuggle a separator or NUL past the segment check."""
    lower = raw.lower()
    return "\\" in raw or "%5c" in lower or "%2f" in lower or "%00" in lower or "\x00" in raw


def url_path(raw: str) -> str | None:
    """The decoded URL path, or None when it can name no file of ours (a bad encoding, a NUL,
    a `.` or `..` segment)."""
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None  # not UTF-8: no file of ours has such a name
    if unsafe(raw) or "\x00" in path or any(s in (".", "..") for s in path.split("/")):
        return None
    return path


def is_page(path: str) -> bool:
    """Whether a URL path asks for a page (a folder, an .html file, a name without suffix)."""
    name = path.rsplit("/", 1)[-1]
    return not name or name.endswith((".html", ".htm")) or "." not in name


def site_path(path: str, base: str) -> str | None:
    """The site path a URL path under `base` names ("/news/world/" -> "world/"), else None."""
    return path[len(base):] if path.startswith(base) else None


def own_file(path: str | None, base: str) -> str | None:
    """The output file a page served at this URL path shows, for the live-reload script: the
    page reloads when that file changes (a 404 page too, once its URL gets a page)."""
    rel = None if path is None else site_path(path, base)
    return None if rel is None else output_file(rel)


def inside(root: Path, target: Path) -> Path | None:
    """`target` with symlinks resolved, or None when that leaves `root` (already resolved)."""
    real = Path(os.path.realpath(target))
    return real if real == root or root in real.parents else None


def locate(request: Request, config: Config) -> Located:
    """What to answer for a request from the output folder."""
    path = request.path
    if path is None:
        return NOT_FOUND
    base = config.base_path
    rel = site_path(path, base)
    if rel is None:
        if path + "/" == base or path == "/":
            return Located(location=base, status=302)  # not 301: browsers keep those after base_url changes
        return NOT_FOUND
    if any(s.startswith(".broadsheet") for s in rel.split("/")):
        return NOT_FOUND
    root = Path(os.path.realpath(config.output_dir))
    target = inside(root, root / rel)
    if target is not None and target.is_dir():
        if not path.endswith("/"):
            query = f"?{request.query}" if request.query else ""
            return Located(location=request.raw + "/" + query, status=301)
        target = inside(root, root / output_file(rel))
    if target is None or not target.is_file():
        return NOT_FOUND
    return Located(file=target)


def not_found_page(config: Config) -> Path | None:
    """The site's own 404.html, served with status 404 as the production host would."""
    root = Path(os.path.realpath(config.output_dir))
    page = inside(root, root / "404.html")
    return page if page is not None and page.is_file() else None


def inject(html: bytes, script: bytes) -> bytes:
    """Put `script` before the last `</body>` (or at the end when there is none)."""
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]
