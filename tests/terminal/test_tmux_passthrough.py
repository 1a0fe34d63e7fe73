"""A real tmux (a private server) in a terminal that is a script on a pty (kitty-like or not): the probe's
verdict in its pane, and what of the kitty encoder's bytes reaches the terminal outside."""

from __future__ import annotations

import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (make setup-test installs it)")

REPO = Path(__file__).resolve().parents[2]
_QUERY = re.compile(rb"\x1b_G([^;\x1b]*)[^\x1b]*\x1b\\|\x1b\[>0?q|\x1b\[16t|\x1b\[>?0?c")
PROBE = (
    "import os, sys\n"
    "from tuifeed.terminal.probe import kitty_verdict, probe\n"
    "caps = probe(os.environ)\n"
    "verdict = kitty_verdict(caps)\n"
    "open(sys.argv[1], 'w').write(f'{verdict.usable}|{caps.passthrough}|{caps.terminal}|{verdict.reason}')\n"
)
ENCODE = (
    "import os, sys\n"
    "import numpy as np\n"
    "from tuifeed.render import ColorMode\n"
    "from tuifeed.render.kitty import KittyEncoder, KittyOptions, Transport\n"
    "encoder = KittyEncoder(KittyOptions(Transport.DIRECT, passthrough=True), ColorMode())\n"
    "fit = encoder.fit(640, 320, 40, 10)\n"
    "frame = np.random.default_rng(1).integers(0, 256, (fit.pixel_size[1], fit.pixel_size[0], 4), np.uint8)\n"
    "data = encoder.encode(frame, fit, 1, 1, direct=True) + encoder.farewell()\n"
    "os.write(1, data)\n"
    "open(sys.argv[1], 'wb').write(data)\n"
)
APC = re.compile(rb"\x1b_G[^\x1b]*\x1b\\")
PLACEHOLDER = "\U0010eeee".encode()
"""The kitty placeholder character, one per cell of a picture."""


class OuterTerminal:
    """The terminal tmux runs in: answers DA1, DA2, the cell size and XTVERSION (as ``name``), and graphics
    queries only if ``kitty``; tmux takes a DA reply for its own until its own DA2 has been answered."""

    def __init__(self, master: int, name: str, kitty: bool) -> None:
        """Answer what arrives on ``master`` until stopped."""
        self._master, self._name, self._kitty = master, name, kitty
        self.received = b""
        """Everything tmux wrote to this terminal."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._answer, daemon=True)
        self._thread.start()

    def _answer(self) -> None:
        seen = b""
        while not self._stop.is_set():
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            seen += chunk
            self.received += chunk
            replies = b""
            end = 0
            for match in _QUERY.finditer(seen):
                end = match.end()
                code = match.group()
                if code.startswith(b"\x1b_G"):
                    ident = re.search(rb"i=(\d+)", match.group(1))
                    if self._kitty and ident and b"a=q" in match.group(1):
                        replies += b"\x1b_Gi=" + ident.group(1) + b";OK\x1b\\"
                elif code.endswith(b"q"):
                    replies += b"\x1bP>|" + self._name.encode() + b"\x1b\\"
                elif code.endswith(b"t"):
                    replies += b"\x1b[6;18;9t"
                elif code.startswith(b"\x1b[>"):  # DA2, which tmux asks at its start
                    replies += b"\x1b[>1;4000;41c"
                else:
                    replies += b"\x1b[?62;22c"
            seen = seen[end:]
            if replies:
                os.write(self._master, replies)

    def stop(self) -> None:
        """Stop answering."""
        self._stop.set()


RGB = "set -as terminal-features ',xterm-256color:RGB'\n"
"""Tells tmux the terminal outside takes 24-bit colour (xterm-256color's terminfo does not say so)."""


def in_tmux(
    tmp_path: Path, script: str, passthrough: str, name: str, kitty: bool, conf_extra: str = RGB
) -> tuple[bytes, bytes]:
    """Run a Python ``script`` (its argument: a file to write) in a pane of a private tmux server with
    allow-passthrough ``passthrough``, in a scripted terminal; what it wrote, and what tmux sent out."""
    result = tmp_path / "result"
    conf = tmp_path / "tmux.conf"
    conf.write_text(f"set -g allow-passthrough {passthrough}\nset -g status off\n{conf_extra}", encoding="utf-8")
    socket = f"tuifeed-test-{os.getpid()}-{tmp_path.name}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TMUX", "SSH_"))}
    env.update(TERM="xterm-256color", PYTHONPATH=str(REPO))
    part = result.with_name("result.part")
    # Renamed once whole: seen as it is being written, a large result was read cut short.
    run = subprocess.list2cmdline([sys.executable, "-c", script, str(part)])
    pane = f"{run} && mv {shlex.quote(str(part))} {shlex.quote(str(result))}"
    pid, master = pty.fork()
    if pid == 0:  # the child: tmux on the pty's slave side, as a terminal would start it
        os.execvpe("tmux", ["tmux", "-L", socket, "-f", str(conf), "new-session", f"{pane}; sleep 5"], env)
    outer = OuterTerminal(master, name, kitty)
    try:
        deadline = time.monotonic() + 20
        while not result.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        written = result.read_bytes() if result.exists() else b""
        # tmux has the pane's output once the script is done; the pane is drawn on tmux's next pass, and its
        # placeholder cells may come after the graphics codes.
        subprocess.run(["tmux", "-L", socket, "refresh-client"], capture_output=True, check=False, env=env)
        settled = time.monotonic() + 10
        while time.monotonic() < settled and any(
            written.count(code) > outer.received.count(code) for code in (b"\x1b_G", PLACEHOLDER)
        ):
            time.sleep(0.05)
        return written, outer.received
    finally:
        outer.stop()
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)
        os.waitpid(pid, 0)
        os.close(master)


