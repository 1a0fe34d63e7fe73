"""Person: what the person told tuifeed (likes, saves, follows, hides, mutes) and watched; one copy for every feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tuifeed.models import Clip, EventKind, MuteKind, normalise_tag
from tuifeed.store import Store
from tuifeed.store.journal import Event, Journal, new_key
from tuifeed.store.lists import watched_ids
from tuifeed.store.store import utc_now

if TYPE_CHECKING:
    from tuifeed.feed.filters import Filters


@dataclass
class Person:
    """One copy per run, read from the store at start and kept current by the feeds as the person acts."""

    liked: set[str] = field(default_factory=set)
    saved: set[str] = field(default_factory=set)
    followed: set[str] = field(default_factory=set)
    """Creators."""
    hidden: set[str] = field(default_factory=set)
    """Clips marked "not interested"."""
    mutes: dict[MuteKind, set[str]] = field(default_factory=lambda: {kind: set() for kind in MuteKind})
    """What is muted, as each mute was spelled; change it with `mute` and `unmute`, which keep `allows` fast."""
    watched: set[str] = field(default_factory=set)
    """Clips seen (nearly) to the end at least once."""
    _muted_tags: set[str] = field(init=False, repr=False, default_factory=set)
    _spellings: dict[tuple[str, ...], frozenset[str]] = field(init=False, repr=False, default_factory=dict)
    """Each clip's tags as `normalise_tag` spells them, worked out once per set of tags."""

    def __post_init__(self) -> None:
        self._muted_tags = {normalise_tag(tag) for tag in self.mutes[MuteKind.TAG]}

    @classmethod
    def load(cls, store: Store) -> Person:
        """Everything the store says the person did."""
        return cls(
            liked=store.liked_ids(),
            saved=store.active(EventKind.SAVE),
            followed=store.active(EventKind.FOLLOW),
            hidden=store.active(EventKind.NOT_INTERESTED),
            mutes={kind: store.active(EventKind.mute(kind)) for kind in MuteKind},
            watched=watched_ids(store),
        )

    def sees(self, clip: Clip, filters: Filters | None) -> bool:
        """Whether the person's hides and mutes, and a feed's `filters` (None: it has none), let `clip` into it."""
        return self.allows(clip) and (filters is None or filters.allows(clip, self.watched))

    def allows(self, clip: Clip) -> bool:
        """Whether the person's hides and mutes let this clip be shown anywhere.

        The same answer as asking `clip.has` of every mute, in set lookups: feeds ask it of every clip
        of the library each time they are shown again (10,000 clips x 20 mutes took 0.6 s that way).
        """
        if clip.id in self.hidden or clip.creator in self.mutes[MuteKind.CREATOR]:
            return False
        if clip.sound in self.mutes[MuteKind.SOUND]:
            return False
        if not self._muted_tags or not clip.tags:
            return True
        spelt = self._spellings.get(clip.tags)
        if spelt is None:
            spelt = self._spellings[clip.tags] = frozenset(normalise_tag(tag) for tag in clip.tags)
        return self._muted_tags.isdisjoint(spelt)

    def mute(self, kind: MuteKind, value: str) -> None:
        """Mute a creator, tag or sound from now on."""
        self.mutes[kind].add(value)
        if kind is MuteKind.TAG:
            self._muted_tags.add(normalise_tag(value))

    def unmute(self, kind: MuteKind, value: str) -> None:
        """Lift the mute of one spelling (see `muted_as` for all the spellings of a tag)."""
        self.mutes[kind].discard(value)
        self._muted_tags = {normalise_tag(tag) for tag in self.mutes[MuteKind.TAG]}

    def muted_as(self, kind: MuteKind, value: str) -> set[str]:
        """The spellings under which `value` is muted: itself, or for tags every spelling of the same tag."""
        if kind is not MuteKind.TAG:
            return {value} & self.mutes[kind]
        wanted = normalise_tag(value)
        return {muted for muted in self.mutes[kind] if normalise_tag(muted) == wanted}


def record_unmute(journal: Journal, person: Person, kind: MuteKind, value: str) -> set[str]:
    """Lift a mute in the store (through `journal`) and for `person`, every spelling of it; returns those lifted."""
    spellings = person.muted_as(kind, value)
    for spelling in sorted(spellings):
        journal.write(Event(new_key(), EventKind.mute(kind), spelling, False, utc_now(), None))
        person.unmute(kind, spelling)
    return spellings
