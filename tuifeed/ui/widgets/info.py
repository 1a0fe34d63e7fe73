"""InfoPanel: who made the clip on screen, its caption, tags and sound, where you are in the feed, and time."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tuifeed.feed import FeedStatus

EMPTY = "No clips to play. Import some with: tuifeed import ~/Videos"


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


def place(status: FeedStatus) -> str:
    """Where the person is in the feed, truthfully: "seen 7 of 15", "· round 2" on replays, "· 3 back"."""
    parts = [f"seen {status.seen} of {status.total}"]
    if status.round > 1:
        parts.append(f"round {status.round}")
    if status.back:
        parts.append(f"{status.back} back")
    return " · ".join(parts)


def playback_flags(status: FeedStatus) -> str:
    """The playback state worth a glance: "paused · muted · 1.5x · auto-advance", or the volume."""
    flags = [
        name
        for name, on in (
            ("paused", status.paused),
            ("muted", status.muted),
            (f"{status.speed:g}x", status.speed != 1.0),
            ("auto-advance", status.auto_advance),
        )
        if on
    ]
    if not status.muted:
        flags.append(f"vol {status.volume}")
    return " · ".join(flags)


def describe(status: FeedStatus, width: int) -> Text:
    """The panel's text for `status`, `width` cells wide; every outside string is plain text, never markup."""
    clip = status.clip
    if clip is None:
        return Text(EMPTY if status.total == 0 else "")
    text = Text()
    text.append(f"@{clip.creator or 'unknown'}", "bold")
    if status.followed:
        text.append(" ✓ following", "green")
    where = place(status)
    fits = text.cell_len + 3 + len(where) <= width
    text.append(("   " if fits else "\n") + where, "dim")  # beside a vertical clip the panel is narrow
    text.append("\n")
    text.append(clip.title or clip.location.rsplit("/", 1)[-1])
    if clip.tags:
        text.append("\n" + " ".join(f"#{tag}" for tag in clip.tags), "cyan")
    if clip.sound:
        text.append(f"\n♪ {clip.sound}", "italic")
    text.append("\n")
    text.append("♥ liked" if status.liked else "♡", "bold red" if status.liked else "dim")
    if status.saved:
        text.append("  ★ saved", "bold yellow")
    text.append(f"   {playback_flags(status)}", "yellow")
    text.append("\n")
    text.append_text(time_bar(status.position_ms, status.length_ms, width))
    return text


class InfoPanel(Widget):
    """The clip's details, given as a `FeedStatus` (bound to the feed screen's `status`).

    Its size is fixed by the screen's CSS, so a new status only repaints the panel: no layout pass,
    which would cost the video frames several times a second. Equal statuses do not repaint at all.
    """

    DEFAULT_CSS = """
    InfoPanel {
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    status: reactive[FeedStatus] = reactive(FeedStatus(None))

    def render(self) -> Text:
        return describe(self.status, self.size.width - 2)
