"""Cell diffs: the bytes draw exactly the cells asked for (judged by pyte), minimally, and the threshold holds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyte_screen import halves, key_halves, new_screen

from tuifeed.render import ColorMode, ColorSystem, pack_keys
from tuifeed.render.diff import cells_to_send, distance, encode_cells

ESC = "\x1b"


def random_keys(rng: np.random.Generator, rows: int, cols: int, system: ColorSystem, palette: int = 6) -> np.ndarray:
    """Keys with few distinct colours (so runs, repeats and solid cells all happen)."""
    if system is ColorSystem.TRUECOLOR:
        colours = rng.integers(0, 1 << 24, palette, dtype=np.uint64)
    else:
        colours = rng.integers(16, 256, palette).astype(np.uint64)
    top = colours[rng.integers(0, palette, (rows, cols))]
    bottom = colours[rng.integers(0, palette, (rows, cols))]
    return (top << np.uint64(24)) | bottom


@settings(max_examples=60)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 6),
    cols=st.integers(1, 9),
    left=st.integers(0, 3),
    top=st.integers(0, 2),
    density=st.floats(0.0, 1.0),
    system=st.sampled_from([ColorSystem.TRUECOLOR, ColorSystem.ANSI256]),
)
def test_a_diff_over_the_old_picture_shows_the_new_one(
    seed: int, rows: int, cols: int, left: int, top: int, density: float, system: ColorSystem
) -> None:
    """Paint picture A whole, then the diff of the cells B changes: pyte shows B where sent, A elsewhere."""
    rng = np.random.default_rng(seed)
    old, new = random_keys(rng, rows, cols, system), random_keys(rng, rows, cols, system)
    send = rng.random((rows, cols)) < density
    screen, stream = new_screen(cols + 5, rows + 4)
    stream.feed(encode_cells(old, np.ones((rows, cols), dtype=bool), system, left, top))
    stream.feed(encode_cells(new, send, system, left, top))
    expected = key_halves(np.where(send, new, old))
    name = "truecolor" if system is ColorSystem.TRUECOLOR else "ansi256"
    assert np.array_equal(halves(screen, top, left, rows, cols, name), expected)


def test_exact_bytes_of_a_small_diff() -> None:
    """Row starts get CUP, gaps CUF; colours carry across moves; only the colour that changed is set."""
    red, blue, green = 0xFF0000, 0x0000FF, 0x00FF00
    keys = np.array([[red << 24 | blue, red << 24 | blue, 0, green << 24 | green]], dtype=np.uint64)
    send = np.array([[True, False, False, True]])
    out = encode_cells(keys, send, ColorSystem.TRUECOLOR, left=2, top=5).decode()
    assert out == f"{ESC}[6;3H{ESC}[38;2;255;0;0;48;2;0;0;255m▀{ESC}[2C{ESC}[38;2;0;255;0;48;2;0;255;0m▀{ESC}[0m"
    keys[0, 3] = red << 24 | green
    out = encode_cells(keys, send, ColorSystem.TRUECOLOR).decode()
    assert out.endswith(f"{ESC}[2C{ESC}[48;2;0;255;0m▀{ESC}[0m")


def test_colours_are_set_only_when_they_change() -> None:
    """Equal neighbours need no SGR; a new row still needs only its move when the colours are the same."""
    cell = 0x102030 << 24 | 0x405060
    keys = np.full((2, 3), cell, dtype=np.uint64)
    out = encode_cells(keys, np.ones((2, 3), dtype=bool), ColorSystem.TRUECOLOR).decode()
    assert out == f"{ESC}[1;1H{ESC}[38;2;16;32;48;48;2;64;80;96m▀▀▀{ESC}[2;1H▀▀▀{ESC}[0m"


def test_nothing_to_send_is_no_bytes() -> None:
    """An empty mask writes nothing at all (not even a reset)."""
    keys = np.zeros((3, 3), dtype=np.uint64)
    assert encode_cells(keys, np.zeros((3, 3), dtype=bool), ColorSystem.TRUECOLOR) == b""


def test_large_coordinates_are_written_in_full() -> None:
    """Rows and columns beyond 99 keep all their digits."""
    keys = np.zeros((1, 200), dtype=np.uint64)
    send = np.zeros((1, 200), dtype=bool)
    send[0, 150] = True
    assert encode_cells(keys, send, ColorSystem.TRUECOLOR, left=10, top=120).startswith(b"\x1b[121;161H")


def pixels_of(keys_rgb: list[list[int]]) -> np.ndarray:
    return np.array(keys_rgb, dtype=np.uint32)


def test_distance_weights_green_most_and_blue_least() -> None:
    """The same step of 8 levels counts 8 in green, 6 in red and 4 in blue."""
    zero = pixels_of([[0, 0, 0]])
    step = pixels_of([[8 << 8, 8 << 16, 8]])
    assert distance(zero, step).tolist() == [[8, 6, 4]]


def test_threshold_keeps_small_changes_and_sends_large_ones() -> None:
    """Below the threshold a cell stays; above it, or when its encoded colour is unchanged, as expected."""
    shown = np.zeros((2, 3), dtype=np.uint32)
    now = shown.copy()
    now[0, 0] = 3 << 8  # green +3: within a threshold of 3
    now[0, 1] = 4 << 8  # green +4: beyond
    now[1, 2] = 200 << 8  # bottom half of cell 2, big change
    mode = ColorMode()

    def keys_of(pixels: np.ndarray) -> np.ndarray:
        frame = np.zeros((2, 3, 4), dtype=np.uint8)
        frame[..., 2] = (pixels >> 16) & 0xFF
        frame[..., 1] = (pixels >> 8) & 0xFF
        frame[..., 0] = pixels & 0xFF
        return pack_keys(frame, mode)

    send = cells_to_send(keys_of(now), now, keys_of(shown), shown, threshold=3, refresh=slice(0, 0))
    assert send.tolist() == [[False, True, True]]
    same = cells_to_send(keys_of(shown), now, keys_of(shown), shown, threshold=0, refresh=slice(0, 0))
    assert not same.any(), "a cell whose encoded colour did not change is never sent"
    refreshed = cells_to_send(keys_of(shown), shown, keys_of(shown), shown, threshold=3, refresh=slice(0, 1))
    assert refreshed.tolist() == [[True, True, True]]


@pytest.mark.parametrize("system", [ColorSystem.TRUECOLOR, ColorSystem.ANSI256])
def test_a_full_frame_costs_less_than_one_sgr_per_cell(system: ColorSystem) -> None:
    """Elision pays even on random cells of a few colours, against a full SGR for every cell (mpv's way)."""
    keys = random_keys(np.random.default_rng(3), 20, 40, system, palette=3)
    out = encode_cells(keys, np.ones(keys.shape, dtype=bool), system)

    def sgr(value: int) -> str:
        if system is ColorSystem.ANSI256:
            return f"5;{value}"
        return f"2;{value >> 16};{(value >> 8) & 255};{value & 255}"

    naive = sum(len(f"{ESC}[38;{sgr(int(k) >> 24)};48;{sgr(int(k) & 0xFFFFFF)}m▀".encode()) for k in keys.ravel())
    assert len(out) < 0.8 * naive
