"""Playback in a real terminal: `python benchmarks/playback.py` runs the installed tuifeed in tmux and prints a table.

Painted frames per second of the 30 fps sample clips (one vertical, one landscape) at 80x24, 120x40 and
200x60, the app's CPU time and bytes written to the terminal per painted frame, launch-to-first-frame,
swipe-to-first-frame of the next clip (median of 20) and peak RSS. The app records its own timestamps
through `tuifeed.ui.stats` ($TUIFEED_STATS); CPU comes from /proc. Needs tmux (and ffmpeg when media/ has
no bundled clips).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

REPO = Path(__file__).resolve().parent.parent
MEDIA = REPO / "media"
SIZES = ((80, 24), (120, 40), (200, 60))
SETTLE = 0.5
"""Seconds after the first frame before counting starts."""
WINDOW = 5.0
"""Seconds of playback counted per clip and size."""
SWIPES = 20
SWIPE_GAP = 1.0
TICK = os.sysconf("SC_CLK_TCK")
TARGETS = {
    "fps 120x40": (29.0, ">="),
    "fps 200x60 landscape": (24.0, ">="),
    "swipe median ms": (20.0, "<="),
    "launch ms": (300.0, "<="),
    "peak RSS MB": (110.0, "<="),
}


@dataclass(frozen=True)
class Sample:
    """A clip used for the measurements."""

    path: Path
    width: int
    height: int
    seconds: float

    @property
    def shape(self) -> str:
        """'vertical' or 'landscape'."""
        return "vertical" if self.height > self.width else "landscape"


@dataclass(frozen=True)
class Run:
    """What one launch of tuifeed recorded."""

    launched: float
    stats: dict[str, Any]
    cpu_window: float
    """CPU seconds the app used during the counted window (all threads)."""
    window: tuple[float, float]


def probe(path: Path) -> Sample | None:
    """The clip's size and length, if it is a 30 fps video."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if round(float(stream.average_rate or 0)) != 30:
                return None
            seconds = (container.duration or 0) / 1e6
            return Sample(path, stream.codec_context.width, stream.codec_context.height, seconds)
    except (av.error.FFmpegError, IndexError):
        return None


def sample_clips(scratch: Path) -> tuple[list[Sample], str]:
    """Every 30 fps bundled clip (or generated ones when media/ has none), and where they came from."""
    bundled = [clip for path in sorted(MEDIA.glob("*.mp4")) if (clip := probe(path))]
    if {clip.shape for clip in bundled} == {"vertical", "landscape"}:
        return bundled, "media/"
    folder = scratch / "generated"
    folder.mkdir()
    for index, (width, height) in enumerate(((360, 640), (640, 360), (360, 640), (640, 360))):
        subprocess.run(
            [
                "ffmpeg", "-v", "error", "-y", "-t", "12",
                "-f", "lavfi", "-i", f"mandelbrot=size={width}x{height}:rate=30",
                "-t", "12", "-f", "lavfi", "-i", f"sine=frequency={330 + 110 * index}",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest", "-movflags", "+faststart", str(folder / f"clip{index}-{width}x{height}.mp4"),
            ],
            check=True,
        )  # fmt: skip
    return [clip for path in sorted(folder.glob("*.mp4")) if (clip := probe(path))], "generated (ffmpeg)"


