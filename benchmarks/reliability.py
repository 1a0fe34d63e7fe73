"""Reliability in a real terminal: `python benchmarks/reliability.py` runs tuifeed in tmux and prints figures.

Kills survived and stays lost per SIGKILL during play; hostile files imported and played (crashes, and the
escapes from their names and sidecars that reached the terminal, read from a tmux `pipe-pane` byte stream);
write locks held by another connection for 3-10 s and a full disk (a small tmpfs, which needs root) while
swiping, survived with every stay landed once; and a soak of fast swipes with the RSS and open file
descriptors after the first 50 and after all of them. Options: --kills, --swipes, --only SECTION.
Needs tmux; builds its hostile files with PyAV (tests/library/conftest.py).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "benchmarks"), str(REPO / "tests" / "library")]

from playback import MEDIA, Terminal, clean_environment  # noqa: E402

SECTIONS = ("kills", "hostile", "locks", "disk", "soak")
LOCK_SECONDS = (3.0, 6.0, 10.0)
RSS_TARGET = 1.20
"""RSS after all the soak's swipes over RSS after the first 50: at most this."""
ESCAPES = {
    "OSC 52 clipboard": b"\x1b]52;",
    "OSC 0 title": b"\x1b]0;",
    "8-bit CSI": "\x9b".encode(),
    "RTL override": "\u202e".encode(),
    "NUL": b"\x00",
}
"""What hostile names and sidecars carry that Textual itself never writes: each one seen is one that got through."""


class Home:
    """An isolated tuifeed home: config (libvlc's dummy audio), data, log, and one database."""

    def __init__(self, root: Path, db: Path | None = None) -> None:
        """Everything under `root`; the database at `db` (default: root/tuifeed.db)."""
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.db = db or root / "tuifeed.db"
        self.log = root / "tuifeed.log"
        config = root / "config.toml"
        config.write_text('[player]\naudio_output = "adummy"\n', encoding="utf-8")
        self.env = {
            "COLORTERM": "truecolor",
            "TUIFEED_CONFIG": str(config),
            "TUIFEED_DATA_DIR": str(root / "data"),
            "TUIFEED_LOG": str(self.log),
        }
        self.tuifeed = shutil.which("tuifeed", path=str(Path(sys.executable).parent)) or "tuifeed"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A non-interactive command (import, library)."""
        command, *rest = args
        return subprocess.run(
            [self.tuifeed, command, "--db", str(self.db), *rest],
            env={**clean_environment(), **self.env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        """A query on the database, waiting on a lock if another connection holds one."""
        with sqlite3.connect(self.db, timeout=30) as db:
            return db.execute(sql).fetchall()

    def play(self, terminal: Terminal, *args: str) -> None:
        """Start `tuifeed play` in the terminal's shell; it prints EXITED:<code> when done."""
        argv = [self.tuifeed, "play", "--db", str(self.db), "--seed", "7", *args]
        terminal.type_line(f"{shlex.join(argv)}; echo EXITED:$?")


def library(home: Home, count: int) -> None:
    """Import `count` bundled clips into the home's database."""
    folder = home.root / "clips"
    folder.mkdir(exist_ok=True)
    for clip in sorted(MEDIA.glob("*.mp4"))[:count]:
        (folder / clip.name).symlink_to(clip)
    done = home.run("import", "--follow-links", str(folder))
    if done.returncode != 0:
        raise RuntimeError(f"import failed: {done.stderr}")


