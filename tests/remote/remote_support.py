"""Helpers for remote tests: short client limits, a Media RSS feed builder, a feed served on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

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
