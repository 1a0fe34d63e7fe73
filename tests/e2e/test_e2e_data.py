"""The installed tuifeed after a short real session in tmux: Stats counts it; the export holds exactly the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from e2e_support import Home, Pane
from export_check import exported, read_export, stored
from panel import Shown, choose, settled

WIDTH, HEIGHT = 120, 40
MIN_PICTURE_CELLS = 400
pytestmark = pytest.mark.e2e


def test_export_after_a_short_session_holds_exactly_what_was_recorded(home: Home, tmux: Callable[..., Pane]) -> None:
    """Swipe, like, save, follow, mute a tag, open and close a creator page, look at Stats, quit; then every
    export format holds the stays (with how each ended), likes, saves, follows and mutes row by row."""
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "5"))  # the bundled samples
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    shown: list[Shown] = [settled(pane, None, "the first clip")]
    pane.send("l")
    pane.send("b")
    pane.send("f")
    pane.wait_for_text("Following @", "the follow toast")
    for swipe in range(3):
        pane.send("j")
        shown.append(settled(pane, shown[-1], f"swipe {swipe + 1}"))
    choose(pane, "Mute #")
    shown.append(settled(pane, shown[-1], "the clip after the mute"))
    pane.send("@")
    pane.wait_for_text(f"@{shown[-1][0]} · seen", "the creator page")
    pane.send("Escape")
    pane.wait_for_text("For You · seen", "For You again")
    pane.send("4")
    stats = pane.wait_for_text("Today ", "the Stats screen")
    assert "Top creators" in stats.text and "1 like" in stats.text
    pane.send("1")
    pane.wait_for_text("For You · seen", "For You after Stats")
    pane.send("q")
    assert pane.wait_exit() == 0

    want = stored(home.db)
    assert {row[9] for row in want["impression"]} >= {"next", "left", "quit"}, want["impression"]
    assert len(want["like"]) == 1 and len(want["save"]) == 1 and len(want["follow"]) == 1 and len(want["mute"]) == 1
    for form in ("jsonl", "json", "csv"):
        out = home.root / f"history.{form}"
        result = home.run("export", "--format", form, "--out", str(out))
        assert result.returncode == 0, result.stderr
        _, records = read_export(out, form)
        assert exported(records, flat=form == "csv") == want, form
    with sqlite3.connect(home.db) as db:
        open_stays = db.execute("SELECT count(*) FROM impressions WHERE ended_at IS NULL").fetchone()[0]
    assert open_stays == 0
