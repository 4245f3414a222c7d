"""Plain-text wire articles: a headline, a standfirst and one paragraph per line, no front matter.

Wire and scraper copy marks what it could not carry over: `Image | alt` and `Media | title` blocks
with a `Caption:` line, `WATCH | ...:` kickers, and `(external link)` where a link's URL was lost.
The reader turns all of it into a Markdown body, so toc ids, summary and word count come from the
same pipeline as Markdown articles: text is escaped so it renders literally, and figures and media
become raw HTML blocks, which Python-Markdown passes through untouched. Metadata the text cannot
carry comes from a `<name>.yaml` sidecar, validated exactly like front matter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path, PurePosixPath

from ..config import Config
from ..errors import ContentError, Report
from ..urls import slugify
from .document import SourceDocument, decode
from .fields import Fields, LineOf, coerce_fields, near_misses
from .markdown_source import key_line_finder, load_yaml

IMAGE_SUFFIXES = ("jpg", "jpeg", "png", "webp", "svg")
SIDECAR_SUFFIXES = (".yaml", ".yml")
SUBHEADING_MAX_CHARS = 70
SUBHEADING_MAX_WORDS = 10

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # invalid in HTML; \x02/\x03 confuse Markdown
_EXTERNAL = re.compile(r"\s*\(external link\)(?=(\w)?)", re.IGNORECASE)
_BOILERPLATE = "open full embed in new tab"
_IMAGE = re.compile(r"image\s*\|\s*(.*)", re.IGNORECASE)
_MEDIA = re.compile(r"media\s*\|\s*(.*)", re.IGNORECASE)
_CAPTION = re.compile(r"caption\s*:\s*(.*)", re.IGNORECASE)
_KICKER = re.compile(r"([A-Z]{2,}(?: [A-Z]{2,}){0,2})\s*\|\s*(.*?)\s*:?")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")
_MD_ORDERED = re.compile(r"(\d+)\.")


@dataclass(frozen=True)
class _Line:
    """One non-empty source line, classified; `text` is the content after any marker."""

    kind: str  # "text", "image", "media", "caption" or "kicker"
    line: str  # the whole cleaned line
    text: str
    number: int
    label: str = ""  # a kicker's label ("WATCH")


def md_escape(text: str) -> str:
    """Markdown for `text` that renders as exactly that text (no markup, tags or entities)."""
    out = _MD_SPECIAL.sub(r"\\\1", escape(text, quote=False))
    if out.startswith(("-", "+")):  # bullet list or rule
        out = "\\" + out
    elif m := _MD_ORDERED.match(out):  # ordered list
        out = f"{m.group(1)}\\.{out[m.end():]}"
    elif out.startswith((":", "~")):  # definition list (extra), fenced code; not escapable
        out = f"&#{ord(out[0])};{out[1:]}"
    return out


def _drop_marker(m: re.Match[str]) -> str:
    return " " if m.group(1) else ""


def _classify(text: str) -> list[_Line]:
    """Non-empty lines with their kind; the embed boilerplate line is dropped here."""
    out = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = " ".join(_EXTERNAL.sub(_drop_marker, _CONTROL.sub("", raw)).split())
        if not line or line.lower().startswith(_BOILERPLATE):
            continue
        for kind, pattern in (("image", _IMAGE), ("media", _MEDIA), ("caption", _CAPTION)):
            if m := pattern.fullmatch(line):
                out.append(_Line(kind, line, m.group(1), number))
                break
        else:
            if m := _KICKER.fullmatch(line):
                out.append(_Line("kicker", line, m.group(2), number, m.group(1)))
            else:
                out.append(_Line("text", line, line, number))
    return out


def _heading_like(text: str) -> bool:
    """Short, unpunctuated, starting with a capital or digit: reads as a title, not a sentence."""
    return (len(text) <= SUBHEADING_MAX_CHARS and len(text.split()) <= SUBHEADING_MAX_WORDS
            and text[-1].isalnum() and (text[0].isupper() or text[0].isdigit())
            and any(c.isalpha() for c in text))


def _image_src(alt: str, config: Config) -> str | None:
    """The site image named after the alt text's slug, as a URL; None when there is none."""
    if not any(c.isalnum() for c in alt):
        return None
    slug = slugify(alt)
    folder = config.site_dir / "static" / "images"
    for suffix in IMAGE_SUFFIXES:
        try:
            if (folder / f"{slug}.{suffix}").is_file():
                return f"{config.base_path}images/{slug}.{suffix}"
        except OSError:
            return None
    return None


