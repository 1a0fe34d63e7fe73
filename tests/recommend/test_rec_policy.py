"""The ranking policy: exploration share, diversity rules, mutes, follows, exclusions."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest
from rec_support import QUIET, creator_of, library, make, watched

from tuifeed.models import MuteKind
from tuifeed.recommend import ClipFeatures, Recommender, RecommenderSettings
from tuifeed.recommend.catalog import Catalog
from tuifeed.recommend.diversity import Strictness, Window

KNOWN = [f"known{i}" for i in range(10)]
NEW = [f"new{i}" for i in range(50)]


def learned_library(share: float, seed: int = 0) -> Recommender:
    """Ten creators the person likes, fifty nobody has shown yet."""
    rec = make(
        library(KNOWN, per_creator=30) + library(NEW, per_creator=4), RecommenderSettings(exploration_share=share), seed
    )
    for creator in KNOWN:
        rec.observe(watched(f"{creator}-0", 1.0, liked=True))
    return rec


def new_creator_picks(rec: Recommender, slots: int = 200) -> int:
    """How many of the next `slots` picks go to creators never shown."""
    return sum(creator_of(clip_id).startswith("new") for clip_id in rec.rank(slots))


def test_exploration_gives_new_creators_a_bounded_share() -> None:
    """With a 10% share, new creators get some slots but not much more than 10%."""
    picks = [new_creator_picks(learned_library(0.1, seed)) for seed in range(5)]
    assert all(picks)
    assert sum(picks) / (5 * 200) <= 0.15


def test_exploration_share_is_the_knob() -> None:
    """No exploration shows no new creator here; a larger share shows more of them."""
    assert new_creator_picks(learned_library(0.0)) == 0
    assert new_creator_picks(learned_library(0.3)) > new_creator_picks(learned_library(0.1))


def test_explored_clip_says_so() -> None:
    """A clip given an exploration slot is explained as exploring a new creator."""
    rec = learned_library(0.5)
    explored = next(clip_id for clip_id in rec.rank(40) if clip_id.startswith("new"))
    assert "exploring a creator you have not seen" in [term.text for term in rec.explain(explored)]


def test_same_seed_same_feed() -> None:
    """Two recommenders with the same seed and history rank identically."""
    assert learned_library(0.2, seed=7).rank(50) == learned_library(0.2, seed=7).rank(50)


def test_no_creator_or_sound_twice_in_a_row_and_caps_per_window() -> None:
    """Even when one creator and one tag are loved, every window of 10 respects the caps."""
    clips = [
        ClipFeatures(id=f"{creator}-{i}", creator=creator, sound=f"s{i % 3}", tags=(creator, f"t{i % 4}"))
        for creator in ("ana", "bob", "cy", "dee", "eve")
        for i in range(30)
    ]
    settings = RecommenderSettings(exploration_share=0.0, max_per_creator=3, max_per_tag=3)
    rec = make(clips, settings)
    rec.observe(watched("ana-0", 2.0, liked=True, saved=True))
    ranked = rec.rank(60)
    features = {clip.id: clip for clip in clips}
    for before, after in pairwise(ranked):
        assert features[before].creator != features[after].creator
        assert features[before].sound != features[after].sound
    for start in range(len(ranked) - 9):
        window = [features[clip_id] for clip_id in ranked[start : start + 10]]
        assert max(Counter(clip.creator for clip in window).values()) <= 3
        assert max(Counter(tag for clip in window for tag in clip.tags).values()) <= 3


def test_an_impossible_tag_cap_relaxes_before_the_creator_cap() -> None:
    """When every clip shares a tag, the tag cap gives way but the creator cap still holds."""
    clips = [
        ClipFeatures(id=f"{creator}-{i}", creator=creator, tags=("cats",))
        for creator in ("ana", "bob", "cy", "dee")
        for i in range(20)
    ]
    rec = make(clips)
    rec.observe(watched("ana-0", 2.0, liked=True))
    ranked = rec.rank(40)
    assert len(ranked) == 40
    for start in range(len(ranked) - 9):
        assert max(Counter(creator_of(clip_id) for clip_id in ranked[start : start + 10]).values()) <= 3


def test_diversity_counts_what_was_already_shown() -> None:
    """After three clips by one creator were shown, the next pick is someone else's."""
    rec = make(library(per_creator=10))
    rec.observe(watched("ana-0", 1.0, liked=True))
    rec.observe(watched("bob-0", 0.5))
    rec.observe(watched("ana-1", 1.0, liked=True))
    rec.observe(watched("bob-1", 0.5))
    rec.observe(watched("ana-2", 1.0, liked=True))
    rec.observe(watched("cy-0", 0.5))
    assert creator_of(rec.next() or "") != "ana"


