"""Command-line argument types shared by the commands: whole numbers held to a range argparse reports."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` taking a whole number from `low` to `high`; anything else is a one-line usage error.

    Without a bound `--days 1000000` reached back past year 1 and a `--limit` past 2**63 overflowed SQLite,
    each as a traceback.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; use from {low} to {high}")
        return value

    parse.__name__ = "whole number"  # argparse names the type by this in "invalid ... value"
    return parse
