"""`broadsheet new`: write a new article with the full field set (as a draft, never over a file)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from ..config import load_config
from ..errors import ContentError
from ..scaffold import NewArticle, article_text
from ..urls import slugify
from .common import fail, parse_now

HELP = "write a new article with the full field set"


def _split_tags(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def _clock(now_text: str | None) -> datetime:
    return parse_now(now_text) or datetime.now(UTC)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("title", help="the headline; the file name is made from it")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument("--category", default="",
                   help="the section; the file goes to content/<category>/ (default: content/)")
    p.add_argument("--tags", default="", help="comma-separated tags, e.g. --tags energy,trade")
    p.add_argument("--publish", action="store_true",
                   help="write draft: false instead of draft: true")
    p.add_argument("--now", help="the article's date and time (ISO 8601; default: now)")


def run(args: argparse.Namespace) -> int:
    title = " ".join(str(args.title).split())
    if not title:
        return fail("the headline is empty: broadsheet new \"Your headline\"", 2)
    site_dir = Path(args.site)
    content = site_dir / "content"
    if not content.is_dir():
        return fail(f"{site_dir} has no content/ folder: pass --site with your site folder, "
                     "or create a site with broadsheet init")
    try:
        config = load_config(site_dir)
        now = _clock(getattr(args, "now", None))
    except ContentError as exc:
        return fail(exc.problem.format())
    except argparse.ArgumentTypeError as exc:
        return fail(str(exc), 2)
    category = " ".join(str(args.category or "").split())
    slug = slugify(title, keep_unicode=config.slug_unicode)
    folder = content / slugify(category, keep_unicode=config.slug_unicode) if category else content
    path = folder / f"{slug}.md"
    article = NewArticle(
        title=title,
        date=now.astimezone(config.tz).replace(microsecond=0),
        categories=(category,) if category else (),
        tags=_split_tags(args.tags),
        draft=not getattr(args, "publish", False),
    )
    shown = path.relative_to(site_dir).as_posix()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as f:  # "x": never overwrite
            f.write(article_text(article, config))
    except FileExistsError:
        return fail(f"{shown} already exists: edit that file, or choose another headline")
    except OSError as exc:
        return fail(f"cannot write {shown}: {exc.strerror}")
    state = "draft: set draft: false to publish" if article.draft else "published on next build"
    print(f"created {shown} ({state})")
    return 0
