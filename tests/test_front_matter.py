"""Every front-matter field and every precedence rule of the spec, checked on built HTML.

One test (or a small group) per row of the field table in `spec/front-matter.md` and per
precedence rule. Each builds a small site with the real engine and reads the output through the
theme's stable hooks (docs/theming.md), so a test fails when a rule breaks anywhere between the
front matter and the page: coercion, resolution in Python, or a template.
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from PIL import Image

from generator.cli import main
from generator.config import WIDGET_NAMES

from .conftest import NOW, REPO, Site

ALL_WIDGETS = ", ".join(WIDGET_NAMES)
SITE_WIDGETS = ["search", "recent", "categories", "taglist"]  # the built-in sidebar.widgets


# --- helpers -------------------------------------------------------------------------------


def sidebar_of(doc: lxml.html.HtmlElement) -> str | None:
    """"left", "right" or None, from the `aside.sidebar--X` hook (and the layout class agrees)."""
    asides = doc.cssselect("aside.sidebar")
    assert len(asides) <= 1
    layout = doc.cssselect("div.layout")[0].get("class").split()
    if not asides:
        assert "layout--no-sidebar" in layout
        return None
    classes = asides[0].get("class").split()
    sides = [c.removeprefix("sidebar--") for c in classes if c.startswith("sidebar--")]
    assert len(sides) == 1, classes
    assert f"layout--sidebar-{sides[0]}" in layout
    return sides[0]


def widgets_of(doc: lxml.html.HtmlElement) -> list[str]:
    """Names of the widgets in the sidebar, in page order."""
    names = []
    for section in doc.cssselect("aside.sidebar section.widget"):
        mods = [c.removeprefix("widget--") for c in section.get("class").split()
                if c.startswith("widget--")]
        assert len(mods) == 1
        names.append(mods[0])
    return names


def texts(doc: lxml.html.HtmlElement, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.cssselect(css)]


def hrefs(doc: lxml.html.HtmlElement, css: str) -> list[str]:
    return [e.get("href") for e in doc.cssselect(css)]


def list_titles(doc: lxml.html.HtmlElement) -> list[str]:
    return texts(doc, "article.summary .summary__title a")


def summary_item(doc: lxml.html.HtmlElement, title: str) -> lxml.html.HtmlElement:
    for item in doc.cssselect("article.summary"):
        if " ".join(item.cssselect(".summary__title")[0].text_content().split()) == title:
            return item
    raise AssertionError(f"{title!r} is not in the list")


def meta_description(doc: lxml.html.HtmlElement) -> str | None:
    found = doc.cssselect('meta[name="description"]')
    return found[0].get("content") if found else None


# --- title, date ---------------------------------------------------------------------------


def test_title_in_h1_title_tag_lists_recent_widget_and_pager(site: Site):
    site.article("world/a.md", "Older tide story", date="2025-02-01 10:00:00")
    site.article("world/b.md", "Harbour <reopens> & more", date="2025-02-02 10:00:00")
    site.build()
    doc = site.html("world/harbour-reopens-and-more/")
    assert texts(doc, "article.article h1") == ["Harbour <reopens> & more"]
    assert texts(doc, "title") == ["Harbour <reopens> & more - Broadsheet"]
    assert "Harbour <reopens> & more" in list_titles(site.html(""))
    assert "Harbour <reopens> & more" in texts(doc, "section.widget--recent li a")
    older = site.html("world/older-tide-story/")
    assert texts(older, 'nav.pager a[rel="next"] .pager__title') == ["Harbour <reopens> & more"]


def test_date_forms_and_site_timezone(site: Site):
    site.write("site.toml", 'timezone = "Europe/Berlin"\n')
    site.article("a.md", "Space form", date="2025-02-08 04:51:01")
    site.article("b.md", "Iso with offset", date="2025-02-08T04:51:01-05:00")
    site.article("c.md", "Date only", date="2025-02-07")
    site.article("d.md", "Iso T no offset", date="2024-07-08T04:51:01")
    site.build()

    def published(path: str) -> str:
        return site.html(path).cssselect(".byline__published time")[0].get("datetime")

    assert published("space-form/") == "2025-02-08T04:51:01+01:00"  # no offset: site timezone
    assert published("iso-with-offset/") == "2025-02-08T04:51:01-05:00"  # own offset kept
    assert published("date-only/") == "2025-02-07T00:00:00+01:00"
    assert published("iso-t-no-offset/") == "2024-07-08T04:51:01+02:00"  # summer time


# --- sidebar -------------------------------------------------------------------------------


@pytest.mark.parametrize("single", ["right", "left"])
def test_sidebar_page_value_wins_false_removes_empty_falls_back(site: Site, single: str):
    site.write("site.toml", f'[sidebar]\nsingle = "{single}"\n')
    site.article("l.md", "Left page", sidebar="left")
    site.article("r.md", "Right page", sidebar="right")
    site.article("f.md", "False page", sidebar=False)
    site.article("e.md", "Empty page", sidebar="")
    site.article("m.md", "Missing page")
    site.build()
    assert sidebar_of(site.html("left-page/")) == "left"
    assert sidebar_of(site.html("right-page/")) == "right"
    assert sidebar_of(site.html("false-page/")) is None  # false wins over the site value
    assert sidebar_of(site.html("empty-page/")) == single  # "" means not set
    assert sidebar_of(site.html("missing-page/")) == single


def test_sidebar_false_wins_over_builtin_default_right(site: Site):
    site.article("f.md", "No sidebar here", sidebar=False)
    site.article("m.md", "Default sidebar")
    site.build()
    assert sidebar_of(site.html("no-sidebar-here/")) is None
    assert sidebar_of(site.html("default-sidebar/")) == "right"
    assert not site.html("no-sidebar-here/").cssselect("section.widget")


def test_site_sidebar_single_changes_article_default_only(site: Site):
    site.write("site.toml", '[sidebar]\nsingle = "left"\n')
    site.article("world/m.md", "An article", tags=["t"])
    site.build()
    assert sidebar_of(site.html("world/an-article/")) == "left"
    # home and lists keep their own (built-in "right") values
    assert sidebar_of(site.html("")) == "right"
    assert sidebar_of(site.html("categories/world/")) == "right"


@pytest.mark.parametrize(
    ("home", "lst", "single"),
    [("false", '"left"', '"right"'), ('"left"', "false", '"right"'), ('"right"', '"left"', "false")],
)
def test_sidebar_site_value_by_page_kind(site: Site, home: str, lst: str, single: str):
    site.write("site.toml", f"[sidebar]\nhome = {home}\nlist = {lst}\nsingle = {single}\n")
    site.article("world/a.md", "Kinds", tags=["energy"], author="Jane Doe")
    site.build()

    def want(toml: str) -> str | None:
        return None if toml == "false" else toml.strip('"')

    assert sidebar_of(site.html("")) == want(home)
    assert sidebar_of(site.html("world/kinds/")) == want(single)
    for path in ("categories/world/", "tags/energy/", "authors/jane-doe/", "2025/", "2025/02/",
                 "archives/", "tags/", "categories/", "404.html"):
        assert sidebar_of(site.html(path)) == want(lst), path


# --- widgets -------------------------------------------------------------------------------


def test_widgets_page_list_replaces_site_list_in_its_order(site: Site):
    site.article("a.md", "Own widgets", widgets=["taglist", "search"])
    site.article("b.md", "Empty widgets", widgets=[])
    site.article("c.md", "Empty string widgets", widgets="")
    site.article("d.md", "No widgets field")
    site.article("e.md", "One widget as string", widgets="social")
    site.build(search=True)
    assert widgets_of(site.html("own-widgets/")) == ["taglist", "search"]
    assert widgets_of(site.html("empty-widgets/")) == SITE_WIDGETS
    assert widgets_of(site.html("empty-string-widgets/")) == SITE_WIDGETS
    assert widgets_of(site.html("no-widgets-field/")) == SITE_WIDGETS
    assert widgets_of(site.html("one-widget-as-string/")) == ["social"]
    assert widgets_of(site.html("")) == SITE_WIDGETS


def test_site_widget_list_is_the_fallback_and_lists_use_it(site: Site):
    site.write("site.toml", '[sidebar]\nwidgets = ["social", "recent", "languages"]\n')
    site.article("world/a.md", "Own", widgets=["sidemenu"])
    site.article("world/b.md", "Empty", widgets=[])
    site.article("world/c.md", "Missing")
    site.build()
    assert widgets_of(site.html("world/own/")) == ["sidemenu"]
    assert widgets_of(site.html("world/empty/")) == ["social", "recent", "languages"]
    assert widgets_of(site.html("world/missing/")) == ["social", "recent", "languages"]
    for path in ("", "categories/world/", "archives/"):
        assert widgets_of(site.html(path)) == ["social", "recent", "languages"], path


def test_widgets_render_nothing_when_the_page_has_no_sidebar(site: Site):
    site.article("a.md", "Widgets but no sidebar", sidebar=False, widgets=["recent"])
    site.build()
    assert not site.html("widgets-but-no-sidebar/").cssselect("section.widget")


def test_widget_search(site: Site):
    site.article("a.md", "Search me", widgets=["search"])
    site.build(search=True)
    form = site.html("search-me/").cssselect("section.widget--search form")[0]
    assert form.cssselect('input[type="search"]')


def test_widget_recent_honours_recent_num_and_default_order(site: Site):
    site.write("site.toml", "[widgets]\nrecent_num = 3\n")
    for day in range(1, 6):
        site.article(f"s{day}.md", f"Story {day}", date=f"2025-02-0{day} 10:00:00")
    site.article("p.md", "Pinned old", date="2024-01-01 10:00:00", weight=1)
    site.article("w.md", "Widget page", date="2024-01-02 10:00:00", widgets=["recent"])
    site.build()
    doc = site.html("widget-page/")
    assert texts(doc, "section.widget--recent li a") == ["Pinned old", "Story 5", "Story 4"]
    assert hrefs(doc, "section.widget--recent li a")[1] == "/story-5/"


def test_widget_recent_default_is_five(site: Site):
    for day in range(1, 8):
        site.article(f"s{day}.md", f"Story {day}", date=f"2025-02-0{day} 10:00:00")
    site.build()
    assert len(site.html("story-1/").cssselect("section.widget--recent li")) == 5


@pytest.mark.parametrize("counter", [True, False])
def test_widget_categories_with_and_without_counts(site: Site, counter: bool):
    site.write("site.toml", f"[widgets]\ncategories_counter = {str(counter).lower()}\n")
    site.article("world/a.md", "World one")
    site.article("world/b.md", "World two")
    site.article("business/c.md", "Business one")
    site.build()
    widget = site.html("").cssselect("section.widget--categories")[0]
    assert texts(widget, "li a") == ["business", "world"]
    assert hrefs(widget, "li a") == ["/categories/business/", "/categories/world/"]
    if counter:
        assert texts(widget, "li .count") == ["1", "2"]
    else:
        assert not widget.cssselect(".count")


def test_widget_taglist_max_most_used_and_link_to_all_tags(site: Site):
    site.write("site.toml", "[widgets]\ntaglist_max = 2\n")
    site.article("a.md", "One", tags=["common", "middle", "rare"])
    site.article("b.md", "Two", tags=["common", "middle"])
    site.article("c.md", "Three", tags=["common"])
    site.build()
    widget = site.html("").cssselect("section.widget--taglist")[0]
    assert sorted(texts(widget, "li a")) == ["common", "middle"]  # the two most used
    assert "/tags/" in hrefs(widget, "a")
    assert "/tags/common/" in hrefs(widget, "li a")
    # /tags/ lists all of them
    assert set(texts(site.html("tags/"), ".terms--alphabetical li a")) == {"common", "middle", "rare"}


def test_widget_languages_lists_the_site_languages(site: Site):
    site.article("a.md", "English story", widgets=["languages"])
    site.article("b.md", "Histoire", lang="fr")
    site.article("c.md", "Geschichte", lang=["de", "en"])
    site.build()
    widget = site.html("english-story/").cssselect("section.widget--languages")[0]
    assert [li.get("lang") for li in widget.cssselect("li")] == ["de", "en", "fr"]


def test_widget_social_from_social_table(site: Site):
    site.write("site.toml", '[social]\ntwitter = "dailyexample"\ngithub = "example-org"\n')
    site.article("a.md", "Social page", widgets=["social"])
    site.build()
    links = hrefs(site.html("social-page/"), "section.widget--social a")
    assert "https://x.com/dailyexample" in links
    assert "https://github.com/example-org" in links


def test_widget_social_without_social_table_has_no_networks(site: Site):
    site.article("a.md", "Social page", widgets=["social"])
    site.build()
    links = hrefs(site.html("social-page/"), "section.widget--social a")
    assert not any("x.com" in link or "github.com" in link for link in links)


def test_widget_sidemenu_from_menu_side(site: Site):
    site.write("site.toml", '[[menu.side]]\nname = "All sections"\nurl = "/categories/"\nweight = 2\n\n'
                            '[[menu.side]]\nname = "Our authors"\nurl = "/authors/"\nweight = 1\n')
    site.article("a.md", "Side page", widgets=["sidemenu"])
    site.build()
    widget = site.html("side-page/").cssselect("section.widget--sidemenu")[0]
    assert texts(widget, "li a") == ["Our authors", "All sections"]
    assert hrefs(widget, "li a") == ["/authors/", "/categories/"]


# --- toc -----------------------------------------------------------------------------------

TOC_BODY = """\
Intro paragraph.

