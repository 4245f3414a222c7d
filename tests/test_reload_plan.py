"""Table tests for what `serve` decides without a server: how a changed path is sorted into a
`ChangeKind`, what a burst of saves redoes, what the open pages are told after a build, what a
late page missed, and which requests wait in each `State`.

tests/test_serve.py drives the same rules through the real server, watcher and browser.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from generator.serve import plan, static
from generator.serve.events import CHANGES_KEPT, ChangeLog
from generator.serve.plan import EVERY_PAGE, Redo, Reload, redo, reload_for
from generator.serve.state import FRESH, STARTING, Phase, State
from generator.serve.watcher import Batches, Change, ChangeKind, change_kind, changes, relevant

A, C, T, S, K = (ChangeKind.ARTICLE, ChangeKind.CONTENT, ChangeKind.TEMPLATE, ChangeKind.STATIC,
                 ChangeKind.CONFIG)

# --- the watcher's sorting ---------------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind"), [
    ("content/b.md", A),
    ("content/world/a.md", A),
    ("content/world/LOUD.MD", A),
    ("content/notes.markdown", A),
    ("content/wire/story.txt", A),  # plain-text wire copy is an article too
    ("content/wire/story.yaml", C),  # its sidecar: not a page render_ahead can show alone
    ("content/img/photo.jpg", C),
    ("content", C),  # the folder itself appeared or went away
    ("templates/base.html", T),
    ("templates/widgets/recent.html", T),
    ("templates", T),
    ("static/css/style.css", S),
    ("static/img/logo.svg", S),
    ("site.toml", K),
])
def test_change_kind(path: str, kind: ChangeKind):
    assert change_kind(path) is kind


def test_change_kind_refuses_a_path_the_watcher_never_reports():
    with pytest.raises(ValueError, match="not a watched site path"):
        change_kind("output/index.html")


def test_changes_are_sorted_and_unique():
    assert changes(["static/a.css", "content/b.md", "static/a.css"]) == [
        Change("content/b.md", A), Change("static/a.css", S)]


@pytest.mark.parametrize(("rel", "expected"), [
    ("content/b.md", "content/b.md"),
    ("site.toml", "site.toml"),
    ("static", "static"),
    ("content/.b.md.swp", None),  # vim's swap file
    ("content/b.md~", None),  # a backup
    ("content/4913", None),  # vim's write test
    ("content/.git/index", None),  # dotted folders
    ("content/b.md.tmp", None),
    ("README.md", None),  # a file beside the site that no build reads
    ("other/b.md", None),  # a folder no build reads
    ("content/output/index.html", None),  # an output folder inside a watched one
])
def test_relevant_paths(tmp_path: Path, rel: str, expected: str | None):
    site = tmp_path / "site"
    assert relevant(str(site / rel), site, site / "content" / "output") == expected


def test_paths_outside_the_site_are_not_relevant(tmp_path: Path):
    site = tmp_path / "site"
    assert relevant(str(tmp_path / "elsewhere" / "content" / "b.md"), site, None) is None
    assert relevant(str(site), site, None) is None
    assert relevant(bytes(site / "content" / "b.md"), site, None) == "content/b.md"


def test_a_burst_of_saves_is_one_batch_and_closing_ends_the_loop():
    batches = Batches(debounce=0.05, longest=1.0)
    batches.put([Change("content/b.md", A)])
    batches.put([Change("content/a.md", A), Change("content/b.md", A)])
    assert not batches.empty()
    assert batches.next() == [Change("content/a.md", A), Change("content/b.md", A)]
    assert batches.empty()
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(batches.next()))
    waiter.start()
    batches.close()
    waiter.join(2)
    assert not waiter.is_alive() and got == [None]


def test_saves_that_never_stop_are_rebuilt_after_the_longest_wait():
    batches = Batches(debounce=0.1, longest=0.3)
    stop = threading.Event()

    def keep_saving() -> None:
        n = 0
        while not stop.is_set():
            batches.put([Change(f"content/{n}.md", A)])
            n += 1
            time.sleep(0.02)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        t0 = time.monotonic()
        first = batches.next()
        waited = time.monotonic() - t0
    finally:
        stop.set()
        saver.join(2)
    assert first and len(first) > 3
    assert waited < 0.9  # not held until the saves stop


# --- what a burst of saves redoes ------------------------------------------------------------


@pytest.mark.parametrize(("kinds", "broken", "expected"), [
    ({A}, False, Redo(render_ahead=True, assets_wait=False)),
    ({A}, True, Redo(render_ahead=False, assets_wait=False)),  # the rebuild clears the overlay
    ({A, S}, False, Redo(render_ahead=False, assets_wait=True)),
    ({A, C}, False, Redo(render_ahead=False, assets_wait=True)),  # a sidecar changes its article
    ({T}, False, Redo(render_ahead=False, assets_wait=True)),
    ({S}, False, Redo(render_ahead=False, assets_wait=True)),
    ({K}, False, Redo(render_ahead=False, assets_wait=True)),
    (set(), False, Redo(render_ahead=False, assets_wait=True)),  # nothing known: anything may change
    ({ChangeKind.CLOCK}, False, Redo(render_ahead=False, assets_wait=True)),  # an embargo lifted
    ({A, ChangeKind.CLOCK}, False, Redo(render_ahead=False, assets_wait=True)),
])
def test_redo(kinds: set[ChangeKind], broken: bool, expected: Redo):
    assert redo(kinds, broken) == expected


# --- what the open pages are told after a build ----------------------------------------------

P = "a/index.html"
Q = "world/b/index.html"


@pytest.mark.parametrize(("written", "removed", "broken", "shown", "expected"), [
    # nothing the pages show changed
    ([], [], False, (), None),
    ([".broadsheet-manifest.json"], [], False, (), None),
    # a page rendered ahead and already shown with these bytes: no second reload
    ([P], [], False, {P}, None),
    ([P, "index.html"], [], False, {P}, Reload(("index.html",))),
    # pages, feeds, sitemaps, the search index: only the pages that changed reload
    ([P, Q], [], False, (), Reload((P, Q))),
    ([P, "feed.xml", "sitemap.xml", "search-index/meta.json"], [], False, (), Reload((P,))),
    (["feed.xml"], [], False, (), Reload(())),  # nobody reloads; pages learn the version
    (["robots.txt"], [], False, (), Reload(())),
    ([P], ["old/index.html"], False, (), Reload((P, "old/index.html"))),  # open on a gone page
    # stylesheets: swapped in place
    (["css/style.css"], [], False, (), Reload((), ("css/style.css",))),
    ([P, "feed.xml", "css/style.css"], [], False, (), Reload((P,), ("css/style.css",))),
    (["feed.xml", "css/style.css"], [], False, (), Reload((), ("css/style.css",))),
    # anything a page may load as it opens: every page
    (["js/search.js", P], [], False, (), EVERY_PAGE),
    (["img/logo.svg"], [], False, (), EVERY_PAGE),
    ([P], ["css/old.css"], False, (), EVERY_PAGE),
    # after a failed build every page reloads, which clears its overlay
    (["css/style.css"], [], True, (), EVERY_PAGE),
    ([], [], True, (), EVERY_PAGE),
    ([P], [], True, {P}, EVERY_PAGE),
])
def test_reload_for(written: list[str], removed: list[str], broken: bool, shown: set[str],
                    expected: Reload | None):
    assert reload_for(written, removed, broken, shown) == expected


@pytest.mark.parametrize(("reload", "event", "fields"), [
    (EVERY_PAGE, ("reload", {}), {"files": None, "css": []}),
    (Reload((P,)), ("reload", {"files": [P], "css": []}), {"files": [P], "css": []}),
    (Reload((), ("a.css",)), ("css", {"files": ["a.css"]}), {"files": [], "css": ["a.css"]}),
    (Reload((P,), ("a.css",)), ("reload", {"files": [P], "css": ["a.css"]}),
     {"files": [P], "css": ["a.css"]}),
    (Reload(()), ("reload", {"files": [], "css": []}), {"files": [], "css": []}),
])
def test_wire_forms(reload: Reload, event: tuple[str, dict], fields: dict):
    assert reload.event() == event and reload.fields() == fields


@pytest.mark.parametrize(("reloads", "expected"), [
    ([], Reload(())),
    ([Reload((Q,)), Reload((P,), ("b.css",)), Reload((), ("a.css", "b.css"))],
     Reload((P, Q), ("a.css", "b.css"))),
    ([Reload((P,)), EVERY_PAGE, Reload((Q,))], EVERY_PAGE),
])
def test_merge(reloads: list[Reload], expected: Reload):
    assert plan.merge(reloads) == expected


def test_the_change_log_tells_a_late_page_what_it_missed():
    log = ChangeLog("cafe0001")
    v0 = log.version
    assert v0 == "cafe0001-0" and log.missed(v0) == Reload(())
    v1 = log.record(Reload((P,)))
    log.record(Reload((), ("css/style.css",)))
    assert log.missed(v0) == Reload((P,), ("css/style.css",))
    assert log.missed(v1) == Reload((), ("css/style.css",))
    assert log.missed(log.version) == Reload(())
    assert log.missed("0123abcd-1") == EVERY_PAGE  # another server's page
    assert log.missed("cafe0001-x") == EVERY_PAGE
    assert log.missed("cafe0001") == EVERY_PAGE
    for _ in range(CHANGES_KEPT):
        log.record(Reload(()))
    assert log.missed(v1) == EVERY_PAGE  # forgotten: reload, to be safe
    assert log.missed(v0) == EVERY_PAGE


# --- who waits ---------------------------------------------------------------------------------


def _walk(steps: str) -> State:
    """The state after steps: "save:KIND,KIND", "ahead", "build", "done" (no saves queued),
    "done+" (saves still queued)."""
    state = FRESH
    for step in steps.split():
        match step.split(":"):
            case ["save", kinds]:
                state = state.saved({ChangeKind(k) for k in kinds.split(",")})
            case ["ahead"]:
                state = state.rendered_ahead()
            case ["build"]:
                state = state.rebuilding()
            case ["done"]:
                state = state.built(saves_waiting=False)
            case ["done+"]:
                state = state.built(saves_waiting=True)
            case _:
                raise AssertionError(f"unknown step {step!r}")
    return state


@pytest.mark.parametrize(("steps", "phase", "page_waits", "asset_waits", "ahead_due"), [
    ("", Phase.FRESH, False, False, False),
    ("save:article", Phase.SAVED, True, False, True),
    ("save:article ahead", Phase.REBUILDING, True, False, False),
    ("save:article ahead build", Phase.REBUILDING, True, False, False),
    ("save:article ahead build done", Phase.FRESH, False, False, False),
    ("save:static", Phase.SAVED, True, True, False),
    ("save:article save:template", Phase.SAVED, True, True, False),
    # a save during the rebuild: the render ahead is due again, and the kinds add up
    ("save:article ahead build save:article", Phase.SAVED, True, False, True),
    ("save:static ahead build save:article", Phase.SAVED, True, True, False),
    # the rebuild ends with saves still queued: the output is still behind them
    ("save:article ahead build save:article done+", Phase.SAVED, True, False, True),
    # after the output was fresh, earlier kinds no longer count
    ("save:static ahead build done save:article", Phase.SAVED, True, False, True),
    # a rebuild with no save seen (rebuild() from a tool) may change anything
    ("build", Phase.REBUILDING, True, True, False),
])
def test_state(steps: str, phase: Phase, page_waits: bool, asset_waits: bool, ahead_due: bool):
    state = _walk(steps)
    assert state.phase is phase
    assert (state.request_waits(page=True), state.request_waits(page=False)) == (page_waits, asset_waits)
    assert state.ahead_due(broken=False) is ahead_due
    assert state.ahead_due(broken=True) is False  # after a failed build the rebuild goes first


def test_the_first_build_holds_every_request():
    assert STARTING.request_waits(page=True) and STARTING.request_waits(page=False)
    assert STARTING.rebuilding() == STARTING and STARTING.built(saves_waiting=False) == FRESH


# --- the page's own file -------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "base", "expected"), [
    ("/", "/", "index.html"),
    ("/world/a/", "/", "world/a/index.html"),
    ("/404.html", "/", "404.html"),
    ("/feed.xml", "/", "feed.xml"),
    ("/news/", "/news/", "index.html"),
    ("/news/world/a/", "/news/", "world/a/index.html"),
    ("/world/a/", "/news/", None),  # not under the base path: no file of the site
    (None, "/", None),  # a path that names no file (an unsafe or undecodable one)
])
def test_own_file_is_the_output_file_of_the_site_path(path: str | None, base: str,
                                                       expected: str | None):
    assert static.own_file(path, base) == expected
