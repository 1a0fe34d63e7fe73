"""The command line as a person meets it: exit codes and one clear line for each mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


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


def test_main_gives_the_collector_back(tmp_path: Path) -> None:
    """The cycle collector held back while tuifeed starts is on again when `main` returns, nothing left frozen."""
    code = (
        "import gc\nfrom tuifeed.cli import main\n"
        f"main(['--db', {str(tmp_path / 't.db')!r}, 'library'])\n"
        f"main(['--db', {str(tmp_path / 't.db')!r}, 'play'])\n"
        "print(gc.isenabled(), gc.get_freeze_count())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.stdout.splitlines()[-1] == "True 0"


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


def test_config_errors_keep_their_brackets(tmp_path: Path) -> None:
    """Section names and paths in an error are text, never markup: `[player]` is printed as written."""
    folder = tmp_path / "conf [red]x[bold]"
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text("[player]\nfoo = 1\n")
    result = tuifeed("--config", str(config), "--db", str(tmp_path / "t.db"), "library")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"config error: {config}:2: unknown key 'foo' in [player]; allowed: audio_output, volume, muted, auto_advance"
    ]


@pytest.mark.parametrize("command", [["library"], ["import", "--json", "."], ["play", "nowhere"]])
def test_recommender_and_keys_errors_stop_every_command(tmp_path: Path, command: list[str]) -> None:
    """[recommender] and [keys] are checked whichever command runs, before it does anything."""
    config = tmp_path / "config.toml"
    database = tmp_path / "t.db"
    config.write_text("[recommender]\nexploration_share = 3.0\n")
    result = tuifeed("--config", str(config), "--db", str(database), *command, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"config error: {config}:2: exploration_share must be within 0..1, got 3.0"
    ]
    config.write_text('[keys]\nlike = "j"\n')
    result = tuifeed("--config", str(config), "--db", str(database), *command, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"config error: {config}:2: key 'j' is bound to both next_clip and like; give one of them another key"
    ]
    assert not database.exists()


def test_doctor_runs_every_check_when_the_config_is_bad(tmp_path: Path) -> None:
    """A bad config is one failing line of doctor; libvlc, the database and the samples are still checked."""
    config = tmp_path / "config.toml"
    config.write_text("[player]\nvolume = 800\n")
    result = tuifeed("--config", str(config), "--db", str(tmp_path / "t.db"), "doctor")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = f"fail  config error: {config}:2: volume = 800 is out of range; use from 0 to 100"
    assert any(line.startswith(expected) for line in lines)
    assert any(line.startswith("ok    libvlc 3.") for line in lines)
    assert any("is readable and writable" in line for line in lines)
    assert any("bundled sample clips in" in line for line in lines)


def _damaged_database(path: Path, *, wal: bool = False) -> bytes:
    """A real tuifeed database whose clips pages are overwritten: the header is sound, the b-tree is not.

    With `wal`, it stays in WAL mode at the current schema, so opening it needs no write and only the
    cheap check runs at open: the damage is found when a query reaches it.
    """
    import sqlite3

    from tuifeed.models import Clip
    from tuifeed.store import Store

    store = Store(path)
    store.upsert_clips(Clip(id=f"{n:032x}", location=f"/v/{n}.mp4", title="t" * 200) for n in range(400))
    store.close()
    if not wal:
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3 : page * 6] = bytes(range(256)) * (page * 3 // 256)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_damaged_database_is_reported_and_left_byte_for_byte(tmp_path: Path) -> None:
    """A malformed database is checked read-only: one line, exit 1, the file and its folder as they were."""
    database = tmp_path / "t.db"
    before = _damaged_database(database)
    listing = sorted(path.name for path in tmp_path.iterdir())
    for command in (["library"], ["import", str(tmp_path / "nothing")], []):
        result = tuifeed("--db", str(database), *command)
        assert result.returncode == 1
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {database}: ") and "left untouched" in line
        assert database.read_bytes() == before
        assert sorted(path.name for path in tmp_path.iterdir()) == listing


def test_damage_past_the_cheap_check_is_reported_when_a_query_reaches_it(tmp_path: Path) -> None:
    """A WAL database at the current schema opens on the cheap check; the failed query then reports the damage."""
    database = tmp_path / "t.db"
    before = _damaged_database(database, wal=True)
    for command in (["library"], ["stats"]):  # play without a terminal stops before it reads the library
        result = tuifeed("--db", str(database), *command)
        assert result.returncode == 1
        assert f"error: {database}: the database is damaged" in result.stderr
        assert "Traceback" not in result.stderr
        assert database.read_bytes() == before
        assert sorted(path.name for path in tmp_path.iterdir()) == ["t.db"]


def test_database_killed_mid_write_still_opens(tmp_path: Path) -> None:
    """A WAL database whose writer was SIGKILLed (journal and shm left behind) is sound, not damaged."""
    import signal

    database = tmp_path / "t.db"
    code = (
        "import os, signal, sys\n"
        "from tuifeed.store import Store\n"
        "from tuifeed.models import Clip\n"
        "store = Store(sys.argv[1])\n"
        "store.upsert_clips([Clip(id='a' * 32, location='/v/a.mp4')])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(database)], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / "t.db-wal").exists()
    result = tuifeed("--db", str(database), "library")
    assert result.returncode == 0, result.stderr
    assert "1 clips, 0 missing." in result.stdout


def test_markup_in_a_path_is_printed_as_written(tmp_path: Path) -> None:
    """A folder named like Rich markup is shown as its name, in errors and in `library`."""
    weird = tmp_path / "[link=file:///etc/passwd]x[/]" / "[bold]"
    result = tuifeed("--db", str(tmp_path / "t.db"), str(weird))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: {weird}: no such folder"]


def test_samples_leave_the_library_once_own_clips_arrive(tmp_path: Path, media_clips: list[Path]) -> None:
    """Bundled samples are listed as samples; importing one's own clips makes them leave (history kept)."""

    from tuifeed import locations

    database = str(tmp_path / "t.db")
    samples = locations.bundled_media()
    assert tuifeed("--db", database, "import", str(samples)).returncode == 0
    listed = tuifeed("--db", database, "library").stdout
    assert f"{samples}  17 files, 0 missing" in listed and "(bundled samples" in listed
    own = tmp_path / "own"
    own.mkdir()
    (own / "mine.mp4").write_bytes(media_clips[0].read_bytes() + b"\0")  # its own content, not a sample's
    assert tuifeed("--db", database, "import", str(own)).returncode == 0
    listed = tuifeed("--db", database, "library").stdout
    assert str(samples) not in listed and f"{own}  1 files, 0 missing" in listed
    assert "18 clips, 17 missing." in listed


