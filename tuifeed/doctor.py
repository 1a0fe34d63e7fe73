"""`tuifeed doctor`: checks what playback needs and prints a short verdict per line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from tuifeed import locations
from tuifeed.config import Config
from tuifeed.display import choose_display
from tuifeed.errors import ConfigError, PlayerUnavailable
from tuifeed.player.vlc_engine import libvlc_plugin_cache, libvlc_version
from tuifeed.render import ColorSystem, detect_color_mode
from tuifeed.text import clean

MIN_COLUMNS, MIN_ROWS = 40, 12


def run_doctor(
    config: Config, database: Path, log: Path, console: Console, *, config_error: ConfigError | None = None
) -> int:
    """Print one line per check; exit 0 when playback can work, 1 otherwise.

    With `config_error` the config line fails with it and the other checks run on the defaults.
    """
    checks = [
        _libvlc(),
        _terminal(config),
        _video(config),
        _config(config, config_error),
        _data(database),
        (True, f"log file {log}"),
        _media(),
    ]
    for ok, line in checks:
        verdict = ("ok    ", "green") if ok else ("fail  ", "red")
        console.print(Text.assemble(verdict, clean(line)))
    failed = sum(not ok for ok, _ in checks)
    console.print("All good." if not failed else f"{failed} problem(s); see the lines marked fail.")
    return 1 if failed else 0


def _libvlc() -> tuple[bool, str]:
    try:
        version = libvlc_version()
    except PlayerUnavailable as error:
        return False, f"libvlc: {error}"
    cache = libvlc_plugin_cache()
    if cache is None:
        return False, (f"libvlc {version}, but no plugin cache (start-up is slow): sudo apt-get install libvlc-bin")
    return True, f"libvlc {version}, plugin cache {cache}"


def _config(config: Config, error: ConfigError | None) -> tuple[bool, str]:
    if error is not None:
        return False, f"config error: {error} (the other checks use the defaults)"
    if config.source is None:
        return True, f"config {locations.config_file()} not present: using the defaults (see config.toml)"
    return True, f"config {config.source} is valid"


def _terminal(config: Config) -> tuple[bool, str]:
    if not sys.stdout.isatty():
        return False, "no terminal: standard output is not a tty (run tuifeed in a terminal)"
    size = shutil.get_terminal_size(fallback=(0, 0))
    configured = config.display.color
    system = ColorSystem(configured) if configured != "auto" else detect_color_mode(os.environ)
    colours = "truecolor" if system is ColorSystem.TRUECOLOR else "256 colours"
    source = "from config" if configured != "auto" else "detected; set COLORTERM=truecolor if your terminal has it"
    if size.columns < MIN_COLUMNS or size.lines < MIN_ROWS:
        return (
            False,
            f"terminal {size.columns}x{size.lines} is too small (at least {MIN_COLUMNS}x{MIN_ROWS}); {colours}",
        )
    return True, f"terminal {size.columns}x{size.lines}, {colours} ({source})"


def _video(config: Config) -> tuple[bool, str]:
    choice = choose_display(config.display.render, config.display)
    replies = choice.capabilities.replies
    sync = "synchronized output" if replies.sync else "no synchronized output"
    return True, f"video: {choice.reason}; terminal {choice.capabilities.terminal}, {sync}"


def _data(database: Path) -> tuple[bool, str]:
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA quick_check").fetchone()
    except (OSError, sqlite3.Error) as error:
        return False, f"database {database}: {error}"
    return True, f"database {database} is readable and writable"


def _media() -> tuple[bool, str]:
    media = locations.bundled_media()
    clips = sorted(media.glob("*.mp4")) if media.is_dir() else []
    if not clips:
        return False, f"bundled sample clips missing in {media}"
    return True, f"{len(clips)} bundled sample clips in {media}"
