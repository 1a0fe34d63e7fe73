"""Hostile media: clips in many containers and codecs, mutated, through the probe, `tuifeed import` and libvlc.

Makes a corpus with ffmpeg (mp4, mkv, webm, mov, avi, ogv, flv, ts, gif, audio-only files with a cover,
odd sizes, rotations, variable frame rate, tiny and huge declared durations and sizes), adds the bundled
clips, then mutates each: truncations at many offsets, seeded byte flips, MP4 boxes swapped, a moov or
an mdat declaring more than the file holds. Each file is probed in a worker process with a deadline (a
crash or a hang is a finding), the whole corpus goes through `tuifeed import --json` with a deadline,
and each file is played by the real libvlc engine in a worker process: it must give a picture, an error
or an end within PLAY_WAIT_S. Prints counts per outcome and lists the findings.

    python benchmarks/media_fuzz.py [--out DIR] [--flips N] [--seed N] [--no-play] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE_DEADLINE_S = 20.0
"""A probe taking longer than this is a hang."""
PLAY_WAIT_S = 6.0
"""How long a clip may take to give its first picture, an error or an end."""
IMPORT_DEADLINE_S = 900.0

_SOURCES = {
    # name: ffmpeg arguments after the inputs
    "h264.mp4": ["-c:v", "libx264", "-c:a", "aac"],
    "vp9.mkv": ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus"],
    "vp8.webm": ["-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus"],
    "h264.mov": ["-c:v", "libx264", "-c:a", "aac"],
    "mpeg4.avi": ["-c:v", "mpeg4", "-c:a", "libmp3lame"],
    "theora.ogv": ["-c:v", "libtheora", "-c:a", "libvorbis"],
    "flv1.flv": ["-c:v", "flv", "-c:a", "libmp3lame", "-ar", "44100"],
    "h264.ts": ["-c:v", "libx264", "-c:a", "aac", "-f", "mpegts"],
    "mpeg2.ts": ["-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts"],
    "faststart.mp4": ["-c:v", "libx264", "-c:a", "aac", "-movflags", "+faststart"],
    "fragmented.mp4": ["-c:v", "libx264", "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"],
    "rot90.mp4": ["-c:v", "libx264", "-an", "-metadata:s:v", "rotate=90"],
    "rot45.mp4": ["-c:v", "libx264", "-an", "-metadata:s:v", "rotate=45"],
    "rot-720.mov": ["-c:v", "libx264", "-an", "-metadata:s:v", "rotate=-720"],
    "vfr.mkv": ["-c:v", "libx264", "-an", "-vf", "setpts='if(lt(N,10),N/5,N/30)/TB'", "-fps_mode", "vfr"],
}


def _ffmpeg(out: Path, inputs: list[str], args: list[str]) -> bool:
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *inputs, *args, str(out)]
    done = subprocess.run(command, capture_output=True, timeout=300, check=False)
    if done.returncode != 0:
        print(f"  ffmpeg could not write {out.name}: {done.stderr.decode(errors='replace').strip()[:200]}")
    return done.returncode == 0


def _lavfi(seconds: float, size: str = "96x160", audio: bool = True) -> list[str]:
    # testsrc2 draws at 96x160 and up; smaller and stranger sizes are scaled from it
    video = ["-f", "lavfi", "-i", f"testsrc2=size=96x160:rate=25:duration={seconds},scale={size.replace('x', ':')}"]
    sound = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"] if audio else []
    return [*video, *sound]


def make_sources(folder: Path) -> list[Path]:
    """The unmutated corpus: every container and codec here, odd sizes and durations, the bundled clips."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for name, args in _SOURCES.items():
        if _ffmpeg(folder / name, _lavfi(2.0), args):
            made.append(folder / name)
    extra: list[tuple[str, list[str], list[str]]] = [
        ("anim.gif", _lavfi(1.0, audio=False), []),
        ("tiny-1x1.mp4", _lavfi(1.0, "1x1", audio=False), ["-c:v", "mpeg4"]),
        ("tiny-2x2.mp4", _lavfi(1.0, "2x2", audio=False), ["-c:v", "libx264"]),
        ("wide-8000x16.mkv", _lavfi(1.0, "8000x16", audio=False), ["-c:v", "libx264"]),
        ("tall-16x4000.mp4", _lavfi(1.0, "16x4000", audio=False), ["-c:v", "libx264"]),
        ("short-0.04s.mp4", _lavfi(0.04), ["-c:v", "libx264", "-c:a", "aac"]),
        ("one-frame.webm", _lavfi(0.04, audio=False), ["-c:v", "libvpx", "-frames:v", "1"]),
        ("zero-video.mp4", [*_lavfi(1.0)], ["-c:v", "libx264", "-c:a", "aac", "-frames:v", "0"]),
    ]
    cover = folder / "cover.png"
    _ffmpeg(cover, ["-f", "lavfi", "-i", "testsrc2=size=64x64"], ["-frames:v", "1"])
    sine = ["-f", "lavfi", "-i", "sine=duration=2", "-i", str(cover)]
    cover_map = ["-map", "0:a", "-map", "1:v", "-disposition:v", "attached_pic"]
    extra += [
        ("cover.m4a", sine, [*cover_map, "-c:a", "aac", "-c:v", "mjpeg"]),
        ("cover.mp3", sine, [*cover_map, "-c:a", "libmp3lame", "-c:v", "mjpeg"]),
        (
            "cover.mka",
            sine,
            ["-map", "0:a", "-c:a", "libopus", "-attach", str(cover), "-metadata:s:t", "mimetype=image/png"],
        ),
        ("audio-only.mp4", ["-f", "lavfi", "-i", "sine=duration=1"], ["-c:a", "aac"]),
        ("audio-cover.mp4", sine, [*cover_map, "-c:a", "aac", "-c:v", "png"]),
    ]
    for name, inputs, args in extra:
        if _ffmpeg(folder / name, inputs, args):
            made.append(folder / name)
    cover.unlink(missing_ok=True)
    for clip in sorted((ROOT / "media").glob("*.mp4"))[:3]:
        shutil.copy(clip, folder / f"bundled-{clip.name}")
        made.append(folder / f"bundled-{clip.name}")
    return made


