"""Your-data benchmark: `tuifeed export` in each format and `tuifeed stats` over a long history.

Usage: python benchmarks/data.py [N ...]   (default: 10000 100000)

For a history of N stays (over 2,000 clips, plus N/10 likes and N/20 saves, follows and mutes) it runs
the command in a fresh process and prints its wall time, its peak RSS, and the peak RSS of the
same process running only `tuifeed stats`, and the bytes written: export streams a row at a time, so its
peak memory should stay near that baseline whatever N is (the ratio column). Then, in this process, the
best of 3 times of the queries behind the Stats screen (`stats()`), and of the top tags alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tuifeed.models import Clip
from tuifeed.store import Store
from tuifeed.store.stats import stats, top_tags

CLIPS = 2_000


def build(path: Path, stays: int) -> None:
    """A database with `stays` closed stays and some likes and events, written in bulk."""
    store = Store(path)
    store.upsert_clips(
        Clip(
            id=f"{n:032x}",
            location=f"/videos/clip {n}.mp4",
            title=f"Clip number {n}",
            creator=f"creator {n % 300}",
            description="A short description of the clip. " * 3,
            tags=(f"tag{n % 50}", f"topic{n % 17}"),
            sound=f"sound {n % 80}",
            duration_ms=15_000,
        )
        for n in range(CLIPS)
    )
    now = time.time()
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT INTO impressions (clip_id, started_at, ended_at, dwell_ms, duration_ms, watch_ratio, loops, "
            "exit, seq) VALUES (?, ?, ?, ?, 15000, ?, 0, 'next', ?)",
            (
                (
                    f"{n % CLIPS:032x}",
                    _at(n, stays, now),
                    _at(n, stays, now),
                    500 + n % 15_000,
                    (500 + n % 15_000) / 15_000,
                    n,
                )
                for n in range(stays)
            ),
        )
        store.db.conn.executemany(
            "INSERT INTO likes (clip_id, liked, at, seq) VALUES (?, 1, ?, ?)",
            ((f"{n % CLIPS:032x}", _at(n, stays, now), stays + n) for n in range(stays // 10)),
        )
        kinds = ("save", "follow", "mute_tag")
        store.db.conn.executemany(
            "INSERT INTO events (kind, subject, active, at, seq) VALUES (?, ?, 1, ?, ?)",
            ((kinds[n % 3], f"{n % CLIPS:032x}", _at(n, stays, now), 2 * stays + n) for n in range(stays // 20)),
        )
    store.close()


def _at(n: int, stays: int, now: float) -> str:
    """Stays spread over the 60 days before `now`, oldest first."""
    seconds = now - 60 * 86_400 * (1 - n / stays)
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+00:00", time.gmtime(seconds))


def run(db: Path, *args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `tuifeed` process."""
    command = [sys.executable, "-c", _MEASURED, *args, "--db", str(db)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "80"})
    seconds = time.perf_counter() - start
    return seconds, int(result.stderr.strip().splitlines()[-1])


_MEASURED = (
    "import resource, sys\n"
    "from tuifeed.cli import main\n"
    "sys.argv[0] = 'tuifeed'\n"
    "sys.stdout = open('/dev/null', 'w')\n"
    "status = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.__stderr__)\n"
    "sys.exit(status)\n"
)


def query_times(db: Path) -> tuple[float, float]:
    """Milliseconds of every Stats query, and of the top tags alone, in this process."""
    store = Store(db)
    now = datetime.now().astimezone()
    try:
        return best_ms(lambda: stats(store, now)), best_ms(lambda: top_tags(store, 5))
    finally:
        store.close()


def best_ms(action: Callable[[], object]) -> float:
    """The fastest of 3 runs of `action`, in milliseconds."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main(counts: list[int]) -> None:
    print(f"{'stays':>8} {'command':<24} {'seconds':>8} {'peak MiB':>9} {'vs stats':>9} {'output MiB':>11}")
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "history.db"
            build(db, count)
            _, baseline = run(db, "stats")
            for args in (("stats",), *(("export", "--format", form) for form in ("jsonl", "json", "csv"))):
                out = Path(folder) / "export.out"
                extra = ("--out", str(out)) if args[0] == "export" else ()
                seconds, peak = run(db, *args, *extra)
                size = out.stat().st_size / 2**20 if extra else 0.0
                print(
                    f"{count:>8} {' '.join(args):<24} {seconds:>8.2f} {peak / 1024:>9.1f} {peak / baseline:>9.2f}"
                    f" {size:>11.1f}"
                )
                out.unlink(missing_ok=True)
            every, tags = query_times(db)
            print(f"{count:>8} stats() in process: {every:.1f} ms, of which top tags {tags:.1f} ms")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])
