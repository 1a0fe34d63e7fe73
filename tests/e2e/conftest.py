"""Fixtures for the end-to-end tests: sample clips, an isolated tuifeed home, and the real tuifeed in tmux."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e_support import (
    ClipLibrary,
    Home,
    Pane,
    SampleClip,
    bundled_clips,
    generate_clips,
    picture_size,
)


@pytest.fixture(scope="session")
def clip_library(tmp_path_factory: pytest.TempPathFactory) -> ClipLibrary:
    """Sample clips: copies of the bundled media/ library when it exists, else clips made with ffmpeg."""
    folder = tmp_path_factory.mktemp("clips")
    bundled = bundled_clips()
    if len(bundled) >= 2:
        for clip in bundled:
            shutil.copy2(clip.path, folder / clip.path.name)
            shutil.copy2(clip.path.with_suffix(".info.json"), folder / clip.path.with_suffix(".info.json").name)
    else:
        generate_clips(folder)
    clips = tuple(SampleClip(path, *picture_size(path)) for path in sorted(folder.glob("*.mp4")))
    return ClipLibrary(folder, clips)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    """A fresh tuifeed home in tmp_path whose config plays sound to libvlc's dummy output."""
    root = tmp_path / "home"
    root.mkdir()
    config = root / "config.toml"
    config.write_text('[player]\naudio_output = "adummy"\n', encoding="utf-8")
    return Home(root, config, root / "data", root / "tuifeed.db", root / "tuifeed.log")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., Pane]]:
    """A factory of panes on a private tmux server, killed when the test ends."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the end-to-end tests: run `make test`, which installs it")
    socket = f"tuifeed-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    started: list[Pane] = []

    def start(width: int = 120, height: int = 40, env: dict[str, str] | None = None) -> Pane:
        assert not started, "one pane per test"
        pane = Pane(socket, width, height, env or {}, tmp_path)
        started.append(pane)
        return pane

    yield start
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10, check=False)
