"""Read queries behind the API and the exports, over the store's SQLAlchemy tables.

Every function takes an open ``Connection`` and returns plain dicts ready for JSON; the web
layer never builds SQL. ``event_detail`` reassembles an event with its reports, claims and every
evidence span (offsets into ``articles.text``) for the event page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from sqlalchemy import Connection, Engine, String, bindparam, event, func, select, text, type_coerce

from vigil.api.filters import EventFilter, order_by, where_clauses
from vigil.store.schema import (
    actors,
    articles,
    claims,
    event_fatalities,
    event_mentions,
    events,
    mention_actors,
    mentions,
    places,
)

# The list fields of an event, as the API names them, and the column each comes from.
EVENT_FIELDS: dict[str, Any] = {
    "id": events.c.id,
    "event_date": events.c.date,
    "year": events.c.year,
    "date_precision": events.c.date_precision,
    "event_type": events.c.event_type,
    "sub_event_type": events.c.sub_event_type,
    "actor1": events.c.actor1,
    "assoc_actor_1": events.c.assoc_actor_1,
    "actor2": events.c.actor2,
    "assoc_actor_2": events.c.assoc_actor_2,
    "country": events.c.country,
    "country_code": events.c.country_code,
    "admin1": events.c.admin1,
    "admin2": events.c.admin2,
    "location": events.c.location,
    "latitude": events.c.lat,
    "longitude": events.c.lon,
    "geo_precision": events.c.geo_precision,
    "fatalities": events.c.fatalities_best,
    "fatalities_low": events.c.fatalities_low,
    "fatalities_high": events.c.fatalities_high,
    "injuries": events.c.injuries,
    "n_reports": events.c.n_reports,
    "sources": events.c.sources,
    "notes": events.c.notes,
    "confidence": events.c.confidence,
}

StatsBy = Literal["day", "week", "month", "year", "country", "admin1"]
STATS_BY: tuple[str, ...] = ("day", "week", "month", "year", "country", "admin1")


def tune_sqlite_reads(engine: Engine) -> None:
    """Memory-map the SQLite file and give each connection a larger page cache: an index scan
    over a million events then reads pages without a system call each (measured: the CPU time
    of a filtered page halves). No effect on PostgreSQL; registering twice is harmless."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_read_pragmas):
        return
    event.listen(engine, "connect", _sqlite_read_pragmas)
    engine.dispose()  # connections opened before the listener reopen with it


def _sqlite_read_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA mmap_size=1073741824")  # up to 1 GiB mapped; the OS pages it in on demand
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB per connection
    cur.close()


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_NAMES = tuple(EVENT_FIELDS)


# The select list of pages and exports, built once. The date is read as the driver gives it:
# SQLite stores it as ISO text, which SQLAlchemy's Date would parse only for _event_dict to
# format it back; PostgreSQL's driver gives a date, formatted in _event_dict.
_EVENTS_SELECT = select(
    *(type_coerce(c, String).label(c.name) if c is events.c.date else c for c in EVENT_FIELDS.values())
)


def _event_dict(row: Sequence[Any]) -> dict[str, Any]:
    # The hot loop of every list and export: only the date needs converting, so convert only it
    # (a per-field check cost more than the query on a page of 500).
    out = dict(zip(_NAMES, row, strict=True))
    day = out["event_date"]
    if not isinstance(day, str):
        out["event_date"] = day.isoformat()
    return out


# Sort keys whose order an index gives (ix_events_date_fatalities, ix_events_fatalities): a
# page in that order stops after ``offset + limit`` matches.
INDEXED_SORTS = frozenset({"date", "-date", "fatalities", "-fatalities"})


def may_scan(f: EventFilter, sort: str = "-date") -> bool:
    """Whether a page for ``f`` and ``sort`` may read much of the table whatever its size: the
    text filters are substring matches that no index serves, and the other sort keys have no
    index (every match is read and sorted). The remaining filters all have an index."""
    return bool(f.q or f.actor) or sort not in INDEXED_SORTS


def list_events(
    conn: Connection, f: EventFilter, *, sort: str = "-date", limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], bool]:
    """One page of events and whether there are more. One row past the page is read to know
    that, instead of counting every match (a count over a million rows costs more than the page)."""
    query = (
        _EVENTS_SELECT.where(*where_clauses(f))
        .order_by(*order_by(sort))
        .limit(limit + 1)
        .offset(offset)
    )
    rows = conn.execute(query).all()
    return [_event_dict(r) for r in rows[:limit]], len(rows) > limit


