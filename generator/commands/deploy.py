"""`broadsheet deploy`: upload the output folder to an S3-compatible bucket."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..deploy import CACHE_HTML, DEFAULT_MAX_DELETES, DeployError, deploy

HELP = "upload the output folder to an S3-compatible bucket"


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
                        help="print what would be uploaded and deleted, change nothing")
    parser.add_argument("--max-deletes", type=int, default=DEFAULT_MAX_DELETES, metavar="N",
                        help="refuse to deploy if more than N remote objects would be deleted "
                             f"(default: {DEFAULT_MAX_DELETES})")
    parser.add_argument("--cache-control", default=CACHE_HTML, metavar="VALUE",
                        help=f"Cache-Control for HTML pages (default: {CACHE_HTML!r})")


def run(args: argparse.Namespace) -> int:
    """Run `broadsheet deploy`: 0 on success, 1 on failure, with a one-line error on stderr."""
    output = args.output if args.output is not None else Path(args.site) / "output"
    try:
        report = deploy(
            Path(output).resolve(), args.target, endpoint_url=args.endpoint_url,
            dry_run=args.dry_run, max_deletes=args.max_deletes,
            cache_control_html=args.cache_control,
        )
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not report.ok:
        print(f"error: {report.refused}", file=sys.stderr)
        return 1
    return 0