# Mutations ---------------------------------------------------------------------------------------------


def _boxes(data: bytes) -> list[tuple[int, int, bytes]]:
    """Top-level MP4 boxes as (offset, size, type); stops at the first that does not parse."""
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1 and offset + 16 <= len(data):
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        elif size == 0:
            size = len(data) - offset
        if size < 8 or not kind.isalpha():
            break
        boxes.append((offset, size, kind))
        offset += size
    return boxes


def mutations(source: Path, flips: int, rng: random.Random) -> dict[str, bytes]:
    """Damaged versions of `source` by name suffix."""
    data = source.read_bytes()
    out: dict[str, bytes] = {}
    for cut in (1, 7, 8, 12, 16, 32, 64, 100, 188, 512, 1024, 4096):
        if cut < len(data):
            out[f"cut{cut}"] = data[:cut]
    for share in (0.1, 0.25, 0.5, 0.75, 0.9, 0.99):
        out[f"cut{int(share * 100)}pc"] = data[: int(len(data) * share)]
    out["cut-last1"] = data[:-1]
    out["zeroed-head"] = bytes(4096) + data[4096:]
    for index in range(flips):
        damaged = bytearray(data)
        count = rng.choice((1, 4, 32, 256))
        head = rng.random() < 0.5  # half the flips land in the first 4 KiB, where the headers are
        for _ in range(count):
            at = rng.randrange(min(len(data), 4096) if head else len(data))
            damaged[at] ^= 1 << rng.randrange(8)
        out[f"flip{index}"] = bytes(damaged)
    boxes = _boxes(data)
    if source.suffix in (".mp4", ".mov", ".m4a") and len(boxes) >= 2:
        out.update(_box_mutations(data, boxes))
    return out


