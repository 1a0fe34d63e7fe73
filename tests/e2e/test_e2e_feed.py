"""The installed tuifeed in tmux: the picture fills the video area and moves, keys become records, exit is clean."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import ClipLibrary, Home, Pane, Screen

WIDTH, HEIGHT = 120, 40
KEY_GAP = 2.0
"""Seconds between keys: long enough that each stay is clearly measured."""
DWELL_TOLERANCE_MS = 300
"""How much longer than key-minus-picture a dwell may be: a key waits its turn in the app behind frames."""
CLOCK_SLACK_MS = 20
"""Rounding to whole milliseconds, and the recorder reading the clock just after the session did."""
MIN_PICTURE_CELLS = 400
"""A first frame counts as shown once this many cells carry picture (a 9:16 clip at 120x40 has 1800)."""

pytestmark = pytest.mark.e2e


def _fingerprint(screen: Screen, box: tuple[int, int, int, int]) -> list[tuple[object, object]]:
    return [(cell.fg, cell.bg) for cell in screen.box_cells(box)]


def test_watch_swipe_like_quit(clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]) -> None:
    """First frame, coloured moving picture; `j j l k q` gives impressions with true dwell, a like, a clean exit."""
    recorded = home.root / "stats.json"
    pane = tmux(WIDTH, HEIGHT, env={**home.env, "TUIFEED_STATS": str(recorded)})
    stty = home.root / "stty"
    pane.run(
        home.tuifeed("play", "--seed", "7", str(clip_library.path)),
        before=f"stty -g > {stty}.before",
        after=f"stty -g > {stty}.after",
    )
    first, shown_at = pane.wait_for_picture(MIN_PICTURE_CELLS)

    box = first.video_box()
    assert box is not None
    cells = first.box_cells(box)
    painted = sum(cell.is_video for cell in cells)
    assert painted >= 0.95 * len(cells), f"only {painted} of {len(cells)} cells of the video area carry colour"
    _, _, cols, rows = box
    assert cols * rows >= 0.25 * WIDTH * HEIGHT, f"the picture is only {cols}x{rows} cells:\n{first.text}"
    aspects = {clip.width / clip.height for clip in clip_library.clips}
    shown = cols / (2 * rows)
    assert any(abs(shown - aspect) <= 0.1 * aspect for aspect in aspects), (
        f"a {cols}x{rows} picture matches no clip's shape"
    )

    time.sleep(0.5)
    later = pane.screen()
    left, top, cols, rows = box
    for third in range(3):  # every part of the picture moves, not just one corner
        part = (left + third * cols // 3, top, cols // 3, rows)
        changed = sum(a != b for a, b in zip(_fingerprint(first, part), _fingerprint(later, part), strict=True))
        assert changed >= 0.01 * cols * rows / 3, f"part {third + 1}/3 of the picture barely changed in 0.5 s"

    pressed: list[tuple[float, float]] = []
    for key in "jjlkq":
        time.sleep(max(0.0, (pressed[-1][1] if pressed else shown_at) + KEY_GAP - time.monotonic()))
        pressed.append(pane.press(key))
    j1, j2, _like, k, q = pressed

    assert pane.wait_exit() == 0
    _check_terminal_restored(pane, stty)

    with sqlite3.connect(home.db) as db:
        stays = db.execute("SELECT key, clip_id, dwell_ms, exit FROM impressions ORDER BY seq").fetchall()
        likes = db.execute("SELECT clip_id, liked FROM likes").fetchall()
    impressions = [row[1:] for row in stays]
    assert [row[2] for row in impressions] == ["next", "next", "previous", "quit"]
    # Dwell counts from each clip's first picture (which lags the key under load) to the key that ends the stay.
    pictures = {entry["stay"]: entry["at"] for entry in json.loads(recorded.read_text())["pictures"]}
    assert list(pictures) == [row[0] for row in stays], "every stay's first picture was recorded, once"
    # Each key reached the app somewhere between the two times around its `tmux send-keys`: the dwell is bounded
    # by the earliest and the latest it can have been, whatever the scheduler did to this process meanwhile.
    for (stay, clip_id, dwell_ms, exit_), began, ended in zip(stays, [None, j1, j2, k], [j1, j2, k, q], strict=True):
        pictured = pictures[stay]
        assert began is None or began[0] < pictured < began[1] + KEY_GAP, f"the picture of {clip_id} came {pictured}"
        at_least_ms, at_most_ms = ((at - pictured) * 1000 for at in ended)
        assert at_least_ms - CLOCK_SLACK_MS <= dwell_ms <= at_most_ms + DWELL_TOLERANCE_MS, (
            f"{exit_} impression of {clip_id}: dwell {dwell_ms} ms, on screen {at_least_ms:.0f}-{at_most_ms:.0f} ms"
        )
    assert impressions[3][0] == impressions[1][0], "k did not go back to the clip before"
    assert likes == [(impressions[2][0], 1)], "l should like the third clip, once"


def _check_terminal_restored(pane: Pane, stty: Path) -> None:
    """After exit: main screen, cursor shown, no mouse reporting, no colours left, tty modes as before."""
    assert pane.flag("alternate_on") == "0", "still on the alternate screen"
    assert pane.flag("cursor_flag") == "1", "the cursor is hidden"
    for mode in ("mouse_any_flag", "mouse_button_flag", "mouse_standard_flag", "mouse_sgr_flag"):
        assert pane.flag(mode) == "0", f"{mode} left on"
    screen = pane.screen()
    assert screen.coloured_cells() == 0, f"colour left on screen:\n{screen.raw!r}"
    assert "EXITED:0" in screen.text
    after = Path(f"{stty}.after")
    # The shell creates the file before stty writes its one line into it.
    pane.wait_for(lambda _: after.exists() and after.read_text().endswith("\n"), "the shell to run the next command")
    assert after.read_text() == Path(f"{stty}.before").read_text(), "tty modes not restored"


def test_the_next_run_opens_on_the_clip_the_last_one_had_lined_up(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane]
) -> None:
    """Quit after two swipes: `opening` holds For You's next pick, and the next `tuifeed play` opens on that clip,
    its picture on screen; one that swipes back and quits leaves none."""
    assert home.run("import", str(clip_library.path)).returncode == 0
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("play"))
    pane.wait_for_picture(MIN_PICTURE_CELLS)
    for key in "jjq":
        time.sleep(KEY_GAP / 2)
        pane.send(key)
    assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        [(lined_up,)] = db.execute("SELECT clip_id FROM opening").fetchall()
        runs = db.execute("SELECT count(DISTINCT owner_run) FROM impressions").fetchone()[0]
    assert runs == 1

    pane.run(home.tuifeed("play"), before="clear")
    first, _ = pane.wait_for_picture(MIN_PICTURE_CELLS)
    box = first.video_box()
    assert box is not None
    with sqlite3.connect(home.db) as db:
        width, height = db.execute("SELECT width, height FROM clips WHERE id = ?", [lined_up]).fetchone()
    _, _, cols, rows = box
    assert abs(cols / (2 * rows) - width / height) <= 0.1 * width / height, "the picture is not the opening's shape"
    for key in "jkq":
        time.sleep(KEY_GAP / 2)
        pane.send(key)
    assert pane.wait_exit() == 0
    with sqlite3.connect(home.db) as db:
        second = db.execute(
            "SELECT clip_id FROM impressions WHERE owner_run = (SELECT owner_run FROM impressions ORDER BY seq DESC "
            "LIMIT 1) ORDER BY seq"
        ).fetchall()
        left = db.execute("SELECT clip_id FROM opening").fetchall()
    assert second[0][0] == lined_up
    assert left == [], "the person swiped back before quitting: what lay ahead was seen"
