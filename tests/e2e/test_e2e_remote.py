"""The installed tuifeed in tmux plays a remote playlist given as its argument: `tuifeed http://.../clips.m3u`."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable

import pytest
from conftest import ClipLibrary, Home, Pane
from remote.servers import python_http_server

pytestmark = pytest.mark.e2e


def test_play_a_remote_playlist(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """The URL becomes a source, libvlc streams its clips over loopback, and the stay is recorded."""
    served = home.root / "www"
    served.mkdir()
    names = [path.name for path in clip_library.copy_to(served, 2)]
    (served / "clips.m3u").write_text("#EXTM3U\n" + "".join(f"#EXTINF:5,remote - {n}\n{n}\n" for n in names))
    with python_http_server(served) as base:
        pane = tmux(120, 40, env=home.env)
        pane.run(home.tuifeed("play", f"{base}/clips.m3u"))
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
    assert played and all(location.startswith(base) and creator == "remote" for location, creator in played)
