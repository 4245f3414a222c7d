"""Content-Type by file name: one table for the preview server and the deploy, so they agree."""

from __future__ import annotations

import mimetypes
import os

TEXT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".xsl": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".ics": "text/calendar",
}
BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".gz": "application/gzip",
}
NAMED_TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}


def content_type(name: str) -> str:
    """The Content-Type for a file name, with charset=utf-8 for text (the generator writes UTF-8).

    A fixed table first, because `mimetypes` depends on the machine's /etc/mime.types and CI
    runners disagree (e.g. about .js and .xml).
    """
    lower = name.lower()
    suffix = os.path.splitext(lower)[1]
    if lower in NAMED_TYPES:
        return NAMED_TYPES[lower] + "; charset=utf-8"
    if suffix in TEXT_TYPES:
        return TEXT_TYPES[suffix] + "; charset=utf-8"
    if suffix in BINARY_TYPES:
        return BINARY_TYPES[suffix]
    guessed = mimetypes.guess_type(lower)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed
