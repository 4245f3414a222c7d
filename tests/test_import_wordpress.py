"""`broadsheet import wordpress`: the theme unit test export imported, built and checked.

The export is WordPress's own theme test data (shared/fixtures/wordpress/). Every check reads
the XML again with lxml (entities off), independently of the importer's reader, and compares
it with what the import wrote and what the build made of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import pytest
import yaml

from generator.build import build_keeping_state
from generator.cli import main
from generator.commands.common import parse_now
from generator.config import load_config

from .conftest import NOW, SHARED, need

FIXTURE = SHARED / "fixtures" / "wordpress" / "themeunittestdata.wordpress.xml"
LOCAL = Path(__file__).parent / "fixtures" / "wordpress"
SHORTCODE = re.compile(r"\[/?(?:caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\]")


# --- an independent reading of the export -------------------------------------------------


def parse_wxr(path: Path) -> lxml.etree._Element:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    return lxml.etree.parse(str(path), parser).getroot()


def ns(root: lxml.etree._Element) -> dict[str, str]:
    wp = next(v for v in root.nsmap.values() if "wordpress.org/export/" in v
              and not v.endswith("excerpt/"))
    return {"wp": wp, "content": "http://purl.org/rss/1.0/modules/content/",
            "dc": "http://purl.org/dc/elements/1.1/"}


def items(root: lxml.etree._Element, *statuses: str) -> list[dict[str, object]]:
    """Posts and pages with the given statuses, as plain dicts."""
    n = ns(root)
    out = []
    for el in root.iter("item"):
        kind = el.findtext("wp:post_type", namespaces=n)
        status = el.findtext("wp:status", namespaces=n)
        if kind not in ("post", "page") or status not in statuses:
            continue
        out.append({
            "id": el.findtext("wp:post_id", namespaces=n),
            "type": kind, "status": status,
            "title": el.findtext("title") or "",
            "link": el.findtext("link") or "",
            "date_gmt": el.findtext("wp:post_date_gmt", namespaces=n),
            "creator": el.findtext("dc:creator", namespaces=n),
            "content": el.findtext("content:encoded", namespaces=n) or "",
            "password": el.findtext("wp:post_password", namespaces=n) or "",
            "categories": [c.text for c in el.findall("category") if c.get("domain") == "category"],
            "tags": [c.text for c in el.findall("category") if c.get("domain") == "post_tag"],
        })
    return out


def category_parents(root: lxml.etree._Element) -> dict[str, str]:
    """Category name -> parent category name."""
    n = ns(root)
    by_nice = {c.findtext("wp:category_nicename", namespaces=n): c
               for c in root.iter(f"{{{n['wp']}}}category")}
    out = {}
    for c in by_nice.values():
        parent = c.findtext("wp:category_parent", namespaces=n) or ""
        if parent in by_nice:
            out[c.findtext("wp:cat_name", namespaces=n)] = by_nice[parent].findtext(
                "wp:cat_name", namespaces=n)
    return out


def old_path(link: str) -> str:
    path = "/" + "/".join(p for p in urlsplit(link).path.split("/") if p)
    return unquote(path + "/" if link.endswith("/") else path)


def plain(html: str) -> str:
    text = lxml.html.fragment_fromstring(html, create_parent="div").text_content() if html else ""
    return " ".join(text.split())


def visible_chunks(html: str) -> list[str]:
    """The text a reader saw, chunk by chunk: comments and shortcode tags are not text."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = SHORTCODE.sub("<br>", html)
    if not html.strip():
        return []
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in doc.xpath("//script|//style"):
        el.drop_tree()
    return [" ".join(t.split()) for t in doc.itertext() if t.strip()]


