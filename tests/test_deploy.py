"""`broadsheet deploy` against a real S3 API: moto's server on 127.0.0.1, spoken to over HTTP.

A mocked client would only prove that we call boto3 the way we think; the server proves the
headers, ETags, pagination and errors a real bucket returns.
"""

from __future__ import annotations

import argparse
import hashlib
import socket
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from generator import deploy as deploy_mod
from generator.commands.deploy import add_arguments, run
from generator.deploy import (
    BOTO3_MISSING,
    CACHE_HTML,
    CACHE_IMMUTABLE,
    CACHE_SHORT,
    DeployError,
    DeployReport,
    cache_control,
    deploy,
    is_fingerprinted,
    parse_target,
)
from generator.mediatypes import content_type

BUCKET = "newsroom-site"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    """One moto S3 server for the whole session (starting it costs about a second)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials only, and nothing from the developer's ~/.aws or proxies."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                 "AWS_CA_BUNDLE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def s3(endpoint: str, aws_env: None) -> Any:
    """A client on a freshly reset server holding one empty bucket."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small built site, written by hand: the builder is not under test here."""
    out = tmp_path / "site" / "output"
    files = {
        "index.html": "<!doctype html><title>Home</title><link rel=stylesheet href=/css/style.css>",
        "news/budget-vote/index.html": "<!doctype html><title>Budget vote</title>",
        "css/style.css": "body { font-family: serif; }",
        "js/app.3f2a9c1b.js": "console.log('fingerprinted');",
        "feed.xml": "<?xml version='1.0'?><rss version='2.0'><channel/></rss>",
        ".broadsheet-manifest.json": '{"files": []}',
        ".broadsheet-cache/state.json": "{}",
    }
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "img").mkdir()
    (out / "img" / "photo.png").write_bytes(PNG)
    return out


SITE_KEYS = {"index.html", "news/budget-vote/index.html", "css/style.css", "js/app.3f2a9c1b.js",
             "feed.xml", "img/photo.png"}


def objects(client: Any, prefix: str = "") -> dict[str, tuple[str, Any]]:
    """Every key in the bucket under `prefix`, with its ETag and LastModified."""
    found: dict[str, tuple[str, Any]] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for obj in page.get("Contents", ()):
            found[obj["Key"]] = (obj["ETag"], obj["LastModified"])
    return found


def go(
    site: Path, endpoint: str, target: str = f"s3://{BUCKET}", **kw: Any
) -> tuple[DeployReport, list[str]]:
    """Deploy `site` to `target` on the test server, collecting the printed lines."""
    lines: list[str] = []
    report = deploy(site, target, endpoint_url=endpoint, out=lines.append, **kw)
    return report, lines


# --- pure helpers --------------------------------------------------------------------------------


def test_target_parsing() -> None:
    assert parse_target("s3://bucket") == ("bucket", "")
    assert parse_target("s3://bucket/") == ("bucket", "")
    assert parse_target("s3://bucket/site/en/") == ("bucket", "site/en/")
    for bad in ("bucket/site", "https://bucket", "s3://", "s3:///prefix"):
        with pytest.raises(DeployError):
            parse_target(bad)


def test_headers_policy() -> None:
    assert content_type("index.html") == "text/html; charset=utf-8"
    assert content_type("style.css") == "text/css; charset=utf-8"
    assert content_type("feed.xml") == "application/xml; charset=utf-8"
    assert content_type("rss.xml") == "application/rss+xml; charset=utf-8"
    assert content_type("logo.svg") == "image/svg+xml; charset=utf-8"
    assert content_type("photo.JPG") == "image/jpeg"
    assert content_type("font.woff2") == "font/woff2"
    assert content_type("mystery.bin-thing") == "application/octet-stream"
    assert is_fingerprinted("style.3f2a9c1b.css")
    assert is_fingerprinted("app-0a1b2c3d4e5f.min.js")
    assert not is_fingerprinted("style.css")
    assert not is_fingerprinted("IMG_20240101.jpg")  # a date, not a hash
    assert not is_fingerprinted("deadbeef")  # no extension after the hash: a whole name
    assert cache_control("style.3f2a9c1b.css") == CACHE_IMMUTABLE
    assert cache_control("page.3f2a9c1b.html") == CACHE_HTML  # pages are never immutable
    assert cache_control("index.html", html="no-cache") == "no-cache"
    assert cache_control("feed.xml") == CACHE_SHORT


# --- against the server -------------------------------------------------------------------


