"""Remote entries into Clips: outside text cleaned once here, tags de-duplicated, a text fingerprint added."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
_TAG = re.compile(r"(/?)([a-zA-Z][a-zA-Z0-9:-]*)")
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIPPED = frozenset({"script", "style"})


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
    """The text of an HTML fragment (a feed description): tags dropped, entities decoded, breaks kept.

    Read in one pass, tag by tag, each `<` up to the next `>`: Python's HTMLParser before 3.11.13
    (CVE-2025-6069) takes quadratic time over unterminated constructs (`<!--` 40,000 times: 12 s).
    """
    if "<" not in value and "&" not in value:
        return value.strip()
    first, *pieces = value.split("<")
    parts = [first]
    skipping = 0
    for piece in pieces:
        tag, closed, text = piece.partition(">")
        name = _TAG.match(tag) if closed else None
        if name is None and not (closed and tag[:1] in ("!", "?")):  # not a tag, a comment or a declaration
            parts.append("" if skipping else "<" + piece)
            continue
        element = name[2].lower() if name else ""
        if element in _SKIPPED:
            skipping = max(0, skipping + (-1 if name and name[1] else 1))
        elif element in _BREAKS and not skipping:
            parts.append("\n")
        parts.append("" if skipping else text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape("".join(parts))).strip()


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
