"""Cell-level diffs: which half-block cells to send, and the bytes (cursor moves plus minimal SGR) that send them."""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
from numpy.typing import NDArray

from tuifeed.render.color import HALF_MASK, KEY_SHIFT, ColorSystem, Keys

Mask = NDArray[np.bool_]
Pixels = NDArray[np.uint32]
"""(2 * rows, cols) packed 0xRRGGBB source colours, one per half-block pixel."""

RESET: Final = b"\x1b[0m"
_UPPER: Final = "\u2580".encode()  # ▀: foreground paints the top pixel, background the bottom one
_WEIGHTS: Final = (3, 4, 2)
"""Per-channel weights (red, green, blue) of the perceptual distance: the eye is most sensitive to green."""
_WEIGHT_SCALE: Final = 4
_COORD_DIGITS: Final = np.array([[ord(c) for c in f"{v:03d}"] for v in range(1000)], dtype=np.uint8)
"""ASCII digits of 0-999, three per value with leading zeros (cursor coordinates)."""
_COORD_COUNT: Final = np.array([(v >= 10) + (v >= 100) for v in range(1000)], dtype=np.intp)
"""Digits of 0-999 minus one."""


def distance(a: Pixels, b: Pixels) -> NDArray[np.int32]:
    """Perceptual distance between packed colours: the largest weighted channel difference, in levels (0-255)."""
    worst = np.zeros(a.shape, dtype=np.int32)
    for shift, weight in zip((16, 8, 0), _WEIGHTS, strict=True):
        ca = ((a >> np.uint32(shift)) & np.uint32(0xFF)).astype(np.int32)
        cb = ((b >> np.uint32(shift)) & np.uint32(0xFF)).astype(np.int32)
        np.maximum(worst, np.abs(ca - cb) * weight, out=worst)
    return worst // _WEIGHT_SCALE


def cells_to_send(
    keys: Keys, pixels: Pixels, shown_keys: Keys, shown_pixels: Pixels, threshold: int, refresh: slice
) -> Mask:
    """Which cells must be sent: their colour changed by more than ``threshold`` since it was last sent.

    ``pixels`` and ``shown_pixels`` are the source colours now and when each cell was last sent, so a slow
    drift still crosses the threshold in the end instead of creeping by unseen. Cells whose encoded colour
    is identical are never sent; every cell of the rows in ``refresh`` always is (a rolling full refresh,
    so whatever went wrong on screen is repaired within a cycle).
    """
    moved = distance(pixels, shown_pixels) > threshold
    send: Mask = (moved[0::2] | moved[1::2]) & (keys != shown_keys)
    send[refresh] = True
    return send


def encode_cells(keys: Keys, send: Mask, system: ColorSystem, left: int = 0, top: int = 0) -> bytes:
    """The bytes that paint the ``send`` cells of ``keys`` on a terminal whose picture starts at (left, top).

    Cells are visited in raster order. A row's first cell gets an absolute cursor move, a gap in a row a
    cursor-forward; colours are set only when they differ from the colours the terminal holds from the
    previous painted cell (the SGR state survives cursor moves). Every cell is ``▀``, even when its
    halves match: a space would save two bytes but reads as blank text to anything that copies the screen.
    Coordinates are 0-based cells; the result ends with a reset.
    """
    cols = keys.shape[1]
    index = np.flatnonzero(send.reshape(-1))
    if index.size == 0:
        return b""
    y, x = index // cols, index % cols
    cell = keys.reshape(-1)[index]
    fg, bg = cell >> np.uint64(KEY_SHIFT), cell & np.uint64(HALF_MASK)
    fg_new = np.ones(index.size, dtype=np.bool_)
    fg_new[1:] = fg[1:] != fg[:-1]
    bg_new = np.ones(index.size, dtype=np.bool_)
    bg_new[1:] = bg[1:] != bg[:-1]
    row_start = np.ones(index.size, dtype=np.bool_)
    row_start[1:] = y[1:] != y[:-1]
    gap = np.zeros(index.size, dtype=np.intp)
    gap[1:] = x[1:] - x[:-1] - 1
    gap[row_start] = 0

    layout = _layout(system)
    record = np.empty((index.size, len(layout.template)), dtype=np.uint8)
    record[:] = layout.template
    keep = np.broadcast_to(layout.always, record.shape).copy()
    _put_number(record, keep, layout.cup_row, y + top + 1, row_start)
    _put_number(record, keep, layout.cup_col, x + left + 1, row_start)
    keep[:, layout.cup_fixed] = row_start[:, None]
    _put_number(record, keep, layout.cuf, gap, gap > 0)
    keep[:, layout.cuf_fixed] = (gap > 0)[:, None]
    channels = layout.channels
    for offsets, colour, wanted in ((layout.fg_digits, fg, fg_new), (layout.bg_digits, bg, bg_new)):
        for offset, shift in zip(offsets, channels, strict=True):
            value = ((colour >> np.uint64(shift)) & np.uint64(0xFF)).astype(np.intp)
            _put_number(record, keep, [offset, offset + 1, offset + 2], value, wanted)
    keep[:, layout.sgr_open] = (fg_new | bg_new)[:, None]
    keep[:, layout.fg_fixed] = fg_new[:, None]
    keep[:, layout.sgr_sep] = (fg_new & bg_new)[:, None]
    keep[:, layout.bg_fixed] = bg_new[:, None]
    keep[:, layout.upper] = True
    return record[keep].tobytes() + RESET


