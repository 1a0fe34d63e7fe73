"""`tuifeed import`: the import pipeline on a console, with progress and a summary."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from tuifeed.errors import TuifeedError
from tuifeed.library import Failure, ImportProgress, ImportSummary, import_paths
from tuifeed.store import Store
from tuifeed.text import clean, display_path

_Run = Callable[..., ImportSummary]
"""import_paths with everything but the progress callback bound."""

LOG_EVERY = 1000
"""Without a terminal, one log line per this many files."""

_COUNTS = ("added", "updated", "unchanged", "moved", "duplicates", "missing", "failed")


def run_import(store: Store, paths: list[Path], *, as_json: bool, console: Console, follow_links: bool = False) -> int:
    """Import `paths` with progress on `console`, then print the summary; the exit status.

    A terminal gets a Rich progress bar, anything else a plain line per LOG_EVERY files; `as_json`
    prints only the summary as one JSON object, in ASCII (every other character escaped), so it is
    valid UTF-8 and holds no control byte whatever the names. Ctrl-C stops after the current batch,
    keeping what was imported. Returns 0 when the run completed (even with failed files), 1 when it
    could not run.
    """
    stop = threading.Event()
    run: _Run = partial(import_paths, store, paths, should_stop=stop.is_set, follow_links=follow_links)
    try:
        with _stop_on_interrupt(stop):
            if as_json:
                summary = run()
            elif console.is_terminal:
                summary = _with_bar(run, console)
            else:
                summary = _with_log(run, console)
    except TuifeedError as error:
        if as_json:
            console.out(json.dumps({"error": clean(str(error))}), highlight=False)
        else:
            console.print(Text.assemble(("error:", "red"), " ", clean(str(error))))
        return 1
    if as_json:
        console.out(json.dumps(summary.as_dict()), highlight=False)
    else:
        _print_summary(summary, paths, console)
    return 0


class _RateColumn(ProgressColumn):
    """Files per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} files/s" if speed else "", style="progress.data.speed")


def _with_bar(run: _Run, console: Console) -> ImportSummary:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("Scanning", total=None)

        def report(progress: ImportProgress) -> None:
            if progress.total is None:
                bar.update(task, description=f"Scanning ({progress.done:,} found)")
            else:
                bar.update(task, description="Importing", completed=progress.done, total=progress.total)

        return run(progress=report)


def _with_log(run: _Run, console: Console) -> ImportSummary:
    started = time.monotonic()
    logged = 0

    def report(progress: ImportProgress) -> None:
        nonlocal logged
        if progress.total is None or progress.done - logged < LOG_EVERY:
            return
        logged = progress.done - progress.done % LOG_EVERY
        rate = progress.done / max(time.monotonic() - started, 1e-9)
        console.print(f"import: {progress.done:,}/{progress.total:,} files ({rate:,.0f} files/s)", highlight=False)

    return run(progress=report)


def _print_summary(summary: ImportSummary, paths: list[Path], console: Console) -> None:
    if summary.stopped:
        console.print("[yellow]Stopped:[/] what was imported is kept; run the import again to resume.")
    counts = Table(*_COUNTS, title="Import summary")
    counts.add_row(*(str(getattr(summary, name)) for name in _COUNTS))
    console.print(counts)
    _print_table("Failures", summary.failures, console)
    _print_table("Imported, but not all of it was used", summary.warnings, console)
    if summary.links_skipped:
        console.print(
            f"Skipped {summary.links_skipped} symbolic link(s) to videos or folders outside "
            f"{'this folder' if len(paths) == 1 else 'these folders'}; use --follow-links to follow them."
        )
    if summary.found == 0 and not summary.stopped:
        console.print(Text(f"Found no video files in {', '.join(display_path(path) for path in paths)}."))


def _print_table(title: str, items: tuple[Failure, ...], console: Console) -> None:
    if not items:
        return
    table = Table("path", "reason", title=title)
    for item in items:
        table.add_row(Text(display_path(item.path)), Text(item.reason))
    console.print(table)


@contextmanager
def _stop_on_interrupt(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C sets `stop` (the run ends after its current batch); a second one interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
