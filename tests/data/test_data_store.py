"""The store's stats and export over a real SQLite file: sums in SQL, records in stored order, forget."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from data_support import CLIPS, NOW, fill, stay

from tuifeed.models import ImpressionExit
from tuifeed.store import Store
from tuifeed.store.export import KINDS, all_records, forget, history_size, records
from tuifeed.store.stats import stats, watched_today
from tuifeed.when import local_now, local_zone


def test_stats_sum_today_the_week_and_each_day(store: Store) -> None:
    """Today, the last seven days and each of the last days; a stay that could not play never counts."""
    fill(store)
    figures = stats(store, NOW, days=10)
    assert (figures.today.watched_ms, figures.today.stays, figures.today.clips) == (35_500, 3, 2)
    assert figures.today.likes == 1
    assert (figures.week.watched_ms, figures.week.stays, figures.week.likes) == (47_500, 4, 2)
    assert [day.day for day in figures.days] == [date(2026, 3, 2) + timedelta(days=n) for n in range(10)]
    assert [day.watched_ms for day in figures.days] == [4_000, 0, 0, 0, 0, 0, 0, 0, 12_000, 35_500]
    assert watched_today(store, NOW) == 35_500


def test_local_days_begin_at_local_midnight(store: Store) -> None:
    """At UTC+5 a stay that ended at 20:00 UTC belongs to the next local day."""
    fill(store)
    east = NOW.astimezone(timezone(timedelta(hours=5)))  # 01:30 on Thursday there
    figures = stats(store, east, days=2)
    assert [(day.day.isoformat(), day.watched_ms) for day in figures.days] == [
        ("2026-03-11", 12_000),
        ("2026-03-12", 35_500),
    ]


def test_each_local_day_keeps_its_own_offset_across_a_daylight_saving_change(store: Store) -> None:
    """Paris moved from UTC+1 to UTC+2 on 29 March 2026: 22:30 UTC was 23:30 on the 27th, 00:30 on the 31st."""
    store.upsert_clips(CLIPS)
    stay(store, "drive", 3_000, ImpressionExit.NEXT, "2026-03-26T22:30:00.000+00:00")  # 23:30 on the 26th
    stay(store, "waves", 5_000, ImpressionExit.NEXT, "2026-03-27T22:30:00.000+00:00")
    stay(store, "arcade", 7_000, ImpressionExit.NEXT, "2026-03-30T22:30:00.000+00:00")
    now = datetime(2026, 4, 2, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    figures = stats(store, now, days=7)
    assert [(day.day.isoformat(), day.watched_ms) for day in figures.days if day.watched_ms] == [
        ("2026-03-27", 5_000),
        ("2026-03-31", 7_000),
    ]
    assert figures.week.watched_ms == 12_000  # the week began at midnight of the 27th, still winter: 23:00 UTC


def test_a_zone_half_an_hour_off_the_hour_puts_each_minute_on_its_day(store: Store) -> None:
    """India is UTC+5:30: 18:29 UTC is 23:59 there, 18:30 UTC is midnight."""
    store.upsert_clips(CLIPS)
    stay(store, "waves", 5_000, ImpressionExit.NEXT, "2026-03-10T18:29:00.000+00:00")
    stay(store, "arcade", 7_000, ImpressionExit.NEXT, "2026-03-10T18:30:00.000+00:00")
    now = datetime(2026, 3, 11, 12, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    figures = stats(store, now, days=2)
    assert [(day.day.isoformat(), day.watched_ms) for day in figures.days] == [
        ("2026-03-10", 5_000),
        ("2026-03-11", 7_000),
    ]


def test_the_local_zone_is_the_one_tz_names_with_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """$TZ names a zone, so the offset is each day's own; a name that is no zone falls back to an offset."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    zone = local_zone()
    assert datetime(2026, 1, 15, tzinfo=zone).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 7, 15, tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert local_now().tzinfo == zone
    monkeypatch.setenv("TZ", "no/such/zone")
    assert datetime.now(local_zone()).utcoffset() is not None


