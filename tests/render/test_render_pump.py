"""FramePump: frames written in order on its thread, the newest wins when the terminal is slow, covering stops it."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import termios
import threading
import time
from collections.abc import Callable

import numpy as np
import pytest

from tuifeed.render import ColorMode, HalfBlockEncoder, fit_box
from tuifeed.render.kitty import SHM_DIR, KittyEncoder, KittyOptions, Transport
from tuifeed.render.pump import SYNC_END, SYNC_START, FramePump, Painted
from tuifeed.terminal import TerminalOutput


class SlowSink:
    """Records frames; each write takes ``delay`` seconds (a terminal that takes its time)."""

    def __init__(self, delay: float = 0.0, refuse: bool = False) -> None:
        self.delay = delay
        self.refuse = refuse
        self.frames: list[bytes] = []
        self.final: list[bytes] = []
        self.refused = 0
        self.entered = threading.Event()
        """Set once the pump is in a write."""

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        self.entered.set()
        if self.refuse or not wanted():
            self.refused += 1
            return None
        time.sleep(self.delay)
        self.frames.append(data)
        return self.delay

    def hold_frames(self) -> None:
        """No Textual here."""

    def write_final(self, data: bytes) -> None:
        self.final.append(data)


def frame(value: int, rows: int = 4, cols: int = 6) -> np.ndarray:
    out = np.zeros((rows * 2, cols, 4), dtype=np.uint8)
    out[..., 1] = value
    return out


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def wait_painted(painted: list[Painted], count: int) -> None:
    wait_for(lambda: len(painted) == count)


def make_pump(sink: SlowSink | None, sync: bool = True) -> tuple[FramePump, list[Painted]]:
    painted: list[Painted] = []
    pump = FramePump(HalfBlockEncoder(ColorMode()), sink, painted.append, interval=1 / 30, sync=sync)
    return pump, painted


FIT = fit_box(6, 8, 6, 4)


def test_frames_are_written_whole_in_sync_brackets() -> None:
    """Each frame goes to the sink once, wrapped in DEC 2026, and is reported as painted directly."""
    sink = SlowSink()
    pump, painted = make_pump(sink)
    try:
        pump.offer(frame(10), FIT, 0, 0)
        wait_for(lambda: len(painted) == 1)
        pump.offer(frame(200), FIT, 0, 0)
        wait_for(lambda: len(painted) == 2)
    finally:
        pump.close()
    assert len(sink.frames) == 2
    assert all(data.startswith(SYNC_START) and data.endswith(SYNC_END) for data in sink.frames)
    assert all(p.direct and p.sent == len(data) for p, data in zip(painted, sink.frames, strict=True))


def test_a_slow_terminal_drops_frames_instead_of_queueing_them() -> None:
    """While a write takes 100 ms, ten offered frames become one: the newest."""
    sink = GateSink(delay=0.1)
    pump, painted = make_pump(sink)
    try:
        pump.offer(frame(1), FIT, 0, 0)
        assert sink.entered.wait(5), "the pump took the first frame"
        for value in range(2, 12):
            pump.offer(frame(value * 10), FIT, 0, 0)
        sink.gate.set()  # the write ends only once all ten came, however slowly this thread offered them
        wait_for(lambda: len(painted) == 2)
        time.sleep(0.15)
    finally:
        sink.gate.set()
        pump.close()
    assert pump.dropped == 9
    assert len(sink.frames) == 2
    last = painted[-1].picture
    assert last is not None


def test_covering_stops_writes_and_hands_frames_to_textual() -> None:
    """With direct off nothing is written; frames are reported undirect; back on, the next frame is whole."""
    sink = SlowSink()
    pump, painted = make_pump(sink, sync=False)
    try:
        pump.offer(frame(10), FIT, 0, 0)
        wait_for(lambda: len(painted) == 1)
        whole = sink.frames[0]
        pump.set_direct(False)
        pump.offer(frame(20), FIT, 0, 0)
        wait_for(lambda: len(painted) == 2)
        assert len(sink.frames) == 1 and not painted[-1].direct
        pump.set_direct(True)
        pump.offer(frame(10), FIT, 0, 0)
        wait_for(lambda: len(painted) == 3)
    finally:
        pump.close()
    assert sink.frames[-1] == whole


class GateSink(SlowSink):
    """Each write waits for `gate` once the pump is in it (`entered`): a terminal busy with something else."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(delay)
        self.gate = threading.Event()

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        self.entered.set()
        assert self.gate.wait(5)
        return super().write_frame(data, wanted)


