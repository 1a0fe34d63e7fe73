"""Playback: the Player protocol, the libvlc engine and a fake; the only room that imports vlc."""

from tuifeed.player.base import Frame, FrameSizer, LaterSizer, Player, PlayerListener, PlayerState, warm

__all__ = ["Frame", "FrameSizer", "LaterSizer", "Player", "PlayerListener", "PlayerState", "warm"]
