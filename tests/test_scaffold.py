"""`broadsheet new` and `broadsheet init` (generator/commands/new.py and init.py, over
scaffold.py), driven through their own argparse set-up exactly as the CLI wires them, then checked
by reading and building the result."""

from __future__ import annotations

import argparse
import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build
from generator.commands import init as init_command
from generator.commands import new as new_command
from generator.config import Config, load_config, parse_config
from generator.config.kinds import Entries, Profiles, Table, declared
from generator.errors import Report
from generator.sources import read_document
from generator.urls import slugify

from .conftest import NOW, SEEDS, SHARED, Site

SPEC_CONFIG = SHARED / "spec" / "config.md"
SEED_004 = SEEDS / "004_69496f99dc1fb1d6.txt"
SEED_ORDER = ("title", "date", "summary", "categories", "lang", "translations", "tags", "menu",
              "thumbnail", "lead", "comments", "authorbox", "pager", "toc", "mathjax", "sidebar",
              "widgets")
KEY_LINE = re.compile(r"^# (?=\[|[A-Za-z_][\w-]* = )")


@pytest.fixture(autouse=True)
def _real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """`new` honours $BROADSHEET_NOW like the build does; these tests want the real clock."""
    monkeypatch.delenv("BROADSHEET_NOW", raising=False)


def new(*argv: str) -> int:
    p = argparse.ArgumentParser(prog="broadsheet new")
    new_command.add_arguments(p)
    return new_command.run(p.parse_args(list(argv)))


def init(*argv: str) -> int:
    p = argparse.ArgumentParser(prog="broadsheet init")
    init_command.add_arguments(p)
    return init_command.run(p.parse_args(list(argv)))


def front_matter(path: Path) -> tuple[list[str], dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    block = text.split("---\n", 2)[1]
    data = yaml.safe_load(block)
    return list(data), data


def build_site(root: Path, **overrides: Any):
    from generator.commands.common import parse_now

    return build(load_config(root, now=parse_now(overrides.pop("now", NOW)), **overrides))


# --- broadsheet new ----------------------------------------------------------------------------


def test_new_writes_the_full_field_set_in_the_seed_order(site: Site, capsys):
    site.write("site.toml", 'timezone = "Europe/Berlin"\nlanguage = "fr"\n')
    assert new("Harbour reopens", "--site", str(site.root), "--category", "World News",
               "--tags", "ports, energy,,ports", "--now", "2025-03-02T12:00:00Z") == 0
    path = site.root / "content/world-news/harbour-reopens.md"
    assert "content/world-news/harbour-reopens.md" in capsys.readouterr().out
    keys, data = front_matter(path)
    assert keys == [*SEED_ORDER, "draft"]
    assert data["title"] == "Harbour reopens"
    assert data["date"] == "2025-03-02 13:00:00"  # the build clock in the site time zone
    assert data["categories"] == ["World News"]
    assert data["tags"] == ["ports", "energy"]
    assert data["lang"] == ["fr"]
    assert data["draft"] is True
    for key in ("summary", "menu", "thumbnail", "lead", "comments", "authorbox", "pager", "toc",
                "mathjax", "sidebar"):
        assert data[key] == "", key  # "not set": the site value applies
    assert data["translations"] == [] and data["widgets"] == []


@pytest.mark.skipif(not SEED_004.is_file(), reason="the shared seeds are not on this machine")
def test_new_field_order_matches_the_seed_file(site: Site):
    seed_keys, _ = front_matter(SEED_004)
    assert new("Any headline", "--site", str(site.root)) == 0
    keys, _ = front_matter(site.root / "content/any-headline.md")
    assert keys[: len(seed_keys)] == seed_keys
    assert keys[len(seed_keys):] == ["draft"]


def test_new_article_reads_as_not_set_and_follows_the_site(site: Site):
    site.write("site.toml", 'toc = true\npager = false\n[sidebar]\nsingle = "left"\n'
                            'widgets = ["recent", "social"]\n')
    assert new("Site decides", "--site", str(site.root), "--category", "Politics",
               "--now", "2025-03-01T08:00:00Z") == 0
    config = load_config(site.root)
    report = Report()
    doc = read_document(site.root / "content", "politics/site-decides.md", config, report)
    assert doc is not None and not report.errors and not report.warnings
    f = doc.fields
    assert (f.sidebar, f.widgets, f.toc, f.pager, f.comments, f.authorbox, f.mathjax) == (
        None, None, None, None, None, None, None)
    assert (f.menus, f.thumbnail, f.lead, f.summary, f.translations) == ((), None, None, None, ())
    assert f.categories == ("Politics",) and f.lang == "en" and f.draft is True
    assert f.date == datetime(2025, 3, 1, 8, tzinfo=UTC)

    build_site(site.root)  # a draft: not on the site yet
    assert not (site.out / "politics/site-decides").exists()
    build_site(site.root, drafts=True)
    page = site.html("politics/site-decides/")
    assert page.cssselect("aside.sidebar.sidebar--left")
    assert [s.get("class") for s in page.cssselect("section.widget")] == [
        "widget widget--recent", "widget widget--social"]
    assert not page.cssselect("nav.pager")


def test_new_publish_flag_and_top_level_without_category(site: Site):
    assert new("Front page note", "--site", str(site.root), "--publish", "--now", NOW) == 0
    path = site.root / "content/front-page-note.md"
    _, data = front_matter(path)
    assert data["draft"] is False and data["categories"] == []
    build_site(site.root)
    assert (site.out / "front-page-note/index.html").is_file()


def test_new_refuses_to_overwrite(site: Site, capsys):
    assert new("Only once", "--site", str(site.root), "--category", "World") == 0
    path = site.root / "content/world/only-once.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe editor's text.\n", encoding="utf-8")
    before = path.read_bytes()
    capsys.readouterr()
    assert new("Only once", "--site", str(site.root), "--category", "World") == 1
    err = capsys.readouterr().err
    assert "content/world/only-once.md already exists" in err
    assert path.read_bytes() == before


