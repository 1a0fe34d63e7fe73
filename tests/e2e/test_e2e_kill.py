"""A killed tuifeed loses at most the clip on screen, and the next start closes what it left open."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing

import pytest
from e2e_support import ClipLibrary, Home, Pane

pytestmark = pytest.mark.e2e

MIN_PICTURE_CELLS = 400


def test_kill_minus_nine_then_restart(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """SIGKILL on the second clip: its impression is closed at the next start from its last checkpoint."""
    pane = _playing(clip_library, home, tmux, clips=3)
    time.sleep(1.0)
    swiped = pane.press("j")
    _wait_for_checkpoints(home, 2)
    killed_at = time.monotonic()
    os.kill(_tuifeed_pid(home), signal.SIGKILL)
    # Killed, nothing restored the terminal: the shell's line lands somewhere over the old picture.
    pane.wait_for(lambda screen: f"EXITED:{128 + signal.SIGKILL}" in screen.text, "the shell to report the kill")

    with sqlite3.connect(home.db) as db:
        rows = db.execute("SELECT exit, ended_at FROM impressions ORDER BY id").fetchall()
    assert rows[0][0] == "next"
    assert rows[1] == (None, None), "the clip on screen is open, not lost and not closed"

    # The killed app left the tty raw (Enter sends a bare CR): restore it with a line ended by Ctrl-J.
    pane.tmux("send-keys", "-l", "stty sane; clear")
    pane.tmux("send-keys", "C-j")
    pane.wait_for(lambda screen: screen.video_cells() == 0, "the shell to clear the screen")
    pane.run(home.tuifeed("play", "--seed", "5"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    pane.send("q")
    assert pane.wait_exit() == 0

    with sqlite3.connect(home.db) as db:
        rows = db.execute("SELECT exit, dwell_ms FROM impressions ORDER BY id").fetchall()
        open_rows = db.execute("SELECT count(*) FROM impressions WHERE ended_at IS NULL").fetchone()[0]
    assert [exit for exit, _ in rows] == ["next", "killed", "quit"]
    assert open_rows == 0
    # j reached the app somewhere between the two times around its `tmux send-keys`.
    at_least_ms, at_most_ms = ((killed_at - at) * 1000 for at in reversed(swiped))
    assert at_least_ms - 2500 <= rows[1][1] <= at_most_ms + 300


def _wait_for_checkpoints(home: Home, count: int, timeout: float = 20.0) -> None:
    """Wait until the second impression, open, has had `count` checkpoints of its dwell saved."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    # Read-only, on the app's WAL database: the app's writes never wait on this reader.
    with closing(sqlite3.connect(f"file:{home.db}?mode=ro", uri=True)) as db:
        while len(seen) < count:
            assert time.monotonic() < deadline, f"{len(seen)} checkpoints of the second clip's stay in {timeout:.0f} s"
            row = db.execute("SELECT ended_at, checkpoint_at FROM impressions ORDER BY id LIMIT 1 OFFSET 1").fetchone()
            if row is not None and row[0] is None and row[1] is not None:
                seen.add(row[1])
            time.sleep(0.02)


def _playing(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane], clips: int) -> Pane:
    """Import `clips` clips and start tuifeed on them in a 120x40 pane; returns once the app shows a picture and
    its panel (it has mounted: its signal handlers are in place)."""
    clip_library.copy_to(home.root / "clips", clips)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    pane = tmux(120, 40, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "5"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    pane.wait_for_text("For You", "the feed's info panel")
    return pane


def _tuifeed_pid(home: Home) -> int:
    """The pid of the tuifeed process playing this test's database."""
    found = subprocess.run(["pgrep", "-f", f"play --db {home.db}"], capture_output=True, text=True, check=False)
    pids = [int(pid) for pid in found.stdout.split() if int(pid) != os.getpid()]
    assert len(pids) == 1, f"expected one tuifeed process, found {pids}"
    return pids[0]


def test_sigterm_quits_cleanly(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """SIGTERM records the clip on screen as quit and restores the terminal, like q does."""
    pane = _playing(clip_library, home, tmux, clips=2)
    os.kill(_tuifeed_pid(home), signal.SIGTERM)
    assert pane.wait_exit() == 0
    assert pane.flag("alternate_on") == "0"
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]
