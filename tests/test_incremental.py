"""The cache, page skipping and parallel workers never change what is built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import workers
from generator.build import build_keeping_state
from generator.cache import ARTICLES_FILE, forget_remembered
from generator.cache import articles as article_cache
from generator.config import load_config
from generator.errors import BuildError

from .conftest import Site


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".broadsheet")}


def small_site(site: Site, n: int = 12) -> None:
    site.write("site.toml", "paginate = 3\n")
    for i in range(n):
        site.article(f"{'world' if i % 2 else 'business'}/s{i}.md", f"Story number {i}",
                     date=f"2025-{i // 28 + 1:02d}-{i % 28 + 1:02d} 10:00:00", tags=["alpha", f"t{i % 3}"],
                     body=f"Body of story {i}.\n\n## Part\n\nMore {i}.\n")


@pytest.fixture
def parallel(monkeypatch):
    """Let tiny fixture sites use the worker pool, which normally starts at 200 items."""
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)


def test_cached_and_uncached_builds_are_identical(make_site, parallel):
    a, b = make_site("a"), make_site("b")
    for s in (a, b):
        small_site(s)
    a.build()
    a.build()  # second build: everything from the cache
    b.build(use_cache=False)
    assert (a.root / ".broadsheet-cache").is_dir()
    assert not (b.root / ".broadsheet-cache").exists()
    assert files(a.out) == files(b.out)


@pytest.mark.parametrize("in_file", [True, False], ids=["pread", "no pread"])
def test_bodies_and_terms_from_the_cache_file_or_memory_build_the_same(
        make_site, parallel, monkeypatch: pytest.MonkeyPatch, in_file: bool):
    """Bodies and search terms stay in the cache file where os.pread exists, and are held in
    memory where it does not (Windows): both give the uncached build's output."""
    monkeypatch.setattr(article_cache, "BODIES_IN_FILE", in_file)
    forget_remembered()
    a, b = make_site("a"), make_site("b")
    for s in (a, b):
        small_site(s, 12)
    a.build(search=True, jobs=2)  # entries from the workers
    cache_file = a.root / ".broadsheet-cache" / ARTICLES_FILE
    # Each edit makes one new entry; the others come from the last file, as this process
    # remembers it (their records copied into the next file as bytes), then as read from disk.
    # The search index, merged again after each edit, reads every article's terms through them.
    for n, memo in ((3, True), (4, True), (5, False)):
        if not memo:
            forget_remembered()
        for s in (a, b):
            s.article(f"{'world' if n % 2 else 'business'}/s{n}.md", f"Story number {n}, edited")
        a.build(search=True, jobs=2)
        b.build(search=True, use_cache=False)
        assert files(a.out) == files(b.out), n
        # the edited articles' old records stay in the file while they are few (DEAD_SHARE)
        assert 12 <= pickle_records(cache_file.read_bytes()) <= 14


def test_parallel_and_serial_builds_are_identical(make_site, parallel):
    a, b = make_site("a"), make_site("b")
    for s in (a, b):
        small_site(s, 30)
    a.build(jobs=2, use_cache=False, search=True)  # the index merged in a forked worker too
    b.build(jobs=1, use_cache=False, search=True)
    assert files(a.out) == files(b.out)
    assert any(p.startswith("search-index/t.") for p in files(a.out))


def test_pages_rendered_while_the_index_merges_then_on_the_pool_are_identical(
        make_site, parallel, monkeypatch):
    """The parent renders pages one chunk at a time until the search index's worker is done,
    then shares the rest with a render worker: forced here to stop after three chunks of one
    page, whatever the index's worker takes."""
    from generator import build as build_module

    asked: list[bool] = []

    def ready(self) -> bool:  # not ready for the first three chunks, then done
        asked.append(True)
        return len(asked) > 3

    monkeypatch.setattr(build_module, "RENDER_CHUNK", 1)
    monkeypatch.setattr(build_module._IndexLater, "ready", ready)
    a, b = make_site("a"), make_site("b")
    for s in (a, b):
        small_site(s, 30)
    result = a.build(jobs=2, use_cache=False, search=True)
    stages = dict(result.timings)
    assert "search index, and 3 pages meanwhile" in stages
    assert any(name.startswith("render ") and name != "render 0 pages" for name in stages)
    monkeypatch.undo()
    b.build(jobs=1, use_cache=False, search=True)
    assert files(a.out) == files(b.out)


