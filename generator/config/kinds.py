"""How a site setting is declared, checked and described: the vocabulary of `settings.py`.

A setting is a dataclass field made by `setting()`. The field gives `Config` its attribute, type
hint and default; the field's metadata, a `Setting`, gives `site.toml` its key, a `Kind` (the
check that turns a TOML value into the attribute's value, and the phrase that says what is
allowed) and one line of help. `parse_table` (validation), `sections` (the `broadsheet init`
template and docs/configuration.md) walk `declared(cls)`, so no other list of keys exists.

A `setting()` without a default is a required field. Type checkers read the field's annotation as
usual, but see every `setting()` field as having a default (only `dataclasses.field` is known to
them); only the entry records (menu entries, author profiles) have such fields, and only the
site.toml reader builds them.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, overload
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError

MISSING: Any = dataclasses.MISSING  # no default: a required field


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # no sample given
METADATA_KEY = "broadsheet.setting"
_T = TypeVar("_T")


# --- reading one site.toml ---------------------------------------------------------------------

_HEADER = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_KEY_LINE = re.compile(r"\s*([\w\-.\"' ]+?)\s*=")


def _dotted(text: str) -> str:
    """A TOML key as written (`"a" . b`) in the dotted form the reader uses (`a.b`)."""
    return ".".join(part.strip().strip("\"'") for part in text.split("."))


def suggest(word: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
               dict: "a table"}


class Reader:
    """One site.toml being checked: makes the ConfigError that names the file, line and key.

    `entry` is which `[[array]]` block of a table the keys being read belong to (0 = the first),
    so an error in the third menu entry points at the third entry's line.
    """

    def __init__(self, path: Path, text: str, entry: int = 0) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.entry = entry

    def at_entry(self, entry: int) -> Reader:
        reader = copy.copy(self)
        reader.entry = entry
        return reader

    def line_of(self, key: str) -> int | None:
        """The line that sets `key` (dotted, "sidebar.home"), else the line of its table."""
        table, seen = "", {}  # seen: how many times each [[header]] has opened so far
        for n, line in enumerate(self.lines, 1):
            header = _HEADER.match(line)
            if header:
                table = _dotted(header.group(1))
                seen[table] = seen.get(table, -1) + 1
                if (table == key and seen[table] == self.entry) or table.startswith(key + "."):
                    return n
                continue
            found = _KEY_LINE.match(line)
            if found:
                name = _dotted(found.group(1))
                full = f"{table}.{name}" if table else name
                if full == key and seen.get(table, 0) == self.entry:
                    return n
        parent = key.rpartition(".")[0]
        return self.line_of(parent) if parent else None

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.path, message, self.line_of(key), key)

    def expect(self, key: str, value: Any, kind: type) -> Any:
        """`value` itself if it is of TOML type `kind` (a bool is not a whole number)."""
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"{value!r} is not allowed: expected {_TYPE_NAMES[kind]}")
        return value

    def unknown(self, table: str, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                full = f"{table}.{key}" if table else key
                raise self.fail(full, f"unknown key '{full}'{suggest(key, allowed)}; "
                                      f"allowed: {', '.join(allowed)}")


# --- kinds of value ----------------------------------------------------------------------------


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: Any) -> str:
    """A value as site.toml writes it: `"text"`, `10`, `true`, `["a", "b"]`, `{ a = 1 }`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table: a nested table inside a [table.NAME] entry
        items = [f"{k if _BARE_KEY.fullmatch(k) else toml_value(k)} = {toml_value(v)}"
                 for k, v in value.items()]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def _quoted(values: Iterable[str], last: str = "or") -> str:
    items = [f'"{v}"' for v in values]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


class Kind:
    """How one setting's site.toml value is checked (`parse`) and described (`allowed`)."""

    @property
    def allowed(self) -> str:
        """What the value may be, as the docs' type column and some errors say it."""
        return "a value"

    @property
    def hint(self) -> str:
        """The allowed values in a few words, for a comment beside the key ("" when the value
        shown already says it)."""
        return ""

    def parse(self, reader: Reader, key: str, value: Any) -> Any:
        raise NotImplementedError

    def shown(self, value: Any) -> Any:
        """The attribute's value as site.toml would write it (None has no TOML form)."""
        return list(value) if isinstance(value, tuple) else value

    def section(self, key: str, setting: Setting) -> Section | None:
        """A kind that is a whole table of entries documents itself as its own section."""
        return None


