"""How far any model on tuifeed's inputs could get on real behaviour: `python benchmarks/recommend_ceiling.py`.

`recommend_real.py` replays the feed cold; this asks what its inputs (platform popularity, tags, an item
embedding) could give at best. Per user, static orders of every clip are scored like the replay (likes
among the first 50 and 200) against popularity order (or random order without popularity):

- a per-user model (ridge regression or logistic regression) on each set of inputs, fitted on ALL of the
  user's labels: an oracle that knows the future, the best that model family can rank with these inputs;
- the same fitted out of sample (each clip scored by a model fitted on the other folds of clips), and on
  the labels of `--seen` random clips only (what a feed that had shown that many at random would know);
- each clip's like rate among the OTHER users of the data (leave-one-user-out): the best prior a
  collaborative catalogue could ship, beyond the platform's own popularity count.

Then, unless `--no-replay`, the replay of this checkout's tuifeed on the same users, beside them.
Every model is a generic one (standardised inputs, an intercept, a unit L2 penalty): nothing is tuned to
this data.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # many small solves: threads only add contention

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import recommend_real
from recommend_real import DATA, HORIZONS, STEPS, Data, at, load

Floats = npt.NDArray[np.float64]
PENALTY = 1.0
"""L2 penalty on every standardised weight (not the intercept): a unit Gaussian prior, for any data."""
FOLDS = 5
NEWTON_STEPS = 25
HALVINGS = 20


@dataclass(frozen=True)
class Inputs:
    """One set of clip inputs a model may use, as a standardised design matrix (clips x inputs)."""

    name: str
    matrix: Floats
    popularity: bool
    """Uses platform popularity (judged against popularity order, else against random order)."""


def standardised(columns: Sequence[Floats]) -> Floats:
    """Stack columns and scale each to mean 0, variance 1 (constant columns become 0)."""
    matrix = np.stack(columns, axis=1).astype(np.float64)
    matrix -= matrix.mean(axis=0)
    spread = matrix.std(axis=0)
    matrix[:, spread > 0] /= spread[spread > 0]
    return matrix


def input_sets(data: Data) -> list[Inputs]:
    """Popularity with tags, popularity with the embedding, and each without popularity."""
    popularity = np.log1p(np.maximum(data.popularity, 0.0))
    codes = sorted({tag for tags in data.tags for tag in tags})
    tags = [np.array([code in clip for clip in data.tags], dtype=np.float64) for code in codes]
    embedding = [data.embedding[:, d].astype(np.float64) for d in range(data.embedding.shape[1])]
    norm = np.log(np.linalg.norm(data.embedding.astype(np.float64), axis=1) + 1e-12)
    return [
        Inputs("pop+tags", standardised([popularity, *tags]), popularity=True),
        Inputs("pop+emb", standardised([popularity, norm, *embedding]), popularity=True),
        Inputs("pop+tags+emb", standardised([popularity, norm, *tags, *embedding]), popularity=True),
        Inputs("tags", standardised(tags), popularity=False),
        Inputs("emb", standardised([norm, *embedding]), popularity=False),
        Inputs("tags+emb", standardised([norm, *tags, *embedding]), popularity=False),
    ]


def _design(matrix: Floats) -> Floats:
    """The inputs with an intercept column in front."""
    return np.hstack([np.ones((matrix.shape[0], 1)), matrix])


def _penalty(width: int) -> Floats:
    """The L2 penalty matrix: every weight but the intercept."""
    penalty = PENALTY * np.eye(width)
    penalty[0, 0] = 0.0
    return penalty


def ridge(design: Floats, labels: Floats) -> Floats:
    """Ridge weights per user (users x inputs) from each user's own clips (users x clips x inputs)."""
    gram = design.transpose(0, 2, 1) @ design + _penalty(design.shape[2])
    target = np.einsum("um,umi->ui", labels, design)
    weights: Floats = np.linalg.solve(gram, target[:, :, None])[:, :, 0]
    return weights


def logistic(design: Floats, labels: Floats) -> Floats:
    """L2-penalised logistic regression weights per user, by damped Newton steps for all users at once."""
    width = design.shape[2]
    penalty = _penalty(width)
    weights = np.zeros((labels.shape[0], width))
    rate = np.clip(labels.mean(axis=1), 1e-3, 1 - 1e-3)
    weights[:, 0] = np.log(rate / (1 - rate))

    def loss(weights: Floats) -> Floats:
        logits = np.einsum("umi,ui->um", design, weights)
        fit: Floats = (np.logaddexp(0.0, logits) - labels * logits).sum(axis=1)
        fit += 0.5 * np.einsum("ui,ij,uj->u", weights, penalty, weights)
        return fit

    current = loss(weights)
    for _ in range(NEWTON_STEPS):
        chance = 1.0 / (1.0 + np.exp(-np.einsum("umi,ui->um", design, weights)))
        gradient = np.einsum("um,umi->ui", chance - labels, design) + weights @ penalty
        curvature = (design * (chance * (1 - chance))[:, :, None]).transpose(0, 2, 1) @ design + penalty
        step = np.linalg.solve(curvature, gradient[:, :, None])[:, :, 0]
        # a full Newton step can overshoot on heavy-tailed inputs: halve it until the loss falls
        scale = np.ones(labels.shape[0])
        for _ in range(HALVINGS):
            trial = loss(weights - scale[:, None] * step)
            worse = trial > current
            if not worse.any():
                break
            scale[worse] /= 2.0
        trial = loss(weights - scale[:, None] * step)
        better = trial <= current
        weights[better] -= scale[better, None] * step[better]
        current = np.where(better, trial, current)
        if np.abs(scale[:, None] * step).max() < 1e-6:
            break
    return weights


