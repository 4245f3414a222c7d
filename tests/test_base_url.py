"""Root-relative links written in article bodies follow a sub-path base_url, as the theme's do."""

from __future__ import annotations

from .conftest import Site

BODY = """\
See [the other story](/world/other-story/) and [already rebased](/news/world/other-story/),
[home](/), [outside](https://example.org/x/) and [relative](../other-story/).

![A map](/img/map.png)

<!--more-->

    <a href="/literal/">code stays as written</a>
"""


def _write(site: Site, base_url: str) -> None:
    site.write("site.toml", f'base_url = "{base_url}"\n')
    site.write("static/img/map.png", b"\x89PNG\r\n\x1a\n")
    site.article("world/story.md", "The story", body=BODY, categories=["world"])
    site.article("world/other.md", "Other story", categories=["world"])


def test_body_and_summary_links_are_rebased_under_the_sub_path(site: Site):
    _write(site, "https://example.com/news/")
    result = site.build()
    assert not [w for w in result.warnings if "links to" in w.message]  # every target exists
    page = site.html("world/the-story/")
    body = page.cssselect(".article__body")[0]
    hrefs = [a.get("href") for a in body.iter("a")]
    assert hrefs[:5] == ["/news/world/other-story/", "/news/world/other-story/", "/news/",
                         "https://example.org/x/", "../other-story/"]
    assert body.cssselect("img")[0].get("src") == "/news/img/map.png"
    assert 'href="/literal/"' in body.cssselect("pre code")[0].text_content()
    listing = site.html("index.html")
    summary_links = [a.get("href") for a in listing.iter("a") if a.text == "the other story"]
    assert summary_links == ["/news/world/other-story/"]


def test_a_site_at_the_root_keeps_body_links_as_written(site: Site):
    _write(site, "https://example.com/")
    site.build()
    body = site.html("world/the-story/").cssselect(".article__body")[0]
    assert [a.get("href") for a in body.iter("a")][:3] == ["/world/other-story/",
                                                          "/news/world/other-story/", "/"]
