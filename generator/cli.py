"""The `broadsheet` command: build, serve, new, init, check, deploy.

Exit codes: 0 success, 1 the build or check found problems (each printed as
`file:line: error [field]: message`), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from . import __version__
from .config import Config, load_config
from .errors import BuildError, ContentError, Problem

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
        from datetime import UTC
        value = value.replace(tzinfo=UTC)
    return value


def _site_args(p: argparse.ArgumentParser) -> None:
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


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="broadsheet",
                                     description="Static site generator for news sites.")
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build the site into the output folder")
    _site_args(p)
    p.set_defaults(func=cmd_build)
    from . import check, deploy, scaffold, serve

    commands = [
        ("check", "build, then check every link, anchor and asset", check.add_arguments, check.run),
        ("serve", "build, serve the output, rebuild and reload on save", serve.add_arguments,
         serve.run),
        ("new", "write a new article with the full field set", scaffold.add_new_arguments,
         scaffold.run_new),
        ("init", "create a new site that builds at once", scaffold.add_init_arguments,
         scaffold.run_init),
        ("deploy", "upload the output folder to an S3-compatible bucket", deploy.add_arguments,
         deploy.run),
    ]
    for name, help_text, add_arguments, run in commands:
        p = sub.add_parser(name, help=help_text)
        add_arguments(p)
        p.set_defaults(func=run)
    return parser


def entry() -> None:
    """The `broadsheet` command: main(), then exit without freeing the heap object by object.

    After a build of 10,000 articles that teardown took ~0.4 s of a 2 s no-change rebuild; the
    operating system frees the memory at once (mypy exits the same way). Output is flushed first;
    worker pools are already closed, and nothing else waits for interpreter shutdown.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except argparse.ArgumentTypeError as exc:
        print(f"broadsheet: {exc}", file=sys.stderr)
        return 2
    except (BuildError, ContentError) as exc:
        return report_failure(exc)
    except KeyboardInterrupt:
        return 130
