"""Priors for a new person: platform popularity and the zeitgeist of recent imports."""

from __future__ import annotations

import numpy as np
from rec_support import library, make, watched

from tuifeed.recommend import ClipFeatures

DAY = 86_400.0


def test_new_person_sees_popular_clips_first() -> None:
    """With nothing learned, the ranking follows platform popularity."""
    rng = np.random.default_rng(3)
    clips = [
        ClipFeatures(id=f"c{i}", creator=f"creator{i}", popularity=float(count))
        for i, count in enumerate(rng.integers(10, 1_000_000, size=30))
    ]
    rec = make(clips)
    by_popularity = [clip.id for clip in sorted(clips, key=lambda clip: -(clip.popularity or 0))]
    assert rec.rank(30) == by_popularity


def test_unknown_popularity_sits_between_popular_and_obscure() -> None:
    """A clip without a count ranks below a popular clip and above an obscure one."""
    clips = [
        ClipFeatures(id="hit", creator="a", popularity=1e6),
        ClipFeatures(id="unknown", creator="b"),
        ClipFeatures(id="flop", creator="c", popularity=3),
        ClipFeatures(id="mid", creator="d", popularity=1e3),
    ]
    ranked = make(clips).rank(4)
    assert ranked.index("hit") < ranked.index("unknown") < ranked.index("flop")


def test_recent_imports_rank_above_old_ones() -> None:
    """Freshness: of two otherwise equal clips, the one imported last week comes first."""
    now = 1.7e9
    clips = [
        ClipFeatures(id="old", creator="a", imported_at=now - 90 * DAY),
        ClipFeatures(id="new", creator="b", imported_at=now - 1 * DAY),
        ClipFeatures(id="newest", creator="c", imported_at=now),
    ]
    assert make(clips).rank(3) == ["newest", "new", "old"]


def test_zeitgeist_lifts_old_clips_sharing_tags_with_recent_imports() -> None:
    """A burst of #ocean imports lifts an old #ocean clip above an equally old #forest clip."""
    now = 1.7e9
    burst = [ClipFeatures(id=f"new{i}", creator=f"n{i}", tags=("ocean",), imported_at=now) for i in range(4)]
    old = [
        ClipFeatures(id="old-ocean", creator="a", tags=("ocean",), imported_at=now - 60 * DAY),
        ClipFeatures(id="old-forest", creator="b", tags=("forest",), imported_at=now - 60 * DAY),
        ClipFeatures(id="older-forest", creator="c", tags=("forest",), imported_at=now - 90 * DAY),
    ]
    ranked = make(burst + old).rank(8)
    assert ranked.index("old-ocean") < ranked.index("old-forest")


def test_priors_fade_as_the_person_is_learned() -> None:
    """The popularity term's weight shrinks as showings accumulate."""
    clips = [*library(per_creator=10), ClipFeatures(id="hit", creator="zed", popularity=1e6)]
    clips += [ClipFeatures(id=f"p{i}", creator="yo", popularity=10.0) for i in range(3)]
    rec = make(clips)

    def popularity_weight() -> float:
        return next(term.weight for term in rec.explain("hit") if "popular" in term.text)

    before = popularity_weight()
    for i in range(10):
        rec.observe(watched(f"ana-{i}", 0.5))
    assert 0 < popularity_weight() < before
