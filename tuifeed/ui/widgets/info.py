"""InfoPanel: who made the clip on screen, its caption, tags and sound, its place in the feed and time."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tuifeed.models import Clip


def time_bar(position_ms: int, length_ms: int, width: int) -> Text:
    """A progress bar with the elapsed and total time, `width` cells wide."""
    elapsed, total = _clock(position_ms), _clock(length_ms)
    bar_width = max(4, width - len(elapsed) - len(total) - 2)
    done = round(bar_width * min(1.0, position_ms / length_ms)) if length_ms > 0 else 0
    bar = Text(elapsed + " ")
    bar.append("━" * done, "bold magenta")
    bar.append("─" * (bar_width - done), "grey39")
    bar.append(" " + total)
    return bar


def _clock(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


class InfoPanel(Widget):
    """The clip's details, refreshed when the clip changes and as it plays.

    Its size is fixed by the screen's CSS, so new text only repaints the panel: no layout pass, which
    would cost the video frames several times a second.
    """

    DEFAULT_CSS = """
    InfoPanel {
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(
        self,
        clip: Clip | None,
        *,
        liked: bool,
        saved: bool,
        followed: bool,
        place: tuple[int, int],
        position_ms: int,
        length_ms: int,
        flags: str = "",
    ) -> None:
        """Describe `clip`; `place` is (n, N), `flags` a short status such as "paused · muted"."""
        if clip is None:
            self._set(Text("No clips to play. Import some with: tuifeed import ~/Videos"))
            return
        text = Text()
        text.append(f"@{clip.creator or 'unknown'}", "bold")
        if followed:
            text.append(" ✓ following", "green")
        text.append(f"   {place[0]}/{place[1]}", "dim")
        text.append("\n")
        text.append(clip.title or clip.location.rsplit("/", 1)[-1])
        if clip.tags:
            text.append("\n" + " ".join(f"#{tag}" for tag in clip.tags), "cyan")
        if clip.sound:
            text.append(f"\n♪ {clip.sound}", "italic")
        text.append("\n")
        text.append("♥ liked" if liked else "♡", "bold red" if liked else "dim")
        if saved:
            text.append("  ★ saved", "bold yellow")
        if flags:
            text.append(f"   {flags}", "yellow")
        text.append("\n")
        text.append_text(time_bar(position_ms or 0, length_ms or clip.duration_ms or 0, self.size.width - 2))
        self._set(text)

    def render(self) -> Text:
        return self._text

    def _set(self, text: Text) -> None:
        if text != self._text:
            self._text = text
            self.refresh()
