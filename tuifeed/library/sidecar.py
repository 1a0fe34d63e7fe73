"""What the files say about a clip: yt-dlp `.info.json`, `.nfo`, container tags, file and folder names."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
"""Larger sidecars are not read (yt-dlp's own stay far below, even with comments)."""

_HASHTAG = re.compile(r"(?<![\w&#/])#(\w[\w.]*\w|\w)")
_YTDLP_ID_SUFFIX = re.compile(r"\s*\[[\w-]{6,}\]$")


@dataclass(frozen=True, slots=True)
class Metadata:
    """One layer of description; a field is None (or empty) when this layer does not know it."""

    title: str | None = None
    creator: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    sound: str | None = None
    duration_ms: int | None = None
    popularity: int | None = None
    published_at: str | None = None
    """ISO 8601 UTC, a date at midnight when only the day is known."""
    source_id: str | None = None
    """The platform's identity of the clip, as "extractor:id" ("tiktok:7301...")."""
    source_url: str | None = None


def merge(layers: Iterable[Metadata]) -> Metadata:
    """The first layer's value of each field that has one; tags from every layer, first spelling kept.

    Hashtags in the merged title and description join the tags.
    """
    layers = list(layers)
    values: dict[str, Any] = {}
    for item in fields(Metadata):
        if item.name != "tags":
            values[item.name] = next(
                (value for layer in layers if (value := getattr(layer, item.name)) not in (None, "")), None
            )
    text_tags = hashtags(values["title"] or "") + hashtags(values["description"] or "")
    values["tags"] = _unique(tag for layer in layers for tag in (*layer.tags, *text_tags))
    return Metadata(**values)


def hashtags(text: str) -> tuple[str, ...]:
    """The #hashtags in a text, without the '#', in order of appearance."""
    return tuple(match.group(1) for match in _HASHTAG.finditer(text))


def read_info_json(path: Path) -> Metadata:
    """A yt-dlp `.info.json`; an unreadable or malformed one says nothing."""
    data = _load_json(path)
    if not isinstance(data, dict):
        return Metadata()
    track, artist = _text(data.get("track")), _text(data.get("artist") or data.get("artists"))
    sound = track or artist
    popularity = next(
        (int(data[key]) for key in ("like_count", "view_count", "repost_count") if _is_count(data.get(key))),
        None,
    )
    extractor = _text(data.get("extractor_key") or data.get("extractor"))
    video_id = _text(data.get("id"))
    return Metadata(
        title=_text(data.get("title") or data.get("fulltitle")),
        creator=_text(data.get("uploader") or data.get("channel") or data.get("creator") or data.get("uploader_id")),
        description=_text(data.get("description")),
        tags=_tag_list(data.get("tags")),
        sound=sound,
        duration_ms=_seconds_ms(data.get("duration")),
        popularity=popularity,
        published_at=_timestamp(data.get("timestamp")) or _day(_text(data.get("upload_date"))),
        source_id=f"{extractor.lower()}:{video_id}" if extractor and video_id else None,
        source_url=_text(data.get("webpage_url")),
    )


def read_nfo(path: Path) -> Metadata:
    """A Kodi/Jellyfin `.nfo` (movie, episodedetails or musicvideo); a malformed one says nothing."""
    try:
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            return Metadata()
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return Metadata()

    def first(*names: str) -> str | None:
        return next((text for name in names if (text := _text(root.findtext(name))) is not None), None)

    runtime = first("runtime")
    return Metadata(
        title=first("title", "originaltitle"),
        creator=first("artist", "studio", "director", "credits", "showtitle"),
        description=first("plot", "outline", "tagline"),
        tags=_unique(text for name in ("tag", "genre") for node in root.iter(name) if (text := _text(node.text))),
        duration_ms=int(runtime) * 60_000 if runtime and runtime.isdigit() else None,
        published_at=_day(first("premiered", "aired", "releasedate")),
        source_url=first("trailer") if (first("trailer") or "").startswith("http") else None,
    )


def from_container_tags(tags: Mapping[str, str]) -> Metadata:
    """Tags embedded in the container (title, artist, comment, keywords, creation_time, ...)."""

    def first(*names: str) -> str | None:
        return next((text for name in names if (text := _text(tags.get(name))) is not None), None)

    keywords = first("keywords", "com.apple.quicktime.keywords")
    return Metadata(
        title=first("title", "com.apple.quicktime.title"),
        creator=first("artist", "album_artist", "author", "composer", "com.apple.quicktime.author"),
        description=first("description", "comment", "synopsis", "com.apple.quicktime.description"),
        tags=_unique(part.strip() for part in re.split(r"[,;]", keywords or "") if part.strip()),
        published_at=_iso(first("com.apple.quicktime.creationdate", "creation_time", "date")),
    )


def from_names(path: Path) -> Metadata:
    """The file name as a title (without yt-dlp's "[id]" suffix) and the folder as a fallback creator."""
    title = _YTDLP_ID_SUFFIX.sub("", path.stem).replace("_", " ")
    return Metadata(title=" ".join(title.split()) or path.name, creator=path.parent.name or None)


def _load_json(path: Path) -> object:
    try:
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            return None
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value if item)
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _tag_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return _unique(text.lstrip("#") for item in value if (text := _text(item)))


def _unique(tags: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def _is_count(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _seconds_ms(value: object) -> int | None:
    return round(float(value) * 1000) if _is_count(value) and value else None


def _timestamp(value: object) -> str | None:
    if not _is_count(value):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def _day(value: str | None) -> str | None:
    if not value:
        return None
    digits = value.replace("-", "")[:8]
    try:
        return datetime.strptime(digits, "%Y%m%d").replace(tzinfo=UTC).isoformat(timespec="seconds")
    except ValueError:
        return None


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _day(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
