"""The build stamp (generator/cache/stamp.py): a build with nothing changed does nothing, and
anything that could change the output sends it down the full path."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import keys, stamp
from generator.commands.common import parse_now
from generator.config import load_config
from generator.errors import BuildError

from .conftest import NOW, REPO, Site
from .test_incremental import files, small_site

STAMPED = "unchanged (build stamp)"


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled (the racy window is 2 s)."""
    monkeypatch.setattr(keys, "RACY_NS", 0)


def stamped(result: object) -> bool:
    return [t[0] for t in result.timings] == [STAMPED]  # type: ignore[attr-defined]


def test_a_build_with_nothing_changed_does_nothing(site: Site, trusting):
    small_site(site)
    site.article("world/links.md", "Links", body="See [this](/nowhere/).\n")
    first = site.build(search=True)
    assert first.warnings  # the link to a page the build does not write
    before = files(site.out)
    again = site.build(search=True)
    assert stamped(again)
    assert (again.articles, again.pages, again.warnings) == (first.articles, first.pages,
                                                             first.warnings)
    assert again.written == () and again.unchanged == len(first.written) + first.unchanged
    assert files(site.out) == before
    record = site.root / ".broadsheet-cache/next-change"
    record.unlink()
    assert stamped(site.build(search=True)) and record.is_file()  # reported all the same


def _same_size_edit(site: Site) -> None:
    path = site.root / "content/world/s1.md"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Body of story 1.", "Body of tale  1."), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # size and mtime as they were
    assert path.stat().st_size == st.st_size


