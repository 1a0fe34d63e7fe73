"""Sidecar and name metadata: yt-dlp fields, hashtags, .nfo, container tags, merge order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuifeed.library.sidecar import (
    Metadata,
    from_container_tags,
    from_names,
    hashtags,
    merge,
    read_info_json,
    read_nfo,
)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("so fast #borzoisoftiktok!", ("borzoisoftiktok",)),
        ("#fyp #dog_life and #dog.life.", ("fyp", "dog_life", "dog.life")),
        ("no tags, c# code, a&#39;b, http://x.y/#anchor", ()),
        ("#日本 #café", ("日本", "café")),
    ],
)
def test_hashtags(text: str, tags: tuple[str, ...]) -> None:
    """Hashtags are words after '#', not anchors, entities or 'c#'."""
    assert hashtags(text) == tags


def test_info_json_popularity_falls_back_to_views_and_date_to_upload_date(tmp_path: Path) -> None:
    """Without likes the views are the prior; without a timestamp the upload day is the date."""
    path = tmp_path / "x.info.json"
    path.write_text(json.dumps({"channel": "Chan", "view_count": 99, "upload_date": "20240229", "artist": "DJ"}))
    meta = read_info_json(path)
    assert (meta.creator, meta.popularity, meta.published_at, meta.sound) == (
        "Chan",
        99,
        "2024-02-29T00:00:00+00:00",
        "DJ",
    )


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"title": 5, "tags": "nope", "like_count": true}'])
def test_malformed_info_json_says_little(tmp_path: Path, content: str) -> None:
    """A broken or odd sidecar never raises and never invents values."""
    path = tmp_path / "x.info.json"
    path.write_text(content)
    meta = read_info_json(path)
    assert (meta.tags, meta.popularity) == ((), None)
    assert meta.title in (None, "5")


def test_nfo_reads_kodi_fields_and_survives_garbage(tmp_path: Path) -> None:
    """<title>, <plot>, <tag>/<genre>, <studio>, <premiered>, <runtime> are read; bad XML says why, nothing else."""
    path = tmp_path / "x.nfo"
    path.write_text(
        "<musicvideo><title>T</title><artist>A</artist><plot>P</plot><genre>G</genre>"
        "<runtime>3</runtime><aired>2020-01-02</aired></musicvideo>"
    )
    meta = read_nfo(path)
    assert (meta.title, meta.creator, meta.description, meta.tags, meta.duration_ms, meta.published_at) == (
        "T",
        "A",
        "P",
        ("G",),
        180_000,
        "2020-01-02T00:00:00+00:00",
    )
    path.write_text("<movie><title>unclosed")
    broken = read_nfo(path)
    assert broken == Metadata(problems=broken.problems)
    assert broken.problems == ("ignored: not valid XML (no element found: line 1, column 22)",)


def test_container_tags_and_names() -> None:
    """Embedded tags give title, creator, keywords and a UTC creation time; names are the last resort."""
    meta = from_container_tags(
        {"title": "Clip", "artist": "Me", "keywords": "a, b;c", "creation_time": "2023-05-01T10:00:00.000000Z"}
    )
    assert (meta.title, meta.creator, meta.tags, meta.published_at) == (
        "Clip",
        "Me",
        ("a", "b", "c"),
        "2023-05-01T10:00:00+00:00",
    )
    named = from_names(Path("/videos/Ana Dogs/best_zoomies [dQw4w9WgXcQ].mp4"))
    assert (named.title, named.creator) == ("best zoomies", "Ana Dogs")


def test_merge_takes_the_first_value_and_unions_tags() -> None:
    """Earlier layers win field by field; tags join (case-insensitively unique) with text hashtags."""
    merged = merge(
        [
            Metadata(title="From sidecar #one", tags=("Dogs",)),
            Metadata(title="From tags", creator="Tagger", description="see #two", tags=("dogs", "cats")),
            Metadata(title="from name", creator="folder"),
        ]
    )
    assert (merged.title, merged.creator, merged.description) == ("From sidecar #one", "Tagger", "see #two")
    assert merged.tags == ("Dogs", "one", "two", "cats")


def test_a_fifo_in_a_sidecars_place_is_never_read(tmp_path: Path) -> None:
    """A FIFO swapped in after the scan is opened without blocking and refused: no writer needed."""
    import os
    import threading

    fifo = tmp_path / "x.info.json"
    os.mkfifo(fifo)
    result: list[Metadata] = []
    reader = threading.Thread(target=lambda: result.append(read_info_json(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a FIFO sidecar blocked"
    assert result[0].problems == ("not read: not a regular file",)


def test_wrong_types_and_odd_values_are_named(tmp_path: Path) -> None:
    """Each value that cannot be used is reported by its key; usable ones beside it are kept."""
    path = tmp_path / "x.info.json"
    path.write_text(
        json.dumps(
            {
                "title": ["Part", 2],
                "uploader": {"name": "x"},
                "channel": "Chan",
                "tags": "one,two",
                "duration": "12",
                "like_count": -1,
                "view_count": 10.7,
                "webpage_url": "javascript:alert(1)",
            }
        )
    )
    meta = read_info_json(path)
    assert (meta.title, meta.creator, meta.tags, meta.duration_ms, meta.popularity) == ("Part, 2", "Chan", (), None, 10)
    assert meta.source_url is None
    assert meta.problems == (
        "uploader ignored: an object, not text",
        "tags ignored: text, not a list",
        "duration ignored: text, not a number",
        "like_count = -1 ignored: not a count",
        "webpage_url ignored: not an http(s) address",
    )


def test_long_text_is_cut_and_clean(tmp_path: Path) -> None:
    """A megabyte title is cut to its limit with an ellipsis; a description keeps its lines, never controls."""
    path = tmp_path / "x.info.json"
    path.write_text(json.dumps({"title": "t" * 1_000_000, "description": "a\r\nb\x1b[2J\n" * 3}))
    meta = read_info_json(path)
    assert meta.title is not None and len(meta.title) == 500 and meta.title.endswith("…")
    assert meta.description == "a\nb␛[2J\na\nb␛[2J\na\nb␛[2J"


def test_a_name_of_only_controls_still_gets_a_title() -> None:
    """A file named with a carriage return alone (found by hypothesis) is titled, not blank."""
    assert from_names(Path("/videos/_/\r")).title == "untitled"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("a" + " " * 100_000 + "b.mp4", "a b"),
        ("clip" + " " * 100_000 + "[dQw4w9WgXcQ].mp4", "clip"),
        (" " * 100_000 + "[dQw4w9WgXcQ].mp4", "untitled"),
    ],
)
def test_a_name_with_a_long_run_of_blanks_is_read_in_one_pass(name: str, title: str) -> None:
    """A remote clip's name can be as long as its playlist line: 100,000 blanks before the yt-dlp id took
    minutes while the pattern matched the blanks too (a search from each one), and take no time now."""
    assert from_names(Path("/v") / name).title == title
