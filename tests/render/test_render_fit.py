"""Tests for fitting clips into cell boxes and nearest-neighbour resampling."""

from __future__ import annotations

import numpy as np
import pytest

from tuifeed.render import Fit, fit_box, resample_nearest

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


@pytest.mark.parametrize(
    ("src", "box", "expected"),
    [
        (PORTRAIT, (80, 24), Fit(cols=27, rows=24, x=26, y=0)),
        (PORTRAIT, (120, 40), Fit(cols=45, rows=40, x=37, y=0)),
        (PORTRAIT, (200, 60), Fit(cols=68, rows=60, x=66, y=0)),
        (LANDSCAPE, (80, 24), Fit(cols=80, rows=22, x=0, y=1)),
        (LANDSCAPE, (120, 40), Fit(cols=120, rows=34, x=0, y=3)),
        (LANDSCAPE, (200, 60), Fit(cols=200, rows=56, x=0, y=2)),
        ((100, 100), (120, 40), Fit(cols=80, rows=40, x=20, y=0)),
        (PORTRAIT, (1, 1), Fit(cols=1, rows=1, x=0, y=0)),
        (LANDSCAPE, (3, 1), Fit(cols=3, rows=1, x=0, y=0)),
        ((1, 1000), (120, 40), Fit(cols=1, rows=40, x=59, y=0)),
        ((1000, 1), (120, 40), Fit(cols=120, rows=1, x=0, y=19)),
        (PORTRAIT, (0, 40), Fit(0, 0, 0, 0)),
        (PORTRAIT, (120, 0), Fit(0, 0, 0, 0)),
        (PORTRAIT, (-5, 10), Fit(0, 0, 0, 0)),
        ((None, None), (120, 40), Fit(cols=120, rows=40, x=0, y=0)),
        ((0, 1080), (120, 40), Fit(cols=120, rows=40, x=0, y=0)),
        ((1920, None), (80, 24), Fit(cols=80, rows=24, x=0, y=0)),
    ],
)
def test_fit_box_table(src: tuple[int | None, int | None], box: tuple[int, int], expected: Fit) -> None:
    """Known clips land at the expected size and offset in common terminal sizes."""
    assert fit_box(*src, *box) == expected


def test_pixel_size_is_one_pixel_per_column_and_two_per_row() -> None:
    """The decode size of a fit is cols x (rows * 2)."""
    assert fit_box(*PORTRAIT, 120, 40).pixel_size == (45, 80)


def test_fit_stays_inside_the_box_and_keeps_the_aspect() -> None:
    """Random sources and boxes: centred inside the box, aspect within one cell of rounding."""
    rng = np.random.default_rng(7)
    for _ in range(2000):
        src_w, src_h = (int(v) for v in rng.integers(1, 4000, 2))
        cols, rows = (int(v) for v in rng.integers(1, 300, 2))
        fit = fit_box(src_w, src_h, cols, rows)
        assert 1 <= fit.cols <= cols and 1 <= fit.rows <= rows
        assert fit.x == (cols - fit.cols) // 2 and fit.y == (rows - fit.rows) // 2
        assert fit.cols == cols or fit.rows == rows
        if fit.cols == cols and fit.rows > 1:
            assert abs(fit.rows * 2 - cols * src_h / src_w) <= 1
        elif fit.rows == rows and fit.cols > 1:
            assert abs(fit.cols - rows * 2 * src_w / src_h) <= 0.5


def numbered_frame(height: int, width: int) -> np.ndarray:
    """A BGRX frame whose pixel (y, x) holds y in byte 0 and x in byte 1."""
    frame = np.zeros((height, width, 4), dtype=np.uint8)
    frame[..., 0] = np.arange(height)[:, None]
    frame[..., 1] = np.arange(width)[None, :]
    return frame


def test_resample_downscale_samples_pixel_centres() -> None:
    """Halving 4x4 picks the pixels nearest each output centre: rows and columns 1 and 3."""
    out = resample_nearest(numbered_frame(4, 4), 2, 2)
    assert out.shape == (2, 2, 4)
    assert out[..., 0].tolist() == [[1, 1], [3, 3]]
    assert out[..., 1].tolist() == [[1, 3], [1, 3]]


def test_resample_upscale_repeats_pixels() -> None:
    """Doubling repeats each pixel twice along both axes."""
    out = resample_nearest(numbered_frame(2, 3), 6, 4)
    assert out[..., 0].tolist() == [[0] * 6, [0] * 6, [1] * 6, [1] * 6]
    assert out[0, :, 1].tolist() == [0, 0, 1, 1, 2, 2]


def test_resample_same_size_is_an_independent_copy() -> None:
    """Resampling to the same size gives equal pixels that do not share the source buffer."""
    frame = numbered_frame(6, 5)
    out = resample_nearest(frame, 5, 6)
    assert np.array_equal(out, frame)
    assert not np.shares_memory(out, frame)


def test_resample_repeated_shape_gives_same_result() -> None:
    """The cached index arrays serve a second frame of the same shape correctly."""
    first = resample_nearest(numbered_frame(10, 8), 3, 5)
    frame = numbered_frame(10, 8)
    frame[..., 2] = 9
    second = resample_nearest(frame, 3, 5)
    assert np.array_equal(second[..., :2], first[..., :2])
    assert (second[..., 2] == 9).all()


def test_resample_to_empty_and_from_empty() -> None:
    """An empty target is an empty array; an empty source cannot fill a non-empty target."""
    assert resample_nearest(numbered_frame(4, 4), 0, 3).shape == (3, 0, 4)
    with pytest.raises(ValueError, match="empty frame"):
        resample_nearest(np.zeros((0, 4, 4), dtype=np.uint8), 2, 2)


def test_downscale_box_averages_blocks() -> None:
    """Each output pixel is the rounded mean of its 2x2 block; a ragged edge is dropped."""
    from tuifeed.render.fit import downscale_box

    frame = np.zeros((5, 4, 4), dtype=np.uint8)
    frame[0:2, 0:2, 0] = [[0, 10], [20, 31]]
    frame[0:2, 2:4, 1] = 255
    out = downscale_box(frame, 2)
    assert out.shape == (2, 2, 4)
    assert out[0, 0, 0] == 15 and out[0, 1, 1] == 255 and out[1, 0].tolist() == [0, 0, 0, 0]


def test_half_blocks_decode_large_clips_supersampled() -> None:
    """A 1280x720 clip in 80x24 cells is decoded at twice the cells' pixels, in 200x60 at the cells' own."""
    from tuifeed.render import ColorMode, HalfBlockEncoder

    encoder = HalfBlockEncoder(ColorMode())
    small = encoder.fit(1280, 720, 80, 24)
    assert small.pixel_size == (small.cols * 2, small.rows * 4)
    large = encoder.fit(1280, 720, 200, 60)
    assert large.pixel_size == (large.cols, large.rows * 2)
    frame = np.random.default_rng(1).integers(0, 256, (small.rows * 4, small.cols * 2, 4), dtype=np.uint8)
    encoder.encode(frame, small, 0, 0, direct=True)
    picture = encoder.picture()
    assert picture is not None and (picture.rows, picture.cols) == (small.rows, small.cols)
