"""Remote benchmark over a loopback server throttled to 20 Mbit/s with 50 ms latency per request.

Usage: python benchmarks/remote.py [ITEMS]   (default: 5000)
       python benchmarks/remote.py --refresh   (only the refresh and prefetch figures)
       python benchmarks/remote.py --swipes    (only swipe-to-first-frame)

The latency model: the server sleeps 50 ms before answering each request, then sends at most
20 Mbit/s on each connection. So every request costs at least one simulated round trip (50 ms), which
is the floor of a 304 refresh: the 50 ms target cannot be met under this model, and what tuifeed
itself adds is printed beside it (the same refresh with the latency set to 0).

Prints: the first refresh (add) of an ITEMS-entry Media RSS feed and a changed refresh (targets:
under 2 s); a 304 refresh, in total and tuifeed's own share (target: under 50 ms), each with the
requests it sent and the new connections it opened (a reused connection opens none); the peak memory
while prefetching three clips (Python heap by tracemalloc, and the process's resident-set growth),
each clip's download time against its duration; and swipe-to-first-frame in the real app in tmux
(benchmarks/playback.py's recorder) for the same clips as local files, as remote clips with prefetch
(target: within 20% of local) and as remote clips without prefetch (streamed by libvlc). The server
runs in this process, in its own threads; the apps run in tmux and reach it over loopback.
"""

from __future__ import annotations

import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "remote"))
sys.path.insert(0, str(REPO / "benchmarks"))

import feedparser  # noqa: E402
from loopback import LoopbackServer  # noqa: E402
from playback import Bench, Run, Sample, clean_environment, sample_clips  # noqa: E402

from tuifeed.library.service import Library  # noqa: E402

RATE = 20_000_000 / 8
"""20 Mbit/s in bytes per second."""
LATENCY = 0.050
SWIPES = 16
ROUNDS = 2
"""Each way of playing runs this many times, interleaved, and its swipes are pooled (the machine is shared)."""
SWIPE_SIZE = (120, 40)


def feed(items: int, server: LoopbackServer, clips: list[Path], revision: int = 0) -> bytes:
    """A Media RSS feed of `items` entries whose enclosures cycle through the served `clips`."""
    entries = []
    for number in range(items):
        url = server.url(f"/c/{number % len(clips)}.mp4?n={number}")  # one URL (one clip) per item
        entries.append(
            f"<item><title>Clip {number} rev {revision}</title><guid>clip-{number}</guid>"
            f"<enclosure url={quoteattr(url)} length='100000' type='video/mp4'/>"
            f"<media:keywords>bench, tag{number % 40}</media:keywords>"
            f"<itunes:duration>0:{number % 50 + 5}</itunes:duration><dc:creator>creator {number % 97}</dc:creator>"
            f"<description>Clip number {number} #bench</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Bench</title>{''.join(entries)}</channel></rss>"
    ).encode()


