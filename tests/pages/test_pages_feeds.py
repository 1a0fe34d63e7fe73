"""Feeds over one player and a real store: switching keeps each feed's place, pages, lists, filters, mutes, undo."""

from __future__ import annotations

import pytest
from ranker_stub import InOrder

from tuifeed.feed import UNDO_SECONDS, Feeds, FeedSession, Filters, Playback
from tuifeed.models import Clip, EventKind, ImpressionExit, MuteKind
from tuifeed.player.fake import FakePlayer
from tuifeed.recommend import ClipFeatures, Recommender, RecommenderSettings
from tuifeed.store import Store


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(
    creator: str, n: int, *, seconds: int = 10, vertical: bool = True, day: int = 1, tags: tuple[str, ...] = ()
) -> Clip:
    return Clip(
        id=f"{creator}{n}",
        location=f"/clips/{creator}{n}.mp4",
        title=f"{creator} clip {n}",
        creator=creator,
        tags=tags or (creator, "all"),
        sound=f"{creator}-sound",
        duration_ms=seconds * 1000,
        width=360 if vertical else 640,
        height=640 if vertical else 360,
        published_at=f"2026-01-{day:02d}T00:00:00+00:00",
    )


CLIPS = [
    make("ana", 0, day=1),
    make("bo", 0, day=2, seconds=40),
    make("ana", 1, day=3, vertical=False),
    make("cy", 0, day=4),
    make("bo", 1, day=5),
    make("ana", 2, day=6, seconds=90),
]


def build(store: Store, clips: list[Clip] = CLIPS, **options: object) -> tuple[Feeds, FakePlayer, Clock]:
    store.upsert_clips(clips)
    player, clock = FakePlayer(length_ms=10_000), Clock()
    feeds = Feeds(store, player, InOrder(clips), clips, clock=clock, **options)  # type: ignore[arg-type]
    return feeds, player, clock


def ids(session: FeedSession, swipes: int) -> list[str]:
    """The clip on screen, then after each of `swipes` swipes."""
    shown = [session.current.id if session.current else "-"]
    for _ in range(swipes):
        clip = session.next()
        shown.append(clip.id if clip else "-")
    return shown


def test_switching_feeds_pauses_the_one_left_and_resumes_it_where_it_was(store: Store) -> None:
    """For You pauses (its dwell clock too) while a page plays; back, its clip plays again at its position."""
    feeds, player, clock = build(store)
    for_you = feeds.for_you
    assert for_you.start() == CLIPS[0]
    clock.now += 3
    player.position = 3_000
    for_you.suspend()
    assert player.paused
    page = feeds.page(MuteKind.CREATOR, "bo")
    page.resume()
    assert page.start() == CLIPS[4]  # bo's newest first
    assert not player.paused and player.location == CLIPS[4].location
    clock.now += 20
    assert for_you.dwell_seconds() == 3  # the time on the page is not For You's dwell
    feeds.close(page)
    for_you.resume()
    assert player.location == CLIPS[0].location and player.position == 3_000 and not player.paused
    assert for_you.status().position_ms == 3_000
    clock.now += 2
    for_you.next()
    stays = store.impressions()
    assert [(s.clip_id, s.dwell_ms, s.exit) for s in stays] == [
        ("bo1", 20_000, ImpressionExit.LEFT),
        ("ana0", 5_000, ImpressionExit.NEXT),
    ]
    assert player.played == [CLIPS[0].location, CLIPS[4].location, CLIPS[0].location, CLIPS[1].location]


def test_a_paused_feed_comes_back_paused(store: Store) -> None:
    """The person's own pause survives a trip to another feed and back."""
    feeds, player, _ = build(store)
    feeds.for_you.start()
    feeds.for_you.set_paused(True)
    feeds.for_you.suspend()
    page = feeds.page(MuteKind.TAG, "all")
    page.start()
    assert not player.paused
    page.suspend()
    feeds.for_you.resume()
    assert feeds.for_you.paused and player.paused and player.location == CLIPS[0].location
    assert feeds.for_you.status().paused


def test_a_feed_covered_by_a_menu_keeps_the_player_and_does_not_restart(store: Store) -> None:
    """Suspended and resumed with no other feed in between: the same clip goes on, not played again."""
    feeds, player, _ = build(store)
    feeds.for_you.start()
    player.position = 4_000
    feeds.for_you.suspend()
    assert player.paused
    feeds.for_you.resume()
    assert player.played == [CLIPS[0].location] and player.position == 4_000 and not player.paused


