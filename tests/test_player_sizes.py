"""LaterSizer: the sizes a clip pre-rolled before the display is chosen decodes at."""

from __future__ import annotations

import threading

from tuifeed.player import LaterSizer


def test_a_clip_asking_before_the_sizes_are_known_waits_for_them() -> None:
    """libvlc's thread asks first and waits; the main thread settles, and the answer is the settled sizer's."""
    sizer = LaterSizer()
    asked = threading.Event()
    answers: list[tuple[int, int]] = []

    def ask() -> None:
        asked.set()
        answers.append(sizer(1280, 720))

    thread = threading.Thread(target=ask)
    thread.start()
    assert asked.wait(10)
    thread.join(0.2)
    assert thread.is_alive() and not answers, "no answer before the sizes are known"
    sizer.settle(lambda width, height: (width // 10, height // 10))
    thread.join(10)
    assert answers == [(128, 72)]
    sizer.settle(lambda width, height: (1, 1))
    assert sizer(640, 360) == (64, 36), "only the first settling counts"


def test_settled_with_none_a_clip_decodes_at_its_own_size() -> None:
    """The launch failed before the display was chosen: the clip goes on at its own size, so the player can close."""
    cancelled = LaterSizer()
    cancelled.settle(None)
    assert cancelled(1280, 720) == (1280, 720)
