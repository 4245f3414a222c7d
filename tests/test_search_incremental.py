"""The search index merged from the last merge's state (generator/cache/search.py) is byte for
byte the full merge's, after every kind of edit, and the shortcut is really taken.

The chunk size is made small here (TARGET_CHUNK, MAX_CHUNK), so a site of a few dozen short
articles has dozens of term chunks, some cut by size: what a 10,000-article site has, at a
size a test can build in a second.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import generator.search as search
from generator import workers
from generator.cache.keys import CACHE_DIR
from generator.cache.search import SearchCache
from generator.commands.common import parse_now
from generator.config import load_config
from generator.model import Site as SiteModel
from generator.output import digest

from .conftest import NOW, Site
from .test_equivalence import tree
from .test_languages import copy_fixture
from .test_search import site_model

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "fu", "gri", "bel"]
VOCABULARY = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("n", "r", "sk")})
STATE = f"{CACHE_DIR}/search.pickle"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few hundred bytes, a sixth of them cut by size; forked workers see
    these too (they inherit the module). The pools start at one item, as at 10,000 articles."""
    monkeypatch.setattr(search, "TARGET_CHUNK", 300)
    monkeypatch.setattr(search, "MAX_CHUNK", 400)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)


def words(rng: random.Random, n: int) -> str:
    """n words, the common ones far more often (as in prose: some terms in every article)."""
    return " ".join(VOCABULARY[min(int(rng.expovariate(1 / 60)), len(VOCABULARY) - 1)]
                    for _ in range(n))


def write_article(site: Site, n: int, rng: random.Random, *, day: int | None = None) -> None:
    day = n if day is None else day
    site.article(f"news/story-{n:03}.md", f"Story {n} {words(rng, 3)}", slug=f"story-{n:03}",
                 date=f"2025-01-{1 + day // 24:02} {day % 24:02}:00:00+00:00",
                 tags=rng.sample(["alpha", "beta", "gamma", "delta"], 2),
                 body=f"{words(rng, 40)}.\n\n{words(rng, 25)}.\n")


def newsroom(site: Site, count: int = 40) -> None:
    site.write("site.toml", 'title = "The Index Times"\nbase_url = "https://ix.example/"\n')
    rng = random.Random(7)
    for n in range(count):
        write_article(site, n, rng)


def index_tree(out: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in tree(out).items() if rel.startswith(search.SEARCH_DIR)}


def story(site: Site, n: int) -> Path:
    return site.root / f"content/news/story-{n:03}.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(site: Site, n: int, text: str) -> None:
    path = story(site, n)
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def drop_first_word(site: Site, n: int) -> None:
    """Take a body's first word out, and every other use of it: a term the doc no longer has."""
    path = story(site, n)
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    word = body.split()[0].strip(".")
    path.write_text(head + "\n---\n" + " ".join(w for w in body.split(" ") if w.strip(".\n") != word),
                    encoding="utf-8")


# (id, edit, whether the docs keep their numbers, so the merge can start from the last one)
EDITS: list[tuple[str, Callable[[Site], None], bool]] = [
    ("one edit", lambda s: append(s, 12, "\nA quibblestone zeppelinfield appeared.\n"), True),
    ("a word dropped", lambda s: drop_first_word(s, 20), True),
    ("newest article added", lambda s: write_article(s, 40, random.Random(1)), True),
    ("newest article removed", lambda s: story(s, 39).unlink(), True),
    ("article added in the middle", lambda s: write_article(s, 41, random.Random(2), day=17),
     False),
    ("article removed in the middle", lambda s: story(s, 8).unlink(), False),
    ("date moves it in the order", lambda s: edit(story(s, 5), "2025-01-01 05:00", "2025-01-02 10:00"),
     False),
    ("date within its place", lambda s: edit(story(s, 5), "2025-01-01 05:00", "2025-01-01 05:30"),
     True),
    ("same instant, another offset", lambda s: edit(story(s, 5), "2025-01-01 05:00:00+00:00",
                                                    "2025-01-01 06:00:00+01:00"), True),
    ("title", lambda s: edit(story(s, 30), "Story 30", "Headline 30"), True),
    ("tags", lambda s: edit(story(s, 30), "tags:\n- ", "tags:\n- epsilon\n- "), True),
    ("settings", lambda s: s.write("site.toml", 'title = "The Index Times"\n'
                                   'base_url = "https://ix.example/"\ntimezone = "Asia/Tokyo"\n'),
     False),
]


