"""Search and lists in the store: FTS5 kept in step by triggers, hostile queries, liked/saved/history/mutes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from tuifeed.models import Clip, EventKind, Impression, ImpressionExit, MuteKind
from tuifeed.store import Store
from tuifeed.store.lists import history, liked, mutes, saved, watched_ids
from tuifeed.store.migrations import migration_set
from tuifeed.store.search import match_expression, search_clips

AT = "2026-01-01T00:00:00.000+00:00"


def clip(clip_id: str, **fields: object) -> Clip:
    return Clip(id=clip_id, location=f"/clips/{clip_id}.mp4", **fields)  # type: ignore[arg-type]


LIBRARY = [
    clip("waves", title="Big waves at dawn", creator="ana", description="Surfing the north shore", tags=("ocean",)),
    clip("cats", title="Pixel cats", creator="bo", description="Two cats fight over a laser", sound="meow mix"),
    clip("drive", title="Sunset drive", creator="cy", tags=("Roadtrip", "ocean"), sound="lofi-3"),
]


def ids(clips: list[Clip]) -> list[str]:
    return [found.id for found in clips]


def test_search_finds_words_in_every_field(store: Store) -> None:
    """A word of the title, the description, a tag, the creator or the sound finds its clip."""
    store.upsert_clips(LIBRARY)
    assert ids(search_clips(store, "dawn")) == ["waves"]
    assert ids(search_clips(store, "laser")) == ["cats"]
    assert ids(search_clips(store, "roadtrip")) == ["drive"]
    assert ids(search_clips(store, "bo")) == ["cats"]
    assert ids(search_clips(store, "lofi")) == ["drive"]
    assert set(ids(search_clips(store, "ocean"))) == {"waves", "drive"}


def test_every_word_must_match_and_words_are_prefixes(store: Store) -> None:
    """All words are required; a word still being typed matches as a prefix; case and accents do not matter."""
    store.upsert_clips(LIBRARY)
    assert ids(search_clips(store, "ocean sunset")) == ["drive"]
    assert ids(search_clips(store, "SURF nor")) == ["waves"]
    store.upsert_clips([clip("cafe", title="Café crème")])
    assert ids(search_clips(store, "cafe creme")) == ["cafe"]


def test_search_limits_what_keep_lets_through(store: Store) -> None:
    """The limit counts only the clips `keep` lets through: a refused best match leaves room for the next."""
    store.upsert_clips(LIBRARY)
    [best] = ids(search_clips(store, "ocean", limit=1))
    [other] = {"waves", "drive"} - {best}
    assert ids(search_clips(store, "ocean", limit=1, keep=lambda found: found.id != best)) == [other]


def test_title_outranks_description(store: Store) -> None:
    """A word in the title ranks its clip above a clip with the word only in its description."""
    store.upsert_clips([clip("low", title="Morning", description="a walk by the sea"), clip("high", title="The sea")])
    assert ids(search_clips(store, "sea")) == ["high", "low"]


def test_triggers_keep_the_index_in_step(store: Store) -> None:
    """An update replaces a clip's words, a delete removes them, a missing clip is not found."""
    store.upsert_clips(LIBRARY)
    store.upsert_clips([clip("cats", title="Sleepy dogs", creator="bo")])
    assert search_clips(store, "pixel") == []
    assert ids(search_clips(store, "sleepy")) == ["cats"]
    store.db.execute("DELETE FROM clips WHERE id = 'waves'")
    assert search_clips(store, "dawn") == []
    store.set_missing(["drive"])
    assert search_clips(store, "sunset") == []
    store.set_missing(["drive"], False)
    assert ids(search_clips(store, "sunset")) == ["drive"]
    [check] = store.rows("INSERT INTO clips_fts (clips_fts, rank) VALUES ('integrity-check', 1) RETURNING 1")
    assert check


def test_migration_backfills_clips_imported_before_search(tmp_path: Path) -> None:
    """A library from before search is indexed when the migration runs."""
    path = tmp_path / "old.db"
    db = Database(path)
    migration_set().apply(db, stop_before="m007_clip_search")
    db.table("clips").insert({"id": "old", "location": "/old.mp4", "title": "Old harbour", "tags": '["boats"]'})
    db.close()
    store = Store(path)
    assert ids(search_clips(store, "harbour boats")) == ["old"]
    store.close()


HOSTILE = ['"', "ocean\"'", "AND", "OR ocean", "NEAR(ocean bo)", "-ocean", "title:ocean", "*", "oce*", "(", "^x"]


