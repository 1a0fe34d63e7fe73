"""Remote clips in the feeds, over a stand-in library: what is asked for ahead, what is skipped offline and when it
comes back, and what a probe's verdict does with a clip that failed while streaming. (The real library over real
HTTP is in tests/remote/test_remote_app.py.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ranker_stub import InOrder

from tuifeed.feed import Feeds
from tuifeed.feed.remote import offline_notice
from tuifeed.feed.session import FeedSession
from tuifeed.library.remote.urls import origin
from tuifeed.library.service import PrefetchReport, ProbeReport, Reach
from tuifeed.models import Clip, MuteKind
from tuifeed.player import Frame
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
        self.checks: list[str] = []
        self.needed: list[str] = []
        self.cache_on = True

    def playable_location(self, clip: Clip) -> str | None:
        if not clip.location.startswith("http"):
            return clip.location
        if clip.id in self.cached:
            return f"/cache/{clip.id}.mp4"
        return None if self.cut_off(clip) else clip.location

    def prefetch(self, clips: Sequence[Clip]) -> None:
        self.wishes.append([clip.id for clip in clips])

    def need(self, clip: Clip) -> bool:
        if self.cache_on:
            self.needed.append(clip.id)
        return self.cache_on

    def check(self, clip: Clip) -> bool:
        self.checks.append(clip.id)
        return True

    def cut_off(self, clip: Clip) -> bool:
        return self.offline and clip.location.startswith("http")

    def server(self, clip: Clip) -> str:
        return origin(clip.location)


class Unheard:
    """A view's listener that hears nothing: the fake player reports no frames here."""

    def player_frame(self, token: int, frame: Frame) -> None:
        pass

    def player_ended(self, token: int) -> None:
        pass

    def player_error(self, token: int, message: str) -> None:
        pass


def _feeds(store: Store, clips: list[Clip], shelf: Shelf) -> tuple[Feeds, FakePlayer]:
    store.upsert_clips(clips)
    player = FakePlayer()
    return Feeds(store, player, InOrder(clips), clips, remote=shelf), player


def _first_stream_failed(store: Store, clips: list[Clip], shelf: Shelf) -> tuple[Feeds, FakePlayer, FeedSession]:
    """For You started over `clips` and the stream of its first clip failed (held, its server to be probed)."""
    feeds, player = _feeds(store, clips, shelf)
    session = feeds.for_you
    session.start()
    session.clip_failed(player.token)
    return feeds, player, session


def test_each_swipe_asks_for_the_next_three_once_its_picture_is_shown(store: Store) -> None:
    """After each swipe the next three clips of the queue are wished for, the upcoming (pre-rolled) one first,
    but only once the swiped-to clip's picture is on screen: nothing competes with its first frame."""
    shelf = Shelf()
    feeds, player = _feeds(store, REMOTE, shelf)
    session = feeds.for_you
    session.start()
    assert shelf.wishes == []
    session.picture_shown()
    assert shelf.wishes == [["r1", "r2", "r3"]]
    assert player.played == ["http://host/c0.mp4"] and player.prerolled == "http://host/c1.mp4"
    shelf.cached.add("r1")
    feeds.remote_changed()  # the download finished: the next clip is pre-rolled from the cache
    assert player.prerolled == "/cache/r1.mp4"
    session.next()
    assert player.played[-1] == "/cache/r1.mp4"
    assert len(shelf.wishes) == 1, "not at the swipe"
    session.picture_shown()
    assert shelf.wishes[-1] == ["r2", "r3", "r4"]


def test_a_clip_with_no_picture_asks_ahead_after_a_second(store: Store) -> None:
    """A clip whose picture does not come (sound only, slow to start) still gets the next ones downloaded."""
    shelf = Shelf()
    now = [0.0]
    store.upsert_clips(REMOTE)
    feeds = Feeds(store, FakePlayer(), InOrder(REMOTE), REMOTE, remote=shelf, clock=lambda: now[0])
    feeds.for_you.start()
    now[0] = 0.5
    feeds.for_you.tick()
    assert shelf.wishes == []
    now[0] = 1.0
    feeds.for_you.tick()
    feeds.for_you.tick()
    assert shelf.wishes == [["r1", "r2", "r3"]]


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
    assert session.offline_notice() == offline_notice(["http://host:80"])
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
    assert session.offline_notice() == offline_notice(["http://host:80"]), "a new time offline is told again"


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


