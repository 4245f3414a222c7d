"""Benchmark of the image stage: N photos of about 4000x3000 pixels through `broadsheet build`,
cold (no cache, no output) and warm (nothing changed), with wall time, CPU use and peak memory.

    python3 bench/images.py                      # 1,000 photos in bench/work/images/
    python3 bench/images.py --photos 100 --work /tmp/img-bench

The photos are made by this script (seeded, so every run sees the same bytes): smooth colour
noise scaled up, which a JPEG encoder finds about as hard as a real photo (~1.8 MB each). Each
article is a leaf folder whose `photo.jpg` is both its thumbnail (so the 16x9, 4x3 and 1x1 crops
are made) and its body image. The search index is off: this measures images, not search.

Memory is sampled from /proc over the build's process tree (bench/run.py's TreeSampler); CPU
use is the tree's user + system time over the wall time (2.0 = both cores busy all along).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench_run  # noqa: E402  (bench/ is not a package)

NOW = "2026-01-10T12:00:00+00:00"


def make_photo(args: tuple[Path, int, int, int]) -> None:
    from PIL import Image

    path, seed, width, height = args
    if path.exists():
        return
    import random

    random.seed(seed)
    small = (width // 10, height // 10)
    bands = [Image.effect_noise(small, random.randint(30, 70)),
             Image.linear_gradient("L").rotate(random.randint(0, 359)).resize(small),
             Image.effect_noise(small, random.randint(20, 50))]
    im = Image.merge("RGB", bands).resize((width, height), Image.BICUBIC)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, path)


def make_site(site: Path, photos: int, width: int, height: int) -> None:
    content = site / "content" / "photos"
    (site / "site.toml").parent.mkdir(parents=True, exist_ok=True)
    (site / "site.toml").write_text('title = "Image bench"\nbase_url = "https://bench.example/"\n'
                                    "search = false\n", encoding="utf-8")
    tasks = []
    for i in range(photos):
        folder = content / f"p{i:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        md = folder / "index.md"
        if not md.exists():
            md.write_text(f"---\ntitle: Photo story {i}\ndate: 2026-01-01 10:00:00\n"
                          f"slug: photo-{i:04d}\nthumbnail: photo.jpg\n---\n\nIntro {i}.\n\n"
                          "![A photo](photo.jpg)\n", encoding="utf-8")
        tasks.append((folder / "photo.jpg", i, width, height))
    with mp.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        for n, _ in enumerate(pool.imap_unordered(make_photo, tasks, chunksize=4), 1):
            if n % 100 == 0:
                print(f"  made {n} photos", flush=True)


def measure(label: str, site: Path, python: str) -> dict[str, object]:
    """One build through bench/run.py's `measure` (settle, process-tree memory sampler, wait4)."""
    argv = [python, "-m", "generator", "build", "--site", str(site), "--now", NOW, "--timings"]
    run = bench_run.measure(label, argv, site, site.parent / "logs")
    if run.returncode != 0:
        sys.exit(f"{label}: the build failed:\n{run.log_text()}")
    stage = next((part for part in run.timings.split("  ") if part.startswith("images (")), "")
    return {"label": label, "wall": run.wall_s, "cpu": run.cpu_s, "busy": run.cpu_s / run.wall_s,
            "largest": run.largest_rss / 2**20, "tree_rss": run.tree_rss / 2**20,
            "tree_pss": run.tree_pss / 2**20, "procs": run.processes, "stage": stage,
            "summary": run.summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "images")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    site = args.work / f"site-{args.photos}-{args.size}"
    print(f"photos: {args.photos} of {width}x{height} in {site}", flush=True)
    make_site(site, args.photos, width, height)
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".broadsheet-cache", ignore_errors=True)
    runs = [measure("cold", site, sys.executable), measure("warm", site, sys.executable)]
    print(f"\n{'Run':6} {'Wall':>9} {'CPU':>9} {'Busy':>5} {'Largest':>9} {'RSS tree':>9} "
          f"{'PSS tree':>9} {'Procs':>5}  stage")
    for r in runs:
        print(f"{r['label']:6} {r['wall']:8.2f}s {r['cpu']:8.2f}s {r['busy']:5.2f} "
              f"{r['largest']:6.0f} MiB {r['tree_rss']:5.0f} MiB {r['tree_pss']:5.0f} MiB "
              f"{r['procs']:5}  {r['stage']}")
    for r in runs:
        print(f"  {r['label']}: {r['summary']}")
    cold, warm = runs
    checks = [("cold run keeps both cores busy (CPU/wall >= 1.7)", cold["busy"] >= 1.7),
              ("cold run peak PSS of the tree < 300 MiB", cold["tree_pss"] < 300),
              ("warm run image stage well under a second", _seconds(warm["stage"]) < 0.5)]
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")


def _seconds(stage: str) -> float:
    try:
        return float(stage.rsplit(" ", 1)[1].rstrip("s"))
    except (IndexError, ValueError):
        return float("inf")


if __name__ == "__main__":
    main()
