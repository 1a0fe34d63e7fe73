"""A clip's content fingerprint: a colour/motion signature of a few frames plus a text signature.

Layout of the EMBEDDING_DIMS floats stored in `Clip.embedding` (float32 in the store):

- 0-11   hue histogram, 12 bins of 30 degrees weighted by saturation, summing to 1 (0 when grey);
- 12     mean luma, 13 luma contrast (standard deviation), 14 mean saturation, all in 0..1;
- 15     motion: mean absolute difference between the first frame and the one MOTION_GAP frames on, 0..1;
- 16-63  text: signed feature hashing (CRC-32) of the words of title, description and tags (tags count
         twice, each whole tag also counts as one token), L2-normalised (all 0 without text).

Cost: the visual part needs three 32x32 thumbnails from the probe (the first frames and one keyframe
seek); the decoding is most of the probe's ~9 ms per short clip, the numpy here is ~0.1 ms, the text
hashing ~20 us. Cosine similarity over the whole vector, or over either part, compares clips.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

HUE_BINS = 12
VISUAL_DIMS = 16
TEXT_DIMS = 48
EMBEDDING_DIMS = VISUAL_DIMS + TEXT_DIMS

_WORD = re.compile(r"\w+")


def visual_signature(thumbnails: Sequence[npt.NDArray[np.uint8]]) -> npt.NDArray[np.float32]:
    """Colour and motion of RGB thumbnails (first, first + MOTION_GAP, middle), VISUAL_DIMS floats."""
    signature = np.zeros(VISUAL_DIMS, np.float32)
    if not thumbnails:
        return signature
    rgb = np.stack([thumb.astype(np.float32) / 255.0 for thumb in thumbnails]).reshape(-1, 3)
    high, low = rgb.max(axis=1), rgb.min(axis=1)
    chroma = high - low
    saturation = np.divide(chroma, high, out=np.zeros_like(high), where=high > 0)
    red, green, blue = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    safe = np.where(chroma > 0, chroma, 1.0)
    hue = np.select(
        [high == red, high == green],
        [((green - blue) / safe) % 6.0, (blue - red) / safe + 2.0],
        (red - green) / safe + 4.0,
    )
    bins = np.minimum((hue * HUE_BINS / 6.0).astype(np.int64), HUE_BINS - 1)
    histogram = np.bincount(bins, weights=saturation * (chroma > 0), minlength=HUE_BINS)
    total = histogram.sum()
    if total > 0:
        signature[:HUE_BINS] = histogram / total
    luma = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    signature[12] = luma.mean()
    signature[13] = luma.std()
    signature[14] = saturation.mean()
    if len(thumbnails) > 1:
        first, second = (thumb.astype(np.float32) / 255.0 for thumb in thumbnails[:2])
        signature[15] = np.abs(first - second).mean()
    return signature


def text_signature(title: str, description: str, tags: Iterable[str]) -> npt.NDArray[np.float32]:
    """Signed hashed bag of words of the clip's text, TEXT_DIMS floats, unit length (or all zero)."""
    tags = list(tags)
    tokens = _WORD.findall(f"{title} {description}".casefold())
    for tag in tags:
        words = _WORD.findall(tag.casefold())
        tokens.extend(words * 2)
        tokens.append(tag.casefold())
    signature = np.zeros(TEXT_DIMS, np.float32)
    for token in tokens:
        code = zlib.crc32(token.encode())
        signature[code % TEXT_DIMS] += 1.0 if code & 0x8000_0000 else -1.0
    norm = float(np.linalg.norm(signature))
    return signature / norm if norm > 0 else signature


def embedding(
    thumbnails: Sequence[npt.NDArray[np.uint8]], title: str, description: str, tags: Iterable[str]
) -> tuple[float, ...]:
    """The full EMBEDDING_DIMS-float fingerprint stored in `Clip.embedding`."""
    vector = np.concatenate([visual_signature(thumbnails), text_signature(title, description, tags)])
    return tuple(float(value) for value in vector)
