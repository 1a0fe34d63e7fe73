"""A killed `tuifeed import` leaves no worker process behind, however it was killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_support import make_clip


def _children(pid: int) -> set[int]:
    """Live (not zombie) child processes of `pid`, from /proc."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return {child for child in found if _alive(child)}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_killed_import_leaves_no_workers(tmp_path: Path, signum: signal.Signals) -> None:
    """Kill the importing process while its worker pool probes: every worker exits within seconds."""
    folder = tmp_path / "many"
    folder.mkdir()
    clip = make_clip(tmp_path / "seed.mp4", size=(320, 568), seconds=2.0)
    for number in range(400):
        shutil.copy(clip, folder / f"{number:03}.mp4")
    env = {**os.environ, "TUIFEED_DATA_DIR": str(tmp_path / "data"), "TUIFEED_LOG": str(tmp_path / "log")}
    importer = subprocess.Popen(
        [sys.executable, "-m", "tuifeed", "--db", str(tmp_path / "t.db"), "import", "--json", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and importer.poll() is None:
            workers = {pid for pid in _children(importer.pid) if b"spawn_main" in _cmdline(pid)}
            time.sleep(0.02)
        assert len(workers) >= 2, "the import never started its worker pool"
        time.sleep(0.3)  # let them be busy probing
        importer.send_signal(signum)
        importer.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
