"""The app driven by Textual's Pilot: keys move through clips, likes toggle, rows land in SQLite."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pilot_wait import show
from ranker_stub import InOrder
from textual import events
from textual.message import Message
from textual.widgets import OptionList, Static
from toasts import toasts, toasts_with

from tuifeed.config import Config, PlayerConfig
from tuifeed.feed import Feeds, Playback
from tuifeed.feed.session import REPLAY_NOTICE
from tuifeed.library.service import Library
from tuifeed.models import Clip, EventKind, ImpressionExit
from tuifeed.player.fake import FakePlayer
from tuifeed.player.vlc_engine import VlcPlayer
from tuifeed.recommend import ClipFeatures, Recommender, RecommenderSettings
from tuifeed.render import ColorMode, ColorSystem
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.messages import ClipFailed
from tuifeed.ui.screens.feed import WHEEL_QUIET_SECONDS
from tuifeed.ui.screens.help import HelpScreen
from tuifeed.ui.screens.not_interested import NotInterestedScreen
from tuifeed.ui.screens.why import WhyScreen
from tuifeed.ui.widgets.info import InfoPanel

CLIPS = [
    Clip(
        id=f"c{i}",
        location=f"/clips/c{i}.mp4",
        title=f"Clip {i}",
        creator=f"maker{i}",
        tags=("waves", "blue"),
        sound="lofi-3",
        duration_ms=8000,
        width=360,
        height=640,
    )
    for i in range(4)
]


def make_app(
    store: Store,
    config: Config | None = None,
    clips: list[Clip] = CLIPS,
    color: ColorMode | None = None,
    typed: bytes = b"",
) -> tuple[TuifeedApp, FakePlayer]:
    """The app over a real store with the fake player and the in-order ranker, built as the CLI builds it."""
    store.upsert_clips(clips)
    config = config or Config()
    player = FakePlayer()
    playback = Playback(volume=config.player.volume, muted=config.player.muted, auto_advance=config.player.auto_advance)
    library = Library(store.path, cache_dir=Path(store.path).parent / "cache", cache_bytes=0)
    feeds = Feeds(store, player, InOrder(clips), clips, playback=playback, remote=library)
    app = TuifeedApp(feeds, config=config, render=RenderPlan(color=color or ColorMode()), library=library, typed=typed)
    return app, player


def info_text(app: TuifeedApp) -> str:
    return str(app.screen.query_one(InfoPanel).render())


async def test_keys_move_like_and_record(store: Store) -> None:
    """j j l k q: three moves, one like, four impressions with the right exits."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.session.current == CLIPS[0]
        for key in "jjlk":
            await pilot.press(key)
        assert app.session.current == CLIPS[1]
        assert "@maker1" in info_text(app)
        await pilot.press("q")
    assert [i.exit for i in store.impressions()] == [
        ImpressionExit.NEXT,
        ImpressionExit.NEXT,
        ImpressionExit.PREVIOUS,
        ImpressionExit.QUIT,
    ]
    assert store.liked_ids() == {"c2"}
    assert player.played == ["/clips/c0.mp4", "/clips/c1.mp4", "/clips/c2.mp4", "/clips/c1.mp4"]


async def test_keys_typed_before_the_app_ran_come_first(store: Store) -> None:
    """What the probe read before the app ran (j, l, then the escape code of Down) acts before a key typed now."""
    app, _player = make_app(store, typed=b"jl\x1b[B")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.session.current == CLIPS[2]
        await pilot.press("k")
        assert app.session.current == CLIPS[1]
        await pilot.press("q")
    assert store.liked_ids() == {"c1"}
    assert [i.exit for i in store.impressions()] == [
        ImpressionExit.NEXT,
        ImpressionExit.NEXT,
        ImpressionExit.PREVIOUS,
        ImpressionExit.QUIT,
    ]


