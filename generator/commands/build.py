"""`broadsheet build`: build the site into the output folder."""

from __future__ import annotations

import argparse
import sys

from ..build import build
from .common import add_site_arguments, config_from_args, print_problems

HELP = "build the site into the output folder"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_site_arguments(p)


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    result = build(config, use_cache=not args.no_cache, jobs=args.jobs)
    print_problems(result.warnings, "warning")
    print(result.summary())
    if args.timings:
        print(result.timing_line())
    if args.strict and result.warnings:
        print(f"--strict: {len(result.warnings)} warning(s) fail the build", file=sys.stderr)
        return 1
    return 0
