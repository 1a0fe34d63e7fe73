"""Colour modes, terminal colour detection, and packing BGRX frames into per-cell colour-pair keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import NDArray

Frame = NDArray[np.uint8]
"""A decoded picture: (height, width, 4) uint8 in B, G, R, X byte order (libvlc RV32)."""
Keys = NDArray[np.uint64]
"""Packed cells: (rows, cols) uint64, ``top << 24 | bottom`` with each half a colour in the mode's space."""

KEY_SHIFT: Final = 24
"""How far the top (foreground) colour is shifted inside a key."""
HALF_MASK: Final = (1 << KEY_SHIFT) - 1
"""Mask that extracts the bottom (background) colour from a key."""

_TRUECOLOR_TERMS: Final = frozenset(
    {"xterm-kitty", "xterm-ghostty", "alacritty", "foot", "foot-extra", "wezterm", "contour", "rio"}
)
_TRUECOLOR_PROGRAMS: Final = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "rio"})

_CUBE_LEVELS: Final = np.array([0, 95, 135, 175, 215, 255], dtype=np.int32)
_CUBE_INDEX: Final = np.abs(np.arange(256)[:, None] - _CUBE_LEVELS[None, :]).argmin(axis=1).astype(np.int32)
"""Nearest 6x6x6 cube level per channel value (ties go to the lower level)."""
_BAYER: Final = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], dtype=np.int32) * 2 - 15
"""The 4x4 Bayer matrix as offsets centred on zero, in 32nds of a step (-15..15)."""
_DITHER_STEP: Final = 40
"""The spacing of the upper cube levels (95, 135, 175, 215, 255): the error dithering spreads."""


class ColorSystem(StrEnum):
    """Which SGR colour form the terminal understands."""

    TRUECOLOR = "truecolor"
    """24-bit ``38;2;r;g;b``."""
    ANSI256 = "ansi256"
    """The xterm-256 palette ``38;5;n`` (only the 6x6x6 cube and the 24 greys are used)."""


@dataclass(frozen=True, slots=True)
class ColorMode:
    """How frames are coloured: the colour system and, for truecolor, the bits kept per channel."""

    system: ColorSystem = ColorSystem.TRUECOLOR
    bits: int = 8
    """Bits per channel kept by quantisation (1-8); fewer bits make more cells repeat. Truecolor only."""
    dither: bool = True
    """Ordered (Bayer) dithering before the palette is chosen, so gradients do not band. ansi256 only."""

    def __post_init__(self) -> None:
        if not 1 <= self.bits <= 8:
            raise ValueError(f"bits per channel must be 1-8, not {self.bits}")
        if self.system is ColorSystem.ANSI256 and self.bits != 8:
            raise ValueError("quantisation bits apply to truecolor only")


DEFAULT_MODE: Final = ColorMode()
"""Full 24-bit colour, the fast path's default."""
SAFE_MODE: Final = ColorMode(bits=5)
"""The safe path's default: 5 bits per channel keep run counts and Textual's style cache small."""


def detect_color_mode(environ: Mapping[str, str]) -> ColorSystem:
    """Guess the terminal's colour system from environment variables (pass ``os.environ``).

    COLORTERM=truecolor/24bit, a TERM with "direct" or a known truecolor terminal mean truecolor; anything
    else (typically ``*-256color``, which is what tmux reports) means ansi256. Rich's own guess is not used
    because it downgrades inside tmux. The config may override the result.
    """
    if environ.get("COLORTERM", "").lower() in {"truecolor", "24bit"}:
        return ColorSystem.TRUECOLOR
    term = environ.get("TERM", "")
    if "direct" in term or term in _TRUECOLOR_TERMS or environ.get("TERM_PROGRAM") in _TRUECOLOR_PROGRAMS:
        return ColorSystem.TRUECOLOR
    return ColorSystem.ANSI256


