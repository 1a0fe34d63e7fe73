"""The real libvlc engine, headless, on the bundled clips: frames, sizes, loops, pre-roll and errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from tuifeed.player import LaterSizer, PlayerState, vlc_engine, warm
from tuifeed.player.base import Frame
from tuifeed.player.vlc_engine import NO_PICTURE_MS, VlcPlayer, _Deck

pytestmark = pytest.mark.vlc


class Recorder:
    """A listener that keeps what the engine reported, per token."""

    def __init__(self) -> None:
        self.frames: dict[int, list[Frame]] = {}
        self.first_at: dict[int, float] = {}
        self.ended: list[int] = []
        self.errors: list[tuple[int, str]] = []
        self.lock = threading.Lock()

    def player_frame(self, token: int, frame: Frame) -> None:
        with self.lock:
            self.first_at.setdefault(token, time.monotonic())
            kept = self.frames.setdefault(token, [])
            if len(kept) < 200:
                kept.append(frame.copy())

    def player_ended(self, token: int) -> None:
        self.ended.append(token)

    def player_error(self, token: int, message: str) -> None:
        self.errors.append((token, message))


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def wait_frozen(player: VlcPlayer, seconds: float = 10.0) -> bool:
    """Wait until libvlc has paused the clip and frames already decoded have drained: two position reads 0.2 s
    apart agree. False if that does not come within ``seconds``."""
    import vlc

    deck = player._current
    if deck is None or not wait_for(lambda: deck.player.get_state() == vlc.State.Paused, seconds):
        return False
    deadline = time.monotonic() + seconds
    before = player.position_ms()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        after = player.position_ms()
        if after == before:
            return True
        before = after
    return False


@pytest.fixture
def engine() -> Iterator[tuple[VlcPlayer, Recorder]]:
    player = VlcPlayer(audio_output="adummy")
    recorder = Recorder()
    player.attach(recorder, lambda width, height: (60, round(60 * height / width)))
    yield player, recorder
    player.close()


def test_frames_arrive_at_the_requested_size(engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]) -> None:
    """Frames come at the size the sizer chose for the clip's aspect, and the picture moves."""
    player, recorder = engine
    token = player.play(str(media_clips[0]))
    assert wait_for(lambda: len(recorder.frames.get(token, [])) >= 15)
    frames = recorder.frames[token]
    height, width, depth = frames[0].shape
    assert (width, depth) == (60, 4)
    assert abs(width / height - _aspect(media_clips[0])) < 0.05
    assert frames[0].any(), "the first frame is not black"
    assert any(not np.array_equal(frames[0], later) for later in frames[1:])
    assert player.state is PlayerState.PLAYING
    assert player.length_ms() > 4000


def test_a_clip_ends_and_loops(engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]) -> None:
    """Near its end a clip reports ended; replay starts it again from the beginning."""
    player, recorder = engine
    shortest = min(media_clips, key=lambda path: path.stat().st_size)
    token = player.play(str(shortest))
    assert wait_for(lambda: player.length_ms() > 0)
    player.seek(player.length_ms() - 1500)
    assert wait_for(lambda: token in recorder.ended)
    assert player.state is PlayerState.ENDED
    count = len(recorder.frames[token])
    player.replay()
    assert wait_for(lambda: len(recorder.frames[token]) > count + 5)
    assert player.position_ms() < 3000
    assert player.state is PlayerState.PLAYING


def test_preroll_gives_an_instant_first_frame(engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]) -> None:
    """A pre-rolled clip paints its first frame inside play() itself, and then keeps playing."""
    player, recorder = engine
    _parked_preroll(player, media_clips)
    started = time.monotonic()
    token = player.play(str(media_clips[1]))
    returned = time.monotonic()
    assert token in recorder.first_at
    assert started <= recorder.first_at[token] <= returned
    assert wait_for(lambda: len(recorder.frames[token]) > 10)


def _parked_preroll(player: VlcPlayer, clips: list[Path]) -> _Deck:
    """Play `clips[0]`, pre-roll `clips[1]`, and return the pre-rolled deck once it is parked on its first frame."""
    player.play(str(clips[0]))
    player.preroll(str(clips[1]))
    waiting = player._next
    assert waiting is not None
    assert wait_for(lambda: waiting.parked)
    return waiting


