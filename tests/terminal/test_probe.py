"""The terminal probe: replies parsed from any bytes, verdicts that trust no claim, real exchanges over a pty."""

from __future__ import annotations

import os
import pty
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuifeed.config import DisplayConfig
from tuifeed.display import choose_display
from tuifeed.render.kitty import Transport
from tuifeed.render.plan import RenderKind
from tuifeed.terminal.probe import (
    GRAPHICS_ID,
    SHM_ID,
    Capabilities,
    Replies,
    kitty_verdict,
    parse_replies,
    probe,
    queries,
)

DA1 = b"\x1b[?62;22c"
GFX_OK = f"\x1b_Gi={GRAPHICS_ID};OK\x1b\\".encode()
SHM_OK = f"\x1b_Gi={SHM_ID};OK\x1b\\".encode()
SHM_FAIL = f"\x1b_Gi={SHM_ID};EBADF:cannot open\x1b\\".encode()
SYNC = b"\x1b[?2026;2$y"
CELL = b"\x1b[6;20;10t"


def version(text: str) -> bytes:
    return b"\x1bP>|" + text.encode() + b"\x1b\\"


def test_kitty_replies() -> None:
    """Everything a recent kitty answers, in order."""
    replies = parse_replies(GFX_OK + SHM_OK + version("kitty(0.35.2)") + SYNC + CELL + DA1)
    assert replies == Replies(True, True, True, "kitty(0.35.2)", True, (10, 20))


def test_a_plain_terminal_answers_only_da1() -> None:
    """xterm-like: DA1 and nothing else means no graphics, no version, sync unknown."""
    assert parse_replies(DA1) == Replies(answered=True)


def test_failures_and_unknown_modes() -> None:
    """An error reply is a no; DECRQM 0 (not recognised) and 4 (permanently reset) are no sync."""
    assert not parse_replies(SHM_FAIL + DA1).shm
    assert not parse_replies(b"\x1b[?2026;0$y" + DA1).sync
    assert not parse_replies(b"\x1b[?2026;4$y" + DA1).sync
    assert parse_replies(b"\x1b[?2026;1$y").sync


def test_replies_to_other_ids_do_not_count() -> None:
    """Another program's graphics reply (another id) proves nothing about our queries."""
    assert not parse_replies(b"\x1b_Gi=99;OK\x1b\\" + DA1).graphics


reply_parts = st.sampled_from([GFX_OK, SHM_OK, SHM_FAIL, SYNC, CELL, DA1, version("WezTerm 20240203"), b"garbage\x1b["])


@given(st.lists(reply_parts, max_size=8), st.binary(max_size=40))
def test_any_mix_of_replies_and_noise_parses(parts: list[bytes], noise: bytes) -> None:
    """Replies in any order with junk around them parse to what they say, and never raise."""
    data = noise.join(parts) if noise and b"\x1b" not in noise else b"".join(parts)
    replies = parse_replies(data)
    assert replies.graphics == (GFX_OK in parts)
    assert replies.answered == (DA1 in parts)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    """Whatever a terminal (or an attacker on its line) sends, parsing returns Replies."""
    replies = parse_replies(data)
    assert isinstance(replies, Replies)
    assert replies.version is None or ("\x1b" not in replies.version and len(replies.version) <= 60)


def caps(version_text: str | None = None, *, graphics: bool = True, **env: bool) -> Capabilities:
    return Capabilities(Replies(answered=True, graphics=graphics, version=version_text), **env)


@pytest.mark.parametrize(
    ("capabilities", "usable"),
    [
        (caps("kitty(0.35.2)"), True),
        (caps("kitty(0.28.0)"), True),
        (caps("kitty(0.26.5)"), False),  # before Unicode placeholders
        (caps("ghostty 1.1.3"), True),
        (caps("WezTerm 20240203-110809-5046fc22"), False),  # answers the query, draws garbage
        (caps("Konsole 23.08"), False),
        (caps(None), False),  # graphics OK but no name: in doubt
        (caps("xterm(390)", graphics=False), False),
        (caps("kitty(0.35.2)", tmux=True), False),
        (caps("kitty(0.35.2)", tmux=True, passthrough=True, tmux_truecolor=True), True),
        (caps("kitty(0.35.2)", tmux=True, passthrough=True), False),  # tmux would send the id in 256 colours
        (caps("kitty(0.35.2)", ssh=True), False),
        (Capabilities(Replies()), False),  # silent
    ],
)
def test_kitty_verdict_trusts_no_claim(capabilities: Capabilities, usable: bool) -> None:
    """Only proven terminals get kitty graphics; every verdict says why in one line."""
    verdict = kitty_verdict(capabilities)
    assert verdict.usable is usable
    assert verdict.reason and "\n" not in verdict.reason