def test_first_deploy_uploads_everything_with_headers(s3: Any, endpoint: str, site: Path) -> None:
    report, lines = go(site, endpoint)

    assert report.ok and not report.dry_run
    assert set(report.uploaded) == SITE_KEYS
    assert report.deleted == () and report.unchanged == 0
    assert set(objects(s3)) == SITE_KEYS  # bookkeeping files stayed home
    assert lines[-1] == "6 uploaded, 0 deleted, 0 unchanged"
    assert "upload css/style.css (new)" in lines
    # Assets before pages, and the article before the home page that links to it.
    order = [line.split()[1] for line in lines[:-1]]
    assert max(order.index(k) for k in ("css/style.css", "js/app.3f2a9c1b.js", "img/photo.png")) \
        < order.index("news/budget-vote/index.html") < order.index("index.html")

    expected = {
        "index.html": ("text/html; charset=utf-8", CACHE_HTML),
        "news/budget-vote/index.html": ("text/html; charset=utf-8", CACHE_HTML),
        "css/style.css": ("text/css; charset=utf-8", CACHE_SHORT),
        "js/app.3f2a9c1b.js": ("text/javascript; charset=utf-8", CACHE_IMMUTABLE),
        "feed.xml": ("application/xml; charset=utf-8", CACHE_SHORT),
        "img/photo.png": ("image/png", CACHE_SHORT),
    }
    for key, (ctype, cache) in expected.items():
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (ctype, cache), key
        local = hashlib.md5((site / key).read_bytes()).hexdigest()
        assert head["Metadata"]["md5"] == local
        assert head["ETag"].strip('"') == local
    body = s3.get_object(Bucket=BUCKET, Key="img/photo.png")["Body"].read()
    assert body == PNG


def test_second_deploy_uploads_nothing(s3: Any, endpoint: str, site: Path) -> None:
    go(site, endpoint)
    before = objects(s3)
    report, lines = go(site, endpoint)
    assert report.uploaded == () and report.deleted == () and report.unchanged == 6
    assert lines == ["0 uploaded, 0 deleted, 6 unchanged"]
    assert objects(s3) == before


def test_editing_one_page_changes_exactly_that_object(s3: Any, endpoint: str, site: Path) -> None:
    go(site, endpoint)
    before = objects(s3)
    page = site / "news" / "budget-vote" / "index.html"
    page.write_text("<!doctype html><title>Budget vote (updated)</title>", encoding="utf-8")

    report, lines = go(site, endpoint)

    assert report.uploaded == ("news/budget-vote/index.html",)
    assert lines == ["upload news/budget-vote/index.html (changed)",
                     "1 uploaded, 0 deleted, 5 unchanged"]
    after = objects(s3)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"news/budget-vote/index.html"}
    assert set(after) == set(before)


def test_stale_objects_under_the_prefix_are_deleted(s3: Any, endpoint: str, site: Path) -> None:
    go(site, endpoint, f"s3://{BUCKET}/en")
    s3.put_object(Bucket=BUCKET, Key="en/news/retracted/index.html", Body=b"gone")
    s3.put_object(Bucket=BUCKET, Key="english/keep.html", Body=b"a sibling prefix")
    s3.put_object(Bucket=BUCKET, Key="fr/index.html", Body=b"another site")

    report, lines = go(site, endpoint, f"s3://{BUCKET}/en/")

    assert report.deleted == ("en/news/retracted/index.html",)
    assert lines == ["delete en/news/retracted/index.html", "0 uploaded, 1 deleted, 6 unchanged"]
    assert set(objects(s3, "en/")) == {f"en/{key}" for key in SITE_KEYS}
    assert {"english/keep.html", "fr/index.html"} <= set(objects(s3))


def test_dry_run_changes_nothing(s3: Any, endpoint: str, site: Path) -> None:
    report, lines = go(site, endpoint, dry_run=True)
    assert objects(s3) == {}
    assert set(report.uploaded) == SITE_KEYS and report.dry_run
    assert lines[-1] == "6 uploaded, 0 deleted, 0 unchanged (dry run: nothing changed)"

    go(site, endpoint)
    s3.put_object(Bucket=BUCKET, Key="old.html", Body=b"stale")
    (site / "index.html").write_text("new home", encoding="utf-8")
    before = objects(s3)
    report, lines = go(site, endpoint, dry_run=True)
    assert lines == ["upload index.html (changed)", "delete old.html",
                     "1 uploaded, 1 deleted, 5 unchanged (dry run: nothing changed)"]
    assert objects(s3) == before