def test_a_prerolled_clip_waits_stopped_and_plays_from_its_start(
    engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]
) -> None:
    """Once its first frame is kept, a pre-rolled clip stops decoding; on the swipe it plays from its start."""
    import vlc

    player, recorder = engine
    waiting = _parked_preroll(player, media_clips)
    assert wait_for(lambda: waiting.player.get_state() == vlc.State.Stopped)
    shown = waiting.frames_shown
    time.sleep(0.5)
    assert waiting.frames_shown == shown, "no frame is decoded while it waits"
    token = player.play(str(media_clips[1]))
    assert recorder.frames[token][0].any(), "the kept first frame is painted at once"
    assert wait_for(lambda: len(recorder.frames[token]) > 10)
    assert player.position_ms() < 3000
    assert any(not np.array_equal(recorder.frames[token][0], later) for later in recorder.frames[token][1:])


def test_a_prerolled_clip_paused_at_once_stays_paused(
    engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]
) -> None:
    """Paused in the instant after the swipe (before libvlc restarts it), a pre-rolled clip does not run on."""
    player, recorder = engine
    waiting = _parked_preroll(player, media_clips)
    token = player.play(str(media_clips[1]))
    player.set_paused(True)
    assert wait_for(lambda: not waiting.parked)
    assert wait_frozen(player), "the clip ran on"
    position = player.position_ms()
    time.sleep(0.5)
    assert player.state is PlayerState.PAUSED
    assert player.position_ms() == position < 1500
    player.set_paused(False)
    assert wait_for(lambda: player.position_ms() > position + 300)
    assert len(recorder.frames[token]) > 5


def test_a_seek_right_after_the_swipe_lands(engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]) -> None:
    """A seek made before libvlc has restarted a pre-rolled clip (a resumed feed does this) is not lost."""
    player, _recorder = engine
    _parked_preroll(player, media_clips)
    gate = threading.Event()
    player._control.submit(lambda: gate.wait(5))  # hold libvlc's restart of the clip until after the seek
    player.play(str(media_clips[1]))
    player.seek(3000)
    gate.set()
    assert wait_for(lambda: player.position_ms() > 0)
    assert player.position_ms() >= 2500, "the clip went on from its start"


def test_a_clip_prerolled_before_the_view_exists_plays_from_its_own_frames(media_clips: list[Path]) -> None:
    """Pre-rolled before any listener (the CLI warming the first clip), a clip keeps the size it was decoded at."""
    player = VlcPlayer(audio_output="adummy")
    try:
        unheard = Recorder()
        player.attach(unheard, lambda width, height: (48, round(48 * height / width)))
        player.preroll(str(media_clips[0]))
        waiting = player._next
        assert waiting is not None
        assert wait_for(lambda: waiting.parked), "the pre-roll kept its first frame and stopped"
        recorder = Recorder()
        player.attach(recorder, lambda width, height: (60, round(60 * height / width)))
        token = player.play(str(media_clips[0]))
        assert token in recorder.first_at, "the pre-rolled first frame is shown inside play()"
        assert wait_for(lambda: len(recorder.frames[token]) > 10)
        assert {frame.shape[1] for frame in recorder.frames[token]} == {48}
        assert not unheard.frames and not unheard.errors
    finally:
        player.close()


def test_the_still_of_a_prerolled_clip_is_heard_once_and_is_the_frame_play_paints(media_clips: list[Path]) -> None:
    """on_still hears the first frame once, on libvlc's thread, before any listener does; play paints that frame."""
    player = VlcPlayer(audio_output="adummy")
    stills: list[tuple[Frame, bool]] = []
    try:
        player.attach(Recorder(), lambda width, height: (48, round(48 * height / width)))
        player.preroll(
            str(media_clips[0]),
            None,
            lambda frame: stills.append((frame, threading.current_thread() is threading.main_thread())),
        )
        assert wait_for(lambda: bool(stills))
        time.sleep(0.5)
        assert len(stills) == 1
        still, on_main = stills[0]
        assert not on_main and still.shape[1] == 48
        recorder = Recorder()
        player.attach(recorder, lambda width, height: (60, round(60 * height / width)))
        token = player.play(str(media_clips[0]))
        assert np.array_equal(recorder.frames[token][0], still)
    finally:
        player.close()


