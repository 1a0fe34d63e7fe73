"""The recommender replayed on real behaviour (KuaiRec, fully observed): `python benchmarks/recommend_real.py`.

Every user of the data saw every clip, so any feed can be replayed without bias. Per user, a fresh
`Recommender` over every clip (no creator or sound, the clip's tags, 15 s each, platform popularity or
none, the ALS embedding or none) is driven as the feed drives it, cold: 200 times `next()` one unseen
clip, `shown()` it, and `observe()` the user's true reaction (a liked clip watched twice through, any
other left after half). Likes among the first N picks are averaged over users and compared, in the
same run, with random order, popularity order and the oracle (the user's liked clips first).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small mat-vecs: threads only add contention

import argparse
import multiprocessing
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuifeed.recommend import ClipFeatures, Feedback, Recommender

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kuairec-dev"
STEPS = 200
HORIZONS = (50, 200)
CURVE = tuple(range(10, STEPS + 1, 10))
DURATION = 15.0
LIKED_DWELL = 2.0 * DURATION
PASSED_DWELL = 0.5 * DURATION
PROCESSES = 2

Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Condition:
    """One way of building the recommender's library."""

    name: str
    popularity: bool
    embedding: bool


CONDITIONS = (
    Condition("tuifeed tags+pop", popularity=True, embedding=False),
    Condition("tuifeed +embedding", popularity=True, embedding=True),
    Condition("bare: tags only", popularity=False, embedding=False),
    Condition("bare: tags+emb", popularity=False, embedding=True),
)


@dataclass(frozen=True)
class Data:
    """The liked matrix and the clips' features."""

    liked: Bools
    """Users x clips."""
    tags: list[tuple[str, ...]]
    popularity: npt.NDArray[np.float64]
    embedding: npt.NDArray[np.float32]


def load(folder: Path) -> Data:
    """Read the npz and the embedding of a KuaiRec-style folder."""
    with np.load(folder / "kuairec_small_liked.npz") as raw:
        items = int(raw["n_items"])
        liked = np.unpackbits(raw["liked_packed"], axis=1)[:, :items].astype(bool)
        item_tags = raw["item_tags"].astype(bool)
        popularity = raw["big_matrix_pos_count"].astype(np.float64)
    embedding = np.load(folder / "item_emb_als16.npy").astype(np.float32)
    tags = [tuple(f"tag{t}" for t in np.flatnonzero(row)) for row in item_tags]
    return Data(liked, tags, popularity, embedding)


_DATA: Data | None = None
_FEATURES: dict[str, list[ClipFeatures]] = {}


def _init(folder: Path) -> None:
    """Load the data once per worker process and build each condition's clip features."""
    global _DATA
    _DATA = load(folder)
    for condition in CONDITIONS:
        _FEATURES[condition.name] = [
            ClipFeatures(
                id=str(row),
                tags=_DATA.tags[row],
                duration=DURATION,
                popularity=float(_DATA.popularity[row]) if condition.popularity else None,
                embedding=_DATA.embedding[row] if condition.embedding else None,
            )
            for row in range(len(_DATA.tags))
        ]


def replay(features: Sequence[ClipFeatures], liked: Bools) -> tuple[Bools, float]:
    """Drive a fresh recommender for one user; the like of each pick in order, and seconds spent in next()."""
    rec = Recommender(seed=0)
    rec.add_clips(features)
    shown: set[str] = set()
    hits = np.zeros(STEPS, dtype=np.bool_)
    spent = 0.0
    for step in range(STEPS):
        start = time.perf_counter()
        clip_id = rec.next(exclude=shown)
        spent += time.perf_counter() - start
        assert clip_id is not None
        shown.add(clip_id)
        rec.shown(clip_id)
        hit = bool(liked[int(clip_id)])
        hits[step] = hit
        rec.observe(Feedback(clip_id=clip_id, dwell=LIKED_DWELL if hit else PASSED_DWELL, duration=DURATION))
    return hits, spent


def one_user(user: int) -> dict[str, tuple[Bools, float]]:
    """Every condition's picks for one user."""
    assert _DATA is not None
    liked = _DATA.liked[user]
    return {condition.name: replay(_FEATURES[condition.name], liked) for condition in CONDITIONS}


