"""The next change by the clock (generator/schedule.py): embargoes that lift, articles that
expire, at the edge of each; written by every build and printed by `build --next-change`."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.articles import is_visible
from generator.cli import main
from generator.config import Config
from generator.schedule import NEXT_CHANGE_FILE, next_change
from generator.sources.fields import Fields

from .conftest import REPO, Site

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


EMBARGO = "2025-03-02T12:00:00+00:00"


def _embargoed_site(site: Site) -> None:
    site.article("a.md", "Out already")
    site.article("b.md", "Under embargo", publishDate=EMBARGO)


def _cli(site: Site, now: str, *extra: str) -> int:
    return main(["build", "--site", str(site.root), "--now", now, *extra])


def test_next_change_at_an_embargos_edge_from_the_command_line(
        site: Site, capsys: pytest.CaptureFixture[str]):
    _embargoed_site(site)
    assert _cli(site, "2025-03-02T11:59:59+00:00", "--next-change") == 0
    assert capsys.readouterr().out == EMBARGO + "\n"
    assert not site.out.exists()  # --next-change builds nothing
    assert _cli(site, EMBARGO, "--next-change") == 0
    assert capsys.readouterr().out == ""  # lifted: nothing else is scheduled


def test_every_build_records_the_next_change_for_ci(site: Site, capsys: pytest.CaptureFixture[str]):
    _embargoed_site(site)
    recorded = site.root / ".broadsheet-cache" / NEXT_CHANGE_FILE
    assert _cli(site, "2025-03-02T11:59:59+00:00") == 0
    assert capsys.readouterr().out.endswith(f"; next scheduled change {EMBARGO}\n")
    assert recorded.read_text() == EMBARGO + "\n"
    assert not (site.out / "under-embargo").exists()
    assert _cli(site, EMBARGO) == 0
    assert "next scheduled change" not in capsys.readouterr().out
    assert recorded.read_text() == ""
    assert (site.out / "under-embargo" / "index.html").is_file()


def test_a_broken_article_is_reported_not_guessed_past(site: Site,
                                                       capsys: pytest.CaptureFixture[str]):
    _embargoed_site(site)
    site.article("c.md", "Broken", sidebar="middle")
    assert _cli(site, "2025-03-02T11:59:59+00:00", "--next-change") == 1
    err = capsys.readouterr().err
    assert "c.md" in err and "sidebar" in err


def _due_step(tmp: Path, event: str, record: str | None) -> str:
    """Run the shipped workflow's "Anything due?" step in bash; what it says for `due`."""
    workflow = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    step = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("id") == "due")
    if record is not None:
        (tmp / ".broadsheet-cache").mkdir(exist_ok=True)
        (tmp / ".broadsheet-cache" / NEXT_CHANGE_FILE).write_text(record)
    out = tmp / "github-output"
    out.write_text("")
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp, check=True, capture_output=True,
                   env={**os.environ, "EVENT": event, "GITHUB_OUTPUT": str(out)})
    return out.read_text().strip()


@pytest.mark.parametrize(("event", "record", "due"), [
    ("push", "2999-01-01T00:00:00+00:00\n", "due=true"),  # a push always builds
    ("schedule", None, "due=true"),  # no record (a cold cache): build to make one
    ("schedule", "", "due=false"),  # nothing scheduled
    ("schedule", "2999-01-01T00:00:00+00:00\n", "due=false"),  # not yet
    ("schedule", "2020-01-01T00:00:00+00:00\n", "due=true"),  # the embargo has lifted
])
def test_the_workflow_skips_an_hourly_run_when_nothing_is_due(tmp_path: Path, event: str,
                                                              record: str | None, due: str):
    assert _due_step(tmp_path, event, record) == due