def changed_by(site: Site, edit) -> set[str]:
    before = files(site.out)
    edit()
    site.build()
    after = files(site.out)
    return {k for k in after.keys() | before.keys() if after.get(k) != before.get(k)}


def test_editing_one_article_changes_exactly_its_pages(site: Site, parallel):
    small_site(site)
    site.build()
    changed = changed_by(site, lambda: site.article(
        "world/s5.md", "Story number 5", date="2025-01-06 10:00:00", tags=["alpha", "t2"],
        body="A new first sentence.\n"))
    # its own page, and every list that shows its summary: home page 3 (newest first, 3 a page),
    # its category, its tags, its archives, and the feeds that carry it
    assert "world/story-number-5/index.html" in changed
    assert "categories/world/page/2/index.html" in changed  # 3 a page: s11, s9, s7 | s5
    assert "categories/world/index.html" not in changed
    assert "feed.xml" in changed
    for rel in changed:
        assert not rel.startswith(("business/", "categories/business/")), rel
        assert "story-number-" not in rel or rel == "world/story-number-5/index.html", rel


def test_unchanged_feeds_and_search_index_are_not_made_again(site: Site,
                                                               monkeypatch: pytest.MonkeyPatch):
    """Feeds and the search index are skipped by fingerprint like pages; an edit remakes the
    feeds that carry the article and the index, and the output equals an uncached build."""
    from generator import feeds, search

    small_site(site)
    site.build(search=True)
    made: list[str] = []
    real_render, real_index = feeds.render, search.index_files

    def render(site_model, feed):  # type: ignore[no-untyped-def]
        made.append(feed.path)
        return real_render(site_model, feed)

    def index_files(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append("search index")
        return real_index(*args, **kwargs)

    monkeypatch.setattr(feeds, "render", render)
    monkeypatch.setattr(search, "index_files", index_files)
    # jobs=1: the index is merged in this process, where `made` sees it, not in a forked worker
    result = site.build(search=True, jobs=1)
    assert made == [] and result.written == ()
    site.article("world/s5.md", "Story number 5", date="2025-01-06 10:00:00", tags=["alpha", "t2"],
                 body="A new first sentence.\n")
    site.build(search=True, jobs=1)
    assert sorted(made) == sorted(["feed.xml", "rss.xml", "feed.json", "categories/world/feed.xml",
                                   "categories/world/feed.json", "tags/alpha/feed.xml",
                                   "tags/t2/feed.xml", "search index"])
    cached = files(site.out)
    site.build(search=True, use_cache=False)
    assert files(site.out) == cached


def test_editing_a_title_updates_neighbours_and_widgets(site: Site):
    small_site(site)
    site.build()
    changed = changed_by(site, lambda: site.article(
        "world/s11.md", "A new headline", date="2025-01-12 10:00:00", tags=["alpha", "t2"]))
    # the newest article's title is in the "recent" widget on every page
    assert "business/story-number-0/index.html" in changed
    assert "world/a-new-headline/index.html" in changed
    assert "world/story-number-11/index.html" not in files(site.out)


def test_editing_a_template_rerenders_pages_using_it(site: Site):
    small_site(site)
    site.build()
    (site.root / "templates/partials").mkdir(parents=True)
    theme = Path(__file__).resolve().parents[1] / "templates/partials/byline.html"
    changed = changed_by(site, lambda: site.write(
        "templates/partials/byline.html", theme.read_text() + "<!-- local byline -->\n"))
    articles = {k for k in files(site.out) if k.count("/") == 2 and k.startswith(("world/",
                                                                                  "business/"))}
    assert articles and articles <= changed
    assert "categories/world/index.html" not in changed, changed  # lists do not use the byline
    assert b"local byline" in (site.out / "world/story-number-1/index.html").read_bytes()


def test_editing_site_toml_changes_what_it_affects(site: Site):
    small_site(site)
    site.build()
    changed = changed_by(site, lambda: site.write("site.toml", "paginate = 4\n"))
    assert "page/3/index.html" in changed  # 12 articles: 4 home pages become 3
    assert "page/4/index.html" in changed  # removed
    assert not (site.out / "page/4").exists()


def test_corrupt_cache_is_ignored(site: Site):
    small_site(site, 3)
    site.build()
    for f in (site.root / ".broadsheet-cache").iterdir():
        f.write_bytes(b"not a pickle")
    before = files(site.out)
    site.build()
    assert files(site.out) == before


def test_truncated_or_failed_cache_writes_are_not_used(site: Site, parallel):
    """The article cache is written record by record while articles are read: a file cut short
    (a killed build) is ignored whole, and a build with errors leaves the old file as it was."""
    small_site(site, 6)
    site.build()
    path = site.root / ".broadsheet-cache" / ARTICLES_FILE
    good = path.read_bytes()
    assert pickle_records(good) == 6
    config = load_config(site.root, search=False)  # as Site.build() builds
    forget_remembered()  # read the file, not what this process remembers of it
    assert len(article_cache.ArticleCache(config).old) == 6
    path.write_bytes(good[: len(good) * 2 // 3])
    assert article_cache.ArticleCache(config).old == {}
    before = files(site.out)
    site.build()
    assert files(site.out) == before and path.read_bytes() == good
    site.article("world/broken.md", "Broken", sidebar="middle")
    site.article("world/s1.md", "Story number 1, edited")
    with pytest.raises(BuildError):
        site.build()
    assert path.read_bytes() == good and not path.with_suffix(".tmp").exists()


def test_new_records_are_added_to_the_cache_file_until_it_is_mostly_dead(site: Site):
    """One edit adds one record to the end of the file (not a new file with every record
    copied); once the records no build uses pass DEAD_SHARE of it, the file is written anew
    with only the live ones. Each state builds what a clean build does."""
    small_site(site, 30)
    site.build()
    path = site.root / ".broadsheet-cache" / ARTICLES_FILE
    first = path.stat()
    config = load_config(site.root, search=False)
    rewritten = False
    for n in range(1, 12):
        site.article("world/s1.md", f"Story number 1, edit {n}")
        site.build()
        now, records = path.stat(), pickle_records(path.read_bytes())
        if now.st_ino == first.st_ino:
            assert records == 30 + n and now.st_size > first.st_size  # appended in place
        else:
            rewritten = True
            assert records == 30
            break
        forget_remembered()
        entries = article_cache.ArticleCache(config).old
        assert len(entries) == 30 + n
    assert rewritten and 2 <= n <= 6
    clean = Site(site.root.parent / "clean")
    shutil.copytree(site.root / "content", clean.root / "content", dirs_exist_ok=True)
    shutil.copy(site.root / "site.toml", clean.root / "site.toml")
    clean.build(use_cache=False)
    assert files(site.out) == files(clean.out)


def test_a_cache_file_this_process_wrote_is_not_read_again(site: Site,
                                                           monkeypatch: pytest.MonkeyPatch):
    """`serve` rebuilds in one process: it keeps the entries of the cache file it wrote, and
    reads the file again only once it changed."""
    small_site(site, 4)
    config = load_config(site.root, search=False)  # as Site.build() builds
    build_keeping_state(config)  # as `serve` builds; `build` keeps no memo (next test)

    def no_open(*args: object) -> None:
        raise AssertionError("the cache file was read again")

    monkeypatch.setattr(article_cache, "BodyFile", no_open)
    remembered = article_cache.ArticleCache(config).old
    assert len(remembered) == 4
    path = site.root / ".broadsheet-cache" / ARTICLES_FILE
    path.write_bytes(path.read_bytes())  # a new mtime: another process may have written it
    with pytest.raises(AssertionError, match="read again"):
        article_cache.ArticleCache(config)


def test_a_one_off_build_keeps_no_entries_in_memory(site: Site):
    """`broadsheet build` frees the article entries (their front-matter fields among them) once
    it has read them: the memo is for `serve`, which builds again in the same process."""
    small_site(site, 4)
    site.build()
    assert article_cache._last is None
    build_keeping_state(load_config(site.root, search=False))
    assert article_cache._last is not None and len(article_cache._last[1]) == 4


def test_articles_share_their_common_values(site: Site):
    """Each cache record is a pickle of its own; the values articles share (term links, kind,
    language, widgets) are made one object again when they are read back."""
    small_site(site, 6)
    site.build()
    site.build()  # every entry from the cache file this time
    entries = list(article_cache.ArticleCache(load_config(site.root, search=False)).old.values())
    alphas = {id(t) for e in entries for t in e.article.tags if t.name == "alpha"}
    assert len(entries) == 6 and len(alphas) == 1
    assert len({id(e.article.kind) for e in entries}) == 1
    assert len({id(e.article.widgets) for e in entries}) == 1


def pickle_records(data: bytes) -> int:
    """How many article records a cache file holds (each is followed by the body's bytes and
    the search terms' if any, and the file ends with None)."""
    import io
    import pickle

    fh, count = io.BytesIO(data), 0
    pickle.load(fh)  # the header
    while (record := pickle.load(fh)) is not None:
        _, entry, length, terms_length = record
        assert entry.article.body == b"" and entry.terms is None  # both stored raw, after it
        assert fh.read(length).startswith(b"<")  # the HTML
        if terms_length is not None:
            assert b"\0" in fh.read(terms_length)  # names, NUL, weights
        count += 1
    return count


def test_cache_never_serves_a_stale_article(site: Site):
    small_site(site, 3)
    site.build()
    site.article("world/s1.md", "Story number 1", date="2025-01-02 10:00:00", body="Fresh words.\n")
    site.build()
    assert b"Fresh words." in (site.out / "world/story-number-1/index.html").read_bytes()


def test_the_engine_key_covers_all_of_the_engine_and_its_libraries(monkeypatch: pytest.MonkeyPatch):
    """The keys live in generator/cache/, but the engine is all of generator/; and a library
    upgrade (a new Python-Markdown) can change every article, so its version is in the key."""
    from importlib import metadata

    from generator.cache import engine_key, keys

    hashed = {p.relative_to(keys.ENGINE_ROOT).as_posix() for p in keys.engine_files()}
    assert {"markdown.py", "build.py", "sources/plaintext.py", "cache/keys.py"} <= hashed
    before = engine_key()
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "99.0" if name == "markdown" else real(name))
    engine_key.cache_clear()
    try:
        assert engine_key() != before
    finally:
        monkeypatch.undo()
        engine_key.cache_clear()
    assert engine_key() == before


def test_a_wire_article_starting_with_dashes_still_keys_its_sidecar(site: Site):
    """A `.txt` whose first line is `---` plus text has no front matter, so it is plain text and
    its sidecar holds its metadata: an edit to the sidecar alone must reach the page."""
    site.write("content/wire/urgent.txt", "--- URGENT --- Port closed\n\nThe port closed at dawn.\n")
    site.write("content/wire/urgent.yaml", "date: 2025-02-03 06:00:00\ntags: [ports]\n")
    site.build()
    page = "wire/urgent-port-closed/index.html"
    assert "ports" in site.text(page)
    site.write("content/wire/urgent.yaml", "date: 2025-02-03 06:00:00\ntags: [harbours]\n")
    site.build()
    assert "harbours" in site.text(page) and "/tags/ports/" not in site.text(page)


def test_an_entry_checks_the_mtime_only_when_its_date_came_from_it(tmp_path: Path):
    import datetime as dt
    import os

    from generator.cache import mtime_to_check

    path = tmp_path / "story.md"
    path.write_text("x")

    def stat(mtime_ns: int) -> os.stat_result:
        os.utime(path, ns=(mtime_ns, mtime_ns))
        return os.stat(path)

    t = 1_739_000_000_250_000_000  # 2025-02-08 07:33:20.25 UTC
    as_date = dt.datetime(2025, 2, 8, 7, 33, 20, tzinfo=dt.UTC)
    other = dt.datetime(2025, 2, 1, 10, 0, tzinfo=dt.UTC)
    assert mtime_to_check(stat(t), stat(t), other) is None  # a date of its own
    assert mtime_to_check(stat(t), stat(t), as_date) == t  # the date is the mtime
    in_paris = as_date.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert mtime_to_check(stat(t), stat(t), in_paris) == t  # whatever the site's time zone
    assert mtime_to_check(stat(t), stat(t + 10**9), other) == t  # changed while it was read


def _stats(site: Site) -> dict:
    import pickle

    from generator.cache import keys

    path = site.root / ".broadsheet-cache" / keys.STATS_FILE
    return pickle.loads(path.read_bytes())[1] if path.exists() else {}


def test_a_source_unchanged_by_its_stat_is_not_read_to_key_it(site: Site, parallel,
                                                              monkeypatch: pytest.MonkeyPatch):
    """A Markdown source whose stat is the one the last build saw keeps its key unread; an
    edit that keeps the size and puts the mtime back still changes the ctime, and is seen."""
    import os

    from generator.cache import keys

    monkeypatch.setattr(keys, "RACY_NS", -10**12)  # these files were written just now
    small_site(site, 4)
    site.build(jobs=2)  # the workers key the sources: the parent stats them to remember
    assert set(_stats(site)) == {f"{d}/s{i}.md" for i, d in enumerate(["business", "world"] * 2)}
    read: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        if self.suffix == ".md":
            read.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    assert site.build().written == ()
    assert read == []  # no source was read, to key it or otherwise
    path = site.root / "content/world/s1.md"
    st = os.stat(path)
    path.write_bytes(path.read_bytes().replace(b"Body of story 1.", b"Edit of story 1."))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns
    read.clear()
    site.build()
    assert set(read) == {"s1.md"}  # keyed (and read) again: only the edited file
    assert b"Edit of story 1." in (site.out / "world/story-number-1/index.html").read_bytes()


def test_a_source_changed_close_to_the_build_is_not_remembered(site: Site):
    """A file whose ctime is within RACY_NS of the build's start may have changed while it was
    read: it is hashed again next time (and wire articles, keyed with their sidecars, always are)."""
    small_site(site, 2)
    site.write("content/wire/note.txt", "Port closed\n\nThe port closed at dawn.\n")
    site.build()
    assert _stats(site) == {}


def test_fast_pickling_round_trips_every_cached_record_type():
    """The replacement __getstate__/__setstate__ keep the standard library's state (the field
    values in order), so each type comes back equal to what went in."""
    import dataclasses
    import pickle

    from generator.cache.articles import Entry
    from generator.model import Article, PageRef, TermRef, TocEntry
    from generator.sources.fields import Correction, MenuRef, Schedule, Thumbnail

    for cls in (Entry, Article, PageRef, TocEntry, Correction, MenuRef, Schedule, Thumbnail):
        names = [f.name for f in dataclasses.fields(cls)]
        assert cls.__getstate__.__module__ == "generator.pickling", cls  # type: ignore[attr-defined]
        obj = object.__new__(cls)
        cls.__setstate__(obj, list(range(len(names))))  # type: ignore[attr-defined]
        assert [getattr(obj, n) for n in names] == list(range(len(names)))
        back = pickle.loads(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))
        assert [getattr(back, n) for n in names] == list(range(len(names)))
    # A term link is pickled by value and comes back as the one object for that link.
    ref = TermRef("tags", "Alpha", "alpha", "fr/")
    back = pickle.loads(pickle.dumps(ref, pickle.HIGHEST_PROTOCOL))
    assert back == ref and back is pickle.loads(pickle.dumps(ref, pickle.HIGHEST_PROTOCOL))


def test_related_lists_come_from_the_cache_until_their_inputs_change(make_site, monkeypatch):
    """A no-change build reads each article's related articles back (cache/related.py); a
    changed tag works them out again, and every build shows what an uncached build shows."""
    from generator import site as site_module

    calls: list[int] = []
    real = site_module.related_articles

    def counting(*args: object, **kwargs: object) -> dict:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("generator.cache.related.related_articles", counting)
    a, b = make_site("a"), make_site("b")
    for s in (a, b):
        small_site(s, 8)
    a.build()
    assert len(calls) == 1
    a.build()
    assert len(calls) == 1  # read back, not worked out
    b.build(use_cache=False)
    assert files(a.out) == files(b.out)
    for s in (a, b):  # s3 moves from topic t0 to t1: related lists change
        s.article("world/s3.md", "Story number 3", date="2025-01-04 10:00:00", tags=["t1"],
                  body="Body of story 3.\n")
    before = len(calls)
    a.build()
    assert len(calls) == before + 1
    b.build(use_cache=False)
    assert files(a.out) == files(b.out)
