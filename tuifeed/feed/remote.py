"""Remote clips in the feeds: where each plays from (the cache, or the URL), what to fetch ahead, and going offline.

The feeds of one run share one `RemotePlay` over the library service, so the offline notice is told once
across For You, Following and the pages, and clips skipped while offline come back when the network does.

A remote clip that fails while streaming is not failed at once: the server may be gone (the person is
offline, or the server is down), and libvlc cannot say which. The clip is held aside and its server is
probed (one request for the first byte, in the background); the verdict says what the failure was:
no answer means offline (the clip waits for the network, with the one calm notice), an error such as a
404 is the one line to show (the clip is failed for this run), and an answer gives the clip one more try.
While offline, each swipe asks again (one probe at a time) whether the network is back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tuifeed.library.remote.urls import is_remote
from tuifeed.library.service import ProbeReport, Reach
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

    def check(self, clip: Clip) -> None:
        """Probe the server of `clip` in the background; the verdict comes back as a `ProbeReport`."""


class RemotePlay:
    """The feeds' one view of the library service: locations, prefetch wishes, probes and the offline notice."""

    def __init__(self, locator: Locator) -> None:
        """Play remote clips through `locator`."""
        self.locator = locator
        self.skipped: set[str] = set()
        """Clips skipped because the network was gone and they were not cached."""
        self.held: dict[str, Clip] = {}
        """Clips that failed while streaming, left out until the probe of their server says why."""
        self.retried: set[str] = set()
        """Clips whose server answered after they failed: they had their one more try."""
        self._away: dict[str, Clip] = {}
        """The skipped clips themselves, to probe one of them when asking whether the network is back."""
        self._rechecking = False
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

    def skip(self, clip: Clip) -> None:
        """Leave `clip` out until the network is back (it is remote, not cached, and the network is gone)."""
        self.skipped.add(clip.id)
        self._away[clip.id] = clip

    def explains(self, clip: Clip) -> bool:
        """Whether the network may explain why the streamed `clip` failed: offline, or not yet probed for it.

        When it does, the failure is not told as an error now: the notice or the probe's verdict tells it.
        """
        return self.offline or clip.id not in self.retried

    def stream_failed(self, clip: Clip) -> None:
        """The streamed `clip` failed (and `explains` it): skip it while offline, else hold it and probe its server."""
        if self.offline:
            self.skip(clip)
            return
        self.held[clip.id] = clip
        self.locator.check(clip)

    def recheck(self) -> None:
        """While offline with clips skipped, probe the server of one of them (one probe at a time): a swipe asks."""
        if self._rechecking or not self._away or not self.locator.offline:
            return
        self._rechecking = True
        self.locator.check(next(iter(self._away.values())))

    def verdict(self, report: ProbeReport) -> str | None:
        """Take a probe's finding for its clip; returns the error line when the clip is to fail for this run.

        No answer: a held clip waits for the network with the skipped ones. An answer: a held clip has its
        one more try (the feeds take it back). An error: the clip fails, whether held or skipped.
        """
        self._rechecking = False
        clip_id = report.clip_id
        held = self.held.pop(clip_id, None)
        if report.reach is Reach.UNREACHABLE:
            if held is not None:
                self.skip(held)
            return None
        if report.reach is Reach.ANSWERS:
            self.retried.add(clip_id)
            return None
        self.skipped.discard(clip_id)
        self._away.pop(clip_id, None)
        return report.error or "the server refused the clip"

    def back_online(self) -> set[str]:
        """When the network works again: the skipped clips, to offer again (the notice may be told again later)."""
        if self.locator.offline or not self.skipped:
            return set()
        back, self.skipped = self.skipped, set()
        self._away.clear()
        self._told = False
        return back

    def notice(self) -> str | None:
        """The offline notice, the first time a clip was skipped since the network went; then None."""
        if self._told or not self.skipped:
            return None
        self._told = True
        return OFFLINE_NOTICE
