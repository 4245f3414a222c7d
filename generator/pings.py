"""Pings after deploy: tell the CDN, search engines and feed readers exactly what a deploy changed.

A static site changes only when it is deployed, and nobody notices until they come back. So after
`broadsheet deploy` has put the files up, and only for what the site configures:

- **CloudFront** (`--invalidate DIST_ID`) drops its cached copies of the changed and removed
  files, instead of everything (`/*`): the rest of the site stays cached and the bill small.
- **IndexNow** (`[indexnow] key`) gets the URLs of the pages added, changed and removed; the key
  file the build writes (`KEY.txt`) proves the site sent them.
- **WebSub** (`[websub] hub`, advertised in every feed) is pinged once per changed feed, and
  pushes it to the readers subscribed to it.

Everything comes from the deploy's own plan: an uploaded or deleted file is a changed URL, an
unchanged one is never sent. The CDN goes first, and the others wait (a bounded time) for it: an
engine or hub that fetches a page the moment it is told must not get the copy the CDN still
holds. A failure is reported, never retried in a loop, and never undoes the deploy: the files are
up, and the sitemap or the next deploy tells the world in the end.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from . import __version__
from .config import Config
from .deploy import Changes, is_fingerprinted

USER_AGENT = f"Broadsheet/{__version__}"
TIMEOUT = 10.0
"""Seconds to wait for an IndexNow endpoint or a hub to answer."""

INDEXNOW_BATCH = 10_000
"""URLs per IndexNow POST: the protocol's limit."""

CLOUDFRONT_BATCH = 1000
"""Paths per CreateInvalidation request: a failed request loses one batch, not the deploy's all."""
CLOUDFRONT_MAX_PATHS = 3000
"""CloudFront refuses more than 3,000 single-file paths in progress on one distribution."""
DEFAULT_MAX_INVALIDATION_PATHS = 1000
"""Above this many changed paths one `/*` is sent instead: past the first 1,000 paths a month
each path is billed, and a deploy that changed this much (a template edit) changed nearly
everything anyway."""
INVALIDATION_WAIT = 120.0
"""Seconds the IndexNow and WebSub pings wait for CloudFront to finish invalidating."""
INVALIDATION_POLL = 5.0

_ATOM = "{http://www.w3.org/2005/Atom}"
_NOINDEX = re.compile(rb"""<meta\s[^>]*name=["']?robots["']?[^>]*noindex""", re.IGNORECASE)
_JSON_FEED = "https://jsonfeed.org/version/"
_JSON_FEED_MAX = 16 * 1024 * 1024


@dataclass(frozen=True)
class Ping:
    """One notification sent (or, in a dry run, planned): to whom, what it named, how it went."""

    service: str  # "cloudfront", "indexnow" or "websub"
    target: str  # the distribution, endpoint or hub
    items: tuple[str, ...]  # the paths, URLs or feed URLs it named
    ok: bool
    message: str  # one line: what happened, or what failed and what to do

    def line(self) -> str:
        return f"{self.service}: {self.message}"


# --- what changed -------------------------------------------------------------------------------


def site_files(config: Config) -> list[tuple[str, bytes]]:
    """Files the build writes for the pings: the IndexNow key file, `KEY.txt` holding the key, at
    the site root (under base_url's path: a key file vouches for the URLs beneath its folder)."""
    key = config.indexnow_key
    return [(f"{key}.txt", key.encode("ascii"))] if key else []


def site_path(rel: str) -> str:
    """The site path of an output file: `world/story/index.html` -> `world/story/`."""
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def public_url(config: Config, rel: str) -> str:
    """The URL readers fetch an output file at, percent-encoded as IndexNow asks (RFC 3986)."""
    return config.site_root + quote(config.base_path + site_path(rel), safe="/%")


def _is_page(rel: str) -> bool:
    return rel.lower().endswith((".html", ".htm")) and rel != "404.html"


