"""tuifeed installed as people install it: a wheel in a fresh venv plays the bundled clips it ships.

Offline: the wheel is built with --no-build-isolation from this venv's setuptools, installed with
--no-index --no-deps, and the fresh venv finds the dependencies through a .pth line pointing at
this venv's site-packages (its `tuifeed` editable hook is not processed there, so only the wheel's
copy can be imported).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import REPO, Home, Pane, clean_environment

pytestmark = pytest.mark.e2e

SKIPPED = {".venv", ".git", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def _run(*argv: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(arg) for arg in argv], capture_output=True, text=True, timeout=300, cwd=cwd, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, f"{' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with tuifeed installed from a wheel built from this checkout; returns the venv."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=lambda _folder, names: [name for name in names if name in SKIPPED])
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work / "dist", source)
    [wheel] = (work / "dist").glob("tuifeed-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    site_packages = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (site_packages / "deps-from-test-venv.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", wheel)
    return venv


def test_wheel_installs_tuifeed_with_its_samples(installed: Path, tmp_path: Path) -> None:
    """The wheel's `tuifeed` is its own copy, and doctor finds the sample clips the wheel put in the venv."""
    imported_from = _run(installed / "bin" / "python", "-c", "import tuifeed; print(tuifeed.__file__)", cwd=tmp_path)
    assert imported_from.startswith(str(installed))
    doctor = subprocess.run(
        [installed / "bin" / "tuifeed", "--db", str(tmp_path / "t.db"), "doctor"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean_environment(), "TUIFEED_DATA_DIR": str(tmp_path), "TUIFEED_LOG": str(tmp_path / "log")},
        timeout=60,
    )
    media = installed / "share" / "tuifeed" / "media"
    assert f"ok    17 bundled sample clips in {media}" in doctor.stdout.splitlines()
    assert "ok    libvlc 3." in doctor.stdout


def test_wheel_plays_the_bundled_samples(installed: Path, home: Home, tmux: Callable[..., Pane]) -> None:
    """`tuifeed` from the wheel, with an empty library, plays its bundled clips and quits cleanly."""
    pane = tmux(100, 32, env=home.env)
    pane.run([str(installed / "bin" / "tuifeed"), "--db", str(home.db), "--seed", "5"])
    pane.wait_for_picture(300)
    pane.send("q")
    assert pane.wait_exit() == 0
    library = subprocess.run(
        [installed / "bin" / "tuifeed", "--db", str(home.db), "library"],
        capture_output=True,
        text=True,
        env={**clean_environment(), **home.env},
        timeout=60,
    )
    media = installed / "share" / "tuifeed" / "media"
    assert f"{media}  17 files, 0 missing" in library.stdout
    assert "(bundled samples" in library.stdout
