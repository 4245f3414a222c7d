"""The editors' commands: `broadsheet new` (a new article) and `broadsheet init` (a new site).

`new` writes `content/<category-slug>/<slug>.md` (or `content/<slug>.md` without a category) with
the full front-matter field set a newsroom already uses, in the order of the sample article the
spec starts from. Every setting that has a site-wide value is written as "not set" (`""` or `[]`),
so the site configuration keeps deciding until an editor fills it in; a trailing comment says
what may go there and what the site currently uses. The article starts as `draft: true`: a
half-written story never goes live by accident on the next build.

`init` creates a site folder that builds at once: `site.toml` listing every configuration key,
commented out with its built-in default and a one-line explanation, and one example article.

Both refuse to overwrite anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .config import TABLES, WIDGET_NAMES, Config
from .config.kinds import sections, toml_value

# The field order of the newsroom's sample article (seeds/004_*.txt), then draft.
FIELD_ORDER = (
    "title", "date", "summary", "categories", "lang", "translations", "tags", "menu",
    "thumbnail", "lead", "comments", "authorbox", "pager", "toc", "mathjax", "sidebar", "widgets",
    "draft",
)
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # as in the sample article; no offset = the site time zone
COMMENT_COLUMN = 24


# --- YAML / TOML writing -----------------------------------------------------------------------


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML): safe for any headline."""
    return json.dumps(text, ensure_ascii=False)


def _yaml_field(key: str, value: Any, note: str = "") -> list[str]:
    if isinstance(value, bool):
        first = f"{key}: {'true' if value else 'false'}"
        rest: list[str] = []
    elif isinstance(value, (list, tuple)):
        first = f"{key}:" if value else f"{key}: []"
        rest = [f"  - {yaml_str(str(v))}" for v in value]
    else:
        first = f"{key}: {yaml_str(str(value))}"
        rest = []
    if note:
        first = f"{first.ljust(COMMENT_COLUMN - 1)} # {note}"
    return [first, *rest]


def _bool_note(name: str, site_value: bool) -> str:
    return f"true or false; empty: the site's {name} ({str(site_value).lower()})"


def _side(value: str | None) -> str:
    return f'"{value}"' if value else "false"


@dataclass(frozen=True)
class NewArticle:
    """What `broadsheet new` writes, before it becomes text."""

    title: str
    date: datetime  # aware, in the site time zone
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = True
    summary: str = ""
    lead: str = ""
    body: str = ""


def front_matter(article: NewArticle, config: Config) -> str:
    """The full field set, in FIELD_ORDER, with "not set" values and notes for editors."""
    widgets = ", ".join(WIDGET_NAMES)
    fields: dict[str, tuple[Any, str]] = {
        "title": (article.title, ""),
        "date": (article.date.strftime(DATE_FORMAT), f"time zone: {config.timezone}"),
        "summary": (article.summary, "" if article.summary else
                    "list excerpt; empty: the first paragraphs"),
        "categories": (list(article.categories), ""),
        "lang": ([config.language], ""),
        "translations": ([], "language codes of translations of this article"),
        "tags": (list(article.tags), ""),
        "menu": ("", "main, footer or side to list it in a menu"),
        "thumbnail": ("", "image path, e.g. /img/photo.jpg"),
        "lead": (article.lead, "" if article.lead else "standfirst under the headline"),
        "comments": ("", "false turns comments off on this article" if config.comments_provider
                     else "no effect: the site has no [comments] provider"),
        "authorbox": ("", _bool_note("authorbox", config.authorbox)),
        "pager": ("", _bool_note("pager", config.pager)),
        "toc": ("", _bool_note("toc", config.toc)),
        "mathjax": ("", _bool_note("mathjax", config.mathjax)),
        "sidebar": ("", f'"left", "right" or false; empty: {_side(config.sidebar_single)}'),
        "widgets": ([], f"in order; empty: the site's list. Names: {widgets}"),
        "draft": (article.draft, "set to false to publish" if article.draft else ""),
    }
    lines = ["---"]
    for key in FIELD_ORDER:
        value, note = fields[key]
        lines += _yaml_field(key, value, note)
    lines.append("---")
    return "\n".join(lines) + "\n"


def article_text(article: NewArticle, config: Config) -> str:
    return front_matter(article, config) + "\n" + (article.body or "Write the article here.\n")



def _key(name: str, value: Any, note: str) -> str:
    """One commented-out key line: `# name = value   # note`. Removing '# ' enables it."""
    return f"# {f'{name} = {toml_value(value)}'.ljust(38)} # {note}"


def _table(header: str, note: str) -> str:
    return f"# {header.ljust(38)} # {note}"


def site_toml() -> str:
    """Every configuration key, commented out, with its built-in default (or, in a table of
    entries, a sample entry) and its explanation: the declared settings, walked in order."""
    lines = [
        "# Site configuration. Every key is optional: as written, each line below shows the",
        "# built-in default. To change a setting, remove the '# ' in front of it (and in front of",
        "# its [table] line) and edit the value. Unknown keys are an error with a suggestion.",
        "# Every key is explained in docs/configuration.md.",
    ]
    for section in sections(Config, TABLES):
        lines.append("")
        if section.header:
            lines.append(_table(section.header, section.note))
        for n, row in enumerate(section.rows):
            if row.intro:
                lines += ([] if n == 0 else [""]) + [f"# {row.intro}"]
            note = f"{row.help}: {row.hint}" if row.hint else row.help
            lines.append(_key(row.key, row.sample, note))
    return "\n".join(lines) + "\n"


WELCOME_BODY = """\
This example article shows what a Broadsheet article looks like. Edit it, or delete it once the
site has articles of its own.

## Where things are

- `content/` holds the articles, one file each; a folder is a section.
- `site.toml` holds the site settings; every key is listed there, commented out.
- `output/` is the built site, ready for any static host.

## Next steps

Write a new article with `broadsheet new "Your headline" --category News`, remove its
`draft: true` line when it is ready, and run `broadsheet build`.
"""


def write_new_files(root: Path, files: Iterable[tuple[str, str]]) -> None:
    for rel, text in files:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
