"""Turns one showing into a reward, debiased for clip length against what this person usually watches."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from tuifeed.recommend.inputs import Feedback

_LENGTH_EDGES = (3.0, 6.0, 12.0, 24.0, 48.0, 96.0, 192.0)
"""Upper edges, in seconds, of the clip-length groups; one more group holds longer clips."""
_UNKNOWN_GROUP = len(_LENGTH_EDGES) + 1
_UNKNOWN_LENGTH = 15.0
"""Seconds assumed for the watch ratio of a clip whose length is unknown."""
_BUCKETS = 20
_PRIOR_WEIGHT = 4.0
"""Pseudo-showings per length group before the person's own habits take over."""
_PRIOR_FLOOR = 0.02
"""Pseudo-showings in every bucket, so any stay beats a quick skip."""
_LIKED = 1.5
_SAVED = 1.5
_FOLLOWED = 1.5
_CAME_BACK = 0.75
_QUICK_SKIP = -1.0
_NOT_INTERESTED = -3.0
COMPLETED_RATIO = 0.9
"""Watch ratio from which a showing counts as watched to the end."""


@dataclass(frozen=True, slots=True)
class Reward:
    """How much one showing says the person wants more like it, and why."""

    value: float
    ratio: float
    """Dwell over duration (above 1 when the clip looped)."""
    quick_skip: bool = False
    completed: bool = False
    looped: bool = False
    endorsed: bool = False
    """Liked, saved or followed."""
    rejected: bool = False
    """Marked not interested."""


class LengthBaseline:
    """Per clip-length group, how this person's watch ratios are distributed (Kuaishou's watch-time gain).

    A showing is scored by the share of the person's showings of similar length that it beats, so a
    60 s clip watched for 20 s can outrank a 7 s clip watched to the end.
    """

    def __init__(self) -> None:
        self._counts = _prior_counts()

    def reset(self) -> None:
        """Forget the person's habits and go back to the prior."""
        self._counts = _prior_counts()

    def percentile(self, duration: float | None, ratio: float) -> float:
        """Share (0..1) of this person's showings of similar length that watched less of the clip."""
        counts = self._counts[_group(duration)]
        bucket = _bucket(ratio)
        below = float(counts[:bucket].sum()) + 0.5 * float(counts[bucket])
        return below / float(counts.sum())

    def add(self, duration: float | None, ratio: float) -> None:
        """Count one more showing."""
        self._counts[_group(duration), _bucket(ratio)] += 1.0


def assess(feedback: Feedback, duration: float | None, baseline: LengthBaseline, quick_skip: float) -> Reward:
    """Score one showing; `duration` is the clip length in seconds when known."""
    length = duration or _UNKNOWN_LENGTH
    ratio = max(feedback.dwell, 0.0) / length
    endorsed = feedback.liked or feedback.saved or feedback.followed
    quick = feedback.dwell < quick_skip < length and not endorsed
    looped = ratio > 1.0 or feedback.rewatch
    if feedback.not_interested:
        value = _NOT_INTERESTED
    elif quick:
        value = _QUICK_SKIP
    else:
        value = 2.0 * baseline.percentile(duration, ratio) - 1.0
        if ratio > 1.0:
            value = max(value, 0.5) + 0.5 * min(ratio - 1.0, 2.0)
        if feedback.rewatch or feedback.skipped_back:
            value = max(value, 0.5) + _CAME_BACK
        value += _LIKED * feedback.liked + _SAVED * feedback.saved + _FOLLOWED * feedback.followed
    return Reward(
        value=value,
        ratio=ratio,
        quick_skip=quick,
        completed=ratio >= COMPLETED_RATIO,
        looped=looped,
        endorsed=endorsed,
        rejected=feedback.not_interested,
    )


def _group(duration: float | None) -> int:
    """The length group of a clip."""
    return _UNKNOWN_GROUP if duration is None else bisect_right(_LENGTH_EDGES, duration)


def _bucket(ratio: float) -> int:
    """The histogram bucket of a watch ratio; a loop counts as fully watched."""
    return min(int(ratio * _BUCKETS), _BUCKETS - 1)


def _prior_counts() -> np.ndarray[tuple[int, int], np.dtype[np.float64]]:
    """Pseudo-counts per length group: a thin floor plus a uniform spread around a typical ratio."""
    mids = [*(edge * 0.75 for edge in _LENGTH_EDGES), _LENGTH_EDGES[-1] * 1.5, _UNKNOWN_LENGTH]
    counts = np.full((len(mids), _BUCKETS), _PRIOR_FLOOR)
    centres = (np.arange(_BUCKETS) + 0.5) / _BUCKETS
    for group, seconds in enumerate(mids):
        typical = min(1.0, (10.0 / seconds) ** 0.7)
        low, high = (0.0, 2.0 * typical) if typical <= 0.5 else (2.0 * typical - 1.0, 1.0)
        inside = (centres >= low) & (centres <= high)
        inside[_bucket(typical)] = True
        counts[group, inside] += _PRIOR_WEIGHT / int(inside.sum())
    return counts
