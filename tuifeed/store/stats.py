"""What the person watched, summed in SQL: time per day, top creators, tags and sounds, completion and skips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tuifeed.charts import share
from tuifeed.models import WATCHED_RATIO, ImpressionExit, normalise_tag
from tuifeed.store.store import Store
from tuifeed.text import clean
from tuifeed.when import counted, watched

SKIP_MS = 3_000
"""A stay swiped away (exit `next`) before this many milliseconds, without a loop, counts as a skip."""
WEEK_DAYS = 7
""""This week" is the last seven days, today included."""
_COUNTED = "i.ended_at IS NOT NULL AND i.exit != 'error'"
"""Stays that count: closed ones, less clips that could not play."""


@dataclass(frozen=True, slots=True)
class Day:
    """Time watched on one local day."""

    day: date
    watched_ms: int
    stays: int


@dataclass(frozen=True, slots=True)
class Ranked:
    """A creator, tag or sound and the time spent on its clips."""

    name: str
    watched_ms: int
    stays: int


@dataclass(frozen=True, slots=True)
class Period:
    """A summary of a span of days: time watched, stays, distinct clips, likes made."""

    watched_ms: int
    stays: int
    clips: int
    likes: int

    def line(self) -> str:
        """The period in one line: "12 min · 30 stays of 21 clips · 2 likes"."""
        stays, clips, likes = counted(self.stays, "stay"), counted(self.clips, "clip"), counted(self.likes, "like")
        return f"{watched(self.watched_ms)} · {stays} of {clips} · {likes}"


@dataclass(frozen=True, slots=True)
class Rates:
    """How stays ended: watched to the end (or looped), or skipped within SKIP_MS."""

    stays: int
    completed: int
    skipped: int

    @property
    def completion(self) -> float:
        """Share of stays that saw the whole clip (0 with no stays)."""
        return self.completed / self.stays if self.stays else 0.0

    @property
    def skip(self) -> float:
        """Share of stays skipped (0 with no stays)."""
        return self.skipped / self.stays if self.stays else 0.0

    def line(self) -> str:
        """The rates in one line, with what a skip is."""
        return (
            f"Completion {share(self.completion)} · skips {share(self.skip)} of {counted(self.stays, 'stay')} "
            f"(a skip: swiped on within {SKIP_MS // 1000} s)"
        )


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything `tuifeed stats` and the Stats screen show."""

    days: list[Day]
    """The last days, oldest first, every day present (0 when nothing was watched)."""
    today: Period
    week: Period
    rates: Rates
    creators: list[Ranked]
    tags: list[Ranked]
    sounds: list[Ranked]


def stats(store: Store, now: datetime, *, days: int = 14, top: int = 5) -> Stats:
    """The person's watching as of `now` (an aware time: its offset sets where local days begin)."""
    return Stats(
        days=watched_per_day(store, now, days),
        today=period(store, start_of_day(now, 0)),
        week=period(store, start_of_day(now, WEEK_DAYS - 1)),
        rates=rates(store),
        creators=top_creators(store, top),
        tags=top_tags(store, top),
        sounds=top_sounds(store, top),
    )


def start_of_day(now: datetime, days_back: int) -> str:
    """The stored (UTC) form of local midnight `days_back` days before `now`'s day, in `now`'s zone."""
    local = datetime.combine(now.date() - timedelta(days=days_back), time(), tzinfo=now.tzinfo)
    return local.astimezone(UTC).isoformat(timespec="milliseconds")


def watched_since(store: Store, since: str) -> int:
    """Milliseconds watched in stays that ended at or after the stored time `since`."""
    row = store.execute(
        f"SELECT coalesce(sum(i.dwell_ms), 0) FROM impressions i WHERE {_COUNTED} AND i.ended_at >= ?", [since]
    ).fetchone()
    return int(row[0])


def watched_today(store: Store, now: datetime) -> int:
    """Milliseconds watched in stays that ended since local midnight of `now`'s day."""
    return watched_since(store, start_of_day(now, 0))


