"""How fast the app's places answer on a big library: `python benchmarks/pages.py`.

A synthetic library of N clips in a real SQLite file: full-text search as the person types (ms per
keystroke), the Library's lists, a mute that every feed drops at once, switching away from For You and
back (suspend, resume: the feed re-reads who is muted and what is filtered), and a Following pick.
Each figure is the median of several runs on this machine; compare the rows of one run, not runs.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuifeed.feed import Feeds, Filters
from tuifeed.models import Clip, EventKind, MuteKind
from tuifeed.player.fake import FakePlayer
from tuifeed.recommend import ClipFeatures, Recommender
from tuifeed.store import Store
from tuifeed.store.store import utc_now

SIZES = (1_000, 10_000, 50_000)
WORDS = ["ocean", "waves", "sunset", "drive", "neon", "arcade", "forest", "walk"]
WORDS += ["pixel", "cats", "candy", "swirl", "storm", "reef", "pines", "trail"]
TYPED = ["o", "oc", "oce", "ocea", "ocean", "ocean w", "ocean wa", "ocean wav", "ocean wave"]
MUTES = 20


def library(count: int, rng: random.Random) -> list[Clip]:
    """`count` clips by count/25 creators, three tags and a sentence of description each."""
    creators = [f"creator{n}" for n in range(max(8, count // 25))]
    return [
        Clip(
            id=f"clip{n}",
            location=f"/library/clip{n}.mp4",
            title=" ".join(rng.sample(WORDS, 3)),
            creator=rng.choice(creators),
            description=" ".join(rng.choices(WORDS, k=12)),
            tags=tuple(rng.sample(WORDS, 3)),
            sound=f"sound{rng.randrange(count // 60 + 10)}",
            duration_ms=rng.randrange(5_000, 90_000),
            width=360,
            height=640 if n % 3 else 360,
            imported_at=f"2026-01-{n % 28 + 1:02d}T00:00:00.000+00:00",
        )
        for n in range(count)
    ]


def median_ms(action: Callable[[], object], repeat: int = 5) -> float:
    """The median wall time of `action` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(count: int, folder: Path) -> dict[str, float]:
    rng = random.Random(count)
    clips = library(count, rng)
    store = Store(folder / f"pages-{count}.db")
    started = time.perf_counter()
    store.upsert_clips(clips)
    figures = {"import (upsert + FTS triggers), ms per 1000 clips": (time.perf_counter() - started) * 1e6 / count}
    for creator in sorted({clip.creator or "" for clip in clips})[:MUTES]:
        store.record_event(EventKind.MUTE_CREATOR, creator + "-gone", True, utc_now())
    recommender = Recommender(seed=1)
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    feeds = Feeds(store, FakePlayer(), recommender, clips, filters=Filters(only_vertical=True))
    feeds.for_you.start()
    figures["search, ms per keystroke (median of the word typed)"] = statistics.median(
        median_ms(lambda typed=typed: feeds.search(typed)) for typed in TYPED
    )
    figures["Library lists (liked, saved, history, mutes), ms"] = median_ms(
        lambda: (feeds.liked(), feeds.saved(), feeds.history(), feeds.mutes())
    )
    victims = iter(sorted({clip.creator or "" for clip in clips}))

    def mute_and_undo() -> None:
        feeds.mute(feeds.for_you, MuteKind.CREATOR, next(victims))
        feeds.undo()

    figures["mute in every feed, then undo, ms"] = median_ms(mute_and_undo)

    def switch() -> None:
        feeds.for_you.suspend()
        feeds.for_you.resume()

    figures["leave For You and come back (suspend + resume), ms"] = median_ms(switch)
    feeds.for_you.toggle_follow()
    feeds.following.sync()
    figures["a Following pick, ms"] = median_ms(lambda: feeds.following.queue.upcoming())
    store.close()
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        results = {count: measure(count, Path(folder)) for count in SIZES}
    names = list(results[SIZES[0]])
    width = max(len(name) for name in names)
    print(f"{'clips':<{width}}" + "".join(f"{count:>10,}" for count in SIZES))
    for name in names:
        print(f"{name:<{width}}" + "".join(f"{results[count][name]:>10.1f}" for count in SIZES))
    print(f"({MUTES} creators muted throughout; For You filtered to vertical clips)")


if __name__ == "__main__":
    main()
