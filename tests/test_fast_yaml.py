"""`fast_yaml.parse_flat` agrees with PyYAML (the real `_Loader`) wherever it answers at all.

Hand-picked cases; documents generated from the supported grammar (parse_flat must answer, with
PyYAML's value, types and key order); and arbitrary or mutated text (whenever parse_flat
answers, PyYAML must load the same value without error).
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.sources.fast_yaml import parse_flat
from generator.sources.markdown_source import _Loader

SAMPLE = """\
title: "Zelensky says he’s open to Trump’s rare earth request: ‘Let’s do a deal’"
date: "2025-02-08 04:51:01"
summary: "Ukrainian ... “If we are talking about a deal, then let’s do..."
categories:
  - "thehill"
lang:
  - "en"
tags:
  - "thehill"
menu: ""
comments: false
pager: true
sidebar: "right"
widgets:
  - "search"
  - "recent"
"""

TRUE_WORDS = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
FALSE_WORDS = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
NULL_WORDS = ["null", "Null", "NULL", "~"]
WORDS = TRUE_WORDS + FALSE_WORDS + NULL_WORDS


def typed(value: object) -> object:
    """The value with every type (bool vs int vs str) and every dict's key order made explicit."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def pyyaml(doc: str) -> object:
    return yaml.load(doc, Loader=_Loader)


def assert_agrees(doc: str) -> None:
    """If parse_flat answers, PyYAML loads the document to the same value (and does not raise)."""
    fast = parse_flat(doc)
    if fast is None:
        return
    try:
        slow = pyyaml(doc)
    except yaml.YAMLError as exc:
        pytest.fail(f"parse_flat gave {fast!r} but PyYAML raised {exc!r} for {doc!r}")
    assert typed(fast) == typed(slow), doc


# --- hand-picked cases ---------------------------------------------------------------------


def test_sample_block() -> None:
    fast = parse_flat(SAMPLE)
    assert fast is not None
    assert typed(fast) == typed(pyyaml(SAMPLE))
    assert fast["comments"] is False and fast["pager"] is True and fast["menu"] == ""


SUPPORTED = [
    SAMPLE.rstrip("\n"),
    "a: x",
    "a: 'single \\ \" # : quoted'\nb: \"double ' # : quoted\"",
    "a: ''\nb: \"\"",
    "a:\n- x\n- y\nb: 1",
    "a:\n\n  - x\n# comment\n\n  - y\n",
    "a:\nb:   \nc: z",
    "a:\n        -    'wide'   \n        - 'items'",
    "a: plain words, with (some) punctuation's+/._-   \nb: Café “curly”\u00a0",
    "a: -0\nb: 0\nc: -123456789012345678\nd: 2025-02-08\ne: 9999-99-99",
    "a: yes\nb: No\nc: OFF\nd: Null\ne: ~\nf: yes please\ng: nULL\nh: y\ni: n",
    "a:\n  - yes\n  - ~\n  - 7\n  - 2025-02-08\n  - plain item",
    "#!comment first\n\n   \n_key-1: v\ny: key\nn: key",
    'a: x\U0001f600 y\nb: "\U0001f600"',
    "k" * 128 + ": longest key",
    'a: "' + "é" * 5000 + '"\nb: ' + "long plain " * 500,
    "a:\n" + "  - x\n" * 300,
]


@pytest.mark.parametrize("doc", SUPPORTED)
def test_supported_documents_match_pyyaml(doc: str) -> None:
    fast = parse_flat(doc)
    assert fast is not None, doc
    assert typed(fast) == typed(pyyaml(doc))


UNSUPPORTED = [
    "",
    "\n\n# only comments\n",
    "---\na: x",
    "a: x\n...",
    "%YAML 1.1\n---\na: x",
    "a: x # comment",
    'a: "x" # comment',
    'a: "x"y',
    'a: "unclosed',
    'a: "spans\n  lines"',
    "a: 'spans\n  lines'",
    'a: "esc\\"aped"',
    "a: 'it''s'",
    "a: plain\n  continued",
    "a: x\n  - y",
    "a: [x, y]",
    "a: {b: c}",
    "a: &anchor x\nb: *anchor",
    "a: !tag x",
    "a: |\n  block",
    "a: >\n  folded",
    "? a\n: b",
    "a: b: c",
    "a: b:c",
    "a: @x",
    "a: `x",
    "a: %x",
    "a: 1.5",
    "a: 012",
    "a: 0x1f",
    "a: +1",
    "a: 1_000",
    "a: 1:30",
    "a: 1234567890123456789",
    "a: .inf",
    "a: 2025-02-08 04:51:01",
    "a: 2025-2-8",
    "a: -x",
    "a: - x",
    "a: <<",
    "a: =",
    "a:x",
    "a : x",
    "  a: x",
    "- x",
    "a:\n  - x\n - y",
    "a:\n  - x\n    - y",
    "a:\n  - - x",
    "a:\n  - b: c",
    "a:\n  -",
    "a:\n  -x",
    "a: x\na: y",
    "yes: x",
    "Off: x",
    "null: x",
    "a: x\n\tb: y",
    "a: x\r\nb: y",
    "\ufeffa: x",
    'a: "x\ufeffy"',
    'a: "x\x85y"',
    'a: "x\u2028y"',
    'a: "x\x07y"',
    'a: "x\ud800y"',
    'a: "x\ufffey"',
    "k" * 129 + ": x",
]