def _box_mutations(data: bytes, boxes: list[tuple[int, int, bytes]]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    parts = [data[offset : offset + size] for offset, size, _ in boxes]
    out["boxes-reversed"] = b"".join(reversed(parts))
    out["boxes-rotated"] = b"".join(parts[1:] + parts[:1])
    for offset, size, kind in boxes:
        name = kind.decode()
        past = bytearray(data)
        past[offset : offset + 4] = struct.pack(">I", min(size + 10_000_000, 0xFFFFFFFF))
        out[f"{name}-past-end"] = bytes(past)
        huge = bytearray(data)
        huge[offset : offset + 4] = struct.pack(">I", 1)
        out[f"{name}-huge64"] = bytes(huge[: offset + 8]) + struct.pack(">Q", 2**63 - 1) + bytes(huge[offset + 8 :])
        small = bytearray(data)
        small[offset : offset + 4] = struct.pack(">I", 9)
        out[f"{name}-size9"] = bytes(small)
        out[f"{name}-removed"] = data[:offset] + data[offset + size :]
    moov = next(((o, s) for o, s, k in boxes if k == b"moov"), None)
    if moov is not None:
        out.update(_moov_mutations(data, *moov))
    return out


def _fill_table(data: bytes, at: int, value: int) -> bytes:
    """`data` with each entry (up to 10,000) of the 32-bit table whose count is at `at` set to `value`."""
    table = bytearray(data)
    count = struct.unpack(">I", table[at : at + 4])[0]
    for index in range(min(count, 10_000)):
        start = at + 4 + 4 * index
        table[start : start + 4] = struct.pack(">I", value)
    return bytes(table)


def _moov_mutations(data: bytes, moov_at: int, moov_size: int) -> dict[str, bytes]:
    """Chunk offsets past the end, a 10-hour duration, a huge width: edits inside moov."""
    out: dict[str, bytes] = {}
    moov = data[moov_at : moov_at + moov_size]
    stco = moov.find(b"stco")
    if stco > 0:
        at = moov_at + stco + 8  # version/flags, then the entry count
        out["stco-past-end"] = _fill_table(data, at, 0xFFFFFF00)
        many = bytearray(data)
        many[at : at + 4] = struct.pack(">I", 0x7FFFFFFF)
        out["stco-count-huge"] = bytes(many)
    stsz = moov.find(b"stsz")
    if stsz > 0:
        out["stsz-huge"] = _fill_table(data, moov_at + stsz + 12, 0x7FFFFFFF)
    mvhd = moov.find(b"mvhd")
    if mvhd > 0:
        long = bytearray(data)
        at = moov_at + mvhd + 4
        if long[at] == 0:
            scale = struct.unpack(">I", long[at + 12 : at + 16])[0]
            long[at + 16 : at + 20] = struct.pack(">I", min(scale * 36_000, 0xFFFFFFFF))
            out["mvhd-10h"] = bytes(long)
            zero = bytearray(data)
            zero[at + 12 : at + 16] = bytes(4)
            out["mvhd-timescale0"] = bytes(zero)
    tkhd = moov.find(b"tkhd")
    if tkhd > 0:
        wide = bytearray(data)
        at = moov_at + tkhd + 4
        if wide[at] == 0:
            wide[at + 76 : at + 84] = struct.pack(">II", 0xFFFF0000, 0xFFFF0000)
            out["tkhd-huge-size"] = bytes(wide)
    for name, box in (("stsd-entries-huge", b"stsd"), ("stts-entries-huge", b"stts"), ("stsc-entries-huge", b"stsc")):
        found = moov.find(box)
        if found > 0:
            edited = bytearray(data)
            at = moov_at + found + 8
            edited[at : at + 4] = struct.pack(">I", 0xFFFFFFFF)
            out[name] = bytes(edited)
    return out


AWKWARD = [
    "new\nline.mp4",
    "tab\there.mp4",
    "\x1b[31mred\x1b[0m.mp4",
    "\x1b]0;title\x07.mp4",
    "-starts-with-dash.mp4",
    "--help.mp4",
    " leading and trailing .mp4",
    "quote\"s and 'apos'.mp4",
    "back\\slash.mp4",
    "$(touch pwned).mp4",
    "`tick`.mp4",
    "semi;colon|pipe&amp.mp4",
    "[bold red]markup[/ not closed.mp4".replace("/", ""),
    "percent%20encoded%00.mp4",
    "file:colon.mp4",
    "?question*star.mp4",
    "\u202eright-to-left\u202c.mp4",
    "zero\u200bwidth.mp4",
    "emoji \U0001f600\U0001f3f3\ufe0f\u200d\U0001f308.mp4",
    "combining e\u0301\u0301\u0301.mp4",
    "\uff41\uff42\uff43 fullwidth.mp4",
    "#hash.mp4",
    "x" * 240 + ".mp4",
    ".mp4.mp4",
    "UPPER.MP4",
    "no-extension-really.mp4.",
]


def awkward_names(folder: Path, good: bytes) -> list[Path]:
    """One good clip under each awkward name, plus names that are not UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name in AWKWARD:
        path = folder / name
        path.write_bytes(good)
        made.append(path)
    for raw in (b"latin1-\xe9t\xe9.mp4", b"broken-\xff\xfe.mp4", b"surrogate-\xed\xa0\x80.mp4"):
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), raw)))
        path.write_bytes(good)
        made.append(path)
    return made


def odd_files(folder: Path, good: bytes) -> list[Path]:
    """Links that loop, a folder named like a clip, unreadable files, a FIFO, a sparse giant."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loop-a.mp4").symlink_to("loop-b.mp4")
    (folder / "loop-b.mp4").symlink_to("loop-a.mp4")
    (folder / "dangling.mp4").symlink_to("nowhere/at/all.mp4")
    (folder / "folder.mp4").mkdir()
    (folder / "folder.mp4" / "inside.mp4").write_bytes(good)
    unreadable = folder / "unreadable.mp4"
    unreadable.write_bytes(good)
    unreadable.chmod(0)
    os.mkfifo(folder / "fifo.mp4")
    with open(folder / "sparse-8GiB.mp4", "wb") as sparse:
        sparse.write(good[:4096])
        sparse.truncate(8 << 30)
    (folder / "devnull.mp4").symlink_to("/dev/zero")
    return list(folder.iterdir())


