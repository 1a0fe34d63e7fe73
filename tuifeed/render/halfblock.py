"""Half-block encoders: packed cell keys to minimal-SGR ANSI lines (fast path) or colour runs (safe path)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
from numpy.typing import NDArray

from tuifeed.render.color import (
    DEFAULT_MODE,
    HALF_MASK,
    KEY_SHIFT,
    SAFE_MODE,
    ColorMode,
    ColorSystem,
    Frame,
    Keys,
    pack_keys,
)

RESET: Final = "\x1b[0m"
"""Ends every encoded line, so a line never leaks its colours into what follows."""

Run = tuple[int, int, int]
"""A run of equal cells: (length in cells, foreground colour, background colour)."""

_GLYPH: Final = "\u2580"  # ▀: foreground paints the top pixel, background the bottom one
_ROW_END: Final = "\n"
_DIGITS: Final = tuple(np.array([ord(f"{v:03d}"[i]) for v in range(256)], dtype=np.uint8) for i in range(3))
"""ASCII hundreds, tens and units digit of every byte value (one lookup per column is fastest)."""
_DIGIT_COUNT: Final = np.array([(v >= 10) + (v >= 100) for v in range(256)], dtype=np.intp)
"""Digits of every byte value minus one (0-2)."""


@dataclass(frozen=True, slots=True)
class _Layout:
    """The fixed per-cell byte template of one colour system and which bytes to keep for each cell kind."""

    template: NDArray[np.uint8]
    """``ESC[<fg>;<bg>m▀`` plus a row-end marker byte, with every number as three digits."""
    digits: tuple[int, ...]
    """Offsets of the three-digit numbers in the template: foreground channels, then background ones."""
    shifts: tuple[int, ...]
    """Bit shift of each channel inside a colour (one shift per digit group of a colour)."""
    keep: NDArray[np.bool_]
    """(4 * 3**len(digits), len(template)): bytes kept per cell code (see ``_cell_codes``)."""


@dataclass(frozen=True, slots=True, eq=False)
class Runs:
    """Each cell row as runs of equal (foreground, background) cells, for building styled segments.

    Colours are in the mode's space: 0xRRGGBB for truecolor, a palette index for ansi256.
    """

    cols: int
    lengths: NDArray[np.intp]
    """Cells in each run, all rows one after another."""
    fg: NDArray[np.uint32]
    bg: NDArray[np.uint32]
    bounds: NDArray[np.intp]
    """(rows + 1,): row ``y`` holds runs ``bounds[y]:bounds[y + 1]``."""

    @property
    def rows(self) -> int:
        """Number of cell rows."""
        return len(self.bounds) - 1

    def row(self, y: int) -> list[Run]:
        """The runs of cell row ``y``, left to right; their lengths add up to ``cols``."""
        start, end = self.bounds[y], self.bounds[y + 1]
        return list(
            zip(
                self.lengths[start:end].tolist(),
                self.fg[start:end].tolist(),
                self.bg[start:end].tolist(),
                strict=True,
            )
        )


def encode_lines(frame: Frame, mode: ColorMode = DEFAULT_MODE) -> list[str]:
    """Encode a BGRX frame as one minimal-SGR ANSI string per cell row, one cell per pixel column.

    Each cell is ``▀`` (top pixel as foreground, bottom as background); colours are only set when they
    differ from the cell to the left, numbers have no leading zeros, and each line ends with ``ESC[0m``.
    An odd last pixel row is ignored.
    """
    return lines_from_keys(pack_keys(frame, mode), mode.system)


def encode_runs(frame: Frame, mode: ColorMode = SAFE_MODE) -> Runs:
    """Encode a BGRX frame as runs of equal cells per row: the safe path while an overlay covers the video."""
    return runs_from_keys(pack_keys(frame, mode))


def changed_rows(prev_keys: Keys | None, keys: Keys) -> NDArray[np.bool_]:
    """Which cell rows of ``keys`` differ from ``prev_keys``; all rows when there is no comparable frame."""
    if prev_keys is None or prev_keys.shape != keys.shape:
        return np.ones(keys.shape[0], dtype=np.bool_)
    changed: NDArray[np.bool_] = (prev_keys != keys).any(axis=1)
    return changed


def lines_from_keys(keys: Keys, system: ColorSystem) -> list[str]:
    """Encode packed cell keys (see ``pack_keys``) as minimal-SGR ANSI lines, fully vectorised."""
    rows, cols = keys.shape
    if cols == 0:
        return [RESET] * rows
    layout = _layout(system)
    top, bottom = keys >> np.uint64(KEY_SHIFT), keys & np.uint64(HALF_MASK)
    channels = [
        ((colour >> np.uint64(shift)) & np.uint64(0xFF)).astype(np.intp).reshape(-1)
        for colour in (top, bottom)
        for shift in layout.shifts
    ]
    record = np.empty((rows * cols, len(layout.template)), dtype=np.uint8)
    record[:] = layout.template
    for offset, channel in zip(layout.digits, channels, strict=True):
        for i, digit in enumerate(_DIGITS):
            record[:, offset + i] = digit[channel]
    keep = layout.keep[_cell_codes(top, bottom, channels)]
    keep[cols - 1 :: cols, -1] = True  # the row-end marker, used to split the text into lines
    text = record[keep].tobytes().decode()
    return [line + RESET for line in text.split(_ROW_END)[:-1]]


def runs_from_keys(keys: Keys) -> Runs:
    """Split every row of packed cell keys into runs of equal keys, in one vectorised pass."""
    rows, cols = keys.shape
    flat = keys.reshape(-1)
    starts = np.ones(flat.shape, dtype=np.bool_)
    np.not_equal(flat[1:], flat[:-1], out=starts[1:])
    starts.reshape(rows, cols)[:, :1] = True
    first = np.flatnonzero(starts)
    heads = flat[first]
    return Runs(
        cols=cols,
        lengths=np.diff(first, append=flat.size),
        fg=(heads >> np.uint64(KEY_SHIFT)).astype(np.uint32),
        bg=(heads & np.uint64(HALF_MASK)).astype(np.uint32),
        bounds=np.searchsorted(first, np.arange(rows + 1) * cols),
    )


def _cell_codes(top: Keys, bottom: Keys, channels: list[NDArray[np.intp]]) -> NDArray[np.intp]:
    """Per cell: bit 0 fg changed, bit 1 bg changed, then each channel's digit count (base 3) above them."""
    fg_new = np.ones(top.shape, dtype=np.intp)
    fg_new[:, 1:] = top[:, 1:] != top[:, :-1]
    bg_new = np.ones(bottom.shape, dtype=np.intp)
    bg_new[:, 1:] = bottom[:, 1:] != bottom[:, :-1]
    codes = (fg_new + 2 * bg_new).reshape(-1)
    weight = 4
    for channel in channels:
        codes += weight * _DIGIT_COUNT[channel]
        weight *= 3
    return codes


@cache
def _layout(system: ColorSystem) -> _Layout:
    """Build (once) the cell template and keep table of a colour system."""
    shifts: tuple[int, ...]
    fg, bg, shifts = "38;2;000;000;000", "48;2;000;000;000", (16, 8, 0)
    if system is ColorSystem.ANSI256:
        fg, bg, shifts = "38;5;000", "48;5;000", (0,)
    cell = f"\x1b[{fg};{bg}m{_GLYPH}{_ROW_END}".encode()
    fg_at, sep_at = 2, 2 + len(fg)
    bg_at, end_at = sep_at + 1, sep_at + 1 + len(bg)
    digits = tuple(base + m.start() for base, field in ((fg_at, fg), (bg_at, bg)) for m in re.finditer("000", field))

    codes = np.arange(4 * 3 ** len(digits))
    fg_new, bg_new = (codes & 1).astype(np.bool_)[:, None], (codes & 2).astype(np.bool_)[:, None]
    keep = np.ones((codes.size, len(cell)), dtype=np.bool_)
    keep[:, :fg_at] = keep[:, end_at : end_at + 1] = fg_new | bg_new
    keep[:, fg_at:sep_at] = fg_new
    keep[:, sep_at : sep_at + 1] = fg_new & bg_new
    keep[:, bg_at:end_at] = bg_new
    keep[:, -1] = False
    for k, offset in enumerate(digits):
        count = codes // (4 * 3**k) % 3
        keep[:, offset] &= count >= 2
        keep[:, offset + 1] &= count >= 1
    return _Layout(np.frombuffer(cell, dtype=np.uint8), digits, shifts, keep)
