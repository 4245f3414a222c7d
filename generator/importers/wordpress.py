"""A WordPress export -> a Broadsheet site: one Markdown article per post and page.

The import is planned in full before anything is written: every article's text, every upload
to copy and the author profiles to add to `site.toml`. Only when no planned file exists (or
`--force`) is anything written, so a stopped import leaves the site as it was, and the same
export gives the same files (items in export order, no clock, no random names).

Mapping, field by field (only fields that docs/front-matter.md documents):

- title: the WordPress title as plain text (markup removed); an untitled post gets a title
  made from its slug, and is reported.
- date: wp:post_date_gmt, written in the site's time zone with its offset, so the instant is
  exact whatever the zone; scheduled posts also get `publishDate` (held back until then).
- categories: the post's categories, each followed by its parents (WordPress lists a post in
  a child category on the parent's archive too), "Uncategorized" last. The first is the
  section, and the file goes into its folder.
- url / aliases: a page keeps its WordPress address (`url`). A post keeps it as `url` when the
  site's permalink gives the same address, and as an alias (a redirect) when it does not.
- author: the WordPress login as profile key; the profile (`[authors.<login>]` with the
  display name) is appended to site.toml when the site does not have it yet.
- summary from the excerpt, thumbnail from the featured image, weight 1 for sticky posts,
  `draft: true` for drafts, pending and password-protected posts; private posts are skipped.
"""

from __future__ import annotations

import json
import posixpath
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Config, load_config
from ..urls import clean_path, expand_permalink, slugify
from .html_markdown import BodyContext, Picture, convert_body, convert_inline, plain_title
from .report import ImportReport
from .wxr import Export, Item, read_export

PAGES_FOLDER = "pages"
UPLOADS_FOLDER = "uploads"  # under static/: static/uploads/2024/05/photo.jpg is /uploads/2024/05/...
# First path segments the build itself writes: an old address there cannot be kept.
BUILD_OWNED = ("categories", "tags", "authors", "archives", "search", "search-index", "css", "js",
               "feed.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml", "robots.txt", "404.html")
IMPORTED_TYPES = ("post", "page")


class ImportStop(Exception):
    """The import cannot go on (a file exists, the site is broken): nothing has been written."""


@dataclass(frozen=True)
class ImportOptions:
    site_dir: Path
    uploads: Path | None = None  # the old site's wp-content/uploads folder
    force: bool = False  # overwrite article files (and uploads) that exist
    keep_urls: bool = False  # posts keep their WordPress address as `url` instead of an alias


@dataclass(frozen=True)
class Planned:
    """One file the import will write: text, or a copy of an upload."""

    rel: str  # relative to the site folder, forward slashes
    data: bytes | None = None
    source: Path | None = None

    def content(self) -> bytes:
        return self.data if self.data is not None else Path(str(self.source)).read_bytes()


