"""The persistent article cache in `<site>/.broadsheet-cache/`.

An entry is a fully resolved Article (Markdown already rendered) keyed by everything it depends
on: the source file's bytes (and its sidecar's, and for plain text without a date its mtime), the
engine's own source code and the settings that shape an article. Anything that does not match is
simply not found; a corrupt or foreign cache file is ignored. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from .config import Config
from .errors import Problem
from .model import Article
from .sources.fields import Fields

CACHE_DIR = ".broadsheet-cache"
FILE = "articles.pickle"
FORMAT = 2  # 2: a stream of (key, entry) records ended by None, written as entries arrive
# Settings that only decide *which* articles are built, or where output goes, are not part of the key.
_NOT_IN_KEY = {"site_dir", "output_dir", "now", "drafts", "future"}


@dataclass(frozen=True, slots=True)
class Entry:
    fields: Fields  # what visibility (draft, embargo, expiry) is decided from, at each build's clock
    article: Article
    warnings: tuple[Problem, ...]
    terms: tuple[str, bytes] | None = None  # search.article_terms(), when the site has search


@cache
def engine_key() -> str:
    """A hash of the engine's Python source: a changed engine never reads old entries."""
    h = hashlib.blake2b(digest_size=16)
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def config_key(config: Config) -> str:
    parts = [(f.name, getattr(config, f.name)) for f in fields(config) if f.name not in _NOT_IN_KEY]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def source_key(content_dir: Path, rel: str, prefix: str) -> str:
    """Key of one source file: its bytes, its sidecar's, and its mtime when that can be its date."""
    path = content_dir / rel
    h = hashlib.blake2b(prefix.encode(), digest_size=20)
    h.update(rel.encode())
    data = path.read_bytes()
    h.update(data)
    if rel.lower().endswith(".txt") and not data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        for suffix in (".yaml", ".yml"):
            side = path.with_suffix(suffix)
            if side.is_file():
                h.update(suffix.encode() + side.read_bytes())
        h.update(str(path.stat().st_mtime_ns).encode())  # the date of last resort
    return h.hexdigest()


class ArticleCache:
    """The file is a header pickle, then one (key, entry) pickle per article, then None.

    Records, not one big dict, so a cold build writes each entry while the workers are still
    reading (the parent is otherwise idle then) instead of pickling 10,000 entries at the end.
    """

    def __init__(self, config: Config, enabled: bool = True) -> None:
        self.enabled = enabled
        self.path = config.site_dir / CACHE_DIR / FILE
        self.prefix = engine_key() + config_key(config)
        self.old: dict[str, Entry] = self._load() if enabled else {}
        self.used: dict[str, Entry] = {}
        self._out: Any = None  # the temporary file being written, once an entry was new
        self._unwritten: list[str] = []  # keys used but not yet in it

    def _load(self) -> dict[str, Entry]:
        entries: dict[str, Entry] = {}
        try:
            with self.path.open("rb") as fh:
                # The header is a pickle of its own: a cache made by another engine or with other
                # settings is dropped without unpickling (and holding) its entries.
                if pickle.load(fh) != {"format": FORMAT, "prefix": self.prefix}:
                    return {}
                while (record := pickle.load(fh)) is not None:
                    key, entry = record
                    entries[key] = entry
        except Exception:  # a missing, corrupt, truncated or foreign cache is just empty
            return {}
        return entries

    def key(self, content_dir: Path, rel: str) -> str:
        return source_key(content_dir, rel, self.prefix)

    def get(self, key: str) -> Entry | None:
        entry = self.old.get(key)
        if isinstance(entry, Entry):
            if key not in self.used:
                self._unwritten.append(key)
            self.used[key] = entry
            return entry
        return None

    def put(self, key: str, entry: Entry) -> None:
        """A new entry: written to the next cache file at once (after the entries used so far)."""
        if key not in self.used:
            self._unwritten.append(key)
        self.used[key] = entry
        if self.enabled:
            self._write_used()

    def _write_used(self) -> None:
        if self._out is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = self.path.with_suffix(".tmp").open("wb")
            pickle.dump({"format": FORMAT, "prefix": self.prefix}, self._out, pickle.HIGHEST_PROTOCOL)
        for key in self._unwritten:
            pickle.dump((key, self.used[key]), self._out, pickle.HIGHEST_PROTOCOL)
        self._unwritten.clear()

    def save(self) -> None:
        """Keep exactly the entries this build used (so the file does not grow forever)."""
        if not self.enabled or (self._out is None and self.used.keys() == self.old.keys()):
            return
        self._write_used()
        assert self._out is not None
        pickle.dump(None, self._out, pickle.HIGHEST_PROTOCOL)
        self._out.close()
        self._out = None
        os.replace(self.path.with_suffix(".tmp"), self.path)

    def discard(self) -> None:
        """After a failed read: the cache file stays as it was."""
        if self._out is not None:
            self._out.close()
            self._out = None
            self.path.with_suffix(".tmp").unlink(missing_ok=True)
