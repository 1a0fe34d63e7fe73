"""tuifeed against `mpv --vo=tct`: `python benchmarks/vs_mpv.py` plays the same clips both ways and prints a table.

Both programs play each clip in a bare pty (this script is the terminal: it reads the stream, answers
device-attribute queries and timestamps every read) and in tmux. Measured per program: painted frames per
second, bytes per frame, CPU per frame (all threads), launch (to the first picture's bytes on the
terminal), peak RSS, and the picture quality: PSNR of the screen rebuilt from the program's byte stream
with pyte, against the source frame scaled (area average) to the picture's cell grid, taking the best
match within half a second of the frame's expected time so a program is not punished for its latency.
Clips: two bundled ones (a landscape and a vertical) and a natural-image clip made here (a slow pan and
zoom over a scikit-image sample photo, with light temporal noise). Then a pty at 120x40 drained at 2
MB/s, the speed of an SSH link.

Needs the `bench` extra (`make bench` installs it, and mpv): pyte, scikit-image, PyAV; ffmpeg and tmux.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import numpy as np
import pyte
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parent.parent
MEDIA = REPO / "media"
SIZES = ((80, 24), (120, 40), (200, 60), (320, 90))
SETTLE = 1.0
"""Seconds after the first frame before counting starts."""
WINDOW = 4.0
"""Seconds counted per run."""
PSNR_SNAPSHOTS = 4
PSNR_SPAN = 3.0
"""Seconds of the counted window whose frames are rebuilt for PSNR (pyte is slow: about 0.4 MB/s)."""
THROTTLE = 2_000_000
"""Bytes per second the throttled pty drains."""
SWIPES = 12
SWIPE_GAP = 0.8
"""Seconds between two swipes of the swipe part."""
LAUNCHES = 11
"""Launches timed by the launch part: on this kind of shared machine the median of 5 moved by 0.04 s from one
run to the next, as the host's other work came and went."""
PARTS = ("launch", "rss", "swipe")
"""The tuifeed-only parts `--only` can pick; they need neither mpv nor PSNR and run in seconds."""
TICK = os.sysconf("SC_CLK_TCK")
MPV_ROW = re.compile(rb"\x1b\[(\d+);(\d+)f")
"""mpv's tct output moves to the start of each picture row; a frame starts at the first row."""
SYNC_END = b"\x1b[?2026l"
DA1_QUERY = re.compile(rb"\x1b\[0?c")
DECRQM_QUERY = re.compile(rb"\x1b\[\?(\d+)\$p")
TARGETS = {
    "bytes ratio natural 200x60": (0.4, "<="),
    "bytes ratio natural 320x90": (0.4, "<="),
    "psnr gap natural 200x60": (-1.0, ">="),
    "psnr gap natural 320x90": (-1.0, ">="),
    "cpu ratio (median)": (1.0, "<="),
    "fps at 2 MB/s 120x40": (24.0, ">="),
    "launch s (median, bare pty)": (0.3, "<="),
    "peak RSS MB 200x60": (110.0, "<="),
    "swipe median ms": (20.0, "<="),
}


@dataclass(frozen=True)
class Clip:
    """A clip both programs play."""

    name: str
    path: Path


@dataclass
class Result:
    """What one run of one program measured."""

    fps: float
    bytes_per_frame: float
    cpu_ms_per_frame: float
    launch: float
    rss_mb: float
    psnr: float | None = None
    frames: int = 0
    mounted: float | None = None
    """Seconds from launch to the app's mount (tuifeed): the part of launch spent before the UI runs."""
    launch_cpu: float | None = None
    """CPU seconds (all threads) to the first picture: steadier than ``launch`` on a machine others share."""


