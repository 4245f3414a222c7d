"""The build stamp, `.broadsheet-cache/build-stamp.pickle`: a build whose inputs, output and
clock window are all as the last build left them does nothing at all.

Every other cache saves part of a stage; this one saves the whole build, as `make` says
"nothing to be done". A no-change build at 100,000 articles spent 30 s re-deriving, from the
article cache, a site model, page fingerprints and sitemaps that could only come out the same;
what it must check is what could make them differ:

- the inputs: every file under the folders the build reads (`content/`, `templates/`,
  `static/`, a Hugo site's `config/` folders, the built-in theme's `templates/` and `static/`)
  and the config files at the site's root, by path, inode, size, mtime and ctime; the engine
  key; every setting (`Config`, the command line's `--drafts`, `--future`, `--base-url` ...
  included), all but the clock;
- the clock: the stamp holds when the build clock is at or after the last build's and before
  the first moment anything the build shows changes with time (`valid_until`: an embargo
  lifting, an article expiring, a live blog's coverage ending, an article entering or leaving
  the news sitemap's window);
- the output: every file in the output folder, by path, inode, size and mtime, as the last
  build's commit left it (a file deleted or changed there sends the build down the full path,
  which puts back what it wrote).

ctime cannot be set back, so an edit that restores a file's size and mtime is still seen. A
file whose ctime is within `keys.RACY_NS` of the build's start is too new to be trusted (git's
rule for racily clean entries): the build then saves no stamp, and the next build takes the
full path. A stamp is never read or written with `--no-cache`, and a build that fails saves
none (the one before it is removed first).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..config import Config
from ..errors import Problem
from ..hugo.config import CONFIG_DIRS, CONFIG_FILES
from ..theme import theme_dir
from . import keys
from .keys import CACHE_DIR, config_key, engine_key

FILE = "build-stamp.pickle"
FORMAT = 1
INPUT_DIRS = ("content", "templates", "static", *CONFIG_DIRS)  # under the site folder
INPUT_FILES = ("site.toml", *CONFIG_FILES)  # at the site folder's root
THEME_DIRS = ("templates", "static")


@dataclass(frozen=True)
class Stamp:
    """What the last build saw and left, and what it reported."""

    inputs: str  # `Inputs.digest`
    output: str  # `output_digest` of the output folder after the commit
    clock: datetime  # the build clock
    valid_until: datetime | None  # the first moment the output could change with the clock
    articles: int
    pages: int
    files: int  # files the build wrote or kept
    warnings: tuple[Problem, ...]
    next_change: datetime | None

    def holds(self, inputs: Inputs, output_dir: Path, clock: datetime) -> bool:
        """The output folder is walked last, only when the inputs and the clock agree: a build
        after an edit pays for one walk (of the inputs), not two."""
        return (inputs.digest == self.inputs and clock >= self.clock
                and (self.valid_until is None or clock < self.valid_until)
                and output_digest(output_dir) == self.output)


@dataclass(frozen=True)
class Inputs:
    """One walk of a build's inputs (`inputs()`): what it saw, and whether it can be trusted."""

    digest: str
    racy: bool  # some input changed too close to the walk for its stat to be trusted


def _files(folder: str, skip: frozenset[str] = frozenset()) -> Iterator[os.DirEntry[str]]:
    """Each file under `folder` (not in `skip`), in name order. Folders are entered as the
    build's own walks do (`os.walk`, `rglob`): not through a symlink, which could also loop."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.path in skip:
            continue
        try:
            inside = entry.is_dir(follow_symlinks=False)
        except OSError:
            inside = False
        if inside:
            yield from _files(entry.path, skip)
        else:
            yield entry


def _input_lines(folder: str, skip: frozenset[str], out: list[str]) -> int:
    """A line of path and stat (inode, size, mtime, ctime) for each file under `folder`, into
    `out`; the newest ctime. A symlink is also a line of its own stat, so a link made to point
    elsewhere is seen as well as an edit to the file it points to."""
    newest = 0
    for entry in _files(folder, skip):
        try:
            st = entry.stat()  # the target's, for a symlink
            if entry.is_symlink():
                own = entry.stat(follow_symlinks=False)
                out.append(f"{entry.path}\0link {own.st_ino} {own.st_mtime_ns} {own.st_ctime_ns}")
                newest = max(newest, own.st_ctime_ns)
        except OSError:
            out.append(f"{entry.path}\0?")
            continue
        out.append(f"{entry.path}\0{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}")
        newest = max(newest, st.st_ctime_ns)
    return newest


def _digest(lines: list[str]) -> str:
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogateescape"),
                           digest_size=20).hexdigest()


def inputs(config: Config) -> Inputs:
    """The state of everything a build of `config` reads, but the clock."""
    started = time.time_ns()
    site = str(config.site_dir)
    skip = frozenset({os.path.join(site, CACHE_DIR), str(config.output_dir.resolve())})
    # every setting but the clock, which the stamp's window stands for
    lines = [str(FORMAT), engine_key(), config_key(config, leave_out=frozenset({"now"}))]
    newest = 0
    for label, folder in ([(f"dir {name}", os.path.join(site, name)) for name in INPUT_DIRS]
                          + [(f"theme {name}", str(theme_dir(name))) for name in THEME_DIRS]):
        lines.append(label)
        newest = max(newest, _input_lines(folder, skip, lines))
    for name in INPUT_FILES:
        try:
            st = os.stat(os.path.join(site, name))
        except OSError:
            continue
        lines.append(f"{name}\0{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}")
        newest = max(newest, st.st_ctime_ns)
    return Inputs(_digest(lines), newest >= started - keys.RACY_NS)


def output_digest(output_dir: Path) -> str:
    """Every file in the output folder by path, inode, size and mtime (a symlink's own)."""
    lines: list[str] = []
    for entry in _files(str(output_dir)):
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            lines.append(f"{entry.path}\0?")
            continue
        lines.append(f"{entry.path}\0{st.st_ino} {st.st_size} {st.st_mtime_ns}")
    return _digest(lines)


def valid_until(dates: Iterable[datetime], next_change: datetime | None, clock: datetime,
                news_window: timedelta) -> datetime | None:
    """The first moment after `clock` at which the output could change with the clock alone:
    `next_change` (schedule.py), or a shown article's date entering the news sitemap's window
    (`date <= now`) or leaving it (`now - window <= date`)."""
    soonest = next_change
    for d in dates:
        if d > clock and (soonest is None or d < soonest):
            soonest = d
        t = d + news_window  # still in the window at `clock` itself when equal
        if t >= clock and (soonest is None or t < soonest):
            soonest = t
    return soonest


def _path(config: Config) -> Path:
    return config.site_dir / CACHE_DIR / FILE


def load(config: Config) -> Stamp | None:
    try:
        with _path(config).open("rb") as fh:
            found = pickle.load(fh)
    except Exception:  # missing, corrupt or foreign: the full build
        return None
    return found[1] if isinstance(found, tuple) and found[:1] == (FORMAT,) and isinstance(
        found[1], Stamp) else None


def forget(config: Config) -> None:
    """Before a full build: a build that fails leaves no stamp that could skip the next."""
    with contextlib.suppress(OSError):
        _path(config).unlink()


def save(config: Config, stamp: Stamp) -> None:
    path = _path(config)
    tmp = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps((FORMAT, stamp), pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a stamp that cannot be written only costs time
