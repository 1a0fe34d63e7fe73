"""Remote clips in the feeds: where each plays from (the cache, or the URL), what to fetch ahead, and going offline.

The feeds of one run share one `RemotePlay` over the library service, so the offline notice is told once
across For You, Following and the pages, and clips skipped while offline come back when the network does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tuifeed.library.remote.urls import is_remote
from tuifeed.models import Clip

OFFLINE_NOTICE = "Offline: playing the clips already downloaded; the others wait until the network is back."


class Locator(Protocol):
    """What the feeds need from the library service (`tuifeed.library.service.Library` is the real one)."""

    @property
    def offline(self) -> bool:
        """Whether the network failed lately: uncached remote clips cannot play."""

    @property
    def prefetch_count(self) -> int:
        """How many of the next clips to download ahead (0: none)."""

    def playable_location(self, clip: Clip) -> str | None:
        """The cached file of a remote clip, else its URL; None when offline and not cached; a local path as is."""

    def prefetch(self, clips: Sequence[Clip]) -> None:
        """Download the first few remote clips of `clips` in the background, replacing the last wish list."""


class RemotePlay:
    """The feeds' one view of the library service: locations, prefetch wishes and the offline notice."""

    def __init__(self, locator: Locator) -> None:
        """Play remote clips through `locator`."""
        self.locator = locator
        self.skipped: set[str] = set()
        """Clips skipped because the network was gone and they were not cached."""
        self._told = False

    @property
    def ahead(self) -> int:
        """How many of the next clips a feed should name when it swipes (0: prefetching is off)."""
        return self.locator.prefetch_count

    @property
    def offline(self) -> bool:
        """Whether the network is known to be gone."""
        return self.locator.offline

    def location(self, clip: Clip) -> str | None:
        """Where the player opens `clip`; None means skip it for now (offline, and not cached)."""
        return self.locator.playable_location(clip)

    def prefetch(self, clips: Sequence[Clip]) -> None:
        """Ask for `clips` (the next ones of the feed on screen) to be downloaded ahead."""
        if self.ahead and any(is_remote(clip.location) for clip in clips):
            self.locator.prefetch(clips)

    def back_online(self) -> set[str]:
        """When the network works again: the skipped clips, to offer again (the notice may be told again later)."""
        if self.locator.offline or not self.skipped:
            return set()
        back, self.skipped = self.skipped, set()
        self._told = False
        return back

    def notice(self) -> str | None:
        """The offline notice, the first time a clip was skipped since the network went; then None."""
        if self._told or not self.skipped:
            return None
        self._told = True
        return OFFLINE_NOTICE
