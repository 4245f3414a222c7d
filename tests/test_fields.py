"""Unit tests of front-matter coercion and validation (generator/sources/fields.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.errors import ContentError
from generator.sources.fields import MenuRef, Thumbnail, coerce_fields

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")


def coerce(tz=UTC, **raw):
    return coerce_fields("a.md", {"title": "T", **raw}, lambda key: 7, tz)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-02-08 04:51:01", dt.datetime(2025, 2, 8, 4, 51, 1, tzinfo=UTC)),
        ("2025-02-08T04:51:01", dt.datetime(2025, 2, 8, 4, 51, 1, tzinfo=UTC)),
        ("2025-02-08T04:51:01Z", dt.datetime(2025, 2, 8, 4, 51, 1, tzinfo=UTC)),
        ("2025-02-08T04:51:01+02:00",
         dt.datetime(2025, 2, 8, 4, 51, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        ("2025-02-08 04:51:01.250-0530",
         dt.datetime(2025, 2, 8, 4, 51, 1, 250000,
                     tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30)))),
        ("2025-02-08", dt.datetime(2025, 2, 8, tzinfo=UTC)),
        ("2025-02-08 04:51", dt.datetime(2025, 2, 8, 4, 51, tzinfo=UTC)),
        (dt.date(2025, 2, 8), dt.datetime(2025, 2, 8, tzinfo=UTC)),
        (dt.datetime(2025, 2, 8, 4, 51), dt.datetime(2025, 2, 8, 4, 51, tzinfo=UTC)),
    ],
)
def test_dates_in_every_allowed_form_are_timezone_aware(value, expected):
    got = coerce(date=value).date
    assert got == expected
    assert got.tzinfo is not None


def test_date_without_offset_uses_site_timezone():
    got = coerce(tz=BERLIN, date="2025-07-01 12:00:00").date
    assert got.utcoffset() == dt.timedelta(hours=2)  # CEST
    assert got.astimezone(UTC).hour == 10


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13-01 10:00", "yesterday", "2025-02-08 25:00"])
def test_impossible_dates_name_file_line_and_field(bad):
    with pytest.raises(ContentError) as info:
        coerce(date=bad)
    p = info.value.problem
    assert (p.path, p.line, p.field) == ("a.md", 7, "date")
    assert repr(bad) in p.message


def test_single_string_becomes_one_item_list():
    f = coerce(tags="energy", categories="world", authors="Jane Doe", aliases="/old/")
    assert f.tags == ("energy",)
    assert f.categories == ("world",)
    assert f.authors == ("Jane Doe",)
    assert f.aliases == ("/old/",)


def test_lang_takes_first_item_of_a_list():
    assert coerce(lang=["fr", "en"]).lang == "fr"
    assert coerce(lang="de").lang == "de"
    assert coerce(lang=[]).lang is None


def test_false_is_kept_but_empty_means_unset():
    f = coerce(sidebar=False, toc=False, pager=False, comments=False, widgets=[], menu="",
               thumbnail="", lead="")
    assert f.sidebar is False
    assert (f.toc, f.pager, f.comments) == (False, False, False)
    assert f.widgets is None
    assert f.menus == ()
    assert f.thumbnail is None
    assert f.lead is None
    assert coerce(sidebar="").sidebar is None
    assert coerce().toc is None


def test_sidebar_values():
    assert coerce(sidebar="left").sidebar == "left"
    assert coerce(sidebar="Right").sidebar == "right"
    with pytest.raises(ContentError, match=r"unknown sidebar value 'center'.*left, right"):
        coerce(sidebar="center")


def test_unknown_widget_names_the_allowed_ones():
    with pytest.raises(ContentError) as info:
        coerce(widgets=["search", "recnet"])
    msg = info.value.problem.message
    assert "'recnet'" in msg and "did you mean 'recent'" in msg and "taglist" in msg
    assert info.value.problem.field == "widgets"


def test_menu_forms():
    assert coerce(menu="main").menus == (MenuRef("main"),)
    assert coerce(menu=["main", "footer"]).menus == (MenuRef("main"), MenuRef("footer"))
    assert coerce(menu={"main": {"name": "About", "weight": 3}}).menus == (
        MenuRef("main", "About", 3),)


def test_thumbnail_forms():
    assert coerce(thumbnail="img/a.png").thumbnail == Thumbnail("img/a.png")
    got = coerce(thumbnail={"src": "img/a.png", "visibility": ["list"]}).thumbnail
    assert got == Thumbnail("img/a.png", ("list",))
    with pytest.raises(ContentError, match="thumbnail visibility 'cover'"):
        coerce(thumbnail={"src": "a.png", "visibility": "cover"})


@pytest.mark.parametrize(("key", "value"), [("toc", "yes"), ("weight", "heavy"), ("title", ["x"]),
                                            ("pager", 3), ("date", 12.5)])
def test_wrong_types_are_errors(key, value):
    with pytest.raises(ContentError) as info:
        coerce(**{key: value})
    assert info.value.problem.field == key


def test_empty_title_is_an_error():
    with pytest.raises(ContentError, match="title is empty"):
        coerce_fields("a.md", {"title": "  "}, lambda key: 2, UTC)


def test_urls_and_slugs_may_not_leave_the_site():
    for key, value in [("url", "../../etc/"), ("slug", "../x"), ("slug", "a/b"), ("url", "/a/./b")]:
        with pytest.raises(ContentError, match=r"may not leave the site|one path segment"):
            coerce(**{key: value})
    assert coerce(url="/news/special/").url == "/news/special/"


def test_all_errors_are_collected_when_asked():
    errors: list[ContentError] = []
    coerce_fields("a.md", {"title": "", "toc": "maybe", "sidebar": "top"}, lambda k: 1, UTC, errors)
    assert sorted(e.problem.field for e in errors) == ["sidebar", "title", "toc"]


def test_hugo_spellings_and_unknown_fields():
    f = coerce(publishDate="2025-01-01", expiryDate="2026-01-01", translationKey="k",
               custom_thing=3)
    assert f.publish_date == dt.datetime(2025, 1, 1, tzinfo=UTC)
    assert f.expiry_date is not None and f.translation_key == "k"
    assert f.params == {"custom_thing": 3}
