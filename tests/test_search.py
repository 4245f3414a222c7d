"""Full-text search: the Pagefind bundle from generator/search.py and the /search/ page in a browser."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import generator.search as search
from generator.articles import build_clock, is_visible
from generator.build import load_articles
from generator.cli import parse_now
from generator.config import load_config
from generator.errors import Report
from generator.model import IndexPage, Route
from generator.model import Site as SiteModel
from generator.render import Renderer
from generator.site import build_site
from generator.urls import output_file

from .conftest import NOW, Site, local_http_server, need

CHROMIUM = Path("/usr/bin/chromium")
PHRASE = "lighthouse keeper's granite cottage"  # only in the lighthouse story, as a phrase
LIGHTHOUSE = "Island lighthouse to open as a museum"


def has_pagefind() -> bool:
    try:
        search.pagefind_binary()
    except Exception:
        return False
    return True


def site_model(root: Path, **overrides: object) -> SiteModel:
    """The Site that generator.build.build() makes for `root`, without writing anything."""
    config = load_config(root, now=parse_now(NOW), **overrides)
    report = Report()
    loaded, _ = load_articles(config, report, use_cache=False, jobs=1)
    report.raise_if_errors()
    clock = build_clock(config)
    return build_site([a for f, a in loaded if is_visible(f, config, clock)], config)


def newsroom(site: Site) -> None:
    """Six stories that share words, so ranking matters, in two sections with tags."""
    site.article("world/lighthouse.md", LIGHTHOUSE, slug="lighthouse", categories=["World"],
                 tags=["Heritage", "Islands"], date="2025-02-10 09:00:00",
                 body="The island council voted on Tuesday to turn the old light into a museum.\n\n"
                      f"Visitors will be able to see the {PHRASE}, restored with its original "
                      "slate roof, from the spring.\n\n<script>var hidden = 'scriptword';</script>\n")
    site.article("world/harbour.md", "Harbour reopens after storm repairs", slug="harbour",
                 categories=["World"], tags=["Islands"], date="2025-02-12 09:00:00",
                 body="The harbour on the island, near the lighthouse, reopened. A keeper of the "
                      "harbour records said the granite walls held and a cottage by the quay was "
                      "spared.\n")
    site.article("business/quarry.md", "Granite quarry expands", slug="quarry",
                 categories=["Business"], tags=["Industry"], date="2025-02-05 09:00:00",
                 body="The quarry that supplied granite for the cottage rows will hire forty "
                      "people.\n")
    site.article("business/cottages.md", "Holiday cottage prices rise", slug="cottages",
                 categories=["Business"], tags=["Housing", "Islands"], date="2025-01-20 09:00:00",
                 body="A cottage on the island now costs twice what it did. The keeper of the "
                      "land registry said so.\n")
    site.article("world/survey.md", "Stone survey", slug="survey", categories=["World"],
                 tags=["Heritage"], date="2025-02-11 09:00:00",  # every word, often, never in order
                 body="Granite, granite: a cottage keeper surveyed the lighthouse. Cottage granite, "
                      "keeper's lighthouse. Lighthouse cottage keeper's granite.\n")
    site.article("world/ferry.md", "Ferry timetable changes", slug="ferry",
                 categories=["World"], tags=["Transport"], date="2025-02-01 09:00:00",
                 body="Ferries to the island will leave an hour earlier from March.\n")


def forget() -> None:
    if search._running is not None:
        search._running.join()
    search._memory = search._failed = None
    search._last_seconds = 0.0


@pytest.fixture
def fresh() -> Iterator[None]:
    """No index remembered from another test: every call here runs Pagefind or reads the cache."""
    forget()
    yield
    forget()


def unpack(data: bytes) -> bytes:
    return gzip.decompress(data) if not data.startswith(search.SIGNATURE) else data


# --- the bundle ---------------------------------------------------------------------------

def test_records_hold_only_titles_and_bodies(site: Site):
    newsroom(site)
    model = site_model(site.root)
    records = {r["url"]: r for r in search.records(model)}
    rec = records["world/lighthouse/"]
    assert rec["content"].startswith(LIGHTHOUSE + ".\n")
    assert PHRASE in rec["content"]
    assert "scriptword" not in rec["content"]  # script text is not body text
    assert "Recent" not in rec["content"] and "Search" not in rec["content"]  # no page chrome
    assert rec["filters"] == {"category": ["World"], "tag": ["Heritage", "Islands"]}
    assert rec["sort"] == {"date": "2025-02-10T09:00:00Z"}
    assert rec["meta"]["title"] == LIGHTHOUSE
    assert rec["meta"]["date"] == "10 February 2025"
    assert rec["meta"]["datetime"].startswith("2025-02-10T09:00:00")
    assert rec["language"] == "en"


def test_search_files_are_a_deterministic_pagefind_bundle(site: Site, fresh: None):
    need(has_pagefind(), "the pagefind binary is not installed (pip install 'pagefind[bin]')")
    newsroom(site)
    model = site_model(site.root)
    runs = []
    for _ in range(3):  # each run is a new pagefind process with its own HashMap seed
        search._memory = None
        runs.append(search.search_files(model))
    assert runs[0] == runs[1] == runs[2]
    files = dict(runs[0])
    assert [p for p, _ in runs[0]] == sorted(files)
    assert all(p.startswith("pagefind/") for p in files)
    for needed in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"):
        assert f"pagefind/{needed}" in files
    assert not [p for p in files if "-ui" in p or "highlight" in p or "playground" in p]
    assert len([p for p in files if p.startswith("pagefind/fragment/")]) == 6
    assert len([p for p in files if p.startswith("pagefind/filter/")]) == 2
    assert [p for p in files if p.startswith("pagefind/index/")]

    entry = json.loads(files["pagefind/pagefind-entry.json"])
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] == 6
    meta_file = f"pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta"
    assert meta_file in files  # the entry names the renamed meta file
    meta = search.cbor_decode(unpack(files[meta_file]), len(search.SIGNATURE))[0]
    for name, chunk in meta[3]:  # the meta names the renamed filter files, in sorted order
        assert f"pagefind/filter/{chunk}.pf_filter" in files
        fname, values = search.cbor_decode(unpack(files[f"pagefind/filter/{chunk}.pf_filter"]),
                                           len(search.SIGNATURE))[0]
        assert fname == name
        assert values == sorted(values, key=search._sort_key)
    names = [n for n, _ in meta[3]]
    assert sorted(names) == ["category", "tag"]
    assert names == sorted(names, key=search._sort_key)


def test_normalise_understands_this_pagefind(site: Site, fresh: None):
    """If a new Pagefind changes its layout, normalise() would fall back silently: catch it here."""
    need(has_pagefind(), "the pagefind binary is not installed (pip install 'pagefind[bin]')")
    newsroom(site)
    recs = search.records(site_model(site.root))
    with search.PagefindService(search.pagefind_binary()) as service:
        index = service.call({"type": "NewIndex", "config": {"force_language": "en"}})["index_id"]
        service.call_many([{"type": "AddRecord", "index_id": index, **r} for r in recs])
        raw = service.call({"type": "GetFiles", "index_id": index})["files"]
    files = {f["path"]: search.base64.b64decode(f["content"]) for f in raw}
    search._normalise(files)  # raises instead of falling back


def test_unchanged_site_reuses_the_index(site: Site, fresh: None, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch):
    need(has_pagefind(), "the pagefind binary is not installed (pip install 'pagefind[bin]')")
    newsroom(site)
    model = site_model(site.root)
    cache = tmp_path / "cache"
    first = search.search_files(model, cache)
    assert (cache / search.CACHE_FILE).is_file()

    def no_pagefind(*args: object) -> None:
        raise AssertionError("pagefind ran for an unchanged site")

    monkeypatch.setattr(search, "run_pagefind", no_pagefind)
    assert search.search_files(model) == first  # in memory (the serve process)
    search._memory = None
    assert search.search_files(model, cache) == first  # on disk (the next build)
    site.article("world/ferry.md", "Ferry timetable changes", slug="ferry", categories=["World"],
                 date="2025-02-01 09:00:00", body="Ferries will leave later.\n")
    with pytest.raises(AssertionError, match="pagefind ran"):
        search.search_files(site_model(site.root), cache)


def test_serve_gets_the_old_index_while_a_slow_new_one_is_made(
        site: Site, fresh: None, monkeypatch: pytest.MonkeyPatch):
    newsroom(site)
    model = site_model(site.root)
    old = [("pagefind/pagefind-entry.json", b"old")]
    new = [("pagefind/pagefind-entry.json", b"new")]
    release, ready = threading.Event(), threading.Event()
    runs = []

    def slow_pagefind(recs: list[dict[str, object]], language: str) -> list[tuple[str, bytes]]:
        runs.append(len(recs))
        release.wait(10)
        return new

    monkeypatch.setattr(search, "run_pagefind", slow_pagefind)
    search._memory, search._last_seconds = ("an older site", old), 30.0
    assert search.search_files(model, on_ready=ready.set) == old  # at once, stale
    assert search.search_files(model, on_ready=ready.set) == old  # one run at a time
    release.set()
    assert ready.wait(10)
    assert search.search_files(model, on_ready=ready.set) == new  # from memory
    assert runs == [6]

    def broken(recs: list[dict[str, object]], language: str) -> list[tuple[str, bytes]]:
        raise search.BuildError([search.Problem("search", "pagefind: out of memory")])

    monkeypatch.setattr(search, "run_pagefind", broken)
    ready.clear()
    search._last_seconds = 30.0
    site.article("world/ferry.md", "Ferry timetable changes", slug="ferry", categories=["World"],
                 date="2025-02-01 09:00:00", body="Ferries will leave later.\n")
    edited = site_model(site.root)
    assert search.search_files(edited, on_ready=ready.set) == new
    assert ready.wait(10)
    with pytest.raises(search.BuildError, match="out of memory"):
        search.search_files(edited, on_ready=ready.set)  # the next rebuild reports the failure


def test_small_sites_index_at_once_even_in_serve(site: Site, fresh: None,
                                                 monkeypatch: pytest.MonkeyPatch):
    newsroom(site)
    fresh_files = [("pagefind/pagefind-entry.json", b"fresh")]
    monkeypatch.setattr(search, "run_pagefind", lambda recs, language: fresh_files)
    search._memory, search._last_seconds = ("an older site", []), 0.3
    assert search.search_files(site_model(site.root), on_ready=lambda: None) == fresh_files


def test_empty_site_gives_a_working_bundle(site: Site, fresh: None):
    need(has_pagefind(), "the pagefind binary is not installed (pip install 'pagefind[bin]')")
    files = dict(search.search_files(site_model(site.root)))
    assert "pagefind/pagefind.js" in files and "pagefind/pagefind-entry.json" in files


def test_search_page_works_without_javascript(site: Site):
    newsroom(site)
    html = render_search_page(site_model(site.root)).decode()
    assert 'action="/search/" method="get"' in html
    assert 'name="q"' in html and '<label class="search-page__label" for="search-q">' in html
    assert 'id="search-fallback"' in html and 'href="/archives/"' in html and 'href="/tags/"' in html
    assert 'data-pagefind="/pagefind/pagefind.js"' in html
    assert '<option value="World">World</option>' in html
    assert 'aria-live="polite"' in html


# --- in a browser -------------------------------------------------------------------------

def render_search_page(model: SiteModel) -> bytes:
    config = model.config
    page = IndexPage(kind="search", title="Search", path="search/", sidebar=config.sidebar_list,
                     widgets=config.sidebar_widgets)
    return Renderer(model).render(Route("search/", "search.html", page))


def build_with_search(site: Site, **overrides: object) -> Path:
    """Build the site with its search index and /search/ page, as a newsroom's build does."""
    site.build(search=True, **overrides)
    assert (site.out / "pagefind" / "pagefind-entry.json").is_file()
    assert (site.out / output_file("search/")).is_file()
    return site.out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> contextlib.AbstractContextManager[str]:
    return local_http_server(partial(QuietHandler, directory=str(root)))


