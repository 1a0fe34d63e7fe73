"""Remote clips in the app (Pilot): real libvlc streams or plays from the cache, swipes fill the cache ahead
over real HTTP, and with the network gone the cached clips play while the others are skipped with one notice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from loopback import LoopbackServer
from pilot_wait import until
from ranker_stub import InOrder
from remote_support import index_at_end_clip, rss, serve_feed
from toasts import toasts, toasts_with

from tuifeed.config import Config
from tuifeed.feed import Feeds
from tuifeed.feed.remote import offline_notice
from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.remote.urls import origin
from tuifeed.library.service import Library
from tuifeed.models import Clip
from tuifeed.player.fake import FakePlayer
from tuifeed.player.vlc_engine import VlcPlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.store.cache import CacheIndex
from tuifeed.ui.app import TuifeedApp


class RecordingPlayer(VlcPlayer):
    """The real player, noting what each play() opened."""

    def __init__(self) -> None:
        super().__init__(audio_output="adummy")
        self.played: list[str] = []

    def play(self, location: str, aspect: tuple[int, int] | None = None) -> int:
        self.played.append(location)
        return super().play(location, aspect)


def _cached(library: Library, clips: list[Clip]) -> set[str]:
    store = Store(library.database)
    try:
        index = CacheIndex(store)
        return {clip.id for clip in clips if (entry := index.get(clip.id)) is not None and entry.complete}
    finally:
        store.close()


@contextmanager
def _playing_app(library: Library, clips: list[Clip]) -> Iterator[tuple[TuifeedApp, RecordingPlayer]]:
    """The app over `clips` in order, with the real libvlc player, on `library`'s database; closed after."""
    store = Store(library.database)
    player = RecordingPlayer()
    try:
        feeds = Feeds(store, player, InOrder(clips), clips, remote=library)
        yield TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library), player
    finally:
        player.close()
        store.close()


def _vlc_requests(server: LoopbackServer, path: str) -> int:
    """Requests for `path` made by libvlc (streaming), not by tuifeed's own client (downloading ahead)."""
    return sum(not seen.headers.get("user-agent", "").startswith("tuifeed/") for seen in server.requests(path))


@pytest.mark.vlc
async def test_remote_clips_play_and_swipes_fill_the_cache_ahead(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """The first clip streams through libvlc; the next three download while it plays, and the swiped-to
    clip plays from the cache while the swipe asks for the one after them."""
    clips = serve_feed(server, library, media_clips, 5)
    with _playing_app(library, clips) as (app, player):
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.feed.video.frames_painted > 5, 30)
            assert app.session.current == clips[0] and app.feed.video.frames_painted > 5
            assert player.played == [clips[0].location]
            assert _vlc_requests(server, "/c/0.mp4") >= 1
            await until(pilot, lambda: _cached(library, clips) == {clip.id for clip in clips[1:4]}, 30)
            assert _cached(library, clips) == {clip.id for clip in clips[1:4]}

            painted = app.feed.video.frames_painted
            await pilot.press("j")
            await until(pilot, lambda: len(_cached(library, clips)) == 4, 30)
            assert app.session.current == clips[1]
            assert Path(player.played[-1]).read_bytes() == media_clips[1].read_bytes()
            assert _cached(library, clips) == {clip.id for clip in clips[1:5]}, "the swipe asked for clip 4"
            await until(pilot, lambda: app.feed.video.frames_painted > painted + 5, 30)
            assert app.feed.video.frames_painted > painted + 5
            await pilot.press("q")


async def test_offline_the_cached_clips_play_and_the_others_are_skipped_with_one_notice(
    library: Library, media_clips: list[Path]
) -> None:
    """With the server gone, the uncached clips are passed over and one calm toast says why, however many."""
    with LoopbackServer() as server:
        clips = serve_feed(server, library, media_clips, 5)
        library.prefetch([clips[1], clips[3]])
        assert library.wait_for_prefetch(30)
    [result] = library.refresh()
    assert result.unreachable and library.offline
    store = Store(library.database)
    player = FakePlayer()
    feeds = Feeds(store, player, InOrder(clips), clips, remote=library)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library)
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause(0.2)
            assert app.session.current == clips[1]
            await pilot.press("j")
            await pilot.pause(0.1)
            assert app.session.current == clips[3]
            await pilot.press("j", "j")
            await pilot.pause(0.3)
            assert app.session.current in (clips[1], clips[3])
            assert all(Path(location).is_file() for location in player.played)
            assert len(player.played) == 4
            assert toasts(app).count(offline_notice([origin(clips[0].location)])) == 1, toasts(app)
            await pilot.press("q")
    finally:
        store.close()