# Runners -----------------------------------------------------------------------------------------------

_PROBE_WORKER = r"""
import json, sys, time
from pathlib import Path
from tuifeed.library.probe import ProbeError, probe
for line in sys.stdin:
    path = Path(json.loads(line))
    started = time.monotonic()
    try:
        result = probe(path)
        out = {"ok": True, "duration_ms": result.duration_ms, "size": [result.width, result.height],
               "rotation": result.rotation, "audio": result.audio_codec}
    except ProbeError as error:
        out = {"ok": False, "reason": error.reason}
    except BaseException as error:
        out = {"ok": False, "exception": f"{type(error).__name__}: {error}"}
    out["s"] = time.monotonic() - started
    print(json.dumps(out), flush=True)
"""

_PLAY_WORKER = r"""
import json, sys, threading, time
from tuifeed.player.vlc_engine import VlcPlayer
wait = float(sys.argv[1])
class Listener:
    def __init__(self):
        self.event = threading.Event(); self.frames = 0; self.error = None; self.ended = False
    def player_frame(self, token, frame):
        self.frames += 1
        if self.frames >= 3: self.event.set()
    def player_ended(self, token):
        self.ended = True; self.event.set()
    def player_error(self, token, message):
        self.error = message; self.event.set()
player = VlcPlayer(audio_output="adummy")
for line in sys.stdin:
    listener = Listener()
    player.attach(listener, lambda w, h: (40, max(2, min(200, round(40 * h / max(w, 1))))))
    started = time.monotonic()
    player.play(json.loads(line))
    listener.event.wait(wait)
    out = {"frames": listener.frames, "error": listener.error, "ended": listener.ended,
           "s": time.monotonic() - started}
    print(json.dumps(out), flush=True)
player.close()
"""


