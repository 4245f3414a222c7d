"""`PreviewServer`: the HTTP thread, the watcher and the rebuild loop around a builder.

A save flows: watcher (a `Change` with its `ChangeKind`) -> `State.saved` (requests start to
wait) -> `Batches` (debounced) -> render ahead if `plan.redo` says so -> full rebuild ->
`plan.reload_for` -> the change log numbers the `Reload` -> the broker sends it to every open
page -> `live.js` applies it. A failed build keeps the server and the last good output; the
pages show the problems as an overlay on it, and the next good build clears it.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any, Protocol

from ..build import BuildResult, BuildState, build_keeping_state, render_ahead
from ..config import Config
from ..errors import BuildError, ContentError, Problem
from . import plan, static
from .events import Broker, ChangeLog, sse
from .handler import EVENTS_PATH, make_server
from .plan import Reload
from .script import live_script
from .state import FRESH, STARTING, State
from .watcher import DEBOUNCE, Batches, Change, ChangeKind, Watcher, changes

Message = tuple[str, dict[str, Any]]

CLOCK_SLACK = 0.5  # seconds after a scheduled change before rebuilding: the build clock is past it


class Builder(Protocol):
    """A full build that also returns what `render_ahead` needs (`build.build_keeping_state`)."""

    def __call__(self, config: Config, *, use_cache: bool = ..., jobs: int | None = ...
                 ) -> tuple[BuildResult, BuildState]: ...


AheadRenderer = Callable[[BuildState, Config, Sequence[str]], dict[str, bytes]]
"""Edited articles' pages from the last build, by output file (`build.render_ahead`)."""


