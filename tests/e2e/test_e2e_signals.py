"""Signals and terminals: a hang-up, Ctrl-Z and fg, a crash, and play with no terminal."""

from __future__ import annotations

import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import ClipLibrary, Home, Pane, Screen, piped_through

pytestmark = pytest.mark.e2e

MIN_PICTURE_CELLS = 400
BRACKETED_PASTE_ON = b"\x1b[?2004h"


def _playing(
    clip_library: ClipLibrary,
    home: Home,
    tmux: Callable[..., Pane],
    argv: list[str] | None = None,
    stream: Path | None = None,
) -> Pane:
    """Import two clips and start tuifeed (or `argv`) on them in a 120x40 pane; returns once the app shows a
    picture and its panel (it has mounted: its signal handlers are in place).

    With `stream`, tmux copies every byte the program sends into that file.
    """
    clip_library.copy_to(home.root / "clips", 2)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    pane = tmux(120, 40, env=home.env)
    if stream is not None:
        pane.tmux("pipe-pane", "-o", f"cat > {shlex.quote(str(stream))}")
    pane.run(argv or home.tuifeed("play", "--seed", "5"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    pane.wait_for_text("For You", "the feed's info panel")
    return pane


def _close_help_and_quit(pane: Pane) -> None:
    """Escape closes the help screen, q quits with 0 and the shell's screen is back."""
    pane.send("Escape")
    pane.wait_for(lambda screen: "tuifeed keys" not in screen.text, "the help screen to close")
    pane.send("q")
    assert pane.wait_exit() == 0
    assert pane.flag("alternate_on") == "0"


def _pid(home: Home) -> int:
    """The pid of the one process playing this test's database."""
    found = subprocess.run(["pgrep", "-f", f"play --db {home.db}"], capture_output=True, text=True, check=False)
    pids = [int(pid) for pid in found.stdout.split() if int(pid) != os.getpid()]
    assert len(pids) == 1, f"expected one tuifeed process, found {pids}"
    return pids[0]


def _state(pid: int) -> str:
    """The process state letter from /proc (R, S, T for stopped...)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def test_sighup_restores_the_terminal_and_records_the_stay(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """A hang-up is handled like SIGTERM: alternate screen left, mouse off, the clip on screen closed as quit."""
    pane = _playing(clip_library, home, tmux)
    assert pane.flag("alternate_on") == "1"
    assert pane.flag("mouse_any_flag") == "1"
    os.kill(_pid(home), signal.SIGHUP)
    assert pane.wait_exit() == 0
    assert pane.flag("alternate_on") == "0"
    assert pane.flag("mouse_any_flag") == "0"
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]


def test_a_stray_sigcont_changes_nothing(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane], tmp_path: Path
) -> None:
    """SIGCONT with no stop before it (tmux sends them; so does a hang-up) starts the terminal over for nothing.

    Each one used to start another key reader (two threads splitting one escape sequence between them)
    and set the terminal up again: bracketed paste, mouse and the sync-mode query all sent once more.
    """
    stream = tmp_path / "stream.bin"
    pane = _playing(clip_library, home, tmux, stream=stream)
    pid = _pid(home)
    os.kill(pid, signal.SIGCONT)
    os.kill(pid, signal.SIGCONT)
    pane.send("?")
    pane.wait_for_text("tuifeed keys", "the help screen")
    _close_help_and_quit(pane)
    assert pane.flag("mouse_any_flag") == "0"
    sent = piped_through(stream, b"EXITED:0")
    pane.tmux("pipe-pane")
    assert sent.count(BRACKETED_PASTE_ON) == 1, "the terminal was set up again"
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]


def test_the_terminal_going_away_ends_tuifeed(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """The terminal closes under it (the kernel's SIGHUP and SIGCONT): the process ends, the stay recorded as quit."""
    pane = _playing(clip_library, home, tmux)
    pid = _pid(home)
    pane.tmux("kill-server")
    deadline = time.monotonic() + 15
    while os.path.exists(f"/proc/{pid}") and _state(pid) != "Z":
        assert time.monotonic() < deadline, f"tuifeed (pid {pid}) still runs 15 s after its terminal closed"
        time.sleep(0.05)
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]


def test_a_key_typed_while_it_starts_reaches_the_app(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """q pressed right after Enter, before the terminal probe has asked anything, still quits the app."""
    clip_library.copy_to(home.root / "clips", 2)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    pane = tmux(120, 40, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "5"))
    pane.send("q")
    assert pane.wait_exit() == 0
    assert pane.flag("alternate_on") == "0"


def test_ctrl_z_suspends_and_fg_repaints(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """Ctrl-Z stops the process with the shell's screen back; fg brings the whole screen back, still playing."""
    pane = _playing(clip_library, home, tmux)
    pid = _pid(home)
    pane.send("C-z")
    pane.wait_for(lambda _screen: _state(pid) == "T", "the process to stop")
    pane.wait_for(lambda _screen: pane.flag("alternate_on") == "0", "the shell's screen")
    assert pane.flag("mouse_any_flag") == "0"
    # The shell dropped the rest of the stopped command line, so it says the exit code after fg.
    pane.tmux("send-keys", "-l", "clear; fg; echo EXITED:$?")
    pane.tmux("send-keys", "Enter")
    pane.wait_for(lambda _screen: pane.flag("alternate_on") == "1", "the app's screen again")
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    # Frames may land before Textual's full repaint is written: the panel must follow, not precede, them.
    pane.wait_for_text("For You", "the info panel painted again")
    assert _state(pid) != "T"
    pane.send("q")
    assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]


def test_a_sigstop_from_elsewhere_then_fg_gives_the_keys_back(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """SIGSTOP (`kill -STOP`, which no handler sees) stops it; the shell takes the terminal back and sets its own
    modes on it; after `fg` (a SIGCONT with no Ctrl-Z of tuifeed's before it) the keys work again: ? opens help."""
    pane = _playing(clip_library, home, tmux)
    pid = _pid(home)
    os.kill(pid, signal.SIGSTOP)
    pane.wait_for(lambda _screen: _state(pid) == "T", "the process to stop")
    # bash and zsh set their own terminal modes back when a job stops; this pane's sh does not, so do it here
    # (and say the exit code after fg: the shell dropped the rest of the stopped command line).
    pane.tmux("send-keys", "-l", "stty sane; fg; echo EXITED:$?")
    pane.tmux("send-keys", "C-j")
    pane.wait_for(lambda _screen: _state(pid) != "T", "the process to go on")
    asked = 0.0

    def help_shown(screen: Screen) -> bool:
        # Keys typed while the terminal is set up again are flushed with the old modes: ask until one lands.
        nonlocal asked
        if "tuifeed keys" in screen.text:
            return True
        if time.monotonic() - asked >= 0.5:
            asked = pane.send("?")
        return False

    pane.wait_for(help_shown, "the help screen")
    _close_help_and_quit(pane)


def test_a_crash_exits_1_with_one_line_and_the_traceback_in_the_log(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """An error inside the app: exit code 1, one line on screen, the traceback in the log, the stay closed."""
    code = (
        "import sys; from tuifeed.feed.session import FeedSession; "
        "FeedSession.toggle_like = lambda self: 1 / 0; "
        "from tuifeed.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    pane = _playing(clip_library, home, tmux, [sys.executable, "-c", code, "play", "--db", str(home.db)])
    pane.send("l")
    assert pane.wait_exit() == 1
    text = pane.screen().text
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if "ZeroDivisionError" in line]
    assert len(lines) == 1 and "error: tuifeed stopped: ZeroDivisionError" in lines[0], text
    log = home.log.read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]


def test_play_without_a_terminal_says_so_and_exits_1(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """`tuifeed play > file`: one line on stderr, exit 1, nothing in the file, no escape code written."""
    clip_library.copy_to(home.root / "clips", 1)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    out, err = home.root / "out.txt", home.root / "err.txt"
    pane = tmux(120, 40, env=home.env)
    line = f"{shlex.join(home.tuifeed('play'))} >{shlex.quote(str(out))} 2>{shlex.quote(str(err))}; echo EXITED:$?"
    pane.tmux("send-keys", "-l", line)
    pane.tmux("send-keys", "Enter")
    assert pane.wait_exit() == 1
    assert out.read_bytes() == b""
    assert err.read_text(encoding="utf-8").splitlines() == [
        "error: tuifeed play needs a terminal: stdin or stdout is not one"
    ]
    assert pane.flag("alternate_on") == "0"
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT count(*) FROM impressions").fetchone() == (0,)
