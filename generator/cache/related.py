"""Each edition's related articles, remembered from the last build by everything they depend on.

`site.related_articles` is the largest part of the site model: 0.6 s of CPU at 10,000
articles, a fifth of a no-change build. Its result depends only on the articles' sources,
dates, translation keys and tags (in the site's order), the number asked for and the engine;
when all of those are as the last build had them, the lists are the same, and are read back
as source paths instead of being worked out again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from ..model import Article, Term
from ..site import related_articles
from .keys import CACHE_DIR, engine_key

FILE = "related.pickle"
FORMAT = 1

Lists = dict[str, tuple[str, ...]]  # article source -> its related articles' sources


def inputs_key(articles: tuple[Article, ...], limit: int) -> str:
    """A hash of everything `related_articles` reads."""
    h = hashlib.blake2b(f"{FORMAT}\0{engine_key()}\0{limit}\0".encode(), digest_size=20)
    h.update(repr([(a.source, a.date.timestamp(), a.translation_key,
                    [t.slug for t in a.tags]) for a in articles]).encode())
    return h.hexdigest()


class RelatedCache:
    """`site.Related` with memory: called like `related_articles`, it gives the last build's
    lists when their inputs are the same. `save()` keeps this build's (one per edition)."""

    def __init__(self, site_dir: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.path = site_dir / CACHE_DIR / FILE
        self.last: dict[str, Lists] = self._load() if enabled else {}
        self.made: dict[str, Lists] = {}

    def _load(self) -> dict[str, Lists]:
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
        except Exception:  # missing, corrupt or foreign: worked out again
            return {}
        return data if isinstance(data, dict) else {}

    def __call__(self, articles: tuple[Article, ...], tags: tuple[Term, ...], limit: int
                 ) -> dict[str, tuple[Article, ...]]:
        if not self.enabled:
            return related_articles(articles, tags, limit)
        key = inputs_key(articles, limit)
        lists = self.last.get(key)
        if lists is not None:
            by_source = {a.source: a for a in articles}
            try:
                found = {source: tuple(by_source[r] for r in related)
                         for source, related in lists.items()}
            except KeyError:  # cannot happen with a matching key; worked out again if it does
                found = None
            if found is not None:
                self.made[key] = lists
                return found
        out = related_articles(articles, tags, limit)
        self.made[key] = {source: tuple(a.source for a in related) for source, related in out.items()}
        return out

    def save(self) -> None:
        """Keep this build's lists for the next; the file is replaced whole, or left as it was."""
        if not self.enabled or self.made.keys() == self.last.keys():
            return
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps(self.made, pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be written only costs time
