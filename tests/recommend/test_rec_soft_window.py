"""The no-repeat window is soft: when every allowed clip was shown lately, the best of them comes back.

The feed relies on this to replay a library smaller than a session, ranked, under mutes and diversity rules.
"""

from __future__ import annotations

from tuifeed.models import MuteKind
from tuifeed.recommend import ClipFeatures, Feedback, Recommender, RecommenderSettings

QUIET = RecommenderSettings(exploration_share=0.0)


def shown(creators: dict[str, str], dwell: dict[str, float]) -> Recommender:
    """A recommender over clips id -> creator that has just shown each clip, staying `dwell` seconds of 10."""
    recommender = Recommender(seed=0, settings=QUIET)
    recommender.add_clips(
        ClipFeatures(id=clip_id, creator=creator, duration=10.0) for clip_id, creator in creators.items()
    )
    for clip_id in creators:
        recommender.observe(Feedback(clip_id=clip_id, dwell=dwell.get(clip_id, 0.3), duration=10.0))
    return recommender


def test_when_every_clip_is_recent_the_best_one_comes_back() -> None:
    """Four clips, all in the window: the one the person stayed on is picked, not nothing."""
    recommender = shown({"c0": "a", "c1": "b", "c2": "c", "c3": "d"}, {"c1": 9.5})
    assert recommender.next(exclude={"c3"}) == "c1"
    assert recommender.rank(3, exclude={"c3"})[0] == "c1"


def test_a_clip_outside_the_window_still_goes_first() -> None:
    """Softness applies only when nothing else is left: a clip not shown lately beats a recent favourite."""
    recommender = shown({"c0": "a", "c1": "b", "c2": "c"}, {"c1": 9.5})
    recommender.add_clips([ClipFeatures(id="fresh", creator="e", duration=10.0)])
    assert recommender.next() == "fresh"


def test_mutes_hold_when_everything_is_recent() -> None:
    """A muted creator's clip never comes back, however well it did."""
    recommender = shown({"c0": "a", "c1": "b", "c2": "c", "c3": "d"}, {"c1": 9.5})
    recommender.mute(MuteKind.CREATOR, "b")
    picks = {recommender.next(exclude={"c3"}) for _ in range(5)}
    assert picks <= {"c0", "c2"} and picks


def test_diversity_rules_hold_when_everything_is_recent() -> None:
    """The clip on screen's creator does not come straight back while another creator is allowed."""
    recommender = shown({"a0": "a", "b0": "b", "a1": "a"}, {"a0": 9.5})
    assert recommender.next(exclude={"a1"}) == "b0"