def _noindex(path: Path) -> bool:
    """True for a page that asks not to be indexed (the redirect pages of aliases)."""
    try:
        with path.open("rb") as fh:
            return bool(_NOINDEX.search(fh.read(16384)))
    except OSError:
        return False


def indexnow_urls(config: Config, output_dir: Path, changes: Changes) -> list[str]:
    """The pages added, changed and removed: HTML only, not the 404 page nor noindex pages."""
    rels = [r for r in (*changes.added, *changes.changed)
            if _is_page(r) and not _noindex(output_dir / r)]
    rels += [r for r in changes.removed if _is_page(r)]
    return sorted({public_url(config, r) for r in rels})


def invalidation_paths(config: Config, changes: Changes) -> list[str]:
    """CloudFront paths of the changed and removed files; a page both as its folder (`/world/s/`,
    the cache key behind an S3 website origin) and as `index.html` (behind a function that adds
    it). New files are left out (a CDN has nothing cached for them), and so are removed
    fingerprinted files: a cached copy of one is still right, and no page links to it."""
    paths: set[str] = set()
    gone = (r for r in changes.removed if not is_fingerprinted(r.rsplit("/", 1)[-1]))
    for rel in (*changes.changed, *gone):
        path = quote(config.base_path + rel, safe="/%")
        paths.add(path)
        if site_path(rel) != rel:
            paths.add(path[: -len("index.html")])
    return sorted(paths)


def _xml_feed_self(path: Path) -> str | None:
    """The `rel="self"` URL of an Atom or RSS file; "" for a feed without one, None if the file
    is no feed (a sitemap)."""
    try:
        with path.open("rb") as fh:
            events = ET.iterparse(fh, events=("start",))
            _, root = next(events)
            if root.tag == f"{_ATOM}feed":
                stop = f"{_ATOM}entry"
            elif root.tag == "rss":
                stop = "item"
            else:
                return None
            for _, element in events:
                if element.tag == stop:
                    break
                if element.tag == f"{_ATOM}link" and element.get("rel") == "self":
                    return element.get("href") or ""
            return ""
    except (ET.ParseError, OSError, StopIteration):
        return None


def _json_feed_url(path: Path) -> str | None:
    """The `feed_url` of a JSON Feed; "" for one without it, None for other JSON."""
    try:
        if path.stat().st_size > _JSON_FEED_MAX:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(_JSON_FEED):
        return None
    url = data.get("feed_url")
    return url if isinstance(url, str) else ""


def feed_topics(config: Config, output_dir: Path, rels: Sequence[str]) -> list[str]:
    """The URLs of the feeds among `rels` (Atom, RSS, JSON Feed, told by their content), as each
    names itself: the topic a WebSub subscriber subscribed to."""
    topics: set[str] = set()
    for rel in rels:
        lower = rel.lower()
        if lower.endswith(".xml"):
            own = _xml_feed_self(output_dir / rel)
        elif lower.endswith(".json"):
            own = _json_feed_url(output_dir / rel)
        else:
            continue
        if own is not None:
            topics.add(own or public_url(config, rel))
    return sorted(topics)


def built_base_url(output_dir: Path) -> str | None:
    """The base URL the output was built with, from its `feed.xml` (a build with `--base-url`
    differs from site.toml); None when there is no such feed."""
    own = _xml_feed_self(output_dir / "feed.xml")
    return own[: -len("feed.xml")] if own and own.endswith("/feed.xml") else None


