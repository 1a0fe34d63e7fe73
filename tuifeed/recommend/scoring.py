"""Every clip's score as separate terms: priors, what was learned about its features, and the taste vector."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuifeed.recommend.catalog import CatalogArrays, Floats, Ints, sum_by
from tuifeed.recommend.settings import RecommenderSettings
from tuifeed.recommend.taste import Evidence, Taste

TASTE_SCALE = 1.0
"""Score per unit of predicted enjoyment from the taste vector (1 is a clip like those enjoyed), against
priors of at most +-0.5: once the person's evidence points somewhere it outweighs popularity."""
ALIKE_SCALE = 1.0
"""Score per unit of reward-weighted cosine to shown clips (content likeness, for and against)."""


@dataclass(frozen=True, slots=True)
class Priors:
    """Per-row priors that depend only on the catalogue."""

    popularity: Floats
    zeitgeist: Floats
    weighted: Floats
    """Both, weighted by their settings, before the fade."""

    @classmethod
    def of(cls, popularity: Floats, zeitgeist: Floats, settings: RecommenderSettings) -> Priors:
        """Priors with their weighted sum."""
        weighted = settings.popularity_weight * popularity + settings.freshness_weight * zeitgeist
        return cls(popularity, zeitgeist, weighted)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a score depends on, at one moment."""

    arrays: CatalogArrays
    priors: Priors
    taste: Taste
    followed: Floats
    """1.0 per followed creator code (sized to the creator vocabulary)."""
    sound_codes: int
    """Size of the sound vocabulary."""
    tag_codes: int
    """Size of the tag vocabulary."""
    settings: RecommenderSettings

    @property
    def fade(self) -> float:
        """How much the priors still count, falling as showings accumulate."""
        return self.settings.prior_fade / (self.settings.prior_fade + self.taste.showings)


@dataclass(frozen=True, slots=True)
class Terms:
    """Each part of the score of some rows."""

    creator: Floats
    sound: Floats
    tags: Floats
    """Average over the row's tags of their weighted affinities."""
    follow: Floats
    embedding: Floats
    popularity: Floats
    zeitgeist: Floats


def terms_at(rows: Ints, context: Context) -> Terms:
    """The score terms of `rows`; the one formula behind ranking and explanations.

    Each kind of evidence is weighted by the person's trust in it (`Taste.trust`).
    """
    arrays, taste = context.arrays, context.taste
    creator = arrays.creator[rows]
    sound = arrays.sound[rows]
    owners, codes = arrays.pairs_of(rows)
    similarity = TASTE_SCALE * taste.similarity(arrays, rows) + ALIKE_SCALE * taste.alike(arrays, rows)
    return _terms(rows, creator, sound, owners, codes, context, similarity, taste.trust)


def _terms(
    rows: Ints,
    creator: Ints,
    sound: Ints,
    owners: Ints,
    codes: Ints,
    context: Context,
    similarity: Floats,
    trust: Floats,
) -> Terms:
    """The score terms of `rows`, given their codes, tag pairs (owner positions in `rows`) and similarity."""
    arrays, taste, settings = context.arrays, context.taste, context.settings
    base = taste.base
    tag_affinity = tag_weights(context, trust)
    tags = sum_by(owners, tag_affinity[codes], rows.size) / np.maximum(arrays.tag_count[rows], 1.0)
    prior = float(trust[Evidence.PRIOR]) * context.fade
    creators = taste.creators.affinity(context.followed.size, base)
    return Terms(
        creator=trust[Evidence.CREATOR] * settings.creator_weight * creators[creator],
        sound=trust[Evidence.SOUND] * settings.sound_weight * taste.sounds.affinity(context.sound_codes, base)[sound],
        tags=tags,
        follow=settings.follow_boost * context.followed[creator],
        embedding=trust[Evidence.EMBEDDING] * settings.embedding_weight * similarity,
        popularity=prior * settings.popularity_weight * context.priors.popularity[rows],
        zeitgeist=prior * settings.freshness_weight * context.priors.zeitgeist[rows],
    )


def evidence(row: int, tags: tuple[int, ...], context: Context) -> Floats:
    """What each kind of evidence predicts for one row (its terms as the settings weigh them, untrusted),
    for `Taste.learn`; the same numbers `terms_at` gives with a trust of 1."""
    arrays, taste, settings = context.arrays, context.taste, context.settings
    base = taste.base
    one = np.array([row])
    similarity = TASTE_SCALE * taste.similarity(arrays, one)[0] + ALIKE_SCALE * taste.alike(arrays, one)[0]
    tag_sum = sum(taste.tags.affinity_of(tag, base) for tag in tags)
    return np.array(
        (
            context.fade * context.priors.weighted[row],
            settings.creator_weight * taste.creators.affinity_of(int(arrays.creator[row]), base),
            settings.sound_weight * taste.sounds.affinity_of(int(arrays.sound[row]), base),
            settings.tag_weight * tag_sum / max(len(tags), 1),
            settings.embedding_weight * similarity,
        )
    )


def tag_weights(context: Context, trust: Floats | None = None) -> Floats:
    """Weighted affinity per tag code."""
    taste = context.taste
    weight = float((taste.trust)[Evidence.TAGS]) * context.settings.tag_weight
    affinity: Floats = weight * taste.tags.affinity(context.tag_codes, taste.base)
    return affinity


def totals(context: Context) -> Floats:
    """The total score of every row at once (the tag pairs of all rows are the catalogue's own)."""
    arrays = context.arrays
    every = np.arange(arrays.size, dtype=np.int64)
    taste = context.taste
    similarity = TASTE_SCALE * taste.similarity(arrays) + ALIKE_SCALE * taste.alike(arrays)
    terms = _terms(
        every, arrays.creator, arrays.sound, arrays.tag_rows, arrays.tag_codes, context, similarity, taste.trust
    )
    prior = float(taste.trust[Evidence.PRIOR]) * context.fade * context.priors.weighted
    total: Floats = terms.creator + terms.sound + terms.tags + terms.follow + terms.embedding + prior
    return total
