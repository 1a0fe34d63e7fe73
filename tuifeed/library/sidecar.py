"""What the files say about a clip: yt-dlp `.info.json`, `.nfo`, container tags, file and folder names.

Everything here is outside text: each string is cleaned with `tuifeed.text.clean` and cut to a
sane length as it is read, each number is checked, and whatever cannot be used is named in
`Metadata.problems` instead of raising.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tuifeed.text import clean

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
"""Larger sidecars are not read (yt-dlp's own stay far below, even with comments)."""
MAX_COUNT = 2**63 - 1
"""Counts above this are clamped: SQLite integers are 64-bit."""
MAX_DURATION_S = 1_000_000
"""Durations beyond ~11 days are not believed."""
TEXT_LIMITS = {"title": 500, "creator": 200, "sound": 200, "description": 10_000, "tag": 100, "url": 2_000}
"""Most characters kept of each kind of text; longer values are cut with an ellipsis."""
MAX_TAGS = 64

_HASHTAG = re.compile(r"(?<![\w&#/])#(\w[\w.]*\w|\w)")
_YTDLP_ID_SUFFIX = re.compile(r"\[[\w-]{6,}\]$")
"""The blanks before it are stripped apart: matched by the pattern, a long run of blanks cost its square."""
_RUNTIME = re.compile(r"[0-9]{1,5}")
_COUNTS = ("like_count", "view_count", "repost_count")
"""The popularity prior: likes, else views, else reposts."""
_LIMIT_MIB = MAX_SIDECAR_BYTES // 2**20


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
    problems: tuple[str, ...] = ()
    """What this layer could not use, one short reason each ("not valid JSON", "duration = inf ignored")."""


def merge(layers: Iterable[Metadata]) -> Metadata:
    """The first layer's value of each field that has one; tags from every layer, first spelling kept.

    Hashtags in the merged title and description join the tags; problems of every layer are kept.
    """
    layers = list(layers)
    values: dict[str, Any] = {}
    for item in fields(Metadata):
        if item.name not in ("tags", "problems"):
            values[item.name] = next(
                (value for layer in layers if (value := getattr(layer, item.name)) not in (None, "")), None
            )
    text_tags = hashtags(values["title"] or "") + hashtags(values["description"] or "")
    values["tags"] = _unique(tag for layer in layers for tag in (*layer.tags, *text_tags))[:MAX_TAGS]
    values["problems"] = tuple(problem for layer in layers for problem in layer.problems)
    return Metadata(**values)


def hashtags(text: str) -> tuple[str, ...]:
    """The #hashtags in a text, without the '#', in order of appearance."""
    return tuple(match.group(1)[: TEXT_LIMITS["tag"]] for match in _HASHTAG.finditer(text))


def read_info_json(path: Path) -> Metadata:
    """A yt-dlp `.info.json`; what cannot be read or used is named in `problems`."""
    raw, problem = read_sidecar(path)
    return parse_info_json(raw) if problem is None else Metadata(problems=(problem,))


def parse_info_json(raw: bytes) -> Metadata:
    """The description in the bytes of a yt-dlp `.info.json` (a file, or a remote library's copy)."""
    try:
        data = json.loads(raw)
    except RecursionError:
        return Metadata(problems=("ignored: JSON nested too deeply",))
    except UnicodeDecodeError:
        return Metadata(problems=("ignored: not UTF-8 text",))
    except ValueError as error:
        return Metadata(problems=(f"ignored: not valid JSON ({_short(error)})",))
    if not isinstance(data, dict):
        return Metadata(problems=(f"ignored: a JSON {type(data).__name__}, not an object",))
    fields_ = _Fields(data)
    extractor = fields_.text("extractor_key", "extractor", kind="tag")
    video_id = fields_.text("id", kind="tag")
    return Metadata(
        title=fields_.text("title", "fulltitle", kind="title"),
        creator=fields_.text("uploader", "channel", "creator", "uploader_id", kind="creator"),
        description=fields_.text("description", kind="description"),
        tags=fields_.tags("tags"),
        sound=fields_.text("track", "artist", "artists", kind="sound"),
        duration_ms=fields_.duration_ms("duration"),
        popularity=next((count for key in _COUNTS if (count := fields_.count(key)) is not None), None),
        published_at=fields_.timestamp("timestamp") or _day(fields_.text("upload_date", kind="tag")),
        source_id=f"{extractor.lower()}:{video_id}" if extractor and video_id else None,
        source_url=fields_.url("webpage_url"),
        problems=tuple(fields_.problems),
    )


def read_nfo(path: Path) -> Metadata:
    """A Kodi/Jellyfin `.nfo` (movie, episodedetails or musicvideo); a malformed one names its problem."""
    raw, problem = read_sidecar(path)
    if problem is not None:
        return Metadata(problems=(problem,))
    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, ValueError) as error:
        return Metadata(problems=(f"ignored: not valid XML ({_short(error)})",))

    def first(*names: str, kind: str = "title") -> str | None:
        return next((text for name in names if (text := _text(root.findtext(name), kind)) is not None), None)

    runtime = first("runtime", kind="tag")
    trailer = first("trailer", kind="url")
    tags = (text for name in ("tag", "genre") for node in root.iter(name) if (text := _text(node.text, "tag")))
    return Metadata(
        title=first("title", "originaltitle"),
        creator=first("artist", "studio", "director", "credits", "showtitle", kind="creator"),
        description=first("plot", "outline", "tagline", kind="description"),
        tags=_unique(tags)[:MAX_TAGS],
        duration_ms=int(runtime) * 60_000 if runtime and _RUNTIME.fullmatch(runtime) else None,
        published_at=_day(first("premiered", "aired", "releasedate", kind="tag")),
        source_url=trailer if trailer and trailer.startswith(("http://", "https://")) else None,
    )


