"""A real terminal emulator (pyte) as the judge of what our bytes draw: cells back to half-block colours."""

from __future__ import annotations

import numpy as np
import pyte
from numpy.typing import NDArray

UPPER, LOWER, FULL = "▀", "▄", "█"


def new_screen(cols: int, rows: int) -> tuple[pyte.Screen, pyte.ByteStream]:
    """An empty pyte screen and the byte stream that feeds it."""
    screen = pyte.Screen(cols, rows)
    return screen, pyte.ByteStream(screen)


def colour(value: str, system: str) -> int:
    """A pyte colour as ours: 0xRRGGBB for truecolor, the palette index for ansi256 (-1 for default)."""
    if value == "default":
        return -1
    if system == "truecolor":
        return int(value, 16)
    return _PALETTE.get(value.lower(), -1)


def halves(screen: pyte.Screen, top: int, left: int, rows: int, cols: int, system: str) -> NDArray[np.int64]:
    """(rows, cols, 2) top and bottom colour of each half-block cell in the box, read from pyte's cells."""
    out = np.full((rows, cols, 2), -2, dtype=np.int64)
    for y in range(rows):
        line = screen.buffer[top + y]
        for x in range(cols):
            char = line[left + x]
            fg, bg = colour(char.fg, system), colour(char.bg, system)
            if char.data == UPPER:
                out[y, x] = fg, bg
            elif char.data == LOWER:
                out[y, x] = bg, fg
            elif char.data == FULL:
                out[y, x] = fg, fg
            elif char.data == " ":
                out[y, x] = bg, bg
    return out


def key_halves(keys: NDArray[np.uint64]) -> NDArray[np.int64]:
    """(rows, cols, 2) top and bottom colour of packed keys (see pack_keys)."""
    return np.stack([(keys >> np.uint64(24)).astype(np.int64), (keys & np.uint64(0xFFFFFF)).astype(np.int64)], -1)


def _xterm_palette() -> dict[str, int]:
    """pyte names 256-colour cells by the palette entry's hex RGB; map those back to indices (16-255)."""
    levels = [0, 95, 135, 175, 215, 255]
    names: dict[str, int] = {}
    for index in range(216):
        r, g, b = levels[index // 36], levels[index // 6 % 6], levels[index % 6]
        names.setdefault(f"{r:02x}{g:02x}{b:02x}", 16 + index)
    for index in range(24):
        v = 8 + 10 * index
        names.setdefault(f"{v:02x}{v:02x}{v:02x}", 232 + index)
    return names


_PALETTE = _xterm_palette()
