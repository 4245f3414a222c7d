"""Forked worker pools, and the one way a stage hands its state to them.

A stage gives its workers one state object (the config, the site model, the renderer) and a
function of (state, item). The pair sits in one module slot while the pool runs: set just before
the pool forks, so every worker inherits the state instead of receiving it pickled, and cleared
when the pool is done. Only items and results cross between processes, so keep them small (a
forked worker ends up copying every object it reads, as reference counts write to them).

With `jobs <= 1`, fewer than two items, or no `fork` start method (Windows), everything runs in
this process, in order, and the slot is not used.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

S = TypeVar("S")  # the stage's state, inherited by the workers
T = TypeVar("T")  # one item of work, pickled to a worker
R = TypeVar("R")  # one result, pickled back
R_co = TypeVar("R_co", covariant=True)

PARALLEL_MIN = 200  # below this many items a worker pool costs more than it saves
# Items per task at most: a task's results reach the parent together, so at 100,000 articles
# an eighth of a worker's share (6,250 rendered articles) was 60 MB held at once.
MAX_CHUNK = 100

_slot: tuple[Callable[..., Any], Any] | None = None  # (func, state) of the stage in the pool


def release_free_memory() -> None:
    """Give the C allocator's free pages back to the system (glibc's `malloc_trim`), before a
    fork: memory a stage freed would otherwise still be resident, and counted in the parent
    and in every worker forked from it. Nothing where there is no such call."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def jobs_for(items: int, jobs: int) -> int:
    """`jobs`, or 1 when there are too few items for a pool to pay for itself."""
    return jobs if items >= PARALLEL_MIN else 1


def _forking(jobs: int, items: int) -> bool:
    return jobs > 1 and items > 1 and "fork" in mp.get_all_start_methods()


@contextlib.contextmanager
def _handed(func: Callable[..., Any], state: Any) -> Iterator[None]:
    global _slot
    if _slot is not None:
        raise RuntimeError("a worker pool is already running: stages use workers one at a time")
    _slot = (func, state)
    try:
        yield
    finally:
        _slot = None


def _call(item: Any) -> Any:
    """What a worker runs for each item: the stage's function with the inherited state."""
    assert _slot is not None, "a worker started without its stage's state"
    func, state = _slot
    return func(state, item)


def _call_once() -> Any:
    assert _slot is not None, "a worker started without its stage's state"
    func, state = _slot
    return func(state)


def pool_map(func: Callable[[S, T], R], state: S, items: Sequence[T], jobs: int, *,
             ordered: bool = True, chunksize: int | None = None) -> Iterator[R]:
    """func(state, item) for each item on up to `jobs` forked workers; in input order unless
    `ordered` is False. The parent only receives: for large results (read+markdown) that is
    faster than taking a share too, as the pool's result thread would wait for the GIL.
    `chunksize` 1 suits long items (an image): no worker is left with a long tail."""
    if not _forking(jobs, len(items)):
        for item in items:
            yield func(state, item)
        return
    chunksize = chunksize or max(1, min(MAX_CHUNK, len(items) // (jobs * 8)))
    with _handed(func, state), mp.get_context("fork").Pool(min(jobs, len(items))) as pool:
        if ordered:
            yield from pool.imap(_call, items, chunksize=chunksize)
        else:
            yield from pool.imap_unordered(_call, items, chunksize=chunksize)


def shared_map(func: Callable[[S, T], R], state: S, chunks: Sequence[T], jobs: int) -> list[R]:
    """[func(state, c) for c in chunks] on `jobs` processes: `jobs - 1` forked workers and this
    one, which takes every `jobs`-th chunk itself (its share needs no pickling, and one process
    fewer holds a copy of the parent's memory). Results in the order of `chunks`."""
    if not _forking(jobs, len(chunks)):
        return [func(state, c) for c in chunks]
    theirs = [c for i, c in enumerate(chunks) if i % jobs]
    with _handed(func, state), mp.get_context("fork").Pool(jobs - 1) as pool:
        pending = pool.map_async(_call, theirs, chunksize=1)
        mine = [func(state, c) for c in chunks[::jobs]]
        others = pending.get()
    return [mine[i // jobs] if i % jobs == 0 else others[i - i // jobs - 1]
            for i in range(len(chunks))]


class Later(Protocol[R_co]):
    """A result being made beside this process (multiprocessing's AsyncResult is one)."""

    def ready(self) -> bool: ...

    def get(self) -> R_co: ...


class _Serial(Generic[R]):
    """`beside`'s result with no worker: made here, when first asked for. Always `ready`, so
    a block that works until the result is ready does none of that work first."""

    def __init__(self, func: Callable[[S], R], state: S) -> None:
        self._call: Callable[[], R] = lambda: func(state)

    def ready(self) -> bool:
        return True

    def get(self) -> R:
        return self._call()


@contextlib.contextmanager
def beside(func: Callable[[S], R], state: S, jobs: int) -> Iterator[Later[R]]:
    """Start func(state) in one forked worker and run the block here meanwhile; the block gets
    func's result to come (`ready()`, `get()` waits for it). The worker ends with the block,
    which runs no other pool: fork one after it. With jobs=1 (or no fork) func runs in this
    process when `get()` is called, and not at all if it is not."""
    if not _forking(jobs, 2):
        yield _Serial(func, state)
        return
    with _handed(func, state), mp.get_context("fork").Pool(1) as pool:
        yield pool.apply_async(_call_once)
