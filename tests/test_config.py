"""The settings are declared once (generator/config/settings.py) and everything else follows:
validation of site.toml, docs/configuration.md, and a new setting needing only its field.

Errors are checked through `broadsheet build` on a fixture site, as a newsroom meets them."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import TABLES, Config, load_config, parse_config
from generator.config.kinds import Reader, Url, declared, parse_table, sections, setting
from generator.config.reference import COMMAND, markdown

from .conftest import NOW, REPO, Site

DOC = REPO / "docs" / "configuration.md"
COMMAND_LINE_ONLY = {"site_dir", "output_dir", "drafts", "future", "now",
                     "warnings", "templates_key"}  # the last two: load_config, for a Hugo site


def build_errors(site: Site, capsys: pytest.CaptureFixture[str], toml: str) -> list[str]:
    site.write("site.toml", toml)
    site.article("a.md")
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    return [line for line in capsys.readouterr().err.splitlines() if ": error" in line]


# --- one declaration ----------------------------------------------------------------------------


def test_every_config_field_is_a_setting_or_set_by_the_command_line():
    names = {f.name for f in dataclasses.fields(Config)}
    assert names - {d.name for d in declared(Config)} == COMMAND_LINE_ONLY


def test_reference_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        f"docs/configuration.md is out of date with generator/config/settings.py; refresh it: {COMMAND}")


def test_reference_command_prints_the_doc():
    run = subprocess.run([sys.executable, "-m", "generator.config.reference"], cwd=REPO,
                         capture_output=True, text=True, check=True)
    assert run.stdout == markdown()


def _doc_rows() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            key, allowed, default, what = (c.strip() for c in line.strip("|").split(" | "))
            rows[key.strip("`")] = (allowed, default, what)
    return rows


def test_reference_defaults_are_the_engines():
    """Each default the doc shows, read as TOML through the real parser, is Config()'s value."""
    rows, defaults = _doc_rows(), Config()
    checked = 0
    for d in declared(Config):
        if d.key not in rows:
            continue  # a table of entries: its own rows, checked below
        default = rows[d.key][1]
        head, _, leaf = d.key.rpartition(".")
        text = (f"[{head}]\n" if head else "") + f"{leaf} = {default.strip('`')}\n"
        assert parse_config(Path("site.toml"), text) == {d.name: getattr(defaults, d.name)}, d.key
        checked += 1
    assert checked >= 30
    for key in ("menu.NAME.name", "menu.NAME.url", "authors.NAME.bio", "comments.provider",
                "social.twitter"):
        assert key in rows, key
    assert rows["menu.NAME.url"][1] == "required"


def test_a_new_setting_is_one_field():
    """What another helper does to add a setting: one field, then validation and docs follow."""
    extended = dataclasses.make_dataclass("Extended", [
        ("websub_hub", str, setting("", "WebSub hub announced in the feeds", Url())),
        ("ping_max", int, setting(3, "pings per build", key="widgets.ping_max")),
    ], bases=(Config,), frozen=True)
    reader = Reader(Path("site.toml"), "")
    kw = parse_table(reader, extended, {"websub_hub": "https://hub.example/",
                                        "widgets": {"ping_max": 2, "recent_num": 4}})
    assert kw == {"websub_hub": "https://hub.example/", "ping_max": 2, "recent_num": 4}
    assert extended(**kw).websub_hub == "https://hub.example/"
    text = 'websub_hub = "ftp://hub"\n'
    with pytest.raises(Exception, match="must be an absolute http"):
        parse_table(Reader(Path("site.toml"), text), extended, tomllib.loads(text))
    with pytest.raises(Exception, match="did you mean 'websub_hub'"):
        parse_table(reader, extended, {"websub_hbu": "x"})
    rows = {r.path: r for s in sections(extended, TABLES) for r in s.rows}
    assert rows["websub_hub"].default == '`""`' and rows["websub_hub"].help.startswith("WebSub")
    assert rows["widgets.ping_max"].allowed == "a whole number of at least 1"
    [widgets] = [s for s in sections(extended, TABLES) if s.header == "[widgets]"]
    assert widgets.rows[-1].key == "ping_max"


# --- what a newsroom sees -----------------------------------------------------------------------


