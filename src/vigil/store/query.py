"""The read side of the store, for the CLI and the API.

    store.events(EventFilter(country="NE", date_from=..., limit=50))  -> list[EventRecord]
    store.count_events(EventFilter(...))                             -> int
    store.event("ev_...")                                            -> EventDetail | None
    store.stats(EventFilter(...), period="week", by="admin1")        -> list[StatRow]
    store.counts()                                                   -> {"articles": n, ...}

Every filter maps onto an indexed column of ``events`` (date, country, admin1, type,
fatalities, lat/lon) or ``event_actors.actor_id``; text search is a LIKE over the event's notes
and location (a full-text index is future work).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Select, func, or_, select, tuple_

from vigil.errors import StoreError
from vigil.store import schema as s
from vigil.store.rows import actor_from_row, mention_from_rows, place_from_row
from vigil.types import Actor, Fatalities, Mention, Place

Sort = Literal["date", "-date", "fatalities", "-fatalities", "reports", "-reports"]
Period = Literal["day", "week", "month"]


@dataclass(frozen=True)
class EventFilter:
    """Filters for ``Store.events``; every field is optional. ``country`` is an ISO alpha-2 code
    or a country name; ``actor`` an actor id or a part of its name (case-insensitive); ``bbox``
    is (min_lon, min_lat, max_lon, max_lat); ``text`` a word or phrase in the notes or location."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None
    sort: Sort = "-date"
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class EventRecord:
    """One row of ``events``: what a table or a map marker shows."""

    id: str
    date: dt.date
    date_precision: str
    event_type: str
    sub_event_type: str
    country_code: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    lat: float | None
    lon: float | None
    geo_precision: int
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str | None
    assoc_actor_2: str | None
    fatalities_best: int
    fatalities_low: int
    fatalities_high: int
    injuries: int | None
    n_reports: int
    n_mentions: int
    sources: str | None
    notes: str | None
    disagreements: list[str]
    confidence: float


@dataclass(frozen=True)
class ArticleInfo:
    """A source of an event: the article, without its text unless asked."""

    id: str
    url: str | None
    source: str | None
    title: str | None
    published: dt.date | None
    origin: str | None
    text: str | None = None


