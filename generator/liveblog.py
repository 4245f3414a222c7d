"""Live blogs: an article with `liveblog: true` whose body's `## 14:05 Headline` sections are
timestamped updates.

The convention is a heading in the body rather than an `updates:` list in front matter: an
update is prose with links, quotes and pictures, which Markdown holds and YAML mangles, and an
editor adds one by writing a heading at the end of the file, nothing else. The rules
(docs/news.md, "Live blogs"):

- An update starts at a level-2 heading at the start of a line whose text begins with a time:
  `## 14:05 Headline` (24-hour, in the site time zone) or `## 2025-03-02 00:10 Headline`. Any
  `##` heading that starts with a digit must be one; other `##` headings are ordinary headings.
  Headings inside fenced code are text.
- Updates are written oldest first. A bare time is on the day of the update before it (the
  first on the article's own date), or on the next day when it is earlier than that update and
  no more than 12 hours later on the next day (23:50, then 00:10). Anything else is an error
  naming the line: a bare time cannot tell "the next morning" from a slip in the order.
- What comes before the first update is the introduction, shown above them.

The page shows the updates newest first, each an `<article class="liveblog__update">` whose id is
made from its time (`update-20250301-1405`), so a link to one stays right as updates are added.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from . import markdown
from .errors import ContentError
from .model import LiveBlog, LiveUpdate

_HEADING = re.compile(r"^##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_STAMP = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})[ T])?(\d{1,2}):(\d{2})(?![\d:])[ \t]*(.*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
ROLL_LIMIT = dt.timedelta(hours=12)  # the longest overnight gap a bare time may mean
HEADLINE_CHARS = 110  # a headline made from an update's text is cut here
_MARK = "<!--broadsheet-liveblog-update-{}-->"
_MARK_RE = re.compile(r"<!--broadsheet-liveblog-update-(\d+)-->\n?")
FORMAT_HINT = "an update heading starts with HH:MM (00:00-23:59) or YYYY-MM-DD HH:MM"


@dataclass(frozen=True, slots=True)
class RawUpdate:
    line: int  # the heading's line in the file
    time: dt.datetime
    headline: str  # Markdown, possibly empty
    text: str  # the Markdown under the heading


@dataclass(frozen=True, slots=True)
class Parsed:
    intro: str
    updates: tuple[RawUpdate, ...]  # oldest first, as written


def _stamp(path: str, line: int, text: str, previous: RawUpdate | None, day: dt.date,
           tz: ZoneInfo) -> tuple[dt.datetime, str]:
    """The datetime and headline of one update heading's text (which starts with a digit)."""
    m = _STAMP.match(text)
    if not m:
        raise ContentError(path, f"{text!r} is not an update time: {FORMAT_HINT}", line, "liveblog")
    y, mo, d, h, mi, headline = m.groups()
    if int(h) > 23 or int(mi) > 59:
        raise ContentError(path, f"{h}:{mi} is not a time of day: {FORMAT_HINT}", line, "liveblog")
    if y is not None:
        try:
            when = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), tzinfo=tz)
        except ValueError as exc:
            raise ContentError(path, f"{y}-{mo}-{d} is not a real date ({exc})", line,
                               "liveblog") from None
        if previous is not None and when < previous.time:
            raise ContentError(path, f"{when:%Y-%m-%d %H:%M} is earlier than the update before "
                                     f"it ({previous.time:%Y-%m-%d %H:%M}, line {previous.line}): "
                                     "write updates oldest first", line, "liveblog")
        return when, headline
    base = previous.time.date() if previous is not None else day
    when = dt.datetime(base.year, base.month, base.day, int(h), int(mi), tzinfo=tz)
    if previous is not None and when < previous.time:
        when += dt.timedelta(days=1)
        if when - previous.time > ROLL_LIMIT:
            raise ContentError(
                path, f"{h}:{mi} is earlier than the update before it ({previous.time:%H:%M}, "
                      f"line {previous.line}): write updates oldest first, and when a day has "
                      f"passed give the date (## {when:%Y-%m-%d} {h}:{mi} ...)", line, "liveblog")
    return when, headline


