"""One feedback path: a stay becomes the recommender's Feedback here, live and when rebuilding from the store."""

from __future__ import annotations

from tuifeed.feed.ranker import Ranker
from tuifeed.models import EventKind, Impression, ImpressionExit, MuteKind
from tuifeed.recommend import Feedback
from tuifeed.store import Store

REBUILD_IMPRESSIONS = 5_000
"""How many of the newest impressions the recommender is rebuilt from at start-up."""


def feedback(impression: Impression) -> Feedback:
    """What the recommender learns from one stay: its dwell and loops, and what the person did during it."""
    return Feedback.from_impression(
        impression,
        liked=impression.liked,
        saved=impression.saved,
        followed=impression.followed,
        not_interested=impression.not_interested,
        skipped_back=impression.came_back,
    )


def teaches(impression: Impression) -> bool:
    """Whether a stay is feedback at all: a clip that could not play says nothing about taste."""
    return impression.exit is not ImpressionExit.ERROR


def restore_recommender(
    store: Store, recommender: Ranker, limit: int = REBUILD_IMPRESSIONS, *, dropped_reset: str | None = None
) -> None:
    """Rebuild the recommender from the store: mutes, follows, then the newest stays since the last reset.

    Stays are replayed in the order they ended, and the reset falls between them by the stored sequence
    (never by timestamps, which two rows can share), so the rebuilt recommender learns what the live one did.
    `dropped_reset` is the key of a reset just taken back, left out even while its removal waits to land.
    """
    for kind in MuteKind:
        for value in store.active(EventKind.mute(kind)):
            recommender.mute(kind, value)
    for creator in store.active(EventKind.FOLLOW):
        recommender.follow(creator)
    stays = [impression for impression in store.impressions(limit) if teaches(impression)]
    reset = store.last_seq(EventKind.RESET, excluding=dropped_reset)
    reset_at = None
    if reset is not None:
        reset_at = next((index for index, stay in enumerate(stays) if (stay.seq or 0) > reset), len(stays))
    recommender.rebuild([feedback(stay) for stay in stays], reset_at=reset_at)
