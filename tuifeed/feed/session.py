"""FeedSession: the clip on screen, the dwell clock, playback controls, and every action turned into records.

The session runs on the UI thread and knows nothing of Textual. The player reports through the UI,
which calls `clip_ended` / `clip_failed` here; everything the person does goes through a method here,
which writes the store (durably, one transaction per event) and tells the ranker (at once).

One session is one feed (For You, Following, a page, a list played as a feed). Several can be alive at
once over the same player: they share the `Person` and the `Playback`, and `suspend` / `resume` hand the
player from one to another (see `tuifeed.feed.feeds`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tuifeed.feed.feedback import feedback, teaches
from tuifeed.feed.filters import Filters
from tuifeed.feed.person import Person
from tuifeed.feed.playback import Playback
from tuifeed.feed.queue import Queue
from tuifeed.feed.ranker import Picker, Ranker
from tuifeed.feed.remote import RemotePlay
from tuifeed.feed.status import FeedStatus, Why, explain
from tuifeed.library.remote.urls import is_remote
from tuifeed.models import WATCHED_RATIO, Clip, EventKind, Impression, ImpressionExit, MuteKind
from tuifeed.player import Frame, FrameSizer, Player, PlayerListener, warm
from tuifeed.recommend import ClipFeatures
from tuifeed.store import Store
from tuifeed.store.journal import Checkpoint, CloseStay, Event, Journal, Like, OpenStay, new_key
from tuifeed.store.store import utc_now

CHECKPOINT_SECONDS = 2.0
"""How often the open impression's dwell is saved, bounding what a killed run can lose."""
AHEAD_WAIT_SECONDS = 1.0
"""How long a clip with no picture yet (sound only, or slow to start) waits before the downloads ahead begin."""
FirstLookShow = Callable[[Frame, tuple[int, int] | None], None]
"""Draws a clip's first frame, given the clip's size, before the UI has loaded (see `Session.warm`)."""
SEEK_MS = 5_000
VOLUME_STEP = 10
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
EMPTY_LIBRARY = "No clips to play. Import some with: tuifeed import ~/Videos"
REPLAY_NOTICE = "You have seen everything: replaying your favourites"
OFFLINE_EMPTY = "Offline, and nothing here is downloaded yet: the clips come back with the network"


@dataclass
class _Stay:
    """The clip on screen and what has happened since it appeared."""

    clip: Clip
    key: str
    """The stay's key: its impression row is found by it, wherever the journal has got to."""
    started_at: str
    token: int
    came_back: bool
    replay: bool
    """Chosen after every clip had been shown: a replay."""
    last_checkpoint: float
    dwell: float = 0.0
    running_since: float | None = None
    loops: int = 0
    liked: bool = False
    saved: bool = False
    followed: bool = False
    not_interested: bool = False
    pictured: bool = False
    streamed: bool = False
    """Played from its URL (a remote clip not cached), not from a file."""
    shown_at: float = 0.0
    """When the stay began, on the session's clock."""
    asked_ahead: bool = False
    """Whether the downloads ahead were asked for since the clip's picture came."""


