"""`tuifeed remote add|list|remove|refresh`, `export-manifest` and `tuifeed URL`, through main() on loopback."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from loopback import LoopbackServer
from remote_support import rss

from tuifeed import cli
from tuifeed.cli import main
from tuifeed.models import Clip


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str]:
    code = main([*args, "--db", str(db)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_add_list_refresh_remove(
    server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The whole life of a source on the command line, with a password that is never printed nor logged."""
    caplog.set_level(logging.DEBUG)
    server.add("/feed.xml", rss([{"title": "[bold red]boom[/]", "url": "/c/a.mp4"}], title="[b]Mine[/b]"))
    url = server.url("/feed.xml", userinfo="ana:hunter2")
    db = tmp_path / "t.db"

    code, out = _run(capsys, db, "remote", "add", url)
    assert code == 0
    assert out.strip() == f"Added {server.url('/feed.xml', userinfo='***')} (feed “[b]Mine[/b]”): 1 clips"

    code, out = _run(capsys, db, "remote", "list")
    assert code == 0 and "[b]Mine[/b]" in out and "***@127.0.0.1" in out

    code, out = _run(capsys, db, "remote", "refresh")
    assert (code, out.strip()) == (0, f"{server.url('/feed.xml', userinfo='***')}: unchanged")

    code, out = _run(capsys, db, "remote", "remove", "1")
    assert code == 0 and "1 clips no other source lists are hidden" in out

    code, out = _run(capsys, db, "remote", "list")
    assert "No remote sources yet" in out
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert "127.0.0.1" in log  # the log names the source...
    assert "hunter2" not in out and "hunter2" not in log  # ...never its password
    assert server.requests("/feed.xml")[0].headers["authorization"].startswith("Basic ")


def test_errors_are_one_line_and_other_sources_keep_working(
    server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 404 on add and a 500 on refresh: one red line each naming the source; the exit status says so."""
    db = tmp_path / "t.db"
    code, out = _run(capsys, db, "remote", "add", server.url("/nope.xml"))
    assert (code, out.strip()) == (1, f"error: {server.url('/nope.xml')}: not found (HTTP 404)")
    server.add("/a.m3u", b"/c/a.mp4\n", "audio/x-mpegurl")
    server.add("/b.m3u", b"/c/b.mp4\n", "audio/x-mpegurl")
    _run(capsys, db, "remote", "add", server.url("/a.m3u"))
    _run(capsys, db, "remote", "add", server.url("/b.m3u"))
    server.add("/a.m3u", b"", status=503)
    server.add("/b.m3u", b"/c/b.mp4\n/c/c.mp4\n", "audio/x-mpegurl")
    code, out = _run(capsys, db, "remote", "refresh")
    assert code == 1
    assert out.splitlines() == [
        f"error: {server.url('/a.m3u')}: server error (HTTP 503)",
        f"{server.url('/b.m3u')}: 1 new, 1 known, 0 gone",
    ]
    code, out = _run(capsys, db, "remote", "remove", server.url("/zzz"))
    assert code == 1 and "is not a remote source" in out


def test_export_manifest(tmp_path: Path, media_clips: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    """export-manifest writes tuifeed-library.json for an imported folder, and refuses an empty one."""
    folder = tmp_path / "share"
    folder.mkdir()
    shutil.copy(media_clips[0], folder)
    db = tmp_path / "t.db"
    code, out = _run(capsys, db, "export-manifest", str(folder))
    assert code == 1 and "no imported clips here" in out
    assert not (folder / "tuifeed-library.json").exists()
    _run(capsys, db, "import", str(folder))
    code, out = _run(capsys, db, "export-manifest", str(folder))
    assert code == 0 and "1 clips" in out
    manifest = json.loads((folder / "tuifeed-library.json").read_text())
    assert [clip["url"] for clip in manifest["clips"]] == [media_clips[0].name]


def test_export_manifest_lists_a_copy_imported_first_elsewhere(
    tmp_path: Path, media_clips: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A clip whose first location is another folder is still in the manifest of the folder that has a copy."""
    first, share = tmp_path / "first", tmp_path / "share"
    for folder in (first, share):
        folder.mkdir()
        shutil.copy(media_clips[0], folder / "copy.mp4")
    db = tmp_path / "t.db"
    _run(capsys, db, "import", str(first))
    _run(capsys, db, "import", str(share))
    code, out = _run(capsys, db, "export-manifest", str(share))
    assert code == 0 and "1 clips" in out, out
    manifest = json.loads((share / "tuifeed-library.json").read_text())
    assert [clip["url"] for clip in manifest["clips"]] == ["copy.mp4"]


def test_play_url_resolves_into_the_library(
    server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tuifeed URL` adds the source and plays just its clips (the App is stood in for here: see e2e)."""
    played: list[list[Clip]] = []
    monkeypatch.setattr(cli, "_play", lambda args, config, store, only=None: played.append(only) or 0)
    server.add("/list.m3u", b"#EXTM3U\n#EXTINF:5,one\n/c/1.mp4\n#EXTINF:5,two\n/c/2.mp4\n", "audio/x-mpegurl")
    assert main([server.url("/list.m3u"), "--db", str(tmp_path / "t.db")]) == 0
    assert [[clip.title for clip in clips] for clips in played] == [["one", "two"]]
    code, out = _run(capsys, tmp_path / "t.db", server.url("/gone.m3u"))
    assert code == 1 and "not found (HTTP 404)" in out


def test_a_playlist_s_own_text_reaches_the_terminal_cleaned(
    server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`remote add` and `remote list` show a playlist's title and its refused lines with escapes made visible."""
    playlist = "#EXTM3U\n#PLAYLIST:mine\x1b]0;pwned\x07\njavascript:\x1b[2J\nhttp://h/a\x1b[5m.mp4\n"
    server.add("/p.m3u", playlist.encode(), "audio/x-mpegurl")
    db = tmp_path / "t.db"
    outputs = [_run(capsys, db, "remote", "add", server.url("/p.m3u")), _run(capsys, db, "remote", "list")]
    outputs.append(_run(capsys, db, "search", "a", "--json"))
    for code, out in outputs:
        assert code == 0 and "\x1b" not in out and "\x07" not in out, repr(out)
    assert "mine␛]0;pwned␇" in outputs[0][1] and "mine␛]0;pwned␇" in outputs[1][1]
    assert "http://h/a%1B[5m.mp4" in outputs[2][1]
