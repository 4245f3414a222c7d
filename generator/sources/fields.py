"""Front-matter fields: coercion and validation into one typed, frozen `Fields` record.

Both readers (Markdown with front matter, plain-text wire copy with a sidecar) hand their raw
mapping to `coerce_fields`, so a field means the same and fails with the same message whatever
file it came from. Values here are what the *page* says; merging with site defaults happens later
(`generator.articles`), because "not set" must stay distinguishable from `false`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from ..config import LANGUAGE_TAG_RULE, SIDEBAR_VALUES, THUMBNAIL_VISIBILITY, WIDGET_NAMES, language_tag
from ..errors import ContentError
from ..pickling import fast_pickling

LineOf = Callable[[str], int | None]
LABELS = ("opinion", "analysis", "sponsored")  # the `label` values (types in seo.ARTICLE_TYPES)


@dataclass(frozen=True, slots=True)
class MenuRef:
    """The page asks to appear in menu `menu`, optionally with its own label and weight."""

    menu: str
    name: str | None = None
    weight: int | None = None


@dataclass(frozen=True, slots=True)
class Thumbnail:
    src: str
    visibility: tuple[str, ...] | None = None  # None: use the site's thumbnail.visibility
    focus: tuple[float, float] | None = None  # the crops' focal point; None: the centre


@dataclass(frozen=True, slots=True)
class Correction:
    text: str
    date: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Fields:
    """What one article's front matter (or sidecar) says. `None` means "not set"."""

    title: str
    date: dt.datetime | None = None
    lastmod: dt.datetime | None = None
    summary: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lang: str | None = None
    translations: tuple[str, ...] = ()
    translation_key: str | None = None
    menus: tuple[MenuRef, ...] = ()
    thumbnail: Thumbnail | None = None
    lead: str | None = None
    comments: bool | None = None
    authorbox: bool | None = None
    pager: bool | None = None
    toc: bool | None = None
    mathjax: bool | None = None
    sidebar: str | bool | None = None  # "left", "right", False (no sidebar) or None (not set)
    widgets: tuple[str, ...] | None = None
    draft: bool = False
    publish_date: dt.datetime | None = None
    expiry_date: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    slug: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    weight: int = 0
    dateline: str | None = None
    corrections: tuple[Correction, ...] = ()
    paywall: bool = False
    label: str | None = None  # one of LABELS: "opinion", "analysis" or "sponsored"
    liveblog: bool = False  # the body's "## 14:05 Headline" sections are updates (generator/liveblog.py)
    coverage_end: dt.datetime | None = None  # when a live blog's coverage ends
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Schedule:
    """The fields an article's visibility at each build's clock is decided from
    (`articles.is_visible`, `schedule.next_change`): all the article cache keeps of its
    front matter, as the rest is in the Article (the whole `Fields` were 1.2 KB an article)."""

    date: dt.datetime | None
    draft: bool
    publish_date: dt.datetime | None
    expiry_date: dt.datetime | None
    liveblog: bool
    coverage_end: dt.datetime | None

    @classmethod
    def of(cls, f: Fields) -> Schedule:
        return cls(f.date, f.draft, f.publish_date, f.expiry_date, f.liveblog, f.coverage_end)


fast_pickling(MenuRef, Thumbnail, Correction, Schedule)  # the article cache stores them


# Field names as written in front matter -> attribute; Hugo spellings are accepted too.
ALIASES = {
    "publishDate": "publish_date", "publishdate": "publish_date", "publish_date": "publish_date",
    "expiryDate": "expiry_date", "expirydate": "expiry_date", "expiry_date": "expiry_date",
    "translationKey": "translation_key", "translation_key": "translation_key",
    "author": "authors", "authors": "authors", "menu": "menus",
    "coverageEnd": "coverage_end", "coverageend": "coverage_end", "coverage_end": "coverage_end",
}
KNOWN = (
    "title", "date", "lastmod", "summary", "description", "categories", "tags", "lang",
    "translations", "translationKey", "menu", "thumbnail", "lead", "comments", "authorbox", "pager",
    "toc", "mathjax", "sidebar", "widgets", "draft", "publishDate", "expiryDate", "author",
    "authors", "slug", "url", "aliases", "weight", "dateline", "corrections", "paywall",
    "label", "liveblog", "coverageEnd",
)

_DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?)?$"
)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlevel = 2
_REPR.maxlist = _REPR.maxdict = 5


def show(value: Any) -> str:
    """A value quoted for a message, bounded: a hostile field never makes a huge message."""
    return _REPR.repr(value)


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "a map", type(None): "nothing"}.get(type(value), type(value).__name__)


class _Fields:
    """Coerces one raw mapping; each method raises ContentError naming file, line and field."""

    def __init__(self, path: str, raw: dict[str, Any], line_of: LineOf, tz: ZoneInfo) -> None:
        self.path = path
        self.raw = raw
        self.line_of = line_of
        self.tz = tz

    def fail(self, key: str, message: str) -> ContentError:
        return ContentError(self.path, message, self.line_of(key), key)

    def string(self, key: str, value: Any, empty_is_unset: bool = True) -> str | None:
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(key, f"{show(value)} is {_type_name(value)}; expected a string")
        value = _CONTROL.sub("", value).strip()  # e.g. "\\e" escapes in YAML strings
        return None if (empty_is_unset and not value) else value

    def string_list(self, key: str, value: Any) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            text = self.string(key, item)
            if text:
                out.append(text)
        return tuple(out)

    def language(self, key: str, value: Any) -> str | None:
        """The first of `lang`, which must be a BCP 47 tag (kept as written: with editions,
        make_article reads it in canonical case; whether the site has an edition in it is
        checked with all articles, site.check_languages)."""
        langs = self.string_list(key, value)
        if not langs:
            return None
        if language_tag(langs[0]) is None:
            raise self.fail(key, f"{show(langs[0])} is not {LANGUAGE_TAG_RULE}")
        return langs[0]

    def boolean(self, key: str, value: Any) -> bool | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise self.fail(key, f"{show(value)} is not allowed: use true or false")

    def integer(self, key: str, value: Any) -> int:
        if value is None or value == "":
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(key, f"{show(value)} is not allowed: use a whole number")
        try:
            return int(value)
        except ValueError:
            raise self.fail(key, f"{show(value)} is not allowed: use a whole number") from None

    def date(self, key: str, value: Any) -> dt.datetime | None:
        """Dates as the spec allows; no offset means the site time zone. Always aware."""
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return self.in_range(key, value, value if value.tzinfo else value.replace(tzinfo=self.tz))
        if isinstance(value, dt.date):
            return self.in_range(key, value,
                                 dt.datetime(value.year, value.month, value.day, tzinfo=self.tz))
        if not isinstance(value, str):
            raise self.fail(key, f"{show(value)} is not a date: use e.g. \"2025-02-08 04:51:01\", "
                                 "\"2025-02-08T04:51:01+01:00\" or \"2025-02-08\"")
        m = _DATE_RE.match(value.strip())
        if not m:
            raise self.fail(key, f"{show(value)} is not a date: use e.g. \"2025-02-08 04:51:01\", "
                                 "\"2025-02-08T04:51:01+01:00\" or \"2025-02-08\"")
        y, mo, d, h, mi, s, frac, off = m.groups()
        try:
            tz: dt.tzinfo = self.tz
            if off == "Z":
                tz = dt.UTC
            elif off:
                sign = 1 if off[0] == "+" else -1
                digits = off[1:].replace(":", "")
                tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
            value_dt = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0),
                                   int(s or 0), int((frac or "0").ljust(6, "0")), tzinfo=tz)
        except ValueError as exc:
            raise self.fail(key, f"{show(value)} is not a real date ({exc})") from None
        return self.in_range(key, value, value_dt)

    def in_range(self, key: str, raw: Any, value: dt.datetime) -> dt.datetime:
        """Years 2-9997 only: beyond, converting between time zones leaves Python's calendar."""
        try:
            ok = 2 <= value.astimezone(dt.UTC).year <= 9997
        except (OverflowError, ValueError):
            ok = False
        if not ok:
            raise self.fail(key, f"{show(raw)} is outside the years a site can show (2-9997)")
        return value

    def choice(self, key: str, value: str, allowed: tuple[str, ...], what: str) -> str:
        if value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.fail(key, f"unknown {what} {show(value)}{hint}; allowed: {', '.join(allowed)}")
        return value

    def sidebar(self, key: str, value: Any) -> str | bool | None:
        if value is None or value == "":
            return None
        if value is False or (isinstance(value, str) and value.lower() in ("false", "none")):
            return False
        if isinstance(value, str):
            return self.choice(key, value.strip().lower(), (*SIDEBAR_VALUES, "false"),
                               "sidebar value")
        raise self.fail(key, f"{show(value)} is not allowed: use \"left\", \"right\" or false")

    def widgets(self, key: str, value: Any) -> tuple[str, ...] | None:
        names = self.string_list(key, value)
        for name in names:
            self.choice(key, name, WIDGET_NAMES, "widget")
        return names or None

    def menus(self, key: str, value: Any) -> tuple[MenuRef, ...]:
        if value is None or value == "" or value == []:
            return ()
        if isinstance(value, dict):
            refs = []
            for menu, opts in value.items():
                if opts is None or opts == "":
                    refs.append(MenuRef(str(menu)))
                    continue
                if not isinstance(opts, dict):
                    raise self.fail(key, f"menu {menu!r}: {show(opts)} is not allowed: use a map "
                                         "with name and/or weight")
                unknown = set(opts) - {"name", "weight"}
                if unknown:
                    raise self.fail(key, f"menu {menu!r}: unknown key(s) {sorted(unknown)}; "
                                         "allowed: name, weight")
                refs.append(MenuRef(str(menu), self.string(key, opts.get("name")),
                                    self.integer(key, opts["weight"]) if "weight" in opts else None))
            return tuple(refs)
        return tuple(MenuRef(name) for name in self.string_list(key, value))

    def thumbnail(self, key: str, value: Any) -> Thumbnail | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return Thumbnail(value.strip())
        if isinstance(value, dict):
            unknown = set(value) - {"src", "visibility", "focus"}
            if unknown:
                raise self.fail(key, f"unknown key(s) {sorted(unknown)}; allowed: src, "
                                     "visibility, focus")
            src = self.string(key, value.get("src"))
            if not src:
                return None
            vis = None
            if value.get("visibility") not in (None, "", []):
                vis = self.string_list(key, value["visibility"])
                for v in vis:
                    self.choice(key, v, THUMBNAIL_VISIBILITY, "thumbnail visibility")
            focus = None
            if value.get("focus") is not None:
                f = value["focus"]
                if (not isinstance(f, list) or len(f) != 2
                        or not all(isinstance(x, int | float) and not isinstance(x, bool)
                                   and 0 <= x <= 1 for x in f)):
                    raise self.fail(key, f"focus {show(f)} is not allowed: use [x, y], each from "
                                         "0 (left, top) to 1 (right, bottom), e.g. [0.3, 0.4]")
                focus = (float(f[0]), float(f[1]))
            return Thumbnail(src, vis, focus)
        raise self.fail(key, f"{show(value)} is not allowed: use an image path or a map {{src, "
                             "visibility, focus}")

    def label(self, key: str, value: Any) -> str | None:
        text = self.string(key, value)
        return None if text is None else self.choice(key, text.lower(), LABELS, "label")

    def corrections(self, key: str, value: Any) -> tuple[Correction, ...]:
        if value is None or value == "" or value == []:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, str):
                out.append(Correction(item.strip()))
            elif isinstance(item, dict) and "text" in item:
                out.append(Correction(self.string(key, item["text"]) or "",
                                      self.date(key, item.get("date"))))
            else:
                raise self.fail(key, f"{show(item)} is not allowed: each correction is a string or "
                                     "a map with text and date")
        return tuple(out)

    def aliases(self, key: str, value: Any) -> tuple[str, ...]:
        return tuple(p for p in (self.path_value(key, v) for v in self.string_list(key, value)) if p)

    def path_value(self, key: str, value: Any) -> str | None:
        """slug/url: must stay inside the site."""
        text = self.string(key, value)
        if text is None:
            return None
        parts = text.replace("\\", "/").split("/")
        if ".." in parts or "." in parts or any(p.startswith("~") for p in parts) or "\x00" in text:
            raise self.fail(key, f"{show(text)} is not allowed: a {key} may not leave the site "
                                 "(no '..' or '.' segments)")
        if len(text) > 300 or len(parts) > 20:
            raise self.fail(key, f"{show(text)} is too long: at most 300 characters and 20 "
                                 "folders")
        if key == "slug" and "/" in text.strip("/"):
            raise self.fail(key, f"{show(text)} is not allowed: a slug is one path segment")
        return text


