"""The feed: which clip is on screen, which comes next, how it plays, and the record of every stay."""

from tuifeed.feed.feedback import REBUILD_IMPRESSIONS, feedback, restore_recommender
from tuifeed.feed.ranker import Ranker
from tuifeed.feed.session import FeedSession
from tuifeed.feed.status import FeedStatus, Why

__all__ = ["REBUILD_IMPRESSIONS", "FeedSession", "FeedStatus", "Ranker", "Why", "feedback", "restore_recommender"]
