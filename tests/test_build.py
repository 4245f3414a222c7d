"""End-to-end builds of small fixture sites, checked with a real HTML parser."""

from __future__ import annotations

import shutil

import pytest

from generator.cli import main

from .conftest import NOW, SEEDS, Site


def three_articles(site: Site) -> None:
    site.article("world/a.md", "Alpha rises", date="2025-02-03 09:00:00", tags=["energy", "EU"],
                 body="First paragraph.\n\n## Details\n\nMore.\n")
    site.article("world/b.md", "Bravo falls", date="2025-02-04 09:00:00", categories=["World"])
    site.article("business/c.md", "Charlie holds", date="2025-02-02 09:00:00", tags="Energy")


def test_article_page_has_the_theme_hooks_and_pretty_url(site: Site):
    three_articles(site)
    site.build()
    doc = site.html("world/alpha-rises/")
    art = doc.cssselect("article.article")[0]
    assert art.cssselect("h1")[0].text_content() == "Alpha rises"
    # "energy" here and "Energy" in business/c.md are one term, named by its first spelling
    assert [a.text_content() for a in doc.cssselect("ul.tags a")] == ["Energy", "EU"]
    assert doc.cssselect("title")[0].text_content() == "Alpha rises - Broadsheet"
    canonical = doc.cssselect('link[rel="canonical"]')[0].get("href")
    assert canonical == "http://localhost:8000/world/alpha-rises/"
    assert doc.cssselect("aside.sidebar.sidebar--right section.widget--recent")
    assert doc.cssselect(".byline time")[0].get("datetime") == "2025-02-03T09:00:00+00:00"
    assert doc.get("lang") == "en"


def test_home_lists_articles_newest_first_with_weight_pinned(site: Site):
    three_articles(site)
    site.article("world/d.md", "Delta pinned", date="2025-01-01 09:00:00", weight=1)
    site.build()
    titles = [a.text_content() for a in site.html("").cssselect("article.summary h2 a")]
    assert titles == ["Delta pinned", "Bravo falls", "Alpha rises", "Charlie holds"]


def test_pagination_has_no_page_one_and_rel_links(site: Site):
    site.write("site.toml", "paginate = 2\n")
    for n in range(5):
        site.article(f"world/{n}.md", f"Story {n}", date=f"2025-02-0{n + 1} 10:00:00")
    site.build()
    assert not (site.out / "page/1").exists()
    assert (site.out / "page/2/index.html").is_file()
    assert (site.out / "page/3/index.html").is_file()
    assert not (site.out / "page/4").exists()
    page2 = site.html("page/2/")
    assert page2.cssselect('head link[rel="prev"]')[0].get("href") == "/"
    assert page2.cssselect('head link[rel="next"]')[0].get("href") == "/page/3/"
    assert [a.text_content() for a in page2.cssselect("article.summary h2 a")] == [
        "Story 2", "Story 1"]
    nav = page2.cssselect("nav.pagination")[0]
    assert nav.cssselect('a[rel="prev"]') and nav.cssselect('a[rel="next"]')


def test_404_page_has_site_chrome(site: Site):
    three_articles(site)
    site.build()
    doc = site.html("404.html")
    assert doc.cssselect("header.masthead") and doc.cssselect("footer")
    assert "not found" in doc.cssselect("h1")[0].text_content().lower()


def test_body_is_never_a_template(site: Site):
    site.article("a.md", "Braces", body="Use {{ site.title }} and {% if x %} literally.\n")
    site.build()
    body = site.html("braces/").cssselect(".article__body")[0].text_content()
    assert "{{ site.title }}" in body and "{% if x %}" in body


def test_titles_are_escaped(site: Site):
    site.article("a.md", 'Quotes "and" <script>alert(1)</script> & more')
    site.build()
    raw = site.text("quotes-and-script-alert-1-script-and-more/")
    assert "<script>alert(1)</script>" not in raw
    doc = site.html("quotes-and-script-alert-1-script-and-more/")
    assert doc.cssselect("h1")[0].text_content() == 'Quotes "and" <script>alert(1)</script> & more'


def test_sub_path_base_url_keeps_every_link_inside(site: Site):
    three_articles(site)
    site.build(base_url="https://example.org/news/")
    for page in site.out.rglob("*.html"):
        doc = site.html(str(page.relative_to(site.out)))
        for el in doc.xpath("//*[@href or @src or @action]"):
            link = el.get("href") or el.get("src") or el.get("action")
            if link.startswith("/"):
                assert link.startswith("/news/"), (page, link)
            elif "://" in link and "example.org" in link:
                assert link.startswith("https://example.org/news/"), (page, link)
                assert "/news/news/" not in link, (page, link)


