"""Helpers for remote tests: short client limits, a Media RSS feed builder, a feed served on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import av
import numpy as np

from tuifeed.library.remote.client import Limits

if TYPE_CHECKING:
    from loopback import LoopbackServer

    from tuifeed.library.service import Library
    from tuifeed.models import Clip

FAST = Limits(connect_timeout=2.0, read_timeout=2.0, retries=2, backoff=0.01, probe_read_timeout=2.0)
"""Short waits so fault tests finish quickly; the retry logic is the real one."""


def rss(items: list[dict[str, str]], title: str = "Clips", head: str = "") -> bytes:
    """A Media RSS + iTunes feed; each item may give title, url, type, guid, author, keywords, duration,
    description, category, width, height, link."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        head,
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"'
        ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel><title>{escape(title)}</title>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.get('title', 'untitled'))}</title>")
        parts.append(f'<guid isPermaLink="false">{escape(item.get("guid", item["url"]))}</guid>')
        if "link" in item:
            parts.append(f"<link>{escape(item['link'])}</link>")
        kind = item.get("type", "video/mp4")
        if item.get("media", "enclosure") == "enclosure":
            parts.append(f'<enclosure url={quoteattr(item["url"])} length="1000" type={quoteattr(kind)}/>')
        else:
            size = f' width="{item.get("width", "")}" height="{item.get("height", "")}"'
            parts.append(f'<media:content url={quoteattr(item["url"])} type={quoteattr(kind)} medium="video"{size}/>')
        if "author" in item:
            parts.append(f"<dc:creator>{escape(item['author'])}</dc:creator>")
        if "keywords" in item:
            parts.append(f"<media:keywords>{escape(item['keywords'])}</media:keywords>")
        if "duration" in item:
            parts.append(f"<itunes:duration>{escape(item['duration'])}</itunes:duration>")
        if "category" in item:
            parts.append(f"<category>{escape(item['category'])}</category>")
        if "description" in item:
            parts.append(f"<description>{escape(item['description'])}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def serve_feed(server: LoopbackServer, library: Library, media_clips: list[Path], count: int) -> list[Clip]:
    """Serve `count` clips (the media clips in turn) in an RSS feed on `server`, add it; returns its clips."""
    items = []
    for number in range(count):
        server.add_file(f"/c/{number}.mp4", media_clips[number % len(media_clips)])
        items.append({"title": f"clip {number}", "url": f"/c/{number}.mp4"})
    server.add("/feed.xml", rss(items), "application/rss+xml")
    library.add_remote(server.url("/feed.xml"))
    return library.remote_clips(server.url("/feed.xml"))


def index_at_end_clip(path: Path, seconds: float = 4.0) -> Path:
    """Encode an mp4 whose index (moov) follows its media data, as a plain mux writes it (no faststart), and
    too big (noise: about 70 KB) for libvlc's first read to hold it all, so it must seek to the end to play.
    (A 28 KB one streamed fine from a server ignoring Range: it all came in that first read.)"""
    noise = np.random.default_rng(11)
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 640, 360, "yuv420p"
        for index in range(int(seconds * 30)):
            image = noise.integers(0, 12, (360, 640, 3), dtype=np.uint8)
            image[..., 0] += np.uint8(index * 3 % 192)
            container.mux(video.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(video.encode(None))
    data = path.read_bytes()
    assert data.find(b"moov") > data.find(b"mdat") > 0, "the index must come last"
    return path


def hls_clip(folder: Path, seconds: float = 3.0) -> Path:
    """An HLS VOD playlist of one MPEG-TS segment (H.264) in `folder`, naming it relative to itself; returns it."""
    segment = folder / "seg0.ts"
    with av.open(str(segment), "w", format="mpegts") as container:
        video = container.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 320, 180, "yuv420p"
        for index in range(int(seconds * 30)):
            image = np.full((180, 320, 3), index * 2 % 256, np.uint8)
            image[:, : (index * 3) % 320, 1] = 255
            container.mux(video.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(video.encode(None))
    playlist = folder / "index.m3u8"
    playlist.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{seconds:.1f},\nseg0.ts\n#EXT-X-ENDLIST\n",
        encoding="utf-8",
    )
    return playlist
