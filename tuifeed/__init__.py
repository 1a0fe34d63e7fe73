"""tuifeed: a private For You feed for your own video clips, in the terminal."""

__version__ = "0.1.0"
