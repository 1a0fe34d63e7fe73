"""The app's places driven by Pilot against a real store: modes, pages, lists, search, filters, mutes, undo, layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_wait import until
from ranker_stub import InOrder
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TabbedContent
from toasts import toasts_with

from tuifeed.config import Config
from tuifeed.feed import Feeds, Filters
from tuifeed.models import Clip, EventKind, ImpressionExit
from tuifeed.player.fake import FakePlayer
from tuifeed.player.vlc_engine import VlcPlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.screens.choose import ChooseScreen
from tuifeed.ui.screens.confirm import ConfirmScreen
from tuifeed.ui.screens.feed import FeedScreen
from tuifeed.ui.screens.filters import FiltersScreen
from tuifeed.ui.screens.help import HelpScreen
from tuifeed.ui.screens.library import LibraryScreen
from tuifeed.ui.screens.not_interested import NotInterestedScreen
from tuifeed.ui.screens.search import SearchScreen
from tuifeed.ui.widgets.info import InfoPanel


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def clip(n: int, creator: str, *, vertical: bool = True, sound: str = "lofi-3", seconds: int = 8) -> Clip:
    return Clip(
        id=f"c{n}",
        location=f"/clips/c{n}.mp4",
        title=f"Clip {n} by the sea" if n % 2 else f"Clip {n} in the city",
        creator=creator,
        description=f"walk number {n}",
        tags=("waves", "blue") if n % 2 else ("street",),
        sound=sound,
        duration_ms=seconds * 1000,
        width=360 if vertical else 640,
        height=640 if vertical else 360,
        published_at=f"2026-01-{n + 1:02d}T00:00:00+00:00",
    )


CLIPS = [
    clip(0, "ana"),
    clip(1, "bo", sound="surf"),
    clip(2, "cy", vertical=False),
    clip(3, "ana", sound="surf"),
    clip(4, "bo", seconds=40),
    clip(5, "ana"),
]


def make_app(
    store: Store, config: Config | None = None, *, filters: Filters | None = None, **options: object
) -> tuple[TuifeedApp, FakePlayer, Clock]:
    """The app as the CLI builds it, over a real store, the fake player and the in-order ranker."""
    store.upsert_clips(CLIPS)
    player, clock = FakePlayer(length_ms=8_000), Clock()
    feeds = Feeds(store, player, InOrder(CLIPS), CLIPS, clock=clock, filters=filters)
    app = TuifeedApp(feeds, config=config or Config(), render=RenderPlan(), **options)  # type: ignore[arg-type]
    return app, player, clock


def feed(app: TuifeedApp) -> FeedScreen:
    screen = app.screen
    assert isinstance(screen, FeedScreen), screen
    return screen


def shown(app: TuifeedApp) -> str | None:
    current = feed(app).session.current
    return current.id if current else None


async def searched(pilot: Pilot[None], query: str) -> SearchScreen:
    """The search screen once its summary names `query`: the words typed rest a moment before they are searched."""

    def ran() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, SearchScreen) and f"“{query}”" in str(screen.summary.render())

    await until(pilot, ran)
    search = pilot.app.screen
    assert isinstance(search, SearchScreen)
    assert ran(), f"no search for “{query}”: {search.summary.render()}"
    return search


def cells(table: DataTable[Text], row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


async def test_modes_keep_their_place_and_only_the_feed_on_screen_plays(store: Store) -> None:
    """1, 2, 3 and / switch modes; For You pauses while away and comes back to its clip, its dwell without the trip."""
    app, player, clock = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        assert shown(app) == "c1"
        clock.now += 3
        player.position = 3_000
        await pilot.press("f")  # follow @bo
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "following" and feed(app).session.title == "Following"
        assert shown(app) == "c4"  # @bo's newest
        assert player.location == "/clips/c4.mp4" and not player.paused
        clock.now += 50
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and player.paused
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "for_you" and shown(app) == "c1"
        assert player.location == "/clips/c1.mp4" and player.position == 3_000 and not player.paused
        clock.now += 2
        await pilot.press("2")
        await pilot.pause()
        assert shown(app) == "c4" and player.location == "/clips/c4.mp4"  # Following kept its place too
        await pilot.press("q")
    stays = {(s.clip_id, s.exit): s.dwell_ms for s in store.impressions()}
    assert stays[("c1", ImpressionExit.QUIT)] == 5_000  # 3 s, then 2 s after coming back: not the 50 s away
    assert stays[("c4", ImpressionExit.QUIT)] == 50_000


async def test_creator_page_from_its_key_and_back_where_you_were(store: Store) -> None:
    """@ opens every clip of the creator on screen, newest first; Esc closes it and For You goes on."""
    app, player, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("at")
        await pilot.pause()
        page = feed(app)
        assert page.closable and page.session.title == "@ana"
        assert set(page.session.clips) == {"c0", "c3", "c5"} and shown(app) == "c5"
        assert "@ana · seen 1 of 3" in str(page.info.render())
        await pilot.press("j")
        assert shown(app) == "c3"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.feed and shown(app) == "c0"
        assert player.location == "/clips/c0.mp4" and not player.paused
    assert [(s.clip_id, s.exit) for s in store.impressions()][:2] == [
        ("c5", ImpressionExit.NEXT),
        ("c3", ImpressionExit.LEFT),
    ]


def link_offset(panel: InfoPanel, word: str) -> tuple[int, int]:
    """Where `word` is drawn in the panel, as an offset from its top-left corner (the panel has 1 cell of padding)."""
    for y, line in enumerate(str(panel.render()).splitlines()):
        if word in line:
            return line.index(word) + 1 + 1, y
    raise AssertionError(f"{word!r} is not in the panel")


async def test_a_click_on_a_tag_or_the_sound_opens_its_page(store: Store) -> None:
    """The tags and the sound in the info panel are links to their pages; a click elsewhere does not pause."""
    app, player, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        panel = app.feed.info
        await pilot.click(InfoPanel, offset=link_offset(panel, "#blue"))
        await pilot.pause()
        assert feed(app).session.title == "#blue" and set(feed(app).session.clips) == {"c1", "c3", "c5"}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(InfoPanel, offset=link_offset(app.feed.info, "♪ surf"))
        await pilot.pause()
        assert feed(app).session.title == "♪ surf" and set(feed(app).session.clips) == {"c1", "c3"}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(InfoPanel, offset=link_offset(app.feed.info, "@bo"))
        await pilot.pause()
        assert feed(app).session.title == "@bo"
        assert not player.paused


async def test_hashtag_key_asks_which_tag_when_there_are_several(store: Store) -> None:
    """# on a clip with two tags asks which; s opens the sound's page at once."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "number_sign")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert [label for label, _ in app.screen.choices] == ["#waves", "#blue"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert feed(app).session.title == "#blue"
        await pilot.press("escape", "s")
        await pilot.pause()
        assert feed(app).session.title == "♪ surf"
        why = feed(app).session.why()
        assert why is not None and why.chosen[0] == "it is on the page of ♪ surf"


