"""Page fingerprints, `.broadsheet-cache/pages.pickle`: outputs whose inputs did not change are
neither made nor written.

Not a cache of pages: the file holds, for each output, the fingerprint of what it showed and
the hash of the bytes written. The bytes stay in `output/`. What goes into each fingerprint is
in the table of `generator/cache/__init__.py`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .. import seo
from ..feeds import Feed
from ..model import Article, ListPage, Route, Site
from ..output import Writer
from ..theme import theme_dir
from ..urls import output_file
from .keys import CACHE_DIR, config_key, engine_key

if TYPE_CHECKING:  # the renderer imports images, which import the cache: no import here
    from ..render import Renderer

FILE = "pages.pickle"


def _h(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def templates_key(site_dir: Path) -> str:
    """Every template file, the site's own and the theme's: path and bytes."""
    h = hashlib.blake2b(digest_size=16)
    for folder in (site_dir / "templates", theme_dir("templates")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    h.update(str(path).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def site_key(site: Site, renderer: Renderer, lang: str = "") -> str:
    """What every page (of one edition, with [languages]) shares: templates, engine, settings,
    widgets, menus, profiles."""
    edition = site.edition_of(lang)
    config = edition.config
    widgets = [renderer.widget(name, config.base_path, lang) for name in sorted(
        {w for a in edition.articles for w in a.widgets} | set(config.sidebar_widgets))]
    return _h(engine_key(), templates_key(config.site_dir), config_key(config), widgets,
              repr(edition.menus), repr(edition.profiles), edition.languages)


def _load(path: Path) -> dict[str, tuple[str, str]]:
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except Exception:  # a missing or corrupt file: make everything
        return {}
    return data if isinstance(data, dict) else {}


class PageFingerprints:
    """This build's fingerprints of its outputs, held against those the last build saved.

    Each stage asks `keep(file, fingerprint)` for its outputs: a file the last build wrote with
    the same fingerprint, still in place with the bytes the manifest records, is recorded as
    unchanged in the writer and not made again. `save()` after the commit keeps this build's
    fingerprints for the next. With the cache off nothing is fingerprinted, kept or saved.

    What fingerprints share (the site-wide part, and each article's key plus what can change
    without its source: its canonical term names, as another article may spell a shared tag
    differently, and whether a live blog is live at the build's clock) is worked out once per
    build.
    """

    def __init__(self, site: Site, renderer: Renderer, article_keys: dict[str, str],
                 writer: Writer, *, enabled: bool) -> None:
        self.enabled = enabled
        self.site = site
        self.writer = writer
        self.path = site.config.site_dir / CACHE_DIR / FILE
        self.last: dict[str, tuple[str, str]] = _load(self.path) if enabled else {}
        self.made: dict[str, str] = {}  # output file -> its fingerprint in this build
        # the site-wide part of each edition's fingerprints, by language ("": no [languages])
        self.langs = tuple(e.edition.code for e in site.edition_sites if e.edition) or ("",)
        self.bases = {lang: site_key(site, renderer, lang) for lang in self.langs} \
            if enabled else {}
        # A live blog's "Live" label depends on the build clock, not its source: part of its key.
        self.keys = {a.source: article_keys.get(a.source, a.source) + "|".join(
            r.name for r in (*a.categories, *a.tags, *a.authors))
            + ("|live" if a.source in site.live else "") for a in site.articles
        } if enabled else {}

    def pages(self, routes: Iterable[Route]) -> dict[str, str]:
        """Output file -> fingerprint, for the article and list pages (none with the cache off)."""
        if not self.enabled:
            return {}
        out = {}
        for route in routes:
            fp = self.page(route)
            if fp is not None:
                out[output_file(route.path)] = fp
        return out

    @cached_property
    def _translations(self) -> dict[str, list[Article]]:
        found: dict[str, list[Article]] = {}
        for a in self.site.articles:
            found.setdefault(a.translation_key, []).append(a)
        return found

    def page(self, route: Route) -> str | None:
        """The fingerprint of an article or list page; None for any other page, or with the
        cache off. Render workers call it too: a build with no fingerprints to keep makes them
        as it renders, in parallel (`pages_to_render`)."""
        if not self.enabled:
            return None
        site, keys = self.site, self.keys
        editions = bool(site.edition_sites)

        def akey(a: Article | None) -> str:
            return "" if a is None else keys[a.source]

        page = route.page
        lang = page.lang if editions and isinstance(page, (Article, ListPage)) else ""
        base, edition = self.bases.get(lang, ""), site.edition_of(lang)
        if isinstance(page, Article):
            return _h(base, route.template, route.path, akey(page),
                      akey(edition.older.get(page.source)), akey(edition.newer.get(page.source)),
                      [akey(r) for r in edition.related.get(page.source, ())],
                      [akey(t) for t in self._translations.get(page.translation_key, ())])
        if isinstance(page, ListPage):
            # with [languages], its switcher: the same list in the other editions
            return _h(base, route.template, route.path, page.kind, page.title, page.sidebar,
                      page.widgets, page.description, page.feed, page.pagination.number,
                      page.pagination.total, page.term.name if page.term else None,
                      repr(page.profile), [akey(a) for a in page.articles],
                      sorted(seo.versions(site, page).items()) if editions else ())
        return None

    def feeds(self, feeds: Iterable[Feed]) -> dict[str, str]:
        """Output file -> fingerprint, for the feeds: what they show is their articles' fields."""
        if not self.enabled:
            return {}
        return {f.path: _h(self.bases.get(f.lang if f.lang in self.bases else "", ""), f.kind,
                           f.title, f.page_path, [self.keys[a.source] for a in f.items])
                for f in feeds}

    def index(self, edition: Site | None = None) -> str:
        """The search index (of one edition) is made from its articles' titles, bodies, dates,
        paths and terms (all in their keys) and the settings: when none changed, the last index
        stands."""
        if not self.enabled:
            return ""
        edition = edition or self.site
        keys = self.keys if edition is self.site else {a.source: self.keys[a.source]
                                                        for a in edition.articles}
        return _h("search", engine_key(), config_key(edition.config), sorted(keys.values()))

    def _unchanged(self, rel: str, fp: str) -> str | None:
        """The output hash when the last build wrote `rel` with fingerprint `fp` and the file is
        still as it left it (by the manifest, and in place), else None."""
        last = self.last.get(rel)
        if last is None or last[0] != fp or self.writer.old.get(rel) != last[1]:
            return None
        # os.path, not pathlib: 17,000 of these in a no-change build at 10,000 articles
        return last[1] if os.path.isfile(os.path.join(self.writer.root, rel)) else None

    def keep(self, rel: str, fp: str | None) -> bool:
        """Note `fp` as `rel`'s fingerprint; True, with `rel` recorded as unchanged, when the
        last build's file stands. False (make it) for no fingerprint."""
        if fp is None:
            return False
        self.made[rel] = fp
        same = self._unchanged(rel, fp)
        if same is None:
            return False
        self.writer.record(rel, same, False)
        return True

    def keep_group(self, prefix: str, fp: str) -> bool:
        """`keep` for every file under `prefix` at once (a set of files made together, as the
        search index): True only if the last build wrote them all with this one fingerprint and
        all are in place."""
        if not self.enabled:
            return False
        group = {rel: last for rel, last in self.last.items() if rel.startswith(prefix)}
        if not group or any(last[0] != fp for last in group.values()):
            return False
        found = {rel: self._unchanged(rel, fp) for rel in group}
        if None in found.values():
            return False
        for rel, h in sorted(found.items()):
            self.made[rel] = fp
            self.writer.record(rel, h, False)  # type: ignore[arg-type]
        return True

    def note(self, rel: str, fp: str) -> None:
        """`rel` was made anew with fingerprint `fp` (a file of a group)."""
        if self.enabled:
            self.made[rel] = fp

    def save(self) -> None:
        """After the commit: the fingerprint and hash of each output this build kept or wrote."""
        if not self.enabled:
            return
        hashes = self.writer.new
        data = {rel: (fp, hashes[rel]) for rel, fp in self.made.items() if rel in hashes}
        if data == self.last:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
