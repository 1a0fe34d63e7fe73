"""What the terminal can do, asked before the app starts (queries and their replies), never taken on trust.

One burst of queries goes out (kitty graphics support, directly and through shared memory; XTVERSION;
synchronized output, DECRQM 2026; the cell size in pixels) followed by primary device attributes (DA1),
which every terminal answers: terminals reply in order, so the DA1 reply ends the wait, and a terminal
that says nothing at all costs the timeout once. Inside tmux with allow-passthrough the burst (less the
synchronized-output query, which is tmux's to answer) goes through to the terminal outside tmux, so the
replies and the name are that terminal's, never tmux's.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import select
import shutil
import subprocess
import termios
import time
import tty
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from tuifeed.terminal.passthrough import wrap_passthrough
from tuifeed.text import clean

GRAPHICS_ID: Final = 7_041_931
"""Image id of the direct graphics query (any id; queries store nothing)."""
SHM_ID: Final = 7_041_932
"""Image id of the shared-memory graphics query."""
TIMEOUT: Final = 0.5
"""Seconds to wait for the DA1 reply before giving up on a silent terminal."""
KITTY_PLACEHOLDERS: Final = (0, 28, 0)
"""The first kitty version with Unicode placeholders."""

_REPLY: Final = re.compile(
    rb"\x1b_G(?P<gfx>[^\x1b;]*);(?P<msg>[^\x1b]*)\x1b\\"
    rb"|\x1bP>\|(?P<version>[^\x1b]*)\x1b\\"
    rb"|\x1b\[\?(?P<mode>\d+);(?P<state>\d+)\$y"
    rb"|\x1b\[6;(?P<height>\d+);(?P<width>\d+)t"
    rb"|\x1b\[\?(?P<da1>[\d;]*)c"
)
_OTHER_REPLY: Final = re.compile(rb"\x1b\[\?[\d;$]*(?:[a-zA-Z]|\Z)|\x1b[P_\]^][^\x1b\x07]*(?:\x1b\\|\x07|\Z)")
"""Other replies a terminal may send (private CSI, DCS, APC, OSC, PM strings), or the start of one cut off at
the end of what was read (a late reply): no key types these."""
_VERSION: Final = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")


@dataclass(frozen=True, slots=True)
class Replies:
    """What the terminal said back to the probe's queries (all of it outside data)."""

    answered: bool = False
    """The DA1 reply came: the terminal talks back, so silence on the other queries means "no"."""
    graphics: bool = False
    """The kitty graphics query was answered OK."""
    shm: bool = False
    """The shared-memory graphics query was answered OK: the terminal reads our memory (it is local)."""
    version: str | None = None
    """The XTVERSION reply, e.g. "kitty(0.35.2)" or "tmux 3.3a"."""
    sync: bool = False
    """DECRQM 2026 answered "set" or "reset": synchronized output is known."""
    cell_size: tuple[int, int] | None = None
    """(width, height) of a cell in pixels."""
    typed: bytes = b""
    """What came back that was no reply: input the person typed before or during the probe, in order."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The probe's replies plus what the environment says about the way to the terminal."""

    replies: Replies = field(default_factory=Replies)
    tmux: bool = False
    passthrough: bool = False
    """tmux forwards graphics codes to the outer terminal (allow-passthrough on)."""
    ssh: bool = False
    tmux_truecolor: bool = False
    """tmux writes 24-bit colour to the outer terminal (it knows that terminal's ``setrgbf``)."""

    @property
    def terminal(self) -> str:
        """The terminal's name and version as it reported them, or "unknown"."""
        return self.replies.version or "unknown"


@dataclass(frozen=True, slots=True)
class KittyVerdict:
    """Whether kitty graphics with Unicode placeholders can be used, and why (one line for doctor)."""

    usable: bool
    reason: str


