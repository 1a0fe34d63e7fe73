"""On-device For You ranking: learns from behaviour and clip features, explores, diversifies, explains."""

from tuifeed.recommend.explain import Term
from tuifeed.recommend.inputs import ClipFeatures, Feedback
from tuifeed.recommend.recommender import Recommender
from tuifeed.recommend.settings import RecommenderSettings

__all__ = ["ClipFeatures", "Feedback", "Recommender", "RecommenderSettings", "Term"]
