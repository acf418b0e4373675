"""`vigil watch`: poll RSS/Atom feeds, fetch each new article page, code it and store it.

One poll, for each feed in the feeds file:

1. fetch the feed (``PoliteFetcher``: timeouts, retries with backoff on 5xx/timeouts, a delay
   between two requests to one host, a clear User-Agent, a size limit) and parse it (feedparser);
   a dead or malformed feed is logged and skipped;
2. for each entry whose link the database has not seen: ask the site's robots.txt whether we
   may fetch it (``RobotsRules``, read once per host; a disallowed page is a rejection), fetch
   the page, extract its text (trafilatura, through ``ingest.readers.html_article``), skip it
   when the same text is stored already (text hash), else code it and store it;
3. record the link's outcome in the ``watch_urls`` table (migration 0003), after the article
   is stored, so that a restart never fetches a finished link again and never stores it twice.
   A link that failed for a passing reason (a 500, a timeout) is tried again at the next polls, up
   to ``max_attempts`` in all; a page without article text is a rejection (stored with its reason).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx
import sqlalchemy as sa

from vigil import __version__
from vigil.errors import InputError
from vigil.settings import Settings
from vigil.store.schema import watch_urls

if TYPE_CHECKING:
    from vigil.ingest import Cleaner
    from vigil.pipeline import Resources
    from vigil.types import Article

log = logging.getLogger(__name__)

FINAL = ("stored", "duplicate", "rejected")
USER_AGENT = f"Vigil/{__version__} (news feed watcher for a political-violence event dataset; polite, cached)"


class FetchError(InputError):
    """A page or feed that could not be fetched. ``transient`` when trying later may work
    (a timeout, a refused connection, a 5xx or 429), not for a 404 or a page over the size limit."""

    def __init__(self, where: str, problem: str, *, transient: bool) -> None:
        super().__init__(where, problem)
        self.transient = transient


class PoliteFetcher:
    """HTTP GET with the manners a news site expects from a robot.

    Per request: a connect/read timeout and an overall deadline (a server that trickles bytes
    cannot hold the watcher), up to ``retries`` more tries with exponential backoff for transient
    failures, at least ``host_delay`` seconds between two requests to the same host, a clear
    User-Agent, and ``max_bytes`` at most read (checked on Content-Length and while streaming).
    ``transport`` is httpx's hook for another transport (e.g. a proxy mount); None is the network."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        host_delay: float = 1.0,
        max_bytes: int = 5 * 1024 * 1024,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.host_delay, self.max_bytes, self.user_agent = host_delay, max_bytes, user_agent
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout), headers={"User-Agent": user_agent}, follow_redirects=True,
            transport=transport,
        )  # fmt: skip

    def close(self) -> None:
        self.client.close()

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        wait = self._last.get(host, -1e9) + self.host_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()

    def _once(self, url: str) -> tuple[bytes, str | None]:
        deadline = time.monotonic() + 3 * self.timeout
        try:
            with self.client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    transient = resp.status_code >= 500 or resp.status_code == 429
                    raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}", transient=transient)
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"{declared} bytes is over the {self.max_bytes}-byte limit", transient=False)
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"over the {self.max_bytes}-byte limit", transient=False)
                    if time.monotonic() > deadline:
                        raise FetchError(url, f"slower than {3 * self.timeout:g} s in all", transient=True)
                    chunks.append(chunk)
                return b"".join(chunks), resp.charset_encoding
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out after {self.timeout:g} s ({type(exc).__name__})", transient=True) from exc
        except httpx.TransportError as exc:
            raise FetchError(url, f"cannot connect ({exc or type(exc).__name__})", transient=True) from exc
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"not a valid URL ({exc})", transient=False) from exc

    def fetch(self, url: str) -> tuple[bytes, str | None]:
        """The body of ``url`` and its declared charset; FetchError after the retries."""
        for attempt in range(self.retries + 1):
            self._wait_for_host(url)
            try:
                return self._once(url)
            except FetchError as exc:
                if not exc.transient or attempt == self.retries:
                    raise
                log.info("%s: %s; retrying", url, exc.problem)
                time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def get(self, url: str) -> bytes:
        """The body of ``url`` as bytes (feeds: feedparser reads their encoding itself)."""
        return self.fetch(url)[0]

    def get_text(self, url: str) -> str:
        """The body of ``url`` decoded: its declared charset, else UTF-8, else Windows-1252."""
        data, charset = self.fetch(url)
        for codec in (charset, "utf-8"):
            if codec:
                try:
                    return data.decode(codec)
                except (LookupError, UnicodeDecodeError):
                    continue
        # Windows-1252 decodes any byte string; it is what undeclared Western pages mostly are.
        return data.decode("cp1252", errors="replace")


