#!/usr/bin/env python3
"""Broadsheet benchmark: build times, peak memory and page sizes against Pelican, in one run.

    python3 bench/run.py [--articles 10000] [--seed 1] [--work bench/work] [--skip-pelican]
                         [--scale] [--repeat N] [--jobs N]

Steps (see bench/README.md for what each figure means):

1. Generate the synthetic corpus with /work/shared/bench/make_corpus.py into
   <work>/site/content (reused when the stamp says it was made with the same arguments and
   the files are unchanged) and write <work>/site/site.toml.
2. Install Pelican 4.12 with the YAML front-matter plugin into <work>/pelican-venv (once) and
   build the same corpus cold into <work>/pelican-out with bench/pelicanconf.py.
3. Build with Broadsheet: cold (no output, no cache), again with no change, and after appending
   one sentence to one article (restored afterwards).
4. With --scale, cold-build a corpus twice as large in its own work site.
5. Print every run (wall time, peak memory) and a table of the targets with PASS/FAIL.

Every build runs as a subprocess. Its peak memory is reported three ways: the largest single
process (ru_maxrss from wait4, which on Linux covers the child and every descendant it reaped),
the sum of the RSS of the whole process tree, sampled from /proc every 20 ms, and the sum of its
PSS, sampled every 250 ms. Forked workers share pages copy-on-write with their parent, so the
RSS sum counts those pages once per process: it is an upper bound, the largest process a lower
bound; PSS divides shared pages among their sharers and is the real footprint.

Standard library only. Exits 0 whatever the verdicts (this is a report), 1 if a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
STAMP_FILE = "build-stamp.pickle"  # generator/cache/stamp.py FILE
MAKE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"
PELICAN_CONF = BENCH_DIR / "pelicanconf.py"

NOW = "2026-01-01T00:00:00Z"
PELICAN_REQUIREMENTS = ("pelican[markdown]==4.12.*", "pelican-yaml-metadata>=2.1,<3")
PELICAN_FALLBACK = ("pelican[markdown]>=4,<5", "pelican-yaml-metadata>=2.1,<3")
SAMPLE_SECONDS = 0.020
PSS_SAMPLE_SECONDS = 0.250  # reading smaps_rollup costs ~2 ms per 400 MB process: sample it less often
MIB = 1024 * 1024
PAGE_TARGET_BYTES = 25_000  # "25 KB"
MEMORY_TARGET_BYTES = 300 * MIB
# issue #20's targets, as ratios of Pelican's cold build in the same run
COLD_TARGET, NO_CHANGE_TARGET, ONE_EDIT_TARGET = 0.25, 0.03, 0.05
CODE_SEEN: dict[str, str] = {}  # build label -> code_digest() just before it ran ("end": after all)
EDIT_SENTENCE = "Benchmark edit {n}: this sentence was appended to measure a one-article rebuild."

SITE_TOML = """\
# Written by bench/run.py for the benchmark corpus.
title = "Broadsheet benchmark"
base_url = "https://bench.example/"
# The corpus has duplicate titles within a category: title slugs would collide.
slug_source = "filename"
paginate = 10

