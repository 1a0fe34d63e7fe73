"""Full-text search over the library: words in, clips out, best match first; the query is never FTS syntax."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import closing
from itertools import islice

from tuifeed.models import Clip
from tuifeed.store.store import Store, _row_clip

_WORD = re.compile(r"\w+")
"""What a person's query is read as: runs of letters and digits; everything else only separates them."""
_WEIGHTS = "3.0, 1.0, 2.0, 2.0, 1.5"
"""bm25 weights of title, description, tags, creator and sound: a word in the title counts most."""


def match_expression(query: str) -> str | None:
    """The FTS5 expression for `query`: every word quoted and taken as a prefix, all required; None if no words.

    Quoting makes operators (AND, NEAR, -, :, *, parentheses) plain words, so no input is a syntax error;
    prefixes let a search find "ocean" while the person is still typing "oce".
    """
    words = _WORD.findall(query)
    return " ".join(f'"{word}"*' for word in words) if words else None


def search_clips(store: Store, query: str, limit: int = 200, keep: Callable[[Clip], bool] | None = None) -> list[Clip]:
    """Clips whose title, description, tags, creator or sound hold every word of `query`, best first.

    Missing clips are left out, and so are those `keep` refuses, before the first `limit` are taken (so
    hidden best matches never leave a short list); ties keep library order.
    """
    expression = match_expression(query)
    if expression is None:
        return []
    sql = (
        "SELECT clips.* FROM clips_fts JOIN clips ON clips.rowid = clips_fts.rowid "
        f"WHERE clips_fts MATCH ? AND clips.missing = 0 ORDER BY bm25(clips_fts, {_WEIGHTS}), clips.rowid"
    )
    with closing(store.rows(sql, [expression])) as rows:
        clips = map(_row_clip, rows)
        return list(islice(clips if keep is None else filter(keep, clips), limit))