@dataclass
class Capture:
    """A bare-pty run: timestamped reads of the program's output, plus process figures."""

    spawned: float
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    cpu: tuple[float, float] = (0.0, 0.0)
    rss_kib: int = 0
    window: tuple[float, float] = (0.0, 0.0)
    keys: list[float] = field(default_factory=list)
    """When each swipe key was written to the program."""
    first_cpu: float | None = None
    """CPU seconds (all threads) the program had used when its first picture arrived."""
    first_picture: float | None = None
    """When the first bytes of a picture (half blocks) reached the terminal: launch ends here, for both programs."""


# -- clips ----------------------------------------------------------------------------------------------


def natural_clip(folder: Path) -> Clip:
    """A 10 s 1280x720 camera move over a photo: slow pan and zoom, light temporal noise (made with ffmpeg)."""
    import skimage.data
    from PIL import Image

    photo = folder / "rocket.png"
    Image.fromarray(skimage.data.rocket()).resize((2560, 1708), Image.Resampling.LANCZOS).save(photo)
    frames = 300
    move = (
        f"zoompan=z='1.05+0.20*on/{frames}':x='(iw-iw/zoom)*(0.2+0.6*on/{frames})':y='(ih-ih/zoom)/2'"
        f":d={frames}:s=1280x720:fps=30,noise=alls=4:allf=t"
    )
    out = folder / "natural-pan.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", str(photo), "-vf", move, "-frames:v", str(frames),
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", str(out)],
        check=True,
    )  # fmt: skip
    return Clip("natural", out)


def bundled_clips() -> list[Clip]:
    """The longest landscape and the longest vertical bundled clip."""
    best: dict[str, tuple[float, Path]] = {}
    for path in sorted(MEDIA.glob("*.mp4")):
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            shape = "vertical" if stream.codec_context.height > stream.codec_context.width else "landscape"
            seconds = (container.duration or 0) / 1e6
        if shape not in best or seconds > best[shape][0]:
            best[shape] = (seconds, path)
    return [Clip(f"{shape} ({path.stem})", path) for shape, (_, path) in sorted(best.items())]


# -- the programs ---------------------------------------------------------------------------------------


class Programs:
    """How to start tuifeed and mpv on one clip, with an isolated tuifeed home."""

    def __init__(self, scratch: Path) -> None:
        """Keep config, databases and stats under ``scratch``."""
        self.scratch = scratch
        self.config = scratch / "config.toml"
        self.config.write_text('[player]\naudio_output = "adummy"\n[display]\ninfo_panel = false\n', encoding="utf-8")
        self.tuifeed = shutil.which("tuifeed", path=str(Path(sys.executable).parent)) or "tuifeed"
        self._dbs: dict[tuple[Path, ...], Path] = {}
        self._runs = 0

    def env(self, stats: Path) -> dict[str, str]:
        """The environment both programs get (tuifeed's settings are ignored by mpv)."""
        dropped = ("COLUMNS", "LINES", "TUIFEED_", "TEXTUAL", "NO_COLOR", "FORCE_COLOR", "TMUX")
        base = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
        return {
            **base,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "TUIFEED_CONFIG": str(self.config),
            "TUIFEED_DATA_DIR": str(self.scratch / "data"),
            "TUIFEED_LOG": str(self.scratch / "tuifeed.log"),
            "TUIFEED_STATS": str(stats),
        }

    def database(self, clips: Sequence[Clip]) -> Path:
        """A library holding just ``clips``, imported before any timing."""
        key = tuple(clip.path for clip in clips)
        if key not in self._dbs:
            folder = self.scratch / f"library{len(self._dbs)}"
            folder.mkdir()
            for clip in clips:
                (folder / clip.path.name).symlink_to(clip.path)
            db = self.scratch / f"library{len(self._dbs)}.db"
            subprocess.run(
                [self.tuifeed, "import", "--follow-links", "--db", str(db), str(folder)],
                env=self.env(self.scratch / "unused.json"),
                capture_output=True,
                check=True,
            )
            self._dbs[key] = db
        return self._dbs[key]

    def command(self, program: str, clip: Clip, library: Sequence[Clip] = ()) -> tuple[list[str], Path]:
        """The command line for ``program`` playing ``clip`` (tuifeed: a feed of ``library`` when given), and
        where tuifeed writes its stats."""
        self._runs += 1
        stats = self.scratch / f"stats{self._runs}.json"
        if program == "tuifeed":
            db = self.database(library or [clip])
            return [self.tuifeed, "play", "--db", str(db), "--render", "halfblock"], stats
        return [
            "mpv",
            "--no-config",
            "--really-quiet",
            "--vo=tct",
            "--ao=null",
            "--loop-file=inf",
            str(clip.path),
        ], stats