def test_a_stream_failing_online_is_held_until_its_server_is_probed(store: Store) -> None:
    """Online, a streamed clip that fails is not failed at once: it is held and its server probed. No answer
    means offline: it waits for the network with the one notice, and comes back with it."""
    shelf = Shelf(cached={"r2"})
    feeds, player = _feeds(store, REMOTE[:3], shelf)
    session = feeds.for_you
    session.start()
    assert session.quiet_failure(), "not told as an error: the probe will say"
    assert session.clip_failed(player.token) == REMOTE[1]
    assert shelf.checks == ["r0"] and "r0" not in session.clips and "r0" not in session.queue.failed
    shelf.offline = True
    assert feeds.probed(ProbeReport("r0", Reach.UNREACHABLE, "http://host/c0.mp4: cannot connect")) is None
    assert session.offline_notice() == offline_notice(["http://host:80"])
    assert session.offline_notice() is None
    shelf.offline = False
    feeds.remote_changed()
    assert "r0" in session.clips


def test_a_probe_finding_an_error_fails_the_clip_in_every_feed_with_one_line(store: Store) -> None:
    """A 404 for the held clip is the line to show; the clip leaves every feed for the run, no notice."""
    shelf = Shelf()
    feeds, _player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    line = feeds.probed(ProbeReport("r0", Reach.FAILS, "http://host/c0.mp4: not found (HTTP 404)"))
    assert line == "http://host/c0.mp4: not found (HTTP 404)"
    assert all("r0" in feed.queue.failed for feed in feeds.sessions)
    assert "r0" not in session.clips and session.offline_notice() is None


def test_a_server_that_answers_gives_the_clip_one_more_try(store: Store) -> None:
    """The probe answered: the clip comes back; failing again, it is an error to show and fails for good."""
    shelf = Shelf()
    feeds, player, session = _first_stream_failed(store, REMOTE[:2], shelf)
    assert feeds.probed(ProbeReport("r0", Reach.ANSWERS)) is None
    assert "r0" in session.clips
    assert session.next() == REMOTE[0]
    assert not session.quiet_failure(), "its one more try failed: an error to show now"
    session.clip_failed(player.token)
    assert "r0" in session.queue.failed and shelf.checks == ["r0"]


def test_offline_swipes_ask_whether_the_network_is_back_one_probe_at_a_time(store: Store) -> None:
    """While offline each swipe may probe one skipped clip's server, never two at once; when it answers, the
    skipped clips are back."""
    shelf = Shelf(cached={"r1", "r4"}, offline=True)
    feeds, _ = _feeds(store, REMOTE, shelf)
    session = feeds.for_you
    session.start()
    session.next()
    session.next()
    assert len(shelf.checks) == 1 and shelf.checks[0] in {"r0", "r2", "r3", "r5"}
    feeds.probed(ProbeReport(shelf.checks[0], Reach.UNREACHABLE, "down"))
    session.next()
    assert len(shelf.checks) == 2
    shelf.offline = False
    feeds.probed(ProbeReport(shelf.checks[1], Reach.ANSWERS))
    assert set(session.clips) == {clip.id for clip in REMOTE}
    assert session.remote is not None and not session.remote.retried, "no skipped clip had its one more try"


def test_an_empty_feed_starts_again_when_its_clips_come_back(store: Store) -> None:
    """Nothing could play offline; with the network back the feed on screen starts on its own."""
    shelf = Shelf(offline=True)
    feeds, player = _feeds(store, REMOTE[:2], shelf)
    session = feeds.for_you
    session.attach(Unheard(), lambda width, height: (width, height))  # as the feed's view does: it owns the player
    assert session.start() is None
    shelf.offline = False
    feeds.remote_changed()
    assert session.current == REMOTE[0] and player.played == ["http://host/c0.mp4"]


