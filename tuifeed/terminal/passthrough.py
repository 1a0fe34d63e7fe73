"""tmux's passthrough: escape codes wrapped so that tmux hands them to the terminal outside it."""

from __future__ import annotations


def wrap_passthrough(code: bytes) -> bytes:
    """Wrap escape codes in tmux's DCS passthrough (``ESC P tmux; ... ESC \\``, their ESC bytes doubled)."""
    return b"\x1bPtmux;" + code.replace(b"\x1b", b"\x1b\x1b") + b"\x1b\\"