def pack_keys(frame: Frame, mode: ColorMode) -> Keys:
    """Pack a BGRX frame into one key per cell (top pixel over bottom pixel) in the mode's colour space.

    Truecolor keys hold quantised 0xRRGGBB colours, ansi256 keys hold palette indices. An odd last pixel
    row is ignored. The result never refers to ``frame``.
    """
    if frame.ndim != 3 or frame.shape[2] != 4 or frame.dtype != np.uint8:
        raise ValueError(f"expected a (height, width, 4) uint8 BGRX frame, got {frame.shape} {frame.dtype}")
    rows = frame.shape[0] // 2
    pixels = frame[: rows * 2]
    if pixels.strides[2] != 1:
        pixels = np.ascontiguousarray(pixels)
    # Little-endian B, G, R, X bytes read as one uint32 are X<<24 | R<<16 | G<<8 | B: the swap is free.
    rgb = pixels.view("<u4")[..., 0] & np.uint32(0xFFFFFF)
    if mode.system is ColorSystem.TRUECOLOR:
        colors = _quantise(rgb, mode.bits)
    else:
        colors = _xterm256(rgb, _dither_offsets(rgb.shape) if mode.dither else None)
    keys: Keys = colors[0::2].astype(np.uint64) << np.uint64(KEY_SHIFT)
    keys |= colors[1::2]
    return keys


def requantise_keys(keys: Keys, mode: ColorMode, bits: int) -> Keys:
    """Return keys of a ``mode`` frame quantised to at most ``bits`` per channel (ansi256 keys unchanged)."""
    if mode.system is not ColorSystem.TRUECOLOR or bits >= mode.bits:
        return keys
    mask, half = _channel_masks(bits, channels=6)
    return (keys & np.uint64(mask)) | np.uint64(half)


def _channel_masks(bits: int, channels: int) -> tuple[int, int]:
    """Bit masks that keep the top ``bits`` of each 8-bit channel and set the half-bucket bit below them."""
    shift = 8 - bits
    keep = (0xFF >> shift) << shift
    half = (1 << shift) >> 1
    mask = sum(keep << (8 * c) for c in range(channels))
    halves = sum(half << (8 * c) for c in range(channels))
    return mask, halves


def _quantise(rgb: NDArray[np.uint32], bits: int) -> NDArray[np.uint32]:
    """Quantise packed 0xRRGGBB colours to ``bits`` per channel: ``(v >> s) << s | half-bucket``."""
    if bits == 8:
        return rgb
    mask, half = _channel_masks(bits, channels=3)
    return (rgb & np.uint32(mask)) | np.uint32(half)


def _dither_offsets(shape: tuple[int, ...]) -> NDArray[np.int32]:
    """Per-pixel ordered-dither offsets in channel levels, tiled from the Bayer matrix (fixed in time)."""
    rows, cols = shape
    tiled = np.tile(_BAYER, (rows // 4 + 1, cols // 4 + 1))[:rows, :cols]
    offsets: NDArray[np.int32] = tiled * _DITHER_STEP // 32
    return offsets


def _xterm256(rgb: NDArray[np.uint32], offsets: NDArray[np.int32] | None = None) -> NDArray[np.uint32]:
    """Nearest xterm-256 palette index (cube or grey ramp, Euclidean RGB) for packed 0xRRGGBB colours.

    With ``offsets`` (ordered dithering) each pixel is nudged by its offset before the cube level is
    chosen, so a gradient between two levels becomes a fine pattern of both instead of a band.
    """
    channels = [((rgb >> np.uint32(s)) & np.uint32(0xFF)).astype(np.int32) for s in (16, 8, 0)]
    if offsets is not None:
        channels = [np.clip(c + offsets, 0, 255) for c in channels]
    levels = [_CUBE_INDEX[c] for c in channels]
    cube_dist = sum((c - _CUBE_LEVELS[lv]) ** 2 for c, lv in zip(channels, levels, strict=True))
    total = channels[0] + channels[1] + channels[2]
    grey = np.clip((total - 10) // 30, 0, 23)  # nearest 8 + 10k to the mean; ties go to the darker grey
    grey_value = 8 + 10 * grey
    grey_dist = sum((c - grey_value) ** 2 for c in channels)
    cube = 16 + 36 * levels[0] + 6 * levels[1] + levels[2]
    index: NDArray[np.uint32] = np.where(grey_dist < cube_dist, 232 + grey, cube).astype(np.uint32)
    return index