def read_article(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


# --- the imported and built fixture site --------------------------------------------------


class Imported:
    def __init__(self, root: Path, stdout: str) -> None:
        self.root = root
        self.report = stdout
        self.articles = {p.relative_to(root / "content").as_posix(): read_article(p)
                         for p in sorted((root / "content").rglob("*.md"))}

    def by_address(self, path: str) -> tuple[str, dict[str, object]]:
        for rel, (front, _) in self.articles.items():
            if front.get("url") == path or path in (front.get("aliases") or []):
                return rel, front
        raise AssertionError(f"no imported article keeps the address {path}")

    def by_title(self, title: str) -> tuple[str, dict[str, object]]:
        found = [(rel, f) for rel, (f, _) in self.articles.items() if f["title"] == title]
        assert len(found) == 1, f"{len(found)} articles titled {title!r}"
        return found[0]


def run_import(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", "wordpress", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def wxr() -> lxml.etree._Element:
    need(FIXTURE.is_file(), f"the WordPress fixture {FIXTURE} is missing")
    return parse_wxr(FIXTURE)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, wxr: lxml.etree._Element) -> Imported:
    root = tmp_path_factory.mktemp("wp") / "site"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["import", "wordpress", str(FIXTURE), "--site", str(root)])
    assert code == 0
    return Imported(root, buf.getvalue())


@pytest.fixture(scope="module")
def built(imported: Imported):
    """The imported site built as a reader sees it (drafts and scheduled posts held back)."""
    config = load_config(imported.root, now=parse_now(NOW), search=False)
    return build_keeping_state(config, jobs=1)


@pytest.fixture(scope="module")
def built_all(tmp_path_factory: pytest.TempPathFactory, imported: Imported):
    """The same site with drafts and scheduled posts, so every body can be compared."""
    out = tmp_path_factory.mktemp("wp-all") / "output"
    config = load_config(imported.root, now=parse_now(NOW), search=False, drafts=True,
                         future=True, output_dir=out)
    _result, state = build_keeping_state(config, jobs=1, use_cache=False)
    return out, {a.source: a.path for a in state.site.articles}


# --- counts and fields --------------------------------------------------------------------


def test_every_published_post_and_page_is_written(imported: Imported, wxr, built) -> None:
    published = items(wxr, "publish")
    drafts = items(wxr, "draft", "pending")
    scheduled = items(wxr, "future")
    assert len(published) == 70 and len(drafts) == 1 and len(scheduled) == 1  # the fixture
    assert len(imported.articles) == len(published) + len(drafts) + len(scheduled)
    live = [rel for rel, (f, _) in imported.articles.items()
            if not f.get("draft") and "publishDate" not in f]
    protected = [i for i in published if i["password"]]
    # A password-protected post becomes a draft (a static page cannot ask for the password).
    assert len(live) == len(published) - len(protected)
    result, _state = built
    assert result.articles == len(live)
    assert sum(1 for i in published if i["type"] == "page") == sum(
        1 for rel in imported.articles if rel.startswith("pages/"))
    for item in protected:
        rel, front = imported.by_address(old_path(str(item["link"])))
        assert front["draft"] is True
        assert f"content/{rel}: password-protected" in imported.report


