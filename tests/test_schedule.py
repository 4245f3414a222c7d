"""The next change by the clock (generator/schedule.py): embargoes that lift, articles that
expire, at the edge of each; written by every build and printed by `build --next-change`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from generator.articles import is_visible
from generator.config import Config
from generator.schedule import next_change
from generator.sources.fields import Fields

T0 = datetime(2025, 3, 2, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)

moments = st.one_of(st.none(), st.integers(-5, 5).map(lambda h: T0 + timedelta(hours=h)))


def fields(date: datetime | None = None, publish: datetime | None = None,
           expiry: datetime | None = None, draft: bool = False) -> Fields:
    return Fields(title="t", date=date, publish_date=publish, expiry_date=expiry, draft=draft)


def test_an_embargo_lifting_is_the_next_change_until_it_has_lifted():
    embargo = fields(date=T0 - timedelta(days=1), publish=T0)
    assert next_change([embargo], Config(), T0 - SECOND) == T0
    assert next_change([embargo], Config(), T0) is None  # shown from T0 on
    assert next_change([embargo], Config(), T0 + SECOND) is None


def test_the_nearest_of_publish_and_expiry_wins_and_drafts_wait_for_an_editor():
    soon, later = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    items = [fields(date=later), fields(date=T0 - SECOND, expiry=soon),
             fields(date=T0 + SECOND, draft=True)]
    assert next_change(items, Config(), T0) == soon
    assert next_change(items, Config(), soon) == later
    assert next_change(items, Config(), later) is None


def test_with_future_on_only_expiry_changes_and_never_shown_articles_never_change():
    assert next_change([fields(date=T0 + SECOND)], Config(future=True), T0) is None
    never = fields(date=T0 + timedelta(hours=2), expiry=T0 + timedelta(hours=1))
    assert next_change([never], Config(), T0) is None


def test_a_live_blog_changes_when_its_coverage_ends():
    live = Fields(title="t", date=T0 - timedelta(hours=3), liveblog=True,
                  coverage_end=T0 + timedelta(hours=1))
    assert next_change([live], Config(), T0) == T0 + timedelta(hours=1)
    assert next_change([live], Config(), T0 + timedelta(hours=1)) is None
    gone = Fields(title="t", date=T0 - timedelta(hours=3), liveblog=True,
                  coverage_end=T0 + timedelta(hours=2), expiry_date=T0 + timedelta(hours=1))
    assert next_change([gone], Config(), T0) == T0 + timedelta(hours=1)  # expiry, not coverage


@given(st.lists(st.tuples(moments, moments, moments, st.booleans()), max_size=6),
       st.integers(-6, 6), st.booleans())
def test_nothing_shown_changes_before_the_next_change_and_something_does_at_it(
        spec: list[tuple[datetime | None, datetime | None, datetime | None, bool]],
        offset: int, future: bool):
    config = Config(future=future)
    items = [fields(d, p, e, draft) for d, p, e, draft in spec]
    now = T0 + timedelta(hours=offset, minutes=30)
    shown = [is_visible(f, config, now) for f in items]
    nxt = next_change(items, config, now)
    probe = [now + timedelta(minutes=m) for m in range(0, 13 * 60, 30)]
    for t in probe:
        if nxt is None or t < nxt:
            assert [is_visible(f, config, t) for f in items] == shown
    if nxt is not None:
        assert [is_visible(f, config, nxt) for f in items] != shown
