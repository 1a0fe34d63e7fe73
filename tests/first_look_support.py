"""A real pty for the first look's tests: its size set, what was written to it read back, its modes asked."""

from __future__ import annotations

import fcntl
import importlib
import os
import select
import struct
import termios
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from tuifeed.player import Frame
from tuifeed.terminal import TerminalOutput


class Pty:
    """The terminal side (``output``, ``keys``) of a pty, its other side read all along as an emulator would."""

    def __init__(self, output: TerminalOutput, keys: int, master: int) -> None:
        self.output = output
        self.keys = keys
        self._master = master
        self._read = bytearray()
        self._came = threading.Condition()
        """Held while what was read grows; notified as it does."""
        self._marks = 0
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:  # the terminal side closed
                return
            if not data:
                return
            with self._came:
                self._read += data
                self._came.notify_all()

    def written(self) -> bytes:
        """What was written to the terminal since the last call.

        A mark written to the terminal now is read back after everything written before it (a pty keeps the
        order), however long the kernel and the reader take to pass it on.
        """
        self._marks += 1
        mark = b"<first_look_support: read up to here %d>" % self._marks
        os.write(self.keys, mark)
        with self._came:
            assert self._came.wait_for(lambda: mark in self._read, timeout=20), "the pty's reader fell behind"
            at = self._read.index(mark)
            data = bytes(self._read[:at])
            del self._read[: at + len(mark)]
        return data

    def stop_reading(self) -> None:
        """Wait for the reader to end (it does once the terminal side is closed): the master's descriptor can
        then be closed, and reused, with no reader left on it to steal the next pty's bytes."""
        self._reader.join(timeout=5)
        assert not self._reader.is_alive()

    def type(self, keys: bytes) -> None:
        """Type ``keys`` on the terminal's keyboard."""
        os.write(self._master, keys)

    def typed(self) -> bytes:
        """What the terminal's input holds for a reader now (raw mode: nothing waits for a line)."""
        data = b""
        while select.select([self.keys], [], [], 0.2)[0]:
            data += os.read(self.keys, 1024)
        return data

    def modes(self) -> int:
        """The input's local modes (ECHO, ICANON...)."""
        return int(termios.tcgetattr(self.keys)[3])


@contextmanager
def pty(cols: int, rows: int) -> Iterator[Pty]:
    """A pty of ``cols`` x ``rows`` cells, closed afterwards."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    output = TerminalOutput(os.fdopen(os.dup(slave), "w", buffering=1))
    terminal = Pty(output, slave, master)
    try:
        yield terminal
    finally:
        output.close()
        os.close(slave)
        terminal.stop_reading()
        os.close(master)


def gradient(width: int, height: int) -> Frame:
    """A BGRX frame with a colour gradient across and down: every cell of it differs from black."""
    ys, xs = np.mgrid[0:height, 0:width]
    frame = np.full((height, width, 4), 40, np.uint8)
    frame[..., 0] = 40 + xs * 200 // max(1, width - 1)
    frame[..., 1] = 40 + ys * 200 // max(1, height - 1)
    return frame


def import_something() -> None:
    """Make the main thread begin an import, as it does all through loading Textual."""
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("tuifeed_first_look_no_such_module")
