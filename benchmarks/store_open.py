"""Store open benchmark: what the read-only integrity check and byte-exact paths cost at start-up.

Usage: python benchmarks/store_open.py [N ...]   (default: 1000 10000 50000)

For a library of N clips (each with a 64-float embedding and a file row) it prints the database
size, the time of `Store(path)` (a cheap read-only check: header, schema, pending migrations), of the
full `PRAGMA quick_check` it skips (run only before an open that writes, or after a failed query),
and of `store.clips()` with the store's surrogate-escape text factory against SQLite's plain str, as
ratios measured in this one run.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tuifeed.models import Clip
from tuifeed.store import Store
from tuifeed.store.files import FileIndex, FileRow

REPEAT = 5


def best(action: Callable[[], object]) -> float:
    """The fastest of REPEAT runs, in milliseconds."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def build(path: Path, count: int) -> None:
    store = Store(path)
    index = FileIndex(store)
    index.add_root("/videos")
    clips = [
        Clip(
            id=f"{n:032x}",
            location=f"/videos/folder {n // 500}/clip {n}.mp4",
            title=f"Clip number {n} #tag{n % 50}",
            creator=f"creator {n % 300}",
            description="A short description of the clip. " * 3,
            tags=(f"tag{n % 50}", f"topic{n % 17}"),
            duration_ms=15_000,
            width=1080,
            height=1920,
            embedding=tuple(float((n * k) % 7) / 7 for k in range(64)),
        )
        for n in range(count)
    ]
    store.upsert_clips(clips)
    index.put(
        FileRow(path=clip.location, root="/videos", clip_id=clip.id, content_hash=clip.id, size=1, mtime_ns=1)
        for clip in clips
    )
    store.close()


def main(counts: list[int]) -> None:
    print(f"{'clips':>7} {'db MiB':>7} {'open ms':>8} {'check ms':>9} {'clips() ms':>11} {'vs str':>7}")
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "bench.db")
            build(path, count)
            uri = f"{path.as_uri()}?mode=ro"

            def check(uri: str = uri) -> None:
                with sqlite3.connect(uri, uri=True) as connection:
                    connection.execute("PRAGMA quick_check(1)").fetchone()

            def open_close(path: Path = path) -> None:
                Store(path).close()

            opened = best(open_close)
            checked = best(check)
            store = Store(path)
            ours = best(store.clips)
            store.db.conn.text_factory = str
            plain = best(store.clips)
            store.close()
            size = path.stat().st_size / 2**20
            print(f"{count:>7} {size:>7.1f} {opened:>8.1f} {checked:>9.1f} {ours:>11.1f} {ours / plain:>6.2f}x")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10_000, 50_000])
