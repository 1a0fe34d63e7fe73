"""Import benchmark: cold import files/s, unchanged re-import seconds and peak RSS for N short clips.

Usage: python benchmarks/import.py [N ...]   (default: 1000 10000)

Each N runs in its own process so that peak RSS is that run's. The library is a few short clips
encoded with PyAV, copied N times with a distinct suffix each (so every copy has its own content
hash); the data lives in a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from tuifeed.library import import_paths
from tuifeed.store import Store

SEED_CLIPS = 4
PER_FOLDER = 500


def encode_seed(path: Path, variant: int) -> bytes:
    """A 1 s 144x256 H.264 + AAC clip, a little different per variant; returns its bytes."""
    fps, width, height = 15, 144, 256
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        yy, xx = np.mgrid[0:height, 0:width]
        for index in range(fps):
            image = np.zeros((height, width, 3), np.uint8)
            image[..., variant % 3] = (xx * 3 + index * 11 + variant * 40) % 256
            image[..., (variant + 1) % 3] = (yy * 2) % 256
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        for start in range(0, 48000, 1024):
            tone = 0.2 * np.sin(2 * np.pi * (300 + 100 * variant) * np.arange(start, start + 1024) / 48000)
            sound = av.AudioFrame.from_ndarray(np.tile(tone, (2, 1)).astype(np.float32), "fltp", "stereo")
            sound.sample_rate, sound.pts = 48000, start
            container.mux(audio.encode(sound))
        container.mux(audio.encode(None))
    data = path.read_bytes()
    path.unlink()
    return data


def build_library(root: Path, count: int) -> int:
    """`count` clips in folders of PER_FOLDER: seed clips with a unique trailing suffix; total bytes."""
    seeds = [encode_seed(root / f"seed{variant}.mp4", variant) for variant in range(SEED_CLIPS)]
    total = 0
    for index in range(count):
        folder = root / "library" / f"folder{index // PER_FOLDER:03}"
        if index % PER_FOLDER == 0:
            folder.mkdir(parents=True)
        data = seeds[index % SEED_CLIPS] + f"tuifeed-bench-{index:08}".encode()
        (folder / f"clip{index:06}.mp4").write_bytes(data)
        total += len(data)
    return total


def run_one(count: int) -> None:
    """Build a library of `count` clips, import it cold, then again unchanged; print the figures."""
    with tempfile.TemporaryDirectory(prefix="tuifeed-bench-") as temp:
        root = Path(temp)
        size = build_library(root, count)
        store = Store(root / "bench.db")
        started = time.perf_counter()
        cold = import_paths(store, [root / "library"])
        cold_seconds = time.perf_counter() - started
        started = time.perf_counter()
        warm = import_paths(store, [root / "library"])
        warm_seconds = time.perf_counter() - started
        store.close()
        assert cold.added == count and not cold.failures, cold
        assert warm.unchanged == count, warm
        main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"N={count:>6}  library {size / 1e6:6.1f} MB  "
            f"cold import {count / cold_seconds:7.1f} files/s ({cold_seconds:6.2f} s)  "
            f"unchanged re-import {warm_seconds:5.2f} s  "
            f"peak RSS {main_mb:5.1f} MB (largest worker process {worker_mb:5.1f} MB)",
            flush=True,
        )


def main() -> None:
    """Run each N in a fresh process (so peak RSS is per run)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run_one(int(sys.argv[2]))
        return
    counts = [int(arg) for arg in sys.argv[1:]] or [1000, 10_000]
    for count in counts:
        subprocess.run([sys.executable, __file__, "--one", str(count)], check=True)


if __name__ == "__main__":
    main()
