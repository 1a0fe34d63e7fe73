"""Feed a fetched public corpus through tuifeed's real code paths and count what happens.

    python benchmarks/corpus.py feeds FOLDER      # feedparser's tests/: each file served on loopback, added to
                                                  # a real Store, its clips rendered (info panel, search, library)
    python benchmarks/corpus.py toml FOLDER       # toml-test's tests/: each file as config.toml for `tuifeed library`
    python benchmarks/corpus.py playlists FOLDER  # *.m3u / *.m3u8 served on loopback and added as sources
    python benchmarks/corpus.py sidecars FOLDER   # *.info.json / *.json beside a clip, through `tuifeed import`

Not run by the tests. Prints, per corpus: documents, parsed (clips stored, or config accepted), clean errors (one
line, no traceback), crashes (an exception escaped, or a traceback was printed), escapes leaked (a control
character in what reached the terminal, other than Rich's own colours), with the first few of each named.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "remote"))

import feedparser  # noqa: E402
from loopback import LoopbackServer  # noqa: E402
from rich.console import Console  # noqa: E402

from tuifeed.cli import main  # noqa: E402
from tuifeed.feed import FeedStatus  # noqa: E402
from tuifeed.library.remote.client import Limits, RemoteClient  # noqa: E402
from tuifeed.library.remote.entries import make_clip  # noqa: E402
from tuifeed.library.remote.feeds import _metadata  # noqa: E402
from tuifeed.library.service import Library  # noqa: E402
from tuifeed.models import Clip  # noqa: E402
from tuifeed.store import Store  # noqa: E402
from tuifeed.ui.widgets.info import describe  # noqa: E402

_RICH_OWN = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*(\x1b\\|\x07)")
"""Colours and hyperlinks Rich writes itself: anything else from ESC on came from the input."""
_LEAK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MEDIA = REPO / "media"
FAST = Limits(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.0, probe_read_timeout=2.0)


class Tally:
    """Counts per outcome, with the first few documents of each kind of trouble."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = {}

    def note(self, outcome: str, name: str, detail: str = "") -> None:
        """Count `outcome` for the document `name`."""
        self.counts[outcome] += 1
        if outcome not in ("parsed", "clean error"):
            self.examples.setdefault(outcome, []).append(f"{name}: {detail}"[:300])

    def print(self, documents: int) -> None:
        """The summary line and the examples."""
        order = ("parsed", "clean error", "unclear error", "crash", "escape leaked")
        print(f"documents {documents}, " + ", ".join(f"{key} {self.counts[key]}" for key in order))
        for outcome, names in self.examples.items():
            print(f"-- {outcome} ({len(names)})")
            for name in names[:15]:
                print("   " + name)


def terminal(text: str) -> str:
    """What of `text` is left once Rich's own colours and links are taken out."""
    return _RICH_OWN.sub("", text)


def leaked(text: str) -> str | None:
    """The first control character in `text` a terminal would act on, shown as its code; None when none."""
    found = _LEAK.search(terminal(text))
    return None if found is None else f"U+{ord(found[0]):04X} in {terminal(text)[max(0, found.start() - 30) :][:80]!r}"


def run_cli(*args: str) -> tuple[int, str]:
    """`tuifeed ARGS` in this process: its exit code and everything it wrote (stdout and stderr)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return code, out.getvalue()


def panel(clip: Clip) -> str:
    """The info panel of `clip` as a colour terminal receives it."""
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=60)
    console.print(describe(FeedStatus(clip=clip, seen=1, total=1), 60))
    console.print(describe(FeedStatus(clip=clip, seen=1, total=1), 30, one_row_each=True))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return str(output)


def check_output(tally: Tally, name: str, code: int, output: str) -> bool:
    """Note a traceback or a leaked escape in one command's output; True when the output was clean."""
    if "Traceback (most recent call last)" in output:
        tally.note("crash", name, output.strip().splitlines()[-1])
        return False
    if (leak := leaked(output)) is not None:
        tally.note("escape leaked", name, leak)
        return False
    return True


def files(folder: Path, pattern: str) -> Iterator[Path]:
    """The files under `folder` matching `pattern`, in a stable order."""
    yield from sorted(path for path in folder.rglob(pattern) if path.is_file())


def feeds(folder: Path, tally: Tally, pattern: str = "*.xml", content_type: str = "application/xml") -> int:
    """Serve each document, add it as a remote source, then show its clips as the panel and the CLI would.

    A feed's every entry is also made a clip and shown, video or not: most of feedparser's documents have none.
    """
    documents = 0
    with LoopbackServer() as server, tempfile.TemporaryDirectory() as temp:
        for path in files(folder, pattern):
            documents += 1
            name = str(path.relative_to(folder))
            database = Path(temp) / f"{documents}.db"
            server.add(f"/{documents}/feed", path.read_bytes(), content_type)
            client = RemoteClient(FAST)
            library = Library(database, cache_dir=Path(temp) / "cache", cache_bytes=0, client=client)
            try:
                result = library.add_remote(server.url(f"/{documents}/feed"))
                clips = library.remote_clips(server.url(f"/{documents}/feed"))
            except Exception:
                tally.note("crash", name, traceback.format_exc().strip().splitlines()[-1])
                continue
            finally:
                library.close()
                client.close()
            if content_type == "application/xml":
                _every_entry(tally, name, path.read_bytes(), server.url(f"/{documents}/feed"))
            line = result.line()
            if result.error is not None:
                if (leak := leaked(line)) is not None:
                    tally.note("escape leaked", name, leak)
                elif "\n" in line or not line.strip():
                    tally.note("unclear error", name, repr(line))
                else:
                    tally.note("clean error", name)
                continue
            if not _shown_cleanly(tally, name, clips, database):
                continue
            tally.note("parsed", name)
    return documents


