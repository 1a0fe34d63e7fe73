"""The kitty graphics encoder: escape codes to the letter of the protocol, placeholders, alternating ids."""

from __future__ import annotations

import base64
import os
import re
import zlib

import numpy as np
import pytest
from pyte_screen import new_screen

from tuifeed.render import ColorMode, ColorSystem
from tuifeed.render.kitty import (
    CHUNK,
    MAX_CELLS,
    PLACEHOLDER,
    UNTAKEN,
    KittyEncoder,
    KittyOptions,
    Transport,
    graphics,
    image_color,
    placeholder_row,
    transmit_direct,
)
from tuifeed.terminal.passthrough import wrap_passthrough

APC = re.compile(rb"\x1b_G([^;\x1b]*)(?:;([^\x1b]*))?\x1b\\")
ROW0, ROW1, ROW2 = "\u0305", "\u030d", "\u030e"


def codes(data: bytes) -> list[tuple[dict[str, str], bytes]]:
    """Every graphics code in ``data``: its control keys and payload."""
    out = []
    for match in APC.finditer(data):
        control = dict(pair.split("=", 1) for pair in match[1].decode().split(","))
        out.append((control, match[2] or b""))
    return out


def bgrx(height: int, width: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)


def test_graphics_code_shape() -> None:
    """ESC _ G control ; payload ESC \\ (no ';' without payload)."""
    assert graphics("a=d,d=i,i=5") == b"\x1b_Ga=d,d=i,i=5\x1b\\"
    assert graphics("m=0", b"QUJD") == b"\x1b_Gm=0;QUJD\x1b\\"


def test_direct_transmission_is_chunked_zlib_rgb() -> None:
    """Chunks of at most 4096 base64 bytes, multiples of 4 but the last; keys on the first only; m=1 then m=0."""
    rgb = np.random.default_rng(2).integers(0, 256, 40_000, dtype=np.uint8).tobytes()
    sent = codes(transmit_direct(77, rgb, 100, 133, 20, 10))
    assert len(sent) > 2
    first, *rest = sent
    assert first[0] == {
        "a": "T", "U": "1", "f": "24", "o": "z", "s": "100", "v": "133", "i": "77", "c": "20", "r": "10",
        "q": "2", "m": "1",
    }  # fmt: skip
    assert [control for control, _ in rest[:-1]] == [{"m": "1"}] * (len(rest) - 1)
    assert rest[-1][0] == {"m": "0"}
    payloads = [payload for _, payload in sent]
    assert all(len(p) <= CHUNK and len(p) % 4 == 0 for p in payloads[:-1])
    assert zlib.decompress(base64.standard_b64decode(b"".join(payloads))) == rgb


def test_passthrough_doubles_escapes() -> None:
    """tmux passthrough: DCS tmux; with every ESC doubled, then ST."""
    assert wrap_passthrough(b"\x1b_Ga=q\x1b\\") == b"\x1bPtmux;\x1b\x1b_Ga=q\x1b\x1b\\\x1b\\"


def test_placeholder_rows() -> None:
    """Explicit: every cell numbered (row, column); implicit: only the first, the rest inferred."""
    assert placeholder_row(1, 3, explicit=True) == PLACEHOLDER.join(["", ROW1 + ROW0, ROW1 + ROW1, ROW1 + ROW2])
    assert placeholder_row(2, 3, explicit=False) == PLACEHOLDER + ROW2 + ROW0 + PLACEHOLDER * 2
    with pytest.raises(ValueError, match="at most"):
        placeholder_row(MAX_CELLS, 2, explicit=True)


def test_image_id_is_the_foreground() -> None:
    """A 24-bit id is the truecolor foreground of its placeholders."""
    assert image_color(0x123456) == (0x12, 0x34, 0x56)


def test_frames_alternate_between_two_ids_and_switch_the_placeholders() -> None:
    """Frame n goes to one id, frame n+1 to the other; the cells are rewritten to name the new one."""
    encoder = KittyEncoder(KittyOptions(cell_width=10, cell_height=20), ColorMode())
    fit = encoder.fit(1280, 720, 30, 10)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])
    ids = []
    for _ in range(3):
        data = encoder.encode(frame, fit, left=2, top=1, direct=True)
        (control, _), *_ = codes(data)
        ids.append(int(control["i"]))
        red, green, blue = image_color(ids[-1])
        assert f"\x1b[38;2;{red};{green};{blue}m".encode() in data
    assert ids[0] == ids[2] != ids[1]
    assert {int(c["i"]) for c, _ in codes(data) if "i" in c} == {ids[2]}