[sidebar]
widgets = ["search", "recent", "categories", "taglist"]
"""


class BenchError(Exception):
    """A step failed: the benchmark cannot continue (exit status 1)."""


def log(message: str) -> None:
    """Progress line on stdout, flushed at once so the run can be followed."""
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# Measuring a subprocess
# --------------------------------------------------------------------------------------------

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _has_children_files() -> bool:
    """Whether this kernel offers /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)."""
    return Path(f"/proc/{os.getpid()}/task/{threading.get_native_id()}/children").exists()


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from the children file of each of its threads."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
        except (OSError, ValueError):
            continue
    return kids


def _parent_map() -> dict[int, list[int]]:
    """Children of every process, from a scan of /proc/*/stat (when children files are absent)."""
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1:
            tree.setdefault(int(fields[1]), []).append(int(name))
    return tree


def _pss_bytes(pid: int) -> int:
    """Proportional set size of one process: its private pages plus its share of shared ones."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 if it is gone or a zombie)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Polls the RSS (and, less often, the PSS) of a process and all its descendants.

    Keeps the largest sums seen. PSS divides each shared page among the processes sharing it,
    so the PSS sum is the tree's real footprint; it is costlier to read, hence sampled every
    PSS_SAMPLE_SECONDS only.
    """

    def __init__(self, root: int, interval: float = SAMPLE_SECONDS) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peak_bytes = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self._last_pss = -PSS_SAMPLE_SECONDS
        self._stop_event = threading.Event()
        self._use_children = _has_children_files()

    def _tree(self) -> list[int]:
        parents = None if self._use_children else _parent_map()
        pids, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(_children(pid) if parents is None else parents.get(pid, []))
        return pids

    def sample(self) -> None:
        """Take one sample now."""
        pids = self._tree()
        rss = [r for r in map(_rss_bytes, pids) if r]
        self.peak_bytes = max(self.peak_bytes, sum(rss))
        self.peak_processes = max(self.peak_processes, len(rss))
        now = time.monotonic()
        if now - self._last_pss >= PSS_SAMPLE_SECONDS:
            self._last_pss = now
            self.peak_pss = max(self.peak_pss, sum(map(_pss_bytes, pids)))

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._stop_event.set()
        self.join()


@dataclass
class Run:
    """One measured command."""

    label: str
    argv: list[str]
    wall_s: float
    largest_rss: int  # bytes: ru_maxrss of the child and the descendants it reaped (wait4)
    tree_rss: int  # bytes: the largest sampled sum of RSS over the process tree
    tree_pss: int  # bytes: the largest sampled sum of PSS over the process tree
    processes: int  # the most processes seen alive in the tree at once
    returncode: int
    log_path: str
    summary: str  # the command's summary line (Broadsheet's "built ...", Pelican's "Processed ...")
    timings: str  # Broadsheet's --timings line, if any
    cpu_s: float = 0.0  # user + system time of the child and the descendants it reaped
    walls: list[float] = field(default_factory=list)  # every repetition's wall time (--repeat)

    def log_text(self) -> str:
        """Everything the command printed."""
        return Path(self.log_path).read_text(encoding="utf-8", errors="replace")


SETTLE_SECONDS = 3.0
"""Before each timed run: flush the page cache's dirty pages and let the disk settle, so a run
does not pay for the previous run's writes or the deletion of its output (this machine mounts
its disk with `discard`, and writes back gigabytes after a cold build). Both tools get it."""


def settle() -> None:
    os.sync()
    time.sleep(SETTLE_SECONDS)


# Python's default: bytecode cached in __pycache__. An environment that turns it off (this
# machine's sets PYTHONDONTWRITEBYTECODE=1) has every build compile Broadsheet's own modules
# from source, 0.07 s of each rebuild, which no installed copy pays. Both tools run without it.
BUILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(label: str, argv: Sequence[str], cwd: Path, log_dir: Path) -> Run:
    """Run `argv` in `cwd`, its output to <log_dir>/<label>.log; wall time and peak memory.
    Python's bytecode cache on, whatever the runner's environment says (`BUILD_ENV`)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{label}.log"
    settle()
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env=BUILD_ENV)
        sampler = TreeSampler(proc.pid)
        sampler.sample()
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return Run(label=label, argv=list(argv), wall_s=wall, largest_rss=usage.ru_maxrss * 1024,
               tree_rss=sampler.peak_bytes, tree_pss=sampler.peak_pss, processes=sampler.peak_processes,
               returncode=proc.returncode, log_path=str(log_path), summary=_summary(text),
               cpu_s=usage.ru_utime + usage.ru_stime,
               timings=next((ln for ln in text.splitlines() if ln.startswith("read+markdown")), ""))


def _summary(text: str) -> str:
    """Broadsheet's "built N articles ..." line, or Pelican's "Processed N articles ... in S"."""
    for line in reversed(text.splitlines()):
        if line.startswith("built "):
            return line.strip()
    flat = " ".join(text.split())
    found = re.findall(r"Processed (\d+ articles?).*? in ([\d.]+ seconds)", flat)
    if found:
        return f"processed {found[-1][0]} in {found[-1][1]} (Pelican's own count)"
    return flat[-90:]


def best_of(runs: Sequence[Run]) -> Run:
    """Repetitions of one measure: the fastest run's time, the largest memory figures of them all.

    Other work on the machine only ever slows a build down, so the fastest repetition is the
    best estimate of its time; memory does not get smaller by chance, so the largest is kept.
    """
    fastest = min(runs, key=lambda r: r.wall_s)
    return replace(fastest, label=runs[0].label, largest_rss=max(r.largest_rss for r in runs),
                   tree_rss=max(r.tree_rss for r in runs), tree_pss=max(r.tree_pss for r in runs),
                   processes=max(r.processes for r in runs), walls=[r.wall_s for r in runs])


def repeat_label(label: str, i: int) -> str:
    """The label (and log name) of repetition `i` (0-based) of a measure."""
    return label if i == 0 else f"{label}-r{i + 1}"


def check(run: Run) -> Run:
    """Fail the benchmark when a build failed, showing the end of its output."""
    if run.returncode != 0:
        tail = "\n".join(run.log_text().rstrip().splitlines()[-15:])
        raise BenchError(f"{run.label} failed (exit {run.returncode}); log {run.log_path}:\n{tail}")
    return run


# --------------------------------------------------------------------------------------------
# Corpus and site
# --------------------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    """Hex SHA-256 of one file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_files(content: Path) -> list[Path]:
    """Every article of the corpus, in a fixed order (by relative path)."""
    return sorted(content.glob("*/*.md"), key=lambda p: p.relative_to(content).as_posix())


