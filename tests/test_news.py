"""News-site metadata: NewsArticle JSON-LD, Open Graph / X cards, hreflang, the Google News
sitemap window and cap, and visible byline dates that agree with the structured data.

Everything is read back from a real build (lxml for HTML, json.loads for the JSON-LD); only the
news-sitemap cap and the hreflang cost are unit tests on a synthetic Site, to keep them fast.
"""

from __future__ import annotations

import gc
import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
import pytest
from PIL import Image

from generator import model, seo
from generator.build import load_articles
from generator.config import load_config
from generator.errors import Report
from generator.render import format_date
from generator.site import build_site
from generator.sitemaps import NEWS_MAX, NEWS_NS, news_articles, news_sitemap

from .conftest import Site

BASE = "https://news.example.org/"
SITE_TOML = """\
title = "The Daily Example"
base_url = "https://news.example.org/"
language = "en"
timezone = "Europe/Berlin"
logo = "/img/logo.png"

[social]
twitter = "dailyexample"

[authors.jane-doe]
name = "Jane Doe"
url = "https://janedoe.example/"
"""
HOSTILE = 'He said "no" </script><script>alert(1)</script> & <!-- x'
LD = '//script[@type="application/ld+json"]'


@pytest.fixture
def news(site: Site) -> Site:
    site.write("site.toml", SITE_TOML)
    grain = site.root / "static" / "img" / "grain.jpg"  # full_article's thumbnail, a real photo
    grain.parent.mkdir(parents=True, exist_ok=True)
    Image.linear_gradient("L").resize((1600, 1200)).convert("RGB").save(grain, "JPEG")
    return site


def served(site: Site, url: str) -> Path:
    """The output file an absolute URL of the site stands for (it must exist)."""
    assert url.startswith(BASE), url
    path = site.out / url.removeprefix(BASE)
    assert path.is_file(), url
    return path


def full_article(site: Site, title: str = "Grain deal collapses", **extra: Any) -> None:
    site.article(
        "world/grain.md", title,
        date="2025-02-01 10:00:00", lastmod="2025-02-02 08:30:00",
        description="Talks in Istanbul ended without an agreement.",
        categories=["World", "Economy"], tags=["Ukraine", "Trade & Tariffs"],
        authors=["jane-doe", "Sam Okafor"], thumbnail="/img/grain.jpg",
        dateline="ISTANBUL", **extra,
    )


def jsonld(doc: lxml.html.HtmlElement) -> dict[str, Any]:
    scripts = doc.xpath(LD)
    assert len(scripts) == 1, "exactly one JSON-LD block per article"
    return json.loads(scripts[0].text)


