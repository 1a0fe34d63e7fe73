"""Which reader a source needs, and reading it: feed, playlist, listing, PeerTube or manifest."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from tuifeed.errors import RemoteError
from tuifeed.library.manifest import FILE_NAME, BadManifest, read_manifest
from tuifeed.library.remote.client import Document, RemoteClient
from tuifeed.library.remote.entries import Parsed, is_video_url, make_clip
from tuifeed.library.remote.feeds import NotAFeed, read_feed
from tuifeed.library.remote.listing import looks_like_listing, read_listing
from tuifeed.library.remote.m3u import read_playlist
from tuifeed.library.remote.peertube import api_list_url, read_peertube
from tuifeed.library.remote.urls import redact
from tuifeed.library.sidecar import Metadata
from tuifeed.models import Clip, SourceKind


def read_source(
    client: RemoteClient,
    url: str,
    kind: SourceKind | None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    known: Mapping[str, Clip] | None = None,
) -> tuple[SourceKind, Parsed, Document | None] | None:
    """Fetch and read a source; None when the server answers 304 to the validators (nothing parsed).

    With `kind` None the kind is found from the URL and the document. Returns the kind, what the
    source holds and the top document (for its validators; None for PeerTube, which is an API).
    Raises RemoteError with one line naming the redacted URL and the cause.
    """
    shown = redact(url)
    if kind is SourceKind.PEERTUBE or (kind is None and api_list_url(url) and _is_peertube(client, url)):
        return SourceKind.PEERTUBE, read_peertube(client, url, known or {}), None
    if kind is SourceKind.CLIP or (kind is None and is_video_url(url)):
        return SourceKind.CLIP, Parsed(title="", clips=[make_clip(url, Metadata())]), None
    if kind is SourceKind.LISTING:
        etag = last_modified = None  # an unchanged top folder says nothing about its subfolders
    document = client.document(url, etag=etag, last_modified=last_modified)
    if document is None:
        return None
    kind = kind or detect(document)
    try:
        if kind is SourceKind.FEED:
            parsed = read_feed(document)
        elif kind is SourceKind.PLAYLIST:
            parsed = read_playlist(document.content.decode("utf-8", "replace"), document.url)
        elif kind is SourceKind.MANIFEST:
            parsed = read_manifest(document.content, document.url)
        else:
            parsed = read_listing(client, document)
    except (NotAFeed, BadManifest) as error:
        raise RemoteError(shown, str(error)) from error
    return kind, parsed, document


def detect(document: Document) -> SourceKind:
    """The kind of a fetched document, from its name, type and first bytes; raises RemoteError when none fits."""
    head = document.content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    path = urlsplit(document.url).path.lower()
    kind = document.content_type.lower()
    if path.endswith((".m3u", ".m3u8")) or head.startswith(b"#extm3u") or "mpegurl" in kind:
        return SourceKind.PLAYLIST
    if path.endswith(FILE_NAME) or (head.startswith(b"{") and b'"clips"' in document.content[:65536]):
        return SourceKind.MANIFEST
    if looks_like_listing(document):
        return SourceKind.LISTING
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or "xml" in kind or "rss" in kind:
        return SourceKind.FEED
    if head.startswith((b"{", b"[")):
        raise RemoteError(redact(document.url), "JSON that is neither a tuifeed-library.json nor a listing")
    raise RemoteError(
        redact(document.url), "not a feed, playlist, listing or tuifeed-library.json (try --kind to say which)"
    )


def _is_peertube(client: RemoteClient, url: str) -> bool:
    """Whether the server answers PeerTube's config call (a channel URL on another server is just a page)."""
    parts = urlsplit(url)
    try:
        document = client.document(f"{parts.scheme}://{parts.netloc}/api/v1/config")
        data = json.loads(document.content) if document else None
    except (RemoteError, ValueError):
        return False
    return isinstance(data, dict) and "instance" in data