def corpus_digest(content: Path) -> str:
    """SHA-256 over every article's relative path and bytes."""
    h = hashlib.sha256()
    for path in corpus_files(content):
        h.update(path.relative_to(content).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def ensure_corpus(site: Path, articles: int, seed: int, search: bool = True) -> str:
    """Make <site>/content and <site>/site.toml; reuse a matching corpus. Returns its digest."""
    if not MAKE_CORPUS.is_file():
        raise BenchError(f"corpus generator not found: {MAKE_CORPUS}")
    content = site / "content"
    stamp_path = site / "corpus-stamp.json"
    wanted = {"articles": articles, "seed": seed, "make_corpus_sha256": sha256_file(MAKE_CORPUS)}
    site.mkdir(parents=True, exist_ok=True)
    try:
        stamp = json.loads(stamp_path.read_text())
    except (OSError, ValueError):
        stamp = {}
    digest = corpus_digest(content) if content.is_dir() else ""
    if stamp == {**wanted, "digest": digest} and len(corpus_files(content)) == articles:
        log(f"corpus: reusing {content} ({articles} articles, seed {seed})")
    else:
        log(f"corpus: generating {articles} articles (seed {seed}) into {content} ...")
        stamp_path.unlink(missing_ok=True)
        tmp = site / "content.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(tmp), "--articles", str(articles),
                        "--seed", str(seed)], check=True)
        shutil.rmtree(content, ignore_errors=True)
        tmp.rename(content)
        digest = corpus_digest(content)
        stamp_path.write_text(json.dumps({**wanted, "digest": digest}, indent=2) + "\n")
        log(f"corpus: generated in {time.perf_counter() - started:.1f} s")
    text = SITE_TOML if search else SITE_TOML.replace(
        "paginate = 10\n", "paginate = 10\nsearch = false  # bench --no-search\n")
    (site / "site.toml").write_text(text, encoding="utf-8")
    return digest


class EditGuard:
    """Appends one sentence to an article and restores it, even after an interrupted run.

    The original bytes are saved in <work>/one-edit-backup.json before the edit; a later run
    finds the backup and restores the article before anything else.
    """

    def __init__(self, work: Path, article: Path) -> None:
        self.backup = work / "one-edit-backup.json"
        self.article = article

    @staticmethod
    def recover(work: Path) -> None:
        """Put back an article that an interrupted run left edited."""
        backup = work / "one-edit-backup.json"
        if not backup.exists():
            return
        saved = json.loads(backup.read_text(encoding="utf-8"))
        path = Path(saved["path"])
        if path.exists():
            path.write_text(saved["text"], encoding="utf-8", newline="")
            log(f"restored {path} (left edited by an interrupted run)")
        backup.unlink()

    def __enter__(self) -> EditGuard:
        self._original = self.article.read_text(encoding="utf-8")
        self.backup.write_text(json.dumps({"path": str(self.article), "text": self._original}),
                               encoding="utf-8")
        return self

    def edit(self, n: int) -> None:
        """Write the article with sentences 1..n appended (edit n adds one sentence to edit n-1)."""
        added = "".join(f"\n\n{EDIT_SENTENCE.format(n=i)}" for i in range(1, n + 1))
        self.article.write_text(self._original.rstrip("\n") + added + "\n", encoding="utf-8",
                                newline="")

    def __exit__(self, *exc: object) -> None:
        self.article.write_text(self._original, encoding="utf-8", newline="")
        self.backup.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# Page sizes
