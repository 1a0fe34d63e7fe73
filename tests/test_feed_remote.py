"""Remote clips in the feeds, over a stand-in library: what is asked for ahead, what is skipped offline and when it
comes back. (The real library over real HTTP is in tests/remote/test_remote_app.py.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ranker_stub import InOrder

from tuifeed.feed import Feeds
from tuifeed.feed.remote import OFFLINE_NOTICE
from tuifeed.models import Clip
from tuifeed.player.fake import FakePlayer
from tuifeed.store import Store

REMOTE = [Clip(id=f"r{i}", location=f"http://host/c{i}.mp4", creator=f"maker{i}") for i in range(6)]
LOCAL = [Clip(id=f"l{i}", location=f"/clips/l{i}.mp4", creator=f"local{i}") for i in range(3)]


class Shelf:
    """A stand-in library: some clips cached, the network up or down, and every wish list kept."""

    def __init__(self, cached: Iterable[str] = (), offline: bool = False) -> None:
        self.cached = set(cached)
        self.offline = offline
        self.prefetch_count = 3
        self.wishes: list[list[str]] = []

    def playable_location(self, clip: Clip) -> str | None:
        if not clip.location.startswith("http"):
            return clip.location
        if clip.id in self.cached:
            return f"/cache/{clip.id}.mp4"
        return None if self.offline else clip.location

    def prefetch(self, clips: Sequence[Clip]) -> None:
        self.wishes.append([clip.id for clip in clips])


def _feeds(store: Store, clips: list[Clip], shelf: Shelf) -> tuple[Feeds, FakePlayer]:
    store.upsert_clips(clips)
    player = FakePlayer()
    return Feeds(store, player, InOrder(clips), clips, remote=shelf), player


def test_each_swipe_asks_for_the_next_three(store: Store) -> None:
    """After each swipe the next three clips of the queue are wished for, the upcoming (pre-rolled) one first."""
    shelf = Shelf()
    feeds, player = _feeds(store, REMOTE, shelf)
    session = feeds.for_you
    session.start()
    assert shelf.wishes[-1] == ["r1", "r2", "r3"]
    assert player.played == ["http://host/c0.mp4"] and player.prerolled == "http://host/c1.mp4"
    shelf.cached.add("r1")
    feeds.remote_changed()  # the download finished: the next clip is pre-rolled from the cache
    assert player.prerolled == "/cache/r1.mp4"
    session.next()
    assert player.played[-1] == "/cache/r1.mp4"
    assert shelf.wishes[-1] == ["r2", "r3", "r4"]


def test_a_local_library_asks_for_nothing(store: Store) -> None:
    """Local clips play from their paths and no download is wished for."""
    shelf = Shelf()
    feeds, player = _feeds(store, LOCAL, shelf)
    feeds.for_you.start()
    feeds.for_you.next()
    assert player.played == ["/clips/l0.mp4", "/clips/l1.mp4"]
    assert shelf.wishes == []


def test_offline_skips_the_uncached_once_told_and_brings_them_back(store: Store) -> None:
    """Offline, only cached clips play; the notice is given once; with the network back the rest return."""
    shelf = Shelf(cached={"r1", "r4"}, offline=True)
    feeds, player = _feeds(store, REMOTE, shelf)
    session = feeds.for_you
    assert session.start() == REMOTE[1]
    assert session.offline_notice() == OFFLINE_NOTICE
    assert session.next() == REMOTE[4]
    assert session.offline_notice() is None
    assert not {"r0", "r2", "r3"} & set(session.clips)
    assert all(location.startswith("/cache/") for location in player.played)

    shelf.offline = False
    feeds.remote_changed()
    assert set(session.clips) == {clip.id for clip in REMOTE}
    assert session.next() == REMOTE[5]
    shelf.offline = True
    assert session.next() in (REMOTE[1], REMOTE[4])
    assert session.offline_notice() == OFFLINE_NOTICE, "a new time offline is told again"


def test_a_streamed_clip_failing_offline_waits_for_the_network(store: Store) -> None:
    """A clip that was streaming when the network went is skipped for now, not failed for good."""
    shelf = Shelf(cached={"r2"})
    feeds, player = _feeds(store, REMOTE[:3], shelf)
    session = feeds.for_you
    session.start()
    shelf.offline = True
    assert session.clip_failed(player.token) == REMOTE[2]
    assert "r0" not in session.queue.failed and "r0" not in session.clips
    shelf.offline = False
    feeds.remote_changed()
    assert "r0" in session.clips


def test_an_empty_offline_feed_says_why(store: Store) -> None:
    """With nothing cached and no network, the feed's empty line says it is offline."""
    feeds, _ = _feeds(store, REMOTE[:2], Shelf(offline=True))
    assert feeds.for_you.start() is None
    assert "Offline" in (feeds.for_you.status().empty or "")