def _put_number(
    record: NDArray[np.uint8], keep: NDArray[np.bool_], offsets: list[int], value: NDArray[np.intp], wanted: Mask
) -> None:
    """Write 0-999 ``value`` as three digits at ``offsets`` and keep them without leading zeros where wanted."""
    clipped = np.clip(value, 0, 999)
    digits = _COORD_DIGITS[clipped]
    count = _COORD_COUNT[clipped]
    for i, offset in enumerate(offsets):
        record[:, offset] = digits[:, i]
    keep[:, offsets[0]] = wanted & (count >= 2)
    keep[:, offsets[1]] = wanted & (count >= 1)
    keep[:, offsets[2]] = wanted


class _Layout:
    """Byte offsets of the fields in the per-cell template ``CUP CUF SGR glyph``."""

    def __init__(self, system: ColorSystem) -> None:
        self.channels: tuple[int, ...]
        if system is ColorSystem.TRUECOLOR:
            fg, bg, self.channels = "38;2;000;000;000", "48;2;000;000;000", (16, 8, 0)
        else:
            fg, bg, self.channels = "38;5;000", "48;5;000", (0,)
        parts = [
            ("cup", "\x1b[000;000H"),
            ("cuf", "\x1b[000C"),
            ("sgr_open", "\x1b["),
            ("fg", fg),
            ("sgr_sep", ";"),
            ("bg", bg),
            ("sgr_close", "m"),
        ]
        text, at = "", {}
        for name, part in parts:
            at[name] = len(text.encode())
            text += part
        template = text.encode() + _UPPER
        self.template = np.frombuffer(template, dtype=np.uint8)
        cup, cuf = at["cup"], at["cuf"]
        self.cup_row = [cup + 2, cup + 3, cup + 4]
        self.cup_col = [cup + 6, cup + 7, cup + 8]
        self.cup_fixed = [cup, cup + 1, cup + 5, cup + 9]
        self.cuf = [cuf + 2, cuf + 3, cuf + 4]
        self.cuf_fixed = [cuf, cuf + 1, cuf + 5]
        self.sgr_open = [at["sgr_open"], at["sgr_open"] + 1, at["sgr_close"]]
        self.fg_digits = [at["fg"] + m for m in _zeros(fg)]
        self.bg_digits = [at["bg"] + m for m in _zeros(bg)]
        self.fg_fixed = [at["fg"] + i for i in _fixed(fg)]
        self.bg_fixed = [at["bg"] + i for i in _fixed(bg)]
        self.sgr_sep = [at["sgr_sep"]]
        self.upper = list(range(len(template) - len(_UPPER), len(template)))
        self.always = np.zeros(len(template), dtype=np.bool_)


def _zeros(field: str) -> list[int]:
    """Offsets of the three-digit ``000`` numbers in a field."""
    return [i for i in range(len(field) - 2) if field[i : i + 3] == "000" and (i == 0 or field[i - 1] == ";")]


def _fixed(field: str) -> list[int]:
    """Offsets of a field's bytes that are not part of a three-digit number."""
    numbers = {i + k for i in _zeros(field) for k in range(3)}
    return [i for i in range(len(field)) if i not in numbers]


@cache
def _layout(system: ColorSystem) -> _Layout:
    return _Layout(system)
