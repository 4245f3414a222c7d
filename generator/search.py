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
That merge starts from the last one's postings and chunks (`.broadsheet-cache/search*.pickle`,
generator/cache/search.py) when the docs keep their numbers: it redoes the changed, added and
removed articles' postings and re-cuts only the chunks they fall in (`_update`, `_plan`); its
files are a full merge's byte for byte.

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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any, NamedTuple

from . import analysis
from .cache import terms_of
from .cache.search import DIGEST, IndexFile, IndexState, Row, SearchCache
from .config import Config
from .i18n import dates_only, format_date
from .markdown import visible_text
from .model import Article, BodyRef, Site
from .output import digest

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
    """The visible text of an article's body (no script or style contents), as the analyzer
    needs it: unlike `markdown.plain_text`, whitespace is not folded, which cannot change the
    tokens and took two thirds of its time."""
    return visible_text(_HIDDEN.sub(" ", article.html))


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


class Held(NamedTuple):
    """A file of the index that the output already holds as the last build wrote it: the
    Writer records it unchanged from its hash, so its bytes are not made again."""

    digest: str  # the Writer's hash of its bytes (`output.digest`)


def index_files(site: Site, terms: Mapping[str, IndexTerms | BodyRef], prefix: str = "", *,
                lang: str | None = None, cache: SearchCache | None = None,
                held: Callable[[str, str, int], bool] | None = None,
                keys: Mapping[str, str] | None = None) -> Iterator[tuple[str, bytes | Held]]:
    """The index's files for the Writer, (output path, bytes), each once, in an order that
    depends only on the site; made one at a time, so the Writer holds one chunk at a time.

    `terms` maps each article's source to its `article_terms()`, or to where they are in the
    article cache file; an article missing from it, or whose terms were made in another
    analyzer language, has them worked out here. `prefix` is a language edition's folder
    ("fr/"; `site` is then that edition's): its index goes into `fr/search-index/`, and result
    paths are relative to the edition's root, which is what its search page gives search.js as
    `data-root`. The index is analysed as `lang`: by default the edition's language, else the
    site's.

    With a `cache` (generator/cache/search.py), the merge starts from the state the last one
    saved there and saves its own. When the docs keep their numbers, only the changed, added
    and removed articles' postings are redone (`_update`), only the chunks holding them are cut
    and dumped again (`_plan`), and only the doc groups whose rows changed; a file left as it
    was comes as `Held(digest)` when `held(path, digest, size)` says the output has it
    (`Writer.holds`), else as its bytes. The files are byte for byte a full merge's either way
    (tests/test_search_incremental.py). `keys`, what the build knows each article by (page
    fingerprints' article keys), saves reading every article's terms to learn which changed.
    """
    folder = prefix + SEARCH_DIR
    up = "../" * prefix.count("/")  # from the edition's root back to the site's

    def doc_path(path: str) -> str:
        return path[len(prefix):] if path.startswith(prefix) else up + path

    config = site.config
    tz = config.tz
    if lang is None:
        lang = site.edition.code if site.edition else config.language
    code = analysis.language_code(lang)  # analyzer(lang).lang, without loading its stemmer
    edition = site.edition
    dates = dates_only(edition.code if edition else config.language,
                       edition.date_format if edition else "")
    docs = sorted(site.articles, key=lambda a: (a.date, a.path))
    last = cache.load(code) if cache is not None else None
    old_rows, old_groups = (last.rows, last.groups) if last is not None else ([], [])
    merged = _postings(docs, _DocTerms(terms, config, lang, code, keys or {}), last,
                       keyed=cache is not None)
    del last  # its postings, now merged's

    made: set[str] = set()  # two tags on exactly the same articles make one file

    def file(prefix: str, data: bytes) -> Iterator[tuple[str, bytes]]:
        name = _name(prefix, data)
        if name not in made:
            made.add(name)
            yield f"{folder}/{name}", data

    def standing(kept: IndexFile) -> tuple[str, Held] | None:
        """A file of the last merge, left as it was, when the output has it."""
        rel = f"{folder}/{kept.name}"
        if held is None or not held(rel, kept.digest, kept.size):
            return None
        made.add(kept.name)
        return rel, Held(kept.digest)

    chunks = []
    made_chunks: list[IndexFile] = []  # for the cache
    for first, end, chunk in _plan(merged):
        if isinstance(chunk, IndexFile):
            if found := standing(chunk):
                chunks.append([merged.terms[first], chunk.name])
                made_chunks.append(chunk)
                yield found
                continue
            data = _joined([merged.part(k) for k in range(first, end)])  # gone from the output
        else:
            data = chunk
        chunks.append([merged.terms[first], _name("t", data)])
        if cache is not None:
            made_chunks.append(IndexFile(end - first, chunks[-1][1], digest(data), len(data)))
        yield from file("t", data)
    rows: list[Row] = [] if cache is None else [(a.path, a.title, a.date, a.date.tzinfo)
                                                 for a in docs]
    state = None if cache is None else IndexState(
        [a.source for a in docs], merged.digests, merged.counts, rows, merged.terms,
        merged.lengths, merged.flat, merged.every, made_chunks, [])
    del merged  # the postings (but the state's): as the full merge did, before the groups

    groups = []
    made_groups: list[IndexFile] = []
    for j, start in enumerate(range(0, len(docs), GROUP)):
        end = start + GROUP
        if (j < len(old_groups) and old_rows[start:end] == rows[start:end]
                and (found := standing(old_groups[j]))):
            groups.append(old_groups[j].name)
            made_groups.append(old_groups[j])
            yield found
            continue
        data = _dump([[doc_path(a.path), a.title, format_date(a.date, tz, False, dates), a.date.isoformat()]
                      for a in docs[start:end]])
        groups.append(_name("d", data))
        if cache is not None:
            made_groups.append(IndexFile(len(docs[start:end]), groups[-1], digest(data), len(data)))
        yield from file("d", data)
    if cache is not None and state is not None:
        cache.save(code, replace(state, groups=made_groups))
    del state, rows, old_rows

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