class FeedSession:
    """One feed: which clip is on screen, which comes next, how it plays, and the record of each stay."""

    def __init__(
        self,
        store: Store,
        player: Player,
        ranker: Ranker,
        clips: Iterable[Clip],
        *,
        picker: Picker | None = None,
        source: Callable[[], Iterable[Clip]] | None = None,
        person: Person | None = None,
        playback: Playback | None = None,
        filters: Filters | None = None,
        journal: Journal | None = None,
        remote: RemotePlay | None = None,
        title: str = "For You",
        reason: str | None = None,
        empty: str = EMPTY_LIBRARY,
        replay_notice: str = REPLAY_NOTICE,
        opening: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """A feed of `clips`, chosen by `picker` (default: `ranker`, which learns from every stay either way).

        `source`, when given, is asked for the feed's clips again at each `sync` (For You reads the
        library, Following the followed creators' clips). `person` and `playback` are shared by the
        feeds of a run; a lone session reads its own person from the store. `filters` apply only to
        the feeds the person does not choose clip by clip. Writes go through `journal` (shared by the feeds
        of a run, so they land in order), which never lets a locked database hold the UI. `remote` says
        where remote clips play from (the cache or the URL) and takes the wishes of what to download ahead;
        without it a clip's location is played as it is. `reason` says why a clip is in this feed ("it is in
        your Liked list"); `empty` is what to say when the feed has no clip, `replay_notice` when it begins
        again after showing every clip. The feed opens on `opening` when it may show that clip. Nothing plays
        until `start`.
        """
        self.store = store
        self.journal = journal or Journal(store)
        self.player = player
        self.ranker = ranker
        self.clock = clock
        self.person = person or Person.load(store)
        self.playback = playback or Playback()
        self.filters = filters
        self.remote = remote
        self.title = title
        self.reason = reason
        self.empty = empty
        self.replay_notice = replay_notice
        self._ranked = picker is None
        self._source = source
        self.members: dict[str, Clip] = {clip.id: clip for clip in clips}
        """Every clip the feed is made of, allowed or not (a list's rows, a creator's clips)."""
        self.clips: dict[str, Clip] = {}
        """The clips this session may show: its members less what the person hid or muted, what the filters
        leave out, and what failed to play."""
        self.queue = Queue(picker or ranker, self.clips, opening=opening)
        self._stay: _Stay | None = None
        self.switching_to: Clip | None = None
        """The clip the player is switching to, while it does (its still is painted then, before the stay)."""
        self._paused = False
        self._listener: PlayerListener | None = None
        self._sizer: FrameSizer | None = None
        self._suspended = False
        self._paused_before_suspend = False
        self._resume_ms = 0
        self._has_remote = False
        self.watched = 0.0
        """Seconds watched in the stays this session has closed (the one on screen: `dwell_seconds`)."""
        self.sync()

    # -- what is on screen -------------------------------------------------------------------------

    @property
    def current(self) -> Clip | None:
        """The clip on screen, if any."""
        return self._stay.clip if self._stay else None

    @property
    def paused(self) -> bool:
        """Whether the person paused (or something covers the feed)."""
        return self._paused

    @property
    def database(self) -> str:
        """The SQLite file the session records into (a worker thread opens its own connection on it)."""
        return self.store.path

    @property
    def plays(self) -> bool:
        """Whether the player holds this feed's clip (another feed may have taken it)."""
        return self.playback.owner is self

    def status(self) -> FeedStatus:
        """What the info panel shows now."""
        stay = self._stay
        filters = self.filters.describe() if self.filters else ""
        if stay is None:
            return FeedStatus(
                None,
                total=len(self.clips),
                title=self.title,
                filters=filters,
                empty=self._emptiness(),
                trouble=self.journal.trouble,
            )
        clip = stay.clip
        playing = self.plays
        return FeedStatus(
            clip,
            stay=stay.key,
            liked=clip.id in self.person.liked,
            saved=clip.id in self.person.saved,
            followed=clip.creator in self.person.followed,
            seen=self.queue.seen(),
            total=len(self.clips),
            round=self.queue.round,
            back=self.queue.back(),
            position_ms=self.player.position_ms() if playing else self._resume_ms,
            length_ms=(self.player.length_ms() if playing else 0) or clip.duration_ms or 0,
            paused=self._paused,
            muted=self.playback.muted,
            volume=self.playback.volume,
            speed=self.playback.speed,
            auto_advance=self.playback.auto_advance,
            title=self.title,
            filters=filters,
            trouble=self.journal.trouble,
        )

    def _emptiness(self) -> str:
        """Why there is nothing on screen, in one line."""
        if not self.clips and self.members and self.filters and self.filters.describe():
            return "Your filters leave no clip here: F changes them"
        if not self.clips and self.remote is not None and self.remote.skipped & self.members.keys():
            return OFFLINE_EMPTY
        if not self.clips:
            return self.empty
        return "Nothing more to show here"

    def why(self) -> Why | None:
        """Why the clip on screen was chosen now, then what counts against it."""
        stay = self._stay
        if stay is None:
            return None
        terms = self.ranker.explain(stay.clip.id)
        return explain(
            stay.clip,
            terms,
            came_back=stay.came_back,
            replaying=stay.replay and self._ranked,
            reason=self.reason,
            lined_up=stay.clip.id == self.queue.opened_on,
        )

    def dwell_seconds(self) -> float:
        """Time the current clip has been on screen, not counting pauses."""
        stay = self._stay
        if stay is None:
            return 0.0
        running = self.clock() - stay.running_since if stay.running_since is not None else 0.0
        return stay.dwell + running

    def is_current(self, token: int) -> bool:
        """Whether a player event with this token is about the clip on screen (and this feed holds the player)."""
        return self._stay is not None and self.plays and self._stay.token == token

    def attach(self, listener: PlayerListener, sizer: FrameSizer) -> None:
        """Connect the view that shows this feed's frames; it gets the player whenever this feed plays."""
        self._listener, self._sizer = listener, sizer
        if self.plays or self.playback.owner is None:
            self._take_player()

    def add_clips(self, clips: Iterable[Clip]) -> int:
        """Offer clips that arrived while the feed runs (an import); returns how many were new."""
        new = [clip for clip in clips if clip.id not in self.members]
        self.members.update((clip.id, clip) for clip in new)
        self.ranker.add_clips(ClipFeatures.from_clip(clip) for clip in new)
        before = len(self.clips)
        self.sync()
        return len(self.clips) - before

    def reload_library(self) -> int:
        """Offer the clips the store gained since the session began (an import finished); returns how many."""
        return self.add_clips(self.store.clips())

    def sync(self) -> None:
        """Take the feed's clips again from its source and the person's hides, mutes and filters.

        The clip on screen stays on screen even if it no longer belongs (history walks past it later).
        """
        if self._source is not None:
            self.members = {clip.id: clip for clip in self._source()}
        if self.remote is not None:
            self.remote.back_online()
        allowed = {clip_id: clip for clip_id, clip in self.members.items() if self._allowed(clip)}
        if allowed.keys() == self.clips.keys():
            return
        self.clips.clear()
        self.clips.update(allowed)
        self._has_remote = self.remote is not None and any(is_remote(clip.location) for clip in allowed.values())
        self._replan()

    # -- moving through the feed -------------------------------------------------------------------

    def start(self) -> Clip | None:
        """Show the first clip; None when the feed is empty."""
        self.sync()
        return self._forward()

    def warm(self, sizer: FrameSizer, first_look: FirstLookShow | None = None) -> None:
        """Pre-roll the clip `start` will show, before any view exists, decoding at `sizer`'s size.

        The CLI calls this before loading the UI, so libvlc decodes the first frame on its own threads while
        Python imports Textual, and `start` shows it at once. The view's own sizer replaces `sizer` at `attach`
        (a first clip decoded larger than its view is scaled down by the encoder). `first_look` hears that
        first frame with the clip's size, on the engine's thread (or at once, when the CLI had the clip
        pre-rolled and its frame is there), to draw it before the UI has loaded.
        """
        if self._stay is not None or (self.playback.owner not in (None, self)):
            return
        clip_id = self.queue.upcoming()
        if clip_id is None:
            return
        clip = self.clips[clip_id]
        location = self._location(clip)
        if location is None:
            return
        size = clip.aspect
        warm(self.player, location, size, sizer, None if first_look is None else lambda frame: first_look(frame, size))

    def next(self) -> Clip | None:
        """Swipe to the next clip: forward through history first, then the ranker's pick.

        The next clip is on screen before the stay that ends is written and taught: a swipe waits on neither,
        unless the clip moves the video view (its still then waits for the screen's new layout).
        """
        self._recheck()
        return self._forward_or_record(self._end(ImpressionExit.NEXT))

    def previous(self) -> Clip | None:
        """Swipe back to the clip before; stays put on the first clip."""
        clip_id = self.queue.backward()
        if clip_id is None:
            return self.current
        self._recheck()
        ended = self._end(ImpressionExit.PREVIOUS)
        while clip_id is not None:
            location = self._location(self.clips[clip_id])
            if location is not None:
                return self._show(clip_id, location, came_back=True, replay=False, ended=ended)
            self._skip(clip_id)
            clip_id = self.queue.backward()
        return self._forward_or_record(ended)

    def clip_ended(self, token: int) -> Clip | None:
        """The player reached the end: loop the clip, or advance when auto-advance is on."""
        if not self.is_current(token):
            return self.current
        if self.playback.auto_advance:
            self._finish(ImpressionExit.ENDED)
            return self._forward()
        assert self._stay is not None
        self._stay.loops += 1
        self.player.replay()
        return self.current

    def clip_failed(self, token: int) -> Clip | None:
        """The clip could not play: record that, forget it for this session, and move on.

        A remote clip that was streaming is only left out for now when the network may be why (see
        `tuifeed.feed.remote`): its server unreachable, it waits for it, else its server is probed first.
        """
        self.fail(token)
        return self.current

    def fail(self, token: int) -> bool:
        """`clip_failed`, saying whether the failure is an error to show now (False: not about the clip on
        screen, or the offline notice or the probe's verdict tells it). Decided once: the reachability it
        reads changes on other threads, so the view must not ask again."""
        if not self.is_current(token) or self._stay is None:
            return False
        quiet = self.quiet_failure()
        failed = self._stay.clip
        self._finish(ImpressionExit.ERROR)
        if quiet:
            assert self.remote is not None
            self.remote.stream_failed(failed)
            self.clips.pop(failed.id, None)
            self.queue.unshow(failed.id)
        else:
            self.drop(failed.id)
        self._forward()
        return not quiet

    def quiet_failure(self) -> bool:
        """Whether a failure of the clip on screen is for the network to explain, not an error to show now:
        it streamed from its URL, and the network is gone or its server is still to be asked."""
        stay = self._stay
        return stay is not None and stay.streamed and self.remote is not None and self.remote.explains(stay.clip)

    def drop(self, clip_id: str) -> None:
        """Forget a clip that cannot play, for the rest of this session (the one on screen stays on screen)."""
        self.queue.failed.add(clip_id)
        self.clips.pop(clip_id, None)

    def offline_notice(self) -> str | None:
        """The one calm line to show after clips were skipped for the network being gone; then None."""
        return self.remote.notice() if self.remote is not None else None

    def quit(self) -> None:
        """Close the impression on screen; call once as the app exits."""
        self._finish(ImpressionExit.QUIT)

    def leave(self) -> None:
        """Close the impression on screen because the person closed this feed (a page, a list's feed)."""
        self._finish(ImpressionExit.LEFT)

    # -- handing the player between feeds ------------------------------------------------------------

    def suspend(self) -> None:
        """Something covers this feed or another feed takes the screen: pause the clip and its dwell clock.

        The place is kept: the queue, the clip on screen and where it was, and whether the person had paused.
        """
        if self._suspended:
            return
        self._suspended = True
        self._paused_before_suspend = self._paused
        if self.plays:
            self._resume_ms = self.player.position_ms()
        self.set_paused(True)
        self._checkpoint()

    def resume(self) -> Clip | None:
        """This feed is on screen again: if another feed played meanwhile, its clip plays again where it was.

        A clip the person muted or hid meanwhile (in another feed) is left for the next one.
        """
        self.sync()
        if not self._suspended:
            return self.current
        self._suspended = False
        stay = self._stay
        if stay is not None and not self.plays:
            if not self.person.allows(stay.clip):
                self._paused = self._paused_before_suspend
                self._finish(ImpressionExit.NEXT)
                return self._forward()
            location = self._location(stay.clip)
            if location is None:
                self._paused = self._paused_before_suspend
                self._finish(ImpressionExit.NEXT)
                self._skip(stay.clip.id)
                return self._forward()
            self._take_player()
            stay.token = self.player.play(location, stay.clip.aspect)
            self.player.set_paused(True)
            if self._resume_ms:
                self.player.seek(self._resume_ms)
        self.set_paused(self._paused_before_suspend)
        self._replan()
        return self.current

    def _take_player(self) -> None:
        """Point the player at this feed's view and apply the shared sound settings.

        The feed that had the player is suspended first (its position kept, its clock stopped), whether
        or not its screen has heard yet that it lost the screen: Textual does not order the two.
        """
        previous = self.playback.owner
        if previous is not None and previous is not self:
            previous.suspend()
        if self._listener is not None and self._sizer is not None:
            self.player.attach(self._listener, self._sizer)
        self.playback.owner = self
        self.player.set_volume(self.playback.volume)
        self.player.set_muted(self.playback.muted)
        self.player.set_rate(self.playback.speed)

    # -- playback ----------------------------------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        """Pause or resume both the picture and the dwell clock."""
        if paused == self._paused:
            return
        self._paused = paused
        if self.plays:
            self.player.set_paused(paused)
        self._run_clock(not paused)

    def toggle_pause(self) -> None:
        """Pause if playing, resume if paused."""
        self.set_paused(not self._paused)

    def seek(self, direction: int) -> None:
        """Jump 5 s back (-1) or forward (1) in the clip on screen."""
        self.player.seek(direction * SEEK_MS)

    def step_volume(self, direction: int) -> None:
        """Turn the volume down (-1) or up (1) one step, which also unmutes."""
        self.playback.volume = max(0, min(100, self.playback.volume + direction * VOLUME_STEP))
        self.player.set_volume(self.playback.volume)
        self.playback.muted = False
        self.player.set_muted(False)

    def toggle_mute(self) -> None:
        """Mute or unmute the sound."""
        self.playback.muted = not self.playback.muted
        self.player.set_muted(self.playback.muted)

    def step_speed(self, direction: int) -> None:
        """Play one step slower (-1) or faster (1), from 0.5x to 2x; the speed holds for the clips after."""
        index = SPEEDS.index(self.playback.speed) + direction
        self.playback.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, index))]
        self.player.set_rate(self.playback.speed)

    def toggle_auto_advance(self) -> None:
        """Switch between looping a clip at its end and going on to the next."""
        self.playback.auto_advance = not self.playback.auto_advance

    # -- actions on the clip on screen -------------------------------------------------------------

    def toggle_like(self) -> bool:
        """Like or unlike the clip on screen; returns whether it is liked now."""
        stay = self._stay
        if stay is None:
            return False
        stay.liked = _toggle(self.person.liked, stay.clip.id)
        self.journal.write(Like(new_key(), stay.clip.id, stay.liked, utc_now(), stay.key))
        return stay.liked

    def toggle_save(self) -> bool:
        """Save or unsave the clip on screen (a bookmark and a strong signal); returns whether it is saved."""
        stay = self._stay
        if stay is None:
            return False
        stay.saved = _toggle(self.person.saved, stay.clip.id)
        self.journal.write(Event(new_key(), EventKind.SAVE, stay.clip.id, stay.saved, utc_now(), stay.key))
        return stay.saved

    def toggle_follow(self) -> bool:
        """Follow or unfollow the creator on screen; returns whether they are followed now."""
        stay = self._stay
        if stay is None or not stay.clip.creator:
            return False
        creator = stay.clip.creator
        stay.followed = _toggle(self.person.followed, creator)
        self.journal.write(Event(new_key(), EventKind.FOLLOW, creator, stay.followed, utc_now(), stay.key))
        if stay.followed:
            self.ranker.follow(creator)
        else:
            self.ranker.unfollow(creator)
        self._replan()
        return stay.followed

    def not_interested(self) -> Clip | None:
        """Hide the clip on screen for good, demote what it is made of at once, and move on."""
        stay = self._stay
        if stay is None:
            return None
        stay.not_interested = True
        self.journal.write(Event(new_key(), EventKind.NOT_INTERESTED, stay.clip.id, True, utc_now(), stay.key))
        self.person.hidden.add(stay.clip.id)
        self._finish(ImpressionExit.NEXT)
        self.sync()
        self.queue.upcoming()  # the clip after is chosen again, now that the ranker has learned the demotion
        return self._forward()

    def mute(self, kind: MuteKind, value: str) -> Clip | None:
        """Never show clips with this creator, tag or sound again; moves on if the clip on screen has it."""
        self.journal.write(Event(new_key(), EventKind.mute(kind), value, True, utc_now(), None))
        self.person.mute(kind, value)
        self.ranker.mute(kind, value)
        current = self.current
        if current is not None and current.has(kind, value):
            self._finish(ImpressionExit.NEXT)
            self.sync()
            return self._forward()
        self.sync()
        return current

    def picture_shown(self) -> None:
        """The clip's first frame reached the screen: dwell counts from now, not from when it was asked for."""
        stay = self._stay
        if stay is None or stay.pictured:
            return
        stay.pictured = True
        if stay.running_since is not None:
            stay.running_since = self.clock()
        self._ask_ahead()

    def tick(self) -> None:
        """Save the dwell so far every few seconds, so a killed run loses at most that much; and ask for the
        downloads ahead of a clip whose picture has not come within `AHEAD_WAIT_SECONDS`."""
        stay = self._stay
        if stay is None:
            return
        if not stay.asked_ahead and self.clock() - stay.shown_at >= AHEAD_WAIT_SECONDS:
            self._ask_ahead()
        if self.clock() - stay.last_checkpoint >= CHECKPOINT_SECONDS:
            self._checkpoint()

    def replan(self) -> None:
        """Choose the clip that comes next again, after the ranker changed its mind (a reset, an undo)."""
        self._replan()

    # -- internals ---------------------------------------------------------------------------------

    def _allowed(self, clip: Clip) -> bool:
        """Whether the person's hides and mutes, and this feed's filters, let `clip` in; failed clips stay out."""
        if clip.id in self.queue.failed or not self.person.sees(clip, self.filters):
            return False
        return self.remote is None or not self.remote.waits(clip.id)

    def _checkpoint(self) -> None:
        stay = self._stay
        if stay is None:
            return
        stay.last_checkpoint = self.clock()
        self.journal.write(Checkpoint(stay.key, round(self.dwell_seconds() * 1000), stay.loops, utc_now()))

    def _forward_or_record(self, ended: _Ended | None) -> Clip | None:
        """Show the queue's next clip, then record the `ended` stay; with no clip left, just record it."""
        shown = self._forward(ended)
        if shown is None:
            self._record(ended)
        return shown

    def _forward(self, ended: _Ended | None = None) -> Clip | None:
        """Show the queue's next clip (then recording the `ended` stay); None when there is none."""
        while (clip_id := self.queue.forward()) is not None:
            location = self._location(self.clips[clip_id])
            if location is not None:
                # The newest clip of a later round is a replay; one reached by walking history forward may not be.
                replay = self.queue.round > 1 and self.queue.back() == 0
                return self._show(clip_id, location, came_back=False, replay=replay, ended=ended)
            self._skip(clip_id)
        return None

    def _location(self, clip: Clip) -> str | None:
        """Where the player opens `clip`: the cached file or the URL of a remote clip; None to skip it (offline)."""
        return clip.location if self.remote is None else self.remote.location(clip)

    def _skip(self, clip_id: str) -> None:
        """Leave out a remote clip the network cannot bring now; it comes back with the network."""
        assert self.remote is not None
        self.remote.skip(self.clips[clip_id])
        self.clips.pop(clip_id, None)

    def _recheck(self) -> None:
        """A swipe while offline asks (in the background, one probe at a time) whether the network is back."""
        if self.remote is not None:
            self.remote.recheck()

    def _show(self, clip_id: str, location: str, *, came_back: bool, replay: bool, ended: _Ended | None = None) -> Clip:
        """Put `clip_id` on screen from `location`; the `ended` stay it replaces is recorded once it has switched."""
        clip = self.clips[clip_id]
        if not self.plays:
            self._take_player()
        self.switching_to = clip
        try:
            token = self.player.play(location, clip.aspect)
        finally:
            self.switching_to = None
        if self._paused:
            self.player.set_paused(True)
        self._record(ended)
        started_at, key = utc_now(), new_key()
        self.journal.write(OpenStay(key, clip.id, started_at, clip.duration_ms, came_back))
        now = self.clock()
        self._stay = _Stay(
            clip, key, started_at, token, came_back, replay, now, streamed=is_remote(location), shown_at=now
        )
        self._resume_ms = 0
        self._run_clock(not self._paused)
        self.ranker.shown(clip.id)
        self._replan()
        return clip

    def _replan(self) -> None:
        """Choose the clip that comes next again (after a show, a mute, a follow, a reset), pre-roll it, and
        ask for the next few remote clips to be downloaded ahead once the clip on screen shows its picture.

        Measured (benchmarks/remote.py --swipes, median swipe-to-first-frame against local files, three runs
        each): downloads begun at the swipe, another thread reading the socket and writing the file and the
        cache index while the first frame decodes, gave 1.21x, 1.59x and 1.35x; begun after the picture,
        1.04x, 1.03x and 0.88x.
        """
        stay = self._stay
        if stay is None or not self.plays:
            return
        self._preroll(self.queue.upcoming())
        stay.asked_ahead = False
        if stay.pictured:
            self._ask_ahead()

    def _ask_ahead(self) -> None:
        """Ask for the next few remote clips of the queue to be downloaded ahead."""
        stay = self._stay
        if stay is None or stay.asked_ahead or not self.plays:
            return
        stay.asked_ahead = True
        if self.remote is not None and self.remote.ahead and self._has_remote:
            self.remote.prefetch([self.clips[clip_id] for clip_id in self.queue.ahead(self.remote.ahead)])

    def preroll(self) -> None:
        """Pre-roll the clip that comes next from where it is now (a download may have just finished)."""
        if self._stay is not None and self.plays:
            self._preroll(self.queue.planned())

    def _preroll(self, upcoming: str | None) -> None:
        if upcoming is None:
            return
        clip = self.clips[upcoming]
        location = self._location(clip)
        if location is not None:
            self.player.preroll(location, clip.aspect)

    def _run_clock(self, running: bool) -> None:
        stay = self._stay
        if stay is None:
            return
        now = self.clock()
        if running and stay.running_since is None:
            stay.running_since = now
        elif not running and stay.running_since is not None:
            stay.dwell += now - stay.running_since
            stay.running_since = None

    def _finish(self, exit: ImpressionExit) -> None:
        """Close the stay on screen in the store and teach the ranker from it (one path: see `feedback`)."""
        self._record(self._end(exit))

    def _end(self, exit: ImpressionExit) -> _Ended | None:
        """End the stay on screen in memory (its clock stopped, the clip watched or hidden); `_record` stores it."""
        stay = self._stay
        if stay is None:
            return None
        self._run_clock(False)
        self._stay = None
        self.watched += stay.dwell
        impression = Impression(
            clip_id=stay.clip.id,
            started_at=stay.started_at,
            ended_at=utc_now(),
            dwell_ms=round(stay.dwell * 1000),
            duration_ms=stay.clip.duration_ms,
            loops=stay.loops,
            exit=exit,
            liked=stay.liked,
            saved=stay.saved,
            followed=stay.followed,
            not_interested=stay.not_interested,
            came_back=stay.came_back,
        )
        if impression.loops or (impression.watch_ratio or 0.0) >= WATCHED_RATIO:
            self.person.watched.add(stay.clip.id)
            if self.filters is not None and self.filters.hide_watched:
                self.clips.pop(stay.clip.id, None)
        return _Ended(stay.key, impression)

    def _record(self, ended: _Ended | None) -> None:
        """Write an ended stay to the store and teach the ranker from it."""
        if ended is None:
            return
        self.journal.write(CloseStay(ended.key, ended.impression))
        if teaches(ended.impression):
            self.ranker.observe(feedback(ended.impression))


@dataclass(frozen=True)
class _Ended:
    """A stay ended in memory, waiting to be written and taught."""

    key: str
    impression: Impression


def _toggle(members: set[str], member: str) -> bool:
    """Add `member` if absent, else remove it; returns whether it is a member now."""
    if member in members:
        members.discard(member)
        return False
    members.add(member)
    return True
