"""The article cache, `.broadsheet-cache/articles.pickle`: every source read and rendered.

An entry is a fully resolved Article (Markdown already rendered) with the fields its visibility
is decided from, its warnings and its search terms, under the source's key (`keys.SourceKeys`).
The rules that make an entry stale are in the table of `generator/cache/__init__.py`.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from ..config import Config
from ..errors import Problem
from ..model import Article, BodyFile, BodyRef
from ..pickling import fast_pickling
from ..sources.fields import Schedule
from .keys import CACHE_DIR, SourceKeys

FILE = "articles.pickle"
FORMAT = 7  # 7: term links pickled by value (model._term_ref); 6: a Schedule, not the Fields


@dataclass(frozen=True, slots=True)
class Entry:
    schedule: Schedule  # what visibility (draft, embargo, expiry) is decided from, at each build's clock
    article: Article
    warnings: tuple[Problem, ...]
    # search.article_terms(), when the site has search; left in the cache file until the index
    # is merged, so the parent (and every worker forked from it) need not hold them
    terms: tuple[str, bytes] | BodyRef | None = None
    # the file's st_mtime_ns when the article's date is its mtime (or the file changed while it
    # was read): the entry is stale once the file's mtime is another
    mtime_ns: int | None = None


fast_pickling(Entry)


def mtime_to_check(before: os.stat_result, after: os.stat_result | None, date: datetime | None
                   ) -> int | None:
    """`Entry.mtime_ns` for an article read between two stats of its file: the mtime before,
    when the date is that mtime or the file changed (or went) meanwhile, so the next build reads
    it again; None when the mtime plays no part.

    The readers' last-resort date is the mtime cut to the second, from the float mtime or from
    its whole seconds (the float's rounding can put them a second apart): any date within a
    second of the mtime is taken for it. An explicit date that happens to be that close makes a
    `touch` re-read the article, which is only slower."""
    if after is None or before.st_mtime_ns != after.st_mtime_ns:
        return before.st_mtime_ns
    if date is not None and abs(date.timestamp() - before.st_mtime_ns / 1e9) <= 1:
        return before.st_mtime_ns
    return None


def article_key(key: str, entry: Entry) -> str:
    """What page fingerprints know an article by: its cache key, and the mtime its date came from
    (which the key, made from bytes, does not hold)."""
    return key if entry.mtime_ns is None else f"{key}@{entry.mtime_ns}"


BODIES_IN_FILE = hasattr(os, "pread")  # elsewhere (Windows) bodies are kept in memory
DEAD_SHARE = 0.1  # records no build uses, as a share of the file, past which it is written anew

Span = tuple[int, int]  # where a record is in its cache file: start and end offsets

# The in-process memo: the entries of the cache file this process last read or wrote, with
# the file's identity (inode, mtime, size, key prefix). A `serve` session rebuilds again and
# again, and need not re-read a file it wrote itself; a file changed on disk is read again.
_last: tuple[tuple[int, int, int, str], dict[str, Entry], dict[str, Span]] | None = None


def forget_remembered() -> None:
    """Drop the in-process memo: the next build reads the cache file, as a new process would."""
    global _last
    _last = None


def _identity(path: Path, prefix: str) -> tuple[int, int, int, str] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size, prefix)


def _bytes(value: bytes | BodyRef) -> bytes:
    return value if isinstance(value, bytes) else value.read()


def _unpack_terms(data: bytes) -> tuple[str, bytes]:
    names, _, weights = data.partition(b"\0")  # no word has a NUL, no weight is 0
    return names.decode("utf-8"), weights


def _held(entry: Entry, body: bytes | BodyRef, terms: bytes | BodyRef | None) -> Entry:
    """The entry with its body and terms (as stored by `record()`) put back: references into
    the cache file, or the bytes themselves, the terms then unpacked."""
    return replace(entry, article=replace(entry.article, body=body),
                   terms=_unpack_terms(terms) if isinstance(terms, bytes) else terms)


_set = object.__setattr__


# One object for each distinct value of the fields articles share (their term links, kind,
# language, sidebar and widgets). Each record is a pickle of its own, so unpickling gives every
# article its own copies: a tag on 500 articles was 500 TermRefs and 1,000 strings.
_shared: dict[object, object] = {}
SHARED_LIMIT = 200_000  # distinct values kept; a long `serve` must not grow for ever


def _completed(entry: Entry, body: bytes | BodyRef, terms: bytes | BodyRef | None) -> Entry:
    """`_held()` for an entry just unpickled, which nothing else holds yet: completed in
    place. Loading 10,000 entries this way is 0.5 s less than two `replace()` calls each.
    Values many articles share become one object (`_shared`, and `model._term_ref` for the
    term links): 0.7 KB less per article."""
    if len(_shared) >= SHARED_LIMIT:
        _shared.clear()
    share = _shared.setdefault
    a = entry.article
    _set(a, "body", body)
    widgets = a.widgets  # term links are shared as they are unpickled (`model._term_ref`)
    _set(a, "widgets", share(widgets, widgets))
    _set(a, "kind", share(a.kind, a.kind))
    _set(a, "lang", share(a.lang, a.lang))
    _set(a, "sidebar", share(a.sidebar, a.sidebar))
    _set(entry, "terms", _unpack_terms(terms) if isinstance(terms, bytes) else terms)
    return entry


def terms_of(value: tuple[str, bytes] | BodyRef) -> tuple[str, bytes]:
    """An entry's search terms, read from the cache file when they are there."""
    return value if isinstance(value, tuple) else _unpack_terms(value.read())


def record(key: str, entry: Entry) -> tuple[bytes, bytes, bytes | None]:
    """An entry as the cache file stores it: a pickle of (key, entry without body or terms, body
    length, terms length or None), the body, and the terms (names, NUL, weights) if any. Build
    workers make these, so the parent, which the workers keep waiting while it handles their
    results, writes them as they are instead of pickling again."""
    body = _bytes(entry.article.body)
    terms = entry.terms
    if isinstance(terms, tuple):
        terms = terms[0].encode("utf-8") + b"\0" + terms[1]
    elif terms is not None:
        terms = terms.read()  # already stored this way
    bare = replace(entry, article=replace(entry.article, body=b""), terms=None)
    head = (key, bare, len(body), None if terms is None else len(terms))
    return pickle.dumps(head, pickle.HIGHEST_PROTOCOL), body, terms


class ArticleCache:
    """The file: a header pickle; per article a `record()` (a pickle of the entry without its
    body and search terms, then those two raw); None at the end (a file cut short is ignored
    whole).

    Bodies and terms stay in the file: the entries this cache hands out carry a `BodyRef` into
    it for each, read when a page shows the body and when the search index is merged. Entries
    are written as they arrive from the workers, not pickled all at once at the end.
    """

    def __init__(self, config: Config, enabled: bool = True, remember: bool = True) -> None:
        self.enabled = enabled
        # keep the entries in the in-process memo (`_last`) for the next build in this process:
        # `serve`'s rebuilds; a one-off build frees them (their fields) once it has read them
        self.remember = remember
        self.path = config.site_dir / CACHE_DIR / FILE
        self.keys = SourceKeys(config, remember=enabled)
        self.prefix = self.keys.prefix
        self.old: dict[str, Entry] = {}
        # where each old entry's record is in its file: an unchanged entry is copied as it is
        self._spans: dict[str, Span] = {}
        if enabled:
            self.old, self._spans = self._load()
        self._spans_out: dict[str, Span] = {}  # the same for the file being written
        self.used: dict[str, Entry] = {}
        self._unwritten: list[str] = []  # keys used but not yet in the file being written
        self._out: BodyFile | None = None  # the next cache file, once one is being written
        self._end = 0  # its length so far
        # where the old file's end marker is: new records go there (`_write_used`)
        self._tail = max((end for _, end in self._spans.values()), default=None)
        self._appending = False  # the records are being added to the old file, not a new one

    def _header(self) -> bytes:
        return pickle.dumps({"format": FORMAT, "prefix": self.prefix}, pickle.HIGHEST_PROTOCOL)

    def _load(self) -> tuple[dict[str, Entry], dict[str, Span]]:
        identity = _identity(self.path, self.prefix)
        if identity is not None and _last is not None and _last[0] == identity:
            return dict(_last[1]), _last[2]
        try:
            body_file = BodyFile(os.open(self.path, os.O_RDONLY))
        except OSError:
            return {}, {}
        entries: dict[str, Entry] = {}
        spans: dict[str, Span] = {}
        try:
            with open(body_file.fd, "rb", closefd=False) as fh:
                # The header is a pickle of its own: a cache made by another engine or with other
                # settings is dropped without unpickling (and holding) its entries.
                header = self._header()
                if fh.read(len(header)) != header:
                    return {}, {}
                start = fh.tell()
                while (head := pickle.load(fh)) is not None:
                    key, entry, length, terms_length = head
                    entries[key] = self._attach(entry, fh, body_file, length, terms_length)
                    end = fh.tell()
                    spans[key] = (start, end)
                    start = end
        except Exception:  # a corrupt, truncated or foreign cache is just empty
            return {}, {}
        self._remember(entries, spans)
        return dict(entries), spans

    @staticmethod
    def _attach(entry: Entry, fh: BinaryIO, body_file: BodyFile, length: int,
                terms_length: int | None) -> Entry:
        """The entry with its body and terms, which follow its pickle in `fh`: references into
        the file where pread works, else the bytes themselves."""
        parts: list[bytes | BodyRef] = []
        for n in (length, terms_length or 0):
            if BODIES_IN_FILE:
                parts.append(BodyRef(body_file, fh.tell(), n))
                fh.seek(n, os.SEEK_CUR)
            else:
                parts.append(fh.read(n))
        body, terms = parts
        return _completed(entry, body, None if terms_length is None else terms)

    def lookup(self, rel: str) -> tuple[str, Entry | None]:
        """The key of source `rel` and its entry, None when there is none or it is stale (its
        date came from the file's mtime, which has changed since). OSError: unreadable file."""
        key = self.keys.key(rel)
        entry = self.old.get(key)
        if entry is None or (entry.mtime_ns is not None and entry.mtime_ns != os.stat(
                self.keys.content_dir / rel).st_mtime_ns):
            return key, None
        if key not in self.used:
            self._unwritten.append(key)
        self.used[key] = entry
        return key, entry

    def add(self, key: str, pickled: bytes, body: bytes, terms: bytes | None) -> Entry:
        """A new entry, from a worker's `record()`: written to the next cache file at once, and
        returned as the build should keep it (body and terms in the file, when there is one)."""
        entry: Entry = pickle.loads(pickled)[1]
        if self.enabled:
            self._write_used()  # opens the file; the entries taken from the old one go first
            entry = self._write(key, pickled, entry, body, terms, fresh=True)
        else:
            entry = _completed(entry, body, terms)
        self.used[key] = entry
        return entry

    def _write(self, key: str, pickled: bytes, entry: Entry, body: bytes, terms: bytes | None,
               fresh: bool = False) -> Entry:
        """Append one record; the entry as it would be read back from the file (`_attach`),
        completed in place when it is `fresh` (just unpickled, held by nothing else)."""
        held = _completed if fresh else _held
        assert self._out is not None
        first = self._end
        self._append(pickled)
        start = self._end
        self._append(body)
        if terms is not None:
            self._append(terms)
        self._spans_out[key] = (first, self._end)
        if not BODIES_IN_FILE:
            return held(entry, body, terms)
        return held(entry, BodyRef(self._out, start, len(body)), None if terms is None else
                    BodyRef(self._out, start + len(body), len(terms)))

    def _append(self, data: bytes) -> None:
        assert self._out is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self._out.fd, view):]
        self._end += len(data)

    def _dead_bytes(self) -> int:
        """How much of the old file holds records this build does not use."""
        if self._tail is None:
            return 0
        live = sum(end - start for key, (start, end) in self._spans.items() if key in self.used)
        return self._tail - len(self._header()) - live

    def _can_append(self) -> bool:
        """Whether new records may go at the end of the old file instead of into a new one
        with every used record copied (69 MB at 10,000 articles, for one edited article): while
        the records no build uses stay under DEAD_SHARE of the file. Those are read and dropped
        by every build until the file is written anew."""
        return (BODIES_IN_FILE and self._tail is not None
                and self._dead_bytes() <= DEAD_SHARE * self._tail)

    def _write_used(self) -> None:
        """Open the file being written, if not yet (the old one to add to, or a new one), and
        put in it the used entries not yet there."""
        if self._out is None and self._can_append():
            assert self._tail is not None
            self._out = BodyFile(os.open(self.path, os.O_RDWR))
            os.ftruncate(self._out.fd, self._tail)  # the end marker goes; it is written again
            os.lseek(self._out.fd, self._tail, os.SEEK_SET)
            self._end = self._tail
            self._appending = True
        elif self._out is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = BodyFile(os.open(self.path.with_suffix(".tmp"),
                                         os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644))
            self._end = 0
            self._append(self._header())
        for key in self._unwritten:
            if self._appending and key in self._spans:
                self._spans_out[key] = self._spans[key]  # where it already is
                continue
            entry = self.used[key]
            copied = self._copy(key, entry)
            if copied is None:
                pickled, body, terms = record(key, entry)
                copied = self._write(key, pickled, entry, body, terms)
            self.used[key] = copied
        self._unwritten.clear()

    def _copy(self, key: str, entry: Entry) -> Entry | None:
        """An entry of the old file appended to the new one as its record's bytes, without
        unpickling or pickling it again (much the cheaper); None when it is not in the old file."""
        span = self._spans.get(key)
        body, terms = entry.article.body, entry.terms
        if span is None or not isinstance(body, BodyRef) or isinstance(terms, tuple):
            return None
        assert self._out is not None
        start, end = span
        shift = self._end - start  # where the record moves to, less where it was
        self._append(body.file.read(start, end - start))
        self._spans_out[key] = (start + shift, end + shift)
        return _held(entry, BodyRef(self._out, body.offset + shift, body.length),
                     None if terms is None else BodyRef(self._out, terms.offset + shift,
                                                        terms.length))

    def save(self) -> None:
        """Keep the entries this build used: new ones were added to the old file, or, once too
        much of it is records no build uses, the used ones are written to a new file (so the
        file does not grow for ever)."""
        if not self.enabled or (self._out is None and self.used.keys() == self.old.keys()):
            return
        if self._out is None and self._can_append():
            self._remember(dict(self.used), {k: self._spans[k] for k in self.used})
            return  # only some entries unused, and few: the file stands as it is
        self._write_used()
        self._append(pickle.dumps(None, pickle.HIGHEST_PROTOCOL))
        if not self._appending:
            os.replace(self.path.with_suffix(".tmp"), self.path)
        self._out = None  # stays open for the articles that read their bodies from it
        self._remember(dict(self.used), dict(self._spans_out))

    def _remember(self, entries: dict[str, Entry], spans: dict[str, Span]) -> None:
        global _last
        if not self.remember:
            _last = None
            return
        identity = _identity(self.path, self.prefix)
        _last = (identity, entries, spans) if identity is not None else None

    def discard(self) -> None:
        """After a failed read: the cache file stays as it was (what was added to it is cut
        off again, and its end marker put back)."""
        if self._out is not None and self._appending:
            assert self._tail is not None
            os.ftruncate(self._out.fd, self._tail)
            os.pwrite(self._out.fd, pickle.dumps(None, pickle.HIGHEST_PROTOCOL), self._tail)
        elif self._out is not None:
            self.path.with_suffix(".tmp").unlink(missing_ok=True)
        self._out = None
