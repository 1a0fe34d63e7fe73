"""Remote clips in the feeds: where each plays from (the cache, or the URL), what to fetch ahead, and going offline.

The feeds of one run share one `RemotePlay` over the library service, so the offline notice is told once
across For You, Following and the pages, and clips skipped while offline come back when the network does.

A remote clip that fails while streaming is not failed at once: the server may be gone (the person is
offline, or the server is down), and libvlc cannot say which. The clip is held aside and its server is
probed (one request for the first byte, in the background); the verdict says what the failure was:
no answer means its server is unreachable (the clip waits for it, with the one calm notice), an error such
as a 404 is the one line to show (the clip is failed for this run), and an answer gives the clip one more try.
A server that answers but ignores Range requests cannot be streamed from by libvlc when it must seek (an mp4
with its index at the end): the clip is downloaded into the cache first and comes back once it is there.
Reachability is per server (scheme, host, port): one server down leaves every other server's clips playing.
While a server is unreachable, each swipe asks again whether it is back: one probe per such server at a time,
each time about another of its skipped clips, so one clip's trouble cannot stand for its whole server.
"""

from __future__ import annotations

from collections.abc import Iterable, KeysView, Sequence
from typing import Protocol

from tuifeed.library.remote.urls import is_remote, redact
from tuifeed.library.service import PrefetchReport, ProbeReport, Reach
from tuifeed.models import Clip


def offline_notice(servers: Iterable[str]) -> str:
    """The one calm line for clips skipped because `servers` (`scheme://host:port` each) do not answer."""
    named = sorted(set(servers))
    them = "it answers" if len(named) == 1 else "they answer"
    return (
        f"Offline: no answer from {', '.join(named)}; playing the clips already downloaded, the others wait until "
        f"{them}."
    )


class Locator(Protocol):
    """What the feeds need from the library service (`tuifeed.library.service.Library` is the real one)."""

    @property
    def prefetch_count(self) -> int:
        """How many of the next clips to download ahead (0: none)."""

    def playable_location(self, clip: Clip) -> str | None:
        """The cached file of a remote clip, else its URL; None when its server is unreachable and it is not
        cached; a local path as is."""

    def prefetch(self, clips: Sequence[Clip]) -> None:
        """Download the first few remote clips of `clips` in the background, replacing the last wish list."""

    def need(self, clip: Clip) -> bool:
        """Download `clip` before anything wished for ahead, in the background (the outcome comes back as a
        `PrefetchReport`); False when there is no cache to download it into."""

    def check(self, clip: Clip) -> bool:
        """Probe the server of `clip` in the background (the verdict comes back as a `ProbeReport`); False when
        a probe of `clip` is already waiting, whose report answers this ask too."""

    def cut_off(self, clip: Clip) -> bool:
        """Whether `clip` is remote and the server its request goes to is known to be unreachable."""

    def server(self, clip: Clip) -> str:
        """The server (`scheme://host:port`) `clip`'s request goes to: its own, or where a redirect took it."""


