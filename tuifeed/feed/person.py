"""Person: what the person told tuifeed (likes, saves, follows, hides, mutes) and watched; one copy for every feed."""

from __future__ import annotations

from dataclasses import dataclass, field

from tuifeed.models import Clip, EventKind, MuteKind, normalise_tag
from tuifeed.store import Store
from tuifeed.store.lists import watched_ids
from tuifeed.store.store import utc_now


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
    watched: set[str] = field(default_factory=set)
    """Clips seen (nearly) to the end at least once."""

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

    def allows(self, clip: Clip) -> bool:
        """Whether the person's hides and mutes let this clip be shown anywhere."""
        if clip.id in self.hidden:
            return False
        return not any(clip.has(kind, value) for kind, values in self.mutes.items() for value in values)

    def muted_as(self, kind: MuteKind, value: str) -> set[str]:
        """The spellings under which `value` is muted: itself, or for tags every spelling of the same tag."""
        if kind is not MuteKind.TAG:
            return {value} & self.mutes[kind]
        wanted = normalise_tag(value)
        return {muted for muted in self.mutes[kind] if normalise_tag(muted) == wanted}


def record_unmute(store: Store, person: Person, kind: MuteKind, value: str) -> set[str]:
    """Lift a mute in the store and for `person`, every spelling of it; returns the spellings lifted."""
    spellings = person.muted_as(kind, value)
    for spelling in sorted(spellings):
        store.record_event(EventKind.mute(kind), spelling, False, utc_now())
        person.mutes[kind].discard(spelling)
    return spellings