_LIVE_WORKER = r"""
import os, sys, threading, time
from pathlib import Path
from tuifeed.player.vlc_engine import VlcPlayer
clip, damage = Path(sys.argv[1]), sys.argv[2]
class Listener:
    def __init__(self):
        self.frames = 0; self.ended = 0; self.errors = []
    def player_frame(self, token, frame):
        self.frames += 1
    def player_ended(self, token):
        self.ended += 1; player.replay()  # the feed's loop
    def player_error(self, token, message):
        self.errors.append(message)
player = VlcPlayer(audio_output="adummy")
listener = Listener()
player.attach(listener, lambda w, h: (40, 70))
player.play(str(clip))
time.sleep(1.0)
if damage == "deleted":
    clip.unlink()
elif damage == "junk":
    clip.write_bytes(os.urandom(clip.stat().st_size))
elif damage == "truncated":
    os.truncate(clip, clip.stat().st_size // 3)
elif damage == "replaced":
    (clip.parent / "new").write_bytes(os.urandom(50_000)); os.replace(clip.parent / "new", clip)
before = listener.frames
player.seek(player.length_ms())
time.sleep(4.0)
print(f"{listener.frames - before} pictures, {listener.ended} ends, errors {listener.errors}")
player.close()
"""


class Worker:
    """A Python worker process answering one JSON line per path, restarted after a crash or a hang."""

    def __init__(self, script: str, *args: str) -> None:
        self.command = [sys.executable, "-c", script, *args]
        self.process: subprocess.Popen[str] | None = None

    def ask(self, path: Path, deadline: float) -> dict[str, object]:
        """The worker's answer for `path`, or {"crash": ...} / {"hang": True}."""
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(os.fsdecode(path)) + "\n")
        stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            if not selector.select(deadline):
                self.process.kill()
                self.process.wait()
                self.process = None
                return {"hang": True}
        line = stdout.readline()
        if not line:
            code = self.process.wait()
            self.process = None
            return {"crash": code}
        return dict(json.loads(line))

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


def _probe_outcome(answer: dict[str, object]) -> str:
    if "hang" in answer:
        return "HANG"
    if "crash" in answer:
        return f"CRASH {answer['crash']}"
    if "exception" in answer:
        return f"EXCEPTION {answer['exception']}"
    return "ok" if answer["ok"] else f"failed: {answer['reason']}"


def _play_outcome(answer: dict[str, object]) -> str:
    if "hang" in answer:
        return "HANG (play() did not return)"
    if "crash" in answer:
        return f"CRASH {answer['crash']}"
    if answer["error"]:
        return "error line"
    if int(str(answer["frames"])) > 0:
        return "picture"
    return "ended, no error" if answer["ended"] else "SILENT (no picture, error or end)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="corpus folder (default: a temporary one)")
    parser.add_argument("--flips", type=int, default=8, help="seeded byte-flip variants per source")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-play", action="store_true", help="skip libvlc playback")
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = args.out or Path(tempfile.mkdtemp(prefix="media-fuzz-"))
    corpus = out / "corpus"
    started = time.monotonic()
    sources = make_sources(out / "sources")
    files: list[Path] = []
    for source in sources:
        for suffix, data in mutations(source, args.flips, rng).items():
            path = corpus / "mutated" / f"{source.stem}.{suffix}{source.suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files.append(path)
        (corpus / "clean").mkdir(parents=True, exist_ok=True)
        files.append(Path(shutil.copy(source, corpus / "clean" / source.name)))
    good = (out / "sources" / "h264.mp4").read_bytes()
    files += awkward_names(corpus / "names", good)
    odd = odd_files(out / "odd", good)
    seconds = time.monotonic() - started
    print(f"corpus: {len(sources)} sources, {len(files)} files, {len(odd)} odd entries, {seconds:.0f} s")

    prober = Worker(_PROBE_WORKER)
    probes: dict[Path, str] = {}
    slowest = (0.0, Path())
    for path in files:
        answer = prober.ask(path, PROBE_DEADLINE_S)
        probes[path] = _probe_outcome(answer)
        took = answer.get("s")
        if isinstance(took, float) and took > slowest[0]:
            slowest = (took, path)
    prober.close()
    _table("probe", probes)
    print(f"slowest probe: {slowest[0]:.2f} s {slowest[1].name!r}")

    for folder in (corpus, out / "odd"):
        _import(folder, out / f"{folder.name}.db")

    if not args.no_play:
        # Only what imports reaches the player.
        player = Worker(_PLAY_WORKER, str(PLAY_WAIT_S))
        plays = {path: _play_outcome(player.ask(path, PLAY_WAIT_S + 10)) for path in files if probes[path] == "ok"}
        player.close()
        _table("play (libvlc), the files that imported", plays)
        for path, outcome in plays.items():
            if outcome not in ("picture", "error line"):
                print(f"  {outcome}: {os.fsencode(path.relative_to(corpus)).decode('utf-8', 'replace')!r}")
        (out / "plays.json").write_text(json.dumps({os.fsdecode(k): v for k, v in plays.items()}, indent=1))
        _live(out, good)
    (out / "probes.json").write_text(json.dumps({os.fsdecode(k): v for k, v in probes.items()}, indent=1))
    _growing(out, max(sources, key=lambda path: path.stat().st_size).read_bytes())
    if args.keep or args.out:
        print(f"corpus kept in {out}")
    else:
        subprocess.run(["chmod", "-R", "u+rwX", str(out)], check=False)
        shutil.rmtree(out, ignore_errors=True)


