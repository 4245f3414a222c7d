"""`broadsheet deploy`: sync the built output folder to an S3-compatible bucket.

A newsroom redeploys every few minutes, so a deploy sends only files whose content changed
(local MD5 against the remote ETag, or against the MD5 we store in object metadata when the ETag
is not an MD5, as for multipart uploads). Order matters on a live site: assets go up first, then
documents (HTML, feeds) deepest first, so no page links to something not there yet, and deletes
come last, so a deploy that fails half-way leaves a working site. A bound on deletes stops a wrong
output folder or prefix from wiping a site. The report says which files were added, changed
and removed (`DeployReport.changes`): the pings after the deploy (generator/pings.py) name those.

boto3 is an optional dependency, imported only when a deploy runs.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .mediatypes import content_type

BOTO3_MISSING = "broadsheet deploy needs boto3: pip install 'broadsheet[deploy]'"

CACHE_HTML = "public, max-age=300"
"""Pages change when stories are updated: caches must come back within minutes."""
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
"""A fingerprinted file never changes under its name: cache it for a year."""
CACHE_SHORT = "public, max-age=300"
"""Anything else (feeds, images, unfingerprinted CSS) may change under the same name."""

DEFAULT_MAX_DELETES = 256
MULTIPART_THRESHOLD = 64 * 1024 * 1024
"""Files above this go up in parts (their ETag is then not an MD5, hence the md5 metadata)."""
UPLOAD_WORKERS = 8
"""A template change re-uploads every page; parallel requests keep that to seconds, not minutes."""

BOOKKEEPING_PREFIX = ".broadsheet"
"""The generator's own files in the output folder (manifest, cache): never part of the site."""

# A name segment of 8+ lowercase hex characters with at least one letter: `style.3f2a9c1b.css`,
# `app-0a1b2c3d4e.js`. Digits only do not count: `IMG_20240101.jpg` is a photo, not a hash.
_FINGERPRINT = re.compile(r"(?:^|[.\-_])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?=[.\-_])")

_DOCUMENTS = (".html", ".htm", ".xml")
"""Files that link to others, so they upload after everything else."""


class DeployError(Exception):
    """A deploy that cannot go on; the message is one line naming the bucket or key."""


@dataclass(frozen=True)
class LocalFile:
    """One file of the built site, with what the upload needs to know about it."""

    path: Path
    rel: str
    key: str
    md5: str
    size: int
    content_type: str
    cache_control: str


@dataclass(frozen=True)
class Upload:
    """One planned upload and why: `new` (not in the bucket) or `changed` (other content)."""

    file: LocalFile
    reason: str