def replay_users(folder: Path, users: Sequence[int]) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, float]]:
    """Every condition's hits per user and step for `users` (in `PROCESSES` processes), and ms per pick."""
    with multiprocessing.Pool(PROCESSES, initializer=_init, initargs=(folder,)) as pool:
        runs = pool.map(one_user, users, chunksize=4)
    picks = len(users) * STEPS
    hits = {c.name: np.stack([run[c.name][0] for run in runs]).astype(np.float64) for c in CONDITIONS}
    spent = {c.name: 1000 * sum(run[c.name][1] for run in runs) / picks for c in CONDITIONS}
    return hits, spent


def baselines(data: Data, users: Sequence[int]) -> dict[str, npt.NDArray[np.float64]]:
    """Hits per user and step for random order, popularity order and the oracle."""
    liked = data.liked[list(users)].astype(np.float64)
    permutations = np.stack([np.random.default_rng(user).permutation(liked.shape[1])[:STEPS] for user in users])
    by_popularity = np.argsort(-data.popularity, kind="stable")[:STEPS]
    counts = liked.sum(axis=1, keepdims=True)
    return {
        "random": np.take_along_axis(liked, permutations, axis=1),
        "popularity": liked[:, by_popularity],
        "oracle": (np.arange(STEPS)[None, :] < counts).astype(np.float64),
    }


def at(hits: npt.NDArray[np.float64], horizon: int) -> float:
    """Mean like rate among the first `horizon` picks."""
    return float(hits[:, :horizon].mean())


def main(argv: Sequence[str] | None = None) -> None:
    """Replay every user (or a sample) and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with kuairec_small_liked.npz")
    parser.add_argument("--users", type=int, default=0, help="only the first N users (after --every)")
    parser.add_argument("--every", type=int, default=1, help="only every K-th user")
    parser.add_argument("--offset", type=int, default=0, help="start at this user (with --every 2: a half)")
    args = parser.parse_args(argv)
    data = load(args.data)
    users = list(range(args.offset, data.liked.shape[0], max(args.every, 1)))
    if args.users:
        users = users[: args.users]
    started = time.perf_counter()
    replayed, spent = replay_users(args.data, users)
    wall = time.perf_counter() - started
    hits = baselines(data, users) | replayed
    load_avg = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"KuaiRec replay: {len(users)} users x {data.liked.shape[1]:,} clips, {STEPS} picks each, "
        f"{PROCESSES} processes, {wall:.0f} s, load average {load_avg}"
    )
    print(f"{'feed':<22}{'like@50':>9}{'like@200':>10}{'x pop@50':>10}{'x pop@200':>10}{'ms/pick':>9}")
    for name in ("random", "popularity", "oracle", "tuifeed tags+pop", "tuifeed +embedding"):
        ratios = "".join(f"{at(hits[name], h) / at(hits['popularity'], h):>10.2f}" for h in HORIZONS)
        timing = f"{spent[name]:>9.2f}" if name in spent else f"{'':>9}"
        print(f"{name:<22}{at(hits[name], 50):>9.3f}{at(hits[name], 200):>10.3f}{ratios}{timing}")
    print(f"\n{'bare folder':<22}{'like@50':>9}{'like@200':>10}{'x rnd@50':>10}{'x rnd@200':>10}{'ms/pick':>9}")
    for name in ("random", "bare: tags only", "bare: tags+emb"):
        ratios = "".join(f"{at(hits[name], h) / at(hits['random'], h):>10.2f}" for h in HORIZONS)
        timing = f"{spent[name]:>9.2f}" if name in spent else f"{'':>9}"
        print(f"{name:<22}{at(hits[name], 50):>9.3f}{at(hits[name], 200):>10.3f}{ratios}{timing}")
    print("\nlike@N as a ratio to the baseline, N = " + " ".join(f"{n:>4}" for n in CURVE))
    for name, baseline in (
        ("tuifeed tags+pop", "popularity"),
        ("tuifeed +embedding", "popularity"),
        ("bare: tags only", "random"),
        ("bare: tags+emb", "random"),
    ):
        curve = [at(hits[name], n) / at(hits[baseline], n) for n in CURVE]
        dips = [n for n, ratio in zip(CURVE, curve, strict=True) if ratio < 1.0]
        verdict = f"below {baseline} at N={','.join(map(str, dips))}" if dips else f"never below {baseline}"
        print(f"{name:<20} / {baseline[:3]}  " + " ".join(f"{ratio:>4.2f}" for ratio in curve) + f"   {verdict}")


if __name__ == "__main__":
    main()