def _table(title: str, outcomes: dict[Path, str]) -> None:
    counts = Counter(outcomes.values())
    print(f"\n{title}: {len(outcomes)} files")
    for outcome, count in counts.most_common():
        print(f"  {count:5d}  {outcome}")
    for path, outcome in outcomes.items():
        if outcome.startswith(("HANG", "CRASH", "EXCEPTION", "SILENT")):
            print(f"  !! {outcome}: {os.fsencode(path).decode('utf-8', 'replace')!r}")


def _live(out: Path, good: bytes) -> None:
    """A clip damaged while it plays, then looped: it must fail with an error, never loop on empty."""
    print("\nplaying, damaged, looped (4 s after the damage):")
    for damage in ("deleted", "junk", "truncated", "replaced"):
        clip = out / "live" / damage / "clip.mp4"
        clip.parent.mkdir(parents=True, exist_ok=True)
        clip.write_bytes(good)
        done = subprocess.run(
            [sys.executable, "-c", _LIVE_WORKER, str(clip), damage],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        print(f"  {damage:10s} exit {done.returncode}: {done.stdout.strip()}")


def _growing(out: Path, good: bytes) -> None:
    """A clip written slowly while `tuifeed import` runs again and again: every run ends, the last is complete."""
    folder = out / "growing"
    folder.mkdir()
    clip = folder / "recording.mp4"
    db = out / "growing.db"

    def write() -> None:
        with open(clip, "wb") as file:
            for start in range(0, len(good), 2048):
                file.write(good[start : start + 2048])
                file.flush()
                time.sleep(0.01)

    writer = threading.Thread(target=write)
    writer.start()
    print("\nimport while a clip is being written:")
    while writer.is_alive():
        _import(folder, db, quiet=True)
    writer.join()
    _import(folder, db, quiet=True)


def _import(folder: Path, db: Path, quiet: bool = False) -> None:
    tuifeed = shutil.which("tuifeed", path=str(Path(sys.executable).parent)) or "tuifeed"
    started = time.monotonic()
    try:
        done = subprocess.run(
            [tuifeed, "--db", str(db), "import", str(folder), "--json"],
            capture_output=True,
            timeout=IMPORT_DEADLINE_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print(f"\nimport {folder.name}: HANG (over {IMPORT_DEADLINE_S:.0f} s)")
        return
    seconds = time.monotonic() - started
    try:
        summary = json.loads(done.stdout)
    except ValueError:
        print(f"\nimport {folder.name}: exit {done.returncode}, no JSON: {done.stderr.decode(errors='replace')[-500:]}")
        return
    counts = {key: value for key, value in summary.items() if isinstance(value, int) and value}
    reasons = Counter(item["reason"] for item in summary["failures"])
    prefix = "  " if quiet else "\n"
    print(f"{prefix}import {folder.name}: exit {done.returncode} in {seconds:.1f} s: {counts}")
    for reason, count in reasons.most_common():
        print(f"  {count:5d}  {reason}")


if __name__ == "__main__":
    main()