@contextmanager
def browser(java_script: bool = True) -> Iterator[object]:
    need(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright package is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking"])
        try:
            context = chromium.new_context(java_script_enabled=java_script)
            page = context.new_page()
            page.set_default_timeout(15_000)
            outside: list[str] = []

            def only_local(route: object) -> None:  # no request may leave the test server
                url = route.request.url  # type: ignore[attr-defined]
                if urlsplit(url).hostname != "127.0.0.1":
                    outside.append(url)
                    route.abort()  # type: ignore[attr-defined]
                else:
                    route.continue_()  # type: ignore[attr-defined]

            page.route("**/*", only_local)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield page
            assert outside == [], f"requests to other hosts: {outside}"
            assert errors == [], f"JavaScript errors: {errors}"
        finally:
            chromium.close()


@pytest.fixture
def searchable(site: Site, fresh: None) -> Path:
    need(has_pagefind(), "the pagefind binary is not installed (pip install 'pagefind[bin]')")
    newsroom(site)
    return build_with_search(site)


def test_widget_search_finds_the_article_first_and_follows_it(searchable: Path):
    with serve(searchable) as base, browser() as page:
        page.goto(base + "/")
        page.fill("#widget-search-q", PHRASE)
        page.press("#widget-search-q", "Enter")
        page.wait_for_url(re.compile(r".*/search/\?q=lighthouse\+keeper"))
        first = page.locator("#search-results li.search-result").first
        first.wait_for()
        link = first.locator("a.search-result__link")
        assert link.inner_text() == LIGHTHOUSE
        assert first.locator("time").inner_text() == "10 February 2025"
        marks = first.locator(".search-result__excerpt mark").all_inner_texts()
        assert {"granite", "cottage"} <= {m.lower().strip(".,;:'’") for m in marks}
        # two more stories have every word, apart; the survey has them more often, so Pagefind
        # alone ranks it first: the phrase, as typed, puts the lighthouse story on top
        titles = page.locator("a.search-result__link").all_inner_texts()
        assert {"Harbour reopens after storm repairs", "Stone survey"} <= set(titles)
        assert page.locator("#search-status").inner_text().endswith(f"match “{PHRASE}”.")
        assert page.input_value("#search-q") == PHRASE  # ?q= filled the page's own box
        assert page.locator("#search-fallback").is_hidden()
        link.click()
        page.wait_for_url(base + "/world/lighthouse/")
        assert page.locator("h1").first.inner_text() == LIGHTHOUSE


def test_results_by_keyboard_filters_and_date_order(searchable: Path):
    with serve(searchable) as base, browser() as page:
        page.goto(base + "/search/?q=granite")
        page.locator("#search-results li").first.wait_for()
        titles = page.locator("a.search-result__link").all_inner_texts()
        assert set(titles) == {LIGHTHOUSE, "Harbour reopens after storm repairs",
                               "Granite quarry expands", "Stone survey"}
        page.focus("#search-q")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.className") == "search-result__link"
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.textContent") == titles[1]
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "search-q"

        page.goto(base + "/search/?q=granite&category=Business")
        page.wait_for_function("document.querySelectorAll('#search-results li').length === 1")
        assert page.locator("a.search-result__link").all_inner_texts() == ["Granite quarry expands"]
        assert page.input_value("#search-category") == "Business"

        page.goto(base + "/search/?q=island&tag=islands&sort=newest")  # tag matched in any case
        page.wait_for_function("document.querySelectorAll('#search-results li').length === 3")
        assert page.locator("a.search-result__link").all_inner_texts() == [
            "Harbour reopens after storm repairs", LIGHTHOUSE, "Holiday cottage prices rise"]

        page.fill("#search-q", "zzyzx")
        page.press("#search-q", "Enter")
        page.wait_for_function("document.getElementById('search-status').textContent"
                               ".startsWith('No articles')")
        assert page.locator("#search-results li").count() == 0
        assert "q=zzyzx" in page.url


def test_without_javascript_the_page_offers_plain_links(searchable: Path):
    with serve(searchable) as base, browser(java_script=False) as page:
        page.goto(base + "/")
        page.fill("#widget-search-q", "granite")
        page.press("#widget-search-q", "Enter")
        page.wait_for_url(re.compile(r".*/search/\?q=granite$"))
        assert page.locator("#search-fallback").is_visible()
        page.click("#search-fallback >> text=archives")
        page.wait_for_url(base + "/archives/")


def test_search_under_a_sub_path(site: Site, fresh: None, tmp_path: Path):
    need(has_pagefind(), "the pagefind binary is not installed (pip install 'pagefind[bin]')")
    newsroom(site)
    out = build_with_search(site, base_url="https://example.org/news/")
    webroot = tmp_path / "webroot"
    webroot.mkdir()
    os.symlink(out, webroot / "news")
    with serve(webroot) as base, browser() as page:
        page.goto(base + "/news/search/?q=" + PHRASE.replace(" ", "+"))
        link = page.locator("a.search-result__link").first
        link.wait_for()
        assert link.inner_text() == LIGHTHOUSE
        assert link.get_attribute("href") == "/news/world/lighthouse/"
