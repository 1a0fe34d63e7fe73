"""Real pixels in a real kitty: `python benchmarks/kitty_pixels.py [--kitty PATH]` plays tuifeed in kitty and looks.

kitty (0.41.1 from benchmarks/kitty_prefix.sh unless --kitty names another) runs under Xvfb with software GL,
and real tuifeed plays in it a clip made here: four scenes cut from a photo, one second each, over and over.
ImageMagick's `import` takes screenshots of the display; the picture's box is found in each (the scenes
have no dark pixels, the letterbox is black) and compared with the scenes it could show.

Runs: `--render auto` (the probe must trust kitty's placeholders: frames by shared memory), `--render kitty`
(shared memory), `--render kitty` with SSH_CONNECTION set (the probe says "over SSH": frames zlib-compressed
in chunked escape codes), `--render halfblock` as the yardstick of what cells alone show, and `--render auto`
inside a private tmux server (`tmux -L`) in kitty, with allow-passthrough on (real pixels through tmux), off
(half-blocks), and on with `--render kitty` and SSH_CONNECTION set (chunked frames through tmux); `tuifeed
doctor` runs first in each tmux pane and its video line is printed. Per run and shot: PSNR of the box against
the best-matching scene, in dB; every horizontal band of a shot must match the same scene (no half-replaced
frame). Then a swipe (real pixels again), "Why this clip?" opens (the picture around the dialog must be the
scene, dimmed), closes (real pixels again), and `q` quits: exit status 0, no object left in /dev/shm, no
picture or placeholder cell left on the screen (or in tmux's pane).
Needs: Xvfb, ImageMagick, ffmpeg, patchelf (apt-get install xvfb imagemagick ffmpeg patchelf).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
SCENES = 4
SCENE_SIZE = (1280, 720)
BANDS = 8
"""Horizontal bands of a shot, each matched to a scene on its own: all must agree."""
TORN_DB = 6.0
"""A band this much below the shot's PSNR shows part of another frame."""
SHOTS = 5
REAL_PIXELS_DB = 36.0
"""Least PSNR that counts as real pixels (half-blocks of this picture measured 27-32 dB: see the halfblock run)."""
WAIT = 20.0
"""Seconds a key's effect may take to show (software GL and tuifeed share two cores)."""
SCREEN = "1280x800x24"
PLACEHOLDER = "\U0010eeee"
TUIFEED = shutil.which("tuifeed", path=str(Path(sys.executable).parent)) or "tuifeed"

Picture = NDArray[np.float64]


@dataclass
class Run:
    """One tuifeed session in kitty: how it was started and what the screenshots showed."""

    name: str
    render: str
    env: dict[str, str] = field(default_factory=dict)
    tmux: str | None = None
    """Inside a private tmux server started in kitty, with this value of allow-passthrough (None: no tmux)."""
    reason: str = ""
    doctor: str = ""
    """`tuifeed doctor`'s video line, run in the same terminal just before playing."""
    psnr: list[float] = field(default_factory=list)
    torn: int = 0
    dimmed: bool = False
    dimmed_whole: bool = False
    after_swipe: float | None = None
    after_why: float | None = None
    exit_code: int | None = None
    shm_left: list[str] = field(default_factory=list)
    left_on_screen: bool = False
    """A picture (or placeholder cells in tmux's pane) still showing after tuifeed quit."""
    problems: list[str] = field(default_factory=list)


# -- the clip -------------------------------------------------------------------------------------------