class _DocTerms:
    """Each article's terms for an index analysed as `lang` (`code`): those in `terms` when
    they were made in that analysis, else worked out."""

    def __init__(self, terms: Mapping[str, IndexTerms | BodyRef], config: Config, lang: str,
                 code: str, keys: Mapping[str, str]) -> None:
        self.terms, self.config, self.lang, self.code, self.keys = terms, config, lang, code, keys
        self.same: dict[str, bool] = {}  # an article's language -> its terms are in this analysis

    def given(self, article: Article) -> IndexTerms | BodyRef | None:
        ok = self.same.get(article.lang)
        if ok is None:
            ok = self.same[article.lang] = self.code == analysis.language_code(
                index_language(self.config, article.lang))
        return self.terms.get(article.source) if ok else None

    def of(self, article: Article) -> IndexTerms:
        found = self.given(article)
        return terms_of(found) if found is not None else article_terms(article, self.lang)

    def raw(self, article: Article) -> bytes:
        """As the article cache stores them (names, NUL, weights): what a terms key is made of."""
        found = self.given(article)
        if isinstance(found, BodyRef):
            return found.read()
        names, weights = self.of(article)
        return names.encode("utf-8") + b"\0" + weights

    def key(self, article: Article, data: bytes | None = None) -> bytes:
        """The doc's terms key: the last merge's terms for the doc are this one's when the keys
        are equal. Made from the article's key when it has one and its terms came in `terms`
        (an article cache entry's terms are made from its source, which its key is made from:
        nothing is read), else from the terms' bytes (`data`, else read)."""
        h = hashlib.blake2b(digest_size=DIGEST)
        found = self.keys.get(article.source)
        if found is not None and self.given(article) is not None:
            h.update(b"article\0" + found.encode())
        else:
            h.update(b"terms\0" + (self.raw(article) if data is None else data))
        return h.digest()


def _unpack(data: bytes) -> IndexTerms:
    names, _, weights = data.partition(b"\0")  # no term has a NUL
    return names.decode("utf-8"), weights


