"""A Hugo site's configuration read as Broadsheet settings.

Hugo keeps its configuration in `hugo.toml` (or `.yaml`, `.yml`, `.json`; `config.*` in older
sites) and/or a folder `config/_default/`, whose files each hold one root key (`params.toml`
is `[params]`, `menus.toml` is `[menus]`; `hugo.toml` is the root), with `config/production/`
merged over it as `hugo` does for a build. Keys are case-insensitive (`[Params]` is `params`).

`read` maps those keys onto the same site.toml shape (`MAPPED` and the handlers below) and
hands the result to the same validation as site.toml (`kinds.parse_table`), so a bad value reads
as any site.toml error does, but names the Hugo file, its line and the Hugo key. A key with no
Broadsheet counterpart is a warning naming the key, the file and the line, never silence; the
few Hugo keys that ask for what Broadsheet always does (`enableRobotsTXT = true`, widget
`cached = true`) need no warning. The rest of `[params]` becomes `[params]` (the `param`
shortcode and templates read it). `site_toml` writes the equivalent site.toml for
`broadsheet init --from-hugo`.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from ..config.kinds import Reader, parse_table, suggest, valid_base_url
from ..config.settings import POST_META, WIDGET_NAMES, Config
from ..errors import ConfigError, Problem
from ..urls import slugify

ROOT_NAMES = ("hugo", "config")
SUFFIXES = (".toml", ".yaml", ".yml", ".json")
CONFIG_FILES = tuple(f"{n}{s}" for n in ROOT_NAMES for s in SUFFIXES)
"""The root config files Hugo reads, in its order of preference (hugo.* before config.*)."""
CONFIG_DIRS = ("config/_default", "config/production")


@dataclass(frozen=True)
class Source:
    """One Hugo config file: its name as shown in messages, its text and format."""

    name: str  # relative to the site folder: "config.toml", "config/_default/params.toml"
    text: str
    format: str  # "toml", "yaml" or "json"
    prefix: tuple[str, ...] = ()  # the root key the file holds (config/_default/params.toml)


@dataclass(frozen=True)
class Leaf:
    """One value of the merged Hugo configuration and where it was written."""

    value: Any
    source: Source
    path: tuple[str, ...]  # the keys as written ("Params", "sidebar", "home")

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def line(self) -> int | None:
        return line_of(self.source, self.path)


def config_files(site_dir: Path) -> list[Path]:
    """The Hugo config files of a site, in the order they are merged (later ones win)."""
    found: list[Path] = []
    for name in CONFIG_FILES:
        if (site_dir / name).is_file():
            found.append(site_dir / name)
            break
    for folder in CONFIG_DIRS:
        d = site_dir / folder
        if d.is_dir():
            files = sorted(p for p in d.iterdir() if p.is_file() and p.suffix in SUFFIXES)
            found += sorted(files, key=lambda p: p.name.split(".")[0] not in ROOT_NAMES)
    return found


def is_hugo_site(site_dir: Path) -> bool:
    return bool(config_files(site_dir))


# --- reading -------------------------------------------------------------------------------


def _format(path: Path) -> str:
    return {".toml": "toml", ".json": "json"}.get(path.suffix, "yaml")


def _load(path: Path, site_dir: Path) -> tuple[Source, Any]:
    name = path.relative_to(site_dir).as_posix()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(name, f"not valid UTF-8 at byte offset {exc.start}: save it as UTF-8") from None
    fmt = _format(path)
    stem = path.name.split(".")[0].lower()
    parts = path.name.split(".")
    in_dir = path.parent != site_dir
    prefix: tuple[str, ...] = () if (not in_dir or stem in ROOT_NAMES) else (stem,)
    source = Source(name, text, fmt, prefix)
    if in_dir and len(parts) > 2:  # menus.en.toml: a language's own file
        return source, None
    try:
        if fmt == "toml":
            data = tomllib.loads(text)
        elif fmt == "json":
            data = json.loads(text or "{}")
        else:
            data = yaml.safe_load(text) or {}
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+)", str(exc))
        raise ConfigError(name, f"not valid TOML: {exc}", int(at.group(1)) if at else None) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(name, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(name, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                          mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise ConfigError(name, "a Hugo config file holds a table of keys", 1)
    return source, data


def _leaves(data: dict[str, Any], source: Source, path: tuple[str, ...] = ()
            ) -> Iterator[tuple[tuple[str, ...], Leaf]]:
    for key, value in data.items():
        here = (*path, str(key))
        if isinstance(value, dict) and value:
            yield from _leaves(value, source, here)
        else:
            yield tuple(k.lower() for k in (*source.prefix, *here)), Leaf(value, source, here)


def merged(site_dir: Path) -> tuple[dict[tuple[str, ...], Leaf], list[Problem]]:
    """Every value of the site's Hugo configuration, by lower-cased key path; later files win."""
    flat: dict[tuple[str, ...], Leaf] = {}
    notes: list[Problem] = []
    for path in config_files(site_dir):
        source, data = _load(path, site_dir)
        if data is None:
            notes.append(Problem(source.name, "a language's own config file is not read: "
                                 "Broadsheet has one configuration for the site", None, None))
            continue
        for key, leaf in _leaves(data, source):
            for old in [k for k in flat if k[:len(key)] == key or key[:len(k)] == k]:
                del flat[old]  # a table replaced by a value, or a value by a table
            flat[key] = leaf
    return flat, notes


