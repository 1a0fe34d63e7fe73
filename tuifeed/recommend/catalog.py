"""The clips the recommender can choose from, as integer-coded numpy columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tuifeed.models import normalise_tag
from tuifeed.recommend.inputs import ClipFeatures

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

UNKNOWN = 0
"""The code of a missing creator, sound or tag; nothing is ever learned about it."""


def sum_by(index: Ints, weights: Floats, size: int = 0) -> Floats:
    """Add up `weights` per value of `index` (a typed `np.bincount` with weights)."""
    totals: Floats = np.bincount(index, weights=weights, minlength=size).astype(np.float64, copy=False)
    return totals


class Vocab:
    """Interns names as small integer codes; code 0 stands for 'unknown'."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self.names: list[str] = [""]

    def __len__(self) -> int:
        return len(self.names)

    def find(self, name: str) -> int:
        """The code for `name`, or `UNKNOWN` when it was never seen."""
        return self._codes.get(name, UNKNOWN)

    def code(self, name: str | None) -> int:
        """The code for `name`, interning it when new; `UNKNOWN` for a missing name."""
        if not name:
            return UNKNOWN
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self.names)
            self.names.append(name)
        return found


@dataclass(frozen=True, slots=True)
class RowIndex:
    """The rows carrying each code (an inverted index in CSR form)."""

    order: Ints
    """Rows grouped by code."""
    starts: Ints
    """`order[starts[c]:starts[c + 1]]` are the rows with code `c`."""

    @classmethod
    def build(cls, codes: Ints, rows: Ints, size: int) -> RowIndex:
        """Index `rows[i]` under `codes[i]` for codes below `size`."""
        grouping = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[grouping], np.arange(size + 1)).astype(np.int64)
        return cls(rows[grouping], starts)

    def rows(self, codes: Iterable[int]) -> Ints:
        """Every row carrying any of `codes` (codes beyond the index are skipped)."""
        last = self.starts.size - 1
        parts = [self.order[self.starts[c] : self.starts[c + 1]] for c in codes if c < last]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class CatalogArrays:
    """A read-only snapshot of the catalogue, sized to its rows, for vectorised scoring."""

    creator: Ints
    sound: Ints
    popularity: Floats
    """NaN where unknown."""
    imported_at: Floats
    """NaN where unknown."""
    available: Bools
    """Present in the library (not removed)."""
    tag_rows: Ints
    """Row of each (row, tag) pair of the sparse tag incidence."""
    tag_codes: Ints
    """Tag code of each (row, tag) pair."""
    tag_count: Floats
    """Number of tags per row."""
    tag_starts: Ints
    """Pairs of row `r` are `tag_starts[r]:tag_starts[r + 1]` (pairs are in row order)."""
    embedding: npt.NDArray[np.float32]
    """One column per row (dimension x rows): centred on the catalogue mean and scaled to unit length, so
    a dot product is a cosine (how alike two clips are); zero where missing."""
    raw: npt.NDArray[np.float32]
    """The embeddings as given (dimension x rows), zero where missing: a collaborative embedding's dot
    products and lengths carry preference and popularity, which centring would throw away."""
    gram: Floats
    """`raw @ raw.T` over the clips in the library: every clip the person has not reacted to, as weak
    evidence that a random clip is not for them (implicit-feedback ALS)."""
    by_creator: RowIndex
    by_sound: RowIndex
    by_tag: RowIndex

    @property
    def size(self) -> int:
        """Number of rows, removed clips included."""
        return int(self.creator.shape[0])

    def pairs_of(self, rows: Ints) -> tuple[Ints, Ints]:
        """The (position in `rows`, tag code) pairs of the given rows."""
        lengths = self.tag_starts[rows + 1] - self.tag_starts[rows]
        owners = np.repeat(np.arange(rows.size, dtype=np.int64), lengths)
        offsets = np.arange(owners.size, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owners, self.tag_codes[np.repeat(self.tag_starts[rows], lengths) + offsets]


class Catalog:
    """Every clip ever added, one row each; rows are never reused, so learned state stays aligned."""

    def __init__(self) -> None:
        self.creators = Vocab()
        self.sounds = Vocab()
        self.tags = Vocab()
        self.ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.row_tags: list[tuple[int, ...]] = []
        self.duration: list[float | None] = []
        self._creator: list[int] = []
        self._sound: list[int] = []
        self._popularity: list[float] = []
        self._imported_at: list[float] = []
        self._available: list[bool] = []
        self._embeddings: dict[int, npt.NDArray[np.float32]] = {}
        self._dimension: int | None = None
        self._arrays: CatalogArrays | None = None
        self.version = 0
        """Bumped on every change, so derived caches know when to refresh."""

    def __len__(self) -> int:
        return sum(self._available)

    def add(self, clips: Iterable[ClipFeatures]) -> None:
        """Add clips, or refresh the features of clips already known by id."""
        for clip in clips:
            row = self.rows.get(clip.id)
            if row is None:
                row = self.rows[clip.id] = len(self.ids)
                self.ids.append(clip.id)
                for column in (self._creator, self._sound, self._popularity, self._imported_at):
                    column.append(0)
                self._available.append(True)
                self.row_tags.append(())
                self.duration.append(None)
            self._set(row, clip)
        self._changed()

    def remove(self, ids: Iterable[str]) -> None:
        """Take clips out of the feed (files gone missing); unknown ids are ignored."""
        for clip_id in ids:
            row = self.rows.get(clip_id)
            if row is not None:
                self._available[row] = False
        self._changed()

    def arrays(self) -> CatalogArrays:
        """The current snapshot, rebuilt only after a change."""
        if self._arrays is None:
            self._arrays = self._build()
        return self._arrays

    def _set(self, row: int, clip: ClipFeatures) -> None:
        """Store one clip's features in its row."""
        self._creator[row] = self.creators.code(clip.creator)
        self._sound[row] = self.sounds.code(clip.sound)
        self._popularity[row] = np.nan if clip.popularity is None else float(clip.popularity)
        self._imported_at[row] = np.nan if clip.imported_at is None else float(clip.imported_at)
        self._available[row] = True
        self.duration[row] = clip.duration if clip.duration and clip.duration > 0 else None
        tags = dict.fromkeys(self.tags.code(normalise_tag(tag)) for tag in clip.tags)
        self.row_tags[row] = tuple(code for code in tags if code != UNKNOWN)
        self._embeddings.pop(row, None)
        if clip.embedding is not None:
            vector = np.asarray(clip.embedding, dtype=np.float32).ravel()
            if self._dimension is None and vector.size:
                self._dimension = vector.size
            if vector.size == self._dimension and np.all(np.isfinite(vector)):
                self._embeddings[row] = vector

    def _changed(self) -> None:
        """Drop the snapshot so the next read rebuilds it."""
        self._arrays = None
        self.version += 1

    def _build(self) -> CatalogArrays:
        """Materialise the columns as numpy arrays."""
        lengths = np.fromiter(map(len, self.row_tags), dtype=np.int64, count=len(self.row_tags))
        codes = np.fromiter((code for tags in self.row_tags for code in tags), dtype=np.int64, count=int(lengths.sum()))
        rows = np.arange(len(self.ids), dtype=np.int64)
        tag_rows = np.repeat(rows, lengths)
        creator = np.array(self._creator, dtype=np.int64)
        sound = np.array(self._sound, dtype=np.int64)
        available = np.array(self._available, dtype=np.bool_)
        raw, unit = self._embedding_matrices()
        present = raw[:, available].astype(np.float64)
        gram = present @ present.T
        return CatalogArrays(
            creator=creator,
            sound=sound,
            popularity=np.array(self._popularity, dtype=np.float64),
            imported_at=np.array(self._imported_at, dtype=np.float64),
            available=available,
            tag_rows=tag_rows,
            tag_codes=codes,
            tag_count=lengths.astype(np.float64),
            tag_starts=np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
            embedding=unit,
            raw=raw,
            gram=gram,
            by_creator=RowIndex.build(creator, rows, len(self.creators)),
            by_sound=RowIndex.build(sound, rows, len(self.sounds)),
            by_tag=RowIndex.build(codes, tag_rows, len(self.tags)),
        )

    def _embedding_matrices(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """The raw embeddings, and centred unit-length ones so that cosine means 'alike', not 'has a signature'."""
        raw = np.zeros((self._dimension or 0, len(self.ids)), dtype=np.float32)
        unit = raw.copy()
        if not self._embeddings:
            return raw, unit
        rows = np.fromiter(self._embeddings, dtype=np.int64, count=len(self._embeddings))
        vectors: npt.NDArray[Any] = np.stack(list(self._embeddings.values()))
        raw[:, rows] = vectors.T
        vectors = vectors - vectors.mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit[:, rows] = (vectors / np.maximum(norms, 1e-12)).T
        return raw, unit
