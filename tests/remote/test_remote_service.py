"""The Library service: prefetch in the background with reports, replacing wishes, probes, and playing offline."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from loopback import LoopbackServer
from remote_support import serve_feed

from tuifeed.library.remote.client import Limits, RemoteClient
from tuifeed.library.service import Library, PrefetchReport, ProbeReport, Reach
from tuifeed.models import Clip
from tuifeed.store import Store
from tuifeed.store.cache import CacheIndex


def test_prefetch_downloads_the_next_ones_and_reports(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """prefetch(queue) fetches the first prefetch_count remote clips off-thread and reports each one."""
    clips = serve_feed(server, library, media_clips, 4)
    reports: list[PrefetchReport] = []
    threads: set[str] = set()

    def listen(report: PrefetchReport) -> None:
        reports.append(report)
        threads.add(threading.current_thread().name)

    library.listener = listen
    local = Clip(id="f" * 32, location=str(media_clips[0]))
    library.prefetch([local, *clips])
    assert library.wait_for_prefetch(30)
    assert [report.clip_id for report in reports] == [clip.id for clip in clips[:3]]
    assert threads == {"tuifeed-prefetch"}
    for clip, path in zip(clips, media_clips, strict=False):
        location = library.playable_location(clip)
        if clip is clips[3]:
            assert location == clip.location  # not prefetched: streamed
        else:
            assert location is not None and Path(location).read_bytes() == path.read_bytes()
    assert library.playable_location(local) == str(media_clips[0])


def test_a_new_wish_list_stops_an_unwanted_download(tmp_path: Path, media_clips: list[Path]) -> None:
    """Swiping past a clip mid-download stops it (its `.part` stays) and fetches the new next one."""
    big = max(media_clips, key=lambda path: path.stat().st_size)
    with LoopbackServer(rate=200_000) as slow:
        slow.add_file("/c/big.mp4", big)
        slow.add_file("/c/small.mp4", media_clips[0])
        slow.add("/list.m3u", b"/c/big.mp4\n/c/small.mp4\n", "audio/x-mpegurl")
        library = Library(tmp_path / "db.sqlite", cache_dir=tmp_path / "cache", cache_bytes=10**9)
        try:
            library.add_remote(slow.url("/list.m3u"))
            big_clip, small_clip = library.remote_clips(slow.url("/list.m3u"))
            started = threading.Event()
            library.prefetch([big_clip])
            store = Store(library.database)
            try:
                while not started.is_set():
                    entry = CacheIndex(store).get(big_clip.id)
                    if entry is not None:
                        started.set()
                    started.wait(0.02)
                library.prefetch([small_clip])
                assert library.wait_for_prefetch(30)
                big_entry = CacheIndex(store).get(big_clip.id)
                assert big_entry is not None and not big_entry.complete
                assert library.playable_location(big_clip) == big_clip.location
                small = library.playable_location(small_clip)
                assert small is not None and Path(small).read_bytes() == media_clips[0].read_bytes()
            finally:
                store.close()
        finally:
            library.close()


def test_offline_cached_clips_play_and_the_rest_are_skipped(
    tmp_path: Path, library: Library, media_clips: list[Path]
) -> None:
    """With the server gone, the cached clip plays from disk and the uncached one is None (skip it)."""
    reports: list[PrefetchReport] = []
    library.listener = reports.append
    with LoopbackServer() as server:
        cached, uncached, _ = serve_feed(server, library, media_clips, 3)
        library.prefetch([cached])
        assert library.wait_for_prefetch(30)
    assert not library.offline
    library.prefetch([uncached])
    assert library.wait_for_prefetch(30)
    assert reports[-1].clip_id == uncached.id and reports[-1].error is not None
    assert "cannot connect" in reports[-1].error
    assert library.offline
    location = library.playable_location(cached)
    assert location is not None and Path(location).is_file()
    assert library.playable_location(uncached) is None
    [result] = library.refresh()
    assert result.unreachable and library.offline


def test_from_config_uses_the_cache_dir_and_caps(isolated_home: Path, tmp_path: Path) -> None:
    """[remote] sets the cap, the prefetch count and the refresh age; the cache is in the user cache dir."""
    from tuifeed.config import load_config

    config_file = tmp_path / "config.toml"
    config_file.write_text("[remote]\ncache_mb = 10\nprefetch = 2\nrefresh_after_minutes = 0\n")
    library = Library.from_config(load_config(config_file), tmp_path / "db.sqlite")
    try:
        assert library.cache.folder == isolated_home / "cache" / "clips"
        assert (library.cache.cap_bytes, library.prefetch_count, library.refresh_after) == (10 * 1024**2, 2, None)
    finally:
        library.close()


def test_a_start_with_nothing_due_loads_no_http(tmp_path: Path) -> None:
    """Building the library and the start-up refresh with no source due never import httpx or feedparser."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from tuifeed.library.service import Library; "
        f"library = Library(Path({str(tmp_path / 'db.sqlite')!r}), cache_dir=Path({str(tmp_path)!r}), "
        "cache_bytes=1); assert library.refresh(due_only=True) == []; library.close(); "
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('httpx', 'feedparser')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_probes_ask_for_one_byte_off_thread_and_say_what_they_found(library: Library, media_clips: list[Path]) -> None:
    """A probe is one Range request for the first byte, on the probe thread: the clip there answers, a missing
    one fails with its line (the server is there: not offline), and with the server gone nothing answers."""
    reports: list[ProbeReport] = []
    threads: set[str] = set()

    def listen(report: ProbeReport) -> None:
        reports.append(report)
        threads.add(threading.current_thread().name)

    library.probe_listener = listen
    with LoopbackServer() as server:
        clips = serve_feed(server, library, media_clips, 2)
        del server.routes["/c/1.mp4"]
        library.note_reach(server.url("/"), answered=False)
        library.check(clips[0])
        library.check(clips[1])
        assert library.wait_for_probes(10)
        assert reports == [
            ProbeReport(clips[0].id, Reach.ANSWERS),
            ProbeReport(clips[1].id, Reach.FAILS, f"{clips[1].location}: not found (HTTP 404)"),
        ]
        assert not library.offline
        assert [seen.headers["range"] for seen in server.requests("/c/0.mp4")] == ["bytes=0-0"]
        assert server.accepted == 1, "the add and both probes over one connection"
    library.check(clips[0])
    assert library.wait_for_probes(10)
    assert reports[-1].reach is Reach.UNREACHABLE and library.offline
    assert threads == {"tuifeed-probe"}


