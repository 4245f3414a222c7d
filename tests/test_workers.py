"""The worker pools: state reaches forked workers without being pickled, results keep their order,
and one stage's pool at a time."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from generator import workers

FORK = "fork" in mp.get_all_start_methods()
needs_fork = pytest.mark.skipif(not FORK, reason="this platform has no fork start method; the "
                                                 "pools then run serially, which the build tests cover")


class Unpicklable:
    """A stand-in for the site model's open cache file: it cannot be sent, only inherited."""

    def __init__(self, factor: int) -> None:
        self.factor = factor

    def __reduce__(self) -> object:
        raise TypeError("state must be inherited by fork, never pickled")


def times(state: Unpicklable, item: int) -> tuple[int, int]:
    return item * state.factor, os.getpid()


@needs_fork
def test_pool_map_hands_state_to_forked_workers_in_order() -> None:
    items = list(range(40))
    out = list(workers.pool_map(times, Unpicklable(3), items, jobs=2))
    assert [value for value, _ in out] == [i * 3 for i in items]
    assert os.getpid() not in {pid for _, pid in out}  # made by the workers, not here
    unordered = list(workers.pool_map(times, Unpicklable(3), items, jobs=2, ordered=False))
    assert sorted(value for value, _ in unordered) == [i * 3 for i in items]


@needs_fork
def test_shared_map_gives_the_parent_a_share_and_keeps_the_order() -> None:
    chunks = list(range(9))
    out = workers.shared_map(times, Unpicklable(5), chunks, jobs=3)
    assert [value for value, _ in out] == [c * 5 for c in chunks]
    pids = [pid for _, pid in out]
    assert {pids[i] for i in range(0, 9, 3)} == {os.getpid()}  # every jobs-th chunk: this process
    assert os.getpid() not in {pids[i] for i in range(9) if i % 3}


@needs_fork
def test_beside_runs_in_a_worker_while_the_block_runs_here() -> None:
    with workers.beside(lambda state: (state.factor, os.getpid()), Unpicklable(7), jobs=2) as later:
        value, pid = later.get()
        assert later.ready()
    assert value == 7 and pid != os.getpid()


def test_serial_runs_call_in_this_process_and_beside_only_when_asked() -> None:
    calls: list[int] = []

    def remember(state: Unpicklable, item: int) -> int:
        calls.append(item)
        return item * state.factor

    assert list(workers.pool_map(remember, Unpicklable(2), [1, 2, 3], jobs=1)) == [2, 4, 6]
    assert workers.shared_map(remember, Unpicklable(2), [4, 5], jobs=1) == [8, 10]
    assert calls == [1, 2, 3, 4, 5]
    with workers.beside(lambda state: calls.append(99), Unpicklable(1), jobs=1) as later:
        assert later.ready()  # a block working until it is ready does none of that work
    assert 99 not in calls  # never waited for: never run
    with workers.beside(lambda state: os.getpid(), Unpicklable(1), jobs=1) as later:
        assert later.get() == os.getpid()


@needs_fork
def test_one_pool_at_a_time_and_the_slot_is_cleared_after_a_failure() -> None:
    def nested(state: Unpicklable, item: int) -> int:
        return item

    with pytest.raises(RuntimeError, match="already running"):
        for _ in workers.pool_map(times, Unpicklable(1), list(range(4)), jobs=2):
            workers.shared_map(nested, Unpicklable(1), [1, 2], jobs=2)

    def fails(state: Unpicklable, item: int) -> int:
        raise ValueError(f"bad item {item}")

    with pytest.raises(ValueError, match="bad item"):
        list(workers.pool_map(fails, Unpicklable(1), list(range(4)), jobs=2))
    # the slot is free again: the next stage can use the workers
    assert [v for v, _ in workers.pool_map(times, Unpicklable(2), [1, 2], jobs=2)] == [2, 4]


def test_small_stages_stay_in_this_process() -> None:
    assert workers.jobs_for(workers.PARALLEL_MIN - 1, 4) == 1
    assert workers.jobs_for(workers.PARALLEL_MIN, 4) == 4


@needs_fork
def test_a_broken_template_no_page_uses_does_not_fail_a_parallel_build(tmp_path, monkeypatch):
    """The renderer compiles every template before the render workers fork (`preload`); one
    that does not compile, and that no page uses, is left for the page that would use it."""
    from generator.errors import BuildError

    from .conftest import Site
    from .test_incremental import small_site

    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    site = Site(tmp_path / "site")
    small_site(site)
    site.write("templates/unused.html", "{% if %}broken\n")
    result = site.build(jobs=2)
    assert result.articles == 12 and (site.out / "index.html").is_file()
    site.write("templates/partials/byline.html", "{% if %}broken\n")
    with pytest.raises(BuildError, match=r"byline|syntax|if"):
        site.build(jobs=2)