# --- lines ---------------------------------------------------------------------------------


def line_of(source: Source, path: tuple[str, ...], entry: int = 0) -> int | None:
    """The line of `source` that sets `path` (keys as written), as near as it can tell."""
    if source.format == "toml":
        return Reader(Path(source.name), source.text, entry).line_of(".".join(path))
    lines = source.text.splitlines()
    if source.format == "json":
        for n, line in enumerate(lines, 1):
            if f'"{path[-1]}"' in line:
                return n
        return None
    indent, at = -1, 0  # YAML: each key deeper than the one before
    for key in path:
        for n in range(at, len(lines)):
            line = lines[n]
            stripped = line.lstrip()
            depth = len(line) - len(stripped)
            if stripped and depth <= indent and n > at:
                break
            if depth > indent and re.match(rf"['\"]?{re.escape(key)}['\"]?\s*:", stripped):
                indent, at = depth, n + 1
                break
        else:
            return at or None
    return at or None


# --- mapping onto site.toml keys -----------------------------------------------------------

MAPPED = {
    "title": "title", "baseurl": "base_url", "languagecode": "language", "locale": "language",
    "timezone": "timezone",
    "paginate": "paginate", "pagination.pagersize": "paginate", "summarylength": "summary_words",
    "relativeurls": "relative_urls", "copyright": "copyright", "rsslimit": "feed_items",
    "services.rss.limit": "feed_items", "mainsections": "main_sections",
    "params.description": "description", "params.toc": "toc", "params.pager": "pager",
    "params.authorbox": "authorbox", "params.mathjax": "mathjax", "params.logo.image": "logo",
    "params.sidebar.home": "sidebar.home", "params.sidebar.list": "sidebar.list",
    "params.sidebar.single": "sidebar.single", "params.sidebar.widgets": "sidebar.widgets",
    "params.widgets.recent_num": "widgets.recent_num",
    "params.widgets.categories_counter": "widgets.categories_counter",
    "params.widgets.tags_counter": "widgets.tags_counter",
    "params.thumbnail.visibility": "thumbnail.visibility", "params.post_meta": "post_meta",
    "params.mainsections": "main_sections",
}
"""Hugo keys (lower case, dotted) that are one Broadsheet setting each."""

WHOLE_NUMBERS = {"paginate", "summary_words", "feed_items", "widgets.recent_num"}
ALWAYS = {
    "enablerobotstxt": "robots.txt is always written",
    "markup.goldmark.renderer.unsafe": "HTML in Markdown is always kept",
    "params.opengraph": "Open Graph tags are always written",
    "params.twitter_cards": "X (Twitter) card tags are always written",
    "params.schema": "structured data is always written",
}
"""Hugo keys asking for what Broadsheet always does: a warning only when set to false."""

