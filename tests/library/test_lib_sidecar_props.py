"""Property tests for the sidecar reader: any bytes, any JSON, any XML, any name give clean, bounded metadata."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuifeed.library.sidecar import (
    MAX_COUNT,
    MAX_DURATION_S,
    MAX_TAGS,
    TEXT_LIMITS,
    Metadata,
    from_container_tags,
    from_names,
    parse_info_json,
    read_nfo,
)

FIELDS = [
    "title", "fulltitle", "uploader", "channel", "creator", "uploader_id", "description", "tags", "track", "artist",
    "artists", "duration", "like_count", "view_count", "repost_count", "timestamp", "upload_date", "id",
    "extractor_key", "extractor", "webpage_url",
]  # fmt: skip
_ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=80)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    _ANY_TEXT,
)
_JSON = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_ANY_TEXT, inner, max_size=4), max_leaves=12
)
_UNSAFE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _assert_clean(value: str | None, limit: int, multiline: bool = False) -> None:
    if value is None:
        return
    assert 0 < len(value) <= limit
    assert not any(
        (ord(char) < 0x20 and not (multiline and char == "\n"))
        or 0x7F <= ord(char) < 0xA0
        or 0xD800 <= ord(char) <= 0xDFFF
        or char in _UNSAFE
        for char in value
    )


def assert_sane(meta: Metadata) -> None:
    """Every text clean and bounded, every number in range: what the store and the screen can take."""
    _assert_clean(meta.title, TEXT_LIMITS["title"])
    _assert_clean(meta.creator, TEXT_LIMITS["creator"])
    _assert_clean(meta.sound, TEXT_LIMITS["sound"])
    _assert_clean(meta.description, TEXT_LIMITS["description"], multiline=True)
    _assert_clean(meta.source_url, TEXT_LIMITS["url"])
    assert meta.source_url is None or meta.source_url.startswith(("http://", "https://"))
    assert len(meta.tags) <= MAX_TAGS
    for tag in meta.tags:
        _assert_clean(tag, TEXT_LIMITS["tag"])
    assert meta.popularity is None or 0 <= meta.popularity <= MAX_COUNT
    assert meta.duration_ms is None or 0 < meta.duration_ms <= MAX_DURATION_S * 1000
    for problem in meta.problems:
        _assert_clean(problem, 200)


@settings(max_examples=300)
@given(raw=st.binary(max_size=400))
def test_any_bytes_as_info_json(raw: bytes) -> None:
    """Random bytes never raise: they say why they were ignored."""
    meta = parse_info_json(raw)
    assert_sane(meta)


@settings(max_examples=200)
@given(data=st.dictionaries(st.sampled_from(FIELDS) | _ANY_TEXT, _JSON, max_size=12))
def test_any_json_object_as_info_json(data: dict[str, object]) -> None:
    """Any JSON object, with yt-dlp's keys holding any values, gives sane metadata and never raises."""
    meta = parse_info_json(json.dumps(data, allow_nan=True).encode("utf-8", "surrogatepass"))
    assert_sane(meta)


@settings(max_examples=300)
@given(
    count=st.one_of(st.integers(min_value=-(2**80), max_value=2**80), st.floats(allow_nan=True, allow_infinity=True))
)
def test_counts_are_clamped_or_reported(count: float) -> None:
    """A like count is kept when it is a count, clamped above 2**63-1, and otherwise reported by name."""
    meta = parse_info_json(json.dumps({"like_count": count}).encode())
    if (isinstance(count, float) and not math.isfinite(count)) or count < 0:
        assert meta.popularity is None and meta.problems[0].startswith("like_count = ")
    else:
        assert meta.popularity == min(int(count), MAX_COUNT)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_ANY_TEXT.map(lambda value: value.encode("utf-8", "surrogatepass")) | st.binary(max_size=200))
def test_any_nfo(tmp_path: Path, text: bytes) -> None:
    """Any bytes in a .nfo, XML-looking or not, never raise."""
    path = tmp_path / "x.nfo"
    path.write_bytes(b"<movie><title>" + text + b"</title><tag>" + text + b"</tag><runtime>" + text + b"</runtime>")
    assert_sane(read_nfo(path))
    path.write_bytes(text)
    assert_sane(read_nfo(path))


@settings(max_examples=300)
@given(tags=st.dictionaries(st.sampled_from(["title", "artist", "comment", "keywords", "creation_time"]), _ANY_TEXT))
def test_any_container_tags(tags: dict[str, str]) -> None:
    """Embedded tags are outside text too."""
    assert_sane(from_container_tags(tags))


@settings(max_examples=300)
@given(folder=st.binary(min_size=1, max_size=40), name=st.binary(min_size=1, max_size=60))
def test_any_file_and_folder_name(folder: bytes, name: bytes) -> None:
    """Any bytes in a file or folder name give a clean title and creator."""
    parts = [os.fsdecode(part.replace(b"/", b"_").replace(b"\0", b"_")) for part in (folder, name)]
    meta = from_names(Path("/videos", *parts))
    assert_sane(meta)
    assert meta.title


_PAST_FLOATS = st.integers(2**1024, 10**4000) | st.integers(-(10**4000), -(2**1024))


@given(st.sampled_from(["duration", "like_count", "view_count", "repost_count", "timestamp"]), _PAST_FLOATS)
def test_a_number_no_float_can_hold(key: str, number: int) -> None:
    """JSON integers have no bound: one past 1e308 is clamped or ignored with a reason, never an OverflowError."""
    meta = parse_info_json(json.dumps({"title": "t", key: number}).encode())
    assert_sane(meta)
    assert meta.title == "t" and len(meta.problems) == 1
