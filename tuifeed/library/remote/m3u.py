"""M3U and extended M3U playlists of clip URLs: a small parser of our own (the m3u8 package targets HLS)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuifeed.library.remote.entries import Parsed, make_clip, seconds_ms
from tuifeed.library.remote.urls import UnsafeLink, clean_link, follow
from tuifeed.library.sidecar import Metadata
from tuifeed.text import clean

_DURATION = re.compile(r"\s*(-?\d+(?:\.\d+)?)?")
_ATTRIBUTE = re.compile(r'(?<![\w-])([\w-]+)="([^"]*)"')
"""Each name tried from its first character only: tried from every one, a long run of letters costs its square."""
_HLS_TAGS = ("#EXT-X-TARGETDURATION", "#EXT-X-STREAM-INF", "#EXT-X-MEDIA-SEQUENCE", "#EXT-X-KEY", "#EXT-X-MAP")


@dataclass(frozen=True, slots=True)
class PlaylistEntry:
    """One playlist line with what the `#EXT` lines before it said."""

    location: str
    """Absolute http(s) URL."""
    title: str | None = None
    creator: str | None = None
    duration_ms: int | None = None
    group: str | None = None


def is_hls(text: str) -> bool:
    """Whether this is an HLS media or master playlist: one stream, which libvlc plays itself."""
    return any(line.strip().upper().startswith(_HLS_TAGS) for line in text.splitlines())


def parse_m3u(text: str, base: str) -> tuple[str, list[PlaylistEntry], list[str]]:
    """(playlist title, entries, skipped lines with why) of an M3U text; locations resolve against `base`.

    `#EXTINF:seconds[ attrs],[creator - ]title` describes the next location; `#PLAYLIST`, `#EXTGRP`
    and `#EXTART` are read too; other comments are ignored. Only http(s) locations are kept.
    """
    title = ""
    pending: dict[str, str | int | None] = {}
    entries: list[PlaylistEntry] = []
    skipped: list[str] = []
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.strip()
        if not line:
            continue
        upper = line.upper()
        if upper.startswith("#EXTINF:"):
            pending = _extinf(line)
        elif upper.startswith("#PLAYLIST:"):
            title = clean(line.partition(":")[2]).strip()
        elif upper.startswith("#EXTGRP:"):
            pending["group"] = line.partition(":")[2].strip() or None
        elif upper.startswith("#EXTART:"):
            pending["creator"] = line.partition(":")[2].strip() or None
        elif line.startswith("#"):
            continue
        else:
            try:
                location = follow(base, line)
            except UnsafeLink as error:
                skipped.append(f"{clean_link(line)}: {error}")
            else:
                entries.append(PlaylistEntry(location=location, **pending))  # type: ignore[arg-type]
            pending = {}
    return title, entries, skipped


def read_playlist(text: str, url: str) -> Parsed:
    """The clips of a playlist at `url`; an HLS playlist is itself one clip."""
    if is_hls(text):
        return Parsed(title="", clips=[make_clip(url, Metadata())])
    title, entries, skipped = parse_m3u(text, url)
    clips = [
        make_clip(
            entry.location,
            Metadata(
                title=entry.title,
                creator=entry.creator,
                duration_ms=entry.duration_ms,
                tags=(entry.group,) if entry.group else (),
            ),
        )
        for entry in entries
    ]
    return Parsed(title=title, clips=clips, skipped=skipped)


def _extinf(line: str) -> dict[str, str | int | None]:
    """`#EXTINF:duration attrs,title` read in one pass: one regular expression for it all backtracked in
    quadratic time on a long line without a comma (a 20,000-digit one took 3 s)."""
    head, comma, title = line[len("#EXTINF:") :].partition(",")
    if not comma:
        return {}
    duration = _DURATION.match(head)
    assert duration is not None  # everything in the pattern is optional
    attrs = dict(_ATTRIBUTE.findall(head[duration.end() :]))
    name = title.strip()
    creator: str | None = None
    if " - " in name:
        creator, name = (part.strip() for part in name.split(" - ", 1))
    return {
        "title": name or None,
        "creator": creator or None,
        "duration_ms": seconds_ms(float(duration[1])) if duration[1] else None,
        "group": attrs.get("group-title") or None,
    }