@dataclass(frozen=True)
class Changes:
    """What a deploy changed, as paths relative to the output folder (`world/story/index.html`);
    the pings after it (generator/pings.py) name exactly these."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class DeployReport:
    """What a deploy did (with `dry_run`, what it would do); `refused` says why it did nothing."""

    target: str
    uploaded: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    dry_run: bool = False
    refused: str = ""
    changes: Changes = field(default_factory=Changes)

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        line = f"{len(self.uploaded)} uploaded, {len(self.deleted)} deleted, "
        line += f"{self.unchanged} unchanged"
        return f"{line} (dry run: nothing changed)" if self.dry_run else line


# --- local side --------------------------------------------------------------------------------


def parse_target(target: str) -> tuple[str, str]:
    """Split `s3://bucket/some/prefix` into ("bucket", "some/prefix/"); the prefix may be ""."""
    if not target.startswith("s3://"):
        raise DeployError(f"target {target!r} must look like s3://BUCKET or s3://BUCKET/PREFIX")
    bucket, _, prefix = target[len("s3://"):].partition("/")
    if not bucket:
        raise DeployError(f"target {target!r} has no bucket name")
    prefix = prefix.strip("/")
    return bucket, prefix + "/" if prefix else ""


def is_fingerprinted(name: str) -> bool:
    """True for file names carrying a content hash (`style.3f2a9c1b.css`): safe to cache forever."""
    return bool(_FINGERPRINT.search(name))


def cache_control(name: str, *, html: str = CACHE_HTML, assets: str = CACHE_IMMUTABLE) -> str:
    """Short for pages (they change under the same URL), long for fingerprinted assets."""
    lower = name.lower()
    if lower.endswith((".html", ".htm")):
        return html
    return assets if is_fingerprinted(lower) else CACHE_SHORT


def file_md5(path: Path) -> str:
    """Hex MD5 of a file, read in chunks so large media do not fill memory."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def scan_output(
    output_dir: Path, prefix: str, *, html: str = CACHE_HTML, assets: str = CACHE_IMMUTABLE
) -> list[LocalFile]:
    """Every file of the built site, sorted, minus the generator's `.broadsheet*` bookkeeping."""
    files: list[LocalFile] = []
    for root, dirs, names in os.walk(output_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(BOOKKEEPING_PREFIX))
        for name in sorted(names):
            path = Path(root, name)
            if name.startswith(BOOKKEEPING_PREFIX) or not path.is_file():
                continue
            rel = path.relative_to(output_dir).as_posix()
            try:
                md5 = file_md5(path)
                size = path.stat().st_size
            except OSError as exc:
                raise DeployError(f"cannot read {path}: {exc.strerror or exc}") from None
            files.append(LocalFile(path, rel, prefix + rel, md5, size, content_type(name),
                                   cache_control(name, html=html, assets=assets)))
    return files


def upload_order(uploads: Iterable[Upload]) -> list[list[Upload]]:
    """Batches to send one after another: assets, then documents from the deepest path up.

    Assets first so no page references a missing stylesheet or image; articles
    (`/news/slug/index.html`) before the section and home pages and feeds that link to them.
    """
    assets: list[Upload] = []
    by_depth: dict[int, list[Upload]] = {}
    for upload in uploads:
        if upload.file.rel.lower().endswith(_DOCUMENTS):
            by_depth.setdefault(upload.file.rel.count("/"), []).append(upload)
        else:
            assets.append(upload)
    batches = [assets] if assets else []
    batches += [by_depth[depth] for depth in sorted(by_depth, reverse=True)]
    return batches


# --- remote side -------------------------------------------------------------------------------


