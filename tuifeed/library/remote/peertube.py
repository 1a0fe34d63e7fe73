"""PeerTube: a channel, account or search URL becomes the REST API's video list; each video's own call gives a file.

Only the small slice of the API that lists public videos and describes one is used, over plain
httpx. A video already in the library keeps its file URL, so a refresh only asks about new ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from tuifeed.errors import RemoteError
from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.remote.entries import Parsed, make_clip
from tuifeed.library.remote.urls import UnsafeLink, follow, redact
from tuifeed.library.sidecar import Metadata
from tuifeed.models import Clip

PAGE = 100
"""PeerTube's largest page."""
MAX_VIDEOS = 500

_PATHS = (
    (re.compile(r"^/(?:c|video-channels)/([^/]+)"), "/api/v1/video-channels/{}/videos"),
    (re.compile(r"^/(?:a|accounts)/([^/]+)"), "/api/v1/accounts/{}/videos"),
)


def api_list_url(url: str) -> str | None:
    """The API URL listing the videos of a PeerTube channel, account or search page; None for other URLs."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.path.startswith("/api/v1/") and parts.path.endswith("/videos"):
        return url
    for pattern, template in _PATHS:
        if match := pattern.match(parts.path):
            return origin + template.format(quote(match[1], safe="@."))
    if parts.path in ("/search", "/search/videos") and (terms := parse_qs(parts.query).get("search")):
        return f"{origin}/api/v1/search/videos?search={quote(terms[0])}"
    return None


def read_peertube(client: RemoteClient, url: str, known: Mapping[str, Clip]) -> Parsed:
    """The videos behind a PeerTube URL, newest first; `known` (by source_id) spares the per-video calls."""
    listing = api_list_url(url)
    if listing is None:
        raise RemoteError(redact(url), "not a PeerTube channel, account or search URL")
    clips: list[Clip] = []
    skipped: list[str] = []
    start = 0
    while start < MAX_VIDEOS:
        separator = "&" if "?" in listing else "?"
        page = _json(client, f"{listing}{separator}start={start}&count={PAGE}&sort=-publishedAt")
        videos = page.get("data")
        if not isinstance(page.get("total"), int) or not isinstance(videos, list):
            raise RemoteError(redact(url), "not a PeerTube video list (no total and data)")
        for video in videos:
            if not isinstance(video, dict) or video.get("isLive"):
                continue
            try:
                clip = _clip(client, url, video, known)
            except (RemoteError, UnsafeLink) as error:
                skipped.append(str(error))
                continue
            if clip is not None:
                clips.append(clip)
        start += PAGE
        if not videos or start >= page["total"]:
            break
    return Parsed(title=_title(url), clips=clips, skipped=skipped)


def _clip(client: RemoteClient, base: str, video: Mapping[str, Any], known: Mapping[str, Clip]) -> Clip | None:
    uuid = video.get("uuid")
    if not isinstance(uuid, str) or not re.fullmatch(r"[\w-]{8,64}", uuid):
        return None
    source_id = f"peertube:{uuid}"
    page = follow(base, f"/w/{uuid}")
    meta = _metadata(video)
    before = known.get(source_id)
    if before is not None:
        location, height = before.location, before.height
    else:
        details = _json(client, follow(base, f"/api/v1/videos/{uuid}"))
        meta = _metadata({**video, **details})
        picked = _file(base, details)
        if picked is None:
            return None
        location, height = picked
    return make_clip(location, meta, identity=page, height=height)


def _file(base: str, details: Mapping[str, Any]) -> tuple[str, int | None] | None:
    """The smallest web video file at least 360 p high (else the smallest), else the HLS playlist."""
    files = [item for item in _list(details.get("files")) if isinstance(item, dict) and item.get("fileUrl")]
    playlists = [item for item in _list(details.get("streamingPlaylists")) if isinstance(item, dict)]
    if not files:
        files = [item for playlist in playlists for item in _list(playlist.get("files")) if isinstance(item, dict)]
    files = [item for item in files if item.get("fileUrl") and item.get("hasVideo", True) is not False]

    def height(item: Mapping[str, Any]) -> int:
        resolution = item.get("resolution")
        value = resolution.get("id") if isinstance(resolution, dict) else None
        return value if isinstance(value, int) and value > 0 else 0

    if files:
        tall = [item for item in files if height(item) >= 360]
        best = min(tall or files, key=height)
        return follow(base, str(best["fileUrl"])), height(best) or None
    hls = next((item.get("playlistUrl") for item in playlists if item.get("playlistUrl")), None)
    return (follow(base, str(hls)), None) if hls else None


def _metadata(video: Mapping[str, Any]) -> Metadata:
    channel, account, category = (_object(video.get(name)) for name in ("channel", "account", "category"))
    creator = channel.get("displayName") or account.get("displayName") or channel.get("name") or account.get("name")
    tags = [tag for tag in _list(video.get("tags")) if isinstance(tag, str)]
    if isinstance(category.get("label"), str):
        tags.append(category["label"])
    likes, views = video.get("likes"), video.get("views")
    popularity = next((value for value in (likes, views) if isinstance(value, int) and value > 0), None)
    duration = video.get("duration")
    published = video.get("publishedAt")
    return Metadata(
        title=str(video.get("name") or "") or None,
        creator=str(creator) if creator else None,
        description=video.get("description") if isinstance(video.get("description"), str) else None,
        tags=tuple(tags),
        duration_ms=duration * 1000 if isinstance(duration, int) and duration > 0 else None,
        popularity=popularity,
        published_at=published if isinstance(published, str) else None,
        source_id=f"peertube:{video.get('uuid')}",
    )


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    """`value` if the API gave a list there, else none: a field of another shape is not worth a failed refresh."""
    return value if isinstance(value, list) else []


def _json(client: RemoteClient, url: str) -> dict[str, Any]:
    document = client.document(url)
    assert document is not None  # no validators were sent
    try:
        data = json.loads(document.content)
    except ValueError as error:
        raise RemoteError(redact(url), f"malformed JSON ({error})") from error
    if not isinstance(data, dict):
        raise RemoteError(redact(url), "malformed JSON (not an object)")
    return data


def _title(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}".rstrip("/")
