"""The command line: the one place that builds the real objects and hands them to the app or a command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from tuifeed import __version__, locations
from tuifeed.config import Config, load_config
from tuifeed.errors import ConfigError, TuifeedError
from tuifeed.store import Store

if TYPE_CHECKING:
    from tuifeed.recommend import RecommenderSettings

COMMANDS = ("play", "import", "library", "search", "mutes", "doctor")
VALUE_OPTIONS = ("--db", "--config", "--seed")
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: `tuifeed [play] [PATH]`, `import`, `library`, `search`, `mutes`, `doctor`."""
    from tuifeed.cli_pages import add_parsers

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="SQLite database to use (default: in the data directory)")
    common.add_argument("--config", type=Path, help="config.toml to read (default: the platform config dir)")
    parser = argparse.ArgumentParser(
        prog="tuifeed",
        description="A private For You feed for your own video clips, in the terminal.",
        epilog="With no command, plays the imported library (or the bundled sample clips).",
    )
    parser.add_argument("--version", action="version", version=f"tuifeed {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = commands.add_parser("play", parents=[common], help="play the feed (the default command)")
    play.add_argument("path", nargs="?", type=Path, help="a folder to play (it is imported first)")
    play.add_argument("--seed", type=int, help="random seed for the feed's exploration")
    importer = commands.add_parser("import", parents=[common], help="import folders of videos")
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importer.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    importer.add_argument("--follow-links", action="store_true", help="follow symbolic links out of the folders")
    library = commands.add_parser("library", parents=[common], help="list library roots; `remove PATH` forgets one")
    library.add_argument("action", nargs="?", choices=["remove"])
    library.add_argument("path", nargs="?", type=Path)
    add_parsers(commands, common)
    commands.add_parser("doctor", parents=[common], help="check libvlc, the terminal and the data directory")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run tuifeed; returns the exit code."""
    args = build_parser().parse_args(_with_command(list(sys.argv[1:] if argv is None else argv)))
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        config = load_config(args.config or locations.config_file(), required=args.config is not None)
        if args.command == "doctor":
            from tuifeed.doctor import run_doctor

            return run_doctor(
                config, _database_path(args.db, config), _log_path(config), Console(highlight=False, soft_wrap=True)
            )
        _setup_logging(config)
        store = Store(_database_path(args.db, config))
        try:
            return _dispatch(args, config, store, console)
        finally:
            store.close()
    except ConfigError as error:
        console.print(f"[red]config error:[/red] {error}", markup=True)
        return EXIT_USAGE
    except TuifeedError as error:
        console.print(f"[red]error:[/red] {error}", markup=True)
        return 1
    except KeyboardInterrupt:
        return 130


def _with_command(args: list[str]) -> list[str]:
    """Put the command first (`tuifeed --db x doctor` works), or add `play` when there is none."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in COMMANDS:
            return [arg, *args[:index], *args[index + 1 :]]
        if arg in ("-h", "--help", "--version"):
            return args
        if arg in VALUE_OPTIONS:
            index += 2
        elif arg.startswith("-"):
            index += 1
        else:
            break
    return ["play", *args]


def _dispatch(args: argparse.Namespace, config: Config, store: Store, console: Console) -> int:
    if args.command in ("import", "library"):
        return _library_command(args, store, console)
    if args.command in ("search", "mutes"):
        return _pages_command(args, config, store, console)
    return _play(args, config, store, console)


def _pages_command(args: argparse.Namespace, config: Config, store: Store, console: Console) -> int:
    from tuifeed.cli_pages import found, run_mutes, run_search

    out = Console(highlight=False, soft_wrap=True)
    if args.command == "mutes":
        return run_mutes(store, args, out)
    if not args.play:
        return run_search(store, args.words, limit=args.limit, as_json=args.json, console=out)
    if not found(store, args.words, args.limit):
        return run_search(store, args.words, limit=args.limit, as_json=False, console=out)
    args.path = None
    return _play(args, config, store, console, search=" ".join(args.words))


def _library_command(args: argparse.Namespace, store: Store, console: Console) -> int:
    from tuifeed.cli_import import run_import, run_library

    if args.command == "import":
        return run_import(
            store, args.paths, as_json=args.json, console=Console(highlight=False), follow_links=args.follow_links
        )
    if args.command == "library" and args.action == "remove" and args.path is None:
        console.print("usage: tuifeed library remove PATH")
        return EXIT_USAGE
    return run_library(store, args.path if args.action == "remove" else None, Console(highlight=False))


def _play(args: argparse.Namespace, config: Config, store: Store, console: Console, search: str | None = None) -> int:
    """Play the feeds; with `search`, open on its results, playing."""
    from tuifeed.feed import Feeds, Filters, Playback, restore_recommender
    from tuifeed.player.vlc_engine import VlcPlayer, limit_malloc_arenas
    from tuifeed.recommend import ClipFeatures, Recommender
    from tuifeed.render import ColorMode, ColorSystem, detect_color_mode
    from tuifeed.ui.app import TuifeedApp

    _check_keys(config)
    store.recover_open_impressions()
    root: Path | None = args.path
    if root is None and store.clip_count() == 0:
        root = locations.bundled_media()
    if root is not None:
        if not root.exists():
            console.print(f"[red]error:[/red] {root}: no such folder", markup=True)
            return 1
        from tuifeed.library import import_paths  # PyAV loads only when there is something to import

        with console.status(f"Reading {root}…"):
            import_paths(store, [root])
    clips = store.clips()
    if args.path is not None:
        prefix = str(Path(os.path.abspath(args.path)))
        clips = [clip for clip in clips if clip.location.startswith(prefix)]
    if not clips:
        console.print(f"No playable clips{f' in {root}' if root else ''}. Import some: tuifeed import ~/Videos")
        return 1

    system = ColorSystem(config.display.color) if config.display.color != "auto" else detect_color_mode(os.environ)
    color = ColorMode(system, bits=config.display.color_bits if system is ColorSystem.TRUECOLOR else 8)
    seed = args.seed if args.seed is not None else (config.feed.seed or None)
    recommender = Recommender(
        seed=seed if seed is not None else int.from_bytes(os.urandom(4)), settings=recommender_settings(config)
    )
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    restore_recommender(store, recommender)
    limit_malloc_arenas()
    with _stderr_to_log(_log_path(config)):
        player = VlcPlayer(audio_output=config.player.audio_output or None, volume=config.player.volume)
        playback = Playback(
            volume=config.player.volume, muted=config.player.muted, auto_advance=config.player.auto_advance
        )
        filters = Filters(config.feed.only_vertical, config.feed.max_seconds, config.feed.hide_watched)
        feeds = Feeds(store, player, recommender, clips, playback=playback, filters=filters, clock=time.monotonic)
        try:
            TuifeedApp(feeds, config=config, color=color, search=search, play=search is not None).run()
        finally:
            feeds.quit()
            player.close()
    return 0


def recommender_settings(config: Config) -> RecommenderSettings:
    """The recommender's knobs from [recommender], each bad one reported at its line."""
    from tuifeed.recommend import RecommenderSettings

    known = {option.name: option for option in fields(RecommenderSettings)}
    values: dict[str, float] = {}
    for key, value in config.recommender.items():
        option = known.get(key)
        if option is None:
            allowed = ", ".join(known)
            raise config.error_at("recommender", key, f"unknown key {key!r} in [recommender]; allowed: {allowed}")
        if isinstance(option.default, int) and value != int(value):
            raise config.error_at("recommender", key, f"{key} must be a whole number, not {value!r}")
        values[key] = int(value) if isinstance(option.default, int) else float(value)
    try:
        return RecommenderSettings(**values)  # type: ignore[arg-type]
    except ValueError as error:
        key = next((key for key in values if str(error).startswith(key)), next(iter(values), "recommender"))
        raise config.error_at("recommender", key, str(error)) from error


def _check_keys(config: Config) -> None:
    """Reject [keys] entries that name no binding, pointing at their line in config.toml."""
    from tuifeed.ui.app import binding_ids

    known = binding_ids()
    for binding_id in config.keys:
        if binding_id not in known:
            raise config.error_at("keys", binding_id, f"unknown binding id {binding_id!r}; allowed: {', '.join(known)}")


def _database_path(db: Path | None, config: Config) -> Path:
    if db is not None:
        return db
    if config.paths.database:
        return Path(config.paths.database).expanduser()
    return locations.default_database()


def _log_path(config: Config) -> Path:
    return Path(config.paths.log_file).expanduser() if config.paths.log_file else locations.log_file()


def _setup_logging(config: Config) -> None:
    path = _log_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=path, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@contextmanager
def _stderr_to_log(path: Path) -> Iterator[None]:
    """Point file descriptor 2 at the log file, so libvlc and ALSA can never print over the screen.

    Textual writes the screen to `sys.__stderr__`, so that becomes a new descriptor on the terminal.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    terminal = os.dup(2)
    log_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    saved = sys.stderr, sys.__stderr__
    sys.stderr = sys.__stderr__ = os.fdopen(os.dup(terminal), "w", buffering=1)  # type: ignore[misc]
    try:
        yield
    finally:
        sys.stderr.flush()
        sys.stderr.close()
        sys.stderr, sys.__stderr__ = saved  # type: ignore[misc]
        os.dup2(terminal, 2)
        os.close(terminal)