def resident_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB (VmRSS now, VmHWM peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def main() -> None:
    arguments = sys.argv[1:]
    if arguments == ["--swipes"]:
        swipe_to_first_frame()
        return
    swipes = "--refresh" not in arguments
    numbers = [argument for argument in arguments if argument != "--refresh"]
    items = int(numbers[0]) if numbers else 5000
    media = sorted((REPO / "media").glob("*.mp4"))
    clips = sorted(media, key=lambda path: path.stat().st_size)[-3:]
    durations = [json.loads(path.with_suffix(".info.json").read_text())["duration"] for path in clips]
    with tempfile.TemporaryDirectory() as folder, LoopbackServer(latency=LATENCY, rate=RATE) as server:
        for number, path in enumerate(clips):
            server.add_file(f"/c/{number}.mp4", path)
        body = feed(items, server, clips)
        server.add("/feed.xml", body, "application/rss+xml", gzip=True)
        library = Library(Path(folder, "bench.db"), cache_dir=Path(folder, "cache"), cache_bytes=10**9)
        try:
            print(f"loopback server: {RATE * 8 / 1e6:.0f} Mbit/s, {LATENCY * 1000:.0f} ms latency per request")
            print(f"feed: {items} items, {len(body) / 1e6:.2f} MB, served gzip-compressed")

            started = time.perf_counter()
            result = library.add_remote(server.url("/feed.xml"))
            added = time.perf_counter() - started
            assert result.changes is not None and result.changes.added == items, result.line()
            print(f"first refresh (add, {items} new clips): {added:.3f} s   target < 2 s")
            started = time.perf_counter()
            feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
            floor = time.perf_counter() - started
            print(f"  feedparser alone on the same bytes: {floor:.3f} s ({floor / added:.0%} of the refresh)")

            server.add("/feed.xml", feed(items, server, clips, revision=1), "application/rss+xml", gzip=True)
            started = time.perf_counter()
            [changed] = library.refresh()
            print(f"changed refresh ({items} clips rewritten): {time.perf_counter() - started:.3f} s   target < 2 s")
            assert changed.changes is not None and changed.changes.updated == items

            total = unchanged_refresh(library, server)
            server.latency = 0.0
            own = unchanged_refresh(library, server)
            server.latency = LATENCY
            print(
                f"304 refresh: median {total.seconds * 1000:.1f} ms over 5 ({total.used()}), of which "
                f"{LATENCY * 1000:.0f} ms is the simulated round trip (the floor under this model)"
            )
            print(
                f"  tuifeed's own share, the same with the latency at 0: median {own.seconds * 1000:.1f} ms "
                f"({own.used()})   target < 50 ms"
            )

            queue = [clip for clip in library.remote_clips(server.url("/feed.xml"))[:3]]
            finished: dict[str, float] = {}
            library.listener = lambda report: finished.setdefault(report.clip_id, time.perf_counter())
            tracemalloc.start()
            baseline = resident_kb("VmRSS")
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
            started = time.perf_counter()
            library.prefetch(queue)
            assert library.wait_for_prefetch(120)
            _, heap_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            growth = resident_kb("VmHWM") - baseline
            sizes = [path.stat().st_size for path in clips]
            print(
                f"prefetch of 3 clips ({sum(sizes) / 1e6:.2f} MB): Python heap peak {heap_peak / 1e6:.2f} MB, "
                f"resident set grew by at most {growth / 1024:.1f} MB"
            )
            previous = started
            for clip, size, duration in zip(queue, sizes, durations, strict=True):
                took = finished[clip.id] - previous
                previous = finished[clip.id]
                print(
                    f"  download {size / 1e6:.2f} MB in {took:.2f} s for a {duration:.1f} s clip: "
                    f"{took / duration:.2f} of its duration"
                )
        finally:
            library.close()
    if swipes:
        swipe_to_first_frame()


@dataclass(frozen=True)
class Unchanged:
    """Five refreshes answered 304: their median, the requests they sent and the connections they opened."""

    seconds: float
    requests: int
    connections: int

    def used(self) -> str:
        """What the five cost the server, for the printed line."""
        return f"{self.requests} requests, {self.connections} new connections"


def unchanged_refresh(library: Library, server: LoopbackServer) -> Unchanged:
    """Five refreshes answered 304, timed and counted on the server."""
    took = []
    requests, connections = len(server.log), server.accepted
    for _ in range(5):
        started = time.perf_counter()
        [same] = library.refresh()
        took.append(time.perf_counter() - started)
        assert same.changes is None and same.error is None, same.line()
    return Unchanged(statistics.median(took), len(server.log) - requests, server.accepted - connections)


class RemoteBench(Bench):
    """playback.py's runner, with a cache directory of its own per run and remote libraries added by URL."""

    def __init__(self, scratch: Path) -> None:
        """Use `scratch` for the config, databases, caches and stats files."""
        super().__init__(scratch)
        self.cache = scratch / "cache"

    def env(self, stats: Path) -> dict[str, str]:
        """playback.py's environment plus this run's cache directory."""
        return {**super().env(stats), "TUIFEED_CACHE_DIR": str(self.cache)}

    def configure(self, prefetch: int) -> None:
        """The next run's config: no sound, a fixed seed, `prefetch` clips downloaded ahead, a fresh cache."""
        self.config.write_text(
            f'[player]\naudio_output = "adummy"\n[feed]\nseed = 7\n[remote]\nprefetch = {prefetch}\n', encoding="utf-8"
        )
        self.cache = self.scratch / f"cache{self.runs}-{prefetch}"

    def remote_library(self, url: str) -> Path:
        """A database holding just the clips of the remote library at `url`, added before any timing starts."""
        self.runs += 1
        db = self.scratch / f"remote{self.runs}.db"
        subprocess.run(
            [self.tuifeed, "remote", "add", url, "--db", str(db)],
            env={**clean_environment(), **self.env(self.scratch / "unused.json")},
            capture_output=True,
            check=True,
        )
        return db


def swipe_times(run: Run) -> list[float]:
    """Milliseconds from each swipe to the first frame painted after it."""
    return [1000 * (swipe["first_frame"] - swipe["at"]) for swipe in run.stats["swipes"] if swipe["first_frame"]]


def manifest(clips: Sequence[Sample]) -> bytes:
    """A tuifeed-library.json of `clips` served as c/N.mp4, with their sizes and lengths (as a local import has)."""
    entries = [
        {"url": f"c/{number}.mp4", "title": clip.path.stem, "creator": f"creator {number}", "duration": clip.seconds,
         "width": clip.width, "height": clip.height}
        for number, clip in enumerate(clips)
    ]  # fmt: skip
    return json.dumps({"format": "tuifeed-library", "version": 1, "title": "Bench", "clips": entries}).encode()


def swipe_to_first_frame() -> None:
    """Swipe through the same clips as local files, remote with prefetch and remote without, in tmux."""
    if shutil.which("tmux") is None:
        print("swipe-to-first-frame: not measured (tmux is needed: make setup-test installs it)")
        return
    with tempfile.TemporaryDirectory(prefix="tuifeed-bench-") as scratch_name:
        scratch = Path(scratch_name)
        clips, _ = sample_clips(scratch)
        bench = RemoteBench(scratch)
        seconds = SWIPES + 1.0
        with LoopbackServer(latency=LATENCY, rate=RATE) as server:
            for number, clip in enumerate(clips):
                server.add_file(f"/c/{number}.mp4", clip.path)
            server.add("/tuifeed-library.json", manifest(clips), "application/json")
            local: list[float] = []
            runs: dict[int, list[float]] = {3: [], 0: []}
            for _ in range(ROUNDS):
                bench.configure(prefetch=3)
                local += swipe_times(bench.play(bench.library(clips), SWIPE_SIZE, seconds, swipes=SWIPES))
                for prefetch in runs:
                    bench.configure(prefetch)  # a fresh, empty cache
                    db = bench.remote_library(server.url("/tuifeed-library.json"))
                    runs[prefetch] += swipe_times(bench.play(db, SWIPE_SIZE, seconds, swipes=SWIPES))
            downloads = sum(1 for seen in server.log if seen.headers.get("user-agent", "").startswith("tuifeed/"))

    def line(times: list[float]) -> str:
        spread = f"(min {min(times):.0f}, max {max(times):.0f}, n={len(times)})" if times else "(none recorded)"
        return f"{statistics.median(times) if times else float('nan'):.0f} ms {spread}"

    print(
        f"swipe to first frame, {len(clips)} clips, {SWIPES} swipes a second apart, {SWIPE_SIZE[0]}x{SWIPE_SIZE[1]}, "
        f"{ROUNDS} runs of each interleaved:"
    )
    print(f"  local files:                {line(local)}")
    ratio = statistics.median(runs[3]) / statistics.median(local) if runs[3] and local else float("nan")
    verdict = "PASS" if ratio <= 1.2 else "MISS"
    print(f"  remote, prefetch 3 ahead:   {line(runs[3])}   {ratio:.2f}x local, {verdict} (target <= 1.20x)")
    print(f"  remote, no prefetch:        {line(runs[0])}   (libvlc streams; the next clip pre-rolls from its URL)")
    print(f"  requests by tuifeed's own client (the adds, then downloads ahead): {downloads}")


if __name__ == "__main__":
    main()
