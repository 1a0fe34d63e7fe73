"""`tuifeed search` and `tuifeed mutes` run as a person runs them, against a real database file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from tuifeed.cli_pages import run_search
from tuifeed.models import Clip, EventKind
from tuifeed.store import Store

AT = "2026-01-01T00:00:00.000+00:00"
CLIPS = [
    Clip(id="waves", location="/v/waves.mp4", title="Big waves", creator="ana", description="dawn patrol at the point"),
    Clip(id="cats", location="/v/cats.mp4", title="[b]Pixel cats", creator="[/]", tags=("Ocean", "cats")),
    Clip(id="drive", location="/v/drive.mp4", title="Sunset drive", creator="cy", sound="lofi-3"),
]


def tuifeed(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuifeed", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "TUIFEED_CONFIG": str(db.with_suffix(".toml"))},
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tuifeed.db"
    store = Store(path)
    store.upsert_clips(CLIPS)
    store.close()
    return path


def test_search_prints_the_clips_that_match(db: Path) -> None:
    """A word of a description finds its clip; into a pipe, one clip a line, tab-separated; markup prints as is."""
    result = tuifeed("search", "dawn", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["@ana\tBig waves\t\t\twaves"]
    cats = tuifeed("search", "pixel", db=db)
    assert cats.stdout.splitlines() == ["@[/]\t[b]Pixel cats\t\t#Ocean #cats\tcats"]


def test_search_with_no_match_or_fts_syntax_exits_1_with_one_line(db: Path) -> None:
    """Nothing found is exit 1 and a sentence; FTS operators and quotes are just words."""
    result = tuifeed("search", 'NEAR("x"', "*", db=db)
    assert result.returncode == 1
    assert result.stdout.strip() == 'No clip matches “NEAR("x" *”.'
    assert result.stderr == ""


def test_search_json_is_the_clips(db: Path) -> None:
    """--json prints one array of the matching clips."""
    result = tuifeed("search", "lofi", "--json", db=db)
    assert result.returncode == 0
    [found] = json.loads(result.stdout)
    assert found["id"] == "drive" and found["sound"] == "lofi-3" and found["tags"] == []


def test_search_leaves_out_muted_and_hidden_clips(db: Path) -> None:
    """What the app would never show, the command does not list either."""
    store = Store(db)
    store.record_event(EventKind.MUTE_TAG, "ocean", True, AT)
    store.record_event(EventKind.NOT_INTERESTED, "drive", True, AT)
    store.close()
    assert tuifeed("search", "cats", db=db).returncode == 1
    assert tuifeed("search", "sunset", db=db).returncode == 1
    assert tuifeed("search", "waves", db=db).returncode == 0


def test_search_limit_counts_only_what_is_listed(db: Path) -> None:
    """`--limit 1` with the best match hidden lists the next best, not nothing."""
    store = Store(db)
    store.upsert_clips([Clip(id="again", location="/v/again.mp4", title="Big waves again")])
    store.record_event(EventKind.NOT_INTERESTED, "waves", True, AT)
    store.close()
    result = tuifeed("search", "waves", "--limit", "1", db=db)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == ["\tBig waves again\t\t\tagain"]


def test_search_play_with_nothing_found_does_not_start_the_app(db: Path) -> None:
    """--play with no results says so and exits 1, without opening a player."""
    result = tuifeed("search", "nothing-here", "--play", db=db)
    assert result.returncode == 1 and "No clip matches" in result.stdout


def test_mutes_lists_and_removes(db: Path) -> None:
    """`tuifeed mutes` lists what is muted; `remove` lifts one (a tag in any spelling), exit 1 if not muted."""
    assert tuifeed("mutes", db=db).stdout.startswith("No mutes.")
    store = Store(db)
    store.record_event(EventKind.MUTE_CREATOR, "[/]", True, AT)
    store.record_event(EventKind.MUTE_TAG, "Ocean", True, AT)
    store.record_event(EventKind.MUTE_SOUND, "lofi-3", True, AT)
    store.close()
    listed = tuifeed("mutes", db=db)
    assert listed.returncode == 0
    rows = [line.split() for line in listed.stdout.splitlines()[1:4]]
    assert [row[:2] for row in rows] == [["sound", "lofi-3"], ["tag", "Ocean"], ["creator", "[/]"]]
    removed = tuifeed("mutes", "remove", "tag", "#ocean", db=db)
    assert removed.returncode == 0 and removed.stdout.strip() == "Unmuted #ocean: its clips come back to your feeds."
    assert tuifeed("mutes", "remove", "creator", "@[/]", db=db).returncode == 0
    again = tuifeed("mutes", "remove", "creator", "[/]", db=db)
    assert again.returncode == 1 and "@[/] is not muted" in again.stdout
    store = Store(db)
    assert store.active(EventKind.MUTE_TAG) == set() and store.active(EventKind.MUTE_CREATOR) == set()
    assert store.active(EventKind.MUTE_SOUND) == {"lofi-3"}
    store.close()


def test_mutes_remove_needs_a_kind_and_a_value(db: Path) -> None:
    """A half-typed remove is a usage error (exit 2), and a made-up kind is refused by the parser."""
    assert tuifeed("mutes", "remove", db=db).returncode == 2
    assert tuifeed("mutes", "remove", "colour", "red", db=db).returncode == 2


def test_new_binding_ids_are_accepted_in_config(db: Path, tmp_path: Path) -> None:
    """[keys] may remap the mode, page and undo keys by id (checked before anything plays)."""
    config = tmp_path / "keys.toml"
    config.write_text('[keys]\nfollowing = "9"\ncreator_page = "P"\nundo = "U"\nswipe = "x"\n')
    result = subprocess.run(
        [sys.executable, "-m", "tuifeed", "--config", str(config), "--db", str(db), str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert ":5: unknown binding id 'swipe'" in result.stderr and "following" in result.stderr


def test_search_in_a_terminal_is_a_table_with_a_hint(db: Path) -> None:
    """On a terminal the results are a table, then how to play them."""
    store = Store(db)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None, highlight=False)
    assert run_search(store, ["pixel"], limit=50, as_json=False, console=console) == 0
    store.close()
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["creator", "title", "length", "tags", "id"]
    assert "@[/]" in lines[1] and "[b]Pixel cats" in lines[1] and "#Ocean #cats" in lines[1]
    assert lines[-1] == "1 clip; play them: tuifeed search pixel --play"