async def test_like_twice_unlikes_and_panel_follows(store: Store) -> None:
    """The info panel shows the liked state as it toggles."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "♡" in info_text(app)
        await pilot.press("l")
        assert "♥ liked" in info_text(app)
        await pilot.press("l")
        assert "♥ liked" not in info_text(app)
    assert store.like_events()[-1][1] is False


async def test_video_paints_frames_as_half_blocks(store: Store) -> None:
    """A frame from the player lands in the video view as coloured half-block cells, centred."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        video = app.feed.video
        await show(pilot, player, video)
        assert video.frames_painted >= 1
        middle = video.render_line(video.size.height // 2).text
        assert "▀" in middle
        assert video.region.x > 0 and video.region.width < 120  # letterboxed: a 9:16 clip does not fill the width


async def test_info_panel_beside_vertical_clip_when_wide_below_when_narrow(store: Store) -> None:
    """Wide terminals put the panel beside a vertical clip; narrow ones below it."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.feed.has_class("side")
        await pilot.resize_terminal(60, 40)
        await pilot.pause()
        assert not app.feed.has_class("side")


async def test_clear_mode_hides_the_panel(store: Store) -> None:
    """c hides and shows the info panel."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        caption = app.feed.caption
        assert caption.display and caption.region.width == 36  # beside the vertical clip
        await pilot.press("c")
        await pilot.pause()
        assert not caption.display
        assert app.feed.video.region.size == (120, 40)
        await pilot.press("c")
        await pilot.pause()
        assert caption.display


async def test_help_lists_every_key_and_pauses(store: Store) -> None:
    """? shows every binding's keys; the feed pauses underneath and resumes after."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert player.paused and app.feed.video.covered
        rows = dict((description, keys) for keys, description in app.screen.rows)
        assert rows["Next clip"] == "j ↓ pgdn"
        assert rows["Like / unlike"] == "l"
        assert [description for _, description in app.screen.rows][:2] == ["Next clip", "Previous clip"]
        ids = [b.id for b in [*app.feed.BINDINGS, *app.BINDINGS] if getattr(b, "id", None) not in (None, "close_feed")]
        assert len(rows) == len(ids)
        assert "Back: close this page or list" not in rows  # For You cannot be closed
        assert dict(app.screen.mouse)["click @name #tag ♪"] == "open its page"
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is app.feed
        assert not player.paused and not app.feed.video.covered


async def test_player_controls_reach_the_player(store: Store) -> None:
    """Space, arrows, m, +/-, [/] and a drive the player and the session."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        assert player.paused
        await pilot.press("space", "right", "right", "left")
        assert not player.paused and player.position == 5000
        await pilot.press("m")
        assert player.muted
        await pilot.press("minus")
        assert (player.volume, player.muted) == (70, False)
        await pilot.press("right_square_bracket")
        assert player.rate == 1.25
        await pilot.press("a")
        assert app.session.playback.auto_advance
        assert "auto-advance" in info_text(app)


async def test_failed_clip_shows_one_line_and_moves_on(store: Store) -> None:
    """A clip the player cannot play gives one error toast and the next clip plays."""
    app, player = make_app(store)
    seen: list[Message] = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        player.fail("no picture could be decoded")
        await pilot.pause()
        assert any(isinstance(message, ClipFailed) for message in seen)
        assert app.session.current == CLIPS[1]
        assert app.feed.video.covered  # the toast overlaps the video: safe painting path
    assert store.impressions()[0].exit is ImpressionExit.ERROR


async def test_wheel_burst_is_one_swipe(store: Store) -> None:
    """Several wheel notches in quick succession move one clip; a later notch moves another."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(4):
            app.feed.post_message(events.MouseScrollDown(None, 10, 10, 0, 0, 0, False, False, False))
        await pilot.pause()
        assert app.session.current == CLIPS[1]
        await pilot.pause(WHEEL_QUIET_SECONDS + 0.1)
        app.feed.post_message(events.MouseScrollUp(None, 10, 10, 0, 0, 0, False, False, False))
        await pilot.pause()
        assert app.session.current == CLIPS[0]


async def test_click_pauses_and_double_click_likes(store: Store) -> None:
    """A click toggles pause; a double click likes (and leaves the pause state as it was)."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#video")
        assert player.paused
        await pilot.click("#video")
        assert not player.paused
        await pilot.double_click("#video")
        await pilot.pause()
        assert not player.paused
    assert store.liked_ids() == {"c0"}


