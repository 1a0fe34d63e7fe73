"""config.toml: defaults, strict validation with file:line errors, and the shipped example file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuifeed.config import Config, documented_options, load_config
from tuifeed.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    """No config file means every default."""
    assert load_config(tmp_path / "absent.toml") == Config()


def test_required_missing_file_is_an_error(tmp_path: Path) -> None:
    """--config naming a file that does not exist is reported."""
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml", required=True)


def test_values_are_read(tmp_path: Path) -> None:
    """Known keys override the defaults."""
    path = write(tmp_path, '[player]\nvolume = 35\nauto_advance = true\n[display]\ncolor = "256"\n[keys]\nlike = "f"\n')
    config = load_config(path)
    assert config.player.volume == 35
    assert config.player.auto_advance is True
    assert config.display.color == "256"
    assert config.keys == {"like": "f"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[player]\nvolume = 50\nvolum = 80\n", 3, "unknown key 'volum' in [player]; allowed: audio_output"),
        ("[player]\nvolume = 800\n", 2, "volume = 800 is out of range; use from 0 to 100"),
        ("[player]\nvolume = 'loud'\n", 2, "volume must be a whole number"),
        ('\n[display]\ncolor = "rgb"\n', 3, "color = 'rgb' is not allowed; choose one of 'auto', 'truecolor', '256'"),
        ("[sound]\nx = 1\n", 1, "unknown section [sound]"),
        ("[player\nvolume = 1\n", 1, "not valid TOML"),
        ("[keys]\nlike = 3\n", 2, "like must be a string of keys"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    """Each mistake is one line: file, line, key and what is allowed."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert fragment in message
    assert "\n" not in message


def test_shipped_config_toml_is_valid_and_documents_every_option() -> None:
    """The repository's config.toml parses and mentions every option with its default."""
    path = REPO / "config.toml"
    load_config(path)
    text = path.read_text()
    for section, key, default, _doc in documented_options():
        assert f"[{section}]" in text
        shown = str(default).lower() if isinstance(default, bool) else repr(default).replace("'", '"')
        assert f"{key} = {shown}" in text, f"{section}.{key} is not documented with its default"


def test_shipped_config_toml_documents_every_recommender_knob() -> None:
    """config.toml lists each recommender setting with its default."""
    from dataclasses import fields

    from tuifeed.recommend import RecommenderSettings

    text = (REPO / "config.toml").read_text()
    for option in fields(RecommenderSettings):
        assert f"{option.name} = {option.default!r}" in text, option.name


def test_recommender_knobs_are_checked_with_their_line(tmp_path: Path) -> None:
    """A bad [recommender] value is reported at its line."""
    from tuifeed.cli import recommender_settings

    config = load_config(write(tmp_path, "[recommender]\ndiversity_window = 10\nexploration_share = 3.0\n"))
    with pytest.raises(ConfigError, match=r":3: exploration_share must be within 0..1"):
        recommender_settings(config)
    config = load_config(write(tmp_path, "[recommender]\nexploration = 0.2\n"))
    with pytest.raises(ConfigError, match=r":2: unknown key 'exploration' in \[recommender\]"):
        recommender_settings(config)
    config = load_config(write(tmp_path, "[recommender]\nexploration_share = 0.25\n"))
    assert recommender_settings(config).exploration_share == 0.25