@dataclass(frozen=True)
class Text(Kind):
    """A string; subclasses add a rule (`problem` returns what is wrong, or None)."""

    @property
    def allowed(self) -> str:
        return "a string"

    def problem(self, value: str) -> str | None:
        return None

    def parse(self, reader: Reader, key: str, value: Any) -> str:
        message = self.problem(reader.expect(key, value, str))
        if message:
            raise reader.fail(key, message)
        return value


@dataclass(frozen=True)
class Choice(Text):
    """One of a few fixed strings."""

    values: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        return _quoted(self.values)

    @property
    def hint(self) -> str:
        return self.allowed

    def problem(self, value: str) -> str | None:
        return None if value in self.values else f"{value!r} is not allowed: use {self.allowed}"


@dataclass(frozen=True)
class TimeZone(Text):
    """A name the zoneinfo database knows."""

    @property
    def allowed(self) -> str:
        return 'an IANA time zone name such as "UTC" or "Europe/Berlin"'

    def problem(self, value: str) -> str | None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return f"{value!r} is not {self.allowed}"
        return None


def valid_base_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query
    except ValueError:
        return False


@dataclass(frozen=True)
class Url(Text):
    """An absolute http(s) URL: feeds, sitemaps and canonical links are built on it. With
    `off`, "" is allowed too and turns the feature off."""

    off: bool = False

    @property
    def allowed(self) -> str:
        text = 'an absolute http(s) URL with a host, such as "https://example.org/"'
        return f'{text}, or "" for none' if self.off else text

    def problem(self, value: str) -> str | None:
        ok = valid_base_url(value) or (self.off and value == "")
        return None if ok else f"{value!r} must be {self.allowed}"


@dataclass(frozen=True)
class Matches(Text):
    """A string of a fixed form (`pattern`, a regular expression; `rule` says it in words); with
    `off`, "" too."""

    pattern: str = ""
    rule: str = ""
    off: bool = False

    @property
    def allowed(self) -> str:
        return f'{self.rule}, or "" for none' if self.off else self.rule

    def problem(self, value: str) -> str | None:
        ok = re.fullmatch(self.pattern, value) or (self.off and value == "")
        return None if ok else f"{value!r} is not allowed: use {self.allowed}"


@dataclass(frozen=True)
class Link(Text):
    """A page a setting points to: an absolute http(s) URL or a path on this site ("/about/",
    made absolute under base_url where it is used); "" for none. Any other scheme (javascript:,
    mailto:) is refused: the value ends up in structured data and links."""

    @property
    def allowed(self) -> str:
        return 'an http(s) URL or a path on this site such as "/about/ethics/", or "" for none'

    def problem(self, value: str) -> str | None:
        if value.startswith(("https://", "http://")):
            ok = bool(urlsplit(value).hostname)
        else:
            ok = ":" not in value.split("/", 1)[0] and not value.startswith("//")
        return None if ok else f"{value!r} is not allowed: use {self.allowed}"


@dataclass(frozen=True)
class Pattern(Text):
    """A URL pattern of `/`-separated parts, some of them `:tokens`, one of them `:slug`; with
    `off`, "" too (another setting's pattern applies)."""

    tokens: tuple[str, ...] = ()
    off: bool = False

    @property
    def allowed(self) -> str:
        text = f"a path with :slug; tokens: {' '.join(self.tokens)}"
        return f'{text}; or "" for the site\'s' if self.off else text

    def problem(self, value: str) -> str | None:
        if self.off and value == "":
            return None
        if ":slug" not in value:
            return f"{value!r} must contain :slug"
        for part in value.strip("/").split("/"):
            if part.startswith(":") and part not in self.tokens:
                return f"unknown token {part!r}; allowed: {', '.join(self.tokens)}"
        return None