class Terminal:
    """A private tmux server with one pane of a given size, running sh."""

    def __init__(self, width: int, height: int, env: dict[str, str]) -> None:
        """Start a detached `width` x `height` session."""
        self.socket = f"tuifeed-bench-{os.getpid()}-{width}x{height}-{time.monotonic_ns()}"
        pairs = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), *pairs, "sh")

    def tmux(self, *args: str) -> str:
        """Run a tmux command against this server."""
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=clean_environment(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def type_line(self, line: str) -> None:
        """Type a command line into the shell and press Enter."""
        self.tmux("send-keys", "-l", line)
        self.tmux("send-keys", "Enter")

    def wait_for(self, pattern: str, timeout: float) -> str:
        """Poll the screen until the regular expression `pattern` matches; returns the match."""
        deadline = time.monotonic() + timeout
        while (found := re.search(pattern, screen := self.tmux("capture-pane", "-p"))) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {pattern!r} on screen after {timeout} s:\n{screen}")
            time.sleep(0.05)
        return found[0]

    def app_pid(self) -> int:
        """The pid of the program the shell is running."""
        shell = int(self.tmux("display-message", "-p", "#{pane_pid}").strip())
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        return int(children[0])

    def close(self) -> None:
        """Kill the tmux server."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


def clean_environment() -> dict[str, str]:
    """This environment minus what would change tuifeed's behaviour (readline's COLUMNS/LINES included)."""
    dropped = ("COLUMNS", "LINES", "TUIFEED_", "TEXTUAL", "NO_COLOR", "FORCE_COLOR")
    return {key: value for key, value in os.environ.items() if not key.startswith(dropped)}


def cpu_seconds(pid: int) -> float:
    """User plus system CPU of a process, all threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Bench:
    """Runs tuifeed in tmux with an isolated home and collects what it recorded."""

    def __init__(self, scratch: Path) -> None:
        """Use `scratch` for the config, databases and stats files."""
        self.scratch = scratch
        self.config = scratch / "config.toml"
        self.config.write_text('[player]\naudio_output = "adummy"\n', encoding="utf-8")
        self.tuifeed = shutil.which("tuifeed", path=str(Path(sys.executable).parent)) or "tuifeed"
        self.runs = 0

    def env(self, stats: Path) -> dict[str, str]:
        """The app's environment: isolated config and data, truecolor, stats on."""
        return {
            "COLORTERM": "truecolor",
            "TUIFEED_CONFIG": str(self.config),
            "TUIFEED_DATA_DIR": str(self.scratch / "data"),
            "TUIFEED_LOG": str(self.scratch / "tuifeed.log"),
            "TUIFEED_STATS": str(stats),
        }

    def library(self, clips: Sequence[Sample]) -> Path:
        """A database holding just `clips`, imported before any timing starts."""
        self.runs += 1
        folder = self.scratch / f"library{self.runs}"
        folder.mkdir()
        for clip in clips:
            (folder / clip.path.name).symlink_to(clip.path)
        db = self.scratch / f"library{self.runs}.db"
        subprocess.run(
            [self.tuifeed, "import", "--follow-links", "--db", str(db), str(folder)],
            env={**clean_environment(), **self.env(self.scratch / "unused.json")},
            capture_output=True,
            check=True,
        )
        return db

    def play(self, db: Path, size: tuple[int, int], seconds: float, swipes: int = 0) -> Run:
        """Launch, wait for the first frame, play `seconds` (swiping `swipes` times), quit; return the record."""
        stats = self.scratch / f"stats{self.runs}-{size[0]}x{size[1]}-{swipes}.json"
        terminal = Terminal(*size, self.env(stats))
        try:
            terminal.tmux("send-keys", "-l", f"{shlex.join([self.tuifeed, 'play', '--db', str(db)])}; echo EXITED:$?")
            launched = time.monotonic()
            terminal.tmux("send-keys", "Enter")
            terminal.wait_for("▀", timeout=30)
            pid = terminal.app_pid()
            time.sleep(SETTLE)
            start, cpu_start = time.monotonic(), cpu_seconds(pid)
            for _ in range(swipes):
                time.sleep(SWIPE_GAP)
                terminal.tmux("send-keys", "j")
            time.sleep(max(0.0, start + seconds - time.monotonic()))
            end, cpu_end = time.monotonic(), cpu_seconds(pid)
            terminal.tmux("send-keys", "q")
            if (code := terminal.wait_for(r"EXITED:\d+", timeout=30)) != "EXITED:0":
                raise RuntimeError(f"tuifeed ended with {code}; see {self.scratch / 'tuifeed.log'}")
        finally:
            terminal.close()
        deadline = time.monotonic() + 10
        while not stats.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return Run(launched, json.loads(stats.read_text()), cpu_end - cpu_start, (start, end))


