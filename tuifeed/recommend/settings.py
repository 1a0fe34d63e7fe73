"""The knobs a person can tune in config.toml `[recommend]`, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class RecommenderSettings:
    """How the feed balances learning, exploring, freshness and variety."""

    exploration_share: float = 0.1
    """Largest share of picks given to creators not shown yet (0 turns exploration off)."""
    exploration_noise: float = 0.5
    """Spread of the Thompson-style random draw used to choose among unseen creators."""
    diversity_window: int = 10
    """How many consecutive clips the per-creator and per-tag caps look at."""
    max_per_creator: int = 3
    """Most clips by one creator in any diversity window."""
    max_per_tag: int = 5
    """Most clips sharing one tag in any diversity window."""
    popularity_weight: float = 0.5
    """Weight of the platform popularity prior (like or view counts from sidecars)."""
    freshness_weight: float = 0.3
    """Weight of the zeitgeist prior: recently imported clips and what they are about."""
    freshness_half_life_days: float = 7.0
    """Age of an import, relative to the newest one, at which its freshness halves."""
    prior_fade: float = 1000.0
    """Impressions after which the popularity and zeitgeist priors count half as much (besides how well
    they have predicted this person, which the recommender measures)."""
    quick_skip_seconds: float = 1.0
    """A swipe within this many seconds counts as a clear 'not for me'."""
    follow_boost: float = 2.0
    """Score added to clips by followed creators."""
    creator_weight: float = 1.0
    """Weight of what was learned about the creator."""
    tag_weight: float = 0.8
    """Weight of what was learned about the clip's tags (averaged over its tags)."""
    sound_weight: float = 0.5
    """Weight of what was learned about the clip's sound."""
    embedding_weight: float = 1.0
    """Weight of similarity to liked and skipped clips in the content embedding."""

    def __post_init__(self) -> None:
        """Reject values that would make the feed misbehave."""
        if not 0.0 <= self.exploration_share <= 1.0:
            raise ValueError(f"exploration_share must be within 0..1, got {self.exploration_share}")
        if self.diversity_window < 1:
            raise ValueError(f"diversity_window must be at least 1, got {self.diversity_window}")
        for name in ("max_per_creator", "max_per_tag"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("freshness_half_life_days", "prior_fade"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, float) and value < 0:
                raise ValueError(f"{spec.name} must not be negative, got {value}")