@pytest.mark.parametrize(("toml", "line"), [
    ('timezone = "Mars/Olympus"\n', 'site.toml:1: error [timezone]: \'Mars/Olympus\' is not an IANA '
                                    'time zone name such as "UTC" or "Europe/Berlin"'),
    ('title = "T"\nbase_url = "ftp://example.org/"\n',
     "site.toml:2: error [base_url]: 'ftp://example.org/' must be an absolute http(s) URL with a "
     'host, such as "https://example.org/"'),
    ('permalink = "/:year/"\n', "site.toml:1: error [permalink]: '/:year/' must contain :slug"),
    ('permalink = "/:section/:slug/"\n', "site.toml:1: error [permalink]: unknown token ':section'; "
                                         "allowed: :year, :month, :day, :slug, :category, :lang"),
    ('slug_source = "path"\n', 'site.toml:1: error [slug_source]: \'path\' is not allowed: use "title" '
                               'or "filename"'),
    ("paginate = 0\n", "site.toml:1: error [paginate]: 0 is not allowed: use a number of at least 1"),
    ("[widgets]\nrecent_num = -2\n", "site.toml:2: error [widgets.recent_num]: -2 is not allowed: "
                                     "use a number of at least 1"),
    ('[thumbnail]\nvisibility = ["home"]\n', "site.toml:2: error [thumbnail.visibility]: 'home' is not "
                                             'allowed: use "list" and/or "post"'),
    ('[social]\ngithub = 5\n', "site.toml:2: error [social.github]: 5 is not allowed: expected a string"),
    ('[authors.jane]\nname = "Jane"\nboi = "x"\n', "site.toml:3: error [authors.jane.boi]: unknown key "
                                                   "'authors.jane.boi' (did you mean 'bio'?); allowed: "
                                                   "name, bio, avatar, url"),
    ('sidebar = "left"\n', "site.toml:1: error [sidebar]: 'left' is not allowed: expected a table"),
])
def test_bad_values_name_the_line_key_and_what_is_allowed(site: Site, capsys, toml: str, line: str):
    assert build_errors(site, capsys, toml) == [line]


def test_a_key_in_a_table_is_found_in_that_table(site: Site, capsys):
    """`widgets` is both a table and a key of [sidebar]: the error points at the key."""
    toml = '[widgets]\nrecent_num = 3\n\n[sidebar]\nhome = "left"\nwidgets = ["recnet"]\n'
    [line] = build_errors(site, capsys, toml)
    assert line.startswith("site.toml:6: error [sidebar.widgets]: unknown widget 'recnet' "
                           "(did you mean 'recent'?)")


def test_menu_errors_point_at_the_entry(site: Site, capsys):
    entries = "".join(f'[[menu.main]]\nname = "S{n}"\nurl = "/s{n}/"\n\n' for n in range(2))
    [line] = build_errors(site, capsys, entries + '[[menu.main]]\nname = "Late"\nweight = "high"\n')
    assert line == "site.toml:9: error [menu.main]: each menu entry needs a name and a url"
    [line] = build_errors(site, capsys, entries + '[[menu.main]]\nname = "Late"\nurl = "/l/"\n'
                                                  'weight = "high"\n')
    assert line == "site.toml:12: error [menu.main.weight]: 'high' is not allowed: expected a whole number"
    [line] = build_errors(site, capsys, entries + '[[menu.main]]\nnmae = "Late"\n')
    assert line == ("site.toml:10: error [menu.main.nmae]: unknown key 'menu.main.nmae' (did you mean "
                    "'name'?); allowed: name, url, weight, identifier")


def test_broken_toml_names_its_line(site: Site, capsys):
    [line] = build_errors(site, capsys, 'title = "T"\npaginate = \n')
    assert line.startswith("site.toml:2: error: not valid TOML: ")


def test_tables_of_settings_reach_the_config(site: Site):
    site.write("site.toml", '[sidebar]\nhome = false\nwidgets = []\n[thumbnail]\nvisibility = []\n'
                            '[authors.jane]\nbio = "Covers ports."\n[[menu.footer]]\nname = "RSS"\n'
                            'url = "/rss.xml"\n[comments]\nprovider = "disqus"\nshortname = "daily"\n')
    config = load_config(site.root)
    assert (config.sidebar_home, config.sidebar_list, config.sidebar_widgets) == (None, "right", ())
    assert config.thumbnail_visibility == ()
    assert config.authors["jane"].name == "jane" and config.authors["jane"].bio == "Covers ports."
    assert [(m.name, m.url, m.weight) for m in config.menus["footer"]] == [("RSS", "/rss.xml", 0)]
    assert config.comments == {"provider": "disqus", "shortname": "daily"}
    assert Config().menus == {} and Config().menus is not Config().menus
