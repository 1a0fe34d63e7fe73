"""FeedSession with the fake player, a real SQLite store and a fake clock: queue, dwell, records."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import replace

import pytest
from ranker_stub import InOrder

from tuifeed.feed import Feeds, FeedSession, Filters, feedback, restore_recommender
from tuifeed.feed.status import CAME_BACK, LINED_UP, REPLAYING, explain
from tuifeed.models import Clip, ImpressionExit, MuteKind
from tuifeed.player.fake import FakePlayer
from tuifeed.recommend import ClipFeatures, Feedback, Recommender, Term
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
    assert session.queue.history == ["c0", "c1", "c2"]
    status = session.status()
    assert (status.seen, status.total, status.round, status.back) == (3, 4, 1, 0)


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
    session.playback.auto_advance = True
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
    assert [i.exit for i in store.impressions()] == [ImpressionExit.NEXT, ImpressionExit.ERROR]
    assert "c1" not in session.clips
    assert session.previous() == CLIPS[0]  # going back walks past the clip that failed
    ranker = session.ranker
    assert isinstance(ranker, InOrder)
    assert [f.clip_id for f in ranker.observed] == ["c0", "c2"]  # a failure teaches nothing


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


def test_warm_prerolls_the_clip_start_shows_at_the_given_size(session: FeedSession) -> None:
    """Before any view exists, warm pre-rolls the first clip with the CLI's sizer; start then plays that clip."""
    player = session.player
    assert isinstance(player, FakePlayer)
    session.warm(lambda width, height: (40, 20))
    assert player.prerolled == "/clips/c0.mp4"
    assert player.sizer(16, 9) == (40, 20)
    assert session.current is None and not player.played
    assert session.start() == CLIPS[0]
    assert player.played == ["/clips/c0.mp4"]


def test_warm_hands_the_first_frame_to_the_first_look_with_the_clips_size(store: Store) -> None:
    """The first look hears the pre-rolled clip's first frame, at the CLI's size, with the clip's own size."""
    clips = [replace(clip, width=1280, height=720) for clip in CLIPS]
    store.upsert_clips(clips)
    session = FeedSession(store, FakePlayer(), InOrder(clips), clips, clock=Clock())
    seen: list[tuple[tuple[int, ...], tuple[int, int] | None]] = []
    session.warm(lambda width, height: (40, 20), lambda frame, size: seen.append((frame.shape, size)))
    assert seen == [((20, 40, 4), (1280, 720))]


