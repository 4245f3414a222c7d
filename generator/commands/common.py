"""What the commands share: the build flags, the build clock, and how problems are printed.

Exit codes: 0 success, 1 the build or check found problems (each printed as
`file:line: error [field]: message`), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..config import Config, load_config
from ..errors import BuildError, ContentError, Problem

NOW_ENV = "BROADSHEET_NOW"


def parse_now(text: str | None) -> datetime | None:
    """The build clock from --now or $BROADSHEET_NOW (ISO 8601; no offset means UTC)."""
    text = text or os.environ.get(NOW_ENV) or None
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--now {text!r} is not an ISO 8601 date-time such as 2025-02-08T12:00:00+00:00"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def add_site_arguments(p: argparse.ArgumentParser) -> None:
    """The flags of `broadsheet build`, shared by every command that builds first."""
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument("--output", type=Path, help="output folder (default: <site>/output)")
    p.add_argument("--base-url", help="absolute URL of the site root, overrides site.toml")
    p.add_argument("--drafts", action="store_true", help="also build drafts")
    p.add_argument("--future", action="store_true",
                   help="also build articles whose date or publishDate is after the build clock")
    p.add_argument("--now", help=f"fix the build clock (ISO 8601); also ${NOW_ENV}")
    p.add_argument("--strict", action="store_true", help="warnings fail the build (for CI)")
    p.add_argument("--no-cache", action="store_true",
                   help="ignore and do not update .broadsheet-cache/ (output is the same)")
    p.add_argument("--timings", action="store_true", help="print how long each stage took")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: one per core; 1 = serial)")


def config_from_args(args: argparse.Namespace) -> Config:
    return load_config(
        args.site,
        output_dir=args.output.resolve() if args.output else None,
        base_url=args.base_url,
        drafts=args.drafts or None,
        future=args.future or None,
        now=parse_now(args.now),
    )


def print_problems(problems: Sequence[Problem], kind: str) -> None:
    for p in problems:
        print(p.format(kind), file=sys.stderr)


def report_failure(exc: BuildError | ContentError) -> int:
    """Print a failed build's problems (file:line: error [field]: message) and give exit code 1."""
    if isinstance(exc, BuildError):
        print_problems(exc.problems, "error")
        print(exc.summary, file=sys.stderr)
    else:
        print_problems([exc.problem], "error")
    return 1


def fail(message: str, code: int = 1) -> int:
    """A one-line `broadsheet: ...` message on stderr, and the exit code to return."""
    print(f"broadsheet: {message}", file=sys.stderr)
    return code