# --- HTTP ---------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be replayed as a GET without its body, and its 200 taken for
    success: report the redirect instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, content_type: str, timeout: float) -> tuple[int | None, str]:
    """POST and return (status, problem); status is None when no answer came, problem "" on 2xx."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": content_type, "User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        text = " ".join(exc.read(300).decode("utf-8", "replace").split())
        moved = exc.headers.get("Location") if 300 <= exc.code < 400 else None
        problem = f"HTTP {exc.code} {exc.reason}"
        problem += f" (moved to {moved})" if moved else f": {text}" if text else ""
        return exc.code, problem
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return None, f"no answer within {timeout:g} s"
        if isinstance(reason, ConnectionRefusedError):
            return None, "connection refused"
        return None, f"cannot connect: {reason}"
    except TimeoutError:
        return None, f"no answer within {timeout:g} s"
    except (HTTPException, OSError) as exc:
        return None, f"connection failed: {exc}"


# --- IndexNow -----------------------------------------------------------------------------------


_INDEXNOW_HINTS = {
    400: "the endpoint did not accept the request",
    403: "the key was not accepted: {key_url} must serve the key as plain text (deploy the built "
         "site with its key file)",
    422: "the URLs do not belong to {host}, or the key does not match: check base_url (or "
         "--base-url)",
    429: "too many submissions: the engine may treat this as spam; submit less often",
}


def submit_indexnow(config: Config, output_dir: Path, urls: Sequence[str], *,
                    timeout: float = TIMEOUT, dry_run: bool = False) -> list[Ping]:
    """POST the URLs to the IndexNow endpoint, 10,000 a request; stop at the first failure."""
    key, endpoint = config.indexnow_key, config.indexnow_endpoint
    key_url = public_url(config, f"{key}.txt")
    host = urlsplit(config.base_url).hostname or ""
    key_file = output_dir / f"{key}.txt"
    try:
        built = key_file.read_bytes().strip() == key.encode("ascii")
    except OSError:
        built = False
    if not built:
        return [Ping("indexnow", endpoint, tuple(urls), False,
                     f"not sent: the output has no {key}.txt holding [indexnow] key, so the engines "
                     "could not check it; rebuild the site, deploy, and resubmit")]
    if dry_run:
        return [Ping("indexnow", endpoint, tuple(urls), True,
                     f"would submit {_count(len(urls), 'URL')} to {endpoint}")]
    pings: list[Ping] = []
    for start in range(0, len(urls), INDEXNOW_BATCH):
        batch = tuple(urls[start: start + INDEXNOW_BATCH])
        body = json.dumps({"host": host, "key": key, "keyLocation": key_url,
                           "urlList": list(batch)}).encode("utf-8")
        status, problem = _post(endpoint, body, "application/json; charset=utf-8", timeout)
        if problem:
            hint = _INDEXNOW_HINTS.get(status or 0, "").format(key_url=key_url, host=host)
            left = urls[start:]
            message = f"cannot submit {_count(len(left), 'URL')} to {endpoint}: {problem}"
            pings.append(Ping("indexnow", endpoint, tuple(left), False,
                              f"{message}; {hint}" if hint else message))
            break
        note = " (accepted; the engine checks the key file first)" if status == 202 else ""
        pings.append(Ping("indexnow", endpoint, batch, True,
                          f"submitted {_count(len(batch), 'URL')} to {endpoint} "
                          f"(HTTP {status}){note}"))
    return pings


# --- WebSub -------------------------------------------------------------------------------------


def ping_websub(hub: str, topics: Sequence[str], *, timeout: float = TIMEOUT,
                dry_run: bool = False) -> list[Ping]:
    """Tell the hub, one request per feed, that the feed changed. Hubs differ on the parameter's
    name (`hub.url` in PubSubHubbub 0.3 and Google's hub, `hub.topic` in others), so both go.
    A hub that does not answer at all is not tried again for the other feeds."""
    pings: list[Ping] = []
    for n, topic in enumerate(topics):
        if dry_run:
            pings.append(Ping("websub", hub, (topic,), True, f"would ping {hub} for {topic}"))
            continue
        body = urlencode({"hub.mode": "publish", "hub.topic": topic, "hub.url": topic}).encode()
        status, problem = _post(hub, body, "application/x-www-form-urlencoded", timeout)
        if not problem:
            pings.append(Ping("websub", hub, (topic,), True,
                              f"pinged {hub} for {topic} (HTTP {status})"))
            continue
        pings.append(Ping("websub", hub, (topic,), False,
                          f"cannot ping {hub} for {topic}: {problem}"))
        if status is None and n + 1 < len(topics):
            rest = tuple(topics[n + 1:])
            pings.append(Ping("websub", hub, rest, False,
                              f"not sent: {_count(len(rest), 'more feed')}, the hub did not answer"))
            break
    return pings


# --- CloudFront ---------------------------------------------------------------------------------


def make_cloudfront_client(endpoint_url: str | None = None) -> Any:
    """A CloudFront client from boto3's default credential chain; `endpoint_url` (or boto3's own
    `AWS_ENDPOINT_URL_CLOUDFRONT`) points it at a test server."""
    import boto3
    from botocore.config import Config as BotoConfig

    config = BotoConfig(retries={"max_attempts": 5, "mode": "standard"})
    return boto3.session.Session().client("cloudfront", endpoint_url=endpoint_url or None,
                                          config=config)


def _aws_problem(exc: BaseException, distribution: str) -> str:
    name = type(exc).__name__
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return ("no usable AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE)")
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        code, message = str(error.get("Code", "")), str(error.get("Message", "")).strip()
        if code == "NoSuchDistribution":
            return f"distribution {distribution!r} does not exist: check --invalidate"
        if code in ("AccessDenied", "AccessDeniedException"):
            return ("access denied: the credentials need cloudfront:CreateInvalidation on "
                    f"{distribution}")
        if code:
            return f"{code}: {message or code}"
    return str(exc) or name


def invalidate_cloudfront(distribution: str, paths: Sequence[str], *, client: Any,
                          wildcard: str = "/*",
                          max_paths: int = DEFAULT_MAX_INVALIDATION_PATHS,
                          dry_run: bool = False) -> tuple[Ping, list[str]]:
    """Invalidate `paths` in batches; past `max_paths` paths, or when CloudFront has too many
    in progress, one `wildcard` instead. Returns the outcome and the invalidations' ids."""
    from botocore.exceptions import BotoCoreError, ClientError

    note = ""
    items = list(paths)
    if len(items) > max_paths:
        note = (f" ({len(items)} changed paths are more than the bound of {max_paths}, "
                f"--invalidate-max-paths: {wildcard} instead)")
        items = [wildcard]
    if dry_run:
        return Ping("cloudfront", distribution, tuple(items), True,
                    f"would invalidate {_count(len(items), 'path')} on {distribution}{note}"), []
    ids: list[str] = []
    sent: list[str] = []
    batches = [items[i: i + CLOUDFRONT_BATCH] for i in range(0, len(items), CLOUDFRONT_BATCH)]
    while batches:
        batch = batches.pop(0)
        try:
            answer = client.create_invalidation(DistributionId=distribution, InvalidationBatch={
                "Paths": {"Quantity": len(batch), "Items": batch},
                "CallerReference": f"broadsheet-{uuid.uuid4().hex}"})
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "TooManyInvalidationsInProgress" and batch != [wildcard]:
                # The wildcard quota is separate from the per-file one, and covers the rest.
                note += (f" (CloudFront had too many invalidations in progress after "
                         f"{len(sent)} paths: {wildcard} instead)")
                batches = [[wildcard]]
                continue
            return _cloudfront_failure(distribution, items, sent, _aws_problem(exc, distribution),
                                       note), ids
        except BotoCoreError as exc:
            return _cloudfront_failure(distribution, items, sent, _aws_problem(exc, distribution),
                                       note), ids
        ids.append(str(answer["Invalidation"]["Id"]))
        sent += batch
    requests = _count(len(ids), "request")
    return Ping("cloudfront", distribution, tuple(sent), True,
                f"invalidated {_count(len(sent), 'path')} on {distribution} in {requests} "
                f"({', '.join(ids)}){note}"), ids