@dataclass(frozen=True)
class Whole(Kind):
    """A whole number, at least `least` (None: any)."""

    least: int | None = 1

    @property
    def allowed(self) -> str:
        return "a whole number" + ("" if self.least is None else f" of at least {self.least}")

    def parse(self, reader: Reader, key: str, value: Any) -> int:
        reader.expect(key, value, int)
        if self.least is not None and value < self.least:
            raise reader.fail(key, f"{value!r} is not allowed: use a number of at least {self.least}")
        return value


@dataclass(frozen=True)
class Flag(Kind):
    """true or false (not 0/1 or "yes": TOML has booleans)."""

    @property
    def allowed(self) -> str:
        return "true or false"

    def parse(self, reader: Reader, key: str, value: Any) -> bool:
        return reader.expect(key, value, bool)


@dataclass(frozen=True)
class Place(Kind):
    """One of `values`, or false for none (read as None)."""

    values: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        return ", ".join(f'"{v}"' for v in self.values) + " or false"

    def parse(self, reader: Reader, key: str, value: Any) -> str | None:
        if value is False:
            return None
        if isinstance(value, str) and value in self.values:
            return value
        raise reader.fail(key, f"{value!r} is not allowed: use {self.allowed}")

    def shown(self, value: Any) -> Any:
        return False if value is None else value


@dataclass(frozen=True)
class Names(Kind):
    """A list of names from `names`, in the order given (`what` names one in errors)."""

    names: tuple[str, ...] = ()
    what: str = "name"

    @property
    def allowed(self) -> str:
        return f"a list of {self.what} names: {', '.join(self.names)}"

    def parse(self, reader: Reader, key: str, value: Any) -> tuple[str, ...]:
        for name in reader.expect(key, value, list):
            if name not in self.names:
                raise reader.fail(key, f"unknown {self.what} {name!r}{suggest(str(name), self.names)}; "
                                       f"allowed: {', '.join(self.names)}")
        return tuple(value)


@dataclass(frozen=True)
class Subset(Kind):
    """A list of some of `values` (an empty list: none of them)."""

    values: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        return f"a list of {_quoted(self.values, 'and/or')}"

    @property
    def hint(self) -> str:
        return _quoted(self.values, "and/or")

    def parse(self, reader: Reader, key: str, value: Any) -> tuple[str, ...]:
        for v in reader.expect(key, value, list):
            if v not in self.values:
                raise reader.fail(key, f"{v!r} is not allowed: use {_quoted(self.values, 'and/or')}")
        return tuple(value)


@dataclass(frozen=True)
class Words(Kind):
    """A list of free strings (content folder names, say), each one non-empty."""

    what: str = "name"

    @property
    def allowed(self) -> str:
        return f"a list of {self.what}s"

    def parse(self, reader: Reader, key: str, value: Any) -> tuple[str, ...]:
        for v in reader.expect(key, value, list):
            if not isinstance(v, str) or not v.strip():
                raise reader.fail(key, f"{v!r} is not allowed: each {self.what} is a non-empty string")
        return tuple(value)


@dataclass(frozen=True)
class Widths(Kind):
    """A non-empty list of pixel widths, each a whole number from 16 to 8192."""

    @property
    def allowed(self) -> str:
        return "a list of widths in pixels (16-8192)"

    def parse(self, reader: Reader, key: str, value: Any) -> tuple[int, ...]:
        items = reader.expect(key, value, list)
        if not items:
            raise reader.fail(key, "an empty list is not allowed: give at least one width")
        for v in items:
            if isinstance(v, bool) or not isinstance(v, int) or not 16 <= v <= 8192:
                raise reader.fail(key, f"{v!r} is not allowed: each width is a whole number "
                                       "of pixels from 16 to 8192")
        return tuple(sorted(set(items)))


