"""A fast path for the flat front matter almost every article has.

Loading front matter with PyYAML (even its libyaml loader) costs about 0.1 ms per article, a
tenth of reading a large site. `parse_flat` reads a strict subset of YAML (top-level keys with
one-line scalar values or lists of them) about six times faster, giving exactly what
`yaml.load(block, Loader=markdown_source._Loader)` gives; for anything outside the subset it
returns None, and the caller falls back to PyYAML (which also words the errors).

The subset, line by line ("\\n"-separated; any tab, "\\r", BOM, YAML line break (U+0085, U+2028,
U+2029) or character PyYAML's Reader rejects anywhere means None):

- blank (empty or spaces only), or a comment: "#" at column 0;
- `KEY:` then optional spaces, or `KEY:` then one or more spaces, a VALUE and optional spaces.
  KEY is `[A-Za-z_][A-Za-z0-9_-]*` (at most 128 characters), not a YAML 1.1 bool or null word,
  and not repeated;
- any number of spaces, `-`, one or more spaces, a VALUE and optional spaces: a list item.
  Items are accepted only after a `KEY:` with no value (and blank and comment lines), all at
  one indentation; the key's value is the list of items, or None with no items.

A block with no keys at all gives None too (PyYAML would give None or an error).

A VALUE is "text" (no `"` or `\\`), 'text' (no `'`), or a plain scalar of one of these forms:
a bool word (yes/Yes/YES/no/No/NO/true/True/TRUE/false/False/FALSE/on/On/ON/off/Off/OFF),
null/Null/NULL or ~ (None), a decimal int -?(0|[1-9][0-9]{0,17}), a date 0000-00-00 (kept as
text, as `_Loader` keeps timestamps), or text starting with an ASCII letter made only of ASCII
letters, digits, space, `_./,'()+-` and non-ASCII characters (so no ": ", " #" or other indicator).
"""

from __future__ import annotations

import re

__all__ = ["parse_flat"]

# Everything PyYAML's Reader accepts (Reader.NON_PRINTABLE's complement), minus tab and "\r", the
# other YAML line breaks (U+0085, U+2028, U+2029) and the BOM (U+FEFF): a character outside this
# set anywhere means the block is not ours.
# (Listed as what is refused, not what is allowed: a class with a range up to U+10FFFF takes
# sre_compile milliseconds to build, in every process that imports this.)
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")

# A plain scalar's characters: ASCII letters, digits, `_./,'()+-` and everything from U+00A0
# (vetted by _UNSAFE), written as the complement of the rest for the same reason.
_NOT_PLAIN = "\\x00-\\x1f!\"#$%&*:;<=>?@\\[\\\\\\]^`{|}~\\x7f-\\x9f"
_VALUE = (  # quotes are captured too, so that a group is "" only when its alternative did not match
    r'(?:("[^"\\\n]*")'  # double-quoted
    r"|('[^'\n]*')"  # single-quoted
    rf"|([A-Za-z0-9~-](?:[^{_NOT_PLAIN}]*[^ {_NOT_PLAIN}])?))"  # a plain scalar, for _plain to judge
)
# One line: `KEY:` (with a VALUE), `- VALUE` (after its indentation), a comment, or blank. No part
# can match "\n", so with re.M each match is one whole line and a line matches at most once.
_LINES = re.compile(rf"^(?:([A-Za-z_][A-Za-z0-9_-]{{0,127}}):(?: +{_VALUE})?|( *-) +{_VALUE}|#.*)? *$", re.M)

_WORDS: dict[str, object] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NO = object()  # a plain scalar we do not resolve


def _plain(text: str) -> object:
    """The value PyYAML's resolver and SafeConstructor give a plain scalar, or _NO when unsure."""
    if text in _WORDS:
        return _WORDS[text]
    first = text[0]
    if "a" <= first <= "z" or "A" <= first <= "Z":
        return text  # a letter start can only resolve to bool or null, and those are _WORDS
    if _INT.fullmatch(text):
        return int(text)
    if _DATE.fullmatch(text):
        return text  # the timestamp resolver matches; _Loader constructs timestamps as str
    return _NO


def parse_flat(block: str) -> dict[str, object] | None:
    """What `yaml.load(block, Loader=_Loader)` returns, for the flat subset described in the
    module docstring; None for any other input (including a block with no keys)."""
    if _UNSAFE.search(block):
        return None
    found = _LINES.findall(block)
    if len(found) != block.count("\n") + 1:
        return None  # some line is not of a recognised form
    result: dict[str, object] = {}
    open_key: str | None = None  # the `KEY:` with no value whose list items may follow
    items: list[object] | None = None
    indent = 0
    value: object
    for key, dquoted, squoted, plain, dash, item_dquoted, item_squoted, item_plain in found:
        if key:
            if key in _WORDS or key in result:
                return None
            open_key = None
            if dquoted or squoted:
                result[key] = (dquoted or squoted)[1:-1]
            elif plain:
                value = _plain(plain)
                if value is _NO:
                    return None
                result[key] = value
            else:
                result[key] = None
                open_key, items = key, None
        elif dash:
            if open_key is None:
                return None
            if item_dquoted or item_squoted:
                value = (item_dquoted or item_squoted)[1:-1]
            else:
                value = _plain(item_plain)
                if value is _NO:
                    return None
            if items is None:
                indent = len(dash)
                items = result[open_key] = [value]
            elif len(dash) != indent:
                return None
            else:
                items.append(value)
    return result or None