async def test_a_list_plays_from_its_row_and_closing_comes_back_to_that_row(store: Store) -> None:
    """Liked, newest first; Enter on the second row plays from it; Esc returns to the list, cursor on that row."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l", "j", "l", "j", "l", "3")
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen) and library.current == "liked"
        table = library.table("liked")
        assert [cells(table, row)[1] for row in range(table.row_count)] == ["@cy", "@bo", "@ana"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert feed(app).session.title == "Liked" and shown(app) == "c1"
        await pilot.press("j")
        assert shown(app) == "c0"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library and library.table("liked").cursor_row == 1


async def test_history_shows_dwell_completion_and_watched_markers(store: Store) -> None:
    """History lists each stay with how much of the clip it saw; a clip seen to the end is marked watched."""
    app, _, clock = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        clock.now += 8
        await pilot.press("j")
        clock.now += 2
        await pilot.press("j", "3", "right", "right")
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen) and library.current == "history"
        table = library.table("history")
        assert cells(table, 0)[1:] == ["@bo", "Clip 1 by the sea", "0:08", "0:02 of 0:08 · 25%"]
        assert cells(table, 1)[1:] == ["@ana", "Clip 0 in the city", "0:08", "✓ watched"]
        assert cells(table, 1)[0] == "just now"


async def test_mute_toast_offers_undo_and_the_mutes_list_unmutes_live(store: Store) -> None:
    """x mutes @ana with an undo toast; u undoes; mute again, then lift it from the Mutes list."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, NotInterestedScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Muted @ana · u undoes" in await toasts_with(pilot, "Muted @ana · u undoes")
        assert shown(app) == "c1" and "c3" not in app.session.clips
        await pilot.press("u")
        await pilot.pause()
        assert "Undone: mute of @ana" in await toasts_with(pilot, "Undone: mute of @ana")
        assert {"c0", "c3", "c5"} <= set(app.session.clips) and store.active(EventKind.MUTE_CREATOR) == set()
        await pilot.press("x", "down", "down", "enter")  # mute the sound of c1
        await pilot.pause()
        assert store.active(EventKind.MUTE_SOUND) == {"surf"}
        await pilot.press("3", "left")
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen) and library.current == "mutes"
        assert cells(library.table("mutes"), 0)[1] == "sound ♪ surf"
        await pilot.press("u")
        await pilot.pause()
        assert "Unmuted ♪ surf" in await toasts_with(pilot, "Unmuted ♪ surf")
        assert store.active(EventKind.MUTE_SOUND) == set() and library.table("mutes").row_count == 0
        await pilot.press("1")
        await pilot.pause()
        assert {"c1", "c3"} <= set(app.session.clips)


