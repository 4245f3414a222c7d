"""`broadsheet check`: build, then check every link, anchor and asset of the output."""

from __future__ import annotations

import argparse
import sys
import time

from ..build import build
from ..errors import BuildError, ContentError
from .common import add_site_arguments, config_from_args, print_problems, report_failure

HELP = "build, then check every link, anchor and asset"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`broadsheet check`: the build's flags plus the checker's own."""
    add_site_arguments(p)
    p.add_argument("--no-build", action="store_true",
                   help="check the output folder as it is, without building first")
    p.add_argument("--external", action="store_true",
                   help="also check links to other hosts (HEAD, then GET), politely")
    p.add_argument("--external-limit", type=int, default=500, metavar="N",
                   help="check at most N distinct external URLs (default: 500)")
    p.add_argument("--external-jobs", type=int, default=4, metavar="N",
                   help="at most N external requests at once (default: 4)")
    p.add_argument("--external-delay", type=float, default=1.0, metavar="SECONDS",
                   help="wait between two requests to one host (default: 1)")
    p.add_argument("--external-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="give up on a URL after this long (default: 10)")


def run(args: argparse.Namespace) -> int:
    """Build (unless --no-build), check, print one line per problem; 0 clean, 1 problems."""
    from ..check import CrawlOptions, check_external, check_output  # here: only `check` needs it

    warnings = 0
    try:
        config = config_from_args(args)
        if not args.no_build:
            built = build(config, use_cache=not args.no_cache, jobs=args.jobs)
            print_problems(built.warnings, "warning")
            print(built.summary())
            warnings = len(built.warnings)
    except (BuildError, ContentError) as exc:
        return report_failure(exc)
    if not config.output_dir.is_dir():
        print(f"broadsheet check: no output folder {config.output_dir}; build first", file=sys.stderr)
        return 1
    result = check_output(config.output_dir, config.base_url, jobs=args.jobs)
    if args.external:
        started = time.perf_counter()
        check_external(result, CrawlOptions(limit=args.external_limit,
                                             concurrency=args.external_jobs,
                                             delay=args.external_delay,
                                             timeout=args.external_timeout))
        result.seconds += time.perf_counter() - started
    for problem in result.broken:
        print(problem.format())
    print(result.summary(args.external))
    if args.strict and warnings:
        print(f"--strict: {warnings} warning(s) fail the check", file=sys.stderr)
        return 1
    return 0 if result.ok else 1
