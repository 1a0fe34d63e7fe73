"""How the video is drawn: --render, the config and what the terminal answered become one RenderPlan."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tuifeed.config import DisplayConfig
from tuifeed.render import ColorMode, ColorSystem, detect_color_mode
from tuifeed.render.kitty import KittyOptions, Transport
from tuifeed.render.plan import RenderKind, RenderPlan
from tuifeed.terminal.probe import Capabilities, kitty_verdict, probe

RENDER_CHOICES = ("auto", "halfblock", "kitty")


@dataclass(frozen=True, slots=True)
class DisplayChoice:
    """The plan, and in words why it was chosen (for `tuifeed doctor` and the log)."""

    plan: RenderPlan
    capabilities: Capabilities
    reason: str


def color_mode(display: DisplayConfig, environ: Mapping[str, str]) -> ColorMode:
    """The colour mode from [display] color and color_bits ("auto" asks the environment)."""
    if display.color == "auto":
        system = detect_color_mode(environ)
    else:
        system = ColorSystem.TRUECOLOR if display.color == "truecolor" else ColorSystem.ANSI256
    return ColorMode(system, bits=display.color_bits if system is ColorSystem.TRUECOLOR else 8)


def choose_display(
    requested: str, display: DisplayConfig, environ: Mapping[str, str] = os.environ, fd: int | None = None
) -> DisplayChoice:
    """Probe the terminal (on ``fd``, default the controlling tty) and settle how to draw.

    ``requested`` is --render or [display] render: "auto" takes kitty graphics only where the probe
    proves them, "kitty" forces them (sent directly unless shared memory answered), "halfblock" never.
    """
    in_terminal = fd is not None or (os.isatty(0) and os.isatty(1))
    caps = probe(environ, fd if in_terminal else -1)  # not run in a terminal (a pipe, a test): ask nothing
    color = color_mode(display, environ)
    verdict = kitty_verdict(caps)
    kitty = requested == "kitty" or (requested == "auto" and verdict.usable)
    if not kitty:
        reason = "half-blocks (asked for)" if requested == "halfblock" else verdict.reason
        return DisplayChoice(RenderPlan(RenderKind.HALFBLOCK, color, caps.replies.sync), caps, reason)
    width, height = caps.replies.cell_size or (8, 16)
    transport = Transport.SHM if caps.replies.shm and not caps.ssh else Transport.DIRECT
    options = KittyOptions(transport, width, height, passthrough=caps.tmux and caps.passthrough, sync=caps.replies.sync)
    reason = verdict.reason if verdict.usable else f"kitty graphics (asked for; the probe said: {verdict.reason})"
    # The pump never wraps kitty frames in synchronized output: a chunked image inside DEC 2026 blanked a
    # real kitty's screen. The encoder brackets only its placeholder rewrite (KittyOptions.sync).
    plan = RenderPlan(RenderKind.KITTY, ColorMode(ColorSystem.TRUECOLOR, color.bits), sync=False, kitty=options)
    return DisplayChoice(plan, caps, f"{reason}, sent by {transport.value}")