def test_frames_fitted_to_where_the_view_was_are_not_shown_once_it_has_moved() -> None:
    """The view moves while a frame waits for the terminal and another waits for the pump: neither is written
    or handed to Textual, nor is one offered afterwards for the old place; the first for the new one is sent
    whole (the view offers its newest frame again, fitted to its new place)."""
    sink = GateSink()
    pump, painted = make_pump(sink)
    try:
        old = pump.place
        pump.offer(frame(1), FIT, 0, 0, place=old)
        assert sink.entered.wait(5)
        pump.offer(frame(2), FIT, 0, 0, place=old)
        new = pump.moved()
        pump.offer(frame(3), FIT, 0, 0, place=old)
        pump.offer(frame(4), FIT, 10, 0, place=new)
        sink.gate.set()
        wait_for(lambda: len(painted) == 1)
    finally:
        sink.gate.set()
        pump.close()
    assert sink.refused == 1 and len(sink.frames) == 1 and len(painted) == 1
    assert b"\x1b[1;11H" in sink.frames[0] and b"\x1b[4;11H" in sink.frames[0], "whole, at the new place"


def test_without_a_sink_every_frame_is_for_textual() -> None:
    """Headless (no terminal output) the pump only encodes."""
    pump, painted = make_pump(None)
    try:
        assert not pump.direct
        pump.offer(frame(10), FIT, 0, 0)
        wait_for(lambda: len(painted) == 1)
    finally:
        pump.close()
    assert not painted[0].direct and painted[0].sent == 0


def waiting(fd: int) -> int:
    """Bytes written to the pty that nobody has read yet, from its master side."""
    return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0])


def test_terminal_output_measures_time_blocked_on_a_real_pty() -> None:
    """A pty nobody reads fills up: the frame write blocks until a slow reader drains it, and says how long."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "w", buffering=1)
    output = TerminalOutput(stream)
    drained = bytearray()

    def slow_reader() -> None:
        # From when the frame fills the pty (its writer is then stuck in the write), not from this thread's start.
        deadline = time.monotonic() + 10
        while waiting(master) <= 100 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.3)
        while len(drained) < 400_000:
            drained.extend(os.read(master, 65536))

    reader = threading.Thread(target=slow_reader)
    reader.start()
    try:
        output.write("\x1b[?1049htext from Textual\n")
        blocked = output.write_frame(b"x" * 300_000, lambda: True)
        assert blocked is not None and blocked > 0.2
        assert output.write_frame(b"y", lambda: False) is None
        output.write_frame(b"z" * 100_000, lambda: True)
        output.write("\x1b[?1049l")
        assert output.write_frame(b"w", lambda: True) is None, "no frame once the app left the alternate screen"
    finally:
        reader.join(timeout=10)
        output.close()
        os.close(master)
    assert bytes(drained).replace(b"\r\n", b"\n").startswith(b"\x1b[?1049htext from Textual\nxxx")
    assert b"y" not in drained and b"w" not in drained


def shm_segments() -> set[str]:
    """This process's kitty frames in /dev/shm."""
    return {name for name in os.listdir(SHM_DIR) if name.startswith(f"tuifeed-{os.getpid()}-")}


@pytest.mark.skipif(not os.path.isdir(SHM_DIR), reason="no /dev/shm on this system")
def test_frames_refused_by_the_terminal_leave_no_shared_memory_behind() -> None:
    """A kitty frame through shared memory that is never written (covered meanwhile) has its segment unlinked."""
    sink = SlowSink(refuse=True)
    painted: list[Painted] = []
    encoder = KittyEncoder(KittyOptions(Transport.SHM), ColorMode())
    fit = encoder.fit(64, 32, 8, 4)
    pump = FramePump(encoder, sink, painted.append, interval=1 / 30, sync=False)
    pixels = np.zeros((fit.pixel_size[1], fit.pixel_size[0], 4), dtype=np.uint8)
    before = shm_segments()
    try:
        for count in range(1, 4):
            pump.offer(pixels.copy(), fit, 0, 0)
            wait_painted(painted, count)
    finally:
        pump.close()
    assert sink.refused == 3 and not sink.frames
    assert shm_segments() == before


def test_closing_the_pump_deletes_the_kitty_images() -> None:
    """On close the encoder's farewell (a=d,d=I for each image id it used) goes out through write_final."""
    sink = SlowSink()
    painted: list[Painted] = []
    encoder = KittyEncoder(KittyOptions(Transport.DIRECT), ColorMode())
    fit = encoder.fit(64, 32, 8, 4)
    pump = FramePump(encoder, sink, painted.append, interval=1 / 30, sync=False)
    pixels = np.zeros((fit.pixel_size[1], fit.pixel_size[0], 4), dtype=np.uint8)
    for count in (1, 2):
        pump.offer(pixels.copy(), fit, 0, 0)
        wait_painted(painted, count)
    pump.close()
    ids = sorted({int(part[2:]) for data in sink.frames for part in data.split(b",") if part.startswith(b"i=")})
    assert len(ids) == 2
    assert sink.final == [b"".join(b"\x1b_Ga=d,d=I,i=%d,q=2\x1b\\" % image_id for image_id in ids)]


def test_half_blocks_leave_nothing_to_clear() -> None:
    """Half-block cells are all there is: closing writes nothing more."""
    sink = SlowSink()
    pump, painted = make_pump(sink)
    pump.offer(frame(10), FIT, 0, 0)
    wait_for(lambda: len(painted) == 1)
    pump.close()
    assert sink.final == []