@pytest.mark.vlc
async def test_server_down_at_start_a_failed_stream_is_probed_and_the_clips_come_back_with_it(
    library: Library, media_clips: list[Path]
) -> None:
    """Nothing says the server is gone when the app starts (no refresh was due): the first clip's stream fails,
    the probe finds no server, and from then on the cached clips play and the others are skipped calmly, with
    one notice and no error line. A swipe asks again; with the server back, the remote clips play again."""
    with LoopbackServer() as server:
        port = server.port
        clips = serve_feed(server, library, media_clips, 5)
        library.prefetch([clips[1], clips[3]])
        assert library.wait_for_prefetch(30)
    assert not library.offline
    with _playing_app(library, clips) as (app, player):
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            # The probe thread marks the server unreachable as it reports: wait for both, not the clip alone.
            await until(pilot, lambda: app.session.current == clips[1] and library.offline, 15)
            assert app.session.current == clips[1] and library.offline
            assert player.played[0] == clips[0].location and Path(player.played[1]).is_file()
            await pilot.press("j")
            await until(pilot, lambda: app.session.current == clips[3], 5)
            assert app.session.current == clips[3], "clip 2 is not cached: skipped"
            shown = toasts(app)
            assert shown.count(offline_notice([origin(clips[0].location)])) == 1 and not any(
                "Cannot play" in toast for toast in shown
            ), shown

            with LoopbackServer(port=port) as back:
                for number in range(5):
                    back.add_file(f"/c/{number}.mp4", media_clips[number % len(media_clips)])
                await pilot.press("j")  # this swipe asks whether the server is back
                await until(pilot, lambda: not library.offline and len(app.session.clips) == 5, 10)
                assert not library.offline and len(app.session.clips) == 5
                await pilot.press("j")
                await until(pilot, lambda: app.session.current in (clips[0], clips[2], clips[4]), 10)
                current = app.session.current
                assert current in (clips[0], clips[2], clips[4])
                assert back.requests(urlsplit(current.location).path), "streamed or downloaded ahead from it"
                painted = app.feed.video.frames_painted
                await until(pilot, lambda: app.feed.video.frames_painted > painted + 3, 15)
                assert app.feed.video.frames_painted > painted + 3, "the remote clip streams again"
                await pilot.press("q")


async def test_offline_r_finds_the_server_back_and_the_skipped_clips_return(
    library: Library, media_clips: list[Path]
) -> None:
    """Offline with clips skipped, the server comes back: `r` refreshes, and the refresh working is the network
    back, so the skipped clips return to the feed without a swipe."""
    with LoopbackServer() as server:
        port = server.port
        clips = serve_feed(server, library, media_clips, 4)
        feed_xml = server.routes["/feed.xml"]
        library.prefetch([clips[1]])
        assert library.wait_for_prefetch(30)
    [result] = library.refresh()
    assert result.unreachable and library.offline
    store = Store(library.database)
    feeds = Feeds(store, FakePlayer(), InOrder(clips), clips, remote=library)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library)
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause(0.2)
            assert app.session.current == clips[1] and clips[0].id not in app.session.clips
            with LoopbackServer(port=port) as back:
                back.routes["/feed.xml"] = feed_xml
                await pilot.press("r")
                await app.workers.wait_for_complete()
                await until(pilot, lambda: len(app.session.clips) == 4, 5)
                assert len(app.session.clips) == 4 and not library.offline
                assert len(back.requests("/feed.xml")) == 1
                await pilot.press("q")
    finally:
        store.close()


