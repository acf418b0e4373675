"""Parquet round trip of Articles and Mentions (batch_io), on values written here by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from vigil.batch_io import (
    Layout,
    articles_table,
    ids_digest,
    mention_from_json,
    mention_to_json,
    mentions_table,
    read_partition,
    write_json_atomic,
    write_table_atomic,
)
from vigil.errors import InputError
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
    Responsibility,
    Span,
    to_jsonable,
)

TEXT = (
    "Gunmen attacked a police post near Kolvar in the Essen region on Monday, killing 4 officers "
    "according to the interior ministry; residents said at least 9 died. The Free Hills Front "
    "claimed the attack."
)


def _article(text: str = TEXT, aid: str = "a1") -> Article:
    return Article(
        id=aid,
        text=text,
        published=dt.date(2023, 5, 6),
        url="https://news.example/kolvar",
        source="Example News",
        title="Police post attacked",
        origin="feed.jsonl:3",
    )


def _full_mention(aid: str = "a1", index: int = 0) -> Mention:
    front = Actor("free-hills-front", "Free Hills Front", ActorKind.REBEL_GROUP, ("FHF", "the Front"), "XX")
    police = Actor("police-xx", "Police Forces of Xland", ActorKind.STATE_FORCES, (), "XX")
    place = Place(
        name="Kolvar", country_code="XX", country="Xland", admin1="Essen", admin2=None,
        lat=12.345678901234567, lon=-0.1, geonameid=4242, feature_class="P", feature_code="PPL",
        population=1200,
    )
    return Mention(
        article_id=aid,
        index=index,
        event_type="Battles",
        sub_event_type="Armed clash",
        trigger=Span(8, 16, "attacked"),
        evidence=Span(0, 150, TEXT[:150]),
        date=DateValue(dt.date(2023, 5, 1), "day", Span(64, 73, "on Monday")),
        location=Location(place, "Kolvar", GeoPrecision.NEAR, Span(35, 41, "Kolvar"), None),
        actors=(
            ActorMention(front, "actor1", Span(160, 176, "Free Hills Front")),
            ActorMention(police, "actor2", Span(19, 30, "police post")),
        ),
        claims=(
            Claim("killed", 4, Span(82, 83, "4"), 4, 4, True, None, "officers", "the interior ministry",
                  "official", Span(100, 121, "the interior ministry")),
            Claim("killed", 9, Span(140, 150, "at least 9"), 9, None, False, "at least", None, "residents",
                  "witness", None),
        ),
        responsibility=Responsibility(front, Span(160, 190, "The Free Hills Front claimed")),
        background=False,
        confidence=0.8125,
        reasons=("date: weekday resolved against publication",),
    )


def _bare_mention(aid: str = "a1", index: int = 1) -> Mention:
    # Every optional field at its default: the decoder must keep the Nones and empty tuples.
    return Mention(
        article_id=aid,
        index=index,
        event_type="Protests",
        sub_event_type="Peaceful protest",
        trigger=Span(0, 1, "G"),
        evidence=Span(0, 1, "G"),
        date=DateValue(dt.date(2023, 5, 6), "month", None, "no date in the text: publication date"),
        location=Location(None, None, GeoPrecision.REGION, None, "no place named"),
    )


def test_mentions_round_trip_through_parquet(tmp_path: Path) -> None:
    mentions = [_full_mention(), _bare_mention()]
    path = tmp_path / "m.parquet"
    write_table_atomic(mentions_table(mentions), path)
    table = pq.read_table(path)
    back = [mention_from_json(s) for s in table.column("mention").to_pylist()]
    assert back == mentions
    # The flat columns agree with the mention they summarise.
    row = table.to_pylist()[0]
    assert (row["place"], row["geo_precision"], row["actor1"], row["actor2"]) == ("Kolvar", 2, "Free Hills Front", "Police Forces of Xland")
    assert (row["killed_low"], row["killed_high"]) == (4, 9)
    assert table.to_pylist()[1]["killed_low"] is None
    assert isinstance(back[0].location.precision, GeoPrecision)
    assert isinstance(back[0].actors[0].actor.kind, ActorKind)
    assert isinstance(back[0].actors[0].actor.aliases, tuple)


def test_mention_json_is_what_to_jsonable_gives() -> None:
    # The writer's own encoder (field names cached per class) against the domain's reference.
    fields: dict[type, tuple[str, ...]] = {}
    for m in (_full_mention(), _bare_mention(), _full_mention(index=2)):
        assert json.loads(mention_to_json(m, fields)) == to_jsonable(m)
        assert mention_to_json(m, fields) == mention_to_json(m)
    assert Mention in fields and Place in fields


def test_partition_read_back_groups_mentions_by_article(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "partitions")
    layout.make()
    a1, a2 = _article(aid="a1"), _article("A second, quiet report.", aid="a2")
    write_table_atomic(articles_table([a1, a2]), layout.articles(0))
    write_table_atomic(mentions_table([_full_mention("a1", 0), _bare_mention("a1", 1)]), layout.mentions(0))
    digest = ids_digest(["a1", "a2"])
    assert not layout.is_done(0, digest)
    write_json_atomic({"digest": digest}, layout.marker(0))
    assert layout.is_done(0, digest)
    assert not layout.is_done(0, ids_digest(["a1"]))  # a marker only counts for the same articles
    back = read_partition(layout, 0)
    assert [(a, len(ms)) for a, ms in back] == [(a1, 2), (a2, 0)]
    assert back[0][1] == [_full_mention("a1", 0), _bare_mention("a1", 1)]
    assert not list((tmp_path / "partitions" / "mentions").glob(".*.tmp"))  # no temporary left


def test_mention_for_missing_article_is_an_error(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "p")
    layout.make()
    write_table_atomic(articles_table([_article(aid="a1")]), layout.articles(3))
    write_table_atomic(mentions_table([_full_mention("zz", 0)]), layout.mentions(3))
    with pytest.raises(InputError, match="part-00003.parquet.*zz:0"):
        read_partition(layout, 3)


def test_undecodable_mention_names_where() -> None:
    with pytest.raises(InputError, match="row 7"):
        mention_from_json('{"article_id": "a"}', "part row 7")
