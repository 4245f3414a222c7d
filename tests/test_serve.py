"""`broadsheet serve`: the real server on a free port, real files, real watcher, real browser.

Every wait is bounded by a deadline, so a broken watcher fails a test instead of hanging it.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import pytest
from watchdog.observers.polling import PollingObserver

from generator import serve
from generator.build import build_keeping_state
from generator.commands import serve as serve_command
from generator.commands.common import parse_now
from generator.config import load_config
from generator.render import theme_dir
from generator.serve import PreviewServer, plan

from .conftest import NOW, Site, need

CHROMIUM = "/usr/bin/chromium"
MARKER = b"__broadsheet_live"


@contextmanager
def serving(site: Site, **kw: object) -> Iterator[PreviewServer]:
    """A started PreviewServer on 127.0.0.1:<free port> with the build clock fixed."""
    out, err = io.StringIO(), io.StringIO()
    srv = PreviewServer(lambda: load_config(site.root, now=parse_now(NOW)), port=0,
                        out=out, err=err, **kw)  # type: ignore[arg-type]
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def fetch(srv: PreviewServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One raw request: the path goes out byte for byte, with no client-side normalising."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def until(check: Callable[[], object], timeout: float = 2.0, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.03)


def log(srv: PreviewServer) -> str:
    return srv.out.getvalue()  # type: ignore[attr-defined]


class Events:
    """A Server-Sent Events client for /__broadsheet/events."""

    def __init__(self, srv: PreviewServer) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
        self.conn.request("GET", serve.EVENTS_PATH)
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type", "").startswith("text/event-stream")

    def next(self, name: str, timeout: float = 5.0) -> dict:
        """The data of the next `name` event, skipping others; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        event, data = "", ""
        while time.monotonic() < deadline:
            line = self.resp.fp.readline().decode("utf-8")
            if not line:
                break
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "":
                if event == name:
                    return json.loads(data)
                event, data = "", ""
        pytest.fail(f"no {name!r} event within {timeout}s")

    def close(self) -> None:
        self.conn.close()


def small_site(site: Site) -> None:
    site.article("world/a.md", "Alpha story", categories=["world"], body="Alpha text.\n")
    site.article("b.md", "Beta story", body="Original beta text.\n")


# --- serving ---------------------------------------------------------------------------------


def test_serves_pages_with_types_and_injects_the_script_only_into_responses(site: Site):
    small_site(site)
    with serving(site) as srv:
        assert srv.url == f"http://127.0.0.1:{srv.port}/"
        assert srv.url in log(srv).splitlines()[0]
        status, headers, body = fetch(srv, "/beta-story/")
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert b"Original beta text." in body
        assert MARKER in body and body.index(MARKER) < body.rindex(b"</body>")
        assert int(headers["content-length"]) == len(body)
        on_disk = (site.out / "beta-story" / "index.html").read_bytes()
        assert MARKER not in on_disk and b"__broadsheet" not in on_disk
        for path, ctype in [("/css/style.css", "text/css; charset=utf-8"),
                            ("/feed.xml", "application/xml; charset=utf-8"),
                            ("/img/favicon.svg", "image/svg+xml; charset=utf-8")]:
            status, headers, body = fetch(srv, path)
            assert (status, headers["content-type"]) == (200, ctype), path
            assert MARKER not in body
            assert body == (site.out / path.lstrip("/")).read_bytes()
        status, headers, body = fetch(srv, "/beta-story")
        assert (status, headers["location"]) == (301, "/beta-story/")
        status, headers, body = fetch(srv, "/no/such/page/")
        assert status == 404 and b"Page not found" in body and MARKER in body
        status, headers, body = fetch(srv, "/beta-story/", method="HEAD")
        assert status == 200 and body == b""


