"""A small event database for the API, export and browser tests.

Five invented reports (written for these tests) with hand-coded mentions: every span is found
in the text, so the event page can highlight it. They go through the real Store (``add_article``
with its incremental fusion), into SQLite or a fresh PostgreSQL database. Two reports tell the
same ambush with different death tolls (12 by the ministry, 20 by the group): fusion must keep
both claims. One report carries a script tag and an onerror attribute: it must never run.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from vigil.types import (
    Actor,
    ActorKind,
    ActorMention,
    Article,
    Claim,
    DateValue,
    GeoPrecision,
    Location,
    Mention,
    Place,
    Span,
)

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
XSS_MARK = "window.pwned"

ISSP = Actor("test-is-sahel", "Islamic State Sahel Province", ActorKind.REBEL_GROUP)
NIGER_ARMY = Actor("test-army-ne", "Military Forces of Niger", ActorKind.STATE_FORCES, country="NE")
TRADERS = Actor("test-traders-ml", "Protesters (Mali)", ActorKind.PROTESTERS, country="ML")
POLICE_ML = Actor("test-police-ml", "Police Forces of Mali", ActorKind.STATE_FORCES, country="ML")
GUNMEN = Actor("test-unknown-bf", "Unidentified Armed Group (Burkina Faso)", ActorKind.OTHER, country="BF", known=False)
CIVILIANS_BF = Actor("test-civilians-bf", "Civilians (Burkina Faso)", ActorKind.CIVILIANS, country="BF")
BOKO = Actor("test-boko", "Boko Haram", ActorKind.REBEL_GROUP, country="NG")

TASSARA = Place("Tassara", "NE", "Niger", "Tahoua", None, 16.81, 5.59, geonameid=None, feature_class="P", feature_code="PPL")
BAMAKO = Place("Bamako", "ML", "Mali", "Bamako", None, 12.65, -8.0, feature_class="P", feature_code="PPLC", population=1_800_000)
SEYTENGA = Place("Seytenga", "BF", "Burkina Faso", "Sahel", "Seno", 14.15, 0.03, feature_class="P", feature_code="PPL")
KONDUGA = Place("Konduga", "NG", "Nigeria", "Borno", None, 11.65, 13.42, feature_class="P", feature_code="PPL")

TEXTS = {
    "ambush-ministry": (
        "Gunmen from the Islamic State group ambushed an army patrol near Tassara in the Tahoua "
        "region on Thursday, officials said.\n\nThe defence ministry said 12 soldiers were killed "
        "and 5 others wounded in the attack. Reinforcements were sent to the area."
    ),
    "ambush-claim": (
        "The Islamic State group said on Friday that its fighters killed 20 soldiers in an attack "
        "on an army patrol near Tassara on Thursday.\n\nThe group published photographs of "
        "vehicles it said were captured from the patrol."
    ),
    "protest-xss": (
        "Hundreds of traders marched in Bamako on Monday against new market taxes. One placard read "
        '<script>window.pwned=1</script> and another <img src=x onerror="window.pwned=2">.\n\n'
        "Police dispersed the march without injuries, witnesses said."
    ),
    "village-attack": (
        "Armed men killed 30 civilians in the village of Seytenga in the Sahel region on 11 June "
        "2022, according to the regional governor. Residents fled towards Dori."
    ),
    "roadside-bomb": (
        "A roadside bomb killed 4 people near Konduga in Borno state on Sunday, police said. "
        "Boko Haram fighters are active in the area."
    ),
}


def span(text: str, phrase: str, after: int = 0) -> Span:
    """The span of the first ``phrase`` in ``text`` at or after ``after``."""
    start = text.index(phrase, after)
    return Span(start, start + len(phrase), phrase)


@dataclass(frozen=True)
class Report:
    article: Article
    mentions: list[Mention]


def _article(key: str, published: dt.date, source: str, title: str) -> Article:
    return Article(
        id=f"test-{key}", text=TEXTS[key], published=published, url=f"https://news.example/{key}", source=source, title=title
    )


def reports() -> list[Report]:
    """The five reports with their hand-coded mentions."""
    out = []

    a = _article("ambush-ministry", dt.date(2023, 6, 10), "Sahel Courier", "Patrol ambushed near Tassara")
    t = a.text
    out.append(Report(a, [Mention(
        article_id=a.id, index=0, event_type="Battles", sub_event_type="Armed clash",
        trigger=span(t, "ambushed"), evidence=span(t, t.split("\n\n")[0]),
        date=DateValue(dt.date(2023, 6, 8), "day", span(t, "Thursday")),
        location=Location(TASSARA, "Tassara", GeoPrecision.NEAR, span(t, "Tassara")),
        actors=(ActorMention(ISSP, "actor1", span(t, "Islamic State group")), ActorMention(NIGER_ARMY, "actor2", span(t, "army patrol"))),
        claims=(
            Claim("killed", 12, span(t, "12 soldiers"), 12, 12, group="soldiers", source="The defence ministry",
                  source_kind="official", source_span=span(t, "The defence ministry")),
            Claim("injured", 5, span(t, "5 others"), 5, 5, group="soldiers", source="The defence ministry",
                  source_kind="official", source_span=span(t, "The defence ministry")),
        ),
        confidence=0.8,
    )]))

    a = _article("ambush-claim", dt.date(2023, 6, 9), "Niamey Daily", "Group claims patrol attack")
    t = a.text
    out.append(Report(a, [Mention(
        article_id=a.id, index=0, event_type="Battles", sub_event_type="Armed clash",
        trigger=span(t, "attack"), evidence=span(t, t.split("\n\n")[0]),
        date=DateValue(dt.date(2023, 6, 8), "day", span(t, "Thursday")),
        location=Location(TASSARA, "Tassara", GeoPrecision.NEAR, span(t, "Tassara")),
        actors=(ActorMention(ISSP, "actor1", span(t, "Islamic State group")), ActorMention(NIGER_ARMY, "actor2", span(t, "army patrol"))),
        claims=(Claim("killed", 20, span(t, "20 soldiers"), 20, 20, group="soldiers", source="The Islamic State group",
                      source_kind="perpetrator", source_span=span(t, "The Islamic State group")),),
        confidence=0.7,
    )]))

    a = _article("protest-xss", dt.date(2023, 7, 4), "Bamako <b>Wire</b>", "Traders march <script>window.pwned=3</script>")
    t = a.text
    out.append(Report(a, [Mention(
        article_id=a.id, index=0, event_type="Protests", sub_event_type="Protest with intervention",
        trigger=span(t, "marched"), evidence=span(t, t.split("\n\n")[0]),
        date=DateValue(dt.date(2023, 7, 3), "day", span(t, "Monday")),
        location=Location(BAMAKO, "Bamako", GeoPrecision.PLACE, span(t, "Bamako")),
        actors=(ActorMention(TRADERS, "actor1", span(t, "traders")), ActorMention(POLICE_ML, "actor2", span(t, "Police"))),
        confidence=0.6,
    )]))

    a = _article("village-attack", dt.date(2022, 6, 14), "Ouaga Post", "Thirty killed in Seytenga")
    t = a.text
    out.append(Report(a, [Mention(
        article_id=a.id, index=0, event_type="Violence against civilians", sub_event_type="Attack",
        trigger=span(t, "killed"), evidence=span(t, t.split(". ")[0] + "."),
        date=DateValue(dt.date(2022, 6, 11), "day", span(t, "11 June 2022")),
        location=Location(SEYTENGA, "Seytenga", GeoPrecision.PLACE, span(t, "Seytenga")),
        actors=(ActorMention(GUNMEN, "actor1", span(t, "Armed men")), ActorMention(CIVILIANS_BF, "actor2", span(t, "civilians"))),
        claims=(Claim("killed", 30, span(t, "30 civilians"), 30, 30, group="civilians", source="the regional governor",
                      source_kind="official", source_span=span(t, "the regional governor")),),
        confidence=0.8,
    )]))

    a = _article("roadside-bomb", dt.date(2023, 1, 10), "Lagos Ledger", "Bomb near Konduga")
    t = a.text
    out.append(Report(a, [Mention(
        article_id=a.id, index=0, event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
        trigger=span(t, "roadside bomb"), evidence=span(t, t.split(". ")[0] + "."),
        date=DateValue(dt.date(2023, 1, 8), "day", span(t, "Sunday")),
        location=Location(KONDUGA, "Konduga", GeoPrecision.NEAR, span(t, "Konduga")),
        actors=(ActorMention(BOKO, "actor1", span(t, "Boko Haram")),),
        claims=(Claim("killed", 4, span(t, "4 people"), 4, 4, group="civilians", source="police", source_kind="official",
                      source_span=span(t, "police")),),
        confidence=0.7,
    )]))
    return out


def populate(url: str) -> None:
    """Store the reports through the real Store (which fuses the two ambush reports)."""
    from vigil.store import open_store

    store = open_store(url)
    try:
        for r in reports():
            store.add_article(r.article, r.mentions)
    finally:
        store.close()


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test session, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"vigil_api_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_available() -> bool:
    """Whether the test PostgreSQL server answers."""
    import psycopg

    try:
        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True
