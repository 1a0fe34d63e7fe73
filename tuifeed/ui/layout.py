"""Where the picture and the info panel go on a screen of a given size: worked out here, applied by the feed screen."""

from __future__ import annotations

from dataclasses import dataclass

from tuifeed.render import Fit, fit_box

SIDE_PANEL_WIDTH = 36
SIDE_GAP = 2
"""Columns between the picture and the panel beside it."""
PANEL_ROWS = 6
"""Rows of the panel below the picture."""
MIN_COLS = 10
MIN_ROWS = 5
"""The smallest picture worth drawing; anything smaller is a sliver, and the screen says so instead."""


@dataclass(frozen=True, slots=True)
class Layout:
    """One arrangement of the feed screen."""

    side: bool
    """The panel sits beside the picture like a caption, its bottom at the picture's bottom."""
    picture: Fit
    """The picture's size and place on the screen (x, y from the screen's top-left corner)."""
    video_width: int
    """Columns of the video view, from the left edge; the picture is centred in them."""
    caption_x: int = 0
    caption_height: int = 0
    """Beside: the panel's column starts at `caption_x` and ends at the picture's bottom row."""

    @property
    def too_small(self) -> bool:
        """Whether the picture would be a sliver."""
        return self.picture.cols < MIN_COLS or self.picture.rows < MIN_ROWS


def plan(width: int, height: int, clip_size: tuple[int, int] | None, *, panel: bool) -> Layout:
    """The layout for a `width` x `height` screen showing a clip of `clip_size` pixels (None: unknown).

    A vertical clip with room beside it gets the panel beside it: the picture stays centred on the
    screen when the panel fits in the margin on its right, else picture and panel are centred as one.
    Otherwise the panel goes below, across the screen.
    """
    src_w, src_h = clip_size or (None, None)
    vertical = bool(src_w and src_h and src_h > src_w)
    whole = fit_box(src_w, src_h, width, height)
    beside = SIDE_PANEL_WIDTH + SIDE_GAP
    if panel and vertical and width - whole.cols >= beside:
        centred = (width - whole.cols) // 2 >= beside
        video_width = width if centred else width - beside
        fit = fit_box(src_w, src_h, video_width, height)
        caption_x = fit.x + fit.cols + SIDE_GAP
        return Layout(True, fit, video_width, caption_x, fit.y + fit.rows)
    rows = height - PANEL_ROWS if panel else height
    fit = fit_box(src_w, src_h, width, max(0, rows))
    return Layout(False, fit, width)