def watched_per_day(store: Store, now: datetime, days: int) -> list[Day]:
    """Time watched on each of the last `days` local days, oldest first, days without watching as 0.

    Summed per UTC minute in SQL, then each minute is put on its local day in `now`'s zone: across a
    daylight-saving change each day keeps its own offset, and a zone 30 or 45 minutes off the hour is exact.
    """
    sql = (
        "SELECT substr(i.ended_at, 1, 16) AS minute, sum(i.dwell_ms), count(*) FROM impressions i "
        f"WHERE {_COUNTED} AND i.ended_at >= ? GROUP BY minute"
    )
    found: dict[date, tuple[int, int]] = {}
    for minute, watched_ms, stays in store.execute(sql, [start_of_day(now, days - 1)]).fetchall():
        try:
            day = datetime.fromisoformat(minute).replace(tzinfo=UTC).astimezone(now.tzinfo).date()
        except ValueError:
            continue  # a time another program wrote in some other form
        total, count = found.get(day, (0, 0))
        found[day] = (total + int(watched_ms), count + int(stays))
    first = now.date() - timedelta(days=days - 1)
    spans = [first + timedelta(days=n) for n in range(days)]
    return [Day(day, *found.get(day, (0, 0))) for day in spans]


def period(store: Store, since: str) -> Period:
    """Time watched, stays, distinct clips and likes from the stored time `since` on."""
    row = store.execute(
        "SELECT coalesce(sum(i.dwell_ms), 0), count(*), count(DISTINCT i.clip_id) FROM impressions i "
        f"WHERE {_COUNTED} AND i.ended_at >= ?",
        [since],
    ).fetchone()
    likes = store.execute("SELECT count(*) FROM likes WHERE liked = 1 AND at >= ?", [since]).fetchone()[0]
    return Period(int(row[0]), int(row[1]), int(row[2]), int(likes))


def rates(store: Store) -> Rates:
    """Completion and skip counts over every stay."""
    row = store.execute(
        "SELECT count(*), coalesce(sum(i.loops > 0 OR coalesce(i.watch_ratio, 0) >= ?), 0), "
        "coalesce(sum(i.exit = ? AND i.dwell_ms < ? AND i.loops = 0), 0) "
        f"FROM impressions i WHERE {_COUNTED}",
        [WATCHED_RATIO, ImpressionExit.NEXT.value, SKIP_MS],
    ).fetchone()
    return Rates(int(row[0]), int(row[1]), int(row[2]))


def top_creators(store: Store, top: int) -> list[Ranked]:
    """The creators whose clips held the person longest, longest first."""
    return _ranked(store, "c.creator", "", top)


def top_sounds(store: Store, top: int) -> list[Ranked]:
    """The sounds of the clips that held the person longest, longest first."""
    return _ranked(store, "c.sound", "", top)


def top_tags(store: Store, top: int) -> list[Ranked]:
    """The tags (in their one spelling) of the clips that held the person longest; a stay counts for each tag."""
    store.conn.create_function("normalise_tag", 1, normalise_tag, deterministic=True)
    return _ranked(store, "normalise_tag(t.value)", ", json_each(c.tags) t", top)


def _ranked(store: Store, name: str, joined: str, top: int) -> list[Ranked]:
    # Summed per clip first: the clips (and their tags) are then read once each rather than once per stay,
    # which takes the tags of a 100,000-stay history from ~530 ms to ~45 ms (benchmarks/data.py).
    sql = (
        "WITH per_clip AS (SELECT i.clip_id, sum(i.dwell_ms) AS watched, count(*) AS stays FROM impressions i "
        f"WHERE {_COUNTED} GROUP BY i.clip_id) "
        f"SELECT {name} AS name, sum(p.watched) AS watched, sum(p.stays) FROM per_clip p "
        f"JOIN clips c ON c.id = p.clip_id{joined} WHERE coalesce({name}, '') != '' "
        "GROUP BY name ORDER BY watched DESC, name LIMIT ?"
    )
    rows = store.execute(sql, [top]).fetchall()
    return [Ranked(clean(str(row[0])), int(row[1]), int(row[2])) for row in rows]  # as written, by any program
