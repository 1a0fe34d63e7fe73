"""Benchmark of the render room: ms and bytes per frame of each encoder on natural-looking synthetic video.

The "diff" rows are the half-block encoder as the video uses it (cell diffs against what was sent, at three
steps of its quality ladder); "lines" and "runs" are what Textual paints on repaints and while covered.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from tuifeed.render import LADDER, ColorMode, ColorSystem, HalfBlockEncoder, Run, encode_lines, encode_runs, fit_box

SIZES = ((80, 24), (120, 40), (200, 60))
FRAMES = 30
Out = TypeVar("Out")


def synthetic_frames(cols: int, rows: int, count: int = FRAMES, seed: int = 1) -> list[NDArray[np.uint8]]:
    """BGRX frames of ``cols`` x ``2 * rows`` pixels: drifting gradients, sensor noise and moving blobs."""
    rng = np.random.default_rng(seed)
    height, width = rows * 2, cols
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    frames = []
    for t in range(count):
        rgb = np.stack(
            [
                120 + 90 * np.sin(x / 23 + t / 9) * np.cos(y / 31),
                110 + 80 * np.sin((x + y) / 37 - t / 13),
                100 + 70 * np.cos(y / 19 + t / 11),
            ],
            axis=-1,
        )
        for k, colour in enumerate(([240, 80, 40], [40, 200, 90], [250, 240, 220])):
            cx = width * (0.5 + 0.35 * np.sin(t / 10 + 2 * k))
            cy = height * (0.5 + 0.3 * np.cos(t / 14 + k))
            blob = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * (0.08 * width + 4 * k) ** 2))
            rgb = rgb * (1 - blob[..., None]) + np.array(colour, dtype=np.float32) * blob[..., None]
        rgb += rng.normal(0, 2.5, rgb.shape)
        frame = np.zeros((height, width, 4), dtype=np.uint8)
        frame[..., 2::-1] = np.clip(rgb, 0, 255).astype(np.uint8)
        frames.append(frame)
    return frames


def measure(
    frames: list[NDArray[np.uint8]], encode: Callable[[NDArray[np.uint8]], Out], size: Callable[[Out], int]
) -> tuple[float, float]:
    """Median ms per frame of ``encode`` over three passes, and the mean ``size`` of its output."""
    encode(frames[0])  # warm the layout caches
    times, sizes = [], []
    for frame in frames * 3:
        start = time.perf_counter()
        out = encode(frame)
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(size(out))
    return statistics.median(times), statistics.fmean(sizes)


def line_bytes(lines: list[str]) -> int:
    """Bytes written to the terminal for these lines."""
    return sum(len(line.encode()) for line in lines)


def all_runs(frame: NDArray[np.uint8]) -> list[list[Run]]:
    """The safe path as the widget uses it: runs of every row as Python tuples."""
    runs = encode_runs(frame)
    return [runs.row(y) for y in range(runs.rows)]


def main() -> None:
    """Print one table row per encoder and terminal size."""
    line_modes = {
        "lines truecolor 8-bit": ColorMode(bits=8),
        "lines truecolor 5-bit": ColorMode(bits=5),
        "lines truecolor 4-bit": ColorMode(bits=4),
        "lines ansi256": ColorMode(ColorSystem.ANSI256),
    }
    print(f"{FRAMES} synthetic frames per size (gradients, noise, moving blobs); median of 3 passes")
    print(f"{'encoder':<28} {'cells':>7} {'ms/frame':>9} {'per frame':>12}")
    for cols, rows in SIZES:
        frames = synthetic_frames(cols, rows)
        cells = f"{cols}x{rows}"
        for name, mode in line_modes.items():
            ms, size = measure(frames, functools.partial(encode_lines, mode=mode), line_bytes)
            print(f"{name:<28} {cells:>7} {ms:9.2f} {size / 1000:9.1f} KB")
        ms, size = measure(frames, all_runs, lambda runs: sum(map(len, runs)))
        print(f"{'runs truecolor 5-bit':<28} {cells:>7} {ms:9.2f} {size:7.0f} runs")
        fit = fit_box(cols, rows * 2, cols, rows)
        for level in (0, 3, len(LADDER) - 1):
            encoder = HalfBlockEncoder(ColorMode())
            encoder.level = level
            step = LADDER[level]
            encode = functools.partial(encoder.encode, fit=fit, left=0, top=0, direct=True)
            ms, size = measure(frames, encode, len)
            name = f"diff {step.bits}-bit thr {step.threshold}"
            print(f"{name:<28} {cells:>7} {ms:9.2f} {size / 1000:9.1f} KB")


if __name__ == "__main__":
    main()
