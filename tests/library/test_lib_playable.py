"""Every kind of file the scan takes plays in the real libvlc: a file we import must not be one we cannot show."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from library_support import GOOD

from tuifeed.player.base import Frame
from tuifeed.player.vlc_engine import VlcPlayer

pytestmark = pytest.mark.vlc


class Frames:
    """A listener that keeps the first frames of each token, and any error."""

    def __init__(self) -> None:
        self.kept: dict[int, list[Frame]] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def player_frame(self, token: int, frame: Frame) -> None:
        with self.lock:
            kept = self.kept.setdefault(token, [])
            if len(kept) < 10:
                kept.append(frame.copy())

    def player_ended(self, token: int) -> None:
        """Ends are of no interest here."""

    def player_error(self, token: int, message: str) -> None:
        self.errors.append(message)

    def count(self, token: int) -> int:
        with self.lock:
            return len(self.kept.get(token, []))


@pytest.mark.parametrize("path", sorted(GOOD))
def test_every_importable_container_plays(corpus_template: Path, path: str) -> None:
    """The clip's moving picture arrives from libvlc, with no error, whatever its container and codec."""
    player = VlcPlayer(audio_output="adummy")
    frames = Frames()
    player.attach(frames, lambda width, height: (32, max(1, round(32 * height / width))))
    try:
        token = player.play(str(corpus_template / path))
        deadline = time.monotonic() + 10
        while frames.count(token) < 10 and not frames.errors and time.monotonic() < deadline:
            time.sleep(0.02)
        assert frames.errors == []
        kept = frames.kept.get(token, [])
        assert len(kept) == 10, f"{path}: {len(kept)} frames in 10 s"
        assert any(not np.array_equal(kept[0], later) for later in kept[1:]), f"{path}: the picture never moved"
    finally:
        player.close()
