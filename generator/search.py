"""Full-text search: a static, sharded index of every article's title and body, built with the site.

The index is plain JSON files under `search-index/`, read by `static/js/search.js` in the browser,
so search works offline, in the preview server and on any static host. It is split so a query
downloads only a few small files, whatever the size of the site:

- `meta.json`: the number of articles, the first term of every term chunk with the chunk's file,
  the doc-group files and the filters file. The only file with a fixed name.
- `t.<hash>.json`, term chunks: `{term: [doc * 256 + weight, ...]}` for a run of terms in
  sorted order, docs ascending. A chunk ends where a term's hash says so (content-defined, as
  rsync cuts blocks), so an edit changes only the chunks holding the edited article's terms,
  not every chunk after.
- `d.<hash>.json`, doc groups: `[path, title, date as shown, ISO date]` for GROUP docs at a time.
- `filters.<hash>.json` and `f.<hash>.json`: category and tag values, with the docs of each.

Every file but `meta.json` is named by a hash of its bytes, so a changed file gets a new name: the
Writer writes only what changed, and hosts may cache the rest for ever.

Docs are numbered oldest first (date, then path), so a new story takes the next number and the
numbers of the others stay put; sorting by date in the browser is sorting by number. Weights are
BM25 term weights computed from the article alone (a fixed average length, not the site's), so
one article's edit never changes another's weights; the browser adds each term's rarity (IDF)
from the length of its posting list. Titles count TITLE_BOOST times.

Which terms an article has, with their weights, is worked out in the Markdown workers next to the
article's HTML and kept in the article cache (`article_terms`), so an unchanged article is never
re-read for search; only the merge into chunks (`index_files`) runs on every build that changed.

Words: runs of letters and digits, lower-cased, accents removed, and a plural "s" folded
("elections" finds "election"); `search.js` folds queries the same way. The last word of a query
is also matched as a prefix, so results come as the reader types.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from .cache import terms_of
from .markdown import plain_text
from .model import Article, BodyRef, Site
from .render import format_date

SEARCH_DIR = "search-index"  # the index's folder in the output
FORMAT = 1  # in meta.json: bump when the files change shape (search.js checks it)
GROUP = 100  # docs per doc-group file
TITLE_BOOST = 4  # a title word counts as this many body words
K1, B, AVGDL = 1.2, 0.75, 400.0  # BM25 with a fixed average length (see the module docstring)
TARGET_CHUNK = 24_000  # bytes: the aim for a term chunk; chunk cuts are chosen to average this
MAX_CHUNK = 4 * TARGET_CHUNK  # a chunk past this ends at the next term whatever its hash

_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"[^\W_]+")  # letters and digits: JS /[\p{L}\p{N}]+/u
# Combining marks left by NFKD (the accents of é, ñ, ö ...): the same ranges as search.js.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

IndexTerms = tuple[str, bytes]
"""An article's terms, space-separated, and one weight byte (1-255) per term, in the same order.

Compact on purpose: every article's terms sit in the cache and in memory (figures in
docs/performance.md, "Measurements behind the code")."""


def fold(word: str) -> str:
    """A word as the index keeps it; search.js `fold()` must give the same."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _raw_words(text: str) -> list[str]:
    text = text.lower()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return _WORD.findall(text)


def words(text: str) -> list[str]:
    """The folded words of a text, in order; one-character words are left out."""
    return [fold(w) for w in _raw_words(text) if len(w) > 1]


_FOLDED: dict[str, str] = {}  # word -> fold(word), or "" for a one-letter word: a worker's memo


def word_counts(text: str) -> Counter[str]:
    """Counter(words(text)), folding each distinct word once (a body repeats most of its words,
    and articles share most of theirs: the memo makes folding a dictionary lookup)."""
    if len(_FOLDED) > 500_000:
        _FOLDED.clear()  # a long `serve` session must not grow without bound
    out: Counter[str] = Counter()
    for word, n in Counter(_raw_words(text)).items():
        folded = _FOLDED.get(word)
        if folded is None:
            folded = _FOLDED[word] = fold(word) if len(word) > 1 else ""
        if folded:
            out[folded] += n
    return out


def article_text(article: Article) -> str:
    """The visible text of an article's body (no script or style contents)."""
    return plain_text(_HIDDEN.sub(" ", article.html))


def article_terms(article: Article) -> IndexTerms:
    """The article's terms and their BM25 weights: what the index holds for it."""
    title = words(article.title)
    counts = word_counts(article_text(article))
    length = sum(counts.values()) + len(title)
    for w in title:
        counts[w] += TITLE_BOOST
    norm = K1 * (1 - B + B * length / AVGDL)
    weight = {tf: min(255, max(1, round(100 * tf * (K1 + 1) / (tf + norm))))
              for tf in set(counts.values())}  # a few distinct counts: 1, 2, 3 ...
    weights = bytes(map(weight.__getitem__, counts.values()))
    return " ".join(counts), weights


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _name(prefix: str, data: bytes) -> str:
    return f"{prefix}.{hashlib.blake2b(data, digest_size=8).hexdigest()}.json"


