"""`tuifeed search WORDS` and `tuifeed mutes [remove KIND VALUE]`: the app's search and mutes on a console."""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tuifeed.arguments import SEARCH_LIMIT
from tuifeed.models import Clip, MuteKind
from tuifeed.store import Store
from tuifeed.store.lists import mutes
from tuifeed.store.search import search_clips
from tuifeed.text import clean, display_path, valid_utf8
from tuifeed.when import ago, length

"""The most results `--limit` asks for."""


def found(store: Store, words: list[str], limit: int = SEARCH_LIMIT) -> list[Clip]:
    """The clips the app's search would show for `words`: best first, less what is hidden or muted."""
    from tuifeed.feed.person import Person  # the feed package loads the recommender: only when searching

    person = Person.load(store)
    return search_clips(store, " ".join(words), limit, keep=person.allows)


def run_search(store: Store, words: list[str], *, limit: int, as_json: bool, console: Console) -> int:
    """Print the clips matching every word; exit status 0 with results, 1 with none."""
    clips = found(store, words, limit)
    query = clean(" ".join(words))  # a pasted title is outside text like any other
    if as_json:
        console.print_json(json.dumps([_clip_json(clip) for clip in clips]))
        return 0 if clips else 1
    if not clips:
        console.print(Text(f"No clip matches “{query}”."))
        return 1
    if not console.is_terminal:  # a pipe gets one clip a line, tab-separated, for cut, grep and friends
        for clip in clips:
            cells = (f"@{clip.creator}" if clip.creator else "", _title(clip), length(clip.duration_ms), _tags(clip))
            console.file.write("\t".join((*cells, clip.id)) + "\n")  # as is: Rich would expand the tabs
        return 0
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("creator", "title", "length", "tags", "id"):
        table.add_column(column, no_wrap=column in ("length", "id"))
    for clip in clips:
        table.add_row(
            Text(f"@{clip.creator}" if clip.creator else ""),
            Text(_title(clip)),
            Text(length(clip.duration_ms)),
            Text(_tags(clip)),
            Text(clip.id[:12]),
        )
    console.print(table)
    console.print(
        Text(
            f"{len(clips)} clip{'s' if len(clips) != 1 else ''}; play them: tuifeed search {query} --play",
            "dim",
        )
    )
    return 0


def _title(clip: Clip) -> str:
    return clip.title or display_path(clip.location.rsplit("/", 1)[-1])


def _tags(clip: Clip) -> str:
    return " ".join(f"#{tag}" for tag in clip.tags)


def _clip_json(clip: Clip) -> dict[str, object]:
    return {
        "id": clip.id,
        "title": clip.title,
        "creator": clip.creator,
        "description": clip.description,
        "tags": list(clip.tags),
        "sound": clip.sound,
        "duration_ms": clip.duration_ms,
        "location": valid_utf8(clip.location),
    }


def run_mutes(store: Store, args: argparse.Namespace, console: Console) -> int:
    """List the mutes in force, or lift one with `remove KIND VALUE`; exit status 1 if it was not muted."""
    from tuifeed.feed.feeds import describe
    from tuifeed.feed.person import Person, record_unmute
    from tuifeed.store.journal import Journal

    if args.action != "remove":
        if args.kind is not None:
            console.print("usage: tuifeed mutes [remove KIND VALUE]")
            return 2
        return _list_mutes(store, console)
    if args.kind is None or not args.value:
        console.print("usage: tuifeed mutes remove KIND VALUE   (KIND: creator, tag or sound)")
        return 2
    kind = MuteKind(args.kind)
    person = Person.load(store)
    value = clean(args.value)  # as the value was stored: cleaned where it entered
    if kind is MuteKind.CREATOR and not person.muted_as(kind, value) and value.startswith("@"):
        value = value[1:]
    journal = Journal(store)
    try:
        lifted = record_unmute(journal, person, kind, value)
    finally:
        journal.close()
    if not lifted:
        console.print(Text(f"{describe(kind, value)} is not muted; `tuifeed mutes` lists what is."))
        return 1
    console.print(Text(f"Unmuted {describe(kind, value)}: its clips come back to your feeds."))
    return 0


def _list_mutes(store: Store, console: Console) -> int:
    rows = mutes(store)
    if not rows:
        console.print("No mutes. In the app, x on a clip mutes its creator, sound or a tag.")
        return 0
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("kind", "value", "muted"):
        table.add_column(column)
    for mute in rows:
        table.add_row(Text(mute.kind.value), Text(mute.value), Text(ago(mute.at)))
    console.print(table)
    console.print(Text("Lift one: tuifeed mutes remove KIND VALUE", "dim"))
    return 0
