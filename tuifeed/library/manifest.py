"""`tuifeed-library.json`: a library any static web server can serve, read from a URL and written beside a folder.

    {"format": "tuifeed-library", "version": 1, "title": "Holiday clips",
     "clips": [{"url": "beach/wave.mp4", "title": "Wave", "creator": "ana", "tags": ["sea"],
                "sound": "original sound - ana", "duration": 14.2, "popularity": 120,
                "description": "...", "published": "2025-07-01T10:00:00+00:00",
                "width": 720, "height": 1280, "embedding": [64 numbers]}]}

Only `url` is required (relative to the manifest, http(s) only). A clip with a bad field is skipped
and named; a document that is not such an object is refused as a whole.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tuifeed.library.remote.entries import Parsed, make_clip
from tuifeed.library.remote.urls import UnsafeLink, clean_link, follow
from tuifeed.library.sidecar import Metadata
from tuifeed.models import Clip
from tuifeed.text import clean

FILE_NAME = "tuifeed-library.json"
FORMAT = "tuifeed-library"
VERSION = 1


class BadManifest(ValueError):
    """The document is not a tuifeed-library.json; str() is the cause."""


def read_manifest(content: bytes, base: str) -> Parsed:
    """The clips of a manifest fetched from `base`; raises BadManifest when it is not one."""
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise BadManifest(f"malformed JSON ({clean(str(error))})") from error
    if not isinstance(data, dict) or not isinstance(data.get("clips"), list):
        raise BadManifest('not a tuifeed-library.json (no "clips" list)')
    if data.get("format", FORMAT) != FORMAT:
        raise BadManifest(f"format is {clean(str(data.get('format')))!r}, not {FORMAT!r}")
    version = data.get("version", VERSION)
    if not isinstance(version, int) or version > VERSION:
        raise BadManifest(f"version {clean(str(version))} is newer than this tuifeed reads ({VERSION})")
    clips: list[Clip] = []
    skipped: list[str] = []
    for number, item in enumerate(data["clips"], start=1):
        try:
            clips.append(_clip(item, base))
        except (BadManifest, UnsafeLink) as error:
            skipped.append(f"clip {number}: {error}")
    title = data.get("title")
    return Parsed(title=clean(title) if isinstance(title, str) else "", clips=clips, skipped=skipped)


def manifest_for(clips: Iterable[Clip], folder: Path, title: str = "") -> dict[str, Any]:
    """The manifest of the clips stored below `folder`, with URLs relative to it."""
    root = os.path.abspath(folder)
    entries = []
    for clip in clips:
        if not clip.location.startswith(root.rstrip(os.sep) + os.sep):
            continue
        relative = Path(os.path.relpath(clip.location, root)).as_posix()
        entry: dict[str, Any] = {"url": quote(relative), "title": clip.title}
        optional = {
            "creator": clip.creator,
            "tags": list(clip.tags) or None,
            "sound": clip.sound,
            "duration": clip.duration_ms / 1000 if clip.duration_ms else None,
            "popularity": clip.popularity,
            "description": clip.description or None,
            "published": clip.published_at,
            "width": clip.width,
            "height": clip.height,
            "embedding": [round(value, 5) for value in clip.embedding] if clip.embedding else None,
        }
        entry.update({key: value for key, value in optional.items() if value is not None})
        entries.append(entry)
    return {"format": FORMAT, "version": VERSION, "title": title or Path(root).name, "clips": entries}


def write_manifest(clips: Iterable[Clip], folder: Path, title: str = "") -> tuple[Path, int]:
    """Write `tuifeed-library.json` into `folder` (atomically); returns its path and how many clips it lists."""
    manifest = manifest_for(clips, folder, title)
    path = Path(folder, FILE_NAME)
    temporary = path.with_name(f".{FILE_NAME}.tmp")
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path, len(manifest["clips"])


def _clip(item: object, base: str) -> Clip:
    if not isinstance(item, dict):
        raise BadManifest("not an object")
    url = item.get("url")
    if not isinstance(url, str):
        raise BadManifest("no url")
    location = follow(base, url)
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise BadManifest(f"{clean_link(url)}: tags must be a list of strings")
    embedding = item.get("embedding")
    if embedding is not None and (
        not isinstance(embedding, list) or not all(_number(value) is not None for value in embedding)
    ):
        raise BadManifest(f"{clean_link(url)}: embedding must be a list of numbers")
    duration = _number(item.get("duration"))
    meta = Metadata(
        title=_string(item, "title", url),
        creator=_string(item, "creator", url),
        description=_string(item, "description", url),
        tags=tuple(tags),
        sound=_string(item, "sound", url),
        duration_ms=round(duration * 1000) if duration and 0 < duration < 10**7 else None,
        popularity=_count(item, "popularity", url),
        published_at=_string(item, "published", url),
    )
    return make_clip(
        location,
        meta,
        width=_count(item, "width", url),
        height=_count(item, "height", url),
        vector=[float(value) for value in embedding] if embedding else None,
    )


def _string(item: Mapping[str, Any], key: str, url: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise BadManifest(f"{clean_link(url)}: {key} must be a string")
    return value


def _count(item: Mapping[str, Any], key: str, url: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadManifest(f"{clean_link(url)}: {key} must be a whole number of at least 0")
    return value


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None
