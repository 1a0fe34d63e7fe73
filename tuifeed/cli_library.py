"""`tuifeed library`: the library roots with their counts, and forgetting one; loads no video code."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.text import Text

from tuifeed.locations import is_bundled_media
from tuifeed.store import Store
from tuifeed.store.files import FileIndex
from tuifeed.text import display_path


def run_library(store: Store, remove: Path | None, console: Console) -> int:
    """List library roots with their counts, or forget the root `remove` (clips and history stay).

    Roots of bundled samples, this install's or another's, are marked as such.
    """
    index = FileIndex(store)
    if remove is not None:
        path = os.path.abspath(remove)
        forgotten = index.remove_root(path)
        if forgotten is None:
            console.print(Text.assemble(("error:", "red"), f" {display_path(path)} is not a library root"))
            return 1
        console.print(Text(f"Forgot {display_path(path)}: {forgotten} file locations (clips and history kept)."))
        return 0
    roots = index.roots()
    if not roots:
        console.print("No library roots yet: run `tuifeed import PATH`.")
    for root in roots:
        added = root.added_at[:10]
        line = Text(display_path(root.path), style="bold")
        line.append(f"  {root.files} files, {root.missing} missing, added {added}", style="default")
        if is_bundled_media(root.path):
            line.append("  (bundled samples: they leave the feed once you import your own clips)", style="dim")
        console.print(line, soft_wrap=True)
    total = store.clip_count(include_missing=True)
    console.print(f"{total} clips, {total - store.clip_count()} missing.")
    return 0
