"""Golden tests: fixed fixture sites built with a fixed clock, compared byte for byte.

- One article page of tests/fixtures/golden-site against tests/golden/harbour.html.
- The whole output of tests/fixtures/golden-tree (Markdown and plain-text wire articles, a draft
  and an embargoed story left out, categories, tags, two authors, pagination, search, feeds,
  sitemaps, the theme's static files) against the tree tests/golden/site/, as Pelican's
  tests/test_pelican.py diffs whole output trees.

A change to the default theme or the engine that alters the output must update the golden files
on purpose: run `BROADSHEET_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`, which
rewrites both, and review `git diff tests/golden/` before committing it.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.commands.common import parse_now
from generator.config import load_config

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "harbour.html"
PAGE = "world/harbour-reopens-after-record-storm-repairs/index.html"

TREE = HERE / "golden" / "site"
TREE_FIXTURE = HERE / "fixtures" / "golden-tree"
TREE_NOW = "2025-02-14T12:00:00Z"  # after every story but the embargoed one; news sitemap window
UPDATE = bool(os.environ.get("BROADSHEET_UPDATE_GOLDEN"))
SHOWN_FILES = 3  # unified diffs shown for at most this many differing files
SHOWN_LINES = 80  # and at most this many diff lines of each


def test_article_page_matches_golden_file(tmp_path: Path):
    site = tmp_path / "golden-site"
    shutil.copytree(HERE / "fixtures" / "golden-site", site)
    build(load_config(site, now=parse_now("2025-03-01T00:00:00Z")))
    got = (site / "output" / PAGE).read_text(encoding="utf-8")
    if UPDATE:
        GOLDEN.write_text(got, encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                        "golden", "built"))
    assert got == want, f"article page differs from {GOLDEN.name}:\n{diff}"


# --- the whole tree -------------------------------------------------------------------------

def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by its '/'-separated path relative to it."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def tree_diff(want: dict[str, bytes], got: dict[str, bytes], want_name: str, got_name: str) -> str:
    """What differs between two trees: missing and extra files, then unified diffs of the first
    differing files (a few, each cut short, so that a theme change does not flood the terminal)."""
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    changed = sorted(p for p in set(want) & set(got) if want[p] != got[p])
    lines = [f"{len(missing)} missing, {len(extra)} extra, {len(changed)} differing file(s) "
             f"({got_name} against {want_name})"]
    lines += [f"  missing: {p}" for p in missing]
    lines += [f"  extra:   {p}" for p in extra]
    lines += [f"  differs: {p}" for p in changed]
    for path in changed[:SHOWN_FILES]:
        old = want[path].decode("utf-8", errors="replace").splitlines(True)
        new = got[path].decode("utf-8", errors="replace").splitlines(True)
        diff = list(difflib.unified_diff(old, new, f"{want_name}/{path}", f"{got_name}/{path}"))
        if not diff:  # the bytes differ where the decoded text does not (encoding, line ends)
            diff = [f"{path}: same text, other bytes ({len(want[path])} against {len(got[path])})\n"]
        elif len(diff) > SHOWN_LINES:
            diff = [*diff[:SHOWN_LINES], f"... {len(diff) - SHOWN_LINES} more diff lines\n"]
        lines.append("".join(diff).rstrip("\n"))
    if len(changed) > SHOWN_FILES:
        lines.append(f"... and {len(changed) - SHOWN_FILES} more differing file(s)")
    return "\n".join(lines)


def assert_same_tree(want: dict[str, bytes], got: dict[str, bytes], want_name: str, got_name: str,
                     advice: str = "") -> None:
    """Fail with `tree_diff` (not pytest's rendering of two dicts of bytes) when trees differ."""
    if got != want:
        pytest.fail(f"{advice}{tree_diff(want, got, want_name, got_name)}", pytrace=False)


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def build_tree(site: Path, **options: object) -> dict[str, bytes]:
    """Copy the fixture to `site` (unless it is there), build it in this process, read the output."""
    if not site.exists():
        shutil.copytree(TREE_FIXTURE, site)
    build(load_config(site, now=parse_now(TREE_NOW)), **options)  # type: ignore[arg-type]
    return read_tree(site / "output")


def test_whole_site_matches_golden_tree(tmp_path: Path):
    got = build_tree(tmp_path / "golden-tree", jobs=1)
    if UPDATE:
        write_tree(TREE, got)
    assert TREE.is_dir(), (f"no golden tree at {TREE}: make it with "
                           "BROADSHEET_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py")
    want = read_tree(TREE)
    assert_same_tree(want, got, "tests/golden/site", "built",
                     "the build differs from the golden tree; if the change is meant, rewrite it "
                     "with BROADSHEET_UPDATE_GOLDEN=1 and review `git diff tests/golden/`\n")


def test_golden_tree_fixture_covers_what_it_claims(tmp_path: Path):
    """The golden tree is worth its bytes only if the fixture exercises each kind of output."""
    files = build_tree(tmp_path / "golden-tree")
    pages = {p for p in files if p.endswith("index.html")}
    assert "world/ferry-strike-called-off-after-overnight-talks/index.html" in pages  # wire copy
    assert {"page/2/index.html", "categories/world/page/2/index.html"} <= pages  # pagination
    assert {"authors/ana-ruiz/index.html", "authors/tom-berg/index.html"} <= pages
    assert {"tags/ports/index.html", "categories/business/index.html"} <= pages
    assert "search/index.html" in pages and "search-index/meta.json" in files
    assert {"feed.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml", "robots.txt"} <= set(files)
    assert not [p for p in files if "draft" in p or "embargoed" in p or "quarterly" in p]
    assert b"<loc>" in files["news-sitemap.xml"]  # the clock puts stories in the news window
    assert len(files) < 150, "keep the golden tree small: tens of files"


def test_golden_tree_build_is_stable(tmp_path: Path):
    """Nothing of the machine leaks into the output: a build in another process, with another
    hash seed (set and dict order), time zone, locale, folder (path with a space) and `--jobs`,
    gives the same bytes as a build here; so do a rebuild from its cache and one without it."""
    here = build_tree(tmp_path / "first")
    elsewhere = tmp_path / "another place" / "site"
    shutil.copytree(TREE_FIXTURE, elsewhere)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADSHEET_")}
    env.update(PYTHONHASHSEED="4242", TZ="Pacific/Chatham", LC_ALL="C", LANG="C")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(elsewhere),
                          "--now", TREE_NOW, "--jobs", "2"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    there = read_tree(elsewhere / "output")
    assert_same_tree(here, there, "in-process", "child process")
    for name, data in there.items():
        for place in (str(elsewhere), str(tmp_path), str(Path.home())):
            assert place.encode() not in data, f"{name} holds the path {place}"
    cached = build_tree(elsewhere)  # the cache the child process wrote
    assert_same_tree(here, cached, "in-process", "rebuilt from the cache")
    uncached = build_tree(elsewhere, use_cache=False)
    assert_same_tree(here, uncached, "in-process", "rebuilt without the cache")
