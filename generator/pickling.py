"""Faster pickling for the frozen, slotted dataclasses the article cache stores.

A `@dataclass(frozen=True, slots=True)` gets `__getstate__`/`__setstate__` from the standard
library that call `dataclasses.fields()` for every object, which walks the class's fields dict
each time. Loading the cache of 10,000 articles unpickles ~71,000 such objects: 0.96 s of a
1.0 s load went there (cProfile, docs/performance.md). The replacements below do the same thing
with the field names worked out once, and keep the pickled state as it was (a list of values in
field order), so existing cache files still load.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

_set = object.__setattr__


def fast_pickling(*classes: type) -> None:
    """Give each frozen, slotted dataclass a `__getstate__`/`__setstate__` with its field names
    precomputed."""
    for cls in classes:
        names = tuple(f.name for f in fields(cls))
        if len(names) == 1:
            one = attrgetter(names[0])

            def getstate(self: Any, _get: Any = one) -> list[Any]:
                return [_get(self)]
        else:
            many = attrgetter(*names)

            def getstate(self: Any, _get: Any = many) -> list[Any]:
                return list(_get(self))

        def setstate(self: Any, state: list[Any], _names: tuple[str, ...] = names) -> None:
            for name, value in zip(_names, state, strict=False):
                _set(self, name, value)

        cls.__getstate__ = getstate  # type: ignore[attr-defined]
        cls.__setstate__ = setstate  # type: ignore[attr-defined]