@dataclass
class Plan:
    files: list[Planned] = field(default_factory=list)
    articles: int = 0
    toml_append: str = ""  # text appended to an existing site.toml
    toml_new: str = ""  # a whole new site.toml when the site has none
    report: ImportReport = field(default_factory=ImportReport)


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (a JSON string is one): safe for any title or path."""
    return json.dumps(text, ensure_ascii=False)


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


# --- addresses ----------------------------------------------------------------------------


def wordpress_path(link: str, home: str) -> str | None:
    """The path of a WordPress permalink under the blog's home ("/2024/05/story/"), decoded;
    None for addresses a static site cannot serve (`?p=123`)."""
    parts = urlsplit(link)
    if parts.query or not parts.path:
        return None
    base = urlsplit(home).path.rstrip("/")
    path = "/" + "/".join(p for p in parts.path.split("/") if p)
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):] or "/"
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    return unquote(path)


class Uploads:
    """Maps a file URL of the old site to the copy the import makes under static/uploads/."""

    def __init__(self, folder: Path | None, plan: Plan) -> None:
        self.folder = folder
        self.plan = plan
        self.copied: dict[str, str] = {}  # upload-relative path -> site path
        self.remote: set[str] = set()  # old-site file URLs left as they are (no --uploads)

    @staticmethod
    def relative(url: str) -> str | None:
        """"2024/05/photo.jpg" for a URL inside wp-content/uploads (or WordPress.com's files
        host), None for any other URL. Never a path that leaves the folder."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        if "/wp-content/uploads/" in path:
            rel = path.split("/wp-content/uploads/", 1)[1]
        elif (parts.hostname or "").endswith(".files.wordpress.com"):
            rel = path.lstrip("/")
        else:
            return None
        segs = [s for s in rel.split("/") if s]
        if not segs or any(s in (".", "..") or s.startswith("~") for s in segs) or "\\" in rel:
            return None
        return "/".join(segs)

    def site_path(self, url: str, where: str) -> str | None:
        """The site path of the copied file ("uploads/2024/05/photo.jpg"), or None (old URL)."""
        rel = self.relative(url)
        if rel is None:
            return None
        if self.folder is None:
            self.remote.add(url)
            return None
        if rel not in self.copied:
            source = self.folder / rel
            if not source.is_file():
                self.plan.report.look(where, f"{url} is not in the uploads folder: it still "
                                             "points at the old site")
                return None
            target = f"static/{UPLOADS_FOLDER}/{rel}"
            self.copied[rel] = f"{UPLOADS_FOLDER}/{rel}"
            self.plan.files.append(Planned(target, source=source))
        return self.copied[rel]

    def link(self, url: str, article_path: str, where: str) -> str:
        """A link to the file relative to the article's own page, or the old URL."""
        site = self.site_path(url, where)
        if site is None:
            return url
        return posixpath.relpath(site, article_path.rstrip("/") or ".")


# --- one item -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapped:
    """An item's front matter, in the order it is written, and where its file goes."""

    rel: str  # content/<section>/<slug>.md
    fields: tuple[tuple[str, object], ...]
    path: str  # the article's site path, as the build will make it