@dataclass(frozen=True)
class HugoPattern(Text):
    """A Hugo permalink pattern ("/:year/:month/:slug/"): `/`-separated parts, tokens among
    `tokens` (Hugo's own; generator/hugo/permalinks.py fills them)."""

    tokens: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        return f"a URL pattern; tokens: {' '.join(self.tokens)}"

    def problem(self, value: str) -> str | None:
        for token in re.findall(r":\w+", value):
            if token not in self.tokens:
                return (f"unknown token {token!r}{suggest(token, self.tokens)}; allowed: "
                        f"{', '.join(self.tokens)}")
        if ".." in value.split("/"):
            return f"{value!r} is not allowed: a URL pattern may not leave the site ('..')"
        return None


# BCP 47 (RFC 5646) in the language-script-region-variant shape: "en", "fr-CA", "zh-Hant-TW",
# "sr-Latn", "de-CH-1996", "es-419". A 2-3 letter ISO 639 language first (so not "english"); no
# extlang, extension or private-use subtags. "_" is taken for "-" (Hugo and POSIX spell "pt_BR").
_LANGUAGE_TAG = re.compile(r"(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?"
                           r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
                           r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)", re.IGNORECASE)
LANGUAGE_TAG_RULE = 'a BCP 47 language tag such as "en", "fr-CA", "zh-Hant-TW" or "sr-Latn"'


def language_tag(text: str) -> str | None:
    """`text` as a BCP 47 tag in its canonical case ("pt_br" -> "pt-BR", "zh-hant-tw" ->
    "zh-Hant-TW"), or None when it is not one."""
    m = _LANGUAGE_TAG.fullmatch(text.strip().replace("_", "-"))
    if m is None:
        return None
    parts = [m["language"].lower()]
    if m["script"]:
        parts.append(m["script"].title())
    if m["region"]:
        parts.append(m["region"].upper())
    if m["variants"]:
        parts.append(m["variants"][1:].lower())
    return "-".join(parts)


@dataclass(frozen=True)
class LanguageTag(Text):
    """A BCP 47 language tag; with `canonical`, read in its canonical case (an edition's code),
    else kept as written (`language`: a site without editions shows it as it always did)."""

    canonical: bool = False

    @property
    def allowed(self) -> str:
        return LANGUAGE_TAG_RULE

    def problem(self, value: str) -> str | None:
        return None if language_tag(value) else f"{value!r} is not {LANGUAGE_TAG_RULE}"

    def parse(self, reader: Reader, key: str, value: Any) -> str:
        value = super().parse(reader, key, value)
        return (language_tag(value) or value) if self.canonical else value


@dataclass(frozen=True)
class DatePattern(Text):
    """A CLDR date pattern ("d MMMM y", "EEEE d 'de' MMMM"), or "" for none: letters outside
    quotes must be CLDR date fields (babel.dates.PATTERN_CHARS), quotes must close."""

    @property
    def allowed(self) -> str:
        return 'a CLDR date pattern such as "d MMMM y", or "" for the theme\'s'

    def problem(self, value: str) -> str | None:
        from babel.dates import PATTERN_CHARS

        quoted = False
        for i, char in enumerate(value):
            if char == "'":
                quoted = not quoted
            elif not quoted and char.isascii() and char.isalpha() and char not in PATTERN_CHARS:
                return (f"{value!r} is not allowed: {char!r} (at {i + 1}) is not a CLDR date "
                        "field; put words in single quotes ('de')")
        return f"{value!r} is not allowed: a quote is not closed" if quoted else None


@dataclass(frozen=True)
class Key:
    """A documented key of an open table (one whose keys are not checked): name, sample, help."""

    name: str
    sample: Any
    help: str
    allowed: str = "a string"


@dataclass(frozen=True)
class Table(Kind):
    """An open table: any keys, each value checked by `of` (None: anything). `keys` are the
    ones worth showing in `broadsheet init` and the docs."""

    of: Kind | None = None
    keys: tuple[Key, ...] = ()

    @property
    def allowed(self) -> str:
        return "a table" + (f", each value {self.of.allowed}" if self.of else "")

    def parse(self, reader: Reader, key: str, value: Any) -> dict[str, Any]:
        table = reader.expect(key, value, dict)
        if self.of is None:
            return dict(table)
        return {k: self.of.parse(reader, f"{key}.{k}", v) for k, v in table.items()}

    def section(self, key: str, setting: Setting) -> Section:
        rows = tuple(Row(k.name, f"{key}.{k.name}", self.of.allowed if self.of else k.allowed,
                         "none", k.sample, k.help) for k in self.keys)
        return Section(f"[{key}]", f"[{key}]", setting.help, rows)


