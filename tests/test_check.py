"""`broadsheet check`: broken links, anchors and assets in the built output; the external crawler."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.check import (
    CrawlOptions,
    check_output,
    crawl,
    css_urls,
    extract,
    srcset_urls,
)
from generator.commands.check import add_arguments, run
from generator.commands.common import parse_now
from generator.config import load_config

from .conftest import NOW, REPO, Site, local_http_server

NO_SEARCH = '[sidebar]\nwidgets = ["recent", "categories", "taglist"]\n'


def check(site: Site, *extra: str) -> int:
    """Run `broadsheet check` on a fixture site the way the CLI will."""
    p = argparse.ArgumentParser()
    add_arguments(p)
    return run(p.parse_args(["--site", str(site.root), "--now", NOW, "--no-cache", *extra]))


def report_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": broken link '" in line]


def broken_site(site: Site) -> None:
    site.write("site.toml", NO_SEARCH)
    site.article("world/a.md", "Alpha", slug="alpha", categories=["World"], toc=True, body="""\
        The summary ends here.

        <!--more-->

        Intro with [a dead link](/world/nope/) and [a good one](/world/bravo/).

        [The full report](/files/missing.pdf) (a missing picture is a build error: test_images)

        [Bad anchor](#nowhere), [good toc anchor](#section-one),
        [anchor on another page](/world/bravo/#the-details) and
        [missing anchor on another page](/world/bravo/#not-there).

        ## Section one

        Text.
        """)
    site.article("world/b.md", "Bravo", slug="bravo", categories=["World"],
                 body="Hello.\n\n## The details\n\nMore.\n")
    site.write("static/css/extra.css", "a { background: url('../img/nope.png') }\n"
                                        "b { background: url(../img/favicon.svg) }\n")


def test_report_names_file_link_and_reason_and_exits_1(site: Site, capsys: pytest.CaptureFixture[str]):
    broken_site(site)
    assert check(site) == 1
    out = capsys.readouterr().out
    lines = report_lines(out)
    page = "world/alpha/index.html"
    assert lines == sorted(lines)
    assert f"{page}: broken link '/world/nope/' (not in the output: world/nope/index.html)" in lines
    assert f"{page}: broken link '/files/missing.pdf' (not in the output: files/missing.pdf)" in lines
    assert f"{page}: broken link '#nowhere' (no element with id 'nowhere' on this page)" in lines
    assert (f"{page}: broken link '/world/bravo/#not-there' (no element with id 'not-there' in "
            "world/bravo/index.html)") in lines
    assert "css/extra.css: broken link '../img/nope.png' (not in the output: img/nope.png)" in lines
    # the good ones are not reported
    assert not [x for x in lines if "#section-one" in x or "#the-details" in x or "favicon" in x]
    assert len(lines) == 5, lines
    assert "check failed: 5 broken link(s) in 2 file(s)" in out


def test_clean_site_exits_0_with_a_summary(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", NO_SEARCH)
    site.article("world/a.md", "Alpha", slug="alpha", categories=["World"], toc=True,
                 body="Summary.\n\n<!--more-->\n\n"
                      "See [Bravo](/world/bravo/#the-details), [top](#top) and [here](#more).\n\n"
                      "## More\n\nText, [mail](mailto:x@example.org), [phone](tel:123), "
                      "[js](javascript:void(0)).\n")
    site.article("world/b.md", "Bravo", slug="bravo", categories=["World"],
                 body="## The details\n\n[Outside](https://example.com/x) is not checked.\n")
    assert check(site) == 0
    captured = capsys.readouterr()
    assert not report_lines(captured.out)
    assert "check passed:" in captured.out
    assert "1 external URLs not checked (use --external)" in captured.out


def test_sub_path_base_url(site: Site, capsys: pytest.CaptureFixture[str]):
    """Under https://example.org/news/ a root-relative body link is rebased under /news/ (so it
    works), but a full URL on the site's host outside /news/ leaves the site."""
    site.write("site.toml", 'base_url = "https://example.org/news/"\n' + NO_SEARCH)
    site.article("world/a.md", "Alpha", slug="alpha", categories=["World"],
                 body="Summary.\n\n<!--more-->\n\n"
                      "[good](/news/world/bravo/), [absolute](https://example.org/news/world/bravo/), "
                      "[relative](../bravo/), [rebased](/world/bravo/) and "
                      "[wrong](https://example.org/world/bravo/).\n")
    site.article("world/b.md", "Bravo", slug="bravo", categories=["World"])
    assert check(site) == 1
    lines = report_lines(capsys.readouterr().out)
    assert lines == ["world/alpha/index.html: broken link 'https://example.org/world/bravo/' "
                     "(outside the site: base_url's path is /news/)"]


def test_search_page_links_count_like_any_other(site: Site, capsys: pytest.CaptureFixture[str]):
    """The default sidebar has the search widget: its form action needs a page at /search/."""
    site.article("a.md", "Alpha")
    check(site)
    out = capsys.readouterr().out
    has_page = (site.out / "search" / "index.html").is_file()
    assert any("broken link '/search/'" in x for x in report_lines(out)) is not has_page


def test_no_build_checks_the_output_as_it_is(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", NO_SEARCH)
    site.article("a.md", "Alpha", slug="alpha")
    assert check(site) == 0
    (site.out / "img" / "favicon.svg").unlink()
    assert check(site, "--no-build") == 1
    assert "broken link '/img/favicon.svg'" in capsys.readouterr().out


def test_build_errors_exit_1(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", "---\ntitle: [unclosed\n---\n")
    assert check(site) == 1
    assert "a.md:2: error: malformed YAML" in capsys.readouterr().err


# --- extraction details -----------------------------------------------------------------------

def test_extract_finds_every_kind_of_url_and_id():
    html = """<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0; url=/target/">
<meta property="og:image" content="https://example.org/img/a.png">
<link rel="preconnect" href="https://fonts.example">
<link rel="stylesheet" href="/css/x.css">
<style>body { background: url("/img/bg.png") }</style>
<script>var s = '<a href="/not-a-link/">';</script>
</head><body>
<!-- <a href="/commented-out/"> -->
<img src="/a.png" srcset="/a-1x.png 1x, /a-2x.png 2x">
<form action="/search/"><button formaction="/other/">Go</button></form>
<div id="one" style="background-image: url('/img/div.png')"><a name="two">x</a></div>
<a href="/x/?q=1&amp;r=2#frag">y</a>
</body></html>"""
    items = extract(html)
    links = [v for k, v in items if k == "link"]
    ids = {v for k, v in items if k == "id"}
    assert links == ["/target/", "https://example.org/img/a.png", "/css/x.css", "/img/bg.png",
                     "/a.png", "/a-1x.png", "/a-2x.png", "/search/", "/other/", "/img/div.png",
                     "/x/?q=1&r=2#frag"]
    assert ids == {"one", "two"}


def test_memo_gives_the_same_items_as_a_plain_parse():
    pages = [
        "<p>a <a href='/x/'>x</a></p>\n<script>\nvar a = '<a href=\"/no/\">';\n</script>\n"
        "<div id=d>&amp; text &\n</div>\n<!-- a\n<a href='/c/'> -->\n<a\nhref='/split/'>s</a>\n",
        "<p>a <a href='/x/'>x</a></p>\n<style>\na { background: url(/s.png) }\n</style>\n"
        "<a href='/y/'>&amp</a>\n",
    ]
    memo: dict = {}
    for _ in range(2):
        for page in pages:
            assert extract(page, memo) == extract(page)


_PIECES = ["<a href='/x/'>", "</a>", "<p>", "</p>", "\n", "<script>", "</script>", "<style>",
           "</style>", "<!--", "-->", "<div id=d>", "<a\nhref='/y/'>", "&amp;", "&", "text",
           "<img src=/i.png srcset='/a.png 1x, /b.png 2x'>", "url(/u.png)", "<", ">", "'", '"',
           "<base href='/b/'>", "<a name=n>", "<![CDATA[", "]]>", "<?pi?>", "<!DOCTYPE html>",
           "<title>", "</title>", "<textarea>", "</textarea>", "<svg><a href='/s/'/></svg>"]


@settings(deadline=None, max_examples=300, derandomize=True)
@given(pages=st.lists(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
                      min_size=1, max_size=4))
def test_memo_never_changes_what_is_found(pages: list[str]):
    memo: dict = {}
    for page in pages + pages:
        assert extract(page, memo) == extract(page)


def test_srcset_and_css_helpers():
    assert srcset_urls(" a.jpg 480w,b.jpg  800w , c.jpg") == ["a.jpg", "b.jpg", "c.jpg"]
    assert srcset_urls("a.jpg, b.jpg 2x, data:image/png;base64,AAA= 3x") == [
        "a.jpg", "b.jpg", "data:image/png;base64,AAA="]
    assert css_urls("""@import "x.css"; a{b:url( 'y.png' )} c{d:url(z.svg#i)}""") == [
        "x.css", "y.png", "z.svg#i"]


def test_relative_urls_and_dot_segments(tmp_path: Path):
    out = tmp_path / "out"
    (out / "a" / "b").mkdir(parents=True)
    (out / "img").mkdir()
    (out / "img" / "x.png").write_bytes(b"")
    (out / "index.html").write_text('<a href="a/b/">ok</a><a href="./a/b/index.html#h">ok</a>')
    (out / "a" / "b" / "index.html").write_text(
        '<h2 id="h">H</h2><img src="../../img/x.png"><img src="../../img/y.png">'
        '<a href="/a/b/../../">up</a><a href="/a/b">dir</a><a href="#%68">encoded id</a>')
    result = check_output(out, "https://example.org/")
    assert [b.format() for b in result.broken] == [
        "a/b/index.html: broken link '../../img/y.png' (not in the output: img/y.png)"]


# --- the external crawler against a local server ----------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, str, str]]] = []

    def _answer(self, body: bool) -> None:
        type(self).requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    _Handler.requests = []
    with local_http_server(_Handler) as url:
        yield url


def test_external_links_checked_once_each_with_get_fallback(site: Site, server: str,
                                                            capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", NO_SEARCH)
    body = (f"Summary.\n\n<!--more-->\n\n"
            f"[ok]({server}/ok), [gone]({server}/gone), [head refused]({server}/no-head).\n")
    site.article("a.md", "Alpha", slug="alpha", body=body)
    site.article("b.md", "Bravo", slug="bravo", body=body + f"\n[ok again]({server}/ok#part)\n")
    assert check(site, "--external", "--external-delay", "0", "--external-timeout", "5") == 1
    out = capsys.readouterr().out
    assert report_lines(out) == [
        f"alpha/index.html: broken link '{server}/gone' (HTTP 404 Not Found)",
        f"bravo/index.html: broken link '{server}/gone' (HTTP 404 Not Found)",
    ]
    assert "3 external URLs checked" in out
    seen = [(method, path) for method, path, _ in _Handler.requests]
    assert sorted(seen) == [("GET", "/gone"), ("GET", "/no-head"), ("HEAD", "/gone"),
                            ("HEAD", "/no-head"), ("HEAD", "/ok")]
    assert all("broadsheet" in agent for _, _, agent in _Handler.requests)


def test_external_limit(server: str):
    urls = [f"{server}/ok", f"{server}/a", f"{server}/b", f"{server}/c"]
    answers, over = crawl(urls, CrawlOptions(limit=3, delay=0, timeout=5))
    assert sorted([*answers, *over]) == sorted(urls)
    assert len(answers) == 3 and len(over) == 1
    assert {path for _, path, _ in _Handler.requests} == {urlsplit(u).path for u in answers}


def test_connection_errors_are_reported(server: str):
    dead = "http://127.0.0.1:9/"  # the discard port: nothing listens there
    answers, over = crawl([dead, f"{server}/ok"], CrawlOptions(delay=0, timeout=5))
    assert answers[f"{server}/ok"] is None and not over
    assert answers[dead] is not None and answers[dead].startswith("connection error")


def test_per_host_delay_spaces_requests(server: str):
    import time

    started = time.monotonic()
    crawl([f"{server}/ok", f"{server}/a", f"{server}/b"], CrawlOptions(delay=0.2, concurrency=4))
    assert time.monotonic() - started >= 0.4  # three requests to one host, 0.2 s apart


def test_external_links_are_not_fetched_without_the_flag(site: Site, server: str):
    site.write("site.toml", NO_SEARCH)
    site.article("a.md", "Alpha", body=f"[gone]({server}/gone)\n")
    assert check(site) == 0
    assert _Handler.requests == []


# --- the repository's own sample site ---------------------------------------------------------

SAMPLE_BROKEN = (
    "engine/theme: the default sidebar's search widget (templates/widgets/search.html) has "
    "<form action=\"/search/\"> on every page with a sidebar, but the build writes no search page "
    "(output/search/index.html): 66 of the sample's 75 pages have broken link '/search/'"
)


def test_sample_site_has_no_broken_internal_link(tmp_path: Path):
    out = tmp_path / "output"
    config = load_config(REPO, output_dir=out, now=parse_now(NOW))
    from generator.build import build

    build(config, use_cache=False)
    result = check_output(out, config.base_url)
    assert [b.format() for b in result.broken] == []


# --- engine bugs the checker found ------------------------------------------------------------

def test_summary_fragment_links_work_on_list_pages(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", NO_SEARCH)
    site.article("a.md", "Alpha", slug="alpha", body="Jump to [the section](#section-one).\n\n"
                                                     "## Section one\n\nText.\n")
    assert check(site) == 0, report_lines(capsys.readouterr().out)


def test_summary_relative_links_work_on_list_pages(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", NO_SEARCH)
    site.article("world/a.md", "Alpha", slug="alpha", categories=["World"],
                 body="See [Bravo](../bravo/).\n")
    site.article("world/b.md", "Bravo", slug="bravo", categories=["World"])
    assert check(site) == 0, report_lines(capsys.readouterr().out)
