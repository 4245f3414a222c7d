"""The image stage: articles' raster images -> responsive widths, a modern format beside a
JPEG/PNG fallback, and 16x9/4x3/1x1 crops for Google's Top Stories and Discover.

It runs after the articles are read and before the site model is built (`process_articles`):
each image an article uses (its thumbnail, the `<img>`s of its body) is found beside the
article in `content/` or in `static/`, decoded once, resized and encoded in forked workers, and
kept in `.broadsheet-cache/images/` by the source's bytes and the settings, so a no-change
rebuild only stats files. Articles come back with `thumbnail.picture` set; the body's `<img>`s
become `<picture>` at render time (`picture_html`), so the cached article bodies stay as they are.

SVG and GIF pass through untouched (an SVG is already responsive; resizing a GIF drops its
animation). Output names carry a hash of the source and the settings, so a changed photo gets
new URLs and deploys can cache images for a year.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from . import workers
from .cache.keys import CACHE_DIR
from .config import Config
from .errors import ContentError, Report
from .model import Article, Image, Picture, Variant
from .output import Writer, digest
from .urls import slugify

VERSION = "1"  # bump when the processing changes what it writes for the same input
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".tif", ".tiff")
PASS_THROUGH = (".svg", ".gif")
CROPS = (("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1))
CROP_WIDTH = 1200  # Google: article images at least 1200 px wide for Top Stories and Discover
PARALLEL_MIN = 4  # below this many images to make, forking costs more than it saves
_EXIF_KEPT = (0x8298, 0x013B)  # Copyright, Artist: the credit survives the metadata strip
MIME = {"webp": "image/webp", "avif": "image/avif", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True, slots=True)
class Settings:
    widths: tuple[int, ...]
    fmt: str
    quality: int

    @classmethod
    def of(cls, config: Config) -> Settings:
        return cls(tuple(config.image_widths), config.image_format, config.image_quality)


@dataclass(frozen=True, slots=True)
class Job:
    """One image to make: the source file, its output stem, and whether it needs the crops."""

    path: Path
    stem: str
    key: str  # hash of the source bytes, the settings and the focal point
    focus: tuple[float, float] | None  # None: no crops (a body image that is not the lead)


@dataclass(frozen=True, slots=True)
class Use:
    """Where an article uses an image, for error messages."""

    article: str
    field: str  # "thumbnail" or "body"
    src: str  # as written


class ImageProblem(Exception):
    """A source that cannot be processed; the message says why (the caller names the article)."""


# --- finding an article's images -----------------------------------------------------------

_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ATTR = re.compile(r'\s([a-zA-Z-]+)(?:="([^"]*)")?')


def _is_local(src: str) -> bool:
    return bool(src) and not src.startswith(("//", "data:")) and ":" not in src.split("/", 1)[0]


def _site_path(src: str, page_path: str, base_path: str) -> str:
    """An `<img src>` of a body as a site path, resolved as the browser would on the page."""
    target = urljoin("/" + page_path, src.split("#", 1)[0].split("?", 1)[0])
    if base_path != "/" and target.startswith(base_path):
        target = "/" + target[len(base_path):]
    return unquote(target.lstrip("/"))


def locate(config: Config, article: Article, link: str, written: str | None,
           static: dict[str, Path]) -> Path | None:
    """The file an image reference means: beside the article in content/ first (a leaf
    folder's `photo.jpg`), then the site's or theme's static/, then the same path in content/.

    `link` is the site path the reference resolves to; `written`, when given, is the reference
    as the editor wrote it relative to the article's source folder (a thumbnail). A reference
    that leaves the site folder raises ImageProblem."""
    site = config.site_dir.resolve()
    content = site / "content"
    folder = (content / article.source).parent
    candidates = []
    if written is not None and not written.startswith("/"):
        candidates.append(folder / written)
    if link.startswith(article.path) and article.path:
        candidates.append(folder / link[len(article.path):])
    for path in candidates:
        resolved = path.resolve()
        if resolved != site and site not in resolved.parents:
            raise ImageProblem(f"{written or link!r} leaves the site folder; images must be in "
                               "content/ or static/")
        if resolved.is_file():
            return resolved
    if link in static:
        return static[link]
    beside = (content / link).resolve()
    if content in beside.parents and beside.is_file():
        return beside
    return None


# --- processing one image (in a worker) ------------------------------------------------------


def _kept_exif(im: Any) -> bytes | None:
    from PIL import Image as PILImage

    exif = im.getexif()
    kept = PILImage.Exif()
    for tag in _EXIF_KEPT:
        if exif.get(tag):
            kept[tag] = exif[tag]
    return kept.tobytes() if len(kept) else None


def _widths(original: int, wanted: tuple[int, ...]) -> list[int]:
    """The settings' widths below the original's, plus the original's own when it is narrower
    than the largest: never an upscale."""
    out = [w for w in wanted if w < original]
    if original <= max(wanted):
        out.append(original)
    return out


def crop_box(size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]
             ) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside `size`, centred on the focal point as far as the
    edges allow."""
    w, h = size
    rw, rh = ratio
    if w * rh > h * rw:  # wider than the ratio: full height
        ch, cw = h, h * rw // rh
    else:
        cw, ch = w, w * rh // rw
    left = min(max(round(focus[0] * w - cw / 2), 0), w - cw)
    top = min(max(round(focus[1] * h - ch / 2), 0), h - ch)
    return left, top, left + cw, top + ch


def _encode(im: Any, fmt: str, quality: int, icc: bytes | None, exif: bytes | None) -> bytes:
    import io

    buf = io.BytesIO()
    opts: dict[str, Any] = {}
    if icc:
        opts["icc_profile"] = icc
    if exif:
        opts["exif"] = exif
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=quality, progressive=True, **opts)
    elif fmt == "png":
        im.save(buf, "PNG", optimize=False, **opts)
    elif fmt == "webp":
        # method 2 of 0-6: measured 2-3x faster than the default 4 for a few % more bytes
        im.save(buf, "WEBP", quality=quality, method=2, **opts)
    else:
        im.save(buf, "AVIF", quality=quality, speed=8, **opts)
    return buf.getvalue()


