"""The command line: the one place that builds the real objects and hands them to the app or a command."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tuifeed import locations
from tuifeed.arguments import build_parser
from tuifeed.config import Config, check_bindings, did_you_mean, load_config, shown
from tuifeed.errors import ConfigError, TuifeedError
from tuifeed.models import Clip
from tuifeed.store import Store
from tuifeed.store.files import FileIndex
from tuifeed.terminal import TerminalOutput
from tuifeed.text import clean, display_path
from tuifeed.when import local_now

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from tuifeed.feed import Feeds
    from tuifeed.library.service import Library
    from tuifeed.player import FrameSizer
    from tuifeed.player.vlc_engine import VlcPlayer
    from tuifeed.recommend import RecommenderSettings
    from tuifeed.render.plan import RenderPlan

COMMANDS = (
    "play",
    "import",
    "library",
    "remote",
    "export-manifest",
    "search",
    "mutes",
    "stats",
    "export",
    "forget",
    "doctor",
)
VALUE_OPTIONS = ("--db", "--config", "--seed", "--render")
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run tuifeed; returns the exit code."""
    with _collector_held():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = _parse(build_parser(), _with_command(list(sys.argv[1:] if argv is None else argv)))
    try:
        if args.command == "doctor":
            return _doctor(args)
        config = _load_config(args)
        _setup_logging(config)
        store = Store(_database_path(args.db, config))
        try:
            return _dispatch(args, config, store)
        except sqlite3.DatabaseError as error:
            raise store.damaged(error) from error
        finally:
            store.close()
    except ConfigError as error:
        _stderr().print(error_line("config error", error))
        return EXIT_USAGE
    except TuifeedError as error:
        _stderr().print(error_line("error", error))
        return 1
    except KeyboardInterrupt:
        return 130


def _stderr() -> Console:
    """A console on standard error, made when there is something to say: rich loads only then, so not on the
    way to play's first picture (Textual loads it later, while libvlc decodes). Made afresh each time, as the
    console was made for each run of `main`: it looks at the terminal as it is then."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _say(line: str) -> None:
    """Say ``line`` on standard error."""
    _stderr().print(line)


def _stdout(*, soft_wrap: bool = True) -> Console:
    """A console on standard output, for a command's own output."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=soft_wrap)


def error_line(label: str, error: Exception | str) -> Text:
    """`label: message` in red and plain text: paths and names in the message are never read as markup."""
    from rich.text import Text

    return Text.assemble((f"{label}:", "red"), " ", clean(str(error)))


def _load_config(args: argparse.Namespace) -> Config:
    """The config file, with [recommender] and [keys] checked too, whichever command runs."""
    config = load_config(args.config or locations.config_file(), required=args.config is not None)
    if config.recommender:
        recommender_settings(config)
    if config.keys:
        check_bindings(config, binding_scopes())
    return config


def binding_scopes() -> list[dict[str, str]]:
    """Each place's binding ids with their default keys; loads the UI, so only when [keys] needs checking."""
    from tuifeed.ui.app import binding_scopes

    return binding_scopes()


def _doctor(args: argparse.Namespace) -> int:
    """doctor runs every check even when the config is bad, using the defaults for the rest."""
    from tuifeed.doctor import run_doctor

    try:
        config, problem = _load_config(args), None
    except ConfigError as error:
        config, problem = Config(), error
    return run_doctor(
        config,
        _database_path(args.db, config),
        _log_path(config),
        _stdout(),
        config_error=problem,
    )


def _parse(parser: argparse.ArgumentParser, args: list[str]) -> argparse.Namespace:
    """Parse `args`; URLs after an option (`remote add --db x URL`) still count as the remote command's targets.

    argparse takes a list positional in one run of positionals, so without this any words after an option
    in the middle would be "unrecognized arguments".
    """
    parsed, extras = parser.parse_known_args(args)
    if parsed.command == "remote" and not any(extra.startswith("-") for extra in extras):
        parsed.targets = [*parsed.targets, *extras]
    elif extras:
        parser.error(f"unrecognized arguments: {' '.join(extras)}")
    return parsed


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