def _postings(docs: list[Article], given: _DocTerms, last: IndexState | None, keyed: bool
              ) -> _Merged:
    """This merge's postings: the last merge's updated when that can be done (`_update`), else
    made from every doc's terms; with each doc's terms key when `keyed` (for the cache)."""
    if last is not None:
        keys = b"".join(map(given.key, docs))
        merged = _update(last, [a.source for a in docs], keys, lambda n: given.raw(docs[n]))
        if merged is not None:
            return merged
    keys_made = bytearray()

    def doc_terms() -> Iterator[IndexTerms]:
        for article in docs:
            if not keyed:
                yield given.of(article)
                continue
            data = given.raw(article)
            keys_made.extend(given.key(article, data))
            yield _unpack(data)

    merged = _full(doc_terms())
    merged.digests = bytes(keys_made)
    return merged


def _every(terms: list[str], postings: int) -> int:
    """The chunk-cut modulus: a power of two chosen so chunks average TARGET_CHUNK bytes, from
    the bytes the terms will take, estimated as each term and ~8 per posting ("1234567,"). It
    only changes when the index doubles or halves."""
    total = sum(map(len, terms)) + 8 * postings or 1
    return 2 ** max(0, round(math.log2(max(1.0, TARGET_CHUNK * len(terms) / total))))


def _joined(parts: list[str]) -> bytes:
    return ("{" + ",".join(parts) + "}").encode("utf-8")


@dataclass(slots=True)
class _Merged:
    """This merge's postings, flat (as the cache keeps them), and which of the last merge's
    chunks they leave as they were."""

    terms: list[str]  # every term, in UTF-16 order
    lengths: array[int]  # each term's number of postings
    flat: array[int]  # each term's postings (doc * 256 + weight, docs ascending), term after term
    every: int
    old: list[IndexFile] = field(default_factory=list)  # the last merge's chunks
    firsts: list[str] = field(default_factory=list)  # the first term of each of them
    dirty: set[int] | None = None  # those to cut again; None: every one
    counts: array[int] = field(default_factory=lambda: array("I"))  # each doc's number of terms
    digests: bytes = b""  # each doc's terms key (with a cache)
    offsets: array[int] = field(init=False)  # where each term's postings start in `flat`

    def __post_init__(self) -> None:
        self.offsets = array("Q", accumulate(self.lengths, initial=0))

    def part(self, k: int) -> str:
        """Term k and its postings as its chunk's JSON has them."""
        postings = json.dumps(self.flat[self.offsets[k]:self.offsets[k + 1]].tolist(), separators=(",", ":"))
        return f"{json.dumps(self.terms[k], ensure_ascii=False)}:{postings}"


def _full(doc_terms: Iterable[IndexTerms]) -> _Merged:
    """Every doc's postings, docs numbered in the order given."""
    # One 4-byte int per posting (doc * 256 + weight): far less memory than lists of Python ints
    # (docs/performance.md, "Measurements behind the code").
    postings: dict[str, array[int]] = {}
    counts = array("I")
    for number, (names, weights) in enumerate(doc_terms):
        counts.append(len(weights))
        if not names:
            continue
        base = number << 8
        for term, weight in zip(names.split(" "), weights, strict=True):
            found = postings.get(term)
            if found is None:
                postings[term] = found = array("I")
            found.append(base | weight)
    order = sorted(postings, key=_utf16)
    lengths = array("I", [len(postings[t]) for t in order])
    flat = array("I")
    for term in order:
        flat.extend(postings.pop(term))
    return _Merged(order, lengths, flat, _every(order, len(flat)), counts=counts)


def _cut(merged: _Merged, start: int, resume: Callable[[int], bool]) -> Iterator[tuple[int, int, bytes]]:
    """(first term, end, bytes) of each chunk cut from term `start` on, a chunk beginning there;
    after a chunk that ends before a term `resume` accepts, or at the last term, it stops.

    A chunk ends before a term whose CRC-32 is a multiple of `every`, or when it has grown past
    MAX_CHUNK. Each term's JSON is made as its chunk is, so only one chunk's text is in memory
    at a time.
    """
    terms, every = merged.terms, merged.every
    chunk: list[str] = []
    size = 0
    first = start
    for k in range(start, len(terms)):
        if chunk and (size > MAX_CHUNK or zlib.crc32(terms[k].encode("utf-8")) % every == 0):
            yield first, k, _joined(chunk)
            if resume(k):
                return
            chunk, size, first = [], 0, k
        part = merged.part(k)
        chunk.append(part)
        size += len(part) + 1
    if chunk:
        yield first, len(terms), _joined(chunk)


