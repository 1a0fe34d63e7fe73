"""The first look in the real tuifeed: the first clip's picture reaches the terminal before the app has it, in the
cells where the app then shows it; Textual's own switch to the alternate screen is dropped; once tuifeed has
quit, the terminal's modes are what they were."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import ClipLibrary, Home, Pane, held_first_look, open_gate, piped_through

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pyte_screen import UPPER, new_screen

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 120, 40
APP_STARTS = b"\x1b[?1000h"
"""Textual's first write once it has the terminal (mouse reporting on)."""
ALTERNATE_SCREEN = b"\x1b[?1049h"
APC = re.compile(rb"\x1b_[^\x1b]*\x1b\\")
MIN_PICTURE_CELLS = 400


def _box_before_the_app(stream: bytes) -> tuple[int, int, int, int] | None:
    """(left, top, columns, rows) of the half-blocks drawn before the app's first write, replayed in pyte."""
    screen, feed = new_screen(WIDTH, HEIGHT)
    feed.feed(APC.sub(b"", stream.split(APP_STARTS, 1)[0]))
    spots = [(x, y) for y in range(HEIGHT) for x in range(WIDTH) if screen.buffer[y][x].data == UPPER]
    if not spots:
        return None
    xs, ys = [x for x, _ in spots], [y for _, y in spots]
    return min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def _modes(pane: Pane) -> str:
    """What `stty -a` prints in the pane's shell, on a cleared screen."""
    pane.run(["stty", "-a"], before="clear; echo MODES:")
    # Until the shell has run `clear`, the screen still shows the EXITED line of the command before.
    done = re.compile(r"^MODES:$.*^EXITED:0$", re.M | re.S)
    return pane.wait_for(lambda screen: screen if done.search(screen.text) else None, "stty").text


def test_the_first_picture_comes_before_the_app_in_the_cells_the_app_shows_it_in(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane], tmp_path: Path
) -> None:
    """A vertical clip at 120x40, with its panel beside it: the picture drawn before the app is where the app
    draws it once its panel shows; one switch to the alternate screen in all; echo and line mode come back."""
    vertical = next(clip for clip in clip_library.clips if clip.height > clip.width)
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy2(vertical.path, folder)
    shutil.copy2(vertical.path.with_suffix(".info.json"), folder)
    title = json.loads(vertical.path.with_suffix(".info.json").read_text(encoding="utf-8"))["title"]
    assert home.run("import", str(folder)).returncode == 0
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    stream, gate = tmp_path / "stream.bin", tmp_path / "gate"
    pane.tmux("pipe-pane", "-o", f"cat > {stream}")
    pane.run(held_first_look(home, gate, "play", "--seed", "3"))
    pane.wait_for(lambda screen: screen.video_cells() > MIN_PICTURE_CELLS or None, "the first look's picture")
    open_gate(gate)
    shown = pane.wait_for(
        lambda screen: screen if title in screen.text and screen.video_cells() > MIN_PICTURE_CELLS else None,
        "the feed",
    )
    pane.send("q")
    assert pane.wait_exit() == 0
    data = piped_through(stream, b"EXITED:0")
    pane.tmux("pipe-pane")
    assert data.count(ALTERNATE_SCREEN) == 1, "Textual's own switch to the alternate screen went out too"
    assert APP_STARTS in data
    before_the_app = _box_before_the_app(data)
    assert before_the_app is not None, "the first picture did not come before the app"
    assert before_the_app == shown.video_box(), "the first look drew elsewhere than the app"
    modes = _modes(pane)
    assert re.search(r"(?<!-)\bicanon\b", modes) and re.search(r"(?<!-)\becho\b", modes), modes


def test_ctrl_c_typed_over_the_first_look_quits_as_in_the_app(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """Ctrl-C as soon as a picture shows, before the app has the terminal: the terminal makes no SIGINT of it (a
    traceback mid-import), it waits for the app, which quits on it as on q: exit 0, the clip's impression ended
    by the quit, the shell's screen and modes back."""
    clip_library.copy_to(home.root / "clips", 2)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    gate = home.root / "gate"
    pane.run(held_first_look(home, gate, "play", "--seed", "3"))
    pane.wait_for(lambda screen: screen.video_cells() > MIN_PICTURE_CELLS or None, "the first look's picture")
    assert pane.flag("mouse_any_flag") == "0", "the app had the terminal already"
    pane.send("C-c")
    open_gate(gate, typed=1)
    assert pane.wait_exit() == 0, pane.screen().text
    assert pane.flag("alternate_on") == "0"
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT exit FROM impressions").fetchall() == [("quit",)]
    db.close()
    modes = _modes(pane)
    assert all(re.search(rf"(?<!-)\b{mode}\b", modes) for mode in ("icanon", "echo", "isig")), modes
