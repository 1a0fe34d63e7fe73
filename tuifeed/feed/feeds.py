"""Feeds: every feed of one run (For You, Following, pages, lists played as feeds) over one player and one store.

Why one `FeedSession` per feed, sharing the player, rather than one session whose source of clips
changes: each feed keeps its own place (its queue and history, the clip on screen and where it was in
it) while the person looks elsewhere, and every feed records stays, dwell and feedback through the one
code path in `FeedSession`. What must be one thing is shared: the `Person` (likes, follows, hides, mutes,
what was watched), the `Playback` settings, the store and the recommender, which learns from every feed.
Only the feed on screen plays: a feed that loses the screen is suspended (paused, dwell clock stopped,
position kept), and one that gets it back plays its clip again where it left off.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tuifeed.feed.feedback import feedback, restore_recommender, teaches
from tuifeed.feed.filters import Filters
from tuifeed.feed.person import Person, record_unmute
from tuifeed.feed.pickers import Following, Ordered, newest_first
from tuifeed.feed.playback import Playback
from tuifeed.feed.ranker import Ranker
from tuifeed.feed.remote import Locator, RemotePlay
from tuifeed.feed.session import FeedSession
from tuifeed.library.service import PrefetchReport, ProbeReport
from tuifeed.models import Clip, EventKind, MuteKind
from tuifeed.player import Player
from tuifeed.store import Marked, Mute, Store, Watch, lists
from tuifeed.store.journal import DropEvent, Event, Journal, Opening, new_key
from tuifeed.store.search import search_clips
from tuifeed.store.stats import Stats, stats
from tuifeed.store.store import utc_now

UNDO_SECONDS = 6.0
"""How long after a mute or a refresh the person can still undo it."""
NO_FOLLOWS = "You follow no one yet: press f on a clip to follow its creator"
FROM_THE_TOP = "That was all of them: from the top again"


def describe(kind: MuteKind, value: str) -> str:
    """A creator, tag or sound as the app names it: "@ana", "#ocean", "♪ lofi-3"."""
    if kind is MuteKind.TAG:
        return "#" + value.strip().lstrip("#")
    return ("@" if kind is MuteKind.CREATOR else "♪ ") + value


@dataclass(frozen=True, slots=True)
class Undo:
    """The last thing the person may still take back, until `until` on the feeds' clock."""

    what: str
    until: float
    action: Callable[[], object]


