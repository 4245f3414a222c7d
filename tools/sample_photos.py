"""Make the sample site's photos: seeded harbour-town scenes drawn with Pillow, 2400x1600 JPEG.

    .venv/bin/python tools/sample_photos.py       # writes content/<section>/<name>.jpg

They are the sample site's own (made here, so no licence or credit to carry), big enough for
the 1200 px news crops, and raster, so the sample site shows the image stage at work: widths,
WebP, `<picture>`, the crops in JSON-LD and Open Graph. The same seed gives the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SIZE = (2400, 1600)
# name -> (section folder, sky top, sky bottom, sea colour, what stands on the quay)
SCENES = {
    "harbour": ("world", (40, 70, 130), (240, 170, 110), (30, 60, 90), "cranes"),
    "trade-fair": ("world", (90, 110, 150), (210, 210, 220), (70, 80, 95), "halls"),
    "council": ("politics", (70, 110, 170), (200, 220, 240), (60, 80, 100), "dome"),
    "transit": ("politics", (110, 140, 190), (250, 230, 200), (80, 90, 100), "tram"),
    "data": ("science", (20, 30, 60), (60, 90, 150), (20, 40, 70), "towers"),
    "deep-sea": ("science", (10, 40, 80), (30, 110, 140), (5, 30, 60), "reef"),
    "tides": ("science", (60, 90, 140), (180, 200, 210), (40, 80, 110), "wall"),
    "festival": ("culture", (30, 20, 70), (230, 100, 90), (40, 30, 70), "lights"),
    "museum": ("culture", (120, 150, 190), (240, 220, 190), (60, 90, 110), "halls"),
    "grid-battery": ("business", (80, 130, 190), (230, 240, 250), (70, 100, 90), "towers"),
    "markets": ("business", (60, 80, 120), (220, 190, 150), (50, 70, 90), "cranes"),
}


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def scene(name: str) -> Image.Image:
    _, top, bottom, sea, quay = SCENES[name]
    rnd = random.Random(name)
    w, h = SIZE
    horizon = int(h * rnd.uniform(0.55, 0.68))
    im = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(im)
    for y in range(horizon):
        draw.line([(0, y), (w, y)], fill=_mix(top, bottom, y / horizon))
    sun_x, sun_y, r = rnd.randint(300, w - 300), rnd.randint(200, horizon - 150), rnd.randint(70, 140)
    draw.ellipse([sun_x - r, sun_y - r, sun_x + r, sun_y + r], fill=_mix(bottom, (255, 245, 220), 0.7))
    for y in range(horizon, h):
        draw.line([(0, y), (w, y)], fill=_mix(sea, (10, 20, 30), (y - horizon) / (h - horizon) * 0.6))
    for _ in range(160):  # light on the water
        y = rnd.randint(horizon + 5, h - 5)
        x = rnd.randint(0, w)
        draw.line([(x, y), (x + rnd.randint(40, 220), y)], fill=_mix(sea, bottom, rnd.uniform(0.2, 0.6)),
                  width=rnd.randint(2, 6))
    dark = _mix(sea, (0, 0, 0), 0.55)
    x = rnd.randint(0, 200)
    while x < w:
        bw = rnd.randint(80, 260)
        bh = rnd.randint(60, 320)
        if quay == "cranes" and rnd.random() < 0.4:
            draw.line([(x, horizon), (x, horizon - bh - 200)], fill=dark, width=18)
            draw.line([(x - 120, horizon - bh - 200), (x + 260, horizon - bh - 200)], fill=dark, width=14)
        elif quay == "dome" and abs(x - w // 2) < 200:
            draw.rectangle([x, horizon - 260, x + 360, horizon], fill=dark)
            draw.pieslice([x, horizon - 440, x + 360, horizon - 80], 180, 360, fill=dark)
            x += 360
            continue
        elif quay == "lights":
            for _ in range(6):
                lx, ly = x + rnd.randint(0, bw), horizon - rnd.randint(0, bh)
                draw.ellipse([lx - 8, ly - 8, lx + 8, ly + 8], fill=(255, rnd.randint(150, 240), 120))
        elif quay == "reef":
            coral = _mix(sea, (230, 120, 90), 0.5)
            draw.ellipse([x, horizon - bh // 3, x + bw, horizon + bh // 3], fill=coral)
            x += bw + rnd.randint(20, 120)
            continue
        draw.rectangle([x, horizon - bh, x + bw, horizon], fill=dark)
        if quay in ("towers", "halls", "tram"):
            for wy in range(horizon - bh + 20, horizon - 20, 40):
                for wx in range(x + 15, x + bw - 15, 36):
                    if rnd.random() < 0.5:
                        draw.rectangle([wx, wy, wx + 14, wy + 18], fill=_mix(bottom, (255, 230, 160), 0.5))
        x += bw + rnd.randint(10, 140)
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(SIZE, 14).convert("RGB")
    return Image.blend(im, noise, 0.06)


def main() -> None:
    for name, (section, *_rest) in SCENES.items():
        path = ROOT / "content" / section / f"{name}.jpg"
        scene(name).save(path, "JPEG", quality=82, optimize=True, progressive=True)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
