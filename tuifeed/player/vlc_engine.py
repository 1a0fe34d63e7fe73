"""The libvlc engine: headless decoding into numpy frames through video callbacks, sound to the system.

Threads: the UI thread calls the public methods. libvlc calls the video callbacks on its vout thread and
the event callbacks on its event thread; both only hand data to the listener and return, never calling
libvlc. Calls that block (stopping and releasing a player, pausing a pre-rolled one) run on the engine's
own control thread, so neither the UI nor libvlc's threads wait on them.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import queue
import threading
from collections.abc import Callable
from ctypes import POINTER, c_uint, c_void_p
from pathlib import Path
from typing import Any

from tuifeed.errors import PlayerUnavailable
from tuifeed.player.base import Frame, FrameSizer, PlayerListener, PlayerState, StillListener
from tuifeed.player.memory import drop_idle_library_pages, return_freed_memory

log = logging.getLogger(__name__)

_FormatCb = ctypes.CFUNCTYPE(
    c_uint, POINTER(c_void_p), c_void_p, POINTER(c_uint), POINTER(c_uint), POINTER(c_uint), POINTER(c_uint)
)
"""Our own prototype: python-vlc declares the chroma as c_char_p, which makes it unwritable."""
_CleanupCb = ctypes.CFUNCTYPE(None, c_void_p)
_LockCb = ctypes.CFUNCTYPE(c_void_p, c_void_p, POINTER(c_void_p))
_UnlockCb = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, POINTER(c_void_p))
_DisplayCb = ctypes.CFUNCTYPE(None, c_void_p, c_void_p)

_ONE_THREAD_PIXELS = 1280 * 720
"""Clips up to 720p decode on one thread: each extra avcodec thread holds frames of its own in flight (a 720p
clip measured 12 MB more RSS with the default thread count, 18 MB more for a pre-rolled one), and one core
decodes 720p H.264 several times faster than 30 fps."""
NO_PICTURE_MS = 5_000
"""A clip that has played this long without a picture has a video track libvlc cannot decode (a damaged one
that PyAV's probe got past): it fails, rather than leaving the screen blank until its end, or for ever."""
_CLOCK_STEP_MS = 1_000
"""libvlc reports the time a few times a second, even at 2x: a longer step is a seek."""
_GONE = "the file is gone (moved, deleted, or its drive unmounted)"
_BASE_ARGS = (
    "--quiet",
    "--no-xlib",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--no-stats",
    "--no-media-library",
    "--ignore-config",
    "--file-caching=100",
    "--text-renderer=tdummy",
)
"""`--file-caching` (1000 ms by default) is how far libvlc reads and decodes a local file ahead: at 100 ms a
720p clip playing at 200x60 peaked 9-10 MB lower (the decoded pictures held in flight) at the same 30 fps;
0 saved 4 MB more but leaves no slack for a slow disk. Streams keep `--network-caching`'s default.

The dummy text renderer: libvlc draws no text into our frames (no OSD, title or subtitles, which are a smear
at cell resolution), and each clip's start no longer sets up FreeType and fontconfig, 10-12 ms of the
~37 ms from pre-roll to a 720p clip's first frame."""


def load_vlc() -> Any:
    """Import python-vlc and check that libvlc itself loads, or raise PlayerUnavailable saying how to fix it."""
    try:
        import vlc
    except (ImportError, OSError, NameError, NotImplementedError, SystemExit) as error:
        # python-vlc raises NotImplementedError when it finds no libvlc, and exits the process when
        # $PYTHON_VLC_LIB_PATH names one it cannot load; both become one clear line here.
        detail = "cannot load $PYTHON_VLC_LIB_PATH" if isinstance(error, SystemExit) else str(error)
        raise PlayerUnavailable(
            f"libvlc is not available ({detail}); install it with: sudo apt-get install libvlc5 "
            "vlc-plugin-base libvlc-bin (or run `make run`)"
        ) from error
    if getattr(vlc, "dll", None) is None:
        raise PlayerUnavailable(
            "libvlc is not installed; install it with: sudo apt-get install libvlc5 vlc-plugin-base libvlc-bin"
        )
    return vlc


def libvlc_version() -> str:
    """The libvlc version string, e.g. "3.0.21 Vetinari"; raises PlayerUnavailable when missing."""
    vlc = load_vlc()
    return str(vlc.libvlc_get_version().decode())


class _ControlThread:
    """A single worker that runs blocking libvlc calls in order, off the UI and libvlc threads."""

    def __init__(self, idle: Callable[[], object]) -> None:
        """Run `idle` whenever the queue empties after a job asked for it with `when_idle`."""
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._idle = idle
        self._idle_due = False
        self._thread = threading.Thread(target=self._run, name="tuifeed-vlc-control", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def when_idle(self) -> None:
        """Run the idle job once no job waits (from a job: the control thread only)."""
        self._idle_due = True

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            if self._idle_due and self._jobs.empty():
                self._idle_due = False
                self._work(self._idle)
            if (job := self._jobs.get()) is None:
                return
            self._work(job)

    @staticmethod
    def _work(job: Callable[[], object]) -> None:
        try:
            job()
        except Exception:
            log.exception("libvlc control job failed")


class _Deck:
    """One libvlc media player with its frame buffers: the clip on screen, or the one pre-rolled."""

    def __init__(
        self,
        engine: VlcPlayer,
        token: int,
        location: str,
        aspect: tuple[int, int] | None,
        on_still: StillListener | None = None,
    ) -> None:
        vlc = engine._vlc
        self.engine = engine
        self.token = token
        self.location = location
        self.aspect = aspect
        self.active = False
        self.frames_shown = 0
        """Pictures since the clip last started: a loop that shows none failed (the file was overwritten)."""
        self.blind_ms = 0
        """Milliseconds of the clip played since it last started, while it has shown no picture."""
        self._clock_ms = 0
        self.still: Frame | None = None
        """The first frame of a pre-rolled clip, painted the moment it becomes active."""
        self._on_still = on_still
        self._still_lock = threading.Lock()
        """Orders the still's arrival against `listen`, so a listener hears it exactly once."""
        self.parked = False
        """Stopped by `_park` once its still was kept: `play` starts it again from the beginning."""
        self.failure: str | None = None
        self.ended = False
        self.released = False
        """Freed by `release` (control thread): later control jobs of this deck must not touch libvlc."""
        self._buffers: list[Frame] = []
        self._lock_index = 0
        self.player = engine._instance.media_player_new()
        self._callbacks = (
            _FormatCb(self._setup),
            _CleanupCb(self._cleanup),
            _LockCb(self._lock),
            _UnlockCb(self._unlock),
            _DisplayCb(self._display),
        )
        setup, cleanup, lock, unlock, display = self._callbacks
        vlc.dll.libvlc_video_set_format_callbacks(self.player, setup, cleanup)
        vlc.dll.libvlc_video_set_callbacks(self.player, lock, unlock, display, None)
        media = engine._media(location)
        if aspect is not None and aspect[0] * aspect[1] <= _ONE_THREAD_PIXELS:
            media.add_option(":avcodec-threads=1")
        self.player.set_media(media)
        media.release()
        events = self.player.event_manager()
        events.event_attach(vlc.EventType.MediaPlayerEndReached, self._on_end)
        events.event_attach(vlc.EventType.MediaPlayerEncounteredError, self._on_error)
        events.event_attach(vlc.EventType.MediaPlayerTimeChanged, self._on_time)

    # libvlc vout thread ------------------------------------------------------------------------------

    def _setup(self, _opaque: Any, chroma: int, width: Any, height: Any, pitches: Any, lines: Any) -> int:
        if self.still is not None:  # a parked clip starting again: its frames stay the size of its still
            out_h, out_w = self.still.shape[:2]
        else:
            aspect_w, aspect_h = self.aspect or (width[0], height[0])
            out_w, out_h = self.engine._sizer(max(1, aspect_w), max(1, aspect_h))
            out_w, out_h = max(2, out_w), max(2, out_h + out_h % 2)
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0] = out_w, out_h
        pitches[0], lines[0] = out_w * 4, out_h
        import numpy as np  # here, on libvlc's thread: the launch starts a clip before numpy has loaded

        self._buffers = [np.zeros((out_h, out_w, 4), np.uint8) for _ in range(2)]
        return 1

    def _cleanup(self, _opaque: Any) -> None:
        pass

    def _lock(self, _opaque: Any, planes: Any) -> int:
        self._lock_index ^= 1
        planes[0] = self._buffers[self._lock_index].ctypes.data
        return self._lock_index + 1

    def _unlock(self, _opaque: Any, _picture: Any, _planes: Any) -> None:
        pass

    def _display(self, _opaque: Any, picture: int | None) -> None:
        frame = self._buffers[(picture or 1) - 1]
        self.frames_shown += 1
        if self.active:
            self.engine._listener_frame(self.token, frame)
        elif self.still is None:
            still = frame.copy()
            with self._still_lock:
                self.still, listener = still, self._on_still
            if listener is not None:
                listener(still)
            self.engine._control.submit(self._park)

    def listen(self, on_still: StillListener) -> None:
        """Let `on_still` hear the still: now, on the caller's thread, when it is kept already (UI thread)."""
        with self._still_lock:
            self._on_still, still = on_still, self.still
        if still is not None:
            on_still(still)

    # libvlc event thread -----------------------------------------------------------------------------

    def _on_end(self, _event: Any) -> None:
        self.ended = True
        if self.frames_shown == 0:
            self.fail("no picture could be decoded (not a video, or a damaged file)")
        elif self.active:
            self.engine._listener_ended(self.token)

    def _on_time(self, event: Any) -> None:
        now = int(event.u.new_time)
        # Only the clock's own steps count: a seek ahead before the first picture is no time played blind.
        if self.frames_shown == 0 and 0 < now - self._clock_ms < _CLOCK_STEP_MS:
            self.blind_ms += now - self._clock_ms
            if self.blind_ms >= NO_PICTURE_MS:
                self.fail("no picture could be decoded (a damaged video track)")
        self._clock_ms = now

    def _on_error(self, _event: Any) -> None:
        # A file deleted while it played fails when its loop opens it again.
        gone = not self.engine._exists(self.location)
        self.fail(_GONE if gone else "libvlc could not play it (damaged, or an unsupported format)")

    def fail(self, message: str) -> None:
        """Mark the clip failed and, when it is on screen, report why."""
        if self.failure is not None:
            return
        self.failure = message
        if self.active:
            self.engine._listener_error(self.token, message)

    # control thread ----------------------------------------------------------------------------------

    def rewind(self) -> None:
        """Count pictures and blind time afresh: the clip starts again (control thread, player stopped)."""
        self.frames_shown = self.blind_ms = self._clock_ms = 0

    def _park(self) -> None:
        """Stop a pre-rolled clip once its first frame is kept, unless it became active meanwhile.

        Paused instead, its decoder went on filling libvlc's picture pool: a pre-rolled 720p clip held
        19 MB, its still 0.1 MB. Started again on a swipe, its first picture that differs from the still
        came 62-112 ms after the swipe (44 ms when it was paused), over 10 swipes.
        """
        # The first frame can arrive while the deck is being stopped, and this job then runs after its release.
        if not self.active and not self.released:
            self.player.stop()
            self.parked = True
            return_freed_memory()
            self.engine._control.when_idle()

    def release(self) -> None:
        """Stop and free the libvlc player (blocking; control thread only).

        python-vlc memoizes `event_manager()` per player for the life of the process, and the manager
        holds our event callbacks, so without the detach every deck (its frame buffers and still) stayed
        alive: RSS grew by ~0.25 MB a swipe (benchmarks/reliability.py, soak). Dropping the memo entry
        frees the wrappers too.
        """
        vlc = self.engine._vlc
        self.player.stop()
        events = self.player.event_manager()
        events.event_detach(vlc.EventType.MediaPlayerEndReached)
        events.event_detach(vlc.EventType.MediaPlayerEncounteredError)
        events.event_detach(vlc.EventType.MediaPlayerTimeChanged)
        memo = getattr(type(self.player).__dict__.get("event_manager"), "_cache", None)
        if isinstance(memo, dict):
            memo.pop(self.player, None)
        self.player.release()
        self.released = True
        self._buffers = []
        self.still = None
        return_freed_memory()
        self.engine._control.when_idle()


class VlcPlayer:
    """Plays clips with libvlc, headless, pre-rolling the next one so a swipe shows it at once."""

    def __init__(self, audio_output: str | None = None, volume: int = 80, extra_args: tuple[str, ...] = ()) -> None:
        """Start one libvlc instance; `audio_output` is a libvlc aout name ("pulse", "alsa", "adummy"...)."""
        self._vlc = load_vlc()
        args = [*_BASE_ARGS, *extra_args]
        if audio_output:
            args.append(f"--aout={audio_output}")
        self._instance = self._vlc.Instance(args)
        if self._instance is None:
            raise PlayerUnavailable(f"libvlc refused to start with {' '.join(args)}; see `tuifeed doctor`")
        self._listener: PlayerListener | None = None
        self._sizer: FrameSizer = lambda width, height: (width, height)
        self._control = _ControlThread(idle=drop_idle_library_pages)
        self._current: _Deck | None = None
        self._next: _Deck | None = None
        self._tokens = 0
        self._volume = volume
        self._muted = False
        self._rate = 1.0
        self._paused = False

    def attach(self, listener: PlayerListener, sizer: FrameSizer) -> None:
        """Set who hears frames and events, and how big frames should be."""
        self._listener = listener
        self._sizer = sizer

    def play(self, location: str, aspect: tuple[int, int] | None = None) -> int:
        """Start playing a clip (at once if it was pre-rolled); returns the token its events carry."""
        deck = self._take_preroll(location)
        if deck is None:
            self._tokens += 1
            deck = _Deck(self, self._tokens, location, aspect)
        previous, self._current = self._current, deck
        if previous is not None:
            previous.active = False
        self._paused = False
        deck.active = True
        self._start(deck)
        # Released after the new clip's start is queued: stopping a player blocks the control thread ~50 ms.
        self._retire(previous)
        return deck.token

    def preroll(
        self, location: str, aspect: tuple[int, int] | None = None, on_still: StillListener | None = None
    ) -> None:
        """Prepare the clip expected next: decoded to its first frame, kept as a still (which `on_still` hears),
        and stopped. The clip pre-rolled already is not started again: `on_still` hears its still all the same."""
        if self._next is not None and self._next.location == location:
            if on_still is not None:
                self._next.listen(on_still)
            return
        self._retire(self._next)
        self._next = None
        if not self._exists(location):
            return
        self._tokens += 1
        deck = _Deck(self, self._tokens, location, aspect, on_still)
        deck.player.audio_set_mute(True)
        deck.player.play()
        deck.player.audio_set_mute(True)
        self._next = deck

    def replay(self) -> None:
        """Play the current clip again from the start (after it ended, for looping)."""
        deck = self._current
        if deck is None:
            return
        deck.ended = False

        def restart() -> None:
            if deck.released:
                return
            deck.player.stop()
            if deck is self._current:
                deck.rewind()
                deck.player.play()
                self._apply_audio(deck)
                deck.player.set_rate(self._rate)

        self._control.submit(restart)

    def set_paused(self, paused: bool) -> None:
        """Pause or resume the current clip."""
        self._paused = paused
        if self._current is not None:
            self._current.player.set_pause(int(paused))

    def seek(self, delta_ms: int) -> None:
        """Move the current clip's position by `delta_ms`, clamped to the clip."""
        deck = self._current
        if deck is None:
            return
        if deck.parked:  # its start is queued on the control thread: seek once it has started
            self._control.submit(functools.partial(self._seek, deck, delta_ms))
        else:
            self._seek(deck, delta_ms)

    @staticmethod
    def _seek(deck: _Deck, delta_ms: int) -> None:
        if deck.released:
            return
        player = deck.player
        length = max(0, player.get_length())
        target = max(0, player.get_time() + delta_ms)
        player.set_time(min(target, max(0, length - 250)) if length else target)

    def set_volume(self, volume: int) -> None:
        """Set the volume, 0 to 100."""
        self._volume = max(0, min(100, volume))
        if self._current is not None:
            self._apply_audio(self._current)

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute."""
        self._muted = muted
        if self._current is not None:
            self._apply_audio(self._current)

    def set_rate(self, rate: float) -> None:
        """Set the playback speed, 1.0 being normal."""
        self._rate = rate
        if self._current is not None:
            self._current.player.set_rate(rate)

    def position_ms(self) -> int:
        """The current clip's position in milliseconds (0 when unknown)."""
        return max(0, int(self._current.player.get_time())) if self._current else 0

    def length_ms(self) -> int:
        """The current clip's length in milliseconds (0 when unknown)."""
        return max(0, int(self._current.player.get_length())) if self._current else 0

    @property
    def state(self) -> PlayerState:
        """The current clip's state."""
        deck = self._current
        if deck is None:
            return PlayerState.IDLE
        if deck.failure is not None:
            return PlayerState.ERROR
        if deck.ended:
            return PlayerState.ENDED
        return PlayerState.PAUSED if self._paused else PlayerState.PLAYING

    def close(self) -> None:
        """Stop everything and free the engine; nothing is reported afterwards."""
        self._listener = None
        self._retire(self._current)
        self._retire(self._next)
        self._current = self._next = None
        self._control.submit(self._instance.release)
        self._control.close()

    # internals ---------------------------------------------------------------------------------------

    def _media(self, location: str) -> Any:
        if "://" in location:
            return self._instance.media_new(location)
        return self._instance.media_new_path(os.fsencode(location))  # the exact bytes of a name that is not UTF-8

    @staticmethod
    def _exists(location: str) -> bool:
        return "://" in location or os.path.exists(location)

    def _take_preroll(self, location: str) -> _Deck | None:
        deck, self._next = self._next, None
        if deck is not None and deck.location == location:
            return deck
        self._retire(deck)
        return None

    def _retire(self, deck: _Deck | None) -> None:
        if deck is not None:
            deck.active = False
            self._control.submit(deck.release)

    def _start(self, deck: _Deck) -> None:
        if not self._exists(deck.location):
            deck.fail(_GONE)
            return
        self._apply_audio(deck)
        deck.player.set_rate(self._rate)
        if deck.failure is not None:
            self._listener_error(deck.token, deck.failure)
        elif deck.still is not None:
            self._listener_frame(deck.token, deck.still)
            self._control.submit(functools.partial(self._unpark, deck))
        else:
            deck.player.play()

    def _unpark(self, deck: _Deck) -> None:
        """Start a parked clip that became current (control thread, after its `_park` job)."""
        if not deck.parked or deck.released or deck is not self._current:
            return
        deck.player.play()
        deck.parked = False  # only now: a seek meanwhile was queued behind this job
        self._apply_audio(deck)
        deck.player.set_rate(self._rate)
        if self._paused:
            deck.player.set_pause(1)

    def _apply_audio(self, deck: _Deck) -> None:
        deck.player.audio_set_volume(self._volume)
        deck.player.audio_set_mute(self._muted)

    def _listener_frame(self, token: int, frame: Frame) -> None:
        if (listener := self._listener) is not None:
            listener.player_frame(token, frame)

    def _listener_ended(self, token: int) -> None:
        if (listener := self._listener) is not None:
            listener.player_ended(token)

    def _listener_error(self, token: int, message: str) -> None:
        if (listener := self._listener) is not None:
            listener.player_error(token, message)


def libvlc_plugin_cache() -> Path | None:
    """The plugins.dat cache libvlc-bin builds (without it every start scans all plugins), if found."""
    return next((path / "plugins.dat" for path in _plugin_dirs() if (path / "plugins.dat").exists()), None)


def warm_decoder() -> None:
    """Load libvlc's avcodec decoder plugin, with the ~70 libraries it links, on a thread of its own, now.

    libvlc loads it as it decodes the first clip's first frame: 25 ms of the 60-85 ms it took to pre-roll
    that clip, on the launch's path to the first picture. Loaded meanwhile, it is there when libvlc asks
    for it. Where it is not found, libvlc loads it as before.
    """
    plugin = next((path for folder in _plugin_dirs() for path in _decoder_files(folder) if path.exists()), None)
    if plugin is not None:
        # Not a daemon: the interpreter waits for it at exit, so no process ends mid-load, holding the loader's lock.
        threading.Thread(target=_load_library, args=(plugin,), name="tuifeed-vlc-decoder").start()


def _plugin_dirs() -> list[Path]:
    """Where libvlc's plugins may be: python-vlc's finding and $VLC_PLUGIN_PATH first, then the usual places."""
    vlc = load_vlc()
    found = [Path(path) for path in (getattr(vlc, "plugin_path", None), os.environ.get("VLC_PLUGIN_PATH")) if path]
    return found + [
        Path(path)
        for path in (
            "/usr/lib/x86_64-linux-gnu/vlc/plugins",
            "/usr/lib/aarch64-linux-gnu/vlc/plugins",
            "/usr/lib64/vlc/plugins",
            "/usr/lib/vlc/plugins",
            "/usr/local/lib/vlc/plugins",
        )
    ]


def _decoder_files(folder: Path) -> list[Path]:
    """The avcodec plugin's file under a plugin ``folder``, as each platform names it."""
    return [folder / "codec" / f"libavcodec_plugin{suffix}" for suffix in (".so", ".dylib", ".dll")]


def _load_library(path: Path) -> None:
    """Load the library at ``path`` and what it links, letting go of the interpreter while the loader works.

    `ctypes.CDLL` calls dlopen holding the GIL, as CPython loads extension modules: the avcodec plugin's
    ~20 ms stopped the launch's imports on the main thread for as long. dlopen called as a foreign function
    lets go of it, as every ctypes call does. What it loads stays loaded, as with CDLL.
    """
    try:
        loader = ctypes.CDLL(None)
        dlopen, dlerror = loader.dlopen, loader.dlerror
    except (AttributeError, OSError, TypeError):  # no dlopen (Windows): load it as ctypes does
        try:
            ctypes.CDLL(str(path))
        except OSError as error:  # libvlc says what is wrong with its plugin when it needs it
            log.info("libvlc's decoder did not load ahead: %s", error)
        return
    dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
    dlerror.restype, dlerror.argtypes = ctypes.c_char_p, []
    if not dlopen(os.fsencode(path), os.RTLD_NOW | os.RTLD_LOCAL):
        reason = dlerror()
        log.info("libvlc's decoder did not load ahead: %s", reason.decode(errors="replace") if reason else path)