def _split_credit(caption: str) -> tuple[str, str]:
    """(caption, credit): the credit is what the last parentheses ending the line hold."""
    if caption.endswith(")"):
        depth = 0
        for i in range(len(caption) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(caption[i], 0)
            if depth == 0:
                credit = caption[i + 1 : -1].strip()
                return (caption[:i].rstrip(), credit) if credit else (caption, "")
    return caption, ""


def _figure(alt: str, caption: str | None, config: Config, photo: str | None = None) -> str:
    """A wire photo block: the sidecar's photo for it, else a site image named after the alt
    text, else a captioned placeholder. A relative photo is a file beside the `.txt`; the image
    stage resizes it like any body image."""
    src = photo or _image_src(alt, config)
    if src:
        parts = ['<figure class="figure">',
                 f'<img src="{escape(src)}" alt="{escape(alt)}" loading="lazy">']
    else:
        label = f'role="img" aria-label="{escape(alt)}"' if alt else 'aria-hidden="true"'
        parts = ['<figure class="figure figure--placeholder">',
                 f'<div class="figure__placeholder" {label}></div>']
    if caption:
        text, credit = _split_credit(caption)
        spans = [f'<span class="figure__{cls}">{escape(value, quote=False)}</span>'
                 for cls, value in (("caption", text), ("credit", credit)) if value]
        parts.append(f"<figcaption>{' '.join(spans)}</figcaption>")
    return "\n".join([*parts, "</figure>"])


def _kicker(kicker: _Line) -> str:
    return (f'<p class="media__kicker"><span class="media__label">{kicker.label}</span> '
            f"{escape(kicker.text, quote=False)}</p>")


def _media(title: str, caption: str | None, kicker: _Line | None) -> str:
    parts = ['<figure class="media">']
    if kicker:
        parts.append(_kicker(kicker))
    if title:
        parts.append(f'<p class="media__title">{escape(title, quote=False)}</p>')
    if caption:
        parts.append(f'<figcaption class="media__caption">{escape(caption, quote=False)}'
                     "</figcaption>")
    return "\n".join([*parts, "</figure>"])


def _body(rel: str, lines: list[_Line], config: Config, report: Report,
          photos: tuple[str | None, ...] = ()) -> str:
    """Markdown blocks for the lines after the standfirst; `photos` are the sidecar's `images`,
    the n-th for the n-th `Image |` block."""
    blocks: list[str] = []
    figures = 0
    kicker: _Line | None = None
    i = 0
    while i < len(lines):
        item = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if item.kind in ("image", "media"):
            caption = None
            if nxt and nxt.kind == "caption":
                caption, i = nxt.text, i + 1
            if item.kind == "image":
                photo = photos[figures] if figures < len(photos) else None
                blocks.append(_figure(item.text, caption, config, photo))
                figures += 1
            else:
                blocks.append(_media(item.text, caption, kicker))
                kicker = None
        elif item.kind == "kicker" and nxt and nxt.kind == "media":
            kicker = item
        elif item.kind == "kicker":
            blocks.append(_kicker(item))
        elif item.kind == "caption":
            report.warn(rel, "a 'Caption:' line with no 'Image |' or 'Media |' line before it; "
                             "kept as a paragraph", item.number)
            blocks.append(md_escape(item.line))
        elif (_heading_like(item.text) and nxt and nxt.kind == "text"
              and not _heading_like(nxt.text)):
            blocks.append("## " + md_escape(item.text))
        else:
            blocks.append(md_escape(item.text))
        i += 1
    if len(photos) > figures:
        report.warn(rel, f"the sidecar's images list has {len(photos)} entries but the text has "
                         f"{figures} 'Image |' block(s): the extra ones are not shown",
                    field="images")
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _photos(side_rel: str, raw: dict[str, object], line_of: LineOf) -> tuple[str | None, ...]:
    """The sidecar's `images`: a list, one entry per `Image |` block in order, each a file
    beside the `.txt` (`harbour.jpg`), a site path (`/img/x.jpg`) or empty for the placeholder."""
    value = raw.pop("images", None)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        raise ContentError(side_rel, f"images: {value!r} is not allowed: use a list of image "
                                     "files, one per 'Image |' block (empty for a placeholder)",
                           line_of("images"), "images")
    return tuple(v.strip() or None if isinstance(v, str) else None for v in value)


def _unset(value: object) -> bool:
    """Not set, as the precedence rules define it: missing, blank or an empty list."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _sidecar(rel: str, path: Path, report: Report) -> tuple[str | None, object, LineOf]:
    """(sidecar rel path, raw YAML, line finder); (None, {}, ...) when there is no sidecar."""
    found = []
    for suffix in SIDECAR_SUFFIXES:
        try:
            if path.name and path.with_suffix(suffix).is_file():
                found.append(suffix)
        except (OSError, ValueError):
            continue
    if not found:
        return None, {}, lambda key: None
    side_rel = PurePosixPath(rel).with_suffix(found[0]).as_posix()
    if len(found) > 1:
        report.warn(rel, f"both {PurePosixPath(side_rel).name} and "
                         f"{PurePosixPath(rel).with_suffix(found[1]).name} exist; "
                         f"using {PurePosixPath(side_rel).name}")
    try:
        block = decode(side_rel, path.with_suffix(found[0]).read_bytes())
    except OSError as exc:
        raise ContentError(side_rel, f"cannot read the sidecar: {exc.strerror}") from None
    try:
        raw = load_yaml(side_rel, block, 1)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. 2025-02-30
        raise ContentError(side_rel, f"malformed YAML: {exc}") from None
    return side_rel, raw, key_line_finder(block, 1)


def _fields(rel: str, path: Path, config: Config, report: Report, headline: str,
            standfirst: str | None) -> tuple[Fields | None, tuple[str | None, ...]]:
    """Sidecar fields (and its photos), then the text's headline/standfirst and the folder for
    what is unset."""
    side_rel, raw, line_of = _sidecar(rel, path, report)
    folder = rel.split("/", 1)[0] if "/" in rel else ""
    photos: tuple[str | None, ...] = ()
    if isinstance(raw, dict):
        raw = dict(raw)
        photos = _photos(side_rel or rel, raw, line_of)
        defaults = {"title": headline, "lead": standfirst, "categories": folder,
                    "summary": md_escape(standfirst) if standfirst else None}
        for key, value in defaults.items():
            if value and _unset(raw.get(key)):
                raw[key] = value
        if _unset(raw.get("title")):
            raise ContentError(rel, "the file is empty: a plain-text article starts with its "
                                    "headline on line 1", 1, "title")
    errors: list[ContentError] = []
    fields = coerce_fields(side_rel or rel, raw, line_of, config.tz, errors)  # type: ignore[arg-type]
    for exc in errors:
        report.error(exc)
    if isinstance(raw, dict) and side_rel:
        for key, suggestion in near_misses(raw):
            report.warn(side_rel, f"unknown field {key!r} is kept as a custom parameter; did you "
                                  f"mean {suggestion!r}?", line_of(key), key)
    if errors:
        return None, photos
    if fields.date is None:
        fields = replace(fields, date=_mtime(rel, path, config, report))
    return fields, photos


def _mtime(rel: str, path: Path, config: Config, report: Report) -> dt.datetime:
    """The file's modification time as the date, with a warning: a checkout resets it."""
    sidecar = PurePosixPath(rel).with_suffix(".yaml").name
    try:
        stamp = dt.datetime.fromtimestamp(int(path.stat().st_mtime), tz=config.tz)
    except (OSError, ValueError, OverflowError) as exc:
        raise ContentError(rel, f"no date, and the file's modification time cannot be read "
                                f"({exc}); add a sidecar {sidecar} with a date", None,
                           "date") from None
    report.warn(rel, f"no date: using the file's modification time "
                     f"({stamp:%Y-%m-%d %H:%M:%S %Z}); add a sidecar {sidecar} with a date",
                None, "date")
    return stamp


def read_plaintext(rel: str, text: str, path: Path, config: Config, report: Report
                   ) -> SourceDocument | None:
    """Read one wire article; bad sidecar fields go to `report` (None), other problems raise."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = _classify(text)
    head = lines[:2] if len(lines) > 1 and lines[1].kind == "text" else lines[:1]
    rest = lines[len(head):]
    standfirst = head[1].text if len(head) > 1 else None
    fields, photos = _fields(rel, path, config, report, head[0].line if head else "", standfirst)
    if fields is None:
        return None
    body_line = rest[0].number if rest else (head[-1].number + 1 if head else 1)
    return SourceDocument(path=rel, fields=fields, body=_body(rel, rest, config, report, photos),
                          body_line=body_line, kind="plaintext")
