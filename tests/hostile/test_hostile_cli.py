"""The data and search commands given what a stranger or a slip of the finger gives: one line, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tuifeed.store import Store

ENV = {"COLUMNS": "80", "PATH": "/usr/bin:/bin", "LANG": "C"}


def tuifeed(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuifeed", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**ENV, "TUIFEED_CONFIG": str(db.with_suffix(".toml"))},
    )


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
