"""Every kind of bad input fails the build with exit code 1 and a message a newsroom can act on:
the file, the line where it can be known, the field, the value and what is allowed."""

from __future__ import annotations

import re

import pytest

from generator.cli import main

from .conftest import NOW, Site

DATE = "date: 2025-02-01 10:00:00\n"


def build(site: Site, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    """`broadsheet build` on the site: (exit code, stderr)."""
    code = main(["build", "--site", str(site.root), "--now", NOW, *extra])
    return code, capsys.readouterr().err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error" in line]


def test_malformed_yaml(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", f"---\ntitle: Fine\n{DATE}tags: [energy, trade\nlead: x\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md:4: error: malformed YAML: while parsing a flow sequence, did not "
                           "find expected ',' or ']'"]
    assert "build failed: 1 error(s) in 1 file" in err


def test_invalid_utf8_names_the_byte_offset(site: Site, capsys: pytest.CaptureFixture[str]):
    data = f"---\ntitle: Fine\n{DATE}---\n".encode() + b"Caf\xe9 culture\n"
    site.write("content/a.md", data)
    code, err = build(site, capsys)
    assert code == 1
    offset = data.index(b"\xe9")
    assert errors(err) == [f"a.md:5: error: not valid UTF-8: byte 0xe9 at byte offset {offset} "
                           "(invalid continuation byte); save the file as UTF-8"]


def test_invalid_utf8_in_a_sidecar(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/wire/001.txt", "Headline\nStandfirst\nBody.\n")
    site.write("content/wire/001.yaml", b"date: 2025-02-01\nlead: \xff\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["wire/001.yaml:2: error: not valid UTF-8: byte 0xff at byte offset 23 "
                           "(invalid start byte); save the file as UTF-8"]


def test_impossible_date_quoted(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", "---\ntitle: Fine\ndate: '2025-02-30 10:00'\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md:3: error [date]: '2025-02-30 10:00' is not a real date (day is out "
                           "of range for month)"]


def test_impossible_date_unquoted(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", "---\ntitle: Fine\ndate: 2025-02-30\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md:3: error [date]: '2025-02-30' is not a real date (day is out of "
                           "range for month)"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("toc", "maybe", "'maybe' is not allowed: use true or false"),
    ("tags", "{a: 1}", "{'a': 1} is a map; expected a string"),
    ("weight", "heavy", "'heavy' is not allowed: use a whole number"),
    ("thumbnail", "[1, 2]", "[1, 2] is not allowed: use an image path or a map {src, visibility, focus}"),
])
def test_wrong_type(site: Site, capsys: pytest.CaptureFixture[str], field: str, value: str,
                    message: str):
    site.write("content/a.md", f"---\ntitle: Fine\n{DATE}{field}: {value}\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == [f"a.md:4: error [{field}]: {message}"]


def test_unknown_widget(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", f"---\ntitle: Fine\n{DATE}widgets: [search, recnt]\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md:4: error [widgets]: unknown widget 'recnt' (did you mean 'recent'?); "
                           "allowed: search, recent, categories, taglist, languages, social, sidemenu"]


def test_unknown_sidebar_value(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", f"---\ntitle: Fine\n{DATE}sidebar: middle\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md:4: error [sidebar]: unknown sidebar value 'middle'; allowed: left, "
                           "right, false"]


@pytest.mark.parametrize("title", ["''", "'   '", "null"])
def test_empty_title(site: Site, capsys: pytest.CaptureFixture[str], title: str):
    site.write("content/a.md", f"---\ntitle: {title}\n{DATE}---\nBody without a heading\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md:2: error [title]: the title is empty: every article needs a title"]


def test_two_articles_with_the_same_url_name_both_files(site: Site,
                                                         capsys: pytest.CaptureFixture[str]):
    site.write("content/world/a.md", f"---\ntitle: Same headline\n{DATE}---\nA\n")
    site.write("content/world/b.md", f"---\ntitle: Same headline\n{DATE}---\nB\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["world/a.md: error [url]: writes the same URL /world/same-headline/ as "
                           "world/b.md"]


def test_same_url_through_the_url_field(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", f"---\ntitle: A\n{DATE}url: /special/\n---\nA\n")
    site.write("content/b/c.md", f"---\ntitle: C\n{DATE}url: /Special/\n---\nC\n")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["a.md: error [url]: writes the same URL /special/ as b/c.md"]


@pytest.mark.parametrize(("a", "b"), [
    ("url: /x/index.html", "url: /x/"),
    ("aliases: [/feed.xml]", "title: B"),
])
def test_same_output_file_names_both_sources(site: Site, capsys: pytest.CaptureFixture[str],
                                             a: str, b: str):
    site.write("content/a.md", f"---\ntitle: A\n{DATE}{a}\n---\nA\n")
    site.write("content/b.md", f"---\ntitle: B\n{DATE}{b}\n---\nB\n")
    code, err = build(site, capsys)
    assert code == 1
    assert any("a.md" in line for line in errors(err)), err


@pytest.mark.parametrize(("field", "value"), [
    ("slug", "../../etc"),
    ("url", "/news/../../etc/"),
    ("url", "..\\\\..\\\\outside"),
])
def test_slug_or_url_leaving_the_site(site: Site, capsys: pytest.CaptureFixture[str], field: str,
                                      value: str):
    site.write("content/a.md", f"---\ntitle: A\n{DATE}{field}: '{value}'\n---\nA\n")
    code, err = build(site, capsys)
    assert code == 1
    shown = value.replace("\\\\", "\\\\\\\\") if "\\" in value else value
    assert errors(err) == [f"a.md:4: error [{field}]: '{shown}' is not allowed: a {field} may not "
                           "leave the site (no '..' or '.' segments)"]
    assert not (site.root / "etc").exists() and not (site.root.parent / "etc").exists()


def test_site_toml_unknown_key_suggests_the_closest(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", 'language = "en"\ntitel = "The Daily"\n')
    site.article("a.md")
    code, err = build(site, capsys)
    assert code == 1
    line = errors(err)[0]
    assert line.startswith("site.toml:2: error [titel]: unknown key 'titel' (did you mean 'title'?); "
                           "allowed: title, base_url,")


def test_site_toml_unknown_key_in_a_table(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", '[sidebar]\nhome = "left"\nwidget = ["search"]\n')
    site.article("a.md")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == ["site.toml:3: error [sidebar.widget]: unknown key 'sidebar.widget' (did you "
                           "mean 'widgets'?); allowed: home, list, single, widgets"]


@pytest.mark.parametrize(("toml", "line"), [
    ('paginate = "ten"\n', "site.toml:1: error [paginate]: 'ten' is not allowed: expected a whole "
                           "number"),
    ("toc = 1\n", "site.toml:1: error [toc]: 1 is not allowed: expected true or false"),
    ('[sidebar]\nhome = "middle"\n', "site.toml:2: error [sidebar.home]: 'middle' is not allowed: "
                                     'use "left", "right" or false'),
    ('[sidebar]\nwidgets = ["serch"]\n', "site.toml:2: error [sidebar.widgets]: unknown widget "
                                         "'serch' (did you mean 'search'?); allowed: search, recent, "
                                         "categories, taglist, languages, social, sidemenu"),
])
def test_site_toml_wrong_type_or_value(site: Site, capsys: pytest.CaptureFixture[str], toml: str,
                                       line: str):
    site.write("site.toml", toml)
    site.article("a.md")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == [line]


def test_site_toml_invalid_utf8(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", b'title = "Caf\xe9"\n')
    site.article("a.md")
    code, err = build(site, capsys)
    assert code == 1
    assert "site.toml:1: error: not valid UTF-8: byte 0xe9 at byte offset 12" in err


def test_site_toml_base_url_that_is_not_a_url(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("site.toml", 'base_url = "http://[::1"\n')
    site.article("a.md")
    code, err = build(site, capsys)
    assert code == 1
    assert "site.toml:1: error [base_url]" in err


def test_error_messages_quote_values_briefly(site: Site, capsys: pytest.CaptureFixture[str]):
    levels = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 5))
    site.write("content/a.md", f"---\ntitle: A\n{DATE}{levels}tags: [*a4]\n---\nBody\n")
    code, err = build(site, capsys)
    assert code == 1
    # the first field whose value is too large is named: the alias a4 (line 8) or tags (line 9)
    assert re.search(r"a\.md:(8|9): error \[(a4|tags)\]", err), err
    assert len(err) < 2000, f"{len(err)} characters"


def test_three_broken_files_are_all_reported_sorted(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/c.md", f"---\ntitle: ''\n{DATE}---\n")
    site.write("content/a.md", "---\ntitle: [unclosed\n---\n")
    site.write("content/b.md", b"\xff\xfe not UTF-8")
    site.article("ok.md", "A good one")
    code, err = build(site, capsys)
    assert code == 1
    assert errors(err) == [
        "a.md:2: error: malformed YAML: while parsing a flow sequence, did not find expected ',' "
        "or ']'",
        "b.md:1: error: not valid UTF-8: byte 0xff at byte offset 0 (invalid start byte); save the "
        "file as UTF-8",
        "c.md:2: error [title]: the title is empty: every article needs a title",
    ]
    assert "build failed: 3 error(s) in 3 files" in err
    assert not (site.out / "a-good-one").exists()  # nothing is written when the build fails


@pytest.mark.parametrize("cached", [False, True], ids=["first build", "with a cache"])
def test_an_unreadable_source_is_reported(site: Site, capsys: pytest.CaptureFixture[str],
                                          cached: bool):
    """Keyed in the workers on a first build, in the parent when there is a cache to match."""
    for i in range(3):
        site.article(f"ok{i}.md", f"Good {i}")
    if cached:
        assert build(site, capsys)[0] == 0
    (site.root / "content" / "gone.md").symlink_to(site.root / "nowhere.md")
    code, err = build(site, capsys, "--jobs", "2")
    assert code == 1
    assert errors(err) == ["gone.md: error: cannot read the file: No such file or directory"]


def test_a_failed_build_keeps_the_previous_output(site: Site, capsys: pytest.CaptureFixture[str]):
    site.article("a.md", "First", slug="first")
    assert build(site, capsys)[0] == 0
    before = (site.out / "first" / "index.html").read_bytes()
    site.write("content/b.md", "---\ntitle: [broken\n---\n")
    site.article("a.md", "First, changed", slug="first")
    assert build(site, capsys)[0] == 1
    assert (site.out / "first" / "index.html").read_bytes() == before


# --- references to files that do not exist ---------------------------------------------------

def test_missing_thumbnail_is_reported(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", f"---\ntitle: A\n{DATE}thumbnail: img/nope.png\n---\nBody\n")
    code, err = build(site, capsys, "--strict")
    assert code == 1
    assert any("a.md" in line and "thumbnail" in line and "img/nope.png" in line
               for line in err.splitlines()), err


def test_missing_linked_local_file_is_reported(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("content/a.md", f"---\ntitle: A\n{DATE}---\nSee [the report](/files/report.pdf).\n")
    code, err = build(site, capsys, "--strict")
    assert code == 1
    assert any("a.md" in line and "/files/report.pdf" in line for line in err.splitlines()), err


def _png() -> bytes:
    """A real PNG, wide enough for the news crops: static images that articles use go
    through the image stage, which warns about one too small for Top Stories."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 1200), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_thumbnail_in_the_site_static_folder_is_fine(site: Site, capsys: pytest.CaptureFixture[str]):
    site.write("static/img/there.png", _png())
    site.write("content/a.md", f"---\ntitle: A\n{DATE}thumbnail: img/there.png\n---\nBody\n")
    code, _ = build(site, capsys, "--strict")
    assert code == 0
