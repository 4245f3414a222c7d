"""What the caches key on: the engine, the settings, and each source file (see the table in
`generator/cache/__init__.py`)."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import fields
from functools import cache
from importlib import metadata
from pathlib import Path

from ..config import Config

CACHE_DIR = ".broadsheet-cache"
ENGINE_ROOT = Path(__file__).resolve().parent.parent  # generator/: all of its source is the engine
# The libraries whose output ends up in the site: upgrading one can change what an article
# or a page is, so their versions are part of the engine.
LIBRARIES = ("markdown", "pygments", "pyyaml", "python-frontmatter", "latex2mathml", "jinja2",
             "markupsafe", "feedgen", "babel", "snowballstemmer")
# Settings that only decide *which* articles are built, or where output goes, are not part of the key.
NOT_IN_KEY = frozenset({"site_dir", "output_dir", "now", "drafts", "future"})
SIDECARS = (".yaml", ".yml")  # a plain-text article's metadata file, as sources/plaintext.py reads it
STATS_FILE = "source-stats.pickle"  # SourceKeys.known: a source's stat -> its key
STATS_FORMAT = 1
RACY_NS = 2_000_000_000  # a file changed this close to a build's start is hashed again next time


def engine_files() -> list[Path]:
    return sorted(ENGINE_ROOT.rglob("*.py"))


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def engine_key() -> str:
    """A hash of the engine's Python source, the Python version and the libraries' versions:
    a changed engine never reads old entries."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for library in LIBRARIES:
        h.update(f"\0{library}={_version(library)}".encode())
    for path in engine_files():
        h.update(b"\0" + path.relative_to(ENGINE_ROOT).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def config_key(config: Config, leave_out: frozenset[str] = NOT_IN_KEY) -> str:
    """A hash of every setting that can change an article or a page (`leave_out`: those that
    only choose which articles are built or where output goes)."""
    parts = [(f.name, getattr(config, f.name)) for f in fields(config) if f.name not in leave_out]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _image_names(folder: Path) -> bytes:
    """The file names in `static/images/`: a wire article's `Image |` line shows the image named
    after its alt text when there is one (sources/plaintext.py), a placeholder when not."""
    try:
        with os.scandir(folder) as entries:
            return "\0".join(sorted(e.name for e in entries if e.is_file())).encode()
    except OSError:
        return b""


Identity = tuple[int, int, int, int]  # st_ino, st_size, st_mtime_ns, st_ctime_ns


def _identity(st: os.stat_result) -> Identity:
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class SourceKeys:
    """Keys of one build's source files. The prefix (engine and settings) and the site's image
    names are worked out once; forked read workers inherit them to key sources themselves.

    A Markdown source whose stat (inode, size, mtime and ctime) is the one the last build saw
    keeps the key it had then, unread: a no-change build at 10,000 articles read and hashed
    40 MB for 0.25 s before. Only files whose ctime was more than `RACY_NS` before that build
    began are remembered, so a file written while a build read it is hashed again (git's rule
    for racily clean index entries); ctime cannot be set back, so no edit keeps an old key."""

    def __init__(self, config: Config, remember: bool = False) -> None:
        self.content_dir = config.site_dir / "content"
        self.prefix = engine_key() + config_key(config)
        self.images = _image_names(config.site_dir / "static" / "images")
        self.started_ns = time.time_ns()
        self.stats_path = config.site_dir / CACHE_DIR / STATS_FILE
        self.known: dict[str, tuple[Identity, str]] = self._load() if remember else {}
        self.seen: dict[str, tuple[Identity, str]] = {}  # what this process keyed, as known

    def _header(self) -> tuple[int, str]:
        return STATS_FORMAT, self.prefix

    def _load(self) -> dict[str, tuple[Identity, str]]:
        try:
            with open(self.stats_path, "rb") as fh:
                header, known = pickle.load(fh)
        except Exception:  # missing, corrupt or foreign: every source is hashed
            return {}
        return known if header == self._header() and isinstance(known, dict) else {}

    def save(self, keys: dict[str, str]) -> None:
        """Remember the key of each Markdown source of this build (source -> key) by its stat,
        where that is safe (see the class); the file is replaced whole, or left as it was."""
        known: dict[str, tuple[Identity, str]] = {}
        safe_before = self.started_ns - RACY_NS
        for rel, key in keys.items():
            if rel.lower().endswith(".txt"):
                continue  # its key has its sidecar and the image names in it too
            seen = self.seen.get(rel)
            if seen is None or seen[1] != key:
                try:
                    seen = (_identity(os.stat(self.content_dir / rel)), key)
                except OSError:
                    continue
            if seen[0][3] < safe_before:
                known[rel] = seen
        if known == self.known:
            return
        tmp = self.stats_path.with_suffix(".tmp")
        try:
            self.stats_path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps((self._header(), known), pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.stats_path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be written only costs time

    def key(self, rel: str, data: bytes | None = None, st: os.stat_result | None = None) -> str:
        """The key of `content/<rel>`: its path and bytes; for a `.txt` file also its sidecar's
        bytes and the image names (both read for plain text; a `.txt` with front matter pays
        two stats for the simpler rule). A reader that has the file's bytes, and its stat
        from before it read them, passes both: the file is then not read or statted again."""
        path = self.content_dir / rel
        if self.known and not rel.lower().endswith(".txt"):
            known = self.known.get(rel)
            if known is not None:
                identity = _identity(st or os.stat(path))
                if identity == known[0]:
                    self.seen[rel] = known
                    return known[1]
        h = hashlib.blake2b(self.prefix.encode(), digest_size=20)
        h.update(rel.encode() + b"\0")
        plain = rel.lower().endswith(".txt")
        identity = None if plain else _identity(st or os.stat(path))  # before the bytes are read
        h.update(path.read_bytes() if data is None else data)
        if plain:
            for suffix in SIDECARS:
                side = path.with_suffix(suffix)
                if side.is_file():
                    h.update(b"\0" + suffix.encode() + b"\0" + side.read_bytes())
            h.update(b"\0images\0" + self.images)
        key = h.hexdigest()
        if identity is not None:
            self.seen[rel] = (identity, key)
        return key