def test_samples_play_only_without_own_clips(tmp_path: Path, media_clips: list[Path]) -> None:
    """The top of play: samples for an empty library, a note when the library holds only links, none after."""
    import io

    from rich.console import Console

    from tuifeed import locations
    from tuifeed.cli import _samples_unless_own_clips
    from tuifeed.cli_import import run_import
    from tuifeed.store import Store

    store = Store(tmp_path / "t.db")
    quiet = Console(file=io.StringIO())
    try:
        buffer = io.StringIO()
        assert _samples_unless_own_clips(store, Console(file=buffer).print) == locations.bundled_media()
        assert buffer.getvalue() == ""
        links = tmp_path / "links"
        links.mkdir()
        (links / "far.mp4").symlink_to(media_clips[0])
        run_import(store, [links], as_json=True, console=quiet)
        assert _samples_unless_own_clips(store, Console(file=buffer, width=200).print) == locations.bundled_media()
        assert "no playable clips yet" in buffer.getvalue()
        run_import(store, [locations.bundled_media()], as_json=True, console=quiet)
        assert _samples_unless_own_clips(store, quiet.print) is None  # the samples are in: play them
        assert store.clip_count() == 17
        own = tmp_path / "own"
        own.mkdir()
        (own / "mine.mp4").write_bytes(media_clips[1].read_bytes() + b"\0")  # its own content, not a sample's
        run_import(store, [own], as_json=True, console=quiet)
        assert _samples_unless_own_clips(store, quiet.print) is None
        assert [clip.location for clip in store.clips()] == [str(own / "mine.mp4")]
    finally:
        store.close()


def test_another_install_s_samples_give_way_to_this_one_s(tmp_path: Path) -> None:
    """Samples imported by another install (a venv since removed, say) are samples: listed so, then replaced."""
    import io
    import shutil

    from rich.console import Console

    from tuifeed import locations
    from tuifeed.cli import _samples_unless_own_clips
    from tuifeed.cli_import import run_import
    from tuifeed.cli_library import run_library
    from tuifeed.store import Store
    from tuifeed.store.files import FileIndex

    old = tmp_path / "old-venv" / "share" / "tuifeed" / "media"
    shutil.copytree(locations.bundled_media(), old, ignore=shutil.ignore_patterns("make_media.py", "__pycache__"))
    store = Store(tmp_path / "t.db")
    quiet = Console(file=io.StringIO())
    try:
        run_import(store, [old], as_json=True, console=quiet)
        listed = io.StringIO()
        run_library(store, None, Console(file=listed, width=200))
        assert f"{old}  17 files, 0 missing" in listed.getvalue() and "(bundled samples" in listed.getvalue()
        shutil.rmtree(tmp_path / "old-venv")
        assert _samples_unless_own_clips(store, quiet.print) == locations.bundled_media()
        run_import(store, [locations.bundled_media()], as_json=True, console=quiet)
        assert [root.path for root in FileIndex(store).roots()] == [str(locations.bundled_media())]
        assert store.clip_count() == 17
        assert {Path(clip.location).parent for clip in store.clips()} == {locations.bundled_media()}
    finally:
        store.close()


def test_remote_urls_may_follow_options() -> None:
    """`remote add --db x URL` and `remote refresh URL --kind feed URL` keep every URL; a stray option still fails."""
    from tuifeed.cli import _parse, _with_command, build_parser

    parsed = _parse(build_parser(), _with_command(["remote", "add", "--db", "x.db", "http://h/feed.xml"]))
    assert (parsed.action, parsed.targets, str(parsed.db)) == ("add", ["http://h/feed.xml"], "x.db")
    parsed = _parse(build_parser(), ["remote", "refresh", "http://h/a", "--kind", "feed", "http://h/b"])
    assert parsed.targets == ["http://h/a", "http://h/b"]
    with pytest.raises(SystemExit):
        _parse(build_parser(), ["remote", "add", "http://h/a", "--bogus"])
    with pytest.raises(SystemExit):
        _parse(build_parser(), ["library", "--db", "x.db", "remove", "a", "b"])