NOTES = {
    "theme": "Broadsheet draws pages with its own theme; a site's templates/ overrides it file "
             "by file (docs/theming.md)",
    "builddrafts": "use `broadsheet build --drafts`",
    "buildfuture": "use `broadsheet build --future`",
    "buildexpired": "expired articles are never built",
    "publishdir": "use `broadsheet build --output DIR`",
    "contentdir": "Broadsheet reads content/",
    "uglyurls": "Broadsheet writes folder URLs (page/index.html): these pages move",
    "disablepathtolower": "URLs are lower-cased, as Hugo does by default",
    "languages": "one configuration for the site; set `lang` per article in front matter",
    "markup": "Markdown is rendered by Python-Markdown; Goldmark's settings do not apply",
    "googleanalytics": "add the analytics script in a template override (templates/base.html)",
    "services.googleanalytics": "add the analytics script in a template override",
    "outputs": "Broadsheet writes HTML pages, Atom and RSS feeds and sitemaps",
    "privacy": "embeds make no request to their host unless `[hugo] embeds` names it",
    "params.readmore": "list items show \"Read more\" when the summary is shorter than the article",
    "params.dateformat": "dates are written as \"8 February 2025\"",
    "params.customcss": "put the file in static/ and link it from a template override",
    "params.customjs": "put the file in static/ and link it from a template override",
    "params.logo.title": "the header shows the site title",
    "params.logo.subtitle": "the header shows `description`",
    "params.subtitle": "the header shows `description`",
    "params.style": "restyle with your own static/css/style.css",
    "params.highlightcolor": "restyle with your own static/css/style.css",
    "params.widgets.social.custom": "custom links: use the menus",
    "params.widgets.search": "the search widget searches this site's own index",
    "taxonomies": "Broadsheet has tags, categories and authors; other taxonomies stay custom "
                  "front-matter fields",
    "permalinks.term": "term pages stay at /tags/<term>/ and /categories/<term>/",
    "permalinks.taxonomy": "taxonomy pages stay at /tags/ and /categories/",
    "permalinks.section": "section pages stay at their folder's URL",
}
"""Hugo keys Broadsheet does not support, with what to do instead (longest prefix wins)."""

MAINROAD_PARAMS = {"readmore", "dateformat", "customcss", "customjs", "googlefontslink",
                   "highlightcolor", "style", "mathjaxpath", "mathjaxconfig", "subtitle",
                   "customheadhtml", "pagersizeindex", "opengraph", "twitter_cards", "schema",
                   "post_navigation", "postsections", "logo", "sidebar", "widgets", "thumbnail",
                   "author", "copyright"}
"""[params] keys of the Mainroad theme family: each is mapped, always honoured or warned about;
any other [params] key is the site's own and becomes `[params]`."""
WIDGET_RENAMES = {"ddg-search": "search"}
TAXONOMIES = ("tags", "categories", "authors")


class _Mapping:
    """The site.toml-shaped data being built, where each key came from, and the warnings."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.origin: dict[str, Leaf] = {}
        self.warnings: list[Problem] = []

    def set(self, key: str, value: Any, leaf: Leaf) -> None:
        *tables, last = key.split(".")
        node = self.data
        for t in tables:
            node = node.setdefault(t, {})
        node[last] = value
        self.origin[key] = leaf

    def warn(self, leaf: Leaf, why: str) -> None:
        self.warnings.append(Problem(leaf.source.name, f"Hugo key '{leaf.key}' is not supported: "
                                                       f"{why}", leaf.line, leaf.key))


def _note(key: str) -> str | None:
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        note = NOTES.get(".".join(parts[:n]))
        if note:
            return note
    return None


def _whole(value: Any) -> Any:
    """Hugo reads `paginate = "10"` as 10."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _mapped(m: _Mapping, ours: str, leaf: Leaf) -> None:
    value = leaf.value
    if ours in WHOLE_NUMBERS:
        value = _whole(value)
    if ours == "base_url" and (not isinstance(value, str) or not valid_base_url(value)):
        m.warn(leaf, f"{value!r} is not an absolute http(s) URL, which feeds and sitemaps "
                     "need: pass --base-url or set base_url in site.toml")
        return
    if ours == "sidebar.widgets" and isinstance(value, list):
        kept = []
        for name in value:
            new = WIDGET_RENAMES.get(name, name)
            if new in WIDGET_NAMES:
                kept.append(new)
            else:
                m.warn(leaf, f"widget {name!r} is not one of Broadsheet's ({', '.join(WIDGET_NAMES)})"
                             f"{suggest(str(name), WIDGET_NAMES)}: left out")
        value = list(dict.fromkeys(kept))
    if ours == "post_meta" and isinstance(value, list):
        unknown = [v for v in value if v not in POST_META]
        if unknown:
            m.warn(leaf, f"post meta {', '.join(map(repr, unknown))} left out; Broadsheet shows "
                         f"{', '.join(POST_META)}")
        value = [v for v in value if v in POST_META]
    if ours == "logo" and value is False:
        return
    m.set(ours, value, leaf)


