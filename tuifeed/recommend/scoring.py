"""Every clip's score as separate terms, and a board that rescores only the rows a showing touched."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuifeed.recommend.catalog import UNKNOWN, CatalogArrays, Floats, Ints, sum_by
from tuifeed.recommend.settings import RecommenderSettings
from tuifeed.recommend.taste import Taste

_NONE = np.zeros(0, dtype=np.int64)
_FULL_RESCORE = 0.25
"""Share of rows touched beyond which rescoring everything is cheaper than patching."""


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
    """The score terms of `rows`; the one formula behind ranking and explanations."""
    arrays, taste, settings = context.arrays, context.taste, context.settings
    creator = arrays.creator[rows]
    sound = arrays.sound[rows]
    owners, codes = arrays.pairs_of(rows)
    tag_affinity = tag_weights(context)
    tags = sum_by(owners, tag_affinity[codes], rows.size) / np.maximum(arrays.tag_count[rows], 1.0)
    similarity = taste.similarity(arrays.embedding[:, rows])
    return Terms(
        creator=settings.creator_weight * taste.creators.affinity(context.followed.size)[creator],
        sound=settings.sound_weight * taste.sounds.affinity(context.sound_codes)[sound],
        tags=tags,
        follow=settings.follow_boost * context.followed[creator],
        embedding=settings.embedding_weight * similarity,
        popularity=settings.popularity_weight * context.fade * context.priors.popularity[rows],
        zeitgeist=settings.freshness_weight * context.fade * context.priors.zeitgeist[rows],
    )


def tag_weights(context: Context) -> Floats:
    """Weighted affinity per tag code."""
    return context.settings.tag_weight * context.taste.tags.affinity(context.tag_codes)


class ScoreBoard:
    """Every row's total score, patched after each showing instead of recomputed.

    Creator, sound, tag and follow terms are rescored for the rows carrying a touched code; the
    embedding term is recomputed only when the taste direction moved; priors are scaled by the fade.
    """

    def __init__(self) -> None:
        self._stamp: int | None = None
        self._features = np.zeros(0)
        self._embedding = np.zeros(0)
        self._embedded_showings = -1
        self._creators: set[int] = set()
        self._sounds: set[int] = set()
        self._tags: set[int] = set()

    def touch(self, creators: Ints = _NONE, sounds: Ints = _NONE, tags: Ints = _NONE) -> None:
        """Mark codes whose affinity or follow state changed."""
        self._creators.update(creators.tolist())
        self._sounds.update(sounds.tolist())
        self._tags.update(tags.tolist())

    def invalidate(self) -> None:
        """Force a full rescore (after a reset or rebuild)."""
        self._stamp = None

    def totals(self, context: Context, catalog_version: int) -> Floats:
        """The current total score of every row."""
        stamp = catalog_version
        every = np.arange(context.arrays.size, dtype=np.int64)
        if self._stamp != stamp:
            self._features = _feature_sum(terms_at(every, context))
            self._embedded_showings = -1
            self._stamp = stamp
        else:
            self._patch(context)
        self._creators.clear()
        self._sounds.clear()
        self._tags.clear()
        if self._embedded_showings != context.taste.embedded_showings:
            weight = context.settings.embedding_weight
            self._embedding = weight * context.taste.similarity(context.arrays.embedding)
            self._embedded_showings = context.taste.embedded_showings
        return self._features + self._embedding + context.fade * context.priors.weighted

    def _patch(self, context: Context) -> None:
        """Rescore the rows carrying a touched code."""
        arrays = context.arrays
        self._creators.discard(UNKNOWN)
        self._sounds.discard(UNKNOWN)
        rows = np.unique(
            np.concatenate(
                (
                    arrays.by_creator.rows(self._creators),
                    arrays.by_sound.rows(self._sounds),
                    arrays.by_tag.rows(self._tags),
                )
            )
        )
        if rows.size > _FULL_RESCORE * arrays.size:
            rows = np.arange(arrays.size, dtype=np.int64)
        if rows.size:
            self._features[rows] = _feature_sum(terms_at(rows, context))


def _feature_sum(terms: Terms) -> Floats:
    """The creator, sound, tag and follow terms added up."""
    return terms.creator + terms.sound + terms.tags + terms.follow