EDITS: dict[str, Callable[[Site], None]] = {
    "an article, same size and mtime": _same_size_edit,
    "a new article": lambda s: s.article("world/new.md", "A new story"),
    "an image beside the articles": lambda s: s.write("content/world/photo.png", b"\x89PNG"),
    "a template of the site": lambda s: s.write(
        "templates/partials/byline.html", "<p class=byline-own>{{ page.title }}</p>\n"),
    "a static file": lambda s: s.write("static/css/extra.css", "p { color: red }\n"),
    "site.toml": lambda s: s.write("site.toml", "paginate = 4\n"),
    "an article removed": lambda s: (s.root / "content/world/s3.md").unlink(),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_any_change_to_the_inputs_takes_the_full_build(make_site, trusting, edit: str):
    a, b = make_site("a"), make_site("b")
    small_site(a)
    a.build()
    assert stamped(a.build())
    EDITS[edit](a)
    result = a.build()
    assert not stamped(result)
    assert stamped(a.build())  # and the new state is stamped in turn
    shutil.copytree(a.root / "content", b.root / "content", dirs_exist_ok=True)
    for name in ("site.toml", "templates", "static"):
        if (a.root / name).is_file():
            shutil.copy(a.root / name, b.root / name)
        elif (a.root / name).is_dir():
            shutil.copytree(a.root / name, b.root / name)
    b.build(use_cache=False)
    assert files(a.out) == files(b.out)


def test_other_settings_take_the_full_build(site: Site, trusting):
    small_site(site)
    site.article("world/draft.md", "A draft", draft=True)
    site.build()
    with_drafts = site.build(drafts=True)
    assert not stamped(with_drafts) and with_drafts.articles == 13
    other_url = site.build(drafts=True, base_url="https://elsewhere.example/")
    assert not stamped(other_url)
    assert "https://elsewhere.example/" in (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert stamped(site.build(drafts=True, base_url="https://elsewhere.example/"))


def test_a_changed_or_missing_output_file_is_made_again(site: Site, trusting):
    small_site(site)
    site.build()
    page = site.out / "world/story-number-1/index.html"
    good = page.read_bytes()
    page.unlink()
    assert not stamped(site.build())
    assert page.read_bytes() == good
    (site.out / "stray.txt").write_text("someone else's file\n", encoding="utf-8")
    assert not stamped(site.build())  # the folder is not as the build left it
    assert (site.out / "stray.txt").is_file()  # and the stray file is not the build's to touch
    assert stamped(site.build())


def test_the_clock_window(site: Site, trusting):
    """The stamp holds from the last build's clock until something shown changes with time:
    an embargo lifting, an article leaving the news sitemap's window."""
    site.article("world/old.md", "Old news", date="2025-01-01 10:00:00")
    site.article("world/fresh.md", "Fresh news", date="2025-03-02 09:00:00")
    site.article("world/later.md", "Embargoed", date="2025-03-02 09:00:00",
                 publishDate="2025-03-03T06:00:00+00:00")
    site.build(now="2025-03-02T12:00:00+00:00")
    assert stamped(site.build(now="2025-03-02T18:00:00+00:00"))
    assert not stamped(site.build(now="2025-03-02T11:00:00+00:00"))  # the clock went back
    site.build(now="2025-03-02T12:00:00+00:00")
    lifted = site.build(now="2025-03-03T07:00:00+00:00")
    assert not stamped(lifted) and lifted.articles == 3
    assert "Embargoed" in (site.out / "world/embargoed/index.html").read_text(encoding="utf-8")
    news = (site.out / "news-sitemap.xml").read_text(encoding="utf-8")
    assert "world/fresh-news/" in news
    gone = site.build(now="2025-03-04T10:00:00+00:00")  # fresh.md is past the 2-day window
    assert not stamped(gone)
    assert "world/fresh-news/" not in (site.out / "news-sitemap.xml").read_text(encoding="utf-8")


def test_files_too_new_to_trust_save_no_stamp(site: Site):
    small_site(site)  # written just now: within the racy window of the build that follows
    site.build()
    assert not (site.root / ".broadsheet-cache" / stamp.FILE).exists()
    assert not stamped(site.build())


def test_no_cache_neither_reads_nor_writes_it(site: Site, trusting):
    small_site(site)
    site.build(use_cache=False)
    assert not (site.root / ".broadsheet-cache").exists()
    site.build()
    assert stamped(site.build())
    assert not stamped(site.build(use_cache=False))


def test_a_failed_build_leaves_no_stamp(site: Site, trusting):
    small_site(site)
    site.build()
    path = site.root / "content/world/s1.md"
    good = path.read_bytes()
    path.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    with pytest.raises(BuildError):
        site.build()
    assert not (site.root / ".broadsheet-cache" / stamp.FILE).exists()
    path.write_bytes(good)
    assert not stamped(site.build())


def test_every_file_a_build_reads_is_in_the_stamp(tmp_path: Path, trusting):
    """An audit hook records every file opened and folder listed during full builds (serial,
    so all in this process) of a site with plain text, images, site templates and static files,
    and of the Hugo fixture: each one is under what `stamp.inputs` walks."""
    plain = Site(tmp_path / "plain")
    small_site(plain)
    plain.write("content/wire/story.txt", "STORY HEADLINE\n\nBy A Writer\n\nText of it.\n")
    plain.write("content/wire/story.yaml", "category: wire\n")
    plain.write("templates/partials/byline.html", "<p>{{ page.title }}</p>\n")
    plain.write("static/css/extra.css", "p { color: red }\n")
    hugo = tmp_path / "hugo"
    shutil.copytree(REPO / "tests/fixtures/hugo/site", hugo)
    seen: list[str] = []
    recording = [False]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if recording[0] and event in ("open", "os.scandir", "os.listdir") and args \
                and isinstance(args[0], (str, bytes, os.PathLike)):
            seen.append(os.path.abspath(os.fsdecode(args[0])))

    sys.addaudithook(hook)  # hooks cannot be removed: this one records only inside the block
    for root in (plain.root, hugo):
        config = load_config(root, now=parse_now(NOW), search=True)
        recording[0] = True
        try:
            build(config, jobs=1)
        finally:
            recording[0] = False
        site_dir = str(config.site_dir)
        covered = [os.path.join(site_dir, d) for d in stamp.INPUT_DIRS] + [
            str(stamp.theme_dir(d)) for d in stamp.THEME_DIRS]
        ignored = [os.path.join(site_dir, keys.CACHE_DIR), str(config.output_dir.resolve())]
        files_at_root = {os.path.join(site_dir, f) for f in stamp.INPUT_FILES}
        outside = sorted({p for p in seen if p.startswith(site_dir + os.sep) or p == site_dir}
                         - files_at_root - {site_dir})
        missed = [p for p in outside if not any(p == c or p.startswith(c + os.sep)
                                                for c in covered + ignored)]
        assert missed == [], f"read by the build of {root.name} but not in its stamp"
        assert any(p.startswith(os.path.join(site_dir, "content")) for p in seen)
        seen.clear()


def test_a_symlink_loop_in_content_is_walked_once(site: Site, trusting):
    """A link to a folder above it (a loop) is a line of the walk, not a way down it; an edit
    to a linked file is still seen."""
    small_site(site)
    os.symlink("..", site.root / "content/world/loop")
    outside = site.root / "shared.md"
    outside.write_text("---\ntitle: Linked\ndate: 2025-02-02 10:00:00\n---\n\nText.\n", encoding="utf-8")
    os.symlink(outside, site.root / "content/world/linked.md")
    site.build()
    assert stamped(site.build())
    outside.write_text("---\ntitle: Linked, edited\ndate: 2025-02-02 10:00:00\n---\n\nText.\n",
                       encoding="utf-8")
    assert not stamped(site.build())
    assert "Linked, edited" in (site.out / "world/linked-edited/index.html").read_text(encoding="utf-8")