def wait(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll until `condition` holds; raise after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def stays(home: Home) -> int:
    """How many impressions the database holds."""
    return int(home.rows("SELECT count(*) FROM impressions")[0][0])  # type: ignore[call-overload]


def exited(terminal: Terminal) -> str | None:
    """The exit code the shell printed, once it has."""
    found = re.findall(r"EXITED:(\d+)", terminal.tmux("capture-pane", "-p"))
    return found[-1] if found else None


def alive(pid: int) -> bool:
    """Whether the process runs (and is not a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fds(pid: int) -> int:
    """Open file descriptors of a process."""
    return len(os.listdir(f"/proc/{pid}/fd"))


# -- sections ----------------------------------------------------------------------------------------------


def kills(scratch: Path, count: int) -> list[str]:
    """SIGKILL during play `count` times, each after a swipe and a checkpoint; stays lost, integrity."""
    home = Home(scratch / "kills")
    library(home, 3)
    terminal = Terminal(120, 40, home.env)
    lost = survived = 0
    try:
        for _ in range(count):
            before = stays(home)
            home.play(terminal)
            wait(lambda: stays(home) == before + 1, "the first stay")  # noqa: B023
            time.sleep(1.0)
            terminal.tmux("send-keys", "j")
            wait(lambda: stays(home) == before + 2, "the second stay")  # noqa: B023
            time.sleep(2.5)  # a checkpoint of the clip on screen
            os.kill(terminal.app_pid(), 9)
            wait(lambda: exited(terminal) is not None, "the shell")
            # The killed app left the tty raw (Enter is a bare CR): end the line with Ctrl-J.
            terminal.tmux("send-keys", "-l", "stty sane; clear")
            terminal.tmux("send-keys", "C-j")
            wait(lambda: exited(terminal) is None, "the shell to clear the screen")
            after = stays(home)
            lost += before + 2 - after
            survived += int(after == before + 2)
        home.play(terminal)  # the start after the last kill closes what it left open
        wait(lambda: stays(home) == 2 * count + 1, "the last start")
        terminal.tmux("send-keys", "q")
        wait(lambda: exited(terminal) is not None, "quit")
    finally:
        terminal.close()
    killed = home.rows("SELECT count(*) FROM impressions WHERE exit = 'killed'")[0][0]
    still_open = home.rows("SELECT count(*) FROM impressions WHERE ended_at IS NULL")[0][0]
    integrity = home.rows("PRAGMA integrity_check")[0][0]
    return [
        f"| SIGKILL during play | {survived} of {count} survived | {lost / count:.2f} stays lost per kill; "
        f"{killed} closed as killed at the next start, {still_open} left open; integrity {integrity} |"
    ]


def hostile(scratch: Path, swipes: int = 20) -> list[str]:
    """Import the hostile library, then play it with every byte the terminal receives recorded."""
    from test_lib_hostile import build_hostile

    home = Home(scratch / "hostile")
    root, outside = home.root / "library", home.root / "outside"
    outside.mkdir()
    build_hostile(root, outside)
    done = home.run("import", "--json", str(root))
    import_crash = done.returncode not in (0, 1) or "Traceback" in done.stderr
    clips = home.rows("SELECT count(*) FROM clips")[0][0]
    stream = home.root / "terminal.bytes"
    terminal = Terminal(120, 40, home.env)
    try:
        terminal.tmux("pipe-pane", "-o", f"cat >> {shlex.quote(str(stream))}")
        home.play(terminal)
        wait(lambda: stays(home) >= 1, "the first stay")
        for key in "j" * swipes + "wk" + "\x1b" + "j" * 5:
            terminal.tmux("send-keys", "Escape" if key == "\x1b" else key)
            time.sleep(0.3)
        terminal.tmux("send-keys", "q")
        wait(lambda: exited(terminal) is not None, "quit")
        code = exited(terminal)
    finally:
        terminal.close()
    received = stream.read_bytes()
    reached = {name: received.count(pattern) for name, pattern in ESCAPES.items()}
    shown = stays(home)
    return [
        f"| hostile import ({len(os.listdir(root))} entries) | {'CRASH' if import_crash else 'no crash'} "
        f"(exit {done.returncode}) | {clips} clips in |",
        f"| hostile library played, {shown} stays | exit {code} | escapes that reached the terminal: "
        + ", ".join(f"{name} {seen}" for name, seen in reached.items())
        + f" (of {len(received) // 1024} KB) |",
    ]


def _swipe_while(terminal: Terminal, home: Home, keys: str, gap: float) -> None:
    for key in keys:
        terminal.tmux("send-keys", key)
        time.sleep(gap)


def locks(scratch: Path) -> list[str]:
    """A write lock held for 3, 6 and 10 s by another connection while swiping and liking."""
    home = Home(scratch / "locks")
    library(home, 4)
    terminal = Terminal(120, 40, home.env)
    survived = 0
    try:
        home.play(terminal)
        wait(lambda: stays(home) == 1, "the first stay")
        pid = terminal.app_pid()
        slowest = 0.0
        for seconds in LOCK_SECONDS:
            holder = sqlite3.connect(home.db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            holder.execute("UPDATE counters SET value = value")
            began = time.monotonic()
            _swipe_while(terminal, home, "jljj", seconds / 5)
            time.sleep(max(0.0, began + seconds - time.monotonic()))
            held = time.monotonic() - began
            holder.commit()
            holder.close()
            slowest = max(slowest, held)
            survived += int(alive(pid))
        terminal.tmux("send-keys", "q")
        wait(lambda: exited(terminal) is not None, "quit")
        code = exited(terminal)
    finally:
        terminal.close()
    exits = [row[0] for row in home.rows("SELECT exit FROM impressions ORDER BY seq")]
    expected = ["next"] * (3 * len(LOCK_SECONDS)) + ["quit"]
    likes = home.rows("SELECT count(*) FROM likes")[0][0]
    keys = home.rows("SELECT count(*), count(DISTINCT key) FROM impressions")[0]
    landed = exits == expected and likes == len(LOCK_SECONDS) and keys[0] == keys[1]
    return [
        f"| write lock held {', '.join(f'{s:g}' for s in LOCK_SECONDS)} s while swiping | {survived} of "
        f"{len(LOCK_SECONDS)} survived, exit {code} | every stay and like landed once, in order: {landed} "
        f"({len(exits)} stays, {likes} likes) |"
    ]


def disk(scratch: Path) -> list[str]:
    """The database on a 16 MiB tmpfs, filled up while swiping, then room made again."""
    mount = scratch / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        return [f"| disk full | not measured | cannot mount a small tmpfs: {mounted.stderr.decode().strip()} |"]
    try:
        home = Home(scratch / "disk", db=mount / "tuifeed.db")
        library(home, 4)
        terminal = Terminal(120, 40, home.env)
        try:
            home.play(terminal)
            wait(lambda: stays(home) == 1, "the first stay")
            pid = terminal.app_pid()
            filler = mount / "filler"
            with filler.open("wb") as fill:
                try:
                    while True:
                        fill.write(b"\0" * 65536)
                        fill.flush()
                except OSError:
                    pass
            _swipe_while(terminal, home, "jljjj", 0.8)
            full_screen = terminal.tmux("capture-pane", "-p")
            told = "Disk full" in full_screen
            survived = alive(pid)
            filler.unlink()
            time.sleep(2.0)
            terminal.tmux("send-keys", "q")
            wait(lambda: exited(terminal) is not None, "quit")
            code = exited(terminal)
        finally:
            terminal.close()
        exits = [row[0] for row in home.rows("SELECT exit FROM impressions ORDER BY seq")]
        landed = exits == ["next"] * 4 + ["quit"]
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
    return [
        f"| disk full while swiping | {'survived' if survived else 'DIED'}, exit {code}, calm line shown: {told} "
        f"| every stay landed once room was made: {landed} ({len(exits)} stays) |"
    ]


def soak(scratch: Path, swipes: int, gap: float = 0.05) -> list[str]:
    """`swipes` fast swipes: RSS and fds after the first 50 and after all."""
    home = Home(scratch / "soak")
    library(home, 18)
    terminal = Terminal(120, 40, home.env)
    try:
        home.play(terminal)
        wait(lambda: stays(home) == 1, "the first stay")
        pid = terminal.app_pid()
        start_rss, start_fds = rss_mb(pid), fds(pid)
        marks: dict[int, tuple[float, int]] = {}
        for number in range(1, swipes + 1):
            terminal.tmux("send-keys", "j")
            time.sleep(gap)
            if number in (50, 250, 500, swipes):
                time.sleep(1.0)
                if not alive(pid):
                    time.sleep(1.0)
                    raise RuntimeError(
                        f"tuifeed died (exit {exited(terminal)}) after {number} swipes:\n{home.log.read_text()[-3000:]}"
                    )
                marks[number] = (rss_mb(pid), fds(pid))
        terminal.tmux("send-keys", "q")
        wait(lambda: exited(terminal) is not None, "quit", timeout=60)
        code = exited(terminal)
    finally:
        terminal.close()
    at_50, at_end = marks[50], marks[swipes]
    ratio = at_end[0] / at_50[0]
    verdict = "PASS" if ratio <= RSS_TARGET else "MISS"
    trail = ", ".join(f"{n}: {rss:.0f} MB / {fd} fds" for n, (rss, fd) in marks.items())
    return [
        f"| soak, {swipes} swipes every {gap * 1000:.0f} ms | RSS {at_50[0]:.0f} MB after 50, {at_end[0]:.0f} MB "
        f"after {swipes}: x{ratio:.2f} {verdict} (<= x{RSS_TARGET:.2f}) | fds {at_50[1]} -> {at_end[1]} "
        f"(start {start_rss:.0f} MB / {start_fds} fds; {trail}); {stays(home)} stays; exit {code} |"
    ]


def main() -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--swipes", type=int, default=1000)
    parser.add_argument("--only", choices=SECTIONS, action="append")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed: sudo apt-get install tmux (or make setup-test)")
        return 1
    rows = ["| what | outcome | figures |", "|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="tuifeed-reliability-") as scratch_name:
        scratch = Path(scratch_name)
        for section in args.only or SECTIONS:
            print(f"running {section}...", file=sys.stderr)
            if section == "kills":
                rows += kills(scratch, args.kills)
            elif section == "hostile":
                rows += hostile(scratch)
            elif section == "locks":
                rows += locks(scratch)
            elif section == "disk":
                rows += disk(scratch)
            else:
                rows += soak(scratch, args.swipes)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