def iter_events(conn: Connection, f: EventFilter, *, sort: str = "-date", batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every matching event, streamed from the server cursor in batches (for exports)."""
    query = _EVENTS_SELECT.where(*where_clauses(f)).order_by(*order_by(sort))
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    for row in result:
        yield _event_dict(row)


# ACLED's column names and order come from the store's ``events_acled`` view.
_ACLED_SQL = text("SELECT * FROM events_acled WHERE event_id_cnty IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def acled_rows(conn: Connection, ids: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
    """The ``events_acled`` rows of ``ids``, in the order of ``ids``, with the view's columns."""
    if not ids:
        result = conn.execute(text("SELECT * FROM events_acled WHERE 1 = 0"))
        return list(result.keys()), []
    result = conn.execute(_ACLED_SQL, {"ids": ids})
    columns = list(result.keys())
    by_id = {r["event_id_cnty"]: {k: _plain(v) for k, v in r.items()} for r in result.mappings()}
    return columns, [by_id[i] for i in ids if i in by_id]


def _span(start: int | None, end: int | None, words: str | None) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    return {"start": start, "end": end, "text": words or ""}


def _mention_dict(m: Any, m_claims: list[Any], m_actors: list[Any]) -> dict[str, Any]:
    """A stored mention in the shape of ``types.Mention`` (see ``types.to_jsonable``)."""
    responsibility = None
    if m.responsibility_actor_id:
        responsibility = {
            "actor": {"id": m.responsibility_actor_id, "name": m.responsibility_actor_name},
            "span": _span(m.responsibility_start, m.responsibility_end, m.responsibility_text),
        }
    return {
        "article_id": m.article_id,
        "index": m.idx,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "trigger": _span(m.trigger_start, m.trigger_end, m.trigger_text),
        "evidence": _span(m.evidence_start, m.evidence_end, m.evidence_text),
        "date": {
            "value": _plain(m.date),
            "precision": m.date_precision,
            "span": _span(m.date_start, m.date_end, m.date_text),
            "reason": m.date_reason,
        },
        "location": {
            "place": {
                "name": m.place_name or m.toponym,
                "country_code": m.country_code,
                "country": m.country,
                "admin1": m.admin1,
                "admin2": m.admin2,
                "lat": m.lat,
                "lon": m.lon,
                "geonameid": m.geonameid,
            },
            "toponym": m.toponym,
            "precision": m.geo_precision,
            "span": _span(m.location_start, m.location_end, m.location_text),
            "reason": m.location_reason,
        },
        "actors": [
            {
                "actor": {"id": a.actor_id, "name": a.name, "kind": a.kind, "country": a.country},
                "role": a.role,
                "span": _span(a.span_start, a.span_end, a.span_text),
            }
            for a in m_actors
        ],
        "claims": [_claim_dict(c) for c in m_claims],
        "responsibility": responsibility,
        "background": bool(m.background),
        "confidence": m.confidence,
        "reasons": json.loads(m.reasons) if m.reasons else [],
    }


def _claim_dict(c: Any) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "value": c.value,
        "low": c.low,
        "high": c.high,
        "exact": bool(c.exact),
        "hedge": c.hedge,
        "group": c.grp,
        "source": c.source,
        "source_kind": c.source_kind,
        "span": _span(c.span_start, c.span_end, c.span_text),
        "source_span": _span(c.source_start, c.source_end, c.source_text),
    }


