"""The command line's grammar: every command's arguments, and the argument types they share.

Apart from the commands themselves, so that parsing `tuifeed play` loads none of what the other commands
need (rich's tables, the stats and export queries): the first picture waits for what loads before it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from tuifeed import __version__
from tuifeed.library.remote.urls import is_remote
from tuifeed.models import MuteKind, SourceKind

REMOTE_ACTIONS = ("add", "list", "remove", "refresh")
EXPORT_FORMATS = ("json", "jsonl", "csv")
MAX_DAYS = 3_660
"""The longest per-day chart `--days` asks for: ten years, a line a day."""
SEARCH_LIMIT = 50
MAX_LIMIT = 100_000


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: `tuifeed [play] [PATH|URL]`, `import`, `library`, `remote`, `export-manifest`, `search`,
    `mutes`, `stats`, `export`, `forget`, `doctor`."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="SQLite database to use (default: in the data directory)")
    common.add_argument("--config", type=Path, help="config.toml to read (default: the platform config dir)")
    playing = argparse.ArgumentParser(add_help=False)
    playing.add_argument(
        "--seed", type=whole_number(0, 2**63 - 1), help="random seed for the feed's exploration (0 or more)"
    )
    playing.add_argument(
        "--render", choices=["auto", "halfblock", "kitty"], help="how the video is drawn (default: [display] render)"
    )
    parser = argparse.ArgumentParser(
        prog="tuifeed",
        description="A private For You feed for your own video clips, in the terminal.",
        epilog="With no command, plays the imported library (or the bundled sample clips).",
    )
    parser.add_argument("--version", action="version", version=f"tuifeed {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = commands.add_parser("play", parents=[common, playing], help="play the feed (the default command)")
    play.add_argument(
        "path", nargs="?", type=_path_or_url, help="a folder to play (imported first), or a remote library's URL"
    )
    importer = commands.add_parser("import", parents=[common], help="import folders of videos")
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importer.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    importer.add_argument("--follow-links", action="store_true", help="follow symbolic links out of the folders")
    library = commands.add_parser("library", parents=[common], help="list library roots; `remove PATH` forgets one")
    library.add_argument("action", nargs="?", choices=["remove"])
    library.add_argument("path", nargs="?", type=Path)
    _add_remote_parsers(commands, common)
    _add_page_parsers(commands, common, playing)
    _add_data_parsers(commands, common)
    commands.add_parser("doctor", parents=[common], help="check libvlc, the terminal and the data directory")
    return parser


def _path_or_url(value: str) -> Path | str:
    """A play argument: an http(s) URL stays a string (a Path would fold its `//`), anything else is a path."""
    return value if is_remote(value) else Path(value)


def _add_remote_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the `remote` and `export-manifest` commands to the CLI's parser."""
    remote = commands.add_parser(
        "remote",
        parents=[common],
        help="remote libraries: add URL, list, remove URL|NUMBER, refresh [URL...]",
        description="Feeds (RSS, Atom, Media RSS, podcasts), M3U playlists, directory listings (nginx, Apache, "
        "http.server), PeerTube channels, accounts and searches, and tuifeed-library.json manifests.",
    )
    remote.add_argument("action", choices=REMOTE_ACTIONS)
    remote.add_argument("targets", nargs="*", metavar="URL", help="a source URL (remove also takes its number)")
    remote.add_argument("--kind", choices=[kind.value for kind in SourceKind], help="say what URL serves (add)")
    export = commands.add_parser(
        "export-manifest", parents=[common], help="write tuifeed-library.json beside an imported folder"
    )
    export.add_argument("folder", type=Path, metavar="FOLDER")


def _add_page_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    playing: argparse.ArgumentParser,
) -> None:
    """Add `search` (which takes `playing`'s options for `--play`) and `mutes` to the command line."""
    search = commands.add_parser(
        "search",
        parents=[common, playing],
        help="find clips by words of their title, description, tags, creator or sound",
    )
    search.add_argument("words", nargs="+", metavar="WORD")
    search.add_argument("--play", action="store_true", help="play the results as a feed")
    search.add_argument("--json", action="store_true", help="print the results as one JSON array")
    search.add_argument(
        "--limit",
        type=whole_number(1, MAX_LIMIT),
        default=SEARCH_LIMIT,
        help=f"most results, 1 to {MAX_LIMIT} (default {SEARCH_LIMIT})",
    )
    muted = commands.add_parser("mutes", parents=[common], help="list mutes; `remove KIND VALUE` lifts one")
    muted.add_argument("action", nargs="?", choices=["remove"])
    muted.add_argument("kind", nargs="?", choices=[kind.value for kind in MuteKind])
    muted.add_argument("value", nargs="?")


def _add_data_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `stats`, `export` and `forget` to the command line."""
    summary = commands.add_parser("stats", parents=[common], help="what you watched: time per day, top creators")
    summary.add_argument(
        "--days",
        type=whole_number(1, MAX_DAYS),
        default=14,
        help=f"days of the per-day chart, 1 to {MAX_DAYS} (default 14)",
    )
    summary.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    export = commands.add_parser("export", parents=[common], help="write your history (stays, likes, saves...)")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl", help="json, jsonl (default) or csv")
    export.add_argument("--out", type=Path, help="the file to write (default: standard output)")
    erase = commands.add_parser("forget", parents=[common], help="delete your history; the library stays")
    erase.add_argument("--yes", action="store_true", help="do not ask (needed when standard input is not a terminal)")


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` taking a whole number from `low` to `high`; anything else is a one-line usage error.

    Without a bound `--days 1000000` reached back past year 1 and a `--limit` past 2**63 overflowed SQLite,
    each as a traceback.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; use from {low} to {high}")
        return value

    parse.__name__ = "whole number"  # argparse names the type by this in "invalid ... value"
    return parse
