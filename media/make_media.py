"""Generate tuifeed's bundled sample library: procedural clips with yt-dlp style ``.info.json`` sidecars."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Image = npt.NDArray[np.uint32]  # packed RGBA pixels, little-endian: bytes R, G, B, A
FrameSource = Callable[["Clip", int, int], Iterator[Image]]

FPS = 30
SAMPLE_RATE = 44100
AUDIO_BITRATE = 56_000
VERTICAL = (360, 640)
LANDSCAPE = (640, 360)
TAU = 2 * np.pi
PIXEL = np.dtype("<u4")
BASE_TIME = datetime(2025, 3, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Clip:
    """One clip of the library: who posted it, how it looks and which sound it uses."""

    creator: str
    number: int
    title: str
    duration: float
    sound: str
    tags: tuple[str, ...]
    landscape: bool = False
    speed: float = 1.0
    direction: int = 1
    hue: float = 0.0
    variant: int = 0

    @property
    def slug(self) -> str:
        """File basename, e.g. ``oceanwaves-01``."""
        return f"{self.creator}-{self.number:02d}"

    @property
    def size(self) -> tuple[int, int]:
        """Frame width and height in pixels."""
        return LANDSCAPE if self.landscape else VERTICAL


# ---------------------------------------------------------------------------- colour helpers


def pack(rgb: Floats) -> Image:
    """Pack an ``(n, 3)`` array of 0..255 RGB values into ``n`` opaque packed pixels."""
    rgba = np.full((len(rgb), 4), 255, dtype=np.uint8)
    rgba[:, :3] = np.clip(np.rint(rgb), 0, 255)
    return rgba.view(PIXEL)[:, 0]


def hue_rotate(colors: list[tuple[int, int, int]], degrees: float = 0.0) -> Image:
    """Rotate RGB colours about the grey axis by ``degrees``; returns them as packed pixels."""
    a = np.radians(degrees)
    cross = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]) / np.sqrt(3)
    rot = np.cos(a) * np.eye(3) + np.sin(a) * cross + (1 - np.cos(a)) * np.full((3, 3), 1 / 3)
    return pack(np.asarray(colors, dtype=np.float64) @ rot.T)


def gradient(length: int, stops: list[tuple[float, tuple[int, int, int]]], hue: float = 0.0) -> Image:
    """Linear colour ramp of ``length`` entries through ``(position, colour)`` stops (positions 0..1)."""
    positions = [p for p, _ in stops]
    palette = hue_rotate([c for _, c in stops], hue).view(np.uint8).reshape(-1, 4).astype(np.float64)
    x = (np.arange(length) + 0.5) / length
    return pack(np.stack([np.interp(x, positions, palette[:, k]) for k in range(3)], axis=1))


def triangle(phase: float) -> float:
    """Triangle wave bouncing between 0 and 1 with period 2: used for wall-bouncing motion."""
    return abs(phase % 2.0 - 1.0)


def triangle_mask(
    xs: npt.NDArray[np.floating[Any]], ys: npt.NDArray[np.floating[Any]], corners: list[tuple[float, float]]
) -> npt.NDArray[np.bool_]:
    """Boolean mask of the points ``(xs, ys)`` (broadcastable grids) inside the given triangle."""
    signs = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        signs.append((x1 - x0) * (ys - y0) - (y1 - y0) * (xs - x0) >= 0)
    inside: npt.NDArray[np.bool_] = (signs[0] == signs[1]) & (signs[1] == signs[2])
    return inside


def frame_count(clip: Clip) -> int:
    """Number of video frames in ``clip``."""
    return round(clip.duration * FPS)


# ---------------------------------------------------------------------------- visual themes


def ocean_frames(clip: Clip, w: int, h: int) -> Iterator[Image]:
    """Blue/teal layered sine waves with white foam crests, scrolling sideways."""
    palette = hue_rotate(
        [(160, 228, 240), (40, 195, 205), (20, 150, 195), (15, 100, 170), (10, 60, 130), (5, 28, 80)],
        clip.hue,
    )
    foam = hue_rotate([(240, 252, 255)])[0]
    unit = min(w, h)
    xs = np.arange(w) / unit
    rows = np.arange(h, dtype=np.int16)[:, None]
    storm = 1.0 + 0.7 * clip.variant
    bases = np.linspace(0.2, 0.82, 5) * h
    amps = np.array([0.035, 0.045, 0.055, 0.065, 0.075]) * unit * storm
    freqs = np.array([1.3, 0.9, 1.6, 0.7, 1.1])
    rates = (0.2 + 0.12 * np.arange(5)) * clip.speed * clip.direction
    foam_px = int(0.03 * unit)
    for i in range(frame_count(clip)):
        t = i / FPS
        layer = np.zeros((h, w), dtype=np.uint8)
        crest = np.zeros((h, w), dtype=bool)
        for k in range(5):
            wave = bases[k] + amps[k] * np.sin(TAU * (freqs[k] * xs + rates[k] * t) + k)
            surface = wave.astype(np.int16)
            below = rows >= surface
            layer += below
            crest |= below & (rows < surface + foam_px)
        img = np.take(palette, layer)
        img[crest] = foam
        yield img


def neon_frames(clip: Clip, w: int, h: int) -> Iterator[Image]:
    """Magenta/cyan squares bouncing off the walls over a scrolling neon grid on black."""
    colors = hue_rotate([(255, 40, 200), (30, 235, 255), (150, 70, 255), (255, 255, 255)], clip.hue)
    grid_color, black = hue_rotate([(70, 0, 90), (0, 0, 0)], clip.hue)
    unit = min(w, h)
    spacing = unit // 4
    line = max(2, unit // 90)
    cols = (np.arange(w) % spacing) < line
    sizes = [int(unit * f) for f in (0.46, 0.38, 0.3, 0.22)][: 3 + clip.variant]
    starts = [(0.1, 0.3), (0.7, 0.9), (0.4, 1.5), (1.2, 0.2)]
    velocities = [(0.23, 0.17), (-0.19, 0.26), (0.31, -0.21), (-0.27, -0.33)]
    rows = np.arange(h)
    for i in range(frame_count(clip)):
        t = i / FPS * clip.speed
        img = np.full((h, w), black, dtype=PIXEL)
        img[:, cols] = grid_color
        offset = int(t * spacing * 0.8) * clip.direction
        img[((rows + offset) % spacing) < line] = grid_color
        for size, (x0, y0), (vx, vy), color in zip(sizes, starts, velocities, colors, strict=False):
            x = int(triangle(x0 + vx * t) * (w - size))
            y = int(triangle(y0 + vy * t) * (h - size))
            img[y : y + size, x : x + size] = color
            core = size // 3
            img[y + core : y + size - core, x + core : x + size - core] = black
        yield img


def forest_frames(clip: Clip, w: int, h: int) -> Iterator[Image]:
    """Green forest: parallax tree trunks drifting past under a wavy dark canopy."""
    unit = min(w, h)
    ground = int(h * 0.84)
    sky = gradient(
        h, [(0.0, (215, 240, 150)), (0.5, (110, 190, 80)), (0.84, (60, 130, 50)), (1.0, (30, 60, 20))], clip.hue
    )
    background = np.repeat(sky[:, None], w, axis=1)
    background[ground:] = hue_rotate([(55, 85, 30)], clip.hue)[0]
    trunks = hue_rotate([(95, 140, 80), (85, 65, 40), (50, 30, 15)], clip.hue)
    layers = [(0.05, 5, 0.08), (0.09, 3, 0.16), (0.16, 2, 0.3)]  # far to near: trunk width, count, speed
    canopy_color = hue_rotate([(20, 70, 25)], clip.hue)[0]
    canopy_h = int(h * 0.3)
    canopy_rows = np.arange(canopy_h)[:, None]
    xs = np.arange(w) / unit
    span = w / unit + 0.2
    for i in range(frame_count(clip)):
        t = i / FPS * clip.speed * clip.direction
        img = background.copy()
        for (width, count, speed), color in zip(layers, trunks, strict=True):
            for n in range(count):
                left = ((n / count) * span + 0.37 * width * n + speed * t) % span - 0.2
                x0, x1 = int(left * unit), int((left + width) * unit)
                img[:ground, max(x0, 0) : max(x1, 0)] = color
        edge = (0.16 + 0.05 * np.sin(TAU * (1.4 * xs + 0.3 * t)) + 0.03 * np.sin(TAU * (3.1 * xs - 0.2 * t))) * h
        img[:canopy_h][canopy_rows < edge] = canopy_color
        yield img


def sunset_frames(clip: Clip, w: int, h: int) -> Iterator[Image]:
    """Synthwave sunset: a striped sun sinking into an orange/purple sky over a rushing neon road."""
    unit = min(w, h)
    horizon = int(h * (0.5 if clip.landscape else 0.55))
    sky = gradient(horizon, [(0.0, (40, 10, 80)), (0.55, (170, 40, 130)), (1.0, (255, 150, 50))], clip.hue)
    plain_sky = np.repeat(sky[:, None], w, axis=1)
    radius = 0.36 * unit
    top = max(0, int(horizon - radius) - 1)
    sun_rows = np.arange(top, horizon, dtype=np.float64)[:, None]
    sun_colors = gradient(horizon - top, [(0.0, (255, 240, 120)), (0.6, (255, 200, 60)), (1.0, (255, 80, 110))])
    sun_image = np.repeat(sun_colors[:, None], w, axis=1)
    across = (np.arange(w)[None, :] - w / 2) ** 2
    depth = (np.arange(h - horizon) + 1.0)[:, None] / (h - horizon)
    z = 1.0 / (depth + 0.04)
    xs = np.arange(w)[None, :] - w / 2
    ground_colors = gradient(h - horizon, [(0.0, (50, 5, 70)), (1.0, (90, 20, 110))], clip.hue)
    ground_bg = np.repeat(ground_colors[:, None], w, axis=1)
    road_color, edge_color, dash_color, grid_color = hue_rotate(
        [(45, 40, 60), (40, 230, 255), (255, 215, 60), (255, 60, 200)], clip.hue
    )
    frames = frame_count(clip)
    for i in range(frames):
        t = i / FPS * clip.speed
        img = np.empty((h, w), dtype=PIXEL)
        img[:horizon] = plain_sky
        centre = horizon + 0.45 * radius * i / frames
        height = centre - sun_rows
        gap = (height < radius * 0.6) & ((height + 14 * t) % (0.11 * unit) < 0.035 * unit * (1 - height / radius))
        sun = (across + height**2 < radius**2) & ~gap
        img[top:horizon][sun] = sun_image[sun]
        sway = 0.15 * unit * np.sin(0.6 * t) * clip.variant * (1 - depth) ** 2
        dx = np.abs(xs - sway)
        half = (0.03 + 0.6 * depth) * unit
        ground = ground_bg.copy()
        scroll = (z * 0.5 + clip.direction * 1.2 * t) % 1.0
        ground[(scroll < 0.12) & (dx > half)] = grid_color
        ground[dx < half] = road_color
        ground[(dx >= half * 0.9) & (dx < half)] = edge_color
        ground[(scroll < 0.5) & (dx < half * 0.05)] = dash_color
        img[horizon:] = ground
        yield img


def cats_frames(clip: Clip, w: int, h: int) -> Iterator[Image]:
    """Yellow scrolling checkerboard with a big bouncing cat head (ears, eyes, nose)."""
    unit = min(w, h)
    tile = unit // 5
    board = hue_rotate([(255, 215, 0), (200, 130, 0)], clip.hue)
    fur = hue_rotate([(235, 100, 20), (35, 30, 45), (250, 250, 250)])[clip.variant]
    eye = hue_rotate([(40, 140, 40), (120, 230, 60), (60, 140, 255)])[clip.variant]
    nose = hue_rotate([(255, 120, 160)])[0]
    radius = 0.24 * unit
    box_x = np.arange(-int(radius) - 1, int(radius) + 2)[None, :]
    box_y = np.arange(-int(1.4 * radius) - 1, int(radius) + 2)[:, None]
    columns, rows = np.arange(w), np.arange(h)
    for i in range(frame_count(clip)):
        t = i / FPS * clip.speed
        shift = int(t * tile * 0.9)
        checker = ((columns + shift * clip.direction) // tile % 2)[None, :] ^ ((rows + shift) // tile % 2)[:, None]
        img = np.take(board, checker)
        cx = radius * 1.1 + triangle(0.3 + 0.22 * t * clip.direction) * (w - 2.2 * radius)
        cy = h - radius * 1.1 - abs(np.sin(np.pi * 0.9 * t)) * (h - 3.0 * radius)
        x0, y0 = int(cx), int(cy)
        dx, dy = box_x + (x0 - cx), box_y + (y0 - cy)
        head = dx**2 + dy**2 < radius**2
        for side in (-1, 1):
            ear = [(side * 0.95 * radius, -0.35 * radius), (side * 0.75 * radius, -1.35 * radius)]
            ear.append((side * 0.15 * radius, -0.9 * radius))
            head |= triangle_mask(dx, dy, ear)
        face = img[y0 + box_y[0, 0] : y0 + box_y[-1, 0] + 1, x0 + box_x[0, 0] : x0 + box_x[0, -1] + 1]
        face[head] = fur
        for side in (-1, 1):
            face[(dx - side * 0.4 * radius) ** 2 + (dy + 0.1 * radius) ** 2 < (0.2 * radius) ** 2] = eye
        face[(dx**2 + (dy - 0.35 * radius) ** 2) < (0.12 * radius) ** 2] = nose
        yield img


def candy_frames(clip: Clip, w: int, h: int) -> Iterator[Image]:
    """Pink/white/mint candy spiral spinning around the centre."""
    unit = min(w, h)
    palette = hue_rotate([(255, 70, 160), (255, 245, 250), (70, 220, 180), (255, 245, 250)], clip.hue)
    lookup = np.concatenate([palette, palette[:1]])  # float rounding can give an index of len(palette)
    ys, xs = np.ogrid[:h, :w]
    dx, dy = (xs - w / 2) / unit, (ys - h / 2) / unit
    arms = 2 + clip.variant
    phase = ((arms * np.arctan2(dy, dx) + 7.0 * np.hypot(dx, dy)) / TAU * len(palette)).astype(np.float32)
    for i in range(frame_count(clip)):
        turn = np.float32(clip.direction * clip.speed * 0.29 * len(palette) * i / FPS)
        bands = (phase - turn) % np.float32(len(palette))
        yield np.take(lookup, bands.astype(np.uint8))


THEMES: dict[str, tuple[str, FrameSource]] = {
    "oceanwaves": ("Ocean Waves", ocean_frames),
    "neonarcade": ("Neon Arcade", neon_frames),
    "forestwalk": ("Forest Walk", forest_frames),
    "sunsetdrive": ("Sunset Drive", sunset_frames),
    "pixelcats": ("Pixel Cats", cats_frames),
    "candyswirl": ("Candy Swirl", candy_frames),
}


# ---------------------------------------------------------------------------- sounds


def midi(note: float) -> float:
    """Frequency in Hz of a MIDI note number."""
    return float(440.0 * 2 ** ((note - 69) / 12))


def sequence(
    notes: list[float | None], step: float, t: Floats, wave: Callable[[Floats], Floats], decay: float
) -> Floats:
    """Play ``notes`` (MIDI numbers, ``None`` = rest) ``step`` seconds apart, looping, with plucked envelopes."""
    freqs = np.array([0.0 if n is None else midi(n) for n in notes])
    index = (t // step).astype(np.intp) % len(notes)
    freq = freqs[index]
    phase = TAU * np.cumsum(freq) / SAMPLE_RATE
    local = t % step
    envelope = np.exp(-local / decay) * np.minimum(1.0, local / 0.004)
    out: Floats = wave(phase) * envelope * (freq > 0)
    return out


def square(phase: Floats) -> Floats:
    """Softened square wave."""
    return np.tanh(3.0 * np.sin(phase))


def saw(phase: Floats) -> Floats:
    """Sawtooth wave."""
    return 2.0 * ((phase / TAU) % 1.0) - 1.0


def kick(t: Floats, beat: float) -> Floats:
    """Sine kick drum with a pitch drop every ``beat`` seconds."""
    local = t % beat
    sweep = 45 * local + 105 * 0.03 * (1 - np.exp(-local / 0.03))  # 150 Hz falling to 45 Hz
    return np.sin(TAU * sweep) * np.exp(-local / 0.12)


def shaped_noise(n: int, low: float, high: float, seed: int) -> Floats:
    """Deterministic noise band-limited to ``low``..``high`` Hz with a pink-ish slope."""
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum *= ((freqs > low) & (freqs < high)) / np.sqrt(np.maximum(freqs, 1.0))
    noise = np.fft.irfft(spectrum, n)
    out: Floats = noise / np.max(np.abs(noise))
    return out


def lofi_track(t: Floats) -> Floats:
    """Sound "lofi-3": three soft seventh chords at 72 BPM with a muffled kick and vinyl crackle."""
    bar = 4 * 60 / 72
    chords = [(50, 53, 57, 60), (43, 55, 59, 65), (48, 52, 55, 59)]  # Dm7, G7, Cmaj7
    index = (t // bar).astype(np.intp) % len(chords)
    local = t % bar
    envelope = (1 - np.exp(-local / 0.15)) * np.exp(-local / 2.2)
    pad = np.zeros_like(t)
    for voice in range(4):
        freq = np.array([midi(c[voice] + 12) for c in chords])[index]
        phase = TAU * np.cumsum(freq) / SAMPLE_RATE
        pad += np.sin(phase) + 0.3 * np.sin(2 * phase * 1.003)
    crackle: Floats = np.where(np.random.default_rng(3).random(t.size) > 0.9993, 0.3, 0.0)
    mix: Floats = 0.12 * pad * envelope + 0.5 * kick(t, bar / 2) + crackle
    return mix


def synthwave_track(t: Floats) -> Floats:
    """Sound "synthwave-drive": 112 BPM sawtooth arpeggio in A minor over a pulsing bass and kick."""
    beat = 60 / 112
    roots = [57, 53, 48, 55]  # Am F C G, one bar each
    arp: list[float | None] = []
    for root in roots:
        third = 3 if root == 57 else 4
        arp += [root + off for off in (0, third, 7, 12, 7, third, 12, 19)] * 2
    lead = sequence(arp, beat / 4, t, saw, 0.09)
    bass = sequence([float(r - 24) for r in roots for _ in range(8)], beat / 2, t, np.sin, 0.25)
    return 0.3 * lead + 0.6 * bass + 0.6 * kick(t, beat)


def ocean_track(t: Floats) -> Floats:
    """Sound "ocean-ambience": swelling filtered-noise surf over a low drone."""
    surf = shaped_noise(t.size, 60, 2500, 11)
    hiss = shaped_noise(t.size, 1500, 7000, 12)
    swell = (0.5 + 0.5 * np.sin(TAU * t / 5.5 - np.pi / 2)) ** 2
    drone = np.sin(TAU * 55 * t) + 0.5 * np.sin(TAU * 82.5 * t)
    return surf * (0.15 + swell) + 0.3 * hiss * swell**3 + 0.05 * drone


def chiptune_track(t: Floats) -> Floats:
    """Sound "chiptune-bounce": 150 BPM square-wave melody in C major with octave bass and noise hats."""
    step = 60 / 150 / 2
    melody: list[float | None] = [72, 76, 79, 76, 81, 79, 76, None, 74, 77, 81, 77, 79, None, 72, None]
    lead = sequence(melody, step, t, square, 0.16)
    bass = sequence([48, 60, 48, 60, 53, 65, 55, 67], step, t, square, 0.1)
    hats = shaped_noise(t.size, 5000, 12000, 5) * np.exp(-(t % step) / 0.02)
    return 0.35 * lead + 0.25 * bass + 0.25 * hats


def birds_track(t: Floats) -> Floats:
    """Sound "forest-birds": trilling chirps scattered over a soft wind bed."""
    out = 0.25 * shaped_noise(t.size, 80, 800, 21) * (0.6 + 0.4 * np.sin(TAU * t / 7.0))
    rng = np.random.default_rng(22)
    start = 0.3
    while start < t[-1]:
        base = rng.uniform(2200, 4200)
        for _ in range(rng.integers(2, 5)):
            length = rng.uniform(0.06, 0.15)
            i0, i1 = int(start * SAMPLE_RATE), int((start + length) * SAMPLE_RATE)
            local = t[i0:i1] - start
            sweep = base * (1 + 0.35 * local / length) + 300 * np.sin(TAU * 35 * local)
            phase = TAU * np.cumsum(sweep) / SAMPLE_RATE
            out[i0:i1] += 0.5 * np.sin(phase) * np.sin(np.pi * local / length) ** 2
            start += length + rng.uniform(0.03, 0.09)
        start += rng.uniform(0.4, 1.6)
    return out


SOUNDS: dict[str, tuple[str, Callable[[Floats], Floats], str]] = {
    # track: (artist, synth, hashtag)
    "lofi-3": ("Dusty Keys", lofi_track, "lofi"),
    "synthwave-drive": ("Night Runner", synthwave_track, "synthwave"),
    "ocean-ambience": ("Field Recorder", ocean_track, "ambient"),
    "chiptune-bounce": ("8bit Buddy", chiptune_track, "chiptune"),
    "forest-birds": ("Field Recorder", birds_track, "ambient"),
}


def render_sound(name: str, duration: float) -> npt.NDArray[np.float32]:
    """The first ``duration`` seconds of sound ``name``, faded at both ends, levelled to -20 dBFS RMS.

    The gain is capped so peaks stay at or below -3 dBFS.
    """
    n = round(duration * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    audio = SOUNDS[name][1](t)
    fade = np.minimum(1.0, np.minimum(t / 0.02, (duration - t) / 0.4))
    audio = audio * fade
    gain = min(0.1 / np.sqrt(np.mean(audio**2)), 0.7 / np.max(np.abs(audio)))
    levelled: npt.NDArray[np.float32] = (gain * audio).astype(np.float32)
    return levelled


# ---------------------------------------------------------------------------- library definition

CLIPS = [
    Clip("oceanwaves", 1, "Morning swell at the reef", 12.0, "ocean-ambience", ("ocean", "waves", "calm")),
    Clip("oceanwaves", 2, "Teal tide in slow motion", 7.5, "lofi-3", ("ocean", "waves", "chill"),
         speed=0.6, direction=-1, hue=-25),
    Clip("oceanwaves", 3, "Storm rolling in", 16.0, "ocean-ambience", ("ocean", "waves", "storm"),
         landscape=True, speed=1.8, hue=15, variant=1),
    Clip("neonarcade", 1, "Bounce level 1", 9.0, "chiptune-bounce", ("neon", "arcade", "retro")),
    Clip("neonarcade", 2, "Midnight high score", 14.5, "synthwave-drive", ("neon", "arcade", "retro"),
         speed=1.5, direction=-1, variant=1),
    Clip("neonarcade", 3, "Insert coin", 6.0, "chiptune-bounce", ("neon", "arcade", "gaming"),
         landscape=True, speed=2.2, hue=25),
    Clip("forestwalk", 1, "Sunday trail with birdsong", 18.0, "forest-birds", ("forest", "nature", "calm")),
    Clip("forestwalk", 2, "Pines at golden hour", 10.5, "lofi-3", ("forest", "nature", "chill"),
         direction=-1, hue=25, speed=0.7),
    Clip("forestwalk", 3, "Deep woods drift", 13.0, "forest-birds", ("forest", "nature", "hiking"),
         landscape=True, speed=1.8, hue=-15),
    Clip("sunsetdrive", 1, "Coast road at dusk", 15.0, "synthwave-drive", ("sunset", "roadtrip", "retro")),
    Clip("sunsetdrive", 2, "Last light on the highway", 8.5, "synthwave-drive", ("sunset", "roadtrip", "chill"),
         speed=1.7, hue=-20, variant=1),
    Clip("sunsetdrive", 3, "The whole drive, no stops", 20.0, "synthwave-drive", ("sunset", "roadtrip", "retro"),
         landscape=True, speed=1.2, hue=10, variant=1),
    Clip("pixelcats", 1, "Ginger goes boing", 6.5, "chiptune-bounce", ("cats", "pixelart", "funny")),
    Clip("pixelcats", 2, "Midnight cat nap", 11.0, "lofi-3", ("cats", "pixelart", "chill"),
         speed=0.6, direction=-1, variant=1),
    Clip("pixelcats", 3, "Snowball zoomies", 9.5, "chiptune-bounce", ("cats", "pixelart", "gaming"),
         landscape=True, speed=1.8, hue=-8, variant=2),
    Clip("candyswirl", 1, "Peppermint spin", 5.0, "lofi-3", ("candy", "satisfying", "hypnotic")),
    Clip("candyswirl", 2, "Bubblegum vortex", 17.0, "chiptune-bounce", ("candy", "satisfying", "funny"),
         speed=1.4, direction=-1, hue=30, variant=1),
]  # fmt: skip


# ---------------------------------------------------------------------------- encoding


def encode(clip: Clip, path: Path) -> None:
    """Write ``clip`` as an H.264/AAC faststart mp4 at ``path``."""
    width, height = clip.size
    audio = render_sound(clip.sound, clip.duration)
    with av.open(str(path), "w", options={"movflags": "+faststart"}) as container:
        container.metadata.update({"title": clip.title, "artist": THEMES[clip.creator][0]})
        video = container.add_stream(
            "libx264",
            rate=FPS,
            options={
                "preset": "veryfast",
                "crf": "27",
                "maxrate": "450k",
                "bufsize": "900k",
                "threads": "1",
                "x264-params": "keyint=60:min-keyint=30",
            },
        )
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        sound = container.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
        sound.bit_rate = AUDIO_BITRATE
        chunk = 1024
        written = 0
        for index, image in enumerate(THEMES[clip.creator][1](clip, width, height)):
            frame = av.VideoFrame.from_ndarray(image.view(np.uint8).reshape(height, width, 4), format="rgba")
            frame.pts = index
            container.mux(video.encode(frame))
            due = min(audio.size, round((index + 1) / FPS * SAMPLE_RATE))
            while written < due:
                samples = audio[written : written + chunk]
                aframe = av.AudioFrame.from_ndarray(samples[None, :], format="fltp", layout="mono")
                aframe.sample_rate, aframe.pts = SAMPLE_RATE, written
                container.mux(sound.encode(aframe))
                written += samples.size
        container.mux(video.encode(None))
        container.mux(sound.encode(None))


def probe_duration(path: Path) -> float:
    """Container duration of ``path`` in seconds."""
    with av.open(str(path)) as container:
        return round((container.duration or 0) / 1_000_000, 3)


def sidecar(clip: Clip, duration: float) -> dict[str, Any]:
    """yt-dlp style ``.info.json`` metadata for ``clip``."""
    digest = hashlib.sha256(clip.slug.encode()).digest()
    seed = int.from_bytes(digest[:8], "big")
    rng = np.random.default_rng(seed)
    clip_id = digest.hex()[:11]
    uploaded = BASE_TIME + timedelta(days=3 * CLIPS.index(clip), seconds=int(rng.integers(6 * 3600, 22 * 3600)))
    views = int(10 ** rng.uniform(3.3, 6.3))
    artist, _, sound_tag = SOUNDS[clip.sound]
    tags = [*clip.tags, sound_tag]
    width, height = clip.size
    return {
        "id": clip_id,
        "extractor_key": "Generated",
        "title": clip.title,
        "uploader": THEMES[clip.creator][0],
        "channel": clip.creator,
        "uploader_id": f"@{clip.creator}",
        "tags": tags,
        "description": f"{clip.title} " + " ".join(f"#{tag}" for tag in tags),
        "track": clip.sound,
        "artist": artist,
        "duration": duration,
        "upload_date": uploaded.strftime("%Y%m%d"),
        "timestamp": int(uploaded.timestamp()),
        "view_count": views,
        "like_count": int(views * rng.uniform(0.02, 0.14)),
        "webpage_url": f"https://example.invalid/@{clip.creator}/video/{clip_id}",
        "width": width,
        "height": height,
        "fps": float(FPS),
        "ext": "mp4",
    }


def build(clip: Clip, out: Path) -> tuple[str, float, int]:
    """Encode ``clip`` and its sidecar into ``out``; returns slug, duration and file size."""
    path = out / f"{clip.slug}.mp4"
    encode(clip, path)
    duration = probe_duration(path)
    info = json.dumps(sidecar(clip, duration), indent=2, ensure_ascii=False)
    (out / f"{clip.slug}.info.json").write_text(info + "\n", encoding="utf-8")
    return clip.slug, duration, path.stat().st_size


def main() -> None:
    """Command-line entry point: regenerate every clip into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output directory")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="clips encoded in parallel")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(build, CLIPS, [args.out] * len(CLIPS)))
    for slug, duration, size in results:
        print(f"{slug:16} {duration:6.2f} s {size / 1e6:5.2f} MB")
    total = sum(size for _, _, size in results)
    print(f"{len(results)} clips, {total / 1e6:.2f} MB in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
