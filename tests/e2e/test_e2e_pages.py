"""The installed tuifeed in tmux: a mute holds for 30 swipes and lifting it from the Mutes list brings them back;
search finds a clip by a word of its description, in the app and on the command line."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import MEDIA, Home, Pane
from panel import Shown, choose, on_screen, settled

WIDTH, HEIGHT = 120, 40
MIN_PICTURE_CELLS = 400
SWIPES = 30
WORD = "lighthouse"
"""A word only the description of one clip holds (not its title, tags, creator or sound)."""

pytestmark = pytest.mark.e2e


def bundled_library(folder: Path) -> Path:
    """Every bundled clip with its sidecar; one description gets a word of its own."""
    folder.mkdir()
    for clip in sorted(MEDIA.glob("*.mp4")):
        shutil.copy2(clip, folder / clip.name)
        shutil.copy2(clip.with_suffix(".info.json"), folder / clip.with_suffix(".info.json").name)
    sidecar = folder / "sunsetdrive-02.info.json"
    info = json.loads(sidecar.read_text(encoding="utf-8"))
    info["description"] = f"Past the old {WORD} at the end of the day #sunset"
    sidecar.write_text(json.dumps(info), encoding="utf-8")
    return folder


def test_a_muted_creator_stays_out_for_30_swipes_and_comes_back_when_unmuted(
    home: Home, tmux: Callable[..., Pane]
) -> None:
    """Mute the creator on screen, swipe 30 times: none of theirs. Lift the mute in Library > Mutes: they return."""
    library = bundled_library(home.root / "library")
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "11", str(library)))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    first = settled(pane, None, "the first clip")
    muted = choose(pane, "Mute creator @").removeprefix("Mute creator @")
    assert muted == first[0]
    shown: list[Shown] = [settled(pane, first, "the clip after the mute")]
    for swipe in range(SWIPES):
        pane.send("j")
        shown.append(settled(pane, shown[-1], f"swipe {swipe + 1}"))
    assert [clip for clip in shown if clip[0] == muted] == [], f"@{muted} came back while muted"

    pane.send("3")
    pane.wait_for_text("Mutes", "the Library")
    pane.send("Left")  # from Liked, back round to Mutes
    pane.wait_for_text(f"creator @{muted}", "the mute in the Mutes list")
    pane.send("u")
    pane.wait_for_text("No mutes", "the Mutes list empty")
    pane.send("1")
    back: list[Shown] = [settled(pane, None, "For You again")]
    for swipe in range(SWIPES):
        if back[-1][0] == muted:
            break
        pane.send("j")
        back.append(settled(pane, back[-1], f"swipe {swipe + 1} after the unmute"))
    assert back[-1][0] == muted, f"@{muted} did not come back in {SWIPES} swipes: {back}"
    pane.send("q")
    assert pane.wait_exit() == 0

    with sqlite3.connect(home.db) as db:
        toggles = db.execute(
            "SELECT active, seq FROM events WHERE kind = 'mute_creator' AND subject = ? ORDER BY seq", [muted]
        ).fetchall()
        assert [active for active, _ in toggles] == [1, 0]
        unmuted_at = toggles[-1][1]
        played = db.execute(
            "SELECT c.creator, i.seq FROM impressions i JOIN clips c ON c.id = i.clip_id ORDER BY i.seq"
        ).fetchall()
    while_muted = [creator for creator, seq in played if toggles[0][1] < seq < unmuted_at]
    assert len(while_muted) >= SWIPES and muted not in while_muted[1:]  # the first ended as the mute moved on
    assert muted in [creator for creator, seq in played if seq > unmuted_at]


def test_search_finds_a_clip_by_a_word_of_its_description(home: Home, tmux: Callable[..., Pane]) -> None:
    """`tuifeed search WORD` lists the clip; in the app / and the word find it, Enter Enter plays it."""
    library = bundled_library(home.root / "library")
    assert home.run("import", str(library)).returncode == 0
    listed = home.run("search", WORD)
    assert listed.returncode == 0, listed.stderr
    [row] = listed.stdout.splitlines()
    assert row.split("\t")[:2] == ["@Sunset Drive", "Last light on the highway"]
    assert home.run("search", "no-such-word").returncode == 1

    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "3"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    settled(pane, None, "the first clip")
    pane.send("/")
    pane.wait_for_text("Search titles, descriptions", "the search field")
    pane.tmux("send-keys", "-l", WORD)
    pane.wait_for_text(f"1 clip for “{WORD}”", "the result")
    pane.send("Enter")
    pane.send("Enter")
    playing = pane.wait_for(
        lambda screen: found if (found := on_screen(screen)) and f"Search: {WORD}" in screen.text else None,
        "the result playing",
    )
    assert playing == ("Sunset Drive", "Last light on the highway")
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    pane.send("q")
    assert pane.wait_exit() == 0


def test_search_play_opens_the_results_playing(home: Home, tmux: Callable[..., Pane]) -> None:
    """`tuifeed search WORD --play` starts on the results, playing the best match."""
    library = bundled_library(home.root / "library")
    assert home.run("import", str(library)).returncode == 0
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("search", WORD, "--play"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    assert settled(pane, None, "the result playing") == ("Sunset Drive", "Last light on the highway")
    pane.send("q")
    assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        [(title, exit_)] = db.execute(
            "SELECT c.title, i.exit FROM impressions i JOIN clips c ON c.id = i.clip_id"
        ).fetchall()
    assert (title, exit_) == ("Last light on the highway", "quit")
