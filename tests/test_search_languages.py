"""Search in each language: the analysis (generator/analysis.py) and its twin in the browser
(static/js/search.js + static/js/stem/, translated by tools/snowball_js.py), held equal in
headless Chromium, and searches of small French, English, Arabic, Chinese and Japanese sites."""

from __future__ import annotations

import ast
import importlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import generator.search as search
from generator import analysis
from generator.cache import keys
from generator.config import load_config
from generator.model import Site as SiteModel

from .conftest import REPO, Site
from .test_languages import copy_fixture
from .test_search import browser, build_with_search, read_index, serve, site_model, term

sys.path.insert(0, str(REPO / "tools"))
import snowball_js

WORDS_PER_LANGUAGE = 6000

# Real text per language: news copy written for these tests, with the inflections, elisions,
# accents and scripts each analysis has to handle.
TEXTS = {
    "en": "The ferry runs twice a day. Ministers were running late; the minister's office said "
          "the elections, held in Zürich and İstanbul, had been postponed. Happily, the happier "
          "councillors' arguments about generalisation and nationalities continued.",
    "fr": "Le ministre de l'Énergie a présenté mardi un plan pour réduire la consommation "
          "d'électricité des bâtiments publics. Les économies d'énergie seront financées par "
          "l'État ; les députés, inquiets, demandent des précisions sur la nationalité des "
          "entreprises retenues et sur les délais. « Nous décidons aujourd'hui », a-t-il déclaré.",
    "de": "Die Bundesregierung hat am Dienstag neue Regeln für Mietwohnungen beschlossen. Die "
          "Häuser in den Städten werden teurer; Bürgerinnen und Bürger müssen länger warten. "
          "Der Straßenverkehr wächst, und die Verkehrsministerin äußerte sich zurückhaltend.",
    "es": "El ministro de Economía presentó ayer las nuevas informaciones sobre la inflación. "
          "Las naciones europeas discutieron la información durante horas; según los "
          "periodistas, los acuerdos comerciales serán firmados en diciembre por los gobiernos.",
    "ru": "Министр энергетики заявил во вторник, что новые электростанции будут построены "
          "до конца года. Министры обсуждали цены на ёлки и газ; жители городов ждут решений "
          "правительства, а депутаты требуют подробностей о государственных закупках.",
    "ar": "أعلن وزير الطاقة يوم الثلاثاء عن خطة جديدة لخفض استهلاك الكهرباء في المباني الحكومية. "
          "وقال الوزير إن المكتبة الوطنية ستفتح أبوابها للباحثين، وإن الكتاب الجديد عن الطاقة "
          "المتجددة سيُنشر قريبًا. وَقَالَتِ الوَزِيرَةُ إِنَّ المَشْرُوعَ مُهِمٌّ لِلْمُدُنِ.",
    "uk": "Міністр енергетики заявив у вівторок, що нові електростанції будуть збудовані до "
          "кінця року. Мешканці міст чекають рішень уряду, а депутати вимагають подробиць.",
    "zh": "北京大学的图书馆周二重新开放。市民可以在新的阅览室里借阅图书，馆长表示，今年还将增加电子资源。",
    "ja": "東京タワーが改装工事を終えて再開した。ﾃﾞｰﾀによると、観光客は昨年より増えている。"
          "大阪の新しい美術館も来月オープンする予定です。",
}

# Characters where two implementations could part: decomposed accents, a dotted capital I,
# ligatures and compatibility forms, letters beyond the BMP, Arabic vowel signs, half-width
# kana and a decomposed voiced kana, Han from extension B, emoji, underscores, final sigma.
TRICKY = ("Cafe\u0301 İstanbul ﬁnance ½ 𝐁old ＡＢＣ１２３ snake_case_word ΟΔΥΣΣΕΥΣ Αθήνας "
          "كِتَابٌ ﾃﾞｰﾀ テ\u3099ータ 𠀋𠀌字 😀smile 𐐷𐐸 a\u200db naïve rôle Œuvre ß ẞ ĳ")


def run_browser_modules(page: object, script: str, arg: object) -> object:
    return page.evaluate(script, arg)  # type: ignore[attr-defined]


# --- the word lists -------------------------------------------------------------------------

