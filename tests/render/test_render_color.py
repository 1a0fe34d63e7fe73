"""Tests for colour modes, terminal colour detection and packing frames into cell keys."""

from __future__ import annotations

import numpy as np
import pytest

from tuifeed.render import ColorMode, ColorSystem, detect_color_mode, pack_keys
from tuifeed.render.color import requantise_keys

ANSI256 = ColorMode(ColorSystem.ANSI256, dither=False)


def column_frame(top: list[tuple[int, int, int]], bottom: list[tuple[int, int, int]]) -> np.ndarray:
    """A 2-pixel-high BGRX frame from RGB rows, with junk in the X byte."""
    frame = np.full((2, len(top), 4), 0xAB, dtype=np.uint8)
    frame[0, :, 2::-1] = top
    frame[1, :, 2::-1] = bottom
    return frame


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"COLORTERM": "truecolor", "TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"}, ColorSystem.TRUECOLOR),
        ({"COLORTERM": "24bit"}, ColorSystem.TRUECOLOR),
        ({"COLORTERM": "TrueColor"}, ColorSystem.TRUECOLOR),
        ({"TERM": "xterm-direct"}, ColorSystem.TRUECOLOR),
        ({"TERM": "xterm-kitty"}, ColorSystem.TRUECOLOR),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, ColorSystem.TRUECOLOR),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "TERM_PROGRAM": "tmux"}, ColorSystem.ANSI256),
        ({"TERM": "xterm-256color"}, ColorSystem.ANSI256),
        ({"TERM": "xterm-256color", "COLORTERM": "yes"}, ColorSystem.ANSI256),
        ({}, ColorSystem.ANSI256),
    ],
)
def test_detect_color_mode(environ: dict[str, str], expected: ColorSystem) -> None:
    """COLORTERM, TERM and TERM_PROGRAM decide; tmux without COLORTERM is 256 colours."""
    assert detect_color_mode(environ) == expected


def test_detect_color_mode_is_a_plain_string_too() -> None:
    """The result compares equal to the config spelling."""
    assert detect_color_mode({"COLORTERM": "truecolor"}) == "truecolor"


@pytest.mark.parametrize("mode", [{"bits": 0}, {"bits": 9}, {"system": ColorSystem.ANSI256, "bits": 5}])
def test_color_mode_rejects_bad_bits(mode: dict[str, object]) -> None:
    """Bits must be 1-8, and quantisation is a truecolor setting."""
    with pytest.raises(ValueError, match=r"bits|truecolor"):
        ColorMode(**mode)  # type: ignore[arg-type]


def test_pack_keys_swaps_bgr_and_ignores_x() -> None:
    """Bytes B=1, G=2, R=3 become colour 0x030201; the X byte never shows."""
    frame = np.array([[[1, 2, 3, 0xFF]], [[30, 20, 10, 0x00]]], dtype=np.uint8)
    keys = pack_keys(frame, ColorMode())
    assert keys.shape == (1, 1)
    assert int(keys[0, 0]) == 0x030201 << 24 | 0x0A141E


def test_pack_keys_ignores_odd_last_row_and_accepts_strided_views() -> None:
    """An odd last pixel row is dropped; a column-strided or padded view packs like its copy."""
    rng = np.random.default_rng(3)
    buffer = rng.integers(0, 256, (7, 12, 4), dtype=np.uint8)
    assert pack_keys(buffer, ColorMode()).shape == (3, 12)
    for view in (buffer[:, ::3], buffer[:6, 2:9], buffer[..., [0, 1, 2, 3]][:, ::2]):
        assert np.array_equal(pack_keys(view, ColorMode()), pack_keys(np.ascontiguousarray(view), ColorMode()))


def test_pack_keys_rejects_non_bgrx() -> None:
    """Only (height, width, 4) uint8 frames are accepted."""
    with pytest.raises(ValueError, match="BGRX"):
        pack_keys(np.zeros((2, 2, 3), dtype=np.uint8), ColorMode())
    with pytest.raises(ValueError, match="BGRX"):
        pack_keys(np.zeros((2, 2, 4), dtype=np.uint16), ColorMode())


@pytest.mark.parametrize("bits", [8, 6, 5, 4, 1])
def test_quantisation_keeps_top_bits_and_centres_the_bucket(bits: int) -> None:
    """Every channel value v becomes (v >> s) << s | half-bucket, with s = 8 - bits."""
    values = list(range(256))
    frame = column_frame([(v, 255 - v, v // 2) for v in values], [(0, v, 255) for v in values])
    keys = pack_keys(frame, ColorMode(bits=bits)).astype(np.int64)[0]
    shift = 8 - bits

    def q(v: int) -> int:
        return (v >> shift) << shift | (1 << shift) >> 1

    for v, key in zip(values, keys.tolist(), strict=True):
        assert key >> 24 == q(v) << 16 | q(255 - v) << 8 | q(v // 2)
        assert key & 0xFFFFFF == q(0) << 16 | q(v) << 8 | q(255)


def test_quantisation_by_hand() -> None:
    """4 bits: 16 and 31 share the bucket centred on 24; 0 becomes 8 and 255 becomes 248."""
    keys = pack_keys(column_frame([(16, 31, 255)], [(0, 0, 0)]), ColorMode(bits=4))
    assert int(keys[0, 0]) == 0x1818F8 << 24 | 0x080808


@pytest.mark.parametrize(
    ("rgb", "index"),
    [
        ((0, 0, 0), 16),
        ((255, 255, 255), 231),
        ((255, 0, 0), 196),
        ((0, 255, 0), 46),
        ((0, 0, 255), 21),
        ((255, 255, 0), 226),
        ((95, 135, 175), 67),
        ((128, 128, 128), 244),
        ((8, 8, 8), 232),
        ((238, 238, 238), 255),
        ((18, 18, 18), 233),
        ((10, 20, 30), 233),
        ((1, 2, 3), 16),
        ((0, 128, 7), 28),
        ((135, 135, 135), 102),
        ((12, 0, 0), 16),
    ],
)
def test_ansi256_maps_to_nearest_cube_or_grey(rgb: tuple[int, int, int], index: int) -> None:
    """Pure colours hit cube corners, greys the grey ramp; exact cube greys and ties stay in the cube."""
    keys = pack_keys(column_frame([rgb], [rgb]), ANSI256)
    assert int(keys[0, 0]) == index << 24 | index


def test_requantise_keys_matches_packing_at_fewer_bits() -> None:
    """Requantising 8-bit or 6-bit keys to 5 bits equals packing at 5 bits; coarser keys stay as they are."""
    frame = np.random.default_rng(5).integers(0, 256, (8, 9, 4), dtype=np.uint8)
    five = pack_keys(frame, ColorMode(bits=5))
    for bits in (8, 6):
        assert np.array_equal(requantise_keys(pack_keys(frame, ColorMode(bits=bits)), ColorMode(bits=bits), 5), five)
    four = pack_keys(frame, ColorMode(bits=4))
    assert requantise_keys(four, ColorMode(bits=4), 5) is four
    palette = pack_keys(frame, ANSI256)
    assert requantise_keys(palette, ANSI256, 5) is palette
