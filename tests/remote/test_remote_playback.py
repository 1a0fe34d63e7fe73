"""Remote clips through real libvlc (headless): a prefetched one from the cache, another streamed over loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from loopback import LoopbackServer
from remote_support import hls_clip, rss

from tuifeed.library.service import Library, PrefetchReport
from tuifeed.player.base import Frame
from tuifeed.player.vlc_engine import VlcPlayer

pytestmark = pytest.mark.vlc


class Frames:
    """A player listener that keeps the first frames of each token."""

    def __init__(self) -> None:
        self.frames: dict[int, list[Frame]] = {}
        self.errors: list[tuple[int, str]] = []
        self.lock = threading.Lock()

    def player_frame(self, token: int, frame: Frame) -> None:
        with self.lock:
            kept = self.frames.setdefault(token, [])
            if len(kept) < 40:
                kept.append(frame.copy())

    def player_ended(self, token: int) -> None:
        pass

    def player_error(self, token: int, message: str) -> None:
        self.errors.append((token, message))

    def wait(self, token: int, count: int, seconds: float = 15.0) -> list[Frame]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.frames.get(token, [])) < count:
            time.sleep(0.02)
        return self.frames.get(token, [])


@pytest.fixture
def player() -> Iterator[tuple[VlcPlayer, Frames]]:
    engine = VlcPlayer(audio_output="adummy")
    frames = Frames()
    engine.attach(frames, lambda width, height: (48, round(48 * height / width)))
    yield engine, frames
    engine.close()


def test_prefetched_and_streamed_remote_clips_play(
    server: LoopbackServer, library: Library, media_clips: list[Path], player: tuple[VlcPlayer, Frames]
) -> None:
    """The cached file and the streamed URL (served with Range) both give moving pictures."""
    engine, frames = player
    server.add_file("/c/cached.mp4", media_clips[0])
    server.add_file("/c/streamed.mp4", media_clips[3])
    items = [{"title": "cached", "url": "/c/cached.mp4"}, {"title": "streamed", "url": "/c/streamed.mp4"}]
    server.add("/feed.xml", rss(items), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    cached, streamed = library.remote_clips(server.url("/feed.xml"))
    library.prefetch([cached])
    assert library.wait_for_prefetch(30)

    for clip, expect_file in ((cached, True), (streamed, False)):
        location = library.playable_location(clip)
        assert location is not None
        assert Path(location).is_file() if expect_file else location == server.url("/c/streamed.mp4")
        token = engine.play(location)
        got = frames.wait(token, 15)
        assert len(got) >= 15, f"{clip.title}: {len(got)} frames, errors {frames.errors}"
        assert got[0].any() and any(not np.array_equal(got[0], later) for later in got[1:])
    assert server.requests("/c/streamed.mp4"), "libvlc streamed from the loopback server"
    assert frames.errors == []


def test_an_hls_clip_is_never_downloaded_ahead_and_streams(tmp_path: Path, library: Library) -> None:
    """Prefetched, an HLS playlist is found to be one (its segments are named relative to its URL, so a copy in
    the cache could not play): nothing is kept, it is not asked for again, and libvlc streams it from its URL."""
    playlist = hls_clip(tmp_path)
    with LoopbackServer() as server:
        server.add("/v/index.m3u8", playlist.read_bytes(), "application/vnd.apple.mpegurl")
        server.add("/v/seg0.ts", (tmp_path / "seg0.ts").read_bytes(), "video/mp2t")
        library.add_remote(server.url("/v/index.m3u8"))
        [clip] = library.remote_clips(server.url("/v/index.m3u8"))
        reports: list[PrefetchReport] = []
        library.listener = reports.append
        library.prefetch([clip])
        assert library.wait_for_prefetch(10)
        [report] = reports
        assert report.path is None and report.error is not None and "HLS playlist" in report.error
        assert list(library.cache.folder.iterdir()) == []
        assert library.playable_location(clip) == clip.location
        asked = len(server.requests("/v/index.m3u8"))
        library.prefetch([clip])
        assert library.wait_for_prefetch(10)
        assert len(server.requests("/v/index.m3u8")) == asked, "not asked for again"

        player = VlcPlayer(audio_output="adummy")
        frames = Frames()
        player.attach(frames, lambda width, height: (40, round(40 * height / width)))
        try:
            token = player.play(clip.location)
            deadline = time.monotonic() + 15
            while len(frames.frames.get(token, [])) < 10 and time.monotonic() < deadline:
                time.sleep(0.05)
            kept = frames.frames.get(token, [])
            assert len(kept) >= 10 and frames.errors == []
            assert any(not np.array_equal(kept[0], later) for later in kept[1:])
        finally:
            player.close()
