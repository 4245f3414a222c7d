"""What the last merge of each edition's search index made, `.broadsheet-cache/search*.pickle`,
so the next build redoes only what its changed, added and removed articles touch (issue #20).

Merging the index whole re-reads every article's terms, rebuilds every posting list and dumps
every term chunk again: 0.45 s at 10,000 articles, ~10 s at 100,000, after a one-line edit that
changes a fraction of the chunks. `search.index_files` keeps its postings here instead, with
each doc's terms key, and re-cuts only the chunks whose terms changed (how, and why the result
is byte for byte the full merge's: `search._update` and `search._plan`).

One file per edition (`search.pickle`, `search.fr.pickle`), under a key of everything the state
depends on besides the articles' terms, which it checks one by one: the engine, the edition's
settings, its folder and the analyzer language. The header is a pickle of its own, so a file of
another key is dropped without unpickling its state; a missing, corrupt or foreign file is no
state (the merge is done whole). The file is replaced whole (tmp + os.replace), or left as it
was. `--no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
from array import array
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path

from ..config import Config
from .keys import CACHE_DIR, config_key, engine_key

FORMAT = 1

DIGEST = 16  # bytes of a doc's terms key (blake2b): the terms are compared by it, not read twice


@dataclass(frozen=True, slots=True)
class IndexFile:
    """A term chunk or doc group of the last merge: what it covers and its file."""

    count: int  # its terms (a term chunk, from the end of the one before) or docs (a doc group)
    name: str  # its file's name, t.<hash>.json or d.<hash>.json
    digest: str  # the Writer's hash of its bytes (`output.digest`): is the output holding it
    size: int  # its bytes' length, which the Writer checks too


# What a doc's row in its doc group is made from: its path, title, date and the date's zone
# (dates compare by instant: the same instant in another zone is shown the same, but its ISO
# form has another offset; in the same zone it is the same wall time).
Row = tuple[str, str, datetime, tzinfo | None]


@dataclass(frozen=True, slots=True)
class IndexState:
    """An edition's index as the last merge made it: enough to update the postings in place
    and to know which chunks and doc groups an update leaves as they were."""

    docs: list[str]  # article sources by doc number (date, then path)
    digests: bytes  # each doc's terms key, DIGEST bytes each, in doc order
    counts: array[int]  # each doc's number of terms: how many posting lists hold it
    rows: list[Row]  # each doc's row in its doc group, as what it is made from
    terms: list[str]  # every term, in the chunks' order (UTF-16)
    lengths: array[int]  # each term's number of postings
    flat: array[int]  # the postings (doc * 256 + weight) of every term, term after term
    every: int  # the chunk-cut modulus these chunks were cut with
    chunks: list[IndexFile]
    groups: list[IndexFile]

    def consistent(self) -> bool:
        """Whether the parts agree with one another (cheap: sums in C). A state that does not is
        not used, so an update never starts from postings that the chunks do not describe."""
        n = len(self.docs)
        return (len(self.digests) == DIGEST * n and len(self.counts) == len(self.rows) == n
                and sum(g.count for g in self.groups) == n
                and len(self.terms) == len(self.lengths) == sum(c.count for c in self.chunks)
                and sum(self.lengths) == len(self.flat) == sum(self.counts)
                and 0 not in self.lengths and self.every >= 1)


def _file_name(prefix: str) -> str:
    """`search.pickle` for the site's root, `search.fr.pickle` for the `fr/` edition. Two
    folders that map to one name only share a file: the key says whose it is."""
    folder = re.sub(r"[^A-Za-z0-9_-]+", "_", prefix.strip("/"))
    return f"search.{folder}.pickle" if folder else "search.pickle"


class SearchCache:
    """The merge state of one edition's index (`prefix` its folder), keyed as the module says."""

    def __init__(self, config: Config, prefix: str = "") -> None:
        self.path: Path = config.site_dir / CACHE_DIR / _file_name(prefix)
        # the postings are written as the machine holds them (array.tofile): its byte order too
        self.base = (FORMAT, engine_key(), config_key(config), prefix, sys.byteorder,
                     array("I").itemsize)

    def _header(self, lang: str) -> bytes:
        key = hashlib.blake2b(repr((*self.base, lang)).encode(), digest_size=16).hexdigest()
        return pickle.dumps(("broadsheet-search", key), pickle.HIGHEST_PROTOCOL)

    def load(self, lang: str) -> IndexState | None:
        """The last merge's state for an index analysed as `lang`, or None."""
        header = self._header(lang)
        try:
            with self.path.open("rb") as fh:
                if fh.read(len(header)) != header:
                    return None
                state = pickle.load(fh)
                if not isinstance(state, IndexState):
                    return None
                flat = array("I")
                flat.fromfile(fh, sum(state.lengths))
                if fh.read(1):
                    return None
        except Exception:  # missing, corrupt or foreign: merged whole
            return None
        state = replace(state, flat=flat)
        return state if state.consistent() else None

    def save(self, lang: str, state: IndexState) -> None:
        """Keep this merge's state for the next; the file is replaced whole, or left as it was.
        The postings go last, raw: pickling them would copy them twice."""
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                fh.write(self._header(lang))
                pickle.dump(replace(state, flat=array("I")), fh, pickle.HIGHEST_PROTOCOL)
                state.flat.tofile(fh)
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be written only costs time
