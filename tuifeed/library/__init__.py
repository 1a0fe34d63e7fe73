"""The library: scanning folders, probing and describing files, and importing them into the store."""

from tuifeed.library.importer import Failure, ImportProgress, ImportSummary, ProgressCallback, import_paths

__all__ = ["Failure", "ImportProgress", "ImportSummary", "ProgressCallback", "import_paths"]