def _every_entry(tally: Tally, name: str, content: bytes, url: str) -> None:
    """Each entry of the feed made a clip as if it had a video, and shown."""
    parsed = feedparser.parse(io.BytesIO(content), resolve_relative_uris=False, sanitize_html=False)
    for entry in parsed.entries:
        try:
            clip = make_clip(url + ".mp4", _metadata(dict(entry), {}, url))
            shown = panel(clip)
        except Exception:
            tally.note("crash", name, "entry: " + traceback.format_exc().strip().splitlines()[-1])
            return
        fields = " ".join(str(value) for value in (clip.title, clip.creator, clip.description, *clip.tags))
        if (leak := leaked(shown) or leaked(fields)) is not None:
            tally.note("escape leaked", name, "entry: " + leak)
            return


def _shown_cleanly(tally: Tally, name: str, clips: list[Clip], database: Path) -> bool:
    """Whether the panel, `tuifeed library` and `tuifeed search` show the clips without a leak or a crash."""
    for clip in clips:
        try:
            shown = panel(clip)
        except Exception:
            tally.note("crash", name, "info panel: " + traceback.format_exc().strip().splitlines()[-1])
            return False
        if (leak := leaked(shown)) is not None:
            tally.note("escape leaked", name, "info panel: " + leak)
            return False
    word = (clips[0].title.split() or ["x"])[0] if clips else "x"
    for args in (("library",), ("search", word)):
        code, output = run_cli(*args, "--db", str(database))
        if not check_output(tally, name, code, output):
            return False
    return True


def toml(folder: Path, tally: Tally) -> int:
    """Each file as config.toml: invalid ones must give one `config error:` line, never a traceback."""
    documents = 0
    with tempfile.TemporaryDirectory() as temp:
        database = str(Path(temp) / "tuifeed.db")
        for path in files(folder, "*.toml"):
            documents += 1
            name = str(path.relative_to(folder))
            try:
                code, output = run_cli("library", "--db", database, "--config", str(path))
            except Exception:
                tally.note("crash", name, traceback.format_exc().strip().splitlines()[-1])
                continue
            if not check_output(tally, name, code, output):
                continue
            if code == 0:
                tally.note("parsed", name)
            elif output.startswith("config error: ") and output.count("\n") == 1:
                tally.note("clean error", name)
            else:
                tally.note("unclear error", name, repr(output[:200]))
    return documents


def sidecars(folder: Path, tally: Tally) -> int:
    """Each JSON file as the `.info.json` of a real clip, imported with `tuifeed import`, then shown."""
    documents = 0
    clip = next(iter(sorted(MEDIA.glob("*.mp4"))))
    with tempfile.TemporaryDirectory() as temp:
        for path in files(folder, "*.json"):
            documents += 1
            name = str(path.relative_to(folder))
            place = Path(temp) / str(documents)
            place.mkdir()
            shutil.copy(clip, place / "clip.mp4")
            shutil.copy(path, place / "clip.info.json")
            database = str(place / "tuifeed.db")
            code, output = run_cli("import", str(place), "--db", database)
            if not check_output(tally, name, code, output):
                continue
            store = Store(database)
            clips = store.clips()
            store.close()
            if not _shown_cleanly(tally, name, clips, Path(database)):
                continue
            tally.note("parsed" if len(clips) == 1 else "unclear error", name, repr(output[:200]))
    return documents


MODES: dict[str, Callable[[Path, Tally], int]] = {
    "feeds": feeds,
    "toml": toml,
    "playlists": lambda folder, tally: feeds(folder, tally, "*.m3u*", "audio/x-mpegurl"),
    "sidecars": sidecars,
}


def run(mode: str, folder: Path) -> None:
    """Run the corpus `folder` in `mode` and print its counts; no user config, data or cache is touched."""
    tally = Tally()
    scratch = Path(tempfile.mkdtemp())
    for name in ("CONFIG", "DATA_DIR", "CACHE_DIR", "LOG"):
        os.environ[f"TUIFEED_{name}"] = str(scratch / name.lower())
    documents = MODES[mode](folder, tally)
    tally.print(documents)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODES:
        sys.exit(f"usage: python benchmarks/corpus.py {{{'|'.join(MODES)}}} FOLDER")
    run(sys.argv[1], Path(sys.argv[2]))