class Mapper:
    def __init__(self, export: Export, config: Config, options: ImportOptions, plan: Plan) -> None:
        self.export = export
        self.config = config
        self.options = options
        self.plan = plan
        self.uploads = Uploads(options.uploads, plan)
        self.names: set[str] = set()
        self.authors: dict[str, str] = {}  # profile key -> display name, in first-use order
        self.reserved_paths: dict[str, str] = {}

    def slug(self, text: str) -> str:
        return slugify(text, keep_unicode=self.config.slug_unicode)

    def categories(self, item: Item) -> tuple[str, ...]:
        cats = self.export.categories
        out: list[str] = []
        last: list[str] = []
        for term in item.terms:
            if term.domain != "category":
                continue
            chain = []
            nice = term.nicename
            seen: set[str] = set()
            while nice and nice not in seen:
                seen.add(nice)
                cat = cats.get(nice)
                chain.append(cat.name if cat else (term.name if nice == term.nicename else nice))
                nice = cat.parent if cat else ""
            (last if term.nicename == "uncategorized" else out).extend(chain)
        return tuple(dict.fromkeys(out + last))

    def date(self, item: Item) -> datetime | None:
        tz = self.config.tz
        if item.date_gmt is not None:
            return item.date_gmt.astimezone(tz)
        return item.date.replace(tzinfo=tz) if item.date else None

    def file_name(self, folder: str, slug: str) -> str:
        base = f"content/{folder}/" if folder else "content/"
        name, n = f"{base}{slug}.md", 2
        while name.lower() in self.names:
            name, n = f"{base}{slug}-{n}.md", n + 1
        self.names.add(name.lower())
        return name

    def address(self, item: Item, where: str) -> str | None:
        """The old address to keep, or None (reported) when the site cannot serve it."""
        if item.status not in ("publish", "future"):
            return None
        old = wordpress_path(item.link, self.export.link)
        if old is None:
            self.plan.report.look(where, f"its WordPress address {item.link} has a query string, "
                                         "which a static site cannot serve; no redirect made")
            return None
        if old.strip("/").split("/")[0] in BUILD_OWNED or old == "/":
            self.plan.report.look(where, f"its WordPress address {old} is one the build writes "
                                         "itself; it is not kept")
            return None
        kept = clean_path(old, self.config.slug_unicode)
        if kept != old.lstrip("/"):
            hint = (" (set slug_unicode = true in site.toml to keep non-ASCII letters)"
                    if any(ord(c) > 127 for c in old) and not self.config.slug_unicode else "")
            self.plan.report.look(where, f"its WordPress address {old} becomes /{kept}: old links "
                                         f"to it will not work{hint}")
        owner = self.reserved_paths.setdefault(kept, where)
        if owner != where:
            self.plan.report.look(where, f"its WordPress address {old} is also the address of "
                                         f"{owner}; not kept")
            return None
        return old

    def map(self, item: Item) -> Mapped | None:
        report = self.plan.report
        label = f"{item.type} {item.id}"
        if item.status == "private":
            report.skip(label, f"private {item.type} {plain_title(item.title)!r} skipped: "
                               "private posts are not published")
            return None
        if item.status in ("trash", "auto-draft", "inherit"):
            report.skip(label, f"{item.status} {item.type} {plain_title(item.title)!r} skipped")
            return None
        title = plain_title(item.title)
        raw_slug = unquote(item.slug).strip("/")
        categories = self.categories(item) if item.type == "post" else ()
        tags = tuple(dict.fromkeys(t.name for t in item.terms if t.domain == "post_tag" and t.name))
        slug = self.slug(raw_slug or title or f"{item.type}-{item.id}")
        folder = PAGES_FOLDER if item.type == "page" else (self.slug(categories[0]) if categories
                                                           else "")
        rel = self.file_name(folder, slug)
        if not title:
            title = raw_slug.replace("-", " ").strip().capitalize() or f"Untitled {item.id}"
            report.look(rel, f"it had no title in WordPress; titled {title!r} from its slug")
        elif item.title.strip() != title and "<" in item.title:
            report.note(rel, f"markup removed from the title {item.title.strip()!r}")
        date = self.date(item)
        if date is None:
            report.skip(label, f"{item.type} {title!r} skipped: it has no date")
            self.names.discard(rel.lower())
            return None
        old = self.address(item, rel)
        section = self.slug(categories[0]) if categories else folder
        permalink = expand_permalink(self.config.permalink, slug=slug, category=section,
                                     date=date, lang=self.config.language)
        fields: list[tuple[str, object]] = [("title", title), ("date", date.isoformat())]
        path = permalink
        if old is not None:
            kept = clean_path(old, self.config.slug_unicode)
            if item.type == "page" or self.options.keep_urls or kept == permalink:
                fields.append(("url", old))
                path = kept
            else:
                fields.append(("aliases", [old]))
        fields.append(("slug", slug))
        if categories:
            fields.append(("categories", list(categories)))
        if tags:
            fields.append(("tags", list(tags)))
        if item.creator:
            fields.append(("author", self.author(item.creator, rel)))
        if item.excerpt.strip():
            summary = convert_inline(item.excerpt)
            if summary:
                fields.append(("summary", summary))
        thumb = self.thumbnail(item, rel)
        if thumb:
            fields.append(("thumbnail", thumb))
        if item.sticky:
            fields.append(("weight", 1))
        if item.status in ("draft", "pending"):
            fields.append(("draft", True))
        elif item.password:
            fields.append(("draft", True))
            report.look(rel, "password-protected in WordPress: imported as a draft, since a "
                             "static page cannot ask for the password")
        if item.status == "future":
            fields.append(("publishDate", date.isoformat()))
            report.note(rel, f"scheduled: published with the first build after {date.isoformat()}")
        if item.comments:
            report.note(rel, f"{item.comments} comment(s) not imported")
        return Mapped(rel, tuple(fields), path)

    def author(self, creator: str, where: str) -> str:
        key = slugify(creator)
        if key not in self.authors:
            known = self.export.authors.get(creator) or next(
                (a for a in self.export.authors.values() if slugify(a.login) == key), None)
            if known is None:
                self.plan.report.look(where, f"author {creator!r} is not among the export's "
                                             f"authors; profile {key!r} named after the login")
            self.authors[key] = known.display_name if known else creator
        return key

    def thumbnail(self, item: Item, where: str) -> str | None:
        thumb_id = item.meta.get("_thumbnail_id", "").strip()
        if not thumb_id:
            return None
        att = self.export.attachments.get(int(thumb_id)) if thumb_id.isdigit() else None
        if att is None or not att.attachment_url:
            self.plan.report.look(where, f"its featured image (attachment {thumb_id}) is not in "
                                         "the export")
            return None
        site = self.uploads.site_path(att.attachment_url, where)
        return "/" + site if site else att.attachment_url

    def gallery(self, item: Item, ids: list[int] | None) -> list[Picture]:
        atts = (self.export.children(item.id) if ids is None
                else [self.export.attachments[i] for i in ids if i in self.export.attachments])
        return [Picture(a.attachment_url, a.meta.get("_wp_attachment_image_alt", "").strip(),
                        " ".join(plain_title(a.excerpt).split()))
                for a in atts if a.attachment_url and _is_image(a.attachment_url)]

    def body(self, item: Item, mapped: Mapped) -> str:
        ctx = BodyContext(gallery=lambda ids: self.gallery(item, ids),
                          rewrite=lambda url: self.uploads.link(url, mapped.path, mapped.rel))
        converted = convert_body(item.content, ctx)
        for message in converted.review:
            self.plan.report.look(mapped.rel, message)
        for message in converted.info:
            self.plan.report.note(mapped.rel, message)
        return converted.markdown


