"""The queue: the clips shown so far, walked back and forth, and the ranker's next pick, round by round."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from tuifeed.feed.ranker import Picker
from tuifeed.models import Clip


@dataclass(frozen=True, slots=True)
class Pick:
    """A clip the ranker chose, and whether choosing it began a new round."""

    clip_id: str
    new_round: bool


class Queue:
    """Which clip is on screen and which comes next; knows nothing of the player or the store.

    A round is the set of clips shown since it began. The ranker picks outside the round; when every
    clip of the session is in it, a new round begins and the ranker picks again excluding only the clip
    on screen, so a replay is ranked under the same mutes and diversity rules as any other pick.
    History keeps every clip shown, and walking it skips clips that have left the session since.
    """

    def __init__(self, ranker: Picker, clips: Mapping[str, Clip], *, opening: str | None = None) -> None:
        """Pick with `ranker` among `clips`, the session's playable clips (a live mapping); the first pick is
        `opening` while it is one of them."""
        self._ranker = ranker
        self._clips = clips
        self._opening = opening
        self.history: list[str] = []
        """Clip ids in the order they were shown; `index` points at the one on screen."""
        self.index = -1
        self.round = 1
        """Which round this is: 2 once every clip was shown and the feed began again."""
        self.failed: set[str] = set()
        """Clips that could not play: never asked for again this session."""
        self._in_round: set[str] = set()
        self._visits: Counter[str] = Counter()
        """How often each clip of the round came on screen in it (walking history counts): `unshow` takes one back."""
        self._upcoming: Pick | None = None
        self._shown: Clip | None = None

    @property
    def opened_on(self) -> str | None:
        """The clip the feed opened on because the last run had lined it up (see `__init__`), if it did."""
        return self._opening if self.history and self.history[0] == self._opening else None

    @property
    def current(self) -> str | None:
        """The id of the clip on screen (it may have just left the session), if any."""
        return self.history[self.index] if 0 <= self.index < len(self.history) else None

    def seen(self) -> int:
        """How many of the session's clips were shown in this round, the one on screen included."""
        return sum(clip_id in self._clips for clip_id in self._in_round)

    def back(self) -> int:
        """How many clips of the session lie ahead in history: 0 unless the person swiped back."""
        return sum(clip_id in self._clips for clip_id in self.history[self.index + 1 :])

    def forward(self) -> str | None:
        """Move to the next clip: the next one in history still in the session, else the upcoming pick."""
        ahead = self._step(1)
        if ahead is not None:
            self.index = ahead
        else:
            pick = self._upcoming
            if pick is None or pick.clip_id not in self._clips or pick.clip_id in self.failed:
                pick = self._pick()
            if pick is None:
                return None
            if pick.new_round:
                self.round += 1
                self._in_round.clear()
                self._visits.clear()
            self.history.append(pick.clip_id)
            self.index = len(self.history) - 1
        return self._visit()

    def backward(self) -> str | None:
        """Move to the clip before that is still in the session; None, staying put, when there is none."""
        before = self._step(-1)
        if before is None:
            return None
        self.index = before
        return self._visit()

    def upcoming(self) -> str | None:
        """The clip `forward` will move to, chosen now (to pre-roll it); call again when the rules change."""
        ahead = self._step(1)
        if ahead is not None:
            self._upcoming = None
            return self.history[ahead]
        self._upcoming = self._pick()
        return self._upcoming.clip_id if self._upcoming else None

    def planned(self) -> str | None:
        """The clip `upcoming` chose last, without choosing again (None when nothing is planned)."""
        ahead = self._step(1)
        if ahead is not None:
            return self.history[ahead]
        pick = self._upcoming
        return pick.clip_id if pick is not None and pick.clip_id in self._clips else None

    def ahead(self, count: int) -> list[str]:
        """The `count` clips most likely shown next: history ahead, the upcoming pick, then the ranker's next guesses.

        Guesses ask the ranker (its exploration draws included), so only feeds that prefetch call this.
        """
        found = list(dict.fromkeys(clip_id for clip_id in self.history[self.index + 1 :] if clip_id in self._clips))
        planned = self.planned()
        if planned is not None and planned not in found:
            found.append(planned)
        on_screen = {self.current} if self.current is not None else set()
        while len(found) < count and (guess := self._ask(self._in_round | on_screen | set(found))) is not None:
            found.append(guess)
        return found[:count]

    def unshow(self, clip_id: str) -> None:
        """The clip on screen never really showed this time (its stream failed; it may come back): unless it
        showed earlier in this round (walked back to), it leaves the round, so back in the session it counts
        as not seen yet and can be picked within the round."""
        self._visits[clip_id] -= 1
        if self._visits[clip_id] <= 0:
            del self._visits[clip_id]
            self._in_round.discard(clip_id)

    def _visit(self) -> str:
        self._upcoming = None
        clip_id = self.history[self.index]
        self._in_round.add(clip_id)
        self._visits[clip_id] += 1
        self._shown = self._clips[clip_id]
        return clip_id

    def _step(self, direction: int) -> int | None:
        """The history index of the nearest clip in `direction` that is still in the session."""
        index = self.index + direction
        while 0 <= index < len(self.history):
            if self.history[index] in self._clips:
                return index
            index += direction
        return None

    def _pick(self) -> Pick | None:
        """The ranker's choice outside this round; a new round's when the round holds every clip."""
        opening = self._opening
        if opening is not None and not self.history and opening in self._clips and opening not in self.failed:
            return Pick(opening, new_round=False)
        on_screen = {self.current} if self.current is not None else set()
        choice = self._ask(self._in_round | on_screen)
        new_round = choice is None
        if new_round:
            choice = self._ask(on_screen) or self._ask(set())
        if choice is not None and self._repeats(self._clips[choice]):
            # The round's last clips can all share the creator on screen, and the ranker's no-repeat
            # window can leave only those: when another clip exists, a replay spares the person the repeat.
            choice = self._ask(on_screen | {clip.id for clip in self._clips.values() if self._repeats(clip)}) or choice
        return None if choice is None else Pick(choice, new_round)

    def _repeats(self, clip: Clip) -> bool:
        """Whether a clip shares its creator or its sound with the clip on screen (which may have just left)."""
        shown = self._shown
        if shown is None or clip.id == shown.id:
            return False
        return bool(clip.creator and clip.creator == shown.creator) or bool(clip.sound and clip.sound == shown.sound)

    def _ask(self, exclude: set[str]) -> str | None:
        """The ranker's best clip outside `exclude` that the session may show."""
        exclude = exclude | self.failed
        while (choice := self._ranker.next(exclude=exclude)) is not None and choice not in exclude:
            if choice in self._clips:
                return choice
            exclude.add(choice)  # the ranker knows a clip this session does not play (hidden, filtered out)
        return None
