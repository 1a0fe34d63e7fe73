"""The M3U parser: extended and plain playlists, relative URLs, HLS, and any text thrown at it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuifeed.library.remote.m3u import PlaylistEntry, is_hls, parse_m3u, read_playlist
from tuifeed.library.remote.urls import is_remote

BASE = "http://127.0.0.1:8000/lists/clips.m3u8"


def test_extended_playlist() -> None:
    """#EXTINF gives duration, creator and title; #PLAYLIST the title; relative URLs resolve."""
    text = (
        "\ufeff#EXTM3U\n#PLAYLIST:My clips\n#EXTINF:14,alice - Cat jumps\n#EXTIMG:http://x/1.jpg\n"
        "http://127.0.0.1:8000/c/0001.mp4\n"
        '#EXTINF:-1 tvg-logo="http://x/2.jpg" group-title="cats",bob - Dog\n'
        "c/0002.mp4\n\n#EXTINF:3.5,Just a title\n../up/0003.mp4\n"
    )
    title, entries, skipped = parse_m3u(text, BASE)
    assert title == "My clips"
    assert skipped == []
    assert entries == [
        PlaylistEntry("http://127.0.0.1:8000/c/0001.mp4", "Cat jumps", "alice", 14_000),
        PlaylistEntry("http://127.0.0.1:8000/lists/c/0002.mp4", "Dog", "bob", None, "cats"),
        PlaylistEntry("http://127.0.0.1:8000/up/0003.mp4", "Just a title", None, 3_500),
    ]


def test_plain_list_and_unsafe_lines() -> None:
    """A plain list of locations works; file:// and other schemes are skipped with a reason."""
    _title, entries, skipped = parse_m3u("a.mp4\r\nfile:///etc/passwd\nrtsp://cam/live\nhttps://h/b.webm\n", BASE)
    assert [entry.location for entry in entries] == ["http://127.0.0.1:8000/lists/a.mp4", "https://h/b.webm"]
    assert len(skipped) == 2 and "file" in skipped[0]


def test_hls_playlist_is_one_stream() -> None:
    """An HLS playlist is one clip at the playlist's own URL, for libvlc to play."""
    text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg0.ts\n#EXTINF:6.0,\nseg1.ts\n"
    assert is_hls(text)
    parsed = read_playlist(text, BASE)
    assert [clip.location for clip in parsed.clips] == [BASE]


def test_titles_are_cleaned_at_entry() -> None:
    """Terminal escapes in a title are made visible, never passed on."""
    parsed = read_playlist("#EXTINF:5,\x1b[31mred\x1b[0m\nhttp://h/a.mp4\n", BASE)
    assert "\x1b" not in parsed.clips[0].title
    assert "␛" in parsed.clips[0].title


def test_playlist_title_and_skipped_lines_are_cleaned_at_entry() -> None:
    """`#PLAYLIST:` (shown by `remote add` and `remote list`) and a refused line carry no escape."""
    parsed = read_playlist("#PLAYLIST:a\x1b]0;pwned\x07b\njavascript:\x1b[2J\nhttp://h/a.mp4\n", BASE)
    assert parsed.title == "a␛]0;pwned␇b"
    assert parsed.skipped == ["javascript:␛[2J: javascript: links are not followed, only http(s)"]


@pytest.mark.parametrize(
    ("extinf", "title", "group"),
    [
        ("#EXTINF:" + "1" * 100_000, None, None),
        ("#EXTINF:1 " + "a" * 100_000 + ",long", "long", None),
        ("#EXTINF:-1 tvg-" + "x-" * 50_000 + 'id="1" group-title="news",long', "long", "news"),
    ],
)
def test_a_long_extinf_line_is_read_in_one_pass(extinf: str, title: str | None, group: str | None) -> None:
    """A 100,000-character #EXTINF line (a comma missing, or endless attributes) is read as fast as a short one:
    the one regular expression before backtracked over it quadratically, minutes for such a line."""
    _, [entry], _ = parse_m3u(f"{extinf}\nhttp://h/a.mp4\n", BASE)
    assert (entry.title, entry.group) == (title, group)


@given(st.text(max_size=400))
def test_any_text_parses_to_http_locations_only(text: str) -> None:
    """Whatever the text, parsing never raises and every location kept is an http(s) URL."""
    _, entries, _ = parse_m3u(text, BASE)
    assert all(is_remote(entry.location) for entry in entries)


_TITLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=",-#"), max_size=20
).map(str.strip)


@given(st.lists(st.tuples(_TITLE, st.integers(1, 10_000), st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)), max_size=8))
def test_round_trip(items: list[tuple[str, int, str]]) -> None:
    """A written extended playlist parses back to the same titles, durations and URLs."""
    lines = ["#EXTM3U"]
    for title, seconds, name in items:
        lines += [f"#EXTINF:{seconds},{title}", f"{name}.mp4"]
    _, entries, _ = parse_m3u("\n".join(lines), BASE)
    assert [(entry.title or "", (entry.duration_ms or 0) // 1000, entry.location) for entry in entries] == [
        (title, seconds, f"http://127.0.0.1:8000/lists/{name}.mp4") for title, seconds, name in items
    ]
