"""Pings after deploy, end to end: a real build deployed to moto's S3 on 127.0.0.1, CloudFront
invalidations on the same moto server, and IndexNow and WebSub sent to a small HTTP receiver on
127.0.0.1 that records every request. Nothing leaves this machine.

What is expected is worked out independently of the deploy: from the bytes of the output folder
before and after a rebuild (which files are new, changed, gone), never from the deploy's plan.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import boto3
import feedparser
import pytest
from botocore.exceptions import ClientError

from generator import pings
from generator.commands.deploy import PINGS_FAILED, add_arguments, run
from generator.config import load_config
from generator.deploy import Changes, deploy
from generator.errors import ConfigError
from tests.conftest import Site, local_http_server
from tests.test_deploy import BUCKET, aws_env, endpoint, s3  # noqa: F401  (fixtures)

BASE = "https://news.example.org/"
KEY = "5f2b7c0e9a1d4b3c8e6f0a2b4c6d8e0f"


# --- the receiver -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    path: str
    content_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("ascii"), strict_parsing=True)


class Receiver:
    """What an IndexNow endpoint and a WebSub hub were sent; answers as told per path."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status: dict[str, int] = {}
        self.delay = 0.0
        self.lock = threading.Lock()

    def on(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append(
                        Received(self.path, self.headers.get("Content-Type", ""), body))
                time.sleep(receiver.delay)
                code = receiver.status.get(self.path, 200 if self.path == "/indexnow" else 204)
                answer = b"key not valid" if code == 403 else b""
                self.send_response(code)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    rec = Receiver()
    with local_http_server(rec.handler()) as url:
        yield rec, url


@pytest.fixture
def cloudfront(s3: Any, endpoint: str) -> tuple[Any, str]:  # noqa: F811
    """A CloudFront client on the moto server, and a distribution in front of the bucket."""
    client = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1")
    config = {
        "CallerReference": "broadsheet-test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "bucket", "DomainName": f"{BUCKET}.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "bucket", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0}},
    }
    dist = client.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    return client, dist


def invalidated(client: Any, dist: str) -> list[list[str]]:
    """The paths of every invalidation the distribution received, oldest first."""
    items = client.list_invalidations(DistributionId=dist)["InvalidationList"].get("Items") or []
    batches = []
    for item in sorted(items, key=lambda i: i["CreateTime"]):
        got = client.get_invalidation(DistributionId=dist, Id=item["Id"])
        batches.append(got["Invalidation"]["InvalidationBatch"]["Paths"].get("Items") or [])
    return batches


# --- the site -----------------------------------------------------------------------------------


def newsroom(site: Site, hub_url: str, *, key: str = KEY, base_url: str = BASE) -> Site:
    site.write("site.toml", f'title = "The Example"\nbase_url = "{base_url}"\n\n'
                            f'[indexnow]\nkey = "{key}"\nendpoint = "{hub_url}/indexnow"\n\n'
                            f'[websub]\nhub = "{hub_url}/hub"\n')
    site.article("world/budget.md", "Budget vote passes", categories=["World"], tags=["budget"],
                 date="2025-02-10 09:00:00", author="Jane Doe", aliases=["/old-budget/"])
    site.article("world/summit.md", "Summit opens", categories=["World"], tags=["diplomacy"],
                 date="2025-02-11 09:00:00")
    site.article("business/rates.md", "Rates held", categories=["Business"], tags=["budget"],
                 date="2025-02-12 09:00:00")
    return site


def snapshot(out: Path) -> dict[str, str]:
    """Every file of the built site (bookkeeping left out) with a hash of its bytes."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in out.rglob("*") if p.is_file() and not any(
                part.startswith(".broadsheet") for part in p.relative_to(out).parts)}


def diff(before: dict[str, str], after: dict[str, str]) -> tuple[set[str], set[str], set[str]]:
    added = set(after) - set(before)
    changed = {rel for rel in set(after) & set(before) if after[rel] != before[rel]}
    return added, changed, set(before) - set(after)


def url_of(rel: str, base: str = BASE) -> str:
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def is_feed(out: Path, rel: str) -> bool:
    if rel.endswith(".json"):  # a JSON Feed (the site's and each section's), not the search index
        data = json.loads((out / rel).read_bytes())
        return isinstance(data, dict) and str(data.get("version", "")).startswith(
            "https://jsonfeed.org/version/")
    if not rel.endswith(".xml"):
        return False
    parsed = feedparser.parse((out / rel).read_bytes())
    return bool(parsed.version) and not parsed.bozo


def cli(site: Site, *extra: str, endpoint: str) -> int:  # noqa: F811
    parser = argparse.ArgumentParser(prog="broadsheet deploy")
    add_arguments(parser)
    return run(parser.parse_args([f"s3://{BUCKET}", "--site", str(site.root),
                                  "--endpoint-url", endpoint, *extra]))


@pytest.fixture
def cf_env(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:  # noqa: F811
    """boto3's own setting for a CloudFront endpoint, as a developer would point the CLI at a
    local server; the S3 endpoint is --endpoint-url."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", endpoint)