@pytest.mark.parametrize("doc", UNSUPPORTED)
def test_outside_the_subset_falls_back(doc: str) -> None:
    assert parse_flat(doc) is None


# --- documents from the supported grammar --------------------------------------------------

# Text PyYAML reads as itself inside quotes: printable (no controls, surrogates, BOM,
# non-characters) and no YAML line breaks.


def text_chars(leave_out: str = "", min_codepoint: int = 0) -> st.SearchStrategy[str]:
    return st.characters(
        min_codepoint=min_codepoint,
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="\ufeff\ufffe\uffff" + leave_out,
    )


PLAIN_REST = st.one_of(st.sampled_from(list("abcXYZ019 _./,'()+-")), text_chars(min_codepoint=0xA0))
KEY_START = "abcnoyNOTFtf_XZ"
keys = (
    st.tuples(st.sampled_from(KEY_START), st.text(st.sampled_from(KEY_START + "19-"), max_size=6))
    .map("".join)
    .filter(lambda k: k not in WORDS)
)
double_quoted = st.text(text_chars('"\\'), max_size=40).map(lambda t: f'"{t}"')
single_quoted = st.text(text_chars("'"), max_size=40).map(lambda t: f"'{t}'")
plain_text = (
    st.tuples(st.sampled_from("abcnoyYNTFtf"), st.text(PLAIN_REST, max_size=20))
    .map(lambda p: (p[0] + p[1]).rstrip(" "))
    .filter(lambda t: t not in WORDS)
)
ints = st.integers(-(10**18) + 1, 10**18 - 1).map(str)
dates = st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)).map(
    lambda d: f"{d[0]:04}-{d[1]:02}-{d[2]:02}"
)
scalars = st.one_of(double_quoted, single_quoted, plain_text, st.sampled_from(WORDS), ints, dates)

spaces = st.integers(1, 3).map(" ".__mul__)
trailing = st.integers(0, 2).map(" ".__mul__)
comment = st.text(text_chars(), max_size=20).map(lambda t: "#" + t)
fillers = st.lists(st.one_of(st.just(""), trailing.map(lambda s: s + " "), comment), max_size=2)


@st.composite
def entries(draw: st.DrawFn, key: str) -> list[str]:
    """The lines of one top-level entry: `key: scalar`, or `key:` and a list of scalars."""
    if draw(st.booleans()):
        return [f"{key}:{draw(spaces)}{draw(scalars)}{draw(trailing)}"]
    indent = " " * draw(st.integers(0, 4))
    lines = [f"{key}:{draw(trailing)}"]
    for item in draw(st.lists(scalars, max_size=4)):
        lines += draw(fillers)
        lines.append(f"{indent}-{draw(spaces)}{item}{draw(trailing)}")
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for key in draw(st.lists(keys, min_size=1, max_size=6, unique=True)):
        lines += draw(fillers)
        lines += draw(entries(key))
    lines += draw(fillers)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=500, deadline=None)
@given(documents())
def test_grammar_documents_match_pyyaml(doc: str) -> None:
    fast = parse_flat(doc)
    assert fast is not None, doc
    assert typed(fast) == typed(pyyaml(doc))


# --- arbitrary and mutated text ------------------------------------------------------------

SIGNIFICANT = ":#-\"'\n []{}&*!|>%@`\t,?~.\\\r\x85\u2028\ufeff0yn"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(st.sampled_from(SIGNIFICANT + "ab"), max_size=40)))
def test_arbitrary_text_agrees_when_answered(doc: str) -> None:
    assert_agrees(doc)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    doc = draw(documents())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(doc)))
        match draw(st.sampled_from(["insert", "delete", "replace"])):
            case "insert":
                doc = doc[:at] + draw(st.sampled_from(SIGNIFICANT)) + doc[at:]
            case "delete":
                doc = doc[:at] + doc[at + 1 :]
            case _:
                doc = doc[:at] + draw(st.sampled_from(SIGNIFICANT)) + doc[at + 1 :]
    return doc


@settings(max_examples=600, deadline=None)
@given(mutated())
def test_mutated_documents_agree_when_answered(doc: str) -> None:
    assert_agrees(doc)
