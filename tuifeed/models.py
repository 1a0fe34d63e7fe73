"""Plain dataclasses shared by every room: clips, impressions and how they end."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class MuteKind(StrEnum):
    """What a person can mute: every clip by a creator, with a sound, or carrying a tag."""

    CREATOR = "creator"
    TAG = "tag"
    SOUND = "sound"


class EventKind(StrEnum):
    """The toggles stored in the events table; the newest row per (kind, subject) wins."""

    SAVE = "save"
    FOLLOW = "follow"
    NOT_INTERESTED = "not_interested"
    RESET = "reset"
    MUTE_CREATOR = "mute_creator"
    MUTE_TAG = "mute_tag"
    MUTE_SOUND = "mute_sound"

    @classmethod
    def mute(cls, kind: MuteKind) -> EventKind:
        """The event kind that records a mute of `kind`."""
        return cls(f"mute_{kind.value}")


class SourceKind(StrEnum):
    """The kinds of remote library tuifeed reads, as stored with each source."""

    FEED = "feed"
    """RSS, Atom, Media RSS or a podcast feed with video enclosures."""
    PLAYLIST = "playlist"
    """An M3U or M3U8 list of clip URLs (an HLS playlist is one clip)."""
    LISTING = "listing"
    """A directory listing: nginx autoindex (HTML or JSON), Apache, python's http.server."""
    PEERTUBE = "peertube"
    """A PeerTube channel, account or search."""
    MANIFEST = "manifest"
    """A tuifeed-library.json."""
    CLIP = "clip"
    """A single video URL."""


WATCHED_RATIO = 0.9
"""A stay that saw this share of a clip (or looped it) watched it: History's marker and the hide-watched filter."""


def normalise_tag(tag: str) -> str:
    """The one spelling of a tag used for matching: `#Ocean`, ` ocean` and `OCEAN` are the same tag."""
    return tag.strip().lstrip("#").casefold()


@dataclass(frozen=True, slots=True)
class Clip:
    """One video clip the feed can show, whatever library it came from."""

    id: str
    """Stable identity: a content hash for files, so a moved file keeps its history."""
    location: str
    """A filesystem path or an http(s) URL that the player can open."""
    title: str = ""
    creator: str | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    sound: str | None = None
    """The clip's audio track as platforms name it ("original sound - ana", "lofi-3")."""
    duration_ms: int | None = None
    width: int | None = None
    """Display width in pixels, rotation already applied."""
    height: int | None = None
    popularity: int | None = None
    """A platform count (likes, else views) from a sidecar, used as a prior."""
    imported_at: str | None = None
    """ISO 8601 UTC time the clip first entered the library."""
    published_at: str | None = None
    """ISO 8601 UTC time the clip was published or recorded, when the files tell."""
    source_id: str | None = None
    """The platform's identity of the clip as "extractor:id" ("youtube:dQw4w9WgXcQ"), from a sidecar."""
    source_url: str | None = None
    """The clip's page on its platform, from a sidecar."""
    embedding: tuple[float, ...] | None = field(default=None, compare=False)
    """A fixed-length content signature (colour, motion, text) for similarity."""

    def has(self, kind: MuteKind, value: str) -> bool:
        """Whether this clip carries `value` as its creator, its sound or one of its tags."""
        if kind is MuteKind.CREATOR:
            return self.creator == value
        if kind is MuteKind.SOUND:
            return self.sound == value
        wanted = normalise_tag(value)
        return any(normalise_tag(tag) == wanted for tag in self.tags)

    @property
    def aspect(self) -> tuple[int, int] | None:
        """The clip's width and height in pixels, when both are known."""
        return (self.width, self.height) if self.width and self.height else None

    @property
    def is_vertical(self) -> bool:
        """True for portrait clips such as 9:16 shorts."""
        return bool(self.width and self.height and self.height > self.width)


class ImpressionExit(StrEnum):
    """How the person left a clip."""

    NEXT = "next"
    PREVIOUS = "previous"
    QUIT = "quit"
    ENDED = "ended"
    """The clip reached its end with auto-advance on."""
    ERROR = "error"
    """The clip could not be played."""
    KILLED = "killed"
    """The process died while the clip was on screen; closed at the next start."""
    LEFT = "left"
    """The person closed the feed the clip played in (a page, a list played as a feed)."""


@dataclass(frozen=True, slots=True)
class Impression:
    """One stay on one clip: from the moment it appeared until the person left it."""

    clip_id: str
    started_at: str
    ended_at: str
    dwell_ms: int
    """Time on screen while not paused."""
    duration_ms: int | None
    loops: int
    exit: ImpressionExit
    liked: bool = False
    """The person liked the clip during the stay (and had not unliked it when leaving)."""
    saved: bool = False
    """Saved during the stay."""
    followed: bool = False
    """Followed the clip's creator during the stay."""
    not_interested: bool = False
    """Said "not interested" in the clip, which ended the stay."""
    came_back: bool = False
    """The stay began by swiping back to a clip seen just before."""
    seq: int | None = None
    """Where the stay's end falls among everything the person did (likes, events, stays); None while open."""

    @property
    def watch_ratio(self) -> float | None:
        """Dwell over duration; above 1 when the clip looped."""
        if not self.duration_ms:
            return None
        return self.dwell_ms / self.duration_ms