def _is_image(url: str) -> bool:
    return urlsplit(url).path.lower().rsplit(".", 1)[-1] in (
        "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff")


def front_matter(fields: Iterable[tuple[str, object]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {yaml_str(str(v))}" for v in value]
        else:
            lines.append(f"{key}: {yaml_str(str(value))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# --- site.toml ----------------------------------------------------------------------------


def _author_tables(authors: dict[str, str], existing: dict[str, object]) -> str:
    out = []
    for key, name in authors.items():
        if key in existing:
            continue
        out.append(f"\n[authors.{key}]\nname = {_toml_str(name)}\n")
    return "".join(out)


def _new_site_toml(export: Export, authors: dict[str, str], needs_unicode: bool) -> str:
    lines = [f"# Written by `broadsheet import wordpress` from {Path(export.path).name}.",
             "# Every key is optional; `broadsheet init` lists them all."]
    if export.title:
        lines.append(f"title = {_toml_str(export.title)}")
    home = export.link.rstrip("/") + "/"
    if home.startswith(("http://", "https://")):
        lines.append(f"base_url = {_toml_str(home)}  # the old site's address: change it if the "
                     "site moves")
    if export.language:
        lines.append(f"language = {_toml_str(export.language.split('-')[0].lower())}")
    if needs_unicode:
        lines.append("slug_unicode = true  # old addresses with non-ASCII letters keep working")
    return "\n".join(lines) + "\n" + _author_tables(authors, {})


# --- the whole import ---------------------------------------------------------------------


def plan_import(export: Export, options: ImportOptions) -> Plan:
    """Everything the import will write, and the report, without touching the disk."""
    site = options.site_dir
    toml_path = site / "site.toml"
    has_toml = toml_path.is_file()
    needs_unicode = not has_toml and any(
        any(ord(c) > 127 for c in (wordpress_path(i.link, export.link) or ""))
        for i in export.items if i.type in IMPORTED_TYPES)
    config = load_config(site, slug_unicode=True if needs_unicode else None)
    plan = Plan()
    mapper = Mapper(export, config, options, plan)
    skipped_types: dict[str, int] = {}
    for item in export.items:
        if item.type not in IMPORTED_TYPES:
            skipped_types[item.type] = skipped_types.get(item.type, 0) + 1
            continue
        mapped = mapper.map(item)
        if mapped is None:
            continue
        body = mapper.body(item, mapped)
        text = front_matter(mapped.fields) + "\n" + body
        plan.files.append(Planned(mapped.rel, data=text.encode("utf-8")))
        plan.articles += 1
    for kind, count in sorted(skipped_types.items()):
        why = {"attachment": "media files; the ones posts use are linked or copied",
               "nav_menu_item": "menus are not imported: set [[menu.main]] in site.toml",
               "revision": "old versions of posts"}.get(kind, "not a post or page")
        plan.report.skip("", f"{count} {kind} item(s) not imported: {why}")
    if options.uploads is None and mapper.uploads.remote:
        plan.report.note("", f"{len(mapper.uploads.remote)} uploaded file(s) are linked at the old "
                             "site (no --uploads folder given)")
    if has_toml:
        existing = tomllib.loads(toml_path.read_text(encoding="utf-8-sig")).get("authors", {})
        plan.toml_append = _author_tables(mapper.authors, existing)
    else:
        plan.toml_new = _new_site_toml(export, mapper.authors, needs_unicode)
    return plan


def _check_targets(plan: Plan, site: Path, force: bool) -> None:
    existing = []
    for f in plan.files:
        target = site / f.rel
        if not target.exists():
            continue
        if f.source is not None and target.is_file() and target.read_bytes() == f.content():
            continue  # the same upload, copied before
        if target.is_dir() or not force:
            existing.append(f.rel)
    if existing:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise ImportStop(f"{existing[0]}{more} already exist(s): nothing was written. Import into "
                         "an empty site, or pass --force to overwrite the imported files")


def write_plan(plan: Plan, options: ImportOptions) -> None:
    """Write every planned file; refuses (before writing anything) when one exists, unless forced."""
    site = options.site_dir
    root = site.resolve()
    _check_targets(plan, site, options.force)
    for f in plan.files:
        target = site / f.rel
        if not target.resolve().is_relative_to(root):
            raise ImportStop(f"{f.rel} would be written outside the site folder; refused")
    (site / "content").mkdir(parents=True, exist_ok=True)
    for f in plan.files:
        target = site / f.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = f.content()
        if target.is_file() and target.read_bytes() == data:
            plan.report.written.append(f.rel)
            continue
        with target.open("wb" if options.force else "xb") as out:
            out.write(data)
        plan.report.written.append(f.rel)
    toml = site / "site.toml"
    if plan.toml_new:
        with toml.open("x", encoding="utf-8", newline="\n") as out:
            out.write(plan.toml_new)
        plan.report.written.append("site.toml")
    elif plan.toml_append:
        text = toml.read_text(encoding="utf-8-sig")
        with toml.open("a", encoding="utf-8", newline="\n") as out:
            out.write(("" if text.endswith("\n") or not text else "\n") + plan.toml_append)
        plan.report.note("site.toml", "author profiles appended: "
                                      + ", ".join(k.split("]")[0] for k in
                                                  plan.toml_append.split("[authors.")[1:]))


def import_wordpress(export_file: Path, options: ImportOptions) -> Plan:
    """Read, plan, write. Raises ExportError (bad export), ImportStop, ContentError (site.toml)."""
    export = read_export(export_file, export_file.name)
    plan = plan_import(export, options)
    write_plan(plan, options)
    return plan
