"""The installed tuifeed in tmux over a library of hostile metadata, through every place (pages, lists,
search, stats, Why, menus), small and large: tmux's `pipe-pane` byte stream holds nothing the metadata tried."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import MEDIA, Home, Pane, piped_through

pytestmark = pytest.mark.e2e

OSC52 = "\x1b]52;c;aG9zdGlsZQ==\x07"
NASTY = f"{OSC52}\x1b[2J\x9b1m\u202e[/][link=file:///etc/passwd]x[/link][b]\x00"
"""A clipboard write, a screen clear, an 8-bit CSI, a right-to-left override, markup that breaks Rich, NUL."""
FORBIDDEN = {
    "an OSC 52 clipboard write": b"\x1b]52",
    "a screen clear": b"\x1b[2J",
    "a C1 CSI": "\x9b".encode(),
    "a right-to-left override": "\u202e".encode(),
    "a NUL": b"\x00",
}


def hostile_library(folder: Path) -> Path:
    """The bundled clips with sidecars whose every text field is hostile, each clip still findable by a word."""
    folder.mkdir()
    for number, clip in enumerate(sorted(MEDIA.glob("*.mp4"))):
        shutil.copy2(clip, folder / clip.name)
        info = json.loads(clip.with_suffix(".info.json").read_text(encoding="utf-8"))
        info |= {
            "title": f"{NASTY} title{number} 😀漢字 " + "W" * 2000,
            "uploader": f"[/]{NASTY}maker{number % 2}",
            "channel": f"[/]{NASTY}maker{number % 2}",
            "uploader_id": None,
            "tags": [f"[/]{NASTY}tag", "[link=file:///etc/passwd]t", "😀" * 40],
            "description": f"{NASTY}\n{NASTY} hostileword #[/]",
            "track": f"[/]{NASTY}sound",
            "artist": NASTY,
        }
        (folder / clip.with_suffix(".info.json").name).write_text(json.dumps(info), encoding="utf-8")
    return folder


def keys(pane: Pane, *pressed: str, pause: float = 0.4) -> None:
    for key in pressed:
        pane.send(key)
        time.sleep(pause)


def still_running(pane: Pane, where: str) -> None:
    assert pane.exit_code() is None, f"tuifeed exited during {where}:\n{pane.screen().text}"


def walk_every_place(pane: Pane, home: Home, stream: Path) -> bytes:
    """Play, then visit every place and act in it while tmux pipes every byte tuifeed sends to `stream`."""
    pane.tmux("pipe-pane", "-o", f"cat > {stream}")
    pane.run(home.tuifeed("play", "--seed", "3"))
    # Keys typed before the app has the screen would reach the shell or the terminal probe, not the app.
    pane.wait_for(lambda _screen: pane.flag("alternate_on") == "1", "the app's screen", timeout=30)
    if pane.width >= 80:
        pane.wait_for_text("For You", "the feed's info panel")
    else:
        pane.wait_for(lambda screen: screen.text.strip(), "the app's first paint")
    still_running(pane, "start-up")
    keys(pane, "l", "b", "f", "w", "Escape", "@", "Escape", "#", "Escape", "s", "Escape", "x", "Escape")
    still_running(pane, "the feed's actions and pages")
    keys(pane, "j", "j", "k", "2", "3", "Right", "Right", "Right", "Left", "Enter", "Escape", "4")
    still_running(pane, "the Library lists and Stats")
    keys(pane, "/", *"hostileword", pause=0.1)
    time.sleep(1)
    keys(pane, "Down", "Enter", "Escape", "1", "x", "Down", "Enter", "3", "Left", "u", "1")
    still_running(pane, "Search, a mute and its undo from the Mutes list")
    pane.send("q")
    assert pane.wait_exit(20) == 0
    data = piped_through(stream, b"EXITED:0")
    pane.tmux("pipe-pane")
    data.decode("utf-8")
    return data


def reached(data: bytes) -> list[str]:
    return [what for what, raw in FORBIDDEN.items() if raw in data]


@pytest.mark.parametrize(("width", "height"), [(120, 40), (40, 12), (20, 6)])
def test_hostile_metadata_never_reaches_the_terminal_in_any_place(
    home: Home, tmux: Callable[..., Pane], tmp_path: Path, width: int, height: int
) -> None:
    """Like, save, follow, pages, Why, the menu, Library lists, Stats and Search over hostile text: no escape out."""
    library = hostile_library(home.root / "library")
    assert home.run("import", str(library)).returncode == 0
    data = walk_every_place(tmux(width, height, env=home.env), home, tmp_path / "stream.bin")
    if width >= 80:  # smaller, the text is cut or the picture says it is too small
        assert b"hostileword" in data and "漢字".encode() in data, "the hostile clips were not shown at all"
    assert reached(data) == [], f"reached the terminal: {', '.join(reached(data))}"


def test_text_written_raw_into_the_database_never_reaches_the_terminal(
    home: Home, tmux: Callable[..., Pane], tmp_path: Path
) -> None:
    """The same walk after another program rewrote every clip's text raw in the database (sqlite3, not tuifeed)."""
    library = hostile_library(home.root / "library")
    assert home.run("import", str(library)).returncode == 0
    with sqlite3.connect(home.db) as db:
        db.execute(
            "UPDATE clips SET title = ? || ' hostileword', creator = ? || rowid % 2, description = ?, "
            "sound = ?, tags = json_array(?, 'plain')",
            [NASTY, NASTY, f"{NASTY}\n{NASTY}", NASTY, NASTY],
        )
    db.close()
    data = walk_every_place(tmux(120, 40, env=home.env), home, tmp_path / "stream.bin")
    assert b"hostileword" in data
    assert reached(data) == [], f"reached the terminal: {', '.join(reached(data))}"
    stats = home.run("stats")
    assert stats.returncode == 0 and reached(stats.stdout.encode()) == [], stats.stdout