def _cloudfront_failure(distribution: str, items: list[str], sent: list[str], problem: str,
                        note: str) -> Ping:
    done = f"; {len(sent)} of {len(items)} paths were invalidated" if sent else ""
    finished = set(sent)
    return Ping("cloudfront", distribution, tuple(p for p in items if p not in finished), False,
                f"cannot invalidate on {distribution}: {problem}{done}{note}")


def wait_for_invalidations(client: Any, distribution: str, ids: Sequence[str], *,
                           wait: float = INVALIDATION_WAIT, poll: float = INVALIDATION_POLL,
                           sleep: Callable[[float], None] = time.sleep) -> str:
    """Wait until CloudFront has finished the invalidations, at most `wait` seconds; "" when
    done, otherwise why the wait ended (the pings go out all the same)."""
    from botocore.exceptions import BotoCoreError, ClientError

    waited = 0.0  # counted in polls, so the bound holds whatever each check costs
    pending = list(ids)
    while pending:
        try:
            status = client.get_invalidation(DistributionId=distribution, Id=pending[0])
        except (BotoCoreError, ClientError) as exc:
            return f"cannot check invalidation {pending[0]}: {_aws_problem(exc, distribution)}"
        if str(status["Invalidation"]["Status"]).lower() == "completed":
            pending.pop(0)
            continue
        if waited + poll > wait:
            return f"invalidation {pending[0]} still in progress after {wait:g} s"
        sleep(poll)
        waited += poll
    return ""