def make_scenes(folder: Path) -> list[Picture]:
    """Four 1280x720 crops of a photo, brightened so no pixel is dark (the letterbox is black)."""
    import skimage.data

    photo = Image.fromarray(skimage.data.astronaut()).resize((2048, 2048), Image.Resampling.LANCZOS)
    scenes = []
    for index in range(SCENES):
        left, top = (index % 2) * 768, (index // 2) * 1000 + 100
        crop = np.asarray(photo.crop((left, top, left + SCENE_SIZE[0], top + SCENE_SIZE[1])), dtype=np.float64)
        scene = np.round(56 + crop * (199 / 255)).astype(np.uint8)
        Image.fromarray(scene).save(folder / f"scene{index}.png")
        scenes.append(scene.astype(np.float64))
    return scenes


def make_clip(folder: Path) -> Path:
    """32 s at 30 fps: the scenes in turn, one second each (near-lossless H.264, 4:4:4)."""
    inputs: list[str] = []
    for index in range(SCENES):
        inputs += ["-loop", "1", "-framerate", "30", "-t", "1", "-i", str(folder / f"scene{index}.png")]
    cycle = folder / "cycle.mp4"
    concat = "".join(f"[{index}:v]" for index in range(SCENES)) + f"concat=n={SCENES}:v=1[v]"
    encode = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "8", "-pix_fmt", "yuv444p", "-g", "30"]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", concat, "-map", "[v]", *encode, str(cycle)],
        check=True,
    )  # fmt: skip
    library = folder / "library"
    library.mkdir()
    clip = library / "scenes.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-stream_loop", "7", "-i", str(cycle), "-c", "copy", str(clip)], check=True
    )
    return clip


# -- looking at the screen ------------------------------------------------------------------------------


def screenshot(display: str) -> Picture:
    """The whole X display as RGB."""
    shot = subprocess.run(
        ["import", "-display", display, "-window", "root", "png:-"], capture_output=True, check=True, timeout=30
    ).stdout
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(shot)
        buffer.seek(0)
        return np.asarray(Image.open(buffer).convert("RGB"), dtype=np.float64)


def picture_box(shot: Picture) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the picture: the largest block where nearly every pixel is bright."""
    bright = shot.min(axis=2) > 32
    columns = np.flatnonzero(bright.mean(axis=0) > 0.3)
    if columns.size < 64:
        return None
    left, right = int(columns[0]), int(columns[-1]) + 1
    rows = np.flatnonzero(bright[:, left:right].mean(axis=1) > 0.97)
    if rows.size < 36:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    return top, left, bottom, right


def fitted(scene: Picture, height: int, width: int) -> Picture:
    """A scene scaled to a box (area averaging, as a terminal's scaler does roughly)."""
    image = Image.fromarray(scene.astype(np.uint8)).resize((width, height), Image.Resampling.BOX)
    return np.asarray(image, dtype=np.float64)


def psnr(a: Picture, b: Picture) -> float:
    """Peak signal-to-noise ratio in dB (8-bit peak)."""
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def inner(box: tuple[int, int, int, int]) -> tuple[slice, slice]:
    """The box less a 3-pixel rim (the picture's edge pixels blend with the letterbox)."""
    top, left, bottom, right = box
    return slice(top + 3, bottom - 3), slice(left + 3, right - 3)


def judge(shot: Picture, box: tuple[int, int, int, int], scenes: list[Picture]) -> tuple[float, bool]:
    """PSNR against the best scene, and whether every band of the shot chose that same scene."""
    rows, cols = inner(box)
    crop = shot[rows, cols]
    height = crop.shape[0]
    candidates = [fitted(scene, box[2] - box[0], box[3] - box[1])[3:-3, 3:-3] for scene in scenes]
    scores = [psnr(crop, candidate) for candidate in candidates]
    best = int(np.argmax(scores))
    cuts = np.linspace(0, height, BANDS + 1).astype(int)
    bands = [[psnr(crop[a:b], candidate[a:b]) for candidate in candidates] for a, b in itertools.pairwise(cuts)]
    agree = {int(np.argmax(band)) for band in bands} == {best}
    # A few cells of another frame (a row rewritten half-way) pull one band well below the rest.
    even = min(band[best] for band in bands) >= scores[best] - TORN_DB
    return scores[best], agree and even


def dimmed_around_a_dialog(shot: Picture, box: tuple[int, int, int, int], scenes: list[Picture]) -> tuple[bool, bool]:
    """Whether the side strips of the box (beside the dialog) show a scene, darker (a modal tints what it
    covers), and whether every band of them shows the same scene (a picture painted from one frame)."""
    rows, cols = inner(box)
    crop = shot[rows, cols]
    height, width = crop.shape[:2]
    strip = max(8, width // 8)
    sides = np.concatenate([crop[:, :strip], crop[:, -strip:]], axis=1).mean(axis=2)
    sources = []
    for scene in scenes:
        candidate = fitted(scene, box[2] - box[0], box[3] - box[1])[3:-3, 3:-3]
        sources.append(np.concatenate([candidate[:, :strip], candidate[:, -strip:]], axis=1).mean(axis=2))

    def correlation(a: Picture, b: Picture) -> float:
        return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])

    scores = [correlation(sides, source) for source in sources]
    best = int(np.argmax(scores))
    dimmed = scores[best] > 0.8 and float(sides.mean() / sources[best].mean()) < 0.9
    cuts = np.linspace(0, height, BANDS + 1).astype(int)
    bands = {
        int(np.argmax([correlation(sides[a:b], source[a:b]) for source in sources]))
        for a, b in itertools.pairwise(cuts)
    }
    return dimmed, bands == {best}