def cpu_seconds(pid: int) -> float:
    """User plus system CPU of a process, all threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# -- bare pty -------------------------------------------------------------------------------------------


def run_pty(
    argv: Sequence[str],
    env: dict[str, str],
    size: tuple[int, int],
    seconds: float,
    rate: float | None,
    *,
    swipes: int = 0,
) -> Capture:
    """Run ``argv`` in a new pty of ``size``, reading (at most ``rate`` bytes/s) and answering like a terminal.

    The counted window starts ``SETTLE`` after the first output that looks like a picture and lasts
    ``seconds``, during which tuifeed gets `j` (next clip) ``swipes`` times, ``SWIPE_GAP`` apart; then
    tuifeed gets `q` and mpv SIGTERM.
    """
    cols, rows = size
    spawned = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.execvpe(argv[0], list(argv), env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    capture = Capture(spawned)
    first: float | None = None
    start = end = 0.0
    cpu_start = 0.0
    budget = 0.0
    last = time.monotonic()
    quit_at: float | None = None
    swiped = 0
    try:
        while True:
            now = time.monotonic()
            if first is not None and not start and now >= first + SETTLE:
                start, cpu_start = now, cpu_seconds(pid)
            if start and not end and swiped < swipes and now >= start + SWIPE_GAP * (swiped + 1):
                os.write(fd, b"j")
                capture.keys.append(time.monotonic())
                swiped += 1
            if start and not end and now >= start + seconds:
                end = now
                capture.cpu = (cpu_start, cpu_seconds(pid))
                capture.rss_kib = peak_rss_kib(pid)
                quit_at = now
                if "tuifeed" in Path(argv[0]).name:
                    os.write(fd, b"q")
                else:
                    os.kill(pid, signal.SIGTERM)
            if quit_at is not None and now > quit_at + 15:
                os.kill(pid, signal.SIGKILL)
            want = 65536
            if rate is not None:
                budget = min(rate * 0.05, budget + rate * (now - last))
                last = now
                if budget < 1024:
                    time.sleep(0.002)
                    continue
                want = int(budget)
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(fd, want)
            except OSError:
                break
            if not data:
                break
            if rate is not None:
                budget -= len(data)
            stamp = time.monotonic()
            capture.chunks.append((stamp, data))
            if first is None and (b"\xe2\x96\x80" in data or b"\xe2\x96\x84" in data):
                first = capture.first_picture = stamp
                capture.first_cpu = cpu_seconds(pid)
            answers = b"\x1b[?62;22c" * len(DA1_QUERY.findall(data))
            answers += b"".join(b"\x1b[?%s;2$y" % mode for mode in DECRQM_QUERY.findall(data))
            if answers:
                os.write(fd, answers)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    capture.window = (start, end)
    return capture


def window_bytes(capture: Capture) -> int:
    """Bytes the program wrote inside the counted window."""
    start, end = capture.window
    return sum(len(data) for at, data in capture.chunks if start <= at < end)


def mpv_marker(blob: bytes) -> bytes:
    """The cursor move that starts each of mpv's frames (to its first picture row, below any letterbox)."""
    found = MPV_ROW.search(blob)
    return found[0] if found else b"\x1b[1;0f"


