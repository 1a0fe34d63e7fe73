"""Widgets of the feed screen."""