def read_sidecar(path: Path) -> tuple[bytes, str | None]:
    """The bytes of a sidecar file, or a reason it was not read: only a regular file of sane size is opened.

    The file is opened without blocking and checked after opening, so a FIFO or device put in its
    place after the scan is never read from.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except PermissionError:
        return b"", "not read: permission denied"
    except OSError as error:
        return b"", f"not read: {error.strerror or error}"
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return b"", "not read: not a regular file"
        if info.st_size > MAX_SIDECAR_BYTES:
            return b"", f"not read: {info.st_size / 2**20:.1f} MiB (sidecars over {_LIMIT_MIB} MiB are not read)"
        raw = file.read(MAX_SIDECAR_BYTES + 1)
    if len(raw) > MAX_SIDECAR_BYTES:
        return b"", f"not read: over {_LIMIT_MIB} MiB"
    return raw, None


def from_container_tags(tags: Mapping[str, str]) -> Metadata:
    """Tags embedded in the container (title, artist, comment, keywords, creation_time, ...)."""

    def first(*names: str, kind: str = "title") -> str | None:
        return next((text for name in names if (text := _text(tags.get(name), kind)) is not None), None)

    keywords = first("keywords", "com.apple.quicktime.keywords", kind="description")
    return Metadata(
        title=first("title", "com.apple.quicktime.title"),
        creator=first("artist", "album_artist", "author", "composer", "com.apple.quicktime.author", kind="creator"),
        description=first("description", "comment", "synopsis", "com.apple.quicktime.description", kind="description"),
        tags=_unique(tag for part in re.split(r"[,;]", keywords or "") if (tag := _text(part, "tag")))[:MAX_TAGS],
        published_at=_iso(first("com.apple.quicktime.creationdate", "creation_time", "date", kind="tag")),
    )


UNTITLED = "untitled"
"""The title of a clip whose file name holds nothing printable."""


def from_names(path: Path) -> Metadata:
    """The file name as a title (without yt-dlp's "[id]" suffix) and the folder as a fallback creator."""
    stem = path.stem
    if suffix := _YTDLP_ID_SUFFIX.search(stem):
        stem = stem[: suffix.start()].rstrip()
    title = stem.replace("_", " ")
    return Metadata(
        # A name of nothing but blanks and controls (which `clean` drops) still needs a title to show.
        title=_text(" ".join(title.split()), "title") or _text(path.name, "title") or UNTITLED,
        creator=_text(path.parent.name, "creator"),
    )


class _Fields:
    """Typed, checked reads from a sidecar's JSON object; each value that cannot be used becomes a problem."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self.data = data
        self.problems: list[str] = []

    def text(self, *keys: str, kind: str) -> str | None:
        for key in keys:
            value = self.data.get(key)
            if value is None or value == "" or value == []:
                continue
            text = _text(value, kind)
            if text is not None:
                return text
            self.problems.append(f"{key} ignored: {_kind(value)}, not text")
        return None

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problems.append(f"{key} ignored: {_kind(value)}, not a list")
            return ()
        return _unique(text.lstrip("#") for item in value if isinstance(item, str) and (text := _text(item, "tag")))[
            :MAX_TAGS
        ]

    def number(self, key: str) -> float | None:
        """A finite, non-negative number at `key`; anything else present is a problem."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems.append(f"{key} ignored: {_kind(value)}, not a number")
            return None
        # Not math.isfinite on an int: JSON integers have no bound, and one past 1e308 cannot become a float.
        if (isinstance(value, float) and not math.isfinite(value)) or value < 0:
            self.problems.append(f"{key} = {_short(value)} ignored: not a count")
            return None
        return value

    def count(self, key: str) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if value > MAX_COUNT:
            self.problems.append(f"{key} = {_short(value)} clamped to {MAX_COUNT}")
            return MAX_COUNT
        return int(value)

    def duration_ms(self, key: str) -> int | None:
        value = self.number(key)
        if value is None or value == 0:
            return None
        if value > MAX_DURATION_S:
            self.problems.append(f"{key} = {_short(value)} ignored: longer than {MAX_DURATION_S} s")
            return None
        return round(value * 1000) or None

    def timestamp(self, key: str) -> str | None:
        value = self.number(key)
        if value is None:
            return None
        try:
            return datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            self.problems.append(f"{key} = {_short(value)} ignored: not a date")
            return None

    def url(self, key: str) -> str | None:
        url = self.text(key, kind="url")
        if url is None or url.startswith(("http://", "https://")):
            return url
        self.problems.append(f"{key} ignored: not an http(s) address")
        return None


def _text(value: object, kind: str) -> str | None:
    """`value` as cleaned text of at most TEXT_LIMITS[kind] characters; lists of text are joined."""
    if isinstance(value, list) and value and all(isinstance(item, str | int) for item in value):
        value = ", ".join(str(item) for item in value if item not in ("", None))
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > MAX_COUNT:
        return None
    limit = TEXT_LIMITS[kind]
    text = clean(str(value)[: limit * 2], multiline=kind == "description").strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def _unique(tags: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(type(value), "a number")


def _short(value: object) -> str:
    """A value or error as at most 60 characters of clean text, for a problem's reason."""
    text = clean(str(value))
    return text if len(text) <= 60 else text[:59] + "…"


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
    try:
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError):
        return None