def mpv_frames(capture: Capture) -> list[float]:
    """Times of the reads that started an mpv frame."""
    marker = mpv_marker(b"".join(data for _, data in capture.chunks[:50]))
    return [at for at, data in capture.chunks for _ in range(data.count(marker))]


def result_from(capture: Capture, frames: list[float], launch: float) -> Result:
    """Figures of a bare-pty run from its frame times."""
    start, end = capture.window
    counted = [at for at in frames if start <= at < end]
    count = max(1, len(counted))
    cpu = capture.cpu[1] - capture.cpu[0]
    return Result(
        fps=len(counted) / max(1e-9, end - start),
        bytes_per_frame=window_bytes(capture) / count,
        cpu_ms_per_frame=1000 * cpu / count,
        launch=launch,
        rss_mb=capture.rss_kib / 1024,
        frames=len(counted),
    )


# -- tmux -----------------------------------------------------------------------------------------------


def run_tmux(argv: Sequence[str], env: dict[str, str], size: tuple[int, int], seconds: float, scratch: Path) -> Capture:
    """Run ``argv`` in a private tmux pane; the pane's output is piped to a file during the counted window."""
    socket = f"vs-mpv-{os.getpid()}-{time.monotonic_ns()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    pairs = [
        arg
        for key, value in env.items()
        if key.startswith(("TUIFEED_", "COLORTERM"))
        for arg in ("-e", f"{key}={value}")
    ]
    pipe = scratch / f"pane-{socket}.bin"
    subprocess.run([*tmux, "new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), *pairs, "sh"], check=True)
    capture = Capture(time.monotonic())
    try:
        line = " ".join(f"'{arg}'" for arg in argv) + "; echo EXITED:$?"
        subprocess.run([*tmux, "send-keys", "-l", line], check=True)
        capture.spawned = time.monotonic()
        subprocess.run([*tmux, "send-keys", "Enter"], check=True)
        deadline = time.monotonic() + 30
        while "▀" not in (screen := _pane(tmux)) and "▄" not in screen:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no picture from {argv[0]} in tmux")
            time.sleep(0.05)
        shell = int(
            subprocess.run([*tmux, "display-message", "-p", "#{pane_pid}"], capture_output=True, text=True).stdout
        )
        pid = int(Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0])
        time.sleep(SETTLE)
        subprocess.run([*tmux, "pipe-pane", "-o", f"cat > {pipe}"], check=True)
        start, cpu_start = time.monotonic(), cpu_seconds(pid)
        time.sleep(seconds)
        end, cpu_end = time.monotonic(), cpu_seconds(pid)
        subprocess.run([*tmux, "pipe-pane"], check=True)
        capture.rss_kib = peak_rss_kib(pid)
        if "tuifeed" in Path(argv[0]).name:
            subprocess.run([*tmux, "send-keys", "q"], check=True)
        else:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while not re.search(r"EXITED:\d", _pane(tmux)) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)
    capture.cpu, capture.window = (cpu_start, cpu_end), (start, end)
    capture.chunks = [((start + end) / 2, pipe.read_bytes() if pipe.exists() else b"")]
    return capture


def _pane(tmux: list[str]) -> str:
    return subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout


# -- picture quality ------------------------------------------------------------------------------------


def hex_rgb(colour: str, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
    """A pyte colour (six hex digits, or a name) as RGB; names other than black fall back."""
    if len(colour) == 6:
        try:
            return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)
        except ValueError:
            return fallback
    return (0, 0, 0) if colour == "black" else fallback


