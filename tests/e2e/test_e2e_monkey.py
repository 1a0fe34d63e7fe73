"""A key and mouse storm on the real tuifeed in tmux: it survives, quits on q, and leaves the terminal as it was.

`MONKEY_E2E_KEYS` (default 150) sets how many keys the storm presses; the seed is fixed, `MONKEY_E2E_SEED`
changes it for a long local run.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable

import pytest
from e2e_support import ClipLibrary, Home, Pane

pytestmark = pytest.mark.e2e

KEYS = [
    *"1234/r?jklbf@#sxuwFRmaciyn0123456789",
    "Space", "Escape", "BSpace", "Enter", "Up", "Down", "Left", "Right", "PageUp", "PageDown", "Tab", "BTab",
    "DC", "[", "]", "+", "-",
]  # fmt: skip
"""tmux names of the keys some place binds and the ones a person mashes anyway (no q, Ctrl-C or Ctrl-Z)."""
MOUSE = ["\x1b[<64;30;10M", "\x1b[<65;30;10M", "\x1b[<0;30;10M\x1b[<0;30;10m", "\x1b[<0;70;36M\x1b[<0;70;36m"]
"""SGR mouse reports: wheel up, wheel down, a click on the picture, a click on the caption."""


def test_a_key_storm_leaves_it_running_and_quit_restores_the_terminal(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """Random keys, wheel and clicks: the process lives through them, then Esc, 1 and q end it cleanly."""
    clip_library.copy_to(home.root / "clips", 4)
    assert home.run("import", str(home.root / "clips")).returncode == 0
    pane = tmux(120, 40, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "5"))
    pane.wait_for_picture(400)
    chance = random.Random(int(os.environ.get("MONKEY_E2E_SEED", "7")))
    for _ in range(int(os.environ.get("MONKEY_E2E_KEYS", "150"))):
        if chance.random() < 0.15:
            pane.tmux("send-keys", "-l", chance.choice(MOUSE))
        else:
            pane.send(chance.choice(KEYS))
        time.sleep(chance.choice((0.0, 0.0, 0.02, 0.1)))
        assert pane.exit_code() is None, pane.screen().text
    for key in ("Escape", "Escape", "Escape", "Escape", "1"):
        pane.send(key)
        time.sleep(0.2)
    assert pane.exit_code() is None, pane.screen().text
    pane.send("q")
    assert pane.wait_exit() == 0
    assert pane.flag("alternate_on") == "0"
    assert pane.flag("mouse_any_flag") == "0"
    with sqlite3.connect(home.db) as db:
        assert db.execute("SELECT count(*) FROM impressions WHERE ended_at IS NULL").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM impressions WHERE dwell_ms < 0").fetchone() == (0,)
