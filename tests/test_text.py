"""The outside-text sanitiser: nothing a terminal acts on survives, ordinary text is untouched."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuifeed.text import clean, display_path, is_clean


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b]52;c;aGVsbG8=\x07title",  # OSC 52 clipboard write
        "\x1b[2J\x1b[Hcleared",  # screen clear and home
        "\x1b[31mred\x1b[0m",  # colour
        "\x9b31mC1 CSI",  # 8-bit CSI
        "\u202egnp.exe",  # right-to-left override
        "nul\x00byte",
        "bell\x07",
        "name\udcff",  # a surrogate-escaped byte from a non-UTF-8 file name
    ],
)
def test_no_control_reaches_the_terminal(hostile: str) -> None:
    """Every C0/C1 control, bidi override and lone surrogate is made visible or dropped."""
    shown = clean(hostile)
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in shown)
    assert not any(char in shown for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert not any(0xD800 <= ord(char) <= 0xDFFF for char in shown)
    shown.encode("utf-8")


def test_escape_is_shown_not_obeyed() -> None:
    """ESC becomes the visible ␛ glyph, so a person sees that a name held an escape sequence."""
    assert clean("\x1b[2J") == "\u241b[2J"


@pytest.mark.parametrize("ordinary", ["Sunset drive #3", "café \u2013 東京 🌅", "[b]not markup here[/b]", ""])
def test_ordinary_text_is_unchanged(ordinary: str) -> None:
    """Letters, emoji, punctuation and brackets pass through as they are (markup is the display's job)."""
    assert clean(ordinary) == ordinary


def test_newlines_kept_only_when_multiline() -> None:
    """Titles become one line; descriptions keep their line breaks."""
    assert clean("one\ntwo\r\n\tthree") == "one two  three"
    assert clean("one\ntwo\r\n\tthree", multiline=True) == "one\ntwo\n    three"


def test_idempotent() -> None:
    """Cleaning twice changes nothing more."""
    once = clean("\x1b]8;;file:///etc/passwd\x1b\\x\u202e\udc80")
    assert clean(once) == once


_UNSAFE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f\u2028\u2029"
_ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=300)
"""Any code points, lone surrogates and every control included."""


def _safe(shown: str, multiline: bool) -> bool:
    return not any(
        (ord(char) < 0x20 and not (multiline and char == "\n"))
        or 0x7F <= ord(char) < 0xA0
        or 0xD800 <= ord(char) <= 0xDFFF
        or char in _UNSAFE
        for char in shown
    )


@settings(max_examples=500)
@given(value=_ANY_TEXT, multiline=st.booleans())
def test_any_text_comes_out_safe_and_stable(value: str, multiline: bool) -> None:
    """Whatever goes in, nothing a terminal acts on comes out, it encodes as UTF-8, and cleaning is idempotent."""
    shown = clean(value, multiline=multiline)
    assert _safe(shown, multiline)
    shown.encode("utf-8")
    assert clean(shown, multiline=multiline) == shown


@given(value=st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters=_UNSAFE)))
def test_printable_text_is_the_identity(value: str) -> None:
    """Letters, marks, digits, punctuation, symbols and spaces are never touched."""
    assert clean(value) == value


@given(name=st.binary(min_size=1, max_size=60).filter(lambda raw: b"\0" not in raw))
def test_any_file_name_displays_safely(name: bytes) -> None:
    """Any bytes a file name can hold display as safe, valid UTF-8 text."""
    shown = display_path(os.fsdecode(name))
    assert _safe(shown, multiline=False)
    shown.encode("utf-8")


@settings(max_examples=500)
@given(value=_ANY_TEXT, multiline=st.booleans())
def test_is_clean_says_exactly_whether_clean_changes_the_text(value: str, multiline: bool) -> None:
    """The quick look the store takes before cleaning a row agrees with `clean` on any text."""
    assert is_clean(value, multiline=multiline) == (clean(value, multiline=multiline) == value)