@pytest.mark.vlc
async def test_a_clip_the_server_no_longer_has_is_one_clear_line(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """The server is up but the first clip is gone (404): one error line naming it and the cause, no offline
    notice, and the feed plays on."""
    clips = serve_feed(server, library, media_clips, 3)
    del server.routes["/c/0.mp4"]
    with _playing_app(library, clips) as (app, _player):
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            line = f"Cannot play {clips[0].location}: not found (HTTP 404)"
            shown = await toasts_with(pilot, line, 15)
            assert shown.count(line) == 1 and not any(toast.startswith("Offline:") for toast in shown), shown
            assert app.session.current == clips[1] and not library.offline
            assert clips[0].id in app.session.queue.failed
            assert [seen.headers.get("range") for seen in server.requests("/c/0.mp4") if
                    seen.headers.get("user-agent", "").startswith("tuifeed/")] == ["bytes=0-0"]  # fmt: skip
            await pilot.press("q")


async def test_r_refreshes_remote_libraries_and_new_clips_join_the_feed(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """A source not due is left alone at start; `r` fetches it again and its new clip joins the feed."""
    clips = serve_feed(server, library, media_clips, 2)
    store = Store(library.database)
    feeds = Feeds(store, FakePlayer(), InOrder(clips), clips, remote=library)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library)
    items = [{"title": f"clip {number}", "url": f"/c/{number}.mp4"} for number in range(3)]
    server.add_file("/c/2.mp4", media_clips[2])
    server.add("/feed.xml", rss(items), "application/rss+xml")
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            assert len(app.session.clips) == 2, "refreshed an hour ago at most: not due at start"
            assert len(server.requests("/feed.xml")) == 1, "only the add asked for the feed"
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await until(pilot, lambda: len(app.session.clips) == 3, 5)
            assert len(app.session.clips) == 3
            assert any("Remote libraries: 1 new clip" in toast for toast in toasts(app)), toasts(app)
            await pilot.press("q")
    finally:
        store.close()


async def test_a_source_older_than_refresh_after_is_refreshed_as_the_app_starts(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """With the source due, the start-up refresh runs in a worker and its new clip joins the feed."""
    clips = serve_feed(server, library, media_clips, 2)
    library.refresh_after = timedelta(0)
    items = [{"title": f"clip {number}", "url": f"/c/{number}.mp4"} for number in range(3)]
    server.add_file("/c/2.mp4", media_clips[2])
    server.add("/feed.xml", rss(items), "application/rss+xml")
    store = Store(library.database)
    feeds = Feeds(store, FakePlayer(), InOrder(clips), clips, remote=library)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await until(pilot, lambda: len(app.session.clips) == 3, 5)
            assert len(app.session.clips) == 3
            assert len(server.requests("/feed.xml")) == 2, "the add, then the start-up refresh"
            await pilot.press("q")
    finally:
        store.close()


@pytest.mark.vlc
async def test_a_clip_its_server_cannot_stream_is_downloaded_and_then_plays(
    tmp_path: Path, server: LoopbackServer, client: RemoteClient, media_clips: list[Path]
) -> None:
    """An mp4 with its index at the end, from a server that ignores Range (python -m http.server does): libvlc
    cannot stream it, so it is downloaded (prefetching off, even) and comes back to play from the cache, with no
    error line."""
    library = Library(
        tmp_path / "db.sqlite", cache_dir=tmp_path / "cache", cache_bytes=64 * 1024**2, prefetch_count=0, client=client
    )
    clips = serve_feed(server, library, media_clips, 2)
    server.add_file("/c/0.mp4", index_at_end_clip(tmp_path / "index-at-end.mp4"), ranges=False)
    try:
        with _playing_app(library, clips) as (app, player):
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await until(pilot, lambda: clips[0].id in _cached(library, clips), 30)
                assert _cached(library, clips) == {clips[0].id}
                # The cache's index says complete before the download's report has reached the feeds.
                await until(pilot, lambda: clips[0].id in app.session.clips, 10)
                assert app.session.current == clips[1] and clips[0].id in app.session.clips
                cached = library.playable_location(clips[0])
                assert cached is not None and Path(cached).is_file()
                for _ in range(3):
                    if app.session.current == clips[0]:
                        break
                    await pilot.press("j")
                    await pilot.pause(0.2)
                assert app.session.current == clips[0] and player.played[-1] == cached
                painted = app.feed.video.frames_painted
                await until(pilot, lambda: app.feed.video.frames_painted > painted + 5, 15)
                assert app.feed.video.frames_painted > painted + 5, "it plays from the cache"
                assert player.played.count(clips[0].location) == 1, "streamed once, then only from the cache"
                assert not any("Cannot play" in toast for toast in toasts(app)), toasts(app)
                await pilot.press("q")
    finally:
        library.close()
