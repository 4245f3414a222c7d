"""Site configuration: defaults, `site.toml`, command-line overrides, validation.

Key names follow the Mainroad/Hugo params a newsroom migrating from Hugo already knows. Every key
has a working default, so a site folder with only `content/` builds. Unknown keys are errors with
a "did you mean" suggestion; wrong types name the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

SIDEBAR_VALUES = ("left", "right")
WIDGET_NAMES = ("search", "recent", "categories", "taglist", "languages", "social", "sidemenu")
THUMBNAIL_VISIBILITY = ("list", "post")


@dataclass(frozen=True)
class MenuItem:
    name: str
    url: str
    weight: int = 0
    identifier: str = ""


@dataclass(frozen=True)
class AuthorProfile:
    slug: str
    name: str
    bio: str = ""
    avatar: str = ""
    url: str = ""


@dataclass(frozen=True)
class Config:
    """Every setting of one build, resolved and validated; templates see it as `site.config`."""

    site_dir: Path = Path(".")
    output_dir: Path = Path("output")
    title: str = "Broadsheet"
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    paginate: int = 10
    summary_words: int = 70
    permalink: str = "/:category/:slug/"
    slug_source: str = "title"
    slug_unicode: bool = False
    relative_urls: bool = False
    description: str = ""
    copyright: str = ""
    author: str = ""
    logo: str = ""
    feed_items: int = 20
    related_num: int = 4
    search: bool = True  # the search index (search-index/) and /search/ page
    toc: bool = False
    pager: bool = True
    authorbox: bool = False
    mathjax: bool = False
    sidebar_home: str | None = "right"
    sidebar_list: str | None = "right"
    sidebar_single: str | None = "right"
    sidebar_widgets: tuple[str, ...] = ("search", "recent", "categories", "taglist")
    recent_num: int = 5
    categories_counter: bool = True
    tags_counter: bool = True
    taglist_max: int = 50
    thumbnail_visibility: tuple[str, ...] = ("list", "post")
    menus: dict[str, tuple[MenuItem, ...]] = field(default_factory=dict)
    authors: dict[str, AuthorProfile] = field(default_factory=dict)
    comments: dict[str, Any] = field(default_factory=dict)
    social: dict[str, str] = field(default_factory=dict)
    drafts: bool = False
    future: bool = False
    now: datetime | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always with leading and trailing slash ("/" or "/news/")."""
        rest = self.base_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path if path.endswith("/") else path + "/"

    @property
    def site_root(self) -> str:
        """Scheme and host of base_url ("https://example.org"), for absolute URLs."""
        scheme, rest = self.base_url.split("://", 1)
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def comments_provider(self) -> str:
        return str(self.comments.get("provider", "") or "")

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path such as "world/some-slug/"."""
        return self.site_root + self.base_path + path.lstrip("/")


# site.toml top-level keys -> (type check, config attribute); tables are handled separately.
_SCALARS: dict[str, type | tuple[type, ...]] = {
    "title": str, "base_url": str, "language": str, "timezone": str, "paginate": int,
    "summary_words": int, "permalink": str, "slug_source": str, "slug_unicode": bool,
    "relative_urls": bool, "description": str, "copyright": str, "author": str, "logo": str,
    "feed_items": int, "related_num": int, "search": bool, "toc": bool, "pager": bool, "authorbox": bool,
    "mathjax": bool,
}
_TABLES = ("sidebar", "widgets", "thumbnail", "menu", "authors", "comments", "social")
_SIDEBAR_KEYS = ("home", "list", "single", "widgets")
_WIDGET_KEYS = ("recent_num", "categories_counter", "tags_counter", "taglist_max")
_PERMALINK_TOKENS = (":year", ":month", ":day", ":slug", ":category", ":lang")


def _suggest(key: str, allowed: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Reader:
    """Checks one site.toml table by table, raising a ConfigError that names the key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, key: str) -> int | None:
        for n, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if stripped.startswith((f"{key} ", f"{key}=", f"[{key}", f"[[{key}")):
                return n
        return None

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.path, message, self.line_of(key.split(".")[-1]), key)

    def check(self, key: str, value: Any, kind: type | tuple[type, ...]) -> Any:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(key, f"{value!r} is not allowed: expected {_toml_type(names)}")
        return value

    def unknown(self, table: str, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                full = f"{table}.{key}" if table else key
                raise self.fail(full, f"unknown key '{full}'{_suggest(key, allowed)}; "
                                      f"allowed: {', '.join(allowed)}")


def _toml_type(name: str) -> str:
    return name.replace("str", "a string").replace("int", "a whole number").replace(
        "bool", "true or false").replace("list", "a list").replace("dict", "a table")


def valid_base_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query
    except ValueError:
        return False


def _sidebar_value(reader: _Reader, key: str, value: Any) -> str | None:
    if value is False:
        return None
    if value in SIDEBAR_VALUES:
        return str(value)
    raise reader.fail(key, f"{value!r} is not allowed: use \"left\", \"right\" or false")


def _widget_list(reader: _Reader, key: str, value: Any) -> tuple[str, ...]:
    reader.check(key, value, list)
    for name in value:
        if name not in WIDGET_NAMES:
            raise reader.fail(key, f"unknown widget {name!r}{_suggest(str(name), WIDGET_NAMES)}; "
                                   f"allowed: {', '.join(WIDGET_NAMES)}")
    return tuple(value)


def _menus(reader: _Reader, data: Any) -> dict[str, tuple[MenuItem, ...]]:
    reader.check("menu", data, dict)
    menus: dict[str, tuple[MenuItem, ...]] = {}
    for name, items in data.items():
        reader.check(f"menu.{name}", items, list)
        entries = []
        for item in items:
            reader.check(f"menu.{name}", item, dict)
            reader.unknown(f"menu.{name}", item, ("name", "url", "weight", "identifier"))
            if "name" not in item or "url" not in item:
                raise reader.fail(f"menu.{name}", "each menu entry needs a name and a url")
            entries.append(MenuItem(
                name=reader.check(f"menu.{name}.name", item["name"], str),
                url=reader.check(f"menu.{name}.url", item["url"], str),
                weight=reader.check(f"menu.{name}.weight", item.get("weight", 0), int),
                identifier=str(item.get("identifier", "")),
            ))
        menus[name] = tuple(entries)
    return menus


def _authors(reader: _Reader, data: Any) -> dict[str, AuthorProfile]:
    reader.check("authors", data, dict)
    out = {}
    for slug, prof in data.items():
        reader.check(f"authors.{slug}", prof, dict)
        reader.unknown(f"authors.{slug}", prof, ("name", "bio", "avatar", "url"))
        values = {k: reader.check(f"authors.{slug}.{k}", v, str) for k, v in prof.items()}
        out[slug] = AuthorProfile(slug=slug, name=values.get("name", slug), bio=values.get("bio", ""),
                                  avatar=values.get("avatar", ""), url=values.get("url", ""))
    return out


def parse_config(path: Path, text: str) -> dict[str, Any]:
    """Validate site.toml text and return Config keyword arguments."""
    reader = _Reader(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"not valid TOML: {exc}") from None
    reader.unknown("", data, tuple(_SCALARS) + _TABLES)
    kw: dict[str, Any] = {}
    for key, kind in _SCALARS.items():
        if key in data:
            kw[key] = reader.check(key, data[key], kind)
    if "sidebar" in data:
        sb = reader.check("sidebar", data["sidebar"], dict)
        reader.unknown("sidebar", sb, _SIDEBAR_KEYS)
        for kind in ("home", "list", "single"):
            if kind in sb:
                kw[f"sidebar_{kind}"] = _sidebar_value(reader, f"sidebar.{kind}", sb[kind])
        if "widgets" in sb:
            kw["sidebar_widgets"] = _widget_list(reader, "sidebar.widgets", sb["widgets"])
    if "widgets" in data:
        wd = reader.check("widgets", data["widgets"], dict)
        reader.unknown("widgets", wd, _WIDGET_KEYS)
        for key in _WIDGET_KEYS:
            if key in wd:
                kind = bool if key.endswith("counter") else int
                kw[key] = reader.check(f"widgets.{key}", wd[key], kind)
    if "thumbnail" in data:
        th = reader.check("thumbnail", data["thumbnail"], dict)
        reader.unknown("thumbnail", th, ("visibility",))
        vis = reader.check("thumbnail.visibility", th.get("visibility", []), list)
        for v in vis:
            if v not in THUMBNAIL_VISIBILITY:
                raise reader.fail("thumbnail.visibility",
                                  f"{v!r} is not allowed: use \"list\" and/or \"post\"")
        kw["thumbnail_visibility"] = tuple(vis)
    if "menu" in data:
        kw["menus"] = _menus(reader, data["menu"])
    if "authors" in data:
        kw["authors"] = _authors(reader, data["authors"])
    if "comments" in data:
        kw["comments"] = dict(reader.check("comments", data["comments"], dict))
    if "social" in data:
        social = reader.check("social", data["social"], dict)
        kw["social"] = {k: reader.check(f"social.{k}", v, str) for k, v in social.items()}
    _check_values(reader, kw)
    return kw


def _check_values(reader: _Reader, kw: dict[str, Any]) -> None:
    if "timezone" in kw:
        try:
            ZoneInfo(kw["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise reader.fail("timezone", f"{kw['timezone']!r} is not an IANA time zone name "
                                          "such as \"UTC\" or \"Europe/Berlin\"") from None
    if "base_url" in kw and not valid_base_url(kw["base_url"]):
        raise reader.fail("base_url", f"{kw['base_url']!r} must be an absolute http(s) URL with a "
                                      "host, such as \"https://example.org/\"")
    for key in ("paginate", "summary_words", "feed_items", "recent_num", "taglist_max"):
        if key in kw and kw[key] < 1:
            raise reader.fail(key, f"{kw[key]!r} is not allowed: use a number of at least 1")
    if kw.get("slug_source", "title") not in ("title", "filename"):
        raise reader.fail("slug_source", f"{kw['slug_source']!r} is not allowed: use \"title\" "
                                         "or \"filename\"")
    if "permalink" in kw:
        pattern = kw["permalink"]
        if ":slug" not in pattern:
            raise reader.fail("permalink", f"{pattern!r} must contain :slug")
        for part in pattern.strip("/").split("/"):
            if part.startswith(":") and part not in _PERMALINK_TOKENS:
                raise reader.fail("permalink", f"unknown token {part!r}; allowed: "
                                               f"{', '.join(_PERMALINK_TOKENS)}")


def load_config(site_dir: Path, **overrides: Any) -> Config:
    """Read `<site_dir>/site.toml` (optional) and apply command-line overrides (None = unset)."""
    site_dir = site_dir.resolve()
    path = site_dir / "site.toml"
    kw: dict[str, Any] = {}
    if path.is_file():
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ConfigError("site.toml", f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte "
                                           f"offset {exc.start}; save the file as UTF-8", line) from None
        kw = parse_config(Path("site.toml"), text)
    kw["site_dir"] = site_dir
    kw["output_dir"] = site_dir / "output"
    for key, value in overrides.items():
        if value is not None:
            kw[key] = value
    if "base_url" in overrides and overrides["base_url"] is not None:
        url = overrides["base_url"]
        if not valid_base_url(url):
            raise ConfigError("--base-url", f"{url!r} must be an absolute http(s) URL with a host")
    kw["output_dir"] = Path(kw["output_dir"]).resolve()
    if not kw.get("copyright"):
        kw["copyright"] = "© " + kw.get("title", Config.title)
    return replace(Config(), **kw)
