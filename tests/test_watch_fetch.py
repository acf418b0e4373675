"""PoliteFetcher and the feeds file, against a real HTTP server on 127.0.0.1 (no network)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.batch.site import Route, Site, page
from vigil.errors import InputError
from vigil.watch import USER_AGENT, FetchError, PoliteFetcher, RobotsRules, read_feeds_file


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site().start()
    yield s
    s.stop()


def _fetcher(**kw: float) -> PoliteFetcher:
    opts: dict[str, float] = {"timeout": 0.5, "retries": 2, "backoff": 0.01, "host_delay": 0.0, "max_bytes": 10_000}
    opts.update(kw)
    return PoliteFetcher(**opts)  # type: ignore[arg-type]


def test_ok_page_is_decoded_and_the_user_agent_says_who_we_are(site: Site) -> None:
    site.routes["/a"] = Route(page("Caf\u00e9 news", ["Un caf\u00e9 pr\u00e8s de la place."]))
    f = _fetcher()
    assert "Caf\u00e9 news" in f.get_text(site.base + "/a")
    assert site.agents == {USER_AGENT}
    assert USER_AGENT.startswith("Vigil/")


def test_server_error_is_retried_then_reported_as_transient(site: Site) -> None:
    site.routes["/err"] = Route(b"boom", status=500)
    with pytest.raises(FetchError, match="HTTP 500") as info:
        _fetcher(retries=2).get(site.base + "/err")
    assert info.value.transient
    assert site.hits["/err"] == 3  # one try and two retries


def test_not_found_is_final_and_not_retried(site: Site) -> None:
    with pytest.raises(FetchError, match="HTTP 404") as info:
        _fetcher().get(site.base + "/missing")
    assert not info.value.transient
    assert site.hits["/missing"] == 1


def test_slow_page_times_out(site: Site) -> None:
    site.routes["/slow"] = Route(page("Slow", ["late"]), delay=1.5)
    with pytest.raises(FetchError, match="timed out") as info:
        _fetcher(timeout=0.2, retries=1).get(site.base + "/slow")
    assert info.value.transient


def test_page_over_the_size_limit_is_refused(site: Site) -> None:
    site.routes["/big"] = Route(b"x" * 20_000)
    with pytest.raises(FetchError, match="limit") as info:
        _fetcher(max_bytes=10_000).get(site.base + "/big")
    assert not info.value.transient


def test_dead_host_is_a_transient_error() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        _fetcher(retries=0).get(f"http://127.0.0.1:{port}/feed.xml")


def test_requests_to_one_host_are_spaced_by_the_host_delay(site: Site) -> None:
    site.routes["/p"] = Route(b"ok", content_type="text/plain")
    f = _fetcher(host_delay=0.3)
    for _ in range(3):
        f.get(site.base + "/p")
    stamps = [t for path, t in site.times if path == "/p"]
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    # The fetcher spaces its sends by 0.3 s on its own clock; the server stamps arrivals, which
    # jitter by a few milliseconds on a busy machine (one CI run saw 0.289). Without the delay the
    # gaps are about a millisecond, so 0.25 still tells the two apart.
    assert len(gaps) == 2 and min(gaps) >= 0.25 and stamps[-1] - stamps[0] >= 0.55


def test_feeds_file(tmp_path: Path) -> None:
    good = tmp_path / "feeds.txt"
    good.write_text("# news\nhttps://a.example/rss\n\n  http://b.example/atom.xml  # world desk\n")
    assert read_feeds_file(good) == ["https://a.example/rss", "http://b.example/atom.xml"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://a.example/rss\nftp://b.example/x\n")
    with pytest.raises(InputError, match=r"bad.txt:2.*not an http\(s\) URL"):
        read_feeds_file(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n")
    with pytest.raises(InputError, match="no feed URL"):
        read_feeds_file(empty)


def test_robots_rules_follow_rfc_9309_when_the_file_is_missing_or_unreachable(site: Site) -> None:
    f = _fetcher(retries=0)
    # No robots.txt (404): everything is allowed.
    assert RobotsRules(f).allowed(site.base + "/news/a")
    # A server error: nothing is allowed for now, and the file is asked for again next time.
    site.routes["/robots.txt"] = Route(b"down", status=503)
    rules = RobotsRules(f)
    with pytest.raises(FetchError, match="robots.txt unreachable") as info:
        rules.allowed(site.base + "/news/a")
    assert info.value.transient
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /news/b\n", content_type="text/plain")
    assert rules.allowed(site.base + "/news/a")
    assert not rules.allowed(site.base + "/news/b")
    assert site.hits["/robots.txt"] == 3  # 404, 503, then the file, kept
    assert site.agents == {USER_AGENT}
