"""Running the real `tuifeed` command on one database in a plain C-locale environment, for CLI tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ENV = {"COLUMNS": "80", "PATH": "/usr/bin:/bin", "LANG": "C"}
"""No terminal width guessing, no user locale: output must be valid UTF-8 whatever the locale says."""


def tuifeed(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """`python -m tuifeed ARGS --db DB` with its own (absent) config file, output decoded strictly as UTF-8."""
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
