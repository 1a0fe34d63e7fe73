"""What to believe before the person has said anything: platform popularity and the import zeitgeist."""

from __future__ import annotations

import numpy as np

from tuifeed.recommend.catalog import UNKNOWN, CatalogArrays, Floats, sum_by

_DAY = 86_400.0


def popularity(arrays: CatalogArrays) -> Floats:
    """Log platform counts standardised over the clips that have one, squashed into -1..1; 0 where unknown.

    The squash keeps the order (the most popular clips are what a popularity feed shows first) where a
    clip at the edge would have tied every clip beyond it.
    """
    counts = arrays.popularity
    known = np.isfinite(counts)
    prior = np.zeros(arrays.size)
    if known.sum() < 2:
        return prior
    logs = np.log1p(np.maximum(counts[known], 0.0))
    spread = logs.std()
    if spread > 0:
        prior[known] = np.tanh((logs - logs.mean()) / spread / 2.0)
    return prior


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