def _utf16(term: str) -> bytes:
    """Sort key: JavaScript compares strings by UTF-16 code units, so the chunks are in that order."""
    return term.encode("utf-16-be")


def index_files(site: Site, terms: dict[str, IndexTerms | BodyRef], prefix: str = ""
                ) -> Iterator[tuple[str, bytes]]:
    """The index's files for the Writer, (output path, bytes), each once, in an order that
    depends only on the site; made one at a time, so the Writer holds one chunk at a time.

    `terms` maps each article's source to its `article_terms()`, or to where they are in the
    article cache file; an article missing from it has its terms worked out here. `prefix` is
    a language edition's folder ("fr/"; `site` is then that edition's): its index goes into
    `fr/search-index/`, and result paths are relative to the edition's root, which is what its
    search page gives search.js as `data-root`.
    """
    folder = prefix + SEARCH_DIR
    up = "../" * prefix.count("/")  # from the edition's root back to the site's

    def doc_path(path: str) -> str:
        return path[len(prefix):] if path.startswith(prefix) else up + path

    tz = site.config.tz
    docs = sorted(site.articles, key=lambda a: (a.date, a.path))
    # One 4-byte int per posting (doc * 256 + weight): far less memory than lists of Python ints
    # (docs/performance.md, "Measurements behind the code").
    postings: dict[str, array[int]] = {}
    for number, article in enumerate(docs):
        found = terms.get(article.source)
        names, weights = article_terms(article) if found is None else terms_of(found)
        if not names:
            continue
        base = number << 8
        for term, weight in zip(names.split(" "), weights, strict=True):
            found = postings.get(term)
            if found is None:
                postings[term] = found = array("I")
            found.append(base | weight)

    made: set[str] = set()  # two tags on exactly the same articles make one file

    def file(prefix: str, data: bytes) -> Iterator[tuple[str, bytes]]:
        name = _name(prefix, data)
        if name not in made:
            made.add(name)
            yield f"{folder}/{name}", data

    chunks = []
    for first, data in _chunks(postings):
        chunks.append([first, _name("t", data)])
        yield from file("t", data)
    del postings

    groups = []
    for start in range(0, len(docs), GROUP):
        data = _dump([[doc_path(a.path), a.title, format_date(a.date, tz, False), a.date.isoformat()]
                      for a in docs[start:start + GROUP]])
        groups.append(_name("d", data))
        yield from file("d", data)

    number_of = {id(a): n for n, a in enumerate(docs)}
    filters: dict[str, list[list[Any]]] = {}
    for key, taxonomy in (("category", site.categories), ("tag", site.tags)):
        values = []
        for term in sorted(taxonomy, key=lambda t: t.name.casefold()):
            ids = sorted(number_of[id(a)] for a in term.articles if id(a) in number_of)
            data = _dump(ids)
            values.append([term.name, len(ids), _name("f", data)])
            yield from file("f", data)
        filters[key] = values
    data = _dump(filters)
    filters_name = _name("filters", data)
    yield from file("filters", data)

    yield f"{folder}/meta.json", _dump({
        "format": FORMAT, "docs": len(docs), "group": GROUP, "chunks": chunks, "groups": groups,
        "filters": filters_name})


def _chunks(postings: dict[str, array[int]]) -> Iterable[tuple[str, bytes]]:
    """(first term, JSON bytes) of each term chunk, in term order.

    A chunk ends before a term whose CRC-32 is a multiple of `every`, a power of two chosen so
    chunks average TARGET_CHUNK bytes (it only changes when the index doubles or halves), or
    when the chunk has grown past MAX_CHUNK. Each term's JSON is made as its chunk is, so only
    one chunk's text is in memory at a time.
    """
    # estimated bytes per term: the term and ~8 per posting ("1234567,"), enough to pick `every`
    total = sum(len(t) + 8 * len(p) for t, p in postings.items()) or 1
    every = 2 ** max(0, round(math.log2(max(1.0, TARGET_CHUNK * len(postings) / total))))
    chunk: list[str] = []
    size = 0
    first = ""
    for term in sorted(postings, key=_utf16):
        if chunk and (size > MAX_CHUNK or zlib.crc32(term.encode("utf-8")) % every == 0):
            yield first, ("{" + ",".join(chunk) + "}").encode("utf-8")
            chunk, size = [], 0
        if not chunk:
            first = term
        part = (f"{json.dumps(term, ensure_ascii=False)}:"
                f"{json.dumps(postings[term].tolist(), separators=(',', ':'))}")
        chunk.append(part)
        size += len(part) + 1
    if chunk:
        yield first, ("{" + ",".join(chunk) + "}").encode("utf-8")