@contextmanager
def _collector_held() -> Iterator[None]:
    """Hold Python's cycle collector back until `_start_collecting`; as it was afterwards (for callers in-process).

    Starting makes some 75,000 container objects that live as long as the process (modules, classes, Textual's
    styles) and some 500 objects of garbage, yet the collector kept scanning them: 0.04-0.05 s of a launch.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _start_collecting() -> None:
    """The real work begins: collect cycles again, leaving what starting made to the permanent generation.

    Frozen, those objects are never scanned again: a later full collection, which holds the frame pump and
    the keys while it runs, scans only what came after.
    """
    gc.freeze()
    gc.enable()


def _dispatch(args: argparse.Namespace, config: Config, store: Store) -> int:
    if args.command != "play" or isinstance(getattr(args, "path", None), str):
        _start_collecting()  # only the plain play path waits for its first frame; the rest may do much work first
    if args.command in ("import", "library"):
        return _library_command(args, store, _stderr())
    if args.command in ("search", "mutes"):
        return _pages_command(args, config, store)
    if args.command in ("stats", "export", "forget"):
        return _data_command(args, store, _stderr())
    if args.command in ("remote", "export-manifest") or isinstance(getattr(args, "path", None), str):
        return _remote_command(args, config, store, _stderr())
    return _play(args, config, store)


def _pages_command(args: argparse.Namespace, config: Config, store: Store) -> int:
    from tuifeed.cli_pages import found, run_mutes, run_search

    out = _stdout()
    if args.command == "mutes":
        return run_mutes(store, args, out)
    if not args.play:
        return run_search(store, args.words, limit=args.limit, as_json=args.json, console=out)
    if not found(store, args.words, args.limit):
        return run_search(store, args.words, limit=args.limit, as_json=False, console=out)
    args.path = None
    return _play(args, config, store, search=" ".join(args.words))


def _data_command(args: argparse.Namespace, store: Store, console: Console) -> int:
    from tuifeed.cli_data import run_export, run_forget, run_stats

    out = _stdout(soft_wrap=False)
    if args.command == "stats":
        return run_stats(store, out, days=args.days, as_json=args.json)
    if args.command == "export":
        return run_export(store, args.format, args.out, console)
    return run_forget(store, out, yes=args.yes, interactive=sys.stdin.isatty())


def _remote_command(args: argparse.Namespace, config: Config, store: Store, console: Console) -> int:
    from tuifeed.cli_remote import resolve_url, run_export, run_remote
    from tuifeed.library.service import Library

    library = Library.from_config(config, store.path)
    try:
        if args.command == "remote":
            return run_remote(args, library, _stdout())
        if args.command == "export-manifest":
            return run_export(args.folder, library, _stdout())
        clips = resolve_url(args.path, library, console)
    finally:
        library.close()
    if clips is None:
        return 1
    args.path = None
    return _play(args, config, store, only=clips)


def _library_command(args: argparse.Namespace, store: Store, console: Console) -> int:
    if args.command == "import":
        from tuifeed.cli_import import run_import

        status = run_import(
            store,
            args.paths,
            as_json=args.json,
            console=_stdout(),
            follow_links=args.follow_links,
        )
        retire_samples(store)
        return status
    if args.command == "library" and args.action == "remove" and args.path is None:
        console.print("usage: tuifeed library remove PATH")
        return EXIT_USAGE
    from tuifeed.cli_library import run_library

    remove = args.path if args.action == "remove" else None
    return run_library(store, remove, _stdout())


def _play(
    args: argparse.Namespace,
    config: Config,
    store: Store,
    *,
    only: list[Clip] | None = None,
    search: str | None = None,
) -> int:
    """Play the feeds: the library, or just `only` (the clips of a remote URL); with `search`, open on its results."""
    from tuifeed.player.memory import limit_malloc_arenas
    from tuifeed.player.vlc_engine import VlcPlayer, load_vlc, warm_decoder

    root: Path | None = args.path
    if root is not None and not root.exists():
        _stderr().print(error_line("error", f"{display_path(root)}: no such folder"))
        return 1
    load_vlc()  # a missing libvlc is said first: it is what the person must fix, terminal or not
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _stderr().print(error_line("error", "tuifeed play needs a terminal: stdin or stdout is not one"))
        return 1
    limit_malloc_arenas()  # before any thread of ours or libvlc's claims an arena
    warm_decoder()  # while the rest loads

    from tuifeed.library.remote.urls import is_remote
    from tuifeed.library.service import Library
    from tuifeed.player import LaterSizer, warm

    store.recover_open_impressions()
    opening = store.opening() if args.path is None and only is None and search is None else None
    if opening is not None and not is_remote(opening.location) and not os.path.exists(opening.location):
        opening = None  # its file is gone since it was lined up: For You opens as it would without one
    library = Library.from_config(config, store.path)
    player: VlcPlayer | None = None
    feeds: Feeds | None = None
    app: TuifeedApp | None = None
    first_look: FirstLook | None = None
    sizer = LaterSizer()  # the screen's, once the display is chosen
    with _stderr_to_log(_log_path(config)) as terminal:
        try:
            player = VlcPlayer(audio_output=config.player.audio_output or None, volume=config.player.volume)
            early = opening if opening is not None and not is_remote(opening.location) else None
            if early is not None:
                # libvlc decodes it while the rest loads (numpy, the display, the recommender): For You's `warm`
                # below says whether the run opens on it.
                warm(player, early.location, early.aspect, sizer)
            from tuifeed.display import choose_display
            from tuifeed.first_look import FirstLook

            clips = _clips_to_play(args, store, only)
            if not clips:
                return 1
            if early is not None and not any(clip.id == early.id for clip in clips):
                early = None  # it left the library as the library was read again (the samples gave way, say)
            display = choose_display(args.render or config.display.render, config.display)
            logging.getLogger(__name__).info("video: %s", display.reason)
            sizer.settle(_screen_sizer(display.plan, terminal))
            if search is None:
                first_look = FirstLook.start(
                    terminal, display.plan, panel=config.display.info_panel, keys=sys.stdin.fileno()
                )
            from tuifeed.feed import Feeds, Filters, Person, Playback, restore_recommender

            person = Person.load(store)
            filters = Filters(config.feed.only_vertical, config.feed.max_seconds, config.feed.hide_watched)
            if (look := first_look) is not None and early is not None and person.sees(early, filters):
                # For You opens on it (see `Queue`): the look may draw its first frame now, not once the
                # recommender has loaded and learnt.
                aspect = early.aspect
                warm(player, early.location, aspect, sizer, lambda frame: look.show(frame, aspect))
            from tuifeed.feed.wellbeing import Wellbeing
            from tuifeed.recommend import ClipFeatures, Recommender
            from tuifeed.store.stats import watched_today

            seed = args.seed if args.seed is not None else (config.feed.seed or None)
            recommender = Recommender(
                seed=seed if seed is not None else int.from_bytes(os.urandom(4)), settings=recommender_settings(config)
            )
            recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
            restore_recommender(store, recommender)
            playback = Playback(
                volume=config.player.volume, muted=config.player.muted, auto_advance=config.player.auto_advance
            )
            feeds = Feeds(
                store,
                player,
                recommender,
                clips,
                playback=playback,
                filters=filters,
                remote=library,
                opening=None if opening is None else opening.id,
                lines_up=args.path is None and only is None,
                person=person,
                clock=time.monotonic,
            )
            if search is None:
                feeds.for_you.warm(sizer, None if first_look is None else first_look.show)
            from tuifeed.ui.app import TuifeedApp  # loads Textual while libvlc decodes the first frame

            app = TuifeedApp(
                feeds,
                config=config,
                render=replace(display.plan, sink=terminal),
                library=library,
                search=search,
                play=search is not None,
                wellbeing=Wellbeing(config.wellbeing, watched_today_ms=watched_today(store, local_now())),
                typed=display.capabilities.replies.typed,
            )
            _start_collecting()
            if first_look is not None and not first_look.hand_over():
                return 0  # SIGTERM or SIGHUP while only the first look was on screen: leave as the app would
            app.run()
        finally:
            sizer.settle(None)  # a clip waiting for its size goes on at its own, so the player can close
            if first_look is not None:
                first_look.close()
            _shut_down(feeds, player, library)
    assert app is not None  # set, unless an error is on its way out above
    if app.crash is not None:
        log = display_path(_log_path(config))
        _stderr().print(error_line("error", f"tuifeed stopped: {app.crash!r}; the traceback is in {log}"))
        return 1
    return app.return_code or 0


def _clips_to_play(args: argparse.Namespace, store: Store, only: list[Clip] | None) -> list[Clip]:
    """The clips `play` may show: `only`, else the library (the bundled samples while it has no clips of its own),
    within `args.path` when given, imported first; says so on standard error when there are none."""
    root: Path | None = args.path
    if root is None and only is None:
        root = _samples_unless_own_clips(store, _say)
    if root is not None:
        from rich.text import Text

        from tuifeed.library import import_paths  # PyAV loads only when there is something to import

        _start_collecting()  # a folder of thousands of files is much work before the first frame
        with _stderr().status(Text(f"Reading {display_path(root)}…")):
            import_paths(store, [root])
    clips = store.clips() if only is None else only
    if args.path is not None:
        prefix = str(Path(os.path.abspath(args.path)))
        clips = [clip for clip in clips if clip.location.startswith(prefix)]
    if not clips:
        from rich.text import Text

        where = f" in {display_path(root)}" if root else ""
        _stderr().print(Text(f"No playable clips{where}. Import some: tuifeed import ~/Videos"))
    return clips


def _shut_down(feeds: Feeds | None, player: VlcPlayer | None, library: Library) -> None:
    """Close what `_play` opened, each step on its own: one that fails is logged and the rest still run."""
    steps: list[Callable[[], object]] = [library.close]
    if feeds is not None:
        steps.insert(0, feeds.quit)
    if player is not None:
        steps.append(player.close)
    for step in steps:
        try:
            step()
        except Exception:  # the person is leaving: log it, and close the rest
            logging.getLogger(__name__).exception("closing %s failed", getattr(step, "__qualname__", step))
    if feeds is not None:
        if feeds.journal.pending:
            from rich.text import Text

            _stderr().print(Text(f"Saving your last activity: {feeds.journal.trouble or 'a moment'}…"))
        feeds.journal.close()


def _screen_sizer(plan: RenderPlan, terminal: TerminalOutput) -> FrameSizer:
    """Decode sizes for a picture filling the whole terminal: the video view is not laid out yet, and is no larger."""
    try:
        cols, rows = os.get_terminal_size(terminal.fileno())
    except OSError:
        cols, rows = 80, 24
    encoder = plan.encoder()
    return lambda width, height: encoder.fit(width, height, cols, rows).pixel_size


def _samples_unless_own_clips(store: Store, say: Callable[[str], object]) -> Path | None:
    """The bundled samples to import and play while the library has no clips of its own, else None.

    Another install's samples give way to this one's: that install may be gone, its files with it.
    """
    if retire_samples(store):
        return None
    index = FileIndex(store)
    ours = str(locations.bundled_media())
    for root in index.roots():
        if root.path != ours and locations.is_bundled_media(root.path):
            index.remove_root(root.path)
    if store.clip_count() > 0:
        return None
    if index.roots():
        say("Your library has no playable clips yet (see `tuifeed library`); playing the bundled samples.")
    return locations.bundled_media()


def retire_samples(store: Store) -> bool:
    """Whether the library has clips of its own; if so the bundled samples leave it (their history stays)."""
    index = FileIndex(store)
    samples = [root for root in index.roots() if locations.is_bundled_media(root.path)]
    if store.clip_count() - sum(root.files - root.missing for root in samples) <= 0:
        return False
    for root in samples:
        index.remove_root(root.path)
    return True


def recommender_settings(config: Config) -> RecommenderSettings:
    """The recommender's knobs from [recommender], each bad one reported at its line."""
    from tuifeed.recommend import RecommenderSettings

    known = {option.name: option for option in fields(RecommenderSettings)}
    values: dict[str, float] = {}
    for key, value in config.recommender.items():
        option = known.get(key)
        if option is None:
            message = f"unknown key {shown(key)} in [recommender]{did_you_mean(key, known)}"
            raise config.error_at("recommender", key, message)
        if isinstance(option.default, int) and value != int(value):
            raise config.error_at("recommender", key, f"{key} must be a whole number, not {value!r}")
        values[key] = int(value) if isinstance(option.default, int) else float(value)
    try:
        return RecommenderSettings(**values)  # type: ignore[arg-type]
    except ValueError as error:
        key = next((key for key in values if str(error).startswith(key)), next(iter(values), "recommender"))
        raise config.error_at("recommender", key, str(error)) from error


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
def _stderr_to_log(path: Path) -> Iterator[TerminalOutput]:
    """Point file descriptor 2 at the log file, so libvlc and ALSA can never print over the screen.

    Textual writes the screen to `sys.__stderr__`, so that becomes a new descriptor on the terminal,
    shared with the video's frame pump (yielded) so that their writes never interleave.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    terminal = os.dup(2)
    log_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    saved = sys.stderr, sys.__stderr__
    output = TerminalOutput(os.fdopen(os.dup(terminal), "w", buffering=1))
    sys.stderr = sys.__stderr__ = output  # type: ignore[misc,assignment]
    try:
        yield output
    finally:
        sys.stderr.flush()
        sys.stderr.close()
        sys.stderr, sys.__stderr__ = saved  # type: ignore[misc]
        os.dup2(terminal, 2)
        os.close(terminal)
