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
        self.muted: set[tuple[MuteKind, str]] = set()
        self.resets = 0

    def next(self, exclude: Collection[str] = ()) -> str | None:
        allowed = (clip for clip in self.clips if not any(clip.has(kind, value) for kind, value in self.muted))
        return next((clip.id for clip in allowed if clip.id not in exclude), None)

    def shown(self, clip_id: str) -> None:
        self.shown_ids.append(clip_id)

    def observe(self, feedback: Feedback) -> None:
        self.observed.append(feedback)

    def mute(self, kind: MuteKind, value: str) -> None:
        self.muted.add((kind, value))

    def unmute(self, kind: MuteKind, value: str) -> None:
        self.muted.discard((kind, value))

    def follow(self, creator: str) -> None:
        pass

    def unfollow(self, creator: str) -> None:
        pass

    def reset(self) -> None:
        self.resets += 1

    def rebuild(self, feedbacks: Iterable[Feedback], *, reset_at: int | None = None) -> None:
        self.observed = list(feedbacks)

    def add_clips(self, clips: object) -> None:
        pass

    def explain(self, clip_id: str) -> list[Term]:
        return [Term(f"because {clip_id}", 1.0)]
