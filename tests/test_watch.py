"""`vigil watch` end to end: a local HTTP server with good and failing feeds and pages, the real
pipeline (model, gazetteer, actors) and a real SQLite database; two polls and a restart."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from fixtures.batch.site import STORIES, Route, Site, atom, page, rss
from vigil.store.engine import make_engine
from vigil.watch import PoliteFetcher, Watcher, watch_urls


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site().start()
    yield s
    s.stop()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _publish(site: Site, main_items: list[str]) -> None:
    """Serve the pages and the feeds; ``main_items`` are the paths the main feed lists."""
    for key, (title, paragraphs) in STORIES.items():
        site.routes[f"/news/{key}"] = Route(page(title, paragraphs))
    ambush_title, ambush_text = STORIES["ambush"]
    site.routes["/news/copy"] = Route(page("Ambush near Ouallam (republished)", ambush_text))
    site.routes["/news/broken"] = Route(b"Internal Server Error", status=500, content_type="text/plain")
    site.routes["/news/slow"] = Route(page(*STORIES["convoy"]), delay=1.2)
    site.routes["/news/video"] = Route(page("Watch: the scene after the attack", []))
    site.routes["/feeds/main.xml"] = Route(
        rss("Example News", [(p, site.base + p, "2024-05-0" + str(i + 1)) for i, p in enumerate(main_items)]),
        content_type="application/rss+xml",
    )
    site.routes["/feeds/world.atom"] = Route(
        atom("World desk", [("Protest", site.base + "/news/protest", "2024-05-03"),
                            ("Ambush", site.base + "/news/ambush", "2024-05-01")]),  # fmt: skip
        content_type="application/atom+xml",
    )
    site.routes["/feeds/bad.xml"] = Route(b"<<< this is {not} a feed >>>", content_type="application/rss+xml")


def _stored(db: str) -> list[tuple[str, str]]:
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT url, id FROM articles ORDER BY url")).all()
    finally:
        engine.dispose()
    return [(r[0], r[1]) for r in rows]


def test_watch_stores_the_good_articles_once_across_polls_and_a_restart(site: Site, tmp_path: Path, settings, resources) -> None:
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    s = dataclasses.replace(settings, db=db)
    main = ["/news/ambush", "/news/market", "/news/copy", "/news/broken", "/news/slow", "/news/video"]
    _publish(site, main)
    feeds = [
        site.base + "/feeds/main.xml",
        f"http://127.0.0.1:{_closed_port()}/feeds/dead.xml",
        site.base + "/feeds/bad.xml",
        site.base + "/feeds/world.atom",
    ]

    def watcher() -> Watcher:
        fetcher = PoliteFetcher(timeout=0.3, retries=1, backoff=0.01, host_delay=0.0)
        return Watcher(feeds, s, resources, fetcher=fetcher, max_attempts=3)

    w = watcher()
    first = w.poll()
    assert (first.feeds, first.dead_feeds) == (4, 2)  # the dead feed and the malformed one
    assert first.stored == 3  # ambush, market, protest
    assert first.duplicates == 1  # /news/copy: the ambush text under another URL
    assert first.seen == 1  # the ambush link again, in the second feed
    assert (first.retry, first.rejected) == (2, 1)  # 500 and slow to retry; the video page has no text
    problems = dict(first.problems)
    assert "HTTP 500" in problems[site.base + "/news/broken"]
    assert "timed out" in problems[site.base + "/news/slow"]
    assert "no article text" in problems[site.base + "/news/video"]
    assert "malformed" in problems[site.base + "/feeds/bad.xml"]

    # A new story appears in the main feed; the next poll stores it and only it.
    _publish(site, [*main, "/news/convoy"])
    second = w.poll()
    assert (second.stored, second.duplicates) == (1, 0)
    w.close()

    # A restart: a new watcher on the same database fetches no finished link again.
    hits_before = dict(site.hits)
    w = watcher()
    third = w.poll()
    w.close()
    assert third.stored == 0 and third.duplicates == 0
    for done in ("/news/ambush", "/news/market", "/news/copy", "/news/video", "/news/convoy"):
        assert site.hits[done] == hits_before[done] == 1, done
    # The 500 and the slow page were tried at each of the three polls, then given up as rejected.
    assert third.rejected == 2

    stored = _stored(db)
    urls = [u for u, _ in stored]
    assert urls == sorted(site.base + f"/news/{k}" for k in ("ambush", "market", "protest", "convoy"))
    assert len({i for _, i in stored}) == 4
    engine = make_engine(db)
    with engine.connect() as conn:
        states = dict(conn.execute(sa.select(watch_urls.c.url, watch_urls.c.status)).all())
        rejections = {r[0] for r in conn.execute(sa.text("SELECT origin FROM rejections"))}
    engine.dispose()
    assert states[site.base + "/news/broken"] == "rejected"
    assert states[site.base + "/news/copy"] == "duplicate"
    assert {site.base + "/news/broken", site.base + "/news/slow", site.base + "/news/video"} <= rejections


def test_watch_honours_robots_txt_and_reads_it_once_per_host(
    site: Site, tmp_path: Path, settings, resources
) -> None:
    s = dataclasses.replace(settings, db=f"sqlite:///{tmp_path / 'robots.db'}")
    for key in ("ambush", "market"):
        site.routes[f"/news/{key}"] = Route(page(*STORIES[key]))
    site.routes["/private/convoy"] = Route(page(*STORIES["convoy"]))
    # A group for another robot first: its wider ban must not apply to us; ours forbids /private/.
    site.routes["/robots.txt"] = Route(
        b"User-agent: OtherBot\nDisallow: /\n\nUser-agent: Vigil\nDisallow: /private/\n",
        content_type="text/plain",
    )
    items = ["/news/ambush", "/private/convoy", "/news/market"]
    site.routes["/feeds/main.xml"] = Route(
        rss("Example News", [(p, site.base + p, "2024-05-0" + str(i + 1)) for i, p in enumerate(items)]),
        content_type="application/rss+xml",
    )
    fetcher = PoliteFetcher(timeout=0.5, retries=0, backoff=0.01, host_delay=0.0)
    w = Watcher([site.base + "/feeds/main.xml"], s, resources, fetcher=fetcher)
    first = w.poll()
    second = w.poll()
    w.close()

    assert (first.stored, first.rejected, first.disallowed) == (2, 1, 1)
    assert "robots.txt" in dict(first.problems)[site.base + "/private/convoy"]
    assert "/private/convoy" not in site.hits  # never fetched
    assert site.hits["/robots.txt"] == 1  # once for the host, over two polls
    assert (second.stored, second.seen, second.disallowed) == (0, 3, 0)  # a final decision, kept
    assert [u for u, _ in _stored(s.db)] == [site.base + "/news/ambush", site.base + "/news/market"]


def test_migration_0003_keeps_a_watch_urls_table_made_by_an_older_watcher(tmp_path: Path) -> None:
    from vigil.store import open_store
    from vigil.store.engine import current_revision, head_revision, upgrade

    db = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(db)
    upgrade(engine, "0002")
    with engine.begin() as conn:  # what `vigil watch` used to create by itself, with a row in it
        conn.execute(sa.text(
            "CREATE TABLE watch_urls (url TEXT NOT NULL PRIMARY KEY, status VARCHAR(16) NOT NULL, "
            "article_id VARCHAR(64), problem TEXT, attempts INTEGER NOT NULL, feed TEXT, updated DATETIME NOT NULL)"
        ))  # fmt: skip
        conn.execute(sa.text("CREATE INDEX ix_watch_urls_article_id ON watch_urls (article_id)"))
        conn.execute(sa.text("INSERT INTO watch_urls VALUES ('http://a.example/1', 'stored', 'x', NULL, 1, NULL, '2024-05-01')"))
    engine.dispose()
    store = open_store(db)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(watch_urls.c.url, watch_urls.c.status)).all() == [("http://a.example/1", "stored")]
    finally:
        store.close()
