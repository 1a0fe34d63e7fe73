"""The library: scanning folders, probing and describing files, and importing them into the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuifeed.library.importer import Failure, ImportProgress, ImportSummary, ProgressCallback, import_paths

__all__ = ["Failure", "ImportProgress", "ImportSummary", "ProgressCallback", "import_paths"]


def __getattr__(name: str) -> Any:
    """The importer's names, loaded on first use: `tuifeed.library.remote` and the CLI must not load PyAV."""
    if name in __all__:
        from tuifeed.library import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
