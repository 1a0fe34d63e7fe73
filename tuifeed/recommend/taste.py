"""What was learned about the person: creator, sound and tag affinities and a direction in content space."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from enum import IntEnum

import numpy as np

from tuifeed.recommend.catalog import UNKNOWN, CatalogArrays, Floats, Ints
from tuifeed.recommend.reward import Reward

_SHRINK = 1.0
"""Pseudo-showings at the person's base rate behind a creator's or sound's affinity."""
_TAG_SHRINK = 20.0
"""The same for a tag, which many unlike clips share: one skip does not sink it, ten do."""
_TRUST_PRIOR = 0.3
"""Belief in each kind of evidence as weighted, as a sum of squared deviations of its term."""
_MOST_TRUST = 4.0
_BASE_SHRINK = 4.0
"""Pseudo-showings at reward 0 behind the person's base rate."""
_EMBEDDING_SHRINK = 2.0
_LIKED_CONFIDENCE = 10.0
"""How much more a clearly enjoyed showing counts than a clip never reacted to (ALS's alpha)."""
_PASSED_CONFIDENCE = 1.0
"""How much more a clip passed on counts as 'not for me' than one never reacted to; more for skips."""
_RIDGE = 1.0
"""Ridge on the taste vector, as a share of the Gram matrix's mean eigenvalue: a small library's rare
directions (noise within a cluster) must not decide what a like means."""
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


class Evidence(IntEnum):
    """The kinds of evidence behind a score, each trusted as far as it has predicted this person."""

    PRIOR = 0
    CREATOR = 1
    SOUND = 2
    TAGS = 3
    EMBEDDING = 4


class FeatureStats:
    """Running totals per code of one kind of feature (creators, sounds or tags)."""

    def __init__(self, shrink: float) -> None:
        self.table = np.zeros((16, len(Stat)))
        self.shrink = shrink

    def add_one(self, code: int, counts: Floats) -> None:
        """Add one showing (`Stat` columns) to `code`; `UNKNOWN` is skipped."""
        if code == UNKNOWN:
            return
        if code >= self.table.shape[0]:
            grown = np.zeros((max(code + 1, 2 * self.table.shape[0]), len(Stat)))
            grown[: self.table.shape[0]] = self.table
            self.table = grown
        self.table[code] += counts

    def affinity_of(self, code: int, base: float) -> float:
        """`affinity` of one code."""
        if code == UNKNOWN or code >= self.table.shape[0]:
            return 0.0
        reward, shown = self.table[code, Stat.REWARD], self.table[code, Stat.SHOWN]
        return float(reward - base * shown) / float(shown + self.shrink)

    def column(self, stat: Stat, size: int) -> Floats:
        """One column padded or cut to `size` codes."""
        values = np.zeros(size)
        count = min(size, self.table.shape[0])
        values[:count] = self.table[:count, stat]
        return values

    def affinity(self, size: int, base: float) -> Floats:
        """Mean reward per code relative to the person's `base` reward, shrunk towards 0 while evidence is thin.

        A code whose showings went as well as everything else scores 0, whatever the person's habits.
        """
        shown = self.column(Stat.SHOWN, size)
        return (self.column(Stat.REWARD, size) - base * shown) / (shown + self.shrink)

    def count(self, code: int, stat: Stat) -> int:
        """One total for one code."""
        return int(self.table[code, stat]) if code < self.table.shape[0] else 0