def test_player_events_of_another_feed_are_ignored(store: Store) -> None:
    """A clip-ended token of For You means nothing to a page that has the player now."""
    feeds, player, _ = build(store)
    feeds.for_you.start()
    token = player.token
    feeds.for_you.suspend()
    page = feeds.page(MuteKind.CREATOR, "ana")
    page.start()
    assert not feeds.for_you.is_current(token)
    feeds.for_you.clip_ended(token)
    assert feeds.for_you.current == CLIPS[0] and player.played[-1] == page.current.location  # type: ignore[union-attr]


def test_pages_hold_every_clip_of_a_creator_tag_or_sound_newest_first(store: Store) -> None:
    """A creator, tag or sound page plays all of its clips, newest first, then from the top."""
    feeds, _, _ = build(store)
    creator = feeds.page(MuteKind.CREATOR, "ana")
    assert creator.title == "@ana"
    assert ids(creator, 0) == ["-"]
    creator.start()
    assert ids(creator, 3) == ["ana2", "ana1", "ana0", "ana2"]
    assert creator.status().round == 2
    tag = feeds.page(MuteKind.TAG, "#ALL")
    tag.start()
    assert tag.title == "#ALL"
    assert ids(tag, 5) == ["ana2", "bo1", "cy0", "ana1", "bo0", "ana0"]
    sound = feeds.page(MuteKind.SOUND, "bo-sound")
    sound.start()
    assert ids(sound, 1) == ["bo1", "bo0"]
    why = sound.why()
    assert why is not None and why.chosen[0] == "it is on the page of ♪ bo-sound"


def test_a_list_plays_from_the_row_chosen_then_from_its_top(store: Store) -> None:
    """Liked, played from its second row: that clip, the rest, then the first; a clip listed twice plays once."""
    feeds, _, _ = build(store)
    rows = [CLIPS[3], CLIPS[1], CLIPS[3], CLIPS[0]]
    session = feeds.playlist("History", rows, 1, "it is in your History")
    session.start()
    assert ids(session, 3) == ["bo0", "cy0", "ana0", "bo0"]
    assert session.status().total == 3


def test_following_is_only_followed_creators_newest_unwatched_first(store: Store) -> None:
    """Following shows nothing until someone is followed; then their unwatched clips newest first."""
    feeds, _, clock = build(store)
    following = feeds.following
    assert following.start() is None
    assert following.status().empty.startswith("You follow no one yet")
    feeds.for_you.start()  # ana0
    clock.now += 10  # watched to the end
    feeds.for_you.toggle_follow()
    feeds.for_you.next()  # bo0
    feeds.for_you.toggle_follow()
    feeds.for_you.suspend()
    following.resume()
    following.start()
    assert ids(following, 4) == ["ana2", "bo1", "ana1", "bo0", "ana0"]
    assert "ana0" in feeds.person.watched


def test_following_falls_back_to_the_ranker_among_followed_creators() -> None:
    """Once nothing new is left, Following asks the ranker, which never offers a creator not followed."""
    from tuifeed.feed.pickers import Following

    library = {clip.id: clip for clip in CLIPS}
    picker = Following(library, {"bo"}, {"bo0", "bo1"}, InOrder(CLIPS))
    assert picker.next() == "bo0"
    assert picker.next(exclude={"bo0"}) == "bo1"
    assert picker.next(exclude={"bo0", "bo1"}) is None


def test_filters_vertical_short_and_unwatched(store: Store) -> None:
    """Only vertical, under N seconds, hide watched: For You and Following obey, a list the person opens does not."""
    feeds, _, clock = build(store, filters=Filters(only_vertical=True, max_seconds=30))
    assert set(feeds.for_you.clips) == {"ana0", "cy0", "bo1"}
    assert feeds.for_you.status().filters == "vertical · under 30 s"
    feeds.set_filters(Filters(hide_watched=True))
    assert len(feeds.for_you.clips) == len(CLIPS)
    feeds.for_you.start()
    clock.now += 9.5
    feeds.for_you.next()
    assert "ana0" not in feeds.for_you.clips
    assert feeds.for_you.status().total == len(CLIPS) - 1
    assert feeds.for_you.previous() == CLIPS[1]  # history walks past the watched clip
    liked = feeds.playlist("Liked", CLIPS, 0, "it is in your Liked list")
    assert "ana0" in liked.clips