class RobotsRules:
    """What each host's /robots.txt allows the fetcher's User-Agent, read once per host.

    The file is fetched through the same ``PoliteFetcher`` (timeouts, retries, host delay,
    User-Agent, size limit) and kept ``max_age`` seconds (RFC 9309 asks for no more than a day).
    As RFC 9309 says: a 4xx (no file) allows everything; an unreachable file (5xx, timeout, no
    connection) disallows everything for now: ``allowed`` raises a transient FetchError and the
    file is asked for again at the next call. Rules are urllib.robotparser's reading: the first
    group naming our product token ("Vigil"), else the ``*`` group.

    Feeds are not checked, only the pages found in them: a feed is a URL the operator subscribed
    to, published for programs to read (Google's Feedfetcher makes the same distinction)."""

    def __init__(self, fetcher: PoliteFetcher, *, max_age: float = 24 * 3600.0) -> None:
        self.fetcher = fetcher
        self.max_age = max_age
        self._hosts: dict[str, tuple[float, RobotFileParser]] = {}  # scheme://host -> (read at, rules)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url``; FetchError (transient) when it is unreachable."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        cached = self._hosts.get(site)
        if cached is None or time.monotonic() - cached[0] > self.max_age:
            cached = (time.monotonic(), self._read(site + "/robots.txt"))
            self._hosts[site] = cached
        return cached[1].can_fetch(self.fetcher.user_agent, url)

    def _read(self, robots_url: str) -> RobotFileParser:
        rules = RobotFileParser(robots_url)
        try:
            data, charset = self.fetcher.fetch(robots_url)
        except FetchError as exc:
            if exc.transient:
                problem = f"robots.txt unreachable ({exc.problem})"
                raise FetchError(robots_url, problem, transient=True) from exc
            rules.parse([])  # 404 and other client errors: the site sets no rules
            return rules
        rules.parse(data.decode(charset or "utf-8", errors="replace").splitlines())
        return rules