class Taste:
    """Everything learned from showings; `Recommender.reset` replaces it with a fresh one."""

    def __init__(self) -> None:
        self.creators = FeatureStats(_SHRINK)
        self.sounds = FeatureStats(_SHRINK)
        self.tags = FeatureStats(_TAG_SHRINK)
        self.precision: Floats | None = None
        """What reacted-to clips add to the taste vector's precision (beyond the library's Gram matrix)."""
        self.target: Floats | None = None
        """Confidence-weighted sum of the embeddings of enjoyed clips."""
        self.direction: Floats | None = None
        """Reward-weighted sum of the centred unit embeddings of shown clips: a direction of content."""
        self.embedded_showings = 0
        self.showings = 0
        self.total_reward = 0.0
        self._evidence_sum = np.zeros(len(Evidence))
        self._evidence_squares = np.zeros((len(Evidence), len(Evidence)))
        self._evidence_reward = np.zeros(len(Evidence))
        self._trust: Floats | None = None
        self._vector: tuple[int, CatalogArrays, Floats] | None = None
        self.memory: deque[tuple[int, float]] = deque(maxlen=_MEMORY)
        """(row, reward) of recent showings of clips with an embedding."""

    def learn(self, reward: Reward, row: int, arrays: CatalogArrays, tags: Sequence[int], evidence: Floats) -> None:
        """Fold one showing of the clip in `row` (with tag codes `tags`) into everything it touches.

        `evidence` holds its score terms as weighted by the settings (`Evidence` columns) from before it
        was learned from: what each kind of evidence predicted.
        """
        counts = np.array(_counts(reward))
        value = reward.value
        self.showings += 1
        self.total_reward += value
        self._evidence_sum += evidence
        self._evidence_squares += np.outer(evidence, evidence)
        self._evidence_reward += evidence * value
        self._trust = None
        self.creators.add_one(int(arrays.creator[row]), counts)
        self.sounds.add_one(int(arrays.sound[row]), counts)
        for tag in tags:
            self.tags.add_one(tag, counts)
        vector = arrays.raw[:, row].astype(np.float64)
        if not vector.any():
            return
        dimension = vector.shape[0]
        if self.precision is None or self.target is None or self.direction is None or self.target.size != dimension:
            self.precision, self.target = np.zeros((dimension, dimension)), np.zeros(dimension)
            self.direction = np.zeros(dimension)
            self.embedded_showings = 0
        liking = min(max(value, 0.0), 1.0)
        confidence = _LIKED_CONFIDENCE * liking + _PASSED_CONFIDENCE * (1.0 - liking) * (1.0 - min(value, 0.0))
        self.precision += confidence * np.outer(vector, vector)
        self.target += (1.0 + confidence) * liking * vector
        self.direction += (value - self.base) * arrays.embedding[:, row]
        self.embedded_showings += 1
        self.memory.append((row, value))

    @property
    def trust(self) -> Floats:
        """How much each kind of evidence counts for this person (`Evidence` order), 1 to start with.

        A ridge regression of the person's rewards on what each kind of evidence predicted before the
        showing, pulled towards 1 (the settings' weights): a prior that keeps predicting this person's
        rewards gains weight, a term that does not loses it. Never negative.
        """
        if self._trust is None:
            slopes: Floats = np.ones(len(Evidence))
            if self.showings:
                mean = self._evidence_sum / self.showings
                spread = self._evidence_squares - self.showings * np.outer(mean, mean)
                covariance = self._evidence_reward - mean * self.total_reward
                system = spread + _TRUST_PRIOR * np.eye(len(Evidence))
                slopes = np.linalg.solve(system, covariance + _TRUST_PRIOR * slopes).astype(np.float64)
            self._trust = np.clip(slopes, 0.0, _MOST_TRUST)
        return self._trust

    @property
    def base(self) -> float:
        """The person's mean reward per showing, shrunk towards 0 while there are few."""
        return self.total_reward / (self.showings + _BASE_SHRINK)

    def vector(self, arrays: CatalogArrays) -> Floats | None:
        """The person's taste vector in the raw embedding space (ALS fold-in), or None before any evidence.

        Every clip in the library counts as weak evidence against it (the Gram matrix), enjoyed clips as
        strong evidence for, clips passed on as some more against: `vector @ embedding` predicts enjoyment.
        """
        if self.precision is None or self.target is None or arrays.gram.shape != self.precision.shape:
            return None
        if self._vector is None or self._vector[0] != self.embedded_showings or self._vector[1] is not arrays:
            ridge = _RIDGE * max(float(np.trace(arrays.gram)) / self.target.shape[0], 1e-12)
            system = arrays.gram + self.precision + ridge * np.eye(self.target.shape[0])
            self._vector = (self.embedded_showings, arrays, np.linalg.solve(system, self.target))
        return self._vector[2]

    def alike(self, arrays: CatalogArrays, rows: Ints | None = None) -> Floats:
        """How much each row looks like clips that went better than usual, minus worse (cosine, shrunk)."""
        columns = arrays.embedding if rows is None else arrays.embedding[:, rows]
        if self.direction is None or columns.shape[0] != self.direction.shape[0]:
            return np.zeros(columns.shape[1])
        scores: Floats = (self.direction.astype(np.float32) @ columns).astype(np.float64)
        return scores / (self.embedded_showings + _EMBEDDING_SHRINK)

    def similarity(self, arrays: CatalogArrays, rows: Ints | None = None) -> Floats:
        """Predicted enjoyment of each row (all rows when `rows` is None) from the taste vector; 0 without one."""
        columns = arrays.raw if rows is None else arrays.raw[:, rows]
        vector = self.vector(arrays)
        if vector is None:
            return np.zeros(columns.shape[1])
        scores: Floats = (vector.astype(np.float32) @ columns).astype(np.float64)
        return scores


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
