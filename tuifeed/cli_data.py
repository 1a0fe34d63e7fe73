"""`tuifeed stats`, `tuifeed export` and `tuifeed forget`: the person's own data, summed, taken out, or deleted."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from tuifeed.charts import bar
from tuifeed.errors import TuifeedError
from tuifeed.store import Store
from tuifeed.store.export import CLIP_FIELDS, KINDS, all_records, forget, history_size, records
from tuifeed.store.stats import Ranked, Stats, stats
from tuifeed.text import display_path, valid_utf8
from tuifeed.when import counted, local_now, watched

JSON_NAMES = {
    "impression": "impressions",
    "like": "likes",
    "save": "saves",
    "follow": "follows",
    "mute": "mutes",
    "not_interested": "not_interested",
    "refresh": "refreshes",
}
"""The array of each kind of record in `--format json`."""
BAR_WIDTH = 40
"""Cells of the longest day's bar: with the date and the total it fits 80 columns."""
CSV_COLUMNS = (
    "kind",
    "seq",
    "id",
    "clip_id",
    "creator",
    "what",
    "value",
    "at",
    "active",
    "liked",
    "started_at",
    "ended_at",
    "dwell_ms",
    "duration_ms",
    "watch_ratio",
    "loops",
    "left",
    "saved",
    "followed",
    "not_interested",
    "came_back",
    *(f"clip_{name}" for name in CLIP_FIELDS),
)
"""One CSV table for every kind of record: a record leaves empty what its kind does not have."""


# -- stats -------------------------------------------------------------------------------------------------


def run_stats(store: Store, console: Console, *, days: int, as_json: bool, now: datetime | None = None) -> int:
    """Print today's and this week's watching, time per day, completion and skips, and the top names."""
    figures = stats(store, now or local_now(), days=days)
    if as_json:
        console.print_json(json.dumps(asdict(figures), default=str))
        return 0
    console.print(render_stats(figures))
    return 0


def render_stats(figures: Stats) -> Group:
    """The figures as Rich renderables that read well at 80 columns."""
    lines: list[Any] = [
        Text.assemble(("Today      ", "bold"), figures.today.line()),
        Text.assemble(("This week  ", "bold"), figures.week.line()),
        Text(""),
        Text(f"Watch time, last {len(figures.days)} days", "bold"),
    ]
    peak = max((day.watched_ms for day in figures.days), default=0)
    chart = Table.grid(padding=(0, 1))
    for _ in range(3):
        chart.add_column(no_wrap=True)
    for day in figures.days:
        chart.add_row(
            Text(day.day.strftime("%a %m-%d"), "dim"),
            Text(bar(day.watched_ms, peak, BAR_WIDTH) or "·", "cyan"),
            Text(watched(day.watched_ms) if day.watched_ms else ""),
        )
    lines += [chart, Text("")]
    lines.append(Text(figures.rates.line()))
    tops = Table(box=None, header_style="bold", pad_edge=False, expand=False)
    for title in ("Top creators", "Top tags", "Top sounds"):
        tops.add_column(title, max_width=26, no_wrap=True, overflow="ellipsis")
    names = [_ranked(figures.creators, "@"), _ranked(figures.tags, "#"), _ranked(figures.sounds, "♪ ")]
    for row in range(max(map(len, names), default=0)):
        tops.add_row(*(column[row] if row < len(column) else Text("") for column in names))
    if tops.row_count:
        lines += [Text(""), tops]
    else:
        lines += [Text(""), Text("Nothing watched yet: play the feed with `tuifeed`.", "dim")]
    return Group(*lines)


def _ranked(rows: list[Ranked], mark: str) -> list[Text]:
    return [Text.assemble(f"{mark}{row.name} ", (watched(row.watched_ms), "dim")) for row in rows]


# -- export ------------------------------------------------------------------------------------------------


def run_export(store: Store, form: str, out: Path | None, console: Console) -> int:
    """Write every record in `form` to `out` (or standard output), a row at a time; exit status 0."""
    with _target(out) as file:
        if form == "jsonl":
            for record in all_records(store):
                file.write(_json(record) + "\n")
        elif form == "json":
            write_json(store, file)
        else:
            writer = csv.DictWriter(file, CSV_COLUMNS, extrasaction="raise", lineterminator="\n")
            writer.writeheader()
            for record in all_records(store):
                writer.writerow(csv_row(record))
    if out is not None:
        console.print(Text(f"Wrote your history to {display_path(out)} ({form})."))
    return 0


def write_json(store: Store, file: IO[str]) -> None:
    """One JSON object with an array per kind (see JSON_NAMES), written as it is read."""
    file.write("{")
    for number, kind in enumerate(KINDS):
        file.write(f'{"," if number else ""}\n "{JSON_NAMES[kind]}": [')
        for index, record in enumerate(records(store, kind)):
            file.write(("," if index else "") + "\n  " + _json(record))
        file.write("\n ]")
    file.write("\n}\n")


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record as a row of the one CSV table: clip metadata as clip_* columns, tags as a JSON array."""
    row = {name: _valid(value) for name, value in record.items() if name != "clip"}
    for name, value in (record.get("clip") or {}).items():
        row[f"clip_{name}"] = json.dumps(value, ensure_ascii=False) if name == "tags" else _valid(value)
    return row


def _json(record: dict[str, Any]) -> str:
    return json.dumps(_valid_all(record), ensure_ascii=False)


def _valid_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _valid_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_valid_all(item) for item in value]
    return _valid(value)


def _valid(value: Any) -> Any:
    """Text as valid UTF-8 (see `valid_utf8`); anything else as it is."""
    return valid_utf8(value) if isinstance(value, str) else value


@contextmanager
def _target(out: Path | None) -> Iterator[IO[str]]:
    """The file to write, or standard output; a file is written beside its name and moved in place when done."""
    if out is None:
        sys.stdout.flush()
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield stdout
            stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, and keep the interpreter's final flush off the pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        finally:
            stdout.detach()
        return
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as file:
            yield file
        partial.replace(out)
    except OSError as error:
        raise TuifeedError(f"{display_path(out)}: cannot write it ({error.strerror or error})") from error
    finally:
        partial.unlink(missing_ok=True)  # gone already when complete; a stopped export leaves nothing behind


# -- forget ------------------------------------------------------------------------------------------------


def run_forget(
    store: Store, console: Console, *, yes: bool, interactive: bool, ask: Callable[[str], str] = input
) -> int:
    """Delete the history after asking (or with `yes`); without a terminal to ask on, refuse unless `yes`."""
    size = history_size(store)
    if size.empty:
        console.print("There is no history to forget.")
        return 0
    what = (
        f"{counted(size.impressions, 'stay')}, {counted(size.likes, 'like')} and "
        f"{counted(size.events, 'other mark')} (saves, follows, mutes)"
    )
    if not yes:
        if size.open_stays:
            # A running app keeps the follows, mutes and learning it read at start and goes on recording:
            # deleting under it would leave it undoing marks that are gone, and the feed would not start fresh.
            console.print(
                Text(
                    "A tuifeed looks to be playing on this database (a stay is open; a killed run leaves one too). "
                    "Quit it first, or run `tuifeed forget --yes`. Nothing was deleted."
                )
            )
            return 2
        if not interactive:
            console.print(Text(f"This would delete {what}; run `tuifeed forget --yes` to do it without asking."))
            return 2
        console.print(Text(f"Delete {what}? Your library stays; the feed starts fresh."))
        try:
            answer = ask("Type yes to forget: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            console.print("Nothing was deleted.")
            return 1
    forget(store)
    console.print(Text(f"Forgot {what}. The library is as it was."))
    return 0
