"""What to believe before the person has said anything: platform popularity (or its stand-in) and the zeitgeist."""

from __future__ import annotations

import numpy as np

from tuifeed.recommend.catalog import UNKNOWN, CatalogArrays, Floats, sum_by

_DAY = 86_400.0


_FLAT_LENGTHS = 1e-3
"""Spread of the log embedding lengths below which they say nothing (unit-length content vectors)."""


def popularity(arrays: CatalogArrays) -> Floats:
    """Log platform counts standardised over the clips that have one, squashed into -1..1; where a clip
    has no count, its `reach` stands in; 0 where neither is known.

    The squash keeps the order (the most popular clips are what a popularity feed shows first) where a
    clip at the edge would have tied every clip beyond it.
    """
    counts = arrays.popularity
    known = np.isfinite(counts)
    prior = reach(arrays)
    prior[known] = 0.0
    if known.sum() >= 2:
        prior[known] = _squashed(np.log1p(np.maximum(counts[known], 0.0)))
    return prior


def reach(arrays: CatalogArrays) -> Floats:
    """How long each clip's raw embedding is, as log lengths standardised and squashed into -1..1; 0 without one.

    In a collaborative embedding (implicit ALS, a two-tower model) a clip's vector grows with how many
    people took to it, so its length is a popularity count for a library that has none (measured on
    KuaiRec by `benchmarks/recommend_real.py`). Unit-length content embeddings all score 0.
    """
    lengths = np.linalg.norm(arrays.raw.astype(np.float64), axis=0)
    present = lengths > 0
    prior = np.zeros(arrays.size)
    if present.sum() < 2:
        return prior
    logs = np.log(lengths[present])
    if logs.std() >= _FLAT_LENGTHS:
        prior[present] = _squashed(logs)
    return prior


def _squashed(values: Floats) -> Floats:
    """Standardise, then squash into -1..1 (all 0 when the values do not vary)."""
    spread = values.std()
    if spread <= 0:
        return np.zeros(values.size)
    squashed: Floats = np.tanh((values - values.mean()) / spread / 2.0)
    return squashed


def zeitgeist(arrays: CatalogArrays, half_life_days: float) -> Floats:
    """How fresh a clip is and how much it shares tags and creator with recent imports, centred on 0.

    Freshness halves every `half_life_days` before the newest import. A clip's trend is the
    freshness-weighted share of recent imports that carry its tags and creator, so a burst of
    #ocean imports lifts every #ocean clip.
    """
    imported = arrays.imported_at
    known = np.isfinite(imported)
    prior = np.zeros(arrays.size)
    if not known.any():
        return prior
    age = (np.nanmax(imported) - imported[known]) / (half_life_days * _DAY)
    fresh = np.zeros(arrays.size)
    fresh[known] = np.exp2(-np.maximum(age, 0.0))
    fresh[~arrays.available] = 0.0
    tag_mass = sum_by(arrays.tag_codes, fresh[arrays.tag_rows])
    creator_mass = sum_by(arrays.creator, fresh)
    creator_mass[UNKNOWN] = 0.0
    tag_trend = sum_by(arrays.tag_rows, _scaled(tag_mass)[arrays.tag_codes], arrays.size)
    has_creator = arrays.creator != UNKNOWN
    trend = (tag_trend + _scaled(creator_mass)[arrays.creator]) / np.maximum(arrays.tag_count + has_creator, 1.0)
    prior[known] = 0.5 * fresh[known] + 0.5 * trend[known]
    prior[known] -= prior[known & arrays.available].mean() if (known & arrays.available).any() else 0.0
    return prior


def _scaled(mass: Floats) -> Floats:
    """Divide by the largest entry (no-op when everything is 0)."""
    top = mass.max() if mass.size else 0.0
    return mass / top if top > 0 else mass
