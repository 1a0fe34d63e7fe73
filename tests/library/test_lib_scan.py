"""The scanner: extensions, hidden and partial files, links that leave the roots, sidecar stamps."""

from __future__ import annotations

from pathlib import Path

from tuifeed.library.scan import ScannedFile, ScanProblem, scan


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _found(roots: list[Path], **options: bool) -> list[str]:
    return [str(item.path) for item in scan(roots, **options) if isinstance(item, ScannedFile)]


def test_extensions_hidden_and_partial(tmp_path: Path) -> None:
    """Video extensions in any case are found; hidden names, partial downloads and other files are not."""
    videos = {"a.MP4", "b.webm", "c.3gp", "d.ts", "e.m4v", "f.mov", "g.avi", "h.mkv", "p.flv", "q.MPG", "r.mpeg"}
    videos |= {"s.wmv", "t.ogv"}
    for name in videos:
        _touch(tmp_path / name)
    for name in ("i.mp4.part", "j.mp4.ytdl", "k.tmp", ".l.mp4", ".hidden/m.mp4", "n.txt", "o.info.json"):
        _touch(tmp_path / name)
    found = {Path(path).name for path in _found([tmp_path])}
    assert found == videos


def test_links_leaving_the_root_are_followed_only_when_asked(tmp_path: Path) -> None:
    """A folder link pointing outside the root is skipped by default and followed with follow_links."""
    outside = _touch(tmp_path / "outside" / "far.mp4").parent
    root = tmp_path / "root"
    _touch(root / "near.mp4")
    (root / "link").symlink_to(outside)
    assert _found([root]) == [str(root / "near.mp4")]
    assert sorted(_found([root], follow_links=True)) == [str(root / "link" / "far.mp4"), str(root / "near.mp4")]


def test_link_inside_the_root_is_followed_once_and_loops_are_reported(tmp_path: Path) -> None:
    """A link to a sibling folder is not scanned twice; a link to an ancestor is a symlink loop."""
    _touch(tmp_path / "a" / "clip.mp4")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    items = list(scan([tmp_path]))
    assert [str(item.path) for item in items if isinstance(item, ScannedFile)] == [str(tmp_path / "a" / "clip.mp4")]
    assert [(item.path, item.reason) for item in items if isinstance(item, ScanProblem)] == [
        (tmp_path / "a" / "up", "symlink loop")
    ]


def test_sidecars_are_attached_with_their_newest_mtime(tmp_path: Path) -> None:
    """A clip carries its .info.json and .nfo, most specific first, and their newest mtime."""
    _touch(tmp_path / "v.mp4")
    info = _touch(tmp_path / "v.info.json", b"{}")
    nfo = _touch(tmp_path / "v.nfo", b"<movie/>")
    [item] = [item for item in scan([tmp_path]) if isinstance(item, ScannedFile)]
    assert item.sidecars == (info, nfo)
    assert item.meta_stamp == max(info.stat().st_mtime_ns, nfo.stat().st_mtime_ns)
