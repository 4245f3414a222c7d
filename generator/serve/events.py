"""The event stream's two halves: the broker that fans messages out to every open page, and
the change log that numbers each change so a page whose stream connects late hears what it
missed (and reloads only if its own file changed).

A version is "<instance>-<number>": the instance is random per server, so a page left open
from an earlier `broadsheet serve` is never mistaken for a current one.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
from typing import Any

from .plan import EVERY_PAGE, Reload, merge

CHANGES_KEPT = 64
"""Changes remembered for pages whose event stream connects late; older pages reload."""


def sse(event: str, data: dict[str, Any]) -> bytes:
    """One Server-Sent Event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class Broker:
    """Every open event stream's queue; `broadcast` puts one message in each."""

    def __init__(self) -> None:
        self._clients: set[queue.Queue[bytes | None]] = set()
        self._lock = threading.Lock()

    def subscribe(self) -> queue.Queue[bytes | None]:
        q: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            self._clients.add(q)
        return q

    def unsubscribe(self, q: queue.Queue[bytes | None]) -> None:
        with self._lock:
            self._clients.discard(q)

    def broadcast(self, message: tuple[str, dict[str, Any]] | None) -> None:
        """Send (event, data) to every stream; None ends them all."""
        data = None if message is None else sse(*message)
        with self._lock:
            for q in self._clients:
                q.put(data)


class ChangeLog:
    """Numbered changes, the last CHANGES_KEPT of them kept. Not locked itself: the server
    calls it under its own lock, so a version and the page served at it always agree."""

    def __init__(self, instance: str | None = None) -> None:
        self.instance = instance or secrets.token_hex(4)
        self.number = 0
        self._kept: dict[int, Reload] = {}

    @property
    def version(self) -> str:
        return f"{self.instance}-{self.number}"

    def record(self, reload: Reload) -> str:
        """Number a change the pages are told about; its version."""
        self.number += 1
        self._kept[self.number] = reload
        self._kept.pop(self.number - CHANGES_KEPT, None)
        return self.version

    def missed(self, since: str) -> Reload:
        """What changed after version `since`: every page for another server's version or one
        older than what is kept."""
        instance, _, number = since.partition("-")
        if instance != self.instance or not number.isdigit():
            return EVERY_PAGE
        first = int(number) + 1
        if first <= self.number and first not in self._kept:
            return EVERY_PAGE
        return merge(self._kept[n] for n in range(first, self.number + 1))
