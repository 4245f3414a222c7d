"""What the caches key on: the engine, the settings, and each source file (see the table in
`generator/cache/__init__.py`)."""

from __future__ import annotations

import hashlib
import os
import sys
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


def config_key(config: Config) -> str:
    """A hash of every setting that can change an article or a page."""
    parts = [(f.name, getattr(config, f.name)) for f in fields(config) if f.name not in NOT_IN_KEY]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _image_names(folder: Path) -> bytes:
    """The file names in `static/images/`: a wire article's `Image |` line shows the image named
    after its alt text when there is one (sources/plaintext.py), a placeholder when not."""
    try:
        with os.scandir(folder) as entries:
            return "\0".join(sorted(e.name for e in entries if e.is_file())).encode()
    except OSError:
        return b""


class SourceKeys:
    """Keys of one build's source files. The prefix (engine and settings) and the site's image
    names are worked out once; forked read workers inherit them to key sources themselves."""

    def __init__(self, config: Config) -> None:
        self.content_dir = config.site_dir / "content"
        self.prefix = engine_key() + config_key(config)
        self.images = _image_names(config.site_dir / "static" / "images")

    def key(self, rel: str) -> str:
        """The key of `content/<rel>`: its path and bytes; for a `.txt` file also its sidecar's
        bytes and the image names (both read for plain text; a `.txt` with front matter pays
        two stats for the simpler rule)."""
        path = self.content_dir / rel
        h = hashlib.blake2b(self.prefix.encode(), digest_size=20)
        h.update(rel.encode() + b"\0")
        h.update(path.read_bytes())
        if rel.lower().endswith(".txt"):
            for suffix in SIDECARS:
                side = path.with_suffix(suffix)
                if side.is_file():
                    h.update(b"\0" + suffix.encode() + b"\0" + side.read_bytes())
            h.update(b"\0images\0" + self.images)
        return h.hexdigest()

