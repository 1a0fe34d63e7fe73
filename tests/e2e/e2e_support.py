"""The real tuifeed in tmux for the end-to-end tests: sample clips, an isolated home, panes and their screens."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import av
import pytest

REPO = Path(__file__).resolve().parents[2]
MEDIA = REPO / "media"
BLOCK = "▀"
_T = TypeVar("_T")

Color = tuple[int, int, int] | int | None
"""A cell colour: a 24-bit (r, g, b), an indexed or basic colour number, or None for the default."""


# -- clips ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleClip:
    """One clip file of the sample library and its picture size."""

    path: Path
    width: int
    height: int


@dataclass(frozen=True)
class ClipLibrary:
    """A folder of playable clips, some vertical and some landscape."""

    path: Path
    clips: tuple[SampleClip, ...]

    def copy_to(self, folder: Path, count: int) -> list[Path]:
        """Copy the first `count` clips (with any .info.json sidecar) into `folder`; returns the copies."""
        folder.mkdir(parents=True, exist_ok=True)
        copies = []
        for clip in self.clips[:count]:
            copies.append(Path(shutil.copy2(clip.path, folder / clip.path.name)))
            sidecar = clip.path.with_suffix(".info.json")
            if sidecar.exists():
                shutil.copy2(sidecar, folder / sidecar.name)
        return copies


_GENERATED = (
    ("vertical-testsrc", "testsrc2", (360, 640), 4, 440),
    ("landscape-mandelbrot", "mandelbrot", (640, 360), 5, 550),
    ("vertical-mandelbrot", "mandelbrot", (360, 640), 3, 660),
    ("landscape-testsrc", "testsrc2", (640, 360), 6, 330),
)


def bundled_clips(limit: int = 4) -> list[SampleClip]:
    """Up to `limit` complete bundled clips from media/, alternating vertical and landscape when both exist."""
    vertical, landscape = [], []
    for path in sorted(MEDIA.glob("*.mp4")):
        if not path.with_suffix(".info.json").exists():
            continue  # still being written, or not part of the library
        try:
            clip = SampleClip(path, *picture_size(path))
        except av.error.FFmpegError:
            continue
        (vertical if clip.height > clip.width else landscape).append(clip)
    mixed = [clip for pair in zip(vertical, landscape, strict=False) for clip in pair]
    return (mixed or vertical or landscape)[:limit]


def picture_size(path: Path) -> tuple[int, int]:
    """The width and height of the first video stream of `path`."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.codec_context.width, stream.codec_context.height