async def test_refresh_asks_first_and_u_undoes_it(store: Store) -> None:
    """R asks; n leaves everything; R y refreshes (the reset is stored); u takes it back from the store."""
    app, _, _ = make_app(store)
    ranker = app.feeds.ranker
    assert isinstance(ranker, InOrder)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert store.last_seq(EventKind.RESET) is None and ranker.resets == 0
        await pilot.press("j", "R", "y")
        await pilot.pause()
        assert store.last_seq(EventKind.RESET) is not None and ranker.resets == 1
        assert "For You refreshed: starting fresh · u undoes" in await toasts_with(
            pilot, "For You refreshed: starting fresh · u undoes"
        )
        await pilot.press("u")
        await pilot.pause()
        assert store.last_seq(EventKind.RESET) is None
        assert [f.clip_id for f in ranker.observed] == ["c0"]  # rebuilt from the stored stays
        assert "Undone: refresh" in await toasts_with(pilot, "Undone: refresh")


async def test_search_as_you_type_then_play_the_results(store: Store) -> None:
    """/ then words: matching clips at once; Enter goes to the results, Enter plays them; Esc, Esc: back to For You."""
    app, player, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"sea wal")
        search = await searched(pilot, "sea wal")
        assert sorted(clip.id for clip in search.results) == ["c1", "c3", "c5"]
        assert "3 clips for “sea wal”" in str(search.summary.render())
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert feed(app).session.title == "Search: sea wal"
        assert shown(app) == search.results[1].id and player.location == f"/clips/{shown(app)}.mp4"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is search and search.table.cursor_row == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.feed and shown(app) == "c0" and not player.paused


async def test_hostile_search_words_are_words(store: Store) -> None:
    """Quotes, stars and operators in the field never break the search."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *'"city" OR NEAR(*')
        search = await searched(pilot, '"city" OR NEAR(*')
        assert sorted(clip.id for clip in search.results) == []  # "or" and "near" are words no clip has
        await pilot.press(*["backspace"] * 13)
        await searched(pilot, '"ci')
        assert sorted(clip.id for clip in search.results) == ["c0", "c2", "c4"]


async def test_search_from_the_command_line_opens_playing(store: Store) -> None:
    """`tuifeed search sea --play` opens on the results, the first one playing."""
    app, player, _ = make_app(store, search="sea", play=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, FeedScreen) and app.screen.session.current is not None)
        assert feed(app).session.title == "Search: sea"
        assert shown(app) in {"c1", "c3", "c5"} and player.location == f"/clips/{shown(app)}.mp4"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_filters_from_the_app_and_from_config(store: Store) -> None:
    """F toggles only-vertical for For You (the panel says so); the config's filters apply from the start."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)
        await pilot.press("enter", "down", "enter", "escape")
        await pilot.pause()
        assert app.feeds.filters == Filters(only_vertical=True, max_seconds=15)
        assert set(app.session.clips) == {"c0", "c1", "c3", "c5"}
        assert "only vertical · under 15 s" in str(app.feed.info.render())
    short, _, _ = make_app(store, filters=Filters(max_seconds=30))
    async with short.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "c4" not in short.session.clips


