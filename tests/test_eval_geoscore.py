"""Geoparsing metrics on the tiny LGL / GeoWebNews fixtures, with hand-worked answers."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from vigil.eval.geoscore import GeoTally, auc, score_article, score_given
from vigil.eval.gold import read_geoparsing
from vigil.types import Location, Place, Span

EVAL = Path(__file__).resolve().parent / "fixtures" / "eval"
MAX = 20039.0


def loc(start: int, end: int, text: str, lat: float | None = None, lon: float | None = None, gid: int | None = None) -> Location:
    place = None if lat is None else Place(text, lat=lat, lon=lon, geonameid=gid)
    return Location(place, toponym=text, span=Span(start, end, text))


def test_auc_by_hand() -> None:
    # errors 0 and 20039 km scale to log(1)/log(20039) = 0 and log(20040)/log(20039) = 1.000005;
    # one step of width 1: (0 + 1.000005) / 2 = 0.5000025
    assert auc([MAX, 0.0]) == pytest.approx(0.5, abs=1e-5)
    # sqrt(20039) - 1 km scales to exactly 0.5: sorted [0, 0.5, 1]; two steps of width 1/2:
    # ((0 + 0.5) / 2 + (0.5 + 1) / 2) / 2 = (0.25 + 0.75) / 2 = 0.5
    assert auc([MAX, 0.0, math.sqrt(MAX) - 1]) == pytest.approx(0.5, abs=1e-5)
    # all perfect -> 0; all worst -> 1; errors beyond the maximum are capped at it
    assert auc([0.0, 0.0, 0.0]) == 0.0
    assert auc([MAX, 3 * MAX]) == pytest.approx(1.0, abs=1e-5)
    # [0, 0, 0, 20039]: steps of 1/3, trapezoids 0, 0, (0 + 1) / 2 -> 0.5 / 3 = 0.1667
    assert auc([0.0, MAX, 0.0, 0.0]) == pytest.approx(1 / 6, abs=1e-5)
    # one error: its own scaled value; 160 km -> log(161) / log(20039) = 5.0814 / 9.9054 = 0.5130
    assert auc([160.0]) == pytest.approx(0.5130, abs=1e-4)
    assert auc([]) is None


def test_geoparse_lgl_recall_precision_distance() -> None:
    (article,) = read_geoparsing(EVAL / "lgl_tiny.xml")
    # gold with coordinates: Springfield 35-46, Riverton 51-59, Springfield 85-96 (Riverton 114-122 has none)
    found = [
        loc(35, 46, "Springfield", 39.80172, -89.64371, 4250542),  # exact: 0 km
        loc(51, 59, "Riverton", 41.02496, -108.3801),  # two degrees of latitude south of the gold point
        loc(114, 122, "Riverton"),  # overlaps a gold toponym without coordinates: not spurious
        loc(0, 8, "Flooding"),  # overlaps nothing: spurious
    ]
    score = score_article(article, found)
    tally = GeoTally()
    tally.add(article, score)
    m = tally.metrics(given_toponyms=False)
    # recall: 2 of 3 gold toponyms with coordinates (the second Springfield is missed)
    assert (m["recall"], m["n_recall"], m["n_toponyms"]) == (0.6667, 3, 3)
    # precision: 3 of 4 Vigil toponyms overlap a gold annotation
    assert (m["precision"], m["n_precision"]) == (0.75, 4)
    # errors: Springfield 0 km; Riverton 2 degrees of latitude = 2 * 111.195 = 222.39 km
    assert score.outcomes[1].km == pytest.approx(222.39, abs=0.01)
    assert m["acc_161km"] == 0.5 and m["n_acc_161km"] == 2
    assert m["median_km"] == pytest.approx(111.2, abs=0.05)  # (0 + 222.39) / 2
    assert m["mean_km"] == pytest.approx(111.2, abs=0.05)
    # auc of [0, 222.39]: one step, (0 + ln(223.39) / ln(20039)) / 2 = (5.40893 / 9.90544) / 2 = 0.2730
    assert m["auc"] == pytest.approx(0.2730, abs=1e-4)
    assert "exact" not in m


def test_unresolved_toponym_gets_the_largest_error() -> None:
    (article,) = read_geoparsing(EVAL / "lgl_tiny.xml")
    score = score_article(article, [loc(35, 46, "Springfield")])  # recognised, not resolved
    assert score.outcomes[0].km == MAX
    assert score.outcomes[1].found is None


def test_one_vigil_toponym_answers_one_gold_toponym() -> None:
    (article,) = read_geoparsing(EVAL / "lgl_tiny.xml")
    # one long span covering "Springfield and Riverton" is credited to one gold toponym only
    score = score_article(article, [loc(35, 59, "Springfield and Riverton", 39.80172, -89.64371)])
    assert sum(o.found is not None for o in score.outcomes) == 1


def test_given_toponyms_exact_ids() -> None:
    (article,) = read_geoparsing(EVAL / "gwn_tiny.xml")
    # gold with coordinates, in order: Lyon (2996944), French (3017382), Marseille (2995469), Lyon (no id)
    resolved = [
        loc(10, 14, "Lyon", 45.74846, 4.84671, 2996944),
        loc(65, 71, "French", 46.0, 2.0, 3017382),
        loc(118, 127, "Marseille", 43.29695, 5.38107, 9999),  # right place, wrong id
        loc(131, 135, "Lyon"),  # unresolved: largest error
    ]
    tally = GeoTally()
    tally.add(article, score_given(article, resolved))
    m = tally.metrics(given_toponyms=True)
    # exact: 2 of the 3 with a GeoNames id; acc@161: 3 of 4; resolved: 3 of 4
    assert (m["exact"], m["n_exact"]) == (0.6667, 3)
    assert (m["acc_161km"], m["resolved"], m["misaligned_gold"]) == (0.75, 0.75, 1)
    assert m["recall"] is None and m["precision"] is None
    # median of [0, 0, 0, 20039] = 0; mean = 20039 / 4 = 5009.75
    assert m["median_km"] == 0.0 and m["mean_km"] == pytest.approx(5009.8, abs=0.1)
    with pytest.raises(ValueError, match="4 gold toponyms but 1 resolved"):
        score_given(article, resolved[:1])
