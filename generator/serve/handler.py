"""The HTTP side: one request handler answering from the output folder (via `static`), from the
pages rendered ahead, or with the event stream, and the threading servers it runs in.

HTML responses get the live-reload script injected here, so `output/` stays byte-identical to
what `broadsheet build` writes. A file is opened while the preview holds rebuilds off and sent
after: an open file survives the writer's `os.replace`.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from ..config import Config
from ..mediatypes import content_type
from . import static
from .events import Broker

EVENTS_PATH = "/__broadsheet/events"
KEEPALIVE = 15.0
"""Seconds between SSE comments, so proxies and the browser keep an idle stream open."""
HTML = "text/html; charset=utf-8"


class Preview(Protocol):
    """What the handler needs from the preview server."""

    broker: Broker
    stopping: threading.Event

    def reading(self, page: bool = True) -> AbstractContextManager[Config]: ...
    def ahead(self, path: str) -> tuple[str, bytes] | None: ...
    def script(self, own: str | None = None) -> bytes: ...
    def hello(self, since: str | None = None) -> bytes: ...


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Server6(Server):
    address_family = socket.AF_INET6


def make_server(preview: Preview, bind: str, port: int) -> ThreadingHTTPServer:
    """A server on (bind, port) whose requests `preview` answers (IPv6 for an address with ':')."""

    class Handler(RequestHandler):
        server_preview = preview

    cls = Server6 if ":" in bind else Server
    return cls((bind, port), Handler)


class RequestHandler(BaseHTTPRequestHandler):
    server_preview: Preview
    server_version = "BroadsheetPreview"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per rebuild is the output; per-request lines would drown it

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        preview = self.server_preview
        request = static.parse(self.path)
        if request.raw == EVENTS_PATH and not head:
            self._event_stream(request.query)
            return
        path = request.path
        if path is not None:
            ahead = preview.ahead(path)
            if ahead is not None:
                own, page = ahead
                self._send(200, HTML, static.inject(page, preview.script(own)), head)
                return
        with preview.reading(page=path is None or static.is_page(path)) as config:
            found = static.locate(request, config)
            own = static.own_file(path, config.base_path)
            if found.location is not None:
                self._redirect(found.location, found.status)
            elif found.file is not None:
                self._send_file(found.file, 200, head, own)
            else:
                page = static.not_found_page(config)
                if page is not None:
                    self._send_file(page, 404, head, own)
                else:
                    self._send(404, HTML, static.inject(static.PLAIN_404, preview.script(own)), head)

    def _send_file(self, target: Path, status: int, head: bool, own: str | None) -> None:
        """Send a file; HTML with the live-reload script (`own`: the file the page shows)."""
        ctype = content_type(target.name)
        try:
            f = target.open("rb")
        except OSError:
            self._send(404, HTML, static.PLAIN_404, head)
            return
        with f:
            if ctype.startswith("text/html"):
                body = static.inject(f.read(), self.server_preview.script(own))
                self._send(status, ctype, body, head)
                return
            size = os.fstat(f.fileno()).st_size
            self._headers(status, ctype, size)
            if not head:
                with contextlib.suppress(ConnectionError):
                    while chunk := f.read(1 << 16):
                        self.wfile.write(chunk)

    def _headers(self, status: int, ctype: str, size: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
        self._headers(status, ctype, len(body))
        if not head:
            with contextlib.suppress(ConnectionError):
                self.wfile.write(body)

    def _event_stream(self, query: str) -> None:
        """Server-Sent Events: hello (version, current error, what the page missed), then
        whatever the broker sends: reload, css, builderror."""
        preview = self.server_preview
        self.close_connection = True
        q = preview.broker.subscribe()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            since = parse_qs(query).get("since", [None])[0]
            self.wfile.write(b"retry: 500\n\n" + preview.hello(since))
            self.wfile.flush()
            self._pump(q, preview.stopping.is_set)
        except (ConnectionError, OSError):
            return
        finally:
            preview.broker.unsubscribe(q)

    def _pump(self, q: queue.Queue[bytes | None], stopped: Callable[[], bool]) -> None:
        while not stopped():
            try:
                item = q.get(timeout=KEEPALIVE)
            except queue.Empty:
                item = b": keepalive\n\n"
            if item is None:
                return
            self.wfile.write(item)
            self.wfile.flush()
