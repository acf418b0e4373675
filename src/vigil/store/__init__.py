"""Vigil's store: articles, mentions, claims and fused events in SQLite or PostgreSQL.

    from vigil.store import open_store, EventFilter
    store = open_store("sqlite:///vigil.db")          # or "postgresql://postgres@127.0.0.1/vigil"
    store.add_article(article, mentions)              # -> False when already stored
    store.add_rejection(origin, problem)
    store.events(EventFilter(country="NE", limit=20)) # -> list[EventRecord]
    store.event(event_id)                             # -> EventDetail | None

Schema in ``schema.py``, migrations in ``migrations/`` (``vigil db upgrade``), write side in
``store.py``, read side in ``query.py``.
"""

from vigil.store.query import ArticleInfo, EventDetail, EventFilter, EventRecord, StatRow
from vigil.store.store import Store, open_store, store_many

__all__ = [
    "ArticleInfo",
    "EventDetail",
    "EventFilter",
    "EventRecord",
    "StatRow",
    "Store",
    "open_store",
    "store_many",
]
