"""The installed tuifeed in tmux plays a remote playlist given as its argument (`tuifeed http://.../clips.m3u`),
and copes with its server being down when it starts."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from e2e_support import ClipLibrary, Home, Pane
from remote.remote_support import index_at_end_clip
from remote.servers import python_http_server

pytestmark = pytest.mark.e2e


def test_play_a_remote_playlist(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """The URL becomes a source, libvlc streams the first clip over loopback while the next one downloads into
    the cache, the swipe plays that one, and the stays are recorded."""
    served = home.root / "www"
    served.mkdir()
    copies = clip_library.copy_to(served, 2)
    names = [path.name for path in copies]
    (served / "clips.m3u").write_text("#EXTM3U\n" + "".join(f"#EXTINF:5,remote - {n}\n{n}\n" for n in names))
    cache = home.root / "cache" / "clips"
    served_bytes = {path.read_bytes() for path in copies}
    with python_http_server(served) as base:
        pane = tmux(120, 40, env=home.env)
        pane.run(home.tuifeed("play", f"{base}/clips.m3u"))
        pane.wait_for_picture(400)
        deadline = time.monotonic() + 20
        while not (done := sorted(cache.glob("*.mp4"))) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(done) == 1 and done[0].read_bytes() in served_bytes, "the next clip was downloaded ahead"
        pane.send("j")
        pane.wait_for_picture(400)
        pane.send("q")
        assert pane.wait_exit() == 0
    shutil.rmtree(served)  # nothing local is left to play: what played came over HTTP
    with sqlite3.connect(home.db) as db:
        [(url, kind)] = db.execute("SELECT url, kind FROM remote_sources").fetchall()
        played = db.execute(
            "SELECT c.location, c.creator FROM impressions i JOIN clips c ON c.id = i.clip_id ORDER BY i.id"
        ).fetchall()
    assert (url, kind) == (f"{base}/clips.m3u", "playlist")
    assert len(played) == 2 and all(location.startswith(base) and creator == "remote" for location, creator in played)


def test_server_down_at_start_cached_clips_play_and_the_rest_come_back_with_it(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """A first run adds the playlist and downloads one clip ahead. With the server down, a second run plays that
    clip, passes the others over with one calm notice and no error line; the server back, a swipe finds it and
    the remote clips play again."""
    home.config.write_text(home.config.read_text() + "[remote]\nprefetch = 1\n", encoding="utf-8")
    served = home.root / "www"
    served.mkdir()
    names = [path.name for path in clip_library.copy_to(served, 4)]
    (served / "clips.m3u").write_text("#EXTM3U\n" + "".join(f"#EXTINF:5,remote - {n}\n{n}\n" for n in names))
    cache = home.root / "cache" / "clips"
    pane = tmux(120, 40, env=home.env)
    with python_http_server(served) as base:
        pane.run(home.tuifeed("play", f"{base}/clips.m3u"))
        pane.wait_for_picture(400)
        deadline = time.monotonic() + 20
        while not list(cache.glob("*.mp4")) and time.monotonic() < deadline:
            time.sleep(0.1)
        pane.send("q")
        assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        cached = {row[0] for row in db.execute("SELECT clip_id FROM cache_entries WHERE complete = 1")}
        [(first_run,)] = db.execute("SELECT count(*) FROM impressions").fetchall()
    assert len(cached) == 1, "the first run downloaded one clip ahead"

    pane.run(home.tuifeed("play"), before="clear")
    notices = 0
    showing = False

    def watch(seconds: float) -> None:
        """Look at the screen for `seconds`, counting each time the offline notice appears; no error line."""
        nonlocal notices, showing
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = pane.screen().text
            assert "Cannot play" not in text, text
            shown = "Offline:" in text  # the start of the offline notice (the toast may wrap the rest)
            notices += shown and not showing
            showing = shown
            time.sleep(0.05)

    pane.wait_for_picture(400)
    for _ in range(5):  # each clip at least once: the queue offers every clip before any comes again
        watch(1.5)
        pane.send("j")
    watch(6.0)  # longer than the notice stays: a second one would show as it goes
    assert notices == 1, "one calm notice for the offline state, not one per clip"
    pane.wait_for_picture(400)
    with sqlite3.connect(home.db) as db:
        offline = db.execute("SELECT id, clip_id, exit FROM impressions WHERE id > ?", (first_run,)).fetchall()
    assert {clip_id for _, clip_id, exit in offline if exit != "error"} <= cached, "only the cached clip played"

    with python_http_server(served, port=urlsplit(base).port) as again:
        assert again == base
        for _ in range(4):
            pane.send("j")
            pane.wait_for_picture(400)
            time.sleep(1.0)
        pane.send("q")
        assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        later = db.execute("SELECT clip_id, exit FROM impressions WHERE id > ?", (offline[-1][0],)).fetchall()
    assert {clip_id for clip_id, exit in later if exit != "error"} - cached, "remote clips played again"


def test_a_clip_python_http_server_cannot_stream_is_downloaded_and_plays(home: Home, tmux: Callable[..., Pane]) -> None:
    """`tuifeed http://.../clip.mp4` on `python -m http.server` (no Range) with an mp4 whose index is at its
    end: its stream fails, the server is found ignoring Range, the clip downloads (prefetching off) and plays
    from the cache, with no error line; the failed stream and the stay after it are both recorded."""
    home.config.write_text(home.config.read_text() + "[remote]\nprefetch = 0\n", encoding="utf-8")
    served = home.root / "www"
    served.mkdir()
    clip = index_at_end_clip(served / "late index.mp4")
    with python_http_server(served) as base:
        pane = tmux(120, 40, env=home.env)
        pane.run(home.tuifeed("play", f"{base}/late%20index.mp4"))
        pane.wait_for_picture(400, timeout=30)
        assert "Cannot play" not in pane.screen().text
        [cached] = (home.root / "cache" / "clips").glob("*.mp4")
        assert cached.read_bytes() == clip.read_bytes()
        pane.send("q")
        assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        exits = [exit for (exit,) in db.execute("SELECT exit FROM impressions ORDER BY id")]
    assert exits == ["error", "quit"]
