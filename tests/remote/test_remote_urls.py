"""Links from remote documents: http(s) only, nothing escapes a listing, credentials are never shown."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuifeed.library.remote.urls import (
    UnsafeLink,
    below,
    clip_id,
    follow,
    is_remote,
    redact,
    with_credentials,
    without_credentials,
)
from tuifeed.text import is_clean


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ana:hunter2@example.org/feed.xml", "https://***@example.org/feed.xml"),
        ("http://token@host:8080/a", "http://***@host:8080/a"),
        ("https://h/videos?api_key=s3cret&page=2", "https://h/videos?api_key=***&page=2"),
        ("https://h/v?token=abc&sig=xyz&name=ok", "https://h/v?token=***&sig=***&name=ok"),
        ("https://h/plain/path.mp4", "https://h/plain/path.mp4"),
    ],
)
def test_redact_hides_credentials(url: str, shown: str) -> None:
    """User, password and secret-looking query values become ***; the rest stays readable."""
    assert redact(url) == shown


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://ana:hunter2@example.org/new.xml", "https://example.org/new.xml"),
        ("http://a@b@host:8080/a", "http://host:8080/a"),
        ("https://h/new.xml?page=2", "https://h/new.xml?page=2"),
        ("https://h/new.xml?token=abc", None),
    ],
)
def test_without_credentials_is_fit_to_store_or_none(url: str, stored: str | None) -> None:
    """User and password are left out; a URL still holding a secret (a signed one) is not to be stored."""
    assert without_credentials(url) == stored


@pytest.mark.parametrize(
    ("url", "source", "sent"),
    [
        ("https://h/new.xml", "https://ana:hunter2@h/old.xml", "https://ana:hunter2@h/new.xml"),
        ("https://cdn/new.xml", "https://ana:hunter2@h/old.xml", "https://cdn/new.xml"),
        ("http://h/new.xml", "https://ana:hunter2@h/old.xml", "http://h/new.xml"),
        ("https://bo:pw@h/new.xml", "https://ana:hunter2@h/old.xml", "https://bo:pw@h/new.xml"),
        ("https://h/new.xml", "https://h/old.xml", "https://h/new.xml"),
    ],
)
def test_with_credentials_puts_them_back_only_for_the_same_server(url: str, source: str, sent: str) -> None:
    """The source's user and password go back on a URL of the same scheme, host and port, never elsewhere."""
    assert with_credentials(url, source) == sent


@given(st.text(max_size=60))
def test_follow_raises_only_unsafe_link(link: str) -> None:
    """Any text as a link gives an http(s) URL or UnsafeLink, never another exception."""
    with contextlib.suppress(UnsafeLink):
        assert is_remote(follow("https://example.org/a/feed.xml", link))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_redact_never_shows_a_password(password: str) -> None:
    """Whatever the password, redact() leaves none of it in the netloc."""
    secret = "".join(char for char in password if char not in "/?#")
    url = f"https://user:{secret}x@example.org/feed"
    assert redact(url).startswith("https://***@example.org")


@pytest.mark.parametrize(
    "link",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "javascript:alert(1)",
        "ftp://host/clip.mp4",
        "data:video/mp4;base64,AAAA",
        "smb://host/share/clip.mp4",
        " file:///etc/shadow",
        "http://[::1",
        "http://host:99999/x.mp4",
        "//[oops/x.mp4",
    ],
)
def test_follow_refuses_other_schemes_and_unreadable_urls(link: str) -> None:
    """A remote document can never point tuifeed at a local file, another scheme, or break the reader."""
    with pytest.raises(UnsafeLink):
        follow("https://example.org/feed.xml", link)


def test_follow_resolves_relative_links_and_keeps_credentials_on_the_same_server() -> None:
    """Relative links resolve against the document; its credentials go with them, fragments do not."""
    base = "https://ana:pw@example.org/clips/list.m3u"
    assert follow(base, "a.mp4") == "https://ana:pw@example.org/clips/a.mp4"
    assert follow(base, "/other/b.mp4#t=3") == "https://ana:pw@example.org/other/b.mp4"
    assert follow(base, "//cdn.example.org/c.mp4") == "https://cdn.example.org/c.mp4"


@pytest.mark.parametrize(
    "link", ["../secret.mp4", "..%2Fsecret.mp4", "sub/../../secret.mp4", "/etc/passwd", "http://elsewhere/x.mp4"]
)
def test_below_refuses_links_that_leave_the_folder(link: str) -> None:
    """A listing entry must stay inside the listed folder."""
    with pytest.raises(UnsafeLink):
        below("http://127.0.0.1/videos/", link)


def test_below_accepts_children() -> None:
    """Children, escaped or not, resolve inside the folder."""
    assert below("http://h/videos", "a%20b.mp4") == "http://h/videos/a%20b.mp4"
    assert below("http://h/videos/", "sub/") == "http://h/videos/sub/"


def test_clip_id_ignores_credentials_and_fragment() -> None:
    """A clip keeps its identity when the password in its URL changes."""
    assert clip_id("https://a:1@H/x.mp4#t=1") == clip_id("https://b:2@h/x.mp4")
    assert clip_id("https://h/x.mp4") != clip_id("https://h/y.mp4")
    assert len(clip_id("https://h/x.mp4")) == 32


def test_is_remote() -> None:
    """http(s) URLs are remote; paths and other schemes are not."""
    assert is_remote("https://h/x.mp4") and is_remote("HTTP://h/x.mp4")
    assert not is_remote("/home/ana/x.mp4") and not is_remote("file:///x.mp4")
    assert not is_remote("http://[oops")


_ACTED_ON = st.characters(codec="utf-8", categories=("Cc",)) | st.sampled_from("\u202e\u2066\u200f")


@given(st.text(max_size=20), _ACTED_ON, st.text(max_size=20))
def test_a_followed_link_or_its_refusal_carries_no_control(head: str, control: str, tail: str) -> None:
    """A link with a terminal control in it comes back percent-encoded, or is refused with the control made visible."""
    for link in (f"{head}{control}{tail}", f"http://h/{head}{control}{tail}.mp4", f"javascript:{control}{tail}"):
        try:
            shown = follow("https://example.org/a/feed.xml", link)
        except UnsafeLink as error:
            shown = str(error)
        assert is_clean(shown), repr(shown)


def test_a_control_in_a_link_is_percent_encoded() -> None:
    """ESC in a path becomes %1B, as a browser sends it; spaces stay, so stored clip ids do not move."""
    assert follow("http://h/feed", "/a\x1b[5m b.mp4") == "http://h/a%1B[5m b.mp4"


def test_a_line_separator_in_a_link_is_percent_encoded() -> None:
    """U+2028 and U+2029, which `clean` turns into spaces on screen, travel percent-encoded in a location."""
    assert follow("http://h/feed", "/a\u2028b\u2029.mp4") == "http://h/a%E2%80%A8b%E2%80%A9.mp4"
