"""config.toml into frozen dataclasses, validated strictly: a bad key or value names its file and line."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tuifeed.errors import ConfigError
from tuifeed.text import clean

MAX_SHOWN = 40
"""Characters of a bad value quoted in an error; a huge or nested value is cut to this."""
MAX_KEY_NAME = 32
"""The longest key name in [keys]: Textual's names with modifiers (ctrl+shift+question_mark) fit."""


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

    render: str = _option(
        "auto",
        "how the video is drawn: kitty graphics where proven to work, else half-blocks",
        choices=("auto", "halfblock", "kitty"),
    )
    color: str = _option("auto", "colour mode", choices=("auto", "truecolor", "256"))
    color_bits: int = _option(
        8, "most truecolor bits kept per channel (the video steps down by itself on a slow terminal)", low=4, high=8
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
class RemoteConfig:
    """[remote]: remote libraries (feeds, playlists, listings, PeerTube, manifests) and the prefetch cache."""

    refresh_after_minutes: int = _option(
        60, "refresh a remote source at start when its last refresh is older than this; 0 never", low=0
    )
    cache_mb: int = _option(
        2048, "most megabytes of prefetched clips kept; liked and saved ones are never evicted", low=0
    )
    prefetch: int = _option(3, "how many of the next clips to download ahead", low=0, high=5)


@dataclass(frozen=True)
class WellbeingConfig:
    """[wellbeing]: calm pauses that stop the clip and ask; minutes count time watched, not time paused."""

    daily_minutes: int = _option(
        0, "a daily screen-time budget: say so once today's watching reaches it; 0 is off", low=0
    )
    break_minutes: int = _option(20, "suggest a break after this many minutes of watching in a row; 0 is off", low=0)
    session_minutes: int = _option(
        0, "ask whether to keep going after this many minutes of watching in one run; 0 is off", low=0
    )


@dataclass(frozen=True)
class Config:
    """Everything config.toml can say; every field has a default."""

    player: PlayerConfig = field(default_factory=PlayerConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)
    feed: FeedConfig = field(default_factory=FeedConfig)
    remote: RemoteConfig = field(default_factory=RemoteConfig)
    wellbeing: WellbeingConfig = field(default_factory=WellbeingConfig)
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
    "remote": RemoteConfig,
    "wellbeing": WellbeingConfig,
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
    except RecursionError as error:
        raise ConfigError(str(path), "not valid TOML: values nested too deeply") from error
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
            home = next((section for section, kind in _SECTIONS.items() if name in _field_names(kind)), None)
            if home is not None and not isinstance(value, dict):
                raise _error(path, text, None, name, f"{shown(name, quote=False)} belongs under [{home}]")
            allowed = [*_SECTIONS, "recommender", "keys"]
            if isinstance(value, dict):
                message = f"unknown section [{shown(name, quote=False)}]{did_you_mean(name, allowed)}"
            else:
                tables = ", ".join(f"[{section}]" for section in allowed)
                message = f"unknown setting {shown(name)} outside any section (settings go under {tables})"
            raise _error(path, text, None, name, message)
        if not isinstance(value, dict):
            raise _error(path, text, None, name, f"[{name}] must be a table")
        sections[name] = _section(path, text, name, _SECTIONS[name], value)
    return Config(**sections, source=path)


def _field_names(kind: type) -> set[str]:
    """The keys a section's settings class takes."""
    return {option.name for option in fields(kind)}


def _section(path: Path, text: str, name: str, kind: type, values: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(kind)}
    checked: dict[str, Any] = {}
    for key, value in values.items():
        option = known.get(key)
        if option is None:
            raise _error(path, text, name, key, f"unknown key {shown(key)} in [{name}]{did_you_mean(key, known)}")
        expected = type(option.default)
        if type(value) is not expected:
            raise _error(path, text, name, key, f"{key} must be {_kind(expected)}, not {shown(value)}")
        meta = option.metadata
        if meta["choices"] and value not in meta["choices"]:
            allowed = ", ".join(repr(choice) for choice in meta["choices"])
            raise _error(path, text, name, key, f"{key} = {shown(value)} is not allowed; choose one of {allowed}")
        low, high = meta["low"], meta["high"]
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise _error(path, text, name, key, f"{key} = {shown(value)} is out of range; use {bounds}")
        checked[key] = value
    return kind(**checked)


def _keys(path: Path, text: str, values: Any) -> dict[str, str]:
    if not isinstance(values, dict):
        raise _error(path, text, None, "keys", '[keys] must be a table of binding id = "keys"')
    for key, value in values.items():
        if not isinstance(value, str) or not value.strip() or not all(part.strip() for part in value.split(",")):
            raise _error(
                path, text, "keys", key, f'{shown(key, quote=False)} must be a string of keys such as "j,down"'
            )
        if too_long := next((part.strip() for part in value.split(",") if len(part.strip()) > MAX_KEY_NAME), None):
            message = f"{shown(too_long)} is not a key name (at most {MAX_KEY_NAME} characters, such as ctrl+j)"
            raise _error(path, text, "keys", key, message)
    return dict(values)


def _numbers(path: Path, text: str, values: Any) -> dict[str, float]:
    if not isinstance(values, dict):
        raise _error(path, text, None, "recommender", "[recommender] must be a table of numbers")
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            message = f"{shown(key, quote=False)} must be a finite number, not {shown(value)}"
            raise _error(path, text, "recommender", key, message)
    return dict(values)


def check_bindings(config: Config, scopes: Sequence[Mapping[str, str]]) -> None:
    """Reject [keys] that name no binding, or that leave one key bound to two actions in one place.

    Each scope maps the binding ids live in one place to their default keys ("j,down"); an override
    replaces them.
    """
    known = dict.fromkeys(binding_id for scope in scopes for binding_id in scope)
    for binding_id in config.keys:
        if binding_id not in known:
            message = f"unknown binding id {shown(binding_id)}{did_you_mean(binding_id, known)}"
            raise config.error_at("keys", binding_id, message)
    for scope in scopes:
        owner: dict[str, str] = {}
        for binding_id, default in scope.items():
            for key in _split_keys(config.keys.get(binding_id, default)):
                other = owner.setdefault(key, binding_id)
                if other != binding_id:
                    changed = binding_id if binding_id in config.keys else other
                    message = (
                        f"key {shown(key)} is bound to both {other} and {binding_id}; give one of them another key"
                    )
                    raise config.error_at("keys", changed, message)


def _split_keys(keys: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in keys.split(",") if part.strip()))


def shown(value: object, *, quote: bool = True) -> str:
    """A value from the file as it may appear in an error: clean, quoted, cut to MAX_SHOWN characters."""
    text = clean(repr(value) if quote else str(value))
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def did_you_mean(word: str, allowed: Iterable[str]) -> str:
    """ "; did you mean 'x'?" for a near miss, else the list of what is allowed."""
    allowed = list(allowed)
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"


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
