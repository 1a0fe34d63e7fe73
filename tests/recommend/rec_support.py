"""Small builders shared by the recommender tests: libraries, viewing habits, feed loops."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tuifeed.recommend import ClipFeatures, Feedback, Recommender, RecommenderSettings

QUIET = RecommenderSettings(exploration_share=0.0)
"""Settings without exploration, for tests about the deterministic part of the score."""


def library(
    creators: Iterable[str] = ("ana", "bob", "cy", "dee", "eve"),
    per_creator: int = 6,
    duration: float = 20.0,
) -> list[ClipFeatures]:
    """`per_creator` clips for each creator, ids like `ana-3`, each with its own sound."""
    return [
        ClipFeatures(id=f"{creator}-{i}", creator=creator, sound=f"{creator}-sound-{i}", duration=duration)
        for creator in creators
        for i in range(per_creator)
    ]


def make(clips: Iterable[ClipFeatures], settings: RecommenderSettings = QUIET, seed: int = 0) -> Recommender:
    """A recommender over `clips`."""
    rec = Recommender(seed=seed, settings=settings)
    rec.add_clips(clips)
    return rec


def watched(clip_id: str, ratio: float, duration: float = 20.0, **actions: bool) -> Feedback:
    """Feedback for watching `ratio` of a clip."""
    return Feedback(clip_id=clip_id, dwell=ratio * duration, duration=duration, **actions)


def creator_of(clip_id: str) -> str:
    """The creator part of a test clip id."""
    return clip_id.split("-")[0]


def run_feed(rec: Recommender, steps: int, react: Callable[[str], Feedback], shown: set[str]) -> list[str]:
    """Show `steps` clips the way the feed does (next, then observe), returning their ids."""
    seen = []
    for _ in range(steps):
        clip_id = rec.next(exclude=shown)
        assert clip_id is not None
        shown.add(clip_id)
        rec.observe(react(clip_id))
        seen.append(clip_id)
    return seen
