"""InfoPanel: who made the clip on screen, its caption, tags and sound, where you are in the feed, and time.

The creator, each tag and the sound are links: a click on one asks for its page (`PageClicked`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tuifeed.feed import FeedStatus
from tuifeed.models import MuteKind

PAGE = "page"
"""The style meta key that marks a link to a creator, tag or sound page: (kind, value)."""


def link(kind: MuteKind, value: str, style: str) -> Style:
    """The style of a clickable creator, tag or sound: `style`, carrying the page a click opens."""
    return Style.parse(style) + Style.from_meta({PAGE: (kind.value, value)})


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
    """Where the person is, truthfully: "For You · seen 7 of 15", "· round 2" on replays, "· 3 back", filters."""
    parts = [status.title, f"seen {status.seen} of {status.total}"]
    if status.round > 1:
        parts.append(f"round {status.round}")
    if status.back:
        parts.append(f"{status.back} back")
    if status.filters:
        parts.append(f"only {status.filters}")
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


def describe(status: FeedStatus, width: int, one_row_each: bool = False) -> Text:
    """The panel's text for `status`, `width` cells wide; every outside string is plain text, never markup.

    With `one_row_each` (the panel below the picture, whose height is fixed) the creator, title, tags and
    sound lines are each cut to one row with an ellipsis, so a long title never pushes the time bar off.
    """
    clip = status.clip
    if clip is None:
        return Text(status.empty + (f"\n{status.trouble}" if status.trouble else ""))
    lines = [_heading(status, width, one_row_each)]
    lines.append(Text(clip.title or clip.location.rsplit("/", 1)[-1]))
    if clip.tags:
        tags = Text()
        for index, tag in enumerate(clip.tags):
            tags.append(" " if index else "")
            tags.append(f"#{tag}", link(MuteKind.TAG, tag, "cyan"))
        lines.append(tags)
    if clip.sound:
        lines.append(Text(f"♪ {clip.sound}", link(MuteKind.SOUND, clip.sound, "italic")))
    if one_row_each:
        for line in lines[1:]:
            line.truncate(width, overflow="ellipsis")
    lines.append(_state(status, width))
    if status.trouble:  # in the time bar's place while it lasts: the panel's height is fixed
        lines.append(Text(status.trouble, "yellow"))
    else:
        lines.append(time_bar(status.position_ms, status.length_ms, width))
    return Text("\n").join(lines)


def _heading(status: FeedStatus, width: int, one_row: bool) -> Text:
    """The creator (a link), whether they are followed, and where the person is: beside, or below if narrow.

    On `one_row` the creator is cut so that where the person is still fits beside it.
    """
    assert status.clip is not None
    creator = status.clip.creator
    text = Text()
    if creator:
        text.append(f"@{creator}", link(MuteKind.CREATOR, creator, "bold"))
    else:
        text.append("@unknown", "bold")
    if status.followed:
        text.append(" ✓ following", "green")
    where = Text("   " + place(status), "dim")
    if one_row:
        text.truncate(max(width - where.cell_len, min(12, width // 2)), overflow="ellipsis")
        text.append_text(where)
        text.truncate(width, overflow="ellipsis")
        return text
    fits = text.cell_len + where.cell_len <= width
    if not fits:  # beside a vertical clip the panel is narrow
        where = Text("\n" + where.plain.lstrip(), "dim")
    text.append_text(where)
    return text


def _state(status: FeedStatus, width: int) -> Text:
    """Liked, saved and the playback flags on one row."""
    flags = playback_flags(status)
    # On a narrow panel the marks lose their words, so the line never wraps and pushes the time bar off.
    words = len("♥ liked  ★ saved   ") + len(flags) <= width
    text = Text()
    text.append(("♥ liked" if words else "♥") if status.liked else "♡", "bold red" if status.liked else "dim")
    if status.saved:
        text.append("  ★ saved" if words else " ★", "bold yellow")
    text.append(f"   {flags}", "yellow")
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
    one_row_each: reactive[bool] = reactive(True)
    """Below the picture the panel's height is fixed: each line is cut to one row (beside it, text wraps)."""

    @dataclass
    class PageClicked(Message):
        """The person clicked the creator, a tag or the sound: open its page."""

        kind: MuteKind
        value: str

    def render(self) -> Text:
        return describe(self.status, self.size.width - 2, one_row_each=self.one_row_each)

    def on_click(self, event: events.Click) -> None:
        page = event.style.meta.get(PAGE)
        if page is not None:
            event.stop()
            kind, value = page
            self.post_message(self.PageClicked(MuteKind(kind), value))
