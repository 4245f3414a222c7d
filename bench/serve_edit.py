#!/usr/bin/env python3
"""How long `broadsheet serve` takes to show an edit: save -> the article's page served with it.

Starts the real preview server on a corpus site (make one with bench/run.py first, or any site),
waits for its first build, then edits one article at a time, appending a unique sentence, and
polls the article's URL over HTTP every 10 ms until the sentence is in the page. Also times when
the server logs the end of the full rebuild (lists, feeds, search). Standard library
only; the server is the repository's `.venv/bin/broadsheet`.

    python3 bench/serve_edit.py --site bench/work/site --edits 5
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.read()
    except OSError:
        return b""


def wait_for(url: str, needle: bytes, timeout: float = 60.0) -> float:
    """Seconds until `needle` is in the page at `url` (polling every 10 ms)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if needle in get(url):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {needle!r} at {url}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, required=True)
    p.add_argument("--edits", type=int, default=5)
    args = p.parse_args()
    site = args.site.resolve()
    articles = sorted((site / "content").rglob("*.md"))
    if not articles:
        raise SystemExit(f"no articles in {site / 'content'}")
    port = free_port()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "broadsheet"), "serve", "--site", str(site),
                               "--port", str(port)], stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        started = time.perf_counter()
        assert server.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(server.stdout or ()), daemon=True)
        reader.start()

        def rebuilds() -> int:
            return sum("rebuilt in" in ln or "build failed" in ln for ln in lines)

        while not any(ln.startswith("built ") for ln in lines):
            if server.poll() is not None:
                raise SystemExit("the server stopped")
            time.sleep(0.05)
        print(f"first build done: server up {time.perf_counter() - started:.1f} s")
        page_times: list[float] = []
        home_times: list[float] = []
        for n in range(args.edits):
            done = rebuilds()
            path = articles[(n * 997) % len(articles)]
            rel = path.relative_to(site / "content").with_suffix("")
            url = base + rel.as_posix() + "/"  # the corpus's URLs: <category>/<file name>/
            original = path.read_text(encoding="utf-8")
            marker = f"Serve benchmark edit {n} {time.time_ns()}"
            headline = re.search(r"^title: (.*)$", original, re.M)
            try:
                edited = original.rstrip() + f"\n\n{marker}.\n"
                if headline and n % 2 == 0:  # every other edit also changes the headline
                    edited = edited.replace(headline.group(0), f"title: {marker}", 1)
                path.write_text(edited, encoding="utf-8")
                saved = time.perf_counter()
                t_page = wait_for(url, marker.encode())
                while rebuilds() == done:
                    time.sleep(0.01)
                t_home = time.perf_counter() - saved
            finally:
                path.write_text(original, encoding="utf-8")
            while rebuilds() < done + 2:  # the edit's rebuild and the restore's: an idle server
                time.sleep(0.05)
            time.sleep(0.5)
            page_times.append(t_page)
            home_times.append(t_home)
            print(f"edit {n}: {rel}: page {t_page:.2f} s, full rebuild logged {t_home:.2f} s",
                  flush=True)
        print(f"article page after save: median {statistics.median(page_times):.2f} s, "
              f"max {max(page_times):.2f} s over {len(page_times)} edits")
        print(f"full rebuild done after save: median {statistics.median(home_times):.2f} s, "
              f"max {max(home_times):.2f} s over {len(home_times)} edits")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        time.sleep(0.2)
        sys.stdout.write("server log:\n" + "".join("  " + ln for ln in lines))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