def generate_clips(folder: Path) -> None:
    """Write a few 3-6 s, 30 fps H.264/AAC clips (vertical and landscape) with ffmpeg, in parallel."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is needed to make test clips when media/ has no bundled library (make test installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for name, source, (width, height), seconds, tone in _GENERATED:
        command = [
            "ffmpeg", "-v", "error", "-y",
            "-t", str(seconds), "-f", "lavfi", "-i", f"{source}=size={width}x{height}:rate=30",
            "-t", str(seconds), "-f", "lavfi", "-i", f"sine=frequency={tone}:sample_rate=44100",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
            str(folder / f"{name}.mp4"),
        ]  # fmt: skip
        jobs.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))
    for job in jobs:
        assert job.wait(timeout=120) == 0, f"ffmpeg failed: {job.args}"


# -- an isolated tuifeed home ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    """Where one test's tuifeed keeps its files; nothing of the user's config or data is read."""

    root: Path
    config: Path
    data: Path
    db: Path
    log: Path

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point tuifeed at this home, in a truecolor terminal."""
        return {
            "TUIFEED_CONFIG": str(self.config),
            "TUIFEED_DATA_DIR": str(self.data),
            "TUIFEED_LOG": str(self.log),
            "TUIFEED_CACHE_DIR": str(self.root / "cache"),
            "COLORTERM": "truecolor",
        }

    def tuifeed(self, *args: str) -> list[str]:
        """The argv of the installed `tuifeed` with this home's database."""
        command, *rest = args or ("play",)
        return [tuifeed_executable(), command, "--db", str(self.db), *rest]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run a non-interactive tuifeed command (import, library...) and capture its output."""
        return subprocess.run(
            self.tuifeed(*args),
            env={**clean_environment(), **self.env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


HELD_FIRST_LOOK = Path(__file__).with_name("held_first_look.py")


def held_first_look(home: Home, gate: Path, *args: str) -> list[str]:
    """The argv of `home.tuifeed(*args)`, its first look held on screen (drawn) until `open_gate(gate)`."""
    _command, *rest = home.tuifeed(*args)
    return [sys.executable, str(HELD_FIRST_LOOK), str(gate), *rest]


def open_gate(gate: Path, typed: int = 0) -> None:
    """Let the app of `held_first_look` take the terminal once `typed` bytes of keys wait on its input."""
    ajar = gate.with_name(gate.name + ".part")
    ajar.write_text(str(typed), encoding="ascii")
    ajar.replace(gate)  # whole: the held process never reads it half-written


def clean_environment() -> dict[str, str]:
    """This process's environment without anything that would leak into tuifeed's behaviour.

    Passed explicitly because GNU readline (loaded by pytest) puts COLUMNS=80 and LINES=24 into the C
    environment, which a child would inherit and Textual would trust over the real terminal size.
    """
    dropped = ("COLUMNS", "LINES", "TUIFEED_", "TEXTUAL", "NO_COLOR", "FORCE_COLOR")
    return {key: value for key, value in os.environ.items() if not key.startswith(dropped)}


def tuifeed_executable() -> str:
    """The installed `tuifeed` console script next to this Python (the venv's), else the one on PATH."""
    found = shutil.which("tuifeed", path=str(Path(sys.executable).parent)) or shutil.which("tuifeed")
    if found is None:
        pytest.fail("the tuifeed command is not installed (pip install -e . in the venv)")
    return found


# -- tmux ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One character cell of a captured pane."""

    char: str
    fg: Color
    bg: Color

    @property
    def is_video(self) -> bool:
        """A half-block with 24-bit colours on both halves: one cell of a painted picture."""
        return self.char == BLOCK and isinstance(self.fg, tuple) and isinstance(self.bg, tuple)


_TOKEN = re.compile(r"\x1b\[([0-9;:]*)m|\x1b(?:\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|.)|(.)", re.S)


class Screen:
    """A parsed `capture-pane -e -p`: a grid of cells with their colours."""

    def __init__(self, captured: str, width: int, height: int) -> None:
        """Parse captured text with SGR escapes into `height` rows of `width` cells."""
        self.raw = captured
        blank = Cell(" ", None, None)
        self.rows: list[list[Cell]] = []
        fg: Color = None
        bg: Color = None
        for line in captured.split("\n")[:height]:
            row: list[Cell] = []
            for match in _TOKEN.finditer(line):
                if match[1] is not None:
                    fg, bg = _apply_sgr(match[1], fg, bg)
                elif match[2] is not None:
                    row.append(Cell(match[2], fg, bg))
                    if unicodedata.east_asian_width(match[2]) in "WF":
                        row.append(Cell("", fg, bg))
            self.rows.append((row + [blank] * width)[:width])
        self.rows += [[blank] * width for _ in range(height - len(self.rows))]

    @property
    def text(self) -> str:
        """The characters alone, one line per row, trailing blanks stripped."""
        return "\n".join("".join(cell.char for cell in row).rstrip() for row in self.rows)

    def video_cells(self) -> int:
        """How many cells show picture (coloured half-blocks)."""
        return sum(cell.is_video for row in self.rows for cell in row)

    def video_box(self) -> tuple[int, int, int, int] | None:
        """(left, top, columns, rows) of the smallest rectangle holding every picture cell, if any."""
        spots = [(x, y) for y, row in enumerate(self.rows) for x, cell in enumerate(row) if cell.is_video]
        if not spots:
            return None
        xs, ys = [x for x, _ in spots], [y for _, y in spots]
        return min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1

    def box_cells(self, box: tuple[int, int, int, int]) -> list[Cell]:
        """The cells inside `box`, row by row."""
        left, top, cols, rows = box
        return [cell for row in self.rows[top : top + rows] for cell in row[left : left + cols]]

    def coloured_cells(self) -> int:
        """Cells with any colour or a half-block: after exit there should be none."""
        return sum(
            cell.fg is not None or cell.bg is not None or cell.char == BLOCK for row in self.rows for cell in row
        )


def _apply_sgr(params: str, fg: Color, bg: Color) -> tuple[Color, Color]:
    """The foreground and background after one SGR sequence (other attributes are ignored)."""
    codes = [int(part) if part else 0 for part in params.replace(":", ";").split(";")]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            fg = bg = None
        elif code in (38, 48) and index + 1 < len(codes):
            colour: Color
            if codes[index + 1] == 2:
                red, green, blue = [*codes[index + 2 : index + 5], 0, 0, 0][:3]
                colour, index = (red, green, blue), index + 4
            else:
                colour, index = codes[index + 2] if index + 2 < len(codes) else 0, index + 2
            if code == 38:
                fg = colour
            else:
                bg = colour
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = code
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = code
        index += 1
    return fg, bg


def wait_until_still(path: Path, timeout: float = 10.0) -> None:
    """Wait until ``path`` stops growing (0.3 s without a change): tmux's pipe may lag behind on a loaded machine."""
    deadline = time.monotonic() + timeout
    size = -1
    while (now := path.stat().st_size if path.exists() else -1) != size and time.monotonic() < deadline:
        size = now
        time.sleep(0.3)


def piped_through(path: Path, last: bytes, timeout: float = 15.0) -> bytes:
    """What tmux's `pipe-pane` has written to ``path``, once that holds ``last``, written after everything the test
    needs (the shell's `EXITED:0` after the program's bytes).

    The pipe's reader (`cat`) may lag behind tmux on a loaded machine, and closing the pipe drops what tmux has
    not handed it yet: wait for the bytes themselves, not for a time or for the file to stop growing.
    """
    deadline = time.monotonic() + timeout
    while last not in (data := path.read_bytes() if path.exists() else b""):
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name} lacks {last!r} after {timeout:.0f} s; it ends {data[-300:]!r}")
        time.sleep(0.05)
    return data