# -- one session ----------------------------------------------------------------------------------------


class Session:
    """kitty running tuifeed on one display, with a remote-control socket to type into it."""

    def __init__(self, kitty: str, display: str, scratch: Path, run: Run, home: dict[str, str]) -> None:
        """Start kitty on ``display`` with tuifeed playing as ``run`` says."""
        self.display = display
        self.socket = scratch / f"kitty-{run.name.replace(' ', '-')}.sock"
        self.exit_file = scratch / f"exit-{run.name.replace(' ', '-')}"
        self.kitten = str(Path(kitty).resolve().parent.parent / "root" / "usr" / "bin" / "kitten")
        if not os.path.exists(self.kitten):
            self.kitten = shutil.which("kitten") or "kitten"
        dropped = ("COLUMNS", "LINES", "TUIFEED_", "TEXTUAL", "NO_COLOR", "FORCE_COLOR", "TMUX", "SSH_")
        env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
        env.update(home)
        env.update(run.env)
        env.update(DISPLAY=display, LIBGL_ALWAYS_SOFTWARE="1")
        options = [
            "linux_display_server=x11", "allow_remote_control=yes", "font_size=10", "remember_window_size=no",
            "initial_window_width=1240", "initial_window_height=760", "confirm_os_window_close=0",
            "shell_integration=disabled", "update_check_interval=0", "enable_audio_bell=no",
        ]  # fmt: skip
        play = [TUIFEED, "play", "--db", home["TUIFEED_DB"], "--render", run.render]
        script = '"$@"; echo $? > "$EXIT_FILE"'
        if run.tmux is not None:
            # Doctor first, on the pane (it probes only a terminal), whose normal screen keeps its lines
            # under tuifeed's alternate screen; the shell stays so the pane can be read after the exit.
            script = f"tuifeed doctor; {script}; sleep 600"
        inner = ["sh", "-c", script, "sh", *play]
        command = [kitty, "--config", "NONE", "--listen-on", f"unix:{self.socket}"]
        for option in options:
            command += ["-o", option]
        self.tmux: list[str] | None = None
        if run.tmux is not None:
            conf = scratch / f"tmux-{run.name.replace(' ', '-')}.conf"
            conf.write_text(f"set -g allow-passthrough {run.tmux}\nset -g status off\n", encoding="utf-8")
            self.tmux = ["tmux", "-L", f"tuifeed-kitty-{os.getpid()}-{run.name.replace(' ', '-')}"]
            inner = [*self.tmux, "-f", str(conf), "new-session", shlex.join(inner)]
        command += inner
        env["PATH"] = f"{Path(TUIFEED).parent}{os.pathsep}{env.get('PATH', '')}"
        env["EXIT_FILE"] = str(self.exit_file)
        self.log = open(scratch / f"kitty-{run.name.replace(' ', '-')}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def send(self, text: str) -> None:
        """Type ``text`` into tuifeed's terminal."""
        subprocess.run(
            [self.kitten, "@", "--to", f"unix:{self.socket}", "send-text", text],
            capture_output=True, check=True, timeout=10, env={**os.environ, "DISPLAY": self.display},
        )  # fmt: skip

    def wait_exit(self, timeout: float) -> int | None:
        """tuifeed's exit status once it has quit (None: still running at the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exit_file.exists() and self.exit_file.read_text().strip():
                return int(self.exit_file.read_text())
            time.sleep(0.2)
        return None

    def pane(self) -> str:
        """What tmux's pane holds now, as text ("" outside tmux)."""
        if self.tmux is None:
            return ""
        captured = subprocess.run([*self.tmux, "capture-pane", "-pJ"], capture_output=True, text=True, timeout=10)
        return captured.stdout

    def close(self) -> None:
        """End kitty (and the tmux server)."""
        if self.tmux is not None:
            subprocess.run([*self.tmux, "kill-server"], capture_output=True, timeout=10, check=False)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def settled(display: str, scenes: list[Picture]) -> float | None:
    """The PSNR of the picture once it shows real pixels again (or the last seen, at most ``WAIT`` seconds on)."""
    seen: float | None = None
    deadline = time.monotonic() + WAIT
    while (seen or 0.0) < REAL_PIXELS_DB and time.monotonic() < deadline:
        shot = screenshot(display)
        found = picture_box(shot)
        if found is not None:
            seen = judge(shot, found, scenes)[0]
    return seen


def shm_objects() -> set[str]:
    """tuifeed's objects in /dev/shm."""
    return {name for name in os.listdir("/dev/shm") if name.startswith("tuifeed-")}


def play(
    kitty: str, display: str, scratch: Path, run: Run, home: dict[str, str], scenes: list[Picture], shots: int
) -> None:
    """One session: shots while playing, the Why dialog, quitting; what was seen goes into ``run``."""
    before = shm_objects()
    log = Path(home["TUIFEED_LOG"])
    log.write_text("")
    session = Session(kitty, display, scratch, run, home)
    keep = os.environ.get("KITTY_PIXELS_KEEP")
    try:
        box = None
        deadline = time.monotonic() + 60
        while box is None and time.monotonic() < deadline:
            time.sleep(1.0)
            box = picture_box(screenshot(display))
        lines = log.read_text().splitlines()
        run.reason = next((line.split("video: ", 1)[1] for line in lines if "video: " in line), "")
        if box is None:
            run.problems.append("no picture within 60 s")
            return
        time.sleep(1.5)  # past the first frames, when the feed settles
        for index in range(shots):
            shot = screenshot(display)
            if keep:
                Image.fromarray(shot.astype(np.uint8)).save(Path(keep) / f"{run.name.replace(' ', '-')}-{index}.png")
            found = picture_box(shot)
            if found is None:
                run.problems.append(f"shot {index}: no picture")
                continue
            score, whole = judge(shot, found, scenes)
            run.psnr.append(score)
            run.torn += not whole
            box = found
            time.sleep(0.37)  # out of step with the scenes' one-second cuts
        session.send("j")
        run.after_swipe = settled(display, scenes)
        session.send("w")
        deadline = time.monotonic() + WAIT
        while not run.dimmed and time.monotonic() < deadline:
            shot = screenshot(display)
            run.dimmed, run.dimmed_whole = dimmed_around_a_dialog(shot, box, scenes)
        if keep:
            Image.fromarray(shot.astype(np.uint8)).save(Path(keep) / f"{run.name.replace(' ', '-')}-why.png")
        time.sleep(1.0)  # a few frames under the dialog, painted by Textual
        shot = screenshot(display)
        dimmed, whole = dimmed_around_a_dialog(shot, box, scenes)
        run.dimmed_whole &= dimmed and whole
        session.send("\x1b")
        deadline = time.monotonic() + WAIT
        while (run.after_why or 0.0) < REAL_PIXELS_DB and time.monotonic() < deadline:
            shot = screenshot(display)
            found = picture_box(shot)
            if found is not None:
                run.after_why = judge(shot, found, scenes)[0]
        if keep:
            Image.fromarray(shot.astype(np.uint8)).save(Path(keep) / f"{run.name.replace(' ', '-')}-after.png")
        session.send("q")
        run.exit_code = session.wait_exit(30)
        time.sleep(1.0)  # the terminal redraws what tuifeed left
        pane = session.pane()
        run.left_on_screen = picture_box(screenshot(display)) is not None or PLACEHOLDER in pane
        run.doctor = next((line.strip() for line in pane.splitlines() if "video:" in line), "")
    finally:
        session.close()
    run.shm_left = sorted(shm_objects() - before)


# -- the whole check ------------------------------------------------------------------------------------


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An X server on a free display, which it names itself."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write,), stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    return xvfb, f":{number}"


def the_kitty(asked: str | None) -> str:
    """The kitty to run: --kitty, else the private prefix (built when missing)."""
    if asked:
        return asked
    built = subprocess.run(
        ["sh", str(REPO / "benchmarks" / "kitty_prefix.sh")], stdout=subprocess.PIPE, text=True, check=True
    )
    return built.stdout.strip().splitlines()[-1]


def main() -> int:
    """Build the clip, play it in kitty four ways, print the figures and a verdict per check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kitty", help="the kitty to run (default: Debian 13's, from benchmarks/kitty_prefix.sh)")
    parser.add_argument("--shots", type=int, default=SHOTS, help=f"screenshots while playing, per run ({SHOTS})")
    runs_help = "comma-separated runs: auto, shm, chunked, halfblock, passthrough, nopassthrough, ssh (default: all)"
    parser.add_argument("--only", help=runs_help)
    args = parser.parse_args()
    missing = [tool for tool in ("Xvfb", "import", "ffmpeg") if shutil.which(tool) is None]
    if missing:
        print(f"needs {', '.join(missing)}: apt-get install xvfb imagemagick ffmpeg")
        return 1
    kitty = the_kitty(args.kitty)
    version = subprocess.run([kitty, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    runs = [
        Run("auto", "auto"),
        Run("kitty shm", "kitty"),
        Run("kitty chunked", "kitty", {"SSH_CONNECTION": "192.0.2.1 50000 192.0.2.2 22"}),
        Run("halfblock", "halfblock"),
        Run("tmux passthrough", "auto", tmux="on"),
        Run("tmux nopassthrough", "auto", tmux="off"),
        Run("tmux ssh", "kitty", {"SSH_CONNECTION": "192.0.2.1 50000 192.0.2.2 22"}, tmux="on"),
    ]
    only = set(args.only.split(",")) if args.only else {run.name.split()[-1] for run in runs}
    with tempfile.TemporaryDirectory(prefix="tuifeed-kitty-") as scratch_name:
        scratch = Path(scratch_name)
        scenes = make_scenes(scratch)
        clip = make_clip(scratch)
        config = scratch / "config.toml"
        config.write_text('[player]\naudio_output = "adummy"\n[display]\ninfo_panel = false\n', encoding="utf-8")
        home = {
            "TUIFEED_CONFIG": str(config),
            "TUIFEED_DATA_DIR": str(scratch / "data"),
            "TUIFEED_LOG": str(scratch / "tuifeed.log"),
            "TUIFEED_CACHE_DIR": str(scratch / "cache"),
            "TUIFEED_DB": str(scratch / "library.db"),
        }
        subprocess.run(
            [TUIFEED, "import", "--db", home["TUIFEED_DB"], str(clip.parent)],
            env={**os.environ, **home}, capture_output=True, check=True,
        )  # fmt: skip
        xvfb, display = start_xvfb()
        try:
            for run in runs:
                if run.name.split()[-1] in only:
                    play(kitty, display, scratch, run, home, scenes, args.shots)
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=10)
    return report(version, runs, only, args.shots)


def report(version: str, runs: list[Run], only: set[str], shots: int) -> int:
    """Print the figures and the verdicts of the runs made; 0 when every check passed."""
    print(f"{version}, under Xvfb (software GL); {shots} shots a run, PSNR of the picture against its scene")
    made = [run for run in runs if run.name.split()[-1] in only]
    for run in made:
        figures = ", ".join(f"{value:.1f}" for value in run.psnr) or "none"
        after = f"{run.after_why:.1f} dB" if run.after_why is not None else "no picture"
        swiped = f"{run.after_swipe:.1f} dB" if run.after_swipe is not None else "no picture"
        after = f"{after}; after swipe: {swiped}"
        print(f"  {run.name:18} {figures} dB; after Why: {after}; exit {run.exit_code}; video: {run.reason}")
        if run.tmux is not None:
            print(f"  {'':18} doctor in that tmux: {run.doctor}")
    checks: list[tuple[bool, str]] = []
    auto, _, chunked, halfblock, passthrough, nopassthrough, tmux_ssh = runs
    if auto in made:
        trusted = "Unicode placeholders" in auto.reason and "sent by shm" in auto.reason
        checks.append((trusted, "the probe trusts kitty"))
    if chunked in made:
        checks.append(("sent by direct" in chunked.reason, "over SSH, --render kitty sends frames in chunks"))
    if passthrough in made:
        trusted = "Unicode placeholders" in passthrough.reason and "Unicode placeholders" in passthrough.doctor
        checks.append((trusted, "in tmux with allow-passthrough, the probe (and doctor) trust the kitty outside"))
    if tmux_ssh in made:
        checks.append(("sent by direct" in tmux_ssh.reason, "through tmux over SSH, frames in chunks"))
    if nopassthrough in made:
        checks.append(("half-blocks" in nopassthrough.reason, "in tmux without allow-passthrough, half-blocks"))
        cells = bool(nopassthrough.psnr) and max(nopassthrough.psnr) < REAL_PIXELS_DB
        checks.append((cells, "in tmux without allow-passthrough, the picture is cells (half-block PSNR)"))
    halfblock_best = max(halfblock.psnr, default=REAL_PIXELS_DB - 5)
    for run in made:
        if run in (halfblock, nopassthrough):
            continue
        real = bool(run.psnr) and len(run.psnr) == shots and min(run.psnr) >= REAL_PIXELS_DB
        checks.append((real and min(run.psnr) > halfblock_best + 5, f"{run.name}: real pixels in every shot"))
        back = run.after_why is not None and run.after_why >= max(REAL_PIXELS_DB, halfblock_best + 5)
        checks.append((back, f"{run.name}: real pixels again once the dialog closed"))
        swiped = run.after_swipe is not None and run.after_swipe >= max(REAL_PIXELS_DB, halfblock_best + 5)
        checks.append((swiped, f"{run.name}: real pixels after a swipe"))
    for run in made:
        checks.append((run.torn == 0 and len(run.psnr) == shots, f"{run.name}: no half-replaced frame"))
        checks.append((run.dimmed, f"{run.name}: the Why dialog over the dimmed picture"))
        checks.append((run.dimmed_whole, f"{run.name}: the dimmed picture is one frame (two shots)"))
        checks.append((run.exit_code == 0 and not run.problems, f"{run.name}: clean exit {run.problems or ''}"))
        checks.append((not run.shm_left, f"{run.name}: /dev/shm left empty {run.shm_left or ''}"))
        checks.append((not run.left_on_screen, f"{run.name}: no picture or placeholder left after the exit"))
    for ok, what in checks:
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
