"""A monkey on the keys and the mouse: long random sequences across every place and modal, then SQLite checked.

The app is the real one over a real store on a temp file, the real recommender and the fake player (whose
ends, failures and frames are actions too), on an injected clock the sequence advances. After each sequence
the app must still answer a key, no error may have reached it, and what SQLite holds must agree with what
the app shows and believes. `MONKEY_EXAMPLES` (default 6) and `MONKEY_ACTIONS` (default 60) raise the budget
for a long local campaign; the default run is derandomized, so CI sees the same sequences every time.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot

from tuifeed.config import Config
from tuifeed.feed import Feeds, Playback
from tuifeed.feed.person import Person
from tuifeed.library.service import Library
from tuifeed.models import Clip, EventKind, ImpressionExit, MuteKind
from tuifeed.player.fake import FakePlayer
from tuifeed.recommend import ClipFeatures, Recommender
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.screens.feed import FeedScreen

EXAMPLES = int(os.environ.get("MONKEY_EXAMPLES", "6"))
PHASES = (Phase.explicit, Phase.generate) if os.environ.get("MONKEY_NO_SHRINK") else tuple(Phase)
ACTIONS = int(os.environ.get("MONKEY_ACTIONS", "60"))
LENGTH_MS = 8000
CLIPS = [
    Clip(
        id=f"m{i}",
        location=f"/clips/m{i}.mp4",
        title=f"Clip {i}" if i != 3 else "[b]bold[/b] \x1b[31mred",
        creator=("ana", "bo", "[/]", None)[i % 4],
        tags=(("waves", "blue"), ("waves",), (), ("#Cats", "dogs", "x"))[i % 4],
        sound=("lofi", None, "[red]loud")[i % 3],
        duration_ms=LENGTH_MS,
        width=(360, 640)[i % 2],
        height=(640, 360)[i % 2],
    )
    for i in range(7)
]
KEYS = [
    *"1234/r?jklbf@#sxuwFRmacizyn",
    *"0123456789 ",
    "down", "up", "pagedown", "pageup", "space", "left", "right", "plus", "minus",
    "left_square_bracket", "right_square_bracket", "escape", "backspace", "enter", "tab", "shift+tab",
    "delete", "home", "end", "question_mark", "at", "number_sign", "slash",
]  # fmt: skip
"""Every key some place binds, and the ones a person mashes anyway (q and Ctrl-C only as the last word)."""


@dataclass(frozen=True)
class Press:
    key: str


@dataclass(frozen=True)
class Click:
    x: int
    y: int
    times: int


@dataclass(frozen=True)
class Wheel:
    down: bool


@dataclass(frozen=True)
class PlayerEvent:
    kind: str
    """"finish", "fail" or "frame"."""


@dataclass(frozen=True)
class Wait:
    ms: int
    """How far the injected clock moves; the real loop gets a short pause too."""


@dataclass(frozen=True)
class Resize:
    width: int
    height: int


Action = Press | Click | Wheel | PlayerEvent | Wait | Resize
WIDTH, HEIGHT = 100, 32
actions = st.one_of(
    st.sampled_from(KEYS).map(Press),
    st.sampled_from(KEYS).map(Press),
    st.sampled_from(KEYS).map(Press),
    st.builds(Click, st.integers(0, WIDTH - 1), st.integers(0, HEIGHT - 1), st.sampled_from([1, 1, 2])),
    st.builds(Wheel, st.booleans()),
    st.sampled_from(["finish", "fail", "frame"]).map(PlayerEvent),
    st.builds(Wait, st.integers(0, 20_000)),
    st.builds(Resize, st.integers(10, 160), st.integers(4, 50)),
)


@dataclass
class Run:
    """What the monkey did that the checks need."""

    clock_ms: int = 0
    finishes: int = 0
    playing_at_quit: bool = False
    """A clip was on screen in For You when q was pressed: its stay must end the history, as a quit."""


def build(path: Path, run: Run, player: FakePlayer) -> TuifeedApp:
    """The app as the CLI builds it, over a real store, the real recommender and the fake player."""
    store = Store(path)
    store.upsert_clips(CLIPS)
    recommender = Recommender(seed=0)
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in CLIPS)
    library = Library(store.path, cache_dir=path.parent / "cache", cache_bytes=0)
    feeds = Feeds(
        store, player, recommender, CLIPS, playback=Playback(), remote=library, clock=lambda: run.clock_ms / 1000
    )
    return TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library)


async def act(pilot: Pilot[None], player: FakePlayer, run: Run, action: Action) -> None:
    """Do one thing to the app, as a person or the player would."""
    match action:
        case Press(key):
            await pilot.press(key)
        case Click(x, y, times):
            width, height = pilot.app.size
            await pilot.click(offset=(x % width, y % height), times=times)
        case Wheel(down):
            event = events.MouseScrollDown if down else events.MouseScrollUp
            pilot.app.screen.post_message(event(None, 10, 10, 0, 0, 0, False, False, False))
        case PlayerEvent("finish"):
            run.finishes += 1
            player.finish()
        case PlayerEvent("fail"):
            player.fail("monkey says no")
        case PlayerEvent(_):
            player.emit_frame()
        case Wait(ms):
            run.clock_ms += ms
        case Resize(width, height):
            await pilot.resize_terminal(width, height)


def shown_matches_store(app: TuifeedApp, store: Store) -> None:
    """The feed on screen says liked, saved and following exactly when SQLite does."""
    screen = app.screen
    if not isinstance(screen, FeedScreen):
        return
    status = screen.session.status()
    clip = status.clip
    if clip is None:
        return
    assert status.liked == (clip.id in store.liked_ids())
    assert status.saved == (clip.id in store.active(EventKind.SAVE))
    assert status.followed == (clip.creator in store.active(EventKind.FOLLOW))


def stored_history_is_sane(store: Store, run: Run) -> None:
    """Every stay is closed with sane values, in the order of its sequence numbers."""
    assert not list(store.rows("SELECT id FROM impressions WHERE ended_at IS NULL"))
    impressions = store.impressions()
    ids = {clip.id for clip in CLIPS}
    seqs = [impression.seq for impression in impressions]
    assert all(seq is not None for seq in seqs)
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)  # type: ignore[type-var]
    for impression in impressions:
        assert impression.clip_id in ids
        assert 0 <= impression.dwell_ms <= run.clock_ms, impression
        assert 0 <= impression.loops <= run.finishes, impression
        assert impression.started_at <= impression.ended_at, impression
    if run.playing_at_quit:
        assert impressions[-1].exit is ImpressionExit.QUIT, impressions[-1]


def believes_what_is_stored(feeds: Feeds, store: Store) -> None:
    """What the app believes the person did is what a fresh start reads back from SQLite."""
    stored = Person.load(store)
    person = feeds.person
    assert stored.liked == person.liked
    assert stored.saved == person.saved
    assert stored.followed == person.followed
    assert stored.hidden == person.hidden
    for kind in MuteKind:
        assert stored.mutes[kind] == person.mutes[kind], kind


async def back_to_for_you(pilot: Pilot[None], app: TuifeedApp) -> None:
    """Close whatever is open (a modal, a page, Search, the import panel) and go to For You, as a person would."""
    for _ in range(12):
        if app.screen is app.feed and not app.focused:
            return
        await pilot.press("escape")
        await pilot.pause()
        if app.screen is not app.feed and app.screen.is_modal is False:
            await pilot.press("1")
            await pilot.pause()
    raise AssertionError(f"stuck on {app.screen!r}, focus {app.focused!r}")


async def monkey(sequence: list[Action]) -> None:
    """Play the sequence, then check the app still answers and SQLite agrees with it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tuifeed.db"
        run = Run()
        player = FakePlayer(length_ms=LENGTH_MS)
        app = build(path, run, player)
        store = app.feeds.store
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            for action in sequence:
                if app.return_code is not None:
                    break
                await act(pilot, player, run, action)
                await pilot.pause()
                shown_matches_store(app, store)
            if app.return_code is None:
                await back_to_for_you(pilot, app)
                current = app.session.current
                if current is not None:
                    liked = current.id in store.liked_ids()
                    await pilot.press("l")
                    await pilot.pause()
                    assert (current.id in store.liked_ids()) != liked
                believes_what_is_stored(app.feeds, store)
                run.playing_at_quit = app.session.current is not None
                await pilot.press("q")
                await pilot.pause()
        assert app.crash is None
        assert app.return_code in (0, None)
        stored_history_is_sane(store, run)
        believes_what_is_stored(app.feeds, store)
        store.close()


@settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("MONKEY_RANDOM"),
    phases=PHASES,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(actions, min_size=ACTIONS // 2, max_size=ACTIONS))
def test_monkey_keys_and_mouse(sequence: list[Action]) -> None:
    """Whatever is pressed, clicked or wheeled, and whenever clips end or fail: no crash, no hang, SQLite agrees."""
    asyncio.run(monkey(sequence))
