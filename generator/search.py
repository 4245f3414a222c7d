"""Full-text search: a Pagefind index of every article's title and body, built with the site.

Pagefind (PyPI `pagefind[bin]`, which ships the `pagefind` binary in a wheel) splits the index
into fragments, so a reader downloads only the few that a query needs, and the search runs in the
browser: static hosting, the preview server, no third-party service.

Records are made from the Article model, not by crawling the rendered pages, so only titles and
bodies are indexed (no menus, sidebars or footers). Each record has meta (title, date), filters
(category, tag) and a sort key (date). `search_files(site)` returns the files for the Writer.

We talk to `pagefind --service` ourselves over its pipes, synchronously (no event loop, so it is
safe anywhere in the build), with the records streamed from a writer thread while the replies
are read. The package's own asyncio client (`pagefind.index.PagefindIndex`) sleeps 0.1 s before
reading each reply (10,000 articles: over 16 minutes) and reads with a 2 MiB limit that
`get_files()` overruns on a large site; the protocol is the same one it speaks.

Pagefind rebuilds its index from scratch every time, so the incremental part is ours: the last
result is kept in memory (the `serve` process) and, when a cache folder is given, on disk, keyed
by what the records are made from; an unchanged site skips Pagefind altogether. When something did change, the
fragment files are named by their content hash, so the Writer rewrites only the fragments of
changed articles, the index chunks their words fall in, and the small entry and meta files.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import pickle
import re
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .cache import engine_key
from .errors import BuildError, Problem
from .markdown import plain_text
from .model import Article, Site
from .render import format_date

SEARCH_DIR = "pagefind"  # the bundle's folder in the output; search.js imports pagefind.js from it
CACHE_FILE = "search.pickle"
FORMAT = 1  # bump when the records change shape
# What pagefind.js needs at run time. The rest of Pagefind's bundle (its own UI in three flavours,
# the highlight script, the playground) is left out: the theme has its own search page.
_KEEP = re.compile(r"^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind"
                   r"|pagefind\.[\w-]+\.pf_meta|(fragment|index|filter)/[\w-]+\.pf_\w+)$")
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

BACKGROUND_AFTER = 2.0  # seconds: in `serve`, a slower index is remade in the background

_memory: tuple[str, list[tuple[str, bytes]]] | None = None  # (key, files) of the last index made
_texts: dict[str, str] = {}  # article HTML -> its plain text, from the last call
_lock = threading.Lock()  # guards the globals below and _memory against the background thread
_running: threading.Thread | None = None  # the background indexer, when one runs
_failed: tuple[str, BuildError] | None = None  # (key, error) of a failed background run
_last_seconds = 0.0  # how long the last Pagefind run took


def article_text(article: Article) -> str:
    """What is indexed for one article: its title, then the visible text of its body."""
    text = _texts.get(article.html)
    if text is None:
        text = plain_text(_HIDDEN.sub(" ", article.html))
    if not text:
        return article.title
    stop = "" if article.title.rstrip().endswith((".", "!", "?", "…", ":")) else "."
    return f"{article.title}{stop}\n{text}"  # an excerpt across the two reads as two sentences


def record(article: Article, tz: Any) -> dict[str, Any]:
    """One Pagefind custom record (the AddRecord payload without the index id)."""
    iso = article.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # one zone: text order is
    return {                                                               # time order
        "url": article.path,  # site path; pagefind.js prefixes the folder that holds pagefind/
        "content": article_text(article),
        "language": article.lang,
        # the date as the theme shows it in lists, and as ISO for <time datetime>
        "meta": {"title": article.title, "date": format_date(article.date, tz, False),
                 "datetime": article.date.isoformat()},
        "filters": {"category": [t.name for t in article.categories],
                    "tag": [t.name for t in article.tags]},
        "sort": {"date": iso},
    }


def records(site: Site) -> list[dict[str, Any]]:
    """Every article's record, in the site's default order (the index depends on the order)."""
    global _texts
    out = [record(a, site.config.tz) for a in site.articles]
    _texts = {a.html: r["content"].partition("\n")[2] for a, r in zip(site.articles, out, strict=True)}
    return out


def pagefind_binary() -> Path:
    """The `pagefind` executable of the `pagefind[bin]` package (or $PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None  # type: ignore[assignment]
    path = get_executable() if get_executable else None
    if path is None or not Path(path).is_file():
        raise BuildError([Problem("search", "the pagefind binary is missing: install the Python "
                                            "package 'pagefind[bin]' (pip install 'pagefind[bin]')")],
                         "build failed: no search indexer")
    return Path(path)


class PagefindService:
    """`pagefind --service`: base64 JSON messages, each followed by a comma, on stdin/stdout.

    The service handles requests one at a time, in the order sent, and answers in that order.
    It runs in an empty temporary folder, so the binary has nowhere of ours to write to; nothing
    is fetched over the network (the binary carries its own web assets).
    """

    def __init__(self, binary: Path) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="broadsheet-pagefind-")
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._proc = subprocess.Popen([str(binary), "--service"], cwd=self._tmp.name,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._err)
        self._replies: deque[bytes] = deque()  # whole replies read but not yet taken
        self._partial: list[bytes] = []  # the start of the next reply (one can be tens of MB)
        self._id = 0

    def _encode(self, payload: dict[str, Any]) -> bytes:
        self._id += 1
        message = json.dumps({"message_id": self._id, "payload": payload}, ensure_ascii=False)
        return base64.b64encode(message.encode("utf-8")) + b","

    def _write(self, messages: list[bytes]) -> None:
        assert self._proc.stdin is not None
        try:
            for message in messages:
                self._proc.stdin.write(message)
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass  # the service died: the reader sees the end of its output and says so

    def _receive(self, expected_id: int) -> dict[str, Any]:
        assert self._proc.stdout is not None
        while not self._replies:
            chunk = self._proc.stdout.read1(1 << 20)
            if not chunk:
                raise self._failure("the pagefind service stopped")
            *done, rest = chunk.split(b",")
            if done:
                self._replies.append(b"".join([*self._partial, done[0]]))
                self._replies.extend(done[1:])
                self._partial = []
            self._partial.append(rest)
        reply = json.loads(base64.b64decode(self._replies.popleft()))
        answer: dict[str, Any] = reply.get("payload") or {}
        if answer.get("type") == "Error":
            raise self._failure(f"pagefind: {answer.get('message')}")
        if reply.get("message_id") != expected_id:
            raise self._failure(f"pagefind answered message {reply.get('message_id')} "
                                f"when {expected_id} was due")
        return answer

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its reply."""
        self._write([self._encode(payload)])
        return self._receive(self._id)

    def call_many(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send many requests while reading their replies: the service never waits for us."""
        first = self._id + 1
        messages = [self._encode(p) for p in payloads]
        writer = threading.Thread(target=self._write, args=(messages,), daemon=True)
        writer.start()
        try:
            return [self._receive(first + i) for i in range(len(messages))]
        finally:
            if writer.is_alive():
                self._proc.kill()  # we stopped reading (an error): unblock the writer
            writer.join()

    def _failure(self, message: str) -> BuildError:
        self._err.seek(0)
        tail = self._err.read()[-2000:].decode("utf-8", "replace").strip()
        return BuildError([Problem("search", f"{message}{': ' + tail if tail else ''}")],
                          "build failed: search index")

    def close(self) -> None:
        try:
            if self._proc.stdin:
                self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()
        self._err.close()
        self._tmp.cleanup()

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_pagefind(recs: list[dict[str, Any]], language: str) -> list[tuple[str, bytes]]:
    """Index the records in one Pagefind index; its files, sorted by path, under `pagefind/`.

    One index in the site's language (`force_language`): the search page is in that language
    and pagefind.js opens the index of its page's language, so this keeps every article findable.
    """
    with PagefindService(pagefind_binary()) as service:
        index = service.call({"type": "NewIndex", "config": {"force_language": language}})["index_id"]
        service.call_many([{"type": "AddRecord", "index_id": index, **rec} for rec in recs])
        files = service.call({"type": "GetFiles", "index_id": index})["files"]
    out = {f["path"]: base64.b64decode(f["content"]) for f in files if _KEEP.match(f["path"])}
    return sorted((f"{SEARCH_DIR}/{path}", data) for path, data in normalise(out).items())


