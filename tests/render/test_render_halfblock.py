"""Tests for the half-block line and run encoders: exact output, decoded cells vs a slow reference."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from tuifeed.render import RESET, ColorMode, ColorSystem, changed_rows, encode_lines, encode_runs, pack_keys

ANSI256 = ColorMode(ColorSystem.ANSI256, dither=False)
MODES = [ColorMode(bits=8), ColorMode(bits=6), ColorMode(bits=5), ColorMode(bits=4), ANSI256]
ESC = "\x1b"
TOKEN = re.compile(r"\x1b\[([0-9;]*)m|\u2580")
NUMBER = re.compile(r"0|[1-9][0-9]*")
Cell = tuple[int, int]


def rgb_frame(top: list[tuple[int, int, int]], bottom: list[tuple[int, int, int]]) -> np.ndarray:
    """A 2-pixel-high BGRX frame from RGB rows, with junk in the X byte."""
    frame = np.full((2, len(top), 4), 0x5A, dtype=np.uint8)
    frame[0, :, 2::-1] = top
    frame[1, :, 2::-1] = bottom
    return frame


def decode_line(line: str, system: ColorSystem) -> list[Cell]:
    """Tiny terminal: the (fg, bg) of each cell a line shows, checking that every SGR is minimal.

    Colours are 0xRRGGBB for truecolor and palette indices for ansi256.
    """
    assert line.endswith(RESET)
    body = line[: -len(RESET)]
    assert "".join(m.group(0) for m in TOKEN.finditer(body)) == body, "unexpected bytes"
    fg = bg = -1
    cells: list[Cell] = []
    pending = False
    for match in TOKEN.finditer(body):
        if match.group(1) is None:
            cells.append((fg, bg))
            pending = False
            continue
        assert not pending, "two SGRs in a row"
        pending = True
        params = match.group(1).split(";")
        assert all(NUMBER.fullmatch(p) for p in params), f"leading zero or empty number in {params}"
        numbers = [int(p) for p in params]
        while numbers:
            which, form = numbers[0], numbers[1]
            width = 3 if system is ColorSystem.TRUECOLOR else 1
            assert form == (2 if width == 3 else 5)
            values, numbers = numbers[2 : 2 + width], numbers[2 + width :]
            assert all(0 <= v <= 255 for v in values) and len(values) == width
            colour = values[0] << 16 | values[1] << 8 | values[2] if width == 3 else values[0]
            if which == 38:
                assert colour != fg, "foreground set to what it already was"
                fg = colour
            else:
                assert which == 48 and colour != bg, "background set to what it already was"
                bg = colour
    assert -1 not in (fg, bg) or not cells
    return cells


def palette() -> np.ndarray:
    """The xterm-256 colours 16-255 as (240, 3) RGB, straight from the xterm definition."""
    levels = [0, 95, 135, 175, 215, 255]
    cube = [(levels[i // 36], levels[i // 6 % 6], levels[i % 6]) for i in range(216)]
    greys = [(8 + 10 * i,) * 3 for i in range(24)]
    return np.array(cube + greys, dtype=np.int64)


PALETTE = palette()


def reference_colour(rgb: np.ndarray, mode: ColorMode) -> int:
    """Slow per-pixel reference of the colour a cell half should get."""
    r, g, b = (int(v) for v in rgb)
    if mode.system is ColorSystem.ANSI256:
        distances = ((PALETTE - [r, g, b]) ** 2).sum(axis=1)
        return 16 + int(distances.argmin())
    shift = 8 - mode.bits

    def q(v: int) -> int:
        return (v >> shift) << shift | (1 << shift) >> 1

    return q(r) << 16 | q(g) << 8 | q(b)


def reference_cells(frame: np.ndarray, mode: ColorMode) -> list[list[Cell]]:
    """Slow reference: each cell's (top, bottom) colour, reading B, G, R bytes one pixel at a time."""
    return [
        [
            (
                reference_colour(frame[2 * y, x, 2::-1], mode),
                reference_colour(frame[2 * y + 1, x, 2::-1], mode),
            )
            for x in range(frame.shape[1])
        ]
        for y in range(frame.shape[0] // 2)
    ]


def random_frame(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A random BGRX frame mixing noise, repeated colours and values around the 10 and 100 digit steps."""
    frame = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    tricky = np.array([0, 7, 9, 10, 99, 100, 101, 255], dtype=np.uint8)
    frame[rng.random((height, width)) < 0.3] = rng.choice(tricky, 4)
    repeat = rng.random((height, width)) < 0.4
    repeat[:, 0] = False
    for y, x in zip(*np.nonzero(repeat), strict=True):
        frame[y, x, :3] = frame[y, x - 1, :3]
    return frame


def test_exact_truecolor_line() -> None:
    """Hand-written: RGB not BGR, fg/bg elided when repeated, no leading zeros, a reset at the end."""
    frame = rgb_frame(
        [(255, 0, 0), (255, 0, 0), (0, 128, 7), (0, 128, 7)],
        [(10, 20, 100), (1, 2, 3), (1, 2, 3), (1, 2, 3)],
    )
    assert encode_lines(frame) == [
        f"{ESC}[38;2;255;0;0;48;2;10;20;100m▀{ESC}[48;2;1;2;3m▀{ESC}[38;2;0;128;7m▀▀{ESC}[0m"
    ]


def test_exact_ansi256_line() -> None:
    """Hand-written: palette indices with the 38;5 / 48;5 forms and the same elision."""
    frame = rgb_frame(
        [(255, 0, 0), (255, 0, 0), (0, 128, 7), (0, 128, 7)],
        [(10, 20, 30), (1, 2, 3), (1, 2, 3), (1, 2, 3)],
    )
    assert encode_lines(frame, ANSI256) == [f"{ESC}[38;5;196;48;5;233m▀{ESC}[48;5;16m▀{ESC}[38;5;28m▀▀{ESC}[0m"]


def test_exact_quantised_line_repeats_more() -> None:
    """At 4 bits, 16 and 31 fall in one bucket (24), so the second cell needs no SGR at all."""
    frame = rgb_frame([(16, 0, 0), (31, 15, 0)], [(0, 0, 0), (0, 0, 0)])
    assert encode_lines(frame, ColorMode(bits=4)) == [f"{ESC}[38;2;24;8;8;48;2;8;8;8m▀▀{ESC}[0m"]
    assert encode_lines(frame) == [f"{ESC}[38;2;16;0;0;48;2;0;0;0m▀{ESC}[38;2;31;15;0m▀{ESC}[0m"]


def test_each_line_is_independent() -> None:
    """Every line sets both colours on its first cell even when the row above ends with the same colours."""
    frame = np.zeros((4, 2, 4), dtype=np.uint8)
    assert encode_lines(frame) == [f"{ESC}[38;2;0;0;0;48;2;0;0;0m▀▀{ESC}[0m"] * 2


def test_odd_height_ignores_last_pixel_row_and_empty_frames() -> None:
    """A 3-pixel-high frame is one cell row; zero height gives no lines; zero width gives empty lines."""
    frame = random_frame(np.random.default_rng(1), 3, 5)
    assert encode_lines(frame) == encode_lines(frame[:2])
    assert encode_lines(np.zeros((0, 4, 4), dtype=np.uint8)) == []
    assert encode_lines(np.zeros((4, 0, 4), dtype=np.uint8)) == [RESET, RESET]
    assert encode_runs(np.zeros((4, 0, 4), dtype=np.uint8)).row(1) == []


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_lines_decode_to_the_reference_cells(mode: ColorMode) -> None:
    """Property: on random frames every line decodes to exactly ``cols`` cells with the reference colours."""
    rng = np.random.default_rng(11)
    for height, width in [(2, 1), (2, 2), (4, 7), (10, 33), (21, 64)]:
        frame = random_frame(rng, height, width)
        lines = encode_lines(frame, mode)
        assert [decode_line(line, mode.system) for line in lines] == reference_cells(frame, mode)


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_runs_describe_the_same_cells_as_lines(mode: ColorMode) -> None:
    """Runs expanded cell by cell equal what the ANSI lines show, and adjacent runs always differ."""
    frame = random_frame(np.random.default_rng(12), 24, 40)
    lines = encode_lines(frame, mode)
    runs = encode_runs(frame, mode)
    assert (runs.rows, runs.cols) == (12, 40)
    for y, line in enumerate(lines):
        row = runs.row(y)
        assert all(isinstance(v, int) for run in row for v in run)
        assert sum(length for length, _, _ in row) == runs.cols
        assert all(a[1:] != b[1:] for a, b in itertools.pairwise(row))
        cells = [(fg, bg) for length, fg, bg in row for _ in range(length)]
        assert cells == decode_line(line, mode.system)


def test_runs_by_hand_default_to_five_bits() -> None:
    """Runs of a known row: lengths and packed colours, quantised to 5 bits by default."""
    frame = rgb_frame([(255, 0, 0)] * 3 + [(0, 0, 255)], [(0, 0, 0), (0, 0, 0), (7, 0, 0), (7, 0, 0)])
    assert encode_runs(frame).row(0) == [(3, 0xFC0404, 0x040404), (1, 0x0404FC, 0x040404)]
    assert encode_runs(frame, ColorMode()).row(0) == [
        (2, 0xFF0000, 0x000000),
        (1, 0xFF0000, 0x070000),
        (1, 0x0000FF, 0x070000),
    ]


def test_runs_restart_at_every_row() -> None:
    """A flat frame is one run per row, even though each row's last cell equals the next row's first."""
    runs = encode_runs(np.full((6, 4, 4), 0x40, dtype=np.uint8), ColorMode())
    assert [runs.row(y) for y in range(runs.rows)] == [[(4, 0x404040, 0x404040)]] * 3


def test_changed_rows() -> None:
    """Only rows whose keys differ are marked; no previous frame or a new shape marks every row."""
    rng = np.random.default_rng(4)
    frame = random_frame(rng, 8, 6)
    before = pack_keys(frame, ColorMode())
    frame[5, 3, 0] ^= 1
    after = pack_keys(frame, ColorMode())
    assert changed_rows(before, after).tolist() == [False, False, True, False]
    assert changed_rows(after, after).tolist() == [False] * 4
    assert changed_rows(None, after).tolist() == [True] * 4
    assert changed_rows(before[:, :5], after).tolist() == [True] * 4
