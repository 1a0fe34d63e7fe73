"""tuifeed as the `tuifeed` command runs it, with its first look held on screen until a test lets the app start.

    python held_first_look.py GATE ARGS...

runs `tuifeed ARGS...` (the same entry point, with the same arguments). Its first look, once libvlc has the
first frame, draws it and waits for the file GATE before the app takes the terminal; GATE holds how many bytes
of keys were typed over the look, and the app starts once that many wait on the terminal's input. Each wait
gives up after 20 s, so a test that fails before it opens the gate does not leave tuifeed waiting.

Without the hold, the look is on screen for about 0.1 s before the app has the terminal, and it is not drawn
at all when the frame comes after the app is ready: a test that must see it and type over it would race both.
"""

from __future__ import annotations

import fcntl
import importlib.util
import struct
import sys
import termios
import time
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

HOLD = 20.0
"""Seconds each wait lasts at most: only a test that has failed already leaves a wait that long."""


def _wait(ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + HOLD
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.01)


def _typed() -> int:
    """Bytes waiting on the terminal's input (the look has it out of line mode: a single key counts)."""
    return int(struct.unpack("i", fcntl.ioctl(sys.stdin.fileno(), termios.FIONREAD, b"\0" * 4))[0])


def _hold(first_look: Any, gate: Path) -> None:
    """Make the look's `hand_over` draw the first frame, once it has come, and wait for ``gate`` before its own."""
    hand_over = first_look.hand_over

    def held(self: Any) -> bool:
        _wait(lambda: self._still is not None)
        self._draw_if_due()  # what `hand_over` does first: at once, not once the gate is open
        _wait(lambda: gate.exists() or self._leaving)  # a hang-up: the test has ended, the look ends tuifeed
        typed = int(gate.read_text(encoding="ascii")) if gate.exists() else 0
        # tmux may write a key to the terminal after `send-keys` has returned: it must be in before the app starts.
        _wait(lambda: _typed() >= typed)
        return bool(hand_over(self))

    first_look.hand_over = held


class _WhenImported:
    """Holds the first look as tuifeed imports its module.

    Imported here, sooner than tuifeed imports it, it would bring numpy (and its threads) in before tuifeed has
    limited its memory arenas and started libvlc.
    """

    def __init__(self, gate: Path) -> None:
        self._gate = gate

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "tuifeed.first_look":
            return None
        sys.meta_path = [finder for finder in sys.meta_path if finder is not self]
        spec = importlib.util.find_spec(fullname)
        assert spec is not None and spec.loader is not None, fullname
        run = spec.loader.exec_module
        gate = self._gate

        def exec_module(module: ModuleType) -> None:
            run(module)
            _hold(module.FirstLook, gate)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":
    del sys.path[0]  # this folder: tuifeed imports from where it does under the `tuifeed` command
    held_until = Path(sys.argv.pop(1))
    sys.meta_path = [_WhenImported(held_until), *sys.meta_path]
    from tuifeed.cli import main

    sys.exit(main())
