"""Pelican settings for the benchmark: the same corpus and a site shaped like Broadsheet's.

`bench/run.py` runs ``pelican CONTENT -o OUTPUT -s bench/pelicanconf.py`` from the work
folder, so PATH and OUTPUT_PATH below are only defaults for running Pelican by hand.

The corpus has YAML front matter (quoted strings, block lists), which Pelican's own Markdown
reader does not parse, so the `pelican-yaml-metadata` plugin reads it, as it would for any
Pelican site with such files. The category is the folder name (Pelican's default,
USE_FOLDER_AS_CATEGORY), which is also the corpus's `categories` value. Slugs come from the
file name, as in Broadsheet's `slug_source = "filename"`: the corpus has duplicate titles in
a category.

One small plugin below adapts two Hugo-style keys of the corpus that Pelican reads
differently: `lang` is a one-item list (Pelican wants a string) and `translations` is a list of
languages (Pelican keeps its own `translations` attribute).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_WORK = Path(__file__).resolve().parent / "work"

SITENAME = "Broadsheet benchmark"
SITEURL = "https://bench.example"
RELATIVE_URLS = False
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

PATH = str(_WORK / "site" / "content")
OUTPUT_PATH = str(_WORK / "pelican-out")
DELETE_OUTPUT_DIRECTORY = True
THEME = "notmyidea"  # Pelican's default theme


def _corpus_metadata(sender: object, metadata: dict[str, Any]) -> None:
    """Make the corpus's list-valued `lang` a string and drop its Hugo `translations` list."""
    lang = metadata.get("lang")
    if isinstance(lang, list):
        metadata["lang"] = str(lang[0]) if lang else DEFAULT_LANG
    metadata.pop("translations", None)


class CorpusKeys:
    """A Pelican plugin (Pelican accepts classes in PLUGINS) registering `_corpus_metadata`."""

    @staticmethod
    def register() -> None:
        from pelican import signals

        signals.article_generator_context.connect(_corpus_metadata, weak=False)


PLUGINS = ["pelican.plugins.yaml_metadata", CorpusKeys]

# Cold build: read nothing from a cache and write none.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
CACHE_PATH = str(_WORK / "pelican-cache")

# URLs like Broadsheet's permalink "/:category/:slug/".
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = "categories/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
PAGE_URL = "pages/{slug}/"
PAGE_SAVE_AS = "pages/{slug}/index.html"

# Home, category, tag and author lists, 10 articles a page.
DEFAULT_PAGINATION = 10

# Feeds: the whole site (Atom and RSS) and one Atom feed per category, tag and author.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
FEED_ALL_RSS = "rss.xml"
CATEGORY_FEED_ATOM = "categories/{slug}/feed.xml"
TAG_FEED_ATOM = "tags/{slug}/feed.xml"
AUTHOR_FEED_ATOM = "authors/{slug}/feed.xml"
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
