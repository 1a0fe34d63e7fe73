"""config.toml: defaults, strict validation with file:line errors, and the shipped example file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuifeed.config import Config, check_bindings, documented_options, load_config
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
        ("[player]\nvolume = 50\nvolum = 80\n", 3, "unknown key 'volum' in [player]; did you mean 'volume'?"),
        ("[player]\nzzz = 1\n", 2, "unknown key 'zzz' in [player]; allowed: audio_output, volume"),
        ("[playr]\nvolume = 1\n", 1, "unknown section [playr]; did you mean 'player'?"),
        ("[player]\nvolume = 1e400\n", 2, "volume must be a whole number, not inf"),
        ("[player]\nvolume = {a = {b = [1, 2]}}\n", 2, "volume must be a whole number, not {'a': {'b': [1, 2]}}"),
        ("[recommender]\nexploration_share = nan\n", 2, "exploration_share must be a finite number, not nan"),
        ('[keys]\nlike = "l,,k"\n', 2, "like must be a string of keys"),
        ("[player]\nvolume = 800\n", 2, "volume = 800 is out of range; use from 0 to 100"),
        ("[player]\nvolume = 'loud'\n", 2, "volume must be a whole number"),
        ('\n[display]\ncolor = "rgb"\n', 3, "color = 'rgb' is not allowed; choose one of 'auto', 'truecolor', '256'"),
        ("[sound]\nx = 1\n", 1, "unknown section [sound]"),
        ("# my settings\nvolume = 50\n", 2, "volume belongs under [player]"),
        ('# mine\ncolour = "x"\n', 2, "unknown setting 'colour' outside any section (settings go under [player]"),
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


def test_huge_and_deep_values_are_one_short_line(tmp_path: Path) -> None:
    """A megabyte string or TOML nested 100k deep is one short error, never a traceback."""
    path = write(tmp_path, f'[display]\ncolor = "{"x" * 1_000_000}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:2: color = 'xxx")
    assert len(str(caught.value)) < len(str(path)) + 200
    path = write(tmp_path, "[player]\nvolume = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(path)


def test_keys_bound_twice_name_both_actions(tmp_path: Path) -> None:
    """A key taken from another action's defaults, or given to two actions, is an error naming both."""
    from tuifeed.cli import binding_scopes

    defaults = binding_scopes()
    assert next(scope for scope in defaults if "next_clip" in scope)["next_clip"] == "j,down,pagedown"
    config = load_config(write(tmp_path, '[keys]\nsave = "b"\nlike = "j"\n'))
    with pytest.raises(ConfigError, match=r":3: key 'j' is bound to both next_clip and like"):
        check_bindings(config, defaults)
    config = load_config(write(tmp_path, '[keys]\nlike = "z"\nsave = "z"\n'))
    with pytest.raises(ConfigError, match=r":3: key 'z' is bound to both like and save"):
        check_bindings(config, defaults)
    config = load_config(write(tmp_path, '[keys]\nlike = "z"\nnext_clip = "n,l"\n'))
    check_bindings(config, defaults)  # l moves off like and onto next_clip: no clash
    config = load_config(write(tmp_path, '[keys]\nlikes = "z"\n'))
    with pytest.raises(ConfigError, match=r":2: unknown binding id 'likes'; did you mean 'like'\?"):
        check_bindings(config, defaults)


def test_a_huge_key_name_is_one_line_error(tmp_path: Path) -> None:
    """A 100,000-character key in [keys] is no key: one line naming the file, line and binding, cut short."""
    with pytest.raises(ConfigError, match=r":2: .*is not a key name \(at most 32 characters") as raised:
        load_config(write(tmp_path, f'[keys]\nlike = "z,{"a" * 100_000}"\n'))
    assert len(str(raised.value)) < 300
    assert load_config(write(tmp_path, '[keys]\nlike = "ctrl+shift+question_mark"\n')).keys["like"]


_SECTION_NAMES = st.sampled_from(["player", "display", "paths", "feed", "keys", "recommender", "sound", "player.x"])
_KEYS = st.sampled_from(
    ["volume", "muted", "color", "fps", "seed", "database", "like", "next_clip", "exploration_share", "x y", "é"]
)
_VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30).map(lambda value: '"' + value.encode("unicode_escape").decode().replace('"', '\\"') + '"'),
    st.sampled_from(
        ["true", "false", "[]", "[1, [2]]", "{a = 1}", '"j,down"', '"l"', '""', "1979-05-27", "nan", "-inf"]
    ),
)


@st.composite
def _toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        lines.append(f"[{draw(_SECTION_NAMES)}]")
        for _ in range(draw(st.integers(0, 4))):
            key = draw(_KEYS)
            lines.append(f'"{key}" = {draw(_VALUES)}' if not key.isidentifier() else f"{key} = {draw(_VALUES)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(_toml_documents(), st.text(max_size=200)))
def test_any_config_text_loads_or_raises_config_error(tmp_path: Path, text: str) -> None:
    """Whatever the file holds, the loader and every later check give a Config or one ConfigError line."""
    from tuifeed.cli import binding_scopes, recommender_settings

    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        config = load_config(path)
        recommender_settings(config)
        check_bindings(config, binding_scopes())
    except ConfigError as error:
        assert "\n" not in str(error)
        assert not any(ord(char) < 0x20 for char in str(error))


def test_readme_keys_example_is_valid(tmp_path: Path) -> None:
    """The [keys] example in the README passes every check, default keys of other actions included."""
    from tuifeed.cli import binding_scopes

    readme = (REPO / "README.md").read_text()
    example = readme.split("```toml\n[keys]\n", 1)[1].split("```", 1)[0]
    config = load_config(write(tmp_path, "[keys]\n" + example))
    assert config.keys
    check_bindings(config, binding_scopes())


def test_one_key_may_mean_different_things_in_different_places(tmp_path: Path) -> None:
    """u undoes in the feed and unmutes in the Library by default; a key the app binds everywhere clashes anywhere."""
    from tuifeed.cli import binding_scopes

    scopes = binding_scopes()
    check_bindings(load_config(write(tmp_path, "[keys]\n")), scopes)
    with pytest.raises(ConfigError, match=r"key '1' is bound to both"):
        check_bindings(load_config(write(tmp_path, '[keys]\nlike = "1"\n')), scopes)
