#!/usr/bin/env python3
"""What a search costs the reader: bytes fetched and time to results, in headless Chromium.

Serves a built site (its output folder) on 127.0.0.1, opens /search/?q=<query> for each query
and records every response after the search page itself: the index files (search-index/) and
the result pages fetched for excerpts. Prints, per query, the result count, the time until the
results are on screen, and the bytes fetched (uncompressed; a host's gzip sends about a third).
Also prints the index's size on disk. Needs the test extras (playwright) and /usr/bin/chromium.

    .venv/bin/python bench/search_query.py bench/work/site/output election "prime minister" cease
"""

from __future__ import annotations

import argparse
import functools
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("output", type=Path, help="a built site's output folder")
    p.add_argument("queries", nargs="+")
    args = p.parse_args()
    index = args.output / "search-index"
    files = list(index.iterdir())
    print(f"index: {sum(f.stat().st_size for f in files) / 1e6:.1f} MB in {len(files)} files; "
          f"meta.json {(index / 'meta.json').stat().st_size / 1e3:.1f} KB")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(args.output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    times, sizes = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for q in args.queries:
            context = browser.new_context()  # a cold cache for each query
            page = context.new_page()
            fetched: dict[str, int] = {}

            def record(response: object, fetched: dict[str, int] = fetched) -> None:
                url = urlsplit(response.url).path  # type: ignore[attr-defined]
                if "/search-index/" in url or not url.startswith(("/search/", "/css/", "/js/")):
                    fetched[url] = len(response.body())  # type: ignore[attr-defined]

            page.on("response", record)
            started = time.perf_counter()
            page.goto(f"{base}/search/?q={quote_plus(q)}")
            page.wait_for_function("document.getElementById('search-status').textContent"
                                   " && !document.getElementById('search-status').textContent"
                                   ".startsWith('Searching')", timeout=60_000)
            seconds = time.perf_counter() - started
            page.wait_for_load_state("networkidle")
            status = page.inner_text("#search-status")
            index_bytes = sum(n for u, n in fetched.items() if "/search-index/" in u)
            page_bytes = sum(n for u, n in fetched.items() if "/search-index/" not in u)
            print(f"{q!r}: {status} {seconds * 1000:.0f} ms; index files "
                  f"{len([u for u in fetched if '/search-index/' in u])}, {index_bytes / 1e3:.0f} KB; "
                  f"article pages for excerpts {page_bytes / 1e3:.0f} KB")
            times.append(seconds)
            sizes.append(index_bytes)
            context.close()
        browser.close()
    server.shutdown()
    print(f"median: {statistics.median(times) * 1000:.0f} ms to results, "
          f"{statistics.median(sizes) / 1e3:.0f} KB of index per query (cold cache, uncompressed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
