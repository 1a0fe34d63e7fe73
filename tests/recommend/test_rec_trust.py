"""Each kind of evidence counts as far as it has predicted this person: a prior that keeps being right gains weight."""

from __future__ import annotations

from rec_support import make, watched

from tuifeed.recommend import ClipFeatures, Recommender


def charts() -> list[ClipFeatures]:
    """Creator-less, untagged clips `p0`..`p39`, each ten times as popular as the one ten before it."""
    return [ClipFeatures(id=f"p{i}", duration=20.0, popularity=10.0 ** (i / 10)) for i in range(40)]


def popularity_weight(rec: Recommender, clip_id: str = "p39") -> float:
    """The weight of the popularity term behind a clip (0 when it is negligible)."""
    return sum(term.weight for term in rec.explain(clip_id) if "on its platform" in term.text)


def viewer(enjoys_popular: bool) -> Recommender:
    """A recommender after 30 showings by someone whose watch time follows popularity, or goes against it."""
    rec = make(charts())
    for i in range(30):
        share = (i + 1) / 40 if enjoys_popular else 1.0 - i / 40
        rec.observe(watched(f"p{i}", share))
    return rec


def test_a_prior_that_predicts_the_person_gains_weight_and_one_that_does_not_loses_it() -> None:
    """Popularity counts more for a person who enjoys popular clips than at the start, and less for one who does not."""
    start = popularity_weight(make(charts()))
    assert popularity_weight(viewer(enjoys_popular=True)) > start > popularity_weight(viewer(enjoys_popular=False))


def test_trust_never_turns_a_prior_upside_down() -> None:
    """However wrong popularity has been, a popular clip is never scored below an obscure one for being popular."""
    rec = viewer(enjoys_popular=False)
    assert popularity_weight(rec) >= 0.0