class OpenAtSwitch(FakePlayer):
    """A fake player that notes, at each switch, which stays the store still holds open."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.open_at_play: list[list[str]] = []

    def play(self, location: str, aspect: tuple[int, int] | None = None) -> int:
        rows = self.store.rows("SELECT clip_id FROM impressions WHERE ended_at IS NULL ORDER BY id")
        self.open_at_play.append([row["clip_id"] for row in rows])
        return super().play(location, aspect)


def test_a_swipe_switches_the_player_before_writing_the_stay_it_ends(store: Store) -> None:
    """Next and previous put the new clip on screen first; the stay they end is closed right after."""
    store.upsert_clips(CLIPS)
    player = OpenAtSwitch(store)
    session = FeedSession(store, player, InOrder(CLIPS), CLIPS, clock=Clock())
    session.start()
    advance(session, 2.0)
    session.next()
    advance(session, 1.0)
    session.previous()
    assert player.open_at_play == [[], ["c0"], ["c1"]]
    closed = store.impressions()
    assert [(i.clip_id, i.exit, i.dwell_ms) for i in closed] == [
        ("c0", ImpressionExit.NEXT, 2000),
        ("c1", ImpressionExit.PREVIOUS, 1000),
    ]


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
    assert store.recover_open_impressions() == 0, "the running session's own stay is left open"
    restarted = Store(store.path)  # the next start, after this run was killed
    assert restarted.recover_open_impressions() == 1
    [impression] = restarted.impressions()
    assert impression.dwell_ms == 4000
    assert impression.exit is ImpressionExit.KILLED
    restarted.close()


def test_stored_stays_give_the_feedback_the_live_session_gave(session: FeedSession, store: Store) -> None:
    """Impressions in the store, with what was done during them, are the feedback the ranker saw live."""
    session.start()
    advance(session, 9)
    session.toggle_like()
    session.next()
    advance(session, 0.4)
    session.toggle_like()
    session.toggle_like()  # liked, then unliked during the same stay: not a like
    session.next()
    [first, second] = [feedback(impression) for impression in store.impressions()]
    assert (first.clip_id, first.dwell, first.liked) == ("c0", 9.0, True)
    assert (second.clip_id, second.dwell, second.liked) == ("c1", 0.4, False)
    ranker = session.ranker
    assert isinstance(ranker, InOrder)
    assert ranker.observed == [first, second]


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
    store.upsert_clips(CLIPS)
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    session = feeds.for_you
    session.start()
    advance(session, 9)
    session.mute(MuteKind.CREATOR, "cr1")
    feeds.refresh_for_you()
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
    # The reset came while c0 was on screen, so the live ranker learned c0's stay after it: so does the rebuild.
    assert calls == [("mute", ("creator", "cr1")), ("rebuild", (1, 0))]
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


def library(creators: tuple[str, ...], per_creator: int) -> list[Clip]:
    """Clips by several creators, each tagged with its creator and its number, one in three tagged "shared"."""
    return [
        Clip(
            id=f"{creator}{i}",
            location=f"/c/{creator}{i}.mp4",
            creator=creator,
            tags=(creator, f"n{i}", *(("Shared",) if i % 3 == 0 else ())),
            duration_ms=10_000,
        )
        for creator in creators
        for i in range(per_creator)
    ]


def real_session(store: Store, clips: list[Clip], recommender: Recommender | None = None) -> FeedSession:
    store.upsert_clips(clips)
    recommender = Recommender(seed=5) if recommender is None else recommender  # an empty one is falsy
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    return FeedSession(store, FakePlayer(), recommender, clips, clock=Clock())


def test_replays_are_ranked_under_mutes_and_never_repeat_a_creator(store: Store) -> None:
    """A library smaller than the session: 40 swipes replay it in rounds, no muted clip, no creator twice running."""
    session = real_session(store, library(("ana", "bo", "cy", "di"), 3))
    session.start()
    session.mute(MuteKind.CREATOR, "ana")
    session.mute(MuteKind.TAG, "#shared")  # another spelling of the tag "Shared"
    shown = []
    for step in range(40):
        advance(session, 1.0 + step % 4)
        shown.append(session.next())
    assert None not in shown
    clips = [clip for clip in shown if clip is not None]
    assert not [clip.id for clip in clips if clip.creator == "ana" or clip.has(MuteKind.TAG, "shared")]
    assert all(a.creator != b.creator for a, b in itertools.pairwise(clips))
    status = session.status()
    assert status.total == 6 and status.round >= 6
    assert 1 <= status.seen <= status.total


def test_a_new_round_begins_with_the_favourite_not_the_oldest(store: Store) -> None:
    """Once every clip was shown, the ranker's best comes back first; the round counts up and Why says so."""
    clips = [
        Clip(id=f"c{i}", location=f"/c/{i}.mp4", creator=f"cr{i}", tags=(f"t{i}",), duration_ms=10_000)
        for i in range(5)
    ]
    session = real_session(store, clips)
    first = [session.start()]
    for index in range(4):
        advance(session, 9.5 if index == 2 else 0.3)  # stay on the third clip, skip the others at once
        first.append(session.next())
    assert len({clip.id for clip in first if clip}) == 5
    assert session.status().round == 1
    advance(session, 0.3)
    replay = session.next()
    assert replay == first[2]
    status = session.status()
    assert (status.round, status.seen, status.total) == (2, 1, 5)
    why = session.why()
    assert why is not None and why.chosen[0] == REPLAYING


