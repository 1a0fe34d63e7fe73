"""The feeds: which clip is on screen, which comes next, how it plays, and the record of every stay."""

from tuifeed.feed.feedback import REBUILD_IMPRESSIONS, feedback, restore_recommender
from tuifeed.feed.feeds import UNDO_SECONDS, Feeds, describe
from tuifeed.feed.filters import Filters
from tuifeed.feed.person import Person
from tuifeed.feed.playback import Playback
from tuifeed.feed.ranker import Picker, Ranker
from tuifeed.feed.session import FeedSession
from tuifeed.feed.status import FeedStatus, Why
from tuifeed.store import Marked, Mute, Watch
from tuifeed.store.stats import Ranked, Stats

__all__ = [
    "REBUILD_IMPRESSIONS",
    "UNDO_SECONDS",
    "FeedSession",
    "FeedStatus",
    "Feeds",
    "Filters",
    "Marked",
    "Mute",
    "Person",
    "Picker",
    "Playback",
    "Ranked",
    "Ranker",
    "Stats",
    "Watch",
    "Why",
    "describe",
    "feedback",
    "restore_recommender",
]
