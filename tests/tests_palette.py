"""The xterm-256 palette as RGB, from its definition (for checking what palette indices show)."""

from __future__ import annotations

import numpy as np


def _palette() -> np.ndarray:
    levels = [0, 95, 135, 175, 215, 255]
    rgb = np.zeros((256, 3))
    for index in range(216):
        rgb[16 + index] = levels[index // 36], levels[index // 6 % 6], levels[index % 6]
    for index in range(24):
        rgb[232 + index] = (8 + 10 * index,) * 3
    return rgb


PALETTE_RGB = _palette()