def test_back_mute_forward_walks_past_clips_that_left(session: FeedSession) -> None:
    """k k, mute the creator of a clip ahead, j: no KeyError, the muted clip is skipped both ways."""
    for _ in range(3):
        session.next() if session.current else session.start()
    session.next()
    assert session.current == CLIPS[3]
    session.previous()
    session.previous()
    assert session.current == CLIPS[1]
    session.mute(MuteKind.CREATOR, "cr2")
    assert session.status().back == 1
    assert session.next() == CLIPS[3]
    assert session.previous() == CLIPS[1]


def test_muting_the_clip_on_screen_while_back_in_history(session: FeedSession) -> None:
    """Back in history, muting the creator on screen moves forward; going back later walks past it."""
    session.start()
    session.next()
    session.next()
    session.previous()
    assert session.mute(MuteKind.CREATOR, "cr1") == CLIPS[2]
    assert session.previous() == CLIPS[0]
    assert session.next() == CLIPS[2]
    assert session.next() == CLIPS[3]


def test_not_interested_then_back_walks_past_the_hidden_clip(session: FeedSession) -> None:
    """The hidden clip stays in history as a record, but k never lands on it again."""
    session.start()
    session.next()
    assert session.not_interested() == CLIPS[2]
    assert session.previous() == CLIPS[0]
    assert "c1" not in session.clips


def test_not_interested_teaches_the_ranker_at_once(store: Store) -> None:
    """The stay ends with not_interested, so the live recommender demotes the creator before any restart."""
    clips = library(("ana", "bo"), 3)
    recommender = Recommender(seed=1)
    session = real_session(store, clips, recommender)
    clip = session.start()
    assert clip is not None and clip.creator is not None
    advance(session, 1)
    session.not_interested()
    sibling = next(other for other in clips if other.creator == clip.creator and other.id != clip.id)
    assert any("not interested" in term.text and term.weight < 0 for term in recommender.explain(sibling.id))


def test_a_library_of_one_clip_replays_it(store: Store) -> None:
    """With a single clip, next shows it again as a new stay (a new round), never nothing."""
    session = real_session(store, CLIPS[:1])
    assert session.start() == CLIPS[0]
    assert session.next() == CLIPS[0]
    assert session.status().round == 2
    assert len(store.impressions()) == 1


def test_rebuild_sees_exactly_the_feedback_the_live_ranker_saw(store: Store) -> None:
    """Likes, saves, follows, not interested, back-swipes, loops and a Refresh: the rebuild replays the live feed."""

    class Spy(Recommender):
        def __init__(self) -> None:
            super().__init__(seed=4)
            self.seen: list[Feedback | str] = []
            self.rebuilt: list[Feedback | str] = []

        def observe(self, feedback: Feedback) -> None:
            self.seen.append(feedback)
            super().observe(feedback)

        def reset(self) -> None:
            self.seen.append("reset")
            super().reset()

        def rebuild(self, feedbacks: Iterable[Feedback], *, reset_at: int | None = None) -> None:
            replay = list(feedbacks)
            split = len(replay) if reset_at is None else reset_at
            self.rebuilt = [*replay[:split], *(["reset"] if reset_at is not None else []), *replay[split:]]
            super().rebuild(replay, reset_at=reset_at)

    clips = library(("ana", "bo", "cy", "di"), 3)
    live = Spy()
    real_session(store, clips, live)
    feeds = Feeds(store, FakePlayer(), live, clips, clock=Clock())
    session = feeds.for_you
    player = session.player
    assert isinstance(player, FakePlayer)
    session.start()
    advance(session, 3)
    session.toggle_like()
    session.next()
    advance(session, 0.5)
    session.next()
    advance(session, 2)
    session.previous()  # came back
    advance(session, 4)
    session.toggle_save()
    session.next()
    advance(session, 1)
    session.toggle_follow()
    feeds.refresh_for_you()
    advance(session, 1)
    session.next()
    session.mute(MuteKind.TAG, "n2")
    for _ in range(2):
        advance(session, 10)
        session.clip_ended(player.token)  # loops
    session.next()
    advance(session, 0.2)
    session.not_interested()
    advance(session, 2)
    session.toggle_like()
    session.toggle_like()
    session.quit()

    observed = [item for item in live.seen if isinstance(item, Feedback)]
    assert any(f.liked for f in observed) and any(f.saved for f in observed) and any(f.followed for f in observed)
    assert any(f.not_interested for f in observed) and any(f.skipped_back for f in observed)
    assert any(f.dwell >= 20 for f in observed) and live.seen.count("reset") == 1

    rebuilt = Spy()
    rebuilt.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    restore_recommender(store, rebuilt)
    assert rebuilt.rebuilt == live.seen