@dataclass(frozen=True)
class Labels(Table):
    """A table of some of `names` (the widgets, say), each set to a non-empty string; `keys`
    are the ones `broadsheet init` shows."""

    names: tuple[str, ...] = ()
    what: str = "name"

    @property
    def allowed(self) -> str:
        return f"a table of {self.what} names ({', '.join(self.names)}) = text"

    def parse(self, reader: Reader, key: str, value: Any) -> dict[str, str]:
        table = reader.expect(key, value, dict)
        reader.unknown(key, table, self.names)
        out = {}
        for name, text in table.items():
            if not isinstance(text, str) or not text.strip():
                raise reader.fail(f"{key}.{name}", f"{text!r} is not allowed: use a non-empty string")
            out[name] = text.strip()
        return out


@dataclass(frozen=True)
class TermNames(Table):
    """`[terms.TAXONOMY.TERM]` tables: a term's name in other languages (`fr = "énergie"`),
    the TERM as the default language names it. Codes are read in BCP 47's canonical case;
    whether each is one of the site's languages is checked with the whole file
    (load.parse_config). `keys` holds the sample `broadsheet init` shows."""

    taxonomies: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        return "tables of language code = name"

    def parse(self, reader: Reader, key: str, value: Any) -> dict[str, dict[str, dict[str, str]]]:
        out: dict[str, dict[str, dict[str, str]]] = {}
        tables = reader.expect(key, value, dict)
        reader.unknown(key, tables, self.taxonomies)
        for taxonomy, terms in tables.items():
            where = f"{key}.{taxonomy}"
            out[taxonomy] = {}
            for term, names in reader.expect(where, terms, dict).items():
                at = f"{where}.{term}"
                found: dict[str, str] = {}
                for code, name in reader.expect(at, names, dict).items():
                    tag = language_tag(code)
                    if tag is None:
                        raise reader.fail(f"{at}.{code}", f"{code!r} is not {LANGUAGE_TAG_RULE}")
                    if not isinstance(name, str) or not name.strip():
                        raise reader.fail(f"{at}.{code}", f"{name!r} is not allowed: use the "
                                                          "term's name in that language")
                    found[tag] = name.strip()
                out[taxonomy][term] = found
        return out

    def section(self, key: str, setting: Setting) -> Section:
        sample = self.keys[0]
        taxonomy, term, code = sample.name.split(".")
        row = Row(code, f"{key}.TAXONOMY.TERM.CODE", "a string", "none", sample.sample,
                  f"{sample.help}; TAXONOMY is {_quoted(self.taxonomies)}, TERM the default "
                  "language's name")
        return Section(f"[{key}.{taxonomy}.{term}]", f"[{key}.TAXONOMY.TERM]", setting.help, (row,))


@dataclass(frozen=True)
class Entries(Kind):
    """Named lists of entries, `[[key.NAME]]` blocks, each entry a record of type `entry`
    (a dataclass declared with `setting()` fields), e.g. the menus."""

    entry: type = object
    sample: str = "NAME"  # the list name `broadsheet init` shows

    @property
    def allowed(self) -> str:
        return "named lists of entries"

    def parse(self, reader: Reader, key: str, value: Any) -> dict[str, tuple[Any, ...]]:
        out: dict[str, tuple[Any, ...]] = {}
        decls = declared(self.entry)
        required = [d.key for d in decls if d.setting.required]
        for name, items in reader.expect(key, value, dict).items():
            entries = []
            for n, item in enumerate(reader.expect(f"{key}.{name}", items, list)):
                at, where = reader.at_entry(n), f"{key}.{name}"
                at.unknown(where, at.expect(where, item, dict), _heads(decls))  # a typo first
                if any(k not in item for k in required):
                    needs = " and ".join(f"a {k}" for k in required)
                    raise at.fail(where, f"each {key} entry needs {needs}")
                entries.append(self.entry(**parse_table(at, self.entry, item, where)))
            out[name] = tuple(entries)
        return out

    def section(self, key: str, setting: Setting) -> Section:
        return Section(f"[[{key}.{self.sample}]]", f"[[{key}.NAME]]", setting.help,
                       entry_rows(self.entry, f"{key}.NAME"))