class Pane:
    """The only pane of a private tmux server: start commands in its shell, send keys, read the screen."""

    def __init__(self, socket: str, width: int, height: int, env: dict[str, str], cwd: Path) -> None:
        """Start a detached `width` x `height` session running sh with `env` added to its environment."""
        self.socket = socket
        self.width = width
        self.height = height
        env_args = [arg for key, value in {**env, "PS1": "$ "}.items() for arg in ("-e", f"{key}={value}")]
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-c", str(cwd), *env_args, "sh")

    def tmux(self, *args: str) -> str:
        """Run a tmux command against this server; returns its output."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=clean_environment(),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        assert done.returncode == 0, f"tmux {' '.join(args)} failed: {done.stderr.strip()}"
        return done.stdout

    def run(self, argv: Sequence[str], before: str = "", after: str = "") -> None:
        """Type a command line into the shell; it prints `EXITED:<code>` when the command is done."""
        line = "; ".join(part for part in (before, shlex.join(argv), "echo EXITED:$?", after) if part)
        self.tmux("send-keys", "-l", line)
        self.tmux("send-keys", "Enter")

    def send(self, key: str) -> float:
        """Press one key; returns about the monotonic time tmux had it written to the program (see `press`)."""
        start, end = self.press(key)
        return (start + end) / 2

    def press(self, key: str) -> tuple[float, float]:
        """Press one key; returns monotonic times before and after `tmux send-keys`: no sooner than the first did
        tmux write the key to the program, and, give or take tmux's own write, by the second."""
        start = time.monotonic()
        self.tmux("send-keys", key)
        return start, time.monotonic()

    def screen(self) -> Screen:
        """The screen as it is now, with colours."""
        return Screen(self.tmux("capture-pane", "-e", "-p"), self.width, self.height)

    def flag(self, name: str) -> str:
        """A tmux pane format variable, e.g. `alternate_on` or `cursor_flag`."""
        return self.tmux("display-message", "-p", f"#{{{name}}}").strip()

    def exit_code(self) -> int | None:
        """The exit code the shell printed for the command started by `run`, once it has finished."""
        found = re.search(r"EXITED:(\d+)$", self.screen().text, re.M)
        return int(found[1]) if found else None

    def wait_for(self, check: Callable[[Screen], _T | None], what: str, timeout: float = 15.0) -> _T:
        """Poll the screen until `check` returns something (which is returned); fail after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if (found := check(screen)) is not None and found is not False:
                return found
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; screen:\n{screen.text}")
            time.sleep(0.02)

    def wait_for_text(self, words: str, what: str, timeout: float = 15.0) -> Screen:
        """Poll the screen until it shows `words`; returns that screen."""
        return self.wait_for(lambda screen: screen if words in screen.text else None, what, timeout)

    def wait_for_picture(self, min_cells: int, timeout: float = 20.0) -> tuple[Screen, float]:
        """Wait for a whole picture in the app: `min_cells` picture cells, same box in two captures in a row,
        and the app has the terminal (mouse reporting on): the first look draws a picture before the app starts.

        Returns the second capture and the monotonic time the picture was first seen (a capture can
        catch the terminal half-way through painting a frame, hence the second look).
        """
        seen: tuple[float, tuple[int, int, int, int] | None] | None = None

        def whole(screen: Screen) -> Screen | None:
            nonlocal seen
            if screen.video_cells() < min_cells or self.flag("mouse_any_flag") != "1":
                seen = None
                return None
            box = screen.video_box()
            if seen is not None and seen[1] == box:
                return screen
            seen = (seen[0] if seen else time.monotonic(), box)
            return None

        screen = self.wait_for(whole, "a picture", timeout)
        assert seen is not None
        return screen, seen[0]

    def wait_exit(self, timeout: float = 15.0) -> int:
        """Wait for the command started by `run` to finish; returns its exit code."""
        return self.wait_for(lambda _screen: self.exit_code(), "the command to exit", timeout)
