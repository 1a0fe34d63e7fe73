"""Simulated people and latency for the recommender: `python benchmarks/recommend.py`.

Synthetic people with tastes over creators, tags, sounds and a latent content space watch a
synthetic library; random order, popularity order and the Recommender are scored on the same
people with the same behavioural randomness. Then next/observe/rebuild latency and memory.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small mat-vecs: threads only add contention

import argparse
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuifeed.recommend import ClipFeatures, Feedback, Recommender

Floats = npt.NDArray[np.float64]
PEOPLE = 12
HORIZONS = (50, 200)
DIMENSION = 16
DAY = 86_400.0


@dataclass(frozen=True)
class World:
    """A synthetic library: what the recommender sees, and the hidden truth behind it."""

    features: list[ClipFeatures]
    creator: npt.NDArray[np.int64]
    tags: list[npt.NDArray[np.int64]]
    sound: npt.NDArray[np.int64]
    latent: Floats
    quality: Floats
    duration: Floats
    popularity: Floats


@dataclass(frozen=True)
class Person:
    """Hidden tastes; `utility` is how much they enjoy each clip of a world."""

    utility: Floats


def make_world(clips: int, rng: np.random.Generator) -> World:
    """Creators with a home in content space, favourite tags and a signature sound."""
    creators, tags, sounds = max(clips // 25, 8), max(clips // 50, 12), max(clips // 60, 10)
    centres = rng.normal(size=(creators, DIMENSION))
    tag_taste = rng.dirichlet(np.full(tags, 0.1), size=creators)
    fame = rng.normal(size=creators)
    output = rng.lognormal(0.0, 1.0, size=creators)
    creator = rng.choice(creators, size=clips, p=output / output.sum())
    latent = 0.8 * centres[creator] + 0.6 * rng.normal(size=(clips, DIMENSION))
    latent /= np.linalg.norm(latent, axis=1, keepdims=True)
    clip_tags = [np.unique(rng.choice(tags, size=rng.integers(1, 4), p=tag_taste[c])) for c in creator]
    signature = rng.integers(sounds, size=creators)
    sound = np.where(rng.random(clips) < 0.6, signature[creator], rng.integers(sounds, size=clips))
    duration = np.clip(rng.lognormal(np.log(20), 0.8, size=clips), 3, 300)
    quality = rng.normal(size=clips)
    popularity = np.round(np.exp(4 + 0.8 * quality + 0.8 * fame[creator] + 0.8 * rng.normal(size=clips))).astype(
        np.float64
    )
    now = 1.7e9
    imported = now - rng.uniform(0, 60 * DAY, size=clips)
    embedding = latent + 0.3 * rng.normal(size=(clips, DIMENSION))
    features = [
        ClipFeatures(
            id=f"c{i}",
            creator=f"creator{creator[i]}",
            tags=tuple(f"tag{t}" for t in clip_tags[i]),
            sound=f"sound{sound[i]}",
            duration=float(duration[i]),
            popularity=float(popularity[i]),
            embedding=embedding[i].astype(np.float32),
            imported_at=float(imported[i]),
        )
        for i in range(clips)
    ]
    return World(features, creator, clip_tags, sound, latent, quality, duration, popularity)


def make_person(world: World, rng: np.random.Generator) -> Person:
    """A few loved creators, tag and sound leanings, a direction in content space, and taste for quality."""
    creators = int(world.creator.max()) + 1
    creator_taste = 0.6 * rng.normal(size=creators)
    creator_taste[rng.choice(creators, size=5, replace=False)] += 1.5
    tag_taste = 0.8 * rng.normal(size=max(int(t.max()) for t in world.tags) + 1)
    sound_taste = 0.3 * rng.normal(size=int(world.sound.max()) + 1)
    direction = rng.normal(size=DIMENSION)
    direction *= 1.2 / np.linalg.norm(direction)
    tags = np.array([tag_taste[t].mean() for t in world.tags])
    utility = (
        creator_taste[world.creator]
        + tags
        + sound_taste[world.sound]
        + world.latent @ direction
        + 0.5 * world.quality
        - 1.0
    )
    return Person(utility)


def react(person: Person, world: World, row: int, rng: np.random.Generator) -> Feedback:
    """How long the person stays on a clip (skipping, watching, looping) and whether they like it."""
    duration = float(world.duration[row])
    mood = float(person.utility[row]) + 0.5 * rng.normal()
    if rng.random() < 1 / (1 + np.exp(2 * mood + 1.5)):
        dwell = float(rng.uniform(0.3, 1.0))
    else:
        attention = 15.0 * np.exp(1.5 * mood) * rng.lognormal(0, 0.4)
        dwell = min(duration, attention)
        if dwell >= duration and rng.random() < 1 / (1 + np.exp(-mood)) ** 2:
            dwell += duration * rng.uniform(0.3, 2.0)
    liked = bool(rng.random() < 1 / (1 + np.exp(3 - 2 * mood)))
    return Feedback(clip_id=f"c{row}", dwell=dwell, duration=duration, liked=liked)


Policy = Callable[[World, Person, np.random.Generator, int], list[Feedback]]


def random_order(world: World, person: Person, behaviour: np.random.Generator, steps: int) -> list[Feedback]:
    """Clips in a random order."""
    order = np.random.default_rng(1).permutation(len(world.features))[:steps]
    return [react(person, world, int(row), behaviour) for row in order]


def popularity_order(world: World, person: Person, behaviour: np.random.Generator, steps: int) -> list[Feedback]:
    """Clips by platform popularity, most popular first."""
    order = np.argsort(-world.popularity, kind="stable")[:steps]
    return [react(person, world, int(row), behaviour) for row in order]


def recommender(world: World, person: Person, behaviour: np.random.Generator, steps: int) -> list[Feedback]:
    """Clips picked one at a time by the Recommender, learning after each."""
    rec = Recommender(seed=0)
    rec.add_clips(world.features)
    shown: set[str] = set()
    feedbacks = []
    for _ in range(steps):
        clip_id = rec.next(exclude=shown)
        assert clip_id is not None
        shown.add(clip_id)
        feedback = react(person, world, int(clip_id[1:]), behaviour)
        rec.observe(feedback)
        feedbacks.append(feedback)
    return feedbacks


def max_per_creator(world: World, feedbacks: Sequence[Feedback], window: int = 10) -> int:
    """Most clips by one creator in any `window` consecutive clips."""
    creators = [int(world.creator[int(f.clip_id[1:])]) for f in feedbacks]
    return max(max(Counter(creators[i : i + window]).values()) for i in range(max(len(creators) - window + 1, 1)))


def quality_report(people: int = PEOPLE) -> None:
    """Mean watch ratio and like rate per policy and horizon, averaged over `people` simulated people."""
    policies: dict[str, Policy] = {
        "random": random_order,
        "popularity": popularity_order,
        "recommender": recommender,
    }
    results: dict[str, list[list[Feedback]]] = {name: [] for name in policies}
    worst_run = 0
    for person_seed in range(people):
        world = make_world(3000, np.random.default_rng(1000 + person_seed))
        person = make_person(world, np.random.default_rng(2000 + person_seed))
        for name, policy in policies.items():
            feedbacks = policy(world, person, np.random.default_rng(3000 + person_seed), max(HORIZONS))
            results[name].append(feedbacks)
            if name == "recommender":
                worst_run = max(worst_run, max_per_creator(world, feedbacks))

    def metrics(name: str, horizon: int) -> tuple[float, float]:
        runs = [run[:horizon] for run in results[name]]
        ratio = statistics.fmean(f.dwell / (f.duration or 1) for run in runs for f in run)
        likes = statistics.fmean(f.liked for run in runs for f in run)
        return ratio, likes

    print(f"Simulated people: {people}, 3,000 clips each")
    header = f"{'policy':<12}" + "".join(f"{f'first {h}: watch':>18}{'like rate':>11}" for h in HORIZONS)
    print(header)
    for name in policies:
        row = "".join(f"{ratio:>18.3f}{likes:>11.3f}" for ratio, likes in (metrics(name, h) for h in HORIZONS))
        print(f"{name:<12}{row}")
    for baseline in ("random", "popularity"):
        parts = []
        for h in HORIZONS:
            ours, theirs = metrics("recommender", h), metrics(baseline, h)
            parts.append(f"first {h}: watch x{ours[0] / theirs[0]:.2f}, likes x{ours[1] / theirs[1]:.2f}")
        print(f"recommender vs {baseline:<10}  " + "; ".join(parts))
    print(f"max clips by one creator in any 10 consecutive (recommender): {worst_run}")


def feed_latency(world: World, target_ms: float, warm_up: int = 200, calls: int = 100) -> Recommender:
    """Time next() and observe() along a simulated session after `warm_up` clips; return the recommender."""
    person = make_person(world, np.random.default_rng(8))
    behaviour = np.random.default_rng(9)
    rec = Recommender(seed=0)
    rec.add_clips(world.features)
    shown: set[str] = set()
    next_ms: list[float] = []
    observe_ms: list[float] = []
    for step in range(warm_up + calls):
        start = time.perf_counter()
        clip_id = rec.next(exclude=shown)
        took = (time.perf_counter() - start) * 1000
        assert clip_id is not None
        shown.add(clip_id)
        feedback = react(person, world, int(clip_id[1:]), behaviour)
        start = time.perf_counter()
        rec.observe(feedback)
        if step >= warm_up:
            next_ms.append(took)
            observe_ms.append((time.perf_counter() - start) * 1000)
    clips = len(world.features)
    print(
        f"next()    {clips:>7,} clips: median {statistics.median(next_ms):6.2f}  "
        f"p95 {np.percentile(next_ms, 95):6.2f}  max {max(next_ms):6.2f}   (target <= {target_ms:g})"
    )
    print(
        f"observe() {clips:>7,} clips: median {statistics.median(observe_ms):6.3f} "
        f"p95 {np.percentile(observe_ms, 95):6.3f} max {max(observe_ms):6.2f}   (target <= 1)"
    )
    return rec


def latency_report(small: World, large: World) -> None:
    """next() at 3,000 and 100,000 clips, observe(), and rebuild from 10,000 impressions."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nLatency (ms); OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, load average {load}")
    feed_latency(small, target_ms=2, calls=300)
    rec = feed_latency(large, target_ms=20)
    behaviour = np.random.default_rng(10)
    person = make_person(large, np.random.default_rng(8))
    rows = behaviour.integers(len(large.features), size=10_000)
    history = [react(person, large, int(row), behaviour) for row in rows]
    start = time.perf_counter()
    rec.rebuild(history)
    took = (time.perf_counter() - start) * 1000
    print(f"rebuild from 10,000 impressions ({len(large.features):,} clips): {took:.0f}   (target <= 1000)")


def memory_report(world: World) -> None:
    """Memory the recommender allocates for a large library (features built beforehand), by tracemalloc."""
    tracemalloc.start()
    rec = Recommender(seed=0)
    rec.add_clips(world.features)
    rec.rank(10)
    rec.observe(Feedback(clip_id="c0", dwell=5.0))
    rec.rank(10)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    clips = len(world.features)
    print(f"\nMemory at {clips:,} clips: {current / 2**20:.0f} MB held, {peak / 2**20:.0f} MB peak   (target < 200)")


def main(argv: Sequence[str] | None = None) -> None:
    """Print the quality table, then latency and memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=PEOPLE, help="simulated people (12 is quick; judge with 60+)")
    parser.add_argument("--quality-only", action="store_true", help="skip the latency and memory reports")
    args = parser.parse_args(argv)
    quality_report(args.people)
    if args.quality_only:
        return
    small = make_world(3_000, np.random.default_rng(7))
    large = make_world(100_000, np.random.default_rng(7))
    latency_report(small, large)
    memory_report(large)


if __name__ == "__main__":
    main()
