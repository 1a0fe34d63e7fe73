"""Reachability per server: a probe that gets no answer, one server down among several, a recheck in the hand-over."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from loopback import LoopbackServer, redirect
from ranker_stub import InOrder
from remote_support import serve_feed

from tuifeed.feed import Feeds
from tuifeed.feed.remote import RemotePlay, offline_notice
from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.remote.urls import origin
from tuifeed.library.service import Library, PrefetchReport, ProbeReport, Reach
from tuifeed.player.fake import FakePlayer
from tuifeed.store import Store


def test_a_probe_that_gets_no_answer_is_not_an_error_from_the_server(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """The server takes the request and never answers (a dead peer on a kept-alive connection, a hung server):
    nothing answered, so the probe must not fail the clip for the run nor say the network is back."""
    [clip] = serve_feed(server, library, media_clips, 1)

    def stall(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3.0)  # longer than FAST's read timeout

    server.routes["/c/0.mp4"] = stall
    reports: list[ProbeReport] = []
    library.probe_listener = reports.append
    library.note_reach(clip.location, answered=False)
    library.check(clip)
    assert library.wait_for_probes(15)
    assert reports[-1].reach is not Reach.FAILS, reports
    assert library.offline, "no answer came: the network is not known to be back"


def test_one_server_down_does_not_keep_the_other_servers_clips_out(tmp_path: Path, media_clips: list[Path]) -> None:
    """Two sources; A's server is down, B's is up. A's failed stream is probed (no answer: A is unreachable);
    B's uncached clips stay in the feed, and swipes asking whether A is back never take them out."""
    client = RemoteClient()
    library = Library(
        tmp_path / "tuifeed.db", cache_dir=tmp_path / "cache", cache_bytes=64 * 2**20, prefetch_count=0, client=client
    )
    reports: list[ProbeReport] = []
    library.probe_listener = reports.append
    store: Store | None = None
    try:
        with LoopbackServer() as up:
            with LoopbackServer() as down:
                a = serve_feed(down, library, media_clips, 2)
            b = serve_feed(up, library, media_clips, 3)
            clips = [*a, *b]
            store = Store(library.database)
            player = FakePlayer()
            feeds = Feeds(store, player, InOrder(clips), clips, remote=library)
            session = feeds.for_you

            def settle() -> None:
                assert library.wait_for_probes(10)
                while reports:
                    feeds.probed(reports.pop(0))

            session.start()
            assert session.current == a[0]
            session.clip_failed(player.token)  # libvlc cannot reach A: held, probed
            settle()
            if session.current == a[1]:  # streamed before the probe said offline: it fails the same way
                session.clip_failed(player.token)
                settle()
            assert library.offline
            for _ in range(5):
                session.next()  # each swipe asks again whether the network is back
                settle()
            back = {clip.id for clip in b} & (set(session.clips) | {session.current.id if session.current else ""})
            assert back == {clip.id for clip in b}, f"B is up, but its clips are out: offline={library.offline}"
    finally:
        library.close()
        client.close()
        if store is not None:
            store.close()


def test_a_recheck_asked_while_the_last_report_is_being_handed_over_is_not_lost(
    tmp_path: Path, media_clips: list[Path]
) -> None:
    """A swipe that asks again while the probe thread hands its last report over is a new probe, not one taken
    for already waiting: a later swipe probes again, and the server back ends offline."""
    client = RemoteClient()
    library = Library(
        tmp_path / "tuifeed.db", cache_dir=tmp_path / "cache", cache_bytes=64 * 2**20, prefetch_count=0, client=client
    )
    store: Store | None = None
    try:
        with LoopbackServer() as down:
            a = serve_feed(down, library, media_clips, 2)
        store = Store(library.database)
        player = FakePlayer()
        feeds = Feeds(store, player, InOrder(a), a, remote=library)
        session = feeds.for_you
        handed: list[ProbeReport] = []
        arrived, handled = threading.Event(), threading.Event()

        def listener(report: ProbeReport) -> None:
            handed.append(report)
            if len(handed) == 1:  # the main loop handles this report before the probe thread goes on
                arrived.set()
                handled.wait(10)

        library.probe_listener = listener
        session.start()
        session.clip_failed(player.token)  # held, probed: no answer
        assert arrived.wait(10)
        feeds.probed(handed[0])  # on this (the main) thread, as the app's Probed handler
        session.next()  # a swipe in the gap: asks again
        handled.set()
        assert library.wait_for_probes(10)
        with LoopbackServer(port=urlsplit(a[0].location).port or 0) as back:
            for number in range(2):
                back.add_file(f"/c/{number}.mp4", media_clips[number])
            for _ in range(3):
                session.next()
                assert library.wait_for_probes(10)
                for report in handed[1:]:
                    feeds.probed(report)
                del handed[1:]
            assert len(back.requests("/c/0.mp4")) + len(back.requests("/c/1.mp4")) >= 1, (
                "no swipe probed again",
                feeds.remote and feeds.remote._rechecking,
            )
            assert not library.offline
    finally:
        library.close()
        client.close()
        if store is not None:
            store.close()


def test_a_redirect_to_a_server_that_does_not_answer_marks_that_server_not_the_clips_own(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """Clip 0 on server A redirects to B (a CDN), which is down: B is the unreachable server, named in the
    probe's line, the download's line and the notice; A's other clips still play, and clip 0 waits for B."""
    with LoopbackServer() as gone:
        cdn = gone.url("/c/0.mp4")
    clips = serve_feed(server, library, media_clips, 3)
    server.routes["/c/0.mp4"] = redirect(cdn)
    reports: list[ProbeReport] = []
    library.probe_listener = reports.append
    play = RemotePlay(library)
    play.stream_failed(clips[0])  # libvlc followed the redirect and got nothing
    assert library.wait_for_probes(10)
    [report] = reports
    assert report.reach is Reach.UNREACHABLE and f"redirected to {origin(cdn)}: cannot connect" in (report.error or "")
    assert library.unreachable == {origin(cdn)}
    assert play.verdict(report) is None and library.cut_off(clips[0])
    assert not library.cut_off(clips[1]) and library.playable_location(clips[1]) == clips[1].location
    assert play.notice() == offline_notice([origin(cdn)])
    downloads: list[PrefetchReport] = []
    library.listener = downloads.append
    library.note_reach(server.url("/"), answered=True)  # A answering says nothing of B
    assert library.cut_off(clips[0])
    library.prefetch([clips[0], clips[1]])
    assert library.wait_for_prefetch(30)
    assert f"redirected to {origin(cdn)}" in (downloads[0].error or "") and downloads[1].path is not None
    assert library.unreachable == {origin(cdn)} and not library.cut_off(clips[2])


def test_a_source_redirected_to_a_server_that_does_not_answer_marks_that_server(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """The source's feed moved to another server, which is down: the refresh names it and marks it, not A."""
    serve_feed(server, library, media_clips, 1)
    with LoopbackServer() as gone:
        moved = gone.url("/feed.xml")
    server.routes["/feed.xml"] = redirect(moved)
    [result] = library.refresh()
    assert result.unreachable and f"redirected to {origin(moved)}" in (result.error or "")
    assert library.unreachable == {origin(moved)}
