"""Fitting a clip into a box of terminal cells, and nearest-neighbour resampling of frames."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

_IndexPair = tuple[NDArray[np.intp], NDArray[np.intp]]


@dataclass(frozen=True, slots=True)
class Fit:
    """Where a picture goes inside a box of cells: its size in cells and its offset for centring."""

    cols: int
    rows: int
    x: int
    """Cells left empty on the left of the picture."""
    y: int
    """Cell rows left empty above the picture."""
    pixel_width: int = 0
    """Pixels to decode across; 0 means one per column (half-blocks)."""
    pixel_height: int = 0
    """Pixels to decode down; 0 means two per cell row (half-blocks)."""

    @property
    def pixel_size(self) -> tuple[int, int]:
        """The (width, height) in pixels to decode at: by default one pixel per column, two per cell row."""
        return self.pixel_width or self.cols, self.pixel_height or self.rows * 2


def fit_box(src_w: int | None, src_h: int | None, cols: int, rows: int, cell_aspect: float = 2.0) -> Fit:
    """Fit a ``src_w`` x ``src_h`` picture into ``cols`` x ``rows`` cells, keeping its aspect, centred.

    ``cell_aspect`` is a cell's height over its width: 2 for half-blocks, whose two pixels a cell are
    square. An unknown or empty source size fills the box; an empty box gives an empty fit; a non-empty
    box always gets at least one cell.
    """
    if cols <= 0 or rows <= 0:
        return Fit(0, 0, 0, 0)
    if src_w is None or src_h is None or src_w <= 0 or src_h <= 0:
        return Fit(cols, rows, 0, 0)
    if cols * src_h <= cell_aspect * rows * src_w:  # width-bound: the picture spans every column
        fit_cols, fit_rows = cols, min(rows, max(1, round(cols * src_h / (cell_aspect * src_w))))
    else:
        fit_cols, fit_rows = min(cols, max(1, round(cell_aspect * rows * src_w / src_h))), rows
    return Fit(fit_cols, fit_rows, (cols - fit_cols) // 2, (rows - fit_rows) // 2)


def resample_nearest(frame: NDArray[np.uint8], out_w: int, out_h: int) -> NDArray[np.uint8]:
    """Return a new (out_h, out_w, ...) copy of ``frame`` scaled by nearest neighbour (pixel centres)."""
    ys, xs = _indices(frame.shape[0], frame.shape[1], out_h, out_w)
    return frame[ys[:, None], xs[None, :]]


@lru_cache(maxsize=16)
def _indices(in_h: int, in_w: int, out_h: int, out_w: int) -> _IndexPair:
    """Source row and column for each output row and column, cached per size pair."""
    ys, xs = _axis(in_h, out_h), _axis(in_w, out_w)
    ys.flags.writeable = xs.flags.writeable = False
    return ys, xs


def _axis(size_in: int, size_out: int) -> NDArray[np.intp]:
    """Nearest source index for the centre of each of ``size_out`` output pixels."""
    if size_out <= 0:
        return np.zeros(0, dtype=np.intp)
    if size_in <= 0:
        raise ValueError("cannot resample an empty frame to a non-empty size")
    return (np.arange(size_out, dtype=np.intp) * 2 + 1) * size_in // (2 * size_out)


def downscale_box(frame: NDArray[np.uint8], factor: int) -> NDArray[np.uint8]:
    """A new frame ``factor`` times smaller each way, every pixel the mean of its ``factor`` x ``factor`` block.

    Area averaging is what a good scaler does when shrinking a lot: a bicubic scaler asked for a picture a
    sixteenth of the source's width skips most of it and aliases. Edge pixels that do not fill a block
    are dropped.
    """
    height, width = frame.shape[0] // factor * factor, frame.shape[1] // factor * factor
    blocks = frame[:height, :width].reshape(height // factor, factor, width // factor, factor, -1)
    summed = blocks.sum(axis=(1, 3), dtype=np.uint32)
    reduced: NDArray[np.uint8] = ((summed + factor * factor // 2) // (factor * factor)).astype(np.uint8)
    return reduced
