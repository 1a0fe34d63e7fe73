"""Ordered dithering on the 256-colour path: gradients keep their average colour instead of banding."""

from __future__ import annotations

import numpy as np
from tests_palette import PALETTE_RGB

from tuifeed.render import ColorMode, ColorSystem, pack_keys


def ramp(height: int = 16, width: int = 64) -> np.ndarray:
    """A BGRX horizontal ramp of one hue between two cube levels."""
    frame = np.zeros((height, width, 4), dtype=np.uint8)
    values = np.linspace(95, 135, width).astype(np.uint8)
    frame[..., 2] = values  # red ramps; green and blue sit on cube levels
    frame[..., 1] = 175
    frame[..., 0] = 215
    return frame


def shown_rgb(keys: np.ndarray) -> np.ndarray:
    """(2 * rows, cols, 3) RGB the palette indices of the keys show."""
    top = PALETTE_RGB[(keys >> np.uint64(24)).astype(np.int64)]
    bottom = PALETTE_RGB[(keys & np.uint64(0xFFFFFF)).astype(np.int64)]
    out = np.empty((keys.shape[0] * 2, keys.shape[1], 3))
    out[0::2], out[1::2] = top, bottom
    return out


def test_dithering_keeps_the_local_average_of_a_ramp() -> None:
    """Averaged over 4x4 blocks, the dithered picture follows the ramp far closer than nearest colours."""
    frame = ramp()
    source = frame[..., 2::-1].astype(np.float64)
    errors = {}
    for dither in (True, False):
        shown = shown_rgb(pack_keys(frame, ColorMode(ColorSystem.ANSI256, dither=dither)))
        block = lambda image: image.reshape(4, 4, 16, 4, 3).mean(axis=(1, 3))  # noqa: E731
        errors[dither] = float(np.abs(block(shown) - block(source)).mean())
    assert errors[True] < errors[False] / 2


def test_dither_pattern_is_fixed_in_time() -> None:
    """The same picture dithers the same way every frame (ordered, not random): still video does not shimmer."""
    frame = ramp()
    mode = ColorMode(ColorSystem.ANSI256)
    assert np.array_equal(pack_keys(frame, mode), pack_keys(frame.copy(), mode))


def test_flat_colours_on_a_level_stay_flat() -> None:
    """A colour exactly on a cube level is not dithered into its neighbours."""
    frame = np.zeros((8, 8, 4), dtype=np.uint8)
    frame[..., 2], frame[..., 1], frame[..., 0] = 135, 95, 215
    keys = pack_keys(frame, ColorMode(ColorSystem.ANSI256))
    assert len(np.unique(keys)) == 1