@dataclass(frozen=True)
class Profiles(Kind):
    """Named records, `[key.NAME]` tables, each a record of type `entry` built with its
    `key_field` set to the NAME; `from_key` fields default to the NAME too (e.g. the authors)."""

    entry: type = object
    key_field: str = "slug"
    from_key: tuple[str, ...] = ()
    sample: str = "NAME"
    names: Kind | None = None  # checks each NAME (and may respell it), e.g. a language code

    @property
    def allowed(self) -> str:
        return "named tables"

    def parse(self, reader: Reader, key: str, value: Any) -> dict[str, Any]:
        out = {}
        for written, table in reader.expect(key, value, dict).items():
            kw = parse_table(reader, self.entry, reader.expect(f"{key}.{written}", table, dict),
                             f"{key}.{written}")
            name = written if self.names is None else self.names.parse(reader, f"{key}.{written}",
                                                                       written)
            if name in out:
                raise reader.fail(f"{key}.{written}", f"[{key}.{written}] is [{key}.{name}] again")
            for attr in self.from_key:
                kw.setdefault(attr, name)
            out[name] = self.entry(**{self.key_field: name}, **kw)
        return out

    def section(self, key: str, setting: Setting) -> Section:
        rows = tuple(dataclasses.replace(r, default=f"the {self.key_field}") if r.key in self.from_key
                     else r for r in entry_rows(self.entry, f"{key}.NAME"))
        return Section(f"[{key}.{self.sample}]", f"[{key}.NAME]", setting.help, rows)


# --- declaring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What a dataclass field says about itself as a site.toml key."""

    help: str  # one line: what the setting does (init's comment, the docs' table)
    kind: Kind
    key: str = ""  # the TOML key, dotted for a key in a table ("sidebar.home"); "" = the field name
    intro: str = ""  # a comment line `broadsheet init` writes above the key
    overrides: str = ""  # the front-matter field that overrides the setting per article
    sample: Any = UNSET  # what init shows when there is no default worth showing
    required: bool = False  # site.toml must set it (keys of an entry: a menu entry's url)


def _infer(value: Any) -> Kind:
    if isinstance(value, bool):
        return Flag()
    if isinstance(value, int):
        return Whole()
    if isinstance(value, str):
        return Text()
    raise TypeError(f"no kind for {value!r}: pass kind=")


@overload
def setting(default: _T, help: str, kind: Kind | None = None, *, key: str = "", intro: str = "",
            overrides: str = "", sample: Any = UNSET) -> _T: ...
@overload
def setting(*, factory: Callable[[], _T], help: str, kind: Kind, key: str = "",
            intro: str = "", sample: Any = UNSET) -> _T: ...
@overload
def setting(*, help: str, kind: Kind | None = None, sample: Any, required: bool = False) -> Any: ...
def setting(default: Any = MISSING, help: str = "", kind: Kind | None = None, *,
            factory: Callable[[], Any] | None = None, key: str = "", intro: str = "",
            overrides: str = "", sample: Any = UNSET, required: bool = False) -> Any:
    """A dataclass field that is also a site.toml key. `kind` defaults to the default's (or the
    sample's) type: a string, a whole number of at least 1, true or false."""
    if kind is None:
        kind = _infer(sample if default is MISSING else default)
    metadata = {METADATA_KEY: Setting(help, kind, key, intro, overrides, sample, required)}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Declared:
    """One declared field of a dataclass: its attribute name, default and `Setting`."""

    name: str
    default: Any  # MISSING: no default (a required field)
    setting: Setting

    @property
    def key(self) -> str:
        return self.setting.key or self.name


