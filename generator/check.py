"""`broadsheet check`: build the site, then find every broken link, anchor and asset in the output.

Internal links (`href`, `src`, `srcset`, `action`, `poster`, meta refresh and Open Graph URLs,
`url(...)` in CSS and style attributes) are resolved against the page's URL under `base_url`
and looked up in the output folder: a link to `/a/b/` needs `a/b/index.html`. A fragment
(`#id`, `page/#id`) needs an element with that id, or `<a name>`, on the target page. Absolute
URLs on base_url's own host count as internal; other hosts are skipped unless `--external`,
which checks them with a small, polite crawler (HEAD, GET fallback, per-host delay, a cap).

One line per problem, sorted: `file: broken link 'link' (why)`; exit 1 when there are any.

Every output file is parsed once with the stdlib `html.parser` (through `adapters`). Generated
pages repeat whole blocks (masthead, menus, sidebar, summaries), so the parser is fed line by line
and the items of a line that starts and ends between tags are remembered: a repeated line costs a
dict lookup instead of a parse. Large sites are parsed on forked workers (`--jobs`).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit
from urllib.request import Request, build_opener

from . import __version__, workers
from .adapters import LineFedHTMLParser
from .urls import output_file, site_path

USER_AGENT = f"broadsheet-check/{__version__} (link checker of the Broadsheet static site generator)"
IGNORED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "about", "blob"})
META_URL_KEYS = frozenset({"og:url", "og:image", "og:image:url", "og:image:secure_url", "og:video",
                           "og:audio", "twitter:image", "twitter:image:src"})
LINK_ATTRS = frozenset({"href", "src", "action", "poster", "formaction"})
NO_FETCH_RELS = frozenset({"preconnect", "dns-prefetch"})
SKIP_DIRS = (".broadsheet-staging",)
MEMO_MAX_LINE = 2000  # longer lines are article text, seldom repeated: not worth remembering
MEMO_MAX_ENTRIES = 200_000  # the memo is emptied when it grows past this (bounded memory)
PARALLEL_MIN = 400  # fewer files than this are parsed in-process

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|"""
                      r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_REFRESH = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$",
                      re.IGNORECASE | re.DOTALL)
_DEFAULT_PORTS = {"http": 80, "https": 443}

Item = tuple[str, str]  # ("id", value), ("link", url) or ("base", url)


# --- problems and results -------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Broken:
    """One broken link: the output file it is on, the link as written, and why."""

    file: str
    link: str
    why: str

    def format(self) -> str:
        return f"{self.file}: broken link '{self.link}' ({self.why})"


@dataclass
class CheckResult:
    """What a check found; `broken` is sorted and holds internal and external problems."""

    files: int = 0
    links: int = 0
    broken: list[Broken] = field(default_factory=list)
    external: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # url -> (file, link)
    external_checked: int = 0
    external_over_limit: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.broken

    def summary(self, external: bool = False) -> str:
        files = len({b.file for b in self.broken})
        common = ""
        if self.broken:
            counts: dict[tuple[str, str], int] = defaultdict(int)
            for b in self.broken:
                counts[(b.link, b.why)] += 1
            (link, _), n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if n >= 10:
                common = f"; '{link}' alone is broken on {n} pages (a template, menu or widget link?)"
        if external:
            ext = f"{self.external_checked} external URLs checked"
            if self.external_over_limit:
                ext += f", {self.external_over_limit} over --external-limit not checked"
        else:
            ext = f"{len(self.external)} external URLs not checked (use --external)"
        if self.broken:
            return (f"check failed: {len(self.broken)} broken link(s) in {files} file(s){common}; "
                    f"{self.files} files, {self.links} links, {ext}, {self.seconds:.2f}s")
        return (f"check passed: {self.files} files, {self.links} links, no broken links; {ext}; "
                f"{self.seconds:.2f}s")


# --- extracting links from HTML -------------------------------------------------------------

def srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset` value ("a.jpg 1x, b.jpg 2x" -> ["a.jpg", "b.jpg"]).

    As the HTML standard parses it: a URL runs to the next whitespace (so a `data:` URL may hold
    commas), and a comma ends the descriptors.
    """
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while i < n and value[i] != ",":
                i += 1
        if url:
            urls.append(url)
    return urls


def css_urls(text: str) -> list[str]:
    """The URLs of `url(...)` and `@import "..."` in CSS text."""
    return [next(g for g in m.groups() if g is not None).strip() for m in _CSS_URL.finditer(text)
            if any(g is not None for g in m.groups())]


class _Extractor(LineFedHTMLParser):
    """An html.parser that only collects ids and URLs, as `Item`s appended to `self.items`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not attrs:
            return
        add = self.items.append
        if tag in ("link", "meta", "base"):
            self._special(tag, {k: v for k, v in attrs if v is not None})
            return
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRS:
                add(("link", value.strip()))
            elif name == "id":
                add(("id", value))
            elif name in ("srcset", "imagesrcset"):
                for url in srcset_urls(value):
                    add(("link", url))
            elif name == "name" and tag == "a":
                add(("id", value))
            elif name == "style" and "url(" in value:
                for url in css_urls(value):
                    add(("link", url))

    def _special(self, tag: str, a: dict[str, str]) -> None:
        add = self.items.append
        if "id" in a:
            add(("id", a["id"]))
        if tag == "base":
            if "href" in a:
                add(("base", a["href"]))
        elif tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if "href" in a and not rels & NO_FETCH_RELS:
                add(("link", a["href"].strip()))
            for url in srcset_urls(a.get("imagesrcset", "")):
                add(("link", url))
        elif a.get("http-equiv", "").lower() == "refresh":
            m = _REFRESH.match(a.get("content", ""))
            if m and m.group(2):
                add(("link", m.group(2).strip()))
        elif (a.get("property") or a.get("name") or "").lower() in META_URL_KEYS and a.get("content"):
            add(("link", a["content"].strip()))

    def handle_data(self, data: str) -> None:
        if self.cdata_elem == "style" and ("url(" in data or "@import" in data):
            self.items.extend(("link", url) for url in css_urls(data))


def extract(text: str, memo: dict[str, tuple[Item, ...]] | None = None) -> list[Item]:
    """Every id and URL of an HTML document, in document order.

    With `memo`, a line parsed from (and leaving) plain-HTML state is remembered, and the same
    line on a later page is not parsed again.
    """
    parser = _Extractor()
    items = parser.items
    if memo is None:
        parser.feed(text)
        parser.close()
        return items
    for line in text.splitlines(keepends=True):
        if not parser.between_tags():  # inside a tag, comment, script or style
            parser.feed(line)
            continue
        if "<" not in line and "&" not in line:  # plain text: no markup, nothing to remember
            continue
        hit = memo.get(line)
        if hit is not None:
            items.extend(hit)
            continue
        start = len(items)
        parser.feed(line)
        if parser.between_tags() and len(line) <= MEMO_MAX_LINE:
            if len(memo) >= MEMO_MAX_ENTRIES:
                memo.clear()
            memo[line] = tuple(items[start:])
    parser.close()
    return items


# --- resolving links against the output folder ----------------------------------------------

def _netloc(scheme: str, parts: Any) -> str:
    """host:port of a SplitResult, lower-case, default port spelled out (ValueError if bad)."""
    return f"{(parts.hostname or '').lower()}:{parts.port or _DEFAULT_PORTS.get(scheme, '')}"


def page_url(origin: str, base_path: str, rel: str) -> str:
    """The URL an output file is served at: `world/x/index.html` -> origin + base + `world/x/`."""
    return origin + base_path + quote(site_path(rel), safe="/~@!$&'()*+,;=:")


class OutputSite:
    """The output folder as a web server would serve it at base_url."""

    def __init__(self, out_dir: Path, base_url: str) -> None:
        self.root = out_dir
        try:
            parts = urlsplit(base_url)
        except ValueError:  # not a URL at all: check as if the site were at the root
            parts = urlsplit("http://localhost/")
        self.scheme = parts.scheme.lower() or "http"
        self.origin = f"{self.scheme}://{parts.netloc}"
        self.origin_slash = self.origin + "/"
        try:
            self.hosts = {_netloc(s, parts) for s in ("http", "https")} if parts.netloc else set()
        except ValueError:  # a bad port
            self.hosts = set()
        path = parts.path or "/"
        self.base_path = path if path.endswith("/") else path + "/"
        self.files = set(self._walk())
        self._absolute: dict[str, tuple[str, ...]] = {}
        self._relative: dict[tuple[str, str], tuple[str, ...]] = {}

    def _walk(self) -> Iterator[str]:
        root = str(self.root)
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            rel = os.path.relpath(folder, root).replace(os.sep, "/")
            prefix = "" if rel == "." else rel + "/"
            for name in files:
                yield prefix + name

    def url_of(self, rel: str) -> str:
        return page_url(self.origin, self.base_path, rel)

    def resolve(self, base: str, raw: str) -> tuple[str, ...]:
        """Classify one link found on a page served at `base`:

        ("skip",) not checked; ("ext", url) another host; ("bad", why) broken;
        ("ok", target file, fragment) found in the output.
        """
        own = base.startswith(self.origin_slash)  # False only under a <base> on another host
        if own:
            hit = self._absolute.get(raw)  # root-relative and full URLs: the same on every page
            if hit is not None:
                return hit
        if own and (raw.startswith("/") or _SCHEME.match(raw)):
            cache, key = self._absolute, raw
        else:
            cache, key = self._relative, (base, raw)  # type: ignore[assignment]
            hit = cache.get(key)
            if hit is not None:
                return hit
        hit = self._resolve(base, raw)
        if len(cache) > 500_000:
            cache.clear()
        cache[key] = hit
        return hit

    def _resolve(self, base: str, raw: str) -> tuple[str, ...]:
        m = _SCHEME.match(raw)
        if m and m.group(1).lower() in IGNORED_SCHEMES:
            return ("skip",)
        plain = "/." not in raw and "\\" not in raw  # no dot segments: no need for urljoin
        try:
            if plain and m and raw.startswith("//", m.end()):
                url = raw
            elif plain and raw.startswith("/") and not raw.startswith("//") and base.startswith(
                    self.origin_slash):
                url = self.origin + raw
            else:
                url = urljoin(base, raw)
            parts = urlsplit(url)
        except ValueError as exc:  # e.g. an invalid IPv6 host
            return ("bad", f"not a valid URL: {exc}")
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return ("skip",)
        try:
            host = _netloc(scheme, parts)
        except ValueError as exc:
            return ("bad", f"not a valid URL: {exc}")
        if host not in self.hosts:
            return ("ext", urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, "")))
        path = parts.path or "/"
        if not path.startswith(self.base_path):
            if path + "/" == self.base_path:
                path = self.base_path
            else:
                return ("bad", f"outside the site: base_url's path is {self.base_path}")
        rel = unquote(path[len(self.base_path):])
        fragment = parts.fragment
        target = output_file(rel)
        if target in self.files:
            return ("ok", target, fragment)
        if target == rel and output_file(rel + "/") in self.files:  # servers redirect /a to /a/
            return ("ok", output_file(rel + "/"), fragment)
        return ("bad", f"not in the output: {target}")


def _has_id(ids: frozenset[str] | set[str], fragment: str) -> bool:
    """Whether a fragment names an element; "" and "top" always scroll (the HTML standard)."""
    if fragment in ids or fragment == "" or fragment.lower() == "top" or fragment.startswith(":~:"):
        return True
    return unquote(fragment) in ids


@dataclass
class _Chunk:
    """What one worker found in its share of the files."""

    links: int = 0
    broken: list[Broken] = field(default_factory=list)
    frags: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, link, target, #
    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    external: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))


def _check_links(site: OutputSite, rel: str, base: str, links: Iterable[str], out: _Chunk,
                 own: set[str] | None) -> None:
    """Resolve each link of file `rel`; same-page fragments are checked against `own` ids."""
    seen: set[str] = set()
    here = own is not None and base == site.url_of(rel)  # no <base> elsewhere: '#x' is this page
    for raw in links:
        if not raw or raw in seen:
            continue
        seen.add(raw)
        out.links += 1
        if here and raw.startswith("#"):
            if not _has_id(own or set(), raw[1:]):
                out.broken.append(Broken(rel, raw, f"no element with id '{raw[1:]}' on this page"))
            continue
        res = site.resolve(base, raw)
        kind = res[0]
        if kind == "ok":
            target, fragment = res[1], res[2]
            if fragment and target.endswith((".html", ".htm")):
                if target == rel and own is not None:
                    if not _has_id(own, fragment):
                        out.broken.append(Broken(rel, raw, f"no element with id '{fragment}' on "
                                                           "this page"))
                else:
                    out.frags.append((rel, raw, target, fragment))
        elif kind == "bad":
            out.broken.append(Broken(rel, raw, res[1]))
        elif kind == "ext":
            out.external[res[1]].append((rel, raw))


def _check_html(site: OutputSite, rel: str, memo: dict[str, tuple[Item, ...]], out: _Chunk) -> None:
    text = (site.root / rel).read_bytes().decode("utf-8", errors="replace")
    items = extract(text, memo)
    ids = {v for k, v in items if k == "id"}
    base = site.url_of(rel)
    bases = [v for k, v in items if k == "base"]
    if bases:  # the first <base href> applies to every URL of the document
        base = urljoin(base, bases[0].strip())
    links = [v for k, v in items if k == "link"]
    out.ids[rel] = frozenset(ids)
    _check_links(site, rel, base, links, out, ids)


def _check_css(site: OutputSite, rel: str, out: _Chunk) -> None:
    text = (site.root / rel).read_bytes().decode("utf-8", errors="replace")
    links = [u for u in css_urls(text) if not u.strip().startswith("#")]
    _check_links(site, rel, site.url_of(rel), links, out, None)


_MEMO: dict[str, tuple[Item, ...]] = {}  # per process: lines already parsed, and their items


def _work(site: OutputSite, files: list[str]) -> _Chunk:
    """Check one chunk of files; in a forked worker, `site` is inherited, not pickled."""
    out = _Chunk()
    memo = _MEMO
    for rel in files:
        try:
            if rel.endswith(".css"):
                _check_css(site, rel, out)
            else:
                _check_html(site, rel, memo, out)
        except OSError as exc:
            out.broken.append(Broken(rel, "", f"cannot read the file: {exc.strerror}"))
    out.external = dict(out.external)
    return out


def check_output(out_dir: Path, base_url: str, *, jobs: int | None = 1) -> CheckResult:
    """Check every internal link, anchor and asset of a built output folder (no network)."""
    started = time.perf_counter()
    site = OutputSite(out_dir, base_url)
    todo = sorted(f for f in site.files if f.endswith((".html", ".htm", ".css")))
    jobs = jobs or os.cpu_count() or 1
    if len(todo) < PARALLEL_MIN:
        jobs = 1
    # Interleaved chunks keep each worker's share similar (list pages next to articles).
    n_chunks = 1 if jobs == 1 else jobs * 4
    chunks = [todo[i::n_chunks] for i in range(n_chunks)]
    result = CheckResult(files=len(todo))
    ids: dict[str, frozenset[str]] = {}
    frags: list[tuple[str, str, str, str]] = []
    external: dict[str, list[tuple[str, str]]] = defaultdict(list)
    try:
        for chunk in workers.pool_map(_work, site, chunks, jobs, ordered=False):
            result.links += chunk.links
            result.broken.extend(chunk.broken)
            frags.extend(chunk.frags)
            ids.update(chunk.ids)
            for url, where in chunk.external.items():
                external[url].extend(where)
    finally:
        _MEMO.clear()
    for rel, raw, target, fragment in frags:
        if not _has_id(ids.get(target, frozenset()), fragment):
            result.broken.append(Broken(rel, raw, f"no element with id '{fragment}' in {target}"))
    result.broken = sorted(set(result.broken))
    result.external = {url: sorted(set(where)) for url, where in sorted(external.items())}
    result.seconds = time.perf_counter() - started
    return result


# --- the external crawler -------------------------------------------------------------------

@dataclass(frozen=True)
class CrawlOptions:
    limit: int = 500  # at most this many distinct URLs
    concurrency: int = 4  # requests in flight at once
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 10.0
    user_agent: str = USER_AGENT


class _HostGate:
    """One request at a time per host, `delay` seconds apart."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.hosts: dict[str, tuple[threading.Lock, list[float]]] = {}

    def slot(self, host: str) -> tuple[threading.Lock, list[float]]:
        with self.lock:
            if host not in self.hosts:
                self.hosts[host] = (threading.Lock(), [0.0])
            return self.hosts[host]


def ascii_url(url: str) -> str:
    """The URL as a browser sends it: IDNA host, percent-encoded path and query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):  # leave a host IDNA cannot encode for urllib to refuse
        host = host.encode("idna").decode("ascii")
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe="/%:@!$&'()*+,;=~"),
                       quote(parts.query, safe="/%:@!$&'()*+,;=~?"), ""))


def fetch(url: str, options: CrawlOptions, opener: Any = None) -> str | None:
    """Why `url` is broken (an HTTP status or a connection error), or None when it answers.

    HEAD first; a server that answers HEAD with an error status gets one GET (many refuse HEAD).
    """
    opener = opener or build_opener()
    headers = {"User-Agent": options.user_agent, "Accept": "*/*"}
    why = None
    try:
        url = ascii_url(url)
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    for method in ("HEAD", "GET"):
        try:
            with opener.open(Request(url, method=method, headers=headers),
                             timeout=options.timeout) as resp:
                if method == "GET":
                    resp.read(512)
                return None
        except HTTPError as exc:
            why = f"HTTP {exc.code} {exc.reason}".rstrip()
            exc.close()
        except http.client.HTTPException as exc:  # a malformed answer: GET may do better
            why = f"bad HTTP answer: {type(exc).__name__}"
        except TimeoutError:
            return f"no answer within {options.timeout:g}s"
        except URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                return f"no answer within {options.timeout:g}s"
            return f"connection error: {reason}"
        except (OSError, ValueError) as exc:
            return f"connection error: {exc}"
    return why


def crawl(urls: Iterable[str], options: CrawlOptions = CrawlOptions(),
          fetcher: Callable[[str, CrawlOptions], str | None] | None = None
          ) -> tuple[dict[str, str | None], list[str]]:
    """Check each URL once: ({url: why broken or None}, [urls over the limit, not checked]).

    Hosts are interleaved so that the concurrent requests go to different hosts.
    """
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in sorted(set(urls)):
        by_host[urlsplit(url).netloc.lower()].append(url)
    order: list[str] = []
    queues = [by_host[h] for h in sorted(by_host)]
    for i in range(max((len(q) for q in queues), default=0)):
        order.extend(q[i] for q in queues if i < len(q))
    todo, over = order[: max(0, options.limit)], sorted(order[max(0, options.limit):])
    gate = _HostGate(options.delay)
    opener = build_opener()
    fetch_one = fetcher or (lambda u, o: fetch(u, o, opener))

    def one(url: str) -> tuple[str, str | None]:
        lock, last = gate.slot(urlsplit(url).netloc.lower())
        with lock:
            wait = last[0] + options.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return url, fetch_one(url, options)
            except Exception as exc:  # one odd URL must not stop the crawl
                return url, f"error: {type(exc).__name__}: {exc}"
            finally:
                last[0] = time.monotonic()

    results: dict[str, str | None] = {}
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
            for url, why in pool.map(one, todo):
                results[url] = why
    return results, over


def check_external(result: CheckResult, options: CrawlOptions = CrawlOptions(),
                   fetcher: Callable[[str, CrawlOptions], str | None] | None = None) -> None:
    """Crawl the result's external URLs and add a Broken line for every page linking a bad one."""
    answers, over = crawl(result.external, options, fetcher)
    result.external_checked = len(answers)
    result.external_over_limit = len(over)
    for url, why in answers.items():
        if why:
            result.broken.extend(Broken(rel, raw, why) for rel, raw in result.external[url])
    result.broken.sort()
