"""docs/configuration.md: the reference of every `site.toml` key, made from the declared settings.

Refresh it after changing a setting in `settings.py`:

    python -m generator.config.reference > docs/configuration.md

tests/test_config.py regenerates it and fails, naming this command, when the file differs.
"""

from __future__ import annotations

import sys

from .kinds import sections
from .settings import TABLES, Config

COMMAND = "python -m generator.config.reference > docs/configuration.md"

INTRO = """\
`site.toml` sits in the site folder beside `content/`. The file and every key in it are optional:
a key left out has the default below. `broadsheet init` writes all of them, commented out. An
unknown key is an error with a "did you mean" suggestion, and a wrong value names the line, the
key and what is allowed. The command line overrides the file: `--base-url`, `--output`,
`--drafts`, `--future` and `--now` (see the README). A setting that names a front-matter field
is the site-wide value that one article's front matter can override
([front-matter.md](front-matter.md)). `[comments]` and `[social]` take other keys too: templates
read them as `config.comments` and `config.social`."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def markdown() -> str:
    """The whole of docs/configuration.md."""
    lines = [
        "# Site configuration: every `site.toml` key",
        "",
        f"<!-- Made by `{COMMAND}` from generator/config/settings.py; edit the settings there. -->",
        "",
        INTRO,
    ]
    for section in sections(Config, TABLES):
        lines += ["", f"## `{section.title}`" if section.title else "## Top level", ""]
        if section.note:
            lines += [f"{section.note[0].upper()}{section.note[1:]}.", ""]
        lines += ["| key | type | default | what it does |", "|---|---|---|---|"]
        for row in section.rows:
            what = row.help[0].upper() + row.help[1:]
            if row.overrides:
                what += f"; front matter `{row.overrides}` overrides it per article"
            lines.append(f"| `{row.path}` | {_cell(row.allowed)} | {row.default} | {_cell(what)}. |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
