"""What was learned about the person: creator, sound and tag affinities and a direction in content space."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from tuifeed.recommend.catalog import UNKNOWN, Floats
from tuifeed.recommend.reward import Reward

_SHRINK = 1.0
"""Pseudo-showings at reward 0 behind every affinity, so one showing does not decide everything."""
_EMBEDDING_SHRINK = 2.0
_MEMORY = 512
"""Recent embedding-bearing showings kept to explain similarity terms."""


class Stat(IntEnum):
    """Columns of a `FeatureStats` table."""

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

    def add(self, codes: Iterable[int], counts: Floats) -> None:
        """Add one showing's `counts` (a row of `Stat` columns) to each code; `UNKNOWN` is skipped."""
        for code in codes:
            if code == UNKNOWN:
                continue
            if code >= self.table.shape[0]:
                grown = np.zeros((max(code + 1, 2 * self.table.shape[0]), len(Stat)))
                grown[: self.table.shape[0]] = self.table
                self.table = grown
            row = self.table[code]
            row += counts

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

    def learn(
        self,
        reward: Reward,
        creator: int,
        sound: int,
        tags: tuple[int, ...],
        row: int,
        embedding: npt.NDArray[np.float32] | None,
    ) -> None:
        """Fold one showing of one clip into every affinity it touches."""
        self.showings += 1
        counts = _counts(reward)
        self.creators.add((creator,), counts)
        self.sounds.add((sound,), counts)
        self.tags.add(tags, counts)
        if embedding is not None and embedding.any():
            if self.direction is None or self.direction.shape != embedding.shape:
                self.direction = np.zeros(embedding.shape[0])
                self.embedded_showings = 0
            self.direction += reward.value * embedding
            self.embedded_showings += 1
            self.memory.append((row, reward.value))

    def similarity(self, columns: npt.NDArray[np.float32]) -> Floats:
        """Reward-weighted similarity of each embedding column to the clips shown so far."""
        if self.direction is None or columns.shape[0] != self.direction.shape[0]:
            return np.zeros(columns.shape[1])
        scores = self.direction.astype(np.float32) @ columns
        return scores.astype(np.float64) / (self.embedded_showings + _EMBEDDING_SHRINK)


def _counts(reward: Reward) -> Floats:
    """One showing as a row of `Stat` columns."""
    counts = np.zeros(len(Stat))
    counts[Stat.REWARD] = reward.value
    counts[Stat.SHOWN] = 1.0
    counts[Stat.COMPLETED] = reward.completed
    counts[Stat.LOOPED] = reward.looped
    counts[Stat.ENDORSED] = reward.endorsed
    counts[Stat.QUICK_SKIPS] = reward.quick_skip
    counts[Stat.REJECTED] = reward.rejected
    return counts
