"""FeedSession: the queue, the clip on screen, the dwell clock, and every action turned into records.

The session runs on the UI thread and knows nothing of Textual. The player reports through the UI,
which calls `clip_ended` / `clip_failed` here; everything the person does goes through a method here,
which writes the store (durably, one transaction per event) and tells the recommender (at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from tuifeed.models import Clip, EventKind, Impression, ImpressionExit, MuteKind
from tuifeed.player import Player
from tuifeed.recommend import ClipFeatures, Feedback, Recommender, Term
from tuifeed.store import Store
from tuifeed.store.store import utc_now

REBUILD_IMPRESSIONS = 5_000
"""How many of the newest impressions the recommender is rebuilt from at start-up."""
CHECKPOINT_SECONDS = 2.0
"""How often the open impression's dwell is saved, bounding what a killed run can lose."""


class Ranker(Protocol):
    """What the feed needs from the recommender."""

    def next(self, exclude: Collection[str] = ()) -> str | None:
        """The best clip to show next, or None when every clip is excluded."""

    def add_clips(self, clips: Iterable[ClipFeatures]) -> None:
        """Learn of new clips."""

    def shown(self, clip_id: str) -> None:
        """A clip appeared on screen (so the diversity rules count it at once)."""

    def observe(self, feedback: Feedback) -> None:
        """Learn from one showing that just ended."""

    def mute(self, kind: MuteKind, value: str) -> None:
        """Never offer clips with this creator, tag or sound."""

    def follow(self, creator: str) -> None:
        """Boost a creator's clips."""

    def unfollow(self, creator: str) -> None:
        """Stop boosting a creator's clips."""

    def reset(self) -> None:
        """Forget what was learned ("Refresh For You")."""

    def explain(self, clip_id: str) -> list[Term]:
        """The terms behind a clip's score, largest first."""


@dataclass
class _Showing:
    """The clip on screen and what has happened during this stay."""

    clip: Clip
    impression_id: int
    started_at: str
    token: int
    came_back: bool
    dwell: float = 0.0
    running_since: float | None = None
    loops: int = 0
    liked_now: bool = False
    saved_now: bool = False
    followed_now: bool = False
    not_interested: bool = False
    last_checkpoint: float = 0.0
    pictured: bool = False


