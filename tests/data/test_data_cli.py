"""`tuifeed stats`, `export` and `forget` run as a person runs them, against a real database file."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_run import ENV, tuifeed
from data_support import fill, stay
from export_check import exported, read_export, stored

from tuifeed.models import ImpressionExit
from tuifeed.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tuifeed.db"
    store = Store(path)
    fill(store)
    store.close()
    return path


@pytest.mark.parametrize("form", ["jsonl", "json", "csv"])
def test_export_holds_exactly_what_the_database_holds(db: Path, tmp_path: Path, form: str) -> None:
    """Every stay (with how it ended), like, save, follow, mute, not-interested and refresh, row by row, in UTF-8."""
    out = tmp_path / f"history.{form}"
    result = tuifeed("export", "--format", form, "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    content, records = read_export(out, form)
    want = stored(db)
    assert want["impression"] and want["mute"] and want["refresh"]
    assert exported(records, flat=form == "csv") == want
    # A name that is not UTF-8 is kept as the store keeps it: each such byte as ␛ and two hex digits, lossless.
    assert "/v/dr\u241bffive.mp4" in content and "[b]Neon arcade" in content


def test_export_to_standard_output_streams_jsonl_by_default(db: Path) -> None:
    """No --out: the records go to standard output, one JSON object a line, as UTF-8 even in the C locale."""
    result = tuifeed("export", db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 6 + 3 + 1 + 1 + 1 + 1 + 1
    assert json.loads(lines[0])["kind"] == "impression" and json.loads(lines[-1])["kind"] == "refresh"


def test_stats_prints_the_summary_at_80_columns(db: Path) -> None:
    """Today, this week, a bar per day, the rates and the top names, no line wider than 80 columns."""
    result = tuifeed("stats", "--days", "3", db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert any(line.startswith("Today") for line in lines)
    assert any("Completion" in line and "of 5 stays" in line for line in lines)
    assert any("@ana" in line and "#ocean" in line for line in lines)


def test_stats_json_is_the_figures(db: Path) -> None:
    """--json prints the same figures as one object."""
    result = tuifeed("stats", "--json", db=db)
    figures = json.loads(result.stdout)
    assert figures["rates"] == {"stays": 5, "completed": 2, "skipped": 1}
    assert [row["name"] for row in figures["creators"]] == ["ana", "bo", "cy"]


def counts(db: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(db) as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("impressions", "likes", "events", "clips")
        )


def test_forget_refuses_without_a_terminal_unless_yes(db: Path) -> None:
    """Standard input not a terminal: nothing is deleted without --yes; with it, the history goes, the clips stay."""
    refused = tuifeed("forget", db=db)
    assert refused.returncode == 2 and "--yes" in refused.stdout
    assert counts(db) == (6, 3, 5, 3)
    done = tuifeed("forget", "--yes", db=db)
    assert done.returncode == 0, done.stderr
    assert counts(db) == (0, 0, 0, 3)
    assert tuifeed("export", db=db).stdout == ""


def on_a_terminal(db: Path, answer: bytes) -> tuple[int, str]:
    """Run `tuifeed forget` on a pseudo-terminal, type `answer` at its question; its exit status and screen."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tuifeed", "forget", "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**ENV, "TUIFEED_CONFIG": str(db.with_suffix(".toml"))},
    )
    os.close(slave)
    screen = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        if not answered and b"Type yes" in screen:
            os.write(master, answer)
            answered = True
        if process.poll() is not None and not ready:
            break
    os.close(master)
    return process.wait(timeout=10), screen.decode("utf-8", "replace")


def test_forget_asks_on_a_terminal(db: Path) -> None:
    """On a terminal it asks first: anything but yes keeps everything; yes forgets."""
    status, screen = on_a_terminal(db, b"n\n")
    assert status == 1 and "Delete 6 stays, 3 likes" in screen and "Nothing was deleted" in screen
    assert counts(db) == (6, 3, 5, 3)
    status, screen = on_a_terminal(db, b"yes\n")
    assert status == 0 and "Forgot" in screen
    assert counts(db) == (0, 0, 0, 3)


def test_stats_on_an_empty_history_says_so(tmp_path: Path) -> None:
    """No stays yet: zeros and one sentence, exit 0."""
    db = tmp_path / "empty.db"
    Store(db).close()
    result = tuifeed("stats", db=db)
    assert result.returncode == 0, result.stderr
    assert "Nothing watched yet" in result.stdout and "Today      0 s · 0 stays" in result.stdout


def test_export_into_a_pipe_closed_early_stops_quietly(db: Path) -> None:
    """`tuifeed export | head -1` on a history larger than a pipe holds: no traceback when the reader goes away."""
    store = Store(db)
    for n in range(400):  # ~250 KB of records: the writer is still writing when the pipe closes
        stay(store, "waves", 1_000 + n, ImpressionExit.NEXT, f"2026-03-12T00:{n // 60:02d}:{n % 60:02d}.000+00:00")
    store.close()
    command = [sys.executable, "-m", "tuifeed", "export", "--db", str(db)]
    env = {**ENV, "TUIFEED_CONFIG": str(db.with_suffix(".toml"))}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read()
        assert process.wait(timeout=60) == 0
    assert json.loads(first)["kind"] == "impression"
    assert errors == b""


def test_export_to_a_folder_that_does_not_exist_is_one_line(db: Path, tmp_path: Path) -> None:
    """An --out that cannot be written: exit 1, one line naming it, no partial file."""
    out = tmp_path / "absent" / "history.csv"
    result = tuifeed("export", "--format", "csv", "--out", str(out), db=db)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error:") and "history.csv: cannot write it" in result.stderr
    assert not out.parent.exists()
