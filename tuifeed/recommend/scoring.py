"""The score of every clip at once, kept as separate terms so explanations use the same numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuifeed.recommend.catalog import CatalogArrays, Floats, sum_by
from tuifeed.recommend.settings import RecommenderSettings
from tuifeed.recommend.taste import Taste


@dataclass(frozen=True, slots=True)
class Priors:
    """Per-row priors that depend only on the catalogue."""

    popularity: Floats
    zeitgeist: Floats


@dataclass(frozen=True, slots=True)
class Terms:
    """Each part of every row's score; `total` is their sum."""

    creator: Floats
    sound: Floats
    tags: Floats
    """Average over the row's tags of their weighted affinities."""
    tag_affinity: Floats
    """Weighted affinity per tag code (for explaining a row's tags one by one)."""
    embedding: Floats
    popularity: Floats
    zeitgeist: Floats
    follow: Floats
    total: Floats


def score(
    arrays: CatalogArrays,
    priors: Priors,
    taste: Taste,
    followed: Floats,
    tag_codes: int,
    settings: RecommenderSettings,
) -> Terms:
    """Score every row from what was learned, the priors and the follows (`followed` is 0/1 per creator)."""
    creator = settings.creator_weight * taste.creators.affinity(followed.shape[0])[arrays.creator]
    sound = settings.sound_weight * taste.sounds.affinity(int(arrays.sound.max(initial=0)) + 1)[arrays.sound]
    tag_affinity = settings.tag_weight * taste.tags.affinity(tag_codes)
    tags = sum_by(arrays.tag_rows, tag_affinity[arrays.tag_codes], arrays.size) / np.maximum(
        arrays.tag_count, 1.0
    )
    embedding = settings.embedding_weight * taste.similarity(arrays.embedding)
    fade = settings.prior_fade / (settings.prior_fade + taste.showings)
    popularity = settings.popularity_weight * fade * priors.popularity
    zeitgeist = settings.freshness_weight * fade * priors.zeitgeist
    follow = settings.follow_boost * followed[arrays.creator]
    return Terms(
        creator=creator,
        sound=sound,
        tags=tags,
        tag_affinity=tag_affinity,
        embedding=embedding,
        popularity=popularity,
        zeitgeist=zeitgeist,
        follow=follow,
        total=creator + sound + tags + embedding + popularity + zeitgeist + follow,
    )
