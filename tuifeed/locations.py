"""Where tuifeed keeps its files: platform directories, each overridable by an environment variable."""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path, user_log_path

APP_NAME = "tuifeed"


def config_file() -> Path:
    """The user's config.toml ($TUIFEED_CONFIG, else the platform config directory)."""
    if override := os.environ.get("TUIFEED_CONFIG"):
        return Path(override)
    return user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """The directory for the database and caches ($TUIFEED_DATA_DIR, else the platform data directory)."""
    if override := os.environ.get("TUIFEED_DATA_DIR"):
        return Path(override)
    return user_data_path(APP_NAME)


def cache_dir() -> Path:
    """Where prefetched remote clips are kept ($TUIFEED_CACHE_DIR, else the platform cache directory)."""
    if override := os.environ.get("TUIFEED_CACHE_DIR"):
        return Path(override)
    return user_cache_path(APP_NAME)


def default_database() -> Path:
    """The SQLite database used when neither --db nor the config names one."""
    return data_dir() / "tuifeed.db"


def log_file() -> Path:
    """Where libvlc, ALSA and tuifeed's own messages go, so they never reach the screen."""
    if override := os.environ.get("TUIFEED_LOG"):
        return Path(override)
    return user_log_path(APP_NAME) / "tuifeed.log"


def bundled_media() -> Path:
    """The bundled sample clips: the checkout's media/ folder, else where the wheel installed them.

    A wheel puts them in share/tuifeed/media under the install prefix: the venv (pip, pipx, uv
    tool), or the user base for `pip install --user`.
    """
    checkout = Path(__file__).resolve().parent.parent / "media"
    if (checkout / "make_media.py").is_file():
        return checkout
    installed = [Path(prefix, "share", APP_NAME, "media") for prefix in (sys.prefix, site.getuserbase())]
    return next((folder for folder in installed if folder.is_dir()), installed[0])


def is_bundled_media(folder: str) -> bool:
    """Whether `folder` holds the bundled samples of this install or of another one sharing the database.

    Another one: a wheel's share/tuifeed/media under any prefix, or a checkout's media/ (a person who ran
    `make run` in a clone, then `pipx install .`, has the clone's samples in the same database).
    """
    path = Path(folder)
    if path == bundled_media() or path.parts[-3:] == ("share", APP_NAME, "media"):
        return True
    return path.name == "media" and (path / "make_media.py").is_file()
