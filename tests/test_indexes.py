"""Indexes of a ~300-article synthetic corpus: term pages, term indexes, archives, feeds,
sitemaps and pagination, checked against expectations computed from the corpus' own front
matter (read here with yaml, never through the engine's model).

The corpus comes from the shared bench/make_corpus.py; a few files are then edited so the
corpus also has weights, authors (two spellings of one), same-date ties and a redirect alias.
"""

from __future__ import annotations

import calendar
import math
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import NOW, SHARED, Site

MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
N_ARTICLES = 300
SEED = 7
PAGINATE = 7
FEED_ITEMS = 20
BASE = "https://daily.example.com/"
TAXONOMIES = ("categories", "tags", "authors")
TIE_DATE = "2024-06-15 12:00:00"
ALIAS = "old/moved-story/"


# --- the expectation, from the corpus files themselves --------------------------------------

def slug(name: str) -> str:
    """The spec's slug for the names this corpus uses (ASCII by transliteration, '-' joined)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def as_list(value: object) -> list[str]:
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@dataclass(frozen=True)
class Art:
    source: str  # relative to content/
    title: str
    date: datetime
    weight: int
    terms: dict[str, tuple[str, ...]]  # taxonomy -> names as written

    @property
    def sort_key(self) -> tuple[int, int, float, str, str]:
        """The spec's default order: weight asc with 0 last, newest first, title, source."""
        return (self.weight == 0, self.weight, -self.date.timestamp(), self.title, self.source)

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def split_front(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def read_corpus(content: Path) -> list[Art]:
    arts = []
    for path in sorted(content.rglob("*.md")):
        rel = path.relative_to(content).as_posix()
        fm, _ = split_front(path.read_text(encoding="utf-8"))
        date = datetime.strptime(str(fm["date"]), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        cats = as_list(fm.get("categories")) or [rel.split("/", 1)[0]]
        authors = as_list(fm.get("authors", fm.get("author")))
        arts.append(Art(rel, fm["title"], date, int(fm.get("weight") or 0), {
            "categories": tuple(cats), "tags": tuple(as_list(fm.get("tags"))),
            "authors": tuple(authors)}))
    return arts


@dataclass
class ExpTerm:
    name: str
    slug: str
    articles: list[Art] = field(default_factory=list)

    def path(self, taxonomy: str) -> str:
        return f"{taxonomy}/{self.slug}/"


def expected_terms(arts: list[Art], taxonomy: str) -> dict[str, ExpTerm]:
    """slug -> term named by its first spelling in source-path order, articles in default order."""
    terms: dict[str, ExpTerm] = {}
    for a in sorted(arts, key=lambda a: a.source):
        for name in a.terms[taxonomy]:
            term = terms.setdefault(slug(name), ExpTerm(name, slug(name)))
            if a not in term.articles:
                term.articles.append(a)
    for term in terms.values():
        term.articles.sort(key=lambda a: a.sort_key)
    return terms


# --- editing the generated corpus -----------------------------------------------------------

def edit(path: Path, **changes: object) -> None:
    fm, body = split_front(path.read_text(encoding="utf-8"))
    fm.update(changes)
    front = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def customise(content: Path) -> None:
    """Weights (with ties and an explicit 0), authors in two spellings, same-date/same-title
    ties inside one tag, a redirect alias and an article inside the news-sitemap window."""
    files = sorted(content.rglob("*.md"))
    arts = read_corpus(content)
    weighted = (5, 40, 75, 110, 145, 180, 215)
    for i, w in zip(weighted, (2, 1, 2, 3, 1, 0, 1), strict=True):
        edit(files[i], weight=w)
    names = ("Anna Kowalski", "Mark Novak", "Lucía Dubois")
    for k, path in enumerate(files[:-1:3]):
        edit(path, authors=[names[k % 3]] + ([names[(k + 1) % 3]] if k % 4 == 0 else []))
    edit(files[-1], author="anna kowalski")  # a later second spelling of the first author
    # four same-date articles of the biggest tag, in distinct categories
    tags = expected_terms(arts, "tags")
    big = max(tags.values(), key=lambda t: (len(t.articles), t.slug))
    picked: dict[str, Art] = {}
    for a in sorted(big.articles, key=lambda a: a.source):
        cat = a.source.split("/", 1)[0]
        if files.index(content / a.source) not in (*weighted, 17, 18):
            picked.setdefault(cat, a)
    chosen = list(picked.values())[:4]
    assert len(chosen) == 4, "the corpus should spread its biggest tag over categories"
    for a, title in zip(chosen, ("Tie story beta", "Tie story alpha", "Tie story gamma",
                                 "Tie story gamma"), strict=True):
        edit(content / a.source, date=TIE_DATE, title=title)
    edit(files[17], aliases=[f"/{ALIAS}"])
    edit(files[18], date="2025-03-01 08:00:00")  # inside the 48 h before NOW


@dataclass
class Corpus:
    site: Site
    arts: list[Art]
    terms: dict[str, dict[str, ExpTerm]]

    @property
    def out(self) -> Path:
        return self.site.out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("indexes") / "site"
    site = Site(root)
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(root / "content"),
                    "--articles", str(N_ARTICLES), "--seed", str(SEED)],
                   check=True, capture_output=True)
    customise(root / "content")
    site.write("site.toml", f'title = "Daily"\nbase_url = "{BASE}"\npaginate = {PAGINATE}\n')
    result = site.build()
    arts = read_corpus(root / "content")
    assert result.articles == len(arts) == N_ARTICLES
    return Corpus(site, arts, {t: expected_terms(arts, t) for t in TAXONOMIES})


