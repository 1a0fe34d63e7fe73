"""The Recommender: learns from every showing and picks what comes next, varied and explained."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Literal

import numpy as np

from tuifeed.recommend import prior
from tuifeed.recommend.catalog import (
    UNKNOWN,
    Bools,
    Catalog,
    CatalogArrays,
    Floats,
    Ints,
    Vocab,
    normalise_tag,
)
from tuifeed.recommend.diversity import Strictness, Window
from tuifeed.recommend.explain import Term, terms_for
from tuifeed.recommend.inputs import ClipFeatures, Feedback
from tuifeed.recommend.reward import LengthBaseline, assess
from tuifeed.recommend.scoring import Priors, Terms, score
from tuifeed.recommend.settings import RecommenderSettings
from tuifeed.recommend.taste import Stat, Taste

FeatureKind = Literal["creator", "tag", "sound"]
_FIRST_LOOK = 64
"""Candidates examined before widening the search for one that passes the diversity rules."""
_EXPLORED_MEMORY = 256


class Recommender:
    """An on-device For You ranker over the person's clips; pure numpy, deterministic for a seed.

    The feed calls `shown` when a clip appears (optional) and `observe` when the person leaves it;
    each observed clip that was not just reported by `shown` counts as one more shown clip, in order.
    The last `diversity_window` shown clips are never picked again and steer the diversity rules.
    """

    def __init__(self, seed: int = 0, settings: RecommenderSettings | None = None) -> None:
        self.settings = settings or RecommenderSettings()
        self._rng = np.random.default_rng(seed)
        self._catalog = Catalog()
        self._taste = Taste()
        self._baseline = LengthBaseline()
        self._recent: deque[int] = deque(maxlen=self.settings.diversity_window)
        self._hidden: set[int] = set()
        self._seen: set[int] = set()
        self._explored: dict[int, float] = {}
        self._muted: dict[FeatureKind, set[str]] = {"creator": set(), "tag": set(), "sound": set()}
        self._followed: set[str] = set()
        self._version = 0
        self._priors: tuple[int, Priors] | None = None
        self._terms: tuple[tuple[int, int], Terms, Bools] | None = None

    def __len__(self) -> int:
        """Number of clips in the library (removed ones excluded, not-interested ones included)."""
        return len(self._catalog)

    # --- the library -------------------------------------------------------------------------

    def add_clips(self, clips: Iterable[ClipFeatures]) -> None:
        """Add clips, or update the features of clips already known by id (a removed one comes back)."""
        self._catalog.add(clips)

    def remove_clips(self, ids: Iterable[str]) -> None:
        """Stop offering clips whose files went missing; what was learned from them stays."""
        self._catalog.remove(ids)

    # --- the person ----------------------------------------------------------------------------

    def shown(self, clip_id: str) -> None:
        """Tell the recommender a clip is on screen, before its feedback exists, so ranking avoids it."""
        row = self._catalog.rows.get(clip_id)
        if row is not None:
            self._note_shown(row)
            self._version += 1

    def observe(self, feedback: Feedback) -> None:
        """Learn from one finished showing; feedback on an unknown clip only updates the length habits."""
        row = self._catalog.rows.get(feedback.clip_id)
        duration = feedback.duration or (self._catalog.duration[row] if row is not None else None)
        reward = assess(feedback, duration, self._baseline, self.settings.quick_skip_seconds)
        if not feedback.not_interested:
            self._baseline.add(duration, reward.ratio)
        self._version += 1
        if row is None:
            return
        self._note_shown(row)
        self._seen.add(row)
        if feedback.not_interested:
            self._hidden.add(row)
        arrays = self._catalog.arrays()
        embedding = arrays.embedding[row] if arrays.embedding.shape[1] else None
        self._taste.learn(
            reward,
            int(arrays.creator[row]),
            int(arrays.sound[row]),
            self._catalog.row_tags[row],
            row,
            embedding,
        )

    def mute(self, kind: FeatureKind, value: str) -> None:
        """Never offer clips with this creator, tag or sound."""
        self._muted[_checked(kind)].add(normalise_tag(value) if kind == "tag" else value)
        self._version += 1

    def unmute(self, kind: FeatureKind, value: str) -> None:
        """Undo `mute`; unknown values are ignored."""
        self._muted[_checked(kind)].discard(normalise_tag(value) if kind == "tag" else value)
        self._version += 1

    def follow(self, creator: str) -> None:
        """Boost every clip by this creator by `settings.follow_boost`."""
        self._followed.add(creator)
        self._version += 1

    def unfollow(self, creator: str) -> None:
        """Undo `follow`."""
        self._followed.discard(creator)
        self._version += 1

    def reset(self) -> None:
        """Refresh For You: forget affinities and length habits; keep clips, mutes, follows, hidden clips."""
        self._taste = Taste()
        self._baseline.reset()
        self._seen.clear()
        self._explored.clear()
        self._version += 1

    def rebuild(self, feedbacks: Iterable[Feedback], *, reset_at: int | None = None) -> None:
        """Forget everything learned and replay stored showings, oldest first.

        `reset_at` is the index of the first showing after the last "Refresh For You", so the replay
        ends in the same state as the live session did. Mutes and follows are kept.
        """
        self._taste = Taste()
        self._baseline.reset()
        self._recent.clear()
        self._hidden.clear()
        self._seen.clear()
        self._explored.clear()
        count = 0
        for count, feedback in enumerate(feedbacks, start=1):
            if count - 1 == reset_at:
                self.reset()
            self.observe(feedback)
        if reset_at is not None and reset_at >= count:
            self.reset()
        self._version += 1

    # --- ranking -------------------------------------------------------------------------------

    def next(self, exclude: Iterable[str] = ()) -> str | None:
        """The best clip to show next, or None when every clip is excluded, hidden or muted."""
        ranked = self.rank(1, exclude)
        return ranked[0] if ranked else None

    def rank(self, k: int = 10, exclude: Iterable[str] = ()) -> list[str]:
        """The next `k` clips, best first, following the diversity rules from what was shown last.

        Each slot goes, with probability `exploration_share`, to a creator not shown yet (chosen by a
        Thompson-style draw over its score); otherwise to the best-scoring clip the rules allow.
        """
        arrays = self._catalog.arrays()
        terms, blocked = self._current()
        valid = ~blocked
        rows = self._catalog.rows
        valid[[row for clip_id in exclude if (row := rows.get(clip_id)) is not None]] = False
        valid[list(self._recent)] = False
        scores = np.where(valid, terms.total, -np.inf)
        unseen = valid & self._unseen(arrays)
        remaining = int(valid.sum())
        window = Window(list(self._recent), arrays, self._catalog.row_tags, self.settings)
        picks: list[str] = []
        while len(picks) < k and remaining:
            row = self._best(scores, remaining, window)
            if self.settings.exploration_share and self._rng.random() < self.settings.exploration_share:
                explored = self._explore(terms.total, unseen, window)
                if explored is not None and explored != row:
                    self._remember_explored(
                        explored, max(float(terms.total[row] - terms.total[explored]), 0.0)
                    )
                    row = explored
            window.push(row)
            scores[row] = -np.inf
            unseen[row] = False
            remaining -= 1
            picks.append(self._catalog.ids[row])
        return picks

    def explain(self, clip_id: str) -> list[Term]:
        """The terms behind a clip's score in words, largest first (`str(term)` is the sentence)."""
        row = self._catalog.rows.get(clip_id)
        if row is None:
            raise KeyError(f"unknown clip {clip_id!r}")
        terms, _ = self._current()
        return self._filters(row) + terms_for(row, self._catalog, terms, self._taste, self._explored.get(row))

    # --- internals -----------------------------------------------------------------------------

    def _note_shown(self, row: int) -> None:
        """Append a row to the shown sequence unless it is already the latest entry."""
        if not self._recent or self._recent[-1] != row:
            self._recent.append(row)

    def _current(self) -> tuple[Terms, Bools]:
        """Score terms and the blocked mask, recomputed only after something changed."""
        key = (self._catalog.version, self._version)
        if self._terms is None or self._terms[0] != key:
            arrays = self._catalog.arrays()
            followed = self._flags(self._catalog.creators, self._followed).astype(np.float64)
            terms = score(
                arrays,
                self._priors_for(arrays),
                self._taste,
                followed,
                len(self._catalog.tags),
                self.settings,
            )
            self._terms = (key, terms, self._blocked(arrays))
        return self._terms[1], self._terms[2].copy()

    def _priors_for(self, arrays: CatalogArrays) -> Priors:
        """Popularity and zeitgeist priors, recomputed only when the catalogue changes."""
        if self._priors is None or self._priors[0] != self._catalog.version:
            priors = Priors(
                prior.popularity(arrays), prior.zeitgeist(arrays, self.settings.freshness_half_life_days)
            )
            self._priors = (self._catalog.version, priors)
        return self._priors[1]

    def _blocked(self, arrays: CatalogArrays) -> Bools:
        """Rows that may not be offered: removed, marked not interested, or muted."""
        blocked = ~arrays.available
        blocked[list(self._hidden)] = True
        blocked |= self._flags(self._catalog.creators, self._muted["creator"])[arrays.creator]
        blocked |= self._flags(self._catalog.sounds, self._muted["sound"])[arrays.sound]
        muted_tags = self._flags(self._catalog.tags, self._muted["tag"])
        blocked[arrays.tag_rows[muted_tags[arrays.tag_codes]]] = True
        return blocked

    @staticmethod
    def _flags(vocab: Vocab, names: set[str]) -> Bools:
        """A per-code mask of the named entries (names not in the catalogue are left out)."""
        flags = np.zeros(len(vocab), dtype=np.bool_)
        for name in names:
            flags[vocab.code(name)] = True
        flags[UNKNOWN] = False
        return flags

    def _unseen(self, arrays: CatalogArrays) -> Bools:
        """Rows whose creator was never shown (for creator-less rows: the row itself was never shown)."""
        shown = self._taste.creators.column(Stat.SHOWN, len(self._catalog.creators)) > 0
        unseen = ~shown[arrays.creator]
        anonymous = arrays.creator == UNKNOWN
        unseen[anonymous] = True
        unseen[list(self._seen)] = False
        return unseen

    def _best(self, scores: Floats, remaining: int, window: Window) -> int:
        """The highest-scoring row the diversity rules allow, relaxing them only when nothing passes."""
        limit = min(remaining, _FIRST_LOOK)
        while True:
            order = _top(scores, limit)
            row = window.first_allowed(order, Strictness.ALL)
            if row is not None:
                return row
            if limit >= remaining:
                break
            limit = min(remaining, limit * 16)
        for strictness in (Strictness.NO_REPEAT, Strictness.ANY):
            row = window.first_allowed(order, strictness)
            if row is not None:
                return row
        raise AssertionError("Strictness.ANY allows every row")

    def _explore(self, total: Floats, unseen: Bools, window: Window) -> int | None:
        """An unseen creator's clip drawn by score plus noise, if one passes every diversity rule."""
        candidates = np.flatnonzero(unseen)
        if not candidates.size:
            return None
        draws = total[candidates] + self.settings.exploration_noise * self._rng.standard_normal(
            candidates.size
        )
        order = candidates[_top(draws, min(candidates.size, _FIRST_LOOK))]
        return window.first_allowed(order, Strictness.ALL)

    def _remember_explored(self, row: int, margin: float) -> None:
        """Keep why a row got an exploration slot, for `explain`."""
        self._explored.pop(row, None)
        self._explored[row] = max(margin, 0.01)
        if len(self._explored) > _EXPLORED_MEMORY:
            del self._explored[next(iter(self._explored))]

    def _filters(self, row: int) -> list[Term]:
        """Hard filters that keep a row out of the feed, as terms of unbounded weight."""
        arrays = self._catalog.arrays()
        reasons = []
        if not arrays.available[row]:
            reasons.append("no longer in the library")
        if row in self._hidden:
            reasons.append("you marked it not interested")
        creator = self._catalog.creators.names[int(arrays.creator[row])]
        sound = self._catalog.sounds.names[int(arrays.sound[row])]
        tags = [self._catalog.tags.names[tag] for tag in self._catalog.row_tags[row]]
        reasons += [f"you muted {creator}" for _ in (1,) if creator in self._muted["creator"]]
        reasons += [f"you muted the sound {sound}" for _ in (1,) if sound in self._muted["sound"]]
        reasons += [f"you muted #{tag}" for tag in tags if tag in self._muted["tag"]]
        return [Term(reason, -np.inf) for reason in reasons]


def _top(scores: Floats, limit: int) -> Ints:
    """Indices of the `limit` largest scores, largest first (ties broken by row order)."""
    if limit >= scores.size:
        return np.argsort(-scores, kind="stable")
    head = np.argpartition(-scores, limit - 1)[:limit]
    return head[np.argsort(-scores[head], kind="stable")]


def _checked(kind: str) -> FeatureKind:
    """Validate a mute kind."""
    if kind not in ("creator", "tag", "sound"):
        raise ValueError(f"kind must be 'creator', 'tag' or 'sound', not {kind!r}")
    return kind  # type: ignore[return-value]
