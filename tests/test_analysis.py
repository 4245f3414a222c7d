"""The byte-level fast paths of tokenising and word counting give what the regexes give.

`analysis.tokens` and `markdown.count_words` split a `simple_text` (ASCII, plain separators,
simple letters) as bytes; these tests hold them equal to the steps as written, exhaustively
where the claim is about characters and by property where it is about texts.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape, unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import analysis
from generator.analysis import LETTER, OTHER, SEPARATOR, char_kind, simple_text, tokens
from generator.markdown import count_words

WORDS = re.compile(r"\w+(?:[’'-]\w+)*")  # count_words as it is written
KINDS = {cp: char_kind(chr(cp)) for cp in range(0x80, 0x10000)}
TAKEN = [chr(cp) for cp, kind in KINDS.items() if kind is not OTHER]
LETTERS = [chr(cp) for cp, kind in KINDS.items() if kind is LETTER]
NEIGHBOURS = [chr(c) for c in range(32, 127)] + LETTERS


def test_news_copy_is_simple() -> None:
    assert simple_text("García’s “deal” — 5 €, naïve Ελλάδα Москва") is not None
    for text in ("ok™", "e\u0301", "ΑΣ", "東京", "ǅ", "İstanbul", "\ud800", "x\U0001f600"):
        assert simple_text(text) is None, text


def test_kinds() -> None:
    assert KINDS[ord("’")] is SEPARATOR and KINDS[ord("—")] is SEPARATOR
    assert KINDS[ord("á")] is LETTER and KINDS[ord("Ж")] is LETTER
    assert KINDS[ord("™")] is OTHER  # NFKC: "TM"
    assert KINDS[ord("Σ")] is OTHER  # lower case depends on what follows
    assert KINDS[0x301] is OTHER  # a combining mark


def test_nfkc_never_joins_a_taken_character_to_a_neighbour() -> None:
    """The fast paths skip NFKC: every taken character must normalise on its own whatever
    stands beside it, or a token could differ."""
    for char in TAKEN:
        alone = unicodedata.normalize("NFKC", char)
        for other in NEIGHBOURS:
            assert unicodedata.normalize("NFKC", other + char) == other + alone, (other, char)
            assert unicodedata.normalize("NFKC", char + other) == alone + other, (char, other)


def test_letters_lower_case_to_letters() -> None:
    for char in LETTERS:
        assert all((c.isascii() and c.isalnum()) or KINDS.get(ord(c)) is LETTER
                   for c in char.lower()), char


ALPHABET = st.sampled_from([
    *"abcXYZ019_ '-’\n.,:;!?&<>\"", "é", "Ñ", "ß", "Ж", "ω", "ς", "Σ", "—", "“", "”", "…", "\u00a0",
    "™", "½", "ﬁ", "\u0301", "東", "京", "€", "²", *TAKEN[::97]])


@settings(max_examples=600, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_tokens_fast_path_equals_the_steps(text: str) -> None:
    assert tokens(text) == analysis.unicode_tokens(text)


@settings(max_examples=600, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_count_words_fast_path_equals_the_regex(text: str) -> None:
    html = f"<p>{escape(text)}</p><p><em>{escape(text[::-1])}</em>x</p>"
    assert count_words(html) == len(WORDS.findall(unescape(re.sub(r"<[^>]+>", " ", html))))


def test_count_words_joiners() -> None:
    for text, n in (("London’s ex-minister", 2), ("a-b-c", 1), ("a--b", 2), ("-a-", 1),
                    ("rock-n-roll", 1), ("it's", 1), ("é-é-é", 1), ("x - y", 2), ("", 0)):
        assert count_words(f"<p>{text}</p>") == n, text


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=80), st.sampled_from(["en", "fr", "ru", "ja", "xx"]))
def test_counts_are_the_terms_counted_in_order(text: str, lang: str) -> None:
    """`counts` (C calls on a simple text, a loop otherwise) is Counter(terms) in the order
    of each term's first token: the order the index's term lists are written in."""
    analyzer = analysis.analyzer(lang)
    expected: dict[str, int] = {}
    for term in analyzer.terms(text):
        expected[term] = expected.get(term, 0) + 1
    assert list(analyzer.counts(text).items()) == list(expected.items())