def test_the_reset_is_placed_by_sequence_when_every_timestamp_is_equal(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All records share one millisecond; the Refresh still falls after the two stays that ended before it."""
    for module in ("session", "feeds"):
        monkeypatch.setattr(f"tuifeed.feed.{module}.utc_now", lambda: "2026-01-01T00:00:00.000+00:00")
    store.upsert_clips(CLIPS)
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    session = feeds.for_you
    session.start()
    session.next()
    session.toggle_like()
    session.next()
    feeds.refresh_for_you()
    session.next()
    session.quit()

    received: list[tuple[list[str], int | None]] = []

    class Spy(Recommender):
        def rebuild(self, feedbacks: Iterable[Feedback], *, reset_at: int | None = None) -> None:
            replay = list(feedbacks)
            received.append(([f.clip_id for f in replay], reset_at))
            super().rebuild(replay, reset_at=reset_at)

    restore_recommender(store, Spy(seed=0))
    assert received == [(["c0", "c1", "c2", "c3"], 2)]
    assert [i.liked for i in store.impressions()] == [False, True, False, False]


def test_playback_controls_live_behind_the_session(session: FeedSession) -> None:
    """Volume, mute, speed, seek, pause and auto-advance: state in the session and the status, applied to the player."""
    player = session.player
    assert isinstance(player, FakePlayer)
    session.start()
    session.step_volume(-1)
    session.toggle_mute()
    session.step_speed(1)
    session.step_speed(1)
    session.seek(1)
    session.toggle_pause()
    session.toggle_auto_advance()
    assert (player.volume, player.muted, player.rate, player.position, player.paused) == (90, True, 1.5, 5000, True)
    status = session.status()
    assert (status.volume, status.muted, status.speed, status.paused, status.auto_advance) == (
        90,
        True,
        1.5,
        True,
        True,
    )
    assert status.position_ms == 5000
    session.step_volume(1)
    assert (player.volume, player.muted) == (100, False)
    for _ in range(10):
        session.step_speed(1)
    assert session.playback.speed == 2.0


def test_why_puts_reasons_for_first_then_against_then_filters() -> None:
    """Positive terms in the recommender's order, then negatives, then hard filters; a came-back clip says so."""
    clip = CLIPS[0]
    terms = [
        Term("you muted #x", -math.inf),
        Term("you skipped 2 clips by cr0 within a second", -0.8),
        Term("you watched 3 clips by cr0 to the end", 0.6),
        Term("little known on its platform", -0.1),
        Term("in step with what you imported lately", 0.2),
    ]
    why = explain(clip, terms, came_back=False, replaying=False)
    assert why.chosen == ("you watched 3 clips by cr0 to the end", "in step with what you imported lately")
    assert why.against == ("you skipped 2 clips by cr0 within a second", "little known on its platform")
    assert why.filters == ("you muted #x",)
    assert explain(clip, terms, came_back=True, replaying=True).chosen[0] == CAME_BACK


def test_imported_clips_that_are_muted_or_hidden_stay_out(session: FeedSession, store: Store) -> None:
    """Clips arriving mid-session join it unless the person already muted or hid what they are."""
    session.start()
    session.mute(MuteKind.SOUND, "lofi")
    session.not_interested()
    arrivals = [
        Clip(id="n1", location="/n1.mp4", creator="new"),
        Clip(id="n2", location="/n2.mp4", creator="new", sound="lofi"),
        Clip(id="c0", location="/c0.mp4"),
    ]
    assert session.add_clips(arrivals) == 1
    assert "n1" in session.clips and "n2" not in session.clips


def test_the_next_run_opens_on_the_clip_for_you_had_lined_up(store: Store) -> None:
    """As the app exits, For You's next pick is kept; the next run opens on it, pre-rolled, then ranks as ever."""
    store.upsert_clips(CLIPS)
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    assert feeds.for_you.start() == CLIPS[0]
    assert feeds.for_you.next() == CLIPS[1]
    assert feeds.for_you.queue.planned() == "c2"
    feeds.quit()
    feeds.journal.close()
    opening = store.opening()
    assert opening is not None and opening.id == "c2"

    player = FakePlayer()
    again = Feeds(store, player, InOrder(CLIPS), CLIPS, opening=opening.id, clock=Clock())
    again.for_you.warm(lambda width, height: (width, height))
    assert player.prerolled == CLIPS[2].location
    assert again.for_you.start() == CLIPS[2]
    assert again.for_you.next() == CLIPS[0]
    assert again.for_you.next() == CLIPS[1]


def test_an_opening_the_person_may_no_longer_see_gives_way_to_the_ranker(store: Store) -> None:
    """The opening is only a first pick: muted since, or left out by the filters, the feed opens as it would."""
    store.upsert_clips(CLIPS)
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    feeds.for_you.start()
    feeds.mute(feeds.for_you, MuteKind.CREATOR, "cr2")
    feeds.quit()
    feeds.journal.close()

    muted = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, opening="c2", clock=Clock())
    assert muted.for_you.start() == CLIPS[0]
    assert "c2" not in muted.for_you.queue.history

    long = replace(CLIPS[3], duration_ms=90_000)
    clips = [*CLIPS[:3], long]
    filtered = Feeds(
        store, FakePlayer(), InOrder(clips), clips, filters=Filters(max_seconds=60), opening="c3", clock=Clock()
    )
    assert filtered.for_you.start() == CLIPS[0]


