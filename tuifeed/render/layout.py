"""Where the picture and the info panel go on a screen of a given size: worked out here, applied by the feed screen."""

from __future__ import annotations

from dataclasses import dataclass

from tuifeed.render.fit import Fit, fit_box

SIDE_PANEL_WIDTH = 36
SIDE_GAP = 2
"""Columns between the picture and the panel beside it."""
PANEL_ROWS = 6
"""Rows of the panel below the picture."""
MIN_COLS = 10
MIN_ROWS = 5
"""The smallest room worth drawing a picture in; in less, the screen says it is too small instead."""


@dataclass(frozen=True, slots=True)
class Layout:
    """One arrangement of the feed screen."""

    side: bool
    """The panel sits beside the picture like a caption, its bottom at the picture's bottom."""
    picture: Fit
    """The picture's size and place on the screen (x, y from the screen's top-left corner)."""
    video_left: int
    video_width: int
    """Where the video view starts and how wide it is; beside, it is exactly the picture, so nothing overlaps it."""
    video_height: int
    """How tall the video view is, from the top of the screen: all of it, unless the panel is below."""
    too_small: bool
    """The room for the picture is a sliver: the screen says so instead. A clip whose own shape makes it
    a sliver in ample room (8000x16 pixels) is drawn as one: no terminal would be big enough for more."""
    caption_x: int = 0
    caption_height: int = 0
    """Beside: the panel's column starts at `caption_x` and ends at the picture's bottom row."""


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
        # Room beside means the picture is bound by the height: it keeps its size wherever it goes.
        left = whole.x if whole.x >= beside else (width - whole.cols - beside) // 2
        picture = Fit(whole.cols, whole.rows, left, whole.y)
        return Layout(
            True,
            picture,
            left,
            whole.cols,
            height,
            _sliver(width, height),
            left + whole.cols + SIDE_GAP,
            whole.y + whole.rows,
        )
    rows = max(0, height - PANEL_ROWS if panel else height)
    return Layout(False, fit_box(src_w, src_h, width, rows), 0, width, rows, _sliver(width, rows))


def _sliver(cols: int, rows: int) -> bool:
    return cols < MIN_COLS or rows < MIN_ROWS
