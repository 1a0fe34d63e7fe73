"""Every kind of source end to end on loopback: add, refresh, prefetch, and the cached clip plays in libvlc."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from loopback import LoopbackServer
from remote_support import rss

from tuifeed.library.service import Library
from tuifeed.models import SourceKind
from tuifeed.player.base import Frame
from tuifeed.player.vlc_engine import VlcPlayer

pytestmark = pytest.mark.vlc

UUID = "0f1e2d3c-4b5a-6978-8a9b-abcdefabcdef"


def _feed(server: LoopbackServer) -> str:
    server.add("/feed.xml", rss([{"title": "clip", "url": "/c/clip.mp4"}]), "application/rss+xml")
    return "/feed.xml"


def _playlist(server: LoopbackServer) -> str:
    server.add("/list.m3u8", b"#EXTM3U\n#EXTINF:5,ana - clip\nc/clip.mp4\n", "application/vnd.apple.mpegurl")
    return "/list.m3u8"


def _listing(server: LoopbackServer) -> str:
    server.add("/c/", json.dumps([{"name": "clip.mp4", "type": "file", "size": 1}]).encode(), "application/json")
    return "/c/"


def _peertube(server: LoopbackServer) -> str:
    server.add("/api/v1/config", b'{"instance": {"name": "t"}}', "application/json")
    videos = {"total": 1, "data": [{"uuid": UUID, "name": "clip", "duration": 5}]}
    server.add("/api/v1/accounts/ana/videos", json.dumps(videos).encode(), "application/json")
    details = {"files": [{"fileUrl": "/c/clip.mp4", "resolution": {"id": 640}}]}
    server.add(f"/api/v1/videos/{UUID}", json.dumps(details).encode(), "application/json")
    return "/a/ana"


def _manifest(server: LoopbackServer) -> str:
    document = {"format": "tuifeed-library", "version": 1, "clips": [{"url": "c/clip.mp4", "title": "clip"}]}
    server.add("/tuifeed-library.json", json.dumps(document).encode(), "application/json")
    return "/tuifeed-library.json"


SOURCES: dict[SourceKind, Callable[[LoopbackServer], str]] = {
    SourceKind.FEED: _feed,
    SourceKind.PLAYLIST: _playlist,
    SourceKind.LISTING: _listing,
    SourceKind.PEERTUBE: _peertube,
    SourceKind.MANIFEST: _manifest,
}


class FirstFrames:
    """A player listener keeping the first frames and any error."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.errors: list[str] = []

    def player_frame(self, token: int, frame: Frame) -> None:
        if len(self.frames) < 10:
            self.frames.append(frame.copy())

    def player_ended(self, token: int) -> None:
        pass

    def player_error(self, token: int, message: str) -> None:
        self.errors.append(message)


@pytest.mark.parametrize("kind", list(SOURCES), ids=[kind.value for kind in SOURCES])
def test_each_kind_adds_refreshes_prefetches_and_plays(
    kind: SourceKind, server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """The kind is detected, a refresh works, the clip is cached byte-exact and libvlc paints it."""
    server.add_file("/c/clip.mp4", media_clips[0])
    url = server.url(SOURCES[kind](server))
    added = library.add_remote(url)
    assert (added.error, added.kind) == (None, kind), added.line()
    [refreshed] = library.refresh()
    assert refreshed.error is None, refreshed.line()
    [clip] = library.remote_clips(url)
    assert clip.location == server.url("/c/clip.mp4")
    library.prefetch([clip])
    assert library.wait_for_prefetch(30)
    location = library.playable_location(clip)
    assert location is not None and Path(location).read_bytes() == media_clips[0].read_bytes()

    player, frames = VlcPlayer(audio_output="adummy"), FirstFrames()
    player.attach(frames, lambda width, height: (32, round(32 * height / width)))
    try:
        player.play(location)
        deadline = time.monotonic() + 15
        while len(frames.frames) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        player.close()
    assert frames.errors == []
    assert len(frames.frames) == 10 and frames.frames[0].any()