def test_rules_relax_when_one_creator_is_all_there_is() -> None:
    """A library of one creator still plays through."""
    rec = make(library(["solo"], per_creator=5))
    assert len(rec.rank(10)) == 5


def test_recently_shown_clips_are_not_offered_again() -> None:
    """A clip on screen (`shown`) or just watched is not ranked again within the window."""
    rec = make(library(per_creator=3))
    rec.shown("ana-0")
    rec.observe(watched("bob-1", 1.0, liked=True))
    assert {"ana-0", "bob-1"}.isdisjoint(rec.rank(20))


@pytest.mark.parametrize(
    ("kind", "value", "hidden"),
    [("creator", "ana", "ana-0"), ("sound", "lofi", "bob-0"), ("tag", "#Cats", "cy-0")],
)
def test_mutes_filter_and_unmute_restores(kind: str, value: str, hidden: str) -> None:
    """A muted creator, sound or tag never appears; unmuting brings it back."""
    clips = [
        ClipFeatures(id="ana-0", creator="ana"),
        ClipFeatures(id="bob-0", creator="bob", sound="lofi"),
        ClipFeatures(id="cy-0", creator="cy", tags=("cats",)),
        ClipFeatures(id="dee-0", creator="dee"),
    ]
    rec = make(clips)
    rec.mute(MuteKind(kind), value)
    assert hidden not in rec.rank(10)
    assert rec.explain(hidden)[0].text.startswith("you muted")
    rec.unmute(MuteKind(kind), value)
    assert hidden in rec.rank(10)


def test_mute_rejects_unknown_kinds() -> None:
    """Only creators, tags and sounds can be muted."""
    with pytest.raises(ValueError, match="not a valid MuteKind"):
        make([]).mute("title", "x")  # type: ignore[arg-type]


def test_follow_boosts_and_unfollow_undoes() -> None:
    """A followed creator's clip leads the feed, even over a liked creator; unfollow undoes it."""
    rec = make(library(per_creator=4))
    rec.observe(watched("ana-0", 1.0, liked=True))
    rec.shown("eve-0")
    rec.follow("dee")
    assert creator_of(rec.rank(1)[0]) == "dee"
    assert "you follow dee" in [term.text for term in rec.explain("dee-1")]
    rec.unfollow("dee")
    assert creator_of(rec.rank(1)[0]) == "ana"


def test_next_returns_none_when_nothing_is_left() -> None:
    """Excluding, muting or emptying the library leaves nothing to show."""
    assert make([]).next() is None
    rec = make(library(["ana", "bob"], per_creator=2))
    assert rec.next(exclude=["ana-0", "ana-1", "bob-0", "bob-1"]) is None
    rec.mute(MuteKind.CREATOR, "ana")
    rec.mute(MuteKind.CREATOR, "bob")
    assert rec.next() is None


def test_exclude_ignores_unknown_ids() -> None:
    """Excluding ids the recommender never saw is harmless."""
    rec = make(library(["ana"], per_creator=2), QUIET)
    assert sorted(rec.rank(5, exclude=["nope"])) == ["ana-0", "ana-1"]


def test_fast_and_vectorised_diversity_checks_agree() -> None:
    """The per-clip check and the whole-library mask allow exactly the same clips."""
    clips = [
        ClipFeatures(id=f"{creator}-{i}", creator=creator, sound=f"s{i % 2}", tags=(f"t{i % 3}",))
        for creator in ("ana", "bob", "cy")
        for i in range(6)
    ]
    catalog = Catalog()
    catalog.add(clips)
    recent = [catalog.rows[clip_id] for clip_id in ("ana-0", "bob-1", "ana-2", "cy-0", "bob-3")]
    settings = RecommenderSettings(max_per_creator=2, max_per_tag=2)
    window = Window(recent, catalog.arrays(), catalog.row_tags, settings)
    for strictness in Strictness:
        mask = window.allowed(strictness)
        assert [window.allows(row, strictness) for row in range(len(clips))] == mask.tolist()
    assert sum(window.allowed(Strictness.ALL)) < sum(window.allowed(Strictness.ANY))


def test_mutes_and_follows_apply_to_clips_added_later() -> None:
    """Muting or following before a creator's clips are imported still applies to them."""
    rec = make(library(["ana", "bob"], per_creator=2))
    rec.mute(MuteKind.CREATOR, "zed")
    rec.follow("yan")
    rec.add_clips(library(["zed", "yan"], per_creator=2))
    ranked = rec.rank(10)
    assert creator_of(ranked[0]) == "yan"
    assert not any(creator_of(clip_id) == "zed" for clip_id in ranked)