def event_detail(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """The event with its fatalities per group, its reports (article + mentions with every
    span), all claims side by side with their article, and the disagreements; None if absent."""
    row = conn.execute(select(*EVENT_FIELDS.values(), events.c.disagreements).where(events.c.id == event_id)).first()
    if row is None:
        return None
    out = _event_dict(row[:-1])
    out["disagreements"] = json.loads(row[-1]) if row[-1] else []
    out["fatalities_by_group"] = [
        {"group": None if r.grp in ("", "*") else r.grp, "best": r.best, "low": r.low, "high": r.high}
        for r in conn.execute(select(event_fatalities).where(event_fatalities.c.event_id == event_id))
    ]
    keys = select(event_mentions.c.article_id, event_mentions.c.idx).where(event_mentions.c.event_id == event_id)
    key_rows = conn.execute(keys).all()
    article_ids = sorted({k.article_id for k in key_rows})
    wanted = {(k.article_id, k.idx) for k in key_rows}

    responsible = actors.alias("responsible")
    m_rows = conn.execute(
        select(mentions, responsible.c.name.label("responsibility_actor_name"), places.c.name.label("place_name"))
        .outerjoin(responsible, responsible.c.id == mentions.c.responsibility_actor_id)
        .outerjoin(places, places.c.id == mentions.c.place_id)
        .where(mentions.c.article_id.in_(article_ids))
        .order_by(mentions.c.article_id, mentions.c.idx)
    ).all()
    c_rows = conn.execute(
        select(claims).where(claims.c.article_id.in_(article_ids)).order_by(claims.c.article_id, claims.c.idx, claims.c.n)
    ).all()
    a_rows = conn.execute(
        select(mention_actors, actors.c.name, actors.c.kind, actors.c.country)
        .join(actors, actors.c.id == mention_actors.c.actor_id)
        .where(mention_actors.c.article_id.in_(article_ids))
        .order_by(mention_actors.c.article_id, mention_actors.c.idx, mention_actors.c.n)
    ).all()
    art_rows = {r.id: r for r in conn.execute(select(articles).where(articles.c.id.in_(article_ids)))}
    claims_of: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for c in c_rows:
        claims_of[(c.article_id, c.idx)].append(c)
    actors_of: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for a in a_rows:
        actors_of[(a.article_id, a.idx)].append(a)

    reports = []
    all_claims = []
    for article_id in article_ids:
        art = art_rows.get(article_id)
        if art is None:
            continue
        report_mentions = []
        for m in m_rows:
            if m.article_id != article_id or (m.article_id, m.idx) not in wanted:
                continue
            m_dict = _mention_dict(m, claims_of[(m.article_id, m.idx)], actors_of[(m.article_id, m.idx)])
            report_mentions.append(m_dict)
            for c in m_dict["claims"]:
                all_claims.append({**c, "article_id": art.id, "article_source": art.source, "article_title": art.title})
        reports.append(
            {
                "article": {
                    "id": art.id,
                    "title": art.title,
                    "url": art.url,
                    "source": art.source,
                    "published": _plain(art.published),
                    "language": art.language,
                    "text": art.text,
                },
                "mentions": report_mentions,
            }
        )
    out["reports"] = reports
    out["claims"] = all_claims
    return out


def stats(conn: Connection, f: EventFilter, by: str) -> list[dict[str, Any]]:
    """Events and fatalities per day, week (keyed by its Monday), month, year, country or admin1.

    Time buckets are grouped per day in SQL (portable between SQLite and PostgreSQL, and at most
    a few thousand rows) and folded into weeks, months or years here."""
    n = func.count().label("events")
    killed = func.coalesce(func.sum(events.c.fatalities_best), 0).label("fatalities")
    where = where_clauses(f)
    if by == "country":
        query = select(events.c.country_code, events.c.country, n, killed).where(*where)
        query = query.group_by(events.c.country_code, events.c.country).order_by(n.desc())
        return [
            {"key": r.country_code or "", "label": r.country or "", "events": r.events, "fatalities": int(r.fatalities)}
            for r in conn.execute(query)
        ]
    if by == "admin1":
        query = select(events.c.country_code, events.c.admin1, n, killed).where(*where)
        query = query.group_by(events.c.country_code, events.c.admin1).order_by(n.desc())
        return [
            {"key": r.admin1 or "", "country_code": r.country_code or "", "events": r.events, "fatalities": int(r.fatalities)}
            for r in conn.execute(query)
        ]
    days = conn.execute(select(events.c.date, n, killed).where(*where).group_by(events.c.date).order_by(events.c.date))
    buckets: dict[dt.date, list[int]] = {}
    for day, count, dead in days:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        bucket = _bucket(day, by)
        totals = buckets.setdefault(bucket, [0, 0])
        totals[0] += count
        totals[1] += int(dead)
    return [{"key": k.isoformat(), "events": v[0], "fatalities": v[1]} for k, v in sorted(buckets.items())]


def _bucket(day: dt.date, by: str) -> dt.date:
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)