def probe_in_tmux(tmp_path: Path, passthrough: str, name: str, kitty: bool, conf_extra: str = RGB) -> list[str]:
    """The probe's verdict in a tmux pane: usable, passthrough, terminal, reason."""
    written, _ = in_tmux(tmp_path, PROBE, passthrough, name, kitty, conf_extra)
    return written.decode().split("|")


def test_tmux_with_passthrough_in_kitty_trusts_the_kitty_outside(tmp_path: Path) -> None:
    """Every query but sync crosses tmux: the kitty outside names itself and answers the graphics query."""
    usable, passthrough, terminal, reason = probe_in_tmux(tmp_path, "on", "kitty(0.41.1)", kitty=True)
    assert (usable, passthrough, terminal) == ("True", "True", "kitty(0.41.1)")
    assert "tmux" in reason


@pytest.mark.parametrize(
    ("name", "graphics"),
    [("XTerm(390)", False), ("WezTerm 20240203-110809-5046fc22", True)],  # WezTerm answers, draws garbage
)
def test_tmux_with_passthrough_in_another_terminal_is_half_blocks(tmp_path: Path, name: str, graphics: bool) -> None:
    """A terminal outside tmux that is not kitty: tmux's own answers are not taken for it, no kitty graphics."""
    usable, passthrough, terminal, reason = probe_in_tmux(tmp_path, "on", name, kitty=graphics)
    assert (usable, passthrough, terminal) == ("False", "True", name)
    assert "half-blocks" in reason or "not trusted" in reason


def test_tmux_without_passthrough_is_half_blocks(tmp_path: Path) -> None:
    """allow-passthrough off: half-blocks, though kitty is outside."""
    usable, passthrough, _, reason = probe_in_tmux(tmp_path, "off", "kitty(0.41.1)", kitty=True)
    assert (usable, passthrough) == ("False", "False")
    assert "without allow-passthrough" in reason


def test_tmux_that_sends_256_colours_to_the_kitty_outside_is_half_blocks(tmp_path: Path) -> None:
    """Without RGB for its terminal tmux turns the placeholders' 24-bit colour (the image id) into one of 256."""
    usable, passthrough, terminal, reason = probe_in_tmux(tmp_path, "on", "kitty(0.41.1)", kitty=True, conf_extra="")
    assert (usable, passthrough, terminal) == ("False", "True", "kitty(0.41.1)")
    assert "256 colours" in reason


def test_kitty_frames_and_their_deletion_cross_tmux_whole(tmp_path: Path) -> None:
    """Every graphics code (chunks, deletion) reaches the terminal outside unwrapped and in order, and the
    placeholder cells arrive in the 24-bit colour that names the image."""
    written, received = in_tmux(tmp_path, ENCODE, "on", "kitty(0.41.1)", kitty=True)
    sent = APC.findall(written.replace(b"\x1b\x1b", b"\x1b"))
    assert len(sent) > 4 and b"m=1" in sent[0] and sent[-1].startswith(b"\x1b_Ga=d,d=I")
    assert APC.findall(received) == sent
    red, green, blue = (int(value) for value in re.findall(rb"\x1b\[38;2;(\d+);(\d+);(\d+)m", written)[0])
    cells = received.decode("utf-8", "replace")
    assert f"\x1b[38;2;{red};{green};{blue}m\U0010eeee" in cells
    assert cells.count("\U0010eeee") >= written.decode().count("\U0010eeee")  # every cell of the picture