def test_max_deletes_stops_a_mass_delete(s3: Any, endpoint: str, site: Path) -> None:
    for n in range(5):
        s3.put_object(Bucket=BUCKET, Key=f"archive/{n}.html", Body=b"old")
    (site / "index.html").write_text("changed home", encoding="utf-8")

    report, lines = go(site, endpoint, max_deletes=4)

    assert not report.ok and "refusing to delete 5 objects" in report.refused
    assert lines == [] and report.uploaded == () and report.deleted == ()
    assert set(objects(s3)) == {f"archive/{n}.html" for n in range(5)}  # not even uploads

    report, _ = go(site, endpoint, max_deletes=5)
    assert report.ok and len(report.deleted) == 5
    assert set(objects(s3)) == SITE_KEYS


def test_missing_bucket_is_a_clear_error(s3: Any, endpoint: str, site: Path) -> None:
    with pytest.raises(DeployError) as caught:
        go(site, endpoint, "s3://no-such-bucket/site")
    message = str(caught.value)
    assert "no-such-bucket" in message and "does not exist" in message
    assert "\n" not in message


def test_missing_credentials_is_a_clear_error(
    s3: Any, endpoint: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(DeployError, match=r"no usable AWS credentials to list s3://newsroom-site/"):
        go(site, endpoint)


def test_failure_mid_way_deletes_nothing_and_a_rerun_finishes(
    s3: Any, endpoint: str, site: Path
) -> None:
    go(site, endpoint)
    s3.put_object(Bucket=BUCKET, Key="stale.html", Body=b"old")
    (site / "css" / "style.css").write_text("body { color: black; }", encoding="utf-8")
    (site / "index.html").write_text("new home", encoding="utf-8")

    class Flaky:
        """A real client whose HTML uploads fail, as if the network dropped half-way."""

        def __init__(self, client: Any) -> None:
            self._client = client

        def __getattr__(self, name: str) -> Any:
            return getattr(self._client, name)

        def put_object(self, **kw: Any) -> Any:
            if kw["Key"].endswith(".html"):
                raise OSError("connection reset by peer")
            return self._client.put_object(**kw)

    flaky = Flaky(deploy_mod.make_client(endpoint))
    with pytest.raises(DeployError) as caught:
        deploy(site, f"s3://{BUCKET}", client=flaky, out=lambda line: None)
    message = str(caught.value)
    assert "s3://newsroom-site/index.html" in message and "nothing deleted" in message
    assert "stale.html" in objects(s3)

    report, _ = go(site, endpoint)
    assert report.uploaded == ("index.html",) and report.deleted == ("stale.html",)


def test_multipart_uploads_compare_by_stored_md5(
    s3: Any, endpoint: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deploy_mod, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    (site / "video.mp4").write_bytes(b"\x00\x01" * (3 * 1024 * 1024))  # 6 MiB: two parts
    go(site, endpoint)
    head = s3.head_object(Bucket=BUCKET, Key="video.mp4")
    assert head["ETag"].strip('"').endswith("-2") and head["ContentType"] == "video/mp4"

    report, _ = go(site, endpoint)
    assert report.uploaded == () and report.unchanged == 7


def test_run_through_argparse(
    s3: Any, endpoint: str, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="broadsheet deploy")
    add_arguments(parser)
    site_dir = str(site.parent)

    args = parser.parse_args([f"s3://{BUCKET}/www", "--site", site_dir, "--endpoint-url", endpoint,
                              "--cache-control", "public, max-age=60"])
    assert run(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "6 uploaded, 0 deleted, 0 unchanged"
    assert s3.head_object(Bucket=BUCKET, Key="www/index.html")["CacheControl"] == \
        "public, max-age=60"

    s3.put_object(Bucket=BUCKET, Key="www/a.html", Body=b"")
    s3.put_object(Bucket=BUCKET, Key="www/b.html", Body=b"")
    args = parser.parse_args([f"s3://{BUCKET}/www", "--output", str(site), "--endpoint-url",
                              endpoint, "--max-deletes", "1"])
    assert run(args) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("error: refusing to delete 2 objects")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err

    args = parser.parse_args(["s3://missing-bucket", "--site", site_dir, "--endpoint-url",
                              endpoint])
    assert run(args) == 1
    err = capsys.readouterr().err
    assert "missing-bucket" in err and err.count("\n") == 1

    args = parser.parse_args([f"s3://{BUCKET}", "--site", str(site.parent / "nowhere"),
                              "--endpoint-url", endpoint, "--dry-run"])
    assert run(args) == 1
    assert "does not exist: run `broadsheet build` first" in capsys.readouterr().err


def test_missing_boto3_is_a_clear_error(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "boto3" or m.startswith(("boto3.", "botocore"))]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "boto3", None)
    monkeypatch.setitem(sys.modules, "botocore", None)
    with pytest.raises(DeployError) as caught:
        deploy(site, f"s3://{BUCKET}", out=lambda line: None)
    assert str(caught.value) == BOTO3_MISSING
