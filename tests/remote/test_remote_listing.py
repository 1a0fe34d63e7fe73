"""Directory listings over loopback: python's http.server, an Apache-style page and nginx's JSON, with sidecars."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from loopback import LoopbackServer
from servers import python_http_server

from tuifeed.library.service import Library
from tuifeed.models import SourceKind
from tuifeed.text import is_clean


def _tree(root: Path, media_clips: list[Path]) -> Path:
    """videos/ with a clip and its yt-dlp sidecar, a subfolder with another, a deeper one, and noise."""
    videos = root / "videos"
    (videos / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(media_clips[0], videos / "first [abc123def].mp4")
    shutil.copy(media_clips[0].with_suffix(".info.json"), videos / "first [abc123def].info.json")
    shutil.copy(media_clips[1], videos / "sub" / "second clip.mp4")
    shutil.copy(media_clips[2], videos / "sub" / "deeper" / "third.webm")
    (videos / "notes.txt").write_text("not a video")
    (videos / "half.mp4.part").write_bytes(b"\0" * 10)
    (videos / ".hidden.mp4").write_bytes(b"\0" * 10)
    (root / "secret.mp4").write_bytes(b"\0" * 10)
    return videos


def test_python_http_server_listing(tmp_path: Path, library: Library, media_clips: list[Path]) -> None:
    """A real `python -m http.server` folder: videos found recursively, the sidecar read, noise skipped."""
    _tree(tmp_path, media_clips)
    sidecar = json.loads(media_clips[0].with_suffix(".info.json").read_text())
    with python_http_server(tmp_path) as base:
        result = library.add_remote(f"{base}/videos/")
        assert result.error is None and result.kind is SourceKind.LISTING, result.line()
        clips = {clip.location.removeprefix(base): clip for clip in library.remote_clips(f"{base}/videos/")}
    assert set(clips) == {
        "/videos/first%20%5Babc123def%5D.mp4",
        "/videos/sub/second%20clip.mp4",
        "/videos/sub/deeper/third.webm",
    }
    first = clips["/videos/first%20%5Babc123def%5D.mp4"]
    assert (first.title, first.creator) == (sidecar["title"], sidecar["uploader"])
    assert first.popularity == sidecar["like_count"]
    second = clips["/videos/sub/second%20clip.mp4"]
    assert (second.title, second.creator) == ("second clip", "sub")


APACHE = b"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html><head><title>Index of /videos</title></head><body><h1>Index of /videos</h1>
<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th></tr>
<tr><td><a href="/">Parent Directory</a></td></tr>
<tr><td><a href="clip%201.mp4">clip 1.mp4</a></td><td>2025-09-01 10:00</td></tr>
<tr><td><a href="../secret.mp4">secret.mp4</a></td></tr>
<tr><td><a href="%2E%2E/secret2.mp4">secret2.mp4</a></td></tr>
<tr><td><a href="file:///etc/passwd.mp4">passwd.mp4</a></td></tr>
<tr><td><a href="http://elsewhere.invalid/x.mp4">x.mp4</a></td></tr>
<tr><td><a href="more/">more/</a></td></tr>
</table></body></html>"""


def test_apache_style_page_and_escaping_links(server: LoopbackServer, library: Library) -> None:
    """Sort and parent links are ignored; `../`, file: and other servers are refused and never requested."""
    server.add("/videos/", APACHE, "text/html; charset=utf-8")
    server.add("/videos/more/", b'<html><a href="deep.mp4">deep.mp4</a></html>', "text/html")
    result = library.add_remote(server.url("/videos/"))
    assert result.error is None, result.line()
    locations = [clip.location for clip in library.remote_clips(server.url("/videos/"))]
    assert locations == [server.url("/videos/clip%201.mp4"), server.url("/videos/more/deep.mp4")]
    assert sum("leaves the folder" in line for line in result.skipped) == 3
    assert any("file: links are not followed" in line for line in result.skipped)
    assert not server.requests("/secret.mp4") and not server.requests("/secret2.mp4")
    assert {seen.path for seen in server.log} == {"/videos/", "/videos/more/"}


