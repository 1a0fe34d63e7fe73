"""config.toml into frozen dataclasses, validated strictly: a bad key or value names its file and line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tuifeed.errors import ConfigError


def _option(
    default: Any,
    doc: str,
    *,
    choices: tuple[Any, ...] = (),
    low: float | None = None,
    high: float | None = None,
) -> Any:
    return field(default=default, metadata={"doc": doc, "choices": choices, "low": low, "high": high})


@dataclass(frozen=True)
class PlayerConfig:
    """[player]: sound and what happens when a clip ends."""

    audio_output: str = _option("", "libvlc audio output: '' lets libvlc choose; 'pulse', 'alsa', 'adummy' (silent)")
    volume: int = _option(80, "volume at start, 0-100", low=0, high=100)
    muted: bool = _option(False, "start muted")
    auto_advance: bool = _option(False, "go to the next clip when one ends, instead of looping it")


@dataclass(frozen=True)
class DisplayConfig:
    """[display]: how the video is drawn."""

    color: str = _option("auto", "colour mode", choices=("auto", "truecolor", "256"))
    color_bits: int = _option(
        6, "truecolor bits kept per channel: fewer bits, fewer bytes to the terminal", low=4, high=8
    )
    fps: int = _option(30, "most frames painted per second", low=1, high=120)
    info_panel: bool = _option(True, "show the info panel at start (c toggles it)")


@dataclass(frozen=True)
class PathsConfig:
    """[paths]: where data lives; empty means the platform default."""

    database: str = _option("", "the SQLite database; --db overrides it")
    log_file: str = _option("", "where libvlc and tuifeed log; never the screen")


@dataclass(frozen=True)
class FeedConfig:
    """[feed]: the order of clips, and the filters For You and Following start with (F changes them in the app)."""

    seed: int = _option(0, "random seed for exploration; 0 picks a new one each run", low=0)
    only_vertical: bool = _option(False, "only vertical (portrait) clips")
    max_seconds: int = _option(0, "only clips shorter than this many seconds; 0 for any length", low=0)
    hide_watched: bool = _option(False, "leave out clips you have watched to the end before")


@dataclass(frozen=True)
class Config:
    """Everything config.toml can say; every field has a default."""

    player: PlayerConfig = field(default_factory=PlayerConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)
    feed: FeedConfig = field(default_factory=FeedConfig)
    keys: dict[str, str] = field(default_factory=dict)
    """Key overrides: binding id = "key1,key2" (see `?` in the app for the ids)."""
    recommender: dict[str, float] = field(default_factory=dict)
    """[recommender] knobs, checked by the recommender's own settings (see config.toml)."""
    source: Path | None = None
    """The file this was read from, for error messages."""

    def error_at(self, section: str, key: str, message: str) -> ConfigError:
        """An error about one key of a section, pointing at its line in the file."""
        return _error(self.source, _source_text(self.source), section, key, message)


_SECTIONS: dict[str, type] = {
    "player": PlayerConfig,
    "display": DisplayConfig,
    "paths": PathsConfig,
    "feed": FeedConfig,
}


def load_config(path: Path | None, *, required: bool = False) -> Config:
    """Read and validate a config file; a missing optional file gives the defaults."""
    if path is None or not path.exists():
        if required and path is not None:
            raise ConfigError(str(path), "no such file")
        return Config()
    text = _source_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(str(path), f"not valid TOML: {message}", int(where[1]) if where else None) from error
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name == "keys":
            sections["keys"] = _keys(path, text, value)
            continue
        if name == "recommender":
            sections["recommender"] = _numbers(path, text, value)
            continue
        if name not in _SECTIONS:
            raise _error(
                path,
                text,
                None,
                name,
                f"unknown section [{name}]; allowed: {', '.join([*_SECTIONS, 'recommender', 'keys'])}",
            )
        if not isinstance(value, dict):
            raise _error(path, text, None, name, f"[{name}] must be a table")
        sections[name] = _section(path, text, name, _SECTIONS[name], value)
    return Config(**sections, source=path)


def _section(path: Path, text: str, name: str, kind: type, values: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(kind)}
    checked: dict[str, Any] = {}
    for key, value in values.items():
        option = known.get(key)
        if option is None:
            raise _error(path, text, name, key, f"unknown key {key!r} in [{name}]; allowed: {', '.join(known)}")
        expected = type(option.default)
        if type(value) is not expected:
            raise _error(path, text, name, key, f"{key} must be {_kind(expected)}, not {value!r}")
        meta = option.metadata
        if meta["choices"] and value not in meta["choices"]:
            allowed = ", ".join(repr(choice) for choice in meta["choices"])
            raise _error(path, text, name, key, f"{key} = {value!r} is not allowed; choose one of {allowed}")
        low, high = meta["low"], meta["high"]
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise _error(path, text, name, key, f"{key} = {value!r} is out of range; use {bounds}")
        checked[key] = value
    return kind(**checked)


def _keys(path: Path, text: str, values: Any) -> dict[str, str]:
    if not isinstance(values, dict):
        raise _error(path, text, None, "keys", '[keys] must be a table of binding id = "keys"')
    for key, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise _error(path, text, "keys", key, f'{key} must be a string of keys such as "j,down"')
    return dict(values)


def _numbers(path: Path, text: str, values: Any) -> dict[str, float]:
    if not isinstance(values, dict):
        raise _error(path, text, None, "recommender", "[recommender] must be a table of numbers")
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _error(path, text, "recommender", key, f"{key} must be a number, not {value!r}")
    return dict(values)


def _kind(expected: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}[expected]


def _source_text(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), f"cannot read it ({error})") from error


def _error(path: Path | None, text: str, section: str | None, key: str, message: str) -> ConfigError:
    return ConfigError(str(path), message, _line_of(text, section, key))


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """The line where `key` is set inside [section] (or where the section starts), found by reading the text."""
    current: str | None = None
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if match := header.match(line):
            current = match.group(1)
            if section is None and current == key:
                return number
            continue
        if current == section and assignment.match(line):
            return number
    return None


def documented_options() -> list[tuple[str, str, Any, str]]:
    """(section, key, default, doc) for every option, to keep config.toml and the README honest."""
    return [
        (name, option.name, option.default, option.metadata["doc"])
        for name, kind in _SECTIONS.items()
        for option in fields(kind)
    ]
