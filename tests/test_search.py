"""Full-text search: the index from generator/search.py and the /search/ page in a browser."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import generator.search as search
from generator import analysis
from generator.articles import build_clock, is_visible
from generator.build import load_articles
from generator.commands.common import parse_now
from generator.config import load_config
from generator.errors import Report
from generator.model import IndexPage, Route
from generator.model import Site as SiteModel
from generator.render import Renderer
from generator.site import build_site
from generator.urls import output_file

from .conftest import NOW, Site, local_http_server, need
from .test_indexes import MAKE_CORPUS

CHROMIUM = Path("/usr/bin/chromium")
PHRASE = "lighthouse keeper's granite cottage"  # only in the lighthouse story, as a phrase
LIGHTHOUSE = "Island lighthouse to open as a museum"


def term(word: str, lang: str = "en") -> str:
    """The index term of one word."""
    (found,) = analysis.analyzer(lang).terms(word)
    return found


def site_model(root: Path, **overrides: object) -> tuple[SiteModel, dict[str, search.IndexTerms]]:
    """The Site and index terms that generator.build.build() makes for `root`, writing nothing."""
    config = load_config(root, now=parse_now(NOW), search=True, **overrides)
    report = Report()
    loaded, _ = load_articles(config, report, use_cache=False, jobs=1)
    report.raise_if_errors()
    clock = build_clock(config)
    site = build_site([e.article for e in loaded if is_visible(e.schedule, config, clock)], config)
    return site, {e.article.source: e.terms for e in loaded if e.terms is not None}


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


def read_index(files: dict[str, bytes]) -> tuple[dict[str, Any], dict[str, dict[str, int]],
                                                  list[str]]:
    """(meta, term -> {article path: weight}, article paths by doc number) from the index files,
    read the way search.js reads them: through meta.json and the chunk and group files it names."""
    meta = json.loads(files[f"{search.SEARCH_DIR}/meta.json"])
    paths = []
    for name in meta["groups"]:
        paths += [d[0] for d in json.loads(files[f"{search.SEARCH_DIR}/{name}"])]
    assert len(paths) == meta["docs"]
    terms: dict[str, dict[str, int]] = {}
    firsts = [first for first, _ in meta["chunks"]]
    assert firsts == sorted(firsts, key=search._utf16)
    for first, name in meta["chunks"]:
        chunk = json.loads(files[f"{search.SEARCH_DIR}/{name}"])
        assert min(chunk, key=search._utf16) == first
        for term, flat in chunk.items():
            assert term not in terms
            assert flat == sorted(flat)
            terms[term] = {paths[p >> 8]: p & 255 for p in flat}
    return meta, terms, paths


def index_of(root: Path) -> dict[str, bytes]:
    model, terms = site_model(root)
    return dict(search.index_files(model, terms))


def built_index(out: Path) -> dict[str, bytes]:
    folder = out / search.SEARCH_DIR
    return {f"{search.SEARCH_DIR}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}


# --- the index ----------------------------------------------------------------------------

def test_words_are_stemmed_folded_and_stop_words_left_out():
    english = analysis.analyzer("en")
    got = english.terms("Élections: the CAFÉ’s 2 stories, 2024 votes; naïve bus_stop")
    assert got == [term("election"), term("cafe"), term("story"), "2024", term("vote"),
                   term("naive"), "bus", "stop"]  # "the", "s" and "2" left out
    assert term("Elections") == term("election") == "elect"  # stemmed: one term for both
    assert term("running") == term("runs") == "run"
    assert english.terms("Zürich straße ŒUVRE") == ["zurich", "straße", "œuvr"]
    assert english.terms("the of and") == []


def test_index_holds_titles_and_bodies_only(site: Site):
    newsroom(site)
    meta, terms, paths = read_index(index_of(site.root))
    assert meta["docs"] == 6 and meta["format"] == search.FORMAT
    # docs are numbered oldest first, so date order is number order
    assert paths == ["business/cottages/", "world/ferry/", "business/quarry/", "world/lighthouse/",
                     "world/survey/", "world/harbour/"]
    assert meta["lang"] == "en"
    granite = terms[term("granite")]
    assert set(granite) == {"world/lighthouse/", "world/harbour/", "business/quarry/",
                            "world/survey/"}
    assert set(terms[term("museum")]) == {"world/lighthouse/"}
    # "Ferries" in the body, "Ferry" in the title: one term
    assert set(terms[term("ferries")]) == {"world/ferry/"} and term("ferries") == term("ferry")
    assert term("scriptword") not in terms  # script text is not body text
    for chrome in ("recent", "search", "subscribe", "menu"):  # no page chrome
        assert term(chrome) not in terms
    assert "the" not in terms and "to" not in terms  # stop words
    # a title word weighs more than the same word once in a body
    assert granite["business/quarry/"] > granite["world/harbour/"]


def test_filters_and_doc_groups(site: Site):
    newsroom(site)
    files = index_of(site.root)
    meta, _, paths = read_index(files)
    filters = json.loads(files[f"{search.SEARCH_DIR}/{meta['filters']}"])
    assert [name for name, _, _ in filters["category"]] == ["Business", "World"]
    members = {name: [paths[d] for d in json.loads(files[f"{search.SEARCH_DIR}/{f}"])]
               for name, count, f in filters["tag"]}
    assert members["Islands"] == ["business/cottages/", "world/lighthouse/", "world/harbour/"]
    assert [count for name, count, _ in filters["tag"] if name == "Islands"] == [3]
    group = json.loads(files[f"{search.SEARCH_DIR}/{meta['groups'][0]}"])
    assert group[3][:3] == ["world/lighthouse/", LIGHTHOUSE, "10 February 2025"]
    assert group[3][3].startswith("2025-02-10T09:00:00")


def test_index_is_deterministic_and_the_same_from_the_cache(site: Site):
    newsroom(site)
    site.build(search=True, jobs=1, use_cache=False)
    first = built_index(site.out)
    assert first == index_of(site.root)
    site.build(search=True, jobs=2)  # fills the cache
    site.build(search=True, jobs=2)  # reads it
    assert built_index(site.out) == first
    names = [p for p in first if p != f"{search.SEARCH_DIR}/meta.json"]
    assert all(re.fullmatch(r"search-index/(t|d|f|filters)\.[0-9a-f]{16}\.json", p) for p in names)


def test_an_edit_rewrites_only_the_files_it_touches(tmp_path: Path):
    """On a 300-article corpus: one changed article changes meta.json and some of the chunks that
    hold its words (its length changed, so its weights may have), and nothing else."""
    site = Site(tmp_path / "site")
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site.root / "content"),
                    "--articles", "300", "--seed", "3"], check=True, capture_output=True)
    site.build(search=True)
    before = built_index(site.out)
    _, terms_before, paths = read_index(before)
    chunks = [p for p in before if "/t." in p]
    assert len(chunks) > 20
    victim = sorted((site.root / "content").rglob("*.md"))[5]
    victim.write_text(victim.read_text().rstrip() + "\n\nA zeppelinfield quibblestone appeared.\n")
    result = site.build(search=True)
    after = built_index(site.out)
    _, terms_after, paths_after = read_index(after)
    assert paths_after == paths  # nobody was renumbered
    zeppelin = term("zeppelinfield")
    assert zeppelin not in terms_before and len(terms_after[zeppelin]) == 1
    changed = {p for p in after if before.get(p) != after[p]}
    assert f"{search.SEARCH_DIR}/meta.json" in changed
    changed_chunks = [p for p in changed if "/t." in p]
    victim_path = next(p for p in paths if terms_after[zeppelin].get(p))
    holding = {p for p in after if "/t." in p
               and any(victim_path in terms_after[t] for t in json.loads(after[p]))}
    # (a weight that rounds the same leaves its chunk as it was)
    assert set(changed_chunks) <= holding and len(changed_chunks) < len(chunks)
    assert any(zeppelin in json.loads(after[p]) for p in changed_chunks)
    assert not [p for p in changed if "/d." in p or "/f." in p]  # same titles, dates and tags
    written = {w for w in result.written if w.startswith(search.SEARCH_DIR)}
    assert written == changed
    removed = [w for w in result.removed if w.startswith(search.SEARCH_DIR)]
    assert len(removed) == len(changed_chunks) - (len(after) - len(before))


def test_a_new_story_keeps_the_others_numbers(site: Site):
    newsroom(site)
    _, _, before = read_index(index_of(site.root))
    site.article("world/latest.md", "Latest news", slug="latest", date="2025-02-20 09:00:00")
    _, terms, after = read_index(index_of(site.root))
    assert after == [*before, "world/latest/"]
    assert set(terms[term("latest")]) == {"world/latest/"}


def test_two_tags_on_the_same_articles_share_one_file(site: Site):
    site.article("a.md", "Alpha", tags=["Ports", "Harbours"])
    site.article("b.md", "Beta", tags=["Ports", "Harbours"], date="2025-02-02 10:00:00")
    site.build(search=True)  # one file written once, not twice
    files = built_index(site.out)
    meta = json.loads(files[f"{search.SEARCH_DIR}/meta.json"])
    tags = json.loads(files[f"{search.SEARCH_DIR}/{meta['filters']}"])["tag"]
    assert [(n, c) for n, c, _ in tags] == [("Harbours", 2), ("Ports", 2)]
    assert tags[0][2] == tags[1][2] and f"{search.SEARCH_DIR}/{tags[0][2]}" in files


def test_empty_site_gives_a_working_index(site: Site):
    meta, terms, paths = read_index(index_of(site.root))
    assert meta["docs"] == 0 and terms == {} and paths == []


def test_search_page_works_without_javascript(site: Site):
    newsroom(site)
    html = render_search_page(site_model(site.root)[0]).decode()
    assert 'action="/search/" method="get"' in html
    assert 'name="q"' in html and '<label class="search-page__label" for="search-q">' in html
    assert 'id="search-fallback"' in html and 'href="/archives/"' in html and 'href="/tags/"' in html
    assert 'data-index="/search-index/meta.json" data-root="/"' in html
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
    assert (site.out / search.SEARCH_DIR / "meta.json").is_file()
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
def searchable(site: Site) -> Path:
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
        # two more stories have every word, apart; the survey has them more often, so word
        # weights alone rank it first: the phrase, as typed, puts the lighthouse story on top
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


def test_search_under_a_sub_path(site: Site, tmp_path: Path):
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


def test_the_browser_folds_words_as_the_index_does(searchable: Path):
    samples = ["Élections: the CAFÉ’s 2 stories", "naïve bus_stop glass analysis series",
               "Zürich straße ŒUVRE İstanbul", "ﬁnance ½ 𝐁old 東京 タワー", "Ça-va? Αθήνα Москва's"]
    with serve(searchable) as base, browser() as page:
        page.goto(base + "/search/")
        got = page.evaluate("""async (samples) => {
            const src = document.querySelector("script[type=module][src*=search]").src;
            const { words, useLanguage } = await import(src);
            await useLanguage("en");
            return samples.map((s) => words(s));
        }""", samples)
    assert got == [analysis.analyzer("en").terms(s) for s in samples]


def test_results_come_as_the_reader_types(searchable: Path):
    with serve(searchable) as base, browser() as page:
        page.goto(base + "/search/")
        page.locator("#search-q").press_sequentially("lightho", delay=30)
        page.wait_for_function("document.querySelectorAll('#search-results li').length === 3")
        titles = page.locator("a.search-result__link").all_inner_texts()
        assert titles[0] == LIGHTHOUSE  # the word in its headline
        assert set(titles) == {LIGHTHOUSE, "Harbour reopens after storm repairs", "Stone survey"}
        assert "q=lightho" in page.url
        marks = page.locator(".search-result__excerpt mark").all_inner_texts()
        assert marks and all(m.lower().startswith("lightho") for m in marks)