def _author(m: _Mapping, flat: dict[tuple[str, ...], Leaf]) -> None:
    """[Author] (or params.author) name, bio and avatar: the site's byline and its profile,
    which Mainroad's author box shows."""
    for base in (("author",), ("params", "author")):
        name = flat.get((*base, "name"))
        whole = flat.get(base)
        if name is None and whole is not None and isinstance(whole.value, str):
            name = whole
        if name is None or not isinstance(name.value, str) or not name.value.strip():
            continue
        slug = slugify(name.value)
        m.set("author", name.value, name)
        m.set(f"authors.{slug}.name", name.value, name)
        for field in ("bio", "avatar"):
            leaf = flat.get((*base, field))
            if leaf is not None and leaf.value:
                m.set(f"authors.{slug}.{field}", leaf.value, leaf)
        return


def _menu(m: _Mapping, name: str, leaf: Leaf) -> None:
    items = leaf.value if isinstance(leaf.value, list) else [leaf.value]
    entries = []
    for item in items:
        if not isinstance(item, dict):
            m.warn(leaf, f"a menu entry is a table with name and url, not {item!r}")
            continue
        entry: dict[str, Any] = {}
        for key, value in item.items():
            k = str(key).lower()
            if k in ("name", "url", "weight", "identifier"):
                entry[k] = value
            elif k == "pageref":
                entry.setdefault("url", "/" + str(value).strip("/").rsplit(".", 1)[0] + "/")
            else:
                m.warn(leaf, f"menu entry key '{key}' is not used (Broadsheet menus are one "
                             "level of name, url and weight)")
        entries.append(entry)
    m.set(f"menu.{name}", entries, leaf)


def map_config(flat: dict[tuple[str, ...], Leaf]) -> _Mapping:
    """Hugo's merged configuration as site.toml data, with origins and warnings."""
    m = _Mapping()
    m.data["hugo"] = {"rules": True}
    _author(m, flat)
    params: dict[str, Any] = {}
    plurals: list[tuple[str, Leaf]] = []
    for lpath, leaf in flat.items():
        key = ".".join(lpath)
        if key in MAPPED:
            _mapped(m, MAPPED[key], leaf)
        elif key in ALWAYS:
            if leaf.value is False:
                m.warn(leaf, f"{ALWAYS[key]}")
        elif lpath[0] in ("author",) or lpath[:2] == ("params", "author"):
            if lpath[-1] not in ("name", "bio", "avatar") and lpath[-1] != "author":
                m.warn(leaf, "an author profile has name, bio and avatar")
        elif key == "defaultcontentlanguage":
            if ("languagecode",) not in flat:
                m.set("language", leaf.value, leaf)
        elif key in ("disqusshortname", "services.disqus.shortname"):
            if leaf.value:
                m.set("comments.provider", "disqus", leaf)
                m.set("comments.shortname", leaf.value, leaf)
        elif lpath[0] in ("menu", "menus") and len(lpath) == 2:
            _menu(m, lpath[1], leaf)
        elif lpath[0] == "permalinks":
            if len(lpath) == 2 and lpath[1] in TAXONOMIES:
                m.warn(leaf, NOTES["permalinks.term"])
            elif len(lpath) == 2 or (len(lpath) == 3 and lpath[1] == "page"):
                m.set(f"permalinks.{leaf.path[-1]}", leaf.value, leaf)
            else:
                m.warn(leaf, _note(key) or "only page patterns by section are used")
        elif lpath[0] == "taxonomies" and len(lpath) == 2:
            plurals.append((str(leaf.value), leaf))
            if leaf.value not in TAXONOMIES:
                m.warn(leaf, f"taxonomy {leaf.value!r}: {NOTES['taxonomies']}")
        elif lpath[0] == "params" and len(lpath) > 1:
            if lpath[1] == "copyright" and ("copyright",) not in flat:
                m.set("copyright", f"© {leaf.value}", leaf)
            elif lpath[1] == "widgets" and lpath[-1] == "cached":
                continue  # widgets are rendered once per build anyway
            elif lpath[1:3] == ("widgets", "social") and len(lpath) == 4 and lpath[3] != "custom":
                if leaf.value:
                    m.set(f"social.{lpath[3]}", str(leaf.value), leaf)
            elif lpath[1] in MAINROAD_PARAMS:
                m.warn(leaf, _note(key) or "this theme setting has no Broadsheet counterpart")
            else:
                node = params
                for k in lpath[1:-1]:
                    node = node.setdefault(k, {})
                node[lpath[-1]] = leaf.value
                m.origin.setdefault("params", leaf)
        else:
            m.warn(leaf, _note(key) or "not a Hugo setting Broadsheet reads: ignored")
    if plurals:
        missing = [t for t in ("tags", "categories") if t not in {p for p, _ in plurals}]
        if missing:
            m.warn(plurals[0][1], f"Broadsheet always makes {' and '.join(missing)} pages")
    if params:
        m.data["params"] = params
    return m


