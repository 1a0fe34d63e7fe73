"""Install benchmark: tuifeed installed as people install it, from a fresh clone, with no terminal.

Usage: python benchmarks/install.py [--only pip,pipx,pipx-uv,uv] [--keep]

Needs the network (PyPI), git, tmux and ffmpeg; pipx and uv are taken from PATH or installed into a
throw-away venv with pip. Each method installs the committed HEAD of this checkout, cloned afresh,
into its own prefix under a temporary folder (`pip install .` into a new venv, `pipx install .` with
its pip and its uv backend, `uv tool install .`), each step run like CI runs: `env -i` with a fresh
HOME, a new session and no standard input. Then, for each: `--version`, `--help`, `doctor` (which must
find the bundled samples under that prefix), the bundled samples played in tmux in a fresh HOME (a
picture, the panel, `q` quits with 0, an impression in SQLite), `import` of a folder with one ffmpeg
clip, `search` (a miss exits 1), `stats`, and a play of the imported clip; then each method's
`tuifeed` in the HOME where the one before it played its samples must play its own samples in their
place ("switch"). Prints one row per method with the install time and every check. Too slow and too
networked for the suite: run it by hand.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
METHODS = ("pip", "pipx", "pipx-uv", "uv")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass
class Method:
    """One way of installing: where its `tuifeed` lands and where its bundled samples must be found."""

    name: str
    bin_dir: Path
    media: Path
    install: list[str]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    """What one method's run found: check name to None (passed) or what went wrong."""

    name: str
    install_s: float = 0.0
    checks: dict[str, str | None] = field(default_factory=dict)