class RemotePlay:
    """The feeds' one view of the library service: locations, prefetch wishes, probes and the offline notice."""

    def __init__(self, locator: Locator) -> None:
        """Play remote clips through `locator`."""
        self.locator = locator
        self.held: dict[str, Clip] = {}
        """Clips that failed while streaming, left out until the probe of their server says why."""
        self.retried: set[str] = set()
        """Clips whose server answered after they failed: they had their one more try."""
        self.downloading: dict[str, Clip] = {}
        """Clips that failed while streaming from a server that ignores Range: left out until downloaded."""
        self._away: dict[str, Clip] = {}
        """The skipped clips themselves, to probe some when asking whether their server is back."""
        self._asks: dict[str, int] = {}
        """How often each skipped clip was probed to ask whether its server is back: the least asked goes next."""
        self._rechecking: dict[str, Clip] = {}
        """The skipped clips probed to ask whether their server is back, until their reports come."""
        self._told = False

    @property
    def ahead(self) -> int:
        """How many of the next clips a feed should name when it swipes (0: prefetching is off)."""
        return self.locator.prefetch_count

    @property
    def skipped(self) -> KeysView[str]:
        """Clips skipped because their server was unreachable and they were not cached."""
        return self._away.keys()

    def location(self, clip: Clip) -> str | None:
        """Where the player opens `clip`; None means skip it for now (offline, and not cached)."""
        return self.locator.playable_location(clip)

    def prefetch(self, clips: Sequence[Clip]) -> None:
        """Ask for `clips` (the next ones of the feed on screen) to be downloaded ahead."""
        if self.ahead and any(is_remote(clip.location) for clip in clips):
            self.locator.prefetch(clips)

    def waits(self, clip_id: str) -> bool:
        """Whether the clip is left out of the feeds for now: skipped offline, held for its probe, or downloading."""
        return clip_id in self._away or clip_id in self.held or clip_id in self.downloading

    def skip(self, clip: Clip) -> None:
        """Leave `clip` out until its server is back (it is remote, not cached, and its server is unreachable)."""
        self._away[clip.id] = clip

    def explains(self, clip: Clip) -> bool:
        """Whether the network may explain why the streamed `clip` failed: its server is unreachable, or not
        yet probed for it.

        When it does, the failure is not told as an error now: the notice or the probe's verdict tells it.
        """
        return self.locator.cut_off(clip) or clip.id not in self.retried

    def stream_failed(self, clip: Clip) -> None:
        """The streamed `clip` failed (and `explains` it): skip it while its server is unreachable, else hold it
        and probe its server."""
        if self.locator.cut_off(clip):
            self.skip(clip)
            return
        self.held[clip.id] = clip
        self.locator.check(clip)

    def recheck(self) -> None:
        """A swipe asks whether the servers of skipped clips are back: for each unreachable server not being
        asked already, probe the one of its skipped clips asked least often (so one clip's own trouble cannot
        stand for its whole server)."""
        asked = {self.locator.server(clip) for clip in self._rechecking.values()}
        for clip in sorted(self._away.values(), key=lambda clip: self._asks.get(clip.id, 0)):
            where = self.locator.server(clip)
            if where in asked or not self.locator.cut_off(clip) or not self.locator.check(clip):
                continue
            asked.add(where)
            self._rechecking[clip.id] = clip
            self._asks[clip.id] = self._asks.get(clip.id, 0) + 1

    def verdict(self, report: ProbeReport) -> str | None:
        """Take a probe's finding for its clip; returns the error line when the clip is to fail for this run.

        No answer: a held clip waits for its server with the skipped ones. An answer: a held clip has its
        one more try (the feeds take it back). An answer that cannot be streamed from: a held clip is
        downloaded first (`downloaded` takes it back). An error: the clip fails, whether held or skipped.
        """
        clip_id = report.clip_id
        self._rechecking.pop(clip_id, None)
        held = self.held.pop(clip_id, None)
        if report.reach is Reach.UNREACHABLE:
            if held is not None:
                self.skip(held)
            return None
        if report.reach is Reach.DOWNLOAD and held is not None:
            if not self.locator.need(held):
                shown = redact(held.location)
                return f"{shown}: its server cannot stream it (it ignores Range requests) and the cache is off"
            self.downloading[clip_id] = held
            return None
        if report.reach in (Reach.ANSWERS, Reach.DOWNLOAD):
            if held is not None:  # a skipped clip probed only to test its server has had no try of its own
                self.retried.add(clip_id)
            return None
        self._away.pop(clip_id, None)
        self._asks.pop(clip_id, None)
        return report.error or "the server refused the clip"

    def downloaded(self, report: PrefetchReport) -> str | None:
        """A download finished or failed; returns the error line when it was a clip that can only play once
        downloaded, and it failed (the clip is then to fail for this run). Downloaded, the clip comes back, to
        play from the cache (where a failure is its own); evicted before it plays, it streams, fails and is
        downloaded again. Failed because its server went away, it waits for it like any skipped clip (the
        download resumes when it is needed again)."""
        clip = self.downloading.pop(report.clip_id, None)
        if clip is None:
            return None
        if report.path is None:
            if self.locator.cut_off(clip):
                self.skip(clip)
                return None
            return report.error or f"{redact(clip.location)}: the download failed"
        return None

    def back_online(self) -> set[str]:
        """The skipped clips whose server is reachable again, to offer again; once none is left skipped, the
        notice may be told again the next time a server is gone."""
        back = {clip_id for clip_id, clip in self._away.items() if not self.locator.cut_off(clip)}
        for clip_id in back:
            del self._away[clip_id]
            self._asks.pop(clip_id, None)
        if not self._away:
            self._told = False
        return back

    def notice(self) -> str | None:
        """The offline notice naming the servers that do not answer, the first time a clip was skipped since
        none was; then None."""
        if self._told or not self._away:
            return None
        self._told = True
        return offline_notice(self.locator.server(clip) for clip in self._away.values())