def test_a_clip_prerolled_again_keeps_decoding_and_its_still_reaches_the_new_listener(media_clips: list[Path]) -> None:
    """The CLI pre-rolls the clip the run opens on before the feed exists; the feed pre-rolling the same clip
    then hears its still, on its own thread when it was kept already, else from libvlc's, once either way."""
    player = VlcPlayer(audio_output="adummy")
    try:
        player.attach(Recorder(), lambda width, height: (48, round(48 * height / width)))
        clip = str(media_clips[0])
        player.preroll(clip)
        deck = player._next
        assert wait_for(lambda: deck is not None and deck.still is not None)
        late: list[tuple[Frame, bool]] = []
        player.preroll(
            clip, None, lambda frame: late.append((frame, threading.current_thread() is threading.main_thread()))
        )
        assert player._next is deck, "the clip was not started again"
        assert len(late) == 1 and late[0][1], "a still kept already is heard at once, on the caller's thread"
        assert deck is not None and late[0][0] is deck.still

        other = str(media_clips[1])
        player.preroll(other)
        early: list[Frame] = []
        player.preroll(other, None, early.append)  # asked again at once: the still is not decoded yet
        assert wait_for(lambda: bool(early))
        time.sleep(0.3)
        assert len(early) == 1
        recorder = Recorder()
        player.attach(recorder, lambda width, height: (60, round(60 * height / width)))
        token = player.play(other)
        assert np.array_equal(recorder.frames[token][0], early[0])
    finally:
        player.close()


def _red_then_blue(path: Path) -> Path:
    """A 2 s clip whose first frame is red and every other frame blue."""
    import av

    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 160, 90, "yuv420p"
        for index in range(60):
            image = np.zeros((90, 160, 3), np.uint8)
            image[..., 0 if index == 0 else 2] = 255
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
    return path


def test_a_clip_waiting_for_its_size_still_keeps_its_first_frame(tmp_path: Path) -> None:
    """Pre-rolled before the display is chosen, the clip waits in its first frame's format for the size; however
    late the size comes, the still is the clip's first frame (libvlc does not drop it as late), at that size."""
    clip = str(_red_then_blue(tmp_path / "red-then-blue.mp4"))
    player = VlcPlayer(audio_output="adummy")
    try:
        sizer = LaterSizer()
        stills: list[Frame] = []
        warm(player, clip, None, sizer, stills.append)
        time.sleep(1.5)
        assert not stills, "no frame before the size is known"
        sizer.settle(lambda width, height: (48, 28))
        assert wait_for(lambda: bool(stills))
        still = stills[0]
        assert still.shape[:2] == (28, 48)
        blue, green, red = (float(still[..., channel].mean()) for channel in range(3))
        assert red > 200 and blue < 50 and green < 50, (blue, green, red)
    finally:
        player.close()


def test_pause_freezes_the_picture_and_resume_moves_it(
    engine: tuple[VlcPlayer, Recorder], media_clips: list[Path]
) -> None:
    """While paused the position stands still and any frame libvlc repaints is the same picture."""
    player, recorder = engine
    token = player.play(str(media_clips[0]))
    assert wait_for(lambda: len(recorder.frames.get(token, [])) > 5)
    player.set_paused(True)
    assert wait_frozen(player), "the position never stood still"
    position, count = player.position_ms(), len(recorder.frames[token])
    time.sleep(0.6)
    assert player.state is PlayerState.PAUSED
    assert player.position_ms() == position
    frozen = recorder.frames[token][count - 1 :]
    assert all(np.array_equal(frozen[0], frame) for frame in frozen[1:])
    player.set_paused(False)
    assert wait_for(lambda: player.position_ms() > position + 300)
    assert not np.array_equal(recorder.frames[token][-1], frozen[0])