def test_filters_that_leave_nothing_say_so(store: Store) -> None:
    """A filter no clip passes leaves an empty feed that says the filters did it."""
    feeds, _, _ = build(store, filters=Filters(max_seconds=5))
    assert feeds.for_you.start() is None
    assert "filters" in feeds.for_you.status().empty


def test_a_mute_in_one_feed_reaches_every_feed_and_unmute_brings_them_back(store: Store) -> None:
    """Muting @ana on her page empties For You of her clips; unmuting from the list brings them back."""
    feeds, _, _ = build(store)
    feeds.for_you.start()
    feeds.for_you.suspend()
    page = feeds.page(MuteKind.CREATOR, "bo")
    page.start()
    feeds.mute(page, MuteKind.CREATOR, "ana")
    assert not any(clip.creator == "ana" for clip in feeds.for_you.clips.values())
    assert [row.value for row in feeds.mutes()] == ["ana"]
    feeds.close(page)
    assert feeds.for_you.resume() == CLIPS[1]  # the clip on screen was ana's: For You moved on
    assert feeds.unmute(MuteKind.CREATOR, "ana")
    assert {"ana0", "ana1", "ana2"} <= set(feeds.for_you.clips)
    assert feeds.mutes() == [] and feeds.person.mutes[MuteKind.CREATOR] == set()
    assert not feeds.unmute(MuteKind.CREATOR, "ana")
    assert store.active(EventKind.MUTE_CREATOR) == set()


def test_unmuting_a_tag_lifts_every_spelling(store: Store) -> None:
    """A tag muted as "All" and as "#all" is one tag: one unmute lifts both."""
    feeds, _, _ = build(store)
    feeds.for_you.start()
    feeds.for_you.mute(MuteKind.TAG, "All")
    feeds.for_you.mute(MuteKind.TAG, "#all")
    assert feeds.for_you.clips == {}
    assert feeds.unmute(MuteKind.TAG, "ALL")
    assert len(feeds.for_you.clips) == len(CLIPS)
    assert store.active(EventKind.MUTE_TAG) == set()


def test_undo_takes_back_a_mute_only_within_a_few_seconds(store: Store) -> None:
    """u right after a mute unmutes; after UNDO_SECONDS, or a second time, it does nothing."""
    feeds, _, clock = build(store)
    feeds.for_you.start()
    feeds.mute(feeds.for_you, MuteKind.CREATOR, "bo")
    clock.now += UNDO_SECONDS - 1
    assert feeds.undo() == "mute of @bo"
    assert "bo0" in feeds.for_you.clips and store.active(EventKind.MUTE_CREATOR) == set()
    assert feeds.undo() is None
    feeds.mute(feeds.for_you, MuteKind.CREATOR, "bo")
    clock.now += UNDO_SECONDS + 1
    assert feeds.undo() is None
    assert store.active(EventKind.MUTE_CREATOR) == {"bo"}


def learned(recommender: Recommender, clips: list[Clip]) -> list[list[tuple[str, float]]]:
    """Every clip's explanation: what the recommender has learned, in words and weights."""
    return [[(term.text, round(term.weight, 9)) for term in recommender.explain(clip.id)] for clip in clips]


@pytest.mark.parametrize("swipes_after", [0, 3])
def test_undoing_a_refresh_restores_exactly_what_was_learned(store: Store, swipes_after: int) -> None:
    """Refresh For You, then undo: the recommender knows again what it knew, plus what it learned since."""
    clips = [make(creator, n, day=n + 1) for creator in ("ana", "bo", "cy", "di") for n in range(5)]
    store.upsert_clips(clips)
    recommender = Recommender(seed=3, settings=RecommenderSettings(exploration_share=0.0))
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    clock = Clock()
    feeds = Feeds(store, FakePlayer(), recommender, clips, clock=clock, playback=Playback())
    session = feeds.for_you
    session.start()
    for _ in range(8):
        clock.now += 9.0 if session.current and session.current.creator == "bo" else 0.4
        session.next()
    session.toggle_like()
    before = learned(recommender, clips)
    feeds.refresh_for_you()
    assert learned(recommender, clips) != before
    twin = Recommender(seed=3, settings=RecommenderSettings(exploration_share=0.0))
    twin.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    for _ in range(swipes_after):
        clock.now += 1.5  # all inside the undo window
        session.next()
    assert feeds.undo() == "refresh"
    assert store.last_seq(EventKind.RESET) is None
    if swipes_after == 0:
        assert learned(recommender, clips) == before
    session.quit()
    from tuifeed.feed import restore_recommender

    restore_recommender(store, twin)
    assert learned(recommender, clips) == learned(twin, clips)