def painted_in(run: Run) -> list[list[float]]:
    """The (time, bytes written so far) of the frames painted inside the run's counted window."""
    start, end = run.window
    return [frame for frame in run.stats["frames"] if start <= frame[0] < end]


def verdict(name: str, value: float) -> str:
    """PASS or MISS against the issue's target for `name`, with the target."""
    target, op = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return f"{'PASS' if ok else 'MISS'} ({op} {target:g})"


def main() -> int:
    """Measure and print the table."""
    if shutil.which("tmux") is None:
        print("tmux is needed: sudo apt-get install tmux (or make setup-test)")
        return 1
    with tempfile.TemporaryDirectory(prefix="tuifeed-bench-") as scratch_name:
        scratch = Path(scratch_name)
        clips, origin = sample_clips(scratch)
        bench = Bench(scratch)
        picks = {
            shape: max((clip for clip in clips if clip.shape == shape), key=lambda clip: clip.seconds)
            for shape in ("vertical", "landscape")
        }
        print(f"clips from {origin}: " + ", ".join(f"{c.path.name} ({c.width}x{c.height})" for c in picks.values()))
        rows: list[tuple[str, str, float, float, float]] = []
        launches: list[float] = []
        rss: list[int] = []
        fps: dict[str, float] = {}
        for shape, clip in picks.items():
            db = bench.library([clip])
            for size in SIZES:
                run = bench.play(db, size, WINDOW)
                frames = painted_in(run)
                count = max(1, len(frames) - 1)
                span = frames[-1][0] - frames[0][0] if len(frames) > 1 else WINDOW
                rate = count / span
                sent = (frames[-1][1] - frames[0][1]) / count if len(frames) > 1 else 0.0
                rows.append((f"{size[0]}x{size[1]}", shape, rate, 1000 * run.cpu_window / max(1, len(frames)), sent))
                fps[f"{size[0]}x{size[1]} {shape}"] = rate
                launches.append(run.stats["frames"][0][0] - run.launched)
                rss.append(run.stats["max_rss_kib"])
                print(f"  {size[0]}x{size[1]} {shape}: {rate:.1f} fps", file=sys.stderr)
        db = bench.library(clips)
        run = bench.play(db, (120, 40), SWIPES * SWIPE_GAP + 1.0, swipes=SWIPES)
        swipes = [1000 * (s["first_frame"] - s["at"]) for s in run.stats["swipes"] if s["first_frame"]]
        launches.append(run.stats["frames"][0][0] - run.launched)
        rss.append(run.stats["max_rss_kib"])

    print()
    print("| terminal | clip | painted fps | CPU ms / frame | KB written / frame |")
    print("|---|---|---|---|---|")
    for size_name, shape, rate, cpu, sent in rows:
        print(f"| {size_name} | {shape} | {rate:.1f} | {cpu:.1f} | {sent / 1000:.0f} |")
    fps_120 = min(fps["120x40 vertical"], fps["120x40 landscape"])
    swipe_median = statistics.median(swipes) if swipes else float("inf")
    launch = statistics.median(launches)
    peak_mb = max(rss) / 1024
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| painted fps at 120x40 (lower of the two clips) | {fps_120:.1f} | {verdict('fps 120x40', fps_120)} |")
    landscape_200 = fps["200x60 landscape"]
    print(
        f"| painted fps at 200x60, landscape | {landscape_200:.1f} | {verdict('fps 200x60 landscape', landscape_200)} |"
    )
    spread = f"(min {min(swipes):.0f}, max {max(swipes):.0f}, n={len(swipes)})" if swipes else "(none recorded)"
    swipe_verdict = verdict("swipe median ms", swipe_median)
    print(f"| swipe to first frame, median {spread} | {swipe_median:.0f} ms | {swipe_verdict} |")
    spread = f"(min {1000 * min(launches):.0f}, max {1000 * max(launches):.0f}, n={len(launches)})"
    print(
        f"| launch to first frame, median {spread} | {1000 * launch:.0f} ms | {verdict('launch ms', 1000 * launch)} |"
    )
    print(f"| peak RSS (largest run) | {peak_mb:.0f} MB | {verdict('peak RSS MB', peak_mb)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
