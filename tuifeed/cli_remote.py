"""`tuifeed remote add|list|remove|refresh`, `tuifeed export-manifest FOLDER` and resolving `tuifeed URL`.

Every URL shown is redacted and every remote text is printed as plain text, never as markup.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from tuifeed.library.remote.urls import redact
from tuifeed.models import Clip, SourceKind

if TYPE_CHECKING:
    from tuifeed.library.remote.refresh import RefreshResult
    from tuifeed.library.service import Library
    from tuifeed.store.sources import SourceRow


def run_remote(args: argparse.Namespace, library: Library, console: Console) -> int:
    """Run one `tuifeed remote` action; the exit status (1 when anything failed, 2 for bad usage)."""
    if args.action == "list":
        return _list(library.remotes(), console)
    if args.action == "refresh":
        results = library.refresh(args.targets or None)
        unknown = [url for url in args.targets if library.source(url) is None]
        for url in unknown:
            _error(console, f"{redact(url)} is not a remote source (see `tuifeed remote list`)")
        if not results and not unknown:
            console.print("No remote sources yet: add one with `tuifeed remote add URL`.")
        for result in results:
            _result(console, result)
        return 1 if unknown or any(result.error for result in results) else 0
    if len(args.targets) != 1:
        console.print(f"usage: tuifeed remote {args.action} URL", highlight=False)
        return 2
    target = args.targets[0]
    if args.action == "add":
        result = library.add_remote(target, SourceKind(args.kind) if args.kind else None)
        _result(console, result, added=True)
        return 1 if result.error else 0
    source = _find(library, target)
    if source is None:
        _error(console, f"{redact(target)} is not a remote source (see `tuifeed remote list`)")
        return 1
    hidden = library.remove_remote(source.url)
    console.print(Text(f"Forgot {redact(source.url)}: {hidden} clips no other source lists are hidden (history kept)."))
    return 0


def run_export(folder: Path, library: Library, console: Console) -> int:
    """Write the manifest of an imported folder; the exit status."""
    if not folder.is_dir():
        _error(console, f"{folder}: no such folder")
        return 1
    path, count = library.export_manifest(folder)
    if count == 0:
        _error(console, f"{folder}: no imported clips here; run `tuifeed import {folder}` first")
        path.unlink()
        return 1
    console.print(Text(f"Wrote {path}: {count} clips. Serve {folder} with any web server and add its URL."))
    return 0


def resolve_url(url: str, library: Library, console: Console) -> list[Clip] | None:
    """The clips of `url` for `tuifeed URL`: added (or refreshed) as a source first; None when it failed."""
    with console.status(Text(f"Reading {redact(url)}…")):
        result = library.add_remote(url)
    if result.error is not None:
        _error(console, result.error)
        return None
    return library.remote_clips(url)


def _find(library: Library, target: str) -> SourceRow | None:
    sources = library.remotes()
    if target.isdigit():
        return next((source for source in sources if source.id == int(target)), None)
    return next((source for source in sources if target in (source.url, redact(source.url))), None)


def _list(sources: list[SourceRow], console: Console) -> int:
    if not sources:
        console.print("No remote sources yet: add one with `tuifeed remote add URL`.")
        return 0
    for source in sources:
        line = Text(f"{source.id:>3}  ", style="dim")
        line.append(redact(source.url), style="bold")
        line.append(f"  {source.kind}" + (f" “{source.title}”" if source.title else ""))
        refreshed = (source.refreshed_at or "never")[:16].replace("T", " ")
        line.append(f"\n     {source.clips - source.missing} clips, {source.missing} missing, refreshed {refreshed}")
        if source.error:
            line.append("\n     last refresh failed: ", style="red")
            line.append(source.error)
        console.print(line)
    return 0


def _result(console: Console, result: RefreshResult, added: bool = False) -> None:
    if result.error is not None:
        _error(console, result.error)
        return
    if added and result.changes is not None:
        kind = result.kind.value if result.kind else "source"
        title = f" “{result.title}”" if result.title else ""
        line = Text(f"Added {result.source} ({kind}{title}): {result.changes.added + result.changes.updated} clips")
    else:
        line = Text(result.line())
    if result.skipped:
        line.append(f"; skipped {len(result.skipped)}: ", style="yellow")
        line.append("; ".join(result.skipped[:3]) + ("; …" if len(result.skipped) > 3 else ""))
    console.print(line)


def _error(console: Console, message: str) -> None:
    line = Text("error: ", style="red")
    line.append(message)
    console.print(line)