class Servers(Shelf):
    """A stand-in library of several servers (by host), each up or down on its own."""

    def __init__(self, down: Iterable[str]) -> None:
        super().__init__()
        self.down = set(down)

    def cut_off(self, clip: Clip) -> bool:
        return urlsplit(clip.location).hostname in self.down


def test_one_server_down_skips_only_its_clips_and_each_swipe_asks_about_another_of_them(store: Store) -> None:
    """Server a is down, b is up: only a's uncached clips are skipped, with one notice. Each ask about a probes
    another of its skipped clips (one probe at a time); when a is back, its clips return and a later time a is
    down is told again."""
    a = [Clip(id=f"a{i}", location=f"http://a/c{i}.mp4", creator=f"a{i}") for i in range(3)]
    b = [Clip(id=f"b{i}", location=f"http://b/c{i}.mp4", creator=f"b{i}") for i in range(3)]
    shelf = Servers(down={"a"})
    feeds, _ = _feeds(store, [a[0], b[0], a[1], b[1], a[2], b[2]], shelf)
    session = feeds.for_you
    assert session.start() == b[0]
    assert session.offline_notice() == offline_notice(["http://a:80"])
    session.next()
    session.next()
    assert set(session.clips) == {clip.id for clip in b}
    assert session.offline_notice() is None, "one notice while a stays down"
    assert len(shelf.checks) == 1, "one probe of a at a time"
    for _ in range(2):
        feeds.probed(ProbeReport(shelf.checks[-1], Reach.UNREACHABLE, "http://a/: cannot connect"))
        session.next()
    assert sorted(shelf.checks) == ["a0", "a1", "a2"], "each ask is about another of a's clips"
    assert session.offline_notice() is None
    shelf.down.clear()
    feeds.probed(ProbeReport(shelf.checks[-1], Reach.ANSWERS))
    assert set(session.clips) == {clip.id for clip in a + b}
    shelf.down.add("a")
    session.next()
    session.next()
    session.next()
    assert session.offline_notice() == offline_notice(["http://a:80"]), "a new time a is down is told again"


def test_a_failure_says_once_whether_it_is_an_error_to_show(store: Store) -> None:
    """`fail` decides once and says it: held for a probe or skipped with its server gone, nothing to show;
    failing again after its one more try with the server there, the error to show, and the clip fails."""
    shelf = Shelf()
    feeds, player = _feeds(store, REMOTE[:2], shelf)
    session = feeds.for_you
    session.start()
    assert session.fail(player.token) is False and "r0" in (session.remote.held if session.remote else {})
    feeds.probed(ProbeReport("r0", Reach.ANSWERS))
    assert session.next() == REMOTE[0]
    shelf.offline = True
    assert session.fail(player.token) is False, "its server is gone now: the notice tells it"
    assert "r0" in (session.remote.skipped if session.remote else set()) and "r0" not in session.queue.failed
    shelf.offline = False
    feeds.remote_changed()
    for _ in range(3):
        if session.current == REMOTE[0]:
            break
        session.next()
    assert session.current == REMOTE[0]
    assert session.fail(player.token) is True
    assert "r0" in session.queue.failed
    assert session.fail(player.token + 1) is False, "not about the clip on screen"


def test_a_server_that_cannot_stream_the_clip_has_it_downloaded_and_it_comes_back_from_the_cache(
    store: Store,
) -> None:
    """Its server ignores Range: the failed clip is needed (downloaded first) and stays out of every feed
    meanwhile; downloaded, it comes back and plays from the cache, where a failure is an error to show."""
    shelf = Shelf()
    feeds, player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    assert feeds.probed(ProbeReport("r0", Reach.DOWNLOAD)) is None
    assert shelf.needed == ["r0"]
    assert all("r0" not in feed.clips for feed in feeds.sessions)
    assert feeds.prefetched(PrefetchReport("r1", path=Path("/cache/r1.mp4"))) is None  # another clip's: no change
    assert "r0" not in session.clips
    shelf.cached.add("r0")
    assert feeds.prefetched(PrefetchReport("r0", path=Path("/cache/r0.mp4"))) is None
    assert "r0" in session.clips
    while session.current != REMOTE[0]:
        session.next()
    assert player.played[-1] == "/cache/r0.mp4"
    assert not session.quiet_failure(), "from the cache, a failure is the clip's own: shown now"


