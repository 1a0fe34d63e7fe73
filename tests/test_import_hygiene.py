"""House rules: each outside library in one room, the rooms layered (import-linter), and lazy loads kept lazy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tuifeed.models import Clip

PACKAGE = Path(__file__).resolve().parent.parent / "tuifeed"
ROOMS = {
    "textual": ("tuifeed/ui/",),
    "vlc": ("tuifeed/player/",),
    "sqlite_utils": ("tuifeed/store/",),
    "httpx": ("tuifeed/library/remote",),
    "feedparser": ("tuifeed/library/remote",),
}


@pytest.mark.parametrize("library", sorted(ROOMS))
def test_library_imported_only_in_its_room(library: str) -> None:
    """No module outside the room names the library in an import statement."""
    pattern = re.compile(rf"^\s*(import {library}\b|from {library}(\.| import))", re.MULTILINE)
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text()) and not str(path.relative_to(PACKAGE.parent)).startswith(ROOMS[library])
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("tuifeed.recommend", ("textual", "vlc", "sqlite_utils", "httpx", "tuifeed.store", "tuifeed.ui")),
        ("tuifeed.render", ("textual", "rich", "vlc", "sqlite_utils")),
        ("tuifeed.terminal", ("textual", "rich", "vlc", "sqlite_utils", "httpx", "numpy", "tuifeed.render")),
        ("tuifeed.feed", ("textual", "vlc", "httpx")),
        ("tuifeed.store", ("textual", "vlc", "httpx")),
        ("tuifeed.config", ("textual", "vlc", "sqlite_utils", "httpx", "numpy")),
    ],
)
def test_core_modules_load_without_outside_rooms(module: str, forbidden: tuple[str, ...]) -> None:
    """Importing a core room in a fresh interpreter pulls in none of the forbidden modules."""
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not {name for name in loaded for bad in forbidden if name == bad or name.startswith(bad + ".")}


LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_import_contracts_are_kept() -> None:
    """import-linter's contracts in pyproject.toml hold: the layers, the lone recommender, each library's room."""
    result = subprocess.run(
        [LINT_IMPORTS, "--no-cache"], capture_output=True, text=True, cwd=PACKAGE.parent, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("recommend/_leak.py", "from tuifeed.store import Store", "The recommender stands alone"),
        ("store/_leak.py", "from tuifeed.feed import FeedSession", "Rooms are layered: cli on top"),
        ("ui/widgets/_leak.py", "from tuifeed.store.files import FileIndex", "UI widgets never touch the store"),
        ("library/_leak.py", "import textual", "textual lives in tuifeed.ui"),
    ],
)
def test_import_contracts_catch_a_leak(tmp_path: Path, module: str, line: str, contract: str) -> None:
    """The contracts bite: a copy of the package with one forbidden import fails the lint, naming the contract."""
    shutil.copytree(PACKAGE, tmp_path / "tuifeed", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACKAGE.parent / "pyproject.toml", tmp_path)
    (tmp_path / "tuifeed" / module).write_text(f'"""A leak."""\n\n{line}\n')
    result = subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert (len(broken) == 1 and broken[0].startswith(contract[:30])) or contract in result.stdout


@pytest.mark.parametrize(
    ("config", "loaded", "not_loaded"),
    [
        ("", (), ("textual", "av", "vlc", "tuifeed.recommend")),
        ('[keys]\nlike = "z"\n', ("textual",), ("av", "vlc")),
        ("[recommender]\nmax_per_tag = 4\n", ("tuifeed.recommend",), ("textual", "av", "vlc")),
    ],
)
def test_non_play_commands_load_only_what_the_config_needs(
    tmp_path: Path, config: str, loaded: tuple[str, ...], not_loaded: tuple[str, ...]
) -> None:
    """`tuifeed library` checks [keys] and [recommender] by loading the UI or the recommender only when set."""
    (tmp_path / "config.toml").write_text(config)
    code = (
        "import sys\nfrom tuifeed.cli import main\n"
        f"code = main(['--config', {str(tmp_path / 'config.toml')!r}, '--db', {str(tmp_path / 't.db')!r}, 'library'])\n"
        "print(code, ' '.join(sorted(sys.modules)))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    status, *modules = output.stdout.splitlines()[-1].split()
    assert status == "0"
    assert all(name in modules for name in loaded)
    assert not [name for name in modules for bad in not_loaded if name == bad or name.startswith(bad + ".")]


def test_an_up_to_date_store_opens_without_sqlite_utils(tmp_path: Path) -> None:
    """Opening a migrated database and reading it loads no sqlite-utils (0.03 s of a launch); a pending migration
    does."""
    code = (
        "import sys\nfrom tuifeed.cli import main\n"
        f"code = main(['--db', {str(tmp_path / 't.db')!r}, 'library'])\n"
        "print(code, 'sqlite_utils' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
        for _ in range(2)
    ]
    assert [run.stdout.splitlines()[-1] for run in runs] == ["0 True", "0 False"]


def _import_clips(tmp_path: Path, clips: list[Path]) -> str:
    """A database holding ``clips``, imported from a folder of copies; returns its path."""
    db = str(tmp_path / "t.db")
    folder = tmp_path / "clips"
    folder.mkdir()
    for clip in clips:
        shutil.copy(clip, folder)
    imported = [
        sys.executable,
        "-c",
        f"from tuifeed.cli import main; main(['import', '--db', {db!r}, {str(folder)!r}])",
    ]
    subprocess.run(imported, capture_output=True, check=True, timeout=60)
    return db


def _run_on_a_terminal(tmp_path: Path, code: str) -> bytes:
    """Run Python ``code`` with a pty for its terminal; asserts it exits 0 and returns what it printed there."""
    master, slave = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            env={**os.environ, "TUIFEED_CONFIG": str(tmp_path / "none.toml"), "TUIFEED_LOG": str(tmp_path / "log")},
            timeout=60,
            check=False,
        )
        os.close(slave)
        printed = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed: all is read
                break
            if not chunk:
                break
            printed += chunk
    finally:
        os.close(master)
    assert done.returncode == 0, done.stderr
    return printed


def test_play_loads_neither_rich_nor_the_other_commands_before_its_first_look(
    tmp_path: Path, media_clips: list[Path]
) -> None:
    """On a terminal, with clips imported: up to the first look, `tuifeed play` has loaded no rich (Textual loads
    it later, while libvlc decodes) and none of the other commands' modules; their arguments are parsed all the
    same."""
    db = _import_clips(tmp_path, media_clips[:1])
    code = (
        "import sys\n"
        "from tuifeed import first_look\n"
        "def start(*args, **kwargs):\n"
        "    loaded = [m for m in sys.modules if m.split('.')[0] == 'rich' or m.startswith('tuifeed.cli_')]\n"
        "    print('LOADED', *sorted(loaded), flush=True)\n"
        "    raise SystemExit(0)\n"
        "first_look.FirstLook.start = start\n"
        "from tuifeed.cli import main\n"
        f"main(['play', '--db', {db!r}, '--render', 'halfblock'])\n"
    )
    printed = _run_on_a_terminal(tmp_path, code)
    loaded = re.search(rb"LOADED([^\r\n]*)", printed)
    assert loaded is not None, printed
    assert loaded[1].split() == []


SPY_ON_PREROLLS = (
    "import gc, sys\n"
    "from tuifeed.player import vlc_engine\n"
    "asked = []\n"
    "preroll = vlc_engine.VlcPlayer.preroll\n"
    "def spy(self, location, aspect=None, on_still=None):\n"
    "    loaded = [name for name in ('numpy', 'tuifeed.display', 'tuifeed.feed') if name in sys.modules]\n"
    "    built = any(type(thing).__name__ == 'Recommender' for thing in gc.get_objects())\n"
    "    heard = 'look' if on_still is not None else 'none'\n"
    '    asked.append(f\'{location}|{heard}|{",".join(loaded) or "-"}|{built}\')\n'
    "    preroll(self, location, aspect, on_still)\n"
    "    if len(asked) == {calls}:\n"
    "        print('ASKED', *asked, flush=True)\n"
    "        raise SystemExit(0)\n"
    "vlc_engine.VlcPlayer.preroll = spy\n"
    "from tuifeed.cli import main\n"
    "main(['play', '--db', {db!r}, '--render', 'halfblock', *{more!r}])\n"
)
"""Plays `db` (with `more` arguments) and prints, at the `calls`-th pre-roll, each one's clip, whether the first
look hears it, what had loaded and whether a recommender existed."""


def _prerolls(tmp_path: Path, db: str, calls: int, *more: str) -> list[str]:
    code = SPY_ON_PREROLLS.replace("{calls}", str(calls)).replace("{db!r}", repr(db)).replace("{more!r}", repr(more))
    printed = _run_on_a_terminal(tmp_path, code)
    asked = re.search(rb"ASKED([^\r\n]*)", printed)
    assert asked is not None, printed
    return asked[1].decode().split()


def _library_with_an_opening(tmp_path: Path, clips: list[Path], *, then: str = "") -> tuple[str, Clip]:
    """A database of ``clips`` whose second clip the last run lined up; with ``then`` "not interested", the
    person marked it so since, with "deleted" its file is gone."""
    from tuifeed.models import EventKind
    from tuifeed.store import Store

    db = _import_clips(tmp_path, clips)
    store = Store(db)
    try:
        opening = store.clips()[1]
        store.set_opening(opening.id)
        if then == "not interested":
            store.record_event(EventKind.NOT_INTERESTED, opening.id, True, "2026-12-01T00:00:00.000+00:00")
    finally:
        store.close()
    if then == "deleted":
        Path(opening.location).unlink()
    return db, opening


def test_play_decodes_the_clip_it_opens_on_before_it_loads_the_recommender(
    tmp_path: Path, media_clips: list[Path]
) -> None:
    """With an opening stored by the last run, libvlc starts on that clip before numpy, the display and the
    feed load; the first look hears its first frame once the person's mutes and the filters allow it, before
    any recommender exists; For You then asks for the same clip."""
    db, opening = _library_with_an_opening(tmp_path, media_clips[:3])
    prerolls = _prerolls(tmp_path, db, 3)
    assert prerolls == [
        f"{opening.location}|none|-|False",
        f"{opening.location}|look|numpy,tuifeed.display,tuifeed.feed|False",
        f"{opening.location}|look|numpy,tuifeed.display,tuifeed.feed|True",
    ]


def test_an_opening_marked_not_interested_since_is_decoded_but_never_shown(
    tmp_path: Path, media_clips: list[Path]
) -> None:
    """Marked "not interested" after the last run lined it up (from another tuifeed on the same database, say),
    the opening is pre-rolled on the off chance, but the first look hears only the clip For You picks instead."""
    db, opening = _library_with_an_opening(tmp_path, media_clips[:3], then="not interested")
    first, picked = _prerolls(tmp_path, db, 2)
    assert first == f"{opening.location}|none|-|False"
    location, heard, _, built = picked.split("|")
    assert (heard, built) == ("look", "True")
    assert location != opening.location


def test_an_opening_whose_file_is_gone_is_not_decoded_and_the_feed_opens_as_it_would(
    tmp_path: Path, media_clips: list[Path]
) -> None:
    """Deleted outside tuifeed after the last run lined it up: no pre-roll of a missing file before For You
    picks, and For You picks as it would with no opening stored (the same seed, the same first clip; that may
    be the deleted one, which then fails with its one line like any clip that vanished)."""
    from tuifeed.store import Store

    db, _ = _library_with_an_opening(tmp_path, media_clips[:3], then="deleted")
    with_the_opening = _prerolls(tmp_path, db, 1, "--seed", "5")
    store = Store(db)
    try:
        store.set_opening(None)
    finally:
        store.close()
    assert with_the_opening == _prerolls(tmp_path, db, 1, "--seed", "5")
    [picked] = with_the_opening
    assert picked.split("|")[1:] == ["look", "numpy,tuifeed.display,tuifeed.feed", "True"]


def test_a_sample_opening_that_gives_way_to_the_persons_own_clips_is_never_shown(
    tmp_path: Path, media_clips: list[Path]
) -> None:
    """The last run played the bundled samples and lined one up; clips of the person's own arrived since (a
    remote source, say), so the samples leave the library as play reads it: the sample was pre-rolled on the
    off chance, but the first look hears only For You's pick among the person's own clips."""
    from tuifeed import locations
    from tuifeed.library import import_paths
    from tuifeed.models import Clip
    from tuifeed.store import Store

    db = str(tmp_path / "t.db")
    own = tmp_path / "own.mp4"
    shutil.copy(media_clips[0], own)
    store = Store(db)
    try:
        import_paths(store, [locations.bundled_media()])
        sample = store.clips()[0]
        store.set_opening(sample.id)
        store.upsert_clips([Clip(id="own", location=str(own), width=sample.width, height=sample.height)])
    finally:
        store.close()
    first, picked = _prerolls(tmp_path, db, 2)
    assert first == f"{sample.location}|none|-|False"
    assert picked.split("|")[:2] == [str(own), "look"]
