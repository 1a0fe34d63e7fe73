"""The installed tuifeed on the bundled library: a muted creator and tag never come back, even on replays."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from itertools import pairwise

import pytest
from e2e_support import MEDIA, Home, Pane
from panel import choose, settled

WIDTH, HEIGHT = 120, 40
SWIPES = 40
MIN_PICTURE_CELLS = 400
pytestmark = pytest.mark.e2e


def test_muted_creator_and_tag_stay_out_for_forty_swipes(home: Home, tmux: Callable[..., Pane]) -> None:
    """Mute a creator and a tag shared across creators, swipe 40 times through a smaller library: none of theirs
    plays, no creator twice in a row, and the screen showed exactly what SQLite recorded."""
    library = home.root / "library"
    library.mkdir()
    for clip in sorted(MEDIA.glob("*.mp4")):
        shutil.copy2(clip, library / clip.name)
        shutil.copy2(clip.with_suffix(".info.json"), library / clip.with_suffix(".info.json").name)
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "7", str(library)))
    pane.wait_for_picture(MIN_PICTURE_CELLS)

    first = settled(pane, None, "the first clip's info")
    label = choose(pane, "Mute creator @")
    muted_creator = label.removeprefix("Mute creator @")
    assert muted_creator == first[0]
    second = settled(pane, first, "the clip after muting the creator")
    label = choose(pane, "Mute #")  # the last tag of a bundled clip is its genre, shared by several creators
    muted_tag = label.removeprefix("Mute #")
    shown = [settled(pane, second, "the clip after muting the tag")]
    for swipe in range(SWIPES):
        pane.send("j")
        shown.append(settled(pane, shown[-1], f"swipe {swipe + 1}"))
    pane.send("q")
    assert pane.wait_exit() == 0

    with sqlite3.connect(home.db) as db:
        played = db.execute(
            "SELECT c.creator, c.title, c.tags, i.exit FROM impressions i JOIN clips c ON c.id = i.clip_id "
            "ORDER BY i.seq"
        ).fetchall()
    after_mutes = played[-len(shown) :]
    assert [(creator, title) for creator, title, _, _ in after_mutes] == shown, "the screen and SQLite disagree"
    assert after_mutes[-1][3] == "quit"
    assert played[-len(shown) - 1][:2] == second, "the clip muted by its tag ended just before"
    offenders = [
        (creator, title)
        for creator, title, tags, _ in after_mutes
        if creator == muted_creator or muted_tag in json.loads(tags)
    ]
    assert offenders == [], f"muted @{muted_creator} / #{muted_tag} came back"
    repeats = [(a[0], a[1], b[1]) for a, b in pairwise(after_mutes) if a[0] == b[0]]
    assert repeats == [], "a creator played twice in a row"
    assert len(set(shown)) < len(shown), "40 swipes should have replayed the smaller library"