def test_site_is_served_under_the_base_url_path(site: Site):
    site.write("site.toml", 'base_url = "https://x.example/news/"\n')
    small_site(site)
    with serving(site) as srv:
        assert srv.url == f"http://127.0.0.1:{srv.port}/news/"
        assert fetch(srv, "/")[:2][0] == 302 and fetch(srv, "/")[1]["location"] == "/news/"
        assert fetch(srv, "/news")[1]["location"] == "/news/"
        status, _, body = fetch(srv, "/news/beta-story/")
        assert status == 200 and b'href="/news/css/style.css"' in body
        assert fetch(srv, "/news/css/style.css")[0] == 200
        status, _, body = fetch(srv, "/beta-story/")  # not where the site will be deployed
        assert status == 404 and b"Page not found" in body


def test_no_path_outside_the_output_folder_is_served(site: Site, tmp_path: Path):
    small_site(site)
    secret = "TOP SECRET do not serve"
    (tmp_path / "secret.txt").write_text(secret)
    site.write("secret.txt", secret)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text(f"<html><body>{secret}</body></html>")
    with serving(site) as srv:
        os.symlink(tmp_path / "secret.txt", site.out / "leak.txt")
        os.symlink(outside, site.out / "leakdir")
        os.symlink(site.out / "beta-story", site.out / "alias")  # a link that stays inside is fine
        paths = ["/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
                 "/..%2fsecret.txt", "/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%5csecret.txt",
                 "/..\\..\\secret.txt", "/css/../../secret.txt", "//../secret.txt", "/.%2e/secret.txt",
                 "/leak.txt", "/leakdir/", "/leakdir/index.html", "/leakdir", "/%00/secret.txt",
                 "/.broadsheet-manifest.json", "/%ff%fe"]
        for path in paths:
            status, _, body = fetch(srv, path)
            assert status in (403, 404), path
            assert secret.encode() not in body, path
        status, _, body = fetch(srv, "/alias/")
        assert status == 200 and b"Original beta text." in body


# --- rebuilding ------------------------------------------------------------------------------


def test_an_edit_is_served_within_two_seconds_and_logged(site: Site):
    small_site(site)
    with serving(site) as srv:
        site.article("b.md", "Beta story", body="Edited beta text.\n")
        until(lambda: b"Edited beta text." in fetch(srv, "/beta-story/")[2], 2.0, "the edit")
        until(lambda: "rebuilt in" in log(srv), 1.0, "the rebuild line")
        line = log(srv).splitlines()[-1]
        assert line.startswith("content/b.md: rebuilt in ") and "s (" in line


def test_a_burst_of_saves_makes_one_rebuild(site: Site):
    small_site(site)
    with serving(site) as srv:
        for i in range(5):
            site.article(f"burst{i}.md", f"Burst {i}")
        until(lambda: srv.builds >= 1, 3.0, "a rebuild")
        time.sleep(0.4)
        assert srv.builds == 1
        line = log(srv).splitlines()[-1]
        assert line.startswith("content/burst0.md, content/burst1.md, content/burst2.md and 2 more: ")
        assert fetch(srv, "/burst-4/")[0] == 200


def test_polling_observer_sees_edits(site: Site):
    small_site(site)
    with serving(site, poll=True) as srv:
        assert srv.watcher is not None and isinstance(srv.watcher.observer, PollingObserver)
        site.article("b.md", "Beta story", body="Polled edit.\n")
        until(lambda: b"Polled edit." in fetch(srv, "/beta-story/")[2], 2.0, "the polled edit")


def test_site_toml_edit_applies_without_restart(site: Site):
    small_site(site)
    with serving(site) as srv:
        site.write("site.toml", 'title = "The Evening Example"\n')
        until(lambda: b"The Evening Example" in fetch(srv, "/")[2], 2.0, "the new title")


