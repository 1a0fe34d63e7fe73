"""'Why this clip?': explanations name the real terms, in words: why it was chosen first, then what counts against."""

from __future__ import annotations

import pytest
from rec_support import make, watched

from tuifeed.recommend import ClipFeatures, Feedback, Recommender


def ocean_library() -> list[ClipFeatures]:
    """Four #ocean clips by different creators, a skippable creator, and clips to explain."""
    clips = [ClipFeatures(id=f"o{i}", creator=f"c{i}", tags=("ocean",), duration=20.0) for i in range(4)]
    clips += [ClipFeatures(id=f"bob{i}", creator="bob", duration=20.0) for i in range(3)]
    clips += [
        ClipFeatures(id="target", creator="new", tags=("ocean",), duration=20.0),
        ClipFeatures(id="hit", creator="pop", popularity=1e6),
        ClipFeatures(id="flop", creator="flop", popularity=5),
    ]
    return clips


def texts(rec: Recommender, clip_id: str) -> dict[str, float]:
    """Explanation sentences with their weights."""
    return {term.text: term.weight for term in rec.explain(clip_id)}


def test_names_the_tag_and_how_often_it_was_watched_to_the_end() -> None:
    """Four #ocean clips watched to the end read as such, with a positive weight."""
    rec = make(ocean_library())
    for i in range(4):
        rec.observe(watched(f"o{i}", 1.0))
    assert texts(rec, "target")["you watched 4 #ocean clips to the end"] > 0


def test_names_quick_skips_of_a_creator_as_a_negative() -> None:
    """Two fast skips of bob explain bob's next clip with a negative term."""
    rec = make(ocean_library())
    rec.observe(Feedback(clip_id="bob0", dwell=0.3, duration=20.0))
    rec.observe(Feedback(clip_id="bob1", dwell=0.4, duration=20.0))
    assert texts(rec, "bob2")["you skipped 2 clips by bob within a second"] < 0


def test_likes_are_cited_before_completions() -> None:
    """A liked creator is explained by the likes."""
    rec = make(ocean_library())
    rec.observe(watched("bob0", 1.0, liked=True))
    assert texts(rec, "bob1")["you liked 1 clip by bob"] > 0


def test_popularity_is_explained_both_ways() -> None:
    """A popular clip says so; an obscure one says it is little known."""
    rec = make(ocean_library())
    assert texts(rec, "hit")["popular on its platform"] > 0
    assert texts(rec, "flop")["little known on its platform"] < 0


def test_reasons_for_lead_then_reasons_against_each_largest_first() -> None:
    """Positive terms come first, largest first, then negative ones by magnitude; none is near zero."""
    rec = make(ocean_library())
    for i in range(4):
        rec.observe(watched(f"o{i}", 1.0, liked=i == 0))
    rec.observe(Feedback(clip_id="bob0", dwell=0.3, duration=20.0))
    for clip_id in ("target", "bob1", "hit", "flop", "o1"):
        weights = [term.weight for term in rec.explain(clip_id)]
        positive = [weight for weight in weights if weight > 0]
        negative = [weight for weight in weights if weight < 0]
        assert weights == sorted(positive, reverse=True) + sorted(negative)
        assert all(abs(weight) >= 0.01 for weight in weights)


def test_a_clip_with_a_small_reason_for_and_a_large_one_against_leads_with_the_reason_for() -> None:
    """The popular clip by a skipped creator opens with its popularity, however large the skips weigh."""
    clips = [ClipFeatures(id=f"bob{i}", creator="bob", duration=20.0, popularity=1e3 * (i + 1)) for i in range(4)]
    clips += [ClipFeatures(id=f"x{i}", creator=f"x{i}", duration=20.0, popularity=10.0) for i in range(4)]
    rec = make(clips)
    for i in range(3):
        rec.observe(Feedback(clip_id=f"bob{i}", dwell=0.3, duration=20.0))
    terms = rec.explain("bob3")
    assert terms[0].text == "popular on its platform"
    assert terms[0].weight > 0 > terms[-1].weight
    assert abs(terms[-1].weight) > terms[0].weight


def test_similarity_names_its_neighbours() -> None:
    """A clip near a liked clip counts its liked neighbours; a clip opposite it is a negative."""
    clips = [
        ClipFeatures(id="liked", embedding=(1.0, 0.1, 0.0)),
        ClipFeatures(id="twin", embedding=(1.0, 0.0, 0.1)),
        ClipFeatures(id="far", embedding=(-1.0, 0.0, 0.0)),
    ]
    rec = make(clips)
    rec.observe(Feedback(clip_id="liked", dwell=10.0, duration=10.0, liked=True))
    assert texts(rec, "twin")["looks like 1 clip you enjoyed"] > 0
    assert texts(rec, "far")["unlike clips you enjoyed"] < 0


def test_str_of_a_term_is_its_sentence() -> None:
    """`str(term)` gives the sentence the app shows."""
    rec = make(ocean_library())
    rec.observe(watched("bob0", 1.0, liked=True))
    assert [str(term) for term in rec.explain("bob1")] == [term.text for term in rec.explain("bob1")]


def test_unknown_clip_raises_key_error() -> None:
    """Explaining an id the recommender never saw is an error."""
    with pytest.raises(KeyError):
        make(ocean_library()).explain("nope")