def test_placeholders_land_in_the_box_pyte_shows() -> None:
    """The cells written after the image codes put one placeholder in every cell of the fitted box."""
    encoder = KittyEncoder(KittyOptions(cell_width=10, cell_height=20), ColorMode())
    fit = encoder.fit(640, 360, 24, 8)
    data = encoder.encode(bgrx(fit.pixel_size[1], fit.pixel_size[0]), fit, left=3, top=2, direct=True)
    screen, stream = new_screen(40, 14)
    stream.feed(APC.sub(b"", data))
    picture = encoder.picture()
    assert picture is not None
    colour = "%02x%02x%02x" % image_color(picture.image_id)  # noqa: UP031
    cells = [(y, x) for y in range(14) for x in range(40) if screen.buffer[y][x].data.startswith(PLACEHOLDER)]
    assert len(cells) == fit.cols * fit.rows
    assert min(cells) == (2 + fit.y, 3 + fit.x)
    assert all(screen.buffer[y][x].fg == colour for y, x in cells)


def test_fit_uses_the_cell_aspect_and_real_pixels() -> None:
    """10x20 px cells hold a 16:9 clip in 2:1-shaped cells, decoded at up to the cells' pixel size."""
    encoder = KittyEncoder(KittyOptions(Transport.SHM, cell_width=10, cell_height=20, max_width=4000), ColorMode())
    fit = encoder.fit(1920, 1080, 80, 24)
    assert (fit.cols, fit.rows) == (80, 22)
    assert fit.pixel_size == (800, 440)
    direct = KittyEncoder(KittyOptions(Transport.DIRECT, 10, 20, direct_pixels_per_cell=4), ColorMode())
    assert direct.fit(1920, 1080, 80, 24).pixel_size == (320, 176)


def test_shared_memory_names_an_object_holding_the_rgb() -> None:
    """t=s: the payload is the name of a /dev/shm object with the frame as RGB (the terminal unlinks it)."""
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm on this system")
    encoder = KittyEncoder(KittyOptions(Transport.SHM), ColorMode())
    fit = encoder.fit(64, 32, 8, 4)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])
    (control, payload), *_ = codes(encoder.encode(frame, fit, 0, 0, direct=False))
    name = base64.standard_b64decode(payload).decode()
    path = os.path.join("/dev/shm", name)
    try:
        assert control["t"] == "s" and int(control["S"]) == frame.shape[0] * frame.shape[1] * 3
        with open(path, "rb") as shared:
            assert shared.read() == np.ascontiguousarray(frame[..., 2::-1]).tobytes()
    finally:
        os.unlink(path)


def test_covered_frames_send_only_the_image() -> None:
    """Not direct: the image codes but no cells (Textual repaints the placeholders, naming the new id)."""
    encoder = KittyEncoder(KittyOptions(), ColorMode())
    fit = encoder.fit(64, 32, 8, 4)
    data = encoder.encode(bgrx(fit.pixel_size[1], fit.pixel_size[0]), fit, 0, 0, direct=False)
    assert APC.sub(b"", data) == b""
    picture = encoder.picture()
    assert picture is not None
    ((text, fg, _),) = picture.spans(0, background=False)
    assert text == placeholder_row(0, fit.cols, explicit=True) and fg == picture.image_id


def test_under_a_modal_the_picture_is_half_blocks() -> None:
    """A modal screen tints what is under it (which would change the id): the spans become ▀ cells."""
    encoder = KittyEncoder(KittyOptions(), ColorMode(ColorSystem.ANSI256))
    fit = encoder.fit(64, 32, 8, 4)
    encoder.encode(bgrx(fit.pixel_size[1], fit.pixel_size[0]), fit, 0, 0, direct=False)
    picture = encoder.picture()
    assert picture is not None and picture.system is ColorSystem.TRUECOLOR
    spans = picture.spans(0, background=True)
    assert "".join(text for text, _, _ in spans) == "▀" * fit.cols


def test_shared_memory_keeps_one_id_and_writes_the_placeholders_once() -> None:
    """Through shared memory every frame reuses one id; the cells go out again only when the box moves."""
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm on this system")
    encoder = KittyEncoder(KittyOptions(Transport.SHM, cell_width=10, cell_height=20), ColorMode())
    fit = encoder.fit(640, 360, 24, 8)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])
    sent = [encoder.encode(frame, fit, left=2, top=1, direct=True) for _ in range(3)]
    encoder.forget()
    sent.append(encoder.encode(frame, fit, left=2, top=1, direct=True))
    sent.append(encoder.encode(frame, fit, left=3, top=1, direct=True))
    try:
        ids = {int(control["i"]) for data in sent for control, _ in codes(data)}
        assert len(ids) == 1
        with_cells = [PLACEHOLDER.encode() in data for data in sent]
        assert with_cells == [True, False, False, True, True]
        assert all(APC.sub(b"", data) == b"" for data, cells in zip(sent, with_cells, strict=True) if not cells)
    finally:
        for data in sent:
            (_, payload), *_ = codes(data)
            os.unlink(os.path.join("/dev/shm", base64.standard_b64decode(payload).decode()))


