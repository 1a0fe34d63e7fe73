"""Pickers for the feeds that are not For You: a fixed order (a list, a page, search results), and Following."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from tuifeed.feed.ranker import Picker
from tuifeed.models import Clip


def newest_first(clips: Iterable[Clip]) -> list[Clip]:
    """Clips by when they were published (else imported), the newest first; ties keep their order."""
    return sorted(clips, key=lambda clip: clip.published_at or clip.imported_at or "", reverse=True)


class Ordered:
    """Picks in a fixed order: the first clip of `order` not excluded."""

    def __init__(self, order: Sequence[str]) -> None:
        """Pick from `order`, clip ids in the order the feed plays them."""
        self.order = list(order)

    def next(self, exclude: Collection[str] = ()) -> str | None:
        """The first clip of the order not in `exclude`."""
        return next((clip_id for clip_id in self.order if clip_id not in exclude), None)


class Following:
    """Followed creators only: what the person has not watched yet, newest first; then the recommender's order."""

    def __init__(
        self, library: Mapping[str, Clip], followed: Collection[str], watched: Collection[str], ranker: Picker
    ) -> None:
        """Pick among `library`'s clips by `followed` creators (both live), asking `ranker` once none is new."""
        self._library = library
        self._followed = followed
        self._watched = watched
        self._ranker = ranker

    def next(self, exclude: Collection[str] = ()) -> str | None:
        """The newest unwatched clip of a followed creator outside `exclude`, else the ranker's best of theirs."""
        theirs = [clip for clip in self._library.values() if clip.creator in self._followed]
        fresh = (clip.id for clip in newest_first(theirs) if clip.id not in self._watched and clip.id not in exclude)
        found = next(fresh, None)
        if found is not None or not theirs:
            return found
        others = {clip_id for clip_id, clip in self._library.items() if clip.creator not in self._followed}
        return self._ranker.next(exclude={*exclude, *others})
