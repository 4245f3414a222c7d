#!/usr/bin/env python3
"""Each process's PSS during a cold build, once a second: which stage holds the memory.

Removes <site>/output and <site>/.broadsheet-cache, runs `.venv/bin/broadsheet build --site
<site> --timings [extra args]`, and prints the PSS of the build and each of its worker processes
(from /proc/<pid>/smaps_rollup, sampled every 0.2 s, printed every second), then the build's
stage timings. Linux only; standard library only.

    python3 bench/pss_stages.py /dev/shm/b10k
    python3 bench/pss_stages.py /dev/shm/b10k --jobs 1
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from run import _children, _pss_bytes  # bench/run.py, beside this script

BROADSHEET = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "broadsheet"


def tree(pid: int) -> list[int]:
    """The process and its descendants (run.py's reading of /proc)."""
    return [pid, *(p for child in _children(pid) for p in tree(child))]


def pss_mib(pid: int) -> int:
    return _pss_bytes(pid) // (1024 * 1024)


def main() -> int:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    site = Path(sys.argv[1])
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".broadsheet-cache", ignore_errors=True)
    build = subprocess.Popen([str(BROADSHEET), "build", "--site", str(site), "--timings",
                              *sys.argv[2:]], stdout=subprocess.PIPE, text=True)
    started = last = time.monotonic()
    peak = 0
    while build.poll() is None:
        values = [pss_mib(p) for p in tree(build.pid)]
        peak = max(peak, sum(values))
        if time.monotonic() - last >= 1.0:
            last = time.monotonic()
            print(f"{last - started:5.1f} s  total {sum(values):4d} MiB  per process {values}",
                  flush=True)
        time.sleep(0.2)
    assert build.stdout is not None
    print(build.stdout.read().strip())
    print(f"peak of the sampled totals: {peak} MiB")
    return build.returncode


if __name__ == "__main__":
    sys.exit(main())