def test_fts_syntax_in_a_query_is_plain_words(store: Store) -> None:
    """Operators, quotes, column filters and stars are words or separators, never an error."""
    store.upsert_clips(LIBRARY)
    for query in HOSTILE:
        search_clips(store, query)
    assert set(ids(search_clips(store, "title:ocean"))) == set()  # "title" is not a word of any clip
    assert set(ids(search_clips(store, "-ocean"))) == {"waves", "drive"}
    assert match_expression("  !!  ") is None and search_clips(store, "!!") == []


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_any_text_is_a_valid_query(store: Store, query: str) -> None:
    """Whatever a person types, search answers with clips of the library (perhaps none), never an error."""
    if not store.clip_count():
        store.upsert_clips(LIBRARY)
    assert set(ids(search_clips(store, query))) <= {found.id for found in LIBRARY}


def stay(store: Store, clip_id: str, dwell_ms: int, duration_ms: int = 10_000, loops: int = 0) -> None:
    impression_id = store.open_impression(clip_id, AT, duration_ms)
    ended = Impression(clip_id, AT, AT, dwell_ms, duration_ms, loops, ImpressionExit.NEXT)
    store.close_impression(impression_id, ended)


def test_lists_newest_first_with_their_times(store: Store) -> None:
    """Liked and saved keep the latest toggle per clip, newest first; unliked and unsaved clips leave."""
    store.upsert_clips(LIBRARY)
    store.record_like("waves", True, "2026-01-01T00:00:01.000+00:00")
    store.record_like("cats", True, "2026-01-01T00:00:02.000+00:00")
    store.record_like("waves", False, "2026-01-01T00:00:03.000+00:00")
    store.record_like("drive", True, "2026-01-01T00:00:03.000+00:00")
    assert [(row.clip.id, row.at[:19]) for row in liked(store)] == [
        ("drive", "2026-01-01T00:00:03"),
        ("cats", "2026-01-01T00:00:02"),
    ]
    store.record_event(EventKind.SAVE, "cats", True, AT)
    store.record_event(EventKind.SAVE, "waves", True, AT)
    store.record_event(EventKind.SAVE, "cats", False, AT)
    assert [row.clip.id for row in saved(store)] == ["waves"]
    store.set_missing(["waves"])
    assert saved(store) == []


def test_history_has_dwell_completion_and_watched_markers(store: Store) -> None:
    """Every closed stay, newest first by sequence, with its dwell and completion; failures left out."""
    store.upsert_clips(LIBRARY)
    stay(store, "waves", 9_500)
    stay(store, "cats", 1_000)
    stay(store, "drive", 4_000, loops=1)
    failed = store.open_impression("cats", AT, 10_000)
    store.close_impression(failed, Impression("cats", AT, AT, 0, 10_000, 0, ImpressionExit.ERROR))
    store.open_impression("waves", AT, 10_000)  # still on screen: not history yet
    rows = history(store)
    assert [(row.clip.id, row.dwell_ms, row.watched) for row in rows] == [
        ("drive", 4_000, True),
        ("cats", 1_000, False),
        ("waves", 9_500, True),
    ]
    assert rows[1].watch_ratio == 0.1
    assert watched_ids(store) == {"waves", "drive"}
    assert [row.clip.id for row in history(store, limit=1)] == ["drive"]


def test_mutes_in_force_newest_first(store: Store) -> None:
    """A mute undone leaves the list; the rest come newest first with when they were made."""
    store.record_event(EventKind.MUTE_CREATOR, "ana", True, "2026-01-01T00:00:01.000+00:00")
    store.record_event(EventKind.MUTE_TAG, "ocean", True, "2026-01-01T00:00:02.000+00:00")
    store.record_event(EventKind.MUTE_SOUND, "lofi-3", True, "2026-01-01T00:00:03.000+00:00")
    store.record_event(EventKind.MUTE_TAG, "ocean", False, "2026-01-01T00:00:04.000+00:00")
    assert [(row.kind, row.value, row.at[:19]) for row in mutes(store)] == [
        (MuteKind.SOUND, "lofi-3", "2026-01-01T00:00:03"),
        (MuteKind.CREATOR, "ana", "2026-01-01T00:00:01"),
    ]


def test_dropping_a_reset_by_its_key_leaves_the_one_before(store: Store) -> None:
    """Undoing a refresh removes only its own reset, and the last reset can be read as if it were gone already."""
    store.record_event(EventKind.RESET, "for_you", True, AT, key="first")
    first = store.last_seq(EventKind.RESET)
    store.record_event(EventKind.RESET, "for_you", True, AT, key="second")
    assert store.last_seq(EventKind.RESET, excluding="second") == first
    store.drop_event("second")
    assert store.last_seq(EventKind.RESET) == first
    store.drop_event("second")  # again: nothing more goes
    assert store.last_seq(EventKind.RESET) == first
    store.drop_event("first")
    assert store.last_seq(EventKind.RESET) is None