def test_quitting_after_swiping_back_keeps_no_opening(store: Store) -> None:
    """What lies ahead of a person who swiped back was seen: the next run opens as the feed would."""
    store.upsert_clips(CLIPS)
    store.set_opening("c3")
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    feeds.for_you.start()
    feeds.for_you.next()
    feeds.for_you.previous()
    feeds.quit()
    feeds.journal.close()
    assert store.opening() is None


def test_a_run_that_never_showed_for_you_leaves_the_opening_as_it_was(store: Store) -> None:
    """Opened on search results or a list and quit from there, a run has lined nothing up in For You."""
    store.upsert_clips(CLIPS)
    store.set_opening("c3")
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, clock=Clock())
    feeds.quit()
    feeds.journal.close()
    opening = store.opening()
    assert opening is not None and opening.id == "c3"


def test_why_says_the_clip_opened_the_feed_because_the_last_run_lined_it_up(store: Store) -> None:
    """ "Why this clip?" on the opening starts with why it is on screen now; the clips after it do not say so."""
    store.upsert_clips(CLIPS)
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS, opening="c2", clock=Clock())
    session = feeds.for_you
    assert session.start() == CLIPS[2]
    why = session.why()
    assert why is not None and why.chosen[0] == LINED_UP
    session.next()
    why = session.why()
    assert why is not None and LINED_UP not in why.chosen
    session.previous()
    why = session.why()
    assert why is not None and why.chosen[0] == CAME_BACK


def test_a_run_over_a_folder_or_a_urls_clips_lines_nothing_up(store: Store) -> None:
    """`tuifeed play FOLDER` and `tuifeed URL` play For You over part of what there is: the next plain run opens
    on what the last plain run lined up, not on that part's next clip."""
    store.upsert_clips(CLIPS)
    store.set_opening("c3")
    feeds = Feeds(store, FakePlayer(), InOrder(CLIPS), CLIPS[:3], lines_up=False, clock=Clock())
    feeds.for_you.start()
    feeds.for_you.next()
    feeds.quit()
    feeds.journal.close()
    opening = store.opening()
    assert opening is not None and opening.id == "c3"
