"""The writer's guarantees: atomic, skip-unchanged, manifest-based clean-up, never outside."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import BuildError, ContentError
from generator.output import MANIFEST, Writer

from .conftest import NOW, Site


def test_unchanged_files_are_not_rewritten(site: Site):
    site.article("a.md", "One")
    site.article("b.md", "Two", date="2025-02-02 10:00:00")
    site.build()
    stamps = {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}
    result = site.build()
    assert result.written == ()
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()} == stamps
    # editing one article rewrites that page and the pages that list it, not every page
    site.article("b.md", "Two", date="2025-02-02 10:00:00", body="Changed text.\n")
    result = site.build()
    assert "two/index.html" in result.written
    assert "one/index.html" not in result.written


def test_stale_files_are_removed_and_foreign_files_kept(site: Site):
    site.article("a.md", "Keep me")
    site.article("b.md", "Remove me")
    site.build()
    foreign = site.out / "remove-me" / "notes.txt"
    foreign.write_text("mine")
    (site.out / "CNAME").write_text("example.org")
    (site.root / "content/b.md").unlink()
    result = site.build()
    assert "remove-me/index.html" in result.removed
    assert not (site.out / "remove-me/index.html").exists()
    assert foreign.read_text() == "mine"
    assert (site.out / "CNAME").read_text() == "example.org"
    assert (site.out / "keep-me/index.html").exists()


def test_a_foreign_file_is_never_overwritten(site: Site):
    site.article("a.md", "Story")
    (site.out / "story").mkdir(parents=True)
    (site.out / "story/index.html").write_text("hand-made")
    with pytest.raises(BuildError, match="was not written by Broadsheet"):
        site.build()
    assert (site.out / "story/index.html").read_text() == "hand-made"


def test_changed_stale_file_is_left_alone(site: Site):
    site.article("a.md", "Gone soon")
    site.build()
    (site.out / "gone-soon/index.html").write_text("edited by hand")
    (site.root / "content/a.md").unlink()
    site.article("b.md", "Other")
    result = site.build()
    assert "gone-soon/index.html" not in result.removed
    assert (site.out / "gone-soon/index.html").read_text() == "edited by hand"


@pytest.mark.parametrize("output", [".", "content/..", ".."])
def test_refuses_site_folder_or_its_parents_as_output(site: Site, output, capsys):
    site.article("a.md", "Story")
    code = main(["build", "--site", str(site.root), "--output", str(site.root / output),
                 "--now", NOW])
    assert code == 1
    assert "refusing to use this as the output folder" in capsys.readouterr().err


def test_refuses_a_folder_holding_content(site: Site, tmp_path):
    site.article("a.md", "Story")
    other = tmp_path / "othersite"
    (other / "content").mkdir(parents=True)
    with pytest.raises(BuildError, match="holds a content/ folder"):
        site.build(output_dir=other)


def test_url_front_matter_cannot_escape_output(site: Site, tmp_path):
    site.article("a.md", "Escape", url="/../../escaped/")
    with pytest.raises(BuildError, match="may not leave the site"):
        site.build()
    assert not (tmp_path / "escaped").exists()


def test_writer_refuses_paths_outside_and_symlinks(tmp_path):
    site_dir = tmp_path / "s"
    (site_dir / "content").mkdir(parents=True)
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, out / "link")
    w = Writer(out, site_dir)
    for rel in ("../x.html", "/etc/x.html", "a/../../x.html"):
        with pytest.raises(ContentError, match="leaves the output folder"):
            w.write(rel, b"x")
    with pytest.raises(ContentError, match="symlink"):
        w.write("link/x.html", b"x")
    w.abort()
    assert list(outside.iterdir()) == []


def test_manifest_lists_what_the_build_wrote(site: Site):
    site.article("a.md", "Story")
    site.build()
    import json

    files = json.loads((site.out / MANIFEST).read_text())["files"]
    on_disk = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}
    assert set(files) == on_disk - {MANIFEST}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b.html", "", ".", "..", "~", "x y", "é", "\\", "/", "//"]),
                min_size=1, max_size=6).map("/".join))
def test_safe_relpath_takes_normal_paths_as_they_are(rel):
    """The shortcut for already-normal paths gives what the full normalisation gives."""
    from pathlib import PurePosixPath

    from generator.errors import ContentError
    from generator.output import safe_relpath

    p = PurePosixPath(rel.replace("\\", "/"))
    refused = p.is_absolute() or ".." in p.parts or not p.parts or rel.startswith("~")
    if refused:
        with pytest.raises(ContentError):
            safe_relpath(rel)
    else:
        assert safe_relpath(rel) == p.as_posix()
