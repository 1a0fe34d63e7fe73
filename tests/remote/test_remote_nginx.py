"""Real nginx (from apt, started on a free port with a temp config): autoindex JSON and HTML, Range, refresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from servers import access_log, nginx

from tuifeed.library.service import Library
from tuifeed.models import SourceKind


@pytest.mark.parametrize("json_index", [True, False], ids=["autoindex-json", "autoindex-html"])
def test_nginx_listing_add_refresh_prefetch(
    tmp_path: Path, library: Library, media_clips: list[Path], json_index: bool
) -> None:
    """Add nginx's index, prefetch a clip byte-exact, then a new file joins and a deleted one goes missing."""
    root = tmp_path / "www"
    videos = root / "videos"
    (videos / "sub").mkdir(parents=True)
    shutil.copy(media_clips[0], videos / "one.mp4")
    shutil.copy(media_clips[0].with_suffix(".info.json"), videos / "one.info.json")
    shutil.copy(media_clips[1], videos / "sub" / "two.mp4")
    with nginx(root, tmp_path / "nginx", json_index=json_index) as base:
        url = f"{base}/videos/"
        result = library.add_remote(url)
        assert result.error is None and result.kind is SourceKind.LISTING, result.line()
        clips = library.remote_clips(url)
        assert [clip.location for clip in clips] == [f"{base}/videos/one.mp4", f"{base}/videos/sub/two.mp4"]
        assert clips[0].title == "Peppermint spin"

        library.prefetch(clips[:1])
        assert library.wait_for_prefetch(30)
        cached = library.playable_location(clips[0])
        assert cached is not None and Path(cached).read_bytes() == media_clips[0].read_bytes()
        assert Path(cached).name.startswith(clips[0].id)

        shutil.copy(media_clips[2], videos / "three.mp4")
        (videos / "sub" / "two.mp4").unlink()
        [refreshed] = library.refresh([url])
        assert refreshed.changes is not None
        assert (refreshed.changes.added, refreshed.changes.missing) == (1, 1)
        assert [clip.location for clip in library.remote_clips(url)] == [
            f"{base}/videos/one.mp4",
            f"{base}/videos/three.mp4",
        ]
    assert any("GET /videos/sub/ " in line for line in access_log(tmp_path / "nginx"))
