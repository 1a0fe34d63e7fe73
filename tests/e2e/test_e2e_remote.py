"""The installed tuifeed in tmux plays a remote playlist given as its argument: `tuifeed http://.../clips.m3u`."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable

import pytest
from e2e_support import ClipLibrary, Home, Pane
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
