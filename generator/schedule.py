"""When the site next changes by the clock alone: the nearest embargo that lifts or article
that expires, or live blog whose coverage ends (its "Live" badge goes), after `now`.

A static site changes only when it is built; this is what lets CI (and `serve`) build again at the
right moment instead of on a blind timer. It follows `articles.is_visible` exactly: an article
with `publishDate` (or `date`) `t` is shown from `t` on, and one with `expiryDate` `t` is gone from
`t` on, so the answer is the smallest such `t` that is still in the future.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .cache import CACHE_DIR
from .config import Config
from .sources.fields import Fields, Schedule

NEXT_CHANGE_FILE = "next-change"  # in the cache folder: the ISO time, or empty when none is known


def next_change(fields: Iterable[Fields | Schedule], config: Config, now: datetime) -> datetime | None:
    """The earliest publish or expiry time after `now` that would change what a build shows."""
    soonest: datetime | None = None
    for f in fields:
        if f.draft and not config.drafts:
            continue  # a draft waits for an editor, not for the clock
        start = None if config.future else f.publish_date or f.date
        end = f.expiry_date
        if start is not None and end is not None and start >= end:
            continue  # expires before it is published: never shown, nothing will change
        live_end = f.coverage_end if f.liveblog else None
        if live_end is not None and ((start is not None and live_end <= start)
                                     or (end is not None and live_end >= end)):
            live_end = None  # ends while the article is not shown: nothing to see change
        for t in (start, end, live_end):
            if t is not None and t > now and (soonest is None or t < soonest):
                soonest = t
    return soonest


def record_next_change(site_dir: Path, when: datetime | None) -> None:
    """Write `.broadsheet-cache/next-change` for CI: the ISO 8601 time, or an empty file when
    nothing is scheduled. Written whole (temp file + rename), so a reader never sees half."""
    folder = site_dir / CACHE_DIR
    folder.mkdir(exist_ok=True)
    tmp = folder / f".{NEXT_CHANGE_FILE}.{os.getpid()}"
    tmp.write_text(when.isoformat() + "\n" if when else "", encoding="utf-8")
    os.replace(tmp, folder / NEXT_CHANGE_FILE)