def test_a_refresh_cannot_be_undone_after_the_window(store: Store) -> None:
    """Past UNDO_SECONDS the reset stays in the store."""
    feeds, _, clock = build(store)
    feeds.for_you.start()
    feeds.refresh_for_you()
    clock.now += UNDO_SECONDS + 0.1
    assert feeds.undo() is None
    assert store.last_seq(EventKind.RESET) is not None


def test_lists_and_search_leave_out_hidden_and_muted_clips(store: Store) -> None:
    """Liked, Saved, History and search show what the person may see, newest first."""
    feeds, _, clock = build(store)
    session = feeds.for_you
    session.start()
    session.toggle_like()
    clock.now += 2
    session.next()
    session.toggle_save()
    session.toggle_like()
    session.next()
    assert [row.clip.id for row in feeds.liked()] == ["bo0", "ana0"]
    assert [row.clip.id for row in feeds.saved()] == ["bo0"]
    assert [row.clip.id for row in feeds.history()] == ["bo0", "ana0"]
    assert {clip.id for clip in feeds.search("ana clip")} == {"ana0", "ana1", "ana2"}
    feeds.mute(session, MuteKind.CREATOR, "bo")
    assert [row.clip.id for row in feeds.liked()] == ["ana0"]
    assert feeds.saved() == [] and [row.clip.id for row in feeds.history()] == ["ana0"]
    assert feeds.search("bo") == []


def test_quit_closes_the_stay_of_every_open_feed(store: Store) -> None:
    """A suspended For You and an open page both end as `quit`."""
    feeds, _, _ = build(store)
    feeds.for_you.start()
    feeds.for_you.suspend()
    page = feeds.page(MuteKind.CREATOR, "cy")
    page.start()
    feeds.quit()
    assert sorted((s.clip_id, s.exit) for s in store.impressions()) == [
        ("ana0", ImpressionExit.QUIT),
        ("cy0", ImpressionExit.QUIT),
    ]
    assert list(store.rows("SELECT id FROM impressions WHERE ended_at IS NULL")) == []


def test_an_import_reaches_for_you_and_following(store: Store) -> None:
    """Clips imported while the app runs join For You, and Following when their creator is followed."""
    feeds, _, _ = build(store)
    feeds.for_you.start()
    feeds.for_you.toggle_follow()
    new = make("ana", 9, day=20)
    store.upsert_clips([new])
    assert feeds.reload_library() == 1
    assert "ana9" in feeds.for_you.clips and "ana9" in feeds.following.clips


def test_person_allows_exactly_what_clip_has_allows() -> None:
    """The fast check agrees with asking `Clip.has` of every mute, tag spellings included, as mutes come and go."""
    from tuifeed.feed import Person

    person = Person()
    steps = [
        (MuteKind.TAG, "#ALL", True),
        (MuteKind.CREATOR, "bo", True),
        (MuteKind.SOUND, "cy-sound", True),
        (MuteKind.TAG, "#ALL", False),
        (MuteKind.TAG, "Ana", True),
    ]
    for kind, value, on in steps:
        if on:
            person.mute(kind, value)
        else:
            person.unmute(kind, value)
        slow = [not any(clip.has(k, v) for k, values in person.mutes.items() for v in values) for clip in CLIPS]
        assert [person.allows(clip) for clip in CLIPS] == slow


def test_taking_the_player_suspends_the_feed_that_had_it(store: Store) -> None:
    """A page that plays before For You heard it lost the screen still leaves For You paused where it was."""
    feeds, player, clock = build(store)
    feeds.for_you.start()
    clock.now += 2
    player.position = 2_500
    page = feeds.page(MuteKind.CREATOR, "cy")
    page.start()  # no suspend of For You first
    clock.now += 10
    feeds.for_you.suspend()  # the late news changes nothing
    assert feeds.for_you.dwell_seconds() == 2
    feeds.close(page)
    feeds.for_you.resume()
    assert player.location == CLIPS[0].location and player.position == 2_500 and not player.paused
