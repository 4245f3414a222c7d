"""The `broadsheet` command: assembles the parser from `generator.commands` and runs one.

Exit codes: 0 success, 1 the build or check found problems (each printed as
`file:line: error [field]: message`), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from . import __version__
from .commands import build, check, deploy, importing, init, new, serve
from .commands.common import report_failure
from .errors import BuildError, ContentError

COMMANDS: tuple[tuple[str, ModuleType], ...] = (
    ("build", build), ("check", check), ("serve", serve), ("new", new), ("init", init),
    ("deploy", deploy),
    ("import", importing),
)
"""Each command module has HELP, add_arguments(parser) and run(args) -> exit code."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="broadsheet",
                                     description="Static site generator for news sites.")
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS:
        p = sub.add_parser(name, help=module.HELP)
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def entry() -> None:
    """The `broadsheet` command: main(), then exit without freeing the heap object by object.

    After a large build that teardown is a visible part of a no-change rebuild (figure in
    docs/performance.md, "Measurements behind the code"); the operating system frees the memory
    at once (mypy exits the same way). Output is flushed first; worker pools are already closed,
    and nothing else waits for interpreter shutdown.
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