async def test_keymap_from_config(store: Store) -> None:
    """[keys] in config.toml remaps a binding by its id."""
    app, _ = make_app(store, Config(keys={"like": "f"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f")
    assert store.liked_ids() == {"c0"}


@pytest.mark.parametrize("auto_advance", [True, False])
async def test_clip_end_loops_or_advances(store: Store, auto_advance: bool) -> None:
    """At the end a clip loops, or with auto-advance the next one starts."""
    app, player = make_app(store, Config(player=PlayerConfig(auto_advance=auto_advance)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        player.finish()
        await pilot.pause()
        assert app.session.current == (CLIPS[1] if auto_advance else CLIPS[0])


async def test_save_follow_and_refresh_are_recorded(store: Store) -> None:
    """b saves, f follows the creator, R refreshes For You: each lands in the events table."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("b", "f", "R", "y")
        await pilot.pause()
        text = info_text(app)
        assert "★ saved" in text and "✓ following" in text
    assert store.active(EventKind.SAVE) == {"c0"}
    assert store.active(EventKind.FOLLOW) == {"maker0"}
    kinds = [EventKind.SAVE, EventKind.FOLLOW, EventKind.RESET]
    assert [event[0] for event in store.events(kinds)] == kinds


async def test_why_shows_the_recommenders_terms(store: Store) -> None:
    """w opens "Why this clip?" with the ranker's terms for the clip on screen."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyScreen)
        assert app.screen.why.chosen == ("because c0",)
        assert "Chosen now because\n• because c0" in str(app.screen.query_one(Static).render())
        assert player.paused
        await pilot.press("z")
        await pilot.pause()
        assert app.screen is app.feed


async def test_not_interested_menu_mutes_a_creator(store: Store) -> None:
    """x opens the menu; choosing "Mute creator" records the mute and moves on."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, NotInterestedScreen)
        labels = [label for _, label in app.screen.choices]
        assert labels == [
            "Not interested in this clip",
            "Mute creator @maker0",
            "Mute sound ♪ lofi-3",
            "Mute #waves",
            "Mute #blue",
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.feed
        assert app.session.current == CLIPS[1]
    assert store.active(EventKind.MUTE_CREATOR) == {"maker0"}


async def test_not_interested_in_a_clip_moves_on(store: Store) -> None:
    """x then Enter marks the clip not interested and shows the next."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.current == CLIPS[1]
    assert store.active(EventKind.NOT_INTERESTED) == {"c0"}


async def test_import_panel_imports_while_the_feed_plays(store: Store, media_clips: list[Path], tmp_path: Path) -> None:
    """i opens the import panel; a folder imports in a worker, the clip keeps playing, new clips join the feed."""
    folder = tmp_path / "new"
    folder.mkdir()
    for clip_path in media_clips[:2]:
        shutil.copy(clip_path, folder / clip_path.name)
        shutil.copy(clip_path.with_suffix(".info.json"), folder / clip_path.with_suffix(".info.json").name)
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "import-path"
        for character in str(folder):
            await pilot.press(character)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert len(app.session.clips) == len(CLIPS) + 2
        assert app.session.current == CLIPS[0] and not player.paused
        status = str(app.screen.query_one("#import-status").render())
        assert "Done: 2 added" in status
        await pilot.press("escape")
        await pilot.press("j")
        assert app.session.current == CLIPS[1]


async def test_covered_video_paints_styled_cells_not_raw_escapes(store: Store) -> None:
    """Uncovered rows are pre-encoded ANSI; while a toast covers the video they become styled ▀ segments."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        video = app.feed.video
        await show(pilot, player, video)
        row = video.size.height // 2
        assert not video.covered
        assert "\x1b[" in video.render_line(row).text
        app.notify("a toast over the picture")
        assert video.covered
        strip = video.render_line(row)
        assert "\x1b" not in strip.text
        picture = [segment for segment in strip if "▀" in segment.text]
        assert picture and all(segment.style and segment.style.color and segment.style.bgcolor for segment in picture)
        assert strip.cell_length == video.size.width


async def test_256_colour_terminals_get_palette_colours(store: Store) -> None:
    """Without truecolor the picture uses xterm-256 palette codes on both painting paths."""
    app, player = make_app(store, color=ColorMode(ColorSystem.ANSI256))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        video = app.feed.video
        await show(pilot, player, video)
        row = video.size.height // 2
        fast = video.render_line(row).text
        assert "\x1b[38;5;" in fast and "38;2;" not in fast
        video.set_covered(True)
        styles = [segment.style for segment in video.render_line(row) if "▀" in segment.text]
        assert styles and all(style and style.color and style.color.number is not None for style in styles)


async def test_dwelling_on_one_creator_makes_it_dominate(store: Store) -> None:
    """With the real recommender: fast swipes past one creator, long stays on another; the second leads."""
    sizes = {"skipped": 20, "loved": 20, **{f"other{k}": 6 for k in range(6)}}
    clips = [
        Clip(
            id=f"{creator}-{n}",
            location=f"/clips/{creator}-{n}.mp4",
            creator=creator,
            tags=(creator,),
            duration_ms=10_000,
            width=360,
            height=640,
        )
        for creator, size in sizes.items()
        for n in range(size)
    ]
    store.upsert_clips(clips)
    recommender = Recommender(seed=11)
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    now = [1000.0]
    feeds = Feeds(store, FakePlayer(), recommender, clips, clock=lambda: now[0])
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan())
    stay = {"loved": 9.0, "skipped": 0.4}
    shown: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(30):
            current = app.session.current
            assert current is not None and current.creator is not None
            shown.append(current.creator)
            now[0] += stay.get(current.creator, 2.0)
            await pilot.press("j")
    following = shown[-10:]
    counts = {creator: following.count(creator) for creator in set(following)}
    # The diversity rule caps any creator at 3 in 10, so leading means reaching that cap, with no one above it.
    assert counts.get("loved", 0) == max(counts.values()) == RecommenderSettings().max_per_creator
    assert "skipped" not in counts


async def test_ctrl_c_quits_and_records(store: Store) -> None:
    """Ctrl-C quits like q, closing the impression on screen."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert [i.exit for i in store.impressions()] == [ImpressionExit.QUIT]


async def test_counter_says_where_you_are_and_replays_are_announced_once(store: Store) -> None:
    """The panel counts the round truthfully; when everything was seen the person is told once, calmly."""
    app, _ = make_app(store)
    told: list[str] = []
    notify = app.notify

    def record(message: str, **options: Any) -> None:
        told.append(message)
        notify(message, **options)

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert "seen 1 of 4" in info_text(app)
        await pilot.press("j", "j", "k")
        assert "seen 3 of 4 · 1 back" in info_text(app)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert "seen 1 of 4 · round 2" in info_text(app)
        assert REPLAY_NOTICE in await toasts_with(pilot, REPLAY_NOTICE)
        await pilot.press(*"jjjjj")
        await pilot.pause()
        assert "round 3" in info_text(app)
    assert told.count(REPLAY_NOTICE) == 1  # counted as told, not as still on screen: toasts expire


async def test_the_info_panel_follows_the_session_status(store: Store) -> None:
    """The panel is bound to the screen's status: a mute, a speed and a like show without a call to the panel."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("m", "right_square_bracket", "l")
        await pilot.pause()
        assert app.feed.status == app.session.status()
        assert app.screen.query_one(InfoPanel).status is app.feed.status
        text = info_text(app)
        assert "♥ liked" in text and "muted · 1.25x" in text


HOSTILE = Clip(
    id="h1",
    location="/clips/x[/h1.mp4",
    title="[link=file:///etc/passwd]x",
    creator="[/]",
    tags=("[b]bold", "ok"),
    sound="[red]loud",
    duration_ms=8000,
    width=360,
    height=640,
)


async def test_outside_text_is_never_markup(store: Store) -> None:
    """A creator `[/]`, a title with [link=...], markup in tags and sound: x, f and w show them as they are."""
    clips = [HOSTILE, *CLIPS]
    store.upsert_clips(clips)
    recommender = Recommender(seed=0)
    recommender.add_clips(ClipFeatures.from_clip(clip) for clip in clips)
    feeds = Feeds(store, FakePlayer(), recommender, clips)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        while app.session.current != HOSTILE:
            await pilot.press("j")
        text = info_text(app)
        assert "@[/]" in text and "[link=file:///etc/passwd]x" in text and "#[b]bold" in text and "♪ [red]loud" in text

        await pilot.press("x")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, NotInterestedScreen)
        options = menu.query_one(OptionList)
        rendered = [options.render_line(y).text for y in range(options.size.height)]
        assert any("Mute creator @[/]" in line for line in rendered)
        assert any("Mute sound ♪ [red]loud" in line for line in rendered)
        await pilot.press("escape")

        await pilot.press("f")
        await pilot.pause()
        assert "Following @[/]" in await toasts_with(pilot, "Following @[/]")

        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyScreen)
        why = str(app.screen.query_one(Static).render())
        assert "[link=file:///etc/passwd]x" in why and "you follow [/]" in why
        await pilot.press("z")

        await pilot.press("x", "down", "enter")
        await pilot.pause()
        assert "Muted @[/] · u undoes" in await toasts_with(pilot, "Muted @[/] · u undoes")
    assert store.active(EventKind.MUTE_CREATOR) == {"[/]"}


@pytest.mark.vlc
async def test_a_clip_that_fails_in_a_folder_named_like_markup(
    store: Store, media_clips: list[Path], tmp_path: Path
) -> None:
    """Real libvlc on a broken file in a folder `x[`: the error toast shows the path as it is, the next clip plays."""
    folder = tmp_path / "x["
    folder.mkdir()
    broken = folder / "broken.mp4"
    broken.write_bytes(b"\x00not a video at all" * 4096)
    good = media_clips[0]
    clips = [
        Clip(id="broken", location=str(broken), creator="[/]", title="[b]broken"),
        Clip(id="good", location=str(good), creator="someone", width=360, height=640),
    ]
    store.upsert_clips(clips)
    player = VlcPlayer(audio_output="adummy")
    app = TuifeedApp(Feeds(store, player, InOrder(clips), clips), config=Config(), render=RenderPlan())
    seen: list[Message] = []
    try:
        async with app.run_test(size=(120, 40), message_hook=seen.append, notifications=True) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if app.session.current == clips[1] and app.feed.video.frames_painted:
                    break
            assert any(isinstance(message, ClipFailed) for message in seen)
            assert app.session.current == clips[1] and app.feed.video.frames_painted
            assert any(toast.startswith(f"Cannot play {broken}: ") for toast in toasts(app)), toasts(app)
            await pilot.press("q")
    finally:
        player.close()
    assert store.impressions()[0].exit is ImpressionExit.ERROR


async def test_a_toast_shows_terminal_controls_as_text(store: Store) -> None:
    """An error line quoting outside text (a URL, a server's reply) never carries an escape to the terminal."""
    store.upsert_clips(CLIPS)
    feeds = Feeds(store, FakePlayer(), Recommender(seed=0), CLIPS)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        app.notify("Cannot play http://h/\x1b]52;c;eA==\x07x.mp4: [b]gone", severity="error")
        shown = await toasts_with(pilot, "gone")
        assert any("[b]gone" in toast and "\x1b" not in toast and "\x07" not in toast for toast in shown), shown


@pytest.mark.parametrize(("opener", "key"), [("?", "escape"), ("w", "z"), ("x", "select"), ("R", "click")])
async def test_events_queued_for_a_closing_modal_close_only_it(store: Store, opener: str, key: str) -> None:
    """Two keys, choices or clicks reach help, Why, a menu or a question before it closes: the page under it stays."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("@")  # a creator page over For You: a second close would pop it, its stay unrecorded
        await pilot.pause()
        page = app.screen
        await pilot.press(opener)
        await pilot.pause()
        modal = app.screen
        assert modal is not page
        for _ in range(2):
            if key == "click":
                modal.post_message(events.Click(modal, 1, 1, 0, 0, 1, False, False, False))
            elif key == "select":
                options = modal.query_one(OptionList)
                options.post_message(OptionList.OptionSelected(options, options.get_option_at_index(0), 0))
            else:
                modal.post_message(events.Key(key, None))
        await pilot.pause()
        assert app.screen is page
    assert app.crash is None


async def test_a_page_closed_before_it_started_never_plays(store: Store) -> None:
    """@ then Esc before the page's first clip starts: no stay opens in the closed page, For You's clip plays on."""
    app, player = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.feed.action_page("creator")
        app.post_message(events.Key("escape", None))
        await pilot.pause()
        await pilot.pause(0.1)
        assert app.screen is app.feed
        assert player.location == CLIPS[0].location and not player.paused
        await pilot.press("q")
    assert not list(store.rows("SELECT id FROM impressions WHERE ended_at IS NULL"))
    assert [i.exit for i in store.impressions()] == [ImpressionExit.QUIT]
