"""`broadsheet build`: build the site into the output folder."""

from __future__ import annotations

import argparse
import sys

from ..build import build, scheduled_change
from .common import add_site_arguments, config_from_args, print_problems

HELP = "build the site into the output folder"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_site_arguments(p)
    p.add_argument("--next-change", action="store_true",
                   help="print when the site next changes by the clock (an embargo lifting, an "
                        "article expiring) as ISO 8601, or nothing when none is scheduled; "
                        "builds nothing")


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if args.next_change:
        when = scheduled_change(config, use_cache=not args.no_cache, jobs=args.jobs)
        if when is not None:
            print(when.isoformat())
        return 0
    result = build(config, use_cache=not args.no_cache, jobs=args.jobs)
    print_problems(result.warnings, "warning")
    print(result.summary())
    if args.timings:
        print(result.timing_line())
    if args.strict and result.warnings:
        print(f"--strict: {len(result.warnings)} warning(s) fail the build", file=sys.stderr)
        return 1
    return 0