@dataclass(frozen=True)
class EventDetail:
    """One event with everything behind it: the mentions (each with its claims, actors and
    evidence spans, offsets into its article's text), fatalities per group, and the articles."""

    record: EventRecord
    mentions: list[Mention]
    fatalities: list[Fatalities]  # per group, then the total (group None)
    articles: dict[str, ArticleInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class StatRow:
    period: dt.date  # first day of the day/week (Monday)/month
    key: str | None  # the country code or admin1 when grouped, else None
    events: int
    fatalities: int


def _record(r: Any) -> EventRecord:
    return EventRecord(
        **{f: getattr(r, f) for f in EventRecord.__dataclass_fields__ if f != "disagreements"},
        disagreements=json.loads(r.disagreements or "[]"),
    )


_SORTS = {
    "date": (s.events.c.date, s.events.c.seq),
    "-date": (s.events.c.date.desc(), s.events.c.seq.desc()),
    "fatalities": (s.events.c.fatalities_best, s.events.c.seq),
    "-fatalities": (s.events.c.fatalities_best.desc(), s.events.c.seq.desc()),
    "reports": (s.events.c.n_reports, s.events.c.seq),
    "-reports": (s.events.c.n_reports.desc(), s.events.c.seq.desc()),
}


def _where(q: Select[Any], f: EventFilter) -> Select[Any]:
    e = s.events.c
    if f.date_from:
        q = q.where(e.date >= f.date_from)
    if f.date_to:
        q = q.where(e.date <= f.date_to)
    if f.country:
        c = f.country.strip()
        q = q.where(e.country_code == c.upper() if len(c) == 2 else func.lower(e.country) == c.lower())
    if f.admin1:
        q = q.where(func.lower(e.admin1) == f.admin1.strip().lower())
    if f.event_type:
        q = q.where(e.event_type == f.event_type)
    if f.sub_event_type:
        q = q.where(e.sub_event_type == f.sub_event_type)
    if f.min_fatalities is not None:
        q = q.where(e.fatalities_best >= f.min_fatalities)
    if f.bbox:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        q = q.where(e.lat.between(min_lat, max_lat), e.lon.between(min_lon, max_lon))
    if f.text:
        like = f"%{f.text.lower()}%"
        q = q.where(or_(func.lower(e.notes).like(like), func.lower(e.location).like(like)))
    if f.actor:
        a = f.actor.strip().lower()
        matching = select(s.actors.c.id).where(
            or_(func.lower(s.actors.c.id) == a, func.lower(s.actors.c.name).like(f"%{a}%"))
        )
        q = q.where(
            e.id.in_(select(s.event_actors.c.event_id).where(s.event_actors.c.actor_id.in_(matching)))
        )
    return q


class ReadMixin:
    """Read methods of ``Store`` (which sets ``engine``)."""

    engine: Engine

    def _read(self) -> Connection:
        try:
            return self.engine.connect()
        except Exception as exc:  # a driver error: name the database in the message
            raise StoreError(f"{self.engine.url.render_as_string(hide_password=True)}: {exc}") from exc

    def events(self, filters: EventFilter | None = None) -> list[EventRecord]:
        """Events matching ``filters``, sorted and paged as it says (default: newest 100)."""
        f = filters or EventFilter()
        if f.sort not in _SORTS:
            raise StoreError(f"sort {f.sort!r} is not one of {', '.join(_SORTS)}")
        q = (
            _where(select(s.events), f)
            .order_by(*_SORTS[f.sort])
            .limit(max(0, f.limit))
            .offset(max(0, f.offset))
        )
        with self._read() as conn:
            return [_record(r) for r in conn.execute(q)]

    def count_events(self, filters: EventFilter | None = None) -> int:
        """How many events match ``filters`` (ignoring limit and offset)."""
        q = _where(select(func.count()).select_from(s.events), filters or EventFilter())
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

    def event(self, event_id: str, *, with_text: bool = True) -> EventDetail | None:
        """One event with its mentions, claims, fatalities and articles; None if unknown."""
        with self._read() as conn:
            row = conn.execute(select(s.events).where(s.events.c.id == event_id)).first()
            if row is None:
                return None
            mentions = self._load_event_mentions(conn, [event_id]).get(event_id, [])
            fat = [
                Fatalities(r.grp, r.best, r.low, r.high)
                for r in conn.execute(
                    select(s.event_fatalities)
                    .where(s.event_fatalities.c.event_id == event_id)
                    .order_by(s.event_fatalities.c.grp)
                )
            ]
            fat.append(Fatalities(None, row.fatalities_best, row.fatalities_low, row.fatalities_high))
            a = s.articles.c
            cols = [a.id, a.url, a.source, a.title, a.published, a.origin] + ([a.text] if with_text else [])
            arts = {
                r.id: ArticleInfo(
                    r.id, r.url, r.source, r.title, r.published, r.origin, r.text if with_text else None
                )
                for r in conn.execute(select(*cols).where(a.id.in_({m.article_id for m in mentions})))
            }
        return EventDetail(_record(row), mentions, fat, arts)

    def stats(
        self,
        filters: EventFilter | None = None,
        *,
        period: Period = "month",
        by: Literal["country", "admin1"] | None = None,
    ) -> list[StatRow]:
        """Events and fatalities per day, week or month, optionally per country or admin1.

        Grouping runs in Python over (date, key, fatalities) rows: portable across SQLite and
        PostgreSQL, and one indexed scan of the filtered events."""
        if period not in ("day", "week", "month"):
            raise StoreError(f"period {period!r} is not day, week or month")
        e = s.events.c
        key_col = {"country": e.country_code, "admin1": e.admin1, None: None}[by]
        cols = [e.date, e.fatalities_best] + ([key_col] if key_col is not None else [])
        q = _where(select(*cols), EventFilter(**{**(filters or EventFilter()).__dict__, "limit": 0}))
        q = q.limit(None).offset(None)
        agg: dict[tuple[dt.date, str | None], list[int]] = {}
        with self._read() as conn:
            for r in conn.execute(q):
                d: dt.date = r[0]
                start = (
                    d
                    if period == "day"
                    else d - dt.timedelta(days=d.weekday())
                    if period == "week"
                    else d.replace(day=1)
                )
                slot = agg.setdefault((start, r[2] if key_col is not None else None), [0, 0])
                slot[0] += 1
                slot[1] += r[1]
        return [
            StatRow(p, k, n, f)
            for (p, k), (n, f) in sorted(agg.items(), key=lambda x: (x[0][0], x[0][1] or ""))
        ]

    def counts(self) -> dict[str, int]:
        """Rows per main table: articles, mentions, claims, events, rejections."""
        tables = {
            "articles": s.articles,
            "mentions": s.mentions,
            "claims": s.claims,
            "events": s.events,
            "rejections": s.rejections,
        }
        with self._read() as conn:
            return {
                k: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for k, t in tables.items()
            }

    def article_ids(self) -> set[str]:
        """Ids of every stored article (to skip known ones before coding them)."""
        with self._read() as conn:
            return {r[0] for r in conn.execute(select(s.articles.c.id))}

    # -- rebuilding domain values ------------------------------------------------------------

    def _load_mentions(
        self, conn: Connection, article_ids: Iterable[str], keys: Sequence[tuple[str, int]] | None = None
    ) -> list[Mention]:
        """Mentions of the given articles (or exactly ``keys``), rebuilt with claims and actors."""
        m, c, ma = s.mentions, s.claims, s.mention_actors
        if keys is not None:
            cond = lambda t: tuple_(t.c.article_id, t.c.idx).in_(list(keys))  # noqa: E731
        else:
            ids = list(article_ids)
            cond = lambda t: t.c.article_id.in_(ids)  # noqa: E731
        mrows = conn.execute(select(m).where(cond(m)).order_by(m.c.article_id, m.c.idx)).mappings().all()
        if not mrows:
            return []
        claims: dict[tuple[str, int], list[Any]] = {}
        for r in conn.execute(select(c).where(cond(c))).mappings():
            claims.setdefault((r["article_id"], r["idx"]), []).append(r)
        roles: dict[tuple[str, int], list[Any]] = {}
        for r in conn.execute(select(ma).where(cond(ma))).mappings():
            roles.setdefault((r["article_id"], r["idx"]), []).append(r)
        place_ids = {r["place_id"] for r in mrows if r["place_id"]}
        actor_ids = {r["responsibility_actor_id"] for r in mrows if r["responsibility_actor_id"]}
        actor_ids |= {a["actor_id"] for rs in roles.values() for a in rs}
        places: dict[str, Place] = {
            r["id"]: place_from_row(r)
            for r in conn.execute(select(s.places).where(s.places.c.id.in_(place_ids))).mappings()
        }
        actors: dict[str, Actor] = {
            r["id"]: actor_from_row(r)
            for r in conn.execute(select(s.actors).where(s.actors.c.id.in_(actor_ids))).mappings()
        }
        return [
            mention_from_rows(
                r,
                claims.get((r["article_id"], r["idx"]), []),
                roles.get((r["article_id"], r["idx"]), []),
                places,
                actors,
            )
            for r in mrows
        ]

    def _load_event_mentions(self, conn: Connection, event_ids: Sequence[str]) -> dict[str, list[Mention]]:
        """The member mentions of each event, in the order they joined (article ingestion, index)."""
        if not event_ids:
            return {}
        em = s.event_mentions
        rows = conn.execute(
            select(em.c.event_id, em.c.article_id, em.c.idx, s.articles.c.ingested_at)
            .join(s.articles, s.articles.c.id == em.c.article_id)
            .where(em.c.event_id.in_(list(event_ids)))
            .order_by(s.articles.c.ingested_at, em.c.article_id, em.c.idx)
        ).all()
        by_key = {m.key: m for m in self._load_mentions(conn, (), keys=[(r.article_id, r.idx) for r in rows])}
        out: dict[str, list[Mention]] = {}
        for r in rows:
            out.setdefault(r.event_id, []).append(by_key[f"{r.article_id}:{r.idx}"])
        return out
