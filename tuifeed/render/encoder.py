"""FrameEncoder: turns successive frames into ANSI lines plus the rows that changed since the last one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from tuifeed.render.color import DEFAULT_MODE, SAFE_MODE, ColorMode, Frame, Keys, pack_keys, requantise_keys
from tuifeed.render.halfblock import Runs, changed_rows, lines_from_keys, runs_from_keys

_Scalar = TypeVar("_Scalar", bound=np.generic)


@dataclass(frozen=True, slots=True, eq=False)
class EncodedFrame:
    """One encoded frame: immutable, safe to hand from the decoder thread to the UI thread."""

    lines: tuple[str, ...]
    """One self-contained ANSI string per cell row, each ``cols`` cells wide (the fast path)."""
    changed: NDArray[np.bool_]
    """(rows,) read-only: True where the row differs from the frame encoded before this one."""
    keys: Keys
    """(rows, cols) read-only packed cells (see ``pack_keys``)."""
    mode: ColorMode

    @property
    def cols(self) -> int:
        """Width in cells."""
        return int(self.keys.shape[1])

    @property
    def rows(self) -> int:
        """Height in cells."""
        return int(self.keys.shape[0])

    def runs(self, bits: int = SAFE_MODE.bits) -> Runs:
        """This frame as runs of equal cells (the safe path), truecolor requantised to at most ``bits``."""
        return runs_from_keys(requantise_keys(self.keys, self.mode, bits))

    def coalesce(self, dropped: EncodedFrame) -> EncodedFrame:
        """This frame, also marking the rows changed by ``dropped``: an earlier frame that was never shown."""
        if dropped.keys.shape != self.keys.shape:
            return self
        return replace(self, changed=_frozen(self.changed | dropped.changed))


class FrameEncoder:
    """Encodes frames one after another, remembering the previous frame's keys to report changed rows.

    Use one encoder per stream, from one thread at a time (typically the decoder's display callback). If
    the consumer drops frames, it must ``coalesce`` each dropped frame into the one that replaces it. The
    mode is fixed: make a new encoder to change it.
    """

    def __init__(self, mode: ColorMode = DEFAULT_MODE) -> None:
        self._mode = mode
        self._prev: Keys | None = None

    @property
    def mode(self) -> ColorMode:
        """The colour mode every frame is encoded in."""
        return self._mode

    def encode(self, frame: Frame) -> EncodedFrame:
        """Encode a BGRX frame; nothing refers to ``frame`` afterwards, so its buffer may be reused."""
        keys = _frozen(pack_keys(frame, self._mode))
        changed = _frozen(changed_rows(self._prev, keys))
        self._prev = keys
        return EncodedFrame(tuple(lines_from_keys(keys, self._mode.system)), changed, keys, self._mode)


def _frozen(array: NDArray[_Scalar]) -> NDArray[_Scalar]:
    """Mark an array read-only, so frames shared between threads cannot be changed by accident."""
    array.flags.writeable = False
    return array
