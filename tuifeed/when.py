"""Stored times and lengths in words a person reads at a glance: "3 min ago", "yesterday", "0:42"."""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCALTIME = "/etc/localtime"
"""Where Linux and macOS keep the system's time zone (its rules, daylight saving included)."""


def local_zone() -> tzinfo:
    """The person's time zone with its rules: $TZ when it names a zone, else the system's, else today's offset.

    A fixed offset (what `datetime.now().astimezone()` gives) would put local midnight an hour off on every
    day across a daylight-saving change; a zone knows each day's own offset.
    """
    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        with open(LOCALTIME, "rb") as file:
            return ZoneInfo.from_file(file)
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return datetime.now().astimezone().tzinfo or UTC


def local_now() -> datetime:
    """The time now in the person's time zone (see `local_zone`): where their days begin."""
    return datetime.now(local_zone())


def ago(at: str, now: datetime | None = None) -> str:
    """How long before `now` the ISO 8601 time `at` was: "just now", "5 min ago", "3 h ago", "yesterday", a date.

    An unreadable time is shown as it is stored.
    """
    try:
        then = datetime.fromisoformat(at)
    except ValueError:
        return at
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    days = (now.astimezone().date() - then.astimezone().date()).days
    if days <= 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return then.astimezone().strftime("%Y-%m-%d")


def length(ms: int | None) -> str:
    """A length as m:ss, or "" when unknown."""
    if ms is None:
        return ""
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def watched(ms: int) -> str:
    """A time spent watching in words: "45 s", "12 min", "1 h 05 min"."""
    seconds = max(0, ms) // 1000
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def counted(number: int, noun: str) -> str:
    """A count with its noun: "1 clip", "2 clips"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
