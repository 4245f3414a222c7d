"""Source documents + Config -> Articles: Markdown rendered, effective settings resolved once.

This is where the front-matter precedence rules live. A key present in the page wins even when it
is `false`; "", [] and a missing key fall back to the site value (the reader already turned those
into None). Templates never see raw front matter, so Jinja's `|default` (which treats `false` as
missing) is never needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from html import escape, unescape
from urllib.parse import unquote, urljoin

from . import liveblog, markdown
from .config import Config, language_tag
from .errors import Report
from .hugo import permalinks as hugo_permalinks
from .model import Article, Image, LiveBlog, TermRef
from .site import article_edition
from .sources import SourceDocument
from .sources.fields import Fields, Schedule
from .urls import clean_path, expand_permalink, slugify

_LANG_SUFFIX = re.compile(r"\.[a-z]{2}(?:-[a-z]{2})?$", re.IGNORECASE)


def build_clock(config: Config) -> datetime:
    return config.now or datetime.now(UTC)


def is_visible(f: Fields | Schedule, config: Config, now: datetime) -> bool:
    """Drafts, embargoed (publishDate or date in the future) and expired articles are not built."""
    if f.draft and not config.drafts:
        return False
    publish = f.publish_date or f.date
    if publish is not None and publish > now and not config.future:
        return False
    return not (f.expiry_date is not None and f.expiry_date <= now)


def term_ref(taxonomy: str, name: str, config: Config, prefix: str = "") -> TermRef:
    """A category or tag of an article on the edition at `prefix` ("" or "fr/")."""
    return TermRef(taxonomy, name, slugify(name, keep_unicode=config.slug_unicode), prefix)


def author_ref(name: str, config: Config, prefix: str = "") -> TermRef:
    """An author given by profile key ("jane-doe") or by name ("Jane Doe") links to one page
    (in each edition: "fr/authors/jane-doe/")."""
    slug = slugify(name, keep_unicode=config.slug_unicode)
    profile = config.authors.get(name) or config.authors.get(slug)
    if profile is not None:
        return TermRef("authors", profile.name, profile.slug, prefix)
    return TermRef("authors", name, slug, prefix)


def _unique(refs: Iterable[TermRef]) -> tuple[TermRef, ...]:
    """One ref per term: "energy" and "Energy" on one article are one tag (first spelling)."""
    seen: dict[str, TermRef] = {}
    for ref in refs:
        seen.setdefault(ref.slug, ref)
    return tuple(seen.values())


def _image(src: str) -> str:
    return src if src.startswith(("http://", "https://", "//")) else src.lstrip("/")


def _pick(page_value: bool | None, site_value: bool) -> bool:
    return site_value if page_value is None else page_value


def _description(text: str, limit: int = 200) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


_LINK = re.compile(r'<(?:a|img|source|video|audio|iframe)\b[^>]*?\s(?:href|src)="([^"#?][^"]*)"')


def local_links(html: str, path: str, config: Config) -> tuple[str, ...]:
    """Site paths that links and images in an article body point to (outside links left out)."""
    out = []
    for link in _LINK.findall(html):
        link = unescape(link)
        if ":" in link.split("/", 1)[0] or link.startswith("//"):
            continue  # https:, mailto:, tel: ... or protocol-relative
        target = urljoin("/" + path, link.split("#", 1)[0].split("?", 1)[0])
        if target.startswith(config.base_path) and config.base_path != "/":
            target = "/" + target[len(config.base_path):]
        out.append(unquote(target.lstrip("/")))
    return tuple(dict.fromkeys(out))


_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)"')
_ROOT_LINK = re.compile(r'(<(?:a|img|source|video|audio|iframe)\b[^>]*?\s(?:href|src)=")(/(?!/)[^"]*)"')


def rebase_root_links(html: str, base_path: str) -> str:
    """Root-relative links in a body (`/world/x/`) made to point inside a site served under a
    sub-path (`base_url = "https://example.com/news/"` -> `/news/world/x/`), as the theme's own
    links are. A link that already starts with the base path is left as written."""
    if base_path == "/" or "=\"/" not in html:
        return html

    def fix(m: re.Match[str]) -> str:
        link = m.group(2)
        if link.startswith(base_path) or link + "/" == base_path:
            return m.group(0)
        return f'{m.group(1)}{base_path}{link[1:]}"'

    return _ROOT_LINK.sub(fix, html)


def anchor_summary(summary_html: str, path: str, config: Config) -> str:
    """A summary is shown on list pages, so its in-page (#id) and relative links are made to
    point where they did on the article page: root-relative to the article's own URL."""
    here = config.base_path + path

    def fix(m: re.Match[str]) -> str:
        link = m.group(2)
        if not link or link.startswith("/") or ":" in link.split("/", 1)[0]:
            return m.group(0)
        return f'{m.group(1)}{urljoin(here, link)}"'

    return _ATTR.sub(fix, summary_html) if ("href=" in summary_html or "src=" in summary_html) \
        else summary_html


def make_article(doc: SourceDocument, config: Config, report: Report | None = None) -> Article:
    """Resolve one live document into an Article. A live blog's malformed update heading
    raises ContentError; `report` collects warnings (a build caches them with the article)."""
    f = doc.fields
    assert f.date is not None, "read_document gives every document a date"
    mathjax = _pick(f.mathjax, config.mathjax)
    parsed = None
    if f.liveblog:
        parsed = liveblog.parse(doc.path, doc.body, doc.body_line, f.date, config.tz)
        if not parsed.updates and report is not None:
            report.warn(doc.path, "liveblog is true but the body has no update heading such as "
                                  "'## 14:05 Headline'", field="liveblog")
        summary = f.summary or liveblog.default_summary(parsed, config.summary_words)
        rendered = markdown.render(liveblog.marked_source(parsed), summary,
                                   config.summary_words, math=mathjax)
    else:
        rendered = markdown.render(doc.body, f.summary, config.summary_words, math=mathjax)
    lang = f.lang or config.language
    if config.languages:  # an edition's code is canonical: "FR" and "pt_br" find "fr", "pt-BR"
        lang = language_tag(lang) or lang
    prefix, permalink = article_edition(config, lang)  # ("", the site's) without [languages]
    categories = f.categories or ((doc.folder,) if doc.folder else ())
    cat_refs = _unique(term_ref("categories", c, config, prefix) for c in categories)
    tag_refs = _unique(term_ref("tags", t, config, prefix) for t in f.tags)
    authors = f.authors or ((config.author,) if config.author else ())
    author_refs = _unique(author_ref(a, config, prefix) for a in authors)
    authorbox = _pick(f.authorbox, config.authorbox)
    if f.authorbox and not author_refs and report is not None:
        report.warn(doc.path, "authorbox is true but the article has no author and site.toml "
                              "sets no `author`: no box is shown", field="authorbox")
    if f.slug:
        slug = slugify(f.slug.strip("/"), keep_unicode=config.slug_unicode)
    elif config.slug_source == "filename":
        slug = slugify(_LANG_SUFFIX.sub("", doc.stem), keep_unicode=config.slug_unicode)
    else:
        slug = slugify(f.title, keep_unicode=config.slug_unicode)
    if config.hugo_rules:
        path = hugo_permalinks.page_path(doc, config)
    elif f.url:
        path = clean_path(f.url, config.slug_unicode)
    else:
        category = cat_refs[0].slug if cat_refs else ""
        path = prefix + expand_permalink(permalink, slug=slug, category=category,
                                         date=f.date.astimezone(config.tz), lang=lang)
    thumbnail = None
    if f.thumbnail is not None:
        vis = f.thumbnail.visibility or config.thumbnail_visibility
        thumbnail = Image(_image(f.thumbnail.src), "list" in vis, "post" in vis,
                          focus=f.thumbnail.focus or (0.5, 0.5))
    sidebar = config.sidebar_single if f.sidebar is None else (f.sidebar or None)
    summary_text = markdown.plain_text(rendered.summary_html)
    html = rebase_root_links(rendered.html, config.base_path)
    summary_html = rebase_root_links(rendered.summary_html, config.base_path)
    live: LiveBlog | None = None
    lastmod = f.lastmod or f.date
    if parsed is not None:
        start = min([f.date, *(u.time for u in parsed.updates[:1])])
        html, live = liveblog.assemble(parsed, html, start, f.coverage_end, config.tz)
        if live.updates:  # a live blog is modified by each update
            lastmod = max(lastmod, live.updates[0].time)
    if f.dateline:
        # "KYIV — First sentence...": the dateline runs into the first paragraph, as in print.
        mark = f'<span class="dateline">{escape(f.dateline)} —</span> '
        html = "<p>" + mark + html[3:] if html.startswith("<p>") else f"<p>{mark}</p>\n{html}"
    return Article(
        source=doc.path,
        kind=doc.kind,
        title=f.title,
        slug=slug,
        path=path,
        date=f.date,
        lastmod=lastmod,
        body=html.encode("utf-8"),
        summary_html=anchor_summary(summary_html, path, config),
        summary_is_full=rendered.summary_is_full,
        description=f.description or _description(summary_text),
        word_count=rendered.word_count,
        toc=rendered.toc if _pick(f.toc, config.toc) and live is None else (),
        lead=f.lead,
        lang=lang,
        categories=cat_refs,
        tags=tag_refs,
        authors=author_refs,
        translations=tuple(t for t in f.translations if t != lang),
        translation_key=f.translation_key or _LANG_SUFFIX.sub("", doc.stem),
        thumbnail=thumbnail,
        sidebar=sidebar,
        widgets=f.widgets or config.sidebar_widgets,
        pager=_pick(f.pager, config.pager),
        comments=bool(config.comments_provider) and f.comments is not False,
        authorbox=authorbox and bool(author_refs),
        mathjax=mathjax,
        menus=f.menus,
        aliases=tuple(p for p in (clean_path(a, config.slug_unicode) for a in f.aliases) if p),
        weight=f.weight,
        dateline=f.dateline,
        corrections=f.corrections,
        paywall=f.paywall,
        params=f.params,
        local_links=local_links(html, path, config),
        label=f.label,
        liveblog=live,
    )
