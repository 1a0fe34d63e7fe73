"""Tests for FrameEncoder: lines plus changed rows per frame, safe-path runs, coalescing dropped frames."""

from __future__ import annotations

import numpy as np
import pytest

from tuifeed.render import ColorMode, ColorSystem, EncodedFrame, FrameEncoder, encode_lines, encode_runs

ANSI256 = ColorMode(ColorSystem.ANSI256)


def noise(seed: int, height: int = 8, width: int = 5) -> np.ndarray:
    """A random BGRX frame."""
    return np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)


def all_runs(frame: EncodedFrame, bits: int = 5) -> list[list[tuple[int, int, int]]]:
    """Every row of an encoded frame's runs."""
    runs = frame.runs(bits)
    return [runs.row(y) for y in range(runs.rows)]


def test_encode_gives_lines_size_and_changed_rows() -> None:
    """The first frame changes every row; then only rows with a changed pixel are marked."""
    encoder = FrameEncoder()
    buffer = noise(1)
    first = encoder.encode(buffer)
    assert first.lines == tuple(encode_lines(buffer))
    assert (first.cols, first.rows) == (5, 4)
    assert first.changed.tolist() == [True] * 4
    assert encoder.encode(buffer).changed.tolist() == [False] * 4
    buffer[3, 4, 1] ^= 0x10
    assert encoder.encode(buffer).changed.tolist() == [False, True, False, False]


def test_new_size_changes_every_row() -> None:
    """After a resize every row of the next frame is marked changed."""
    encoder = FrameEncoder()
    encoder.encode(noise(1))
    assert encoder.encode(noise(1, width=4)).changed.tolist() == [True] * 4


def test_encoded_frame_does_not_refer_to_the_input_buffer() -> None:
    """Reusing the decoder's buffer after encode leaves the encoded frame intact and read-only."""
    encoder = FrameEncoder()
    buffer = noise(2)
    frame = encoder.encode(buffer)
    lines, keys = frame.lines, frame.keys.copy()
    buffer[:] = 0
    assert frame.lines == lines and np.array_equal(frame.keys, keys)
    assert not frame.keys.flags.writeable and not frame.changed.flags.writeable
    assert not np.shares_memory(frame.keys, buffer)


@pytest.mark.parametrize(
    ("mode", "bits", "runs_mode"),
    [
        (ColorMode(), 5, ColorMode(bits=5)),
        (ColorMode(bits=6), 4, ColorMode(bits=4)),
        (ColorMode(bits=4), 5, ColorMode(bits=4)),
        (ColorMode(), 8, ColorMode()),
        (ANSI256, 5, ANSI256),
    ],
    ids=str,
)
def test_runs_of_an_encoded_frame(mode: ColorMode, bits: int, runs_mode: ColorMode) -> None:
    """Runs derived from the kept keys equal encoding the source at the coarser of the two depths."""
    buffer = noise(3, 16, 30)
    buffer[:, 10:20] = buffer[:, 10:11]  # some long runs
    frame = FrameEncoder(mode).encode(buffer)
    expected = encode_runs(buffer, runs_mode)
    assert all_runs(frame, bits) == [expected.row(y) for y in range(expected.rows)]


def test_coalesce_keeps_rows_changed_by_a_dropped_frame() -> None:
    """Shown A, dropped B (row 0 changed), then C (row 2 changed): C coalesced marks rows 0 and 2."""
    encoder = FrameEncoder()
    buffer = noise(4)
    encoder.encode(buffer)
    buffer[0, 0, 0] ^= 1
    dropped = encoder.encode(buffer)
    buffer[5, 0, 0] ^= 1
    latest = encoder.encode(buffer)
    assert latest.changed.tolist() == [False, False, True, False]
    merged = latest.coalesce(dropped)
    assert merged.changed.tolist() == [True, False, True, False]
    assert merged.lines == latest.lines and not merged.changed.flags.writeable
    assert latest.changed.tolist() == [False, False, True, False]


def test_coalesce_across_a_resize_keeps_all_rows_changed() -> None:
    """A dropped frame of another size leaves the (already fully changed) newer frame as it is."""
    encoder = FrameEncoder()
    dropped = encoder.encode(noise(5, width=3))
    latest = encoder.encode(noise(5))
    assert latest.coalesce(dropped) is latest
    assert latest.changed.all()


def test_encoder_mode() -> None:
    """The encoder reports its mode and each frame carries it."""
    encoder = FrameEncoder(ANSI256)
    assert encoder.mode == ANSI256
    assert encoder.encode(noise(6)).mode == ANSI256
    assert encoder.encode(noise(6)).lines[0].startswith("\x1b[38;5;")
