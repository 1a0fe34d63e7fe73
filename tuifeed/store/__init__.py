"""The SQLite store: clips, impressions, likes, events, search; the only room that imports sqlite_utils."""

from tuifeed.store.lists import Marked, Mute, Watch
from tuifeed.store.store import Store

__all__ = ["Marked", "Mute", "Store", "Watch"]