def test_without_tz_the_local_zone_is_the_system_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No $TZ: the zone file the system keeps; none there: today's offset rather than a crash."""
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr("tuifeed.when.LOCALTIME", "/usr/share/zoneinfo/America/New_York")
    zone = local_zone()
    assert datetime(2026, 1, 15, tzinfo=zone).utcoffset() == timedelta(hours=-5)
    assert datetime(2026, 7, 15, tzinfo=zone).utcoffset() == timedelta(hours=-4)
    monkeypatch.setattr("tuifeed.when.LOCALTIME", str(tmp_path / "absent"))
    assert datetime.now(local_zone()).astimezone(UTC).tzinfo == UTC


def test_completion_skips_and_top_names(store: Store) -> None:
    """Watched or looped stays complete; a swipe within 3 s is a skip; tags count in their one spelling."""
    fill(store)
    figures = stats(store, NOW)
    assert (figures.rates.stays, figures.rates.completed, figures.rates.skipped) == (5, 2, 1)
    assert figures.rates.completion == 2 / 5 and figures.rates.skip == 1 / 5
    assert [(row.name, row.watched_ms, row.stays) for row in figures.creators] == [
        ("ana", 34_500, 2),
        ("bo", 13_000, 2),
        ("cy", 4_000, 1),
    ]
    assert [(row.name, row.watched_ms) for row in figures.tags] == [
        ("ocean", 47_500),
        ("surf", 34_500),
        ("neon", 13_000),
    ]
    assert [row.name for row in figures.sounds] == ["waves - ana", "chiptune 7"]


def test_an_empty_history_has_zero_everywhere(store: Store) -> None:
    """No stays: zeros, empty rankings, no division by zero."""
    figures = stats(store, NOW, days=3)
    assert figures.rates.completion == 0.0 and figures.rates.skip == 0.0
    assert figures.creators == [] and [day.watched_ms for day in figures.days] == [0, 0, 0]


def test_records_are_every_row_in_stored_order_with_the_clip(store: Store) -> None:
    """Each kind holds exactly its rows, ordered by sequence, flags as booleans, clip metadata nested."""
    fill(store)
    stays = list(records(store, "impression"))
    assert [row["id"] for row in stays] == [1, 2, 3, 4, 5, 6]
    assert [row["left"] for row in stays] == ["next", "next", "quit", "error", "next", "previous"]
    assert stays[2]["loops"] == 2 and stays[0]["clip"]["tags"] == ["Ocean", "surf"]
    assert stays[0]["liked"] is False
    likes = list(records(store, "like"))
    assert [(row["clip_id"], row["liked"]) for row in likes] == [("waves", True), ("arcade", True), ("arcade", False)]
    [mute] = records(store, "mute")
    assert (mute["what"], mute["value"], mute["active"]) == ("tag", "neon", True)
    [follow] = records(store, "follow")
    assert follow["creator"] == "ana" and "clip" not in follow
    assert [row["kind"] for row in all_records(store)] == [
        kind for kind in KINDS for _ in range({"impression": 6, "like": 3}.get(kind, 1))
    ]


def test_a_record_of_a_clip_no_longer_in_the_library_keeps_its_id(store: Store) -> None:
    """A stay whose clip row is gone exports with clip null."""
    fill(store)
    store.db.execute("PRAGMA foreign_keys = OFF")
    store.db.execute("INSERT INTO likes (clip_id, liked, at, seq) VALUES ('gone', 1, '2026-01-01', 99)")
    last = list(records(store, "like"))[-1]
    assert last["clip_id"] == "gone" and last["clip"] is None


def test_forget_deletes_the_history_and_keeps_the_library(store: Store) -> None:
    """After forget: no stays, likes or events, the clips as they were, and new stays number from 1 again."""
    fill(store)
    store.set_opening(CLIPS[0].id)
    before = store.clips(include_missing=True)
    size = forget(store)
    assert store.opening() is None, "the clip the next run would open on was chosen from that history"
    assert (size.impressions, size.likes, size.events) == (6, 3, 5)
    assert history_size(store).empty
    assert store.clips(include_missing=True) == before
    stay(store, "waves", 1_000, ImpressionExit.NEXT, "2026-03-12T00:00:00.000+00:00")
    assert [row["seq"] for row in records(store, "impression")] == [1]
    assert len(CLIPS) == store.clip_count()
