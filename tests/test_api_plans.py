"""The dashboard's typical queries use the indexes of migration 0002 (SQLite's plans, over a
real migrated store of 20,000 invented events with ANALYZE statistics), and the rule that
decides which reads may run on the event loop."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from vigil.api import queries
from vigil.api.filters import EventFilter, make_filter, order_by, where_clauses
from vigil.store.engine import make_engine, upgrade
from vigil.store.schema import events

COUNTRIES = [("ML", "Mali", ["Mopti", "Gao", "Kidal"]), ("NE", "Niger", ["Tillaberi", "Diffa"]), ("NG", "Nigeria", ["Borno", "Benue"])]
TYPES = ["Battles", "Violence against civilians", "Protests", "Riots"]


def _rows(n: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(3)
    for i in range(n):
        code, name, regions = rng.choice(COUNTRIES)
        etype = rng.choice(TYPES)
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        killed = int(rng.paretovariate(1.4)) - 1 if etype != "Protests" else 0
        yield (
            f"t{i:06d}", i, day.isoformat(), day.year, "day", etype, "Armed clash", code, name, rng.choice(regions),
            f"Place {i % 300}", rng.uniform(5, 20), rng.uniform(-5, 15), 1, killed, killed, killed, 1, 1,
            f"Invented event {i}", 0.5, "2026-01-01 00:00:00",
        )


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = Path(tmp_path_factory.mktemp("plans")) / "events.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with sqlite3.connect(path) as con:
        con.executemany(
            "INSERT INTO events (id, seq, date, year, date_precision, event_type, sub_event_type, country_code,"
            " country, admin1, location, lat, lon, geo_precision, fatalities_best, fatalities_low, fatalities_high,"
            " n_reports, n_mentions, notes, confidence, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            _rows(20_000),
        )
        con.execute("ANALYZE")
    yield engine
    engine.dispose()


def _plan(engine: Engine, query: object) -> str:
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return "; ".join(str(r[3]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def _page(f: EventFilter, sort: str = "-date") -> object:
    return select(*queries.EVENT_FIELDS.values()).where(*where_clauses(f)).order_by(*order_by(sort)).limit(101)


WINDOW = {"date_from": dt.date(2019, 3, 1), "date_to": dt.date(2019, 5, 30)}


@pytest.mark.parametrize(
    ("f", "sort", "index"),
    [
        (make_filter(), "-date", "ix_events_date_seq"),
        (make_filter(), "date", "ix_events_date_seq"),
        (make_filter(country="ML", **WINDOW), "-date", "ix_events_country_date_seq"),
        (make_filter(country="NG"), "-date", "ix_events_country_date_seq"),
        (make_filter(country="ML", admin1="Mopti"), "-date", "ix_events_admin1_date_seq"),
        (make_filter(event_type="Battles", min_fatalities=5), "-date", "ix_events_type_date_seq"),
        (make_filter(event_type="Battles", min_fatalities=20), "-date", "ix_events_type_date_seq"),
        (make_filter(country="ML", admin1="Mopti"), "-fatalities", "ix_events_admin1_fatalities_seq"),
        (make_filter(), "fatalities", "ix_events_fatalities_seq"),
    ],
)
def test_a_page_reads_an_index_in_the_order_asked(engine: Engine, f: EventFilter, sort: str, index: str) -> None:
    plan = _plan(engine, _page(f, sort))
    assert f"USING INDEX {index}" in plan, plan
    # The index gives the whole order, tie-break included: nothing is read only to be sorted.
    assert "TEMP B-TREE" not in plan, plan


def test_stats_read_covering_indexes_only(engine: Engine) -> None:
    n, killed = func.count(), func.sum(events.c.fatalities_best)
    per_day = select(events.c.date, n, killed).group_by(events.c.date)
    assert "COVERING INDEX ix_events_date_seq" in _plan(engine, per_day)
    one_country = per_day.where(events.c.country_code == "NE")
    assert "COVERING INDEX ix_events_country_date_seq" in _plan(engine, one_country)
    per_country = select(events.c.country_code, events.c.country, n, killed).group_by(events.c.country_code, events.c.country)
    assert "COVERING INDEX ix_events_country_names" in _plan(engine, per_country)


def test_the_indexed_answers_match_a_full_scan(engine: Engine) -> None:
    f = make_filter(event_type="Battles", min_fatalities=5)
    with engine.connect() as conn:
        page, more = queries.list_events(conn, f, limit=50)
        every = conn.execute(
            select(events.c.id, events.c.date).where(*where_clauses(f)).order_by(events.c.date.desc(), events.c.seq.desc())
        ).all()
    assert more and [e["id"] for e in page] == [r.id for r in every[:50]]
    assert all(e["fatalities"] >= 5 and e["event_type"] == "Battles" for e in page)
    assert [e["event_date"] for e in page] == [r.date.isoformat() for r in every[:50]]


@pytest.mark.parametrize(
    ("f", "sort", "scans"),
    [
        (make_filter(country="ML", admin1="Mopti"), "-date", False),
        (make_filter(min_fatalities=3), "-fatalities", False),
        (make_filter(q="ambush"), "-date", True),
        (make_filter(actor="jnim"), "-date", True),
        (make_filter(), "country", True),
        (make_filter(), "-updated", True),
    ],
)
def test_only_index_bound_pages_are_read_on_the_event_loop(f: EventFilter, sort: str, scans: bool) -> None:
    assert queries.may_scan(f, sort) is scans
