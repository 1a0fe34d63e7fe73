"""FeedSession with the fake player, a real SQLite store and a fake clock: queue, dwell, records."""

from __future__ import annotations

import itertools

import pytest
from ranker_stub import InOrder

from tuifeed.feed import FeedSession, stored_feedback
from tuifeed.models import Clip, ImpressionExit, MuteKind
from tuifeed.player.fake import FakePlayer
from tuifeed.recommend import ClipFeatures, Recommender
from tuifeed.store import Store


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


CLIPS = [Clip(id=f"c{i}", location=f"/clips/c{i}.mp4", creator=f"cr{i}", duration_ms=10_000) for i in range(4)]


@pytest.fixture
def session(store: Store) -> FeedSession:
    store.upsert_clips(CLIPS)
    return FeedSession(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())


def advance(session: FeedSession, seconds: float) -> None:
    clock = session.clock
    assert isinstance(clock, Clock)
    clock.now += seconds


def test_next_and_previous_walk_history(session: FeedSession) -> None:
    """Next takes the ranker's pick, previous goes back, next again replays history."""
    assert session.start() == CLIPS[0]
    assert session.next() == CLIPS[1]
    assert session.next() == CLIPS[2]
    assert session.previous() == CLIPS[1]
    assert session.next() == CLIPS[2]
    assert session.history == ["c0", "c1", "c2"]
    assert session.position == (3, 4)


def test_previous_on_first_clip_stays(session: FeedSession, store: Store) -> None:
    """Swiping back on the first clip does nothing and records nothing."""
    session.start()
    assert session.previous() == CLIPS[0]
    assert store.impressions() == []


def test_dwell_counts_only_unpaused_time(session: FeedSession, store: Store) -> None:
    """Paused time is not dwell; the impression records exit, dwell and watch ratio."""
    session.start()
    advance(session, 3)
    session.set_paused(True)
    advance(session, 50)
    session.set_paused(False)
    advance(session, 2)
    session.next()
    [impression] = store.impressions()
    assert impression.dwell_ms == 5000
    assert impression.exit is ImpressionExit.NEXT
    assert impression.watch_ratio == 0.5


def test_loop_counts_and_replays(session: FeedSession, store: Store) -> None:
    """Without auto-advance a clip that ends loops, and the loop is counted."""
    session.start()
    player = session.player
    assert isinstance(player, FakePlayer)
    advance(session, 10)
    session.clip_ended(player.token)
    advance(session, 10)
    session.clip_ended(player.token)
    advance(session, 5)
    session.quit()
    [impression] = store.impressions()
    assert (impression.loops, impression.dwell_ms, impression.exit) == (2, 25_000, ImpressionExit.QUIT)
    assert impression.watch_ratio == 2.5


def test_auto_advance_moves_on_at_the_end(session: FeedSession, store: Store) -> None:
    """With auto-advance the end of a clip starts the next, recorded as 'ended'."""
    session.auto_advance = True
    session.start()
    player = session.player
    assert isinstance(player, FakePlayer)
    session.clip_ended(player.token)
    assert session.current == CLIPS[1]
    assert store.impressions()[0].exit is ImpressionExit.ENDED


def test_stale_player_events_are_ignored(session: FeedSession) -> None:
    """An end or error from a clip already swiped away changes nothing."""
    session.start()
    player = session.player
    assert isinstance(player, FakePlayer)
    old_token = player.token
    session.next()
    assert session.clip_ended(old_token) == CLIPS[1]
    assert session.clip_failed(old_token) == CLIPS[1]


def test_failed_clip_is_recorded_and_skipped(session: FeedSession, store: Store) -> None:
    """A clip that cannot play is recorded with exit 'error' and the feed moves on without it."""
    session.start()
    session.next()
    player = session.player
    assert isinstance(player, FakePlayer)
    assert session.clip_failed(player.token) == CLIPS[2]
    assert session.history == ["c0", "c2"]
    assert [i.exit for i in store.impressions()] == [ImpressionExit.NEXT, ImpressionExit.ERROR]
    assert "c1" not in session.clips


def test_likes_toggle_and_reach_the_ranker(session: FeedSession, store: Store) -> None:
    """A like is stored at once and the impression's feedback says liked."""
    session.start()
    assert session.toggle_like() is True
    assert store.liked_ids() == {"c0"}
    session.next()
    ranker = session.ranker
    assert isinstance(ranker, InOrder)
    assert ranker.observed[0].liked is True
    assert ranker.shown_ids[:2] == ["c0", "c1"]


def test_came_back_is_reported(session: FeedSession) -> None:
    """Feedback for a clip reached by swiping back says skipped_back."""
    session.start()
    session.next()
    session.previous()
    session.next()
    ranker = session.ranker
    assert isinstance(ranker, InOrder)
    assert [f.skipped_back for f in ranker.observed] == [False, False, True]


def test_next_clip_is_prerolled(session: FeedSession) -> None:
    """The clip that comes next is pre-rolled while the current one plays."""
    session.start()
    player = session.player
    assert isinstance(player, FakePlayer)
    assert player.prerolled == "/clips/c1.mp4"
    session.next()
    assert player.played[-1] == "/clips/c1.mp4"
    assert player.prerolled == "/clips/c2.mp4"


