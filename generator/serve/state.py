"""Where the preview is between a save and its rebuild: one immutable value, replaced under the
server's lock, that says which requests wait.

    FRESH --save--> SAVED --rendered ahead--> REBUILDING --build done--> FRESH
                      ^______________save_______________|   (saves left: stay)

A request for a page waits unless the state is FRESH, so nobody sees the page from before the
save or a half-written site. A request for an asset waits too unless `plan.redo` says the
pending saves cannot change assets (articles only). A request for an edited article's page
waits for the render ahead while that is still to come (SAVED).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from .plan import redo
from .watcher import ChangeKind


class Phase(Enum):
    FRESH = "fresh"  # output/ shows every save seen
    SAVED = "saved"  # saves seen; the render ahead of them has not run yet
    REBUILDING = "rebuilding"  # rendered ahead (or nothing to render); the rebuild is due or running


@dataclass(frozen=True, slots=True)
class State:
    phase: Phase
    kinds: frozenset[ChangeKind] = frozenset()  # of the saves since the output was last fresh

    def saved(self, kinds: Collection[ChangeKind]) -> State:
        """Saves of these kinds arrived."""
        before = frozenset() if self.phase is Phase.FRESH else self.kinds
        return State(Phase.SAVED, before | frozenset(kinds))

    def rendered_ahead(self) -> State:
        """The render ahead ran for the saves seen so far (showing pages or not)."""
        return State(Phase.REBUILDING, self.kinds) if self.phase is Phase.SAVED else self

    def rebuilding(self) -> State:
        """The full rebuild starts; one started with no save seen (a manual rebuild) may
        change anything."""
        return State(Phase.REBUILDING, self.kinds) if self.phase is not Phase.FRESH else STARTING

    def built(self, saves_waiting: bool) -> State:
        """The rebuild ended; saves that arrived during it keep the output stale."""
        return self if saves_waiting else State(Phase.FRESH)

    def request_waits(self, page: bool) -> bool:
        """Whether a request must wait for the rebuild (a page, or an asset when `not page`)."""
        return self.phase is not Phase.FRESH and (page or redo(self.kinds, broken=False).assets_wait)

    def ahead_due(self, broken: bool) -> bool:
        """Whether pages rendered ahead are still to come for the saves seen."""
        return self.phase is Phase.SAVED and redo(self.kinds, broken).render_ahead


STARTING = State(Phase.REBUILDING)
"""Before the first build: every request waits for it."""
FRESH = State(Phase.FRESH)
