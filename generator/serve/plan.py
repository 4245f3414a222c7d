"""What serve redoes after a save, and what the open pages are told: the reload plan.

Every rule deciding what reloads lives here, as pure functions over plain values:

1. `redo(kinds, broken)`: for a burst of saves sorted by the watcher into `ChangeKind`s, whether
   the edited articles' pages are rendered ahead of the full rebuild (shown within a fraction of
   a second), and whether requests for assets (CSS, scripts, images) wait for the rebuild.
   The full rebuild always follows; the engine's caches make it incremental.
2. `reload_for(written, removed, broken, shown)`: from the output files a build (or the render
   ahead) wrote and removed, whether the last build was broken, and the pages already shown
   ahead, the `Reload` the open pages get: which pages reload, which stylesheets are swapped.
3. `merge(reloads)`: what a page opened a few changes ago missed, for its late event stream.

A page applies a `Reload` in `templates/serve/live.js`, knowing only its own output file (which
the server puts in the page): it reloads if that file is in `pages` (or `pages` is None: every
page), and otherwise swaps the stylesheets in `css`. It re-derives nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .watcher import ChangeKind

NOT_LOADED_BY_PAGES = (".html", ".htm", ".xml", ".json", "robots.txt")
"""Output files that no page loads as it opens (pages, feeds, sitemaps, the search index, which
the search page fetches per query): when only these change, only the changed pages reload."""
PAGES = (".html", ".htm")


@dataclass(frozen=True, slots=True)
class Redo:
    """What a burst of saves makes serve do before the full rebuild."""

    render_ahead: bool  # render the edited articles' pages at once, from the last site model
    assets_wait: bool  # requests for files other than pages wait for the rebuild


def redo(kinds: Collection[ChangeKind], broken: bool) -> Redo:
    """The work for saves of these kinds; `broken` when the last build failed."""
    match frozenset(kinds):
        case only if only == {ChangeKind.ARTICLE}:
            # An article's page can be rendered from the last build's site model (build.py's
            # render_ahead decides which edits qualify), and an article changes no stylesheet,
            # script or image. After a failed build the rebuild must run first: it is what
            # clears the error overlay.
            return Redo(render_ahead=not broken, assets_wait=False)
        case _:
            # A template, stylesheet, site.toml or sidecar can change any file; so can the
            # clock reaching a scheduled change (an embargo lifting adds to every list); nothing
            # known (a manual rebuild, the first build) is treated the same.
            return Redo(render_ahead=False, assets_wait=True)


@dataclass(frozen=True, slots=True)
class Reload:
    """What open pages do: those showing one of `pages` (output files; every page when None)
    reload, the others swap the stylesheets in `css`."""

    pages: tuple[str, ...] | None
    css: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        """As the hello event and `missed` carry it: {"files": pages or None, "css": [...]}."""
        return {"files": None if self.pages is None else list(self.pages), "css": list(self.css)}

    def event(self) -> tuple[str, dict[str, Any]]:
        """The SSE event (name, data) without its version: "css" when no page reloads and
        stylesheets changed, else "reload" (data {} for every page)."""
        if self.pages is None:
            return ("reload", {})
        if not self.pages and self.css:
            return ("css", {"files": list(self.css)})
        return ("reload", self.fields())


EVERY_PAGE = Reload(None)


def reload_for(written: Iterable[str], removed: Iterable[str], broken: bool,
               shown: Collection[str] = ()) -> Reload | None:
    """What open pages do after a build, or None when nothing they show changed.

    `written` and `removed` are output files; `broken` says the build before this one failed
    (every page reloads, which also clears its error overlay); `shown` are pages rendered ahead
    that were already sent to the pages with the bytes now written: they need no second reload.
    """
    files = [w for w in written if not w.startswith(".broadsheet") and w not in shown]
    gone = list(removed)
    if broken:
        return EVERY_PAGE
    if not files and not gone:
        return None
    if not gone and all(f.endswith(".css") for f in files):
        return Reload((), tuple(files))
    if all(f.endswith(NOT_LOADED_BY_PAGES) for f in gone) and all(
            f.endswith((*NOT_LOADED_BY_PAGES, ".css")) for f in files):
        # pages, feeds, sitemaps, the search index and stylesheets: reload only the pages that
        # changed; the others swap the stylesheets
        return Reload(tuple(f for f in [*files, *gone] if f.endswith(PAGES)),
                      tuple(f for f in files if f.endswith(".css")))
    return EVERY_PAGE  # a script, an image, a removed stylesheet: any page may show it


def merge(reloads: Iterable[Reload]) -> Reload:
    """One Reload doing what all of these do, in order: for a page that missed them."""
    pages: set[str] = set()
    css: set[str] = set()
    for r in reloads:
        if r.pages is None:
            return EVERY_PAGE
        pages.update(r.pages)
        css.update(r.css)
    return Reload(tuple(sorted(pages)), tuple(sorted(css)))
