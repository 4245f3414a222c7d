"""An incremental build after any kind of edit writes exactly what a clean `--no-cache` build does.

Each case builds a small site (so the caches fill), makes one kind of edit, builds again with the
caches, and compares the output tree byte for byte with a `--no-cache` build of the edited site
into a fresh folder. The site has one of everything the caches key on: a Markdown article, a
dateless Markdown article (its date is its file's modification time), a plain-text wire article
with a sidecar and an `Image |` line, a dateless wire article without one, a site static file and
a site template override. The cached builds run through the forked worker pools (the pools
normally start at 200 items), and once more with the in-process memo of the cache file dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import workers
from generator.cache import forget_remembered

from .conftest import REPO, Site

FEB = 1739000000  # 2025-02-08, before the fixed build clock (conftest.NOW, 2025-03-02)
DAY = 86400


def tree(root: Path) -> dict[str, bytes]:
    """Every output file but the writer's manifest (whose hashes the files themselves check)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".broadsheet")}


def set_mtime(path: Path, seconds: int) -> None:
    os.utime(path, ns=(seconds * 10**9, seconds * 10**9))


def make_fixture(site: Site) -> None:
    site.write("site.toml", 'title = "The Equivalence Times"\nbase_url = "https://eq.example/"\n'
                            "paginate = 2\n")
    site.article("world/harbour.md", "Harbour reopens", date="2025-02-01 09:00:00",
                 tags=["ports", "weather"], body="The harbour reopened on Monday.\n\n"
                                                 "## Ships\n\nThree ships sailed.\n")
    site.article("world/earlier.md", "Storm closes harbour", date="2025-01-20 08:00:00",
                 tags=["weather"], body="A storm closed the harbour.\n")
    undated = site.write("content/world/undated.md", "---\ntitle: Tide tables\ntags: [ports]\n---\n\n"
                                                     "High tide is at noon.\n")
    set_mtime(undated, FEB)
    site.write("content/wire/strike.txt", "Dockers strike over pay\n\nThe union called the strike "
               "on Friday.\n\nImage | Dockers on strike\n\nCaption: Pickets at the gate (Wire "
               "Photo)\n\nTalks resume next week, the union said.\n")
    site.write("content/wire/strike.yaml", "date: 2025-02-05 07:30:00\ntags: [ports, labour]\n")
    bulletin = site.write("content/wire/bulletin.txt", "Ferry timetable changes\n\nFerries leave "
                                                       "an hour later from Monday.\n")
    set_mtime(bulletin, FEB - DAY)
    site.write("static/css/extra.css", ".extra { color: navy; }\n")
    byline = (REPO / "templates/partials/byline.html").read_text(encoding="utf-8")
    site.write("templates/partials/byline.html", byline + "<!-- site byline -->\n")


def _append(site: Site, rel: str, text: str) -> None:
    path = site.root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(site: Site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    before = path.read_text(encoding="utf-8")
    assert old in before, (rel, old)
    path.write_text(before.replace(old, new), encoding="utf-8")


def _touch(site: Site, rel: str, days: int) -> None:
    path = site.root / rel
    set_mtime(path, int(path.stat().st_mtime) + days * DAY)


# (id, edit, whether the output must change: a case that changes nothing proves nothing else)
EDITS: list[tuple[str, Callable[[Site], None], bool]] = [
    ("article body", lambda s: _append(s, "content/world/harbour.md", "\nA fourth ship came.\n"),
     True),
    ("front matter", lambda s: _replace(s, "content/world/harbour.md", "- weather", "- tides"),
     True),
    ("article title", lambda s: _replace(s, "content/world/earlier.md", "Storm closes",
                                         "Gale closes"), True),
    ("template", lambda s: _append(s, "templates/partials/byline.html", "<!-- edited -->\n"),
     True),
    ("site.toml", lambda s: _replace(s, "site.toml", "paginate = 2", "paginate = 3"), True),
    ("static file", lambda s: _append(s, "static/css/extra.css", ".more { color: red; }\n"),
     True),
    ("image for a wire article", lambda s: s.write("static/images/dockers-on-strike.svg",
                                                   "<svg xmlns='http://www.w3.org/2000/svg'/>"),
     True),
    ("sidecar", lambda s: _replace(s, "content/wire/strike.yaml", "labour", "unions"), True),
    ("new sidecar", lambda s: s.write("content/wire/bulletin.yaml", "date: 2025-02-06 12:00:00\n"),
     True),
    ("touch of a dateless article", lambda s: _touch(s, "content/world/undated.md", 3), True),
    ("touch of a dateless wire article", lambda s: _touch(s, "content/wire/bulletin.txt", 3),
     True),
    ("touch of a dated article", lambda s: _touch(s, "content/world/harbour.md", 3), False),
    ("deleted article", lambda s: (s.root / "content/world/earlier.md").unlink(), True),
    ("new article", lambda s: s.article("world/later.md", "Harbour busy again",
                                        date="2025-02-10 10:00:00", tags=["ports"]), True),
]


@pytest.mark.parametrize("remembered", [True, False], ids=["memo", "from disk"])
@pytest.mark.parametrize(("edit", "changes"), [(e, c) for _, e, c in EDITS],
                         ids=[name for name, _, _ in EDITS])
def test_incremental_build_equals_a_clean_build(make_site, monkeypatch: pytest.MonkeyPatch,
                                                edit: Callable[[Site], None], changes: bool,
                                                remembered: bool) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)  # tiny sites use the forked pools too
    site = make_site("site")
    make_fixture(site)
    site.build(search=True, jobs=2)
    site.build(search=True, jobs=2)  # a no-change build from the caches: nothing rewritten
    before = tree(site.out)
    edit(site)
    if not remembered:
        forget_remembered()  # read the cache file back, as a new process would
    site.build(search=True, jobs=2)
    incremental = tree(site.out)
    clean = site.root.parent / "clean"
    site.build(search=True, use_cache=False, output_dir=clean)
    assert sorted(incremental) == sorted(tree(clean))
    differing = [rel for rel, data in tree(clean).items() if incremental[rel] != data]
    assert differing == []
    assert (incremental != before) == changes


def test_the_fixture_exercises_what_the_caches_key_on(site: Site) -> None:
    """The cases above prove something only if the fixture shows each input in the output."""
    make_fixture(site)
    result = site.build(search=True)
    from_mtime = {w.path for w in result.warnings if w.field == "date"}
    assert from_mtime == {"world/undated.md", "wire/bulletin.txt"}
    assert b"site byline" in (site.out / "world/harbour-reopens/index.html").read_bytes()
    assert (site.out / "css/extra.css").is_file()
    strike = site.html("wire/dockers-strike-over-pay/")
    assert strike.cssselect("figure.figure--placeholder")  # no image yet: a placeholder
    assert "labour" in " ".join(strike.xpath("//ul[@class='tags']//text()"))
    site.write("static/images/dockers-on-strike.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.build(search=True, use_cache=False)
    img = site.html("wire/dockers-strike-over-pay/").xpath("//figure//img/@src")
    assert img == ["/images/dockers-on-strike.svg"]
