"""`broadsheet import SOURCE ...`: bring an archive over from another system.

Each source is a sub-command with its own options (`import wordpress` now; `import hugo` can be
added beside it). An import never overwrites a file unless `--force`, and ends with a report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ContentError
from .common import fail

HELP = "import an archive from another system (wordpress)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sources = p.add_subparsers(dest="source", required=True, metavar="SOURCE")
    wp = sources.add_parser("wordpress", help="a WordPress export (Tools > Export > All content)",
                            description="Import a WordPress export (WXR file) into a site folder: "
                                        "one Markdown article per post and page.")
    wp.add_argument("export", type=Path, help="the export file, e.g. mysite.WordPress.2025-02-08.xml")
    wp.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    wp.add_argument("--uploads", type=Path,
                    help="the old site's wp-content/uploads folder: images are copied from it "
                         "(without it, they stay at their old addresses)")
    wp.add_argument("--force", action="store_true",
                    help="overwrite files an earlier import wrote (default: stop if one exists)")
    wp.add_argument("--keep-urls", action="store_true",
                    help="posts keep their WordPress address as url (default: the site's "
                         "permalink, with the old address as a redirect when it differs)")
    wp.set_defaults(source_run=run_wordpress)


def run(args: argparse.Namespace) -> int:
    return int(args.source_run(args))


def run_wordpress(args: argparse.Namespace) -> int:
    # imported here: the importer pulls in BeautifulSoup (~130 ms), which no build needs
    from ..importers.wordpress import ImportOptions, ImportStop, import_wordpress
    from ..importers.wxr import ExportError

    export = Path(args.export)
    if not export.is_file():
        return fail(f"{export}: no such file (give the WordPress export, a .xml file)", 2)
    if args.uploads is not None and not Path(args.uploads).is_dir():
        return fail(f"--uploads {args.uploads}: not a folder (give the wp-content/uploads folder)", 2)
    site = Path(args.site)
    if site.exists() and not site.is_dir():
        return fail(f"--site {site}: is a file, not a folder", 2)
    options = ImportOptions(site_dir=site, uploads=args.uploads, force=args.force,
                            keep_urls=args.keep_urls)
    try:
        plan = import_wordpress(export, options)
    except ExportError as exc:
        return fail(str(exc))
    except ContentError as exc:
        return fail(exc.problem.format())
    except ImportStop as exc:
        return fail(str(exc))
    print(plan.report.format(plan.articles))
    return 0
