"""Learned terms are posteriors: shrunk while evidence is thin, and relative to the person's own base rate."""

from __future__ import annotations

from rec_support import make, watched

from tuifeed.recommend import ClipFeatures, Feedback, Recommender, RecommenderSettings

UNCAPPED = RecommenderSettings(exploration_share=0.0, max_per_tag=100)
"""No tag cap, so a ranking shows the scores rather than the diversity rules."""


def pets() -> list[ClipFeatures]:
    """Creator-less #cats clips three times as popular as #dogs and #birds clips, among #news clips
    of every popularity (so that the gap is a modest one on the library's scale)."""
    pets = [
        ClipFeatures(id=f"{tag}-{i}", tags=(tag,), duration=20.0, popularity=popularity)
        for tag, popularity in (("cats", 300.0), ("dogs", 100.0), ("birds", 100.0))
        for i in range(30)
    ]
    news = [ClipFeatures(id=f"news-{i}", tags=("news",), duration=20.0, popularity=10.0 ** (i / 10)) for i in range(60)]
    return pets + news


def first_of(rec: Recommender, tags: tuple[str, ...]) -> str:
    """Which of `tags` the recommender ranks first."""
    return next(tag for clip_id in rec.rank(len(rec)) if (tag := clip_id.split("-")[0]) in tags)


def skip(clip_id: str) -> Feedback:
    """A swipe away within a second."""
    return Feedback(clip_id=clip_id, dwell=0.3, duration=20.0)


def top_tag(skips: int) -> str:
    """The tag of the best clip after ordinary viewing of #birds and `skips` quick skips of #cats."""
    rec = make(pets(), UNCAPPED)
    for i in range(20):
        rec.observe(watched(f"birds-{i}", 0.5))
        if i < skips:
            rec.observe(skip(f"cats-{i}"))
    return first_of(rec, ("cats", "dogs"))


def test_one_skip_does_not_sink_a_tag() -> None:
    """One quick skip is too little evidence to put a tag below a less popular one."""
    assert top_tag(skips=0) == "cats"
    assert top_tag(skips=1) == "cats"


def test_ten_skips_do() -> None:
    """Ten quick skips of one tag's clips, among ordinary viewing, are evidence enough."""
    assert top_tag(skips=10) == "dogs"


def test_a_tag_skipped_as_often_as_everything_else_is_no_negative() -> None:
    """A person who leaves every clip at half is not telling the feed that #cats in particular is unwanted."""
    rec = make(pets(), UNCAPPED)
    for i in range(12):
        rec.observe(watched(f"birds-{i}", 0.3))
        rec.observe(watched(f"cats-{i}", 0.3))
    assert first_of(rec, ("cats", "dogs")) == "cats"
    terms = {term.text: term.weight for term in rec.explain("cats-20")}
    assert all(abs(weight) < 0.05 for text, weight in terms.items() if "#cats" in text)


def test_a_tag_liked_more_than_the_base_rate_rises() -> None:
    """Against the same habits, a tag whose clips were liked lifts its clips over more popular ones."""
    rec = make(pets(), UNCAPPED)
    for i in range(12):
        rec.observe(watched(f"cats-{i}", 0.3))
        rec.observe(watched(f"birds-{i}", 0.3, liked=True))
    assert first_of(rec, ("cats", "dogs", "birds")) == "birds"