def _cldr_strings(locale: str) -> list[str]:
    """Every string of the locale's CLDR data (Babel's): names of places, languages, units,
    months and days, as real words of the language."""
    from babel import Locale

    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif hasattr(value, "items"):
            for k, v in value.items():  # type: ignore[union-attr]
                if isinstance(k, str):
                    out.append(k)
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(dict(Locale.parse(locale)._data))
    return out


def _sample_site_text() -> str:
    return " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md")))


def _suffixes(snowball: str) -> list[str]:
    """Every string in the algorithm's Among tables (its suffixes, prefixes and exceptions)."""
    module = importlib.import_module(f"snowballstemmer.{snowball}_stemmer")
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    return sorted({n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call)
                   and getattr(n.func, "id", "") == "Among"
                   and isinstance(n.args[0], ast.Constant)})


def word_list(code: str) -> list[str]:
    """A few thousand lower-case words for the language: the tokens of real text (the texts
    above, the sample site, the CLDR data) and suffix-heavy forms made from them (each real
    word's stem, then the word, with every suffix of the algorithm's tables)."""
    text = " ".join([TEXTS[code], *_cldr_strings(code)])
    if code in ("en", "fr"):
        text += " " + _sample_site_text()
    real = sorted({t for t in analysis.tokens(text) if max(t) <= "\uffff" and not t.isdigit()})
    snowball = analysis.LANGUAGES[code].snowball
    assert snowball
    suffixes = _suffixes(snowball)
    stem = analysis._snowball(snowball)
    bases = real[:: max(1, len(real) // 120)]
    made = sorted({b + s for b in bases for s in suffixes} | {stem(b) + s for b in bases for s in suffixes})
    real = real[:: max(1, len(real) // (WORDS_PER_LANGUAGE // 2))]
    made = made[:: max(1, len(made) // (WORDS_PER_LANGUAGE // 2))]
    return sorted(set(real) | set(made))


STEMMED = sorted(code for code, lang in analysis.LANGUAGES.items() if lang.snowball)


# --- the generated files and the translation ------------------------------------------------

def test_the_generated_stemmers_are_up_to_date():
    files = snowball_js.expected()
    stem_dir = REPO / "static" / "js" / "stem"
    assert sorted(files) == sorted(f"{code}.js" for code in analysis.LANGUAGES)
    for name, text in files.items():
        on_disk = (stem_dir / name).read_text(encoding="utf-8") if (stem_dir / name).is_file() else None
        assert on_disk == text, f"static/js/stem/{name} is stale: run python tools/snowball_js.py"
    extra = {p.name for p in stem_dir.iterdir()} - set(files) - {snowball_js.RUNTIME}
    assert not extra, f"static/js/stem/ holds files tools/snowball_js.py does not make: {extra}"


def test_the_translation_refuses_python_outside_the_snowball_subset():
    source = Path(importlib.import_module("snowballstemmer.english_stemmer").__file__ or "").read_text()
    snowball_js.transpile(source)  # the real module translates
    for bad, why in [("for _ in range(3):", "a loop other than"),
                     ("try:", "a try other than"),
                     ("self.cursor = self.current[1:2]", "an expression outside")]:
        broken = source.replace("    def __r_R1(self):\n", f"    def __r_R1(self):\n        {bad}\n"
                                if not bad.endswith(":") else
                                f"    def __r_R1(self):\n        {bad}\n            pass\n"
                                + ("        except ValueError: pass\n" if bad == "try:" else ""), 1)
        with pytest.raises(snowball_js.Unsupported, match=why) as caught:
            snowball_js.transpile(broken)
        assert re.match(r"line \d+: ", str(caught.value))
    orphan = source.replace("raise lab0()", "raise lab9()", 1)
    with pytest.raises(snowball_js.Unsupported, match="a raise of no enclosing label"):
        snowball_js.transpile(orphan)


@pytest.mark.parametrize("code", STEMMED)
def test_a_stem_does_not_depend_on_the_words_before_it(code: str):
    """The analysis keeps one stemmer per language and a memo: a word's stem must be the same
    whatever was stemmed before it, as in the browser, which stems other words first."""
    words = word_list(code)[:1500]
    snowball = analysis.LANGUAGES[code].snowball
    assert snowball
    forwards, backwards = analysis._snowball(snowball), analysis._snowball(snowball)
    assert [forwards(w) for w in words] == [backwards(w) for w in reversed(words)][::-1]


@pytest.mark.parametrize("code", ["en", "fr", "de", "es", "ar"])
def test_a_word_typed_without_its_accents_is_the_same_term(code: str):
    """These languages fold before stemming (analysis step 5), so "energie" finds "énergie",
    and an Arabic alef typed without its hamza finds the word written with it."""
    an = analysis.analyzer(code)
    words = [t for t in analysis.tokens(" ".join([TEXTS[code], *_cldr_strings(code)]))
             if analysis.fold(t) != t and an.word(t)]
    assert len(words) > 100
    assert [an.word(analysis.fold(w)) for w in words] == [an.word(w) for w in words]


def test_the_cache_keys_cover_the_analysis():
    """Terms are made in the read workers and kept in the article cache: a change to the
    analysis, its stop words or the stemmer library must be a new engine key."""
    engine = {p.relative_to(keys.ENGINE_ROOT).as_posix() for p in keys.engine_files()}
    assert {"analysis.py", "stopwords.py", "search.py"} <= engine
    assert "snowballstemmer" in keys.LIBRARIES


# --- Python and the browser analyse alike -----------------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Chromium page for the module (Playwright's sync API allows one at a time)."""
    with browser() as page:
        yield page


@pytest.fixture(scope="module")
def analysis_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = Site(tmp_path_factory.mktemp("analysis") / "site")
    site.article("a.md", "A story")
    with serve(build_with_search(site)) as base:
        yield base


@pytest.fixture
def search_page(chromium: object, analysis_site: str) -> object:
    """The page on a built site's /search/ page (search.js needs its page)."""
    chromium.goto(analysis_site + "/search/")  # type: ignore[attr-defined]
    return chromium


@pytest.mark.parametrize("code", STEMMED)
def test_the_browser_stems_every_word_as_python_does(search_page: object, code: str):
    words = word_list(code)
    assert len(words) > 3000
    snowball = analysis.LANGUAGES[code].snowball
    assert snowball
    stem = analysis._snowball(snowball)
    got = run_browser_modules(search_page, """async ([code, words]) => {
        const { stem } = await import(new URL(`/js/stem/${code}.js`, location.href));
        return words.map(stem);
    }""", [code, words])
    expected = [stem(w) for w in words]
    differ = [(w, p, j) for w, p, j in zip(words, expected, got, strict=True) if p != j]
    assert not differ, f"{len(differ)} of {len(words)} differ, e.g. {differ[:5]}"


@pytest.mark.parametrize("code", [*sorted(analysis.LANGUAGES), ""])
def test_the_browser_analyses_text_as_python_does(search_page: object, code: str):
    real = TEXTS.get(code, TEXTS["en"])
    text = " ".join([real, TRICKY, *_cldr_strings(code or "en")[:3000]])
    got = run_browser_modules(search_page, """async ([code, text]) => {
        const src = document.querySelector("script[type=module][src*=search]").src;
        const { words, useLanguage } = await import(src);
        await useLanguage(code);
        const out = words(text);
        await useLanguage("en");
        return out;
    }""", [code, text])
    expected = analysis.analyzer(code).terms(text)
    assert got == expected
    assert len(expected) > 1000


def test_query_parsing_in_the_browser(search_page: object):
    got = run_browser_modules(search_page, """async (queries) => {
        const src = document.querySelector("script[type=module][src*=search]").src;
        const { parseQuery, useLanguage } = await import(src);
        await useLanguage("en");
        return queries.map(parseQuery);
    }""", ['"prime minister of" Runn', '"harbour wall"', "the", "東", '"the harbour wal'])
    assert got[0] == {"terms": [{"term": "prime", "prefix": None}, {"term": "minist", "prefix": None},
                                {"term": "runn", "prefix": "runn"}],  # the word as typed
                      "phrases": [{"words": ["prime", "minist", "of"], "open": False}]}
    assert got[1]["terms"][-1]["prefix"] is None  # a closing quote ends the last word
    assert got[2] == {"terms": [], "phrases": []}  # a stop word alone: nothing to look for
    assert got[3]["terms"] == [{"term": "東", "prefix": "東"}]  # a lone character: its pairs too
    assert got[4]["phrases"] == [{"words": ["the", "harbour", "wal"], "open": True}]
    assert got[4]["terms"][-1] == {"term": "wal", "prefix": "wal"}


# --- the index ----------------------------------------------------------------------------------

def test_index_language_is_the_edition_language_or_the_site_language(tmp_path: Path):
    site = copy_fixture(tmp_path)  # editions: en (the site's language), fr, ar
    config = load_config(site.root)
    assert [search.index_language(config, lang) for lang in ("fr", "ar", "en", "de")] == [
        "fr", "ar", "en", "en"]
    plain = load_config(Site(tmp_path / "plain").root)  # no [languages]: one index, one language
    assert search.index_language(plain, "fr") == plain.language == "en"
    assert analysis.language_code("fr-CA") == "fr" and analysis.language_code("zh_Hant") == "zh"
    assert analysis.language_code("tlh") == ""


def french(site: Site) -> None:
    site.write("site.toml", 'language = "fr"\ntitle = "Le Quotidien"\n')
    site.article("politique/ministre.md", "Le ministre de l'Énergie présente son plan",
                 categories=["Politique"], slug="ministre", date="2025-02-10 09:00:00",
                 body="Le ministre a présenté mardi un plan pour réduire la consommation "
                      "d'énergie des bâtiments publics.\n")
    site.article("economie/port.md", "Le port de Marseille accueille un ferry",
                 categories=["Économie"], date="2025-02-11 09:00:00",
                 body="Le nouveau ferry relie la Corse deux fois par jour.\n")
    site.article("economie/prix.md", "Les prix montent", categories=["Économie"],
                 date="2025-02-12 09:00:00",
                 body="Le prix du pain monte et le prix du lait aussi.\n")


def test_a_french_index_is_french(site: Site):
    french(site)
    model, terms = site_model(site.root)
    meta, index, _ = read_index(dict(search.index_files(model, terms)))
    assert meta["lang"] == "fr" and meta["format"] == search.FORMAT == 2
    assert set(index["ministr"]) == {"politique/ministre/"}  # ministre, ministres: one stem
    assert set(index["energ"]) == {"politique/ministre/"}  # énergie, folded after stemming
    for stop in ("le", "de", "la", "du", "par"):
        assert stop not in index


def edition_index(model: SiteModel, terms: dict[str, search.IndexTerms], code: str,
                  lang: str | None = None) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """(meta.json, term -> postings) of an edition's index, as build.py calls index_files."""
    edition = next(e for e in model.editions if e.edition and e.edition.code == code)
    prefix = edition.edition.prefix if edition.edition else ""
    files = dict(search.index_files(edition, terms, prefix, lang=lang))
    assert all(p.startswith(f"{prefix}{search.SEARCH_DIR}/") for p in files)
    meta = json.loads(files[f"{prefix}{search.SEARCH_DIR}/meta.json"])
    chunks: dict[str, list[int]] = {}
    for _, name in meta["chunks"]:
        chunks.update(json.loads(files[f"{prefix}{search.SEARCH_DIR}/{name}"]))
    return meta, chunks


def test_each_edition_index_is_in_its_language(tmp_path: Path):
    """Terms are made in the read workers in each article's edition language; each edition's
    index says its language; an index asked for in another language makes its terms again."""
    model, terms = site_model(copy_fixture(tmp_path).root)
    meta, fr = edition_index(model, terms, "fr")
    assert meta["lang"] == "fr" and meta["docs"] == 2
    assert {"ministr", "cotier", "pech"} <= set(fr)  # ministres, côtiers, pêche
    assert not {"les", "des", "de"} & set(fr)  # French stop words
    meta, ar = edition_index(model, terms, "ar")
    assert meta["lang"] == "ar" and term("الموانئ", "ar") in ar and "على" not in ar  # "the ports"
    meta, en = edition_index(model, terms, "en")
    assert meta["lang"] == "en" and "minist" in en and "ministr" not in en
    # the French edition analysed as English: its cached French terms are not used
    meta, as_english = edition_index(model, terms, "fr", lang="en")
    assert meta["lang"] == "en" and "les" in as_english and "ministr" in as_english
    assert analysis.analyzer("en").terms("côtiers") == ["cotier"] and "cotier" in as_english


# --- searching in a browser -----------------------------------------------------------------------

def results(page: object, base: str, query: str, count: int | None = None) -> list[str]:
    """The titles found for `query` on the site at base (waits for the status line)."""
    from urllib.parse import quote_plus

    page.goto(f"{base}/search/?q={quote_plus(query)}")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "(() => { const s = document.getElementById('search-status').textContent;"
        " return s && !s.endsWith('…'); })()")
    titles = page.locator("a.search-result__link").all_inner_texts()  # type: ignore[attr-defined]
    if count is not None:
        assert len(titles) == count, (query, titles)
    return titles


def status(page: object) -> str:
    return page.locator("#search-status").inner_text()  # type: ignore[attr-defined,no-any-return]


MESSAGES_FR = {
    "searching": "Recherche…", "unavailable": "La recherche n’est pas disponible ici pour le moment.",
    "count": {"one": "{n} article", "many": "{n} d’articles", "other": "{n} articles"},
    "match": "{count}{narrowed} correspondent à « {query} ».",
    "match_one": "{count}{narrowed} correspond à « {query} ».",
    "none": "Aucun article{narrowed} ne correspond à « {query} ».",
    "none_noquery": "Aucun article{narrowed}.", "all": "{count}{narrowed}.",
    "in": " dans {category}", "about": " sur {tag}"}


def test_french_search_stems_folds_and_speaks_french(site: Site, chromium: object):
    french(site)
    out = build_with_search(site)
    page_file = out / "search" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    assert '<html lang="fr"' in html
    # the page's strings come from the French catalogue (templates/locale/fr, tests/test_i18n.py)
    blob = html.split('id="search-messages">', 1)[1].split("</script>", 1)[0]
    assert json.loads(blob.replace("\u00a0", " ")) == MESSAGES_FR  # French spaces aside
    page = chromium
    with serve(out) as base:
        ministre = "Le ministre de l'Énergie présente son plan"
        assert results(page, base, "ministres", 1) == [ministre]  # plural finds singular
        assert status(page) == "1 article correspond à «\u00a0ministres\u00a0»."
        assert results(page, base, "energie", 1) == [ministre]  # without its accent
        assert results(page, base, "ÉNERGIES", 1) == [ministre]
        marks = page.locator(".search-result__excerpt mark").all_inner_texts()
        assert "énergie" in marks
        assert results(page, base, "prix", 1) == ["Les prix montent"]
        assert results(page, base, "le", 0) == []  # a stop word alone matches nothing
        assert status(page) == "Aucun article ne correspond à «\u00a0le\u00a0»."
        got = results(page, base, "le ferry")  # the stop word is dropped, not required
        assert got == ["Le port de Marseille accueille un ferry"]
        page.goto(base + "/search/?category=%C3%89conomie")
        page.wait_for_function("document.getElementById('search-status').textContent.endsWith('.')")
        assert status(page) == "2 articles dans Économie."


def english(site: Site) -> None:
    site.article("ferry.md", "Island ferry timetable", date="2025-02-01 09:00:00",
                 body="The ferry runs twice a day from the harbour.\n")
    site.article("walls.md", "Harbour and walls", date="2025-02-02 09:00:00",
                 body="Harbour, the wall. The harbour by the wall. Harbour of the wall, harbour "
                      "to the wall: harbour, a wall.\n")
    site.article("storm.md", "Storm damages the harbour wall", date="2025-02-03 09:00:00",
                 body="Waves broke over the harbour wall on Sunday night, and the council "
                      "said repairs to the quay, the slipway, the lighthouse steps, the "
                      "fish market and the car park would take until the summer.\n")


def test_english_stemming_stop_words_and_quoted_phrases(site: Site, chromium: object):
    english(site)
    out = build_with_search(site)
    page = chromium
    with serve(out) as base:
        assert results(page, base, "running", 1) == ["Island ferry timetable"]  # "runs"
        assert status(page) == "1 article matches “running”."  # the English fallback
        assert results(page, base, "the", 0) == []  # in every article, and matches nothing
        assert status(page) == "No articles match “the”."
        # Unquoted, both have the words in order (stop words aside: "Harbour, the wall"), and
        # word weights put the article repeating them first; quoted, the exact phrase
        # "harbour wall" (stop words and all) ranks first.
        storm, walls = "Storm damages the harbour wall", "Harbour and walls"
        assert results(page, base, "harbour wall", 2) == [walls, storm]
        assert results(page, base, '"harbour wall"', 2) == [storm, walls]  # ranks, no filter
        assert status(page) == "2 articles match “\"harbour wall\"”."
        assert results(page, base, '"the harbour wall"', 2)[0] == storm
        # a phrase typed without its closing quote counts already, its last word a prefix
        assert results(page, base, '"the harbour wal', 2)[0] == storm


def test_arabic_chinese_and_japanese_sites_find_their_articles(make_site: object,
                                                              chromium: object):
    sites = {
        "ar": [("energy.md", "وزير الطاقة يعلن خطة جديدة", "أعلن الوزير عن خطة بالطاقة المتجددة."),
               ("book.md", "المكتبة الوطنية", "صدر الكتاب الجديد في المكتبة.")],
        "zh": [("lib.md", "北京大学图书馆重新开放", "市民可以在新的阅览室里借阅图书。"),
               ("train.md", "高铁新线路开通", "从上海到杭州只需四十分钟。")],
        "ja": [("tower.md", "東京タワーが再開", "改装工事を終えて、観光客が戻ってきた。"),
               ("museum.md", "大阪の新しい美術館", "来月オープンする予定です。")],
    }
    built = {}
    for code, articles in sites.items():
        site: Site = make_site(code)  # type: ignore[operator]
        site.write("site.toml", f'language = "{code}"\n')
        for i, (name, title, body) in enumerate(articles):
            site.article(name, title, slug=f"a{i}", date=f"2025-02-0{i + 1} 09:00:00",
                         body=body + "\n")
        built[code] = build_with_search(site)
    page = chromium
    with serve(built["ar"]) as base:
        energy = "وزير الطاقة يعلن خطة جديدة"
        assert results(page, base, "طاقة", 1) == [energy]  # "the energy", "with energy"
        assert results(page, base, "الطَّاقَة", 1) == [energy]  # typed with its vowel signs
        assert results(page, base, "كِتَابٌ", 1) == ["المكتبة الوطنية"]  # "the book"
        assert results(page, base, "في", 0) == []  # a stop word
    with serve(built["zh"]) as base:
        assert results(page, base, "图书馆", 1) == ["北京大学图书馆重新开放"]
        assert results(page, base, "上海", 1) == ["高铁新线路开通"]
        assert results(page, base, "北京 上海", 0) == []
    with serve(built["ja"]) as base:
        assert results(page, base, "東京タワー", 1) == ["東京タワーが再開"]
        assert results(page, base, "ﾀﾜｰ", 1) == ["東京タワーが再開"]  # half-width kana
        assert results(page, base, "美術館", 1) == ["大阪の新しい美術館"]
        assert results(page, base, "大", 1) == ["大阪の新しい美術館"]  # a lone character
        assert results(page, base, "観光客", 1) == ["東京タワーが再開"]
        marks = page.locator(".search-result__excerpt mark").all_inner_texts()
        assert "".join(marks) == "観光客"  # the characters found, not the whole sentence


def test_each_edition_searches_in_its_language(tmp_path: Path, chromium: object):
    site = copy_fixture(tmp_path)
    out = build_with_search(site)
    page = chromium
    with serve(out) as base:
        accord_fr = "Les ministres côtiers adoptent des règles d'inspection communes"
        assert results(page, f"{base}/fr", "ministre", 1) == [accord_fr]
        assert results(page, f"{base}/fr", "peche cotiere", 1) == ["La pêche côtière retrouve des couleurs"]
        assert results(page, f"{base}/fr", "des", 0) == []  # a French stop word
        accord_ar = "وزراء السواحل يتفقون على قواعد موحدة لتفتيش الموانئ"
        assert results(page, f"{base}/ar", "الموانئ", 1) == [accord_ar]
        assert results(page, base, "minister", 1) == ["Coastal ministers agree shared port inspection rules"]
        assert results(page, base, "ministre", 0) == []  # the English edition holds no French
