"""`broadsheet init`: create a new site that builds at once (never in a folder with files)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from ..config import Config
from ..scaffold import WELCOME_BODY, NewArticle, article_text, site_toml, write_new_files
from ..urls import slugify
from .common import fail

HELP = "create a new site that builds at once"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, nargs="?", default=Path("."),
                   help="folder for the new site; must be empty or not exist yet (default: .)")
    p.add_argument("--from-hugo", action="store_true",
                   help="DIR is a Hugo site: write its site.toml from its Hugo config, so the "
                        "Hugo files can go (docs/migrating-from-hugo.md)")


def from_hugo(root: Path) -> int:
    """`broadsheet init --from-hugo DIR`: the site.toml equal to DIR's Hugo configuration."""
    from ..errors import ContentError
    from ..hugo import config as hugo_config
    from .common import print_problems

    files = hugo_config.config_files(root)
    if not files:
        return fail(f"{root} has no Hugo config file ({', '.join(hugo_config.CONFIG_FILES[:4])}, "
                    "config/_default/ ...)")
    target = root / "site.toml"
    if target.exists():
        return fail(f"{target} exists: broadsheet init never overwrites a file")
    try:
        text, problems = hugo_config.site_toml(root)
    except ContentError as exc:
        print_problems([exc.problem], "error")
        return 1
    try:
        with target.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as exc:
        return fail(f"cannot write {target}: {exc.strerror or exc}")
    print_problems(problems, "warning")
    names = ", ".join(p.relative_to(root).as_posix() for p in files)
    print(f"wrote {target} from {names}; {len(problems)} Hugo key(s) not carried over (above)")
    print(f"the build reads site.toml first: once it is right, {names} can go")
    return 0


def _non_empty(path: Path) -> bool:
    return path.is_dir() and any(path.iterdir())


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if args.from_hugo:
        return from_hugo(root)
    if root.exists() and not root.is_dir():
        return fail(f"{root} is a file, not a folder")
    if _non_empty(root):
        return fail(f"{root} is not empty: broadsheet init only creates a site in an empty or "
                     "new folder, so nothing of yours is overwritten")
    config = Config()
    welcome = NewArticle(
        title="Welcome to your new site",
        date=datetime.now(UTC).replace(microsecond=0),
        categories=("News",),
        tags=("broadsheet",),
        draft=False,
        lead="Your Broadsheet site is ready: this article shows how one looks.",
        body=WELCOME_BODY,
    )
    example = f"content/news/{slugify(welcome.title)}.md"
    try:
        root.mkdir(parents=True, exist_ok=True)
        write_new_files(root, [
            ("site.toml", site_toml()),
            (example, article_text(welcome, config)),
            (".gitignore", "output/\n.broadsheet-cache/\n"),
        ])
    except OSError as exc:
        return fail(f"cannot create the site in {root}: {exc.strerror or exc}")
    print(f"created a new site in {root}: site.toml, {example}")
    print(f"next: broadsheet build --site {root}")
    return 0