def test_titles_dates_categories_tags_and_authors_round_trip(imported: Imported, wxr) -> None:
    n = ns(wxr)
    authors = {a.findtext("wp:author_login", namespaces=n): a.findtext(
        "wp:author_display_name", namespaces=n) for a in wxr.iter(f"{{{n['wp']}}}author")}
    profiles = tomllib.loads((imported.root / "site.toml").read_text())["authors"]
    parents = category_parents(wxr)
    checked = 0
    for item in items(wxr, "publish", "future", "draft"):
        if item["status"] == "draft":
            rel, front = imported.by_title(plain(str(item["title"])))
        else:
            rel, front = imported.by_address(old_path(str(item["link"])))
        title = plain(str(item["title"]))
        if title:
            assert front["title"] == title, rel
        else:
            assert f"content/{rel}: it had no title in WordPress" in imported.report
        gmt = datetime.strptime(str(item["date_gmt"]), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        assert datetime.fromisoformat(str(front["date"])) == gmt, rel
        cats = list(front.get("categories") or [])
        assert set(item["categories"]) <= set(cats), rel
        for extra in set(cats) - set(item["categories"]):
            # Only the parents of the post's own categories are added (nesting flattened).
            chain = set()
            for c in item["categories"]:
                while c in parents:
                    c = parents[c]
                    chain.add(c)
            assert extra in chain, (rel, extra)
        assert sorted(front.get("tags") or []) == sorted(item["tags"]), rel
        creator = str(item["creator"])
        # The fixture spells one byline ">themereviewteam"; the importer matches the login.
        login = creator if creator in authors else creator.lstrip(">")
        assert profiles[front["author"]]["name"] == authors[login], rel
        checked += 1
    assert checked == 72


def test_multiple_and_nested_categories_are_kept(imported: Imported, wxr) -> None:
    rel, front = imported.by_address("/2009/07/02/edge-case-many-categories/")
    cats = front["categories"]
    assert len(cats) > 20  # Pelican's importer kept one (its issue #2239)
    parents = category_parents(wxr)
    assert parents["Grandchild Category"] == "Child Category 03"
    for name in cats:  # nesting flattened: every category's parent is there too
        assert name not in parents or parents[name] in cats, name
    assert "Parent Category" in cats and "Child Category 03" in cats
    assert rel == f"{cats[0].lower()}/edge-case-many-categories.md"  # the first one's folder


def test_title_with_slash_and_special_characters(imported: Imported, built) -> None:
    rel, front = imported.by_address("/2013/01/05/title-with-special-characters/")
    assert front["title"] == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    _result, state = built
    article = next(a for a in state.site.articles if a.source == rel)
    page = lxml.html.fromstring((imported.root / "output" / article.path / "index.html").read_bytes())
    assert page.cssselect("h1")[0].text_content().strip() == front["title"]


# --- the built site -------------------------------------------------------------------------


def test_imported_site_builds_strict_except_what_the_report_lists(imported: Imported, built) -> None:
    result, _ = built
    unlisted = [w for w in result.warnings if f"content/{w.path}" not in imported.report]
    assert not unlisted, [w.format("warning") for w in unlisted]
    code = main(["build", "--site", str(imported.root), "--strict", "--now", NOW,
                 "--output", str(imported.root / "strict-output")])
    assert code == (1 if result.warnings else 0)


def test_every_old_url_is_served(imported: Imported, wxr, built) -> None:
    out = imported.root / "output"
    served = 0
    for item in items(wxr, "publish"):
        if item["password"]:
            continue  # a draft now, by design (see the test above)
        path = old_path(str(item["link"]))
        page = out / path.strip("/") / "index.html"
        assert page.is_file(), f"{item['link']} is not served ({page})"
        doc = lxml.html.fromstring(page.read_bytes())
        if not doc.cssselect("article.article"):
            refresh = doc.cssselect('meta[http-equiv="refresh"]')
            assert refresh, f"{path} is neither the article nor a redirect"
            target = refresh[0].get("content").split("url=", 1)[1]
            doc = lxml.html.fromstring((out / target.strip("/") / "index.html").read_bytes())
        title = plain(str(item["title"]))
        if title:
            assert doc.cssselect("article.article h1")[0].text_content().strip() == title
        served += 1
    assert served == 69


def test_no_article_body_loses_text(imported: Imported, wxr, built_all) -> None:
    out, paths = built_all
    checked = 0
    for item in items(wxr, "publish", "future", "draft"):
        if item["status"] == "draft":
            rel, _ = imported.by_title(plain(str(item["title"])))
        else:
            rel, _ = imported.by_address(old_path(str(item["link"])))
        page = lxml.html.fromstring((out / paths[rel] / "index.html").read_bytes())
        body = page.cssselect(".article__body")
        shown = re.sub(r"\s+", "", body[0].text_content()) if body else ""
        pos = 0
        for chunk in visible_chunks(str(item["content"])):
            needle = re.sub(r"\s+", "", chunk)
            found = shown.find(needle, pos)
            assert found >= 0, f"{rel}: {chunk[:80]!r} is missing or out of order"
            pos = found + len(needle)
        checked += 1
    assert checked == 72


def test_bodies_are_clean_markdown(imported: Imported) -> None:
    for rel, (_, text) in imported.articles.items():
        body = re.sub(r"(?ms)^```.*?^```", "", text)  # code blocks may show block markup as text
        assert "<!-- wp:" not in body and "<!-- /wp:" not in body, rel
        assert not SHORTCODE.search(body.replace("\\[", "")), rel
    _, body = imported.articles["classic/markup-html-tags-and-formatting.md"]
    assert "## Blockquotes" in body and "> Stay hungry." in body
    assert "| Employee | Salary |" in body
    assert "<sup>2</sup>" in body and "<del" in body
    _, body = imported.articles["classic/edge-case-nested-and-mixed-lists.md"]
    assert "\n    - " in body  # nested items indented four spaces (Python-Markdown's rule)
    _, body = imported.articles["block/blocks-formatting.md"]
    assert "```\nThe code block starts with\n<!-- wp:code -->" in body  # code kept verbatim
    _, body = imported.articles["classic/post-format-image-caption.md"]
    assert "<figcaption>Bell on wharf in San Francisco</figcaption>" in body
    _, body = imported.articles["classic/template-more-tag.md"]
    assert "\n<!--more-->\n" in body


def test_report_lists_what_could_not_be_converted(imported: Imported) -> None:
    report = imported.report
    assert "content/block/blocks-widgets.md: block 'latest-posts' has no content" in report
    assert "content/block/blocks-formatting.md: a custom HTML block is kept as HTML" in report
    assert "38 attachment item(s) not imported" in report
    assert "comment(s) not imported" in report
    assert re.search(r"\n  \d+ uploaded file\(s\) are linked at the old site \(no --uploads", report)
    _, body = imported.articles["block/blocks-widgets.md"]
    assert "<!-- WordPress block not imported: latest-posts -->" in body
    _, body = imported.articles["block/blocks-formatting.md"]
    assert '<div style="width: 45%">' in body  # kept as raw HTML, not dropped


def test_scheduled_post_waits_for_its_date(imported: Imported, built) -> None:
    rel, front = imported.by_title("Scheduled")
    assert front["publishDate"] == front["date"]
    _, state = built
    assert rel not in {a.source for a in state.site.articles}


# --- repeatable, and never over a file ---------------------------------------------------


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_export_gives_the_same_files(tmp_path: Path, capsys, wxr) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    out = [run_import(capsys, FIXTURE, "--site", site) for site in (a, b)]
    assert out[0][0] == out[1][0] == 0
    assert out[0][1] == out[1][1]  # the same report
    assert _tree(a) == _tree(b)


def test_import_never_overwrites(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    mine = site / "content" / "news" / "budget-2024-25.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own article\n")
    code, _out, err = run_import(capsys, LOCAL / "small.xml", "--site", site)
    assert code == 1
    assert "content/news/budget-2024-25.md already exist" in err and "nothing was written" in err
    assert mine.read_text() == "my own article\n"
    assert _tree(site) == {"content/news/budget-2024-25.md": hashlib.sha256(
        b"my own article\n").hexdigest()}  # nothing else written, no site.toml either
    code, _, _ = run_import(capsys, LOCAL / "small.xml", "--site", site, "--force")
    assert code == 0 and mine.read_text().startswith("---\ntitle: \"Budget 2024/25")
    before = _tree(site)
    code, _, err = run_import(capsys, LOCAL / "small.xml", "--site", site)
    assert code == 1 and "already exist" in err  # a second import stops too
    assert _tree(site) == before
    code, _, _ = run_import(capsys, LOCAL / "small.xml", "--site", site, "--force")
    assert code == 0 and _tree(site) == before  # repeatable: --force writes the same bytes


def test_authors_appended_to_existing_site_toml(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    original = ('# our settings\ntitle = "Gazette"\ntimezone = "Europe/London"\n\n'
                '[authors.jdoe]\nname = "J. Doe"  # keep this spelling\nbio = "Harbour reporter."\n')
    (site / "site.toml").write_text(original)
    code, _out, _ = run_import(capsys, LOCAL / "small.xml", "--site", site)
    assert code == 0
    text = (site / "site.toml").read_text()
    assert text.startswith(original)  # nothing the user wrote is changed or reordered
    config = load_config(site)
    assert config.authors["jdoe"].name == "J. Doe"  # an author already there is left alone
    assert config.authors["sokafor"].name == "Sam Okafor"
    assert text.count("[authors.jdoe]") == 1
    front, _ = read_article(site / "content" / "local-and-regional" / "harbour-reopens.md")
    assert front["date"] == "2024-05-06T09:30:00+01:00"  # the site's time zone (BST)
    code, _, _ = run_import(capsys, LOCAL / "small.xml", "--site", site, "--force")
    assert (site / "site.toml").read_text() == text  # no second copy of the profiles


# --- a small export: private posts, uploads, permalinks --------------------------------------


def test_private_post_skipped_with_a_line(tmp_path: Path, capsys) -> None:
    code, out, _ = run_import(capsys, LOCAL / "small.xml", "--site", tmp_path / "s")
    assert code == 0
    assert "post 11: private post 'Staff memo: holiday rota' skipped" in out
    assert not list((tmp_path / "s").rglob("staff-memo*"))
    assert "import: 4 article(s) written" in out


def _jpeg(name: str) -> bytes:
    """A real JPEG, different per name, wide enough for the news crops: the build's image
    stage decodes the uploads articles use (and warns about broken or small ones)."""
    import io
    import zlib

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 1200), (zlib.crc32(name.encode()) % 256, 90, 120)).save(buf, "JPEG")
    return buf.getvalue()