def test_same_input_and_clock_give_identical_bytes(make_site):
    a, b = make_site("a"), make_site("b")
    for s in (a, b):
        three_articles(s)
        s.build()
    files_a = sorted(p.relative_to(a.out) for p in a.out.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b.out) for p in b.out.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a.out / rel).read_bytes() == (b.out / rel).read_bytes(), rel


def test_markdown_features_and_summary(site: Site):
    body = """\
    Intro words here.

    <!--more-->

    | a | b |
    |---|---|
    | 1 | 2 |

    ```python
    print("hi")
    ```

    Text with a note.[^1]

    [^1]: The note.
    """
    site.article("a.md", "Features", body=body)
    site.build()
    doc = site.html("features/")
    assert doc.cssselect(".article__body table")
    assert doc.cssselect(".article__body .highlight")
    assert doc.cssselect(".article__body .footnote")
    home = site.html("")
    summary = home.cssselect("article.summary .summary__text")[0].text_content().strip()
    assert summary == "Intro words here."
    assert home.cssselect("article.summary .summary__more")
    assert (site.out / "css/pygments.css").read_text().count(".highlight") > 10


def test_seeds_build_untouched_with_the_builtin_theme(site: Site):
    for seed in SEEDS.iterdir():
        shutil.copy(seed, site.root / "content" / seed.name)
    result = site.build()
    doc = site.html("thehill/zelensky-says-hes-open-to-trumps-rare-earth-request-lets-do-a-deal/")
    assert doc.cssselect("h1")[0].text_content().startswith("Zelensky says he’s open")
    assert result.articles >= 1


def test_cli_build_reports_broken_articles_and_keeps_previous_output(site: Site, capsys):
    three_articles(site)
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 0
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.write("content/world/bad1.md", "---\ntitle: Bad\ndate: [unclosed\n---\nx\n")
    site.write("content/world/bad2.md", "---\ntitle: Bad two\nsidebar: middle\n---\nx\n")
    site.write("content/z/bad3.md", "---\ntitle: ''\n---\nx\n")
    site.article("world/fine-but-new.md", "A new fine story")
    capsys.readouterr()
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert "world/bad1.md:3: error: malformed YAML" in err
    assert "world/bad2.md:3: error [sidebar]: unknown sidebar value 'middle'" in err
    assert "z/bad3.md:2: error [title]: the title is empty" in err
    after = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    assert after == before
    assert not (site.out / "world/a-new-fine-story").exists()
    assert not (site.out / ".broadsheet-staging").exists()


def test_url_collision_names_both_files(site: Site, capsys):
    site.article("a.md", "Same title")
    site.article("b.md", "Same title")
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert "a.md" in err and "b.md" in err and "same URL /same-title/" in err


@pytest.mark.parametrize("flag", ["--drafts", None])
def test_drafts_and_embargo(site: Site, flag):
    site.article("a.md", "Draft one", draft=True)
    site.article("b.md", "Embargoed", publishDate="2030-01-01 00:00:00")
    site.article("c.md", "Expired", expiryDate="2025-01-01 00:00:00")
    site.article("d.md", "Live")
    args = ["build", "--site", str(site.root), "--now", NOW] + ([flag] if flag else [])
    assert main(args) == 0
    assert (site.out / "draft-one").exists() == (flag == "--drafts")
    assert not (site.out / "embargoed").exists()
    assert not (site.out / "expired").exists()
    assert (site.out / "live/index.html").exists()
    # the embargo lifts when the build clock passes publishDate
    assert main(["build", "--site", str(site.root), "--now", "2030-01-02T00:00:00Z"]) == 0
    assert (site.out / "embargoed/index.html").exists()


def test_newest_among_sorts_each_list_as_newest_does(tmp_path):
    """`site.newest_among` (the feeds' sort: all articles once, then each list by rank) gives
    what `newest` gives, ties on date and title included, and falls back for a stranger."""
    import random
    from dataclasses import replace as dc_replace
    from datetime import UTC, datetime, timedelta

    from generator.articles import make_article
    from generator.config import load_config
    from generator.errors import Report
    from generator.site import newest, newest_among
    from generator.sources import read_document

    site = Site(tmp_path / "site")
    site.article("a.md", "Base")
    config = load_config(site.root)
    doc = read_document(site.root / "content", "a.md", config, Report())
    assert doc is not None
    base = make_article(doc, config)
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    articles = [dc_replace(base, source=f"s{i}.md", title=rng.choice("ABC"),
                           date=start + timedelta(hours=rng.randrange(6))) for i in range(60)]
    pick = newest_among(articles)
    for _ in range(200):
        some = rng.sample(articles, rng.randrange(len(articles) + 1))
        n = rng.randrange(1, 25)
        assert pick(some, n) == newest(some, n)
    stranger = dc_replace(base, source="other.md")
    assert pick([stranger, *articles[:5]], 3) == newest([stranger, *articles[:5]], 3)