def make_client(endpoint_url: str | None = None) -> Any:
    """An S3 client from boto3's default credential chain (env, ~/.aws, SSO, instance role)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise DeployError(BOTO3_MISSING) from None
    options: dict[str, Any] = {"retries": {"max_attempts": 5, "mode": "standard"}}
    if endpoint_url:
        # MinIO and friends rarely have wildcard DNS for virtual-hosted buckets; R2 takes both.
        options["s3"] = {"addressing_style": "path"}
    try:
        # Since botocore 1.36 every upload carries a CRC trailer that several S3-compatible
        # stores reject; we send Content-MD5 ourselves, so only add checksums when required.
        config = Config(**options, request_checksum_calculation="when_required",
                        response_checksum_validation="when_required")
    except TypeError:
        config = Config(**options)
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url or None, config=config)


def _error_text(exc: BaseException, action: str, bucket: str, key: str = "") -> str:
    """One line a newsroom can act on: what we tried (`action`), on which bucket/key, and why."""
    where = f"s3://{bucket}/{key}"
    name = type(exc).__name__
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot read {exc.filename}: {exc.strerror or exc} (to {action} {where})"
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return (f"no usable AWS credentials to {action} {where}: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)")
    if name == "ProfileNotFound":
        return f"cannot {action} {where}: {exc}"
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        code = str(error.get("Code", ""))
        message = str(error.get("Message", "")).strip() or code
        if code == "NoSuchBucket":
            return f"cannot {action} {where}: bucket {bucket!r} does not exist at this endpoint"
        if code in ("AccessDenied", "403", "AllAccessDisabled"):
            return f"cannot {action} {where}: access denied (the credentials lack permission)"
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return f"cannot {action} {where}: credentials rejected: {message}"
        if code:
            return f"cannot {action} {where}: {code}: {message}"
    return f"cannot {action} {where}: {exc}"


def list_remote(client: Any, bucket: str, prefix: str) -> dict[str, str]:
    """Every key under the prefix with its ETag (quotes stripped), through all result pages."""
    remote: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", ()):
            remote[obj["Key"]] = obj.get("ETag", "").strip('"')
    return remote


def _remote_md5(client: Any, bucket: str, key: str) -> str:
    """The MD5 we stored in metadata at upload time (multipart ETags are not MD5s)."""
    head = client.head_object(Bucket=bucket, Key=key)
    return str(head.get("Metadata", {}).get("md5", ""))


def _put(client: Any, bucket: str, file: LocalFile) -> None:
    """Upload one file with its headers and the MD5 in metadata for later comparisons."""
    extra = {"ContentType": file.content_type, "CacheControl": file.cache_control,
             "Metadata": {"md5": file.md5}}
    if file.size > MULTIPART_THRESHOLD:
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(multipart_threshold=MULTIPART_THRESHOLD,
                                multipart_chunksize=max(MULTIPART_THRESHOLD, 5 * 1024 * 1024))
        client.upload_file(str(file.path), bucket, file.key, ExtraArgs=extra, Config=config)
        return
    content_md5 = base64.b64encode(bytes.fromhex(file.md5)).decode("ascii")
    with file.path.open("rb") as body:
        client.put_object(Bucket=bucket, Key=file.key, Body=body, ContentMD5=content_md5, **extra)


def _run_batches(
    batches: list[list[Upload]], put: Callable[[LocalFile], None], out: Callable[[str], None],
    bucket: str, total: int,
) -> list[str]:
    """Upload batch after batch, in parallel within a batch; stop at the first failure."""
    done: list[str] = []
    with ThreadPoolExecutor(max_workers=UPLOAD_WORKERS) as pool:
        for batch in batches:
            futures: dict[Future[None], Upload] = {pool.submit(put, u.file): u for u in batch}
            failure: tuple[Upload, BaseException] | None = None
            for future in as_completed(futures):
                if future.cancelled():
                    continue
                upload, exc = futures[future], future.exception()
                if exc is None:
                    out(f"upload {upload.file.rel} ({upload.reason})")
                    done.append(upload.file.rel)
                elif failure is None:
                    failure = (upload, exc)
                    for pending in futures:
                        pending.cancel()
            if failure is not None:
                upload, exc = failure
                raise DeployError(
                    f"{_error_text(exc, 'upload to', bucket, upload.file.key)}; "
                    f"{len(done)} of {total} uploads done, nothing deleted, the site still works: "
                    "rerun to finish"
                )
    return done


# --- the command -------------------------------------------------------------------------------


def deploy(
    output_dir: Path,
    target: str,
    *,
    endpoint_url: str | None = None,
    dry_run: bool = False,
    max_deletes: int = DEFAULT_MAX_DELETES,
    cache_control_html: str = CACHE_HTML,
    cache_control_assets: str = CACHE_IMMUTABLE,
    client: Any = None,
    out: Callable[[str], None] = print,
) -> DeployReport:
    """Make `target` hold exactly the files of `output_dir`, changing as little as possible.

    Raises `DeployError` with a one-line message on any failure; a refused mass delete is not an
    exception but a report with `refused` set, and then nothing at all was changed.
    """
    bucket, prefix = parse_target(target)
    where = f"s3://{bucket}/{prefix}"
    if max_deletes < 0:
        raise DeployError(f"--max-deletes must be 0 or more, not {max_deletes}")
    if not output_dir.is_dir():
        raise DeployError(f"output folder {output_dir} does not exist: "
                          "run `broadsheet build` first")
    files = scan_output(output_dir, prefix, html=cache_control_html, assets=cache_control_assets)
    if not files:
        raise DeployError(f"output folder {output_dir} is empty: nothing to deploy to {where}")

    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise DeployError(BOTO3_MISSING) from None
    remote_errors = (BotoCoreError, ClientError)
    if client is None:
        try:
            client = make_client(endpoint_url)
        except (*remote_errors, ValueError) as exc:
            raise DeployError(f"cannot set up S3 for {where}: {exc}") from None

    try:
        remote = list_remote(client, bucket, prefix)
    except remote_errors as exc:
        raise DeployError(_error_text(exc, "list", bucket, prefix)) from None

    uploads: list[Upload] = []
    suspects: list[LocalFile] = []
    for file in files:
        etag = remote.get(file.key)
        if etag is None:
            uploads.append(Upload(file, "new"))
        elif etag != file.md5:
            suspects.append(file)
    if suspects:
        # The ETag is not this file's MD5: either it changed, or it went up in parts (or the
        # bucket encrypts with KMS). The md5 we stored in metadata tells which.
        def check(file: LocalFile) -> bool:
            try:
                return _remote_md5(client, bucket, file.key) != file.md5
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                    return True  # deleted since the listing: upload it again
                raise DeployError(_error_text(exc, "read", bucket, file.key)) from None
            except BotoCoreError as exc:
                raise DeployError(_error_text(exc, "read", bucket, file.key)) from None

        with ThreadPoolExecutor(max_workers=UPLOAD_WORKERS) as pool:
            changed = list(pool.map(check, suspects))
        uploads += [Upload(f, "changed") for f, c in zip(suspects, changed, strict=True) if c]
    unchanged = len(files) - len(uploads)

    local_keys = {file.key for file in files}
    deletes = sorted(key for key in remote if key not in local_keys)
    if len(deletes) > max_deletes:
        return DeployReport(
            where, unchanged=unchanged, dry_run=dry_run,
            refused=(f"refusing to delete {len(deletes)} objects under {where} (more than "
                     f"--max-deletes {max_deletes}): nothing uploaded or deleted; check the output "
                     "folder and the target, then rerun with a higher --max-deletes"),
        )

    batches = upload_order(uploads)
    changes = Changes(
        added=tuple(u.file.rel for u in uploads if u.reason == "new"),
        changed=tuple(u.file.rel for u in uploads if u.reason == "changed"),
        removed=tuple(key[len(prefix):] for key in deletes),
    )
    if dry_run:
        for upload in (u for batch in batches for u in batch):
            out(f"upload {upload.file.rel} ({upload.reason})")
        for key in deletes:
            out(f"delete {key}")
        report = DeployReport(where, tuple(u.file.rel for b in batches for u in b),
                              tuple(deletes), unchanged, dry_run=True, changes=changes)
        out(report.summary())
        return report

    uploaded = _run_batches(batches, lambda f: _put(client, bucket, f), out, bucket, len(uploads))

    deleted: list[str] = []
    for start in range(0, len(deletes), 1000):  # DeleteObjects takes at most 1000 keys
        chunk = deletes[start:start + 1000]
        try:
            result = client.delete_objects(
                Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True})
        except remote_errors as exc:
            raise DeployError(f"{_error_text(exc, 'delete', bucket, chunk[0])}; all uploads "
                              f"done, {len(deleted)} of {len(deletes)} deletes done") from None
        errors = result.get("Errors") or []
        failed_keys = {e.get("Key") for e in errors}
        for key in chunk:
            if key not in failed_keys:
                out(f"delete {key}")
                deleted.append(key)
        if errors:
            first = errors[0]
            raise DeployError(
                f"delete failed for s3://{bucket}/{first.get('Key')}: {first.get('Code')}: "
                f"{first.get('Message')}; {len(deleted)} of {len(deletes)} deletes done")

    report = DeployReport(where, tuple(uploaded), tuple(deleted), unchanged, changes=changes)
    out(report.summary())
    return report




