"""The HTTP API, the dashboard and the exports.

    create_app(settings, *, engine, ingest=None, tiles="") -> FastAPI     (api/app.py)
    EventFilter, make_filter(...)                                         (api/filters.py)
    list_events / iter_events / event_detail / stats / acled_rows         (api/queries.py)
"""

from __future__ import annotations

from vigil.api.app import create_app
from vigil.api.filters import EventFilter, make_filter

__all__ = ["EventFilter", "create_app", "make_filter"]
