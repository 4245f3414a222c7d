"""The watcher: file-system events in, site paths sorted into kinds out, saves batched.

watchdog reports every step an editor takes (temp files, swap files, a folder's mtime); this
module keeps only the changes a build reads, names each by its site path ("content/b.md") and
its `ChangeKind`, and hands them to the server. `Batches` then groups a burst of saves into one
rebuild: DEBOUNCE of quiet, but never more than MAX_DEBOUNCE after the first save.
"""

from __future__ import annotations

import contextlib
import os
import queue
import time
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ..hugo.config import CONFIG_FILES as HUGO_CONFIG_FILES
from ..sources import ARTICLE_SUFFIXES

WATCHED_DIRS = ("content", "templates", "static")
WATCHED_FILES = ("site.toml", *HUGO_CONFIG_FILES)  # a Hugo site's config file is its config too
DEBOUNCE = 0.15
"""Quiet time after the last save before rebuilding: editors write a file in several steps."""
MAX_DEBOUNCE = 1.0
"""A rebuild starts at most this long after the first save, even if saves keep coming."""
POLL_INTERVAL = 0.5
"""How often --poll rescans the watched folders (each scan stats every file)."""
EDITOR_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swpx", ".tmp", ".part", ".crdownload")
CHANGE_TYPES = frozenset({"created", "modified", "deleted", "moved"})


class ChangeKind(Enum):
    """What a changed site path is, which decides what serve redoes (`plan.redo`)."""

    ARTICLE = "article"  # content/**.md, .markdown, .txt: one article's source
    CONTENT = "content"  # anything else under content/ (a sidecar .yaml, the folder itself)
    TEMPLATE = "template"  # templates/**
    STATIC = "static"  # static/**: stylesheets, scripts, images
    CONFIG = "config"  # site.toml (or a Hugo site's hugo.toml, config.toml ...)
    CLOCK = "clock"  # no file: the clock reached the next scheduled change (an embargo lifted)


class Change(NamedTuple):
    """One changed site path and its kind."""

    path: str
    kind: ChangeKind


def change_kind(path: str) -> ChangeKind:
    """Sort a site path (as `relevant` returns it) into its kind."""
    top = path.split("/", 1)[0]
    if top == "content":
        return ChangeKind.ARTICLE if "/" in path and path.lower().endswith(ARTICLE_SUFFIXES) \
            else ChangeKind.CONTENT
    if top == "templates":
        return ChangeKind.TEMPLATE
    if top == "static":
        return ChangeKind.STATIC
    if path in WATCHED_FILES:
        return ChangeKind.CONFIG
    raise ValueError(f"{path!r} is not a watched site path (content/, templates/, static/, site.toml)")


def changes(paths: Iterable[str]) -> list[Change]:
    """Site paths as sorted, de-duplicated changes."""
    return [Change(p, change_kind(p)) for p in sorted(set(paths))]


def relevant(path: str | bytes, site_dir: Path, output_dir: Path | None) -> str | None:
    """The site path of a change worth rebuilding for, else None (outside the watched folders,
    a dotfile, an editor's temporary file, or inside the output folder: our own writes)."""
    full = Path(os.fsdecode(path))
    try:
        parts = full.relative_to(site_dir).parts
    except ValueError:
        return None
    if not parts:
        return None
    top = WATCHED_FILES + WATCHED_DIRS if len(parts) == 1 else WATCHED_DIRS
    if parts[0] not in top:
        return None
    name = parts[-1]
    if (any(p.startswith(".") for p in parts) or name.endswith(EDITOR_TEMP_SUFFIXES)
            or name == "4913"):  # dotfiles, editor backups and swap files, vim's write test
        return None
    if output_dir is not None and (full == output_dir or output_dir in full.parents):
        return None  # an output folder inside a watched one
    return "/".join(parts)


class Watcher(FileSystemEventHandler):
    """A watchdog observer on the site folder that calls `on_change` with sorted changes.

    The site folder itself is watched flat (site.toml, and watched folders appearing); each
    watched folder that exists is watched recursively, and re-watched when it is re-created.
    `output_dir` is a function, since a site.toml edit can move the output folder.
    """

    def __init__(self, site_dir: Path, output_dir: Callable[[], Path | None],
                 on_change: Callable[[list[Change]], None], *, poll: bool = False) -> None:
        self.site_dir = site_dir
        self.output_dir = output_dir
        self.on_change = on_change
        self.observer: Any = PollingObserver(timeout=POLL_INTERVAL) if poll else Observer()
        self._watches: dict[str, Any] = {}
        self._stopped = False

    def start(self) -> None:
        self.observer.schedule(self, str(self.site_dir), recursive=False)
        for name in WATCHED_DIRS:
            self._watch_dir(name)
        self.observer.daemon = True
        self.observer.start()

    def stop(self) -> None:
        self._stopped = True
        with contextlib.suppress(Exception):
            self.observer.stop()
            self.observer.join(timeout=2)

    def relevant(self, path: str | bytes) -> str | None:
        return relevant(path, self.site_dir, self.output_dir())

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_TYPES or self._stopped:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file in it: the file's event is enough
        touched = [(event.src_path, event.event_type == "created")]
        if event.event_type == "moved":
            touched.append((event.dest_path, True))
        paths = []
        for path, present in touched:
            rel = self.relevant(path)
            if rel is None:
                continue
            if rel in WATCHED_DIRS:  # a watched folder itself appeared or went away
                (self._watch_dir if present else self._unwatch_dir)(rel)
            paths.append(rel)
        if paths:
            self.on_change(changes(paths))

    def _watch_dir(self, name: str) -> None:
        folder = self.site_dir / name
        if name in self._watches or not folder.is_dir():
            return
        with contextlib.suppress(OSError):
            self._watches[name] = self.observer.schedule(self, str(folder), recursive=True)

    def _unwatch_dir(self, name: str) -> None:
        watch = self._watches.pop(name, None)
        if watch is not None:
            with contextlib.suppress(Exception):
                self.observer.unschedule(watch)


class Batches:
    """Saves queued by the watcher, taken out a burst at a time by the rebuild loop."""

    def __init__(self, debounce: float = DEBOUNCE, longest: float = MAX_DEBOUNCE) -> None:
        self.debounce = debounce
        self.longest = longest
        self._queue: queue.Queue[Change | None] = queue.Queue()

    def put(self, items: Iterable[Change]) -> None:
        for item in items:
            self._queue.put(item)

    def close(self) -> None:
        """End `next()` in the rebuild loop: it returns None from now on."""
        self._queue.put(None)

    def empty(self) -> bool:
        """True when no save is waiting for a rebuild."""
        return self._queue.empty()

    def next(self) -> list[Change] | None:
        """Block for a save, then collect more until `debounce` of quiet (at most `longest`
        after the first); the burst sorted and de-duplicated, or None once closed."""
        first = self._queue.get()
        if first is None:
            return None
        burst = {first}
        started = time.monotonic()
        while True:
            left = min(self.debounce, started + self.longest - time.monotonic())
            if left <= 0:
                break
            try:
                item = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if item is None:
                self._queue.put(None)  # closing wins: the next call returns None too
                return None
            burst.add(item)
        return sorted(burst)
