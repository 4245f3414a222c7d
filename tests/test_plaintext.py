"""The plain-text wire-article reader: each convention on small inputs, then the seed article."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import lxml.html
import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Config
from generator.errors import ContentError, Report
from generator.sources import SourceDocument
from generator.sources.plaintext import read_plaintext

from .conftest import SEEDS

SEED = SEEDS / "000_e735657bf45baaa7.txt"
HEAD = "Headline of the story\n\nThe standfirst says what happened.\n\n"
DATED = "date: 2025-02-04 10:00:00\n"


def read(tmp_path: Path, text: str, rel: str = "world/story.txt", sidecar: str | None = DATED,
         config: Config | None = None, suffix: str = ".yaml"
         ) -> tuple[SourceDocument | None, Report]:
    """Write the article (and its sidecar) under tmp_path/content and read it as the build would."""
    path = tmp_path / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    if sidecar is not None:
        path.with_suffix(suffix).write_text(sidecar, encoding="utf-8")
    report = Report()
    doc = read_plaintext(rel, text, path, config or Config(site_dir=tmp_path), report)
    return doc, report


def render(body: str) -> lxml.html.HtmlElement:
    html = markdown.markdown(body, extensions=["extra", "toc"], output_format="html")
    return lxml.html.fragment_fromstring(html, create_parent="div")


def body_of(tmp_path: Path, text: str, **kw: object) -> lxml.html.HtmlElement:
    doc, _ = read(tmp_path, text, **kw)  # type: ignore[arg-type]
    assert doc is not None
    return render(doc.body)


def texts(root: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in root.xpath(xpath)]


# --- figures -------------------------------------------------------------------------------

def test_figure_with_credit(tmp_path: Path) -> None:
    root = body_of(tmp_path, HEAD + "Image | A soldier at a checkpoint\n\nCaption: A soldier "
                                   "waits at a checkpoint (Jane Roe (file)/AP)\n")
    fig = root.xpath("//figure")
    assert len(fig) == 1 and "figure--placeholder" in fig[0].get("class")
    placeholder = fig[0].xpath(".//*[@role='img']")[0]
    assert placeholder.get("aria-label") == "A soldier at a checkpoint"
    assert texts(root, "//figcaption/span[@class='figure__caption']") == [
        "A soldier waits at a checkpoint"]
    assert texts(root, "//figcaption/span[@class='figure__credit']") == ["Jane Roe (file)/AP"]


def test_caption_without_credit(tmp_path: Path) -> None:
    root = body_of(tmp_path, HEAD + "Image | Alt\n"
                                   "Caption: A caption (with an aside) and no credit\n")
    assert texts(root, "//span[@class='figure__caption']") == [
        "A caption (with an aside) and no credit"]
    assert root.xpath("//span[@class='figure__credit']") == []


def test_image_without_caption(tmp_path: Path) -> None:
    root = body_of(tmp_path, HEAD + "Image | Only an alt text\n\nA paragraph follows.\n")
    assert root.xpath("//figure//@aria-label") == ["Only an alt text"]
    assert root.xpath("//figcaption") == []
    assert texts(root, "//p") == ["A paragraph follows."]


def test_site_image_with_the_alt_slug_is_used(tmp_path: Path) -> None:
    images = tmp_path / "static" / "images"
    images.mkdir(parents=True)
    (images / "zelenskyy-s-office-at-night.webp").write_bytes(b"x")
    (images / "zelenskyys-office-at-night.png").write_bytes(b"x")
    root = body_of(tmp_path, HEAD + "Image | Zelenskyy's office at night\nCaption: Kyiv. (AP)\n")
    img = root.xpath("//figure/img")[0]
    assert img.get("src") == "/images/zelenskyys-office-at-night.png"
    assert img.get("alt") == "Zelenskyy's office at night"
    assert root.xpath("//*[@role='img']") == []
    assert "figure--placeholder" not in root.xpath("//figure")[0].get("class")


# --- media blocks and kickers ---------------------------------------------------------------

def test_media_block_with_kicker_and_dropped_boilerplate(tmp_path: Path) -> None:
    root = body_of(tmp_path, HEAD + "Before the video.\nWATCH | Drone dangers for civilians:\n\n"
                                   "Media | The National : Kherson residents\n\n"
                                   "Caption: Officials say civilians are terrorized.\n\n"
                                   "Open Full Embed in New Tab (external link)Loading external "
                                   "pages may require more data usage.\nAfter the video.\n")
    media = root.xpath("//figure[@class='media']")
    assert len(media) == 1
    kicker = media[0].xpath("./p[@class='media__kicker']")[0]
    assert texts(kicker, "./span[@class='media__label']") == ["WATCH"]
    assert " ".join(kicker.text_content().split()) == "WATCH Drone dangers for civilians"
    assert texts(media[0], ".//*[@class='media__title']") == ["The National : Kherson residents"]
    assert texts(media[0], ".//figcaption") == ["Officials say civilians are terrorized."]
    assert texts(root, "./p") == ["Before the video.", "After the video."]
    assert "Open Full Embed" not in lxml.html.tostring(root, encoding="unicode")


def test_other_kicker_labels_and_a_kicker_without_media(tmp_path: Path) -> None:
    root = body_of(tmp_path, HEAD + "LISTEN | The morning podcast\nMedia | Episode 12\n\n"
                                   "READ MORE | Earlier coverage:\nA paragraph.\n")
    assert texts(root, "//figure[@class='media']/p/span[@class='media__label']") == ["LISTEN"]
    assert texts(root, "./p[@class='media__kicker']") == ["READ MORE Earlier coverage"]
    assert root.xpath("//figure[@class='media']/figcaption") == []


def test_external_link_markers_are_removed_everywhere(tmp_path: Path) -> None:
    text = ("A headline(external link)\nA standfirst (external link) here\n"
            "He wrote(external link) on X, citing a report(external link).\n"
            "Image | Alt(external link)\n"
            "Caption: A caption(external link) (Credit(external link))\n")
    doc, _ = read(tmp_path, text)
    assert doc is not None
    assert doc.fields.title == "A headline"
    assert doc.fields.lead == "A standfirst here"
    root = render(doc.body)
    assert texts(root, "./p") == ["He wrote on X, citing a report."]
    assert texts(root, "//span[@class='figure__credit']") == ["Credit"]
    assert "external link" not in lxml.html.tostring(root, encoding="unicode")


# --- paragraphs and subheadings -------------------------------------------------------------

def test_subheading_detection(tmp_path: Path) -> None:
    root = body_of(tmp_path, "Short headline\nShort standfirst\n\nFirst paragraph of the story.\n\n"
                             "Strong support under Biden\n\nThe war is nearing the three-year mark."
                             "\nA question?\nNot a heading because it ends with a colon:\n"
                             "Apples\nPears\nThe list above is not headings, the second one is.\n"
                             "lower-case start\nA sentence.\nTrailing short line\n")
    assert texts(root, "//h2") == ["Strong support under Biden", "Pears"]
    assert root.xpath("//h2/@id") == ["strong-support-under-biden", "pears"]
    assert "Short headline" not in texts(root, "//*")[0]
    assert texts(root, "./p")[-1] == "Trailing short line"
    assert "A question?" in texts(root, "./p")
    assert "lower-case start" in texts(root, "./p")


def test_long_unpunctuated_line_is_a_paragraph(tmp_path: Path) -> None:
    line = "This line has more than ten words in it so it is a paragraph anyway"
    root = body_of(tmp_path, HEAD + line + "\nNext paragraph.\n")
    assert root.xpath("//h2") == []
    assert texts(root, "./p")[0] == line


@pytest.mark.parametrize("text", [
    "*stars* and _underscores_ and `code` and **bold**",
    "# not a heading ## and a trailing hash #",
    "- not a list item",
    "+ not a list item either",
    "* nor this",
    "1. not an ordered list",
    "2025. A year at the start",
    "> not a quote",
    ": not a definition",
    "~~~ not a fence",
    "--- not a rule",
    "***",
    "<b>not bold</b> <!-- not a comment --> <!--more-->",
    "AT&T &amp; &copy; &#169; stay literal",
    "[not a link](http://example.com) ![not an image](x.png) [^1] [TOC]",
    "<http://example.com> {: #id .class } back\\slash \\* \\\\",
    "| a | b |",
    "{{ not a template }} {% neither %}",
    "    four leading spaces are not code",
])
def test_markdown_specials_render_literally(tmp_path: Path, text: str) -> None:
    doc, _ = read(tmp_path, HEAD + "A sentence first.\n" + text + "\n")  # last: no subheading
    assert doc is not None
    root = render(doc.body)
    assert [el.tag for el in root] == ["p", "p"]
    assert texts(root, "./p")[1] == " ".join(text.split())


def test_subheading_text_is_literal(tmp_path: Path) -> None:
    root = body_of(tmp_path, HEAD + "Q&A with the *No* 1 fan of C# today\nA paragraph.\n")
    assert texts(root, "//h2") == ["Q&A with the *No* 1 fan of C# today"]


def test_standfirst_summary_is_markdown_that_renders_literally(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, "Headline\n*Not emphasis* & <b>not bold</b>\n")
    assert doc is not None
    assert doc.fields.lead == "*Not emphasis* & <b>not bold</b>"
    assert render(doc.fields.summary or "").text_content() == doc.fields.lead


line_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headline=line_text, line=line_text, caption=line_text)
def test_any_input_reads_and_renders_literally(tmp_path: Path, headline: str, line: str,
                                               caption: str) -> None:
    """Whatever the text, the reader returns a document (or raises ContentError) and paragraphs
    and captions come out as the literal text."""
    text = f"{headline}\n\n{line}\n\nImage | alt\nCaption: {caption}\n\nA closing sentence.\n"
    path = tmp_path / "a.txt"
    path.touch()
    path.with_suffix(".yaml").write_text(DATED, encoding="utf-8")
    try:
        doc = read_plaintext("a.txt", text, path, Config(site_dir=tmp_path), Report())
    except ContentError:
        assert not headline.strip()  # only an empty headline is an error here
        return
    assert doc is not None
    root = render(doc.body)
    assert texts(root, "./p")[-1] == "A closing sentence."
    simple = all(not s.strip() or (s.strip()[0].isalnum() and "(" not in s and "|" not in s
                                   and ":" not in s and "\n" not in s and "\r" not in s
                                   and all(c.isprintable() for c in s))
                 for s in (headline, line, caption))
    if simple and line.strip() and headline.strip():
        assert doc.fields.lead == " ".join(line.split())
        assert render(doc.fields.summary or "").text_content() == doc.fields.lead
        folded = " ".join(caption.split())
        assert texts(root, "//figcaption") == ([folded] if folded else [])  # blank: no caption
        assert doc.fields.title == " ".join(headline.split())


# --- line endings, BOM, minimal files ------------------------------------------------------

def test_crlf_line_endings(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, "Headline\r\n\r\nStandfirst\r\n\r\nImage | Alt\r\nCaption: Cap (Cred)"
                            "\r\nParagraph one.\rParagraph two.\r\n")
    assert doc is not None
    assert (doc.fields.title, doc.fields.lead) == ("Headline", "Standfirst")
    assert "\r" not in doc.body
    root = render(doc.body)
    assert texts(root, "//span[@class='figure__credit']") == ["Cred"]
    assert texts(root, "./p") == ["Paragraph one.", "Paragraph two."]


def test_bom(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, "\ufeffHeadline\nStandfirst\n")
    assert doc is not None and doc.fields.title == "Headline"


def test_only_a_headline(tmp_path: Path) -> None:
    doc, report = read(tmp_path, "Just a headline\n")
    assert doc is not None
    assert doc.kind == "plaintext" and doc.fields.title == "Just a headline"
    assert doc.fields.lead is None and doc.fields.summary is None and doc.body == ""
    assert report.errors == []


def test_empty_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as err:
        read(tmp_path, "\n  \n")
    assert err.value.problem.path == "world/story.txt" and err.value.problem.field == "title"


def test_orphan_caption_is_kept_with_a_warning(tmp_path: Path) -> None:
    doc, report = read(tmp_path, HEAD + "Caption: where is the image?\n")
    assert doc is not None
    assert texts(render(doc.body), "./p") == ["Caption: where is the image?"]
    assert [w.line for w in report.warnings] == [5]


# --- metadata: sidecar, folder, modification time -------------------------------------------

def test_sidecar_fields_override_the_text(tmp_path: Path) -> None:
    sidecar = ("title: Sidecar title\nlead: Sidecar lead\nsummary: Sidecar *summary*\n"
               "date: 2025-02-04 10:00:00\ncategories: [Politics]\ntags: [ukraine, us]\n"
               "sidebar: false\nwidgets: [recent]\n")
    doc, report = read(tmp_path, HEAD + "Body.\n", sidecar=sidecar, suffix=".yml",
                       config=replace(Config(site_dir=tmp_path), timezone="Europe/Kyiv"))
    assert doc is not None and report.errors == report.warnings == []
    f = doc.fields
    assert (f.title, f.lead, f.summary) == ("Sidecar title", "Sidecar lead", "Sidecar *summary*")
    assert f.categories == ("Politics",) and f.tags == ("ukraine", "us")
    assert f.sidebar is False and f.widgets == ("recent",)
    assert f.date is not None and f.date.utcoffset() == dt.timedelta(hours=2)


def test_blank_sidecar_values_fall_back_to_the_text(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, HEAD, sidecar=DATED + 'title: ""\nlead: " "\ncategories: []\n')
    assert doc is not None
    assert doc.fields.title == "Headline of the story"
    assert doc.fields.lead == "The standfirst says what happened."
    assert doc.fields.categories == ("world",)


def test_sidecar_validation_error_names_the_sidecar_and_field(tmp_path: Path) -> None:
    doc, report = read(tmp_path, HEAD, sidecar=DATED + "tags: [a]\nsidebar: middle\n")
    assert doc is None
    [problem] = report.errors
    assert (problem.path, problem.field, problem.line) == ("world/story.yaml", "sidebar", 3)
    assert "middle" in problem.message and "left" in problem.message


@pytest.mark.parametrize("sidecar", ["title: [unclosed\n", "date: 2025-02-30\n", "- a list\n",
                                     "\xff"])
def test_broken_sidecar_is_a_content_error_naming_it(tmp_path: Path, sidecar: str) -> None:
    try:
        doc, report = read(tmp_path, HEAD, sidecar=sidecar)
    except ContentError as exc:
        assert exc.problem.path == "world/story.yaml"
    else:
        assert doc is None and report.errors[0].path == "world/story.yaml"


def test_sidecar_typo_warns(tmp_path: Path) -> None:
    doc, report = read(tmp_path, HEAD, sidecar=DATED + "tag: [a]\n")
    assert doc is not None and doc.fields.params == {"tag": ["a"]}
    assert [(w.path, w.field) for w in report.warnings] == [("world/story.yaml", "tag")]


def test_modification_time_is_the_date_with_a_warning(tmp_path: Path) -> None:
    config = replace(Config(site_dir=tmp_path), timezone="Europe/Berlin")
    path = tmp_path / "content" / "world" / "story.txt"
    path.parent.mkdir(parents=True)
    path.write_text(HEAD, encoding="utf-8")
    stamp = dt.datetime(2025, 2, 8, 4, 51, 1, tzinfo=dt.UTC)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    report = Report()
    doc = read_plaintext("world/story.txt", HEAD, path, config, report)
    assert doc is not None and doc.fields.date == stamp
    assert doc.fields.date.tzinfo == config.tz
    [warning] = report.warnings
    assert warning.path == "world/story.txt" and warning.field == "date"
    assert warning.message.startswith("no date: using the file's modification time")
    assert "add a sidecar story.yaml with a date" in warning.message


def test_folder_is_the_category(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, HEAD, rel="business/markets/story.txt")
    assert doc is not None and doc.fields.categories == ("business",)
    top, _ = read(tmp_path, HEAD, rel="story.txt")
    assert top is not None and top.fields.categories == ()


# --- the seed article --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[SourceDocument, Report]:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    site = tmp_path_factory.mktemp("site")
    report = Report()
    doc = read_plaintext("world/zelenskyy.txt", SEED.read_text(encoding="utf-8"), SEED,
                         Config(site_dir=site), report)
    assert doc is not None and report.errors == []
    return doc, report


def test_seed_fields(seed: tuple[SourceDocument, Report]) -> None:
    doc, report = seed
    assert doc.fields.title.startswith("Zelenskyy told Trump Ukraine would consider sharing")
    assert doc.fields.lead == ("Ukrainian leader says conversations with Trump began before last "
                               "fall's U.S. election")
    assert doc.fields.categories == ("world",)
    assert doc.fields.date is not None  # from the file's modification time, with a warning
    assert [w.field for w in report.warnings] == ["date"]


def test_seed_body(seed: tuple[SourceDocument, Report]) -> None:
    root = render(seed[0].body)
    figures = root.xpath("//figure[contains(@class, 'figure')]")
    assert len(figures) == 4
    credits = texts(root, "//figcaption/span[@class='figure__credit']")
    assert credits == ["Shannon Stapleton/Reuters", "Turar Kazangapov/Reuters",
                       "Roman Pilipey/AFP/Getty Images", "Roman Chop/The Associated Press"]
    for caption, credit in zip(texts(root, "//span[@class='figure__caption']"), credits,
                               strict=True):
        assert credit not in caption and not caption.endswith(")")
    media = root.xpath("//figure[@class='media']")
    assert len(media) == 1
    assert texts(media[0], "./p[@class='media__kicker']") == ["WATCH Drone dangers for civilians"]
    assert texts(root, "//h2") == ["Strong support under Biden"]
    html = lxml.html.tostring(root, encoding="unicode")
    for leftover in ("(external link)", "Image |", "Media |", "Caption:", "Open Full Embed"):
        assert leftover not in html
    assert "Ukrainian leader says" not in html  # the standfirst is the lead, not a paragraph