def test_a_broken_build_shows_the_error_and_a_fix_recovers(site: Site):
    small_site(site)
    with serving(site) as srv:
        events = Events(srv)
        try:
            hello = events.next("hello")
            assert hello["error"] is None and hello["version"] == srv.version
            site.article("b.md", "Beta story", sidebar="middle")
            err = events.next("builderror")
            assert err["summary"] == "build failed: 1 error"
            [problem] = err["problems"]
            assert problem.startswith("b.md:4: error [sidebar]:") and "'middle'" in problem
            # the server stays up with the last good page, and the overlay data is injected
            status, _, body = fetch(srv, "/beta-story/")
            assert status == 200 and b"Original beta text." in body
            assert b"unknown sidebar value" in body and b'"summary": "build failed: 1 error"' in body
            assert "build failed: 1 error" in log(srv)
            assert "b.md:4: error [sidebar]" in srv.err.getvalue()  # type: ignore[attr-defined]
            site.article("b.md", "Beta story", body="Fixed beta text.\n")
            reload = events.next("reload")
            assert reload["version"] == srv.version and srv.error is None
            status, _, body = fetch(srv, "/beta-story/")
            assert b"Fixed beta text." in body and b"unknown sidebar value" not in body
        finally:
            events.close()


def test_requests_during_a_rebuild_wait_for_it(site: Site):
    small_site(site)
    real_build = build_keeping_state
    slow = threading.Event()
    started = threading.Event()

    def slow_build(config, **kw):  # type: ignore[no-untyped-def]
        if slow.is_set():
            started.set()
            time.sleep(0.6)
        return real_build(config, **kw)

    with serving(site, builder=slow_build) as srv:
        slow.set()
        site.article("fresh.md", "Fresh story", body="Brand new text.\n")  # a page that is not there yet
        assert started.wait(3), "the rebuild did not start"
        t0 = time.monotonic()
        status, _, body = fetch(srv, "/fresh-story/")
        waited = time.monotonic() - t0
        assert status == 200 and b"Brand new text." in body
        assert waited > 0.3  # it was held back until the build finished, not answered with a 404


def test_an_edited_article_is_shown_before_the_rest_of_the_rebuild(site: Site):
    """The edited page comes from render_ahead while the full rebuild is held back; stylesheets
    do not wait for it; other pages do, and get the edit when it is done."""
    small_site(site)
    real_build = build_keeping_state
    hold, held, release = threading.Event(), threading.Event(), threading.Event()

    def held_build(config, **kw):  # type: ignore[no-untyped-def]
        if hold.is_set():
            held.set()
            assert release.wait(10)
        return real_build(config, **kw)

    with serving(site, builder=held_build) as srv:
        events = Events(srv)
        try:
            events.next("hello")
            hold.set()
            site.article("b.md", "Beta story", body="Edited ahead of the rebuild.\n")
            early = events.next("reload")
            assert early["files"] == ["beta-story/index.html"]
            assert held.wait(3), "the full rebuild did not start"
            status, _, body = fetch(srv, "/beta-story/")  # while the full build is held
            assert status == 200 and b"Edited ahead of the rebuild." in body and MARKER in body
            assert not (site.out / "beta-story" / "index.html").read_bytes().count(b"Edited ahead")
            t0 = time.monotonic()
            assert fetch(srv, "/css/style.css")[0] == 200
            assert time.monotonic() - t0 < 0.3  # an article edit cannot change a stylesheet
            box: list[bytes] = []
            home = threading.Thread(target=lambda: box.append(fetch(srv, "/")[2]))
            home.start()
            home.join(0.3)
            assert home.is_alive(), "the home page did not wait for the rebuild"
            release.set()
            home.join(5)
            assert box and b"Edited ahead of the rebuild." in box[0]  # its summary
            late = events.next("reload")  # the pages the rebuild changed, less the one shown
            assert "beta-story/index.html" not in late["files"] and "index.html" in late["files"]
            assert "page shown in" in log(srv)
        finally:
            events.close()