class PreviewServer:
    """The preview: an HTTP server thread, a file watcher and a rebuild thread around `builder`.

    `config` is a Config or a function returning one; a function is called again before every
    rebuild, so edits to site.toml apply without a restart. `builder` and `ahead` are the
    build's functions unless a caller (a test, a tool) hands in its own, as MkDocs' livereload
    server is handed its builder.
    """

    def __init__(self, config: Config | Callable[[], Config], *, port: int = 0,
                 bind: str = "127.0.0.1", poll: bool = False, debounce: float = DEBOUNCE,
                 use_cache: bool = True, jobs: int | None = None,
                 out: IO[str] | None = None, err: IO[str] | None = None,
                 builder: Builder = build_keeping_state, ahead: AheadRenderer = render_ahead) -> None:
        self._load: Callable[[], Config] = config if callable(config) else (lambda: config)
        self.bind = bind
        self.requested_port = port
        self.poll = poll
        self.use_cache = use_cache
        self.jobs = jobs
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.builder = builder
        self.render_ahead = ahead
        self.config: Config | None = None
        self.last_warnings: tuple[Problem, ...] = ()
        self.builds = 0  # finished rebuilds after the first, for tests and tools
        self.stopping = threading.Event()
        self.broker = Broker()
        self.changes = ChangeLog()
        self.batches = Batches(debounce)
        self.watcher: Watcher | None = None
        # Everything below is guarded by _cond (an RLock underneath: hello() calls missed()).
        self._cond = threading.Condition()
        self._state: State = FRESH
        self._readers = 0  # responses holding a file open: a rebuild waits for them
        self._error: dict[str, Any] | None = None
        self._ahead: dict[str, bytes] = {}  # output file -> page rendered ahead of the rebuild
        self._last: BuildState | None = None  # the last good build, for render_ahead
        self._build_lock = threading.Lock()  # one build at a time: they share the staging folder
        self._httpd: ThreadingHTTPServer | None = None
        self._http_thread: threading.Thread | None = None
        self._threads: list[threading.Thread] = []
        self._timer: threading.Timer | None = None  # rebuilds when the next scheduled change comes

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
        return self.changes.version

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
        self._httpd = make_server(self, self.bind, self.requested_port)
        with self._cond:
            self._state = STARTING  # requests arriving before the first build wait for it
        print(f"Serving {self.url}  (Ctrl-C to stop)", file=self.out, flush=True)
        httpd = self._httpd
        self._http_thread = self._spawn("broadsheet-http", lambda: httpd.serve_forever(poll_interval=0.1))
        self.watcher = Watcher(self.config.site_dir, self._output_dir, self._on_change, poll=self.poll)
        self.watcher.start()
        self._rebuild((), first=True)
        self._spawn("broadsheet-rebuild", self._rebuild_loop)

    def wait(self) -> None:
        """Block until stop() (from another thread) or Ctrl-C."""
        while not self.stopping.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching, end every event stream and close the socket; idempotent."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._arm_clock(None, None)
        self.batches.close()
        with self._cond:
            self._cond.notify_all()
        if self.watcher is not None:
            self.watcher.stop()
        self.broker.broadcast(None)
        if self._httpd is not None:
            if self._http_thread is not None:  # shutdown() would wait forever for a loop that never ran
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

    def rebuild(self, changed: Sequence[str] = ()) -> bool:
        """Rebuild now for these site paths (tests, tools); True when the build succeeded."""
        return self._rebuild(changes(changed))

    def relevant(self, path: str | bytes) -> str | None:
        """The site path of a change worth rebuilding for, else None."""
        assert self.watcher is not None, "start() the server first"
        return self.watcher.relevant(path)

    def missed(self, since: str) -> dict[str, Any]:
        """What changed after version `since`, for a page served then: {"files": html files to
        reload, or None for every page; "css": stylesheets to swap}."""
        with self._cond:
            return self.changes.missed(since).fields()

    def hello(self, since: str | None = None) -> bytes:
        """The first event of a stream: the version, the current error and, for a page that
        says which version it was served at, what it missed."""
        with self._cond:  # so the version and what was missed agree
            missed = plan.EVERY_PAGE if since is None else self.changes.missed(since)
            data = {"version": self.version, "error": self._error, **missed.fields()}
        return sse("hello", data)

    # --- serving (called by the request handler) ----------------------------------------------

    @contextlib.contextmanager
    def reading(self, page: bool = True) -> Iterator[Config]:
        """Hold off rebuilds while a response opens its file; wait out a pending rebuild first
        unless the state says this request need not (an asset while only articles changed)."""
        with self._cond:
            while self._state.request_waits(page) and not self.stopping.is_set():
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

    def ahead(self, path: str) -> tuple[str, bytes] | None:
        """(output file, page) rendered ahead of the rebuild for this URL path, if there is one.
        While an article edit waits to be rendered ahead, a request waits for that, not for the
        rebuild."""
        with self._cond:
            while True:
                if self.config is None:
                    return None
                own = static.own_file(path, self.config.base_path)
                page = None if own is None else self._ahead.get(own)
                if own is None or page is not None:
                    return None if page is None else (own, page)
                if self.stopping.is_set() or not self._state.ahead_due(self._error is not None):
                    return None
                self._cond.wait(0.5)

    def script(self, own: str | None = None) -> bytes:
        """The live-reload script for a page showing output file `own` (None: no file of ours)."""
        with self._cond:
            state = {"version": self.version, "file": own, "error": self._error,
                     "events": EVENTS_PATH, "base": self.base_path}
        return live_script(state)

    # --- watching and building ----------------------------------------------------------------

    def _output_dir(self) -> Path | None:
        return self.config.output_dir if self.config else None

    def _on_change(self, batch: list[Change]) -> None:
        if self.stopping.is_set():
            return
        with self._cond:
            self._state = self._state.saved(c.kind for c in batch)  # requests now wait
            self.batches.put(batch)

    def _rebuild_loop(self) -> None:
        while not self.stopping.is_set():
            batch = self.batches.next()
            if batch is None:
                return
            try:
                self._rebuild(batch)
            except Exception:  # never let one odd failure end live reload for the session
                traceback.print_exc(file=self.err)

    def _rebuild(self, batch: Sequence[Change], first: bool = False) -> bool:
        with self._build_lock:
            if not first:
                self._render_ahead(batch)
            return self._build(batch, first)

    def _announce(self, reload: Reload) -> Message:
        """Number a change for the change log and make its event. With _cond held."""
        version = self.changes.record(reload)
        event, data = reload.event()
        return event, {**data, "version": version}

    def _render_ahead(self, batch: Sequence[Change]) -> None:
        """Show edited articles' pages before the full rebuild, when `plan.redo` says so."""
        started = time.perf_counter()
        pages: dict[str, bytes] = {}
        reload: Reload | None = None
        message: Message | None = None
        try:
            config, last = self.config, self._last
            todo = plan.redo({c.kind for c in batch}, broken=self._error is not None)
            if todo.render_ahead and config is not None and last is not None:
                pages = self.render_ahead(last, config, [c.path.removeprefix("content/") for c in batch])
                # a save that changed nothing shown (a second event for one save, a touch) must
                # not reload pages that already show what is on disk
                reload = plan.reload_for(sorted(pages), (), broken=False, shown={
                    f for f, data in pages.items() if _same_bytes(config.output_dir / f, data)})
        finally:
            with self._cond:
                self._ahead = pages
                self._state = self._state.rendered_ahead()
                if reload is not None:
                    message = self._announce(reload)
                self._cond.notify_all()
        if message is not None:
            self.broker.broadcast(message)
            print(f"{_describe(batch)}: page shown in {time.perf_counter() - started:.2f}s, "
                  "rebuilding the rest", file=self.out, flush=True)

    def _build(self, batch: Sequence[Change], first: bool) -> bool:
        with self._cond:
            self._state = self._state.rebuilding()
            while self._readers:  # let responses already reading a file finish first
                self._cond.wait()
        started = time.perf_counter()
        config: Config | None = None
        problems: list[Problem] = []
        result: BuildResult | None = None
        try:
            config = self._load()
            result, self._last = self.builder(config, use_cache=self.use_cache, jobs=self.jobs)
        except BuildError as exc:
            problems = list(exc.problems)
        except ContentError as exc:
            problems = [exc.problem]
        except Exception as exc:  # an engine bug must not take the preview down with it
            traceback.print_exc(file=self.err)
            problems = [Problem("build", f"{type(exc).__name__}: {exc}")]
        finally:
            seconds = time.perf_counter() - started
            message: Message | None = None
            with self._cond:
                if result is not None and config is not None:
                    if not first:  # nobody has a page of this server open before its first build
                        out = config.output_dir
                        shown = {w for w in result.written if w in self._ahead
                                 and _same_bytes(out / w, self._ahead[w])}
                        reload = plan.reload_for(result.written, result.removed,
                                                 broken=self._error is not None, shown=shown)
                        if reload is not None:
                            message = self._announce(reload)
                    self.config = config
                    self._error = None
                    self.last_warnings = result.warnings
                    self._arm_clock(result.next_change, config)
                elif problems:
                    self._error = {
                        "summary": f"build failed: {_plural(len(problems), 'error')}",
                        "problems": [p.format("error") for p in problems],
                    }
                    message = ("builderror", dict(self._error))
                self._ahead = {}
                self._state = self._state.built(saves_waiting=not self.batches.empty())
                if not first:
                    self.builds += 1
                self._cond.notify_all()
        if message is not None:
            self.broker.broadcast(message)
        self._log_build(batch, result, problems, seconds, first)
        return result is not None

    def _log_build(self, batch: Sequence[Change], result: BuildResult | None,
                   problems: Sequence[Problem], seconds: float, first: bool) -> None:
        if result is not None:
            if first:
                print(result.summary(), file=self.out, flush=True)
            else:
                print(f"{_describe(batch)}: rebuilt in {seconds:.2f}s "
                      f"({len(result.written)} written, {len(result.removed)} removed)",
                      file=self.out, flush=True)
            return
        for p in problems:
            print(p.format("error"), file=self.err, flush=True)
        what = "first build" if first else _describe(batch)
        print(f"{what}: build failed: {_plural(len(problems), 'error')} ({seconds:.2f}s); "
              "serving the last good build", file=self.out, flush=True)

    def _arm_clock(self, when: datetime | None, config: Config | None) -> None:
        """Rebuild by itself when the next scheduled change comes (an embargo lifting, an
        article expiring), as if a file had been saved then; one timer, replaced each build.
        A fixed clock (`--now`) never reaches it, so no timer is set."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if when is None or config is None or config.now is not None or self.stopping.is_set():
            return
        delay = min((when - datetime.now(UTC)).total_seconds(), threading.TIMEOUT_MAX - 1)
        timer = threading.Timer(max(0.0, delay) + CLOCK_SLACK,
                                self._on_change, [[Change("(the clock)", ChangeKind.CLOCK)]])
        timer.daemon = True
        timer.start()
        self._timer = timer

    def _spawn(self, name: str, target: Callable[[], None]) -> threading.Thread:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)
        return t


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _describe(batch: Sequence[Change], limit: int = 3) -> str:
    if not batch:
        return "rebuild"
    paths = [c.path for c in batch]
    shown = ", ".join(paths[:limit])
    return shown if len(paths) <= limit else f"{shown} and {len(paths) - limit} more"


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