def queries(shm_name: str | None, passthrough: bool = False) -> bytes:
    """The probe's queries, DA1 last; ``shm_name`` names a shared-memory object holding one RGB pixel.

    Through tmux's passthrough every query but synchronized output goes to the terminal outside, DA1
    too: tmux answers DA1 and XTVERSION itself at once, so a graphics reply from outside came after
    tmux's DA1 (the wait was over) and the name was tmux's. Synchronized output is asked of tmux, which
    is what draws the pane.
    """
    outer = f"\x1b_Gi={GRAPHICS_ID},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\".encode()
    if shm_name is not None:
        name = base64.standard_b64encode(shm_name.encode()).decode()
        outer += f"\x1b_Gi={SHM_ID},s=1,v=1,a=q,t=s,f=24,S=3;{name}\x1b\\".encode()
    outer += b"\x1b[>0q"
    sync = b"\x1b[?2026$p"
    last = b"\x1b[16t\x1b[c"
    if passthrough:
        return sync + wrap_passthrough(outer + last)
    return outer + sync + last


def parse_replies(data: bytes) -> Replies:
    """Read the replies out of what the terminal sent back (bytes of anything, in any order, possibly cut)."""
    answered = graphics = shm = sync = False
    version: str | None = None
    cell: tuple[int, int] | None = None
    for match in _REPLY.finditer(data):
        if match["gfx"] is not None:
            ok = match["msg"] == b"OK"
            ident = dict(part.split(b"=", 1) for part in match["gfx"].split(b",") if b"=" in part).get(b"i")
            if ident == str(GRAPHICS_ID).encode():
                graphics = graphics or ok
            elif ident == str(SHM_ID).encode():
                shm = shm or ok
        elif match["version"] is not None:
            version = _printable(match["version"])
        elif match["mode"] is not None:
            if match["mode"] == b"2026":
                sync = match["state"] in (b"1", b"2")
        elif match["height"] is not None:
            height, width = int(match["height"]), int(match["width"])
            if 0 < width < 1000 and 0 < height < 1000:
                cell = (width, height)
        else:
            answered = True
    # Before the DA1 reply (the last) a cut reply cannot be told from keys: then nothing counts as typed.
    typed = _OTHER_REPLY.sub(b"", _REPLY.sub(b"", data)) if answered else b""
    return Replies(answered, graphics, shm, version, sync, cell, typed)


def kitty_verdict(caps: Capabilities) -> KittyVerdict:
    """Kitty graphics only where they are known to work: kitty 0.28+ or Ghostty, answering the query, locally.

    WezTerm and Konsole answer the graphics query but draw placeholders as garbage, so a "yes" to the
    query alone is not trusted; tmux without passthrough swallows the codes; over SSH the frames would
    cross the network.
    """
    replies = caps.replies
    if caps.ssh:
        return KittyVerdict(False, "over SSH: half-blocks (frames would cross the network; --render kitty forces it)")
    if caps.tmux and not caps.passthrough:
        return KittyVerdict(False, "inside tmux without allow-passthrough: half-blocks")
    if caps.tmux and not caps.tmux_truecolor:
        return KittyVerdict(
            False,
            "tmux sends its terminal 256 colours, which lose the image id placeholders carry: half-blocks"
            " (set -as terminal-features ',TERM:RGB' in tmux.conf)",
        )
    if not replies.answered:
        return KittyVerdict(False, "the terminal did not answer the probe: half-blocks")
    if not replies.graphics:
        return KittyVerdict(False, f"{caps.terminal} has no kitty graphics: half-blocks")
    name, version = _name_and_version(replies.version or "")
    via = " through tmux's passthrough" if caps.tmux else ""
    if name == "kitty":
        if version >= KITTY_PLACEHOLDERS:
            return KittyVerdict(True, f"{caps.terminal}{via}: kitty graphics with Unicode placeholders")
        return KittyVerdict(False, f"{caps.terminal} predates Unicode placeholders (kitty 0.28): half-blocks")
    if name == "ghostty":
        return KittyVerdict(True, f"{caps.terminal}{via}: kitty graphics with Unicode placeholders")
    return KittyVerdict(False, f"{caps.terminal} answers the graphics query, but its placeholders are not trusted")


