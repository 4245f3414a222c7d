"""Compare two Broadsheet installs on one corpus: cold, no-change and one-edit builds, interleaved.

    python3 bench/compare_builds.py OLD_BROADSHEET NEW_BROADSHEET --site bench/work/site --reps 5

Each install builds its own copy of the corpus (made in --work, tmpfs by default, so the disk's
speed is out of the way), old and new in turn (which goes first alternates), `--reps` times.
Besides wall time it reports CPU time, user + system of the build and the workers it reaped
(from wait4): on a machine other jobs are loading, CPU time moves far less than wall time. The
one-edit build appends a sentence to the middle article (path order) and restores it afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

NOW = "2026-01-01T00:00:00Z"
RUNS = ("cold", "no-change", "one-edit")


def timed(broadsheet: str, site: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one build."""
    started = time.perf_counter()
    proc = subprocess.Popen([broadsheet, "build", "--site", str(site), "--now", NOW],
                            stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{broadsheet} build --site {site} failed (status {status})")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("old", help="the old install's broadsheet command")
    parser.add_argument("new", help="the new install's broadsheet command")
    parser.add_argument("--site", type=Path, required=True, help="the corpus (content/ + site.toml)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/broadsheet-compare"))
    args = parser.parse_args()
    installs = {"old": args.old, "new": args.new}
    sites = {}
    for name in installs:
        sites[name] = args.work / name
        shutil.rmtree(sites[name], ignore_errors=True)
        shutil.copytree(args.site, sites[name],
                        ignore=shutil.ignore_patterns("output", ".broadsheet-cache"))
    articles = sorted((sites["old"] / "content").rglob("*.md"))
    edit = articles[len(articles) // 2].relative_to(sites["old"])
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for rep in range(args.reps):
        # Alternate which goes first: a build just after another can be slower whatever it is.
        for name in (("old", "new") if rep % 2 == 0 else ("new", "old")):
            broadsheet, site = installs[name], sites[name]
            shutil.rmtree(site / "output", ignore_errors=True)
            shutil.rmtree(site / ".broadsheet-cache", ignore_errors=True)
            results.setdefault((name, "cold"), []).append(timed(broadsheet, site))
            results.setdefault((name, "no-change"), []).append(timed(broadsheet, site))
            original = (site / edit).read_bytes()
            (site / edit).write_bytes(original + f"\n\nOne more sentence, number {rep}.\n".encode())
            try:
                results.setdefault((name, "one-edit"), []).append(timed(broadsheet, site))
            finally:
                (site / edit).write_bytes(original)
        print(f"repetition {rep + 1} of {args.reps} done", flush=True)
    print(f"{len(articles)} articles, {args.reps} interleaved repetitions; load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    for run in RUNS:
        for name in installs:
            wall = [w for w, _ in results[(name, run)]]
            cpu = [c for _, c in results[(name, run)]]
            print(f"{run:10} {name}  CPU median {statistics.median(cpu):6.2f} s (min {min(cpu):6.2f})"
                  f"  wall median {statistics.median(wall):6.2f} s (min {min(wall):6.2f})"
                  f"  | CPU {' '.join(f'{c:.2f}' for c in cpu)} | wall {' '.join(f'{w:.2f}' for w in wall)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