def run(argv: list[str], home: Path, path: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`argv` as CI runs it: only HOME, PATH and LANG (plus `env`), a new session, no standard input."""
    home.mkdir(parents=True, exist_ok=True)
    environment = {"HOME": str(home), "PATH": path, "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run(
        argv,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        start_new_session=True,
        timeout=600,
    )


def tool(name: str, tools: Path) -> str:
    """`name` from PATH, else installed with pip into the throw-away venv `tools`."""
    found = shutil.which(name)
    if found:
        return found
    if not (tools / "bin" / "pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
    subprocess.run([str(tools / "bin" / "pip"), "install", "-q", name], check=True, stdin=subprocess.DEVNULL)
    return str(tools / "bin" / name)


def methods(work: Path, source: Path, only: list[str]) -> list[Method]:
    """The installs to try, each into its own prefix under `work`."""
    tools = work / "tools"
    # uv verifies TLS with its own roots unless told: the system's store also holds a local proxy's CA.
    uv_env = {"UV_SYSTEM_CERTS": "1", "UV_CACHE_DIR": str(work / "uv-cache")}
    chosen: list[Method] = []
    for name in only:
        if name == "pip":
            venv = work / "venv"
            script = f"python3 -m venv {venv} && {venv}/bin/pip install -q {source}"
            chosen.append(Method(name, venv / "bin", venv / "share/tuifeed/media", ["sh", "-c", script]))
        elif name in ("pipx", "pipx-uv"):
            home, bin_dir = work / f"{name}-home", work / f"{name}-bin"
            env = {"PIPX_HOME": str(home), "PIPX_BIN_DIR": str(bin_dir), "PIPX_MAN_DIR": str(work / f"{name}-man")}
            backend = "pip"
            if name == "pipx-uv":
                backend = "uv"
                env |= {**uv_env, "PATH": f"{Path(tool('uv', tools)).parent}:{SYSTEM_PATH}"}
            command = [tool("pipx", tools), "install", "--backend", backend, str(source)]
            chosen.append(Method(name, bin_dir, home / "venvs/tuifeed/share/tuifeed/media", command, env))
        elif name == "uv":
            tools_dir, bin_dir = work / "uv-tools", work / "uv-bin"
            env = {**uv_env, "UV_TOOL_DIR": str(tools_dir), "UV_TOOL_BIN_DIR": str(bin_dir)}
            command = [tool("uv", tools), "tool", "install", str(source)]
            chosen.append(Method(name, bin_dir, tools_dir / "tuifeed/share/tuifeed/media", command, env))
    return chosen


def play(method: Method, home: Path, path: str, expect: str) -> str | None:
    """`tuifeed` in a fresh tmux server: after 3 s a picture and `expect` in the panel; `q` quits with 0."""
    socket = f"tuifeed-install-{method.name}-{home.name}"

    def tmux(*argv: str) -> subprocess.CompletedProcess[str]:
        return run(["tmux", "-L", socket, "-f", "/dev/null", *argv], home, path)

    tmux("new-session", "-d", "-x", "120", "-y", "40", "tuifeed; echo EXIT=$?; sleep 60")
    try:
        time.sleep(3)
        screen = tmux("capture-pane", "-p").stdout
        if "▀" not in screen:
            return f"no picture after 3 s:\n{screen}"
        if expect not in screen:
            return f"no {expect!r} in the panel:\n{screen}"
        tmux("send-keys", "q")
        for _ in range(100):
            time.sleep(0.1)
            screen = tmux("capture-pane", "-p").stdout
            if "EXIT=" in screen:
                break
        if "EXIT=0" not in screen:
            return f"q did not quit with 0:\n{screen}"
    finally:
        tmux("kill-server")
    database = home / ".local/share/tuifeed/tuifeed.db"
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM impressions").fetchone()
    return None if count else f"no impression in {database}"


def command(method: Method, home: Path, path: str, argv: list[str], status: int, want: str) -> str | None:
    """Run `tuifeed ARGV`: None when it exits with `status` and prints `want`, else what it did."""
    done = run(["tuifeed", *argv], home, path)
    if done.returncode == status and want in done.stdout:
        return None
    return f"exit {done.returncode}, wanted {status} and {want!r}:\n{done.stdout}{done.stderr}"


def check(method: Method, work: Path, clips: Path) -> Result:
    """Install with `method`, then every check; a failed install skips the checks."""
    result = Result(method.name)
    start = time.perf_counter()
    done = run(method.install, work / f"home-{method.name}-install", method.env.get("PATH", SYSTEM_PATH), method.env)
    result.install_s = time.perf_counter() - start
    if done.returncode != 0:
        result.checks["install"] = done.stdout + done.stderr
        return result
    path = f"{method.bin_dir}:{SYSTEM_PATH}"
    home = work / f"home-{method.name}"
    fresh = work / f"home-{method.name}-samples"
    steps: list[tuple[str, Callable[[], str | None]]] = [
        ("version", lambda: command(method, home, path, ["--version"], 0, "tuifeed ")),
        ("help", lambda: command(method, home, path, ["--help"], 0, "doctor")),
        ("doctor", lambda: command(method, home, path, ["doctor"], 1, f"bundled sample clips in {method.media}")),
        ("samples", lambda: play(method, fresh, path, "of 17")),
        ("import", lambda: command(method, home, path, ["import", str(clips)], 0, "Import summary")),
        ("search", lambda: command(method, home, path, ["search", "x"], 1, "No clip matches")),
        ("stats", lambda: command(method, home, path, ["stats"], 0, "Watch time")),
        ("play", lambda: play(method, home, path, "seen 1 of 1")),
    ]
    for name, step in steps:
        result.checks[name] = step()
    return result


def switch(before: Method, after: Method, work: Path) -> str | None:
    """`after`'s tuifeed in the HOME where `before`'s played its samples: it plays its own samples instead."""
    home = work / f"home-{before.name}-samples"
    path = f"{after.bin_dir}:{SYSTEM_PATH}"
    if why := play(after, home, path, "of 17"):
        return why
    listed = run(["tuifeed", "library"], home, path).stdout
    if str(after.media) in listed and str(before.media) not in listed and "(bundled samples" in listed:
        return None
    return f"tuifeed library after the switch:\n{listed}"


def main() -> int:
    """Install with each method and print what worked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name]
    if unknown := set(only) - set(METHODS):
        parser.error(f"unknown methods: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="tuifeed-install-"))
    try:
        source = work / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO), str(source)], check=True)
        clips = work / "clips"
        clips.mkdir()
        clip = ["-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
        sources = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440"]
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", *sources, *clip, str(clips / "test_clip.mp4")],
            check=True,
            stdin=subprocess.DEVNULL,
        )
        chosen = methods(work, source, only)
        results = [check(method, work, clips) for method in chosen]
        for before, after, result in zip(chosen, chosen[1:], results[1:], strict=False):
            result.checks["switch"] = switch(before, after, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    names = ["install", "version", "help", "doctor", "samples", "import", "search", "stats", "play", "switch"]
    print(f"{'method':8} {'install s':>9}  " + " ".join(f"{name:7}" for name in names))
    failures = []
    for result in results:
        marks = [
            "fail" if result.checks.get(name) else ("ok" if name in result.checks or name == "install" else "-")
            for name in names
        ]
        print(f"{result.name:8} {result.install_s:9.1f}  " + " ".join(f"{mark:7}" for mark in marks))
        failures += [f"{result.name} {name}: {why}" for name, why in result.checks.items() if why]
    for failure in failures:
        print(f"\n{failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