def test_uploads_copied_and_linked_relatively(tmp_path: Path, capsys) -> None:
    uploads = tmp_path / "wp-content" / "uploads"
    for name in ("harbour.jpg", "harbour-1024x683.jpg", "pier.jpg"):  # waves.jpg is missing
        (uploads / "2024" / "05").mkdir(parents=True, exist_ok=True)
        (uploads / "2024" / "05" / name).write_bytes(_jpeg(name))
    site = tmp_path / "site"
    code, out, _ = run_import(capsys, LOCAL / "small.xml", "--site", site, "--uploads", uploads)
    assert code == 0
    copied = site / "static" / "uploads" / "2024" / "05"
    assert sorted(p.name for p in copied.iterdir()) == ["harbour-1024x683.jpg", "harbour.jpg",
                                                          "pier.jpg"]
    assert "waves.jpg is not in the uploads folder" in out
    front, body = read_article(site / "content" / "local-and-regional" / "harbour-reopens.md")
    assert front["thumbnail"] == "/uploads/2024/05/harbour.jpg"
    assert 'src="../../uploads/2024/05/harbour-1024x683.jpg"' in body
    config = load_config(site, now=parse_now(NOW), search=False)
    result, state = build_keeping_state(config, jobs=1)
    assert not result.warnings, [w.format() for w in result.warnings]
    out_dir = site / "output"
    for article in state.site.articles:
        page = out_dir / article.path / "index.html"
        doc = lxml.html.fromstring(page.read_bytes())
        for img in doc.cssselect(".article__body img, figure.thumbnail img"):
            src = img.get("src")
            if src.startswith("http"):
                assert "waves.jpg" in src or "news.example.org" not in src or "youtube" in src
                continue
            target = (page.parent / src).resolve() if not src.startswith("/") else \
                out_dir / src.lstrip("/")
            assert target.is_file(), f"{article.path}: {src} does not resolve"