@cache
def declared(cls: type) -> tuple[Declared, ...]:
    """The fields of `cls` that are site.toml keys, in declaration order."""
    out = []
    for f in dataclasses.fields(cls):
        if METADATA_KEY in f.metadata:
            default = f.default if f.default_factory is MISSING else f.default_factory()
            out.append(Declared(f.name, default, f.metadata[METADATA_KEY]))
    return tuple(out)


def _heads(decls: Iterable[Declared]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(d.key.split(".")[0] for d in decls))


def parse_table(reader: Reader, cls: type, data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Keyword arguments for `cls` from one TOML table: unknown keys are errors, each declared
    key present is checked by its kind. A dotted key ("sidebar.home") is read from its table."""
    decls = declared(cls)
    reader.unknown(prefix, data, _heads(decls))
    kw: dict[str, Any] = {}
    checked: set[str] = set()
    for d in decls:
        head, _, rest = d.key.partition(".")
        if head not in data:
            continue
        value = data[head]
        if rest:
            table_key = f"{prefix}.{head}" if prefix else head
            table = reader.expect(table_key, value, dict)
            if head not in checked:
                checked.add(head)
                reader.unknown(table_key, table, tuple(
                    e.key.partition(".")[2] for e in decls if e.key.startswith(head + ".")))
            if rest not in table:
                continue
            value = table[rest]
        kw[d.name] = d.setting.kind.parse(reader, f"{prefix}.{d.key}" if prefix else d.key, value)
    return kw


# --- describing: what `broadsheet init` writes and docs/configuration.md lists -----------------


@dataclass(frozen=True)
class Row:
    """One key as init writes it (`# key = sample  # help`) and the docs list it."""

    key: str  # as written in its table: "home"
    path: str  # in full, for the docs: "sidebar.home", "menu.NAME.url"
    allowed: str
    default: str  # for the docs: the default as TOML (`"right"`), or in words ("required")
    sample: Any  # what init writes
    help: str
    intro: str = ""
    overrides: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Section:
    """The top level (header "") or one table of site.toml, with its keys."""

    header: str  # as init writes it: "[sidebar]", "[[menu.main]]"
    title: str  # as the docs name it: "[sidebar]", "[[menu.NAME]]"
    note: str
    rows: tuple[Row, ...]


def _row(d: Declared, key: str, path: str) -> Row:
    s = d.setting
    shown = MISSING if d.default is MISSING else s.kind.shown(d.default)
    if shown is MISSING:
        default = "required" if s.required else "none"
    else:
        default = f"`{toml_value(shown)}`"
    sample = shown if s.sample is UNSET else s.sample
    return Row(key, path, s.kind.allowed, default, sample, s.help, s.intro, s.overrides, s.kind.hint)


def entry_rows(cls: type, prefix: str) -> tuple[Row, ...]:
    return tuple(_row(d, d.key, f"{prefix}.{d.key}") for d in declared(cls))


def sections(cls: type, notes: Mapping[str, str]) -> tuple[Section, ...]:
    """site.toml's layout for `cls`: its top-level keys, then each table in the order declared.
    `notes` has the one-line note of each table of dotted keys ("sidebar": ...)."""
    top: list[Row] = []
    tables: dict[str, list[Row]] = {}
    whole: dict[str, Section] = {}
    for d in declared(cls):
        head, _, rest = d.key.partition(".")
        own = d.setting.kind.section(d.key, d.setting)
        if own is not None:
            whole[head] = own
        elif rest:
            tables.setdefault(head, []).append(_row(d, rest, d.key))
        else:
            top.append(_row(d, d.key, d.key))
    out = [Section("", "", "", tuple(top))]
    for head in _heads(declared(cls)):
        if head in tables:
            out.append(Section(f"[{head}]", f"[{head}]", notes.get(head, ""), tuple(tables[head])))
        elif head in whole:
            out.append(whole[head])
    return tuple(out)
