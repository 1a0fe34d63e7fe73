"""Shared fixtures: every test runs without the user's config, data directory or log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tuifeed.store import Store

settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")
"""No per-example deadline: CI shares a noisy machine, and a slow example is no wrong answer."""

REPO = Path(__file__).resolve().parent.parent
MEDIA = REPO / "media"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config, data, cache and log locations into a temp folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TUIFEED_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("TUIFEED_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("TUIFEED_LOG", str(home / "tuifeed.log"))
    monkeypatch.setenv("TUIFEED_CACHE_DIR", str(home / "cache"))
    return home


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real Store on a SQLite file in a temp folder."""
    store = Store(tmp_path / "tuifeed.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def media_clips() -> list[Path]:
    """The bundled sample clips (the repository's media/ folder)."""
    clips = sorted(MEDIA.glob("*.mp4"))
    assert len(clips) >= 4, f"the bundled library in {MEDIA} is missing; run `make media`"
    return clips