async def test_following_with_nobody_followed_says_how_to_follow(store: Store) -> None:
    """An empty Following feed says, in the middle of the screen, how to fill it; a first follow fills it."""
    app, player, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        screen = feed(app)
        assert screen.has_class("notice") and "You follow no one yet" in str(screen.notice.render())
        await pilot.press("1", "f", "2")  # follow @ana, back to Following: it plays her clips now
        await pilot.pause()
        assert app.screen is screen and not screen.has_class("notice")
        assert shown(app) == "c5" and player.location == "/clips/c5.mp4"


@pytest.mark.parametrize(("width", "height"), [(200, 60), (160, 48), (80, 24)])
async def test_wide_screens_put_the_info_beside_the_picture_like_a_caption(
    store: Store, width: int, height: int
) -> None:
    """The picture is centred (or with its panel, as a group), the panel's bottom at the picture's bottom."""
    app, player, _ = make_app(store)
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        player.emit_frame((360, 640))
        await pilot.pause(0.1)
        screen = feed(app)
        assert screen.has_class("side")
        picture, panel = screen.video.region, screen.info.region
        assert picture.height == height and not picture.overlaps(panel)
        assert panel.x == picture.right + 2 and panel.bottom == picture.bottom
        left, right = picture.x, width - panel.right
        if left >= 38:
            assert abs(left - (width - picture.right)) <= 1  # the picture itself is centred
        else:
            assert abs(left - right) <= 1  # picture and panel are centred together
        middle = screen.video.render_line(height // 2).text
        assert "▀" in middle


async def test_a_horizontal_clip_has_its_panel_below(store: Store) -> None:
    """A landscape clip fills the width; the panel sits below it across the screen."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")
        screen = feed(app)
        assert shown(app) == "c2" and not screen.has_class("side")
        assert screen.info.region.width == 160 and screen.info.region.y == 42


async def test_a_terminal_too_small_for_a_picture_says_so_in_one_line(store: Store) -> None:
    """At 20x6 the screen says it is too small, on one line, and draws no sliver of picture."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        screen = feed(app)
        assert screen.has_class("notice") and screen.notice.region == screen.region
        assert str(screen.notice.render()) == "Too small (20x6)" and screen.video.covered
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert not screen.has_class("notice") and not screen.notice.display and not screen.video.covered


async def test_a_pause_glyph_sits_on_the_picture_while_paused(store: Store) -> None:
    """Space shows ❚❚ in the middle of the picture (the video then paints the safe way); space again hides it."""
    app, player, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        player.emit_frame((360, 640))
        await pilot.press("space")
        await pilot.pause()
        screen = feed(app)
        glyph = screen.glyph
        assert glyph.display and screen.video.covered
        assert screen.video.region.contains_region(glyph.region)
        assert abs(glyph.region.center[0] - screen.video.region.center[0]) <= 1
        await pilot.press("space")
        await pilot.pause()
        assert not glyph.display and not screen.video.covered


async def test_help_in_each_place_lists_its_keys_and_the_mouse(store: Store) -> None:
    """? in the Library lists its keys and the app's; on a page, Esc (back) is listed."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {description: keys for keys, description in app.screen.rows}
        assert rows["Play the list from this row (Mutes: unmute)"] == "⏎"
        assert rows["For You"] == "1" and rows["Search"] == "/"
        assert dict(app.screen.mouse)["click a tab"] == "show that list"
        await pilot.press("z", "1", "at", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("esc ⌫", "Back: close this page or list") in app.screen.rows


async def test_mode_keys_are_remappable(store: Store) -> None:
    """[keys] following = "9" moves Following to 9."""
    app, _, _ = make_app(store, Config(keys={"following": "9", "library": "0"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("9")
        await pilot.pause()
        assert app.current_mode == "following"
        await pilot.press("0")
        await pilot.pause()
        assert app.current_mode == "library"
        assert isinstance(app.screen.query_one(TabbedContent), TabbedContent)


@pytest.mark.vlc
async def test_real_libvlc_resumes_the_for_you_clip_after_a_page(store: Store, media_clips: list[Path]) -> None:
    """With libvlc: For You plays, a page takes the player, Esc hands it back and For You's clip plays again."""
    clips = [
        Clip(id=f"m{index}", location=str(path), creator="ana" if index else "bo", width=360, height=640)
        for index, path in enumerate(media_clips[:3])
    ]
    store.upsert_clips(clips)
    player = VlcPlayer(audio_output="adummy")
    feeds = Feeds(store, player, InOrder(clips), clips)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan())

    async def painted(screen: FeedScreen) -> None:
        start = screen.video.frames_painted
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.video.frames_painted > start + 2:
                return
        raise AssertionError("no frames painted")

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await painted(app.feed)
            await pilot.press("j", "at")  # m1 by ana: her page
            await pilot.pause()
            page = feed(app)
            assert page.session.title == "@ana"
            await painted(page)
            assert page.session.plays and not app.session.plays
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.feed and app.session.plays and shown(app) == "m1"
            await painted(app.feed)
            assert player.state.value == "playing"
            await pilot.press("q")
    finally:
        player.close()
    exits = [(s.clip_id, s.exit) for s in store.impressions()]
    assert exits[-1] == ("m1", ImpressionExit.QUIT) and ("m0", ImpressionExit.NEXT) in exits
    assert any(exit is ImpressionExit.LEFT for _, exit in exits)


