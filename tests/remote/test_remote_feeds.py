"""RSS, Atom and Media RSS feeds end to end over loopback, and what feedparser does with hostile XML."""

from __future__ import annotations

import io
from pathlib import Path

import feedparser
import pytest
from loopback import LoopbackServer
from remote_support import rss

from tuifeed.library.remote import entries, feeds
from tuifeed.library.remote.client import Document
from tuifeed.library.service import Library
from tuifeed.models import SourceKind
from tuifeed.store import Store

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>laugh &lol9;</title><enclosure url="/c/a.mp4" length="1" type="video/mp4"/></item>
</channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>leak &xxe;</title><description>&xxe;</description>
<enclosure url="/c/a.mp4" length="1" type="video/mp4"/></item>
</channel></rss>"""


def test_feed_end_to_end(server: LoopbackServer, library: Library, media_clips: list[Path]) -> None:
    """A Media RSS feed is added: each video item is a clip with title, creator, tags, duration, size, page."""
    server.add_file("/c/one.mp4", media_clips[0])
    items = [
        {
            "title": "Cat jumps",
            "url": "/c/one.mp4",
            "author": "alice",
            "keywords": "cats, jump",
            "category": "Pets",
            "duration": "0:14",
            "description": "<p>So <b>high</b> #fail</p>",
            "link": "/p/1",
        },
        {"title": "Tall", "url": "http://cdn.invalid/t.mp4", "media": "media", "width": "720", "height": "1280"},
        {"title": "Audio only", "url": "/c/song.mp3", "type": "audio/mpeg"},
    ]
    server.add("/feed.xml", rss(items, title="Alice's clips"), "application/rss+xml")
    result = library.add_remote(server.url("/feed.xml"))
    assert result.error is None and result.kind is SourceKind.FEED and result.title == "Alice's clips"
    assert result.changes is not None and result.changes.added == 2
    first, second = library.remote_clips(server.url("/feed.xml"))
    assert first.location == server.url("/c/one.mp4")
    assert (first.title, first.creator, first.duration_ms) == ("Cat jumps", "alice", 14_000)
    assert set(first.tags) == {"Pets", "cats", "jump", "fail"}
    assert first.description == "So high #fail"
    assert first.source_url == server.url("/p/1")
    assert (second.width, second.height) == (720, 1280)
    assert first.embedding is not None and any(first.embedding)


def test_feedparser_leaves_the_billion_laughs_unexpanded() -> None:
    """feedparser keeps only entity declarations without references: nested ones stay undefined."""
    parsed = feedparser.parse(io.BytesIO(BILLION_LAUGHS))
    assert len(parsed.feed.get("title", "")) < 100
    assert all(len(entry.title) < 100 for entry in parsed.entries)


def test_billion_laughs_feed_is_small_and_safe(server: LoopbackServer, library: Library, tmp_path: Path) -> None:
    """Added as a source, the billion laughs gives one clip with a short title: nothing expanded."""
    server.add("/lol.xml", BILLION_LAUGHS, "application/rss+xml")
    result = library.add_remote(server.url("/lol.xml"))
    assert result.error is None
    [clip] = library.remote_clips(server.url("/lol.xml"))
    assert len(clip.title) < 50 and "lollol" not in clip.title


def test_external_entity_is_never_resolved(server: LoopbackServer, library: Library) -> None:
    """An entity pointing at /etc/passwd is not read: no line of it reaches any stored text."""
    passwd = Path("/etc/passwd").read_text().splitlines()[0]
    assert feedparser.parse(io.BytesIO(EXTERNAL_ENTITY)).entries[0].title.find("root:") == -1
    server.add("/xxe.xml", EXTERNAL_ENTITY, "application/rss+xml")
    library.add_remote(server.url("/xxe.xml"))
    store = Store(library.database)
    try:
        rows = list(store.rows("SELECT title, description FROM clips"))
    finally:
        store.close()
    assert rows and all(passwd not in (row["title"] + row["description"]) for row in rows)


def test_feed_pointing_at_local_files_adds_nothing_local(server: LoopbackServer, library: Library) -> None:
    """Enclosures at file:///etc/passwd (or another scheme) are skipped with a reason; http ones still join."""
    items = [
        {"title": "passwd", "url": "file:///etc/passwd"},
        {"title": "ftp", "url": "ftp://127.0.0.1/x.mp4"},
        {"title": "fine", "url": "/c/fine.mp4"},
    ]
    server.add("/feed.xml", rss(items), "application/rss+xml")
    result = library.add_remote(server.url("/feed.xml"))
    assert [clip.title for clip in library.remote_clips(server.url("/feed.xml"))] == ["fine"]
    assert any("file: links are not followed" in line for line in result.skipped)


