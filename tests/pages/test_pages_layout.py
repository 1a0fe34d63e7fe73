"""Layouts for clips of extreme shapes: a sliver of a clip is drawn, only a sliver of room says 'too small'."""

from __future__ import annotations

import pytest

from tuifeed.render.layout import plan


@pytest.mark.parametrize(("size", "side"), [((8000, 16), False), ((16, 4000), True), ((1, 1), False)])
def test_a_clip_of_extreme_shape_is_drawn_however_thin(size: tuple[int, int], side: bool) -> None:
    """8000x16 and 16x4000 pixels fit as a strip a row or a column thick: no terminal would be big enough for more."""
    layout = plan(120, 40, size, panel=True)
    assert not layout.too_small
    assert layout.side is side
    assert min(layout.picture.cols, layout.picture.rows) >= 1


def test_a_terminal_without_room_is_too_small_whatever_the_clip() -> None:
    """At 20x6 the panel leaves no rows for a picture; without it, 20x6 is room enough."""
    assert plan(20, 6, (360, 640), panel=True).too_small
    assert plan(20, 6, (640, 360), panel=True).too_small
    assert not plan(20, 6, (640, 360), panel=False).too_small