def test_the_state_line_fits_a_narrow_panel_so_the_time_bar_stays() -> None:
    """Liked, saved, paused and the volume: on a narrow panel the marks drop their words instead of wrapping."""
    from tuifeed.feed.status import FeedStatus
    from tuifeed.ui.widgets.info import describe

    clip = Clip(id="a", location="/v/a.mp4", title="Big waves", creator="ana", duration_ms=10_000)
    status = FeedStatus(clip, stay=1, liked=True, saved=True, paused=True, volume=100)
    for width, marks in ((60, "♥ liked  ★ saved"), (30, "♥ ★")):
        lines = describe(status, width).plain.splitlines()
        state = next(line for line in lines if line.startswith("♥"))
        assert state.startswith(marks) and len(state) <= width, state
        assert lines[-1].startswith("0:00"), "the time bar is the last line"


def test_below_the_picture_long_text_is_cut_to_one_row_each_so_the_time_bar_stays() -> None:
    """A long creator, title, tag list and sound: six rows below the picture, the time bar last; beside it, wrapped."""
    from rich.console import Console

    from tuifeed.feed.status import FeedStatus
    from tuifeed.ui.widgets.info import describe

    clip = Clip(
        id="a",
        location="/v/a.mp4",
        title="A very long title about waves " * 8,
        creator="someone-with-a-name-far-longer-than-any-panel" * 2,
        tags=tuple(f"tag{number}" for number in range(40)),
        sound="A sound with a long name " * 6,
        duration_ms=10_000,
    )
    status = FeedStatus(clip, stay=1, liked=True, seen=3, total=17)
    console = Console(width=200)
    for width in (78, 40):
        rows = describe(status, width, one_row_each=True).wrap(console, width)
        assert len(rows) == 6, [row.plain for row in rows]
        assert all(row.cell_len <= width for row in rows)
        assert "seen 3 of 17" in rows[0].plain and rows[0].plain.startswith("@someone")
        assert rows[1].plain.endswith("…") and rows[-1].plain.startswith("0:00")
        assert rows[2].spans and all(span.style for span in rows[2].spans), "the tags are still links"
    beside = describe(status, 34).wrap(console, 34)
    assert "".join(row.plain for row in beside).count("waves") == 8, "beside the picture the title wraps whole"
