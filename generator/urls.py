"""Slugs, permalinks and output paths.

Every page has a *site path*: relative to the site root, no leading slash, and either a folder
("world/some-story/", written as index.html inside it) or a file ("404.html"). Templates turn site
paths into links with the `url()` helper, so a `base_url` with a path works everywhere.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime

CORRECTIONS_PATH = "corrections/"  # the page; its Atom feed is corrections/feed.xml
EDITION_PAGES = frozenset({
    "", "feed.xml", "rss.xml", "feed.json", "archives/", "categories/", "tags/", "authors/",
    "search/", "search-index/meta.json", "corrections/", "corrections/feed.xml", "sitemap.xml",
    "news-sitemap.xml"})
"""The pages every edition has of its own, as the theme links them (`url('archives/')`): with
[languages], `url()` on a page of the French edition makes these "fr/archives/". Every other
path a template links is already whole: an article's, a term's, an archive's, a static file."""

# Letters NFKD does not decompose into ASCII.
_TRANSLIT = {
    "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i", "ħ": "h", "ŋ": "ng",
    "&": " and ",
}
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "ye", "yi",
     "g"],
    strict=True,
))
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s",
     "s", "t", "y", "f", "ch", "ps", "o", "a", "e", "i", "i", "o", "y", "o", "i", "y", "i", "y"],
    strict=True,
))
_TABLE = str.maketrans({**_TRANSLIT, **_CYRILLIC, **_GREEK,
                        **{k.upper(): v.capitalize() for k, v in {**_CYRILLIC, **_GREEK}.items()
                           if len(k.upper()) == 1 and k.upper() != k}})
_NON_WORD_ASCII = re.compile(r"[^a-z0-9]+")
_NON_WORD_UNICODE = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"(\w)['’](\w)")


def slugify(text: str, max_length: int = 80, keep_unicode: bool = False) -> str:
    """Lower-case, words joined by '-', ASCII by transliteration; never empty.

    Apostrophes inside words vanish ("Zelensky's" -> "zelenskys"). The slug is cut at a word
    boundary at or below max_length. Text with no letters at all gets a stable hash.
    """
    text = _APOSTROPHES.sub(r"\1\2", text)
    if keep_unicode:
        slug = _NON_WORD_UNICODE.sub("-", unicodedata.normalize("NFKC", text).lower()).strip("-_")
        slug = slug.replace("_", "-")
    else:
        ascii_text = unicodedata.normalize("NFKD", text.translate(_TABLE))
        ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
        slug = _NON_WORD_ASCII.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        head = slug[: max_length + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_length]
    return slug or "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def expand_permalink(pattern: str, *, slug: str, category: str, date: datetime, lang: str) -> str:
    """Fill a permalink pattern such as "/:category/:slug/"; empty segments disappear."""
    values = {":year": f"{date.year:04d}", ":month": f"{date.month:02d}",
              ":day": f"{date.day:02d}", ":slug": slug, ":category": category, ":lang": lang}
    parts = [values.get(p, p) for p in pattern.strip("/").split("/")]
    return "/".join(p for p in parts if p) + "/"


def edition_prefix(code: str, default: bool, in_subdir: bool) -> str:
    """The folder of a language edition's pages: "" for the default language (unless
    `default_language_in_subdir`), else its code in lower case ("fr/", "pt-br/")."""
    return "" if default and not in_subdir else code.lower() + "/"


def clean_path(url: str, keep_unicode: bool = False) -> str:
    """A front-matter `url` or alias as a site path of slugs: no leading slash, folder form
    unless the last segment is a file ("Special Report/" -> "special-report/")."""
    path = url.strip().strip("/")
    if not path:
        return ""
    parts = [p for p in path.split("/") if p]
    last = parts[-1]
    is_file = "." in last and not url.strip().endswith("/")
    segs = [slugify(p, keep_unicode=keep_unicode) for p in (parts[:-1] if is_file else parts)]
    if is_file:
        stem, ext = last.rsplit(".", 1)
        return "/".join([*segs, f"{slugify(stem, keep_unicode=keep_unicode)}.{ext.lower()}"])
    return "/".join(segs) + "/"


def output_file(site_path: str) -> str:
    """The file a site path is written to, relative to the output folder."""
    return site_path + "index.html" if site_path == "" or site_path.endswith("/") else site_path


def site_path(file: str) -> str:
    """The site path an output file is served at: `output_file`'s inverse (a folder's index.html
    is served as the folder)."""
    if file == "index.html" or file.endswith("/index.html"):
        return file[: -len("index.html")]
    return file


def paginated(base: str, number: int) -> str:
    """Site path of page `number` of a list whose first page is at `base`."""
    return base if number == 1 else f"{base}page/{number}/"
