"""`broadsheet deploy`: upload the output folder to an S3-compatible bucket, then tell the CDN,
search engines and the WebSub hub what changed (generator/pings.py).

Exit codes: 0 done; 1 the deploy failed or was refused; 3 the deploy is done but a ping failed
(nothing was undone: rerunning would upload nothing and so ping nothing, so the failed pings are
printed for a person to act on).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from .. import pings
from ..config import load_config
from ..deploy import CACHE_HTML, DEFAULT_MAX_DELETES, DeployError, deploy
from ..errors import ConfigError

HELP = "upload the output folder to an S3-compatible bucket, then ping what changed"
PINGS_FAILED = 3


def _paths_bound(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= pings.CLOUDFRONT_MAX_PATHS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed: use a number from 1 to {pings.CLOUDFRONT_MAX_PATHS} "
            "(CloudFront's limit of paths in progress)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `broadsheet deploy`; the CLI owns the subparser."""
    parser.add_argument("target", metavar="s3://BUCKET[/PREFIX]",
                        help="bucket (and optional key prefix) to sync the output folder to")
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                        help="site folder (default: current folder)")
    parser.add_argument("--output", type=Path, default=None, metavar="DIR",
                        help="folder to deploy (default: SITE/output)")
    parser.add_argument("--endpoint-url", default=None, metavar="URL",
                        help="S3-compatible endpoint, e.g. Cloudflare R2 or MinIO (default: AWS)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be uploaded, deleted and pinged, change nothing")
    parser.add_argument("--max-deletes", type=int, default=DEFAULT_MAX_DELETES, metavar="N",
                        help="refuse to deploy if more than N remote objects would be deleted "
                             f"(default: {DEFAULT_MAX_DELETES})")
    parser.add_argument("--cache-control", default=CACHE_HTML, metavar="VALUE",
                        help=f"Cache-Control for HTML pages (default: {CACHE_HTML!r})")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="public address the pings name (default: the one the output was "
                             "built with, else site.toml's)")
    parser.add_argument("--invalidate", default=None, metavar="DIST_ID",
                        help="invalidate the changed paths on this CloudFront distribution")
    parser.add_argument("--invalidate-max-paths", type=_paths_bound,
                        default=pings.DEFAULT_MAX_INVALIDATION_PATHS, metavar="N",
                        help="above N changed paths invalidate /* instead "
                             f"(default: {pings.DEFAULT_MAX_INVALIDATION_PATHS})")
    parser.add_argument("--no-pings", action="store_true",
                        help="send nothing to IndexNow or the WebSub hub (e.g. a staging deploy)")


def run(args: argparse.Namespace) -> int:
    """Run `broadsheet deploy`: 0 on success, 1 on failure, 3 when only pings failed."""
    output = Path(args.output if args.output is not None else Path(args.site) / "output").resolve()
    try:
        config = load_config(Path(args.site), base_url=args.base_url)
    except ConfigError as exc:
        print(exc.problem.format("error"), file=sys.stderr)
        return 1
    try:
        report = deploy(
            output, args.target, endpoint_url=args.endpoint_url,
            dry_run=args.dry_run, max_deletes=args.max_deletes,
            cache_control_html=args.cache_control,
        )
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not report.ok:
        print(f"error: {report.refused}", file=sys.stderr)
        return 1
    if not report.changes:
        return 0
    if args.base_url is None:
        built = pings.built_base_url(output)
        if built and built != config.base_url:
            config = replace(config, base_url=built)
    results = pings.notify(
        config, output, report.changes, distribution=args.invalidate,
        max_invalidation_paths=args.invalidate_max_paths, pings=not args.no_pings,
        dry_run=args.dry_run,
    )
    failed = [ping for ping in results if not ping.ok]
    for ping in failed:
        print(f"error: {ping.line()}", file=sys.stderr)
    if failed:
        print(f"error: {len(failed)} of {len(results)} pings failed; the deploy itself is "
              "complete and nothing was undone", file=sys.stderr)
        return PINGS_FAILED
    return 0