def test_a_second_event_for_a_shown_edit_reloads_nothing(site: Site):
    """Watchers can report one save twice, the second after the rebuild of the first: the page
    already shows that edit, so neither render_ahead nor the rebuild may reload it again."""
    small_site(site)
    with serving(site) as srv:
        site.article("b.md", "Beta story", body="Edited once.\n")
        until(lambda: srv.builds >= 1 and b"Edited once." in
              (site.out / "beta-story" / "index.html").read_bytes(), 5.0, "the rebuild")
        time.sleep(0.3)  # let any straggling event of that save be handled first
        q = srv.broker.subscribe()
        try:
            assert srv.rebuild(["content/b.md"])  # as the watcher would, for the same save
            sent = []
            while not q.empty():
                sent.append(q.get_nowait())
            assert not [m for m in sent if m and m.startswith(b"event: reload")], sent
        finally:
            srv.broker.unsubscribe(q)


def test_a_late_event_stream_is_told_only_what_changed_since_its_page(site: Site):
    """A page served at one version whose event stream connects after later builds hears what
    it missed: the pages to reload (so others need not), or the stylesheets to swap."""
    small_site(site)
    with serving(site) as srv:
        v0 = srv.version
        site.article("b.md", "Beta story", body="Edited while a page loads.\n")
        until(lambda: srv.builds >= 1, 5.0, "the rebuild")
        v1 = srv.version
        missed = srv.missed(v0)
        assert "beta-story/index.html" in missed["files"] and "index.html" in missed["files"]
        assert missed["css"] == [] and srv.missed(v1) == {"files": [], "css": []}
        site.write("static/css/style.css", "h1 { color: red; }\n")
        until(lambda: srv.builds >= 2, 5.0, "the CSS rebuild")
        assert srv.missed(v1) == {"files": [], "css": ["css/style.css"]}
        assert srv.missed(v0)["css"] == ["css/style.css"]
        # another server's page, or a version older than what is kept: every page reloads
        assert srv.missed("0123abcd-1")["files"] is None
        assert srv.missed(v0.split("-")[0] + "-x")["files"] is None
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
        try:  # the stream the browser opens says the same in its hello
            conn.request("GET", f"{serve.EVENTS_PATH}?since={v1}")
            resp = conn.getresponse()
            resp.fp.readline(), resp.fp.readline()  # retry:, blank
            assert resp.fp.readline().decode() == "event: hello\n"
            hello = json.loads(resp.fp.readline().decode()[len("data: "):])
            assert hello["version"] == srv.version and hello["css"] == ["css/style.css"]
            assert hello["files"] == []
        finally:
            conn.close()
        with srv._cond:
            for _ in range(serve.CHANGES_KEPT):
                srv.changes.record(plan.Reload(()))
        assert srv.missed(v1)["files"] is None  # forgotten: reload, to be safe
        assert srv.missed(srv.version) == {"files": [], "css": []}


def test_no_render_ahead_for_new_broken_or_moved_articles(site: Site):
    from generator.build import build_keeping_state, render_ahead
    small_site(site)
    config = load_config(site.root, now=parse_now(NOW))
    _, last = build_keeping_state(config)
    site.article("b.md", "Beta story", body="Ahead.\n")
    assert list(render_ahead(last, config, ["b.md"])) == ["beta-story/index.html"]
    site.article("new.md", "New story")
    assert render_ahead(last, config, ["new.md"]) == {}  # not published by the last build
    site.article("b.md", "Beta story", sidebar="middle")
    assert render_ahead(last, config, ["b.md"]) == {}  # broken: the rebuild reports it
    site.article("b.md", "Beta story", slug="moved")
    assert render_ahead(last, config, ["b.md"]) == {}  # a new URL: old links change too
    site.article("b.md", "Beta story", draft=True)
    assert render_ahead(last, config, ["b.md"]) == {}  # no longer published