# --- reading the built HTML -----------------------------------------------------------------

Ident = tuple[str, str, str]  # (title, ISO date, section name) as the summary shows them

_DOCS: dict[Path, lxml.html.HtmlElement] = {}


def doc(out: Path, rel: str) -> lxml.html.HtmlElement:
    path = out / rel
    if rel == "" or rel.endswith("/"):
        path = path / "index.html"
    if path not in _DOCS:
        _DOCS[path] = lxml.html.fromstring(path.read_bytes())
    return _DOCS[path]


def summaries(page: lxml.html.HtmlElement) -> list[tuple[Ident, str]]:
    """(identity, link) of every article summary on a list page."""
    out = []
    for s in page.cssselect("article.summary"):
        link = s.cssselect("h2 a")[0]
        kicker = s.cssselect("p.kicker a")
        ident = (link.text_content(), s.cssselect("time")[0].get("datetime"),
                 kicker[0].text_content() if kicker else "")
        out.append((ident, link.get("href")))
    return out


def list_pages(out: Path, base: str, n_items: int) -> list[lxml.html.HtmlElement]:
    """Pages 1..ceil(n/7) of the list at `base`, checking no /page/1/ and no page after the last."""
    total = max(1, math.ceil(n_items / PAGINATE))
    assert not (out / base / "page" / "1").exists(), f"/{base}page/1/ must not exist"
    assert not (out / base / "page" / str(total + 1)).exists(), \
        f"/{base} has a page {total + 1} for {n_items} articles"
    for n in range(2, total + 1):
        assert (out / base / "page" / str(n) / "index.html").is_file(), f"/{base}page/{n}/ missing"
    return [doc(out, base if n == 1 else f"{base}page/{n}/") for n in range(1, total + 1)]


def ident(corpus: Corpus, a: Art) -> Ident:
    return (a.title, a.iso, corpus.terms["categories"][slug(a.terms["categories"][0])].name)


def check_list(corpus: Corpus, base: str, expected: list[Art], links: dict[Ident, str],
               ordered: bool = True) -> list[lxml.html.HtmlElement]:
    """The list at `base` shows exactly `expected`, 7 per page (in that order if `ordered`)."""
    pages = list_pages(corpus.out, base, len(expected))
    want = [ident(corpus, a) for a in expected]
    got_all = []
    for n, page in enumerate(pages):
        got = summaries(page)
        got_all += got
        if ordered:
            assert [i for i, _ in got] == want[n * PAGINATE:(n + 1) * PAGINATE], \
                f"/{base} page {n + 1}"
        else:
            assert len(got) == len(want[n * PAGINATE:(n + 1) * PAGINATE]), f"/{base} page {n + 1}"
    assert sorted(i for i, _ in got_all) == sorted(want), f"/{base} lists other articles"
    for i, href in got_all:
        assert links.setdefault(i, href) == href, f"/{base} links {i[0]!r} to a different URL"
    return pages