def test_feed_never_runs_dry(session: FeedSession) -> None:
    """After every clip was shown a new round starts, without repeating the clip on screen."""
    session.start()
    seen = [session.next() for _ in range(6)]
    assert all(clip is not None for clip in seen)
    assert all(a != b for a, b in itertools.pairwise(seen))


def test_checkpoint_saves_dwell_of_the_open_impression(session: FeedSession, store: Store) -> None:
    """tick() saves the dwell so far, which recovery uses after a kill."""
    session.start()
    advance(session, 4)
    session.tick()
    assert store.recover_open_impressions() == 1
    [impression] = store.impressions()
    assert impression.dwell_ms == 4000
    assert impression.exit is ImpressionExit.KILLED


def test_stored_feedback_rebuilds_the_recommender(session: FeedSession, store: Store) -> None:
    """Impressions and likes in the store replay into the same feedback the live session gave."""
    session.start()
    advance(session, 9)
    session.toggle_like()
    session.next()
    advance(session, 0.4)
    session.next()
    [first, second] = stored_feedback(store)
    assert (first.clip_id, first.dwell, first.liked) == ("c0", 9.0, True)
    assert (second.clip_id, second.dwell, second.liked) == ("c1", 0.4, False)


def test_with_the_real_recommender_a_dwelt_on_creator_dominates(store: Store) -> None:
    """Skipping one creator fast and dwelling on another makes the second fill the next clips."""
    clips = [
        Clip(id=f"{creator}{i}", location=f"/c/{creator}{i}.mp4", creator=creator, duration_ms=10_000, tags=(creator,))
        for creator in ("skip", "stay", *(f"other{n}" for n in range(6)))
        for i in range(8)
    ]
    store.upsert_clips(clips)
    recommender = Recommender(seed=3)
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    session = FeedSession(store, FakePlayer(), recommender, clips, clock=Clock())
    clip = session.start()
    for _ in range(12):
        assert clip is not None
        advance(session, 9.5 if clip.creator == "stay" else 0.3)
        clip = session.next()
    upcoming = [session.next() for _ in range(10)]
    creators = [c.creator for c in upcoming if c is not None]
    others = [creators.count(creator) for creator in set(creators) - {"stay"}]
    assert creators.count("stay") > max(others)
    assert creators.count("skip") <= 1


def test_restore_applies_mutes_follows_and_the_last_reset(store: Store) -> None:
    """At start-up the recommender gets the stored mutes and follows, and forgets what came before a reset."""
    from tuifeed.feed import restore_recommender

    store.upsert_clips(CLIPS)
    session = FeedSession(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    session.start()
    advance(session, 9)
    session.mute(MuteKind.CREATOR, "cr1")
    session.refresh_for_you()
    session.quit()

    calls: list[tuple[str, object]] = []

    class Spy(Recommender):
        def mute(self, kind: MuteKind, value: str) -> None:
            calls.append(("mute", (kind, value)))
            super().mute(kind, value)

        def rebuild(self, feedbacks, *, reset_at=None):  # type: ignore[no-untyped-def]
            feedbacks = list(feedbacks)
            calls.append(("rebuild", (len(feedbacks), reset_at)))
            super().rebuild(feedbacks, reset_at=reset_at)

    spy = Spy(seed=0)
    spy.add_clips(ClipFeatures.from_clip(clip) for clip in CLIPS)
    restore_recommender(store, spy)
    assert calls == [("mute", ("creator", "cr1")), ("rebuild", (1, 1))]
    assert all(spy.next(exclude={"c0"}) != "c1" for _ in range(5))


def test_small_library_with_the_real_recommender_never_runs_dry(store: Store) -> None:
    """Three clips, fewer than the no-repeat window: the feed keeps going, never the same clip twice in a row."""
    clips = CLIPS[:3]
    store.upsert_clips(clips)
    recommender = Recommender(seed=1)
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    session = FeedSession(store, FakePlayer(), recommender, clips, clock=Clock())
    shown = [session.start()] + [session.next() for _ in range(9)]
    assert None not in shown
    assert all(a != b for a, b in itertools.pairwise(shown))
    assert {clip.id for clip in shown if clip} == {"c0", "c1", "c2"}


def test_muted_and_hidden_clips_stay_out_of_later_sessions(store: Store) -> None:
    """Mutes and not-interested recorded in one session keep those clips out of the next."""
    store.upsert_clips(CLIPS)
    first = FeedSession(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    first.start()
    assert first.not_interested() == CLIPS[1]
    first.mute(MuteKind.CREATOR, "cr2")
    assert "c2" not in first.clips
    first.quit()
    second = FeedSession(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    assert sorted(second.clips) == ["c1", "c3"]


def test_dwell_counts_from_the_first_picture(session: FeedSession, store: Store) -> None:
    """Time spent waiting for a clip's first frame is not dwell; a second notice changes nothing."""
    session.start()
    advance(session, 0.8)
    session.picture_shown()
    advance(session, 2)
    session.picture_shown()
    session.next()
    assert store.impressions()[0].dwell_ms == 2000