def _plan(merged: _Merged) -> Iterator[tuple[int, int, IndexFile | bytes]]:
    """Each chunk of the index in term order: (first term, end, the last merge's IndexFile when it
    stands as it was, else the chunk's bytes).

    Cutting depends only on the terms since the last cut, so from a term the last merge cut
    before, and that this one cuts before too, on through terms that did not change, the
    chunks are the last merge's. Dirty chunks are cut again from their start (a cut of the last
    merge that still stands: `_update` marks the chunk before one whose first term went, or
    that a new term joins at its end), until a cut falls before the first term of a clean
    chunk; from there the last merge's chunks are taken, up to the next dirty one.
    """
    terms, old, firsts = merged.terms, merged.old, merged.firsts
    dirty = set(range(len(old))) if merged.dirty is None else merged.dirty
    clean = {first: j for j, first in enumerate(firsts) if j not in dirty}
    pos, j = 0, 0
    while pos < len(terms):
        if j < len(old) and j not in dirty:
            assert terms[pos] == firsts[j], "the search cache's chunks are out of step"
            yield pos, pos + old[j].count, old[j]
            pos += old[j].count
            j += 1
            continue
        end = len(terms)
        for first, end, data in _cut(merged, pos, lambda k, j=j: clean.get(terms[k], -1) > j):
            yield first, end, data
        pos = end
        if pos < len(terms):
            j = clean[terms[pos]]