@pytest.fixture(scope="module")
def links(corpus: Corpus) -> dict[Ident, str]:
    """Every article's URL, taken from the home list and checked against the article page."""
    found: dict[Ident, str] = {}
    check_list(corpus, "", sorted(corpus.arts, key=lambda a: a.sort_key), found)
    assert len(set(found.values())) == len(corpus.arts), "two articles share a URL"
    for (title, iso, _), href in found.items():
        assert href.startswith("/") and href.endswith("/")
        page = doc(corpus.out, href.lstrip("/"))
        assert page.cssselect("article.article h1")[0].text_content() == title
        assert page.cssselect(".byline time")[0].get("datetime") == iso
    return found


# --- 1. term pages --------------------------------------------------------------------------

@pytest.mark.parametrize("taxonomy", TAXONOMIES)
def test_every_term_page_lists_exactly_its_articles_in_default_order(
        corpus: Corpus, links: dict[Ident, str], taxonomy: str):
    terms = corpus.terms[taxonomy]
    assert terms, f"the corpus should have {taxonomy}"
    built = {p.name for p in (corpus.out / taxonomy).iterdir() if p.is_dir()}
    assert built == set(terms), f"term folders under /{taxonomy}/ differ from the corpus terms"
    for term in terms.values():
        base = term.path(taxonomy)
        pages = check_list(corpus, base, term.articles, links)
        for page in pages:
            assert page.cssselect("h1.list__title")[0].text_content() == term.name
            feeds = [e.get("href") for e in
                     page.cssselect('head link[rel="alternate"][type="application/atom+xml"]')]
            assert f"/{base}feed.xml" in feeds, f"/{base}: no alternate link to its own feed"
        assert (corpus.out / base / "feed.xml").is_file()


def test_corpus_exercises_weights_ties_and_spellings(corpus: Corpus):
    """Guards the fixture: the ordering and naming rules above were really put to the test."""
    tags = corpus.terms["tags"]
    tied = [a for a in corpus.arts if a.title.startswith("Tie story")]
    assert len(tied) == 4 and len({a.date for a in tied}) == 1
    assert any(all(a in t.articles for a in tied) for t in tags.values())
    assert any(a.weight for a in corpus.arts)
    assert any(t.articles[0].weight and len(t.articles) > PAGINATE for t in tags.values())
    assert corpus.terms["authors"]["anna-kowalski"].name == "Anna Kowalski"
    assert any(math.ceil(len(t.articles) / PAGINATE) >= 4 for t in tags.values())


# --- 2. term indexes ------------------------------------------------------------------------

def index_entries(section: lxml.html.HtmlElement) -> list[tuple[str, str, int]]:
    return [(li.cssselect("a")[0].text_content(), li.cssselect("a")[0].get("href"),
             int(li.cssselect(".count")[0].text_content())) for li in section.cssselect("li")]


@pytest.mark.parametrize("taxonomy", TAXONOMIES)
def test_term_index_lists_every_term_with_its_count(corpus: Corpus, taxonomy: str):
    terms = corpus.terms[taxonomy]
    page = doc(corpus.out, f"{taxonomy}/")
    az = page.cssselect("section.terms--alphabetical")
    assert len(az) == 1
    want = [(t.name, f"/{t.path(taxonomy)}", len(t.articles))
            for t in sorted(terms.values(), key=lambda t: (t.name.lower(), t.slug))]
    assert index_entries(az[0]) == want
    by_use = page.cssselect("section.terms--by-use")
    assert len(by_use) == 1
    top = index_entries(by_use[0])
    assert top, "the most-used list is empty"
    counts = [c for _, _, c in top]
    assert counts == sorted(counts, reverse=True)
    assert counts == sorted((len(t.articles) for t in terms.values()), reverse=True)[:len(top)]
    assert set(top) <= set(want)


# --- 3. archives ----------------------------------------------------------------------------