def test_corrupt_file_is_reported(engine: tuple[VlcPlayer, Recorder], tmp_path: Path) -> None:
    """Random bytes named .mp4 produce one error line, not a crash."""
    player, recorder = engine
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(np.random.default_rng(1).bytes(200_000))
    token = player.play(str(bad))
    assert wait_for(lambda: any(t == token for t, _ in recorder.errors))
    [(_, message)] = [error for error in recorder.errors if error[0] == token]
    assert "decode" in message or "play" in message
    assert player.state is PlayerState.ERROR


def test_vanished_file_is_reported(engine: tuple[VlcPlayer, Recorder], tmp_path: Path) -> None:
    """A clip whose file is gone is reported at once."""
    player, recorder = engine
    token = player.play(str(tmp_path / "gone.mp4"))
    assert recorder.errors == [(token, "the file is gone (moved, deleted, or its drive unmounted)")]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("overwritten", "no picture could be decoded (not a video, or a damaged file)"),
        ("deleted", "the file is gone (moved, deleted, or its drive unmounted)"),
    ],
)
def test_a_clip_damaged_while_playing_fails_at_its_loop(
    damage: str, message: str, engine: tuple[VlcPlayer, Recorder], media_clips: list[Path], tmp_path: Path
) -> None:
    """Overwritten with junk or deleted while it plays, a clip's loop fails: one error saying why, not an end."""
    player, recorder = engine
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(min(media_clips, key=lambda path: path.stat().st_size).read_bytes())
    token = player.play(str(clip))
    assert wait_for(lambda: len(recorder.frames.get(token, [])) >= 5 and player.length_ms() > 0)
    if damage == "deleted":
        clip.unlink()
    else:
        clip.write_bytes(np.random.default_rng(3).bytes(clip.stat().st_size))
    player.seek(player.length_ms())
    assert wait_for(lambda: token in recorder.ended)
    player.replay()
    assert wait_for(lambda: bool(recorder.errors))
    assert recorder.errors == [(token, message)]
    assert recorder.ended == [token], "the loop that showed nothing was reported as an end, to be looped again"
    assert player.state is PlayerState.ERROR


def test_a_video_track_libvlc_cannot_decode_fails_within_seconds(
    engine: tuple[VlcPlayer, Recorder], media_clips: list[Path], tmp_path: Path
) -> None:
    """A clip whose chunk table claims 2 billion chunks plays its clock without a picture: it fails early.

    PyAV's probe decodes it, so it imports; libvlc shows nothing. Played at 2x, it fails at NO_PICTURE_MS
    of the clip's time, long before its end.
    """
    player, recorder = engine
    longest = max(media_clips, key=lambda path: json.loads(path.with_suffix(".info.json").read_text())["duration"])
    data = bytearray(longest.read_bytes())
    count = data.find(b"stco") + 8
    data[count : count + 4] = (0x7FFFFFFF).to_bytes(4, "big")
    clip = tmp_path / "chunks.mp4"
    clip.write_bytes(bytes(data))
    player.set_rate(2.0)
    token = player.play(str(clip))
    assert wait_for(lambda: bool(recorder.errors), seconds=20)
    assert recorder.errors == [(token, "no picture could be decoded (a damaged video track)")]
    assert recorder.ended == [] and token not in recorder.frames
    assert NO_PICTURE_MS <= player.position_ms() < player.length_ms() - 2_000


def _aspect(path: Path) -> float:
    info = json.loads(path.with_suffix(".info.json").read_text())
    return float(info["width"]) / float(info["height"])