Fit = Callable[[Floats, Floats], Floats]
CHUNK = 32
"""Users fitted together (their clips' design matrices are stacked)."""


def fitted_scores(fit: Fit, matrix: Floats, labels: Floats, seen: npt.NDArray[np.int64]) -> Floats:
    """Every clip's score (users x clips) from per-user models fitted on the clips `seen` (users x m) only."""
    design = _design(matrix)
    scores = np.zeros_like(labels)
    for first in range(0, labels.shape[0], CHUNK):
        chunk = slice(first, first + CHUNK)
        rows = seen[chunk]
        weights = fit(design[rows], np.take_along_axis(labels[chunk], rows, axis=1))
        scores[chunk] = weights @ design.T
    return scores


def in_sample(fit: Fit, matrix: Floats, labels: Floats) -> Floats:
    """Scores from models fitted on every label: the oracle of the model family."""
    every = np.broadcast_to(np.arange(labels.shape[1]), labels.shape)
    return fitted_scores(fit, matrix, labels, every)


def cross_fitted(fit: Fit, matrix: Floats, labels: Floats, rng: np.random.Generator) -> Floats:
    """Scores where each clip's comes from a model fitted on the other folds of clips (same user)."""
    folds = rng.integers(FOLDS, size=labels.shape[1])
    scores = np.zeros_like(labels)
    for fold in range(FOLDS):
        others = np.broadcast_to(np.flatnonzero(folds != fold), (labels.shape[0], int((folds != fold).sum())))
        held = folds == fold
        scores[:, held] = fitted_scores(fit, matrix, labels, others)[:, held]
    return scores


def from_sample(fit: Fit, matrix: Floats, labels: Floats, seen: int, rng: np.random.Generator) -> Floats:
    """Scores from models fitted on `seen` random clips per user; those clips get -inf (already shown)."""
    rows = np.stack([rng.choice(labels.shape[1], size=seen, replace=False) for _ in range(labels.shape[0])])
    scores = fitted_scores(fit, matrix, labels, rows)
    np.put_along_axis(scores, rows, -np.inf, axis=1)
    return scores


def others_like_rate(labels: Floats) -> Floats:
    """Each clip's like rate among the other users (leave-one-user-out)."""
    totals = labels.sum(axis=0, keepdims=True)
    rates: Floats = (totals - labels) / max(labels.shape[0] - 1, 1)
    return rates


def hits_of(scores: Floats, labels: Floats, rng: np.random.Generator) -> Floats:
    """Labels of each user's `STEPS` best-scored clips, best first; ties broken at random, -inf never picked."""
    tie = rng.random(scores.shape)
    order = np.lexsort((tie, -scores), axis=1)[:, :STEPS]
    picked = np.take_along_axis(labels, order, axis=1)
    finite = np.isfinite(np.take_along_axis(scores, order, axis=1))
    hits: Floats = np.where(finite, picked, 0.0)
    return hits


def main(argv: Sequence[str] | None = None) -> None:
    """Fit every bound, optionally replay tuifeed, and print one table against popularity and one against random."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with kuairec_small_liked.npz")
    parser.add_argument("--every", type=int, default=1, help="only every K-th user")
    parser.add_argument("--offset", type=int, default=0, help="start at this user")
    parser.add_argument("--seen", type=int, default=STEPS, help="random clips whose labels the 'seen' fit knows")
    parser.add_argument("--no-replay", action="store_true", help="skip replaying tuifeed (the slow part)")
    args = parser.parse_args(argv)
    data = load(args.data)
    users = list(range(args.offset, data.liked.shape[0], max(args.every, 1)))
    labels = data.liked.astype(np.float64)
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    hits = recommend_real.baselines(data, users)
    # the other users are every user of the data but this one, whichever users are being judged
    hits["others' like rate"] = hits_of(others_like_rate(labels)[users], labels[users], rng)
    judged = labels[users]
    rows: list[tuple[str, bool]] = [("others' like rate", True)]
    for inputs in input_sets(data):
        for model, fit in (("ridge", ridge), ("logistic", logistic)):
            fits = {
                "all labels": in_sample(fit, inputs.matrix, judged),
                f"{FOLDS}-fold": cross_fitted(fit, inputs.matrix, judged, rng),
                f"{args.seen} seen": from_sample(fit, inputs.matrix, judged, args.seen, rng),
            }
            for how, scores in fits.items():
                name = f"{model} {inputs.name}, {how}"
                hits[name] = hits_of(scores, judged, rng)
                rows.append((name, inputs.popularity))
    fitted = time.perf_counter() - started
    conditions = {c.name: c.popularity for c in recommend_real.CONDITIONS}
    if not args.no_replay:
        hits.update(recommend_real.replay_users(args.data, users)[0])
        rows += list(conditions.items())
    wall = time.perf_counter() - started
    print(
        f"Ceilings on {len(users)} users x {labels.shape[1]:,} clips ({args.data.name}): bounds {fitted:.0f} s, "
        f"{'no replay' if args.no_replay else f'with the replay {wall:.0f} s'}; penalty {PENALTY}, seed 0"
    )
    for popularity, baseline in ((True, "popularity"), (False, "random")):
        short = baseline[:3]
        print(f"\n{'with popularity' if popularity else 'bare folder':<34}", end="")
        print(f"{'like@50':>9}{'like@200':>10}{f'x {short}@50':>10}{f'x {short}@200':>10}")
        for name in ("random", "popularity", "oracle", *(n for n, p in rows if p == popularity)):
            ratios = "".join(f"{at(hits[name], h) / at(hits[baseline], h):>10.2f}" for h in HORIZONS)
            print(f"{name:<34}{at(hits[name], 50):>9.3f}{at(hits[name], 200):>10.3f}{ratios}")


if __name__ == "__main__":
    main()
