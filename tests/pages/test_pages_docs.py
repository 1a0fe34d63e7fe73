"""The README's key tables name every binding id the app has, so [keys] remaps can be looked up there."""

from __future__ import annotations

from pathlib import Path

from tuifeed.ui.app import binding_ids

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_binding_id_is_in_the_readme() -> None:
    """Each id a [keys] entry may name appears, in backticks, in the README."""
    text = README.read_text(encoding="utf-8")
    assert [binding_id for binding_id in binding_ids() if f"`{binding_id}`" not in text] == []