def test_archives_index_years_and_months(corpus: Corpus, links: dict[Ident, str]):
    by_year: dict[int, list[Art]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Art]] = defaultdict(list)
    for a in corpus.arts:
        by_year[a.date.year].append(a)
        by_month[(a.date.year, a.date.month)].append(a)
    index = doc(corpus.out, "archives/")
    years = index.cssselect("ul.archive-list > li")
    assert [y.cssselect("a")[0].get("href") for y in years] == \
        [f"/{y:04d}/" for y in sorted(by_year, reverse=True)]
    for li in years:
        year = int(li.cssselect("a")[0].text_content())
        assert int(li.cssselect(".count")[0].text_content()) == len(by_year[year])
        months = [(m.cssselect("a")[0].get("href"), int(m.cssselect(".count")[0].text_content()))
                  for m in li.cssselect("ul li")]
        assert months == [(f"/{y:04d}/{m:02d}/", len(by_month[(y, m)]))
                          for y, m in sorted(by_month, reverse=True) if y == year]

    def check(base: str, arts: list[Art]) -> None:
        arts = sorted(arts, key=lambda a: a.sort_key)
        pages = check_list(corpus, base, arts, links, ordered=False)
        # articles by date: whatever is pinned by weight, the rest runs newest first
        weighted = {ident(corpus, a) for a in arts if a.weight}
        isos = [i[1] for p in pages for i, _ in summaries(p) if i not in weighted]
        assert isos == sorted(isos, reverse=True), f"/{base} is not newest first"

    for y, arts in by_year.items():
        check(f"{y:04d}/", arts)
    for (y, m), arts in by_month.items():
        check(f"{y:04d}/{m:02d}/", arts)
    for y in by_year:
        months = {p.name for p in (corpus.out / f"{y:04d}").iterdir() if p.name != "page"
                  and p.is_dir()}
        assert months == {f"{m:02d}" for yy, m in by_month if yy == y}


# --- 4. feeds -------------------------------------------------------------------------------

def parse_feed(path: Path) -> feedparser.FeedParserDict:
    d = feedparser.parse(path.read_bytes())
    assert not d.bozo, f"{path}: {d.get('bozo_exception')}"
    return d


def self_link(d: feedparser.FeedParserDict) -> str | None:
    return next((ln.href for ln in d.feed.get("links", []) if ln.get("rel") == "self"), None)


def check_feed(corpus: Corpus, rel: str, arts: list[Art], version: str,
               ids: dict[str, str]) -> None:
    d = parse_feed(corpus.out / rel)
    assert d.version == version, rel
    assert self_link(d) == BASE + rel
    entries = d.entries
    assert len(entries) == min(FEED_ITEMS, len(arts)), rel
    stamps = [calendar.timegm(e.published_parsed) for e in entries]
    assert stamps == sorted(stamps, reverse=True), f"{rel}: not newest first"
    newest = sorted((int(a.date.timestamp()) for a in arts), reverse=True)[:FEED_ITEMS]
    assert stamps == newest, f"{rel}: not the newest {FEED_ITEMS} articles"
    expected = {(a.title, int(a.date.timestamp())) for a in arts}
    seen_ids = set()
    for e, stamp in zip(entries, stamps, strict=True):
        key = (e.title, stamp)
        assert key in expected, f"{rel}: {e.title!r} does not belong here"
        assert e.link.startswith(BASE), f"{rel}: link {e.link} is not under {BASE}"
        target = corpus.out / e.link[len(BASE):] / "index.html"
        assert target.is_file(), f"{rel}: {e.link} is not a built page"
        assert e.id and e.id not in seen_ids, f"{rel}: duplicate id {e.id}"
        seen_ids.add(e.id)
        assert ids.setdefault(e.link, e.id) == e.id, f"{rel}: {e.link} has another id elsewhere"


def test_site_feeds_parse_and_hold_the_newest_items(corpus: Corpus):
    ids: dict[str, str] = {}
    check_feed(corpus, "feed.xml", corpus.arts, "atom10", ids)
    check_feed(corpus, "rss.xml", corpus.arts, "rss20", ids)
    assert len(ids) == len(set(ids.values())) == FEED_ITEMS


def test_every_term_feed_parses_and_holds_the_terms_newest_items(corpus: Corpus):
    ids: dict[str, str] = {}
    want = {"feed.xml"}
    for taxonomy in TAXONOMIES:
        for term in corpus.terms[taxonomy].values():
            rel = f"{term.path(taxonomy)}feed.xml"
            want.add(rel)
            check_feed(corpus, rel, term.articles, "atom10", ids)
    got = {p.relative_to(corpus.out).as_posix() for p in corpus.out.rglob("feed.xml")}
    assert got == want
    assert len(ids) == len(set(ids.values())), "two articles share an entry id"