def _update(last: IndexState, sources: list[str], digests: bytes, raw: Callable[[int], bytes]
            ) -> _Merged | None:
    """The last merge's postings with the changed, added and removed docs redone, or None when
    the shortcut does not apply: docs renumbered (one came or went before the last, or moved
    in the date order), too many changed to be worth it, or a state that does not add up.

    A doc is changed when its terms key is not the last one's. Its postings are replaced in
    each posting list its new terms are in (found by bisection: docs ascend), and removed from
    the others it was in; those are looked for only when fewer lists held it than it had terms
    (`counts`), so an edit that drops no word costs no scan.
    """
    n_old, n_new = len(last.docs), len(sources)
    same = min(n_old, n_new)
    if sources[:same] != last.docs[:same]:
        return None  # renumbered: every posting after the first such doc moves
    old_keys = last.digests
    changed = [n for n in range(same)
               if digests[n * DIGEST:(n + 1) * DIGEST] != old_keys[n * DIGEST:(n + 1) * DIGEST]]
    if len(changed) + abs(n_new - n_old) > max(8, n_new // 8):
        return None  # a merge whole is as quick
    old_terms, old_flat = last.terms, last.flat
    offsets = array("Q", accumulate(last.lengths, initial=0))
    where: dict[str, int] = {}  # term -> its index in old_terms, -1 for a new term

    def index(term: str) -> int:
        k = where.get(term)
        if k is None:
            k = bisect_left(old_terms, _utf16(term), key=_utf16)
            where[term] = k = k if k < len(old_terms) and old_terms[k] == term else -1
        return k

    work: dict[str, array[int]] = {}  # the posting lists touched, as they are now

    def postings(term: str) -> array[int]:
        found = work.get(term)
        if found is None:
            k = index(term)
            found = work[term] = array("I") if k < 0 else old_flat[offsets[k]:offsets[k + 1]]
        return found

    counts = last.counts[:n_new]
    if n_new < n_old:  # the newest docs went: their postings end each list they are in
        bound, cut = n_new << 8, 0
        for k, term in enumerate(old_terms):
            lo, hi = offsets[k], offsets[k + 1]
            if old_flat[hi - 1] >= bound:
                at = bisect_left(old_flat, bound, lo, hi)
                work[term] = old_flat[lo:at]
                cut += hi - at
        if cut != sum(last.counts[n_new:]):
            return None

    missing: list[tuple[int, set[str], int]] = []  # (doc, its terms, postings of it left)
    for n in changed:
        names, weights = _unpack(raw(n))
        words = names.split(" ") if names else []
        base, found = n << 8, 0
        for term, weight in zip(words, weights, strict=True):
            lst = postings(term)
            at = bisect_left(lst, base)
            if at < len(lst) and lst[at] >> 8 == n:
                lst[at] = base | weight
                found += 1
            else:
                lst.insert(at, base | weight)
        if found != last.counts[n]:
            missing.append((n, set(words), last.counts[n] - found))
        counts[n] = len(weights)
    if missing:  # the words a doc no longer has: one bisection per list and doc
        if len(missing) * len(old_terms) > len(old_flat):
            return None
        left = {n: extra for n, _, extra in missing}
        for k, term in enumerate(old_terms):
            lo, hi = offsets[k], offsets[k + 1]
            for n, words, _ in missing:
                if term in words:
                    continue
                lst = work.get(term)
                if lst is None:
                    at = bisect_left(old_flat, n << 8, lo, hi)
                    if at == hi or old_flat[at] >> 8 != n:
                        continue
                    lst = work[term] = old_flat[lo:hi]
                at = bisect_left(lst, n << 8)
                if at < len(lst) and lst[at] >> 8 == n:
                    del lst[at]
                    left[n] -= 1
        if any(left.values()):
            return None

    for n in range(n_old, n_new):  # new docs: numbered after every other, so appended
        names, weights = _unpack(raw(n))
        base = n << 8
        for term, weight in zip(names.split(" ") if names else [], weights, strict=True):
            postings(term).append(base | weight)
        counts.append(len(weights))

    terms, lengths, flat, events = _splice(last, offsets, work, index)
    every = _every(terms, len(flat))
    dirty = None if every != last.every or not last.chunks else _dirty(last, events, work)
    return _Merged(terms, lengths, flat, every, last.chunks, [old_terms[s] for s in _starts(last)[:-1]],
                   dirty, counts, digests)


Event = tuple[int, int, bytes, str]  # a changed posting list: see `_splice`


def _splice(last: IndexState, offsets: array[int], work: dict[str, array[int]],
            index: Callable[[str], int]) -> tuple[list[str], array[int], array[int], list[Event]]:
    """The last merge's terms and postings with the changed lists (`work`) put in: unchanged
    runs are copied whole. Also the changes, in term order, each with where it goes among the
    last merge's terms: a new term before the old term at its insertion point (kind 0), an old
    one in its place (1; an empty list: the term went)."""
    old_terms, old_flat = last.terms, last.flat
    events: list[Event] = []
    for term, lst in work.items():
        k = index(term)
        if k < 0:
            if lst:
                key = _utf16(term)
                events.append((bisect_left(old_terms, key, key=_utf16), 0, key, term))
        elif lst != old_flat[offsets[k]:offsets[k + 1]]:
            events.append((k, 1, b"", term))
    events.sort()
    terms: list[str] = []
    lengths, flat = array("I"), array("I")
    done = 0
    for k, kind, _, term in events:
        terms += old_terms[done:k]
        lengths += last.lengths[done:k]
        flat += old_flat[offsets[done]:offsets[k]]
        if lst := work[term]:
            terms.append(term)
            lengths.append(len(lst))
            flat += lst
        done = k + kind
    terms += old_terms[done:]
    lengths += last.lengths[done:]
    flat += old_flat[offsets[done]:]
    return terms, lengths, flat, events


def _starts(last: IndexState) -> array[int]:
    """Where each of the last merge's chunks starts among its terms, and where the last ends."""
    return array("Q", accumulate((c.count for c in last.chunks), initial=0))


def _dirty(last: IndexState, events: list[Event], work: dict[str, array[int]]) -> set[int]:
    """The last merge's chunks that a change falls in (see `_plan`): an old term's own; a new
    term's, the chunk of the term before it (the first chunk for a new first term); and for a
    chunk's first term that went, the chunk before it too, as the cut before it may go."""
    starts, n_chunks = _starts(last), len(last.chunks)
    dirty = set()
    for k, kind, _, term in events:
        if kind == 0:
            dirty.add(bisect_right(starts, max(k - 1, 0), 0, n_chunks) - 1)
            continue
        c = bisect_right(starts, k, 0, n_chunks) - 1
        dirty.add(c)
        if not work[term] and k == starts[c] and c > 0:
            dirty.add(c - 1)
    return dirty