def probe(environ: Mapping[str, str], fd: int | None = None, timeout: float = TIMEOUT) -> Capabilities:
    """Ask the terminal on ``fd`` (the controlling tty by default, -1 for none) what it can do.

    Without a terminal there are no replies, which every verdict reads as "no".
    """
    tmux = bool(environ.get("TMUX"))
    ssh = bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))
    pane = environ.get("TMUX_PANE")
    passthrough = tmux and _tmux_passthrough(pane)
    truecolor = passthrough and _tmux_truecolor(pane)
    if fd == -1:
        return Capabilities(Replies(), tmux, passthrough, ssh, truecolor)
    own_fd = fd is None
    if fd is None:
        try:
            fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
        except OSError:
            return Capabilities(Replies(), tmux, passthrough, ssh, truecolor)
    try:
        data = _exchange(fd, passthrough, timeout)
    finally:
        if own_fd:
            os.close(fd)
    return Capabilities(parse_replies(data), tmux, passthrough, ssh, truecolor)


def _exchange(fd: int, passthrough: bool, timeout: float) -> bytes:
    """Send the queries in raw mode and read until the DA1 reply (or the timeout); the tty is restored.

    Keys typed meanwhile stay queued (TCSANOW, not TCSAFLUSH); those read with the replies go back in the
    Replies' ``typed``.
    """
    if not os.isatty(fd):
        return b""
    shm_path = _one_pixel_shm()
    saved = termios.tcgetattr(fd)
    received = b""
    try:
        tty.setraw(fd, termios.TCSANOW)
        os.write(fd, queries(os.path.basename(shm_path) if shm_path else None, passthrough))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            received += chunk
            if re.search(rb"\x1b\[\?[\d;]*c", received):
                break
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
        if shm_path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(shm_path)  # the terminal unlinks it when it reads it; this covers the others
    return received


def _one_pixel_shm() -> str | None:
    """A shared-memory object holding one black RGB pixel, for the shared-memory query (None: no /dev/shm)."""
    path = f"/dev/shm/tuifeed-probe-{os.getpid()}"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError:
        return None
    try:
        os.write(descriptor, b"\0\0\0")
    finally:
        os.close(descriptor)
    return path


def _tmux_passthrough(pane: str | None) -> bool:
    """Whether the tmux we run in passes escape codes through to its terminal, for our ``pane`` (TMUX_PANE).

    The pane's own value, inherited from its window, session or the global one (``-pA``): the option can
    be set at any of those. A wrong "on" costs the probe's timeout, never a wrong verdict: the queries
    then go unanswered.
    """
    target = ["-t", pane] if pane else []
    return _tmux("show-options", "-pqvA", *target, "allow-passthrough").strip() in ("on", "all")


def _tmux_truecolor(pane: str | None) -> bool:
    """Whether tmux writes 24-bit colour to the terminal showing our ``pane``: its terminfo (or tmux.conf's
    terminal-features RGB) gives ``setrgbf``; without it tmux turns 24-bit colours into the nearest of 256,
    and the placeholders' colour is the image id (an outer TERM of xterm-256color measured ``38;5;16``)."""
    target = ["-t", pane] if pane else []
    client, _, terminals = _tmux(
        "display-message", "-p", *target, "#{client_tty}", ";", "show-messages", "-T"
    ).partition("\n")
    section = re.search(rf"^Terminal \d+: \S+ for {re.escape(client)},.*?(?=^Terminal |\Z)", terminals, re.M | re.S)
    return bool(client) and section is not None and re.search(r"\bsetrgbf: \(string\)", section[0]) is not None


def _tmux(*arguments: str) -> str:
    """What a tmux command prints ("" when tmux is missing or fails)."""
    if shutil.which("tmux") is None:
        return ""
    try:
        return subprocess.run(["tmux", *arguments], capture_output=True, text=True, timeout=1).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _name_and_version(reply: str) -> tuple[str, tuple[int, ...]]:
    """Split an XTVERSION reply such as "kitty(0.35.2)" or "ghostty 1.1.3" into a lower-case name and version."""
    name = re.split(r"[\s(]", reply.strip(), maxsplit=1)[0].lower()
    found = _VERSION.search(reply[len(name) :])
    version = tuple(int(part or 0) for part in found.groups()) if found else ()
    return name, version


def _printable(data: bytes) -> str:
    """A reply as text to show (doctor prints it), cleaned where it enters, at most 60 characters."""
    return clean(data.decode("utf-8", "replace"))[:60]
