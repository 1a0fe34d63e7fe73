"""HalfBlockEncoder: the screen pyte rebuilds from its bytes is always the picture it reports, frame after frame."""

from __future__ import annotations

import numpy as np
from pyte_screen import halves, key_halves, new_screen

from tuifeed.render import LADDER, ColorMode, ColorSystem, HalfBlockEncoder, fit_box


def drifting_frames(count: int, rows: int, cols: int, seed: int = 5, speed: float = 0.2) -> list[np.ndarray]:
    """BGRX frames of a slowly moving gradient with sensor noise: most cells change a little each frame."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : rows * 2, 0:cols].astype(np.float64)
    frames = []
    for step in range(count):
        t = step * speed
        rgb = np.stack(
            [120 + 80 * np.sin((x + t) / 7), 100 + 60 * np.cos((y - t) / 5), 90 + 50 * np.sin((x + y) / 9)], -1
        )
        rgb += rng.normal(0, 0.5, rgb.shape)
        frame = np.zeros((rows * 2, cols, 4), dtype=np.uint8)
        frame[..., 2::-1] = np.clip(rgb, 0, 255).astype(np.uint8)
        frames.append(frame)
    return frames


def test_screen_matches_the_reported_picture_every_frame() -> None:
    """Frame after frame (diffs, threshold, refresh bands, a step change), pyte shows exactly picture().keys."""
    rows, cols, left, top = 6, 16, 3, 2
    encoder = HalfBlockEncoder(ColorMode(), refresh_frames=4)
    fit = fit_box(cols, rows * 2, cols, rows)
    screen, stream = new_screen(cols + 6, rows + 4)
    sizes = []
    for index, frame in enumerate(drifting_frames(24, rows, cols)):
        if index == 12:
            encoder.level = 3
        data = encoder.encode(frame, fit, left, top, direct=True)
        sizes.append(len(data))
        stream.feed(data)
        picture = encoder.picture()
        assert picture is not None
        assert np.array_equal(halves(screen, top, left, rows, cols, "truecolor"), key_halves(picture.keys)), index
    assert sizes[0] > 2 * float(np.median(sizes[1:])), "after the first frame only changes are sent"


def test_unchanged_frames_send_only_the_refresh_band() -> None:
    """A still picture costs one band of rows per frame, and every row is resent within a cycle."""
    rows, cols = 8, 10
    encoder = HalfBlockEncoder(ColorMode(), refresh_frames=4)
    fit = fit_box(cols, rows * 2, cols, rows)
    frame = drifting_frames(1, rows, cols)[0]
    encoder.encode(frame, fit, 0, 0, direct=True)
    rows_sent: set[int] = set()
    for _ in range(4):
        data = encoder.encode(frame, fit, 0, 0, direct=True).decode()
        moves = [int(part.split(";")[0]) for part in data.split("\x1b[")[1:] if part.endswith("H") or "H" in part[:8]]
        rows_sent.update(row - 1 for row in moves)
        assert 0 < len(set(moves)) <= 2
    assert rows_sent == set(range(rows))


def test_forget_sends_the_next_frame_whole() -> None:
    """After forget() (a resize, a repaint) every cell is sent again."""
    rows, cols = 4, 6
    encoder = HalfBlockEncoder(ColorMode())
    fit = fit_box(cols, rows * 2, cols, rows)
    frame = drifting_frames(1, rows, cols)[0]
    whole = encoder.encode(frame, fit, 0, 0, direct=True)
    assert len(encoder.encode(frame, fit, 0, 0, direct=True)) < len(whole)
    encoder.forget()
    assert encoder.encode(frame, fit, 0, 0, direct=True) == whole


def test_covered_frames_send_nothing_but_keep_the_picture() -> None:
    """When Textual paints the cells the encoder writes no bytes and the next direct frame is whole."""
    rows, cols = 4, 6
    encoder = HalfBlockEncoder(ColorMode())
    fit = fit_box(cols, rows * 2, cols, rows)
    frames = drifting_frames(2, rows, cols)
    whole = encoder.encode(frames[0], fit, 0, 0, direct=True)
    assert encoder.encode(frames[1], fit, 0, 0, direct=False) == b""
    picture = encoder.picture()
    assert picture is not None and picture.line(0) is not None and picture.spans(0, background=False)
    assert len(encoder.encode(frames[0], fit, 0, 0, direct=True)) == len(whole)


def test_ladder_steps_trade_bits_and_threshold_for_bytes() -> None:
    """Each step down the ladder sends no more than the one above on the same moving frames."""
    rows, cols = 10, 30
    fit = fit_box(cols, rows * 2, cols, rows)
    totals = []
    frames = drifting_frames(12, rows, cols, speed=1.0)
    for level in range(len(LADDER)):
        encoder = HalfBlockEncoder(ColorMode(), refresh_frames=1000)
        encoder.level = level
        totals.append(sum(len(encoder.encode(frame, fit, 0, 0, True)) for frame in frames[1:]))
    assert totals == sorted(totals, reverse=True)
    assert totals[-1] < totals[0] / 3


def test_configured_bits_cap_the_ladder_and_ansi256_keeps_palette() -> None:
    """color_bits caps every step; in 256 colours only the threshold moves."""
    capped = HalfBlockEncoder(ColorMode(bits=5))
    bits = []
    for level in range(capped.levels):
        capped.level = level
        bits.append(capped.quality.bits)
    assert max(bits) == 5 and bits == sorted(bits, reverse=True)
    palette = HalfBlockEncoder(ColorMode(ColorSystem.ANSI256))
    palette.level = palette.levels - 1
    assert palette.quality.bits == 8 and palette.quality.threshold == LADDER[-1].threshold