def test_a_clip_that_can_only_play_downloaded_fails_with_its_download(store: Store) -> None:
    """The needed download fails: its line is the one to show and the clip leaves every feed for the run;
    with the cache off it fails at the probe's verdict, saying why."""
    shelf = Shelf()
    feeds, player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    feeds.probed(ProbeReport("r0", Reach.DOWNLOAD))
    line = feeds.prefetched(PrefetchReport("r0", error="http://host/c0.mp4: the connection was cut"))
    assert line == "http://host/c0.mp4: the connection was cut"
    assert all("r0" in feed.queue.failed for feed in feeds.sessions)
    shelf.cache_on = False
    session.clip_failed(player.token)
    failed = session.queue.failed
    line = feeds.probed(ProbeReport("r1", Reach.DOWNLOAD))
    assert line is not None and "ignores Range requests" in line and "cache is off" in line
    assert "r1" in failed and shelf.needed == ["r0"]


def test_a_skipped_clip_probed_on_a_server_that_cannot_stream_is_not_downloaded(store: Store) -> None:
    """A probe asking whether a server is back answers DOWNLOAD for a skipped clip: nothing is downloaded for a
    clip that had no try of its own (it streams first, like any other), and no error is shown."""
    shelf = Shelf(offline=True)
    feeds, _player = _feeds(store, REMOTE[:2], shelf)
    feeds.for_you.start()
    assert feeds.for_you.current is None
    shelf.offline = False
    feeds.remote_changed()
    assert feeds.probed(ProbeReport("r0", Reach.DOWNLOAD)) is None
    assert shelf.needed == []


def test_a_clip_back_after_its_stream_failed_counts_as_not_seen_in_the_round(store: Store) -> None:
    """It never showed: back (its server answered), it is picked within the first round and counted once."""
    shelf = Shelf()
    feeds, _player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    feeds.probed(ProbeReport("r0", Reach.ANSWERS))
    shown = [session.current]
    while len(shown) < 3:
        shown.append(session.next())
    assert shown == [REMOTE[1], REMOTE[0], REMOTE[2]]
    status = session.status()
    assert (status.round, status.seen, status.total) == (1, 3, 3)


def test_the_cache_off_line_for_a_clip_that_cannot_stream_shows_no_password_or_token(store: Store) -> None:
    """Passwords and tokens in a clip's URL are sent but never shown: the cache-off line redacts them too."""
    secret = Clip(id="s0", location="http://ana:hunter2@host/c.mp4?token=abc123", creator="maker")
    shelf = Shelf()
    shelf.cache_on = False
    feeds, _player, _session = _first_stream_failed(store, [secret, *REMOTE[:2]], shelf)
    line = feeds.probed(ProbeReport("s0", Reach.DOWNLOAD))
    assert line is not None and "cache is off" in line
    assert "hunter2" not in line and "abc123" not in line


def test_a_needed_download_cut_off_by_the_network_waits_for_the_server_like_any_skipped_clip(store: Store) -> None:
    """The network goes while the clip that can only play downloaded is downloading: no red line and no failure
    for the run; it waits for its server with the skipped clips and comes back when the server answers."""
    shelf = Shelf()
    feeds, _player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    feeds.probed(ProbeReport("r0", Reach.DOWNLOAD))
    shelf.offline = True  # the library noted the server unreachable before reporting the failed download
    line = feeds.prefetched(PrefetchReport("r0", error="http://host/c0.mp4: no answer (connection refused)"))
    assert line is None
    assert "r0" not in session.queue.failed
    assert feeds.remote is not None and "r0" in feeds.remote.skipped
    assert session.offline_notice() is not None, "the one calm notice, not a red line"
    shelf.offline = False
    feeds.remote_changed()
    assert "r0" in session.clips