def screen_picture(screen: pyte.Screen) -> tuple[NDArray[np.float64], tuple[int, int, int, int]] | None:
    """The half-block picture pyte shows, as (2 * rows, cols, 3) RGB, and its (top, left, rows, cols) box."""
    rows, cols = screen.lines, screen.columns
    top = np.zeros((rows, cols, 3))
    bottom = np.zeros((rows, cols, 3))
    picture = np.zeros((rows, cols), dtype=bool)
    for y in range(rows):
        line = screen.buffer[y]
        for x in range(cols):
            char = line[x]
            fg = hex_rgb(char.fg, (255, 255, 255))
            bg = hex_rgb(char.bg, (0, 0, 0))
            if char.data == "▀":
                top[y, x], bottom[y, x], picture[y, x] = fg, bg, True
            elif char.data == "▄":
                top[y, x], bottom[y, x], picture[y, x] = bg, fg, True
            elif char.data == "█":
                top[y, x] = bottom[y, x] = fg
                picture[y, x] = True
            else:
                top[y, x] = bottom[y, x] = bg
                picture[y, x] = char.data == " " and len(char.bg) == 6 and char.bg != "000000"
    ys, xs = np.nonzero(picture)
    if ys.size == 0:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    image = np.empty(((y1 - y0) * 2, x1 - x0, 3))
    image[0::2] = top[y0:y1, x0:x1]
    image[1::2] = bottom[y0:y1, x0:x1]
    return image, (int(y0), int(x0), int(y1 - y0), int(x1 - x0))


@dataclass
class Snapshot:
    """A rebuilt screen and the media time it should show."""

    image: NDArray[np.float64]
    media_time: float
    best: float = 0.0


def snapshots_tuifeed(capture: Capture, size: tuple[int, int], first_frame: float) -> list[Snapshot]:
    """Rebuild tuifeed's screen (its stream from the start: frames are diffs) at evenly spaced frame ends."""
    start, _ = capture.window
    times = np.linspace(start, start + PSNR_SPAN, PSNR_SNAPSHOTS)
    screen = pyte.Screen(*size)
    stream = pyte.ByteStream(screen)
    shots: list[Snapshot] = []
    wanted = iter(times)
    target = next(wanted)
    for at, data in capture.chunks:
        if at > start + PSNR_SPAN + 0.5:
            break
        cut = data.rfind(SYNC_END) + len(SYNC_END) if at >= target and SYNC_END in data else 0
        stream.feed(data[:cut])
        if cut:
            shot = screen_picture(screen)
            if shot is not None:
                shots.append(Snapshot(shot[0], at - first_frame))
            target = next(wanted, float("inf"))
        stream.feed(data[cut:])
    return shots


def snapshots_mpv(capture: Capture, size: tuple[int, int], first_frame: float) -> list[Snapshot]:
    """Rebuild mpv frames one at a time (each repaints every cell) at evenly spaced times."""
    start, _ = capture.window
    blob = b"".join(data for _, data in capture.chunks)
    marker = mpv_marker(blob)
    offsets, position = [], 0
    for at, data in capture.chunks:
        offsets.append((position, at))
        position += len(data)
    shots = []
    for target in np.linspace(start, start + PSNR_SPAN, PSNR_SNAPSHOTS):
        at_offset = next((offset for offset, at in offsets if at >= target), None)
        if at_offset is None:
            continue
        begin = blob.find(marker, at_offset)
        finish = blob.find(marker, begin + 1)
        if begin < 0 or finish < 0:
            continue
        frame_time = next(at for offset, at in reversed(offsets) if offset <= finish)
        screen = pyte.Screen(*size)
        pyte.ByteStream(screen).feed(blob[begin:finish])
        shot = screen_picture(screen)
        if shot is not None:
            shots.append(Snapshot(shot[0], frame_time - first_frame))
    return shots


