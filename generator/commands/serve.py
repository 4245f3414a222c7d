"""`broadsheet serve`: build, serve the output, rebuild and reload open pages on save."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from .common import add_site_arguments, config_from_args, print_problems

HELP = "build, serve the output, rebuild and reload on save"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The `build` flags (so serve builds exactly what build would) plus where to listen."""
    add_site_arguments(p)
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 = any)")
    p.add_argument("--bind", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--poll", action="store_true",
                   help="poll for changes instead of OS events (Docker, WSL, network drives)")


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C. A bad flag or site.toml at start fails fast; later errors never do."""
    from ..serve import PreviewServer  # here: watchdog and the server are ~40 ms a build need not pay

    config_from_args(args)  # raises for a bad --now, --base-url or site.toml: exit 1/2 via cli
    server = PreviewServer(lambda: config_from_args(args), port=args.port, bind=args.bind,
                           poll=args.poll, use_cache=not args.no_cache, jobs=args.jobs)
    try:
        server.start()
    except OSError as exc:
        print(f"broadsheet serve: cannot listen on {args.bind}:{args.port}: {exc.strerror or exc}; "
              "try another --port", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        server.stop()
        return 0
    if server.last_warnings:
        print_problems(server.last_warnings, "warning")
    previous = _sigterm_as_interrupt()
    try:
        server.wait()
    except KeyboardInterrupt:
        print("stopping", file=server.out, flush=True)
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _sigterm_as_interrupt() -> Any:
    """`docker stop` and process managers send SIGTERM: shut down as cleanly as for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
