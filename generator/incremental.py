"""Skipping pages whose inputs did not change.

Each article and list page gets a fingerprint of everything its template can show: the articles
on it (by their cache keys, which cover source bytes, engine and settings), its pager neighbours
and related articles, its pagination, and a site-wide part (templates, settings, the rendered
sidebar widgets, menus). A page whose fingerprint and output file are as the last build left them
is not rendered again. Anything else (index pages, redirects) is always rendered; they are few.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

from .cache import CACHE_DIR, config_key, engine_key
from .feeds import Feed
from .model import Article, ListPage, Route, Site
from .render import Renderer, theme_dir
from .urls import output_file

FILE = "pages.pickle"


def _h(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def templates_key(site_dir: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    for folder in (site_dir / "templates", theme_dir("templates")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    h.update(str(path).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def site_key(site: Site, renderer: Renderer) -> str:
    """What every page shares: templates, engine, settings, widgets, menus, profiles."""
    config = site.config
    widgets = [renderer.widget(name, config.base_path) for name in sorted(
        {w for a in site.articles for w in a.widgets} | set(config.sidebar_widgets))]
    return _h(engine_key(), templates_key(config.site_dir), config_key(config), widgets,
              repr(site.menus), repr(site.profiles), site.languages)


class Fingerprints:
    """Fingerprints of a build's outputs. What they share, the site-wide part and each article's
    key plus its canonical term names (which can change without its source: another article may
    spell a shared tag differently), is worked out once per build."""

    def __init__(self, site: Site, renderer: Renderer, article_keys: dict[str, str]) -> None:
        self.site = site
        self.base = site_key(site, renderer)
        # A live blog's "Live" label depends on the build clock, not its source: part of its key.
        self.keys = {a.source: article_keys.get(a.source, a.source) + "|".join(
            r.name for r in (*a.categories, *a.tags, *a.authors))
            + ("|live" if a.source in site.live else "") for a in site.articles}

    def pages(self, routes: Iterable[Route]) -> dict[str, str]:
        """Output file -> fingerprint, for the article and list pages."""
        site, base, keys = self.site, self.base, self.keys

        def akey(a: Article | None) -> str:
            return "" if a is None else keys[a.source]

        translations: dict[str, list[Article]] = {}
        for a in site.articles:
            translations.setdefault(a.translation_key, []).append(a)
        out = {}
        for route in routes:
            page = route.page
            if isinstance(page, Article):
                fp = _h(base, route.template, route.path, akey(page),
                        akey(site.older.get(page.source)), akey(site.newer.get(page.source)),
                        [akey(r) for r in site.related.get(page.source, ())],
                        [akey(t) for t in translations.get(page.translation_key, ())])
            elif isinstance(page, ListPage):
                fp = _h(base, route.template, route.path, page.kind, page.title, page.sidebar,
                        page.widgets, page.description, page.feed, page.pagination.number,
                        page.pagination.total, page.term.name if page.term else None,
                        repr(page.profile), [akey(a) for a in page.articles])
            else:
                continue
            out[output_file(route.path)] = fp
        return out

    def feeds(self, feeds: Iterable[Feed]) -> dict[str, str]:
        """Output file -> fingerprint, for the feeds: what they show is their articles' fields."""
        return {f.path: _h(self.base, f.kind, f.title, f.page_path,
                           [self.keys[a.source] for a in f.items]) for f in feeds}

    def index(self) -> str:
        """The search index is made from the articles' titles, bodies, dates, paths and terms
        (all in their keys) and the settings: when none changed, the last index stands."""
        return _h("search", engine_key(), config_key(self.site.config), sorted(self.keys.values()))


class PageCache:
    """Fingerprint and output hash of each page as the last build wrote it."""

    def __init__(self, site_dir: Path, enabled: bool) -> None:
        self.enabled = enabled
        self.path = site_dir / CACHE_DIR / FILE
        self.old: dict[str, tuple[str, str]] = self._load() if enabled else {}

    def _load(self) -> dict[str, tuple[str, str]]:
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
        except Exception:  # a missing or corrupt file: render everything
            return {}
        return data if isinstance(data, dict) else {}

    def unchanged(self, rel: str, fp: str, manifest: dict[str, str], root: Path) -> str | None:
        """The output hash when `rel` needs no rendering, else None."""
        old = self.old.get(rel)
        if old is None or old[0] != fp or manifest.get(rel) != old[1]:
            return None
        return old[1] if (root / rel).is_file() else None

    def unchanged_group(self, prefix: str, fp: str, manifest: dict[str, str], root: Path
                        ) -> dict[str, str] | None:
        """Output file -> hash for every file under `prefix` that the last build wrote with this
        one fingerprint (a set of files made together, as the search index), if all are in place."""
        group = {rel: old for rel, old in self.old.items() if rel.startswith(prefix)}
        if not group or any(old[0] != fp for old in group.values()):
            return None
        found = {rel: self.unchanged(rel, fp, manifest, root) for rel in group}
        return None if None in found.values() else found  # type: ignore[return-value]

    def save(self, fps: dict[str, str], hashes: dict[str, str]) -> None:
        if not self.enabled:
            return
        data = {rel: (fp, hashes[rel]) for rel, fp in fps.items() if rel in hashes}
        if data == self.old:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
