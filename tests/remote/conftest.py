"""Fixtures for remote libraries: a real loopback HTTP server, a client with short limits, a Library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import LoopbackServer
from remote_support import FAST

from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.service import Library


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A started loopback HTTP server with no routes yet."""
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[RemoteClient]:
    """The real client over the real network stack, with short limits."""
    remote = RemoteClient(FAST)
    yield remote
    remote.close()


@pytest.fixture
def library(tmp_path: Path, client: RemoteClient) -> Iterator[Library]:
    """A Library on a temp database and cache folder, using `client`."""
    service = Library(tmp_path / "tuifeed.db", cache_dir=tmp_path / "cache", cache_bytes=64 * 1024**2, client=client)
    yield service
    service.close()