def test_an_index_page_full_of_unfinished_tags_is_read_in_one_pass(server: LoopbackServer, library: Library) -> None:
    """40,000 unterminated `<!--` and `<a` around the links: each tag is parsed alone, so the page reads as fast
    as a clean one (HTMLParser over the whole page is quadratic there before Python 3.11.13: minutes)."""
    junk = b"<!--" * 40_000 + b"<a" * 40_000
    page = b'<html><a href="one.mp4">one.mp4</a>' + junk + b'<a href="two.mp4">two.mp4</a>' + junk
    server.add("/v/", page, "text/html")
    result = library.add_remote(server.url("/v/"))
    assert result.error is None, result.line()
    assert [clip.location for clip in library.remote_clips(server.url("/v/"))] == [
        server.url("/v/one.mp4"),
        server.url("/v/two.mp4"),
    ]


def test_nginx_json_listing_refuses_escaping_names(server: LoopbackServer, library: Library) -> None:
    """nginx's JSON shape; a name with `/` or `..` is refused; directories are walked."""
    listing = [
        {"name": "sub", "type": "directory", "mtime": "Wed, 12 Jun 2019 10:00:00 GMT"},
        {"name": "a.mp4", "type": "file", "mtime": "Wed, 12 Jun 2019 10:00:00 GMT", "size": 10},
        {"name": "../../etc/passwd.mp4", "type": "file", "size": 1},
        {"name": "..", "type": "directory"},
        {"name": "link", "type": "other"},
    ]
    server.add("/v/", json.dumps(listing).encode(), "application/json")
    server.add("/v/sub/", json.dumps([{"name": "b c.mkv", "type": "file", "size": 5}]).encode(), "application/json")
    result = library.add_remote(server.url("/v/"))
    assert result.kind is SourceKind.LISTING
    assert [clip.location for clip in library.remote_clips(server.url("/v/"))] == [
        server.url("/v/a.mp4"),
        server.url("/v/sub/b%20c.mkv"),
    ]
    assert sum("leaves the folder" in line for line in result.skipped) == 2


def test_nginx_json_listing_with_names_that_are_not_utf8(server: LoopbackServer, library: Library) -> None:
    """nginx writes a name that is not UTF-8 as raw bytes, and a JSON escape can spell a lone surrogate: the
    listing is still read, the raw name keeps its bytes in its URL, and every title is clean text."""
    listing = (
        b'[{ "name":"\xff\xfe.mp4", "type":"file", "size":1 },\r\n'
        b'{ "name":"\\ud800 lone.mp4", "type":"file", "size":1 },\r\n'
        b'{ "name":"ok.mp4", "type":"file", "size":1 }]'
    )
    server.add("/v/", listing, "application/json")
    result = library.add_remote(server.url("/v/"))
    assert result.error is None and result.kind is SourceKind.LISTING
    clips = library.remote_clips(server.url("/v/"))
    assert [clip.location for clip in clips] == [
        server.url("/v/%FF%FE.mp4"),
        server.url("/v/%ED%A0%80%20lone.mp4"),
        server.url("/v/ok.mp4"),
    ]
    assert all(is_clean(clip.title) for clip in clips)


def test_recursion_stops_at_the_depth_limit(server: LoopbackServer, library: Library) -> None:
    """A listing that nests forever is walked to MAX_DEPTH and says what it left out."""

    def nest(depth: int) -> bytes:
        return json.dumps([{"name": "d", "type": "directory"}, {"name": f"c{depth}.mp4", "type": "file"}]).encode()

    path = "/n/"
    for depth in range(10):
        server.add(path, nest(depth), "application/json")
        path += "d/"
    result = library.add_remote(server.url("/n/"))
    assert len(library.remote_clips(server.url("/n/"))) == 5
    assert any("deeper or more folders" in line for line in result.skipped)


def test_a_listing_is_walked_again_even_when_its_top_folder_is_unchanged(
    server: LoopbackServer, library: Library
) -> None:
    """A new file in a subfolder joins at refresh although the top listing would answer 304."""
    server.add("/v/", json.dumps([{"name": "sub", "type": "directory"}]).encode(), "application/json")
    server.add("/v/sub/", json.dumps([{"name": "a.mp4", "type": "file"}]).encode(), "application/json")
    library.add_remote(server.url("/v/"))
    files = [{"name": "a.mp4", "type": "file"}, {"name": "b.mp4", "type": "file"}]
    server.add("/v/sub/", json.dumps(files).encode(), "application/json")
    [result] = library.refresh()
    assert result.changes is not None and result.changes.added == 1
    assert "if-none-match" not in server.requests("/v/")[-1].headers
