"""Derived state: reset, rebuild from stored showings, library changes, missing features."""

from __future__ import annotations

import pytest
from rec_support import creator_of, library, make, run_feed, watched

from tuifeed.models import Clip, Impression, ImpressionExit, MuteKind
from tuifeed.recommend import ClipFeatures, Feedback, Recommender, RecommenderSettings


def habits(clip_id: str) -> Feedback:
    """Someone who loves bob, skips ana, and dislikes one of cy's clips."""
    if clip_id == "cy-1":
        return watched(clip_id, 0.2, not_interested=True)
    ratio = {"ana": 0.01, "bob": 1.6}.get(creator_of(clip_id), 0.4)
    return watched(clip_id, ratio, liked=creator_of(clip_id) == "bob")


def snapshot(rec: Recommender, ids: list[str]) -> tuple[list[str], list[list[tuple[str, float]]]]:
    """A ranking and every explanation, for comparing two recommenders."""
    explained = [[(term.text, round(term.weight, 9)) for term in rec.explain(clip_id)] for clip_id in ids]
    return rec.rank(30), explained


def test_rebuild_equals_the_live_session() -> None:
    """Replaying the stored showings gives the same ranking and explanations as learning live."""
    clips = library(per_creator=8)
    live = make(clips)
    feedbacks = [habits(clip_id) for clip_id in run_feed(live, 25, habits, set())]
    rebuilt = make(clips)
    rebuilt.observe(watched("eve-0", 1.0, liked=True))
    rebuilt.rebuild(feedbacks)
    ids = [clip.id for clip in clips]
    assert snapshot(rebuilt, ids) == snapshot(live, ids)


def test_rebuild_replays_a_refresh_at_its_place() -> None:
    """`reset_at` marks where "Refresh For You" happened; the result matches the live session."""
    clips = library(per_creator=8)
    live = make(clips)
    shown: set[str] = set()
    before = [habits(clip_id) for clip_id in run_feed(live, 12, habits, shown)]
    live.reset()
    after = [habits(clip_id) for clip_id in run_feed(live, 6, habits, shown)]
    rebuilt = make(clips)
    rebuilt.rebuild(before + after, reset_at=len(before))
    ids = [clip.id for clip in clips]
    assert snapshot(rebuilt, ids) == snapshot(live, ids)


def test_reset_forgets_learning_but_keeps_mutes_follows_and_hidden_clips() -> None:
    """Refresh For You: learned terms vanish; mutes, follows and 'not interested' stay."""
    rec = make(library(per_creator=4))
    rec.observe(watched("bob-0", 1.0, liked=True))
    rec.observe(watched("cy-0", 0.3, not_interested=True))
    rec.mute(MuteKind.CREATOR, "dee")
    rec.follow("eve")
    rec.reset()
    fresh = make(library(per_creator=4))
    assert [term.text for term in rec.explain("bob-1")] == [term.text for term in fresh.explain("bob-1")]
    ranked = rec.rank(20)
    assert creator_of(ranked[0]) == "eve"
    assert "cy-0" not in ranked
    assert not any(creator_of(clip_id) == "dee" for clip_id in ranked)


def test_removed_clips_leave_the_feed_and_can_come_back() -> None:
    """Removing a clip drops it from `len` and the ranking; adding it again restores it."""
    clips = library(["ana", "bob"], per_creator=2)
    rec = make(clips)
    assert len(rec) == 4
    rec.remove_clips(["ana-0", "unknown"])
    assert len(rec) == 3
    assert "ana-0" not in rec.rank(10)
    assert rec.explain("ana-0")[0].text == "no longer in the library"
    rec.add_clips(clips[:1])
    assert len(rec) == 4
    assert "ana-0" in rec.rank(10)


def test_added_clip_updates_features_in_place() -> None:
    """Adding a known id again replaces its features (here, its creator)."""
    rec = make([ClipFeatures(id="x", creator="ana"), ClipFeatures(id="y", creator="bob")])
    rec.mute(MuteKind.CREATOR, "ana")
    assert rec.rank(5) == ["y"]
    rec.add_clips([ClipFeatures(id="x", creator="cy")])
    assert sorted(rec.rank(5)) == ["x", "y"]


def test_bare_folder_of_files_still_gets_a_feed() -> None:
    """Clips with nothing but an id can be ranked, watched, learned from and explained."""
    rec = make([ClipFeatures(id=f"file{i}") for i in range(12)], RecommenderSettings())
    shown: set[str] = set()
    order = run_feed(rec, 12, lambda clip_id: Feedback(clip_id=clip_id, dwell=3.0), shown)
    assert sorted(order) == sorted(f"file{i}" for i in range(12))
    assert rec.next(exclude=shown) is None
    assert isinstance(rec.explain("file0"), list)


def test_odd_features_are_tolerated() -> None:
    """Embeddings of another length, NaNs, zero durations and feedback on unknown clips are ignored."""
    clips = [
        ClipFeatures(id="a", embedding=(1.0, 0.0, 0.0)),
        ClipFeatures(id="b", embedding=(1.0, 0.0)),
        ClipFeatures(id="c", embedding=(float("nan"), 0.0, 1.0), duration=0.0),
        ClipFeatures(id="d", tags=("", "#"), sound="", creator=""),
    ]
    rec = make(clips)
    rec.observe(Feedback(clip_id="b", dwell=4.0))
    rec.observe(Feedback(clip_id="ghost", dwell=4.0, duration=10.0))
    assert sorted(rec.rank(10)) == ["a", "c", "d"]


def test_features_from_a_stored_clip() -> None:
    """`ClipFeatures.from_clip` converts milliseconds and ISO times."""
    clip = Clip(
        id="x", location="/x.mp4", creator="ana", tags=("cats",), duration_ms=14_200,
        popularity=1530, imported_at="2026-01-01T00:00:00+00:00", embedding=(0.5, 0.5),
    )  # fmt: skip
    features = ClipFeatures.from_clip(clip)
    assert (features.duration, features.popularity, features.imported_at) == (14.2, 1530, 1767225600.0)
    assert features.tags == ("cats",)


def test_feedback_from_a_stored_impression() -> None:
    """`Feedback.from_impression` converts milliseconds and carries the recorded actions."""
    impression = Impression(
        clip_id="x", started_at="", ended_at="", dwell_ms=9_100, duration_ms=14_200, loops=0,
        exit=ImpressionExit.NEXT,
    )  # fmt: skip
    feedback = Feedback.from_impression(impression, liked=True)
    assert (feedback.dwell, feedback.duration, feedback.liked) == (9.1, 14.2, True)


@pytest.mark.parametrize(
    "bad",
    [
        {"exploration_share": 1.5},
        {"diversity_window": 0},
        {"max_per_creator": 0},
        {"popularity_weight": -1.0},
        {"prior_fade": 0.0},
    ],
)
def test_settings_reject_nonsense(bad: dict[str, float]) -> None:
    """Out-of-range knobs raise ValueError with the field's name."""
    with pytest.raises(ValueError, match=next(iter(bad))):
        RecommenderSettings(**bad)  # type: ignore[arg-type]
