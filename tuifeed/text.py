"""Outside text made safe to show: terminal controls made visible, bidi overrides and stray surrogates dropped."""

from __future__ import annotations

import os
import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Marks and overrides that reorder what follows them: a title could make a path or name read backwards."""

_VISIBLE: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}
"""C0 controls shown as their Control Pictures glyph (ESC becomes ␛), so an attempt is seen, never obeyed."""
_VISIBLE[0x00] = None
_VISIBLE[0x7F] = "\u2421"
_VISIBLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_VISIBLE.update({ord(char): None for char in _BIDI_CONTROLS})
_VISIBLE.update({0x2028: " ", 0x2029: " "})

_SINGLE_LINE = {**_VISIBLE, ord("\t"): " ", ord("\n"): " ", ord("\r"): None}
_MULTI_LINE = {**_VISIBLE, ord("\t"): "    ", ord("\n"): "\n", ord("\r"): None}

_ACTED_ON = f"\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029"
ACTED_ON = re.compile(f"[{_ACTED_ON}]")
"""One character a terminal acts on (controls, bidi marks, line and paragraph separators): what `clean` makes
harmless in text, and what a URL carries percent-encoded."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile(f"[{_ACTED_ON}\ud800-\udfff]")
"""Any character `clean` changes: text without one (nearly all of it) is returned as it is, without translating."""
_UNSAFE_MULTI = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029\ud800-\udfff]")


def clean(value: str, *, multiline: bool = False) -> str:
    """`value` with nothing a terminal would act on; newlines kept only when `multiline` (descriptions).

    Idempotent, and the identity on ordinary text. Lone surrogates (from file names that are not
    UTF-8, decoded with surrogateescape) become U+FFFD here: keep the raw name elsewhere to reopen it.
    """
    if _UNSAFE.search(value) is None:
        return value
    cleaned = value.translate(_MULTI_LINE if multiline else _SINGLE_LINE)
    return _SURROGATE.sub("\ufffd", cleaned)


def is_clean(*values: str, multiline: bool = False) -> bool:
    """Whether `clean` would leave every one of `values` as it is: one quick look before cleaning many fields."""
    return (_UNSAFE_MULTI if multiline else _UNSAFE).search(" ".join(values)) is None


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as a person should see it: bytes that are not UTF-8 as U+FFFD, controls made visible."""
    return clean(os.fsencode(path).decode("utf-8", "replace"))


def valid_utf8(value: str) -> str:
    """`value` as text any UTF-8 reader takes: a name that is not UTF-8 (surrogate escapes) gets U+FFFD for its bytes.

    Unlike `clean`, controls stay: JSON and CSV writers quote them, and exported data keeps what was stored.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return value
