"""What was learned about the person: creator, sound and tag affinities and a direction in content space."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from tuifeed.recommend.catalog import UNKNOWN, CatalogArrays, Floats, Ints
from tuifeed.recommend.reward import Reward

_SHRINK = 1.0
"""Pseudo-showings at reward 0 behind every affinity, so one showing does not decide everything."""
_EMBEDDING_SHRINK = 2.0
_MEMORY = 512
"""Recent embedding-bearing showings kept to explain similarity terms."""


class Stat(IntEnum):
    """Columns of a `FeatureStats` table (`_counts` fills them in this order)."""

    REWARD = 0
    SHOWN = 1
    COMPLETED = 2
    LOOPED = 3
    ENDORSED = 4
    QUICK_SKIPS = 5
    REJECTED = 6


class FeatureStats:
    """Running totals per code of one kind of feature (creators, sounds or tags)."""

    def __init__(self) -> None:
        self.table = np.zeros((16, len(Stat)))

    def add(self, codes: Ints, counts: Floats) -> None:
        """Add row `i` of `counts` (showings as `Stat` columns) to code `codes[i]`; `UNKNOWN` is skipped."""
        if codes.size and codes.max() >= self.table.shape[0]:
            grown = np.zeros((max(int(codes.max()) + 1, 2 * self.table.shape[0]), len(Stat)))
            grown[: self.table.shape[0]] = self.table
            self.table = grown
        np.add.at(self.table, codes, counts)
        self.table[UNKNOWN] = 0.0

    def column(self, stat: Stat, size: int) -> Floats:
        """One column padded or cut to `size` codes."""
        values = np.zeros(size)
        count = min(size, self.table.shape[0])
        values[:count] = self.table[:count, stat]
        return values

    def affinity(self, size: int) -> Floats:
        """Mean reward per code, shrunk towards 0 while evidence is thin."""
        return self.column(Stat.REWARD, size) / (self.column(Stat.SHOWN, size) + _SHRINK)

    def count(self, code: int, stat: Stat) -> int:
        """One total for one code."""
        return int(self.table[code, stat]) if code < self.table.shape[0] else 0


class Taste:
    """Everything learned from showings; `Recommender.reset` replaces it with a fresh one."""

    def __init__(self) -> None:
        self.creators = FeatureStats()
        self.sounds = FeatureStats()
        self.tags = FeatureStats()
        self.direction: Floats | None = None
        """Reward-weighted sum of the embeddings of shown clips."""
        self.embedded_showings = 0
        self.showings = 0
        self.memory: deque[tuple[int, float]] = deque(maxlen=_MEMORY)
        """(row, reward) of recent showings of clips with an embedding."""

    def learn(self, rewards: Sequence[Reward], rows: Ints, arrays: CatalogArrays) -> None:
        """Fold showings of the clips in `rows` (in order) into every affinity they touch."""
        counts = np.array([_counts(reward) for reward in rewards]).reshape(len(rewards), len(Stat))
        self.showings += len(rewards)
        self.creators.add(arrays.creator[rows], counts)
        self.sounds.add(arrays.sound[rows], counts)
        owners, tags = arrays.pairs_of(rows)
        self.tags.add(tags, counts[owners])
        embedded = arrays.embedding[:, rows]
        has = embedded.any(axis=0)
        if not has.any():
            return
        if self.direction is None or self.direction.shape[0] != embedded.shape[0]:
            self.direction = np.zeros(embedded.shape[0])
            self.embedded_showings = 0
        values = counts[has, Stat.REWARD]
        self.direction += embedded[:, has] @ values
        self.embedded_showings += int(has.sum())
        self.memory.extend(zip(rows[has].tolist(), values.tolist(), strict=True))

    def similarity(self, columns: npt.NDArray[np.float32]) -> Floats:
        """Reward-weighted similarity of each embedding column to the clips shown so far."""
        if self.direction is None or columns.shape[0] != self.direction.shape[0]:
            return np.zeros(columns.shape[1])
        scores = self.direction.astype(np.float32) @ columns
        return scores.astype(np.float64) / (self.embedded_showings + _EMBEDDING_SHRINK)


def _counts(reward: Reward) -> tuple[float, ...]:
    """One showing as a row of `Stat` columns, in their order."""
    return (
        reward.value,
        1.0,
        reward.completed,
        reward.looped,
        reward.endorsed,
        reward.quick_skip,
        reward.rejected,
    )