# --------------------------------------------------------------------------------------------

@dataclass
class PageSizes:
    """Sizes of the article pages <output>/<category>/<stem>/index.html of every corpus file."""

    count: int
    missing: int
    mean: float
    largest: int
    largest_path: str


def article_page_sizes(content: Path, output: Path) -> PageSizes:
    """The size of each corpus article's page in `output` (layout /:category/:slug/)."""
    sizes: list[tuple[int, str]] = []
    missing = 0
    for md in corpus_files(content):
        page = output / md.parent.name / md.stem / "index.html"
        try:
            sizes.append((page.stat().st_size, page.relative_to(output).as_posix()))
        except OSError:
            missing += 1
    if not sizes:
        return PageSizes(0, missing, 0.0, 0, "")
    largest = max(sizes)
    return PageSizes(len(sizes), missing, sum(s for s, _ in sizes) / len(sizes), *largest)


# --------------------------------------------------------------------------------------------
# Pelican
# --------------------------------------------------------------------------------------------

def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment."""
    return venv / "bin" / "python"


def pelican_versions(python: Path) -> tuple[str, str] | None:
    """(pelican, pelican-yaml-metadata) versions installed for `python`, or None."""
    code = ("import importlib.metadata as m; "
            "print(m.version('pelican'), m.version('pelican-yaml-metadata'))")
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        return None
    pelican, plugin = done.stdout.split()
    return pelican, plugin


def ensure_pelican(work: Path) -> tuple[Path, str]:
    """Pelican in <work>/pelican-venv (created and installed once). Returns (pelican, version)."""
    venv = work / "pelican-venv"
    python = venv_python(venv)
    if not python.exists():
        log(f"pelican: creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    versions = pelican_versions(python)
    if versions is None or not versions[0].startswith("4."):
        for requirements in (PELICAN_REQUIREMENTS, PELICAN_FALLBACK):
            pip_log = work / "logs" / "pelican-pip.log"
            pip_log.parent.mkdir(parents=True, exist_ok=True)
            log(f"pelican: pip install {shlex.join(requirements)} (log {pip_log})")
            with open(pip_log, "ab") as out:
                done = subprocess.run([str(python), "-m", "pip", "install", "-q",
                                       "--disable-pip-version-check", *requirements],
                                      stdout=out, stderr=subprocess.STDOUT)
            versions = pelican_versions(python)
            if done.returncode == 0 and versions is not None:
                break
        else:
            raise BenchError("could not install Pelican 4.x with pip")
    assert versions is not None
    if not versions[0].startswith("4.12"):
        log(f"pelican: note: 4.12 was not available, using {versions[0]}")
    return venv / "bin" / "pelican", f"Pelican {versions[0]} + pelican-yaml-metadata {versions[1]}"


@dataclass
class PelicanResult:
    """Pelican's cold build, kept in <work>/pelican-result.json for --skip-pelican."""

    corpus: str
    version: str
    run: Run
    sizes: PageSizes
    articles_processed: int
    when: str