def test_what_open_pages_are_told_to_do():
    """The events the pages get, as sent on the wire (tests/test_reload_plan.py has the table)."""
    def message(written: list[str], removed: list[str], broken: bool) -> tuple[str, dict] | None:
        reload = plan.reload_for(written, removed, broken)
        return None if reload is None else reload.event()

    assert message(["css/style.css"], [], False) == ("css", {"files": ["css/style.css"]})
    # a stylesheet saved during an article's rebuild: that page reloads, the others restyle
    assert message(["a/index.html", "feed.xml", "css/style.css"], [], False) == (
        "reload", {"files": ["a/index.html"], "css": ["css/style.css"]})
    assert message(["a/index.html"], ["old/index.html"], False) == (
        "reload", {"files": ["a/index.html", "old/index.html"], "css": []})
    assert message(["js/search.js", "a/index.html"], [], False) == ("reload", {})
    assert message(["a/index.html"], ["css/old.css"], False) == ("reload", {})
    assert message(["css/style.css"], [], True) == ("reload", {})  # clears the overlay
    assert message([], [], False) is None and message([], [], True) == ("reload", {})


def page_state(body: bytes) -> dict:
    """The state the server put in a page for live.js (the JSON element before the script)."""
    html = lxml.html.fromstring(body)
    [holder] = html.xpath('//script[@id="__broadsheet_state"]')
    return json.loads(holder.text)


def test_each_page_is_told_its_own_output_file(site: Site):
    """live.js re-derives no path: the server tells each page which output file it shows, by
    urls.output_file, and a page reloads when that file is in a reload's files. A 404 page at a
    URL that gets a page later is told that page's file, so it reloads when it appears."""
    site.write("site.toml", 'base_url = "https://x.example/news/"\n')
    small_site(site)
    with serving(site) as srv:
        cases = {"/news/": "index.html", "/news/beta-story/": "beta-story/index.html",
                 "/news/world/": "world/index.html", "/news/404.html": "404.html",
                 "/news/fresh-story/": "fresh-story/index.html", "/beta-story/": None}
        for path, own in cases.items():
            state = page_state(fetch(srv, path)[2])
            assert state["file"] == own, path
            assert (state["base"], state["events"]) == ("/news/", serve.EVENTS_PATH)
        events = Events(srv)
        try:
            events.next("hello")
            site.article("fresh.md", "Fresh story", body="Brand new text.\n")
            reload = events.next("reload")
            assert "fresh-story/index.html" in reload["files"]  # the 404 page there reloads
        finally:
            events.close()


def test_the_live_script_is_the_themes_file_and_never_in_the_output(site: Site):
    small_site(site)
    live = (theme_dir("templates") / "serve" / "live.js").read_text(encoding="utf-8")
    with serving(site) as srv:
        body = fetch(srv, "/beta-story/")[2]
        assert live.encode() in body
        assert fetch(srv, "/serve/live.js")[0] == 404
    files = [p for p in site.out.rglob("*") if p.is_file()]
    assert files and not [p for p in files if p.name == "live.js" or b"__broadsheet" in p.read_bytes()]


def test_css_only_change_sends_a_css_event(site: Site):
    small_site(site)
    site.write("static/css/style.css", "h1 { color: rgb(0, 0, 255); }\n")
    with serving(site) as srv:
        events = Events(srv)
        try:
            events.next("hello")
            site.write("static/css/style.css", "h1 { color: rgb(255, 0, 0); }\n")
            data = events.next("css")
            assert data["files"] == ["css/style.css"] and data["version"] == srv.version
        finally:
            events.close()


# --- the command -----------------------------------------------------------------------------


def test_command_defaults_and_ctrl_c_exits_cleanly(site: Site, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]):
    small_site(site)
    parser = argparse.ArgumentParser()
    serve_command.add_arguments(parser)
    defaults = parser.parse_args([])
    assert (defaults.port, defaults.bind, defaults.poll, defaults.drafts) == (8000, "127.0.0.1", False,
                                                                             False)
    args = parser.parse_args(["--site", str(site.root), "--port", "0", "--now", NOW])
    seen: dict[str, object] = {}

    def interrupted_wait(self: PreviewServer) -> None:
        seen["port"] = self.port
        seen["status"] = fetch(self, "/beta-story/")[0]
        raise KeyboardInterrupt

    monkeypatch.setattr(PreviewServer, "wait", interrupted_wait)
    assert serve_command.run(args) == 0
    assert seen["status"] == 200
    out = capsys.readouterr().out
    assert out.startswith(f"Serving http://127.0.0.1:{seen['port']}/")
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", int(seen["port"]), timeout=2).request("GET", "/")