def test_a_file_named_in_bytes_that_are_not_utf8_imports_and_plays(
    engine: tuple[VlcPlayer, Recorder], media_clips: list[Path], tmp_path: Path
) -> None:
    """Imported, stored as valid text, read back, and handed to libvlc as its exact bytes: the picture moves."""
    import os
    import sqlite3

    from tuifeed.library import import_paths
    from tuifeed.store import Store

    folder = tmp_path / os.fsdecode(b"caf\xe9")
    folder.mkdir()
    name = folder / os.fsdecode(b"clip \xff\xfe.mp4")
    shutil.copy(media_clips[0], name)
    store = Store(tmp_path / "t.db")
    import_paths(store, [folder])
    [clip] = store.clips()
    store.close()
    assert os.fsencode(clip.location) == os.fsencode(name)
    with sqlite3.connect(tmp_path / "t.db") as plain:
        assert plain.execute("SELECT location FROM clips").fetchone()[0].endswith("clip \u241bff\u241bfe.mp4")
    player, recorder = engine
    token = player.play(clip.location)
    assert wait_for(lambda: len(recorder.frames.get(token, [])) >= 15)
    assert recorder.errors == []
    frames = recorder.frames[token]
    assert any(not np.array_equal(frames[0], later) for later in frames[1:])


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads which libraries are mapped from /proc")
def test_warm_decoder_loads_libvlcs_decoder_before_any_clip_is_opened() -> None:
    """In a fresh process (this one has decoded clips): libvlc's avcodec plugin is mapped once the warm-up thread
    is done, with no libvlc instance or clip in sight; a process that ends meanwhile waits for the load."""
    script = (
        "import threading\n"
        "from tuifeed.player.vlc_engine import warm_decoder\n"
        "before = 'libavcodec_plugin' in open('/proc/self/maps').read()\n"
        "warm_decoder()\n"
        "loading = [t for t in threading.enumerate() if t.name == 'tuifeed-vlc-decoder']\n"
        "for thread in loading: thread.join()\n"
        "print(before, len(loading), 'libavcodec_plugin' in open('/proc/self/maps').read())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "1", "True"]
    ended = subprocess.run(
        [sys.executable, "-c", "from tuifeed.player.vlc_engine import warm_decoder; warm_decoder()"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (ended.returncode, ended.stderr) == (0, "")


def test_a_clip_starts_without_libvlcs_text_renderer(media_clips: list[Path]) -> None:
    """In a fresh process: the first frame comes with no FreeType (fontconfig's setup cost each clip's start
    ~10 ms), and libvlc's dummy text renderer in its place."""
    script = (
        "import threading\n"
        "from pathlib import Path\n"
        "from tuifeed.player import warm\n"
        "from tuifeed.player.vlc_engine import VlcPlayer\n"
        "player = VlcPlayer(audio_output='adummy')\n"
        "still = threading.Event()\n"
        f"warm(player, {str(media_clips[0])!r}, None, lambda width, height: (48, 28), lambda frame: still.set())\n"
        "assert still.wait(10)\n"
        "maps = Path('/proc/self/maps').read_text()\n"
        "print('libfreetype_plugin' in maps, 'libtdummy_plugin' in maps)\n"
        "player.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout.split()) == (0, ["False", "True"]), done.stderr


SLOW_LIBRARY = r"""
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void wait_for_the_word(void) {
    char byte;
    read(atoi(getenv("SLOW_LIBRARY_FD")), &byte, 1);
}
"""


def test_loading_the_decoder_ahead_lets_the_interpreter_run(tmp_path: Path) -> None:
    """A library whose loading waits for Python to speak: the interpreter is free while the loader works (the
    plugin's load once stopped the launch's imports for ~20 ms), so the word comes and the load ends."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build the slow library with")
    source, library = tmp_path / "slow.c", tmp_path / "libslow.so"
    source.write_text(SLOW_LIBRARY, encoding="utf-8")
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(library), str(source)], check=True, timeout=60)
    script = (
        "import os, threading\n"
        "from pathlib import Path\n"
        "from tuifeed.player.vlc_engine import _load_library\n"
        "read, write = os.pipe()\n"
        "os.environ['SLOW_LIBRARY_FD'] = str(read)\n"
        f"loading = threading.Thread(target=_load_library, args=(Path({str(library)!r}),))\n"
        "loading.start()\n"
        "while 'libslow' not in Path('/proc/self/maps').read_text():\n"
        "    pass\n"
        "os.write(write, b'!')\n"
        "loading.join()\n"
        "print('loaded')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "loaded"), done.stderr


def test_warm_decoder_starts_nothing_where_no_decoder_plugin_is_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """libvlc then loads its decoder itself, as the first clip needs it."""
    monkeypatch.setattr(vlc_engine, "_plugin_dirs", lambda: [tmp_path])
    threads = threading.active_count()
    vlc_engine.warm_decoder()
    assert threading.active_count() == threads