def parse(path: str, body: str, body_line: int, date: dt.datetime, tz: ZoneInfo) -> Parsed:
    """Split a live blog's Markdown into its introduction and its updates (oldest first);
    a bad update heading is a ContentError naming the file line."""
    day = date.astimezone(tz).date()
    intro: list[str] = []
    updates: list[RawUpdate] = []
    current: list[str] = intro
    head: tuple[int, dt.datetime, str] | None = None
    fenced = False

    def close() -> None:
        if head is not None:
            updates.append(RawUpdate(head[0], head[1], head[2], "\n".join(current).strip("\n")))

    for n, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        m = None if fenced else _HEADING.match(line)
        if m is None or not m.group(1)[:1].isdigit():
            current.append(line)
            continue
        close()
        previous = updates[-1] if updates else None
        when, headline = _stamp(path, body_line + n, m.group(1), previous, day, tz)
        head = (body_line + n, when, headline.strip())
        current = []
    close()
    return Parsed("\n".join(intro).strip("\n"), tuple(updates))


def marked_source(parsed: Parsed) -> str:
    """The body as one Markdown document, each update heading replaced by a marker comment:
    rendered at once, heading ids and footnote numbers stay unique across updates."""
    parts = [parsed.intro]
    for i, u in enumerate(parsed.updates):
        parts.append(f"{_MARK.format(i)}\n\n{u.text}")
    return "\n\n".join(parts) + "\n"


def default_summary(parsed: Parsed, words: int) -> str:
    """The list summary when the article gives none: its introduction, else its newest update."""
    source = parsed.intro or (parsed.updates[-1].text if parsed.updates else "")
    return markdown.leading_blocks(source, words)


def _anchors(updates: tuple[RawUpdate, ...]) -> list[str]:
    """`update-YYYYMMDD-HHMM`, `-2`, `-3` for more in one minute: stable as updates are added."""
    seen: dict[str, int] = {}
    out = []
    for u in updates:
        base = f"update-{u.time:%Y%m%d-%H%M}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _inline(text: str) -> str:
    """A headline's Markdown as inline HTML (no paragraph around it)."""
    html = markdown.to_html(text)[0].strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return escape(text)


def _cut(text: str, limit: int = HEADLINE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def assemble(parsed: Parsed, html: str, start: dt.datetime, end: dt.datetime | None,
             tz: ZoneInfo) -> tuple[str, LiveBlog]:
    """The page body (introduction, then the updates newest first) from the rendered
    `marked_source`, and the LiveBlog record for JSON-LD, the feed and the template."""
    notes = ""
    at = html.rfind('<div class="footnote">')
    if at != -1 and html.rstrip().endswith("</div>"):  # footnotes close the whole body, not
        html, notes = html[:at], html[at:].strip("\n")  # the newest update that ends it
    pieces = _MARK_RE.split(html)
    intro_html, rest = pieces[0], pieces[1:]
    bodies = {int(rest[i]): rest[i + 1].strip("\n") for i in range(0, len(rest), 2)}
    anchors = _anchors(parsed.updates)
    day = start.astimezone(tz).date()
    records: list[LiveUpdate] = []
    blocks: list[str] = []
    for i in reversed(range(len(parsed.updates))):
        u = parsed.updates[i]
        body = bodies.get(i, "")
        text = markdown.plain_text(body)
        local = u.time.astimezone(tz)
        shown = f"{local:%H:%M}" if local.date() == day else f"{local.day} {local:%B, %H:%M}"
        head_html = f" <span class=\"liveblog__headline\">{_inline(u.headline)}</span>" \
            if u.headline else ""
        headline = markdown.plain_text(_inline(u.headline)) if u.headline else _cut(text)
        blocks.append(
            f'<article class="liveblog__update" id="{anchors[i]}">\n'
            f'<h2 class="liveblog__heading"><a class="liveblog__time" href="#{anchors[i]}">'
            f'<time datetime="{u.time.isoformat()}">{shown}</time></a>{head_html}</h2>\n'
            f"{body}\n</article>")
        records.append(LiveUpdate(anchors[i], u.time, headline or shown, text, body))
    page = intro_html.strip("\n")
    if blocks:
        page += '\n<div class="liveblog">\n' + "\n".join(blocks) + "\n</div>"
    if notes:
        page += "\n" + notes
    return page.strip("\n"), LiveBlog(start, end, tuple(records))
