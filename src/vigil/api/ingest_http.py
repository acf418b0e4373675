"""What the HTTP layer needs around ingestion and safety: reading a bounded article body,
the coding function behind ``POST /api/articles``, and the security headers middleware.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.api.models import ArticleIn
from vigil.errors import InputError
from vigil.types import Article, Mention

if TYPE_CHECKING:
    from vigil.pipeline import Resources

MAX_ARTICLES = 1000  # per request

# (position in the request, article fields) -> one result dict per article (see IngestResult).
IngestFn = Callable[[list[tuple[int, ArticleIn]]], list[dict[str, Any]]]

_ONE_OR_MANY: TypeAdapter[ArticleIn | list[ArticleIn]] = TypeAdapter(ArticleIn | list[ArticleIn])


class ArticleSink(Protocol):
    """The part of the Store that ingestion writes through."""

    def add_article(self, article: Article, mentions: list[Mention]) -> bool: ...


async def read_articles(request: Request, max_bytes: int) -> list[tuple[int, ArticleIn]]:
    """The articles of a JSON body (one object or a list), reading at most ``max_bytes``.

    Raises ``ApiError`` 413 for a larger body, 415 for a body that is not JSON and 422 when the
    body is not an article or a list of them."""
    from vigil.api.app import ApiError

    if "json" not in request.headers.get("content-type", ""):
        raise ApiError(415, "send the articles as JSON (Content-Type: application/json)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, f"request body of {declared} bytes is over the limit of {max_bytes}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:  # a chunked body has no Content-Length: count as it comes
            raise ApiError(413, f"request body is over the limit of {max_bytes} bytes")
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(422, f"body is not JSON: {exc}") from exc
    try:
        value = _ONE_OR_MANY.validate_python(parsed)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ApiError(422, f"body is not an article or a list of articles: {where}: {first.get('msg')}") from exc
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_ARTICLES:
        raise ApiError(413, f"{len(items)} articles in one request; the limit is {MAX_ARTICLES}")
    if any("\x00" in (a.text + (a.url or "") + (a.source or "") + (a.title or "")) for a in items):
        raise ApiError(422, "an article contains a NUL character")
    return list(enumerate(items))


def make_ingest(load_resources: Callable[[], Resources], sink: ArticleSink) -> IngestFn:
    """The coding function for POST: loads the pipeline on first use (the model takes seconds,
    and most servers never ingest), then normalises, codes and stores each article. A refused
    article gets its error in its result; the others go on."""
    from vigil.ingest import Cleaner, make_article
    from vigil.pipeline import code_articles

    lock = threading.Lock()
    loaded: dict[str, Any] = {}

    def ingest(items: list[tuple[int, ArticleIn]]) -> list[dict[str, Any]]:
        with lock:  # one batch at a time: the model and the write lock are shared anyway
            if not loaded:
                loaded["res"] = load_resources()
                loaded["cleaner"] = Cleaner.load()
            results: list[dict[str, Any]] = []
            ready: list[tuple[int, Article]] = []
            for index, item in items:
                try:
                    article = make_article(
                        item.text,
                        published=item.published,
                        url=item.url,
                        source=item.source,
                        title=item.title,
                        origin=f"http:{index}",
                        cleaner=loaded["cleaner"],
                    )
                except InputError as exc:
                    results.append({"index": index, "article_id": None, "stored": False, "mentions": 0, "error": str(exc)})
                    continue
                ready.append((index, article))
            by_id = {id(a): i for i, a in ready}
            for article, found in code_articles((a for _, a in ready), loaded["res"]):
                stored = sink.add_article(article, found)
                results.append(
                    {"index": by_id[id(article)], "article_id": article.id, "stored": stored, "mentions": len(found), "error": None}
                )
            return results

    return ingest


def security_headers(tiles: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries: a Content-Security-Policy allowing scripts and
    styles only from this server (no inline script can run, whatever an article contains) and
    images also from the tile server when one is configured; no MIME sniffing; no framing."""
    img = "'self' data:"
    if tiles:
        from urllib.parse import urlsplit

        parts = urlsplit(tiles.replace("{", "").replace("}", ""))
        img += f" {parts.scheme}://{parts.netloc}"
    policy = (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]


class SecurityHeaders:
    """Pure ASGI middleware adding ``headers`` to every HTTP response (cheaper per request than
    Starlette's BaseHTTPMiddleware, which matters under load)."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