def read_feeds_file(path: Path) -> list[str]:
    """Feed URLs, one a line; blank lines and ``#`` comments ignored. InputError names file:line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot be read ({exc})") from exc
    feeds: list[str] = []
    for number, line in enumerate(lines, 1):
        url = line.split("#", 1)[0].strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"{path}:{number}", f"{url!r} is not an http(s) URL")
        feeds.append(url)
    if not feeds:
        raise InputError(str(path), "no feed URL in the file (one http(s) URL a line)")
    return feeds


@dataclass
class PollReport:
    """What one poll did; ``problems`` are (url, problem) pairs that were logged and skipped."""

    feeds: int = 0
    dead_feeds: int = 0
    entries: int = 0
    seen: int = 0  # links finished in an earlier poll
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    disallowed: int = 0  # of the rejected: pages that the site's robots.txt forbids us
    retry: int = 0
    mentions: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, url: str, problem: str) -> None:
        log.warning("%s: %s", url, problem)
        self.problems.append((url, problem))


class Watcher:
    """Feeds to stored articles. Holds the loaded resources, the store and the fetcher."""

    def __init__(
        self,
        feeds: list[str],
        settings: Settings,
        resources: Resources,
        *,
        fetcher: PoliteFetcher | None = None,
        cleaner: Cleaner | None = None,
        robots: RobotsRules | None = None,
        max_attempts: int = 3,
        min_words: int = 25,
    ) -> None:
        from vigil.ingest import Cleaner
        from vigil.store import open_store

        self.feeds = feeds
        self.settings = settings
        self.resources = resources
        self.fetcher = fetcher or PoliteFetcher(max_bytes=int(settings.max_file_mb * 1024 * 1024))
        self.cleaner = cleaner or Cleaner.load()
        self.max_attempts = max_attempts
        self.min_words = min_words
        self.store = open_store(settings.db)  # the migrations create watch_urls (0003)
        self.engine = self.store.engine
        self.robots = robots or RobotsRules(self.fetcher)

    def close(self) -> None:
        """Release the HTTP client and the database connections."""
        self.fetcher.close()
        self.store.close()

    # -- state ---------------------------------------------------------------------------------

    def _state(self, url: str) -> tuple[str, int] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(watch_urls.c.status, watch_urls.c.attempts).where(watch_urls.c.url == url)).first()
        return (row.status, row.attempts) if row else None

    def _text_seen(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(watch_urls.c.url).where(watch_urls.c.article_id == article_id).limit(1)
            ).first()
        return found is not None

    def _record(self, url: str, status: str, feed: str, attempts: int, article_id: str | None = None,
                problem: str | None = None) -> None:  # fmt: skip
        values = {"status": status, "attempts": attempts, "article_id": article_id, "problem": problem,
                  "feed": feed, "updated": dt.datetime.now(dt.UTC).replace(tzinfo=None)}  # fmt: skip
        with self.engine.begin() as conn:
            done = conn.execute(sa.update(watch_urls).where(watch_urls.c.url == url).values(**values))
            if done.rowcount == 0:
                conn.execute(sa.insert(watch_urls).values(url=url, **values))

    # -- one poll ------------------------------------------------------------------------------

    def poll(self) -> PollReport:
        """Read every feed once and store what is new; never raises for one bad feed or page."""
        report = PollReport()
        for feed in self.feeds:
            report.feeds += 1
            entries = self._entries(feed, report)
            if entries is None:
                report.dead_feeds += 1
                continue
            for entry in entries:
                report.entries += 1
                try:
                    self._entry(feed, entry, report)
                except Exception as exc:  # a bug or a database hiccup on one page must not stop the service
                    log.debug("entry failed", exc_info=True)
                    self._unexpected(str(entry.get("link")).strip(), feed, f"{type(exc).__name__}: {exc}", report)
        return report

    def _unexpected(self, url: str, feed: str, problem: str, report: PollReport) -> None:
        """An error that is not the page's fault: counted as an attempt, like a 500."""
        try:
            state = self._state(url)
            attempts = (state[1] if state else 0) + 1
            if attempts < self.max_attempts:
                self._record(url, "retry", feed, attempts, problem=problem)
                report.retry += 1
                report.problem(url, f"page skipped for now ({problem}); attempt {attempts} of {self.max_attempts}")
            else:
                self._reject(url, feed, attempts, problem, report)
        except Exception as exc:  # the database itself is down: the next poll tries again
            report.problem(url, f"page skipped ({problem}); its state was not saved either ({exc})")

    def _entries(self, feed: str, report: PollReport) -> list[Any] | None:
        import feedparser

        try:
            data = self.fetcher.get(feed)
        except FetchError as exc:
            report.problem(feed, f"feed skipped: {exc.problem}")
            return None
        parsed = feedparser.parse(data)
        # feedparser is lenient ("bozo" with entries still read); only a feed with nothing usable
        # is skipped, so that one stray character does not hide a day of news.
        entries = [e for e in parsed.entries if e.get("link")]
        if parsed.bozo and not entries:
            reason = getattr(parsed, "bozo_exception", None) or "no entries"
            report.problem(feed, f"feed skipped: malformed ({reason})")
            return None
        if not parsed.entries and not parsed.feed:
            report.problem(feed, "feed skipped: not an RSS or Atom feed")
            return None
        return entries

    def _entry(self, feed: str, entry: Any, report: PollReport) -> None:
        from vigil.ingest.readers import html_article

        url = str(entry.get("link")).strip()
        state = self._state(url)
        if state and state[0] in FINAL:
            report.seen += 1
            return
        attempts = (state[1] if state else 0) + 1
        try:
            if not self.robots.allowed(url):
                report.disallowed += 1
                self._reject(url, feed, attempts, "disallowed by the site's robots.txt", report)
                return
            html = self.fetcher.get_text(url)
        except FetchError as exc:
            if exc.transient and attempts < self.max_attempts:
                self._record(url, "retry", feed, attempts, problem=exc.problem)
                report.retry += 1
                report.problem(url, f"page skipped for now ({exc.problem}); attempt {attempts} of {self.max_attempts}")
            else:
                self._reject(url, feed, attempts, exc.problem, report)
            return
        try:
            article = html_article(html, url, self.cleaner, url=url)
        except InputError as exc:
            self._reject(url, feed, attempts, exc.problem, report)
            return
        words = len(article.text.split())
        if words < self.min_words:
            # A video or gallery page: trafilatura falls back to menu links, which are no story.
            self._reject(url, feed, attempts, f"no article text (only {words} words on the page)", report)
            return
        article = self._with_feed_metadata(article, url, entry, feed)
        if self._text_seen(article.id):
            self._record(url, "duplicate", feed, attempts, article.id)
            report.duplicates += 1
            return
        self._code_and_store(article, feed, attempts, report)

    def _with_feed_metadata(self, article: Article, url: str, entry: Any, feed: str) -> Article:
        # The feed's link is the key that the next poll looks up (the page may name a canonical
        # URL of its own); the feed's date is the publication date when the page gives none.
        published = article.published
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if published is None and parsed:
            published = dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        title = article.title or (entry.get("title") or None)
        return dataclasses.replace(article, url=url, published=published, title=title, origin=url)

    def _code_and_store(self, article: Article, feed: str, attempts: int, report: PollReport) -> None:
        from vigil.pipeline import code_articles

        [(coded, mentions)] = list(code_articles([article], self.resources))
        if self.store.add_article(coded, mentions):
            report.stored += 1
            report.mentions += len(mentions)
            self._record(article.url or "", "stored", feed, attempts, article.id)
        else:
            report.duplicates += 1
            self._record(article.url or "", "duplicate", feed, attempts, article.id)

    def _reject(self, url: str, feed: str, attempts: int, problem: str, report: PollReport) -> None:
        self.store.add_rejection(url, problem)
        self._record(url, "rejected", feed, attempts, problem=problem)
        report.rejected += 1
        report.problem(url, f"page skipped: {problem}")

    # -- the loop ------------------------------------------------------------------------------

    def run(
        self,
        interval: float,
        *,
        once: bool = False,
        stop: threading.Event | None = None,
    ) -> Iterator[PollReport]:
        """Poll every ``interval`` seconds until ``stop`` is set (or once); yields each report."""
        stop = stop or threading.Event()
        while not stop.is_set():
            report = self.poll()
            yield report
            if once:
                return
            stop.wait(interval)
