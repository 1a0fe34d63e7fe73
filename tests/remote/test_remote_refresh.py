"""Refresh: conditional requests (a 304 parses nothing), new clips join, gone ones go missing, history stays."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from loopback import LoopbackServer, redirect
from remote_support import FAST, rss

from tuifeed.library.remote import sources
from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.service import Library
from tuifeed.store import Store
from tuifeed.store.store import utc_now


def _items(*names: str) -> list[dict[str, str]]:
    return [{"title": name, "url": f"/c/{name}.mp4"} for name in names]


def test_304_costs_one_request_and_no_parse(
    server: LoopbackServer, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored ETag and Last-Modified go out again; the server's 304 leaves the feed unparsed."""
    server.add("/feed.xml", rss(_items("a", "b")), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    source = library.source(server.url("/feed.xml"))
    assert source is not None and source.etag and source.last_modified
    parses = []
    monkeypatch.setattr(sources, "read_feed", lambda document: parses.append(document) or pytest.fail("parsed"))
    [result] = library.refresh()
    assert result.changes is None and result.error is None and result.line().endswith(": unchanged")
    assert parses == []
    sent = server.requests("/feed.xml")[-1].headers
    assert (sent["if-none-match"], sent["if-modified-since"]) == (source.etag, source.last_modified)


def test_refreshes_answered_304_share_one_connection(server: LoopbackServer, library: Library) -> None:
    """Ten conditional refreshes reuse the connection the add opened: each 304 is read to its end, so the pool
    keeps the connection instead of dropping it and opening a new one (a TCP handshake, TLS too, per refresh)."""
    server.add("/feed.xml", rss(_items("a", "b")), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    for _ in range(10):
        [result] = library.refresh()
        assert result.changes is None and result.error is None
    assert len(server.requests("/feed.xml")) == 11
    assert server.accepted == 1


def test_a_permanent_redirect_is_remembered_and_a_temporary_one_is_not(
    server: LoopbackServer, library: Library
) -> None:
    """After a 301 the source is asked at its new place directly; a 302 is asked at the old place every time.
    Neither costs a connection: the redirect's small body is read before the next hop."""
    server.routes["/moved.xml"] = redirect("/new.xml", 301)
    server.routes["/away.xml"] = redirect("/new.xml", 302)
    server.add("/new.xml", rss(_items("a")), "application/rss+xml")
    library.add_remote(server.url("/moved.xml"))
    library.add_remote(server.url("/away.xml"))
    for _ in range(3):
        results = library.refresh()
        assert [result.error for result in results] == [None, None]
    assert len(server.requests("/moved.xml")) == 1
    assert len(server.requests("/away.xml")) == 4
    assert len(server.requests("/new.xml")) == 2 + 3 * 2
    assert server.accepted == 1


def test_changed_feed_adds_and_marks_missing_keeping_history(server: LoopbackServer, library: Library) -> None:
    """b leaves the feed (missing, its impression kept), c joins; b coming back is present again."""
    server.add("/feed.xml", rss(_items("a", "b")), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    b = library.remote_clips(server.url("/feed.xml"))[1]
    store = Store(library.database)
    try:
        store.open_impression(b.id, utc_now(), 5000)
        server.add("/feed.xml", rss(_items("a", "c")), "application/rss+xml")
        [result] = library.refresh()
        assert result.changes is not None
        assert (result.changes.added, result.changes.updated, result.changes.missing) == (1, 1, 1)
        assert [clip.title for clip in library.remote_clips(server.url("/feed.xml"))] == ["a", "c"]
        assert b.id not in {clip.id for clip in store.clips()}
        assert store.clip(b.id) is not None
        assert list(store.rows("SELECT clip_id FROM impressions")) == [{"clip_id": b.id}]
        server.add("/feed.xml", rss(_items("b", "a")), "application/rss+xml")
        library.refresh()
        assert [clip.title for clip in library.remote_clips(server.url("/feed.xml"))] == ["b", "a"]
        assert b.id in {clip.id for clip in store.clips()}
    finally:
        store.close()


def test_a_failing_source_keeps_its_clips_and_the_others_refresh(server: LoopbackServer, library: Library) -> None:
    """One source answers 500: its clips stay, its error is kept; the other source refreshes."""
    server.add("/one.xml", rss(_items("a")), "application/rss+xml")
    server.add("/two.m3u", b"#EXTM3U\n#EXTINF:3,x\n/c/x.mp4\n", "audio/x-mpegurl")
    library.add_remote(server.url("/one.xml"))
    library.add_remote(server.url("/two.m3u"))
    server.add("/one.xml", b"down", status=500)
    server.add("/two.m3u", b"#EXTM3U\n#EXTINF:3,x\n/c/x.mp4\n#EXTINF:4,y\n/c/y.mp4\n", "audio/x-mpegurl")
    one, two = library.refresh()
    assert one.error == f"{server.url('/one.xml')}: server error (HTTP 500)"
    assert two.changes is not None and two.changes.added == 1
    assert [clip.title for clip in library.remote_clips(server.url("/one.xml"))] == ["a"]
    [first, _] = library.remotes()
    assert first.error == one.error and first.clips == 1


def test_refresh_due_only_refreshes_stale_sources(server: LoopbackServer, library: Library) -> None:
    """At start only sources older than refresh_after are fetched; 0 minutes in config means never."""
    server.add("/feed.xml", rss(_items("a")), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    before = len(server.requests("/feed.xml"))
    library.refresh_after = timedelta(hours=1)
    assert library.refresh(due_only=True) == []
    library.refresh_after = timedelta(0)
    assert len(library.refresh(due_only=True)) == 1
    library.refresh_after = None
    assert library.refresh(due_only=True) == []
    assert len(server.requests("/feed.xml")) == before + 1


def test_remove_forgets_the_source_and_hides_its_clips(server: LoopbackServer, library: Library) -> None:
    """remove: the source is gone, clips only it listed are missing, clips another source lists stay."""
    server.add("/one.m3u", b"/c/a.mp4\n/c/shared.mp4\n", "audio/x-mpegurl")
    server.add("/two.m3u", b"/c/shared.mp4\n", "audio/x-mpegurl")
    library.add_remote(server.url("/one.m3u"))
    library.add_remote(server.url("/two.m3u"))
    assert library.remove_remote(server.url("/one.m3u")) == 1
    assert library.remove_remote(server.url("/nope.m3u")) is None
    assert [source.url for source in library.remotes()] == [server.url("/two.m3u")]
    store = Store(library.database)
    try:
        assert [clip.location for clip in store.clips()] == [server.url("/c/shared.mp4")]
        assert store.clip_count(include_missing=True) == 2
    finally:
        store.close()


def test_adding_twice_refreshes_unconditionally(server: LoopbackServer, library: Library) -> None:
    """Adding a known source again is a full refresh, not a second source."""
    server.add("/feed.xml", rss(_items("a")), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    again = library.add_remote(server.url("/feed.xml"))
    assert again.changes is not None and again.changes.updated == 1
    assert len(library.remotes()) == 1
    assert "if-none-match" not in server.requests("/feed.xml")[-1].headers


def test_only_http_sources(library: Library) -> None:
    """A path or file: URL is not a remote source."""
    result = library.add_remote("file:///etc/passwd")
    assert result.error == "file:///etc/passwd: only http:// and https:// sources can be added"


def test_an_http_url_that_cannot_be_read_says_so(library: Library) -> None:
    """A broken IPv6 host is an http URL, but not a valid one: the line says that, not "only http"."""
    result = library.add_remote("http://[::1/feed.xml")
    assert result.error == "http://[::1/feed.xml: not a valid URL (check the host and its brackets)"
    assert library.remotes() == []


def _next_run(library: Library) -> Library:
    """The same library as the next run of tuifeed builds it: the same database, a new HTTP client."""
    library.close()
    client = RemoteClient(FAST)
    return Library(library.database, cache_dir=library.cache.folder, cache_bytes=library.cache.cap_bytes, client=client)


def _closed(library: Library) -> None:
    library.close()
    library.client.close()


def test_a_permanent_redirect_is_remembered_across_runs(server: LoopbackServer, library: Library) -> None:
    """The next run's refresh asks the new place first, with its validators (a 304: one request)."""
    server.routes["/moved.xml"] = redirect("/new.xml", 301)
    server.add("/new.xml", rss(_items("a")), "application/rss+xml")
    library.add_remote(server.url("/moved.xml"))
    later = _next_run(library)
    try:
        source = later.source(server.url("/moved.xml"))
        assert source is not None and source.moved_to == server.url("/new.xml")
        [result] = later.refresh()
        assert result.error is None and result.changes is None, "unchanged: asked with the new place's validators"
        assert len(server.requests("/moved.xml")) == 1, "only the add asked the old place"
        assert server.requests("/new.xml")[-1].headers["if-none-match"] == source.etag
    finally:
        _closed(later)


@pytest.mark.parametrize("new_place", ["gone", "redirects back", "moves on"])
def test_a_remembered_place_that_fails_falls_back_to_the_source_url_once(
    server: LoopbackServer, library: Library, new_place: str
) -> None:
    """The new place is gone (404), or redirects back to the old URL (a loop through the remembered move), or
    moves on (a new 301): the refresh works, asking the source's own URL at most once more, and what it found
    is remembered instead."""
    server.routes["/moved.xml"] = redirect("/new.xml", 301)
    server.add("/new.xml", rss(_items("a")), "application/rss+xml")
    library.add_remote(server.url("/moved.xml"))
    if new_place == "gone":
        del server.routes["/new.xml"]
        server.add("/moved.xml", rss(_items("a", "b")), "application/rss+xml")
        remembered = None
    elif new_place == "redirects back":
        server.routes["/new.xml"] = redirect("/moved.xml", 302)
        server.add("/moved.xml", rss(_items("a", "b")), "application/rss+xml")
        remembered = None
    else:
        server.routes["/new.xml"] = redirect("/newer.xml", 301)
        server.add("/newer.xml", rss(_items("a", "b")), "application/rss+xml")
        remembered = server.url("/newer.xml")
    later = _next_run(library)
    try:
        [result] = later.refresh()
        assert result.error is None and result.changes is not None and result.changes.added == 1, result.line()
        assert len(server.requests("/moved.xml")) <= 2, "the source's own URL asked once more at most"
        source = later.source(server.url("/moved.xml"))
        assert source is not None and source.moved_to == remembered
        asked = len(server.requests("/moved.xml"))
        [again] = later.refresh()
        assert again.error is None and len(server.requests("/moved.xml")) == asked + (remembered is None)
    finally:
        _closed(later)


def test_a_remembered_move_keeps_credentials_out_of_the_database_and_the_log(
    server: LoopbackServer, library: Library, caplog: pytest.LogCaptureFixture
) -> None:
    """The source has a user and password: the move is stored without them and they are put back for the same
    server the next run; a new place holding a token is not stored at all (it lasts for the run)."""
    caplog.set_level(logging.DEBUG)
    url = server.url("/moved.xml", userinfo="ana:hunter2")
    server.routes["/moved.xml"] = redirect("/new.xml", 301)
    server.add("/new.xml", rss(_items("a")), "application/rss+xml")
    server.routes["/signed.xml"] = redirect("/new.xml?token=s3cr3t", 308)
    library.add_remote(url)
    library.add_remote(server.url("/signed.xml"))
    later = _next_run(library)
    try:
        moved, signed = later.remotes()
        assert moved.moved_to == server.url("/new.xml") and signed.moved_to is None
        del server.routes["/new.xml"]
        server.add("/new.xml", rss(_items("a", "b")), "application/rss+xml")
        before = len(server.requests("/new.xml"))
        later.refresh()
        [asked] = server.requests("/new.xml")[before:]  # the signed place has its query: another path
        assert asked.headers["authorization"].startswith("Basic "), "the same server: its credentials are back"
        assert len(server.requests("/moved.xml")) == 1
    finally:
        _closed(later)
    store = Store(library.database)
    try:
        stored = store.db.execute("SELECT moved_to FROM remote_sources").fetchall()
    finally:
        store.close()
    assert not any("hunter2" in str(row) or "s3cr3t" in str(row) for row in stored), stored
    assert "hunter2" not in caplog.text and "s3cr3t" not in caplog.text


def test_a_remembered_place_on_a_server_that_is_gone_falls_back_but_the_sources_own_server_down_does_not(
    library: Library,
) -> None:
    """The feed moved to server B, which has since gone: the source's own server is asked again (it serves
    the feed itself now). With the source's own server gone too, asking it again cannot help: one error, and
    the move it last said is kept."""
    with LoopbackServer() as own:
        with LoopbackServer() as cdn:
            own.routes["/moved.xml"] = redirect(cdn.url("/feed.xml"), 301)
            cdn.add("/feed.xml", rss(_items("a")), "application/rss+xml")
            library.add_remote(own.url("/moved.xml"))
            first = library.source(own.url("/moved.xml"))
            assert first is not None and first.moved_to == cdn.url("/feed.xml")
        own.routes["/moved.xml"] = redirect("/here.xml", 301)
        own.add("/here.xml", rss(_items("a", "b")), "application/rss+xml")
        later = _next_run(library)
        [result] = later.refresh()
        assert result.error is None and result.changes is not None, result.line()  # its clips are on `own` now
        source = later.source(own.url("/moved.xml"))
        assert source is not None and source.moved_to == own.url("/here.xml")
        asked = len(own.requests("/moved.xml"))
    try:
        [down] = later.refresh()
        assert down.unreachable and asked == 2
        source = later.source(own.url("/moved.xml"))
        assert source is not None and source.moved_to == own.url("/here.xml")
    finally:
        _closed(later)