def test_permalink_that_matches_wordpress_keeps_url(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.toml").write_text('permalink = "/:year/:month/:day/:slug/"\n'
                                    'timezone = "Europe/London"\n')
    code, _, _ = run_import(capsys, LOCAL / "small.xml", "--site", site)
    assert code == 0
    front, _ = read_article(site / "content" / "news" / "budget-2024-25.md")
    assert front["url"] == "/2024/05/08/budget-2024-25/" and "aliases" not in front
    _result, _ = build_keeping_state(load_config(site, now=parse_now(NOW), search=False), jobs=1)
    assert (site / "output" / "2024" / "05" / "08" / "budget-2024-25" / "index.html").is_file()


def test_keep_urls_puts_posts_at_their_wordpress_address(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    assert run_import(capsys, LOCAL / "small.xml", "--site", site, "--keep-urls")[0] == 0
    front, _ = read_article(site / "content" / "world" / "storm-photos.md")
    assert front["url"] == "/2024/05/01/storm-photos/" and "aliases" not in front
    build_keeping_state(load_config(site, now=parse_now(NOW), search=False), jobs=1)
    page = site / "output" / "2024" / "05" / "01" / "storm-photos" / "index.html"
    assert lxml.html.fromstring(page.read_bytes()).cssselect("article.article h1")[0].text == \
        "Photos: the storm"
    assert not (site / "output" / "world" / "storm-photos").exists()


def test_conversion_keeps_text_that_looks_like_markup(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    assert run_import(capsys, LOCAL / "small.xml", "--site", site)[0] == 0
    build_keeping_state(load_config(site, now=parse_now(NOW), search=False), jobs=1)
    page = lxml.html.fromstring((site / "output" / "news" / "budget-2024-25" / "index.html")
                                .read_bytes())
    body = page.cssselect(".article__body")[0]
    assert body.cssselect("p")[0].text_content() == (
        "1. Not a list: the council said <b>no</b> to every cut_off_date.")
    assert [li.text_content().split("\n")[0].strip() for li in body.cssselect("ul > li")][:1] == \
        ["Rates"]
    assert body.cssselect("ul ul li")[0].text_content().strip() == "Business rates rise"
    assert body.cssselect("td")[0].text_content() == "Rates | band A"
    assert 'print("*high*")' in body.cssselect("pre")[0].text_content()
    assert body.cssselect("blockquote cite")[0].text_content() == "The treasurer"
    storm = lxml.html.fromstring((site / "output" / "world" / "storm-photos" / "index.html")
                                 .read_bytes())
    captions = [c.text_content() for c in storm.cssselect(".gallery figcaption")]
    assert captions == ["The old pier", "Waves over the sea wall"]  # WordPress's menu_order
    assert "[gallery] is how you write the shortcode itself." in storm.text_content()


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("malformed.xml", "malformed.xml:8: malformed XML at column 5: mismatched tag"),
    ("not-wxr.xml", "not-wxr.xml: not a WordPress export (WXR)"),
    ("entity-bomb.xml", "entity-bomb.xml: refused: the file declares XML entities"),
    ("external-entity.xml", "external-entity.xml: refused: the file declares XML entities"),
])
def test_bad_export_gives_a_clear_error(tmp_path: Path, capsys, name: str, expected: str) -> None:
    site = tmp_path / "site"
    code, _out, err = run_import(capsys, LOCAL / name, "--site", site)
    assert code == 1
    assert err.startswith(f"broadsheet: {expected}"), err
    assert not site.exists() or not any(site.rglob("*"))  # nothing written


def test_missing_export_and_bad_arguments(tmp_path: Path, capsys) -> None:
    code, _, err = run_import(capsys, tmp_path / "nope.xml", "--site", tmp_path / "s")
    assert code == 2 and "nope.xml: no such file" in err
    code, _, err = run_import(capsys, LOCAL / "small.xml", "--uploads", tmp_path / "none")
    assert code == 2 and "not a folder" in err
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    assert exc.value.code == 2  # a source is required: `broadsheet import wordpress ...`