def coerce_fields(path: str, raw: dict[str, Any], line_of: LineOf, tz: ZoneInfo,
                  errors: list[ContentError] | None = None) -> Fields:
    """Turn raw front matter into `Fields`.

    With `errors` given, every bad field is appended and the rest still coerced (so one run
    reports all of a file's problems); without it the first bad field raises.
    """
    if not isinstance(raw, dict):
        raise ContentError(path, f"front matter must be a map of fields, not {_type_name(raw)}", 1)
    f = _Fields(path, raw, line_of, tz)
    values: dict[str, Any] = {}
    params: dict[str, Any] = {}
    converters: dict[str, Callable[[str, Any], Any]] = {
        "title": f.string, "summary": f.string, "description": f.string, "lead": f.string,
        "dateline": f.string, "translation_key": f.string,
        "date": f.date, "lastmod": f.date, "publish_date": f.date, "expiry_date": f.date,
        "coverage_end": f.date, "label": f.label, "liveblog": f.boolean,
        "categories": f.string_list, "tags": f.string_list, "translations": f.string_list,
        "authors": f.string_list, "aliases": f.aliases,
        "comments": f.boolean, "authorbox": f.boolean, "pager": f.boolean, "toc": f.boolean,
        "mathjax": f.boolean, "draft": f.boolean, "paywall": f.boolean,
        "sidebar": f.sidebar, "widgets": f.widgets, "menus": f.menus, "thumbnail": f.thumbnail,
        "weight": f.integer, "slug": f.path_value, "url": f.path_value,
        "corrections": f.corrections, "lang": f.language,
    }
    for key, value in raw.items():
        key = str(key)
        attr = ALIASES.get(key, key)
        conv = converters.get(attr)
        if conv is None:
            params[key] = value
            continue
        try:
            result = conv(key, value)
        except ContentError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        if attr == "authors" and attr in values:
            result = values[attr] + tuple(a for a in result if a not in values[attr])
        if attr in ("draft", "paywall", "liveblog") and result is None:
            result = False
        values[attr] = result
    if not values.get("title"):
        exc = ContentError(path, "the title is empty: every article needs a title",
                           line_of("title") or 1, "title")
        if errors is None:
            raise exc
        errors.append(exc)
        values["title"] = ""
    return Fields(params=params, **values)


def near_misses(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Unknown keys that look like a typo of a known field: (key, suggestion)."""
    out = []
    for key in raw:
        if str(key) in KNOWN:
            continue
        close = difflib.get_close_matches(str(key), KNOWN, n=1, cutoff=0.75)
        if close:
            out.append((str(key), close[0]))
    return out