def score(clip: Clip, shots: list[Snapshot]) -> float | None:
    """Mean PSNR of the snapshots, each against its best-matching source frame (area-scaled to its grid)."""
    if not shots:
        return None
    with av.open(str(clip.path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            t = float(frame.pts * stream.time_base)
            for shot in shots:
                if shot.media_time - 0.5 <= t <= shot.media_time + 0.2:
                    height, width = shot.image.shape[:2]
                    ref = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA").to_ndarray()
                    mse = float(((ref.astype(np.float64) - shot.image) ** 2).mean())
                    shot.best = max(shot.best, 10 * np.log10(255**2 / max(mse, 1e-9)))
    return statistics.fmean(shot.best for shot in shots)


# -- the runs -------------------------------------------------------------------------------------------


def measure_pty(
    programs: Programs,
    program: str,
    clip: Clip,
    size: tuple[int, int],
    rate: float | None,
    psnr: bool,
    seconds: float = WINDOW,
) -> Result:
    """One bare-pty run of ``program``, counting ``seconds``."""
    argv, stats = programs.command(program, clip)
    capture = run_pty(argv, programs.env(stats), size, seconds, rate)
    recorded: dict[str, Any] = {}
    if program == "tuifeed":
        recorded = _stats(stats)
        frames = [frame[0] for frame in recorded["frames"]]
        first = frames[0] if frames else capture.spawned
    else:
        frames = mpv_frames(capture)
        first = frames[0] if frames else capture.spawned
    # Launch is when a picture's bytes reached the terminal, as a person sees it: tuifeed's own record of a
    # frame comes earlier when Textual holds the write back for its first screens (45-55 ms at launch).
    arrived = capture.first_picture if capture.first_picture is not None else first
    result = result_from(capture, frames, arrived - capture.spawned)
    result.launch_cpu = capture.first_cpu
    if program == "tuifeed" and "mounted_at" in recorded:
        result.mounted = float(recorded["mounted_at"]) - capture.spawned
    if psnr:
        shots = (snapshots_tuifeed if program == "tuifeed" else snapshots_mpv)(capture, size, first)
        result.psnr = score(clip, shots)
    return result


def measure_tmux(programs: Programs, program: str, clip: Clip, size: tuple[int, int], scratch: Path) -> Result:
    """One tmux run of ``program``: fps, bytes and CPU of the counted window."""
    argv, stats = programs.command(program, clip)
    capture = run_tmux(argv, programs.env(stats), size, WINDOW, scratch)
    start, end = capture.window
    if program == "tuifeed":
        recorded = _stats(stats)
        frames = [frame[0] for frame in recorded["frames"] if start <= frame[0] < end]
        count = len(frames)
    else:
        count = capture.chunks[0][1].count(mpv_marker(capture.chunks[0][1]))
    cpu = capture.cpu[1] - capture.cpu[0]
    return Result(
        fps=count / (end - start),
        bytes_per_frame=len(capture.chunks[0][1]) / max(1, count),
        cpu_ms_per_frame=1000 * cpu / max(1, count),
        launch=0.0,
        rss_mb=capture.rss_kib / 1024,
        frames=count,
    )


def _stats(path: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def ratio(ours: float, theirs: float) -> str:
    """tuifeed over mpv, or a dash."""
    return f"{ours / theirs:.2f}" if theirs else "-"


def print_table(rows: list[tuple[str, str, str, Result, Result]]) -> None:
    """The side-by-side table: tuifeed | mpv | ratio for each figure."""
    columns = [
        "terminal", "clip", "size", "fps tuifeed / mpv", "KB/frame tuifeed / mpv (ratio)",
        "CPU ms/frame tuifeed / mpv (ratio)", "launch ms tuifeed / mpv", "peak RSS MB tuifeed / mpv",
        "PSNR dB tuifeed / mpv (gap)",
    ]  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|---" * len(columns) + "|")
    for terminal, clip, size, ours, theirs in rows:
        psnr = "-"
        if ours.psnr is not None and theirs.psnr is not None:
            psnr = f"{ours.psnr:.2f} / {theirs.psnr:.2f} ({ours.psnr - theirs.psnr:+.2f})"
        launch = f"{1000 * ours.launch:.0f} / {1000 * theirs.launch:.0f}" if terminal == "pty" else "-"
        print(
            f"| {terminal} | {clip} | {size} | {ours.fps:.1f} / {theirs.fps:.1f} "
            f"| {ours.bytes_per_frame / 1000:.1f} / {theirs.bytes_per_frame / 1000:.1f} "
            f"({ratio(ours.bytes_per_frame, theirs.bytes_per_frame)}) "
            f"| {ours.cpu_ms_per_frame:.1f} / {theirs.cpu_ms_per_frame:.1f} "
            f"({ratio(ours.cpu_ms_per_frame, theirs.cpu_ms_per_frame)}) "
            f"| {launch} | {ours.rss_mb:.0f} / {theirs.rss_mb:.0f} | {psnr} |"
        )


def print_verdicts(summary: dict[str, float]) -> None:
    """Each measured target's figure and verdict, as a table."""
    print("| target | tuifeed | verdict |")
    print("|---|---|---|")
    for name, value in summary.items():
        print(f"| {name} | {value:.2f} | {verdict(name, value)} |")


def verdict(name: str, value: float) -> str:
    """PASS or MISS against the target, with the target."""
    target, op = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return f"{'PASS' if ok else 'MISS'} ({op} {target:g})"


def measure_parts(programs: Programs, natural: Clip, parts: Sequence[str]) -> dict[str, float]:
    """The tuifeed-only parts in a bare pty: launch (``LAUNCHES`` runs at 200x60), peak RSS while playing the
    natural clip at 200x60, and swipe to the next clip's first painted frame at 120x40; prints each as it goes."""
    summary: dict[str, float] = {}
    if "launch" in parts:
        runs = [
            measure_pty(programs, "tuifeed", natural, (200, 60), None, psnr=False, seconds=0.2) for _ in range(LAUNCHES)
        ]
        launches = sorted(run.launch for run in runs)
        mounts = sorted(run.mounted for run in runs if run.mounted is not None)
        mounted = f", {statistics.median(mounts):.2f} s of it to the app's mount" if mounts else ""
        print(f"launch to first frame, 200x60: {', '.join(f'{t:.2f}' for t in launches)} s{mounted}")
        cpu = sorted(run.launch_cpu for run in runs if run.launch_cpu is not None)
        if cpu:
            print(f"CPU to first frame (all threads), 200x60: {', '.join(f'{t:.2f}' for t in cpu)} s")
        summary["launch s (median, bare pty)"] = statistics.median(launches)
    if "rss" in parts:
        run = measure_pty(programs, "tuifeed", natural, (200, 60), None, psnr=False)
        print(f"peak RSS playing the natural clip at 200x60: {run.rss_mb:.0f} MB ({run.fps:.1f} fps)")
        summary["peak RSS MB 200x60"] = run.rss_mb
    if "swipe" in parts:
        argv, stats = programs.command("tuifeed", natural, library=[natural, *bundled_clips()])
        capture = run_pty(argv, programs.env(stats), (120, 40), SWIPES * SWIPE_GAP + 0.5, None, swipes=SWIPES)
        recorded = _stats(stats)
        # From the key's write (input latency included) to the first frame painted after the app's swipe.
        swipes = sorted(
            1000 * (s["first_frame"] - key)
            for key, s in zip(capture.keys, recorded["swipes"], strict=False)
            if s["first_frame"]
        )
        print(f"key to the next clip's first painted frame, 120x40, ms: {', '.join(f'{t:.0f}' for t in swipes)}")
        summary["swipe median ms"] = statistics.median(swipes) if swipes else float("inf")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(f"{c}x{r}" for c, r in SIZES), help="e.g. 120x40,200x60")
    parser.add_argument("--no-tmux", action="store_true", help="bare pty only")
    parser.add_argument("--natural-only", action="store_true", help="only the generated natural-image clip")
    parser.add_argument(
        "--only",
        help=f"only these tuifeed parts, comma-separated, without mpv: {','.join(PARTS)} (seconds, not minutes)",
    )
    args = parser.parse_args(argv)
    parts = args.only.split(",") if args.only else []
    if unknown := sorted(set(parts) - set(PARTS)):
        parser.error(f"unknown part {', '.join(unknown)}: choose from {','.join(PARTS)}")
    if parts:
        with tempfile.TemporaryDirectory(prefix="tuifeed-vs-mpv-") as scratch_name:
            summary = measure_parts(Programs(Path(scratch_name)), natural_clip(Path(scratch_name)), parts)
        print_verdicts(summary)
        return 0
    for tool in ("mpv", "tmux", "ffmpeg"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed: sudo apt-get install {tool} (or make bench)")
            return 1
    sizes = [tuple(int(v) for v in size.split("x")) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="tuifeed-vs-mpv-") as scratch_name:
        scratch = Path(scratch_name)
        programs = Programs(scratch)
        natural = natural_clip(scratch)
        clips = [natural] if args.natural_only else [natural, *bundled_clips()]
        rows: list[tuple[str, str, str, Result, Result]] = []
        for clip in clips:
            for size in sizes:
                name = f"{size[0]}x{size[1]}"
                pair = [measure_pty(programs, p, clip, size, None, psnr=True) for p in ("tuifeed", "mpv")]
                rows.append(("pty", clip.name, name, pair[0], pair[1]))
                print(f"  pty {clip.name} {name}: {pair[0].fps:.1f} / {pair[1].fps:.1f} fps", file=sys.stderr)
                if not args.no_tmux:
                    pair = [measure_tmux(programs, p, clip, size, scratch) for p in ("tuifeed", "mpv")]
                    rows.append(("tmux", clip.name, name, pair[0], pair[1]))
                    print(f"  tmux {clip.name} {name}: {pair[0].fps:.1f} / {pair[1].fps:.1f} fps", file=sys.stderr)
        throttled = [measure_pty(programs, p, natural, (120, 40), THROTTLE, psnr=True) for p in ("tuifeed", "mpv")]

    print()
    print_table(rows)
    print()
    print(f"Throttled pty, 120x40, drained at {THROTTLE / 1e6:g} MB/s, natural clip:")
    print_table([("pty 2 MB/s", natural.name, "120x40", throttled[0], throttled[1])])
    print()
    summary: dict[str, float] = {}
    for terminal, clip, size, ours, theirs in rows:
        if terminal == "pty" and clip == "natural" and size in ("200x60", "320x90"):
            summary[f"bytes ratio natural {size}"] = ours.bytes_per_frame / max(1.0, theirs.bytes_per_frame)
            if ours.psnr is not None and theirs.psnr is not None:
                summary[f"psnr gap natural {size}"] = ours.psnr - theirs.psnr
        if terminal == "pty" and size == "200x60" and clip == "natural":
            summary["peak RSS MB 200x60"] = ours.rss_mb
    cpu_ratios = [
        ours.cpu_ms_per_frame / theirs.cpu_ms_per_frame for t, _, _, ours, theirs in rows if theirs.cpu_ms_per_frame
    ]
    if cpu_ratios:
        summary["cpu ratio (median)"] = statistics.median(cpu_ratios)
    summary["fps at 2 MB/s 120x40"] = throttled[0].fps
    launches = [ours.launch for terminal, _, _, ours, _ in rows if terminal == "pty"]
    summary["launch s (median, bare pty)"] = statistics.median(launches)
    mounts = [ours.mounted for terminal, _, _, ours, _ in rows if terminal == "pty" and ours.mounted is not None]
    if mounts:
        print(
            f"tuifeed launch, median over the bare-pty runs: {statistics.median(mounts):.2f} s to the app's mount "
            f"(imports, store, probe, libvlc), then {statistics.median(launches) - statistics.median(mounts):.2f} s "
            "to the first frame"
        )
    print_verdicts(summary)
    if throttled[0].psnr is not None:
        print(f"| PSNR at 2 MB/s 120x40 (recognisable picture) | {throttled[0].psnr:.2f} dB | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
