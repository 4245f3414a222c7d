"""`broadsheet serve`: build, serve the output, rebuild on save, reload open pages.

Why each piece is the way it is:
- The site is served under base_url's path (`/news/...`), as it will be deployed, so links that
  work here work in production; `/` redirects there.
- The reload script and the error overlay are injected into HTML responses by the server, never
  written into the built files, so `output/` stays byte-identical to `broadsheet build`.
- Requests that arrive while a rebuild is pending or running wait for it (a reader/writer
  condition), so nobody sees a half-written site or the page from before the save.
- A failed build keeps the server and the last good output; the browser shows the problems as
  an overlay on that page, and the next good build clears it.
- Paths are checked segment by segment and after resolving symlinks: nothing outside the output
  folder is ever served.

- An edit to a published article is rendered at once with the last build's site model
  (`render_ahead`) and served from memory, so the editor sees it in a fraction of a second; the
  full rebuild (lists, feeds, search; the engine's caches make it incremental) follows, and only
  the open pages it changed reload again. While only articles changed, requests for files other
  than pages (CSS, scripts, images) do not wait for that rebuild: an article cannot change them.
- Every change the browser is told about is numbered (the version) and the last few are kept.
  A page opened between a change and its event stream connecting says which version it was
  served at, and is told only what changed since: it reloads if its own file did, and no more.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .build import BuildState, build_keeping_state, render_ahead
from .config import Config
from .errors import BuildError, ContentError, Problem
from .mediatypes import content_type
from .sources import ARTICLE_SUFFIXES

EVENTS_PATH = "/__broadsheet/events"
WATCHED_DIRS = ("content", "templates", "static")
WATCHED_FILES = ("site.toml",)
DEBOUNCE = 0.15
"""Quiet time after the last save before rebuilding: editors write a file in several steps."""
MAX_DEBOUNCE = 1.0
CHANGES_KEPT = 64  # changes remembered for pages whose event stream connects late
"""A rebuild starts at most this long after the first save, even if saves keep coming."""
POLL_INTERVAL = 0.5
"""How often --poll rescans the watched folders (each scan stats every file)."""
KEEPALIVE = 15.0
"""Seconds between SSE comments, so proxies and the browser keep an idle stream open."""
_NOT_LOADED_BY_PAGES = (".html", ".htm", ".xml", ".json", "robots.txt")
"""Output files that no page loads as it opens (pages, feeds, sitemaps, the search index, which
the search page fetches per query): when only these change, only the changed pages reload."""
_CHANGE_TYPES = frozenset({"created", "modified", "deleted", "moved"})
_EDITOR_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swpx", ".tmp", ".part", ".crdownload")
_PLAIN_404 = (b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>"
              b"\n<body><h1>Not found</h1></body></html>\n")

_SCRIPT = """<script id="__broadsheet_live">
(function () {
  "use strict";
  var state = %(state)s;
  var BOX = "__broadsheet_overlay";
  function overlay(err) {
    var old = document.getElementById(BOX);
    if (old) old.remove();
    if (!err) return;
    var box = document.createElement("div");
    box.id = BOX;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2em;" +
      "background:rgba(24,24,24,.92);color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    var head = document.createElement("div");
    head.style.cssText = "font-size:18px;font-weight:bold;color:#ff7b72;margin-bottom:1em";
    head.textContent = err.summary;
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0 0 1.5em";
    pre.textContent = err.problems.join("\\n");
    var note = document.createElement("div");
    note.style.cssText = "color:#aaa";
    note.textContent = "This page is the last good build. Save a fix and it recovers by itself. " +
      "Click to hide.";
    box.append(head, pre, note);
    box.addEventListener("click", function () { box.remove(); });
    (document.body || document.documentElement).appendChild(box);
  }
  function restyle(files) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet"]'));
    var ours = links.filter(function (l) {
      var u = new URL(l.href, location.href);
      return u.origin === location.origin;
    });
    var hit = ours.filter(function (l) {
      var p = new URL(l.href, location.href).pathname;
      return files.some(function (f) { return p === state.base + f; });
    });
    (hit.length ? hit : ours).forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("__broadsheet", String(Date.now()));
      var fresh = link.cloneNode();
      var done = function () { link.remove(); };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      fresh.href = url.href;
      link.after(fresh);
    });
  }
  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }
  ready(function () { overlay(state.error); });
  if (!window.EventSource) return;
  var es = new EventSource(state.events + "?since=" + encodeURIComponent(state.version));
  window.__broadsheetLive = {state: state, events: es};  // for debugging and the browser test
  function ownFile() {
    var p = location.pathname;
    if (p.indexOf(state.base) === 0) p = p.slice(state.base.length);
    try { p = decodeURIComponent(p); } catch (e) { return null; }
    return (p === "" || p.charAt(p.length - 1) === "/") ? p + "index.html" : p;
  }
  // A change: this page reloads if its own file is among d.files (or d.files is null: every
  // page); otherwise it swaps the stylesheets in d.css. True when it reloads.
  function changed(d) {
    if (!d.files || d.files.indexOf(ownFile()) >= 0) { es.close(); location.reload(); return true; }
    state.version = d.version;
    if (d.css && d.css.length) restyle(d.css);
    return false;
  }
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (d.version !== state.version && changed(d)) return;  // changed since it was served
    overlay(d.error);
  });
  es.addEventListener("reload", function (e) { changed(e.data ? JSON.parse(e.data) : {}); });
  es.addEventListener("css", function (e) {
    var d = JSON.parse(e.data);
    state.version = d.version;
    overlay(null);
    restyle(d.files);
  });
  es.addEventListener("builderror", function (e) { overlay(JSON.parse(e.data)); });
})();
</script>
"""








def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _describe(changed: Sequence[str], limit: int = 3) -> str:
    if not changed:
        return "rebuild"
    shown = ", ".join(changed[:limit])
    return shown if len(changed) <= limit else f"{shown} and {len(changed) - limit} more"


def _script(state: dict[str, Any]) -> bytes:
    # "<" escaped so no value (an error message quoting HTML) can end the script element early.
    data = json.dumps(state, ensure_ascii=False).replace("<", "\\u003c")
    return (_SCRIPT % {"state": data}).encode("utf-8")


def inject(html: bytes, script: bytes) -> bytes:
    """Put `script` before the last `</body>` (or at the end when there is none)."""
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


class PreviewServer:
    """The preview: an HTTP server thread, a file watcher and a rebuild thread around `build()`.

    `config` is a Config or a function returning one; a function is called again before every
    rebuild, so edits to site.toml apply without a restart.
    """

    def __init__(self, config: Config | Callable[[], Config], *, port: int = 0,
                 bind: str = "127.0.0.1", poll: bool = False, debounce: float = DEBOUNCE,
                 use_cache: bool = True, jobs: int | None = None,
                 out: IO[str] | None = None, err: IO[str] | None = None) -> None:
        self._load: Callable[[], Config] = config if callable(config) else (lambda: config)
        self.bind = bind
        self.requested_port = port
        self.poll = poll
        self.debounce = debounce
        self.use_cache = use_cache
        self.jobs = jobs
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.config: Config | None = None
        self.last_warnings: tuple[Problem, ...] = ()
        self.builds = 0  # finished rebuilds after the first, for tests and tools
        self._cond = threading.Condition()
        self._building = False
        self._dirty = False
        self._readers = 0
        self._stopping = threading.Event()
        self._instance = secrets.token_hex(4)
        self._generation = 0
        # generation -> what it changed: (html files, or None for every page; stylesheets)
        self._changes: dict[int, tuple[list[str] | None, list[str]]] = {}
        self._error: dict[str, Any] | None = None
        self._events: queue.Queue[str | None] = queue.Queue()
        self._clients: set[queue.Queue[bytes | None]] = set()
        self._clients_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._observer: Any = None
        self._handler = _Handler(self)
        self._watches: dict[str, Any] = {}
        self._build_lock = threading.Lock()  # one build at a time: they share the staging folder
        self._serving = False
        self._last: BuildState | None = None  # the last good build, for render_ahead
        self._ahead: dict[str, bytes] = {}  # output file -> page rendered ahead of the rebuild
        self._articles_only = False  # every change waiting for the rebuild is an article's
        self._ahead_done = True  # render_ahead has run for the changes seen so far

    # --- public -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start() the server first"
        return int(self._httpd.server_address[1])

    @property
    def base_path(self) -> str:
        return self.config.base_path if self.config else "/"

    @property
    def url(self) -> str:
        host = "localhost" if self.bind in ("", "0.0.0.0", "::") else self.bind
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.base_path}"

    @property
    def version(self) -> str:
        return f"{self._instance}-{self._generation}"

    @property
    def error(self) -> dict[str, Any] | None:
        """The last build's problems (summary and formatted lines), None after a good build."""
        return self._error

    def start(self) -> None:
        """Listen, print the URL, build once (requests wait for it), then watch for saves.

        A config that does not load at start raises (there is no site to serve yet); later
        config errors are shown like any other failed build.
        """
        self.config = self._load()
        self._httpd = self._make_httpd()
        with self._cond:
            self._building = True  # requests arriving before the first build wait for it
        print(f"Serving {self.url}  (Ctrl-C to stop)", file=self.out, flush=True)
        httpd = self._httpd
        self._spawn("broadsheet-http", lambda: httpd.serve_forever(poll_interval=0.1))
        self._serving = True
        self._start_observer()
        self._rebuild((), first=True)
        self._spawn("broadsheet-rebuild", self._rebuild_loop)

    def wait(self) -> None:
        """Block until stop() (from another thread) or Ctrl-C."""
        while not self._stopping.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching, end every event stream and close the socket; idempotent."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._events.put(None)
        with self._cond:
            self._cond.notify_all()
        if self._observer is not None:
            with contextlib.suppress(Exception):
                self._observer.stop()
                self._observer.join(timeout=2)
        self._broadcast(None)
        if self._httpd is not None:
            if self._serving:  # shutdown() would wait forever for a loop that never ran
                self._httpd.shutdown()
            self._httpd.server_close()
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(timeout=2)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- building -----------------------------------------------------------------------------

    def _rebuild_loop(self) -> None:
        """Collect saves until DEBOUNCE of quiet (at most MAX_DEBOUNCE), then rebuild once."""
        while not self._stopping.is_set():
            first = self._events.get()
            if first is None:
                return
            changed = {first}
            started = time.monotonic()
            while True:
                left = min(self.debounce, started + MAX_DEBOUNCE - time.monotonic())
                if left <= 0:
                    break
                try:
                    item = self._events.get(timeout=left)
                except queue.Empty:
                    break
                if item is None:
                    return
                changed.add(item)
            try:
                self._rebuild(sorted(changed))
            except Exception:  # never let one odd failure end live reload for the session
                traceback.print_exc(file=self.err)

    def rebuild(self, changed: Sequence[str] = ()) -> bool:
        """Rebuild now (tests, tools); True when the build succeeded."""
        return self._rebuild(changed)

    def _rebuild(self, changed: Sequence[str], first: bool = False) -> bool:
        with self._build_lock:
            if not first:
                self._render_ahead(changed)
            return self._rebuild_locked(changed, first)

    def _render_ahead(self, changed: Sequence[str]) -> None:
        """Serve edited articles' pages before the full rebuild (see the module docstring)."""
        started = time.perf_counter()
        pages: dict[str, bytes] = {}
        fresh: list[str] = []
        try:
            # after a failed build, the rebuild is what clears the error overlay: not this
            if (self._last is not None and self.config is not None and self._error is None
                    and all(map(_is_article, changed))):
                pages = render_ahead(self._last, self.config,
                                     [c.removeprefix("content/") for c in changed])
                # a save that changed nothing shown (a second event for one save, a touch) must
                # not reload pages that already show what is on disk
                fresh = sorted(f for f, data in pages.items()
                               if not _same_bytes(self.config.output_dir / f, data))
        finally:
            with self._cond:
                self._ahead = pages
                self._ahead_done = True
                if fresh:
                    self._record(fresh, [])
                    message = ("reload", {"files": fresh, "version": self.version})
                self._cond.notify_all()
        if fresh:
            self._broadcast(message)
            print(f"{_describe(changed)}: page shown in {time.perf_counter() - started:.2f}s, "
                  "rebuilding the rest", file=self.out, flush=True)

    def ahead(self, path: str) -> bytes | None:
        """The page rendered ahead of the rebuild for this URL path, if there is one. While an
        article edit waits to be rendered ahead, a request waits for that, not for the rebuild."""
        with self._cond:
            while True:
                if self.config is None:
                    return None
                base = self.config.base_path
                if not path.startswith(base):
                    return None
                rel = path[len(base):]
                page = self._ahead.get(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
                if page is not None or self._stopping.is_set():
                    return page
                if self._ahead_done or not self._articles_only or not (self._dirty or self._building):
                    return None
                self._cond.wait(0.5)

    def _rebuild_locked(self, changed: Sequence[str], first: bool) -> bool:
        with self._cond:
            self._building = True
            while self._readers:  # let responses already reading a file finish first
                self._cond.wait()
        started = time.perf_counter()
        config: Config | None = None
        problems: list[Problem] = []
        result = None
        try:
            config = self._load()
            result, self._last = build_keeping_state(config, use_cache=self.use_cache,
                                                     jobs=self.jobs)
        except BuildError as exc:
            problems = list(exc.problems)
        except ContentError as exc:
            problems = [exc.problem]
        except Exception as exc:  # an engine bug must not take the preview down with it
            traceback.print_exc(file=self.err)
            problems = [Problem("build", f"{type(exc).__name__}: {exc}")]
        finally:
            seconds = time.perf_counter() - started
            message: tuple[str, dict[str, Any]] | None = None
            with self._cond:
                was_broken = self._error is not None
                if result is not None:
                    self.config = config
                    self._error = None
                    self.last_warnings = result.warnings
                    # a page already shown ahead, as it now is on disk, needs no second reload
                    written = [w for w in result.written if self._ahead.get(w) is None
                               or not _same_bytes(config.output_dir / w, self._ahead[w])]
                    message = self._message_for(written, result.removed, was_broken, first)
                    if message is not None:
                        kind, data = message
                        if kind == "css":
                            self._record([], data["files"])
                        else:
                            self._record(data.get("files"), data.get("css", []))
                        message[1]["version"] = self.version
                elif problems:
                    self._error = {
                        "summary": f"build failed: {_plural(len(problems), 'error')}",
                        "problems": [p.format("error") for p in problems],
                    }
                    message = ("builderror", dict(self._error))
                self._ahead = {}
                self._building = False
                self._dirty = not self._events.empty()
                if not self._dirty:
                    self._articles_only = False
                if not first:
                    self.builds += 1
                self._cond.notify_all()
        if message is not None:
            self._broadcast(message)
        self._log_build(changed, result, problems, seconds, first)
        return result is not None

    @staticmethod
    def _message_for(written: Iterable[str], removed: Sequence[str], was_broken: bool,
                     first: bool) -> tuple[str, dict[str, Any]] | None:
        """What open pages must do: swap stylesheets when only CSS changed, else reload."""
        if first:
            return None
        files = [w for w in written if not w.startswith(".broadsheet")]
        if not files and not removed:
            return ("reload", {}) if was_broken else None
        if not was_broken and not removed and all(f.endswith(".css") for f in files):
            return ("css", {"files": files})
        if not was_broken and all(f.endswith(_NOT_LOADED_BY_PAGES) for f in removed) and all(
                f.endswith((*_NOT_LOADED_BY_PAGES, ".css")) for f in files):
            # pages, feeds, sitemaps, the search index and stylesheets: reload only the pages
            # that changed, and the others swap the stylesheets
            return ("reload", {
                "files": [f for f in [*files, *removed] if f.endswith((".html", ".htm"))],
                "css": [f for f in files if f.endswith(".css")]})
        return ("reload", {})

    def _log_build(self, changed: Sequence[str], result: Any, problems: Sequence[Problem],
                   seconds: float, first: bool) -> None:
        if result is not None:
            if first:
                print(result.summary(), file=self.out, flush=True)
            else:
                print(f"{_describe(changed)}: rebuilt in {seconds:.2f}s "
                      f"({len(result.written)} written, {len(result.removed)} removed)",
                      file=self.out, flush=True)
            return
        for p in problems:
            print(p.format("error"), file=self.err, flush=True)
        what = "first build" if first else _describe(changed)
        print(f"{what}: build failed: {_plural(len(problems), 'error')} ({seconds:.2f}s); "
              "serving the last good build", file=self.out, flush=True)

    # --- watching -----------------------------------------------------------------------------

    def _site_dir(self) -> Path:
        assert self.config is not None, "start() loads the config first"
        return self.config.site_dir

    def _start_observer(self) -> None:
        site = self._site_dir()
        self._observer = PollingObserver(timeout=POLL_INTERVAL) if self.poll else Observer()
        self._observer.schedule(self._handler, str(site), recursive=False)  # site.toml, new dirs
        for name in WATCHED_DIRS:
            self._watch_dir(name)
        self._observer.daemon = True
        self._observer.start()

    def _watch_dir(self, name: str) -> None:
        folder = self._site_dir() / name
        if name in self._watches or not folder.is_dir():
            return
        with contextlib.suppress(OSError):
            self._watches[name] = self._observer.schedule(self._handler, str(folder), recursive=True)

    def _unwatch_dir(self, name: str) -> None:
        watch = self._watches.pop(name, None)
        if watch is not None:
            with contextlib.suppress(Exception):
                self._observer.unschedule(watch)

    def relevant(self, path: str | bytes) -> str | None:
        """The site-relative path of a change worth rebuilding for, else None."""
        full = Path(os.fsdecode(path))
        try:
            parts = full.relative_to(self._site_dir()).parts
        except ValueError:
            return None
        if not parts:
            return None
        top = WATCHED_FILES + WATCHED_DIRS if len(parts) == 1 else WATCHED_DIRS
        if parts[0] not in top:
            return None
        name = parts[-1]
        if (any(p.startswith(".") for p in parts) or name.endswith(_EDITOR_TEMP_SUFFIXES)
                or name == "4913"):  # dotfiles, editor backups and swap files, vim's write test
            return None
        out = self.config.output_dir if self.config else None
        if out is not None and (full == out or out in full.parents):
            return None  # an output folder inside a watched one: our own writes
        return "/".join(parts)

    def _on_change(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_TYPES or self._stopping.is_set():
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file in it: the file's event is enough
        changes = [(event.src_path, event.event_type == "created")]
        if event.event_type == "moved":
            changes.append((event.dest_path, True))
        rels = []
        for path, present in changes:
            rel = self.relevant(path)
            if rel is None:
                continue
            if rel in WATCHED_DIRS:  # a watched folder itself appeared or went away
                (self._watch_dir if present else self._unwatch_dir)(rel)
            rels.append(rel)
        if not rels:
            return
        with self._cond:
            if not self._dirty and not self._building:
                self._articles_only = True
            self._articles_only = self._articles_only and all(map(_is_article, rels))
            self._ahead_done = False
            self._dirty = True  # requests from now on wait for the rebuild
            for rel in rels:
                self._events.put(rel)

    # --- event stream -------------------------------------------------------------------------

    def _subscribe(self) -> queue.Queue[bytes | None]:
        q: queue.Queue[bytes | None] = queue.Queue()
        with self._clients_lock:
            self._clients.add(q)
        return q

    def _unsubscribe(self, q: queue.Queue[bytes | None]) -> None:
        with self._clients_lock:
            self._clients.discard(q)

    def _broadcast(self, message: tuple[str, dict[str, Any]] | None) -> None:
        data = None if message is None else _sse(*message)
        with self._clients_lock:
            for q in self._clients:
                q.put(data)

    def _record(self, files: list[str] | None, css: list[str]) -> None:
        """Number a change the browser is told about (pages to reload, None for all; stylesheets
        to swap) and keep it for late event streams. With self._cond held."""
        self._generation += 1
        self._changes[self._generation] = (files, css)
        self._changes.pop(self._generation - CHANGES_KEPT, None)

    def missed(self, since: str) -> dict[str, Any]:
        """What changed after version `since`, for a page served then: {"files": html files to
        reload, or None for every page; "css": stylesheets to swap}."""
        instance, _, number = since.partition("-")
        with self._cond:
            if instance != self._instance or not number.isdigit():
                return {"files": None, "css": []}
            first = int(number) + 1
            if first <= self._generation and first not in self._changes:
                return {"files": None, "css": []}  # older than what is kept
            pages: set[str] = set()
            styles: set[str] = set()
            for g in range(first, self._generation + 1):
                files, css = self._changes[g]
                if files is None:
                    return {"files": None, "css": []}
                pages.update(files)
                styles.update(css)
            return {"files": sorted(pages), "css": sorted(styles)}

    def hello(self, since: str | None = None) -> bytes:
        """The first event of a stream: the version, the current error and, for a page that
        says which version it was served at, what it missed."""
        with self._cond:  # an RLock: missed() takes it too, and sees the same version
            data = {"version": self.version, "error": self._error,
                    **(self.missed(since) if since is not None else {"files": None, "css": []})}
        return _sse("hello", data)

    # --- serving ------------------------------------------------------------------------------

    def _make_httpd(self) -> ThreadingHTTPServer:
        preview = self

        class Handler(_RequestHandler):
            server_preview = preview

        cls = _Server6 if ":" in self.bind else _Server
        return cls((self.bind, self.requested_port), Handler)

    @contextlib.contextmanager
    def reading(self, page: bool = True) -> Iterator[Config]:
        """Hold off rebuilds while a response opens its file; wait out a pending rebuild first,
        unless this is not a page and only articles changed (they cannot change this file)."""
        with self._cond:
            while ((self._building or self._dirty) and not self._stopping.is_set()
                   and (page or not self._articles_only)):
                self._cond.wait(0.5)
            self._readers += 1
            config = self.config
        assert config is not None, "start() loads the config first"
        try:
            yield config
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def script(self) -> bytes:
        with self._cond:
            state = {"version": self.version, "error": self._error, "events": EVENTS_PATH,
                     "base": self.base_path}
        return _script(state)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)


def _is_article(rel: str) -> bool:
    """Whether a changed site path is an article source (which render_ahead can show)."""
    return rel.startswith("content/") and rel.lower().endswith(ARTICLE_SUFFIXES)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(FileSystemEventHandler):
    def __init__(self, preview: PreviewServer) -> None:
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.preview._on_change(event)


def _unsafe(raw: str) -> bool:
    """Reject encodings that could smuggle a separator or NUL past the segment check."""
    lower = raw.lower()
    return "\\" in raw or "%5c" in lower or "%2f" in lower or "%00" in lower or "\x00" in raw


class _RequestHandler(BaseHTTPRequestHandler):
    server_preview: PreviewServer
    server_version = "BroadsheetPreview"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per rebuild is the output; per-request lines would drown it

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        preview = self.server_preview
        raw = urlsplit(self.path).path or "/"
        if raw == EVENTS_PATH and not head:
            self._event_stream()
            return
        try:
            path = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            path = "\x00"  # not UTF-8: no file of ours has such a name
        if _unsafe(raw) or "\x00" in path or any(s in (".", "..") for s in path.split("/")):
            with preview.reading() as config:
                self._not_found(head, config)
            return
        ahead = preview.ahead(path)
        if ahead is not None:
            self._send(200, "text/html; charset=utf-8", inject(ahead, preview.script()), head)
            return
        name = path.rsplit("/", 1)[-1]
        with preview.reading(page=not name or name.endswith((".html", ".htm")) or "." not in name
                             ) as config:
            base = config.base_path
            if not path.startswith(base):
                if path + "/" == base or path == "/":
                    self._redirect(base, 302)  # not 301: browsers would keep it after base_url changes
                else:
                    self._not_found(head, config)
                return
            rel = path[len(base):]
            if any(s.startswith(".broadsheet") for s in rel.split("/")):
                self._not_found(head, config)
                return
            root = Path(os.path.realpath(config.output_dir))
            target = _inside(root, root / rel)
            if target is not None and target.is_dir():
                if not path.endswith("/"):
                    query = urlsplit(self.path).query
                    self._redirect(raw + "/" + (f"?{query}" if query else ""), 301)
                    return
                target = _inside(root, target / "index.html")
            if target is None or not target.is_file():
                self._not_found(head, config)
                return
            self._send_file(target, 200, head)

    def _send_file(self, target: Path, status: int, head: bool) -> None:
        """Open under the reader lock, send after: an open file survives os.replace."""
        ctype = content_type(target.name)
        try:
            f = target.open("rb")
        except OSError:
            self._send(404, "text/html; charset=utf-8", _PLAIN_404, head)
            return
        with f:
            if ctype.startswith("text/html"):
                body = inject(f.read(), self.server_preview.script())
                self._send(status, ctype, body, head)
                return
            size = os.fstat(f.fileno()).st_size
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                with contextlib.suppress(ConnectionError):
                    while chunk := f.read(1 << 16):
                        self.wfile.write(chunk)

    def _not_found(self, head: bool, config: Config | None = None) -> None:
        """The site's own 404 page with status 404, as the production host would serve it."""
        if config is not None:
            root = Path(os.path.realpath(config.output_dir))
            page = _inside(root, root / "404.html")
            if page is not None and page.is_file():
                self._send_file(page, 404, head)
                return
        self._send(404, "text/html; charset=utf-8", inject(_PLAIN_404, self.server_preview.script()),
                   head)

    def _redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            with contextlib.suppress(ConnectionError):
                self.wfile.write(body)

    def _event_stream(self) -> None:
        """Server-Sent Events: hello (version, current error), then reload / css / builderror."""
        preview = self.server_preview
        self.close_connection = True
        q = preview._subscribe()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            since = parse_qs(urlsplit(self.path).query).get("since", [None])[0]
            self.wfile.write(b"retry: 500\n\n" + preview.hello(since))
            self.wfile.flush()
            while not preview._stopping.is_set():
                try:
                    item = q.get(timeout=KEEPALIVE)
                except queue.Empty:
                    item = b": keepalive\n\n"
                if item is None:
                    return
                self.wfile.write(item)
                self.wfile.flush()
        except (ConnectionError, OSError):
            return
        finally:
            preview._unsubscribe(q)


def _inside(root: Path, target: Path) -> Path | None:
    """`target` with symlinks resolved, or None when that leaves `root` (already resolved)."""
    real = Path(os.path.realpath(target))
    return real if real == root or root in real.parents else None
