"""The theme's interface in the page's language: message catalogues, CLDR dates and numbers,
text direction.

Every word the theme shows goes through gettext (`_()` / `ngettext` in the templates). The
catalogues are `templates/locale/<lang>/LC_MESSAGES/messages.po`, the theme's and a site's own
(the site's entries win message by message), read with Babel and compiled in memory at build
time: there is no `.mo` file to forget to rebuild. A language falls back along its tag
(`fr-CA` -> `fr`) and then to the English source strings. Dates and numbers come from Babel's
CLDR data for the locale; English without a `date_format` keeps the theme's own format, so an
English site's pages are byte for byte what they were before the catalogues.

Babel rather than a TOML table per language: plural rules (Ukrainian has three forms, Arabic
six) and the CLDR data come with it, translators' tools read `.po`, and the whole cost is a few
tens of milliseconds per build (docs/theming.md, "Strings").
"""

from __future__ import annotations

import gettext as gettext_module
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as cldr_date
from babel.dates import format_time as cldr_time
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from .errors import BuildError, Problem
from .theme import theme_dir

SOURCE_LANGUAGE = "en"  # the language of the msgids: what a page shows without a catalogue
CATALOGUE = Path("LC_MESSAGES") / "messages.po"
# A placeholder as Python's %-formatting reads it: %(name)s, %(name)d, or %% for a percent sign.
_FORMAT = re.compile(r"%(?:\((?P<name>[^)]*)\))?(?P<conv>[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%])?")


@dataclass(frozen=True)
class Interface:
    """The theme's words, dates and numbers in one language, resolved once per build."""

    code: str  # the language as the site spells it: "fr", "pt-BR"
    locale: Locale | None  # Babel's, None for a tag CLDR does not know
    translations: gettext_module.NullTranslations
    translated: bool  # some message differs from the English source (a catalogue or override)
    direction: str  # "ltr" or "rtl"
    date_format: str = ""  # the edition's CLDR date pattern, "" for the locale's long date

    @cached_property  # asked at every date and number of every page
    def english(self) -> bool:
        """Dates and numbers as the theme always wrote them (no CLDR) unless a pattern is set."""
        return primary(self.code) == SOURCE_LANGUAGE


def primary(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def parse_locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def page_language(page: Any, config: Any) -> str:
    """The language of a page's content: its own `lang`, else the site's (`<html lang>`)."""
    return getattr(page, "lang", "") or config.language


def text_direction(code: str, given: str = "") -> str:
    """`given` (an edition's `direction`), else CLDR's character order for the language."""
    if given:
        return given
    found = parse_locale(code)
    return "rtl" if found is not None and found.character_order == "right-to-left" else "ltr"


def fallbacks(code: str) -> list[str]:
    """The catalogue folders a language reads, most specific first: "fr-CA" -> fr_CA, fr;
    "zh-Hant-TW" -> zh_Hant_TW, zh_Hant, zh. The folder may also be spelled with "-"."""
    parts = code.replace("_", "-").split("-")
    out: list[str] = []
    for n in range(len(parts), 0, -1):
        name = "_".join(parts[:n])
        out += [name] if "-" not in code or n == 1 else [name, "-".join(parts[:n])]
    return out


def _shown(path: Path, site_dir: Path) -> str:
    """A catalogue's path as errors name it: inside the site, relative to it."""
    try:
        return str(path.relative_to(site_dir))
    except ValueError:
        return str(path)


def placeholders(text: str) -> tuple[set[str], list[str]]:
    """The %(name)s placeholders of a message, and what is wrong with its % signs."""
    names: set[str] = set()
    wrong: list[str] = []
    for m in _FORMAT.finditer(text):
        conv, name = m.group("conv"), m.group("name")
        if conv == "%" and name is None:
            continue
        if conv is None or conv[-1] not in "diouxXeEfFgGcrsa%":
            wrong.append(f"a lone % in {text!r} (write %% for a percent sign)")
        elif name is None:
            wrong.append(f"%{conv} in {text!r} has no name: use %(name)s")
        elif conv[-1] not in "sd":
            wrong.append(f"%({name}){conv} in {text!r}: use %({name})s or %({name})d")
        else:
            names.add(name)
    return names, wrong


def check_catalogue(catalog: Catalog, shown: str) -> list[Problem]:
    """Problems no build should ship: a translation whose placeholders are not the English
    message's (a KeyError or a lost value at render time), a plural message without one form
    per plural category of the language."""
    problems: list[Problem] = []
    nplurals = catalog.num_plurals
    for message in catalog:
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if not message.id or not any(strings) or message.fuzzy:
            continue  # untranslated: the English shows
        expected, wrong = set(), []
        for text in ids:
            names, bad = placeholders(text)
            expected |= names
            wrong += bad
        plural = len(ids) > 1
        if plural and sum(1 for s in strings if s) != nplurals:
            wrong.append(f"{len([s for s in strings if s])} plural forms for {ids[0]!r}; "
                         f"the catalogue's Plural-Forms says {nplurals}")
        for text in strings:
            if not text:
                continue
            names, bad = placeholders(text)
            wrong += bad
            # a plural form may leave out the number ("un article", "مقال واحد"), nothing else
            missing = expected - names - ({"num"} if plural else set())
            extra = names - expected
            if missing or extra:
                what = "; ".join(filter(None, [
                    f"missing %({', '.join(sorted(missing))})s" if missing else "",
                    f"unknown %({', '.join(sorted(extra))})s" if extra else ""]))
                wrong.append(f"the translation {text!r} of {ids[0]!r} has other placeholders "
                             f"than the message: {what}")
        problems += [Problem(shown, w, message.lineno, "msgstr") for w in wrong]
    return problems


_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf"(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_PO_STRING}\s*")