class Made:
    """What each index merge gave the Writer, counted by wrapping `search.index_files` (with
    jobs=1 the merge runs in this process)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.chunks = self.held = 0
        real = search.index_files

        def index_files(*args, **kwargs):  # type: ignore[no-untyped-def]
            for rel, data in real(*args, **kwargs):
                if isinstance(data, search.Held):
                    self.held += 1
                elif "/t." in rel:
                    self.chunks += 1
                yield rel, data

        monkeypatch.setattr(search, "index_files", index_files)

    def reset(self) -> None:
        self.chunks = self.held = 0


@pytest.mark.parametrize(("change", "kept_numbers"), [(e, k) for _, e, k in EDITS],
                         ids=[name for name, _, _ in EDITS])
def test_the_index_after_an_edit_is_the_full_merges(make_site, monkeypatch: pytest.MonkeyPatch,
                                                    change: Callable[[Site], None],
                                                    kept_numbers: bool) -> None:
    """Built with the state a forked worker saved, in this process (where `Made` counts), and
    compared with a `--no-cache` build of the same content: the whole tree, byte for byte."""
    site = make_site("site")
    newsroom(site)
    site.build(search=True, jobs=2)
    site.build(search=True, jobs=2)
    before = index_tree(site.out)
    assert len([rel for rel in before if "/t." in rel]) > 30
    assert (site.root / STATE).is_file()
    change(site)
    made = Made(monkeypatch)
    site.build(search=True, jobs=1)
    assert (made.held > 0) == kept_numbers  # chunks left as they were: the shortcut was taken
    incremental = tree(site.out)
    clean = site.root.parent / "clean"
    site.build(search=True, use_cache=False, output_dir=clean)
    assert sorted(incremental) == sorted(tree(clean))
    assert [rel for rel, data in tree(clean).items() if incremental[rel] != data] == []
    assert index_tree(site.out) != before


def test_the_shortcut_is_taken_and_redoes_little(site: Site, monkeypatch: pytest.MonkeyPatch):
    """An edit to one article re-dumps only chunks that hold its terms, far fewer than all; one
    that renumbers the docs merges whole; an unchanged index is not merged at all."""
    newsroom(site)
    site.build(search=True, jobs=1)
    made = Made(monkeypatch)
    site.build(search=True, jobs=1)
    assert (made.chunks, made.held) == (0, 0)  # the index's fingerprint stood
    all_chunks = len([rel for rel in index_tree(site.out) if "/t." in rel])

    append(site, 12, "\nA quibblestone zeppelinfield appeared.\n")
    site.build(search=True, jobs=1)
    assert 0 < made.chunks < all_chunks / 2 and made.held > all_chunks / 2
    _, terms = site_model(site.root)
    article_terms = set(search.terms_of(terms["news/story-012.md"])[0].split(" "))
    holding = {rel for rel, data in index_tree(site.out).items()
               if "/t." in rel and article_terms & set(json.loads(data))}
    assert made.chunks <= len(holding)

    made.reset()
    edit(story(site, 5), "2025-01-01 05:00", "2025-01-02 10:00")  # moves: every doc after it moves
    site.build(search=True, jobs=1)
    assert made.chunks == len([rel for rel in index_tree(site.out) if "/t." in rel])
    assert made.held == 0


def test_no_cache_neither_reads_nor_writes_the_state(site: Site):
    newsroom(site, 12)
    site.build(search=True, use_cache=False)
    assert not (site.root / CACHE_DIR).exists()
    site.build(search=True)
    state = site.root / STATE
    saved = state.read_bytes()
    append(site, 3, "\nMore words here.\n")
    site.build(search=True, use_cache=False)
    assert state.read_bytes() == saved


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign"])
def test_a_corrupt_or_foreign_state_is_no_state(site: Site, damage: str):
    newsroom(site, 20)
    site.build(search=True)
    state = site.root / STATE
    data = state.read_bytes()
    if damage == "garbage":
        state.write_bytes(b"not a pickle at all")
    elif damage == "truncated":
        state.write_bytes(data[: len(data) - 40])
    else:  # another site's, or another engine's: the header differs
        other = SearchCache(load_config(site.root, now=parse_now(NOW), search=True,
                                        timezone="Asia/Tokyo"))
        state.write_bytes(other._header("en") + data[len(SearchCache(load_config(
            site.root, now=parse_now(NOW), search=True))._header("en")):])
    append(site, 3, "\nMore words here.\n")
    site.build(search=True)
    clean = site.root.parent / "clean"
    site.build(search=True, use_cache=False, output_dir=clean)
    assert index_tree(site.out) == index_tree(clean)
    assert state.read_bytes() != data  # replaced by this build's


def test_chunks_missing_from_the_output_are_made_again(site: Site):
    """A chunk the state says stands, but that the output lost, is made from the postings."""
    newsroom(site)
    site.build(search=True)
    append(site, 12, "\nA quibblestone zeppelinfield appeared.\n")
    site.build(search=True)
    folder = site.out / search.SEARCH_DIR
    lost = sorted(folder.glob("t.*.json"))[:5]
    for path in lost:
        path.unlink()
    append(site, 13, "\nAnother zeppelinfield.\n")
    site.build(search=True)
    clean = site.root.parent / "clean"
    site.build(search=True, use_cache=False, output_dir=clean)
    assert index_tree(site.out) == index_tree(clean)


def test_each_edition_keeps_its_own_state(tmp_path: Path):
    """With [languages], one state per edition's index, each under its own key: an edit to the
    French article leaves the others' states as they were, and the output is the full merge's."""
    site = copy_fixture(tmp_path)
    site.build(search=True, jobs=2)
    states = {p.name: p.read_bytes() for p in (site.root / CACHE_DIR).glob("search*.pickle")}
    assert sorted(states) == ["search.ar.pickle", "search.fr.pickle", "search.pickle"]
    path = site.root / "content/world/harbour-accord.fr.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nLes pêcheurs saluent l'accord.\n",
                    encoding="utf-8")
    site.build(search=True, jobs=2)
    after = {p.name: p.read_bytes() for p in (site.root / CACHE_DIR).glob("search*.pickle")}
    assert [name for name in sorted(after) if after[name] != states[name]] == ["search.fr.pickle"]
    clean = site.root.parent / "clean"
    site.build(search=True, use_cache=False, output_dir=clean)
    assert tree(site.out) == tree(clean)


# --- randomized: many edits in a row, at the function level -----------------------------------

def merged(model: SiteModel, terms: dict[str, search.IndexTerms], cache: SearchCache,
           output: dict[str, bytes]) -> tuple[dict[str, bytes], set[str]]:
    """The index files as the Writer would leave them, `output` standing for the last build's;
    and those that came as Held."""
    def held(rel: str, h: str, size: int) -> bool:
        return rel in output and digest(output[rel]) == h and len(output[rel]) == size

    files, kept = {}, set()
    for rel, data in search.index_files(model, terms, cache=cache, held=held):
        if isinstance(data, search.Held):
            kept.add(rel)
            data = output[rel]
        assert rel not in files
        files[rel] = data
    return files, kept


def random_edits(site: Site, rng: random.Random) -> Iterator[str]:
    """Endless random edits of the site, each named."""
    alive = sorted(range(40))
    next_n = 40
    while True:
        kind = rng.choice(["append", "rewrite", "rewrite", "newest", "insert", "remove newest",
                           "remove", "title", "date", "tags"])
        victim = rng.choice(alive)
        if kind == "append":
            append(site, victim, f"\n{words(rng, rng.randint(1, 30))}.\n")
        elif kind == "rewrite":  # words go, words come
            write_article(site, victim, rng, day=victim)
        elif kind == "newest":
            write_article(site, next_n, rng, day=next_n + 100)
            alive.append(next_n)
            next_n += 1
        elif kind == "insert":
            write_article(site, next_n, rng, day=rng.randint(0, 60))
            alive.append(next_n)
            next_n += 1
        elif kind in ("remove newest", "remove") and len(alive) > 3:
            dates = {n: story(site, n).read_text(encoding="utf-8") for n in alive}
            gone = max(alive, key=lambda n: dates[n].split("date: ")[1][:30]) \
                if kind == "remove newest" else victim
            story(site, gone).unlink()
            alive.remove(gone)
        elif kind == "title":
            text = story(site, victim).read_text(encoding="utf-8")
            story(site, victim).write_text(text.replace("title: ", f"title: {words(rng, 1)} ", 1),
                                           encoding="utf-8")
        elif kind == "date":
            write_article(site, victim, random.Random(victim), day=rng.randint(0, 200))
        else:
            write_article(site, victim, random.Random(victim), day=victim)
            edit(story(site, victim), "tags:\n- ", f"tags:\n- {rng.choice(['eta', 'theta'])}\n- ")
        yield kind


def test_a_state_cut_with_another_modulus_is_cut_again(site: Site,
                                                      monkeypatch: pytest.MonkeyPatch):
    """`every` follows the index's size: when it is not the last merge's, no chunk stands."""
    newsroom(site)
    config = load_config(site.root, now=parse_now(NOW), search=True)
    model, terms = site_model(site.root)
    output, _ = merged(model, terms, SearchCache(config), {})
    monkeypatch.setattr(search, "TARGET_CHUNK", 1200)  # as if the index had shrunk to a quarter
    append(site, 12, "\nA quibblestone zeppelinfield appeared.\n")
    model, terms = site_model(site.root)
    files, kept = merged(model, terms, SearchCache(config), output)
    assert files == dict(search.index_files(model, terms))
    assert kept and all("/d." in rel for rel in kept)  # the doc groups stood, no chunk


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_keep_the_index_the_full_merges(site: Site, seed: int):
    newsroom(site)
    config = load_config(site.root, now=parse_now(NOW), search=True)
    output: dict[str, bytes] = {}
    shortcuts = 0
    edits = random_edits(site, random.Random(seed))
    kind = "first"
    for step in range(25):
        model, terms = site_model(site.root)
        full = dict(search.index_files(model, terms))
        files, kept = merged(model, terms, SearchCache(config), output)
        assert files == full, (step, kind)
        shortcuts += bool(kept)
        output = files
        kind = next(edits)
    assert shortcuts >= 8  # most edits keep the docs' numbers: the shortcut was exercised
