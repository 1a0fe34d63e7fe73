"""Re-import: unchanged files are skipped, edits re-probed, moves keep identity, deletions only hide."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from library_support import GOOD, make_clip

from tuifeed.library import import_paths
from tuifeed.models import Impression, ImpressionExit
from tuifeed.store import Store
from tuifeed.store.files import FileIndex

CLIP = "phone/VID_0001.mp4"


def _watch(store: Store, clip_id: str) -> None:
    """Record one closed impression of a clip, the history that must survive."""
    opened = store.open_impression(clip_id, "2025-01-01T00:00:00.000+00:00", 1000)
    store.close_impression(
        opened,
        Impression(
            clip_id,
            "2025-01-01T00:00:00.000+00:00",
            "2025-01-01T00:00:01.000+00:00",
            1000,
            1000,
            0,
            ImpressionExit.NEXT,
        ),
    )


def _clip_at(store: Store, path: Path) -> str:
    [row] = store.rows("SELECT clip_id FROM files WHERE path = ?", [str(path)])
    return str(row["clip_id"])


def test_unchanged_run_touches_nothing(store: Store, corpus: Path) -> None:
    """A second run skips every file and leaves the database byte-for-byte as it was."""
    import_paths(store, [corpus])
    before = list(store.rows("SELECT * FROM clips ORDER BY id")), list(store.rows("SELECT * FROM files"))
    changes = store.db.conn.total_changes
    summary = import_paths(store, [corpus])
    assert (summary.unchanged, summary.added, summary.updated, summary.missing) == (len(GOOD), 0, 0, 0)
    assert store.db.conn.total_changes == changes
    assert (
        list(store.rows("SELECT * FROM clips ORDER BY id")),
        list(store.rows("SELECT * FROM files")),
    ) == before


def test_edit_is_reprobed_and_keeps_identity(store: Store, corpus: Path) -> None:
    """A file rewritten in place is re-probed, keeps its clip id and its history."""
    import_paths(store, [corpus])
    clip_id = _clip_at(store, corpus / CLIP)
    _watch(store, clip_id)
    make_clip(corpus / CLIP, size=(112, 64), seconds=2.0)
    summary = import_paths(store, [corpus])
    assert (summary.updated, summary.unchanged) == (1, len(GOOD) - 1)
    clip = store.clip(clip_id)
    assert clip is not None and (clip.width, clip.height) == (112, 64)
    assert clip.duration_ms is not None and clip.duration_ms > 1500
    assert [item.clip_id for item in store.impressions()] == [clip_id]


def test_sidecar_change_updates_the_clip(store: Store, corpus: Path) -> None:
    """A new .info.json next to an unchanged video re-describes it."""
    import_paths(store, [corpus])
    (corpus / "phone" / "VID_0001.info.json").write_text('{"title": "Beach day", "uploader": "me"}')
    summary = import_paths(store, [corpus])
    assert summary.updated == 1
    clip = store.clip(_clip_at(store, corpus / CLIP))
    assert clip is not None and (clip.title, clip.creator) == ("Beach day", "me")


def test_move_keeps_identity_and_history(store: Store, corpus: Path) -> None:
    """A renamed file in another folder is the same clip, at its new location, history intact."""
    import_paths(store, [corpus])
    clip_id = _clip_at(store, corpus / CLIP)
    _watch(store, clip_id)
    (corpus / "archive").mkdir()
    os.rename(corpus / CLIP, corpus / "archive" / "renamed.mp4")
    summary = import_paths(store, [corpus])
    assert (summary.moved, summary.added, summary.missing) == (1, 0, 0)
    clip = store.clip(clip_id)
    assert clip is not None and clip.location == str(corpus / "archive" / "renamed.mp4")
    assert store.clip_count() == len(GOOD)
    assert [item.clip_id for item in store.impressions()] == [clip_id]
    assert [row.path for row in FileIndex(store).of_clip(clip_id)] == [str(corpus / "archive" / "renamed.mp4")]


def test_delete_hides_and_reappearance_restores(store: Store, corpus: Path, tmp_path: Path) -> None:
    """A vanished file is marked missing (kept, hidden from the feed) and comes back when it returns."""
    import_paths(store, [corpus])
    clip_id = _clip_at(store, corpus / CLIP)
    _watch(store, clip_id)
    shutil.move(corpus / CLIP, tmp_path / "aside.mp4")
    gone = import_paths(store, [corpus])
    assert gone.missing == 1
    assert clip_id not in {clip.id for clip in store.clips()}
    assert store.clip(clip_id) is not None
    shutil.move(tmp_path / "aside.mp4", corpus / CLIP)
    back = import_paths(store, [corpus])
    assert (back.updated, back.missing, back.added) == (1, 0, 0)
    assert clip_id in {clip.id for clip in store.clips()}
    assert [item.clip_id for item in store.impressions()] == [clip_id]


def test_unmounted_root_marks_everything_missing_and_wipes_nothing(store: Store, corpus: Path) -> None:
    """A root that is gone (unmounted drive) hides its clips; remounting brings every one back."""
    import_paths(store, [corpus])
    mounted = corpus.with_name("unmounted")
    corpus.rename(mounted)
    summary = import_paths(store, [corpus])
    assert summary.missing == len(GOOD)
    assert store.clip_count() == 0 and store.clip_count(include_missing=True) == len(GOOD)
    mounted.rename(corpus)
    again = import_paths(store, [corpus])
    assert (again.updated, again.missing) == (len(GOOD), 0)
    assert store.clip_count() == len(GOOD)


def test_exact_duplicates_are_one_clip_with_two_locations(store: Store, corpus: Path) -> None:
    """Same content at two paths: one clip, two file rows; losing one copy keeps the clip visible."""
    shutil.copy2(corpus / CLIP, corpus / "phone" / "copy.mp4")
    summary = import_paths(store, [corpus])
    assert (summary.added, summary.duplicates) == (len(GOOD), 1)
    clip_id = _clip_at(store, corpus / CLIP)
    assert _clip_at(store, corpus / "phone" / "copy.mp4") == clip_id
    (corpus / CLIP).unlink()
    import_paths(store, [corpus])
    clip = store.clip(clip_id)
    assert clip is not None and clip.location == str(corpus / "phone" / "copy.mp4")
    assert clip_id in {item.id for item in store.clips()}


def test_library_remove_forgets_locations_but_keeps_history(store: Store, corpus: Path) -> None:
    """Forgetting a root drops its file rows, hides its clips and keeps clips and impressions."""
    import_paths(store, [corpus])
    clip_id = _clip_at(store, corpus / CLIP)
    _watch(store, clip_id)
    index = FileIndex(store)
    assert index.remove_root(str(corpus)) == len(GOOD)
    assert index.roots() == []
    assert store.clip_count() == 0 and store.clip(clip_id) is not None
    assert [item.clip_id for item in store.impressions()] == [clip_id]
    assert index.remove_root(str(corpus)) is None


def test_editing_one_of_two_duplicates_splits_it_off(store: Store, corpus: Path) -> None:
    """When one copy of a duplicated clip is edited, it becomes its own clip; the other keeps the id."""
    shutil.copy2(corpus / CLIP, corpus / "phone" / "copy.mp4")
    import_paths(store, [corpus])
    clip_id = _clip_at(store, corpus / CLIP)
    make_clip(corpus / "phone" / "copy.mp4", size=(112, 64), seconds=2.0)
    summary = import_paths(store, [corpus])
    assert summary.updated == 1
    assert _clip_at(store, corpus / CLIP) == clip_id
    assert _clip_at(store, corpus / "phone" / "copy.mp4") != clip_id
    assert store.clip_count() == len(GOOD) + 1


def test_worker_thread_imports_with_its_own_store(corpus: Path, tmp_path: Path) -> None:
    """The app's way: a thread opens its own Store on the same file and imports; the main one sees it."""
    path = tmp_path / "shared.db"
    main = Store(path)
    results: list[int] = []

    def work() -> None:
        own = Store(path)
        try:
            results.append(import_paths(own, [corpus]).added)
        finally:
            own.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results == [len(GOOD)]
    assert main.clip_count() == len(GOOD)
    main.close()