## First part

Text.

### A detail

More.

#### Too deep

Deep text.

## Second part

End.
"""


def test_toc_lists_h2_and_h3_linked_to_the_headings(site: Site):
    site.article("a.md", "With toc", toc=True, body=TOC_BODY)
    site.build()
    doc = site.html("with-toc/")
    toc = doc.cssselect("article.article nav.toc")
    assert len(toc) == 1
    assert texts(toc[0], "li a") == ["First part", "A detail", "Second part"]
    ids = [h.get("id") for h in doc.cssselect(".article__body h2, .article__body h3")]
    assert hrefs(toc[0], "li a") == [f"#{i}" for i in ids]
    assert "Too deep" not in toc[0].text_content()


def test_toc_omitted_without_headings(site: Site):
    site.article("a.md", "Toc but flat", toc=True, body="Just one paragraph.\n\nAnd another.\n")
    site.build()
    assert not site.html("toc-but-flat/").cssselect("nav.toc")


def test_toc_site_value_and_page_false(site: Site):
    site.write("site.toml", "toc = true\n")
    site.article("a.md", "Site toc", body=TOC_BODY)
    site.article("b.md", "Page says no", toc=False, body=TOC_BODY)
    site.article("c.md", "Page says empty", toc="", body=TOC_BODY)
    site.build()
    assert site.html("site-toc/").cssselect("nav.toc")
    assert not site.html("page-says-no/").cssselect("nav.toc")
    assert site.html("page-says-empty/").cssselect("nav.toc")


def test_toc_off_by_default(site: Site):
    site.article("a.md", "No toc field", body=TOC_BODY)
    site.build()
    assert not site.html("no-toc-field/").cssselect("nav.toc")


# --- pager ---------------------------------------------------------------------------------


def pager_links(doc: lxml.html.HtmlElement) -> tuple[str | None, str | None]:
    navs = doc.cssselect("nav.pager")
    if not navs:
        return (None, None)
    prev = hrefs(navs[0], 'a[rel="prev"]')
    nxt = hrefs(navs[0], 'a[rel="next"]')
    return (prev[0] if prev else None, nxt[0] if nxt else None)


def test_pager_prev_older_next_newer_same_category_only(site: Site):
    site.article("world/w1.md", "World one", date="2025-02-01 10:00:00")
    site.article("world/w2.md", "World two", date="2025-02-03 10:00:00")
    site.article("business/b.md", "Business between", date="2025-02-04 10:00:00")
    site.article("world/w3.md", "World three", date="2025-02-05 10:00:00", weight=1)
    site.build()
    assert pager_links(site.html("world/world-one/")) == (None, "/world/world-two/")
    assert pager_links(site.html("world/world-two/")) == ("/world/world-one/", "/world/world-three/")
    assert pager_links(site.html("world/world-three/")) == ("/world/world-two/", None)
    assert not site.html("business/business-between/").cssselect("nav.pager")  # alone in its section


def test_pager_agrees_with_list_order_when_dates_tie(site: Site):
    # Date-only wire copy often shares a timestamp. The default order (date newest first, then
    # title) lists Alpha above Bravo, i.e. Alpha counts as the newer one; the pager must agree.
    site.article("world/a.md", "Alpha", date="2025-02-05")
    site.article("world/b.md", "Bravo", date="2025-02-05")
    site.build()
    assert list_titles(site.html("categories/world/")) == ["Alpha", "Bravo"]
    assert pager_links(site.html("world/alpha/")) == ("/world/bravo/", None)
    assert pager_links(site.html("world/bravo/")) == (None, "/world/alpha/")


def test_pager_false_removes_it_and_page_true_beats_site_false(make_site):
    a = make_site("a")
    a.article("world/w1.md", "World one", date="2025-02-01 10:00:00")
    a.article("world/w2.md", "World two", date="2025-02-03 10:00:00", pager=False)
    a.build()
    assert not a.html("world/world-two/").cssselect("nav.pager")
    assert pager_links(a.html("world/world-one/")) == (None, "/world/world-two/")

    b = make_site("b")
    b.write("site.toml", "pager = false\n")
    b.article("world/w1.md", "World one", date="2025-02-01 10:00:00")
    b.article("world/w2.md", "World two", date="2025-02-03 10:00:00", pager=True)
    b.article("world/w3.md", "World three", date="2025-02-05 10:00:00", pager="")
    b.build()
    assert pager_links(b.html("world/world-two/")) == ("/world/world-one/", "/world/world-three/")
    assert not b.html("world/world-one/").cssselect("nav.pager")
    assert not b.html("world/world-three/").cssselect("nav.pager")


# --- lead ----------------------------------------------------------------------------------


def test_lead_is_plain_text_under_the_title(site: Site):
    site.article("a.md", "Lead story", lead="The *standfirst* <b>here</b>")
    site.article("b.md", "Empty lead", lead="")
    site.article("c.md", "No lead")
    site.build()
    lead = site.html("lead-story/").cssselect("article.article header p.lead")
    assert len(lead) == 1
    assert lead[0].text_content() == "The *standfirst* <b>here</b>"
    assert len(lead[0]) == 0  # no child elements: not Markdown, not HTML
    assert not site.html("empty-lead/").cssselect("p.lead")
    assert not site.html("no-lead/").cssselect("p.lead")


# --- thumbnail -----------------------------------------------------------------------------


def thumbs(site: Site, path: str, title: str) -> tuple[list[str], list[str]]:
    """(srcs on the article page, srcs in the home list item)."""
    post = [img.get("src") for img in site.html(path).cssselect("article.article figure.thumbnail img")]
    item = summary_item(site.html(""), title)
    listed = [img.get("src") for img in item.cssselect("figure.thumbnail img")]
    return post, listed


def pictures(site: Site, *names: str) -> None:
    """static/img/<name>.svg for each name: a thumbnail must exist, and an SVG keeps its path
    (raster thumbnails get processed names: tests/test_images.py)."""
    for name in names:
        site.write(f"static/img/{name}.svg",
                   '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>\n')


def test_thumbnail_string_map_visibility_and_empty(site: Site):
    pictures(site, "a", "b", "c", "e")
    site.article("a.md", "String thumb", thumbnail="/img/a.svg")
    site.article("b.md", "List only", thumbnail={"src": "img/b.svg", "visibility": ["list"]})
    site.article("c.md", "Post only", thumbnail={"src": "img/c.svg", "visibility": ["post"]})
    site.article("d.md", "Empty thumb", thumbnail="")
    site.article("e.md", "Map no visibility", thumbnail={"src": "img/e.svg"})
    site.build()
    assert thumbs(site, "string-thumb/", "String thumb") == (["/img/a.svg"], ["/img/a.svg"])
    assert thumbs(site, "list-only/", "List only") == ([], ["/img/b.svg"])
    assert thumbs(site, "post-only/", "Post only") == (["/img/c.svg"], [])
    assert thumbs(site, "empty-thumb/", "Empty thumb") == ([], [])
    assert thumbs(site, "map-no-visibility/", "Map no visibility") == (["/img/e.svg"], ["/img/e.svg"])


def test_thumbnail_site_visibility_is_the_default(site: Site):
    pictures(site, "a", "b", "c")
    site.write("site.toml", '[thumbnail]\nvisibility = ["post"]\n')
    site.article("a.md", "String thumb", thumbnail="img/a.svg")
    site.article("b.md", "Own visibility", thumbnail={"src": "img/b.svg", "visibility": ["list"]})
    site.article("c.md", "Empty visibility", thumbnail={"src": "img/c.svg", "visibility": []})
    site.build()
    assert thumbs(site, "string-thumb/", "String thumb") == (["/img/a.svg"], [])
    assert thumbs(site, "own-visibility/", "Own visibility") == ([], ["/img/b.svg"])
    assert thumbs(site, "empty-visibility/", "Empty visibility") == (["/img/c.svg"], [])


def test_thumbnail_absolute_url_kept(site: Site):
    site.article("a.md", "Remote thumb", thumbnail="https://cdn.example.org/x.jpg")
    site.build()
    assert thumbs(site, "remote-thumb/", "Remote thumb") == (["https://cdn.example.org/x.jpg"],
                                                           ["https://cdn.example.org/x.jpg"])


# --- authorbox, authors ----------------------------------------------------------------------

AUTHORS_TOML = '[authors.jane-doe]\nname = "Jane Doe"\nbio = "Covers energy and trade."\n'


def test_authorbox_true_shows_profile_bio(site: Site):
    site.write("site.toml", AUTHORS_TOML)
    site.article("a.md", "Boxed", author="jane-doe", authorbox=True)
    site.article("b.md", "Not boxed", author="jane-doe")
    site.build()
    box = site.html("boxed/").cssselect("div.authorbox")
    assert len(box) == 1
    assert "Jane Doe" in box[0].text_content()
    assert "Covers energy and trade." in box[0].text_content()
    assert hrefs(box[0], "a") == ["/authors/jane-doe/"]
    assert not site.html("not-boxed/").cssselect("div.authorbox")  # site default: off


def test_authorbox_site_true_and_page_false(site: Site):
    site.write("site.toml", "authorbox = true\n" + AUTHORS_TOML)
    site.article("a.md", "Site boxed", author="Jane Doe")
    site.article("b.md", "Page unboxed", author="Jane Doe", authorbox=False)
    site.build()
    assert "Covers energy and trade." in site.html("site-boxed/").cssselect("div.authorbox")[0] \
        .text_content()
    assert not site.html("page-unboxed/").cssselect("div.authorbox")


def test_author_byline_author_pages_and_site_default(site: Site):
    site.write("site.toml", 'author = "Newsdesk"\n' + AUTHORS_TOML)
    site.article("a.md", "By key", author="jane-doe")
    site.article("b.md", "By two", authors=["Jane Doe", "Sam Okafor"])
    site.article("c.md", "By nobody")
    site.build()
    assert texts(site.html("by-key/"), ".byline__authors a") == ["Jane Doe"]
    assert hrefs(site.html("by-key/"), ".byline__authors a") == ["/authors/jane-doe/"]
    assert texts(site.html("by-two/"), ".byline__authors a") == ["Jane Doe", "Sam Okafor"]
    assert texts(site.html("by-nobody/"), ".byline__authors a") == ["Newsdesk"]
    jane = site.html("authors/jane-doe/")
    assert sorted(list_titles(jane)) == ["By key", "By two"]
    assert texts(jane, "header p.lead") == ["Covers energy and trade."]
    assert list_titles(site.html("authors/sam-okafor/")) == ["By two"]


# --- comments ------------------------------------------------------------------------------

GISCUS = ('[comments]\nprovider = "giscus"\nrepo = "example/comments"\nrepo_id = "R_1"\n'
          'category_id = "C_1"\n')


def test_comments_need_a_provider(site: Site):
    site.article("a.md", "Wants comments", comments=True)
    site.article("b.md", "Says nothing")
    site.build()
    assert not site.html("wants-comments/").cssselect("section.comments")
    assert not site.html("says-nothing/").cssselect("section.comments")


def test_comments_empty_provider_means_none(site: Site):
    site.write("site.toml", '[comments]\nprovider = ""\n')
    site.article("a.md", "Wants comments", comments=True)
    site.build()
    assert not site.html("wants-comments/").cssselect("section.comments")


def test_comments_with_giscus_missing_means_on_false_turns_off(site: Site):
    site.write("site.toml", GISCUS)
    site.article("world/a.md", "Missing field", date="2025-02-01 10:00:00")
    site.article("world/b.md", "Turned on", comments=True, date="2025-02-02 10:00:00")
    site.article("world/c.md", "Turned off", comments=False, date="2025-02-03 10:00:00")
    site.article("world/d.md", "Empty field", comments="", date="2025-02-04 10:00:00")
    site.build()
    for path in ("world/missing-field/", "world/turned-on/", "world/empty-field/"):
        doc = site.html(path)
        section = doc.cssselect("section.comments")
        assert len(section) == 1, path
        assert section[0].cssselect('script[data-repo="example/comments"]'), path
    assert not site.html("world/turned-off/").cssselect("section.comments")
    # after the pager
    doc = site.html("world/turned-on/")
    body = lxml.html.tostring(doc, encoding="unicode")
    assert body.index('class="pager"') < body.index('class="comments"')
    assert not site.html("").cssselect("section.comments")


# --- mathjax -------------------------------------------------------------------------------

MATH_BODY = "Energy:\n\n$$E = mc^2$$\n\nand inline \\(a^2 + b^2\\) too.\n"


def math_of(doc: lxml.html.HtmlElement) -> tuple[int, str]:
    """(rendered <math> elements in the body, the body's text)."""
    body = doc.cssselect(".article__body")[0]
    return len(body.xpath(".//*[local-name()='math']")), body.text_content()


def test_mathjax_renders_math_only_on_that_page(site: Site):
    site.article("a.md", "Equations", mathjax=True, body=MATH_BODY)
    site.article("b.md", "Same text no math", body=MATH_BODY)
    site.build()
    count, text = math_of(site.html("equations/"))
    assert count == 2 and "$$" not in text
    count, text = math_of(site.html("same-text-no-math/"))
    assert count == 0 and "$$E = mc^2$$" in text
    for page in site.out.rglob("*.html"):  # the math costs no script and no other host
        doc = lxml.html.fromstring(page.read_bytes())
        assert not [s for s in doc.cssselect("script[src]") if "math" in s.get("src").lower()]


def test_mathjax_site_true_page_false(site: Site):
    site.write("site.toml", "mathjax = true\n")
    site.article("a.md", "Site math", body=MATH_BODY)
    site.article("b.md", "No math here", mathjax=False, body=MATH_BODY)
    site.article("c.md", "Empty math field", mathjax="", body=MATH_BODY)
    site.build()
    assert math_of(site.html("site-math/"))[0] == 2
    assert math_of(site.html("no-math-here/"))[0] == 0
    assert math_of(site.html("empty-math-field/"))[0] == 2


# --- menu ----------------------------------------------------------------------------------

MENU_TOML = """\
[[menu.main]]
name = "World"
url = "/categories/world/"
weight = 1

[[menu.main]]
name = "Business"
url = "/categories/business/"
weight = 3
"""


def test_menu_string_list_map_merged_with_config_in_weight_order(site: Site):
    site.write("site.toml", MENU_TOML)
    site.article("a.md", "About us", menu="main")
    site.article("b.md", "Opinion page", menu={"main": {"name": "Opinion", "weight": 2}})
    site.article("c.md", "Contact", menu=["main", "footer"])
    site.article("d.md", "Not in menus", menu="")
    site.build()
    doc = site.html("")
    main_menu = doc.cssselect("nav.menu.menu--main")[0]
    assert texts(main_menu, "li a") == ["World", "Opinion", "Business", "About us", "Contact"]
    assert hrefs(main_menu, "li a") == ["/categories/world/", "/opinion-page/",
                                         "/categories/business/", "/about-us/", "/contact/"]
    assert texts(doc, "nav.menu--footer li a") == ["Contact"]
    assert "Not in menus" not in doc.cssselect("header")[0].text_content()
    # the menu is on every page, and marks the current one
    about = site.html("about-us/")
    assert about.cssselect('nav.menu--main a[aria-current="page"]')[0].text_content() == "About us"


def test_menu_without_config_or_front_matter_is_absent(site: Site):
    site.article("a.md", "Lonely", menu="")
    site.build()
    assert not site.html("").cssselect("nav.menu--main")


# --- draft, publishDate, expiryDate --------------------------------------------------------


def everywhere(site: Site, title: str, path: str) -> dict[str, bool]:
    """Where an article shows: its page, the home list, feeds, sitemap, its tag page."""
    tag_page = site.out / "tags/window/index.html"
    return {
        "page": (site.out / path / "index.html").is_file(),
        "home": title in list_titles(site.html("")),
        "feed": title in (site.out / "feed.xml").read_text(encoding="utf-8"),
        "rss": title in (site.out / "rss.xml").read_text(encoding="utf-8"),
        "sitemap": f"/{path}/<" in (site.out / "sitemap.xml").read_text(encoding="utf-8"),
        "tag": tag_page.is_file() and title in list_titles(site.html("tags/window/")),
    }


def test_draft_is_not_built_unless_drafts(site: Site):
    site.article("a.md", "Draft story", draft=True, tags=["window"])
    site.article("b.md", "Live story", draft=False)
    site.build()
    assert not any(everywhere(site, "Draft story", "draft-story").values())
    live = everywhere(site, "Live story", "live-story")
    assert live == {**live, "page": True, "home": True, "feed": True, "sitemap": True}
    site.build(drafts=True)
    assert all(everywhere(site, "Draft story", "draft-story").values())


def test_publish_and_expiry_relative_to_build_clock(site: Site):
    # NOW is 2025-03-02T12:00:00Z
    site.article("a.md", "Embargoed", publishDate="2025-03-02T12:30:00Z", tags=["window"])
    site.article("b.md", "Expired", expiryDate="2025-03-02T11:59:00Z", tags=["window"])
    site.article("c.md", "Live in window", publishDate="2025-03-01T00:00:00Z",
                 expiryDate="2025-03-03T00:00:00Z", tags=["window"])
    site.build()
    assert not any(everywhere(site, "Embargoed", "embargoed").values())
    assert not any(everywhere(site, "Expired", "expired").values())
    assert all(everywhere(site, "Live in window", "live-in-window").values())

    site.build(now="2025-03-02T13:00:00+00:00")  # the embargo lifts
    assert all(everywhere(site, "Embargoed", "embargoed").values())
    assert not any(everywhere(site, "Expired", "expired").values())

    site.build(now="2025-03-02T11:00:00+00:00")  # before expiry and before publishDate
    assert all(everywhere(site, "Expired", "expired").values())
    assert not any(everywhere(site, "Embargoed", "embargoed").values())

    site.build(now="2025-03-04T00:00:00+00:00")  # the window closed
    assert not any(everywhere(site, "Live in window", "live-in-window").values())


def test_publish_date_without_offset_uses_site_timezone(site: Site):
    site.write("site.toml", 'timezone = "Asia/Tokyo"\n')  # UTC+9
    # 2025-03-02 20:00 in Tokyo is 11:00 UTC: before NOW (12:00 UTC), so live
    site.article("a.md", "Tokyo evening", publishDate="2025-03-02 20:00:00")
    # 22:00 in Tokyo is 13:00 UTC: after NOW, so embargoed
    site.article("b.md", "Tokyo late", publishDate="2025-03-02 22:00:00")
    site.build()
    assert (site.out / "tokyo-evening/index.html").is_file()
    assert not (site.out / "tokyo-late").exists()


# --- slug, url, aliases, weight ------------------------------------------------------------


def test_slug_replaces_the_last_url_segment(site: Site):
    site.article("world/a.md", "A very long headline about ports", slug="ports")
    site.build()
    assert (site.out / "world/ports/index.html").is_file()
    assert not (site.out / "world/a-very-long-headline-about-ports").exists()
    assert "/world/ports/" in hrefs(site.html(""), "article.summary .summary__title a")


def test_slug_with_spaces_gives_a_valid_url_or_an_error(site: Site):
    from generator.errors import BuildError

    site.article("world/a.md", "Spaced", slug="Harbour Reopens")
    try:
        site.build()
    except BuildError as exc:  # refusing it, naming the field, is fine too
        assert "[slug]" in str(exc) and "a.md" in str(exc)
        return
    assert not [p for p in site.out.rglob("*") if " " in p.name]
    assert not [h for h in hrefs(site.html(""), "a") if " " in h]


def test_url_replaces_the_whole_path(site: Site):
    site.article("world/a.md", "Special report", url="/special/2025/report/")
    site.build()
    assert (site.out / "special/2025/report/index.html").is_file()
    assert not (site.out / "world/special-report").exists()
    doc = site.html("special/2025/report/")
    assert doc.cssselect('link[rel="canonical"]')[0].get("href") == \
        "http://localhost:8000/special/2025/report/"
    assert "/special/2025/report/" in hrefs(site.html(""), "article.summary .summary__title a")


def test_aliases_write_redirect_pages(site: Site):
    site.article("world/a.md", "Moved story", aliases=["/old/path/", "/2019/legacy.html"])
    site.build()
    for alias in ("old/path/index.html", "2019/legacy.html"):
        doc = lxml.html.fromstring((site.out / alias).read_bytes())
        refresh = doc.cssselect('meta[http-equiv="refresh"]')[0].get("content")
        assert re.fullmatch(r"0;\s*url=/world/moved-story/", refresh), refresh
        assert doc.cssselect('link[rel="canonical"]')[0].get("href") == \
            "http://localhost:8000/world/moved-story/"
        assert doc.cssselect('meta[name="robots"]')[0].get("content") == "noindex"
    # a redirect is not an article: not in the sitemap
    assert "/old/path/" not in (site.out / "sitemap.xml").read_text(encoding="utf-8")


def test_aliases_single_string(site: Site):
    site.article("a.md", "Moved once", aliases="/before/")
    site.build()
    assert (site.out / "before/index.html").is_file()


def test_weight_pins_lower_first_zero_and_missing_last(site: Site):
    site.article("world/a.md", "Newest plain", date="2025-02-10 10:00:00")
    site.article("world/b.md", "Old weight two", date="2025-01-01 10:00:00", weight=2)
    site.article("world/c.md", "Older weight one", date="2024-12-01 10:00:00", weight=1)
    site.article("world/d.md", "Zero weight", date="2025-02-09 10:00:00", weight=0)
    site.article("world/e.md", "Oldest plain", date="2025-01-05 10:00:00")
    site.build()
    want = ["Older weight one", "Old weight two", "Newest plain", "Zero weight", "Oldest plain"]
    assert list_titles(site.html("")) == want
    assert list_titles(site.html("categories/world/")) == want


# --- description, summary ------------------------------------------------------------------


def test_description_meta_and_fallback_to_summary_text(site: Site):
    site.write("site.toml", 'description = "The home page description."\nsummary_words = 5\n')
    site.article("a.md", "Described", description="An explicit description.", summary="Sum.")
    site.article("b.md", "Summarised", summary="A *summary* with [a link](https://x.org/) in it.")
    site.article("c.md", "Automatic", body="First paragraph has five words.\n\nSecond paragraph.\n")
    site.article("d.md", "Empty description", description="", summary="Summary wins.")
    site.build()
    assert meta_description(site.html("described/")) == "An explicit description."
    assert meta_description(site.html("summarised/")) == "A summary with a link in it."
    assert meta_description(site.html("automatic/")) == "First paragraph has five words."
    assert meta_description(site.html("empty-description/")) == "Summary wins."
    assert meta_description(site.html("")) == "The home page description."


def test_description_fallback_has_no_space_before_punctuation(site: Site):
    site.article("a.md", "Linked", summary="Read [the report](https://x.org/), then *decide*.")
    site.build()
    assert meta_description(site.html("linked/")) == "Read the report, then decide."


def summary_text(site: Site, title: str) -> tuple[str, bool]:
    """(the list excerpt's text, whether it offers "Read more") on the home page."""
    item = summary_item(site.html(""), title)
    text = " ".join(item.cssselect(".summary__text")[0].text_content().split())
    return text, bool(item.cssselect(".summary__more a"))


LONG_PARAGRAPH = " ".join(f"word{n}" for n in range(50))


def test_summary_precedence_more_then_field_then_automatic(site: Site):
    site.article("a.md", "More split", summary="The field summary.",
                 body="Before the split.\n\n<!--more-->\n\nAfter the split.\n")
    site.article("b.md", "Field summary", summary="The *field* summary.",
                 body="Body first paragraph.\n\nBody second paragraph.\n")
    site.article("c.md", "Automatic summary",
                 body=f"{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH} second\n\nThird paragraph.\n")
    site.article("d.md", "Empty field", summary="", body="Only paragraph.\n\nSecond one.\n")
    site.build()
    assert summary_text(site, "More split") == ("Before the split.", True)
    assert summary_text(site, "Field summary") == ("The field summary.", True)
    assert site.html("").cssselect("article.summary .summary__text em")  # summary is Markdown
    text, more = summary_text(site, "Automatic summary")
    # whole leading blocks up to ~70 words: the first two paragraphs, never half of one
    assert text == f"{LONG_PARAGRAPH} {LONG_PARAGRAPH} second"
    assert more
    assert summary_text(site, "Empty field") == ("Only paragraph. Second one.", False)


def test_summary_words_site_key(site: Site):
    site.write("site.toml", "summary_words = 10\n")
    site.article("a.md", "Short summaries",
                 body="One two three four five six seven eight nine ten eleven.\n\nSecond.\n")
    site.build()
    assert summary_text(site, "Short summaries") == (
        "One two three four five six seven eight nine ten eleven.", True)


def test_read_more_only_when_summary_is_shorter(site: Site):
    site.article("a.md", "Short article", body="The whole article.\n")
    site.article("b.md", "Summary equals body", summary="The whole article.",
                 body="The whole article.\n")
    site.article("c.md", "Longer article", summary="Short.", body="The whole article is longer.\n")
    site.build()
    assert summary_text(site, "Short article") == ("The whole article.", False)
    assert summary_text(site, "Summary equals body") == ("The whole article.", False)
    assert summary_text(site, "Longer article") == ("Short.", True)


# --- lastmod, lang, translations -----------------------------------------------------------


def test_lastmod_updated_only_when_it_differs(site: Site):
    site.article("a.md", "Updated story", date="2025-02-01 10:00:00",
                 lastmod="2025-02-02 08:30:00")
    site.article("b.md", "Same lastmod", date="2025-02-01 10:00:00",
                 lastmod="2025-02-01T10:00:00+00:00")
    site.article("c.md", "No lastmod", date="2025-02-01 10:00:00")
    site.build()
    updated = site.html("updated-story/").cssselect(".byline__updated time")
    assert [t.get("datetime") for t in updated] == ["2025-02-02T08:30:00+00:00"]
    assert "Updated" in site.html("updated-story/").cssselect(".byline__updated")[0].text_content()
    assert not site.html("same-lastmod/").cssselect(".byline__updated")
    assert not site.html("no-lastmod/").cssselect(".byline__updated")
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "2025-02-02" in sitemap


def test_lang_sets_html_lang(site: Site):
    site.write("site.toml", 'language = "es"\n')
    site.article("a.md", "Francais", lang="fr")
    site.article("b.md", "Deutsch zuerst", lang=["de", "en"])
    site.article("c.md", "Site language")
    site.article("d.md", "Empty lang", lang="")
    site.build()
    assert site.html("francais/").get("lang") == "fr"
    assert site.html("deutsch-zuerst/").get("lang") == "de"
    assert site.html("site-language/").get("lang") == "es"
    assert site.html("empty-lang/").get("lang") == "es"


def test_translations_link_matching_articles_as_alternates(site: Site):
    site.article("world/harbour.md", "Harbour reopens", translations=["en", "fr", "de"])
    site.article("world/harbour.fr.md", "Le port rouvre", lang="fr", translations="en")
    site.build()
    en = site.html("world/harbour-reopens/")
    alternates = {link.get("hreflang"): link.get("href")
                  for link in en.cssselect('link[rel="alternate"][hreflang]')}
    assert alternates.get("fr", "").endswith("/world/le-port-rouvre/")
    assert "de" not in alternates  # no German article exists
    fr = site.html("world/le-port-rouvre/")
    assert any(link.get("href").endswith("/world/harbour-reopens/")
               for link in fr.cssselect('link[rel="alternate"][hreflang="en"]'))


# --- categories, tags ----------------------------------------------------------------------


def test_categories_and_tags_single_string_form(site: Site):
    site.article("a.md", "String terms", categories="World News", tags="Energy")
    site.article("b.md", "List terms", categories=["World News", "Europe"], tags=["Energy", "EU"])
    site.build()
    doc = site.html("world-news/string-terms/")  # the first category is the article's section
    assert hrefs(doc, ".byline__section a") == ["/categories/world-news/"]
    assert texts(doc, "ul.tags li a") == ["Energy"]
    assert hrefs(doc, "ul.tags li a") == ["/tags/energy/"]
    lists = site.html("world-news/list-terms/")
    assert texts(lists, "ul.tags li a") == ["Energy", "EU"]
    assert sorted(list_titles(site.html("categories/world-news/"))) == ["List terms", "String terms"]
    assert list_titles(site.html("categories/europe/")) == ["List terms"]
    assert sorted(list_titles(site.html("tags/energy/"))) == ["List terms", "String terms"]


def test_folder_is_the_category_when_none_given(site: Site):
    site.article("politics/a.md", "Folder section")
    site.build()
    doc = site.html("politics/folder-section/")
    assert hrefs(doc, ".byline__section a") == ["/categories/politics/"]


def test_no_tags_no_tag_list(site: Site):
    site.article("a.md", "Untagged", tags=[])
    site.build()
    assert not site.html("untagged/").cssselect("ul.tags")


# --- plain-text wire articles take the same fields from a sidecar ---------------------------


def test_plaintext_sidecar_fields_behave_like_front_matter(site: Site):
    site.write("content/world/wire.txt",
               "Ports reopen after the storm\nShips are moving again along the coast.\n\n"
               "Harbour masters said on Monday that traffic had resumed.\n\n"
               "Strong winds return\n\nForecasters expect more wind later in the week.\n")
    site.write("content/world/wire.yaml",
               "date: 2025-02-08 04:51:01\nsidebar: left\nwidgets: [recent, taglist]\n"
               "tags: shipping\ntoc: true\npager: false\n")
    site.build()
    doc = site.html("world/ports-reopen-after-the-storm/")
    assert sidebar_of(doc) == "left"
    assert widgets_of(doc) == ["recent", "taglist"]
    assert texts(doc, "ul.tags a") == ["shipping"]
    assert texts(doc, "p.lead") == ["Ships are moving again along the coast."]
    assert texts(doc, "nav.toc li a") == ["Strong winds return"]
    assert not doc.cssselect("nav.pager")


# --- errors --------------------------------------------------------------------------------


def test_unknown_widget_and_sidebar_values_all_reported_in_one_run(site: Site, capsys):
    site.article("world/fine.md", "Fine")
    site.write("content/world/bad-widget.md",
               "---\ntitle: Bad widget\nwidgets:\n  - search\n  - weather\n---\nx\n")
    site.write("content/world/bad-sidebar.md", "---\ntitle: Bad sidebar\nsidebar: middle\n---\nx\n")
    site.write("content/other/bad-both.md",
               "---\ntitle: Bad both\nsidebar: centre\nwidgets: [recnet]\n---\nx\n")
    capsys.readouterr()
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()

    def line_for(path: str, field: str) -> str:
        found = [ln for ln in lines if ln.startswith(path + ":") and f"[{field}]" in ln]
        assert len(found) == 1, (path, field, err)
        return found[0]

    widget = line_for("world/bad-widget.md", "widgets")
    assert "'weather'" in widget and f"allowed: {ALL_WIDGETS}" in widget
    sidebar = line_for("world/bad-sidebar.md", "sidebar")
    assert "'middle'" in sidebar and "left" in sidebar and "right" in sidebar
    assert line_for("other/bad-both.md", "sidebar").count("'centre'") == 1
    both_widget = line_for("other/bad-both.md", "widgets")
    assert "'recnet'" in both_widget and "did you mean 'recent'" in both_widget
    assert "4 error(s) in 3 files" in err
    assert not (site.out / "world/fine/index.html").exists()  # nothing written on failure


def test_sidebar_error_lists_false_as_allowed(site: Site, capsys):
    site.write("content/a.md", "---\ntitle: Bad\nsidebar: middle\n---\nx\n")
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert "false" in err.split("[sidebar]", 1)[1].splitlines()[0]


@pytest.mark.parametrize(
    ("toml", "key", "value"),
    [('[sidebar]\nsingle = "middle"\n', "sidebar.single", "'middle'"),
     ('[sidebar]\nwidgets = ["search", "weather"]\n', "sidebar.widgets", "'weather'")],
)
def test_site_toml_bad_sidebar_or_widget_is_an_error(site: Site, capsys, toml, key, value):
    site.write("site.toml", toml)
    site.article("a.md", "Fine")
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert "site.toml" in err and f"[{key}]" in err and value in err
    assert "left" in err or ALL_WIDGETS in err


def test_bad_boolean_names_the_field(site: Site, capsys):
    site.write("content/a.md", "---\ntitle: Bad\ntoc: maybe\n---\nx\n")
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert "a.md:3: error [toc]:" in err and "'maybe'" in err and "true or false" in err


# --- templates never resolve these with |default --------------------------------------------

RESOLVED = ("sidebar", "toc", "pager", "comments", "authorbox", "mathjax", "widgets")
_DEFAULT_FILTER = re.compile(r"([\w.\[\]'\"]+)\s*\|\s*(?:default|d)\s*\(")


def test_templates_do_not_use_default_filter_for_resolved_settings():
    offenders = []
    for path in sorted((REPO / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for m in _DEFAULT_FILTER.finditer(text):
            names = re.split(r"[.\[\]'\"]+", m.group(1))
            if any(n in RESOLVED for n in names):
                line = text.count("\n", 0, m.start()) + 1
                offenders.append(f"{path.relative_to(REPO)}:{line}: {m.group(0)}")
    assert not offenders, "resolve these in Python, not with |default:\n" + "\n".join(offenders)


def test_default_filter_check_catches_offenders():
    """The check above really matches the forms it must reject."""
    for bad in ("{{ page.sidebar | default('right') }}", "{% if a.toc|default(true) %}",
                "{{ page['pager'] | d(true) }}", "{{ config.comments|default(x) }}"):
        m = _DEFAULT_FILTER.search(bad)
        assert m and any(n in RESOLVED for n in re.split(r"[.\[\]'\"]+", m.group(1))), bad
    assert not _DEFAULT_FILTER.search("{{ a.params.thumbnail_alt | e }}")


# --- the editors' documentation stays complete ----------------------------------------------

DOCS = REPO / "docs" / "front-matter.md"


def test_editor_docs_cover_every_field_and_widget():
    from generator.sources.fields import KNOWN

    text = DOCS.read_text(encoding="utf-8")
    missing = [k for k in KNOWN if f"`{k}" not in text and f"### {k}" not in text]
    assert not missing, f"docs/front-matter.md does not explain: {missing}"
    assert not [w for w in WIDGET_NAMES if f"| `{w}` |" not in text]
    assert "broadsheet new" in text and "sidecar" in text


def test_editor_docs_example_builds_as_described(site: Site):
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example.startswith("---\n")
    site.write("content/world/harbour.md", example)
    harbour = site.root / "static" / "img" / "harbour.jpg"  # the example's thumbnail, as a photo
    harbour.parent.mkdir(parents=True, exist_ok=True)
    Image.linear_gradient("L").resize((1600, 1200)).convert("RGB").save(harbour, "JPEG")
    site.build(search=True)
    doc = site.html("world/harbour-reopens-after-storm-repairs/")
    assert texts(doc, "p.lead") == [
        "Ferries run again from Monday after three weeks of work on the breakwater."]
    assert sidebar_of(doc) == "right" and widgets_of(doc) == SITE_WIDGETS
    assert texts(doc, "ul.tags a") == ["ports", "weather"]
    src = doc.cssselect("figure.thumbnail img")[0].get("src")  # the processed photo's fallback
    assert src.startswith("/img/harbour") and src.endswith(".jpg") and src != "/img/harbour.jpg"
    assert (site.out / src.lstrip("/")).is_file()


def test_search_widget_is_left_out_when_search_is_off(site: Site):
    """`search = false` means no /search/ page, so no search box that would lead nowhere."""
    site.article("a.md", "Story", widgets=["search", "recent"])
    site.build(search=False)
    doc = site.html("story/")
    assert not doc.cssselect("section.widget--search")
    assert doc.cssselect("section.widget--recent")
    assert not (site.out / "search").exists()
