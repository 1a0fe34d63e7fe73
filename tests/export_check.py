"""Reading a `tuifeed export` file and the database it came from into one shape, to compare them row by row."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

KINDS = ("impression", "like", "save", "follow", "not_interested", "mute", "refresh")


def read_export(path: Path, form: str) -> tuple[str, list[dict[str, Any]]]:
    """The file's text (decoded strictly: it must be valid UTF-8) and its records, whatever the format."""
    content = path.read_bytes().decode("utf-8")
    if form == "jsonl":
        return content, [json.loads(line) for line in content.splitlines()]
    if form == "json":
        document = json.loads(content)
        assert list(document) == [
            "impressions",
            "likes",
            "saves",
            "follows",
            "mutes",
            "not_interested",
            "refreshes",
        ]
        return content, [record for rows in document.values() for record in rows]
    return content, list(csv.DictReader(io.StringIO(content)))


def stored(db: Path) -> dict[str, list[tuple[str, ...]]]:
    """What SQLite holds, read without tuifeed: each kind's rows in stored order, as text."""
    with sqlite3.connect(db) as connection:
        connection.text_factory = lambda data: data.decode("utf-8", "replace")
        order = "ORDER BY seq IS NULL, seq, id"
        impressions = connection.execute(
            "SELECT seq, id, clip_id, started_at, ended_at, dwell_ms, duration_ms, watch_ratio, loops, exit, "
            f"liked, saved, followed, not_interested, came_back FROM impressions {order}"
        ).fetchall()
        likes = connection.execute(f"SELECT seq, id, clip_id, liked, at FROM likes {order}").fetchall()
        events = connection.execute(f"SELECT kind, seq, id, subject, active, at FROM events {order}").fetchall()
        titles = dict(
            connection.execute(
                "SELECT id, title FROM clips WHERE id IN (SELECT clip_id FROM impressions UNION "
                "SELECT clip_id FROM likes UNION SELECT subject FROM events WHERE kind IN ('save', 'not_interested'))"
            ).fetchall()
        )
    kinds = {"save": "save", "follow": "follow", "not_interested": "not_interested", "reset": "refresh"}
    rows: dict[str, list[tuple[str, ...]]] = {"impression": [text(row) for row in impressions]}
    rows["like"] = [text(row) for row in likes]
    for kind, *row in events:
        name = kinds.get(kind, "mute")
        if name == "mute":
            row = [kind, *row]
        elif name == "refresh":  # a mark has no subject or state of its own: seq, id, at
            row = [row[0], row[1], row[4]]
        rows.setdefault(name, []).append(text(row))
    rows["titles"] = [tuple(item) for item in sorted(titles.items())]
    return {kind: rows.get(kind, []) for kind in (*KINDS, "titles")}


def text(row: Any) -> tuple[str, ...]:
    return tuple(as_text(value) for value in row)


def as_text(value: Any) -> str:
    """One spelling for a value, whichever format carried it (CSV writes True, SQLite holds 1)."""
    if value is None:
        return ""
    if isinstance(value, bool) or value in ("True", "False"):
        return str(int(value in (True, "True")))
    return str(value)


COLUMNS = {
    "impression": (
        "seq", "id", "clip_id", "started_at", "ended_at", "dwell_ms", "duration_ms", "watch_ratio", "loops", "left",
        "liked", "saved", "followed", "not_interested", "came_back",
    ),
    "like": ("seq", "id", "clip_id", "liked", "at"),
    "save": ("seq", "id", "clip_id", "active", "at"),
    "not_interested": ("seq", "id", "clip_id", "active", "at"),
    "follow": ("seq", "id", "creator", "active", "at"),
    "refresh": ("seq", "id", "at"),
}  # fmt: skip


def exported(records: list[dict[str, Any]], *, flat: bool) -> dict[str, list[tuple[str, ...]]]:
    """The exported records in the shape of `stored`: the same columns, and each clip's title."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    titles: dict[str, str] = {}
    for record in records:
        kind = record["kind"]
        if kind == "mute":
            fields = [f"mute_{record['what']}", *(record[name] for name in ("seq", "id", "value", "active", "at"))]
            rows.setdefault(kind, []).append(text(fields))
            continue
        rows.setdefault(kind, []).append(text(record[name] for name in COLUMNS[kind]))
        title = record.get("clip_title") if flat else (record.get("clip") or {}).get("title")
        if title is not None and record.get("clip_id"):
            titles[record["clip_id"]] = title
    rows["titles"] = sorted(titles.items())
    return {kind: rows.get(kind, []) for kind in (*KINDS, "titles")}