# --- a real browser --------------------------------------------------------------------------


def test_browser_reloads_on_edit_and_swaps_css_without_reload(site: Site):
    need(os.path.exists(CHROMIUM), f"headless Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    small_site(site)
    site.write("static/css/style.css", "h1 { color: rgb(0, 0, 255); }\n")
    live = "window.__broadsheetLive && window.__broadsheetLive.events.readyState === 1"
    with serving(site) as srv, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto(srv.url + "beta-story/")
            page.wait_for_function(live, timeout=5000)
            page.evaluate("window.__marker = 1")
            site.article("b.md", "Beta story", body="Edited in the browser.\n")
            page.wait_for_function("document.body.innerText.includes('Edited in the browser.')",
                                   timeout=5000)
            assert page.evaluate("window.__marker") is None  # the page reloaded itself

            page.wait_for_function(live, timeout=5000)
            page.evaluate("window.__marker = 2")
            color = "getComputedStyle(document.querySelector('h1')).color"
            assert page.evaluate(color) == "rgb(0, 0, 255)"
            site.write("static/css/style.css", "h1 { color: rgb(255, 0, 0); }\n")
            page.wait_for_function(f"{color} === 'rgb(255, 0, 0)'", timeout=5000)
            assert page.evaluate("window.__marker") == 2, log(srv)  # restyled, not reloaded
            hrefs = page.eval_on_selector_all('link[rel="stylesheet"]', "ls => ls.map(l => l.href)")
            assert any("css/style.css?__broadsheet=" in h for h in hrefs)
            assert sum("css/style.css" in h for h in hrefs) == 1

            # another article and the stylesheet saved together: this page only restyles
            builds = srv.builds
            site.article("world/a.md", "Alpha story", categories=["world"], body="Alpha, edited.\n")
            site.write("static/css/style.css", "h1 { color: rgb(0, 128, 0); }\n")
            page.wait_for_function(f"{color} === 'rgb(0, 128, 0)'", timeout=5000)
            until(lambda: srv.builds > builds, 5.0, "the rebuild")
            assert page.evaluate("window.__marker") == 2, log(srv)

            site.article("b.md", "Beta story", sidebar="middle")
            page.wait_for_selector("#__broadsheet_overlay", timeout=5000)
            assert "unknown sidebar value" in page.inner_text("#__broadsheet_overlay")
            site.article("b.md", "Beta story", body="Recovered.\n")
            page.wait_for_function("document.body.innerText.includes('Recovered.')", timeout=5000)
            assert page.query_selector("#__broadsheet_overlay") is None
        finally:
            browser.close()


def test_serve_rebuilds_by_itself_when_an_embargo_lifts(site: Site):
    """With the real clock, an article embargoed until two seconds from now appears then, with
    no save: the rebuild is set for the build's next scheduled change."""
    from datetime import UTC, datetime, timedelta

    site.article("a.md", "Out already")
    lifts = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0)
    site.article("b.md", "Under embargo", date="2025-01-01 10:00:00", publishDate=lifts.isoformat())
    out, err = io.StringIO(), io.StringIO()
    srv = PreviewServer(lambda: load_config(site.root), port=0, out=out, err=err)
    srv.start()
    try:
        assert fetch(srv, "/under-embargo/")[0] == 404
        until(lambda: srv.builds >= 1, timeout=8, what="the rebuild at the embargo")
        assert fetch(srv, "/under-embargo/")[0] == 200
        assert "(the clock)" in out.getvalue()
    finally:
        srv.stop()
