"""House rules: each outside library is imported in one room only, checked in a fresh interpreter."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tuifeed"
ROOMS = {
    "textual": ("tuifeed/ui/",),
    "vlc": ("tuifeed/player/",),
    "sqlite_utils": ("tuifeed/store/",),
    "httpx": ("tuifeed/library/remote",),
}


@pytest.mark.parametrize("library", sorted(ROOMS))
def test_library_imported_only_in_its_room(library: str) -> None:
    """No module outside the room names the library in an import statement."""
    pattern = re.compile(rf"^\s*(import {library}\b|from {library}(\.| import))", re.MULTILINE)
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text()) and not str(path.relative_to(PACKAGE.parent)).startswith(ROOMS[library])
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("tuifeed.recommend", ("textual", "vlc", "sqlite_utils", "httpx", "tuifeed.store", "tuifeed.ui")),
        ("tuifeed.render", ("textual", "rich", "vlc", "sqlite_utils")),
        ("tuifeed.terminal", ("textual", "rich", "vlc", "sqlite_utils", "httpx", "numpy", "tuifeed.render")),
        ("tuifeed.feed", ("textual", "vlc", "httpx")),
        ("tuifeed.store", ("textual", "vlc", "httpx")),
        ("tuifeed.config", ("textual", "vlc", "sqlite_utils", "httpx", "numpy")),
    ],
)
def test_core_modules_load_without_outside_rooms(module: str, forbidden: tuple[str, ...]) -> None:
    """Importing a core room in a fresh interpreter pulls in none of the forbidden modules."""
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not {name for name in loaded for bad in forbidden if name == bad or name.startswith(bad + ".")}