def test_a_downloaded_clip_evicted_before_it_plays_is_downloaded_again_not_failed(store: Store) -> None:
    """Back from its download, the clip may wait many swipes and leave the cache meanwhile (least recently used):
    streamed again from its server that cannot stream it, it fails quietly and is downloaded again, no red line."""
    shelf = Shelf()
    feeds, player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    feeds.probed(ProbeReport("r0", Reach.DOWNLOAD))
    shelf.cached.add("r0")
    feeds.prefetched(PrefetchReport("r0", path=Path("/cache/r0.mp4")))
    shelf.cached.discard("r0")  # evicted by later downloads before the ranker picked it
    while session.current != REMOTE[0]:
        session.next()
    assert player.played[-1] == "http://host/c0.mp4"
    assert session.fail(player.token) is False, "the server cannot stream it: not an error to show"
    assert "r0" not in session.queue.failed
    feeds.probed(ProbeReport("r0", Reach.DOWNLOAD))
    assert shelf.needed == ["r0", "r0"]


def test_a_clip_that_showed_then_failed_when_walked_back_to_still_counts_as_seen_in_the_round(store: Store) -> None:
    """It played once this round; swiped back to, its stream fails (a blip) and its server answers: it is still
    seen in this round, so the next pick is a clip not seen yet, not a second showing of it."""
    shelf = Shelf()
    feeds, player = _feeds(store, REMOTE[:3], shelf)
    session = feeds.for_you
    session.start()
    session.picture_shown()
    session.next()
    assert session.previous() == REMOTE[0]
    session.clip_failed(player.token)
    assert session.current == REMOTE[1], "on through history"
    feeds.probed(ProbeReport("r0", Reach.ANSWERS))
    assert session.next() == REMOTE[2]
    status = session.status()
    assert (status.round, status.seen, status.total) == (1, 3, 3)


def test_a_download_ahead_takes_no_feed_clips_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """About three downloads ahead finish per swipe; each changes no feed's clips, so none is taken again (that
    reads every clip of every feed, and Following's from its source, on the UI thread). A needed clip's does."""
    shelf = Shelf()
    feeds, player = _feeds(store, REMOTE[:4], shelf)
    session = feeds.for_you
    session.start()
    synced: list[FeedSession] = []
    real_sync = FeedSession.sync

    def counting_sync(self: FeedSession) -> None:
        synced.append(self)
        real_sync(self)

    monkeypatch.setattr(FeedSession, "sync", counting_sync)
    shelf.cached.add("r2")
    feeds.prefetched(PrefetchReport("r2", path=Path("/cache/r2.mp4")))
    assert synced == []
    assert player.prerolled == "http://host/c1.mp4"
    session.clip_failed(player.token)
    feeds.probed(ProbeReport("r0", Reach.DOWNLOAD))
    synced.clear()
    shelf.cached.add("r0")
    feeds.prefetched(PrefetchReport("r0", path=Path("/cache/r0.mp4")))
    assert session in synced and "r0" in session.clips


def test_a_needed_download_failing_for_a_clip_muted_meanwhile_shows_no_line(store: Store) -> None:
    """The person muted the clip's creator while it downloaded: its failed download leaves it out quietly (a red
    line naming a clip they sent away would only puzzle them)."""
    shelf = Shelf()
    feeds, _player, session = _first_stream_failed(store, REMOTE[:3], shelf)
    feeds.probed(ProbeReport("r0", Reach.DOWNLOAD))
    feeds.mute(session, MuteKind.CREATOR, "maker0")
    assert feeds.prefetched(PrefetchReport("r0", error="http://host/c0.mp4: not found (HTTP 404)")) is None
    assert "r0" in session.queue.failed
