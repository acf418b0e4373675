"""The FastAPI application: the JSON/GeoJSON/CSV API, the dashboard pages and the offline docs.

``create_app(settings, engine=..., ingest=...)`` builds one app over one database; nothing
connects at import time. Every error leaves as ``{"error": {"status": ..., "message": ...}}``
with its HTTP status. Pages are static shells: the data reaches them only through the JSON API
and ``textContent`` in the browser, and a Content-Security-Policy forbids inline script.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from importlib import resources
from pathlib import Path as FilePath
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil import __version__
from vigil.api import formats, queries
from vigil.api.filters import MAX_LIMIT, EventFilter, make_filter
from vigil.api.ingest_http import MAX_ARTICLES, IngestFn, SecurityHeaders, read_articles, security_headers
from vigil.api.models import ArticleIn, ErrorBody, EventDetail, EventPage, IngestReply, StatsReply
from vigil.errors import InputError, VigilError
from vigil.settings import Settings

log = logging.getLogger("vigil.api")

STATIC = FilePath(str(resources.files("vigil.api").joinpath("static")))
SORT_PATTERN = r"^-?(date|fatalities|country|type|reports|updated)$"
BBOX_PATTERN = r"^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$"
MAX_OFFSET = 1_000_000  # deeper than this, narrow the filters or use `vigil export`
MAX_FATALITIES = 1_000_000_000  # fits every database's INTEGER


T = TypeVar("T")
STATS_TTL = 60.0  # seconds a /api/stats answer is reused (the dashboard asks on every change)


class TTLCache:
    """A small thread-safe cache whose entries expire after ``ttl`` seconds (oldest dropped
    beyond ``size``). One per app, so nothing is shared between apps or tests."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or time.monotonic() - hit[0] > self.ttl:
                return None
            return hit[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class ApiError(Exception):
    """An error with its HTTP status, turned into the one JSON error shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> Response:
    return formats.SafeJSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.message)

    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError) -> Response:
        return error_response(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> Response:
        return error_response(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and exc.detail == "Not Found":
            return error_response(404, f"no page or endpoint at {request.url.path}")
        if exc.status_code == 405:
            return error_response(405, f"{request.method} is not allowed on {request.url.path}")
        return error_response(exc.status_code, str(exc.detail))

    @app.exception_handler(SQLAlchemyError)
    async def _database(_: Request, exc: SQLAlchemyError) -> Response:
        log.error("database error", exc_info=exc)
        return error_response(503, "the database cannot answer right now; see the server log")

    @app.exception_handler(VigilError)
    async def _vigil(_: Request, exc: VigilError) -> Response:
        return error_response(500, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        log.error("unexpected error", exc_info=exc)
        return error_response(500, "internal error; see the server log")


# The POST body, written out because the handler reads the body itself (to bound its size).
_ARTICLE_SCHEMA = ArticleIn.model_json_schema()
_ARTICLES_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        _ARTICLE_SCHEMA,
                        {"type": "array", "items": _ARTICLE_SCHEMA, "maxItems": MAX_ARTICLES},
                    ]
                }
            }
        },
    }
}


def _filters(
    date_from: dt.date | None,
    date_to: dt.date | None,
    country: str | None,
    admin1: str | None,
    event_type: str | None,
    actor: str | None,
    q: str | None,
    bbox: str | None,
    min_fatalities: int | None,
) -> EventFilter:
    return make_filter(
        date_from=date_from,
        date_to=date_to,
        country=country,
        admin1=admin1,
        event_type=event_type,
        actor=actor,
        q=q,
        bbox=bbox,
        min_fatalities=min_fatalities,
    )


async def _run(read: Callable[[], T], on_loop: bool) -> T:
    """Run a database read on the event loop or in the thread pool. Threads cost more than a
    short SQLite read itself under load: the driver drops the GIL at every row it steps, and
    with several requests in threads of one worker each row becomes a GIL hand-over (measured
    in-process, 8 concurrent requests of the bench's mix: 5.8 ms CPU per request in threads,
    3.7-4.8 ms on the loop). So callers pass ``on_loop`` for reads of a local SQLite file that
    an index bounds to a few milliseconds; a read that may scan the table (a text search, a
    sort no index gives) or that waits on a PostgreSQL server (which may stall) stays in a
    thread, so that it cannot hold up the worker's other requests."""
    if on_loop:
        return read()
    return await run_in_threadpool(read)


def create_app(settings: Settings, *, engine: Engine, ingest: IngestFn | None = None, tiles: str = "") -> FastAPI:
    """The app over ``engine``. ``ingest`` codes and stores articles for ``POST /api/articles``
    (the endpoint answers 403 unless ``settings.api_key`` is set); ``tiles`` is an optional
    online tile URL template (``https://.../{z}/{x}/{y}.png``) drawn under the outlines."""
    app = FastAPI(
        title="Vigil",
        version=__version__,
        description="Events of political violence coded from news reports, with the evidence for every field.",
        docs_url=None,  # FastAPI's /docs loads Swagger UI from a CDN; ours works offline
        redoc_url=None,
        openapi_url="/openapi.json",
        default_response_class=formats.SafeJSONResponse,
        responses={422: {"model": ErrorBody, "description": "Invalid parameters"}},
    )
    queries.tune_sqlite_reads(engine)
    local = engine.dialect.name == "sqlite"  # reads a local file: short reads run on the loop
    stats_cache = TTLCache(ttl=STATS_TTL, size=256)
    app.add_middleware(SecurityHeaders, headers=security_headers(tiles))
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/events", response_model=None, responses={200: {"model": EventPage, "content": {"application/geo+json": {}, "text/csv": {}}}}, tags=["events"])
    async def list_events(
        sort: Annotated[str, Query(pattern=SORT_PATTERN, description="date, fatalities, country, type, reports, updated; '-' for descending.")] = "-date",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        format: Annotated[str, Query(pattern=r"^(json|geojson|csv)$", description="json, geojson, or csv with ACLED's columns.")] = "json",
        date_from: Annotated[dt.date | None, Query(description="First day, YYYY-MM-DD.")] = None,
        date_to: Annotated[dt.date | None, Query(description="Last day, YYYY-MM-DD.")] = None,
        country: Annotated[str | None, Query(max_length=400, description="ISO alpha-2 codes or names, comma-separated.")] = None,
        admin1: Annotated[str | None, Query(max_length=400, description="First-level regions, comma-separated.")] = None,
        event_type: Annotated[str | None, Query(max_length=400, description="ACLED event types, comma-separated.")] = None,
        actor: Annotated[str | None, Query(max_length=200, description="An actor id, or words of an actor's name.")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Words in the notes, place or actor names.")] = None,
        bbox: Annotated[str | None, Query(max_length=100, pattern=BBOX_PATTERN, description="min_lon,min_lat,max_lon,max_lat")] = None,
        min_fatalities: Annotated[int | None, Query(ge=0, le=MAX_FATALITIES)] = None,
    ) -> Response:
        """Events matching the filters, newest first by default, one page at a time."""
        f = _filters(date_from, date_to, country, admin1, event_type, actor, q, bbox, min_fatalities)

        def read() -> tuple[list[dict[str, Any]], bool, list[str], list[dict[str, Any]]]:
            columns: list[str] = []
            rows: list[dict[str, Any]] = []
            with engine.connect() as conn:
                page, more = queries.list_events(conn, f, sort=sort, limit=limit, offset=offset)
                if format == "csv":
                    columns, rows = queries.acled_rows(conn, [e["id"] for e in page])
            return page, more, columns, rows

        page, more, columns, rows = await _run(read, local and not queries.may_scan(f, sort))
        if format == "csv":
            headers = {"Content-Disposition": 'attachment; filename="vigil-events.csv"'}
            return StreamingResponse(formats.csv_lines(columns, rows), media_type="text/csv; charset=utf-8", headers=headers)
        if format == "geojson":
            return formats.SafeJSONResponse(formats.feature_collection(page), media_type="application/geo+json")
        next_offset = offset + limit if more else None
        return formats.SafeJSONResponse({"events": page, "limit": limit, "offset": offset, "next_offset": next_offset})

    @app.get("/api/events/{event_id}", response_model=None, responses={200: {"model": EventDetail}, 404: {"model": ErrorBody}}, tags=["events"])
    async def get_event(event_id: Annotated[str, Path(max_length=64)]) -> Response:
        """One event with its reports, their article text, every claim with its source, and the
        evidence span of every field (character offsets into the article text)."""
        if "\x00" in event_id:
            raise ApiError(422, "event_id: contains a NUL character")

        def read() -> dict[str, Any] | None:
            with engine.connect() as conn:
                return queries.event_detail(conn, event_id)

        detail = await _run(read, local)  # a primary-key lookup and the rows of one event
        if detail is None:
            raise ApiError(404, f"no event with id {event_id!r}")
        return formats.SafeJSONResponse(detail)

    @app.get("/api/stats", response_model=None, responses={200: {"model": StatsReply}}, tags=["events"])
    async def get_stats(
        by: Annotated[str, Query(pattern=r"^(day|week|month|year|country|admin1)$", description="day, week, month, year, country or admin1.")] = "week",
        date_from: Annotated[dt.date | None, Query(description="First day, YYYY-MM-DD.")] = None,
        date_to: Annotated[dt.date | None, Query(description="Last day, YYYY-MM-DD.")] = None,
        country: Annotated[str | None, Query(max_length=400)] = None,
        admin1: Annotated[str | None, Query(max_length=400)] = None,
        event_type: Annotated[str | None, Query(max_length=400)] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        q: Annotated[str | None, Query(max_length=200)] = None,
        bbox: Annotated[str | None, Query(max_length=100, pattern=BBOX_PATTERN)] = None,
        min_fatalities: Annotated[int | None, Query(ge=0, le=MAX_FATALITIES)] = None,
    ) -> Response:
        """Events and fatalities per day, week (keyed by its Monday), month, year, country or
        admin1. Answers may be up to a minute old: an unfiltered count reads every event."""
        f = _filters(date_from, date_to, country, admin1, event_type, actor, q, bbox, min_fatalities)
        rows = stats_cache.get((by, f))
        if rows is None:

            def read() -> list[dict[str, Any]]:
                with engine.connect() as conn:
                    return queries.stats(conn, f, by)

            rows = await _run(read, False)  # sums over every match: a thread, whatever the database
            stats_cache.put((by, f), rows)
        return formats.SafeJSONResponse({"by": by, "rows": rows})

    @app.post(
        "/api/articles",
        response_model=None,
        responses={200: {"model": IngestReply}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 413: {"model": ErrorBody}},
        openapi_extra=_ARTICLES_BODY,
        tags=["ingest"],
    )
    async def post_articles(request: Request) -> Response:
        """Code and store one article or a list of them. Off unless the server has an API key;
        then the key is required in the X-API-Key header."""
        if not settings.api_key:
            raise ApiError(403, "ingestion over HTTP is off: set the api_key setting (VIGIL_API_KEY) to turn it on")
        given = request.headers.get("x-api-key", "")
        if not secrets.compare_digest(given.encode(), settings.api_key.encode()):
            raise ApiError(401, "missing or wrong X-API-Key header")
        if ingest is None:
            raise ApiError(503, "this server was started without an ingestion pipeline")
        max_bytes = int(settings.max_file_mb * 1024 * 1024)
        articles = await read_articles(request, max_bytes)
        results = await run_in_threadpool(ingest, articles)
        return formats.SafeJSONResponse({"results": sorted(results, key=lambda r: r["index"])})

    @app.get("/api/config", tags=["meta"])
    def get_config() -> dict[str, Any]:
        """What the dashboard needs to know about this server."""
        return {"version": __version__, "tiles": tiles, "ingest": bool(settings.api_key)}

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> FileResponse:
        # The id is read by the page's script from the URL; the shell is the same for every id.
        return FileResponse(STATIC / "event.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    return app
