"""Text another program wrote into the database (sqlite-utils, Datasette, a tuifeed from before the sanitiser)
is outside text too: it comes out of the store cleaned, to the app and to every command."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from tuifeed.cli_data import render_stats
from tuifeed.models import Clip, Impression, ImpressionExit
from tuifeed.store import Store
from tuifeed.store.lists import history
from tuifeed.store.search import search_clips
from tuifeed.store.sources import SourceIndex
from tuifeed.store.stats import stats

OSC52 = "\x1b]52;c;aG9zdGlsZQ==\x07"
RAW = f"{OSC52}\x1b[2J\x9b1m\u202e\x00"
"""What another tool can put in a row: a clipboard write, a clear, an 8-bit CSI, a right-to-left override, NUL."""
ACTED_ON = ("\x1b", "\x9b", "\u202e", "\x00", "\x07")


def raw_store(path: Path) -> Store:
    """One watched clip whose text was then rewritten raw, behind tuifeed's back, with plain sqlite3."""
    store = Store(path)
    store.upsert_clips([Clip(id="a", location="/v/a.mp4", title="ocean", creator="ana", duration_ms=8_000)])
    at = "2026-03-11T20:00:00.000+00:00"
    stay = store.open_impression("a", at, 8_000)
    store.close_impression(stay, Impression("a", at, at, 5_000, 8_000, 0, ImpressionExit.NEXT))
    store.close()
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE clips SET title = ?, creator = ?, description = ?, sound = ?, tags = json_array(?)",
            [f"ocean {RAW}", f"ana{RAW}", f"line\n{RAW}", f"lofi{RAW}", f"surf{RAW}"],
        )
    db.close()
    return Store(path)


def acted_on(text: str) -> list[str]:
    return [char for char in ACTED_ON if char in text]


def test_clips_read_back_cleaned(tmp_path: Path) -> None:
    """Every way a clip leaves the store (all clips, one, search, a list) has its text cleaned; newlines kept."""
    store = raw_store(tmp_path / "raw.db")
    try:
        read = [*store.clips(), store.clip("a"), *search_clips(store, "ocean"), *(w.clip for w in history(store))]
        assert len(read) == 4
        for clip in read:
            assert clip is not None
            text = " ".join([clip.title, clip.creator or "", clip.description, clip.sound or "", *clip.tags])
            assert acted_on(text) == [], repr(text)
            assert clip.title.startswith("ocean ␛]52") and clip.description.startswith("line\n")
    finally:
        store.close()


def test_stats_names_cleaned_in_the_command_and_the_figures(tmp_path: Path) -> None:
    """Top creators, tags and sounds summed in SQL come out cleaned, and `tuifeed stats` prints none of it raw."""
    path = tmp_path / "raw.db"
    store = raw_store(path)
    try:
        figures = stats(store, datetime(2026, 3, 11, 21, tzinfo=UTC))
        names = [row.name for row in (*figures.creators, *figures.tags, *figures.sounds)]
        assert len(names) == 3 and acted_on(" ".join(names)) == [], names
        out = io.StringIO()
        Console(file=out, width=80).print(render_stats(figures))
        assert acted_on(out.getvalue()) == []
    finally:
        store.close()
    result = subprocess.run(
        [sys.executable, "-m", "tuifeed", "stats", "--db", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "LANG": "C", "COLUMNS": "80", "TUIFEED_CONFIG": str(path.with_suffix(".toml"))},
    )
    assert result.returncode == 0, result.stderr
    assert "@ana␛]52" in result.stdout and acted_on(result.stdout) == []


def test_mutes_and_follows_another_program_wrote_read_back_cleaned_and_still_match(tmp_path: Path) -> None:
    """A mute or follow whose subject was written raw shows cleaned in the Mutes list and still hits its clip."""
    from tuifeed.models import EventKind, MuteKind
    from tuifeed.store.lists import mutes

    store = raw_store(tmp_path / "raw.db")
    store.close()
    with sqlite3.connect(tmp_path / "raw.db") as db:
        for kind in ("mute_creator", "follow"):
            db.execute(
                "INSERT INTO events (kind, subject, active, at, seq) VALUES (?, ?, 1, ?, 99)",
                [kind, f"ana{RAW}", "2026-03-11T20:00:01.000+00:00"],
            )
    db.close()
    store = Store(tmp_path / "raw.db")
    try:
        creator = store.clip("a").creator  # type: ignore[union-attr]
        assert store.active(EventKind.MUTE_CREATOR) == {creator} == store.active(EventKind.FOLLOW)
        assert [(mute.kind, mute.value) for mute in mutes(store)] == [(MuteKind.CREATOR, creator)]
        assert all(acted_on(subject) == [] for _, subject, _, _ in store.events([EventKind.MUTE_CREATOR]))
    finally:
        store.close()


def test_remote_sources_another_program_wrote_read_back_cleaned(tmp_path: Path) -> None:
    """A source's title and last error, as `tuifeed remote list` and the app show them, come out cleaned."""
    store = Store(tmp_path / "raw.db")
    sources = SourceIndex(store)
    source = sources.add("http://h/feed.xml", "feed")
    store.close()
    with sqlite3.connect(tmp_path / "raw.db") as db:
        db.execute("UPDATE remote_sources SET title = ?, error = ?", [f"mine {RAW}", f"http://h: {RAW}"])
    store = Store(tmp_path / "raw.db")
    try:
        sources = SourceIndex(store)
        for row in (*sources.all(), *sources.all(counts=False), sources.get(source.url), sources.by_id(source.id)):
            assert row is not None
            assert acted_on(row.title + (row.error or "")) == [], repr(row)
            assert row.title.startswith("mine ␛]52")
    finally:
        store.close()
