"""content/ as Hugo reads it: pages, leaf bundles, section indexes, resources; front matter as
Hugo reads it; and the article wrapper that expands shortcodes around `articles.make_article`.

A folder holding `index.md` is a leaf bundle: that file is one article, and every other file
under the folder (images, other Markdown, subfolders) belongs to it and is copied next to its
page. `_index.md` gives a section its list page (generator/hugo/site.py). Any other file that
is not Markdown (an image beside the posts) is published at its own path, as Hugo does; Hugo's
other content formats (HTML, AsciiDoc, Org, reStructuredText, Pandoc) are not read, and the
build says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..model import Article
from .permalinks import BUNDLE_INDEX

PAGE_SUFFIXES = (".md", ".markdown")
OTHER_FORMATS = (".html", ".htm", ".org", ".adoc", ".asciidoc", ".ad", ".rst", ".pandoc", ".pdc")


@dataclass(frozen=True)
class Discovery:
    """What content/ of a Hugo site holds, each list sorted."""

    pages: tuple[str, ...]  # articles: "post/a.md", "post/x/index.md"
    sections: tuple[str, ...]  # "_index.md", "docs/_index.md"
    resources: tuple[tuple[str, str | None], ...]  # (file, the bundle article that owns it or None)
    unread: tuple[str, ...]  # content in a format Broadsheet does not read


def _hidden(name: str) -> bool:
    return name.startswith(".")


def discover(content_dir: str | os.PathLike[str]) -> Discovery:
    pages: list[str] = []
    sections: list[str] = []
    resources: list[tuple[str, str | None]] = []
    unread: list[str] = []
    root = os.fspath(content_dir)
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        rel = os.path.relpath(here, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        index = next((f for f in sorted(files) if f.lower() in BUNDLE_INDEX), None)
        if index and prefix:  # a leaf bundle: one article, everything under it is its own
            owner = prefix + index
            pages.append(owner)
            for sub, _subdirs, subfiles in os.walk(here):
                _subdirs[:] = sorted(d for d in _subdirs if not _hidden(d))
                srel = os.path.relpath(sub, root).replace(os.sep, "/") + "/"
                resources += [(srel + f, owner) for f in sorted(subfiles)
                              if not _hidden(f) and srel + f != owner]
            dirs[:] = []
            continue
        for name in sorted(files):
            if _hidden(name):
                continue
            lower = name.lower()
            if lower in ("_index.md", "_index.markdown"):
                sections.append(prefix + name)
            elif lower.endswith(PAGE_SUFFIXES):
                pages.append(prefix + name)
            elif lower.endswith(OTHER_FORMATS) or lower.startswith("_index."):
                unread.append(prefix + name)
            else:
                resources.append((prefix + name, None))
    return Discovery(tuple(sorted(pages)), tuple(sorted(sections)), tuple(sorted(resources)),
                     tuple(sorted(unread)))


# --- front matter --------------------------------------------------------------------------


def front_matter(rel: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Front matter as a Hugo theme reads it: `params:` (Hugo's place for custom fields since
    0.123) is merged into the top level, which wins; a page without a title takes its file
    name's, with a warning (Hugo leaves it empty, Broadsheet needs a headline)."""
    notes: list[Problem] = []
    params = raw.get("params")
    if isinstance(params, dict):
        raw = {**{str(k): v for k, v in params.items()}, **{k: v for k, v in raw.items()
                                                             if k != "params"}}
    if not raw.get("title"):
        name = rel.rsplit("/", 2)[-2] if rel.lower().endswith(BUNDLE_INDEX) and "/" in rel \
            else rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = name.replace("-", " ").replace("_", " ").strip() or name
        title = title[:1].upper() + title[1:]
        raw = {**raw, "title": title}
        notes.append(Problem(rel, f"no title: using {title!r}, from the file name", 1, "title"))
    return raw, notes


# --- articles ------------------------------------------------------------------------------


def page_folder(article: Article) -> str:
    """The site folder a page's bundle files go in: its URL's folder."""
    path = article.path
    return path if path.endswith("/") or not path else path.rsplit("/", 1)[0] + "/"


def bundle_root(source: str) -> str:
    """The folder of a leaf bundle's index file ("post/x/index.md" -> "post/x/")."""
    return source.rsplit("/", 1)[0] + "/"
