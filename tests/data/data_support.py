"""A small history written through the Store as the feed writes it, at fixed times, for the data tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tuifeed.models import Clip, EventKind, Impression, ImpressionExit
from tuifeed.store import Store

NOW = datetime(2026, 3, 11, 20, 30, tzinfo=UTC)
"""A Wednesday evening, the tests' "now"."""

CLIPS = [
    Clip(
        id="waves",
        location="/v/waves.mp4",
        title="Big waves",
        creator="ana",
        tags=("Ocean", "surf"),
        sound="waves - ana",
        duration_ms=10_000,
        width=360,
        height=640,
    ),
    Clip(
        id="arcade",
        location="/v/arcade.mp4",
        title="[b]Neon arcade",
        creator="bo",
        tags=("#ocean", "neon"),
        sound="chiptune 7",
        duration_ms=30_000,
        width=360,
        height=640,
    ),
    Clip(id="drive", location="/v/dr\udcffive.mp4", title="Sunset drive", creator="cy", duration_ms=8_000),
]


def at(days_ago: int, minutes: int = 0) -> str:
    """A stored time `days_ago` days before NOW, `minutes` later."""
    return (NOW - timedelta(days=days_ago) + timedelta(minutes=minutes)).isoformat(timespec="milliseconds")


def stay(store: Store, clip: str, dwell_ms: int, exit: ImpressionExit, ended: str, *, loops: int = 0) -> None:
    """One closed stay on `clip`, opened and closed as the feed session does."""
    duration = next(c.duration_ms for c in CLIPS if c.id == clip)
    stay_id = store.open_impression(clip, ended, duration)
    store.close_impression(stay_id, Impression(clip, ended, ended, dwell_ms, duration, loops, exit))


def fill(store: Store) -> None:
    """Stays today, yesterday and a week ago, likes, a save, a follow, a mute, a not-interested, a Refresh For You."""
    store.upsert_clips(CLIPS)
    stay(store, "waves", 9_500, ImpressionExit.NEXT, at(0, -30))  # completed
    stay(store, "arcade", 1_000, ImpressionExit.NEXT, at(0, -20))  # skipped
    stay(store, "waves", 25_000, ImpressionExit.QUIT, at(0, -10), loops=2)  # looped
    stay(store, "drive", 0, ImpressionExit.ERROR, at(0, -5))  # could not play: never counted
    stay(store, "arcade", 12_000, ImpressionExit.NEXT, at(1))
    stay(store, "drive", 4_000, ImpressionExit.PREVIOUS, at(9))
    store.record_like("waves", True, at(0, -29))
    store.record_like("arcade", True, at(1, 1))
    store.record_like("arcade", False, at(1, 2))
    store.record_event(EventKind.SAVE, "waves", True, at(0, -28))
    store.record_event(EventKind.FOLLOW, "ana", True, at(0, -27))
    store.record_event(EventKind.MUTE_TAG, "neon", True, at(1, 3))
    store.record_event(EventKind.NOT_INTERESTED, "drive", True, at(9, 1))
    store.record_event(EventKind.RESET, "for_you", True, at(0, -8))