# --- determinism ---------------------------------------------------------------------------
# Pagefind writes the values of each filter, and the list of filters in its meta file, in the
# order of a Rust HashMap, which is seeded at random in every run. Everything else it writes is
# stable. So: sort those lists, and rename what their new bytes rename (a file's name carries a
# hash of its bytes): each filter file, the meta file that lists them, and pagefind-entry.json,
# which names the meta file. The files are gzip'd "pagefind_dcd" + CBOR; pagefind.js reads them
# by name only and checks no hash, so our own hash in the name is as good as Pagefind's.

SIGNATURE = b"pagefind_dcd"


class _Raw(bytes):
    """A CBOR item kept as its bytes (floats, simple values, tags): re-encoded unchanged."""


class _Map(list):  # type: ignore[type-arg]
    """A CBOR map as its (key, value) pairs, in their order."""


def _cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError("CBOR integer too large")


def cbor_decode(data: bytes, i: int = 0) -> tuple[Any, int]:
    """One CBOR item at `i` (definite lengths only, as Pagefind writes): (value, next index)."""
    start = i
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise ValueError(f"unsupported CBOR item at {start}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(data[i:i + n]), i + n
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major in (4, 5):
        items = []
        for _ in range(n if major == 4 else 2 * n):
            item, i = cbor_decode(data, i)
            items.append(item)
        if major == 4:
            return items, i
        return _Map(zip(items[::2], items[1::2], strict=True)), i
    if major == 6:  # a tag: keep the tag and its item as they are
        _, i = cbor_decode(data, i)
        return _Raw(data[start:i]), i
    return _Raw(data[start:i]), i  # major 7: floats and simple values (n already skipped them)


def cbor_encode(value: Any) -> bytes:
    """The inverse of cbor_decode, with the shortest heads (as Pagefind's encoder writes)."""
    if isinstance(value, _Raw):
        return bytes(value)
    if isinstance(value, bool) or value is None:
        raise TypeError("CBOR simple values are kept as _Raw")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, _Map):
        return _cbor_head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value)
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def _unpack(data: bytes) -> Any:
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    value, end = cbor_decode(data, len(SIGNATURE))
    if end != len(data) or cbor_encode(value) != data[len(SIGNATURE):]:
        raise ValueError("Pagefind data file does not round-trip")
    return value


