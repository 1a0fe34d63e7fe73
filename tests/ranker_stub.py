"""InOrder: a predictable stand-in for the recommender, for feed and app tests."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from tuifeed.models import Clip, MuteKind
from tuifeed.recommend import Feedback, Term


class InOrder:
    """Offers clips in the given order, honours mutes, and remembers what it was told."""

    def __init__(self, clips: Iterable[Clip]) -> None:
        self.clips = list(clips)
        self.observed: list[Feedback] = []
        self.shown_ids: list[str] = []

    def next(self, exclude: Collection[str] = ()) -> str | None:
        return next((clip.id for clip in self.clips if clip.id not in exclude), None)

    def shown(self, clip_id: str) -> None:
        self.shown_ids.append(clip_id)

    def observe(self, feedback: Feedback) -> None:
        self.observed.append(feedback)

    def mute(self, kind: MuteKind, value: str) -> None:
        self.clips = [clip for clip in self.clips if not clip.has(kind, value)]

    def follow(self, creator: str) -> None:
        pass

    def unfollow(self, creator: str) -> None:
        pass

    def reset(self) -> None:
        pass

    def add_clips(self, clips: object) -> None:
        pass

    def explain(self, clip_id: str) -> list[Term]:
        return [Term(f"because {clip_id}", 1.0)]