class Feeds:
    """The feeds of one run, built by the CLI (or a test) and handed to the app."""

    def __init__(
        self,
        store: Store,
        player: Player,
        ranker: Ranker,
        clips: Iterable[Clip],
        *,
        playback: Playback | None = None,
        filters: Filters | None = None,
        remote: Locator | None = None,
        opening: str | None = None,
        lines_up: bool = True,
        person: Person | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Feeds over `clips` (the playable library of this run), learning through `ranker`.

        `remote` (the library service) places remote clips: cached file or URL, downloads ahead, offline.
        For You opens on `opening` (see `Store.opening`) when it may show it; with `lines_up` (a run over the
        whole library, not a folder's or a URL's clips) its next pick opens the next run. `person` is the one
        loaded from `store` already, if any.
        """
        self.lines_up = lines_up
        self.store = store
        self.player = player
        self.ranker = ranker
        self.clock = clock
        self.person = person or Person.load(store)
        self.playback = playback or Playback()
        self.filters = filters or Filters()
        self.journal = Journal(store)
        """The writes of every feed, in the order they were made (see `tuifeed.store.journal`)."""
        self.remote = RemotePlay(remote) if remote is not None else None
        self.library: dict[str, Clip] = {clip.id: clip for clip in clips}
        """Every clip this run may play, by id."""
        self.for_you = self._session(self.library.values(), filters=self.filters, opening=opening)
        picker = Following(self.library, self.person.followed, self.person.watched, ranker)
        self.following = self._session(
            (),
            picker=picker,
            source=lambda: [clip for clip in self.library.values() if clip.creator in self.person.followed],
            filters=self.filters,
            title="Following",
            reason="you follow its creator",
            empty=NO_FOLLOWS,
        )
        self.opened: list[FeedSession] = []
        """Pages and lists played as feeds that are still open."""
        self._undo: Undo | None = None
        self._closed_watched = 0.0
        """Seconds watched in feeds the person has closed."""

    def _session(self, clips: Iterable[Clip], **options: Any) -> FeedSession:
        return FeedSession(
            self.store,
            self.player,
            self.ranker,
            clips,
            person=self.person,
            playback=self.playback,
            journal=self.journal,
            remote=self.remote,
            clock=self.clock,
            **options,
        )

    @property
    def sessions(self) -> list[FeedSession]:
        """Every live feed: For You, Following, then what was opened, oldest first."""
        return [self.for_you, self.following, *self.opened]

    # -- pages and lists played as feeds -----------------------------------------------------------

    def page(self, kind: MuteKind, value: str) -> FeedSession:
        """Every clip of a creator, tag or sound, newest first, as a feed of its own (close it with `close`)."""
        clips = newest_first(clip for clip in self.library.values() if clip.has(kind, value))
        return self._open(clips, describe(kind, value), f"it is on the page of {describe(kind, value)}")

    def playlist(self, title: str, clips: Sequence[Clip], start: int, reason: str) -> FeedSession:
        """A list (Liked, Saved, History, search results) played from row `start` on, then from its top.

        A clip listed twice (History) plays once, at its first place from `start`.
        """
        rotated = [*clips[start:], *clips[:start]]
        unique = list({clip.id: clip for clip in rotated}.values())
        return self._open(unique, title, reason)

    def _open(self, clips: list[Clip], title: str, reason: str) -> FeedSession:
        session = self._session(
            clips,
            picker=Ordered([clip.id for clip in clips]),
            title=title,
            reason=reason,
            empty="Nothing here to play",
            replay_notice=FROM_THE_TOP,
        )
        self.opened.append(session)
        return session

    def close(self, session: FeedSession) -> None:
        """The person closed a page or a list's feed: its stay ends (exit `left`) and it is forgotten."""
        session.leave()
        if session in self.opened:
            self.opened.remove(session)
            self._closed_watched += session.watched
        if self.playback.owner is session:
            self.playback.owner = None

    # -- the person's lists, and search ------------------------------------------------------------

    def _shows(self, clip: Clip) -> bool:
        return clip.id in self.library and self.person.allows(clip)

    def liked(self) -> list[Marked]:
        """Liked clips of this run's library, newest like first, less what is hidden or muted."""
        return [row for row in lists.liked(self.store) if self._shows(row.clip)]

    def saved(self) -> list[Marked]:
        """Saved clips, newest first, less what is hidden or muted."""
        return [row for row in lists.saved(self.store) if self._shows(row.clip)]

    def history(self, limit: int = 500) -> list[Watch]:
        """The newest stays, newest first, with dwell and completion, less what is hidden or muted."""
        return [row for row in lists.history(self.store, limit) if self._shows(row.clip)]

    def mutes(self) -> list[Mute]:
        """Every mute in force, newest first."""
        return lists.mutes(self.store)

    def stats(self, now: datetime) -> Stats:
        """What the person watched as of `now` (aware; local days begin at its midnight): the Stats screen's figures."""
        return stats(self.store, now)

    def search(self, query: str) -> list[Clip]:
        """Clips of this run's library matching every word of `query`, best first, less what is hidden or muted."""
        return search_clips(self.store, query, keep=self._shows)

    # -- what changes every feed -------------------------------------------------------------------

    def mute(self, session: FeedSession, kind: MuteKind, value: str) -> Clip | None:
        """Mute from the feed on screen (which moves on if its clip has it); every feed drops those clips."""
        clip = session.mute(kind, value)
        self._sync(besides=session)
        self._offer(f"mute of {describe(kind, value)}", lambda: self._unmute(kind, value))
        return clip

    def unmute(self, kind: MuteKind, value: str) -> bool:
        """Lift a mute (every spelling of a tag); its clips come back to every feed. False if it was not muted."""
        self._undo = None
        return self._unmute(kind, value)

    def _unmute(self, kind: MuteKind, value: str) -> bool:
        spellings = record_unmute(self.journal, self.person, kind, value)
        for spelling in spellings:
            self.ranker.unmute(kind, spelling)
        self._sync()
        return bool(spellings)

    def set_filters(self, filters: Filters) -> None:
        """Apply new filters to For You and Following at once."""
        self.filters = filters
        for session in (self.for_you, self.following):
            session.filters = filters
            session.sync()

    def refresh_for_you(self) -> None:
        """Forget what the feed learned (history, likes, follows and mutes are kept); undoable for a few seconds.

        The mark goes through the journal like every other write, so a locked database never holds the UI.
        """
        key = new_key()
        self.journal.write(Event(key, EventKind.RESET, "for_you", True, utc_now(), None))
        self.ranker.reset()
        self._replan()
        self._offer("refresh", lambda: self._undo_refresh(key))

    def _undo_refresh(self, key: str) -> None:
        """Rebuild the recommender from the store without the reset `key`: what it learned, as if never refreshed.

        The mark is taken back through the journal; the rebuild ignores it whether or not that has landed.
        """
        self.journal.write(DropEvent(key))
        restore_recommender(self.store, self.ranker, dropped_reset=key)
        for impression in self.journal.waiting_stays():  # ended under a lock: not in the store yet, but learned live
            if teaches(impression):
                self.ranker.observe(feedback(impression))
        owner = self.playback.owner
        if owner is not None and owner.current is not None:
            self.ranker.shown(owner.current.id)
        self._replan()

    def undo(self) -> str | None:
        """Take back the last mute or refresh if it is recent enough; returns what was undone, or None."""
        undo, self._undo = self._undo, None
        if undo is None or self.clock() > undo.until:
            return None
        undo.action()
        return undo.what

    def _offer(self, what: str, action: Callable[[], object]) -> None:
        self._undo = Undo(what, self.clock() + UNDO_SECONDS, action)

    def reload_library(self) -> int:
        """Take in the clips the store gained (an import finished); returns how many For You can now show."""
        new = [clip for clip in self.store.clips() if clip.id not in self.library]
        self.library.update((clip.id, clip) for clip in new)
        added = self.for_you.add_clips(new)
        self._sync()
        return added

    def remote_changed(self) -> None:
        """A download ahead finished or failed, or a refresh ran: clips skipped offline may be back, and the
        next clip is pre-rolled from where it is now (the cache, once downloaded)."""
        if self.remote is not None and self.remote.back_online():
            self._sync()
        owner = self.playback.owner
        if owner is None:
            return
        if owner.current is None and owner.clips:
            owner.start()  # the feed on screen had run out of clips it could play: some are back
        else:
            owner.preroll()

    def prefetched(self, report: PrefetchReport) -> str | None:
        """A download finished or failed; returns the error line to show when it was the only way a clip could
        play, and it failed (the clip then leaves every feed for this run; no line when the person hid or muted it
        meanwhile). Downloaded, such a clip comes back.

        Only such a clip's report takes the feeds' clips again: a download ahead (about three a swipe) changes
        none of them, and taking them again reads every clip of every feed on the UI thread."""
        if self.remote is None:
            return None
        needed = self.remote.downloading.get(report.clip_id)
        error = self.remote.downloaded(report)
        if error is not None:
            for session in self.sessions:
                session.drop(report.clip_id)
            if needed is not None and not self.person.allows(needed):
                error = None  # hidden or muted while it downloaded: no line about a clip the person sent away
        if needed is not None:
            self._sync()
        self.remote_changed()
        return error

    def probed(self, report: ProbeReport) -> str | None:
        """A probe of a clip's server reported; returns the error line to show when the clip is to fail.

        A failing clip leaves every feed for this run; a clip whose server answered comes back for one more
        try, and with the network back the clips skipped offline come back too.
        """
        if self.remote is None:
            return None
        error = self.remote.verdict(report)
        if error is not None:
            for session in self.sessions:
                session.drop(report.clip_id)
        self._sync()
        self.remote_changed()
        return error

    def watched_seconds(self) -> float:
        """Seconds watched in this run, in every feed, the stay on screen included (pauses not counted)."""
        live = sum(session.watched + session.dwell_seconds() for session in self.sessions)
        return self._closed_watched + live

    def quit(self) -> None:
        """Close the stay on screen in every feed; call once as the app exits.

        Where For You played over the whole library, the clip it had lined up next is kept for the next run to
        open on (none when the person had swiped back: what lies ahead was seen)."""
        for session in self.sessions:
            session.quit()
        queue = self.for_you.queue
        if self.lines_up and queue.history:
            self.journal.write(Opening(queue.planned() if queue.back() == 0 else None))

    def _sync(self, besides: FeedSession | None = None) -> None:
        for session in self.sessions:
            if session is not besides:
                session.sync()

    def _replan(self) -> None:
        for session in self.sessions:
            session.replan()
