"""Golden test: one article page of a fixed fixture site, byte for byte.

A change to the default theme or the engine that alters this page must update the golden file on
purpose: run `BROADSHEET_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from generator.build import build
from generator.commands.common import parse_now
from generator.config import load_config

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "harbour.html"
PAGE = "world/harbour-reopens-after-record-storm-repairs/index.html"


def test_article_page_matches_golden_file(tmp_path: Path):
    site = tmp_path / "golden-site"
    shutil.copytree(HERE / "fixtures" / "golden-site", site)
    build(load_config(site, now=parse_now("2025-03-01T00:00:00Z")))
    got = (site / "output" / PAGE).read_text(encoding="utf-8")
    if os.environ.get("BROADSHEET_UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                        "golden", "built"))
    assert got == want, f"article page differs from {GOLDEN.name}:\n{diff}"
