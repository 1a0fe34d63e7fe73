"""Learning that carries across clips: creators, tags, sounds, embeddings, 'not interested'."""

from __future__ import annotations

from collections import Counter

import numpy as np
from rec_support import creator_of, library, make, run_feed, watched

from tuifeed.recommend import ClipFeatures, Feedback


def position(ranked: list[str], clip_id: str) -> int:
    """Where a clip sits in a ranking."""
    return ranked.index(clip_id)


def test_liked_creator_rises() -> None:
    """Liking one clip by a creator lifts that creator's other clips above everyone else's."""
    rec = make(library())
    rec.observe(watched("cy-0", 1.0, liked=True))
    rec.observe(watched("dee-0", 0.3))
    assert creator_of(rec.rank(1)[0]) == "cy"


def test_quick_skips_sink_a_creator() -> None:
    """Skipping a creator within a second puts their clips at the bottom."""
    rec = make(library())
    rec.observe(Feedback(clip_id="ana-0", dwell=0.3, duration=20.0))
    rec.observe(Feedback(clip_id="ana-1", dwell=0.2, duration=20.0))
    ranked = rec.rank(24)
    assert "ana" not in {creator_of(clip_id) for clip_id in ranked[:20]}


def test_tag_affinity_carries_to_other_creators() -> None:
    """Clips of #ocean watched to the end lift an unseen creator's #ocean clip over its other clip."""
    clips = [
        ClipFeatures(id="a", creator="ana", tags=("ocean",), duration=20.0),
        ClipFeatures(id="b", creator="bob", tags=("#Ocean",), duration=20.0),
        ClipFeatures(id="z-ocean", creator="zed", tags=("ocean",), duration=20.0),
        ClipFeatures(id="z-city", creator="zed", tags=("city",), duration=20.0),
    ]
    rec = make(clips)
    rec.observe(watched("a", 1.0))
    rec.observe(watched("b", 1.0))
    ranked = rec.rank(4)
    assert position(ranked, "z-ocean") < position(ranked, "z-city")


def test_sound_affinity_carries_to_other_creators() -> None:
    """Looping clips with a sound lifts another creator's clip with that sound."""
    clips = [
        ClipFeatures(id="a", creator="ana", sound="lofi-3", duration=10.0),
        ClipFeatures(id="z-lofi", creator="zed", sound="lofi-3", duration=10.0),
        ClipFeatures(id="z-other", creator="zed", sound="drill", duration=10.0),
        ClipFeatures(id="n", creator="nia", sound="jazz", duration=10.0),
    ]
    rec = make(clips)
    rec.observe(watched("a", 2.5, duration=10.0))
    rec.shown("n")
    ranked = rec.rank(3)
    assert position(ranked, "z-lofi") < position(ranked, "z-other")


def clustered(seed: int) -> list[ClipFeatures]:
    """Creator-less clips in three tight clusters of a content space: ids like `k1-4`."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 8)) * 3
    return [
        ClipFeatures(id=f"k{k}-{i}", embedding=tuple(centres[k] + rng.normal(size=8) * 0.3), duration=20.0)
        for k in range(3)
        for i in range(8)
    ]


def test_liked_clip_lifts_its_embedding_neighbours() -> None:
    """After a like, the liked clip's neighbours in content space fill the top of the ranking."""
    rec = make(clustered(seed=1))
    rec.observe(watched("k1-0", 1.0, liked=True))
    assert {clip_id.split("-")[0] for clip_id in rec.rank(5)} == {"k1"}


def test_fast_skip_damps_its_embedding_neighbours() -> None:
    """After a fast skip, the skipped clip's neighbours fall to the bottom of the ranking."""
    rec = make(clustered(seed=2))
    rec.observe(Feedback(clip_id="k2-0", dwell=0.3, duration=20.0))
    assert {clip_id.split("-")[0] for clip_id in rec.rank(30)[-7:]} == {"k2"}


def test_not_interested_hides_the_clip_and_demotes_its_features() -> None:
    """'Not interested' removes the clip and sinks its creator, sound and tags."""
    clips = [
        ClipFeatures(id="bad", creator="ana", sound="drill", tags=("prank",)),
        ClipFeatures(id="same-creator", creator="ana"),
        ClipFeatures(id="same-sound", creator="bob", sound="drill"),
        ClipFeatures(id="same-tag", creator="cy", tags=("prank",)),
        ClipFeatures(id="neutral-1", creator="dee"),
        ClipFeatures(id="neutral-2", creator="eve"),
    ]
    rec = make(clips)
    rec.observe(Feedback(clip_id="bad", dwell=6.0, duration=20.0, not_interested=True))
    ranked = rec.rank(10)
    assert "bad" not in ranked
    assert set(ranked[:2]) == {"neutral-1", "neutral-2"}
    assert rec.explain("bad")[0].text == "you marked it not interested"


def test_fast_skipped_creator_vanishes_and_dwelt_on_creator_dominates() -> None:
    """Swiping fast past one creator and dwelling on another makes the latter lead the next ten."""
    rec = make(library(creators=("ana", "bob", "cy", "dee", "eve", "fay"), per_creator=20))

    def react(clip_id: str) -> Feedback:
        ratio = {"ana": 0.02, "bob": 2.0}.get(creator_of(clip_id), 0.3)
        return watched(clip_id, ratio)

    shown: set[str] = set()
    run_feed(rec, 20, react, shown)
    counts = Counter(creator_of(clip_id) for clip_id in run_feed(rec, 10, react, shown))
    assert counts["ana"] == 0
    assert counts.most_common(1)[0][0] == "bob"
    assert counts["bob"] == rec.settings.max_per_creator
