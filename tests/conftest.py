"""Shared fixtures: small sites written into tmp_path, built with the real engine."""

from __future__ import annotations

import contextlib
import os
import textwrap
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from generator.build import BuildResult, build
from generator.commands.common import parse_now
from generator.config import load_config

REPO = Path(__file__).resolve().parents[1]



def _shared() -> Path:
    """The project's shared material (seeds, spec, corpus generator): beside the repository, or
    where $BROADSHEET_SHARED says, or at /work/shared (a clean clone made elsewhere)."""
    for candidate in (os.environ.get("BROADSHEET_SHARED"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return REPO.parent / "shared"


SHARED = _shared()
SEEDS = SHARED / "seeds"
NOW = "2025-03-02T12:00:00+00:00"


def article(title: str = "A story", *, body: str = "Some text.\n", **fields: object) -> str:
    """Markdown with YAML front matter; values are written as YAML (via repr for strings)."""
    import yaml

    data = {"title": title, "date": "2025-02-01 10:00:00", **fields}
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{textwrap.dedent(body)}"


class Site:
    """A site folder under tmp_path with helpers to write files, build and read the output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "content").mkdir(parents=True, exist_ok=True)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def article(self, rel: str, title: str = "A story", **fields: object) -> Path:
        return self.write(f"content/{rel}", article(title, **fields))

    def build(self, now: str = NOW, use_cache: bool = True, jobs: int | None = None,
              search: bool = False, **overrides: object) -> BuildResult:
        """Build with the real engine. The search index is off unless asked for (so file counts
        stay small); tests/test_search.py and the sample-site tests cover it."""
        config = load_config(self.root, now=parse_now(now), search=search, **overrides)
        return build(config, use_cache=use_cache, jobs=jobs)

    @property
    def out(self) -> Path:
        return self.root / "output"

    def html(self, rel: str) -> lxml.html.HtmlElement:
        path = self.out / rel
        if path.is_dir() or rel.endswith("/") or rel == "":
            path = path / "index.html"
        return lxml.html.fromstring(path.read_bytes())

    def text(self, rel: str) -> str:
        path = self.out / rel
        if path.is_dir():
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "site")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[str], Site]:
    return lambda name: Site(tmp_path / name)


def need(available: bool, reason: str) -> None:
    """Skip when a machine lacks an outside tool; CI sets BROADSHEET_REQUIRE_ALL=1 to fail instead.

    CI (.ci/run) installs every tool, so there every such test runs.
    """
    import os

    if available:
        return
    if os.environ.get("BROADSHEET_REQUIRE_ALL"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def build_sample(tmp_path: Path) -> Path:
    """Build the repository's own sample site (content/ + site.toml) into tmp_path/output."""
    out = tmp_path / "output"
    config = load_config(REPO, output_dir=out, now=parse_now(NOW))
    build(config)
    return out


@contextlib.contextmanager
def local_http_server(handler: Callable[..., Any]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
