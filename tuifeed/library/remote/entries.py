"""Remote entries into Clips: outside text cleaned once here, tags de-duplicated, a text fingerprint added."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tuifeed.library.fingerprint import EMBEDDING_DIMS, embedding
from tuifeed.library.remote.urls import clip_id
from tuifeed.library.scan import VIDEO_EXTENSIONS
from tuifeed.library.sidecar import MAX_COUNT, MAX_DURATION_S, Metadata, from_names, hashtags
from tuifeed.models import Clip, normalise_tag
from tuifeed.text import clean

MAX_TEXT = 5000
"""Longest description kept; a title or name is cut at 300 characters."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a remote document holds: its title, its clips in order, and the entries skipped (with why)."""

    title: str
    clips: list[Clip]
    skipped: list[str] = field(default_factory=list)


def make_clip(
    location: str,
    meta: Metadata,
    *,
    identity: str | None = None,
    width: int | None = None,
    height: int | None = None,
    vector: Sequence[float] | None = None,
) -> Clip:
    """A Clip for the remote video at `location`, its text cleaned; the id hashes `identity` (else the URL).

    Without a title the URL's file name is one; hashtags in the text join the tags. A clip
    without a usable `vector` gets the text part of the fingerprint, so similarity still works.
    """
    title = _line(meta.title) or _line(from_names(Path(unquote(urlsplit(location).path))).title) or "untitled"
    description = clean(meta.description or "", multiline=True)[:MAX_TEXT]
    tags = _tags((*meta.tags, *hashtags(title), *hashtags(description)))
    return Clip(
        id=clip_id(identity or location),
        location=location,
        title=title,
        creator=_line(meta.creator),
        description=description,
        tags=tags,
        sound=_line(meta.sound),
        duration_ms=_below(meta.duration_ms, MAX_DURATION_S * 1000 + 1) or None,
        width=_positive(width),
        height=_positive(height),
        popularity=None if (count := _below(meta.popularity)) is None else min(count, MAX_COUNT),
        published_at=_iso_utc(meta.published_at),
        source_id=_line(meta.source_id),
        source_url=meta.source_url if meta.source_url and meta.source_url.startswith(("http://", "https://")) else None,
        embedding=_vector(vector) or embedding((), title, description, tags),
    )


def is_video_url(url: str) -> bool:
    """Whether the URL's path ends in a video extension the library scans."""
    return PurePosixPath(urlsplit(url).path).suffix.lower() in VIDEO_EXTENSIONS


def html_text(value: str) -> str:
    """The text of an HTML fragment (a feed description): tags dropped, entities decoded, breaks kept."""
    if "<" not in value and "&" not in value:
        return value.strip()
    parser = _TextParser()
    parser.feed(value)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip()


def seconds_ms(value: object) -> int | None:
    """Milliseconds from seconds given as a number or as `SS`, `MM:SS` or `HH:MM:SS`; None when unusable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?(:\d{1,2}(\.\d+)?){0,2}\s*", value):
        seconds = 0.0
        for part in value.strip().split(":"):
            seconds = seconds * 60 + float(part)
    else:
        return None
    return round(seconds * 1000) if math.isfinite(seconds) and 0 < seconds < 10**7 else None


def _iso_utc(value: str | None) -> str | None:
    """An ISO 8601 time as UTC to the second, the store's format; None when it is not one."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _line(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(clean(value).split())[:300]
    return text or None


def _tags(tags: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in tags:
        text = _line(tag.lstrip("#"))
        if text and len(seen) < 64:
            seen.setdefault(normalise_tag(text), text)
    return tuple(seen.values())


def _positive(value: int | None) -> int | None:
    return _below(value, 100_000) or None


def _below(value: int | None, limit: float = math.inf) -> int | None:
    """A whole number from a remote document in [0, limit), else None: SQLite holds 64 bits, a document any number."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < limit else None


def _vector(values: Sequence[float] | None) -> tuple[float, ...] | None:
    if values is None or len(values) != EMBEDDING_DIMS:
        return None
    floats = tuple(float(value) for value in values)
    return floats if all(math.isfinite(value) for value in floats) else None


class _TextParser(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
