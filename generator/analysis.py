"""Text analysis for search: the terms of a text as the index keeps them, per language.

`static/js/search.js` analyses a reader's query with the same steps, in the same order, so a
query finds the words of the text however it was inflected, accented or cased; the browser runs
the same Snowball algorithms, translated from snowballstemmer's Python by tools/snowball_js.py
into `static/js/stem/<lang>.js` (tests/test_search_languages.py holds the two sides equal).

The steps (docs/search-languages.md has the reasons and the measurements):

1. Text is NFKC-normalised (ligatures, full-width and compatibility forms) and lower-cased.
2. Tokens are runs of letters, digits and combining marks (JS `[\\p{L}\\p{N}\\p{M}]+`): a mark
   stays inside its word (Arabic vowel signs, a decomposed accent), and "_" splits words.
3. Chinese and Japanese (Han, kana) have no spaces between words: a run of those characters
   becomes its overlapping character pairs ("東京タワー": 東京 京タ タワ ワー), and a single
   such character stands for itself. A pair finds a two-character word exactly and a longer
   word as consecutive pairs; the ranking puts articles with the pairs in order first.
4. A token whose folded form (step 6) is one character, or is a stop word of the language
   (generator/stopwords.py), is left out.
5. The rest are stemmed by the language's Snowball algorithm: folded first (step 6) for
   most languages, so a word typed without its accents is the same term as with them (the
   algorithms conflate the folded words as well: docs/search-languages.md has the figures),
   as written for Russian (folding й to и first loses 15% of its conflations). A
   token holding a character beyond the Basic Multilingual Plane is not stemmed: JavaScript
   indexes strings by UTF-16 units, Python by code points, and the two would count it
   differently.
6. The term is folded: NFKD, diacritics removed (Latin, Greek and Cyrillic combining marks,
   Arabic vowel signs, Hebrew points), NFC again (so Japanese voiced kana stay whole).
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .stopwords import STOP_WORDS


@dataclass(frozen=True, slots=True)
class Language:
    """An analyzer language: its code (what meta.json's "lang" says and `static/js/stem/` names
    its file after), its Snowball algorithm (None where Snowball has none), and whether words
    are folded before they are stemmed (step 5)."""

    code: str
    snowball: str | None
    fold_first: bool = False


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "english", fold_first=True),
    Language("fr", "french", fold_first=True),
    Language("de", "german", fold_first=True),
    Language("es", "spanish", fold_first=True),
    Language("ru", "russian"),
    Language("ar", "arabic", fold_first=True),
    Language("uk", None),  # no Snowball stemmer: folded, stop words left out
    Language("zh", None),  # character pairs (step 3), no stemmer, no stop words
    Language("ja", None),
)}
"""Every analyzer language; any other code is analysed by steps 1-4 and 6 only (no stemmer,
no stop words)."""

# Diacritics removed by fold(): the same ranges as search.js FOLD_MARKS.
FOLD_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0670\u1ab0-\u1aff"
              "\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f")
# Han and kana: the same ranges as search.js CJK.
CJK = "\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"

_FOLD = re.compile(f"[{FOLD_MARKS}]")
_CJK_RUN = re.compile(f"([{CJK}]+)")


def _mark_ranges(planes: tuple[range, ...]) -> str:
    """The combining marks (Unicode category M) of these code points, as a regex class body."""
    ranges: list[tuple[int, int]] = []
    for cp in (cp for plane in planes for cp in plane):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


@functools.cache
def _has_marks() -> re.Pattern[str]:
    """A combining mark of the BMP, or any character beyond it (which may be one). Python's
    `re` has no \\p{M}, so the marks are listed from `unicodedata`, once per process and only
    for text that is not ASCII; a class of BMP characters only is a bitmap, so looking for one
    costs little, unlike a token pattern holding every mark (twice the time of `\\w+`)."""
    return re.compile(f"[{_mark_ranges((range(0x300, 0x10000),))}\\U00010000-\\U0010ffff]")


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    """Letters, digits and combining marks, for text that has marks: planes 0, 1 and 14 hold
    every mark (2 and 3 are Han, 15 and 16 private use)."""
    marks = _mark_ranges((range(0x300, 0x20000), range(0xE0000, 0xE1000)))
    return re.compile(f"[\\w{marks}]+")  # "_" is replaced by a space first: see tokens()


_WORDS = re.compile(r"\w+")
_ASCII_BYTES = bytes(range(128))
# Bytes kept in a token: a-z, 0-9, and UTF-8's bytes of characters beyond ASCII.
_TOKEN_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 or c >= 128 else 32 for c in range(256))

SEPARATOR, LETTER, OTHER = "separator", "letter", "other"
# Where news copy's characters beyond ASCII are: punctuation (Latin-1's, general punctuation
# (quotes, dashes, spaces, ellipsis), currency signs, arrows, mathematical and technical signs,
# shapes, dingbats, CJK punctuation, full-width forms), and letters (Latin with its accents,
# Greek but its capital sigma, whose lower case depends on the next letter, and Cyrillic).
SEPARATOR_BLOCKS = ((0x80, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7), (0x2000, 0x20CF),
                    (0x2190, 0x27BF), (0x3000, 0x303F), (0xFE30, 0xFE6F), (0xFF00, 0xFF65))
LETTER_BLOCKS = ((0xC0, 0x24F), (0x370, 0x3A2), (0x3A4, 0x52F), (0x1E00, 0x1EFF))


def _in(blocks: tuple[tuple[int, int], ...], char: str) -> bool:
    return any(lo <= ord(char) <= hi for lo, hi in blocks)


@functools.cache
def char_kind(char: str) -> str:
    """How `simple_text` takes a character beyond ASCII.

    SEPARATOR: no letter, digit or mark, and none once NFKC-normalised or lower-cased ("™" is
    "TM" to NFKC, so it is not one). LETTER: a letter that NFKC leaves as it is, whose lower
    case is such a letter too (or ASCII). OTHER: anything else (tokens() then takes the steps
    as written). tests/test_analysis.py checks that NFKC cannot join either to a neighbour."""
    if _in(SEPARATOR_BLOCKS, char) and unicodedata.category(char)[0] not in "LMNC" and all(
            not c.isalnum() and unicodedata.category(c)[0] not in "LMN"
            for c in char.lower() + unicodedata.normalize("NFKC", char).lower()):
        return SEPARATOR

    def letter(c: str) -> bool:
        return c.isalpha() and _in(LETTER_BLOCKS, c) and unicodedata.normalize("NFKC", c) == c

    if letter(char) and all((c.isascii() and c.isalnum()) or letter(c) for c in char.lower()):
        return LETTER
    return OTHER


def simple_text(text: str) -> str | None:
    """`text` with its `SEPARATOR`s as spaces, when its other characters beyond ASCII are
    `LETTER`s; else None. Such a text is words of ASCII and those letters between ASCII
    separators, which `tokens` and `markdown.count_words` split as bytes."""
    try:
        rest = text.encode().translate(None, _ASCII_BYTES).decode()
    except UnicodeEncodeError:  # a lone surrogate
        return None
    for char in set(rest):
        kind = char_kind(char)
        if kind is OTHER:
            return None
        if kind is SEPARATOR:
            text = text.replace(char, " ")
    return text


def tokens(text: str) -> list[str]:
    """Steps 1 and 2: the text's tokens, in order.

    Most news copy is ASCII but for its quotes, dashes and accented names (`simple_text`):
    such a text is tokenised as bytes (lower-cased, every byte but a-z, 0-9 and those beyond
    ASCII a space, split), a few C calls instead of a regex match per token, in half the time."""
    found = _simple_tokens(text)
    return unicode_tokens(text) if found is None else found


def _simple_tokens(text: str) -> list[str] | None:
    """`tokens` of a `simple_text` (without Han or kana, then), split as bytes; else None."""
    if not text.isascii():
        simple = simple_text(text)
        if simple is None:
            return None
        text = simple
    return text.lower().encode().translate(_TOKEN_BYTES).decode().split()


def unicode_tokens(text: str) -> list[str]:
    """`tokens` for any text, by the steps as written."""
    text = unicodedata.normalize("NFKC", text).lower().replace("_", " ")
    return (_token_pattern() if _has_marks().search(text) else _WORDS).findall(text)


def fold(word: str) -> str:
    """Step 6: a word without its diacritics; search.js `fold()` gives the same."""
    if word.isascii():
        return word
    return unicodedata.normalize("NFC", _FOLD.sub("", unicodedata.normalize("NFKD", word)))


def language_code(tag: str) -> str:
    """The analyzer language of a language tag ("fr-CA" -> "fr", "zh-Hant" -> "zh"), or ""
    when there is none for it."""
    code = tag.split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else ""


def _snowball(name: str) -> Callable[[str], str]:
    """The stemWord of snowballstemmer's own generated Python module, never the PyStemmer C
    library that `snowballstemmer.stemmer()` prefers when installed: the browser runs a
    translation of these modules, so the Python side must be exactly them."""
    module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    stemmer = getattr(module, f"{name.capitalize()}Stemmer")()
    return stemmer.stemWord  # type: ignore[no-any-return]


MEMO_LIMIT = 500_000  # tokens remembered per analyzer; a long `serve` must not grow for ever


class Analyzer:
    """The analysis of one language. Each distinct token is analysed once per process (a
    memo: a body repeats most of its words, and articles share most of theirs), so stemming
    costs a dictionary lookup for all but a site's first few hundred articles."""

    __slots__ = ("_memo", "_stem", "fold_first", "lang", "stop")

    def __init__(self, code: str) -> None:
        language = LANGUAGES.get(code)
        self.lang = code if language else ""
        self.stop = frozenset(fold(w) for w in STOP_WORDS.get(self.lang, ()))
        self.fold_first = bool(language and language.fold_first)
        self._stem = _snowball(language.snowball) if language and language.snowball else None
        self._memo: dict[str, str | tuple[str, ...]] = {}

    def word(self, token: str) -> str:
        """Steps 4-6 for a token without Han or kana: its term, or "" when it is left out."""
        folded = fold(token)
        if len(folded) < 2 or folded in self.stop:
            return ""
        if self._stem is None or max(token) > "\uffff":
            return folded
        return fold(self._stem(folded if self.fold_first else token)) or folded

    def _analyse(self, token: str) -> str | tuple[str, ...]:
        """A token's terms as the memo holds them: a str for one word ("" for none), a tuple
        for a token with Han or kana (a str saves a loop per token in `counts`)."""
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        if token.isascii() or not _CJK_RUN.search(token):
            found: str | tuple[str, ...] = self.word(token)
        else:
            out: list[str] = []
            for i, part in enumerate(_CJK_RUN.split(token)):
                if i % 2:  # a run of Han or kana: its pairs, or the one character
                    out += [part] if len(part) == 1 else [part[j:j + 2] for j in range(len(part) - 1)]
                elif part and (term := self.word(part)):
                    out.append(term)
            found = tuple(out)
        self._memo[token] = found
        return found

    def token_terms(self, token: str) -> tuple[str, ...]:
        """The terms of one token: one word, none, or (with Han or kana) several."""
        found = self._memo.get(token)
        if found is None:
            found = self._analyse(token)
        if isinstance(found, str):
            return (found,) if found else ()
        return found

    def terms(self, text: str) -> list[str]:
        """The terms of a text, in order (search.js `words()` gives the same)."""
        return [term for token in tokens(text) for term in self.token_terms(token)]

    def counts(self, text: str) -> dict[str, int]:
        """Counter(self.terms(text)) as a dict, analysing each distinct token once: the hot
        loop of the read workers. Each token of a `simple_text` has one str in the memo, so
        once the new ones are analysed its terms are counted by C calls only."""
        memo = self._memo
        simple = _simple_tokens(text)
        if simple is not None:
            missing = set(simple).difference(memo)
            if missing:
                if len(memo) + len(missing) > MEMO_LIMIT:
                    memo.clear()
                    missing = set(simple)
                for token in missing:
                    self._analyse(token)
            found_terms = Counter(map(memo.__getitem__, simple))
            found_terms.pop("", None)  # stop words and one-character tokens
            return found_terms  # type: ignore[return-value]
        out: dict[str, int] = {}
        get = out.get
        for token, n in Counter(unicode_tokens(text)).items():
            found = memo.get(token)
            if found is None:
                found = self._analyse(token)
            if found.__class__ is str:
                if found:
                    out[found] = get(found, 0) + n  # type: ignore[index,call-overload]
            else:
                for term in found:
                    out[term] = get(term, 0) + n
        return out


@functools.cache
def analyzer(tag: str) -> Analyzer:
    """The analyzer for a language tag (one per process, with its memo)."""
    code = language_code(tag)
    return analyzer(code) if code != tag else Analyzer(code)