def syntax_problems(lines: list[str], shown: str) -> list[Problem]:
    """Lines Babel's parser would read wrongly without a word: an unclosed string (the rest of
    the entry silently lost), a line that is neither a keyword with its string nor a string."""
    problems = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.fullmatch(stripped):
            what = ("an unclosed string" if stripped.count('"') % 2 or stripped.endswith('\\"')
                    else "not a keyword (msgid, msgstr ...) with a quoted string")
            problems.append(Problem(shown, f"not a valid .po file: {what}: {stripped!r}", number))
    return problems


def read_catalogue(path: Path, locale: str, shown: str, problems: list[Problem]) -> Catalog | None:
    """One .po file, checked; None (its problems appended) when it is broken."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        bad = syntax_problems(lines, shown)
        if bad:
            problems += bad
            return None
        catalog = read_po(lines, locale=parse_locale(locale) or None, abort_invalid=True)
    except PoFileError as exc:
        text = str(exc).removesuffix(f" on {exc.lineno}")
        problems.append(Problem(shown, f"not a valid .po file: {text}" + (
            f": {exc.line.strip()!r}" if exc.line else ""), exc.lineno or None))
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(Problem(shown, f"cannot read the catalogue: {exc}"))
        return None
    found = check_catalogue(catalog, shown)
    problems += found
    return None if found else catalog


def is_translated(message: Message) -> bool:
    """A message with a translation gettext will use: some msgstr, not marked fuzzy."""
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return any(strings) and not message.fuzzy


def merged(theme: Catalog | None, own: Catalog | None) -> Catalog | None:
    """The theme's catalogue with the site's translated entries over it, message by message."""
    if theme is None or own is None:
        return own or theme
    for message in own:
        if message.id and is_translated(message):
            theme.delete(message.id, message.context)  # setting an existing id keeps its msgstr
            theme[message.id] = message
    return theme


def compiled(catalog: Catalog) -> gettext_module.GNUTranslations:
    """The catalogue as gettext reads a .mo file, made in memory."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def load_interface(code: str, site_dir: Path, direction: str = "", date_format: str = "",
                   problems: list[Problem] | None = None) -> Interface:
    """The interface of one language: its catalogues along `fallbacks`, the site's over the
    theme's, chained down to the English source strings."""
    problems = [] if problems is None else problems
    chain: list[gettext_module.GNUTranslations] = []
    folders = [site_dir / "templates" / "locale", theme_dir("templates") / "locale"]
    seen: set[Path] = set()
    translated = False
    for name in fallbacks(code):
        found = []
        for folder in reversed(folders):  # the theme's first, the site's merged over it
            path = folder / name / CATALOGUE
            if path.is_file() and path.resolve() not in seen:
                seen.add(path.resolve())
                found.append(read_catalogue(path, name, _shown(path, site_dir), problems))
        catalog = merged(*found) if len(found) == 2 else (found[0] if found else None)
        if catalog is not None:
            chain.append(compiled(catalog))
            translated = translated or any(m.id and is_translated(m) for m in catalog)
    translations: gettext_module.NullTranslations = gettext_module.NullTranslations()
    for t in reversed(chain):
        t.add_fallback(translations)
        translations = t
    return Interface(code, parse_locale(code), translations, translated,
                     text_direction(code, direction), date_format)


def dates_only(code: str, date_format: str = "") -> Interface:
    """An interface for dates and numbers alone (the search index's dates): no catalogue."""
    return Interface(code, parse_locale(code), gettext_module.NullTranslations(), False,
                     text_direction(code), date_format)


def load_interfaces(site_dir: Path, languages: Iterable[tuple[str, str, str]]) -> dict[str, Interface]:
    """Every language's interface, each (code, direction, date_format) once; a broken
    catalogue is a BuildError naming every problem (file, line, what is wrong)."""
    problems: list[Problem] = []
    out: dict[str, Interface] = {}
    for code, direction, date_format in languages:
        out.setdefault(code, load_interface(code, site_dir, direction, date_format, problems))
    if problems:
        raise BuildError(problems, f"build failed: {len(problems)} error(s) in the message catalogues")
    return out


# --- what the templates call --------------------------------------------------------------

