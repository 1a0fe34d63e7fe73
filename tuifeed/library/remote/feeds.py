"""RSS, Atom, Media RSS and podcast feeds with video enclosures, parsed by feedparser from bytes we fetched.

feedparser is given a stream, never a string: given bytes it tries them as a file name first, and
given a URL it fetches. Its sanitiser keeps only entity declarations without references (so the
billion laughs stay unexpanded) and its SAX parser runs with external entities off; tests prove both.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import Mapping
from typing import Any

import feedparser

from tuifeed.library.remote.client import Document
from tuifeed.library.remote.entries import Parsed, html_text, is_video_url, make_clip, seconds_ms
from tuifeed.library.remote.urls import UnsafeLink, clean_link, follow
from tuifeed.library.sidecar import Metadata
from tuifeed.text import clean


class NotAFeed(ValueError):
    """The document is not a feed feedparser could read; str() is the cause."""


def read_feed(document: Document) -> Parsed:
    """The video clips of a feed: one per entry with a video enclosure or `media:content`."""
    parsed = feedparser.parse(
        io.BytesIO(document.content),
        # No content-location: feedparser would resolve every element against it (twice the parse time);
        # the few links we use are resolved by follow().
        response_headers={"content-type": document.content_type or "application/xml"},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if parsed.bozo and not parsed.entries:
        raise NotAFeed(f"not a readable feed ({_cause(parsed)})")
    if not parsed.version and not parsed.entries:
        raise NotAFeed("not an RSS or Atom feed")
    clips = []
    skipped: list[str] = []
    for parsed_entry in parsed.entries:
        # A plain dict: FeedParserDict's own lookups (key aliases, computed keys) cost ~15% of a 5,000-entry refresh.
        entry = dict(parsed_entry)
        media = _video(entry, document.url, skipped)
        if media is None:
            continue
        url, attributes = media
        clips.append(
            make_clip(
                url,
                _metadata(entry, attributes, document.url),
                width=_int(attributes.get("width")),
                height=_int(attributes.get("height")),
            )
        )
    if parsed.bozo and not clips:
        raise NotAFeed(f"not a readable feed ({_cause(parsed)})")
    return Parsed(title=clean(str(parsed.feed.get("title", ""))), clips=clips, skipped=skipped)


def _cause(parsed: Mapping[str, Any]) -> str:
    """Why feedparser could not read the document, as "line 8, column 15: undefined entity"."""
    cause = str(parsed.get("bozo_exception", "")) or "not well-formed"
    return clean(re.sub(r"^<unknown>:(\d+):(\d+):", r"line \1, column \2:", cause))


def _video(entry: Mapping[str, Any], base: str, skipped: list[str]) -> tuple[str, Mapping[str, Any]] | None:
    """The URL and attributes of the entry's video: the smallest rendition at least 360 px high, else the first."""
    candidates: list[tuple[str, Mapping[str, Any]]] = []
    seen: set[str] = set()  # a set: a feed may offer one entry hundreds of thousands of renditions within the cap
    enclosures = (link for link in entry.get("links", []) if link.get("rel") == "enclosure")
    offered = [*entry.get("media_content", []), *({"url": e.get("href"), **e} for e in enclosures)]
    for item in offered:
        link = item.get("url") or item.get("href")
        kind = str(item.get("type", "")).lower()
        if not link or not (kind.startswith("video/") or item.get("medium") == "video" or is_video_url(str(link))):
            continue
        try:
            url = follow(base, str(link))
        except UnsafeLink as error:
            skipped.append(f"{clean_link(str(link))}: {error}")
            continue
        if url not in seen:
            seen.add(url)
            candidates.append((url, item))
    if not candidates:
        return None
    sized = [(height, candidate) for candidate in candidates if (height := _int(candidate[1].get("height")))]
    tall_enough = [item for item in sized if item[0] >= 360]
    if tall_enough:
        return min(tall_enough, key=lambda item: item[0])[1]
    return candidates[0]


def _metadata(entry: Mapping[str, Any], media: Mapping[str, Any], base: str) -> Metadata:
    description = entry.get("summary_detail") or {}
    text = str(description.get("value", ""))
    if "html" in str(description.get("type", "")):
        text = html_text(text)
    keywords = str(entry.get("media_keywords", "") or entry.get("itunes_keywords", ""))
    tags = [str(tag.get("term", "")) for tag in entry.get("tags", []) if tag.get("term")]
    tags += [word.strip() for word in keywords.split(",") if word.strip()]
    statistics = entry.get("media_statistics") or {}
    link = entry.get("link")
    try:
        page = follow(base, str(link)) if link else None
    except UnsafeLink:
        page = None
    return Metadata(
        title=html_text(str(entry.get("title", ""))) or None,
        creator=str(entry.get("author", "")) or None,
        description=text or None,
        tags=tuple(tags),
        duration_ms=seconds_ms(entry.get("itunes_duration")) or seconds_ms(_float(media.get("duration"))),
        popularity=_int(statistics.get("views")),
        published_at=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        source_url=page,
    )


def _iso(value: object) -> str | None:
    if not isinstance(value, time.struct_time):
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(calendar.timegm(value)))


def _int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _float(value: object) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None