def run_pelican(work: Path, content: Path, digest: str, repeat: int,
                after_each: Callable[[int], None] | None = None) -> PelicanResult:
    """Pelican's cold build of the corpus (no output folder, no cache), `repeat` times, with
    `after_each(i)` run after the i-th: Broadsheet's cold builds interleaved with Pelican's, so
    a machine slowing down in the middle of the run slows both (issue #20)."""
    pelican, version = ensure_pelican(work)
    log(f"pelican: {version}")
    out = work / "pelican-out"
    argv = [str(pelican), str(content), "-o", str(out), "-s", str(PELICAN_CONF)]
    runs = []
    for i in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / "pelican-cache", ignore_errors=True)
        log("pelican: cold build ...")
        runs.append(check(measure(repeat_label("pelican-cold", i), argv, work, work / "logs")))
        log(f"pelican: cold build {runs[-1].wall_s:.1f} s")
        if after_each is not None:
            after_each(i)
    run = best_of(runs)
    found = re.findall(r"Processed (\d+) articles?", " ".join(run.log_text().split()))
    processed = int(found[-1]) if found else -1
    log(f"pelican: {processed} articles processed")
    return PelicanResult(corpus=digest, version=version, run=run,
                         sizes=article_page_sizes(content, out), articles_processed=processed,
                         when=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))


