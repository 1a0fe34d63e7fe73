"""Filters people ask of a feed: only vertical clips, only short ones, none they have watched."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from tuifeed.models import Clip

LENGTH_STEPS = (0, 15, 30, 60, 180)
"""The "under N seconds" choices the app cycles through (0: any length)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What For You and Following leave out; the lists and pages the person opens show everything."""

    only_vertical: bool = False
    max_seconds: int = 0
    """Only clips shorter than this; 0 for any length. A clip of unknown length passes."""
    hide_watched: bool = False
    """Leave out clips seen (nearly) to the end before; one watched now leaves when the person moves on."""

    def allows(self, clip: Clip, watched: Collection[str]) -> bool:
        """Whether `clip` passes every filter, given the ids of the clips already watched."""
        if self.only_vertical and not clip.is_vertical:
            return False
        if self.max_seconds and clip.duration_ms is not None and clip.duration_ms >= self.max_seconds * 1000:
            return False
        return not (self.hide_watched and clip.id in watched)

    def describe(self) -> str:
        """The filters on, in a few words ("vertical · under 30 s · unwatched"), or "" when none is."""
        words = [
            word
            for word, on in (
                ("vertical", self.only_vertical),
                (f"under {self.max_seconds} s", bool(self.max_seconds)),
                ("unwatched", self.hide_watched),
            )
            if on
        ]
        return " · ".join(words)

    def next_length(self) -> Filters:
        """The same filters with the next "under N seconds" step (after the last, any length again)."""
        steps = sorted({*LENGTH_STEPS, self.max_seconds})
        following = steps[(steps.index(self.max_seconds) + 1) % len(steps)]
        return Filters(self.only_vertical, following, self.hide_watched)
