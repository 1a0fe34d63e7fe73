"""Fixtures for remote libraries: a real loopback HTTP server, a client with short limits, a Library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from loopback import LoopbackServer

from tuifeed.library.remote.client import Limits, RemoteClient
from tuifeed.library.service import Library

FAST = Limits(connect_timeout=2.0, read_timeout=2.0, retries=2, backoff=0.01)
"""Short waits so fault tests finish quickly; the retry logic is the real one."""


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A started loopback HTTP server with no routes yet."""
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[RemoteClient]:
    """The real client over the real network stack, with short limits."""
    remote = RemoteClient(FAST)
    yield remote
    remote.close()


@pytest.fixture
def library(tmp_path: Path, client: RemoteClient) -> Iterator[Library]:
    """A Library on a temp database and cache folder, using `client`."""
    service = Library(tmp_path / "tuifeed.db", cache_dir=tmp_path / "cache", cache_bytes=64 * 1024**2, client=client)
    yield service
    service.close()


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