def load_pelican_result(path: Path, digest: str) -> PelicanResult | None:
    """A previous Pelican result for the same corpus, if one was saved."""
    try:
        data = json.loads(path.read_text())
        if data["corpus"] != digest:
            return None
        return PelicanResult(corpus=data["corpus"], version=data["version"], run=Run(**data["run"]),
                             sizes=PageSizes(**data["sizes"]),
                             articles_processed=data["articles_processed"], when=data["when"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --------------------------------------------------------------------------------------------
# Broadsheet
# --------------------------------------------------------------------------------------------

def broadsheet_command() -> list[str]:
    """The broadsheet executable next to this Python, in the repository's .venv, or on PATH."""
    for candidate in (Path(sys.executable).parent / "broadsheet", REPO / ".venv" / "bin" / "broadsheet"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("broadsheet")
    return [found] if found else [sys.executable, "-m", "generator"]


def code_digest() -> str:
    """SHA-256 of Broadsheet's code and theme in this repository (generator/, templates/, static/).

    Others may edit the repository while the benchmark runs; a change between two builds makes
    the second one re-render pages its cache would have skipped, so the report warns about it.
    """
    h = hashlib.sha256()
    for top in ("generator", "templates", "static"):
        for path in sorted((REPO / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(REPO).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:12]


def broadsheet_build(cmd: list[str], site: Path, label: str, work: Path, jobs: int | None) -> Run:
    """One measured `broadsheet build` of `site`."""
    CODE_SEEN[label] = code_digest()
    argv = [*cmd, "build", "--site", str(site), "--now", NOW, "--timings"]
    if jobs is not None:
        argv += ["--jobs", str(jobs)]
    run = check(measure(label, argv, site, work / "logs"))
    log(f"broadsheet: {label}: {run.wall_s:.2f} s | {run.summary}")
    return run


def broadsheet_cold(cmd: list[str], site: Path, label: str, work: Path, jobs: int | None,
                    repeat: int) -> Run:
    """Cold builds (no output folder and no cache), `repeat` times: the best of them."""
    runs = []
    for i in range(repeat):
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".broadsheet-cache", ignore_errors=True)
        runs.append(broadsheet_build(cmd, site, repeat_label(label, i), work, jobs))
    return best_of(runs)


def built_articles(run: Run) -> int:
    """The article count of Broadsheet's summary line ("built N articles, ...")."""
    found = re.findall(r"built (\d+) articles?", run.summary)
    return int(found[-1]) if found else -1


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def mib(n: float) -> str:
    """Bytes as MiB."""
    return f"{n / MIB:.0f} MiB"


def kb(n: float) -> str:
    """Bytes as KB (1 KB = 1000 bytes)."""
    return f"{n / 1000:.1f} KB"


def verdict(ok: bool | None) -> str:
    """PASS, FAIL or n/a."""
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def table(rows: Sequence[Sequence[str]], left: frozenset[int] = frozenset({0})) -> str:
    """Plain-text table, the first row a header; columns in `left` left-aligned, the rest right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(row: Sequence[str]) -> str:
        cells = [c.ljust(w) if i in left else c.rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def machine_info(broadsheet: list[str], load_at_start: tuple[float, float, float]) -> list[str]:
    """nproc, CPU, memory, load, Python, versions, date and git revision, one per line."""
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        nproc = os.cpu_count() or 0
    cpu = "unknown"
    mem = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal:")))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass

    def out(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, cwd=REPO).stdout.strip()
        except OSError:
            return ""

    version = out([*broadsheet, "--version"]) or "unknown"
    bs_python = Path(broadsheet[0]).parent / "python" if len(broadsheet) == 1 else Path(sys.executable)
    bs_py_version = out([str(bs_python), "-c", "import platform; print(platform.python_version())"])
    revision = out(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    if out(["git", "status", "--porcelain", "--untracked-files=no"]):
        revision += " (with uncommitted changes)"
    return [
        f"date:        {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}",
        f"machine:     {platform.platform()}; nproc {nproc}; {cpu}; {mem} RAM",
        f"load:        1-minute load average {load_at_start[0]:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end (other work on the machine slows the builds)",
        f"python:      runner {platform.python_version()}; broadsheet's {bs_py_version or 'unknown'}"
        f"; bytecode cached (PYTHONDONTWRITEBYTECODE "
        f"{'unset for the builds' if 'PYTHONDONTWRITEBYTECODE' in os.environ else 'not set'})",
        f"broadsheet:  {version} at git {revision}; command {shlex.join(broadsheet)}",
    ]


def ratio(a: float, b: float | None) -> float | None:
    """a / b, or None without b."""
    return a / b if b else None


def fmt_ratio(r: float | None) -> str:
    """A ratio as "0.27x", or "-"."""
    return "-" if r is None else f"{r:.2f}x"


def report(args: argparse.Namespace, runs: list[Run], cold: Run, nochange: Run, edit: Run,
           sizes: PageSizes, pelican: PelicanResult | None, pelican_note: str,
           scale: tuple[Run, int] | None, info: list[str], edit_note: str) -> str:
    """The final report: machine, every run, and the targets table."""
    p_run = pelican.run if pelican else None
    p_wall = p_run.wall_s if p_run else None
    builds = [cold, nochange, edit]
    largest = max(r.largest_rss for r in builds)
    tree = max(r.tree_rss for r in builds)
    pss = max(r.tree_pss for r in builds)

    def time_row(name: str, run: Run, limit: float) -> list[str]:
        r = ratio(run.wall_s, p_wall)
        return [name, f"{run.wall_s:.2f} s", f"{p_wall:.2f} s" if p_wall else "-", fmt_ratio(r),
                f"<= {limit:.2f}x Pelican", verdict(None if r is None else r <= limit)]

    def mem_row(name: str, value: int, p_value: int | None) -> list[str]:
        return [name, mib(value), mib(p_value) if p_value else "-",
                fmt_ratio(ratio(value, p_value)), f"<= {mib(MEMORY_TARGET_BYTES)}",
                verdict(value <= MEMORY_TARGET_BYTES)]

    def size_row(name: str, value: float, p_value: float | None) -> list[str]:
        return [name, kb(value), kb(p_value) if p_value else "-", fmt_ratio(ratio(value, p_value)),
                f"<= {kb(PAGE_TARGET_BYTES)}", verdict(value <= PAGE_TARGET_BYTES if sizes.count else None)]

    rows = [["Measure", "Broadsheet", "Pelican cold", "Ratio", "Target", "Result"],
            time_row("Cold build, wall time", cold, COLD_TARGET),
            time_row("No-change rebuild, wall time", nochange, NO_CHANGE_TARGET),
            [*time_row("  the same without the build stamp", runs[2], NO_CHANGE_TARGET)[:4],
             "(the fallback)", "info"],
            time_row("One-edit rebuild, wall time", edit, ONE_EDIT_TARGET),
            mem_row("Peak RSS (largest process), max of 3 builds", largest,
                    p_run.largest_rss if p_run else None),
            mem_row("Peak RSS (process tree, sampled), max of 3", tree, p_run.tree_rss if p_run else None),
            mem_row("Peak PSS (process tree, sampled), max of 3", pss, p_run.tree_pss if p_run else None),
            size_row("Article page, average size", sizes.mean, pelican.sizes.mean if pelican else None),
            size_row("Article page, largest", sizes.largest, pelican.sizes.largest if pelican else None)]
    if scale is not None:
        big, n = scale
        r = big.wall_s / cold.wall_s
        rows.append([f"Cold build {n:,} / {args.articles:,} articles", fmt_ratio(r), "-", "-",
                     "<= 2.20x", verdict(r <= 2.2)])
    else:
        rows.append([f"Cold build {2 * args.articles:,} / {args.articles:,} articles", "not run",
                     "-", "-", "<= 2.20x", "n/a (--scale)"])

    run_rows = [["Run", "Wall", "RSS largest", "RSS tree", "PSS tree", "Procs", "Output"]]
    for r in ([p_run] if p_run else []) + runs:
        run_rows.append([r.label, f"{r.wall_s:.2f} s", mib(r.largest_rss), mib(r.tree_rss),
                         mib(r.tree_pss), str(r.processes), r.summary])

    repeat_lines = []
    if args.repeat > 1:
        repeat_lines = [f"  {r.label}: every run {', '.join(f'{w:.2f}' for w in r.walls)} s"
                        for r in ([p_run] if p_run else []) + runs] + [""]
    lines = ["", "=" * 100, "Broadsheet benchmark", "=" * 100,
             f"command:     {shlex.join([sys.executable, *sys.argv])}",
             *info,
             f"pelican:     {pelican.version if pelican else 'not run'}{pelican_note}",
             f"corpus:      {args.articles:,} articles, seed {args.seed}, in {args.work.resolve() / 'site'}",
             f"one-edit:    {edit_note}",
             "",
             "Runs (each a subprocess: wall time; peak memory three ways; Procs = most alive at once)"
             + (f"; each the fastest of {args.repeat} runs, memory the largest of them" if args.repeat > 1
                else ""),
             "",
             table(run_rows, left=frozenset({0, 6})),
             "",
             *repeat_lines,
             "Broadsheet stage timings (--timings)",
             "",
             *(f"  {r.label}: {r.timings}" for r in runs),
             "",
             "Targets",
             "",
             table(rows),
             "",
             f"Article pages: Broadsheet {sizes.count:,} found, {sizes.missing} missing, largest "
             f"{sizes.largest_path}"
             + (f"; Pelican {pelican.sizes.count:,} found, {pelican.sizes.missing} missing"
                if pelican else ""),
             "Peak RSS (largest process): ru_maxrss from wait4, the largest single process among the "
             "build and the workers",
             "  it reaped: a lower bound of the build's footprint.",
             "Peak RSS (process tree, sampled): the sum of RSS over the build and its descendants, "
             f"sampled every {SAMPLE_SECONDS * 1000:.0f} ms.",
             "  Forked workers share pages with their parent copy-on-write and this sum counts a shared "
             "page once per",
             "  process, so it DOUBLE-COUNTS shared pages: an upper bound of the footprint.",
             "Peak PSS (process tree, sampled): the sum of PSS (shared pages divided among their "
             "sharers), sampled every",
             f"  {PSS_SAMPLE_SECONDS * 1000:.0f} ms: the real footprint, but sampled less often, so a "
             "short peak can be missed.",
             "Ratios are Broadsheet / Pelican cold. KB = 1000 bytes, MiB = 1024 * 1024 bytes.",
             ]
    if pelican and pelican.articles_processed != args.articles:
        lines.append(f"WARNING: Pelican processed {pelican.articles_processed} articles, not "
                     f"{args.articles}: see {pelican.run.log_path}")
    if len(set(CODE_SEEN.values())) > 1:
        lines.append("WARNING: Broadsheet's code changed during the run (someone edited the repository): "
                     + ", ".join(f"{k} {v}" for k, v in CODE_SEEN.items())
                     + ". A build after a change may redo work its cache would have saved; if a rebuild "
                     "figure looks off, run again.")
    if built_articles(cold) != args.articles:
        lines.append(f"WARNING: Broadsheet built {built_articles(cold)} articles, not {args.articles}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description="Benchmark Broadsheet against Pelican on a synthetic corpus.")
    p.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--work", type=Path, default=BENCH_DIR / "work",
                   help="work folder for corpus, venv, outputs and logs (default bench/work)")
    p.add_argument("--no-search", action="store_true",
                   help="build with search = false (to see what the search index costs)")
    p.add_argument("--skip-pelican", action="store_true",
                   help="do not run Pelican; compare with the last Pelican result for this corpus, if any")
    p.add_argument("--scale", action="store_true",
                   help="also cold-build a corpus of twice --articles and report the time ratio")
    p.add_argument("--repeat", type=int, default=1,
                   help="run each measure N times: fastest time, largest memory (default 1)")
    p.add_argument("--jobs", type=int, default=None,
                   help="pass --jobs N to broadsheet (default: broadsheet's own default)")
    args = p.parse_args(argv)
    if args.articles < 1:
        p.error("--articles must be at least 1")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the whole benchmark and print the report."""
    args = parse_args(argv)
    load_at_start = os.getloadavg()
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    content = site / "content"
    EditGuard.recover(work)
    broadsheet = broadsheet_command()
    try:
        digest = ensure_corpus(site, args.articles, args.seed, not args.no_search)

        pelican: PelicanResult | None
        pelican_note = ""
        saved = work / "pelican-result.json"
        if args.skip_pelican:
            pelican = load_pelican_result(saved, digest)
            pelican_note = (f" (--skip-pelican: figures from the run of {pelican.when})" if pelican
                            else " (--skip-pelican, and no earlier result for this corpus)")
        log(f"broadsheet: {shlex.join(broadsheet)}")
        colds: list[Run] = []
        if args.skip_pelican:
            cold = broadsheet_cold(broadsheet, site, "broadsheet-cold", work, args.jobs, args.repeat)
        else:
            pelican = run_pelican(work, content, digest, args.repeat, lambda i: colds.append(
                broadsheet_cold(broadsheet, site, repeat_label("broadsheet-cold", i), work,
                                args.jobs, 1)))
            saved.write_text(json.dumps(asdict(pelican), indent=2) + "\n")
            cold = best_of(colds)
            log("pairs (Pelican, Broadsheet cold, ratio): " + "; ".join(
                f"{p:.2f} s, {b.wall_s:.2f} s, {b.wall_s / p:.3f}x"
                for p, b in zip(pelican.run.walls, colds, strict=True)))
        sizes = article_page_sizes(content, site / "output")
        nochange = best_of([broadsheet_build(broadsheet, site, repeat_label("broadsheet-no-change", i),
                                             work, args.jobs) for i in range(args.repeat)])
        # The same build with the build stamp removed first: the incremental path (article
        # cache, page fingerprints) that a build takes when the stamp does not hold.
        fulls = []
        for i in range(args.repeat):
            (site / ".broadsheet-cache" / STAMP_FILE).unlink(missing_ok=True)
            fulls.append(broadsheet_build(broadsheet, site, repeat_label(
                "broadsheet-no-change-unstamped", i), work, args.jobs))
        nochange_full = best_of(fulls)

        files = corpus_files(content)
        target = files[len(files) // 2]
        rel = target.relative_to(content).as_posix()
        page = site / "output" / target.parent.name / target.stem / "index.html"
        edits, shown = [], True
        with EditGuard(work, target) as guard:
            for i in range(args.repeat):
                guard.edit(i + 1)
                edits.append(broadsheet_build(broadsheet, site, repeat_label("broadsheet-one-edit", i),
                                              work, args.jobs))
                shown = shown and page.is_file() and (
                    f"Benchmark edit {i + 1}:" in page.read_text(encoding="utf-8"))
        edit = best_of(edits)
        edit_note = f"appended one sentence to content/{rel} (restored afterwards); " + (
            "the rebuilt page shows it" if shown else "WARNING: the rebuilt page does NOT show it")

        runs = [cold, nochange, nochange_full, edit]
        scale: tuple[Run, int] | None = None
        if args.scale:
            n = 2 * args.articles
            big_site = work / f"site-{n}"
            ensure_corpus(big_site, n, args.seed, not args.no_search)
            big = broadsheet_cold(broadsheet, big_site, f"broadsheet-cold-{n}", work, args.jobs,
                                  args.repeat)
            runs.append(big)
            scale = (big, n)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"bench: command failed: {shlex.join(map(str, exc.cmd))} (exit {exc.returncode})",
              file=sys.stderr)
        return 1

    CODE_SEEN["end"] = code_digest()
    print(report(args, runs, cold, nochange, edit, sizes, pelican, pelican_note, scale,
                 machine_info(broadsheet, load_at_start), edit_note), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