def metas(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Every <meta property|name> as key -> contents, in page order."""
    out: dict[str, list[str]] = {}
    for m in doc.xpath("//head/meta[@property or @name]"):
        out.setdefault(m.get("property") or m.get("name"), []).append(m.get("content"))
    return out


def canonical(doc: lxml.html.HtmlElement) -> str:
    return doc.xpath('//link[@rel="canonical"]/@href')[0]


# --- JSON-LD --------------------------------------------------------------------------------

def test_jsonld_has_every_property_from_front_matter(news: Site):
    full_article(news)
    news.build()
    doc = news.html("world/grain-deal-collapses/")
    data = jsonld(doc)
    url = BASE + "world/grain-deal-collapses/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Grain deal collapses"
    assert data["description"] == "Talks in Istanbul ended without an agreement."
    # the site's timezone applies to a date without offset, and the offset is written out
    assert data["datePublished"] == "2025-02-01T10:00:00+01:00"
    assert data["dateModified"] == "2025-02-02T08:30:00+01:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Jane Doe", "url": BASE + "authors/jane-doe/",
         "sameAs": ["https://janedoe.example/"]},
        {"@type": "Person", "name": "Sam Okafor", "url": BASE + "authors/sam-okafor/"},
    ]
    # the 16x9, 4x3 and 1x1 crops of the thumbnail (their sizes: tests/test_images.py)
    assert len(data["image"]) == 3
    for image in data["image"]:
        assert image["@type"] == "ImageObject" and "grain" in image["url"]
        with Image.open(served(news, image["url"])) as im:
            assert (im.width, im.height) == (image["width"], image["height"])
    assert data["articleSection"] == "World"  # the first category is the section
    assert data["keywords"] == ["Ukraine", "Trade & Tariffs"]
    assert data["inLanguage"] == "en"
    assert data["publisher"] == {
        "@type": "Organization", "name": "The Daily Example", "url": BASE,
        "logo": {"@type": "ImageObject", "url": BASE + "img/logo.png"},
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["url"] == url == canonical(doc)
    assert data["dateline"] == "ISTANBUL"
    assert "isAccessibleForFree" not in data and "hasPart" not in data


def test_jsonld_defaults_without_optional_fields(site: Site):
    """No logo, thumbnail, tags, byline or dateline: the favicon stands in as the logo, the
    publication as the author, and nothing is invented for the rest."""
    site.article("plain.md", "Plain story")
    site.build()
    data = jsonld(site.html("plain-story/"))
    assert data["publisher"]["logo"]["url"] == "http://localhost:8000/img/favicon.svg"
    assert data["author"] == [{"@type": "Organization", "name": "Broadsheet",
                               "url": "http://localhost:8000/"}]
    assert data["datePublished"] == data["dateModified"] == "2025-02-01T10:00:00+00:00"
    for key in ("image", "keywords", "articleSection", "dateline", "isAccessibleForFree"):
        assert key not in data


def test_hostile_title_keeps_the_json_valid(news: Site):
    news.article("world/hostile.md", HOSTILE, slug="hostile", tags=["<b>&</b>"],
                 description="</script><!-- a & b")
    news.build()
    raw = news.text("world/hostile/")
    doc = lxml.html.fromstring(raw)
    data = jsonld(doc)
    assert data["headline"] == HOSTILE
    assert data["description"] == "</script><!-- a & b"
    assert data["keywords"] == ["<b>&</b>"]
    # the script body itself carries no markup that could end or confuse it
    body = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == data
    assert raw.count("<script") == 1 + raw.count('<script src=')  # no injected script element
    assert doc.xpath("//h1")[0].text_content() == HOSTILE
    assert metas(doc)["og:title"] == [HOSTILE]


def test_long_headline_is_kept_whole(news: Site):
    """Google advises short headlines; we keep the editor's title and document the advice."""
    title = "A " + "very " * 30 + "long headline"
    assert len(title) > 110
    news.article("long.md", title, slug="long")
    news.build()
    assert jsonld(news.html("long/"))["headline"] == title


def test_paywall_marks_the_gated_part(news: Site):
    news.article("world/paid.md", "Paid story", slug="paid", paywall=True)
    news.article("world/free.md", "Free story", slug="free", paywall=False)
    news.build()
    doc = news.html("world/paid/")
    data = jsonld(doc)
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {"@type": "WebPageElement", "isAccessibleForFree": False,
                               "cssSelector": ".paywall"}
    gated = doc.find_class("paywall")
    assert len(gated) == 1 and "Some text." in gated[0].text_content()
    free = news.html("world/free/")
    assert "isAccessibleForFree" not in jsonld(free) and not free.find_class("paywall")


# --- Google's Article rich-result rules ------------------------------------------------------

def google_article_problems(data: dict[str, Any], page_url: str) -> list[str]:
    """Google Search Central, "Article structured data": there are no required properties; the
    recommended ones are checked here with the guidelines Google gives for each."""
    problems: list[str] = []
    if data.get("@context") != "https://schema.org":
        problems.append("@context must be https://schema.org")
    if data.get("@type") not in ("Article", "NewsArticle", "BlogPosting"):
        problems.append("@type must be Article, NewsArticle or BlogPosting")
    headline = data.get("headline")
    if not isinstance(headline, str) or not headline.strip():
        problems.append("headline: the article's title, a non-empty text")
    images = data.get("image")
    if not isinstance(images, list) or not images:
        problems.append("image: a list of image URLs or ImageObjects")
    else:
        for img in images:  # Google: "Repeated ImageObject or URL"; at least 50K pixels each
            url = img.get("url") if isinstance(img, dict) else img
            if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
                problems.append(f"image: {img!r} is not an absolute, crawlable URL")
            elif isinstance(img, dict) and (img.get("@type") != "ImageObject"
                                            or img.get("width", 0) * img.get("height", 0) < 50_000):
                problems.append(f"image: {img!r} is not an ImageObject of at least 50K pixels")
    dates = {}
    for key in ("datePublished", "dateModified"):
        try:
            dates[key] = datetime.fromisoformat(data[key])
        except (KeyError, TypeError, ValueError):
            problems.append(f"{key}: ISO 8601 date-time")
            continue
        if dates[key].tzinfo is None:
            problems.append(f"{key}: must include a timezone offset")
    if len(dates) == 2 and all(d.tzinfo for d in dates.values()) \
            and dates["dateModified"] < dates["datePublished"]:
        problems.append("dateModified is before datePublished")
    authors = data.get("author")
    if not isinstance(authors, list) or not authors:
        problems.append("author: a list with every author")
    else:
        for a in authors:
            if a.get("@type") not in ("Person", "Organization"):
                problems.append("author.@type: Person or Organization")
            name = a.get("name")
            if not isinstance(name, str) or not name.strip() or name.lower().startswith("by "):
                problems.append(f"author.name: only the name, got {name!r}")
            url = a.get("url")
            if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
                problems.append(f"author.url: an absolute URL of the author's page, got {url!r}")
    entity = data.get("mainEntityOfPage")
    if not isinstance(entity, dict) or entity.get("@id") != page_url:
        problems.append("mainEntityOfPage: the canonical URL")
    return problems


def test_google_article_rules_field_by_field(news: Site):
    full_article(news)
    news.build()
    doc = news.html("world/grain-deal-collapses/")
    data = jsonld(doc)
    assert google_article_problems(data, canonical(doc)) == []
    # each author.url is the author page that the build really wrote
    for a in data["author"]:
        path = a["url"].removeprefix(BASE)
        assert (news.out / path / "index.html").is_file(), a["url"]
    # and the checker is not a rubber stamp
    broken = {**data, "image": ["img/x.jpg"], "dateModified": "2025-01-01T00:00:00",
              "author": [{"@type": "Person", "name": "By Jane", "url": "/authors/jane/"}]}
    assert len(google_article_problems(broken, canonical(doc))) == 4


# --- Open Graph and X -----------------------------------------------------------------------

def test_open_graph_and_twitter_with_an_image(news: Site):
    full_article(news, thumbnail_alt="Ships at anchor")
    news.build()
    m = metas(news.html("world/grain-deal-collapses/"))
    url = BASE + "world/grain-deal-collapses/"
    assert m["og:type"] == ["article"]
    assert m["og:title"] == ["Grain deal collapses"]
    assert m["og:description"] == ["Talks in Istanbul ended without an agreement."]
    assert m["og:url"] == [url]
    assert len(m["og:image"]) == 1 and "grain" in m["og:image"][0]
    with Image.open(served(news, m["og:image"][0])) as im:  # the size the tags give is the file's
        assert [str(im.width)] == m["og:image:width"] and [str(im.height)] == m["og:image:height"]
    assert m["og:image:alt"] == ["Ships at anchor"]
    assert m["og:site_name"] == ["The Daily Example"]
    assert m["article:published_time"] == ["2025-02-01T10:00:00+01:00"]
    assert m["article:modified_time"] == ["2025-02-02T08:30:00+01:00"]
    assert m["article:section"] == ["World"]
    assert m["article:tag"] == ["Ukraine", "Trade & Tariffs"]
    assert m["article:author"] == [BASE + "authors/jane-doe/", BASE + "authors/sam-okafor/"]
    assert m["twitter:card"] == ["summary_large_image"]
    assert m["twitter:site"] == ["@dailyexample"]
    assert "og:locale" not in m  # a bare "en" is not an OG locale


def test_twitter_summary_card_without_an_image(news: Site):
    news.article("note.md", "A short note", slug="note", lang="en-GB")
    news.build()
    m = metas(news.html("note/"))
    assert m["twitter:card"] == ["summary"]
    assert "og:image" not in m
    assert m["og:locale"] == ["en_GB"]


def test_no_twitter_site_without_a_handle(site: Site):
    site.article("a.md", "A story")
    site.build()
    m = metas(site.html("a-story/"))
    assert "twitter:site" not in m and m["twitter:card"] == ["summary"]


@pytest.mark.parametrize(("social", "handle"), [
    ({"twitter": "daily"}, "@daily"),
    ({"twitter": "@daily"}, "@daily"),
    ({"twitter": "https://x.com/daily/"}, "@daily"),
    ({"x": "daily"}, "@daily"),
    ({"twitter": ""}, None),
    ({}, None),
])
def test_twitter_handle_forms(social: dict[str, str], handle: str | None):
    assert seo.twitter_handle(social) == handle


# --- hreflang -------------------------------------------------------------------------------

def hreflangs(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href")
            for link in doc.xpath('//head/link[@rel="alternate"][@hreflang]')}


def test_hreflang_links_translations_both_ways(news: Site):
    news.article("world/vote.md", "The vote", slug="vote", translationKey="vote-2025")
    news.article("world/scrutin.md", "Le scrutin", slug="scrutin", lang="fr",
                 translationKey="vote-2025", translations=["en"])
    news.article("world/alone.md", "Alone", slug="alone")
    news.build()
    expected = {"en": BASE + "world/vote/", "fr": BASE + "world/scrutin/",
                "x-default": BASE + "world/vote/"}
    assert hreflangs(news.html("world/vote/")) == expected
    assert hreflangs(news.html("world/scrutin/")) == expected
    assert hreflangs(news.html("world/alone/")) == {}  # no translation: no alternates at all


def test_hreflang_by_file_name_suffix(news: Site):
    news.article("world/report.md", "Report", slug="report")
    news.article("world/report.de.md", "Bericht", slug="bericht", lang="de")
    news.build()
    assert hreflangs(news.html("world/bericht/")) == {
        "en": BASE + "world/report/", "de": BASE + "world/bericht/",
        "x-default": BASE + "world/report/"}


def synthetic_site(site: Site, count: int, newest: datetime, step: timedelta,
                   key: Any = None) -> model.Site:
    """`count` copies of one real article, `step` apart from `newest` backwards."""
    site.article("base.md", "Base")
    config = load_config(site.root)
    loaded, _ = load_articles(config, Report(), use_cache=False, jobs=1)
    base = loaded[0].article
    articles = [replace(base, source=f"a{i}.md", slug=f"a{i}", path=f"a{i}/", title=f"Story {i}",
                        date=newest - i * step, lastmod=newest - i * step,
                        translation_key=key(i) if key else f"a{i}",
                        lang=("en", "fr")[i % 2] if key else "en")
                for i in range(count)]
    return build_site(articles, config)


def test_hreflang_index_is_built_once_per_site(site: Site, monkeypatch: pytest.MonkeyPatch):
    """At 10,000 articles, finding translations must not scan the site once per page."""
    s = synthetic_site(site, 10_000, datetime(2025, 3, 1, tzinfo=ZoneInfo("UTC")),
                       timedelta(minutes=1), key=lambda i: f"pair-{i // 2}")
    calls = [0]
    code = seo.hreflang_code

    def counting(lang: str) -> str:
        calls[0] += 1
        return code(lang)

    monkeypatch.setattr(seo, "hreflang_code", counting)
    for a in s.articles:
        links = seo.hreflang_links(s, a)
        assert [lang for lang, _ in links] == ["en", "fr", "x-default"]
    # one pass to index (10,000) + a constant few per page; a scan per page would be 10^8
    assert calls[0] <= 10_000 + 4 * len(s.articles)
    assert seo.translation_index(s) is seo.translation_index(s)
    key = id(s)
    assert key in seo._INDEXES
    del s, a
    gc.collect()
    assert key not in seo._INDEXES  # the index goes with its Site


# --- Google News sitemap --------------------------------------------------------------------

NEWS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": NEWS_NS}


def news_entries(site: Site) -> list[lxml.etree._Element]:
    root = lxml.etree.fromstring((site.out / "news-sitemap.xml").read_bytes())
    return root.findall("s:url", NEWS)


@pytest.mark.parametrize(("now", "listed"), [
    ("2025-02-01T10:00:00+00:00", True),   # published this very second
    ("2025-02-03T10:00:00+00:00", True),   # exactly 2 days old: still in
    ("2025-02-03T10:00:01+00:00", False),  # 2 days and 1 second: out
])
def test_news_sitemap_window_edge(site: Site, now: str, listed: bool):
    site.article("a.md", "A story", date="2025-02-01 10:00:00")
    site.build(now=now)
    assert len(news_entries(site)) == (1 if listed else 0)


def test_news_sitemap_entry(news: Site):
    title = 'Tom & Jerry say "<hi>"'
    news.article("world/cartoon.md", title, slug="cartoon", lang="fr",
                 date="2025-03-01 09:00:00")
    news.article("world/old.md", "Old story", slug="old", date="2025-01-01 09:00:00")
    news.build(now="2025-03-02T12:00:00+00:00")
    raw = (news.out / "news-sitemap.xml").read_text(encoding="utf-8")
    assert "Tom &amp; Jerry" in raw and "&lt;hi&gt;" in raw
    [entry] = news_entries(news)
    assert entry.findtext("s:loc", namespaces=NEWS) == BASE + "world/cartoon/"
    assert entry.findtext("n:news/n:publication/n:name", namespaces=NEWS) == "The Daily Example"
    assert entry.findtext("n:news/n:publication/n:language", namespaces=NEWS) == "fr"
    assert entry.findtext("n:news/n:publication_date", namespaces=NEWS) == \
        "2025-03-01T09:00:00+01:00"
    assert entry.findtext("n:news/n:title", namespaces=NEWS) == title
    robots = (news.out / "robots.txt").read_text()
    assert f"Sitemap: {BASE}news-sitemap.xml" in robots


def test_news_sitemap_caps_at_1000_newest(site: Site):
    now = datetime(2025, 3, 1, 12, tzinfo=ZoneInfo("UTC"))
    s = synthetic_site(site, NEWS_MAX + 5, now, timedelta(minutes=1))
    picked = news_articles(s, now)
    assert len(picked) == NEWS_MAX
    assert [a.title for a in picked] == [f"Story {i}" for i in range(NEWS_MAX)]  # the newest
    xml = lxml.etree.fromstring(news_sitemap(s, now))
    assert len(xml.findall("s:url", NEWS)) == NEWS_MAX


# --- visible dates and corrections ----------------------------------------------------------

def test_byline_dates_match_the_structured_data(news: Site):
    full_article(news)
    news.article("world/same.md", "Never updated", slug="same", date="2025-02-01 10:00:00",
                 lastmod="2025-02-01 10:00:00")
    news.build()
    tz = ZoneInfo("Europe/Berlin")
    doc = news.html("world/grain-deal-collapses/")
    data = jsonld(doc)
    published = doc.xpath('//span[@class="byline__published"]')[0]
    updated = doc.xpath('//span[@class="byline__updated"]')[0]
    assert published.text_content().startswith("Published ")
    assert updated.text_content().startswith("Updated ")
    for span, key in ((published, "datePublished"), (updated, "dateModified")):
        time = span.find("time")
        assert time.get("datetime") == data[key]
        assert time.text == format_date(datetime.fromisoformat(data[key]), tz)
    same = news.html("world/same/")
    assert not same.xpath('//span[@class="byline__updated"]')
    d = jsonld(same)
    assert d["dateModified"] == d["datePublished"] == \
        same.xpath('//span[@class="byline__published"]/time/@datetime')[0]


def test_corrections_render(news: Site):
    news.article("world/fixed.md", "Fixed story", slug="fixed", corrections=[
        "An earlier version misspelt the minister's name.",
        {"text": "The vote was on Tuesday, not Monday.", "date": "2025-02-03"},
    ])
    news.build()
    doc = news.html("world/fixed/")
    [box] = doc.find_class("corrections")
    items = [li.text_content() for li in box.iter("li")]
    assert items[0] == "An earlier version misspelt the minister's name."
    assert items[1].endswith("The vote was on Tuesday, not Monday.")
    assert box.find(".//time").get("datetime").startswith("2025-02-03")


# --- known engine issue ---------------------------------------------------------------------

def test_absolute_urls_under_a_sub_path(tmp_path: Path):
    config = load_config(tmp_path, base_url="https://example.org/news/")
    assert config.absolute("world/a/") == "https://example.org/news/world/a/"
