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

Terms: an index is in one language (meta.json's "lang"), and its terms are the words of the
text as generator/analysis.py makes them for that language: lower-cased, Snowball-stemmed, stop
words left out, accents folded, Chinese and Japanese as character pairs. `search.js` loads the
same analysis for that language (static/js/stem/<lang>.js) and analyses queries with it. The
last word of a query is also matched as a prefix, so results come as the reader types.

A site with editions makes one index per edition (`index_files(edition, terms, "fr/")`), each
analysed in its edition's language.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import analysis
from .cache import terms_of
from .config import Config
from .i18n import dates_only, format_date
from .markdown import plain_text
from .model import Article, BodyRef, Site

SEARCH_DIR = "search-index"  # the index's folder in the output
FORMAT = 2  # in meta.json: bump when the files or the analysis change (search.js checks it)
GROUP = 100  # docs per doc-group file
TITLE_BOOST = 4  # a title word counts as this many body words
K1, B, AVGDL = 1.2, 0.75, 400.0  # BM25 with a fixed average length (see the module docstring)
TARGET_CHUNK = 24_000  # bytes: the aim for a term chunk; chunk cuts are chosen to average this
MAX_CHUNK = 4 * TARGET_CHUNK  # a chunk past this ends at the next term whatever its hash

_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

IndexTerms = tuple[str, bytes]
"""An article's terms, space-separated, and one weight byte (1-255) per term, in the same order.

Compact on purpose: every article's terms sit in the cache and in memory (figures in
docs/performance.md, "Measurements behind the code")."""


def index_language(config: Config, lang: str) -> str:
    """The analyzer language for an article written in `lang`: its own language when the site
    has an edition in it, else the site's language (one index, one analysis, so a query is
    analysed as every article in it was)."""
    return lang if lang in config.languages else config.language  # empty without [languages]


def article_text(article: Article) -> str:
    """The visible text of an article's body (no script or style contents)."""
    return plain_text(_HIDDEN.sub(" ", article.html))


def article_terms(article: Article, lang: str) -> IndexTerms:
    """The article's terms and their BM25 weights, analysed as `lang` (`index_language()`):
    what the index holds for it."""
    analyzer = analysis.analyzer(lang)
    title = analyzer.terms(article.title)
    counts = analyzer.counts(article_text(article))
    length = sum(counts.values()) + len(title)
    for w in title:
        counts[w] = counts.get(w, 0) + TITLE_BOOST
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


def index_files(site: Site, terms: Mapping[str, IndexTerms | BodyRef], prefix: str = "", *,
                lang: str | None = None) -> Iterator[tuple[str, bytes]]:
    """The index's files for the Writer, (output path, bytes), each once, in an order that
    depends only on the site; made one at a time, so the Writer holds one chunk at a time.

    `terms` maps each article's source to its `article_terms()`, or to where they are in the
    article cache file; an article missing from it, or whose terms were made in another
    analyzer language, has them worked out here. `prefix` is a language edition's folder
    ("fr/"; `site` is then that edition's): its index goes into `fr/search-index/`, and result
    paths are relative to the edition's root, which is what its search page gives search.js as
    `data-root`. The index is analysed as `lang`: by default the edition's language, else the
    site's.
    """
    folder = prefix + SEARCH_DIR
    up = "../" * prefix.count("/")  # from the edition's root back to the site's

    def doc_path(path: str) -> str:
        return path[len(prefix):] if path.startswith(prefix) else up + path

    config = site.config
    tz = config.tz
    if lang is None:
        lang = site.edition.code if site.edition else config.language
    code = analysis.analyzer(lang).lang
    edition = site.edition
    dates = dates_only(edition.code if edition else config.language,
                       edition.date_format if edition else "")
    docs = sorted(site.articles, key=lambda a: (a.date, a.path))
    # One 4-byte int per posting (doc * 256 + weight): far less memory than lists of Python ints
    # (docs/performance.md, "Measurements behind the code").
    postings: dict[str, array[int]] = {}
    for number, article in enumerate(docs):
        found = terms.get(article.source)
        if found is None or analysis.analyzer(index_language(config, article.lang)).lang != code:
            names, weights = article_terms(article, lang)
        else:
            names, weights = terms_of(found)
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
        data = _dump([[doc_path(a.path), a.title, format_date(a.date, tz, False, dates), a.date.isoformat()]
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
        "format": FORMAT, "lang": code, "docs": len(docs), "group": GROUP, "chunks": chunks,
        "groups": groups, "filters": filters_name})


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
