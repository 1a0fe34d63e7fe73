"""The command line as a person meets it: exit codes and one clear line for each mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def tuifeed(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuifeed", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_broken_config_exits_2_with_file_and_line(tmp_path: Path) -> None:
    """A bad value stops tuifeed with exit code 2 and one line naming file, line and key."""
    config = tmp_path / "config.toml"
    config.write_text('[player]\nvolume = 50\n[display]\ncolor = "sepia"\n')
    result = tuifeed("--config", str(config), "--db", str(tmp_path / "t.db"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"config error: {config}:4: color = 'sepia' is not allowed; choose one of 'auto', 'truecolor', '256'"
    ]


def test_unknown_key_binding_is_reported_at_its_line(tmp_path: Path) -> None:
    """[keys] naming no binding id is a config error too."""
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nlike = "f"\nswipe = "s"\n')
    result = tuifeed("--config", str(config), "--db", str(tmp_path / "t.db"), str(tmp_path))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"config error: {config}:3: unknown binding id 'swipe'; allowed: next_clip, previous_clip")


def test_missing_folder_is_one_line(tmp_path: Path) -> None:
    """Playing a folder that does not exist says so and exits 1."""
    result = tuifeed("--db", str(tmp_path / "t.db"), str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'nowhere'}: no such folder"]


def test_corrupt_database_is_one_line(tmp_path: Path) -> None:
    """A damaged database file is reported, not a traceback."""
    database = tmp_path / "t.db"
    database.write_bytes(b"garbage" * 1000)
    result = tuifeed("--db", str(database), "library")
    assert result.returncode == 1
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_checks_each_part(tmp_path: Path) -> None:
    """doctor prints a verdict per check: libvlc, terminal, config, database, log, media."""
    result = tuifeed("--db", str(tmp_path / "t.db"), "doctor")
    out = result.stdout
    assert "libvlc 3." in out and "plugin cache" in out
    assert "no terminal" in out  # the test has no tty: reported, not crashed
    assert "is readable and writable" in out
    assert "bundled sample clips" in out
    assert result.returncode == 1


def test_version() -> None:
    """--version prints the version."""
    result = tuifeed("--version")
    assert result.returncode == 0 and result.stdout.startswith("tuifeed ")


def test_import_follows_links_only_when_asked(tmp_path: Path, media_clips: list[Path]) -> None:
    """A link out of the named folder is not followed unless --follow-links is given."""
    import json
    import shutil

    outside, root = tmp_path / "outside", tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    shutil.copy(media_clips[0], outside / "far.mp4")
    (root / "link").symlink_to(outside, target_is_directory=True)
    database = str(tmp_path / "t.db")
    plain = tuifeed("--db", database, "import", "--json", str(root))
    assert json.loads(plain.stdout)["added"] == 0
    followed = tuifeed("--db", database, "import", "--json", "--follow-links", str(root))
    assert json.loads(followed.stdout)["added"] == 1


def test_missing_libvlc_is_one_line_with_the_fix(tmp_path: Path, media_clips: list[Path]) -> None:
    """When libvlc cannot be loaded, playing says so in one line naming the packages, and exits 1."""
    import os

    env = {**os.environ, "PYTHON_VLC_LIB_PATH": str(tmp_path / "no-libvlc.so")}
    result = subprocess.run(
        [sys.executable, "-m", "tuifeed", "--db", str(tmp_path / "t.db"), str(media_clips[0].parent)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: libvlc is not available (cannot load $PYTHON_VLC_LIB_PATH)")
    assert "sudo apt-get install libvlc5 vlc-plugin-base libvlc-bin" in line