def test_feed_ids_survive_a_changed_headline(corpus: Corpus, make_site: Callable[[str], Site]):
    # the copy holds the articles of the site feed (enough for the same feed, and fast)
    copy = make_site("retitled")
    shutil.copy(corpus.site.root / "site.toml", copy.root / "site.toml")
    in_feed = sorted(corpus.arts, key=lambda a: a.date, reverse=True)[:FEED_ITEMS]
    for a in in_feed:
        copy.write(f"content/{a.source}", (corpus.site.root / "content" / a.source).read_bytes())
    newest = in_feed[0]
    edit(copy.root / "content" / newest.source, title="A completely different headline")
    copy.build()
    for rel in ("feed.xml", "rss.xml"):
        before = parse_feed(corpus.out / rel).entries
        after = parse_feed(copy.out / rel).entries
        assert [e.id for e in before] == [e.id for e in after], rel
        assert before[0].title == newest.title
        assert after[0].title == "A completely different headline"
        assert before[0].link != after[0].link  # the slug follows the title, the id does not
    cat = slug(newest.terms["categories"][0])
    before = parse_feed(corpus.out / f"categories/{cat}/feed.xml").entries[0]
    after = parse_feed(copy.out / f"categories/{cat}/feed.xml").entries[0]
    assert before.id == after.id and before.title != after.title


# --- 5. sitemaps and robots -----------------------------------------------------------------