# --- the deploy, end to end ---------------------------------------------------------------------


def test_deploys_ping_exactly_what_changed(
    site: Site, receiver: tuple[Receiver, str], cloudfront: tuple[Any, str], s3: Any,  # noqa: F811
    endpoint: str, cf_env: None, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    rec, url = receiver
    cf, dist = cloudfront
    newsroom(site, url).build()
    first = snapshot(site.out)

    # First deploy: everything is new. Every page goes to IndexNow and every feed to the hub;
    # the CDN has nothing cached, so nothing is invalidated.
    assert cli(site, "--invalidate", dist, endpoint=endpoint) == 0
    pages = {url_of(rel) for rel in first if rel.endswith(".html") and rel != "404.html"
             and "noindex" not in (site.out / rel).read_text(encoding="utf-8")}
    assert url_of("old-budget/index.html") not in pages  # the alias redirect says noindex
    [submitted] = rec.on("/indexnow")
    assert submitted.content_type == "application/json; charset=utf-8"
    body = submitted.json()
    assert body["host"] == "news.example.org" and body["key"] == KEY
    assert body["keyLocation"] == f"{BASE}{KEY}.txt"
    assert sorted(body["urlList"]) == sorted(pages) and len(body["urlList"]) == len(pages)
    feeds = {rel for rel in first if is_feed(site.out, rel)}
    assert {"feed.xml", "rss.xml", "categories/world/feed.xml", "tags/budget/feed.xml"} <= feeds
    topics = [r.form() for r in rec.on("/hub")]
    assert all(form["hub.mode"] == ["publish"] and form["hub.url"] == form["hub.topic"]
               for form in topics)
    assert sorted(f["hub.url"][0] for f in topics) == sorted(url_of(rel) for rel in feeds)
    assert invalidated(cf, dist) == []
    # The key file is part of the site, so the engines can fetch it.
    assert s3.get_object(Bucket=BUCKET, Key=f"{KEY}.txt")["Body"].read() == KEY.encode()
    out = capsys.readouterr().out
    assert f"indexnow: submitted {len(pages)} URLs to {url}/indexnow (HTTP 200)" in out
    assert f"cloudfront: nothing to invalidate on {dist} (only new files)" in out

    # An edit and a retraction: only what they changed is sent anywhere.
    rec.requests.clear()
    site.article("world/summit.md", "Summit opens", categories=["World"], tags=["diplomacy"],
                 date="2025-02-11 09:00:00", body="Leaders arrived in the rain.\n")
    (site.root / "content" / "business" / "rates.md").unlink()
    site.build()
    added, changed, removed = diff(first, snapshot(site.out))
    assert "world/summit-opens/index.html" in changed
    assert "business/rates-held/index.html" in removed
    assert "css/style.css" not in changed | added | removed

    assert cli(site, "--invalidate", dist, endpoint=endpoint) == 0

    [submitted] = rec.on("/indexnow")
    expected = {url_of(rel) for rel in added | changed | removed
                if rel.endswith(".html") and rel != "404.html"}
    assert sorted(submitted.json()["urlList"]) == sorted(expected)
    assert url_of("business/rates-held/index.html") in expected  # removed pages are sent too
    changed_feeds = {rel for rel in added | changed if is_feed(site.out, rel)}
    assert "feed.xml" in changed_feeds and "categories/world/feed.xml" in changed_feeds
    assert "tags/diplomacy/feed.xml" in changed_feeds
    assert sorted(r.form()["hub.url"][0] for r in rec.on("/hub")) == \
        sorted(url_of(rel) for rel in changed_feeds)
    [paths] = invalidated(cf, dist)
    expected_paths = {"/" + rel for rel in changed | removed}
    expected_paths |= {"/" + rel[: -len("index.html")] for rel in changed | removed
                       if rel.endswith("index.html")}
    assert sorted(paths) == sorted(expected_paths)
    assert "/business/rates-held/" in paths and "/business/rates-held/index.html" in paths
    assert not any(p.startswith("/css/") for p in paths)

    # A deploy with nothing new pings nothing.
    rec.requests.clear()
    assert cli(site, "--invalidate", dist, endpoint=endpoint) == 0
    assert rec.requests == [] and len(invalidated(cf, dist)) == 1


def test_every_feed_advertises_the_hub_and_itself(site: Site, receiver: tuple[Receiver, str]
                                                  ) -> None:
    _, url = receiver
    newsroom(site, url).build()
    feeds = [rel for rel in snapshot(site.out) if is_feed(site.out, rel)]
    json_feeds = [rel for rel in feeds if rel.endswith(".json")]
    assert len(feeds) - len(json_feeds) == 7  # site Atom + RSS, two sections, two tags, an author
    assert len(json_feeds) == 3  # JSON Feeds: the site's and the two sections'
    for rel in json_feeds:
        data = json.loads((site.out / rel).read_bytes())
        assert data["hubs"] == [{"type": "WebSub", "url": f"{url}/hub"}], rel
        assert data["feed_url"] == url_of(rel), rel
    for rel in set(feeds) - set(json_feeds):
        parsed = feedparser.parse((site.out / rel).read_bytes())
        links = {(link["rel"], link["href"]) for link in parsed.feed.links}
        assert ("hub", f"{url}/hub") in links, rel
        assert ("self", url_of(rel)) in links, rel
    rss = feedparser.parse((site.out / "rss.xml").read_bytes())
    assert rss.version == "rss20" and rss.feed.link == BASE  # the channel link is still the page

    site.write("site.toml", f'base_url = "{BASE}"\n')  # no hub: no hub link
    site.build()
    assert all(link["rel"] != "hub" for link in
               feedparser.parse((site.out / "feed.xml").read_bytes()).feed.links)


def test_the_output_base_url_is_what_the_pings_name(
    site: Site, receiver: tuple[Receiver, str], s3: Any, endpoint: str,  # noqa: F811
) -> None:
    """The shipped workflows build with --base-url; site.toml may still say localhost."""
    rec, url = receiver
    newsroom(site, url, base_url="http://localhost:8000/")
    site.build(base_url="https://www.example.com/news/")
    assert cli(site, endpoint=endpoint) == 0
    [submitted] = rec.on("/indexnow")
    body = submitted.json()
    assert body["host"] == "www.example.com"
    assert body["keyLocation"] == f"https://www.example.com/news/{KEY}.txt"
    assert all(u.startswith("https://www.example.com/news/") for u in body["urlList"])
    assert "https://www.example.com/news/" in body["urlList"]

    rec.requests.clear()
    site.article("world/new.md", "New story", categories=["World"], date="2025-02-20 09:00:00")
    site.build(base_url="https://www.example.com/news/")
    assert cli(site, "--base-url", "https://staging.example.com/", endpoint=endpoint) == 0
    [submitted] = rec.on("/indexnow")
    assert "https://staging.example.com/world/new-story/" in submitted.json()["urlList"]


def test_failed_pings_are_reported_and_undo_nothing(
    site: Site, receiver: tuple[Receiver, str], cloudfront: tuple[Any, str], s3: Any,  # noqa: F811
    endpoint: str, cf_env: None, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    rec, url = receiver
    newsroom(site, url).build()
    rec.status = {"/indexnow": 403, "/hub": 500}
    assert cli(site, "--invalidate", "NO-SUCH-DIST", endpoint=endpoint) == PINGS_FAILED
    err = capsys.readouterr().err
    assert "error: indexnow: cannot submit" in err and "HTTP 403" in err
    assert f"{BASE}{KEY}.txt must serve the key" in err
    assert "error: websub: cannot ping" in err and "HTTP 500" in err
    # Nothing changed on the CDN side on a first deploy: no invalidation was even tried.
    assert "cloudfront" not in err
    assert "the deploy itself is complete and nothing was undone" in err
    uploaded = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert uploaded == set(snapshot(site.out))

    # A retraction with a wrong distribution: the delete stands, the failure is named.
    (site.root / "content" / "world" / "summit.md").unlink()
    site.build()
    rec.status = {}
    assert cli(site, "--invalidate", "NO-SUCH-DIST", endpoint=endpoint) == PINGS_FAILED
    err = capsys.readouterr().err
    assert "error: cloudfront: cannot invalidate on NO-SUCH-DIST: distribution 'NO-SUCH-DIST' " \
           "does not exist" in err
    assert "world/summit-opens/index.html" not in \
        {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert rec.on("/indexnow")  # the other pings still went out


def test_unreachable_and_slow_receivers_are_bounded(
    site: Site, receiver: tuple[Receiver, str], tmp_path: Path,
) -> None:
    rec, url = receiver
    newsroom(site, url).build()
    config = load_config(site.root)
    changes = Changes(added=("index.html", "feed.xml", "rss.xml", "tags/budget/feed.xml"))

    rec.delay = 1.0
    started = time.monotonic()
    results = pings.notify(config, site.out, changes, timeout=0.2, out=lambda line: None)
    assert time.monotonic() - started < 3.5
    assert [p.ok for p in results] == [False, False, False]
    assert "no answer within 0.2 s" in results[0].message
    # One feed timed out: the hub is not tried for the other two.
    assert results[2].message == "not sent: 2 more feeds, the hub did not answer"
    assert len(results[2].items) == 2

    # Nothing listening at all.
    closed = replace(config, indexnow_endpoint="http://127.0.0.1:9/indexnow",
                     websub_hub="http://127.0.0.1:9/hub")
    results = pings.notify(closed, site.out, changes, out=lambda line: None)
    assert all(not p.ok for p in results)
    assert "connection refused" in results[0].message


def test_indexnow_batches_of_ten_thousand(
    site: Site, receiver: tuple[Receiver, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec, url = receiver
    newsroom(site, url).build()
    config = load_config(site.root)
    urls = [f"{BASE}world/story-{n}/" for n in range(25)]
    monkeypatch.setattr(pings, "INDEXNOW_BATCH", 10)
    results = pings.submit_indexnow(config, site.out, urls)
    sent = [r.json()["urlList"] for r in rec.on("/indexnow")]
    assert [len(batch) for batch in sent] == [10, 10, 5]
    assert [u for batch in sent for u in batch] == urls
    assert all(p.ok for p in results) and len(results) == 3

    # A batch refused: the later ones are not sent, and the report names them all.
    rec.requests.clear()
    rec.status = {"/indexnow": 429}
    [failed] = pings.submit_indexnow(config, site.out, urls)
    assert len(rec.on("/indexnow")) == 1 and len(failed.items) == 25
    assert "HTTP 429" in failed.message and "submit less often" in failed.message

    # A 202 (the engine will check the key file first) is a success.
    rec.requests.clear()
    rec.status = {"/indexnow": 202}
    [accepted] = pings.submit_indexnow(config, site.out, urls[:3])
    assert accepted.ok and "HTTP 202" in accepted.message


def test_indexnow_needs_the_key_file_in_the_output(
    site: Site, receiver: tuple[Receiver, str],
) -> None:
    rec, url = receiver
    newsroom(site, url).build()
    assert (site.out / f"{KEY}.txt").read_bytes() == KEY.encode()
    other = "0123456789abcdef"
    newsroom(site, url, key=other).build()
    assert not (site.out / f"{KEY}.txt").exists()  # the old key's file went with it
    config = replace(load_config(site.root), indexnow_key=KEY)
    [refused] = pings.submit_indexnow(config, site.out, [BASE])
    assert not refused.ok and rec.requests == []
    assert f"the output has no {KEY}.txt" in refused.message


# --- CloudFront: batched, bounded ---------------------------------------------------------------


def test_invalidations_are_batched_and_bounded(
    cloudfront: tuple[Any, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    cf, dist = cloudfront
    paths = [f"/world/story-{n}/" for n in range(7)]
    monkeypatch.setattr(pings, "CLOUDFRONT_BATCH", 3)
    ping, ids = pings.invalidate_cloudfront(dist, paths, client=cf)
    assert ping.ok and len(ids) == 3
    assert invalidated(cf, dist) == [paths[:3], paths[3:6], paths[6:]]
    assert ping.message.startswith(f"invalidated 7 paths on {dist} in 3 requests")

    ping, _ = pings.invalidate_cloudfront(dist, paths, client=cf, max_paths=6,
                                          wildcard="/news/*")
    assert invalidated(cf, dist)[-1] == ["/news/*"]
    assert "7 changed paths are more than the bound of 6" in ping.message


def test_too_many_in_progress_falls_back_to_the_wildcard(cloudfront: tuple[Any, str]) -> None:
    cf, dist = cloudfront

    class Busy:
        """The moto client, with CloudFront's answer when 3,000 files are already in progress."""

        def __getattr__(self, name: str) -> Any:
            return getattr(cf, name)

        def create_invalidation(self, **kw: Any) -> Any:
            if kw["InvalidationBatch"]["Paths"]["Items"] != ["/*"]:
                raise ClientError({"Error": {"Code": "TooManyInvalidationsInProgress",
                                             "Message": "too many"}}, "CreateInvalidation")
            return cf.create_invalidation(**kw)

    ping, ids = pings.invalidate_cloudfront(dist, ["/a/", "/b/"], client=Busy())
    assert ping.ok and len(ids) == 1
    assert invalidated(cf, dist) == [["/*"]]
    assert "too many invalidations in progress" in ping.message


def test_pings_wait_for_the_invalidation(cloudfront: tuple[Any, str]) -> None:
    cf, dist = cloudfront
    _, ids = pings.invalidate_cloudfront(dist, ["/a/"], client=cf)
    assert pings.wait_for_invalidations(cf, dist, ids, wait=1) == ""

    class Slow:
        def __getattr__(self, name: str) -> Any:
            return getattr(cf, name)

        def get_invalidation(self, **kw: Any) -> Any:
            return {"Invalidation": {"Status": "InProgress"}}

    slept: list[float] = []
    late = pings.wait_for_invalidations(Slow(), dist, ids, wait=12, poll=5, sleep=slept.append)
    assert slept == [5, 5] and late == f"invalidation {ids[0]} still in progress after 12 s"


def test_invalidation_bound_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="broadsheet deploy")
    add_arguments(parser)
    assert parser.parse_args(["s3://b", "--invalidate-max-paths", "3000"]).invalidate_max_paths \
        == 3000
    for bad in ("0", "3001", "many"):
        with pytest.raises(SystemExit):
            parser.parse_args(["s3://b", "--invalidate-max-paths", bad])
    assert "use a number from 1 to 3000" in capsys.readouterr().err


# --- dry runs, staging, no configuration --------------------------------------------------------


def test_dry_run_sends_nothing(
    site: Site, receiver: tuple[Receiver, str], cloudfront: tuple[Any, str], s3: Any,  # noqa: F811
    endpoint: str, cf_env: None, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    rec, url = receiver
    cf, dist = cloudfront
    newsroom(site, url).build()
    assert cli(site, endpoint=endpoint) == 0
    rec.requests.clear()
    site.article("world/summit.md", "Summit opens", categories=["World"], tags=["diplomacy"],
                 date="2025-02-11 09:00:00", body="Updated.\n")
    site.build()
    capsys.readouterr()
    assert cli(site, "--invalidate", dist, "--dry-run", endpoint=endpoint) == 0
    out = capsys.readouterr().out
    assert rec.requests == [] and invalidated(cf, dist) == []
    assert "indexnow: would submit" in out and f"indexnow:   {BASE}world/summit-opens/" in out
    assert f"websub: would ping {url}/hub for {BASE}feed.xml" in out
    assert "cloudfront:   /world/summit-opens/index.html" in out

    assert cli(site, "--no-pings", "--invalidate", dist, endpoint=endpoint) == 0
    assert rec.requests == [] and len(invalidated(cf, dist)) == 1


def test_a_site_without_pings_sends_nothing(
    site: Site, s3: Any, endpoint: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    site.write("site.toml", f'base_url = "{BASE}"\n')
    site.article("world/a.md", "A story", categories=["World"])
    site.build()
    assert cli(site, endpoint=endpoint) == 0
    out = capsys.readouterr().out
    assert "indexnow" not in out and "websub" not in out
    assert not list(site.out.glob("*.txt")) or [p.name for p in site.out.glob("*.txt")] == \
        ["robots.txt"]


# --- what counts as a changed URL -------------------------------------------------------------


def test_urls_and_paths_from_a_plan(tmp_path: Path) -> None:
    site = Site(tmp_path / "s")
    site.write("site.toml", 'base_url = "https://example.org/news/"\n')
    config = load_config(site.root)
    out = tmp_path / "out"
    for rel, text in {"index.html": "<title>Home</title>", "a/index.html": "<p>a</p>",
                      "élan/index.html": "<p>unicode</p>", "404.html": "<p>missing</p>",
                      "old/index.html": '<meta name="robots" content="noindex">',
                      "css/style.css": "body{}", "sitemap.xml": "<urlset/>"}.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    changes = Changes(added=("élan/index.html", "404.html", "old/index.html"),
                      changed=("index.html", "css/style.css", "sitemap.xml"),
                      removed=("gone/index.html", "img/x*.png", "search-index/t.70c9a1ef8e.json"))
    assert pings.indexnow_urls(config, out, changes) == [
        "https://example.org/news/", "https://example.org/news/%C3%A9lan/",
        "https://example.org/news/gone/"]
    assert pings.invalidation_paths(config, changes) == [
        "/news/", "/news/css/style.css", "/news/gone/", "/news/gone/index.html",
        "/news/img/x%2A.png", "/news/index.html", "/news/sitemap.xml"]
    assert pings.feed_topics(config, out, ["sitemap.xml", "css/style.css"]) == []
    assert not Changes() and Changes(removed=("a",))


def test_json_feeds_count_as_feeds(tmp_path: Path) -> None:
    config = load_config(tmp_path, base_url=BASE)
    (tmp_path / "feed.json").write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "T",
        "feed_url": f"{BASE}feed.json", "items": []}), encoding="utf-8")
    (tmp_path / "data.json").write_text('{"version": 3}', encoding="utf-8")
    assert pings.feed_topics(config, tmp_path, ["feed.json", "data.json"]) == [f"{BASE}feed.json"]


# --- settings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("toml", "field", "words"), [
    ('[indexnow]\nkey = "short"\n', "indexnow.key", "8 to 128 letters"),
    ('[indexnow]\nkey = "has spaces in it"\n', "indexnow.key", "8 to 128 letters"),
    ('[indexnow]\nkey = "abcdefgh12345678"\nendpoint = "ftp://x/"\n', "indexnow.endpoint",
     "absolute http(s) URL"),
    ('[websub]\nhub = "pubsubhubbub.appspot.com"\n', "websub.hub", "absolute http(s) URL"),
    ('[websub]\nhubs = "https://hub.example/"\n', "websub.hubs", "did you mean 'hub'"),
    ('[indexnow]\nkeys = "abcdefgh12345678"\n', "indexnow.keys", "did you mean 'key'"),
])
def test_bad_settings_name_the_file_line_and_field(site: Site, toml: str, field: str,
                                                   words: str) -> None:
    site.write("site.toml", 'title = "T"\n\n' + toml)
    with pytest.raises(ConfigError) as caught:
        load_config(site.root)
    problem = caught.value.problem
    assert problem.path == "site.toml" and problem.field == field and words in problem.message
    assert problem.line is not None and problem.line >= 3


def test_empty_settings_turn_the_pings_off(site: Site) -> None:
    site.write("site.toml", '[indexnow]\nkey = ""\n\n[websub]\nhub = ""\n')
    config = load_config(site.root)
    assert config.indexnow_key == "" and config.websub_hub == ""
    assert pings.site_files(config) == []


def test_bad_settings_stop_the_deploy_before_it_starts(
    site: Site, s3: Any, endpoint: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    site.write("site.toml", '[websub]\nhub = "nowhere"\n')
    (site.out).mkdir(parents=True)
    (site.out / "index.html").write_text("home", encoding="utf-8")
    assert cli(site, endpoint=endpoint) == 1
    assert "site.toml:2: error [websub.hub]" in capsys.readouterr().err
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_the_key_file_name_is_reserved(site: Site) -> None:
    site.write("site.toml", f'[indexnow]\nkey = "{KEY}"\n')
    site.article("world/a.md", "A story", url=f"/{KEY}.txt")
    with pytest.raises(Exception, match="IndexNow key file"):
        site.build()


def test_deploy_report_names_added_changed_removed(
    site: Site, s3: Any, endpoint: str,  # noqa: F811
) -> None:
    site.write("site.toml", f'base_url = "{BASE}"\n')
    site.article("world/a.md", "A story", categories=["World"])
    site.article("world/b.md", "B story", categories=["World"], date="2025-02-02 10:00:00")
    site.build()
    before = snapshot(site.out)
    quiet = {"out": lambda line: None, "endpoint_url": endpoint}
    first = deploy(site.out, f"s3://{BUCKET}/www", **quiet)
    assert set(first.changes.added) == set(before) and first.changes.changed == ()
    (site.root / "content" / "world" / "b.md").unlink()
    site.article("world/c.md", "C story", categories=["World"], date="2025-02-03 10:00:00")
    site.build()
    added, changed, removed = diff(before, snapshot(site.out))
    report = deploy(site.out, f"s3://{BUCKET}/www", **quiet)
    assert (set(report.changes.added), set(report.changes.changed), set(report.changes.removed)) \
        == (added, changed, removed)
    assert "world/b-story/index.html" in report.changes.removed  # relative, without the prefix