@pytest.mark.parametrize("transport", [Transport.SHM, Transport.FILE])
def test_an_unsent_frame_takes_its_memory_with_it(transport: Transport) -> None:
    """unsent() removes the object or file the last frame named; what was sent before is the terminal's."""
    if transport is Transport.SHM and not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm on this system")
    encoder = KittyEncoder(KittyOptions(transport), ColorMode())
    fit = encoder.fit(64, 32, 8, 4)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])

    def named(data: bytes) -> str:
        (_, payload), *_ = codes(data)
        name = base64.standard_b64decode(payload).decode()
        return name if transport is Transport.FILE else os.path.join("/dev/shm", name)

    kept = named(encoder.encode(frame, fit, 0, 0, direct=True))
    dropped = named(encoder.encode(frame, fit, 0, 0, direct=True))
    encoder.unsent()
    encoder.unsent()  # twice is harmless, and never reaches back to the frame sent before
    try:
        assert os.path.exists(kept) and not os.path.exists(dropped)
        assert PLACEHOLDER.encode() in encoder.encode(frame, fit, 0, 0, direct=True), "cells resent after a drop"
    finally:
        os.unlink(kept)
        encoder.unsent()


def test_objects_the_terminal_never_takes_are_removed() -> None:
    """tmux drops passthrough codes when its terminal lags: an object not taken goes ``UNTAKEN`` frames on,
    and every one left goes at farewell; one the terminal took (unlinked) is no error."""
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm on this system")
    encoder = KittyEncoder(KittyOptions(Transport.SHM, passthrough=True), ColorMode())
    fit = encoder.fit(64, 32, 8, 4)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])

    def named(data: bytes) -> str:
        (_, payload), *_ = codes(data.replace(b"\x1b\x1b", b"\x1b"))
        return os.path.join("/dev/shm", base64.standard_b64decode(payload).decode())

    paths = [named(encoder.encode(frame, fit, 0, 0, direct=True)) for _ in range(UNTAKEN + 2)]
    try:
        os.unlink(paths[-1])  # the terminal took the last one
        assert [os.path.exists(path) for path in paths] == [False, False] + [True] * (UNTAKEN - 1) + [False]
        encoder.farewell()
        assert not any(os.path.exists(path) for path in paths)
    finally:
        for path in paths:
            if os.path.exists(path):
                os.unlink(path)


def test_a_short_write_to_shared_memory_is_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.write may take part of the frame: the rest is written, the object holds the whole frame."""
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm on this system")
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data)[:1000]))
    encoder = KittyEncoder(KittyOptions(Transport.SHM), ColorMode())
    fit = encoder.fit(640, 360, 24, 8)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])
    (control, payload), *_ = codes(encoder.encode(frame, fit, 0, 0, direct=False))
    monkeypatch.undo()
    path = os.path.join("/dev/shm", base64.standard_b64decode(payload).decode())
    try:
        with open(path, "rb") as shared:
            assert shared.read() == np.ascontiguousarray(frame[..., 2::-1]).tobytes()
        assert int(control["S"]) > 1000
    finally:
        os.unlink(path)


def test_farewell_deletes_every_image_the_encoder_made() -> None:
    """a=d,d=I (data and placements) for each id used, none before the first frame; wrapped for tmux."""
    encoder = KittyEncoder(KittyOptions(passthrough=True), ColorMode())
    assert encoder.farewell() == b""
    fit = encoder.fit(64, 32, 8, 4)
    frame = bgrx(fit.pixel_size[1], fit.pixel_size[0])
    sent = [encoder.encode(frame, fit, 0, 0, direct=True).replace(b"\x1b\x1b", b"\x1b") for _ in range(3)]
    ids = sorted({int(codes(data)[0][0]["i"]) for data in sent})
    expected = b"".join(wrap_passthrough(graphics(f"a=d,d=I,i={image_id},q=2")) for image_id in ids)
    assert len(ids) == 2 and encoder.farewell() == expected


@pytest.mark.parametrize("sync", [True, False])
def test_the_placeholder_rewrite_alone_goes_in_synchronized_output(sync: bool) -> None:
    """With DEC 2026 the rows naming the new id switch at once; the image codes stay outside the brackets."""
    encoder = KittyEncoder(KittyOptions(Transport.DIRECT, sync=sync), ColorMode())
    fit = encoder.fit(640, 360, 24, 8)
    data = encoder.encode(bgrx(fit.pixel_size[1], fit.pixel_size[0]), fit, 0, 0, direct=True)
    last_image = data.rindex(b"\x1b\\") + 2
    images, cells = data[:last_image], data[last_image:]
    assert b"\x1b[?2026" not in images and PLACEHOLDER.encode() in cells
    if sync:
        assert cells.startswith(b"\x1b[?2026h") and cells.endswith(b"\x1b[?2026l")
    else:
        assert b"\x1b[?2026" not in cells
