"""PeerTube over loopback: a channel URL becomes the API's video list, each video's call gives its file."""

from __future__ import annotations

import json

from loopback import LoopbackServer

from tuifeed.library.remote.peertube import api_list_url
from tuifeed.library.service import Library
from tuifeed.models import SourceKind


def _video(uuid: str, name: str, **extra: object) -> dict[str, object]:
    return {
        "uuid": uuid,
        "name": name,
        "duration": 12,
        "publishedAt": "2025-09-01T10:00:00.000Z",
        "views": 40,
        "likes": 7,
        "channel": {"name": "cats", "displayName": "Cat Channel"},
        "account": {"name": "ana", "displayName": "Ana"},
        "category": {"id": 15, "label": "Animals"},
        **extra,
    }


def _details(uuid: str, *, tags: list[str]) -> dict[str, object]:
    files = [
        {"fileUrl": f"/static/web-videos/{uuid}-1080.mp4", "resolution": {"id": 1080, "label": "1080p"}},
        {"fileUrl": f"/static/web-videos/{uuid}-480.mp4", "resolution": {"id": 480, "label": "480p"}},
        {"fileUrl": f"/static/web-videos/{uuid}-240.mp4", "resolution": {"id": 240, "label": "240p"}},
        {"fileUrl": f"/static/web-videos/{uuid}-0.mp4", "resolution": {"id": 0, "label": "Audio"}, "hasVideo": False},
    ]
    return {"uuid": uuid, "description": "A **cat** video", "tags": tags, "files": files, "streamingPlaylists": []}


def _instance(server: LoopbackServer, videos: list[dict[str, object]]) -> None:
    server.add("/api/v1/config", json.dumps({"instance": {"name": "tube"}}).encode(), "application/json")
    server.add(
        "/api/v1/video-channels/cats/videos",
        json.dumps({"total": len(videos), "data": videos}).encode(),
        "application/json",
    )
    for video in videos:
        uuid = str(video["uuid"])
        server.add(f"/api/v1/videos/{uuid}", json.dumps(_details(uuid, tags=["cute"])).encode(), "application/json")


def test_api_list_urls() -> None:
    """Channel, account and search pages map to their API lists; other URLs are not PeerTube."""
    assert api_list_url("https://t.example/c/cats/videos") == "https://t.example/api/v1/video-channels/cats/videos"
    assert api_list_url("https://t.example/a/ana@t.example") == "https://t.example/api/v1/accounts/ana@t.example/videos"
    assert api_list_url("https://t.example/search?search=cat jumps") == (
        "https://t.example/api/v1/search/videos?search=cat%20jumps"
    )
    assert api_list_url("https://t.example/videos/feed.xml") is None


def test_channel_end_to_end(server: LoopbackServer, library: Library) -> None:
    """Each video becomes a clip playing its smallest file of at least 360p, described by the API."""
    uuids = ["9c9de5e8-0a1b-4f2c-8a8e-111111111111", "9c9de5e8-0a1b-4f2c-8a8e-222222222222"]
    _instance(server, [_video(uuids[0], "Jump"), _video(uuids[1], "Nap"), _video("x" * 8, "Live", isLive=True)])
    result = library.add_remote(server.url("/c/cats/videos"))
    assert result.error is None and result.kind is SourceKind.PEERTUBE, result.line()
    first, second = library.remote_clips(server.url("/c/cats/videos"))
    assert first.location == server.url(f"/static/web-videos/{uuids[0]}-480.mp4")
    assert (first.title, first.creator, first.duration_ms, first.popularity) == ("Jump", "Cat Channel", 12_000, 7)
    assert set(first.tags) == {"cute", "Animals"}
    assert first.description == "A **cat** video"
    assert first.source_id == f"peertube:{uuids[0]}"
    assert first.published_at == "2025-09-01T10:00:00+00:00"
    assert second.title == "Nap"
    [listed] = [seen.path for seen in server.log if seen.path.startswith("/api/v1/video-channels/cats/videos")]
    assert listed.endswith("?start=0&count=100&sort=-publishedAt")


def test_refresh_asks_only_about_new_videos(server: LoopbackServer, library: Library) -> None:
    """A known video keeps its file URL: a refresh makes one list call and one call per new video."""
    uuid = "9c9de5e8-0a1b-4f2c-8a8e-333333333333"
    _instance(server, [_video(uuid, "Jump")])
    library.add_remote(server.url("/c/cats"))
    newer = "9c9de5e8-0a1b-4f2c-8a8e-444444444444"
    _instance(server, [_video(newer, "New"), _video(uuid, "Jump")])
    [result] = library.refresh()
    assert result.changes is not None and (result.changes.added, result.changes.updated) == (1, 1)
    assert len(server.requests(f"/api/v1/videos/{uuid}")) == 1
    assert len(server.requests(f"/api/v1/videos/{newer}")) == 1


def test_a_channel_page_on_a_server_that_is_not_peertube(server: LoopbackServer, library: Library) -> None:
    """/c/name on a plain server is read as whatever it serves (here an HTML listing), not as PeerTube."""
    server.add("/c/cats/", b'<html><a href="a.mp4">a.mp4</a></html>', "text/html")
    result = library.add_remote(server.url("/c/cats/"))
    assert result.kind is SourceKind.LISTING


def test_malformed_api_answer_is_one_line(server: LoopbackServer, library: Library) -> None:
    """An API answer that is not JSON: one line naming the call and the cause; nothing is added."""
    server.add("/api/v1/config", b'{"instance": {}}', "application/json")
    server.add("/api/v1/video-channels/cats/videos", b"{not json", "application/json")
    result = library.add_remote(server.url("/c/cats"))
    assert result.error is not None and "malformed JSON" in result.error
    assert library.remotes() == []


def test_fields_of_another_shape_cost_only_that_field(server: LoopbackServer, library: Library) -> None:
    """tags, files or streamingPlaylists that are not lists (a number, say): the video without them, no traceback."""
    uuids = ["9c9de5e8-0a1b-4f2c-8a8e-555555555555", "9c9de5e8-0a1b-4f2c-8a8e-666666666666"]
    _instance(server, [_video(uuids[0], "Odd tags", tags=5), _video(uuids[1], "No files")])
    odd = {**_details(uuids[0], tags=[]), "tags": 5}
    server.add(f"/api/v1/videos/{uuids[0]}", json.dumps(odd).encode(), "application/json")
    no_files = {"uuid": uuids[1], "files": 7, "streamingPlaylists": 3}
    server.add(f"/api/v1/videos/{uuids[1]}", json.dumps(no_files).encode(), "application/json")
    result = library.add_remote(server.url("/c/cats"))
    assert result.error is None, result.line()
    [clip] = library.remote_clips(server.url("/c/cats"))
    assert (clip.title, clip.tags) == ("Odd tags", ("Animals",))
