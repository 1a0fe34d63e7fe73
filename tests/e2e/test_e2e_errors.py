"""The installed tuifeed meeting bad input: a clip that cannot play, and a broken config.toml."""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import ClipLibrary, Home, Pane, Screen

pytestmark = pytest.mark.e2e

MIN_PICTURE_CELLS = 400
SWIPE_EVERY = 1.5
"""Seconds between swipes while looking for the broken clip."""


@pytest.mark.parametrize("damage", ["corrupt", "vanished"])
def test_broken_clip_shows_one_line_and_moves_on(
    damage: str, clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """A clip whose file was damaged or deleted after import: one clear message, then the next clip plays."""
    *good, broken = clip_library.copy_to(home.root / "clips", 3)
    imported = home.run("import", str(home.root / "clips"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    if damage == "corrupt":
        broken.write_bytes(random.Random(7).randbytes(broken.stat().st_size))
    else:
        broken.unlink()

    pane = tmux(120, 40, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "3"))
    message = _swipe_until_message(pane, broken)
    assert message.startswith("Cannot play"), message

    moving = pane.wait_for(lambda screen: _moving_picture(pane, screen), "the next clip to play", timeout=10)
    assert "No clips" not in moving.text, "the feed stopped instead of moving on"
    pane.send("q")
    assert pane.wait_exit() == 0

    with sqlite3.connect(home.db) as db:
        exits = dict(db.execute("SELECT c.location, i.exit FROM impressions i JOIN clips c ON c.id = i.clip_id"))
    assert exits.get(str(broken)) == "error"
    assert any(str(clip) in exits for clip in good)


def _swipe_until_message(pane: Pane, broken: Path, timeout: float = 20.0) -> str:
    """Swipe every SWIPE_EVERY s until the error about `broken` shows; returns the message as one line."""
    deadline = time.monotonic() + timeout
    swiped: float | None = None
    while time.monotonic() < deadline:
        screen = pane.screen()
        toast = _toast_text(screen)
        if "Cannot play" in toast and _squeezed(str(broken)) in _squeezed(toast):
            return toast[toast.index("Cannot play") :]
        if screen.video_cells() >= MIN_PICTURE_CELLS and not toast:
            if swiped is None:
                swiped = time.monotonic()  # a picture: give it SWIPE_EVERY s on screen, then swipe
            elif time.monotonic() - swiped > SWIPE_EVERY:
                swiped = pane.send("j")
        time.sleep(0.05)
    pytest.fail(f"no message about {broken.name} within {timeout:.0f} s:\n{pane.screen().text}")


def _toast_text(screen: Screen) -> str:
    """The text of the toasts on screen (right of their `▌` border), rows joined into one line."""
    parts = [line.rsplit("▌", 1)[1].strip() for line in screen.text.splitlines() if "▌" in line]
    return " ".join(part for part in parts if part)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _moving_picture(pane: Pane, screen: Screen) -> Screen | None:
    """`screen` if it shows a picture that changes within half a second, else None."""
    box = screen.video_box()
    if box is None or screen.video_cells() < MIN_PICTURE_CELLS:
        return None
    time.sleep(0.5)
    later = pane.screen()
    if later.video_box() != box:
        return None  # the layout changed: compare the next two screens instead
    before = [(cell.fg, cell.bg) for cell in screen.box_cells(box)]
    after = [(cell.fg, cell.bg) for cell in later.box_cells(box)]
    return later if sum(a != b for a, b in zip(before, after, strict=True)) >= 0.01 * len(before) else None


def test_broken_config_exits_2_with_one_line(home: Home) -> None:
    """A config.toml with a bad value: exit code 2 and exactly one line naming the file and line."""
    home.config.write_text('[player]\naudio_output = "adummy"\nvolume = "loud"\n', encoding="utf-8")
    done = home.run("play")
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2
    assert len(lines) == 1, lines
    assert f"{home.config}:3: " in lines[0]


def test_config_that_is_not_toml_exits_2_with_one_line(home: Home) -> None:
    """A config.toml that is not TOML at all: exit code 2 and one line with the file and line."""
    home.config.write_text('[player]\naudio_output = "adummy"\n[display\n', encoding="utf-8")
    done = home.run("play")
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2
    assert len(lines) == 1, lines
    assert f"{home.config}:3: " in lines[0]
