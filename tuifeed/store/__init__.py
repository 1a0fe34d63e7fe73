"""The SQLite store: clips, impressions, likes; the only room that imports sqlite_utils."""

from tuifeed.store.store import Store

__all__ = ["Store"]