# --- all of them --------------------------------------------------------------------------------


def notify(config: Config, output_dir: Path, changes: Changes, *,
           distribution: str | None = None, cloudfront: Any = None,
           max_invalidation_paths: int = DEFAULT_MAX_INVALIDATION_PATHS,
           invalidation_wait: float = INVALIDATION_WAIT, pings: bool = True,
           timeout: float = TIMEOUT, dry_run: bool = False,
           out: Callable[[str], None] = print) -> tuple[Ping, ...]:
    """Send what the site configures for `changes`: CloudFront first (and wait for it), then
    IndexNow and WebSub (unless `pings` is false). Prints each success through `out` and
    returns every outcome; failures are for the caller to report."""
    done: list[Ping] = []

    def report(new: list[Ping]) -> None:
        for ping in new:
            if ping.ok:
                out(ping.line())
                if dry_run:
                    for item in ping.items:
                        out(f"{ping.service}:   {item}")
        done.extend(new)

    urls = indexnow_urls(config, output_dir, changes) if pings and config.indexnow_key else []
    topics = (feed_topics(config, output_dir, (*changes.added, *changes.changed))
              if pings and config.websub_hub else [])
    paths = invalidation_paths(config, changes) if distribution else []
    if distribution and not paths:
        out(f"cloudfront: nothing to invalidate on {distribution} (only new files)")
    if paths and distribution:
        try:
            client = cloudfront if cloudfront is not None else make_cloudfront_client()
            ping, ids = invalidate_cloudfront(
                distribution, paths, client=client, wildcard=config.base_path + "*",
                max_paths=max_invalidation_paths, dry_run=dry_run)
        except ImportError:
            ping, ids = Ping("cloudfront", distribution, tuple(paths), False,
                             "cannot invalidate: boto3 is not installed: pip install "
                             "'broadsheet[deploy]'"), []
        except ValueError as exc:  # botocore's answer to a malformed endpoint URL
            ping, ids = Ping("cloudfront", distribution, tuple(paths), False,
                             f"cannot set up CloudFront: {exc}"), []
        report([ping])
        if ids and (urls or topics):
            late = wait_for_invalidations(client, distribution, ids, wait=invalidation_wait)
            if late:
                out(f"cloudfront: {late}; pinging anyway")
    if urls:
        report(submit_indexnow(config, output_dir, urls, timeout=timeout, dry_run=dry_run))
    if topics:
        report(ping_websub(config.websub_hub, topics, timeout=timeout, dry_run=dry_run))
    return tuple(done)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
