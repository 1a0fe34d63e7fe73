"""Ranker and Picker: what the feed needs from the recommender (the real one, or a stand-in in tests)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol

from tuifeed.models import MuteKind
from tuifeed.recommend import ClipFeatures, Feedback, Term


class Picker(Protocol):
    """Chooses the next clip of a feed: the recommender for For You, a fixed order for a list or a page."""

    def next(self, exclude: Collection[str] = ()) -> str | None:
        """The best clip to show next, or None when every clip is excluded."""


class Ranker(Picker, Protocol):
    """Picks clips and learns from each stay; `tuifeed.recommend.Recommender` is the real one."""

    def add_clips(self, clips: Iterable[ClipFeatures]) -> None:
        """Learn of new clips."""

    def shown(self, clip_id: str) -> None:
        """A clip appeared on screen (so the diversity rules count it at once)."""

    def observe(self, feedback: Feedback) -> None:
        """Learn from one showing that just ended."""

    def mute(self, kind: MuteKind, value: str) -> None:
        """Never offer clips with this creator, tag or sound."""

    def unmute(self, kind: MuteKind, value: str) -> None:
        """Offer clips with this creator, tag or sound again."""

    def follow(self, creator: str) -> None:
        """Boost a creator's clips."""

    def unfollow(self, creator: str) -> None:
        """Stop boosting a creator's clips."""

    def reset(self) -> None:
        """Forget what was learned ("Refresh For You")."""

    def rebuild(self, feedbacks: Iterable[Feedback], *, reset_at: int | None = None) -> None:
        """Forget what was learned and replay stored showings, oldest first, with the last reset at `reset_at`."""

    def explain(self, clip_id: str) -> list[Term]:
        """The terms behind a clip's score: reasons for it first, then against it, then hard filters."""
