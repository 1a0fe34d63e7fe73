"""Rewards from behaviour: duration debiasing, loops, quick skips, explicit actions."""

from __future__ import annotations

import pytest

from tuifeed.recommend import Feedback
from tuifeed.recommend.reward import LengthBaseline, assess


def reward(dwell: float, duration: float | None, *, baseline: LengthBaseline | None = None, **actions: bool) -> float:
    """The reward value of one showing."""
    feedback = Feedback(clip_id="c", dwell=dwell, duration=duration, **actions)
    return assess(feedback, duration, baseline or LengthBaseline(), quick_skip=1.0).value


def habits(short_ratio: float, long_ratio: float) -> LengthBaseline:
    """A baseline for someone who watches `short_ratio` of 7 s clips and `long_ratio` of 60 s clips."""
    baseline = LengthBaseline()
    for _ in range(40):
        baseline.add(7.0, short_ratio)
        baseline.add(60.0, long_ratio)
    return baseline


def test_long_clip_partly_watched_is_not_worse_than_short_clip_finished() -> None:
    """A 60 s clip watched 20 s scores at least as well as a 7 s clip watched 7 s."""
    assert reward(20.0, 60.0) >= reward(7.0, 7.0)
    learned = habits(short_ratio=1.0, long_ratio=0.15)
    assert reward(20.0, 60.0, baseline=learned) >= reward(7.0, 7.0, baseline=learned)


def test_same_watch_ratio_is_judged_against_the_persons_habits() -> None:
    """A third of a long clip is good for someone who usually leaves early, bad for a finisher."""
    leaver = habits(short_ratio=1.0, long_ratio=0.1)
    finisher = habits(short_ratio=1.0, long_ratio=0.9)
    assert reward(20.0, 60.0, baseline=leaver) > 0 > reward(20.0, 60.0, baseline=finisher)


def test_loops_and_rewatches_count_above_completion() -> None:
    """Looping a clip, or coming back to it, beats watching it once to the end."""
    once = reward(20.0, 20.0)
    assert reward(40.0, 20.0) > once
    assert reward(20.0, 20.0, rewatch=True) > once
    assert reward(20.0, 20.0, skipped_back=True) > once
    assert reward(60.0, 20.0) > reward(30.0, 20.0)


def test_quick_skip_is_a_clear_negative() -> None:
    """Leaving within a second scores below leaving at a few seconds, and at most -1."""
    assert reward(0.4, 30.0) <= -1.0
    assert reward(0.4, 30.0) < reward(3.0, 30.0)


@pytest.mark.parametrize(
    "feedback",
    [
        Feedback(clip_id="c", dwell=8.0, duration=20.0, liked=True),
        Feedback(clip_id="c", dwell=8.0, duration=20.0, saved=True),
        Feedback(clip_id="c", dwell=8.0, duration=20.0, followed=True),
    ],
    ids=["liked", "saved", "followed"],
)
def test_explicit_actions_are_strong_positives(feedback: Feedback) -> None:
    """Liking, saving or following adds at least a whole point over the same watch."""
    assert assess(feedback, 20.0, LengthBaseline(), quick_skip=1.0).value >= reward(8.0, 20.0) + 1.0


def test_not_interested_is_the_strongest_negative() -> None:
    """'Not interested' scores below even a quick skip."""
    assert reward(5.0, 20.0, not_interested=True) < reward(0.3, 20.0)


def test_unknown_duration_still_rewards_longer_stays() -> None:
    """Without a duration, staying longer still earns more."""
    assert reward(12.0, None) > reward(3.0, None) > reward(0.3, None)