def make(job: Job, settings: Settings, folder: Path) -> dict[str, Any]:
    """Decode `job.path` once and write its widths and crops into `folder`; returns the meta
    record (what `Picture` is made from). Raises ImageProblem for a source Pillow refuses."""
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and raises only at twice that: refuse at the limit
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            im = PILImage.open(job.path)
            ow, oh = im.size
            orientation = im.getexif().get(0x0112, 1)
            if orientation in (5, 6, 7, 8):
                ow, oh = oh, ow
            exif = _kept_exif(im)
            icc = im.info.get("icc_profile")
            widths = _widths(ow, settings.widths)
            need_w = max(widths)
            need_h = round(need_w * oh / ow)
            if job.focus is not None:
                need_w, need_h = max(need_w, min(ow, CROP_WIDTH)), max(need_h, min(oh, CROP_WIDTH))
            if im.format == "JPEG":  # decode at the smallest scale that still covers the need
                im.draft("RGB", (need_h, need_w) if orientation in (5, 6, 7, 8) else (need_w, need_h))
            im.load()
    except PILImage.DecompressionBombWarning as exc:
        raise ImageProblem(f"is a decompression bomb: {exc}") from None
    except PILImage.DecompressionBombError as exc:
        raise ImageProblem(f"is a decompression bomb: {exc}") from None
    except UnidentifiedImageError:
        raise ImageProblem("is not an image Pillow can read (use JPEG, PNG, WebP, AVIF or "
                           "TIFF)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"is truncated or damaged: {exc}") from None
    im = ImageOps.exif_transpose(im)
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if im.mode == "CMYK" and icc:
        from PIL import ImageCms

        src_profile = ImageCms.ImageCmsProfile(__import__("io").BytesIO(icc))
        im = ImageCms.profileToProfile(im, src_profile, ImageCms.createProfile("sRGB"),
                                       outputMode="RGB")
        icc = None  # the pixels are sRGB now, which needs no profile
    im = im.convert("RGBA" if alpha else "RGB")
    fallback = "png" if alpha else "jpeg"
    dw, dh = im.size  # after a draft, a fraction of the original
    variants: list[dict[str, Any]] = []
    crops: list[dict[str, Any]] = []
    warnings_: list[str] = []

    def put(name: str, data: bytes, w: int, h: int, fmt: str, into: list[dict[str, Any]],
            **extra: Any) -> None:
        (folder / name).write_bytes(data)
        into.append({"name": name, "width": w, "height": h, "mime": MIME[fmt],
                     "digest": digest(data), "size": len(data), **extra})

    base = im
    for w in sorted(widths, reverse=True):
        h = max(1, round(w * oh / ow))
        # each width from the one above it: a third of the resampling work of starting from the
        # full decode each time, and no visible difference at these ratios
        small = base if base.size == (w, h) else base.resize((w, h), PILImage.LANCZOS)
        base = small
        for fmt in (settings.fmt, fallback):
            ext = "jpg" if fmt == "jpeg" else fmt
            put(f"{job.stem}-{job.key[:10]}-{w}.{ext}",
                _encode(small, fmt, settings.quality, icc, exif), w, h, fmt, variants)
    if job.focus is not None:
        for name, rw, rh in CROPS:
            box = crop_box((dw, dh), (rw, rh), job.focus)
            native = (box[2] - box[0]) * ow // dw  # the crop's width in original pixels
            w = CROP_WIDTH if native >= CROP_WIDTH else native // rw * rw
            if w < CROP_WIDTH:
                warnings_.append(f"the {rw}:{rh} crop is only {w} px wide (Google asks for at "
                                 f"least {CROP_WIDTH} px for Top Stories and Discover)")
            w = max(w, rw)
            h = w * rh // rw
            part = im.crop(box).resize((w, h), PILImage.LANCZOS, reducing_gap=2.0)
            ext = "jpg" if fallback == "jpeg" else "png"
            put(f"{job.stem}-{job.key[:10]}-{name}.{ext}",
                _encode(part, fallback, settings.quality, icc, exif), w, h, fallback, crops,
                ratio=name)
    return {"width": ow, "height": oh, "variants": variants, "crops": crops,
            "warnings": warnings_}


# --- the cache -------------------------------------------------------------------------------


class ImageCache:
    """`.broadsheet-cache/images/`: one folder of outputs per key (with its `meta.json`), and
    `index.json`: a stat index (path -> mtime, size, bytes hash) so an unchanged source is not
    read again, and the meta records of the last build's images, so a no-change build reads
    one file instead of one per image (measured: 1,000 meta.json reads were most of a warm
    stage's time)."""

    def __init__(self, config: Config, enabled: bool) -> None:
        self.root = config.site_dir / CACHE_DIR / "images"
        self.enabled = enabled
        self.index: dict[str, list[Any]] = {}
        self.metas: dict[str, dict[str, Any]] = {}
        if enabled:
            try:
                data = json.loads((self.root / "index.json").read_text("utf-8"))
                self.index, self.metas = dict(data["sources"]), dict(data["metas"])
            except (OSError, ValueError, KeyError, TypeError):
                self.index, self.metas = {}, {}
        self.used: set[str] = set()
        self.changed = False

    def source_hash(self, path: Path) -> str:
        st = path.stat()
        known = self.index.get(str(path))
        if known and known[0] == st.st_mtime_ns and known[1] == st.st_size:
            return str(known[2])
        h = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        self.index[str(path)] = [st.st_mtime_ns, st.st_size, h]
        self.changed = True
        return h

    def folder(self, key: str) -> Path:
        return self.root / key[:2] / key

    def meta(self, key: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        self.used.add(key)
        folder = self.folder(key)
        if key in self.metas and folder.is_dir():
            return self.metas[key]
        try:
            meta = dict(json.loads((folder / "meta.json").read_text("utf-8")))
        except (OSError, ValueError):
            return None
        self.put(key, meta)
        return meta

    def put(self, key: str, meta: dict[str, Any]) -> None:
        self.used.add(key)
        self.metas[key] = meta
        self.changed = True

    def save(self) -> None:
        if self.enabled and (self.changed or set(self.metas) != self.used):
            self.root.mkdir(parents=True, exist_ok=True)
            metas = {k: v for k, v in self.metas.items() if k in self.used}
            tmp = self.root / "index.json.tmp"
            tmp.write_text(json.dumps({"sources": self.index, "metas": metas}), "utf-8")
            os.replace(tmp, self.root / "index.json")


def _run(state: tuple[Settings, Path], job: Job) -> tuple[Job, dict[str, Any] | None, str | None]:
    """Make one job into its cache folder (written beside, then renamed into place)."""
    settings, cache_root = state
    final = cache_root / job.key[:2] / job.key
    tmp = final.with_name(f"{job.key}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        meta = make(job, settings, tmp)
    except ImageProblem as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return job, None, str(exc)
    (tmp / "meta.json").write_text(json.dumps(meta), "utf-8")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    return job, meta, None


def run_jobs(todo: list[Job], settings: Settings, cache_root: Path, jobs: int
             ) -> Iterator[tuple[Job, dict[str, Any] | None, str | None]]:
    """Make every job, on `jobs` forked workers when there are enough of them (an image is
    long work: a few make a pool worth forking, unlike workers.PARALLEL_MIN's pages)."""
    return workers.pool_map(_run, (settings, cache_root), todo,
                            jobs if len(todo) >= PARALLEL_MIN else 1, ordered=False, chunksize=1)


# --- the stage ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the stage leaves for the rest of the build."""

    articles: list[Article]
    pictures: dict[str, Picture]  # body <img> site path -> its picture
    files: list[tuple[str, Path, str, int]]  # (output rel, cached file, digest, size)
    copies: list[tuple[str, Path]]  # pass-through files beside articles: (output rel, source)
    per_article: dict[str, str]  # source -> a digest of its images, for page fingerprints
    made: int  # images processed by this build (0 on a no-change rebuild)
    missing: frozenset[tuple[str, str]] = frozenset()  # (article, image) warned about already


def _picture(meta: dict[str, Any], folder_key: str) -> Picture:
    def v(d: dict[str, Any]) -> Variant:
        return Variant(f"img/{d['name']}", d["width"], d["height"], d["mime"])

    by_mime: dict[str, list[Variant]] = {}
    for d in meta["variants"]:
        by_mime.setdefault(d["mime"], []).append(v(d))
    fallback_mime = meta["variants"][-1]["mime"]
    fallbacks = sorted(by_mime[fallback_mime], key=lambda x: x.width)
    sources = tuple((mime, ", ".join(f"{x.path} {x.width}w" for x in sorted(vs, key=lambda x: x.width)))
                    for mime, vs in by_mime.items())
    return Picture(fallbacks[-1], sources, tuple((d["ratio"], v(d)) for d in meta["crops"]))


def body_images(article: Article) -> list[str]:
    """Site paths of the images a body links to, in order: from the links worked out when the
    article was read (and cached), so an unchanged body is not read again here."""
    return [link for link in article.local_links
            if Path(link).suffix.lower() in RASTER + PASS_THROUGH]


def process_articles(articles: Iterable[Article], config: Config, static: dict[str, Path],
                     report: Report, use_cache: bool, workers: int) -> Outcome:
    """The stage: every article's images found, made (or taken from the cache), and the
    articles returned with their thumbnail's picture set."""
    settings = Settings.of(config)
    cache = ImageCache(config, use_cache)
    from PIL import __version__ as pillow_version  # another encoder may write other bytes

    prefix = hashlib.blake2b(repr((VERSION, pillow_version, settings)).encode(),
                             digest_size=16).hexdigest()
    jobs: dict[str, Job] = {}
    uses: dict[str, list[Use]] = {}
    per_article_keys: dict[str, list[str]] = {}
    links: dict[str, str] = {}  # body image site path -> job key
    thumbs: dict[str, str] = {}  # article source -> job key of its lead image
    copies: dict[str, Path] = {}
    articles = list(articles)
    static_paths = set(static.values())
    by_path: dict[Path, str] = {}
    missing: set[tuple[str, str]] = set()
    originals: dict[str, tuple[Path, str, int]] = {}

    def job_for(a: Article, path: Path, focus: tuple[float, float] | None) -> str:
        if focus is None and path in by_path:  # a lead image's job makes the widths too
            key = by_path[path]
            per_article_keys.setdefault(a.source, []).append(key)
            return key
        h = cache.source_hash(path)
        key = hashlib.blake2b(f"{prefix}|{h}|{focus}".encode(), digest_size=16).hexdigest()
        stem = slugify(path.stem) or "image"
        jobs.setdefault(key, Job(path, stem[:40], key, focus))
        by_path.setdefault(path, key)
        per_article_keys.setdefault(a.source, []).append(key)
        return key

    for a in articles:
        refs: list[tuple[str, str, str | None]] = []  # (field, site path, as written)
        th = a.thumbnail
        if th is not None and _is_local(th.src):
            refs.append(("thumbnail", th.src, th.src))
        refs += [("body", link, None) for link in body_images(a)]
        lead_done = th is not None  # an outside thumbnail is the article's image as it is
        for field, link, written in refs:
            suffix = Path(link).suffix.lower()
            if suffix not in RASTER + PASS_THROUGH:
                continue
            try:
                path = locate(config, a, link, written, static)
            except ImageProblem as exc:
                report.error(ContentError(a.source, f"image {written or link!r} {exc}",
                                          field=field))
                continue
            if path is None:  # the page would show a broken picture: an error, not a warning
                report.error(ContentError(a.source, f"image {written or link!r} not found: looked "
                                                    "beside the article in content/ and in static/",
                                          field=field))
                missing.add((a.source, link))
                continue
            if suffix in PASS_THROUGH:
                if path not in static_paths:
                    copies[link] = path
                continue
            lead = field == "thumbnail" or not lead_done
            focus = (th.focus if th is not None else (0.5, 0.5)) if lead else None
            try:
                key = job_for(a, path, focus)
            except OSError as exc:
                report.error(ContentError(a.source, f"image {written or link!r} cannot be read: "
                                                    f"{exc.strerror}", field=field))
                continue
            uses.setdefault(key, []).append(Use(a.source, field, written or link))
            if field == "body":
                links.setdefault(link, key)
                if path not in static_paths and link not in originals:
                    # the file as written stays at its link too: feeds and list summaries
                    # carry the body's <img> as it is
                    st = path.stat()
                    originals[link] = (path, cache.source_hash(path), st.st_size)
            if lead:
                thumbs.setdefault(a.source, key)
                lead_done = True
    content = (config.site_dir / "content").resolve()
    for profile in config.authors.values():  # a portrait may sit in content/ (content/authors/)
        avatar = profile.avatar.lstrip("/")
        if avatar and _is_local(avatar) and avatar not in static:
            path = (content / avatar).resolve()
            if content in path.parents and path.is_file():
                copies[avatar] = path
    metas: dict[str, dict[str, Any]] = {}
    todo = []
    for key, job in jobs.items():
        meta = cache.meta(key)
        if meta is None:
            todo.append(job)
        else:
            metas[key] = meta
    made = 0
    if todo:
        root = cache.root if use_cache else config.site_dir / CACHE_DIR / "images-nocache"
        for job, meta, problem in run_jobs(todo, settings, root, workers):
            if meta is None and job.path in static_paths:
                # a static/ file is copied as it is, as before this stage: keep it, say why
                for use in uses[job.key]:
                    report.warn(use.article, f"image {use.src!r} ({job.path.name}) {problem}; "
                                             "it is copied from static/ as it is",
                                field=use.field)
                continue
            if meta is None:
                for use in uses[job.key]:
                    report.error(ContentError(use.article, f"image {use.src!r} ({job.path.name}) "
                                                           f"{problem}", field=use.field))
                continue
            made += 1
            metas[job.key] = meta
            if use_cache:
                cache.put(job.key, meta)
        cache.root = root
    cache.save()
    for key, meta in metas.items():
        for text in meta["warnings"]:
            for use in uses[key]:
                report.warn(use.article, f"image {use.src!r}: {text}", field=use.field)
    pictures = {key: _picture(meta, key) for key, meta in metas.items()}
    files = []
    for key, meta in sorted(metas.items()):
        for d in (*meta["variants"], *meta["crops"]):
            files.append((f"img/{d['name']}", cache.folder(key) / d["name"], d["digest"], d["size"]))
    files += [(link, path, h, size) for link, (path, h, size) in sorted(originals.items())]
    out_articles = []
    for a in articles:
        key = thumbs.get(a.source)
        if key in pictures:
            pic = pictures[key]
            th = a.thumbnail
            if th is None:  # a body image is the article's image for search and share cards
                th = Image(pic.src.path, False, False)
            a = replace(a, thumbnail=replace(th, src=pic.src.path, picture=pic))
        out_articles.append(a)
    return Outcome(
        articles=out_articles,
        pictures={link: pictures[key] for link, key in links.items() if key in pictures},
        files=files,
        copies=sorted(copies.items()),
        per_article={s: ",".join(ks) for s, ks in per_article_keys.items()},
        made=made,
        missing=frozenset(missing),
    )


def write(outcome: Outcome, writer: Writer) -> None:
    """Put the processed files into the output: a file the manifest already has with the same
    hash and size is recorded as it is, not read (its name carries the source's hash)."""
    for rel, cached, h, size in outcome.files:
        if rel in writer.new:
            continue  # two articles sharing one image
        try:
            same = writer.old.get(rel) == h and (writer.root / rel).stat().st_size == size
        except OSError:
            same = False
        if same:
            writer.record(rel, h, False)
        else:
            writer.write(rel, cached.read_bytes())
    for rel, path in outcome.copies:
        if rel not in writer.new:
            writer.write(rel, path.read_bytes())


# --- the markup ------------------------------------------------------------------------------


def picture_html(picture: Picture, url: Any, attrs: dict[str, str], sizes: str, first: bool
                 ) -> str:
    """`<picture>` with a `<source>` per modern type and the fallback `<img>`: width and height
    (no layout shift), lazy loading except for the likely LCP image (`first`)."""
    parts = ["<picture>"]
    fallback_srcset = ""
    for mime, srcset in picture.sources:
        links = ", ".join(f"{url(p.split(' ')[0])} {p.split(' ')[1]}" for p in srcset.split(", "))
        if mime == picture.src.mime:
            fallback_srcset = links
        else:
            parts.append(f'<source type="{mime}" srcset="{escape(links)}" sizes="{escape(sizes)}">')
    img = {k: v for k, v in attrs.items() if k not in ("src", "srcset", "sizes", "width",
                                                        "height", "loading", "decoding",
                                                        "fetchpriority")}
    img = {"src": url(picture.src.path), "srcset": fallback_srcset, "sizes": sizes, **img,
           "width": str(picture.src.width), "height": str(picture.src.height)}
    if first:
        img["fetchpriority"] = "high"
    else:
        img["loading"] = "lazy"
    img["decoding"] = "async"
    parts.append("<img " + " ".join(f'{k}="{escape(v)}"' for k, v in img.items()) + ">")
    parts.append("</picture>")
    return "".join(parts)


def rewrite_body(html: str, article: Article, pictures: dict[str, Picture], url: Any,
                 base_path: str, sizes: str, lcp_free: bool) -> str:
    """The body with each processed `<img>` replaced by its `<picture>`. `lcp_free`: no
    thumbnail shows above the body, so the first body image is the likely LCP image."""
    if "<img" not in html or not pictures:
        return html
    first = [lcp_free]

    def swap(m: re.Match[str]) -> str:
        tag = m.group(0)
        src = _SRC.search(tag)
        if not src:
            return tag
        link = _site_path(unescape(src.group(1)), article.path, base_path)
        picture = pictures.get(link)
        if picture is None:
            return tag
        attrs = {k: unescape(v or "") for k, v in _ATTR.findall(tag[4:].rstrip("/>"))}
        out = picture_html(picture, url, attrs, sizes, first[0])
        first[0] = False
        return out

    return _IMG.sub(swap, html)
