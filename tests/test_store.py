"""The store on SQLite and PostgreSQL: migrations, idempotent writes, round trips, the read API
and the ACLED view. Every test runs on both databases (fixture ``db_url``)."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from fixtures.fusion.dbs import db_url, pg_database  # noqa: F401  (fixtures)
from fixtures.fusion.kit import AYOROU, BAMAKO, CIV, FAN, GAO, ISSP, JNIM, PROT, article, mention
from vigil.errors import StoreError
from vigil.store import EventFilter, open_store
from vigil.store import schema as s
from vigil.store.engine import make_engine
from vigil.types import Fatalities

D = dt.date(2024, 3, 20)


def _corpus():
    """Four stories: an ambush told twice, a market attack, a clash in Mali, a protest."""
    a1 = article(
        "Fighters of the Islamic State ambushed a convoy near Teguey: 23 soldiers killed.",
        dt.date(2024, 3, 23),
    )
    a2 = article(
        "IS said its men killed 30 soldiers near Teguey in the convoy ambush.",
        dt.date(2024, 3, 24),
        "Agency B",
    )
    a3 = article(
        "Gunmen killed 6 traders at the Ayorou market; a second story follows.",
        dt.date(2024, 3, 21),
        "Radio C",
    )
    a4 = article("JNIM fighters clashed with the army near Gao, 4 dead.", dt.date(2024, 5, 2), "Paper D")
    a5 = article("Thousands marched in Bamako against rising prices.", dt.date(2024, 6, 10), "Paper D")
    return [
        (
            a1,
            [
                mention(
                    a1,
                    date=D,
                    claims=(("killed", 23, "soldiers", "official"), ("injured", 17, "soldiers", "official")),
                    responsibility=ISSP,
                )
            ],
        ),
        (a2, [mention(a2, date=D, claims=(("killed", 30, "soldiers", "perpetrator"),))]),
        (
            a3,
            [
                mention(
                    a3,
                    date=dt.date(2024, 3, 21),
                    event_type="Violence against civilians",
                    sub="Attack",
                    place=AYOROU,
                    actors=((ISSP, "actor1"), (CIV, "actor2")),
                    claims=(("killed", 6, "civilians", "witness"),),
                ),
                mention(a3, index=1, date=dt.date(2024, 3, 21), background=True, place=AYOROU),
            ],
        ),
        (
            a4,
            [
                mention(
                    a4,
                    date=dt.date(2024, 5, 1),
                    place=GAO,
                    actors=((JNIM, "actor1"), (FAN, "actor2")),
                    claims=(("killed", 4, None, "media"),),
                )
            ],
        ),
        (
            a5,
            [
                mention(
                    a5,
                    date=dt.date(2024, 6, 9),
                    event_type="Protests",
                    sub="Peaceful protest",
                    place=BAMAKO,
                    actors=((PROT, "actor1"),),
                )
            ],
        ),
    ]


@pytest.fixture
def filled(db_url):  # noqa: F811
    store = open_store(db_url)
    for art, ms in _corpus():
        assert store.add_article(art, ms)
    yield store
    store.close()


def test_migrations_build_exactly_the_schema_module(db_url) -> None:  # noqa: F811
    store = open_store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), s.metadata)
        views = conn.execute(text("SELECT * FROM events_acled")).keys()
    store.close()
    assert diff == []
    assert {
        "event_id_cnty",
        "event_date",
        "actor1",
        "inter1",
        "admin1",
        "latitude",
        "geo_precision",
        "fatalities",
    } <= set(views)


def test_add_article_is_idempotent_and_round_trips_mentions(filled) -> None:
    before = filled.counts()
    assert before == {"articles": 5, "mentions": 6, "claims": 5, "events": 4, "rejections": 0}
    for art, ms in _corpus():
        assert filled.add_article(art, ms) is False
    assert filled.counts() == before
    a1, ms1 = _corpus()[0]
    (ambush,) = filled.events(EventFilter(event_type="Battles", country="NE"))
    detail = filled.event(ambush.id)
    assert detail is not None
    assert ms1[0] in detail.mentions  # every field, span and claim comes back as written
    assert detail.articles[a1.id].text == a1.text
    assert Fatalities("soldiers", 23, 23, 30) in detail.fatalities
    assert detail.record.n_reports == 2 and detail.record.injuries == 17
    assert detail.record.sources == "Test Wire; Agency B"


def test_background_mentions_are_stored_but_make_no_event(filled) -> None:
    with filled.engine.connect() as conn:
        n_bg = conn.execute(select(s.mentions.c.idx).where(s.mentions.c.background.is_(True))).all()
        members = conn.execute(select(s.event_mentions.c.idx).where(s.event_mentions.c.idx == 1)).all()
    assert len(n_bg) == 1 and members == []


def test_a_failed_article_leaves_nothing_behind(db_url) -> None:  # noqa: F811
    store = open_store(db_url)
    a, other = article("A clash near Teguey.", D), article("Another text.", D)
    with pytest.raises(StoreError, match="does not belong to article"):
        store.add_article(a, [mention(a, date=D), mention(other, date=D)])
    assert store.counts()["articles"] == 0
    store.close()


def test_rejections_are_kept_once_per_origin_and_problem(db_url) -> None:  # noqa: F811
    store = open_store(db_url)
    store.add_rejection("bad.txt", "empty file")
    store.add_rejection("bad.txt", "empty file")
    store.add_rejection("worse.bin", "binary file")
    assert store.counts()["rejections"] == 2
    store.close()


def test_event_filters_sort_and_paging(filled) -> None:
    def ids(**kw):
        return [r.location for r in filled.events(EventFilter(**kw))]

    assert ids() == ["Bamako", "Gao", "Ayorou", "Téguèy"]
    assert ids(sort="date") == ["Téguèy", "Ayorou", "Gao", "Bamako"]
    assert ids(country="ML") == ["Bamako", "Gao"] == ids(country="mali")
    assert ids(admin1="tillabéri", sort="date") == ["Téguèy", "Ayorou"]
    assert ids(date_from=dt.date(2024, 3, 21), date_to=dt.date(2024, 5, 31)) == ["Gao", "Ayorou"]
    assert ids(event_type="Protests") == ["Bamako"]
    assert ids(actor="islamic state", sort="date") == ["Téguèy", "Ayorou"] == ids(actor="ISSP", sort="date")
    assert ids(text="market") == ["Ayorou"]
    assert ids(bbox=(-1.0, 14.0, 0.8, 17.0)) == ["Gao", "Téguèy"]
    assert ids(min_fatalities=5, sort="-fatalities") == ["Téguèy", "Ayorou"]
    assert ids(sort="date", limit=2, offset=1) == ["Ayorou", "Gao"]
    assert filled.count_events(EventFilter(country="NE")) == 2
    with pytest.raises(StoreError, match="sort 'size'"):
        filled.events(EventFilter(sort="size"))  # type: ignore[arg-type]


def test_stats_per_period_and_area(filled) -> None:
    by_month = filled.stats(period="month")
    assert [(r.period, r.events, r.fatalities) for r in by_month] == [
        (dt.date(2024, 3, 1), 2, 29),
        (dt.date(2024, 5, 1), 1, 4),
        (dt.date(2024, 6, 1), 1, 0),
    ]
    weekly = filled.stats(EventFilter(country="NE"), period="week", by="admin1")
    assert [(r.period, r.key, r.events) for r in weekly] == [(dt.date(2024, 3, 18), "Tillabéri", 2)]


def test_acled_view_speaks_acled(filled) -> None:
    with filled.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM events_acled WHERE location = 'Gao'")).mappings().one()
    assert row["event_date"] in (dt.date(2024, 5, 1), "2024-05-01")
    assert (row["actor1"], row["inter1"], row["actor2"], row["inter2"], row["interaction"]) == (
        "JNIM",
        2,
        "Military Forces of Niger",
        1,
        21,
    )
    assert (row["disorder_type"], row["time_precision"], row["fatalities"], row["iso"]) == (
        "Political violence",
        1,
        4,
        "ML",
    )


def test_out_of_date_database_says_how_to_fix(db_url) -> None:  # noqa: F811
    open_store(db_url).close()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("DELETE FROM alembic_version"))
    try:
        with pytest.raises(StoreError, match="at schema none, Vigil needs .*run `vigil db upgrade"):
            open_store(db_url, migrate=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
        engine.dispose()


def test_bad_urls_are_store_errors(tmp_path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path}/missing/folder/vigil.db")
    with pytest.raises(StoreError, match="not valid"):
        open_store("not a url")