def test_passthrough_sends_every_query_but_sync_to_the_terminal_outside_tmux() -> None:
    """In tmux with passthrough, sync is asked of tmux, the rest (DA1 last) in one DCS for the terminal outside.

    tmux answers DA1 and XTVERSION itself at once: asked of tmux, its DA1 ended the wait before the
    outer terminal's graphics reply came (which then leaked into the app's input) and the name was tmux's.
    """
    direct = queries("tuifeed-probe-1")
    wrapped = queries("tuifeed-probe-1", passthrough=True)
    sync = b"\x1b[?2026$p"
    outer = direct.replace(sync, b"")
    assert wrapped == sync + b"\x1bPtmux;" + outer.replace(b"\x1b", b"\x1b\x1b") + b"\x1b\\"
    assert outer.endswith(b"\x1b[16t\x1b[c") and outer.count(b"\x1b_G") == 2 and b"\x1b[>0q" in outer


def fake_terminal(master: int, answer: bytes, stop: threading.Event) -> None:
    """Read queries; when DA1 arrives, answer everything at once (as a terminal would, in order)."""
    seen = b""
    while not stop.is_set():
        try:
            seen += os.read(master, 4096)
        except OSError:
            return
        if seen.endswith(b"\x1b[c"):
            os.write(master, answer)
            return


def test_probe_over_a_real_pty() -> None:
    """A terminal on the other end of a pty answers; the probe reads it and restores the tty."""
    master, slave = pty.openpty()
    stop = threading.Event()
    thread = threading.Thread(target=fake_terminal, args=(master, GFX_OK + version("kitty(0.36.0)") + SYNC + DA1, stop))
    thread.start()
    try:
        import termios

        before = termios.tcgetattr(slave)
        found = probe({"TERM": "xterm-kitty"}, fd=slave)
        assert termios.tcgetattr(slave) == before
    finally:
        stop.set()
        thread.join(timeout=5)
        os.close(master)
        os.close(slave)
    assert found.replies.answered and found.replies.graphics and found.replies.sync
    assert kitty_verdict(found).usable


def test_keys_typed_before_the_probe_come_back_as_typed() -> None:
    """Keys already typed when the probe reads its replies are handed back, in order, without the replies."""
    master, slave = pty.openpty()
    stop = threading.Event()
    thread = threading.Thread(target=fake_terminal, args=(master, SYNC + DA1 + b"k", stop))
    thread.start()
    try:
        os.write(master, "jl\x1b[Aé".encode())
        found = probe({}, fd=slave)
    finally:
        stop.set()
        thread.join(timeout=5)
        os.close(master)
        os.close(slave)
    assert found.replies.sync
    assert found.replies.typed == "jl\x1b[Aék".encode()


def test_typed_is_only_what_no_reply_explains() -> None:
    """Unknown private replies and strings are not keys; before the DA1 reply nothing counts as typed."""
    assert parse_replies(b"a\x1b[?1;2$yb\x1b]11;rgb:0/0/0\x07c" + DA1 + b"\x1b[B").typed == b"abc\x1b[B"
    assert parse_replies(b"j" + GFX_OK + b"\x1b_Gi=70").typed == b""
    assert parse_replies(DA1 + b"q\x1b_Gi=7041931;O").typed == b"q", "a reply cut off after DA1 is no key"


def test_a_silent_terminal_costs_the_timeout_once() -> None:
    """Nobody answers: the probe gives up after its timeout and reports nothing."""
    master, slave = pty.openpty()
    try:
        started = time.monotonic()
        found = probe({}, fd=slave, timeout=0.2)
        waited = time.monotonic() - started
    finally:
        os.close(master)
        os.close(slave)
    assert not found.replies.answered
    assert waited >= 0.2
    assert not kitty_verdict(found).usable


def test_no_terminal_asks_nothing() -> None:
    """fd -1 (not in a terminal) answers at once with no replies; the environment still counts."""
    found = probe({"TMUX": "/tmp/x,1,0", "SSH_TTY": "/dev/pts/3"}, fd=-1)
    assert found.tmux and found.ssh and not found.replies.answered


@pytest.mark.parametrize(
    ("requested", "kind", "sync"),
    [("auto", RenderKind.KITTY, False), ("kitty", RenderKind.KITTY, False), ("halfblock", RenderKind.HALFBLOCK, True)],
)
def test_the_plan_from_a_kitty_that_has_synchronized_output(requested: str, kind: RenderKind, sync: bool) -> None:
    """kitty 0.41 with shared memory and DEC 2026: kitty frames by shm, not in sync brackets; half-blocks in them."""
    master, slave = pty.openpty()
    stop = threading.Event()
    answer = GFX_OK + SHM_OK + version("kitty(0.41.1)") + SYNC + CELL + DA1
    thread = threading.Thread(target=fake_terminal, args=(master, answer, stop))
    thread.start()
    try:
        choice = choose_display(requested, DisplayConfig(), {"TERM": "xterm-kitty"}, fd=slave)
    finally:
        stop.set()
        thread.join(timeout=5)
        os.close(master)
        os.close(slave)
    assert choice.plan.kind is kind and choice.plan.sync is sync
    if kind is RenderKind.KITTY:
        assert choice.plan.kitty is not None and choice.plan.kitty.transport is Transport.SHM
        assert choice.plan.kitty.sync, "the placeholder rewrite alone goes in synchronized output"