def sitemap_locs(path: Path) -> list[str]:
    tree = lxml.etree.fromstring(path.read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [e.text for e in tree.findall("s:url/s:loc", ns)]


def is_redirect(path: Path) -> bool:
    page = lxml.html.fromstring(path.read_bytes())
    return bool(page.xpath('//meta[translate(@http-equiv, "REFSH", "refsh")="refresh"]'))


def test_sitemap_lists_every_html_page_but_404_and_redirects(corpus: Corpus):
    redirect = corpus.out / ALIAS / "index.html"
    assert redirect.is_file() and is_redirect(redirect)
    want = set()
    for path in corpus.out.rglob("*.html"):
        rel = path.relative_to(corpus.out).as_posix()
        if rel == "404.html" or is_redirect(path):
            continue
        want.add(BASE + (rel[:-len("index.html")] if rel.endswith("index.html") else rel))
    locs = sitemap_locs(corpus.out / "sitemap.xml")
    assert len(locs) == len(set(locs)), "a page is listed twice"
    assert set(locs) == want
    assert BASE + "404.html" not in locs and BASE + ALIAS not in locs


def test_news_sitemap_holds_the_last_48_hours(corpus: Corpus, links: dict[Ident, str]):
    now = datetime.fromisoformat(NOW)
    recent = [a for a in corpus.arts if now - timedelta(hours=48) <= a.date <= now]
    assert recent
    locs = sitemap_locs(corpus.out / "news-sitemap.xml")
    assert sorted(locs) == sorted(BASE + links[ident(corpus, a)].lstrip("/") for a in recent)


def test_robots_names_both_sitemaps(corpus: Corpus):
    lines = (corpus.out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert f"Sitemap: {BASE}news-sitemap.xml" in lines


# --- 6. pagination --------------------------------------------------------------------------

def check_nav(page: lxml.html.HtmlElement, base: str, number: int, total: int) -> None:
    def href(n: int) -> str:
        return f"/{base}" if n == 1 else f"/{base}page/{n}/"

    nav = page.cssselect("nav.pagination")
    assert len(nav) == 1
    nav_el = nav[0]

    def one(selector: str) -> str | None:
        found = nav_el.cssselect(selector)
        assert len(found) <= 1
        return found[0].get("href") if found else None

    head_prev = page.cssselect('head link[rel="prev"]')
    head_next = page.cssselect('head link[rel="next"]')
    if number > 1:
        assert one("a.pagination__first") == href(1)
        assert one("a.pagination__prev") == href(number - 1)
        assert one('a[rel="prev"]') == href(number - 1)
        assert [e.get("href") for e in head_prev] == [href(number - 1)]
    else:
        assert one("a.pagination__first") is None and one("a.pagination__prev") is None
        assert not head_prev
    if number < total:
        assert one("a.pagination__next") == href(number + 1)
        assert one('a[rel="next"]') == href(number + 1)
        assert one("a.pagination__last") == href(total)
        assert [e.get("href") for e in head_next] == [href(number + 1)]
    else:
        assert one("a.pagination__next") is None and one("a.pagination__last") is None
        assert not head_next
    current = nav_el.cssselect('[aria-current="page"]')
    assert [c.text_content().strip() for c in current] == [str(number)]
    numbered = {int(a.text_content()): a.get("href") for a in nav_el.cssselect("a")
                if a.text_content().strip().isdigit()}
    assert numbered, "no numbered page links"
    assert all(numbered[n] == href(n) for n in numbered)
    assert {1, total} <= set(numbered) | {number}


def test_pagination_nav_on_middle_first_and_last_pages(corpus: Corpus):
    total = math.ceil(N_ARTICLES / PAGINATE)
    for n in (1, 2, total // 2, total - 1, total):
        check_nav(doc(corpus.out, "" if n == 1 else f"page/{n}/"), "", n, total)
    big = max(corpus.terms["tags"].values(), key=lambda t: (len(t.articles), t.slug))
    base = big.path("tags")
    total = math.ceil(len(big.articles) / PAGINATE)
    assert total >= 4
    for n in (1, 2, total // 2 + 1, total):
        check_nav(doc(corpus.out, base if n == 1 else f"{base}page/{n}/"), base, n, total)


# --- 7. one term, two spellings -------------------------------------------------------------

def tag_names(page: lxml.html.HtmlElement) -> list[str]:
    return [a.text_content() for a in page.cssselect("ul.tags a")]


@pytest.mark.parametrize("first,second", [("Energy", "energy"), ("energy", "Energy")])
def test_a_term_written_two_ways_is_one_term_named_by_its_first_spelling(
        make_site: Callable[[str], Site], first: str, second: str):
    site = make_site(f"spell-{first}")
    upper = first[0].isupper()
    # a.md comes first by source path although b.md is newer (first in the lists)
    site.article("world/a.md", "Alpha story", date="2025-01-10 09:00:00", tags=[first],
                 categories=["Business" if upper else "business"])
    site.article("world/b.md", "Bravo story", date="2025-02-10 09:00:00", tags=[second],
                 categories=["business" if upper else "Business"])
    site.build()
    assert [p.name for p in (site.out / "tags").iterdir() if p.is_dir()] == ["energy"]
    page = site.html("tags/energy/")
    assert page.cssselect("h1.list__title")[0].text_content() == first
    assert [i[0] for i, _ in summaries(page)] == ["Bravo story", "Alpha story"]
    assert index_entries(site.html("tags/").cssselect("section.terms--alphabetical")[0]) == [
        (first, "/tags/energy/", 2)]
    for rel in ("business/alpha-story/", "business/bravo-story/"):
        assert tag_names(site.html(rel)) == [first]
    cats = index_entries(site.html("categories/").cssselect("section.terms--alphabetical")[0])
    assert cats == [("Business" if upper else "business", "/categories/business/", 2)]
    entries = parse_feed(site.out / "tags/energy/feed.xml").entries
    assert [e.title for e in entries] == ["Bravo story", "Alpha story"]
    assert [c.term for e in entries for c in e.tags] == ["Business", first] * 2 if upper else \
        ["business", first] * 2


def test_one_article_writing_a_term_two_ways_is_listed_once(site: Site):
    site.article("world/a.md", "Alpha story", date="2025-01-10 09:00:00", tags=["Energy"])
    site.article("world/c.md", "Charlie story", date="2025-02-01 09:00:00",
                 tags=["energy", "Energy"])
    site.build()
    assert tag_names(site.html("world/charlie-story/")) == ["Energy"]
    assert [i[0] for i, _ in summaries(site.html("tags/energy/"))] == [
        "Charlie story", "Alpha story"]
    assert index_entries(site.html("tags/").cssselect("section.terms--alphabetical")[0]) == [
        ("Energy", "/tags/energy/", 2)]


# --- 8. a site under a sub-path -------------------------------------------------------------

SUB = "https://example.org/news/"


def small_site(site: Site, base_in_toml: bool) -> None:
    toml = 'title = "Sub"\npaginate = 2\n'
    if base_in_toml:
        toml += f'base_url = "{SUB}"\n'
    toml += ('[[menu.main]]\nname = "World"\nurl = "/categories/world/"\nweight = 1\n'
             '[[menu.footer]]\nname = "Topics"\nurl = "/tags/"\n')
    site.write("site.toml", toml)
    site.article("world/a.md", "Alpha rises", date="2025-02-03 09:00:00", tags=["Energy", "EU"],
                 authors=["Jane Doe"], aliases=["/old/alpha/"], thumbnail="img/photo.svg",
                 body="Text with an [outside link](https://elsewhere.example/x).\n\n"
                      "## Details\n\nMore.\n")
    site.article("world/b.md", "Bravo falls", date="2025-02-04 09:00:00", tags=["energy"])
    site.article("business/c.md", "Charlie holds", date="2025-02-02 09:00:00", tags=["EU"],
                 menu="main")
    site.article("business/d.md", "Delta waits", date="2025-01-02 09:00:00", weight=1)
    site.article("sport/e.md", "Echo wins", date="2025-03-01 09:00:00", authors=["Jane Doe"])
    site.write("static/img/photo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')


def link_values(page: lxml.html.HtmlElement) -> Iterable[tuple[str, str]]:
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src", "action", "poster", "data"):
            if el.get(attr) is not None:
                yield f"<{el.tag} {attr}>", el.get(attr)
        if el.get("srcset"):
            for part in el.get("srcset").split(","):
                yield f"<{el.tag} srcset>", part.split()[0]
        if (el.get("http-equiv") or "").lower() == "refresh":
            yield "<meta refresh>", el.get("content", "").split("url=", 1)[-1]


@pytest.mark.parametrize("base_in_toml", [True, False], ids=["site.toml", "override"])
def test_site_under_a_sub_path_keeps_every_link_inside_it(
        make_site: Callable[[str], Site], base_in_toml: bool):
    site = make_site(f"sub-{base_in_toml}")
    small_site(site, base_in_toml)
    site.build(base_url=None if base_in_toml else SUB)
    htmls = sorted(site.out.rglob("*.html"))
    assert len(htmls) > 20
    for path in htmls:
        rel = path.relative_to(site.out).as_posix()
        page_url = SUB + rel.removesuffix("index.html")
        for where, value in link_values(lxml.html.fromstring(path.read_bytes())):
            if value.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
                continue
            resolved = urljoin(page_url, value)
            if urlsplit(resolved).hostname in ("example.org", "localhost"):
                assert resolved.startswith(SUB), f"{rel}: {where} {value!r} leaves /news/"
            if not value.startswith(("http://", "https://", "//")):
                assert value.startswith("/news/"), f"{rel}: {where} {value!r} is not under /news/"
    for page in ("", "world/alpha-rises/", "tags/energy/"):
        canonical = site.html(page).cssselect('link[rel="canonical"]')[0].get("href")
        assert canonical == SUB + page

    feeds = sorted(site.out.rglob("*.xml"))
    assert {"feed.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml",
            "tags/energy/feed.xml"} <= {p.relative_to(site.out).as_posix() for p in feeds}
    for path in [*feeds, site.out / "robots.txt"]:
        text = path.read_text(encoding="utf-8")
        urls = re.findall(r"https?://[^\s\"'<>&]+", text)
        ours = [u for u in urls if urlsplit(u).hostname in ("example.org", "localhost")]
        assert ours, f"{path.name}: no absolute URL of the site"
        bad = [u for u in ours if not u.startswith(SUB)]
        assert not bad, f"{path.relative_to(site.out)}: {bad}"
    for rel in ("feed.xml", "rss.xml", "tags/energy/feed.xml"):
        d = parse_feed(site.out / rel)
        assert self_link(d) == SUB + rel
        assert d.entries and all(e.link.startswith(SUB) for e in d.entries)
    locs = sitemap_locs(site.out / "sitemap.xml")
    assert SUB + "world/alpha-rises/" in locs and all(u.startswith(SUB) for u in locs)
    assert SUB + "old/alpha/" not in locs


def test_sitemap_becomes_an_index_past_the_url_limit(site: Site, monkeypatch):
    """Past MAX_URLS (50,000 by the sitemaps protocol) sitemap.xml is an index of parts."""
    import lxml.etree

    from generator import sitemaps

    monkeypatch.setattr(sitemaps, "MAX_URLS", 5)
    for i in range(4):
        site.article(f"world/s{i}.md", f"Story {i}", date=f"2025-02-0{i + 1} 10:00:00")
    site.build()
    ns = {"s": sitemaps.SITEMAP_NS}
    index = lxml.etree.parse(str(site.out / "sitemap.xml"))
    parts = [loc.text for loc in index.xpath("/s:sitemapindex/s:sitemap/s:loc", namespaces=ns)]
    assert len(parts) >= 2
    urls = []
    for n, loc in enumerate(parts, 1):
        assert loc.endswith(f"/sitemap-{n}.xml")
        part = lxml.etree.parse(str(site.out / f"sitemap-{n}.xml"))
        got = part.xpath("/s:urlset/s:url/s:loc/text()", namespaces=ns)
        assert 0 < len(got) <= 5
        urls += got
    assert len(urls) == len(set(urls))
    assert any(u.endswith("/world/story-0/") for u in urls)


def test_feed_summaries_link_absolutely(site: Site):
    """Summary links are root-relative on list pages; in feeds, read away from the site, they are
    absolute (RSS has no base URL to resolve them against)."""
    import feedparser

    site.write("site.toml", 'title = "Daily"\nbase_url = "https://daily.example.com/news/"\n')
    site.article("world/a.md", "Alpha", slug="alpha",
                 body="See [the notes](#notes), [the map](map/) and [home](/news/).\n\n"
                      "<!--more-->\n\nMore.\n")
    site.build()
    for name in ("feed.xml", "rss.xml"):
        parsed = feedparser.parse((site.out / name).read_bytes())
        assert not parsed.bozo
        summary = parsed.entries[0].summary
        assert 'href="https://daily.example.com/news/world/alpha/#notes"' in summary
        assert 'href="https://daily.example.com/news/world/alpha/map/"' in summary
        assert 'href="https://daily.example.com/news/"' in summary
        assert 'href="/' not in summary


def _related_by_counting(articles, tags, limit, cap=100):
    """`site.related_articles` as it was first written: every candidate counted."""
    from collections import Counter
    from itertools import chain

    by_age = sorted(range(len(articles)), key=lambda i: (-articles[i].date.timestamp(),
                                                          articles[i].source))
    rank = {articles[i].source: r for r, i in enumerate(by_age)}
    newest_first = [articles[i] for i in by_age]
    members = {t.slug: sorted(rank[a.source] for a in t.articles)[:cap] for t in tags}
    out = {}
    for a in articles:
        shared = Counter(chain.from_iterable(members.get(ref.slug, ()) for ref in a.tags))
        shared.pop(rank[a.source], None)
        best = sorted(shared, key=lambda r: (-shared[r], r))[: limit * 2]
        picks = [newest_first[r] for r in best
                 if newest_first[r].translation_key != a.translation_key]
        out[a.source] = tuple(picks[:limit])
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from("abcdefg"), max_size=5),
                          st.integers(0, 40), st.integers(0, 6)), min_size=1, max_size=60),
       st.integers(1, 6), st.integers(1, 12))
def test_related_articles_equal_counting_every_candidate(specs, limit, cap):
    """The pairwise-intersection way gives what counting every candidate gives: order, the
    article itself left out, translations dropped after ranking, repeated and unknown tags."""
    from collections import namedtuple
    from datetime import UTC, datetime, timedelta

    from generator.site import related_articles

    Ref = namedtuple("Ref", "slug")
    Art = namedtuple("Art", "source date tags translation_key")
    Tag = namedtuple("Tag", "slug articles")
    base = datetime(2025, 1, 1, tzinfo=UTC)
    articles = tuple(Art(f"a{i}.md", base + timedelta(hours=hours),
                         tuple(Ref(s) for s in slugs), f"k{key}")
                     for i, (slugs, hours, key) in enumerate(specs))
    tags = tuple(Tag(s, tuple(a for a in articles if any(r.slug == s for r in a.tags)))
                 for s in "abcdef")  # "g" is nobody's term: an unknown slug
    assert related_articles(articles, tags, limit, cap) == _related_by_counting(
        articles, tags, limit, cap)