class HugoReader(Reader):
    """Validation errors that name the Hugo file, the line and the Hugo key a value came from."""

    def __init__(self, mapping: _Mapping, entry: int = 0) -> None:
        super().__init__(Path("hugo"), "", entry)
        self.mapping = mapping

    def at_entry(self, entry: int) -> HugoReader:
        return HugoReader(self.mapping, entry)

    def _leaf(self, key: str) -> Leaf | None:
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            leaf = self.mapping.origin.get(".".join(parts[:n]))
            if leaf is not None:
                return leaf
        return None

    def line_of(self, key: str) -> int | None:
        leaf = self._leaf(key)
        return line_of(leaf.source, leaf.path, self.entry) if leaf else None

    def fail(self, key: str, message: str) -> ConfigError:
        leaf = self._leaf(key)
        if leaf is None:
            return ConfigError("hugo config", message, None, key)
        return ConfigError(leaf.source.name, f"{message} (Hugo key '{leaf.key}', read as "
                                             f"Broadsheet's '{key}')",
                           line_of(leaf.source, leaf.path, self.entry), leaf.key)


def read(site_dir: Path) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """Config keyword arguments from the site's Hugo configuration, and the warnings."""
    flat, notes = merged(site_dir)
    mapping = map_config(flat)
    kw = parse_table(HugoReader(mapping), Config, mapping.data)
    return kw, tuple(notes + mapping.warnings)


# --- writing site.toml ---------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _table_lines(name: str, table: dict[str, Any]) -> list[str]:
    scalars = [(k, v) for k, v in table.items() if not isinstance(v, dict)
               and not (isinstance(v, list) and v and all(isinstance(i, dict) for i in v))]
    lines = [f"[{name}]"] if name and (scalars or not table) else []
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scalars]
    for k, v in table.items():
        full = f"{name}.{_toml_key(k)}" if name else _toml_key(k)
        if isinstance(v, dict):
            lines += ["", *_table_lines(full, v)]
        elif isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
            for item in v:
                lines += ["", f"[[{full}]]", *(f"{_toml_key(a)} = {_toml_value(b)}"
                                               for a, b in item.items())]
    return lines


def site_toml(site_dir: Path) -> tuple[str, tuple[Problem, ...]]:
    """The site.toml that gives the same settings as the site's Hugo configuration (checked by
    reading it back), with the Hugo keys it leaves behind listed in a comment."""
    flat, notes = merged(site_dir)
    mapping = map_config(flat)
    parse_table(HugoReader(mapping), Config, mapping.data)  # the same errors as a build
    names = ", ".join(p.relative_to(site_dir).as_posix() for p in config_files(site_dir))
    lines = [f"# Written by `broadsheet init --from-hugo` from {names}.",
             "# [hugo] rules = true keeps Hugo's URLs, section pages, bundles and shortcodes;",
             "# every key is explained in docs/configuration.md and docs/migrating-from-hugo.md."]
    problems = tuple(notes + mapping.warnings)
    if problems:
        lines += ["#", "# Not carried over (each was a warning of the build):"]
        lines += [f"#   {p.path}: {p.field or ''}: {p.message}" for p in problems]
    lines += ["", *_table_lines("", mapping.data)]
    return "\n".join(lines).rstrip() + "\n", problems


def inputs_key(site_dir: Path) -> str:
    """A hash of what a Hugo site's articles depend on besides their own file: the shortcode
    templates (templates/shortcodes/) and which folders are sections (their _index.md), for the
    article cache key."""
    h = hashlib.blake2b(digest_size=16)
    shortcodes = site_dir / "templates" / "shortcodes"
    if shortcodes.is_dir():
        for path in sorted(shortcodes.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(shortcodes).as_posix().encode() + b"\0" + path.read_bytes())
    content = site_dir / "content"
    if content.is_dir():
        for path in sorted(content.rglob("_index.*")):
            h.update(path.relative_to(content).as_posix().encode() + b"\0")
    return h.hexdigest()