def test_a_probe_or_listener_that_breaks_leaves_the_probe_thread_serving(
    server: LoopbackServer, library: Library, media_clips: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in a probe is reported as a failure for its clip, a bug in the listener is logged: either way the
    probe thread goes on answering, and `wait_for_probes` still returns."""
    clips = serve_feed(server, library, media_clips, 2)
    reports: list[ProbeReport] = []

    def listen(report: ProbeReport) -> None:
        reports.append(report)
        if len(reports) == 1:
            raise RuntimeError("a listener bug")

    def broken(url: str) -> None:
        raise RuntimeError("a probe bug")

    library.probe_listener = listen
    assert library.check(clips[0])
    assert library.wait_for_probes(10)
    with monkeypatch.context() as patch:
        patch.setattr(library.client, "probe", broken)
        assert library.check(clips[1])
        assert library.wait_for_probes(10)
    assert reports[1] == ProbeReport(clips[1].id, Reach.FAILS, f"{clips[1].location}: the probe failed")
    assert library.check(clips[0])
    assert library.wait_for_probes(10)
    assert reports[2] == ProbeReport(clips[0].id, Reach.ANSWERS)


def test_closing_does_not_wait_for_a_probe_nobody_answers(
    tmp_path: Path, server: LoopbackServer, media_clips: list[Path]
) -> None:
    """Quit while a probe waits on a server that never answers: close returns without its report, and the
    probe, ending later, reports nothing to a closed library."""
    client = RemoteClient(Limits(probe_read_timeout=5.0))
    library = Library(tmp_path / "tuifeed.db", cache_dir=tmp_path / "cache", cache_bytes=2**20, client=client)
    [clip] = serve_feed(server, library, media_clips, 1)
    started, release = threading.Event(), threading.Event()

    def stall(handler: BaseHTTPRequestHandler) -> None:
        started.set()
        release.wait(10)

    server.routes["/c/0.mp4"] = stall
    reports: list[ProbeReport] = []
    library.probe_listener = reports.append
    assert library.check(clip)
    assert started.wait(10)
    library.close()
    assert reports == [], "close waited for the probe"
    release.set()
    for thread in threading.enumerate():
        if thread.name == "tuifeed-probe":
            thread.join(10)
    assert reports == [], "a probe ending after close reported"


def _use_order(database: str) -> list[str]:
    """The cached clips, least recently used first."""
    store = Store(database)
    try:
        return [entry.clip_id for entry in CacheIndex(store).entries()]
    finally:
        store.close()


def test_a_cached_clip_played_just_before_quitting_counts_as_the_most_recent(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """Play the older of two cached clips and quit before the prefetch thread is woken again: close writes the
    use, so the next eviction takes the other clip, not the one just watched."""
    older, newer = serve_feed(server, library, media_clips, 2)
    library.prefetch([older, newer])
    assert library.wait_for_prefetch(30)
    assert _use_order(library.database) == [older.id, newer.id]
    assert library.playable_location(older) != older.location  # from the cache
    library.close()
    assert _use_order(library.database) == [newer.id, older.id]


def test_with_prefetching_off_the_uses_are_written_at_close_by_the_closing_thread(
    server: LoopbackServer, library: Library, media_clips: list[Path], tmp_path: Path
) -> None:
    """With prefetch 0 no prefetch thread ever runs: the uses noted at each swipe are written when the library
    closes, with a Store of the closing thread's own (the home Store belongs to the thread that built it)."""
    older, newer = serve_feed(server, library, media_clips, 2)
    library.prefetch([older, newer])
    assert library.wait_for_prefetch(30)
    library.close()
    still = Library(library.database, cache_dir=tmp_path / "cache", cache_bytes=64 * 1024**2, prefetch_count=0)
    try:
        assert still.playable_location(older) != older.location  # the home Store, on this thread
        assert _use_order(library.database) == [older.id, newer.id], "a swipe wrote"
    finally:
        failures: list[BaseException] = []
        closing = threading.Thread(target=lambda: _closed(still, failures))
        closing.start()
        closing.join(30)
        still.close()  # on this thread too, as the app and the CLI both do: the home Store closes
    assert failures == []
    assert _use_order(library.database) == [newer.id, older.id]


def _closed(library: Library, failures: list[BaseException]) -> None:
    try:
        library.close()
    except BaseException as error:  # handed to the test's thread
        failures.append(error)


def test_a_clip_played_while_a_download_runs_is_not_the_one_its_eviction_takes(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """Y and Z are cached, Y the older; Y is played while X downloads, and X's arrival puts the cache over its
    cap: the eviction takes Z, not Y, which was just watched."""
    y, z = serve_feed(server, library, media_clips, 2)
    library.prefetch([y, z])
    assert library.wait_for_prefetch(30)
    body = media_clips[2].read_bytes()
    started, release = threading.Event(), threading.Event()

    def gated(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "video/mp4")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[:1000])
        handler.wfile.flush()
        started.set()
        release.wait(10)
        handler.wfile.write(body[1000:])

    server.add("/x.m3u", b"/c/x.mp4\n", "audio/x-mpegurl")
    server.routes["/c/x.mp4"] = gated
    library.add_remote(server.url("/x.m3u"))
    [x] = library.remote_clips(server.url("/x.m3u"))
    library.cache.cap_bytes = sum(path.stat().st_size for path in media_clips[:2]) + len(body) - 1
    library.prefetch([x])
    assert started.wait(10)
    assert library.playable_location(y) != y.location  # Y plays from the cache while X downloads
    release.set()
    assert library.wait_for_prefetch(30)
    assert set(_use_order(library.database)) == {y.id, x.id}, "Z, the least recently used, is evicted"


def test_a_server_ignoring_range_is_found_and_a_needed_clip_downloads_whatever_is_wished(
    tmp_path: Path, server: LoopbackServer, client: RemoteClient, media_clips: list[Path]
) -> None:
    """A probe of a server that sends the whole file for a Range request says DOWNLOAD; a needed clip is fetched
    first, even with prefetching off, and a swipe's new wish list does not stop it."""
    library = Library(
        tmp_path / "db.sqlite", cache_dir=tmp_path / "cache", cache_bytes=64 * 1024**2, prefetch_count=0, client=client
    )
    try:
        clips = serve_feed(server, library, media_clips, 2)
        server.routes["/c/0.mp4"].ranges = False
        probes: list[ProbeReport] = []
        downloads: list[PrefetchReport] = []
        library.probe_listener = probes.append
        library.listener = downloads.append
        library.check(clips[0])
        library.check(clips[1])
        assert library.wait_for_probes(10)
        assert probes == [ProbeReport(clips[0].id, Reach.DOWNLOAD), ProbeReport(clips[1].id, Reach.ANSWERS)]
        assert library.need(clips[0])
        library.prefetch([clips[1]])  # prefetching is off: wishes nothing, and keeps the needed clip
        assert library.wait_for_prefetch(30)
        [report] = downloads
        assert report.clip_id == clips[0].id and report.path is not None
        assert report.path.read_bytes() == media_clips[0].read_bytes()
        assert library.playable_location(clips[0]) == str(report.path)
        assert library.playable_location(clips[1]) == clips[1].location
    finally:
        library.close()


def test_with_the_cache_off_a_clip_cannot_be_needed(tmp_path: Path, client: RemoteClient) -> None:
    """No cache to download into: `need` says so at once and starts nothing."""
    library = Library(tmp_path / "db.sqlite", cache_dir=tmp_path / "cache", cache_bytes=0, client=client)
    try:
        assert not library.need(Clip(id="a" * 32, location="http://127.0.0.1:9/c.mp4"))
        assert library.wait_for_prefetch(0.1)
    finally:
        library.close()


def test_a_needed_download_that_cannot_write_the_cache_names_the_clip(
    tmp_path: Path, server: LoopbackServer, client: RemoteClient, media_clips: list[Path]
) -> None:
    """The app shows a failed needed download as `Cannot play <the report's error>`: when the cache cannot be
    written the error still starts with the clip's URL (redacted), not with the cache folder."""
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    library = Library(
        tmp_path / "db.sqlite", cache_dir=blocked, cache_bytes=64 * 1024**2, prefetch_count=0, client=client
    )
    try:
        clips = serve_feed(server, library, media_clips, 1)
        downloads: list[PrefetchReport] = []
        library.listener = downloads.append
        assert library.need(clips[0])
        assert library.wait_for_prefetch(30)
        [report] = downloads
        assert report.path is None and report.error is not None
        assert report.error.startswith(f"{clips[0].location}: cannot write the cache {blocked}"), report.error
    finally:
        library.close()


def test_a_needed_clip_goes_before_a_download_ahead_already_under_way(
    server: LoopbackServer, library: Library, media_clips: list[Path]
) -> None:
    """A slow download ahead is under way when a clip that can only play downloaded is needed: the download
    ahead stops (its `.part` kept), the needed clip comes first, and the download ahead then resumes."""
    needed, ahead = serve_feed(server, library, media_clips, 2)
    body = media_clips[1].read_bytes()
    started, release = threading.Event(), threading.Event()

    def trickle(handler: BaseHTTPRequestHandler) -> None:
        start = 0
        wanted = handler.headers.get("Range", "")
        if wanted.startswith("bytes="):
            start = int(wanted[6:].split("-")[0])
            handler.send_response(206)
            handler.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            handler.send_response(200)
        handler.send_header("Content-Type", "video/mp4")
        handler.send_header("Content-Length", str(len(body) - start))
        handler.end_headers()
        for offset in range(start, len(body), 500):
            handler.wfile.write(body[offset : offset + 500])
            handler.wfile.flush()
            started.set()
            if not release.is_set():
                release.wait(0.1)

    server.routes["/c/1.mp4"] = trickle
    reports: list[PrefetchReport] = []
    first = threading.Event()

    def listen(report: PrefetchReport) -> None:
        reports.append(report)
        first.set()

    library.listener = listen
    library.prefetch([ahead])
    assert started.wait(10)
    assert library.need(needed)
    assert first.wait(20), "the needed clip waits behind the download ahead"
    release.set()
    assert library.wait_for_prefetch(30)
    assert [report.clip_id for report in reports] == [needed.id, ahead.id]
    assert all(report.path is not None for report in reports)
    assert library.playable_location(ahead) != ahead.location
    cached = library.playable_location(ahead)
    assert cached is not None and Path(cached).read_bytes() == body
