"""Scoring events on hand-built mentions, with the right answers worked out by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from vigil.eval.gold import GoldEvent, read_acled, read_gtd
from vigil.eval.matching import Matcher, geonames_country_names, load_attack_types, load_matching_rules
from vigil.eval.score import Tally, conservative_total, score_mention, score_record
from vigil.types import (
    Actor,
    ActorMention,
    Claim,
    DateValue,
    GeoPrecision,
    Location,
    Mention,
    Place,
    Responsibility,
    Span,
)

EVAL = Path(__file__).resolve().parent / "fixtures" / "eval"
S = Span(0, 1, "x")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_matching_rules(country_names=geonames_country_names()))


@pytest.fixture(scope="module")
def gtd() -> list[GoldEvent]:
    return read_gtd(EVAL / "gtd_tiny.csv", load_attack_types())


@pytest.fixture(scope="module")
def acled() -> list[GoldEvent]:
    return read_acled(EVAL / "acled_tiny.csv")


def claim(kind: str, value: int, group: str | None = None, source_kind: str = "unattributed") -> Claim:
    return Claim(kind=kind, value=value, span=S, group=group, source_kind=source_kind)  # type: ignore[arg-type]


def mention(
    *,
    index: int = 0,
    date: dt.date = dt.date(2021, 3, 14),
    place: Place | None = None,
    precision: GeoPrecision = GeoPrecision.PLACE,
    event_type: str = "Battles",
    sub: str = "Armed clash",
    actors: tuple[ActorMention, ...] = (),
    claims: tuple[Claim, ...] = (),
    claimed_by: Actor | None = None,
    background: bool = False,
) -> Mention:
    return Mention(
        article_id="a", index=index, event_type=event_type, sub_event_type=sub, trigger=S, evidence=S,
        date=DateValue(date), location=Location(place, toponym=place.name if place else None, precision=precision),
        actors=actors, claims=claims, background=background,
        responsibility=Responsibility(claimed_by, S) if claimed_by else None,
    )


def test_conservative_total_by_hand() -> None:
    # the reference case: ministry says 23 soldiers, media say 30 -> one group, smallest official: 23;
    # plus ~30 attackers claimed only by the army -> another group: 23 + 30 = 53
    assert conservative_total([claim("killed", 23, "soldiers", "official"), claim("killed", 30, "soldiers", "media"),
                               claim("killed", 30, "attackers", "official")]) == 53
    # the group's own boast is ignored when another source exists: min over {12} = 12, not 50
    assert conservative_total([claim("killed", 50, "soldiers", "perpetrator"), claim("killed", 12, "soldiers", "witness")]) == 12
    # ...but counts when it is the only source
    assert conservative_total([claim("killed", 50, "soldiers", "perpetrator")]) == 50
    # official/unattributed preferred over a smaller witness figure: 20, not 15
    assert conservative_total([claim("killed", 15, "civilians", "witness"), claim("killed", 20, "civilians", "official")]) == 20
    # groups are compared without case; injured are a different kind: 4 + 0
    assert conservative_total([claim("killed", 4, "Police"), claim("killed", 6, "police"), claim("injured", 9)]) == 4
    assert conservative_total([claim("injured", 9), claim("killed", 4)], "injured") == 9
    assert conservative_total([]) == 0


def test_all_right_gtd_record(gtd: list[GoldEvent], matcher: Matcher) -> None:
    police = gtd[0]
    dosso = Place("Dosso", country_code="NE", country="Niger", admin1="Dosso", lat=13.049, lon=3.1937)
    m = mention(place=dosso, claims=(claim("killed", 3, "police"), claim("injured", 2, "police")))
    score = score_mention(police, m, matcher, "gtd")
    misses = {k: o for k, o in score.outcomes.items() if not o.hit}
    assert misses == {}
    # every gold field of the record was scored: date, country, admin1, city, 2 distances, type,
    # actor ("Unknown" and Vigil names none), claimed (0 and no claim), killed x2, injured
    assert set(score.outcomes) == {"date_exact", "country_acc", "admin1_acc", "city_acc", "within_25km", "within_100km",
                                   "type_acc", "actor_acc", "claimed_acc", "killed_exact", "killed_within_10pct",
                                   "injured_exact"}
    assert score.km == pytest.approx(0.0)


def test_wrong_gtd_record_by_hand(gtd: list[GoldEvent], matcher: Matcher) -> None:
    market = gtd[1]  # Gao, Mali, 2021-05-02, bombing, ISGS claimed, 4 killed, injured blank
    # Vigil: one day off, right country, place 0.5 degrees of latitude north of the gold point
    # (0.5 * 111.195 = 55.6 km: outside 25 km, inside 100 km), a clash, no perpetrator, 5 killed
    place = Place("Somewhere", country_code="ML", country="Mali", admin1="Gao", lat=16.7717, lon=-0.0447)
    m = mention(date=dt.date(2021, 5, 1), place=place, claims=(claim("killed", 5),))
    out = score_mention(market, m, matcher, "gtd").outcomes
    hits = {k for k, o in out.items() if o.hit}
    assert hits == {"country_acc", "admin1_acc", "within_100km"}
    assert out["within_25km"].vigil == pytest.approx(55.6, abs=0.05)
    # 5 against 4: not exact, and |5-4| = 1 > 0.4 = 10% of 4
    assert out["killed_exact"].vigil == 5 and not out["killed_within_10pct"].hit
    assert "injured_exact" not in out  # blank gold: not scored
    assert out["claimed_acc"].gold is True and out["claimed_acc"].vigil is False


def test_killed_within_ten_percent(matcher: Matcher) -> None:
    gold = GoldEvent(record="r", text="t", published=dt.date(2021, 1, 4), killed=30)
    # |33 - 30| = 3 <= 3.0 -> within; |34 - 30| = 4 > 3.0 -> not
    assert score_mention(gold, mention(claims=(claim("killed", 33),)), matcher, "gtd").outcomes["killed_within_10pct"].hit
    assert not score_mention(gold, mention(claims=(claim("killed", 34),)), matcher, "gtd").outcomes["killed_within_10pct"].hit


def test_distance_not_scored_for_vague_gtd_points(gtd: list[GoldEvent], matcher: Matcher) -> None:
    convoy = gtd[3]  # specificity 4: a province centroid
    out = score_mention(convoy, mention(place=Place("Tillaberi", lat=14.5, lon=1.5)), matcher, "gtd").outcomes
    assert "within_25km" not in out and "city_acc" not in out  # city blank too


def test_acled_fields_by_hand(acled: list[GoldEvent], matcher: Matcher) -> None:
    boni = acled[0]
    jnim = Actor("jnim", "JNIM: Group for Support of Islam and Muslims", country="ML")
    army = Actor("mali-army", "Military Forces of Mali (2013-2020)", country="ML")
    place = Place("Boni", country_code="ML", country="Mali", admin1="Mopti", admin2="Douentza", lat=15.08, lon=-2.22)
    m = mention(date=dt.date(2018, 3, 12), place=place, precision=GeoPrecision.NEAR,
                actors=(ActorMention(jnim, "actor1", S), ActorMention(army, "actor2", S)),
                claims=(claim("killed", 3, "soldiers"),))
    out = score_mention(boni, m, matcher, "acled").outcomes
    assert {k for k, o in out.items() if not o.hit} == {"geo_precision_acc"}  # 2 against gold 1
    assert "injured_exact" not in out and "claimed_acc" not in out and "city_acc" not in out
    assert out["location_acc"].hit and out["admin2_acc"].hit and out["subtype_acc"].hit


def test_best_mention_and_background(gtd: list[GoldEvent], matcher: Matcher) -> None:
    police = gtd[0]
    dosso = Place("Dosso", country_code="NE", country="Niger", admin1="Dosso", lat=13.049, lon=3.1937)
    wrong = mention(index=0, date=dt.date(2020, 1, 1), event_type="Protests", sub="Peaceful protest")
    right = mention(index=1, place=dosso, claims=(claim("killed", 3), claim("injured", 2)))
    old = mention(index=2, place=dosso, background=True)
    score = score_record(police, [wrong, right, old], matcher, "gtd")
    assert score.chosen is right and score.n_mentions == 2  # the background one is not counted
    only_background = score_record(police, [old], matcher, "gtd")
    assert not only_background.detected and all(not o.hit for o in only_background.outcomes.values())
    # an undetected record still counts against every field, with "Unknown" actor a miss too
    assert only_background.outcomes["actor_acc"].hit is False


def test_tally_shares_and_denominators(gtd: list[GoldEvent], matcher: Matcher) -> None:
    police, market, kidnap, _ = gtd
    dosso = Place("Dosso", country_code="NE", country="Niger", admin1="Dosso", lat=13.049, lon=3.1937)
    tally = Tally()
    dated = dataclasses.replace(mention(place=dosso, claims=(claim("killed", 3), claim("injured", 2))),
                                date=DateValue(dt.date(2021, 3, 14), span=S))  # a date read from the text
    tally.add(score_record(police, [dated], matcher, "gtd"))
    tally.add(score_record(market, [], matcher, "gtd"))
    ayorou = Place("Ayorou", country_code="NE", country="Niger", admin1="Tillabéri", lat=14.7308, lon=1.0174)
    tally.add(score_record(kidnap, [mention(place=ayorou, event_type="Violence against civilians",
                                            sub="Abduction/forced disappearance"),
                                    mention(index=1, place=ayorou)], matcher, "gtd"))
    metrics = tally.metrics(("date_exact", "admin1_acc", "within_25km", "injured_exact", "killed_exact"))
    # 2 of 3 records detected; kidnap has no date (iday 0), so date_exact is 1 hit of 2 scored
    assert (metrics["n"], metrics["detected"], metrics["n_detected"]) == (3, 0.6667, 3)
    assert (metrics["date_exact"], metrics["n_date_exact"]) == (0.5, 2)
    # admin1: Dosso hit, Gao miss (undetected), Tillabéri == Tillaberi hit -> 2/3
    assert metrics["admin1_acc"] == 0.6667
    # Ayorou 0.1 degree of longitude off at 14.73N: 111.195 * cos(14.73) * 0.1 = 10.75 km -> within 25
    assert metrics["within_25km"] == 0.6667
    assert metrics["median_km"] == pytest.approx(5.4, abs=0.1)  # median of [0.0, 10.75]
    assert metrics["n_median_km"] == 2
    # injured: police 2 == 2, market blank (not scored), kidnap 0 == 0 -> 2/2
    assert (metrics["injured_exact"], metrics["n_injured_exact"]) == (1.0, 2)
    assert (metrics["several_mentions"], metrics["n_several_mentions"]) == (0.3333, 3)
    # the kidnap mention's date has no span (fell back on the publication date): 1 of 2 detected
    assert (metrics["date_fallback"], metrics["n_date_fallback"]) == (0.5, 2)
