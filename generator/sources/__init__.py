"""Reading content/: find article files, decode them, hand each to the reader for its format.

Which reader: a file (`.md`, `.markdown` or `.txt`) that begins with a `---` front-matter block is
a Markdown article whatever its extension; a `.txt` file without one is a plain-text wire article.
Both produce the same `SourceDocument`, so everything downstream is shared.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import ContentError, Report
from .fields import Fields

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceDocument:
    """One article as read from disk: validated fields and a Markdown body, nothing rendered."""

    path: str  # relative to content/, with forward slashes: "world/some-story.md"
    fields: Fields
    body: str  # Markdown (plain-text wire copy is converted to Markdown by its reader)
    body_line: int = 1  # line of the file on which the body starts
    kind: str = "markdown"  # "markdown" or "plaintext"

    @property
    def folder(self) -> str:
        """The first folder under content/ ("" for a file at the top level)."""
        return self.path.split("/", 1)[0] if "/" in self.path else ""

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def discover(content_dir: Path) -> list[str]:
    """Article files under content_dir, relative and sorted, skipping hidden files and folders."""
    found = []
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        rel_root = Path(root).relative_to(content_dir).as_posix()
        for name in files:
            if name.startswith((".", "_")) or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            found.append(name if rel_root == "." else f"{rel_root}/{name}")
    return sorted(found)


def decode(rel: str, data: bytes) -> str:
    """UTF-8 text with BOM removed and line endings normalised; bad bytes name their offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(rel, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset "
                                f"{exc.start} ({exc.reason}); save the file as UTF-8", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters (scraper debris) are invalid in HTML and XML: drop them here, once.
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def has_front_matter(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.rstrip() == "---"


def read_document(content_dir: Path, rel: str, config: Config, report: Report
                  ) -> SourceDocument | None:
    """Read one article file; problems go to `report` and a broken file gives None."""
    from .markdown_source import read_markdown
    from .plaintext import read_plaintext

    path = content_dir / rel
    try:
        text = decode(rel, path.read_bytes())
        if has_front_matter(text) or not rel.lower().endswith(".txt"):
            doc = read_markdown(rel, text, config, report)
        else:
            doc = read_plaintext(rel, text, path, config, report)
        if doc is not None and doc.fields.date is None:
            mtime = datetime.fromtimestamp(path.stat().st_mtime, config.tz).replace(microsecond=0)
            report.warn(rel, f"no date: using the file's modification time ({mtime.isoformat()}); "
                             "add a date field so builds are reproducible", field="date")
            doc = replace(doc, fields=replace(doc.fields, date=mtime))
        return doc
    except ContentError as exc:
        report.error(exc)
    except OSError as exc:
        report.error(ContentError(rel, f"cannot read the file: {exc.strerror}"))
    return None
