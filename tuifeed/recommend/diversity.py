"""Keeps the feed varied: no creator or sound twice in a row, and caps per creator and tag in a window."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from enum import IntEnum

import numpy as np

from tuifeed.recommend.catalog import UNKNOWN, Bools, CatalogArrays, Ints
from tuifeed.recommend.settings import RecommenderSettings


class Strictness(IntEnum):
    """How many rules a pick must satisfy; the feed relaxes only when nothing else is left."""

    ALL = 0
    """No repeat in a row, and the per-creator and per-tag caps."""
    CREATOR_CAP = 1
    """No repeat in a row, and the per-creator cap."""
    NO_REPEAT = 2
    """Only no creator or sound twice in a row."""
    ANY = 3


class Window:
    """The last few clips shown (plus those picked since), and which clip may come next."""

    def __init__(
        self,
        recent: Sequence[int],
        arrays: CatalogArrays,
        row_tags: Sequence[tuple[int, ...]],
        settings: RecommenderSettings,
    ) -> None:
        self._arrays = arrays
        self._row_tags = row_tags
        self._settings = settings
        self._keep = max(settings.diversity_window - 1, 1)
        self._rows: list[int] = list(recent[-self._keep :])
        self._counts: tuple[Counter[int], Counter[int]] | None = None

    def push(self, row: int) -> None:
        """Append a shown or picked clip, forgetting the oldest beyond the window."""
        self._rows.append(row)
        del self._rows[: -self._keep]
        self._counts = None

    def allows(self, row: int, strictness: Strictness) -> bool:
        """Whether `row` may come next under the given strictness."""
        if strictness is Strictness.ANY or not self._rows:
            return True
        creator = int(self._arrays.creator[row])
        sound = int(self._arrays.sound[row])
        last = self._rows[-1]
        if creator != UNKNOWN and creator == self._arrays.creator[last]:
            return False
        if sound != UNKNOWN and sound == self._arrays.sound[last]:
            return False
        if strictness is Strictness.NO_REPEAT:
            return True
        creators, tags = self._window_counts()
        if creator != UNKNOWN and creators[creator] >= self._settings.max_per_creator:
            return False
        return strictness is Strictness.CREATOR_CAP or all(
            tags[tag] < self._settings.max_per_tag for tag in self._row_tags[row]
        )

    def _window_counts(self) -> tuple[Counter[int], Counter[int]]:
        """Clips per creator and per tag among the previous `diversity_window - 1` clips."""
        if self._counts is None:
            window = self._rows if self._settings.diversity_window > 1 else []
            creators = Counter(int(self._arrays.creator[row]) for row in window)
            tags = Counter(tag for row in window for tag in self._row_tags[row])
            self._counts = (creators, tags)
        return self._counts

    def allowed(self, strictness: Strictness) -> Bools:
        """Every row the window allows under the given strictness, at once."""
        arrays = self._arrays
        allowed = np.ones(arrays.size, dtype=np.bool_)
        if strictness is Strictness.ANY or not self._rows:
            return allowed
        last = self._rows[-1]
        for codes in (arrays.creator, arrays.sound):
            if codes[last] != UNKNOWN:
                allowed &= codes != codes[last]
        if strictness is Strictness.NO_REPEAT:
            return allowed
        creators, tags = self._window_counts()
        full = [code for code, count in creators.items() if count >= self._settings.max_per_creator]
        if full:
            allowed &= ~_code_mask(full, arrays.creator)[arrays.creator]
        if strictness is Strictness.CREATOR_CAP:
            return allowed
        full = [code for code, count in tags.items() if count >= self._settings.max_per_tag]
        if full:
            allowed[arrays.tag_rows[_code_mask(full, arrays.tag_codes)[arrays.tag_codes]]] = False
        return allowed

    def first_allowed(self, candidates: Iterable[int], strictness: Strictness) -> int | None:
        """The first candidate the window allows, or None."""
        return next((row for row in candidates if self.allows(row, strictness)), None)


def _code_mask(codes: list[int], column: Ints) -> Bools:
    """A per-code mask, sized for `column`, true for `codes` (never for `UNKNOWN`)."""
    mask = np.zeros(max(int(column.max(initial=0)), *codes) + 1, dtype=np.bool_)
    mask[codes] = True
    mask[UNKNOWN] = False
    return mask
