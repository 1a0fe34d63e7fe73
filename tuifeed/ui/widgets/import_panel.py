"""ImportPanel: import a folder from inside the app, in a worker thread, while the feed keeps playing.

The panel is docked above the video (it never overlaps it). The worker imports through the library
service (which opens the worker thread's own SQLite connection) and reports through messages, which are
thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, ProgressBar, Static
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from tuifeed.library import ImportProgress, ImportSummary
    from tuifeed.library.service import Library


class ImportPanel(Vertical):
    """A path field, a progress bar and a status line."""

    DEFAULT_CSS = """
    ImportPanel {
        dock: top;
        height: auto;
        background: $panel;
        padding: 0 1;
        display: none;
    }
    ImportPanel.shown { display: block; }
    ImportPanel Input { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "hide", "Hide the import panel", show=False)]

    @dataclass
    class Progressed(Message):
        """The import worker made progress."""

        progress: ImportProgress

    @dataclass
    class Finished(Message):
        """The import worker finished (or was stopped); `summary` is None if it could not run."""

        summary: ImportSummary | None
        error: str | None = None

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        """Import into `library`."""
        super().__init__(id=id)
        self._library = library
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static("[b]Import a folder[/b]  Enter starts · Esc hides (the import goes on)", markup=True)
        yield Input(placeholder="~/Videos", id="import-path", disabled=True)
        yield ProgressBar(total=None, show_eta=True, id="import-bar")
        yield Static("", id="import-status", markup=False)

    def open(self) -> None:
        """Show the panel and put the cursor in the path field (disabled while hidden, so it never steals keys)."""
        self.add_class("shown")
        field = self.query_one(Input)
        field.disabled = False
        field.focus()

    def action_hide(self) -> None:
        """Hide the panel; a running import continues."""
        self.remove_class("shown")
        self.query_one(Input).disabled = True

    @on(Input.Submitted)
    def _start(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running:
            return
        path = Path(event.value.strip() or "~/Videos").expanduser()
        if not path.exists():
            self._status(f"{path}: no such file or folder")
            return
        self.running = True
        self._status(f"Importing {path}…")
        self._import(path)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, path: Path) -> None:
        worker = get_current_worker()
        try:
            summary = self._library.import_paths([path], progress=self._report, should_stop=lambda: worker.is_cancelled)
        except Exception as error:  # one clear line in the app, whatever went wrong
            self.post_message(self.Finished(None, f"{path}: {error}"))
        else:
            self.post_message(self.Finished(summary))

    def _report(self, progress: ImportProgress) -> None:
        """Forward progress from the worker thread (post_message is thread-safe)."""
        self.post_message(self.Progressed(progress))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        progress = message.progress
        bar = self.query_one(ProgressBar)
        if progress.total is None:
            self._status(f"Scanning… {progress.done} files found")
            return
        bar.update(total=max(progress.total, 1), progress=progress.done)
        summary = progress.summary
        self._status(f"{progress.done}/{progress.total} · {summary.added} added · {summary.failed} failed")

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.running = False
        summary = message.summary
        if summary is None:
            self._status(message.error or "the import could not run")
            return
        counts = ", ".join(
            f"{count} {name}"
            for name, count in (
                ("added", summary.added),
                ("updated", summary.updated),
                ("moved", summary.moved),
                ("duplicates", summary.duplicates),
                ("missing", summary.missing),
                ("failed", summary.failed),
            )
            if count
        )
        self._status(f"Done: {counts or 'nothing new'}")

    def _status(self, text: str) -> None:
        self.query_one("#import-status", Static).update(text)
