"""The database shared while playing: another program holding the write lock, and a second player."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable

import pytest
from e2e_support import ClipLibrary, Home, Pane, Screen, clean_environment

pytestmark = pytest.mark.e2e

MIN_PICTURE_CELLS = 400
LOCKED_LINE = "Database in use elsewhere"


def _moving(pane: Pane, screen: Screen) -> Screen | None:
    """`screen` if its picture changes within half a second (playback goes on), else None."""
    box = screen.video_box()
    if box is None or screen.video_cells() < MIN_PICTURE_CELLS:
        return None
    time.sleep(0.5)
    later = pane.screen()
    if later.video_box() != box:
        return None
    before = [(cell.fg, cell.bg) for cell in screen.box_cells(box)]
    after = [(cell.fg, cell.bg) for cell in later.box_cells(box)]
    return later if sum(a != b for a, b in zip(before, after, strict=True)) >= 0.01 * len(before) else None


def _rows(home: Home, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home.db, timeout=30) as db:
        return db.execute(sql).fetchall()


def test_a_held_write_lock_never_stops_the_feed(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """sqlite3 holds BEGIN IMMEDIATE for seconds: swipes and a like go on, one calm line, all lands once, in order."""
    clip_library.copy_to(home.root / "clips", 3)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    pane = tmux(120, 40, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "5"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    holder = sqlite3.connect(home.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE counters SET value = value")
    try:
        pane.send("j")
        pane.wait_for(lambda screen: LOCKED_LINE in screen.text, "the calm line about the lock")
        pane.send("l")
        pane.send("j")
        pane.wait_for(lambda screen: _moving(pane, screen), "the third clip to play under the lock")
        assert LOCKED_LINE in pane.screen().text
    finally:
        holder.commit()
        holder.close()
    pane.wait_for(lambda screen: LOCKED_LINE not in screen.text, "the line to go once the writes landed")
    pane.send("q")
    assert pane.wait_exit() == 0
    assert [row[0] for row in _rows(home, "SELECT exit FROM impressions ORDER BY seq")] == ["next", "next", "quit"]
    assert _rows(home, "SELECT count(*) FROM likes") == [(1,)]
    assert _rows(home, "SELECT liked FROM impressions ORDER BY seq") == [(0,), (1,), (0,)]
    assert "database is locked" in home.log.read_text(encoding="utf-8")


def _player_in_a_pty(home: Home) -> tuple[subprocess.Popen[bytes], int, threading.Thread]:
    """A first tuifeed playing in a pseudo-terminal of its own (120x40), its output drained; returns it and the pty."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        home.tuifeed("play", "--seed", "3"),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**clean_environment(), **home.env, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    return process, master, reader


def test_a_second_player_leaves_the_first_ones_stay_open(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """Two `tuifeed play` on one database: the second start does not close the first one's open stay."""
    clip_library.copy_to(home.root / "clips", 3)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    first, master, reader = _player_in_a_pty(home)
    try:
        deadline = time.monotonic() + 30
        while not _rows(home, "SELECT id FROM impressions"):
            assert time.monotonic() < deadline, "the first player never opened a stay"
            assert first.poll() is None, "the first player exited"
            time.sleep(0.1)
        [(first_stay, first_pid)] = _rows(home, "SELECT id, owner_pid FROM impressions")
        assert first_pid == first.pid
        pane = tmux(120, 40, env=home.env)
        pane.run(home.tuifeed("play", "--seed", "5"))
        pane.wait_for_picture(MIN_PICTURE_CELLS)
        pane.send("j")
        pane.wait_for_picture(MIN_PICTURE_CELLS)
        assert _rows(home, f"SELECT ended_at, exit FROM impressions WHERE id = {first_stay}") == [(None, None)]
        pane.send("q")
        assert pane.wait_exit() == 0
        os.write(master, b"q")
        assert first.wait(20) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
        os.close(master)
        reader.join(5)
    exits = dict(_rows(home, "SELECT owner_pid, group_concat(exit) FROM impressions GROUP BY owner_pid"))
    assert exits[first.pid] == "quit", "the first player closed its own stay, not the second"
    assert "killed" not in str(exits)
