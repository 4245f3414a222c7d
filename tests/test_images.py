"""The image stage end to end: real photos made with Pillow, built through the whole engine,
and the output read back (files opened with Pillow, pages parsed with lxml)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from generator.errors import BuildError

from .conftest import Site


def photo(width: int, height: int, *, fmt: str = "JPEG", split: bool = False,
          exif: Image.Exif | None = None, icc: bytes | None = None, mode: str = "RGB") -> bytes:
    """A photo-like test image: a gradient, or left half red and right half blue (`split`),
    which shows where a crop was taken."""
    if split:
        im = Image.new(mode, (width, height), (220, 20, 20))
        im.paste((20, 20, 220), (width // 2, 0, width, height))
    else:
        im = Image.linear_gradient("L").resize((width, height)).convert(mode)
    buf = io.BytesIO()
    opts: dict[str, object] = {}
    if exif is not None:
        opts["exif"] = exif.tobytes()
    if icc is not None:
        opts["icc_profile"] = icc
    im.save(buf, fmt, **opts)
    return buf.getvalue()


def made(site: Site) -> list[str]:
    """The processed files in the output (img/ also holds the theme's own icons)."""
    return sorted(p.name for p in (site.out / "img").glob("photo-*"))


def body(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


def out_image(site: Site, src: str) -> Image.Image:
    return Image.open(site.out / src.lstrip("/"))


def bundle(site: Site, *, thumbnail: object = None, w: int = 2000, h: int = 1500,
           text: str = "![The harbour at dawn](photo.jpg)", **kw: object) -> None:
    site.write("content/world/harbour/photo.jpg", photo(w, h, **kw))  # type: ignore[arg-type]
    fields: dict[str, object] = {"slug": "harbour"}
    if thumbnail is not None:
        fields["thumbnail"] = thumbnail
    site.article("world/harbour/index.md", "Harbour", body=body("Intro.", text, "More."), **fields)


def test_widths_and_formats_are_written_never_upscaled(site: Site) -> None:
    bundle(site, w=1000, h=750)
    site.build()
    names = made(site)
    widths = {int(m.group(1)) for n in names if (m := re.search(r"-(\d+)\.(webp|jpg)$", n))}
    assert widths == {480, 800, 1000}  # 1200 and 1600 would be upscales of a 1000 px original
    for n in names:
        if re.search(r"-\d+\.(webp|jpg)$", n):
            im = Image.open(site.out / "img" / n)
            assert im.format == ("WEBP" if n.endswith(".webp") else "JPEG")
            w = int(re.search(r"-(\d+)\.", n).group(1))  # type: ignore[union-attr]
            assert im.size == (w, round(w * 750 / 1000))
    # the name carries a hash: photo-<10 hex>-<width>.<ext>
    assert all(re.fullmatch(r"photo-[0-9a-f]{10}-(\d+|16x9|4x3|1x1)\.(webp|jpg)", n) for n in names)


def test_body_image_becomes_picture_with_real_sizes(site: Site) -> None:
    bundle(site, text="![The harbour at dawn](photo.jpg)\n\n![Second](photo.jpg)")
    site.build()
    page = site.html("world/harbour/")
    pictures = page.cssselect(".article__body picture")
    assert len(pictures) == 2
    first, second = (p.cssselect("img")[0] for p in pictures)
    source = pictures[0].cssselect("source")[0]
    assert source.get("type") == "image/webp"
    for entry in source.get("srcset").split(", "):
        url, w = entry.split(" ")
        assert out_image(site, url).size[0] == int(w[:-1])
        assert out_image(site, url).format == "WEBP"
    assert source.get("sizes")
    assert first.get("alt") == "The harbour at dawn"
    real = out_image(site, first.get("src"))
    assert (int(first.get("width")), int(first.get("height"))) == real.size == (1600, 1200)
    assert first.get("fetchpriority") == "high" and first.get("loading") is None
    assert second.get("loading") == "lazy" and second.get("fetchpriority") is None
    assert first.get("decoding") == second.get("decoding") == "async"
    for entry in first.get("srcset").split(", "):
        url, w = entry.split(" ")
        assert out_image(site, url).format == "JPEG" and out_image(site, url).size[0] == int(w[:-1])
    # the original stays at its link, for feeds and list summaries that carry the <img>
    original = site.root / "content/world/harbour/photo.jpg"
    assert (site.out / "world/harbour/photo.jpg").read_bytes() == original.read_bytes()


def test_thumbnail_shown_above_the_body_takes_the_priority(site: Site) -> None:
    bundle(site, thumbnail="photo.jpg")
    site.build()
    page = site.html("world/harbour/")
    lead = page.cssselect("figure.thumbnail--post picture img")[0]
    assert lead.get("fetchpriority") == "high"
    body_img = page.cssselect(".article__body picture img")[0]
    assert body_img.get("loading") == "lazy" and body_img.get("fetchpriority") is None
    listed = site.html("").cssselect("figure.thumbnail--list picture img")[0]
    assert listed.get("loading") == "lazy"
    assert out_image(site, listed.get("src")).size == (int(listed.get("width")),
                                                       int(listed.get("height")))


def _jsonld(site: Site, rel: str) -> dict[str, object]:
    script = site.html(rel).cssselect('script[type="application/ld+json"]')[0]
    return json.loads(script.text)  # type: ignore[no-any-return]


def _local(site: Site, url: str) -> Path:
    assert url.startswith("https://example.com/"), url
    return site.out / url.removeprefix("https://example.com/")


def test_crops_for_top_stories_in_jsonld_and_open_graph(site: Site) -> None:
    site.write("site.toml", 'base_url = "https://example.com/"\n')
    bundle(site, thumbnail="photo.jpg", w=3000, h=2000)
    result = site.build()
    assert not [w for w in result.warnings if "crop" in w.message]
    images = _jsonld(site, "world/harbour/")["image"]
    assert isinstance(images, list) and len(images) == 3
    ratios = set()
    for item in images:
        im = Image.open(_local(site, item["url"]))
        assert im.size == (item["width"], item["height"])
        assert im.width >= 1200
        ratios.add(round(im.width / im.height, 4))
    assert ratios == {round(16 / 9, 4), round(4 / 3, 4), 1.0}
    page = site.html("world/harbour/")
    meta = {m.get("property"): m.get("content") for m in page.cssselect("meta[property]")}
    card = Image.open(_local(site, meta["og:image"]))
    assert card.size == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 675)
    assert meta["og:image:type"] == "image/jpeg"
    robots = page.cssselect('meta[name="robots"]')
    assert [m.get("content") for m in robots] == ["max-image-preview:large"]


def test_first_body_image_is_the_article_image_without_a_thumbnail(site: Site) -> None:
    site.write("site.toml", 'base_url = "https://example.com/"\n')
    bundle(site, w=2400, h=1600)
    site.build()
    images = _jsonld(site, "world/harbour/")["image"]
    assert len(images) == 3 and all(_local(site, i["url"]).is_file() for i in images)
    page = site.html("world/harbour/")
    assert not page.cssselect("figure.thumbnail")  # it is not shown as a thumbnail too
    assert not site.html("").cssselect("figure.thumbnail")


def test_too_small_for_the_crops_warns(site: Site) -> None:
    bundle(site, thumbnail="photo.jpg", w=900, h=600)
    result = site.build()
    crops = [w for w in result.warnings if "crop" in w.message]
    assert crops and all(w.path == "world/harbour/index.md" and "photo.jpg" in w.message
                         for w in crops)
    assert any("16:9 crop is only 896 px" in w.message for w in crops)


def _mean_red_minus_blue(path: Path) -> float:
    r, _, b = Image.open(path).convert("RGB").resize((1, 1), Image.BOX).getpixel((0, 0))
    return float(r - b)


@pytest.mark.parametrize(("focus", "side"), [([0.0, 0.5], "red"), ([1.0, 0.5], "blue")])
def test_focal_point_moves_the_crop(site: Site, focus: list[float], side: str) -> None:
    site.write("site.toml", 'base_url = "https://example.com/"\n')
    bundle(site, thumbnail={"src": "photo.jpg", "focus": focus}, w=3200, h=1600, split=True)
    site.build()
    square = next(i for i in _jsonld(site, "world/harbour/")["image"]
                  if i["width"] == i["height"])
    tone = _mean_red_minus_blue(_local(site, square["url"]))
    assert tone > 150 if side == "red" else tone < -150


def test_centre_is_the_default_focus(site: Site) -> None:
    site.write("site.toml", 'base_url = "https://example.com/"\n')
    bundle(site, thumbnail="photo.jpg", w=3200, h=1600, split=True)
    site.build()
    square = next(i for i in _jsonld(site, "world/harbour/")["image"]
                  if i["width"] == i["height"])
    assert abs(_mean_red_minus_blue(_local(site, square["url"]))) < 20  # half red, half blue


def test_second_build_processes_nothing_and_removed_images_are_cleaned_up(site: Site) -> None:
    bundle(site, thumbnail="photo.jpg")
    first = site.build()
    assert [t for t, _ in first.timings if t.startswith("images")] == ["images (1 made)"]
    second = site.build()
    assert [t for t, _ in second.timings if t.startswith("images")] == ["images (0 made)"]
    assert not [w for w in second.written if w.startswith("img/")]
    assert second.written == ()
    old = made(site)
    site.article("world/harbour/index.md", "Harbour", slug="harbour", body="No pictures now.\n")
    third = site.build()
    assert sorted(Path(r).name for r in third.removed if r.startswith("img/")) == old
    assert made(site) == []


def test_changed_photo_gets_new_names_and_pages_follow(site: Site) -> None:
    bundle(site)
    site.build()
    before = site.html("world/harbour/").cssselect(".article__body img")[0].get("src")
    site.write("content/world/harbour/photo.jpg", photo(1800, 1200))
    result = site.build()
    after = site.html("world/harbour/").cssselect(".article__body img")[0].get("src")
    assert before != after and out_image(site, after).size == (1600, round(1600 * 1200 / 1800))
    assert "world/harbour/index.html" in result.written
    assert not (site.out / before.lstrip("/")).exists()


def test_orientation_applied_metadata_stripped_credit_and_profile_kept(site: Site) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    exif[0x8298] = "(c) Harbour Photo Agency"
    exif[0x010F] = "CameraMaker"  # Make: stripped
    exif[0x9003] = "2025:01:01 10:00:00"  # stripped
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    bundle(site, w=2000, h=1000, exif=exif, icc=icc)
    site.build()
    img = site.html("world/harbour/").cssselect(".article__body img")[0]
    out = out_image(site, img.get("src"))
    assert out.size == (1000, 2000)  # portrait once the orientation is applied
    kept = out.getexif()
    assert kept.get(0x8298) == "(c) Harbour Photo Agency"
    assert 0x0112 not in kept and 0x010F not in kept
    assert out.info.get("icc_profile") == icc
    webp = site.html("world/harbour/").cssselect(".article__body source")[0].get("srcset")
    assert out_image(site, webp.split(", ")[-1].split(" ")[0]).info.get("icc_profile") == icc


def test_png_with_alpha_falls_back_to_png(site: Site) -> None:
    im = Image.new("RGBA", (900, 600), (10, 200, 10, 128))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    site.write("content/world/logo.png", buf.getvalue())
    site.article("world/story.md", body="![Logo](/world/logo.png)\n", slug="story")
    site.build()
    img = site.html("world/story/").cssselect(".article__body img")[0]
    assert out_image(site, img.get("src")).format == "PNG"
    assert out_image(site, img.get("src")).mode == "RGBA"


def test_svg_and_gif_pass_through_untouched(site: Site) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    gif = photo(40, 30, fmt="GIF")
    site.write("content/world/harbour/map.svg", svg)
    site.write("content/world/harbour/anim.gif", gif)
    site.article("world/harbour/index.md", "Harbour", slug="harbour",
                 body="![Map](map.svg)\n\n![Anim](anim.gif)\n")
    site.build()
    assert (site.out / "world/harbour/map.svg").read_bytes() == svg
    assert (site.out / "world/harbour/anim.gif").read_bytes() == gif
    assert not site.html("world/harbour/").cssselect("picture")


def test_static_images_still_work_and_are_processed(site: Site) -> None:
    site.write("static/img/wire.jpg", photo(1300, 800))
    site.article("world/story.md", body="![Wire](/img/wire.jpg)\n", slug="story",
                 thumbnail="/img/wire.jpg")
    site.build()
    assert (site.out / "img/wire.jpg").is_file()  # static/ is copied as before
    img = site.html("world/story/").cssselect(".article__body picture img")[0]
    assert out_image(site, img.get("src")).size == (1300, 800)


def test_avif_format_setting(site: Site) -> None:
    site.write("site.toml", '[images]\nformat = "avif"\nwidths = [320, 640]\n')
    bundle(site, w=1000, h=700)
    site.build()
    source = site.html("world/harbour/").cssselect(".article__body source")[0]
    assert source.get("type") == "image/avif"
    urls = [e.split(" ")[0] for e in source.get("srcset").split(", ")]
    assert [out_image(site, u).format for u in urls] == ["AVIF", "AVIF"]
    assert [out_image(site, u).width for u in urls] == [320, 640]


def _error(site: Site) -> str:
    with pytest.raises(BuildError) as info:
        site.build(jobs=1)
    return str(info.value)


def _warnings(site: Site) -> list[str]:
    return [w.format("warning") for w in site.build(jobs=1).warnings]


def test_missing_image_is_an_error_naming_article_and_image(site: Site) -> None:
    """A missing file would be a broken picture on the page: an error, and every article with one
    is named in the same run, not only the first."""
    site.article("world/story.md", body="![Gone](gone.jpg)\n", slug="story")
    site.article("world/other.md", body="![Also gone](/img/none.png)\n", slug="other")
    message = _error(site)
    assert "world/story.md" in message and "'world/story/gone.jpg' not found" in message
    assert "world/other.md" in message and "'img/none.png' not found" in message
    assert "2 error(s) in 2 files" in message
    assert not (site.root / "output" / "index.html").exists()  # no half-written site


def test_missing_thumbnail_is_an_error(site: Site) -> None:
    site.article("world/story.md", slug="story", thumbnail="nowhere.jpg")
    message = _error(site)
    assert "world/story.md" in message and "'nowhere.jpg' not found" in message
    assert "[thumbnail]" in message
    assert message.count("nowhere.jpg") == 1  # said once: the reference check does not repeat it


def test_not_an_image_is_an_error(site: Site) -> None:
    site.write("content/world/harbour/photo.jpg", b"this is a text file, not a photo\n")
    site.article("world/harbour/index.md", slug="harbour", body="![x](photo.jpg)\n")
    message = _error(site)
    assert "world/harbour/index.md" in message and "photo.jpg" in message
    assert "is not an image Pillow can read" in message


def test_truncated_image_is_an_error(site: Site) -> None:
    data = photo(1200, 900)
    site.write("content/world/harbour/photo.jpg", data[: len(data) // 2])
    site.article("world/harbour/index.md", slug="harbour", body="![x](photo.jpg)\n")
    message = _error(site)
    assert "world/harbour/index.md" in message and "is truncated or damaged" in message


def test_decompression_bomb_is_an_error(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000 * 1000)
    bundle(site, w=1200, h=1000)
    message = _error(site)
    assert "world/harbour/index.md" in message and "decompression bomb" in message
    assert "1200000 pixels" in message


def test_path_leaving_the_site_folder_is_an_error(site: Site, tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(photo(100, 100))
    site.article("world/story.md", slug="story", thumbnail="../../../secret.jpg")
    message = _error(site)
    assert "world/story.md" in message and "leaves the site folder" in message


def test_bad_focus_is_an_error(site: Site) -> None:
    bundle(site, thumbnail={"src": "photo.jpg", "focus": [2, 0.5]})
    message = _error(site)
    assert "[thumbnail]" in message and "from 0 (left, top) to 1" in message


def test_nothing_is_written_outside_the_output_folder(site: Site) -> None:
    bundle(site, thumbnail="photo.jpg")
    before = {p for p in site.root.rglob("*") if p.is_file()}
    site.build(jobs=2)
    new = {p for p in site.root.rglob("*") if p.is_file()} - before
    outside = [p for p in new if site.out not in p.parents
               and site.root / ".broadsheet-cache" not in p.parents]
    assert outside == []
    manifest = json.loads((site.out / ".broadsheet-manifest.json").read_text())["files"]
    on_disk = {f"img/{n}" for n in made(site)}
    assert on_disk and on_disk <= set(manifest)


def test_parallel_and_serial_builds_give_the_same_images(make_site: object) -> None:
    sites = [make_site(n) for n in ("one", "two")]  # type: ignore[operator]
    for s in sites:
        for i in range(5):
            s.write(f"content/world/s{i}/photo.jpg", photo(1300 + 10 * i, 900))
            s.article(f"world/s{i}/index.md", f"Story {i}", slug=f"s{i}",
                      body="![p](photo.jpg)\n")
    sites[0].build(jobs=1)
    sites[1].build(jobs=2)
    files = [{p.name: p.read_bytes() for p in (s.out / "img").glob("photo-*")} for s in sites]
    assert files[0] == files[1] and len(files[0]) > 20


WIRE = """Harbour reopens after storm
The port was closed for a week.
Ships returned on Friday morning after repairs to the sea wall.
Image | Cranes at dawn
Caption: Cranes over the container berth (Photo: Ana Ruiz/Wire)
Dock workers said the backlog would clear within days.
Image | The sea wall
Caption: The repaired sea wall (Wire)
Image | A third picture with no file
"""


def test_wire_photos_named_in_the_sidecar_replace_the_placeholders(site: Site) -> None:
    site.write("content/world/wire.txt", WIRE)
    site.write("content/world/wire.yaml", "date: 2025-02-01 10:00:00\nslug: wire\n"
                                           "images: [cranes.jpg, /img/wall.jpg]\n")
    site.write("content/world/cranes.jpg", photo(1600, 1000))
    site.write("static/img/wall.jpg", photo(1300, 900))
    result = site.build()
    page = site.html("world/wire/")
    figures = page.cssselect(".article__body figure.figure")
    assert len(figures) == 3
    first, second, third = figures
    img = first.cssselect("picture img")[0]
    assert img.get("alt") == "Cranes at dawn"
    assert out_image(site, img.get("src")).size == (int(img.get("width")), int(img.get("height")))
    assert first.cssselect(".figure__caption")[0].text == "Cranes over the container berth"
    assert first.cssselect(".figure__credit")[0].text == "Photo: Ana Ruiz/Wire"
    assert out_image(site, second.cssselect("picture img")[0].get("src")).width == 1300
    assert "figure--placeholder" in third.get("class")  # no file for it: still a placeholder
    assert not [w for w in result.warnings if "images" in w.message]


def test_wire_sidecar_images_must_be_a_list(site: Site) -> None:
    site.write("content/world/wire.txt", WIRE)
    site.write("content/world/wire.yaml", "date: 2025-02-01 10:00:00\nimages: cranes.jpg\n")
    message = _error(site)
    assert "world/wire.yaml" in message and "[images]" in message and "a list of image" in message


def test_a_site_with_the_builtin_theme_ships_no_sample_pictures(site: Site) -> None:
    """The sample site's photos and portraits are its own content, not the theme's."""
    site.article("world/story.md", slug="story")
    site.build()
    shipped = sorted(p.relative_to(site.out).as_posix() for p in (site.out / "img").rglob("*"))
    assert shipped == ["img/favicon.svg"]
