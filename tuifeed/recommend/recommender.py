"""The Recommender: learns from every showing and picks what comes next, varied and explained."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

import numpy as np

from tuifeed.models import MuteKind, normalise_tag
from tuifeed.recommend import prior
from tuifeed.recommend.catalog import (
    UNKNOWN,
    Bools,
    Catalog,
    CatalogArrays,
    Floats,
    Ints,
    Vocab,
)
from tuifeed.recommend.diversity import Strictness, Window
from tuifeed.recommend.explain import Term, terms_for
from tuifeed.recommend.inputs import ClipFeatures, Feedback
from tuifeed.recommend.reward import LengthBaseline, assess
from tuifeed.recommend.scoring import Context, Priors, evidence, totals
from tuifeed.recommend.settings import RecommenderSettings
from tuifeed.recommend.taste import Stat, Taste

_FIRST_LOOK = 64
"""Candidates examined before widening the search for one that passes the diversity rules."""
_EXPLORED_MEMORY = 256
_MIN_EXPLORE_TERM = 0.01
"""Weight shown for exploration when the explored clip was nearly the best pick anyway."""


class Recommender:
    """An on-device For You ranker over the person's clips; pure numpy, deterministic for a seed.

    The feed calls `shown` when a clip appears on screen (optional; not for preloading) and
    `observe` when the person leaves it; each observed clip that was not just reported by `shown`
    counts as one more shown clip, in order. The last `diversity_window` shown clips are not
    picked again while any other clip is allowed, and steer the diversity rules. Not thread-safe:
    call it from one thread.
    """

    def __init__(self, seed: int = 0, settings: RecommenderSettings | None = None) -> None:
        self.settings = settings or RecommenderSettings()
        self._rng = np.random.default_rng(seed)
        self._catalog = Catalog()
        self._taste = Taste()
        self._baseline = LengthBaseline()
        self._recent: deque[int] = deque(maxlen=self.settings.diversity_window)
        self._hidden: set[int] = set()
        self._explored: dict[int, float] = {}
        self._muted: dict[MuteKind, set[str]] = {kind: set() for kind in MuteKind}
        self._followed: set[str] = set()
        self._filter_version = 0
        self._blocked_cache: tuple[tuple[int, int], Bools] | None = None
        self._priors: tuple[int, Priors] | None = None

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

    def observe(self, feedback: Feedback) -> None:
        """Learn from one finished showing; feedback on an unknown clip only updates the length habits."""
        self._learn((feedback,))

    def mute(self, kind: MuteKind, value: str) -> None:
        """Never offer clips with this creator, tag or sound."""
        kind = MuteKind(kind)  # rejects anything but a creator, tag or sound
        self._muted[kind].add(normalise_tag(value) if kind is MuteKind.TAG else value)
        self._filter_version += 1

    def unmute(self, kind: MuteKind, value: str) -> None:
        """Undo `mute`; unknown values are ignored."""
        kind = MuteKind(kind)
        self._muted[kind].discard(normalise_tag(value) if kind is MuteKind.TAG else value)
        self._filter_version += 1

    def follow(self, creator: str) -> None:
        """Boost every clip by this creator by `settings.follow_boost`."""
        self._followed.add(creator)

    def unfollow(self, creator: str) -> None:
        """Undo `follow`."""
        self._followed.discard(creator)

    def reset(self) -> None:
        """Refresh For You: forget affinities and length habits; keep clips, mutes, follows, hidden clips."""
        self._taste = Taste()
        self._baseline.reset()
        self._explored.clear()

    def rebuild(self, feedbacks: Iterable[Feedback], *, reset_at: int | None = None) -> None:
        """Forget everything learned and replay stored showings, oldest first.

        `reset_at` is the index of the first showing after the last "Refresh For You", so the replay
        ends in the same state as the live session did. Mutes and follows are kept.
        """
        self.reset()
        self._recent.clear()
        self._hidden.clear()
        self._filter_version += 1
        replay = list(feedbacks)
        if reset_at is None:
            self._learn(replay)
            return
        self._learn(replay[:reset_at])
        self.reset()
        self._learn(replay[reset_at:])

    # --- ranking -------------------------------------------------------------------------------

    def next(self, exclude: Iterable[str] = ()) -> str | None:
        """The best clip to show next, or None when every clip is excluded, hidden or muted."""
        ranked = self.rank(1, exclude)
        return ranked[0] if ranked else None

    def rank(self, k: int = 10, exclude: Iterable[str] = ()) -> list[str]:
        """The next `k` clips, best first, following the diversity rules from what was shown last.

        Each slot goes, with probability `exploration_share`, to a creator not shown yet (chosen by a
        Thompson-style draw: its score plus noise); otherwise to the best clip the rules allow. The
        rules relax (tag caps, then creator caps, then no-repeat) only when no clip satisfies them.
        """
        arrays = self._catalog.arrays()
        context = self._context()
        valid = ~self._blocked(arrays)
        rows = self._catalog.rows
        valid[[row for clip_id in exclude if (row := rows.get(clip_id)) is not None]] = False
        fresh = valid.copy()
        fresh[list(self._recent)] = False
        if fresh.any():  # else every allowed clip was shown lately: replay the best of them
            valid = fresh
        scores = np.where(valid, totals(context), -np.inf)
        remaining = int(valid.sum())
        window = Window(list(self._recent), arrays, self._catalog.row_tags, self.settings)
        unseen: Bools | None = None
        picks: list[str] = []
        while len(picks) < k and remaining:
            row = _pick(scores, window, remaining, relax=True)
            assert row is not None
            if self.settings.exploration_share and self._rng.random() < self.settings.exploration_share:
                unseen = self._unseen(arrays) if unseen is None else unseen
                explored = self._explore(scores, unseen, window)
                if explored is not None and explored != row:
                    self._remember_explored(explored, float(scores[row] - scores[explored]))
                    row = explored
            window.push(row)
            scores[row] = -np.inf
            remaining -= 1
            picks.append(self._catalog.ids[row])
        return picks

    def explain(self, clip_id: str) -> list[Term]:
        """The terms behind a clip's score in words, largest first (`str(term)` is the sentence).

        Hard filters (muted, not interested, removed) come first with weight -inf.
        """
        row = self._catalog.rows.get(clip_id)
        if row is None:
            raise KeyError(f"unknown clip {clip_id!r}")
        found = terms_for(row, self._catalog, self._context(), self._explored.get(row))
        return self._filters(row) + found

    # --- internals -----------------------------------------------------------------------------

    def _learn(self, feedbacks: Sequence[Feedback]) -> None:
        """Learn from showings in order, each scored against the habits and taste before it."""
        arrays = self._catalog.arrays()
        context = self._context()
        for feedback in feedbacks:
            row = self._catalog.rows.get(feedback.clip_id)
            duration = feedback.duration or (self._catalog.duration[row] if row is not None else None)
            reward = assess(feedback, duration, self._baseline, self.settings.quick_skip_seconds)
            if not feedback.not_interested:
                self._baseline.add(duration, reward.ratio)
            if row is None:
                continue
            self._note_shown(row)
            if feedback.not_interested:
                self._hidden.add(row)
                self._filter_version += 1
            tags = self._catalog.row_tags[row]
            self._taste.learn(reward, row, arrays, tags, evidence(row, tags, context))

    def _note_shown(self, row: int) -> None:
        """Append a row to the shown sequence unless it is already the latest entry."""
        if not self._recent or self._recent[-1] != row:
            self._recent.append(row)

    def _context(self) -> Context:
        """What scores depend on right now."""
        arrays = self._catalog.arrays()
        if self._priors is None or self._priors[0] != self._catalog.version:
            zeitgeist = prior.zeitgeist(arrays, self.settings.freshness_half_life_days)
            priors = Priors.of(prior.popularity(arrays), zeitgeist, self.settings)
            self._priors = (self._catalog.version, priors)
        return Context(
            arrays=arrays,
            priors=self._priors[1],
            taste=self._taste,
            followed=self._flags(self._catalog.creators, self._followed).astype(np.float64),
            sound_codes=len(self._catalog.sounds),
            tag_codes=len(self._catalog.tags),
            settings=self.settings,
        )

    def _blocked(self, arrays: CatalogArrays) -> Bools:
        """A fresh copy of the rows that may not be offered: removed, not interested, or muted."""
        key = (self._catalog.version, self._filter_version)
        if self._blocked_cache is None or self._blocked_cache[0] != key:
            blocked = ~arrays.available
            blocked[list(self._hidden)] = True
            blocked |= self._flags(self._catalog.creators, self._muted[MuteKind.CREATOR])[arrays.creator]
            blocked |= self._flags(self._catalog.sounds, self._muted[MuteKind.SOUND])[arrays.sound]
            muted_tags = self._flags(self._catalog.tags, self._muted[MuteKind.TAG])
            blocked[arrays.tag_rows[muted_tags[arrays.tag_codes]]] = True
            self._blocked_cache = (key, blocked)
        return self._blocked_cache[1].copy()

    @staticmethod
    def _flags(vocab: Vocab, names: set[str]) -> Bools:
        """A per-code mask of the named entries (names no clip carries yet are left out)."""
        flags = np.zeros(len(vocab), dtype=np.bool_)
        for name in names:
            flags[vocab.find(name)] = True
        flags[UNKNOWN] = False
        return flags

    def _unseen(self, arrays: CatalogArrays) -> Bools:
        """Rows whose creator was never shown; a clip without a creator is no unknown worth exploring."""
        shown = self._taste.creators.column(Stat.SHOWN, len(self._catalog.creators)) > 0
        shown[UNKNOWN] = True
        unseen: Bools = ~shown[arrays.creator]
        return unseen

    def _explore(self, scores: Floats, unseen: Bools, window: Window) -> int | None:
        """An unseen creator's clip drawn by score plus noise, if one passes every diversity rule."""
        candidates = np.flatnonzero(unseen & np.isfinite(scores))
        if not candidates.size:
            return None
        draws = np.full(scores.size, -np.inf)
        noise = self._rng.standard_normal(candidates.size)
        draws[candidates] = scores[candidates] + self.settings.exploration_noise * noise
        return _pick(draws, window, candidates.size, relax=False)

    def _remember_explored(self, row: int, margin: float) -> None:
        """Keep by how much an exploration slot lifted a row over the best pick, for `explain`."""
        self._explored.pop(row, None)
        self._explored[row] = max(margin, _MIN_EXPLORE_TERM)
        if len(self._explored) > _EXPLORED_MEMORY:
            del self._explored[next(iter(self._explored))]

    def _filters(self, row: int) -> list[Term]:
        """Hard filters that keep a row out of the feed, as terms of weight -inf."""
        arrays = self._catalog.arrays()
        reasons = []
        if not arrays.available[row]:
            reasons.append("no longer in the library")
        if row in self._hidden:
            reasons.append("you marked it not interested")
        creator = self._catalog.creators.names[int(arrays.creator[row])]
        sound = self._catalog.sounds.names[int(arrays.sound[row])]
        if creator in self._muted[MuteKind.CREATOR]:
            reasons.append(f"you muted {creator}")
        if sound in self._muted[MuteKind.SOUND]:
            reasons.append(f"you muted the sound {sound}")
        reasons += [
            f"you muted #{self._catalog.tags.names[tag]}"
            for tag in self._catalog.row_tags[row]
            if self._catalog.tags.names[tag] in self._muted[MuteKind.TAG]
        ]
        return [Term(reason, -np.inf) for reason in reasons]


def _pick(scores: Floats, window: Window, remaining: int, *, relax: bool) -> int | None:
    """The best-scoring row the diversity rules allow; with `relax`, loosen them when nothing passes."""
    row = window.first_allowed(_top(scores, min(remaining, _FIRST_LOOK)), Strictness.ALL)
    if row is not None:
        return row
    for strictness in Strictness if relax else (Strictness.ALL,):
        allowed = np.where(window.allowed(strictness), scores, -np.inf)
        best = int(np.argmax(allowed))
        if np.isfinite(allowed[best]):
            return best
    return None


def _top(scores: Floats, limit: int) -> Ints:
    """Indices of the `limit` largest scores, largest first (ties broken by row order)."""
    if limit >= scores.size:
        return np.argsort(-scores, kind="stable")
    head = np.argpartition(-scores, limit - 1)[:limit]
    return head[np.argsort(-scores[head], kind="stable")]