def test_a_body_that_names_a_file_is_not_opened(server: LoopbackServer, library: Library) -> None:
    """Given bytes, feedparser would try them as a file name: we hand it a stream, so /etc/passwd stays shut."""
    server.add("/feed.xml", b"/etc/passwd", "application/rss+xml")
    result = library.add_remote(server.url("/feed.xml"))
    assert result.error is not None and "not a readable feed" in result.error
    assert "root:" not in result.error


def test_malformed_xml_is_one_line(server: LoopbackServer, library: Library) -> None:
    """Broken XML with nothing usable: one line naming the source and the cause; nothing is added."""
    server.add("/feed.xml", b"<?xml version='1.0'?><rss><channel><item><title>oops</chan", "application/rss+xml")
    result = library.add_remote(server.url("/feed.xml"))
    assert result.error is not None
    assert result.error.startswith(server.url("/feed.xml") + ": ")
    assert "\n" not in result.error
    assert library.remotes() == []


def test_malformed_xml_names_the_line_and_column(server: LoopbackServer, library: Library) -> None:
    """The parser's place reads "line 2, column 21", not "<unknown>:2:21"."""
    server.add("/feed.xml", b"<?xml version='1.0'?>\n<rss><channel><title>&nbsp;</title></channel></rss>")
    result = library.add_remote(server.url("/feed.xml"))
    assert result.error == f"{server.url('/feed.xml')}: not a readable feed (line 2, column 21: undefined entity)"


def test_atom_feed_with_enclosure_links(server: LoopbackServer, library: Library) -> None:
    """Atom's rel=enclosure links are read like RSS enclosures; the author is the creator."""
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom clips</title><id>urn:x</id><updated>2025-09-01T10:00:00Z</updated>
<entry><title>Wave</title><id>urn:1</id><updated>2025-09-01T10:00:00Z</updated><author><name>ana</name></author>
<link rel="enclosure" type="video/webm" href="v/wave.webm"/><category term="sea"/></entry></feed>"""
    server.add("/atom.xml", atom, "application/atom+xml")
    result = library.add_remote(server.url("/atom.xml"))
    assert result.error is None
    [clip] = library.remote_clips(server.url("/atom.xml"))
    assert (clip.title, clip.creator, clip.tags, clip.location) == ("Wave", "ana", ("sea",), server.url("/v/wave.webm"))
    assert clip.published_at == "2025-09-01T10:00:00+00:00"


class _Counted(str):
    """A URL that counts how often it is compared."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        _Counted.comparisons += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        _Counted.comparisons += 1
        return str.__ne__(self, other)

    __hash__ = str.__hash__


def test_many_renditions_cost_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry offering thousands of renditions (the 32 MB cap holds ~450,000) is read with a comparison or so
    each, not one per pair: pairwise, a hostile feed kept a refresh busy for hours."""
    real_follow = feeds.follow
    monkeypatch.setattr(feeds, "follow", lambda base, link: _Counted(real_follow(base, link)))
    renditions = "".join(f'<media:content url="/{n}.mp4" type="video/mp4" height="{n}"/>' for n in range(2000))
    media = "http://search.yahoo.com/mrss/"
    body = f'<rss version="2.0" xmlns:media="{media}"><channel><item>{renditions}</item></channel></rss>'
    _Counted.comparisons = 0
    parsed = feeds.read_feed(Document("http://h/feed.xml", body.encode(), "application/rss+xml", None, None))
    assert [(clip.location, clip.height) for clip in parsed.clips] == [("http://h/360.mp4", 360)]
    assert _Counted.comparisons < 10 * 2000


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>So <b>high</b> #fail</p>", "So high #fail"),
        ("a < b and c > d", "a < b and c > d"),
        ("<!-- hidden --> shown", "shown"),
        ("x<script>alert('<b>')</script>y<style>p {}</style>z", "xyz"),
        ("one<br>two<BR/>three", "one\ntwo\nthree"),
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        ("<p>a</p><p>b</p><p></p><p></p><p>c", "a\n\nb\n\nc"),
        ("<!--" * 40_000, "<!--" * 40_000),
        ("<a b=c " * 10_000, "<a b=c " * 9_999 + "<a b=c"),
    ],
)
def test_descriptions_are_read_tag_by_tag(fragment: str, text: str) -> None:
    """Tags dropped, entities decoded, breaks kept, in one pass: HTMLParser over the whole fragment took 12 s
    for 40,000 unterminated `<!--` (quadratic before Python 3.11.13)."""
    assert entries.html_text(fragment) == text