def _pack(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + cbor_encode(value), compresslevel=6, mtime=0)


def _hash(data: bytes, size: int) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()[:size]


def _sort_key(item: Any) -> bytes:
    return cbor_encode(item)


def normalise(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files with the HashMap-ordered lists sorted and the files they rename renamed.

    If a future Pagefind changes the layout this expects, the files come back as they were
    (a working index, though perhaps not byte-stable; tests/test_search.py would say so).
    """
    try:
        return _normalise(files)
    except (ValueError, KeyError, IndexError, TypeError, OSError):
        return files


def _normalise(files: dict[str, bytes]) -> dict[str, bytes]:
    out = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    entry_bytes = files["pagefind-entry.json"]
    for language in sorted(entry["languages"]):
        old_hash = entry["languages"][language]["hash"]  # e.g. "en_60f0339b4b"
        meta = _unpack(out.pop(f"pagefind.{old_hash}.pf_meta"))
        pf_version, fragments, chunks, filters, sorts, *rest = meta
        new_filters = []
        for name, filter_hash in filters:
            value = _unpack(out.pop(f"filter/{filter_hash}.pf_filter"))
            fname, values = value
            packed = _pack([fname, sorted(values, key=_sort_key)])
            new = f"{language}_{_hash(packed, 7)}"
            out[f"filter/{new}.pf_filter"] = packed
            new_filters.append([name, new])
        meta = [pf_version, fragments, chunks, sorted(new_filters, key=_sort_key),
                sorted(sorts, key=_sort_key), *rest]
        packed = _pack(meta)
        new_hash = f"{language}_{_hash(packed, len(old_hash) - len(language) - 1)}"
        out[f"pagefind.{new_hash}.pf_meta"] = packed
        entry_bytes = entry_bytes.replace(f'"{old_hash}"'.encode(), f'"{new_hash}"'.encode(), 1)
    out["pagefind-entry.json"] = entry_bytes
    return out


def index_key(site: Site) -> str:
    """A hash of everything the records are made from, without making them (no text extraction):
    the engine's code (which covers `record()`), Pagefind's version and each article's fields."""
    config = site.config
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT}\0{engine_key()}\0{_binary_id()}\0{config.language}\0{config.timezone}\0"
             .encode())
    for a in site.articles:
        h.update(repr((a.path, a.title, a.lang, a.date.isoformat(), [t.name for t in a.categories],
                       [t.name for t in a.tags])).encode("utf-8"))
        h.update(a.html.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _binary_id() -> str:
    """Which Pagefind makes the index: the pagefind_bin version, else the binary's size and mtime."""
    if not os.environ.get("PAGEFIND_BINARY_PATH"):
        try:
            return version("pagefind_bin")
        except PackageNotFoundError:
            pass
    st = pagefind_binary().stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _load(path: Path, key: str) -> list[tuple[str, bytes]] | None:
    try:
        with path.open("rb") as fh:
            old_key, files = pickle.load(fh)
    except Exception:  # missing, corrupt or foreign: index again
        return None
    return files if old_key == key else None


def _save(path: Path, key: str, files: list[tuple[str, bytes]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump((key, files), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def search_files(site: Site, cache_dir: Path | None = None,
                 on_ready: Callable[[], None] | None = None) -> list[tuple[str, bytes]]:
    """The search bundle for the Writer: (output path under `pagefind/`, bytes), sorted by path.

    Deterministic: the same articles give the same bytes. With `cache_dir` (the build's
    `.broadsheet-cache/`), an unchanged site reuses the last index without running Pagefind.

    `on_ready` is for `serve`: when the site changed and the last index took more than
    BACKGROUND_AFTER seconds, the previous index is returned at once (so the rebuild of the
    edited pages is not held up) and Pagefind runs in a background thread, one run at a time;
    when it is done it calls `on_ready()`, which should only *schedule* another rebuild (that
    rebuild then finds the new index in memory). `build` never passes it: it waits for the index.
    """
    global _memory, _running
    key = index_key(site)
    with _lock:
        memory, failed = _memory, _failed
    if memory is not None and memory[0] == key:
        return list(memory[1])
    if failed is not None and failed[0] == key:
        raise failed[1]  # the background run for exactly this site failed: report it once more
    cache_file = cache_dir / CACHE_FILE if cache_dir is not None else None
    files = _load(cache_file, key) if cache_file else None
    if files is not None:
        with _lock:
            _memory = (key, files)
        return list(files)
    recs, language = records(site), site.config.language
    if on_ready is not None and memory is not None and _last_seconds > BACKGROUND_AFTER:
        with _lock:
            if _running is None:
                _running = threading.Thread(target=_background, name="broadsheet-search-index",
                                            args=(key, recs, language, cache_file, on_ready),
                                            daemon=True)
                _running.start()
        return list(memory[1])  # stale until on_ready
    files = _index(key, recs, language, cache_file)
    return list(files)


def _index(key: str, recs: list[dict[str, Any]], language: str,
           cache_file: Path | None) -> list[tuple[str, bytes]]:
    global _memory, _last_seconds
    started = time.perf_counter()
    files = run_pagefind(recs, language)
    if cache_file:
        _save(cache_file, key, files)
    with _lock:
        _memory = (key, files)
        _last_seconds = time.perf_counter() - started
    return files


def _background(key: str, recs: list[dict[str, Any]], language: str, cache_file: Path | None,
                on_ready: Callable[[], None]) -> None:
    global _failed, _running
    try:
        _index(key, recs, language, cache_file)
    except BuildError as exc:
        with _lock:
            _failed = (key, exc)
    finally:
        with _lock:
            _running = None
        on_ready()
