"""Reading content/: find article files, decode them, hand each to the reader for its format.

Which reader: a file (`.md`, `.markdown` or `.txt`) that begins with a `---` front-matter block is
a Markdown article whatever its extension; a `.txt` file without one is a plain-text wire article.
Both produce the same `SourceDocument`, so everything downstream is shared.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import ContentError, Report
from .document import SourceDocument, decode
from .markdown_source import read_markdown
from .plaintext import read_plaintext

__all__ = ["ARTICLE_SUFFIXES", "SourceDocument", "decode", "discover", "read_document"]

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


def discover(content_dir: Path, hugo: bool = False) -> list[str]:
    """Article files under content_dir, relative and sorted, skipping hidden files and folders.
    `hugo`: by Hugo's rules (a leaf bundle is one article; see generator/hugo/content.py)."""
    if hugo:
        from ..hugo.content import discover as hugo_discover

        return list(hugo_discover(content_dir).pages)
    found = []
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        rel_root = Path(root).relative_to(content_dir).as_posix()
        for name in files:
            if name.startswith((".", "_")) or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            found.append(name if rel_root == "." else f"{rel_root}/{name}")
    return sorted(found)


def has_front_matter(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.rstrip() == "---"


def read_document(content_dir: Path, rel: str, config: Config, report: Report,
                  data: bytes | None = None) -> SourceDocument | None:
    """Read one article file (`data`: its bytes, when the caller has read them); problems go
    to `report` and a broken file gives None."""
    path = content_dir / rel
    try:
        text = decode(rel, path.read_bytes() if data is None else data)
        if has_front_matter(text) or not rel.lower().endswith(".txt"):
            doc = read_markdown(rel, text, config, report)
        else:
            doc = read_plaintext(rel, text, path, config, report)
        if doc is not None and doc.fields.date is None and config.hugo_rules:
            # Hugo's default: date, else publishDate, else lastmod
            f = doc.fields
            doc = replace(doc, fields=replace(f, date=f.publish_date or f.lastmod))
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
