"""`broadsheet serve`: build, serve the output, rebuild on save, reload the open pages that changed.

One module per concern; a save travels through them in this order:

| module | holds |
|---|---|
| `watcher.py` | watchdog events -> site paths sorted into a `ChangeKind`; `Batches` debounces saves |
| `state.py` | `State`: FRESH / SAVED / REBUILDING and the kinds pending, which says who waits |
| `plan.py` | the reload plan, pure: what a save redoes (`redo`), what the pages are told (`reload_for`) |
| `events.py` | `ChangeLog` numbers every change (late pages hear what they missed); `Broker` (SSE) |
| `server.py` | `PreviewServer`: the threads, the rebuild around a builder callable, the error overlay |
| `handler.py` | HTTP: a page rendered ahead, a file of the output folder, or the event stream |
| `static.py` | safe static serving: URL -> output file under base_url's path, never outside it |
| `script.py` | the theme's `templates/serve/live.js`, injected into HTML responses only |

Why it works the way it does:
- The reload script and the error overlay are injected into HTML responses by the server, never
  written into the built files, so `output/` stays byte-identical to `broadsheet build`.
- Requests that arrive while a rebuild is pending or running wait for it, so nobody sees a
  half-written site or the page from before the save.
- An edit to a published article is rendered at once with the last build's site model and
  served from memory, so the editor sees it in a fraction of a second; the full rebuild follows,
  and only the open pages it changed reload again. While only articles changed, requests for
  files other than pages (CSS, scripts, images) do not wait for that rebuild.
- Every change the browser is told about is numbered (the version) and the last few are kept.
  A page opened between a change and its event stream connecting says which version it was
  served at, and is told only what changed since: it reloads if its own file did, and no more.
"""

from __future__ import annotations

from .events import CHANGES_KEPT
from .handler import EVENTS_PATH
from .server import PreviewServer
from .static import inject
from .watcher import DEBOUNCE, ChangeKind

__all__ = ["CHANGES_KEPT", "DEBOUNCE", "EVENTS_PATH", "ChangeKind", "PreviewServer", "inject"]