class FeedSession:
    """One person's feed: which clip is on screen, which comes next, and the record of each stay."""

    def __init__(
        self,
        store: Store,
        player: Player,
        ranker: Ranker,
        clips: Iterable[Clip],
        *,
        auto_advance: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Build a session over `clips` (the playable library); nothing plays until `start`."""
        self.store = store
        self.player = player
        self.ranker = ranker
        hidden = store.active(EventKind.NOT_INTERESTED)
        mutes = {kind: store.active(EventKind.mute(kind)) for kind in MuteKind}
        self.clips = {
            clip.id: clip
            for clip in clips
            if clip.id not in hidden and not any(clip.has(kind, value) for kind in MuteKind for value in mutes[kind])
        }
        """The clips this session may show: the library less what the person hid or muted."""
        self.auto_advance = auto_advance
        self.clock = clock
        self.history: list[str] = []
        """Clip ids in the order they were shown; `index` points at the one on screen."""
        self.index = -1
        self.liked = store.liked_ids()
        self.saved = store.active(EventKind.SAVE)
        self.followed = store.active(EventKind.FOLLOW)
        self._upcoming: str | None = None
        self._showing: _Showing | None = None
        self._paused = False
        self._failed: set[str] = set()

    # -- what is on screen -------------------------------------------------------------------------

    @property
    def current(self) -> Clip | None:
        """The clip on screen, if any."""
        return self._showing.clip if self._showing else None

    @property
    def paused(self) -> bool:
        """Whether the person paused (or something covers the feed)."""
        return self._paused

    @property
    def position(self) -> tuple[int, int]:
        """(n, N): the clip's place in this session and the library's size."""
        return self.index + 1, len(self.clips)

    def dwell_seconds(self) -> float:
        """Time the current clip has been on screen, not counting pauses."""
        showing = self._showing
        if showing is None:
            return 0.0
        running = self.clock() - showing.running_since if showing.running_since is not None else 0.0
        return showing.dwell + running

    def is_current(self, token: int) -> bool:
        """Whether a player event with this token is about the clip on screen."""
        return self._showing is not None and self._showing.token == token

    def add_clips(self, clips: Iterable[Clip]) -> int:
        """Offer clips that arrived while the feed runs (an import); returns how many were new."""
        new = [clip for clip in clips if clip.id not in self.clips and clip.id not in self._failed]
        self.clips.update((clip.id, clip) for clip in new)
        self.ranker.add_clips(ClipFeatures.from_clip(clip) for clip in new)
        if self._upcoming is None:
            self._replan()
        return len(new)

    # -- moving through the feed -------------------------------------------------------------------

    def start(self) -> Clip | None:
        """Show the first clip; None when the library is empty."""
        return self._advance(exit=None)

    def next(self) -> Clip | None:
        """Swipe to the next clip: back through history first, then the recommender's pick."""
        return self._advance(exit=ImpressionExit.NEXT)

    def previous(self) -> Clip | None:
        """Swipe back to the clip before; stays put on the first clip."""
        if self.index <= 0:
            return self.current
        self._finish(ImpressionExit.PREVIOUS)
        self.index -= 1
        return self._show(self.history[self.index], came_back=True)

    def clip_ended(self, token: int) -> Clip | None:
        """The player reached the end: loop the clip, or advance when auto-advance is on."""
        if not self.is_current(token):
            return self.current
        if self.auto_advance:
            return self._advance(exit=ImpressionExit.ENDED)
        assert self._showing is not None
        self._showing.loops += 1
        self.player.replay()
        return self.current

    def clip_failed(self, token: int) -> Clip | None:
        """The clip could not play: record that, forget it for this session, and move on."""
        if not self.is_current(token):
            return self.current
        failed = self.history.pop(self.index)
        self.index -= 1
        self._finish(ImpressionExit.ERROR, record_feedback=False)
        self.clips.pop(failed, None)
        self._failed.add(failed)
        if self._upcoming == failed:
            self._upcoming = None
        return self._advance(exit=None)

    def quit(self) -> None:
        """Close the impression on screen; call once as the app exits."""
        self._finish(ImpressionExit.QUIT)

    # -- actions on the clip on screen -------------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        """Pause or resume both the picture and the dwell clock."""
        if paused == self._paused:
            return
        self._paused = paused
        self.player.set_paused(paused)
        self._run_clock(not paused)

    def toggle_like(self) -> bool:
        """Like or unlike the clip on screen; returns whether it is liked now."""
        showing = self._showing
        if showing is None:
            return False
        clip_id = showing.clip.id
        liked = clip_id not in self.liked
        self.store.record_like(clip_id, liked, utc_now())
        if liked:
            self.liked.add(clip_id)
        else:
            self.liked.discard(clip_id)
        showing.liked_now = liked
        return liked

    def picture_shown(self) -> None:
        """The clip's first frame reached the screen: dwell counts from now, not from when it was asked for."""
        showing = self._showing
        if showing is None or showing.pictured:
            return
        showing.pictured = True
        if showing.running_since is not None:
            showing.running_since = self.clock()

    def toggle_save(self) -> bool:
        """Save or unsave the clip on screen (a bookmark and a strong signal); returns whether it is saved."""
        showing = self._showing
        if showing is None:
            return False
        saved = _toggle(self.saved, showing.clip.id)
        self.store.record_event(EventKind.SAVE, showing.clip.id, saved, utc_now())
        showing.saved_now = saved
        return saved

    def toggle_follow(self) -> bool:
        """Follow or unfollow the creator on screen; returns whether they are followed now."""
        showing = self._showing
        if showing is None or not showing.clip.creator:
            return False
        creator = showing.clip.creator
        followed = _toggle(self.followed, creator)
        self.store.record_event(EventKind.FOLLOW, creator, followed, utc_now())
        if followed:
            self.ranker.follow(creator)
        else:
            self.ranker.unfollow(creator)
        showing.followed_now = followed
        self._replan()
        return followed

    def not_interested(self) -> Clip | None:
        """Hide the clip on screen for good, demote what it is made of, and move on."""
        showing = self._showing
        if showing is None:
            return None
        showing.not_interested = True
        self.store.record_event(EventKind.NOT_INTERESTED, showing.clip.id, True, utc_now())
        clip = self._advance(exit=ImpressionExit.NEXT)
        self._forget(lambda candidate: candidate.id == showing.clip.id)
        return clip

    def mute(self, kind: MuteKind, value: str) -> Clip | None:
        """Never show clips with this creator, tag or sound again; moves on if the clip on screen has it."""
        self.store.record_event(EventKind.mute(kind), value, True, utc_now())
        self.ranker.mute(kind, value)
        self._forget(lambda candidate: candidate.has(kind, value))
        current = self.current
        if current is not None and current.has(kind, value):
            return self._advance(exit=ImpressionExit.NEXT)
        self._replan()
        return current

    def refresh_for_you(self) -> None:
        """Forget what the feed learned (history, likes and mutes are kept)."""
        self.store.record_event(EventKind.RESET, "for_you", True, utc_now())
        self.ranker.reset()
        self._replan()

    def explain(self) -> list[str]:
        """Why the clip on screen was chosen: the recommender's terms, largest first."""
        current = self.current
        return [] if current is None else [term.text for term in self.ranker.explain(current.id)]

    def tick(self) -> None:
        """Save the dwell so far every few seconds, so a killed run loses at most that much."""
        showing = self._showing
        if showing is None or self.clock() - showing.last_checkpoint < CHECKPOINT_SECONDS:
            return
        showing.last_checkpoint = self.clock()
        self.store.checkpoint_impression(
            showing.impression_id, round(self.dwell_seconds() * 1000), showing.loops, utc_now()
        )

    # -- internals ---------------------------------------------------------------------------------

    def _advance(self, exit: ImpressionExit | None) -> Clip | None:
        if exit is not None and self._showing is not None:
            self._finish(exit)
        if self.index + 1 < len(self.history):
            self.index += 1
            return self._show(self.history[self.index], came_back=False)
        clip_id = self._upcoming if self._upcoming in self.clips else self._pick()
        if clip_id is None:
            return None
        self.history.append(clip_id)
        self.index = len(self.history) - 1
        return self._show(clip_id, came_back=False)

    def _pick(self, also_exclude: Collection[str] = ()) -> str | None:
        """The recommender's next clip, excluding this round's; a new round starts when all were shown."""
        avoid = self._failed | set(also_exclude)
        for exclude in (avoid | set(self.history), avoid | set(self.history[-1:])):
            choice = self.ranker.next(exclude=exclude)
            if choice in self.clips:
                return choice
        # A library smaller than the recommender's no-repeat window: replay the least recently shown clip.
        candidates = [clip_id for clip_id in self.clips if clip_id not in avoid]
        if not candidates:
            return None
        last_shown = {clip_id: index for index, clip_id in enumerate(self.history)}
        return min(candidates, key=lambda clip_id: last_shown.get(clip_id, -1))

    def _show(self, clip_id: str, came_back: bool) -> Clip:
        clip = self.clips[clip_id]
        token = self.player.play(clip.location, _aspect(clip))
        if self._paused:
            self.player.set_paused(True)
        started_at = utc_now()
        impression_id = self.store.open_impression(clip.id, started_at, clip.duration_ms)
        self._showing = _Showing(clip, impression_id, started_at, token, came_back, last_checkpoint=self.clock())
        self._run_clock(not self._paused)
        self.ranker.shown(clip.id)
        self._upcoming = self._peek_upcoming()
        if self._upcoming is not None:
            upcoming = self.clips[self._upcoming]
            self.player.preroll(upcoming.location, _aspect(upcoming))
        return clip

    def _peek_upcoming(self) -> str | None:
        if self.index + 1 < len(self.history):
            return self.history[self.index + 1]
        return self._pick(also_exclude={self.history[self.index]})

    def _forget(self, hidden: Callable[[Clip], bool]) -> None:
        """Drop clips the person hid or muted from this session (the clip on screen stays until left)."""
        for clip_id in [clip_id for clip_id, clip in self.clips.items() if hidden(clip)]:
            if clip_id != (self.current.id if self.current else None):
                del self.clips[clip_id]
        if self._upcoming is not None and self._upcoming not in self.clips:
            self._upcoming = None

    def _replan(self) -> None:
        """Choose the upcoming clip again after the rules changed (a mute, a follow, a reset)."""
        if self._showing is None or self.index + 1 < len(self.history):
            return
        self._upcoming = self._pick(also_exclude={self._showing.clip.id})
        if self._upcoming is not None:
            upcoming = self.clips[self._upcoming]
            self.player.preroll(upcoming.location, _aspect(upcoming))

    def _run_clock(self, running: bool) -> None:
        showing = self._showing
        if showing is None:
            return
        now = self.clock()
        if running and showing.running_since is None:
            showing.running_since = now
        elif not running and showing.running_since is not None:
            showing.dwell += now - showing.running_since
            showing.running_since = None

    def _finish(self, exit: ImpressionExit, record_feedback: bool = True) -> None:
        showing = self._showing
        if showing is None:
            return
        self._run_clock(False)
        self._showing = None
        dwell_ms = round(showing.dwell * 1000)
        impression = Impression(
            clip_id=showing.clip.id,
            started_at=showing.started_at,
            ended_at=utc_now(),
            dwell_ms=dwell_ms,
            duration_ms=showing.clip.duration_ms,
            loops=showing.loops,
            exit=exit,
        )
        self.store.close_impression(showing.impression_id, impression)
        if record_feedback:
            self.ranker.observe(
                Feedback.from_impression(impression, liked=showing.liked_now, skipped_back=showing.came_back)
            )


def restore_recommender(store: Store, recommender: Recommender, limit: int = REBUILD_IMPRESSIONS) -> None:
    """Rebuild the recommender from the store: mutes, follows, then the newest impressions since a reset."""
    for kind in MuteKind:
        for value in store.active(EventKind.mute(kind)):
            recommender.mute(kind, value)
    for creator in store.active(EventKind.FOLLOW):
        recommender.follow(creator)
    impressions = store.impressions(limit)
    resets = [at for _, _, _, at in store.events([EventKind.RESET])]
    reset_at = None
    if resets:
        reset_at = next((i for i, imp in enumerate(impressions) if imp.started_at >= resets[-1]), len(impressions))
    recommender.rebuild(stored_feedback(store, impressions), reset_at=reset_at)


def stored_feedback(store: Store, impressions: list[Impression] | None = None) -> list[Feedback]:
    """Stored impressions as recommender feedback, each with the likes, saves and follows made during it."""
    if impressions is None:
        impressions = store.impressions(REBUILD_IMPRESSIONS)
    during: dict[tuple[str, str], list[str]] = {}
    for clip_id, liked, at in store.like_events():
        if liked:
            during.setdefault(("like", clip_id), []).append(at)
    for kind, subject, active, at in store.events([EventKind.SAVE, EventKind.FOLLOW, EventKind.NOT_INTERESTED]):
        if active:
            during.setdefault((kind, subject), []).append(at)
    creators = {clip.id: clip.creator for clip in store.clips(include_missing=True)}

    def happened(kind: str, subject: str | None, impression: Impression) -> bool:
        times = during.get((kind, subject or ""), ())
        return any(impression.started_at <= at <= impression.ended_at for at in times)

    return [
        Feedback.from_impression(
            impression,
            liked=happened("like", impression.clip_id, impression),
            saved=happened("save", impression.clip_id, impression),
            followed=happened("follow", creators.get(impression.clip_id), impression),
            not_interested=happened("not_interested", impression.clip_id, impression),
        )
        for impression in impressions
        if impression.exit is not ImpressionExit.ERROR
    ]


def _toggle(members: set[str], member: str) -> bool:
    """Add `member` if absent, else remove it; returns whether it is a member now."""
    if member in members:
        members.discard(member)
        return False
    members.add(member)
    return True


def _aspect(clip: Clip) -> tuple[int, int] | None:
    return (clip.width, clip.height) if clip.width and clip.height else None
