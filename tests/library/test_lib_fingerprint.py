"""The fingerprint: fixed layout, colour and motion react to the frames, text is stable and normalised."""

from __future__ import annotations

import numpy as np

from tuifeed.library.fingerprint import EMBEDDING_DIMS, HUE_BINS, TEXT_DIMS, embedding, text_signature, visual_signature


def _frame(rgb: tuple[int, int, int]) -> np.ndarray:
    return np.tile(np.array(rgb, np.uint8), (32, 32, 1))


def test_layout_and_hue() -> None:
    """Pure red fills the first hue bin; a second, different frame shows motion."""
    signature = visual_signature([_frame((255, 0, 0)), _frame((0, 0, 255))])
    assert signature[0] == 0.5 and signature[8] == 0.5
    assert signature[:HUE_BINS].sum() == 1.0
    assert signature[15] > 0.6
    still = visual_signature([_frame((10, 200, 10)), _frame((10, 200, 10))])
    assert still[15] == 0.0 and still[4] == 1.0


def test_grey_has_no_hue_and_no_frames_is_zero() -> None:
    """Grey frames leave the hue histogram empty; no frames give an all-zero visual part."""
    grey = visual_signature([_frame((128, 128, 128))])
    assert grey[:HUE_BINS].sum() == 0.0 and abs(grey[12] - 128 / 255) < 1e-6
    assert not visual_signature([]).any()


def test_text_signature_is_stable_and_unit_length() -> None:
    """The same words give the same vector (no per-process hashing); it has unit length."""
    first = text_signature("Borzoi zoomies", "so fast", ["dogs"])
    assert np.allclose(first, text_signature("borzoi ZOOMIES", "so fast", ["Dogs"]))
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-6
    assert first.shape == (TEXT_DIMS,)
    assert not text_signature("", "", []).any()


def test_embedding_length() -> None:
    """The stored embedding always has EMBEDDING_DIMS floats."""
    assert len(embedding([], "", "", [])) == EMBEDDING_DIMS