def test_new_headline_with_quotes_colons_and_unicode_round_trips(site: Site):
    title = "Zelensky says he’s open to Trump’s rare earth request: ‘Let’s do a deal’ #1 \"now\""
    assert new(title, "--site", str(site.root), "--category", "thehill", "--now", NOW) == 0
    path = site.root / "content/thehill" / f"{slugify(title)}.md"
    _, data = front_matter(path)
    assert data["title"] == title
    build_site(site.root, drafts=True)
    doc = site.html(f"thehill/{slugify(title)}/")
    assert doc.cssselect("h1")[0].text_content() == title


def test_new_honours_broadsheet_now(site: Site, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BROADSHEET_NOW", "2025-02-08T04:51:01Z")
    assert new("Fixed clock", "--site", str(site.root)) == 0
    assert front_matter(site.root / "content/fixed-clock.md")[1]["date"] == "2025-02-08 04:51:01"


def test_new_uses_the_current_time_in_the_site_timezone(site: Site):
    site.write("site.toml", 'timezone = "Asia/Kolkata"\n')
    assert new("Right now", "--site", str(site.root)) == 0
    _, data = front_matter(site.root / "content/right-now.md")
    written = datetime.strptime(data["date"], "%Y-%m-%d %H:%M:%S")
    local_now = datetime.now(UTC).astimezone(load_config(site.root).tz).replace(tzinfo=None)
    assert abs(local_now - written) < timedelta(minutes=1)


def test_new_without_content_folder_or_headline(tmp_path: Path, capsys):
    assert new("Lost", "--site", str(tmp_path)) == 1
    assert "no content/ folder" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
    (tmp_path / "content").mkdir()
    assert new("   ", "--site", str(tmp_path)) == 2
    assert "headline is empty" in capsys.readouterr().err


def test_new_reports_a_broken_site_toml(site: Site, capsys):
    site.write("site.toml", "titel = 'x'\n")
    assert new("Anything", "--site", str(site.root)) == 1
    err = capsys.readouterr().err
    assert "site.toml" in err and "titel" in err and "did you mean 'title'" in err


# --- broadsheet init ---------------------------------------------------------------------------


def test_init_creates_a_site_that_builds_at_once(tmp_path: Path, capsys):
    root = tmp_path / "paper"
    assert init(str(root)) == 0
    assert "site.toml" in capsys.readouterr().out
    assert (root / "site.toml").is_file()
    articles = list((root / "content").rglob("*.md"))
    assert len(articles) == 1
    result = build(load_config(root))  # the real clock: the example is dated at init time
    assert result.articles == 1
    assert (root / "output/index.html").is_file()
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert "Welcome to your new site" in home


def test_init_example_uses_the_full_field_set(tmp_path: Path):
    assert init(str(tmp_path / "s")) == 0
    [article] = (tmp_path / "s/content").rglob("*.md")
    keys, data = front_matter(article)
    assert keys == [*SEED_ORDER, "draft"]
    assert data["draft"] is False


def test_init_then_new_then_build(tmp_path: Path):
    root = tmp_path / "paper"
    assert init(str(root)) == 0
    assert new("Council passes budget", "--site", str(root), "--category", "Politics",
               "--publish") == 0
    result = build(load_config(root))
    assert result.articles == 2
    assert (root / "output/politics/council-passes-budget/index.html").is_file()


def test_init_site_toml_is_all_commented_out(tmp_path: Path):
    assert init(str(tmp_path / "s")) == 0
    text = (tmp_path / "s/site.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}
    assert parse_config(Path("site.toml"), text) == {}
    for line in text.splitlines():
        assert not line.strip() or line.startswith("#"), line


def _uncommented(tmp_path: Path) -> str:
    assert init(str(tmp_path / "s")) == 0
    text = (tmp_path / "s/site.toml").read_text(encoding="utf-8")
    return "\n".join(KEY_LINE.sub("", line) for line in text.splitlines()) + "\n"


def _key_paths(data: dict[str, Any], prefix: str = "") -> set[str]:
    paths = set()
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            paths |= _key_paths(value, f"{path}.")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                paths |= _key_paths(item, f"{path}.")
        else:
            paths.add(path)
    return paths


def test_init_site_toml_uncommented_is_valid_and_builds(tmp_path: Path):
    text = _uncommented(tmp_path)
    kw = parse_config(Path("site.toml"), text)
    (tmp_path / "s/site.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "s")
    assert config.menus["main"][0].name == "World"
    assert config.authors["jane-doe"].bio
    assert kw["sidebar_widgets"] == Config().sidebar_widgets
    result = build(config)
    assert result.articles == 1


def test_init_site_toml_shows_the_builtin_defaults(tmp_path: Path):
    kw = parse_config(Path("site.toml"), _uncommented(tmp_path))
    defaults = Config()
    examples = {"menus", "authors", "sections", "comments", "social",
                "permalinks", "languages", "terms"}  # example entries, not defaults
    for key, value in kw.items():
        if key not in examples:
            assert value == getattr(defaults, key), key


@pytest.mark.skipif(not SPEC_CONFIG.is_file(), reason="the shared spec is not on this machine")
def test_init_site_toml_has_every_key_of_the_spec(tmp_path: Path):
    spec = SPEC_CONFIG.read_text(encoding="utf-8")
    block = spec.split("```toml\n", 1)[1].split("```", 1)[0]
    spec_keys = _key_paths(tomllib.loads(block))
    ours = _key_paths(tomllib.loads(_uncommented(tmp_path)))
    assert spec_keys - ours == set()


def _engine_keys() -> set[str]:
    """Every key path parse_config reads, from the declarations (a table of entries under the
    sample name init uses, an open table by the keys it documents; a table inside an entry,
    as a language's menus, likewise)."""
    def of(key: str, kind: Any) -> set[str]:
        if isinstance(kind, (Entries, Profiles)):
            return set().union(*(of(f"{key}.{kind.sample}.{e.key}", e.setting.kind)
                                 for e in declared(kind.entry)))
        if isinstance(kind, Table):
            return {f"{key}.{k.name}" for k in kind.keys}
        return {key}

    return set().union(*(of(d.key, d.setting.kind) for d in declared(Config)))


def test_init_site_toml_has_every_key_the_engine_accepts(tmp_path: Path):
    ours = _key_paths(tomllib.loads(_uncommented(tmp_path)))
    accepted = _engine_keys()
    assert len(accepted) > 40 and {"title", "sidebar.widgets", "menu.main.url"} <= accepted
    assert accepted - ours == set()


def test_init_key_lines_each_have_an_explanation(tmp_path: Path):
    assert init(str(tmp_path / "s")) == 0
    for line in (tmp_path / "s/site.toml").read_text(encoding="utf-8").splitlines():
        if KEY_LINE.match(line):
            _setting, _, note = line[2:].partition(" # ")
            assert note.strip(), line


def test_init_refuses_a_non_empty_folder(tmp_path: Path, capsys):
    root = tmp_path / "existing"
    root.mkdir()
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    assert init(str(root)) == 1
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]


def test_init_refuses_a_file_and_accepts_an_empty_folder(tmp_path: Path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert init(str(tmp_path / "file")) == 1
    assert "is a file" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert init(str(tmp_path / "empty")) == 0
    assert (tmp_path / "empty/site.toml").is_file()