def gettext_callables(interface: Interface) -> dict[str, Callable[..., str]]:
    """`gettext`, `ngettext` and `_` as Jinja's newstyle i18n calls them: named placeholders
    filled from keyword arguments (escaped), `num` the number in the locale's digits.

    They are bound as `_`, `gettext` and `ngettext` in each language's render context, which
    templates resolve before the i18n extension's globals. The extension's own `_` is a
    pass-context alias calling a pass-context `gettext`: two `Context.call`s, a lookup and an
    escape per string, 12% of rendering at 115 strings in the theme. These are plain functions,
    and a message without placeholders is translated and escaped once per build. The theme's
    templates are all autoescaped (`select_autoescape(default=True)`), so the result is Markup
    always, as the extension gives under autoescape."""
    translations = interface.translations
    done: dict[str, Markup] = {}
    translated: dict[str, Markup] = {}  # a message with placeholders, as Markup to fill in
    plurals: dict[tuple[str, str, int], Markup] = {}

    def gettext(message: str, **variables: Any) -> str:
        if not variables:
            found = done.get(message)
            if found is None:
                # "%%" is "%" with or without placeholders, as in Jinja's newstyle gettext
                found = done[message] = Markup(translations.gettext(message)) % {}
            return found
        text = translated.get(message)
        if text is None:
            text = translated[message] = Markup(translations.gettext(message))
        return text % variables

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", format_number(n, interface))
        key = (singular, plural, n)
        text = plurals.get(key)
        if text is None:
            text = plurals[key] = Markup(translations.ngettext(singular, plural, n))
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}


_CALL = ("name", "lparen", "string", "rparen")


class ConstantMessages(Extension):
    """Translates `_("a constant")` when the template is compiled, for the environment's one
    language (`Environment.constant_gettext`, set by the renderer; None leaves every call).

    Each such call was a `Context.call` at every render: ~19 per page of the theme's ~50
    calls, and with the escaping around them a fifth of the render stage. The message
    becomes `("its translation"|safe)`, which is what the call gave (the translation is the
    theme's markup, as under Jinja's newstyle gettext). A call with placeholders or a
    variable message stays a call."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translate = getattr(self.environment, "constant_gettext", None)
        if translate is None:
            yield from stream
            return
        pending: list[Token] = []
        for token in stream:
            pending.append(token)
            while pending and not _call_prefix(pending):
                yield pending.pop(0)
            if len(pending) == len(_CALL):
                name, paren, message, close = pending
                pending.clear()
                try:
                    text = str(translate(message.value))
                except (KeyError, ValueError, TypeError):  # placeholders: render-time call
                    yield from (name, paren, message, close)
                    continue
                line = name.lineno
                yield from (Token(line, "lparen", "("), Token(line, "string", text),
                            Token(line, "pipe", "|"), Token(line, "name", "safe"),
                            Token(line, "rparen", ")"))
        yield from pending


def _call_prefix(tokens: list[Token]) -> bool:
    """Whether `tokens` begin `_("...")`: each token of the call in order, as far as given."""
    return all(t.type == kind for t, kind in zip(tokens, _CALL, strict=False)) and (
        tokens[0].value == "_")


def format_date(value: datetime, tz: tzinfo | None, with_time: bool = True,
                interface: Interface | None = None) -> str:
    """A date as the theme shows it. English without a pattern: "26 February 2025, 14:30 GMT",
    as always; otherwise CLDR's, in the edition's `date_format` or the locale's long date, with
    the locale's short time and the zone's abbreviation ("26 février 2025, 14:30 UTC")."""
    local = value.astimezone(tz)
    locale = interface.locale if interface is not None else None
    if locale is None or (interface is not None and interface.english and not interface.date_format):
        text = f"{local.day} {local:%B %Y}"
        return f"{text}, {local:%H:%M} {local.tzname()}" if with_time else text
    assert interface is not None
    text = cldr_date(local, interface.date_format or "long", locale=locale)
    if not with_time:
        return text
    time = f"{cldr_time(local, 'short', tzinfo=local.tzinfo, locale=locale)} {local.tzname()}"
    combine = str(locale.datetime_formats.get("medium", "{1}, {0}")).replace("'", "")
    return combine.format(time, text)


def format_number(n: int, interface: Interface | None) -> str:
    """A count in the locale's digits and grouping; English as it always was ("1234")."""
    if interface is None or interface.locale is None or interface.english:
        return str(n)
    return format_decimal(n, locale=interface.locale)


def month_name(year: int, month: int, interface: Interface | None) -> str | None:
    """A month archive's title in the language ("février 2025"); None in English, whose
    titles the site model already makes."""
    if interface is None or interface.locale is None or interface.english:
        return None
    return cldr_date(datetime(year, month, 1), "LLLL y", locale=interface.locale)


def plural_samples(interface: Interface) -> list[tuple[str, int]]:
    """(CLDR plural category, a number in it) for each category of the language: the search
    page's messages hold one string per category, which search.js picks with Intl.PluralRules."""
    rule = interface.locale.plural_form if interface.locale is not None else None
    if rule is None:
        return [("one", 1), ("other", 2)]
    found: dict[str, int] = {}
    for n in (*range(0, 200), 1000, 10_000, 100_000, 1_000_000):
        found.setdefault(rule(n), n)
    order = ("zero", "one", "two", "few", "many", "other")
    return sorted(found.items(), key=lambda item: order.index(item[0]))
