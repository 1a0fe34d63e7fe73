"""Puts the terms behind a clip's score into words, largest first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuifeed.recommend.catalog import UNKNOWN, Catalog
from tuifeed.recommend.scoring import Context, tag_weights, terms_at
from tuifeed.recommend.taste import FeatureStats, Stat, Taste

_NEGLIGIBLE = 0.01
_NEIGHBOUR = 0.5
"""Cosine similarity from which a shown clip counts as a close neighbour."""


@dataclass(frozen=True, slots=True)
class Term:
    """One reason behind a clip's score: a sentence and its signed share of the score."""

    text: str
    weight: float

    def __str__(self) -> str:
        return self.text


EXPLORING = "exploring a creator you have not seen"


def terms_for(row: int, catalog: Catalog, context: Context, explored: float | None) -> list[Term]:
    """The non-negligible terms of one row's score: why it was chosen (largest first), then what counts against.

    `explored` is the score the row lacked to win its slot, when an exploration slot gave it one.
    """
    terms = terms_at(np.array([row]), context)
    taste = context.taste
    creator_code = int(context.arrays.creator[row])
    sound_code = int(context.arrays.sound[row])
    creator = catalog.creators.names[creator_code]
    found: list[Term] = []
    if creator_code != UNKNOWN:
        found.append(_learned(taste.creators, creator_code, f"by {creator}", float(terms.creator[0])))
    if sound_code != UNKNOWN:
        label = f"with the sound {catalog.sounds.names[sound_code]}"
        found.append(_learned(taste.sounds, sound_code, label, float(terms.sound[0])))
    tags = catalog.row_tags[row]
    per_tag = tag_weights(context, taste.trust)
    for tag in tags:
        weight = float(per_tag[tag]) / len(tags)
        found.append(_learned(taste.tags, tag, f"#{catalog.tags.names[tag]}", weight, tagged=True))
    found.append(_similarity(row, catalog, taste, float(terms.embedding[0])))
    popularity = float(terms.popularity[0])
    found.append(Term("popular on its platform" if popularity > 0 else "little known on its platform", popularity))
    zeitgeist = float(terms.zeitgeist[0])
    found.append(
        Term(
            "in step with what you imported lately" if zeitgeist > 0 else "older than most of your library",
            zeitgeist,
        )
    )
    found.append(Term(f"you follow {creator}", float(terms.follow[0])))
    if explored is not None:
        found.append(Term(EXPLORING, explored))
    kept = [term for term in found if abs(term.weight) >= _NEGLIGIBLE]
    return sorted(kept, key=lambda term: (term.weight < 0, -abs(term.weight)))


def _learned(stats: FeatureStats, code: int, label: str, weight: float, *, tagged: bool = False) -> Term:
    """A sentence for a creator, sound or tag affinity, citing the counts that produced it."""

    def clips(count: int) -> str:
        noun = "clip" if count == 1 else "clips"
        return f"{count} {label} {noun}" if tagged else f"{count} {noun} {label}"

    plain = f"{label} clips" if tagged else f"clips {label}"
    if weight >= 0:
        for stat, verb in ((Stat.ENDORSED, "liked"), (Stat.LOOPED, "rewatched"), (Stat.COMPLETED, "watched")):
            count = stats.count(code, stat)
            if count:
                end = " to the end" if stat is Stat.COMPLETED else ""
                return Term(f"you {verb} {clips(count)}{end}", weight)
        return Term(f"{plain} held you longer than usual for their length", weight)
    rejected = stats.count(code, Stat.REJECTED)
    if rejected:
        return Term(f"you marked {clips(rejected)} not interested", weight)
    skips = stats.count(code, Stat.QUICK_SKIPS)
    if skips:
        return Term(f"you skipped {clips(skips)} within a second", weight)
    return Term(f"you left {plain} sooner than usual for their length", weight)


def _similarity(row: int, catalog: Catalog, taste: Taste, weight: float) -> Term:
    """A sentence for the content-embedding term, counting the close neighbours behind it."""
    embeddings = catalog.arrays().embedding
    liked = weight >= 0
    rows = [shown for shown, value in taste.memory if (value > 0) == liked and shown != row]
    close = 0
    if rows and embeddings.shape[0]:
        close = int(np.count_nonzero(embeddings[:, row] @ embeddings[:, rows] >= _NEIGHBOUR))
    if not close:
        return Term("unlike clips you passed on" if liked else "unlike clips you enjoyed", weight)
    feeling = "you enjoyed" if liked else "you passed on"
    return Term(f"looks like {close} clip{'' if close == 1 else 's'} {feeling}", weight)
