"""`run_import` and `run_library` on a captured console: summary, failures table, JSON, exit codes."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from library_support import BAD, GOOD, make_clip
from rich.console import Console

from tuifeed.cli_import import run_import
from tuifeed.cli_library import run_library
from tuifeed.library import ImportProgress, ImportSummary, ProgressCallback, import_paths
from tuifeed.store import Store


def _console(terminal: bool = False) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=200, force_terminal=terminal, color_system=None), buffer


def test_json_summary_has_the_documented_keys(store: Store, corpus: Path) -> None:
    """--json prints exactly one JSON object with the counts and a failures list of {path, reason}."""
    console, buffer = _console()
    assert run_import(store, [corpus], as_json=True, console=console) == 0
    summary = json.loads(buffer.getvalue())
    assert {key: summary[key] for key in ("added", "updated", "unchanged", "moved", "duplicates", "missing")} == {
        "added": len(GOOD),
        "updated": 0,
        "unchanged": 0,
        "moved": 0,
        "duplicates": 0,
        "missing": 0,
    }
    assert summary["failed"] == len(BAD)
    assert {os.path.relpath(item["path"], corpus): item["reason"] for item in summary["failures"]} == BAD


def test_plain_output_has_summary_and_failures_table(store: Store, corpus: Path) -> None:
    """Without a terminal: no progress bar, a summary table and every failure with its reason."""
    console, buffer = _console()
    assert run_import(store, [corpus], as_json=False, console=console) == 0
    text = buffer.getvalue()
    assert "Import summary" in text and "Failures" in text
    assert "zero bytes" in text and "no video track" in text and "symlink loop" in text
    assert "\r" not in text


def test_terminal_output_draws_a_progress_bar(store: Store, corpus: Path) -> None:
    """On a terminal the run shows a bar with files/s before the summary."""
    console, buffer = _console(terminal=True)
    assert run_import(store, [corpus], as_json=False, console=console) == 0
    text = buffer.getvalue()
    assert "Importing" in text and f"{len(GOOD) + len(BAD) - 2}/{len(GOOD) + len(BAD) - 2}" in text
    assert "Import summary" in text


def test_log_lines_every_thousand_files(store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not on a terminal, one plain line per LOG_EVERY files (here lowered to 4)."""
    monkeypatch.setattr("tuifeed.cli_import.LOG_EVERY", 4)
    console, buffer = _console()
    run_import(store, [corpus], as_json=False, console=console)
    lines = [line for line in buffer.getvalue().splitlines() if line.startswith("import: ")]
    assert [line.split()[1] for line in lines] == ["4/20", "8/20", "12/20", "16/20", "20/20"]


def test_cannot_run_exits_1(store: Store, tmp_path: Path) -> None:
    """Nothing to import at all is exit status 1 with one error line (JSON with --json)."""
    console, buffer = _console()
    assert run_import(store, [tmp_path / "nowhere"], as_json=True, console=console) == 1
    assert "nothing to import" in json.loads(buffer.getvalue())["error"]


def test_library_lists_roots_and_removes_one(store: Store, corpus: Path) -> None:
    """`library` lists roots with counts; `library remove` forgets one; an unknown root is exit 1."""
    run_import(store, [corpus], as_json=True, console=_console()[0])
    console, buffer = _console()
    assert run_library(store, None, console) == 0
    assert str(corpus) in buffer.getvalue() and f"{len(GOOD)} clips, 0 missing." in buffer.getvalue()
    console, buffer = _console()
    assert run_library(store, corpus, console) == 0
    assert f"{len(GOOD)} file locations" in buffer.getvalue()
    assert run_library(store, corpus, _console()[0]) == 1
    console, buffer = _console()
    run_library(store, None, console)
    assert f"{len(GOOD)} clips, {len(GOOD)} missing." in buffer.getvalue()


def _tuifeed(*args: str, home: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run the installed `tuifeed` console script with a private home (no user config)."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home)}
    script = Path(sys.executable).with_name("tuifeed")
    command = [*prefix, str(script), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_console_script_import_json_and_library(corpus: Path, tmp_path: Path) -> None:
    """`tuifeed import --json --db` prints one JSON object; `tuifeed library` lists the root; bad paths exit 1."""
    db = str(tmp_path / "cli.db")
    result = _tuifeed("import", str(corpus), "--json", "--db", db, home=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["failed"]) == (len(GOOD), len(BAD))
    listing = _tuifeed("library", "--db", db, home=tmp_path)
    assert listing.returncode == 0 and str(corpus) in listing.stdout
    again = _tuifeed("import", str(corpus), "--json", "--db", db, home=tmp_path)
    assert json.loads(again.stdout)["unchanged"] == len(GOOD)
    assert _tuifeed("import", str(tmp_path / "nowhere"), "--db", db, home=tmp_path).returncode == 1


def test_unreadable_file_and_folder_are_reported(tmp_path: Path) -> None:
    """A file or folder without read permission fails with 'permission denied' (root drops its override)."""
    library = tmp_path / "library"
    make_clip(library / "fine.mp4")
    make_clip(library / "locked.mp4", hue=1).chmod(0)
    make_clip(library / "closed" / "inside.mp4", hue=2)
    (library / "closed").chmod(0)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv reads every file")
        prefix = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--")
    try:
        result = _tuifeed("import", str(library), "--json", "--db", str(tmp_path / "db"), home=tmp_path, prefix=prefix)
    finally:
        (library / "closed").chmod(0o755)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["added"] == 1
    assert sorted((item["path"], item["reason"]) for item in summary["failures"]) == [
        (str(library / "closed"), "unreadable: permission denied"),
        (str(library / "locked.mp4"), "unreadable: permission denied"),
    ]


def test_ctrl_c_stops_the_run_cleanly(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SIGINT during the import sets the stop flag: the run ends early, exit 0, and the next run resumes."""
    library = tmp_path / "many"
    for index in range(40):
        make_clip(library / f"clip{index:02}.mp4", seconds=0.2, audio=None, metadata={"title": str(index)})
    monkeypatch.setattr("tuifeed.library.importer.BATCH", 8)
    console = Console(file=io.StringIO(), width=200)

    def interrupted_import(
        store: Store,
        paths: list[Path],
        *,
        progress: ProgressCallback,
        should_stop: Callable[[], bool],
        follow_links: bool,
    ) -> ImportSummary:
        def report(update: ImportProgress) -> None:
            progress(update)
            if update.total and update.done == 1:
                signal.raise_signal(signal.SIGINT)

        return import_paths(store, paths, progress=report, should_stop=should_stop, follow_links=follow_links)

    monkeypatch.setattr("tuifeed.cli_import.import_paths", interrupted_import)
    assert run_import(store, [library], as_json=False, console=console) == 0
    assert "Stopped" in console.file.getvalue()  # type: ignore[attr-defined]
    assert store.clip_count() == 8
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    monkeypatch.undo()
    summary = json.loads(_json_import(store, library))
    assert (summary["added"], summary["unchanged"]) == (32, 8)


def _json_import(store: Store, path: Path) -> str:
    console, buffer = _console()
    run_import(store, [path], as_json=True, console=console)
    return buffer.getvalue()
