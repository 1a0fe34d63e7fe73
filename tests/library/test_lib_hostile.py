"""A hostile library: names and sidecars that try to reach the terminal, break the import or block it.

Each test builds the folder in tmp, imports it with the real `tuifeed` command and checks that the
import finished, every bad thing is reported with its reason, the good files beside them are in,
nothing raw is stored and nothing that a terminal acts on is printed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from library_support import make_clip

from tuifeed.store import Store

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
NASTY_TEXT = f"{OSC52}\x1b[2J\x1b[31m\x9b1m\u202e[/][link=file:///etc/passwd]x[/link]\x00\ud800"
"""Everything at once: a clipboard write, a screen clear, colour, 8-bit CSI, RTL override, markup, NUL, surrogate."""

BAD_BYTES = os.fsdecode(b"not utf-8 \xff\xfe\xc3(")
"""A file name that is not valid UTF-8, as Python reads it (surrogate escapes)."""

GOOD_NAMES = (
    f"{OSC52}clipboard.mp4",
    "\x1b[2Jclear\x1b[0m.mp4",
    "\u202egnp.exe.mp4",
    f"{BAD_BYTES}.mp4",
    "[bold]clip[red] x[.mp4",
    "sidecars/nasty.mp4",
    "sidecars/numbers.mp4",
    "sidecars/deep.mp4",
    "sidecars/huge.mp4",
    "sidecars/broken.mp4",
    "sidecars/list.mp4",
    "sidecars/laughs.mp4",
    "sidecars/fifo side.mp4",
    f"\x1b]0;title\x07 folder {BAD_BYTES}/inside.mp4",
)
"""Video files that must import, whatever their names and sidecars say."""

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]><movie><title>&lol9;</title></movie>"
)
"""The billion laughs: nine levels of entities, each ten times the one below."""


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value), encoding="utf-8")


def build_hostile(root: Path, outside: Path) -> dict[str, str]:
    """Fill `root` with hostile files; returns the expected failures, relative path -> reason."""
    for number, name in enumerate(GOOD_NAMES):
        make_clip(
            root / name, size=(48 + 16 * (number % 4), 80 + 16 * (number // 4)), hue=number, seconds=0.4, audio=None
        )
    sidecars = root / "sidecars"
    _write_json(
        sidecars / "nasty.info.json",
        {
            "title": NASTY_TEXT,
            "uploader": "[/]",
            "description": f"line one\n{NASTY_TEXT}\r\nline three #ok",
            "tags": [NASTY_TEXT, "[/]", {"nested": 1}, 5],
            "track": "[link=file:///etc/passwd]song[/link]",
            "webpage_url": "file:///etc/passwd",
            "id": "\x1b[2J",
            "extractor_key": "[/]",
        },
    )
    (sidecars / "numbers.info.json").write_text(
        '{"duration": Infinity, "like_count": NaN, "view_count": 1e308, "repost_count": -5,'
        f' "timestamp": 1e300, "title": {{"a": [1, 2]}}, "uploader": {2**70}}}',
        encoding="utf-8",
    )
    (sidecars / "deep.info.json").write_text('{"tags": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with open(sidecars / "huge.info.json", "wb") as file:
        file.truncate(5 * 1024 * 1024)
    (sidecars / "broken.info.json").write_bytes(b'{"title": "\xff\xfe unterminated')
    _write_json(sidecars / "list.info.json", [1, 2, 3])
    (sidecars / "laughs.nfo").write_text(LAUGHS, encoding="utf-8")
    os.mkfifo(sidecars / "fifo side.info.json")
    os.mkfifo(root / "pipe.mp4")
    failures = {"pipe.mp4": "not a file or folder (a FIFO): not opened"}
    failures["sidecars/fifo side.info.json"] = "not a file or folder (a FIFO): not opened"
    try:
        os.mknod(root / "device.mp4", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        failures["device.mp4"] = "not a file or folder (a device): not opened"
    except PermissionError:
        pass
    (root / "dangling.mp4").symlink_to(root / "gone.mp4")
    failures["dangling.mp4"] = "broken symlink"
    (root / "loop-a.mp4").symlink_to("loop-b.mp4")
    (root / "loop-b.mp4").symlink_to("loop-a.mp4")
    failures["loop-a.mp4"] = failures["loop-b.mp4"] = "symlink loop"
    (root / "links").mkdir()
    (root / "links" / "far.mp4").symlink_to(make_clip(outside / "far.mp4", hue=5, seconds=0.4))
    (root / "links" / "far-folder").symlink_to(outside, target_is_directory=True)
    return failures


def _tuifeed(*args: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "TUIFEED_CONFIG": str(home / "config.toml"),
        "TUIFEED_DATA_DIR": str(home / "data"),
        "TUIFEED_LOG": str(home / "log"),
        "COLUMNS": "300",
    }
    return subprocess.run(
        [sys.executable, "-m", "tuifeed", *args], capture_output=True, env=env, timeout=300, stdin=subprocess.DEVNULL
    )


def _assert_terminal_safe(output: bytes) -> None:
    """No byte a terminal acts on: no C0 control but newline, no DEL, no C1, no bidi override; valid UTF-8."""
    text = output.decode("utf-8")
    assert not [char for char in text if (ord(char) < 0x20 and char != "\n") or 0x7F <= ord(char) < 0xA0]
    assert not [char for char in text if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]


def _assert_clean_text(value: str, *, multiline: bool = False) -> None:
    allowed = "\n" if multiline else ""
    assert not [char for char in value if (ord(char) < 0x20 and char not in allowed) or 0x7F <= ord(char) < 0xA0]
    assert not [char for char in value if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    assert not [char for char in value if 0xD800 <= ord(char) <= 0xDFFF]


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "hostile"
    return root, build_hostile(root, tmp_path / "outside")


def test_hostile_library_imports_and_reports_everything(hostile: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """Import finishes; bad things are reported with reasons; good files are in, their text clean, names exact."""
    root, failures = hostile
    database = tmp_path / "t.db"
    result = _tuifeed("--db", str(database), "import", "--json", str(root), home=tmp_path)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    result.stdout.decode("ascii")  # --json is ASCII: valid UTF-8 with every other character escaped
    summary = json.loads(result.stdout)
    assert summary["added"] == len(GOOD_NAMES)
    reported = {os.path.relpath(item["path"], root): item["reason"] for item in summary["failures"]}
    assert reported == failures
    assert summary["links_skipped"] == 2
    warnings: dict[str, list[str]] = {}
    for item in summary["warnings"]:
        warnings.setdefault(os.path.relpath(item["path"], root), []).append(item["reason"])
    assert warnings == {
        "sidecars/nasty.info.json": ["webpage_url ignored: not an http(s) address"],
        "sidecars/numbers.info.json": [
            "title ignored: an object, not text",
            "uploader ignored: a number, not text",
            "duration = inf ignored: not a count",
            "like_count = nan ignored: not a count",
            "view_count = 1e+308 clamped to 9223372036854775807",
            "timestamp = 1e+300 ignored: not a date",
        ],
        "sidecars/deep.info.json": ["ignored: JSON nested too deeply"],
        "sidecars/huge.info.json": ["not read: 5.0 MiB (sidecars over 4 MiB are not read)"],
        "sidecars/broken.info.json": ["ignored: not UTF-8 text"],
        "sidecars/list.info.json": ["ignored: a JSON list, not an object"],
        "sidecars/laughs.nfo": [warnings["sidecars/laughs.nfo"][0]],
    }
    assert warnings["sidecars/laughs.nfo"][0].startswith("ignored: not valid XML (")

    store = Store(database)
    try:
        clips = {os.path.relpath(clip.location, root): clip for clip in store.clips()}
        assert set(clips) == set(GOOD_NAMES)
        for relative, clip in clips.items():
            assert os.path.exists(clip.location), f"{relative!r} cannot be reopened from its stored location"
            for value in (clip.title, clip.creator or "", clip.sound or "", clip.source_id or "", *clip.tags):
                _assert_clean_text(value)
            _assert_clean_text(clip.description, multiline=True)
        nasty = clips["sidecars/nasty.mp4"]
        assert nasty.creator == "[/]" and "[link=file:///etc/passwd]" in nasty.title
        assert nasty.title.startswith("␛]52;c;aGVsbG8=␇␛[2J␛[31m")
        assert nasty.description.splitlines()[0] == "line one" and nasty.description.endswith("line three #ok")
        assert nasty.tags[1:] == ("[/]", "ok") and nasty.source_url is None
        numbers = clips["sidecars/numbers.mp4"]
        assert (numbers.popularity, numbers.title) == (2**63 - 1, "numbers")
        assert clips[f"{BAD_BYTES}.mp4"].title == "not utf-8 \ufffd\ufffd\ufffd("
    finally:
        store.close()

    again = json.loads(_tuifeed("--db", str(database), "import", "--json", str(root), home=tmp_path).stdout)
    assert (again["added"], again["unchanged"], again["duplicates"]) == (0, len(GOOD_NAMES), 0)


def test_hostile_library_printed_plainly(hostile: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """The summary, failures, warnings and `library` print no escape byte and every bracket as written."""
    root, _ = hostile
    database = str(tmp_path / "t.db")
    result = _tuifeed("--db", database, "import", str(root), home=tmp_path)
    assert result.returncode == 0
    _assert_terminal_safe(result.stdout)
    _assert_terminal_safe(result.stderr)
    out = result.stdout.decode("utf-8")
    assert "Skipped 2 symbolic link(s)" in out and "use --follow-links" in out
    assert "symlink loop" in out and "broken symlink" in out and "(a FIFO): not opened" in out
    assert "ignored: JSON nested too deeply" in out
    library = _tuifeed("--db", database, "library", home=tmp_path)
    _assert_terminal_safe(library.stdout)
    assert f"{len(GOOD_NAMES)} clips, 0 missing." in library.stdout.decode()


def test_folder_of_links_only_says_so(tmp_path: Path) -> None:
    """Links out of the folder are counted with the hint, and an import that finds nothing says so."""
    clip = make_clip(tmp_path / "outside" / "far.mp4", seconds=0.4)
    links = tmp_path / "links [x]"
    links.mkdir()
    (links / "far.mp4").symlink_to(clip)
    result = _tuifeed("--db", str(tmp_path / "t.db"), "import", str(links), home=tmp_path)
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "Skipped 1 symbolic link(s) to videos or folders outside this folder; use --follow-links" in out
    assert f"Found no video files in {links}." in out
    empty = tmp_path / "empty"
    empty.mkdir()
    out = _tuifeed("--db", str(tmp_path / "t.db"), "import", str(empty), home=tmp_path).stdout.decode()
    assert f"Found no video files in {empty}." in out and "symbolic" not in out


def test_a_fifo_swapped_in_after_the_scan_is_not_read(tmp_path: Path) -> None:
    """Between scan and probe a clip becomes a FIFO: analysing it fails at once instead of blocking."""
    import threading

    from tuifeed.library.importer import Failure, analyse
    from tuifeed.library.scan import ScannedFile

    fifo = tmp_path / "clip.mp4"
    os.mkfifo(fifo)
    results: list[object] = []
    worker = threading.Thread(
        target=lambda: results.append(analyse(ScannedFile(str(fifo), str(tmp_path), 1, 1))), daemon=True
    )
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "analysing a FIFO blocked"
    assert results == [Failure(fifo, "unreadable: not a regular file")]
