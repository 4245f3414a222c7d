#!/usr/bin/env python3
"""Does each private-API adapter of generator/adapters.py pay? Times it against public code.

    .venv/bin/python bench/private_apis.py [--articles 1000] [--seed 1] [--rounds 5]
                                           [--part markdown|check|both]
                                           [--work bench/work/private-apis]

1. Python-Markdown: `markdown.to_html` over every corpus body with Python-Markdown's own
   `InlineProcessor` (public), with a public-API filter (a tree processor marks text that no
   inline pattern can match as an `AtomicString` before the inline stage and unmarks it after),
   and with `adapters.QuickInlineProcessor` (private). Milliseconds per article.
2. html.parser: `check.extract` over every HTML page of the corpus built by Broadsheet, with the
   whole page fed at once (public), with an `updatepos` override that skips html.parser's line
   counting, with the line memo (which needs the private `between_tags()`: what `broadsheet
   check` does), and with both; then `check_output` whole, three ways.

Each variant runs `--rounds` times, the variants interleaved in rotating order, and the fastest
round's CPU time is printed (other load only ever slows a run, and moves CPU time far less than
wall time). The outputs of the variants are compared: the script stops if a variant changes the
result. Needs the repository's .venv (Broadsheet installed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import markdown as md_lib
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import NOW, ensure_corpus

from generator import adapters, check
from generator import markdown as bmd

REPO = Path(__file__).resolve().parents[1]


def best(rounds: int, variants: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of `rounds` runs of each variant, in CPU seconds of this process (other work on
    a shared machine inflates wall time far more); the variants interleaved, in rotating order."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for r in range(rounds):  # each round starts with the next variant: a run just after a slow,
        for name in names[r % len(names):] + names[: r % len(names)]:  # memory-hungry one is slower
            started = time.process_time()
            variants[name]()
            times[name].append(time.process_time() - started)
    return {name: min(t) for name, t in times.items()}


# --- Python-Markdown ------------------------------------------------------------------------

class _Plain(AtomicString):
    """Text no inline pattern can match, marked for the inline stage to skip."""


class _Mark(Treeprocessor):
    def run(self, root):  # type: ignore[no-untyped-def]
        needs = adapters._any_of(adapters.INLINE_NEEDS)
        for el in root.iter():
            if el.text and not isinstance(el.text, AtomicString) and not needs.search(el.text):
                el.text = _Plain(el.text)
            if el.tail and not isinstance(el.tail, AtomicString) and not needs.search(el.tail):
                el.tail = _Plain(el.tail)


class _Unmark(Treeprocessor):
    def run(self, root):  # type: ignore[no-untyped-def]
        for el in root.iter():
            if type(el.text) is _Plain:
                el.text = str(el.text)
            if type(el.tail) is _Plain:
                el.tail = str(el.tail)


def public_filtered_md() -> md_lib.Markdown:
    """The same Markdown set-up, with the public-API filter around the stock inline stage."""
    md = md_lib.Markdown(
        extensions=["extra", "toc", "codehilite", "sane_lists"],
        extension_configs={"codehilite": {"css_class": bmd.HIGHLIGHT_CLASS, "guess_lang": False},
                           "toc": {"permalink": False}},
        output_format="html")
    md.treeprocessors.register(_Mark(md), "broadsheet_mark", 20.5)
    md.treeprocessors.register(_Unmark(md), "broadsheet_unmark", 19.5)
    return md


def bench_markdown(bodies: list[str], rounds: int) -> None:
    filtered = public_filtered_md()

    def convert(md: md_lib.Markdown) -> list[str]:
        out = []
        for body in bodies:
            md.reset()
            out.append(md.convert(body))
        return out

    plain, quick = bmd._md(False, False), bmd._md(False, True)
    assert type(quick.treeprocessors["inline"]) is adapters.QuickInlineProcessor
    want = convert(plain)
    for name, md in (("public filter", filtered), ("private", quick)):
        if convert(md) != want:
            raise SystemExit(f"markdown: the {name} variant changes the HTML")
    got = best(rounds, {"public": lambda: convert(plain), "public filter": lambda: convert(filtered),
                        "private": lambda: convert(quick)})
    n = len(bodies)
    print(f"Python-Markdown {md_lib.__version__}, {n} corpus bodies, fastest of {rounds} rounds:")
    for name, label in (("public", "InlineProcessor (public)"),
                        ("public filter", "AtomicString marking (public API)"),
                        ("private", "QuickInlineProcessor (private API)")):
        print(f"  {label:<38} {got[name] * 1000 / n:6.3f} ms per article  {got[name]:6.2f} s")
    print(f"  private saves {(got['public'] - got['private']) * 1000 / n:.3f} ms per article against "
          f"public, {(got['public filter'] - got['private']) * 1000 / n:.3f} against public filter")


# --- html.parser ----------------------------------------------------------------------------

class _Positionless(check._Extractor):
    """The extractor without html.parser's line and column counting (check.py had this override
    until the benchmark showed it does not pay once lines are remembered)."""

    def updatepos(self, i: int, j: int) -> int:
        return j


def bench_check(out: Path, rounds: int) -> None:
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    texts = [(out / p).read_bytes().decode("utf-8", errors="replace") for p in pages]
    original = check._Extractor

    def extract_all(parser: type, memo: bool) -> list[list[check.Item]]:
        check._Extractor = parser  # extract() makes its parser from the module's name
        try:
            cache: dict[str, tuple[check.Item, ...]] = {}
            return [check.extract(t, cache if memo else None) for t in texts]
        finally:
            check._Extractor = original

    want = extract_all(original, False)
    for parser, memo in ((_Positionless, False), (original, True), (_Positionless, True)):
        if extract_all(parser, memo) != want:
            raise SystemExit(f"check: {parser.__name__} memo={memo} finds other items")
    variants = {
        "public": lambda: extract_all(original, False),
        "updatepos": lambda: extract_all(_Positionless, False),
        "memo": lambda: extract_all(original, True),
        "both": lambda: extract_all(_Positionless, True),
    }
    got = best(rounds, variants)
    mb = sum(map(len, texts)) / 1e6
    print(f"html.parser of Python {sys.version.split()[0]}, check.extract over {len(pages)} pages "
          f"({mb:.0f} MB), fastest of {rounds} rounds:")
    for name, label in (("public", "whole page fed at once (public)"),
                        ("updatepos", "updatepos override only (private)"),
                        ("memo", "line memo (private: broadsheet check)"),
                        ("both", "line memo + updatepos override")):
        print(f"  {label:<42} {got[name]:6.2f} s")

    # The whole command's share: check_output in one process, public parse against both.
    real_extract = check.extract

    def whole(parser: type, memo: bool) -> Callable[[], object]:
        def run() -> object:
            check._Extractor = parser
            check.extract = (lambda t, m=None: real_extract(t, m if memo else None))  # type: ignore
            try:
                return check.check_output(out, "https://bench.example/", jobs=1)
            finally:
                check._Extractor, check.extract = original, real_extract
        return run

    got = best(rounds, {"public": whole(original, False), "memo": whole(original, True),
                        "both": whole(_Positionless, True)})
    print(f"  check_output --jobs 1: public {got['public']:.2f} s, line memo {got['memo']:.2f} s, "
          f"line memo + updatepos {got['both']:.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--part", choices=("markdown", "check", "both"), default="both")
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "private-apis")
    args = ap.parse_args()
    site = args.work / "site"
    ensure_corpus(site, args.articles, args.seed)
    bodies = [p.read_text(encoding="utf-8").split("---", 2)[-1]
              for p in sorted((site / "content").rglob("*.md"))]
    if args.part != "check":
        bench_markdown(bodies, args.rounds)
    if args.part == "markdown":
        return 0
    broadsheet = Path(sys.executable).with_name("broadsheet")
    subprocess.run([str(broadsheet), "build", "--site", str(site), "--now", NOW], check=True,
                   stdout=subprocess.DEVNULL)
    bench_check(site / "output", args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
