"""A toponym the gazetteer lacks (a street, a market, a hamlet GeoNames misses) is located, in
``geoparse`` and ``resolve``, at the larger area around it with the name kept as written and
geo precision 3, as ACLED codes such places; a place the gazetteer has is left as it was."""

from __future__ import annotations

import pytest

from test_geo_resolve import fixture_gazetteer
from vigil.actors import load_actors
from vigil.geo import GazetteerGeocoder
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Location, Span


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory) -> GazetteerGeocoder:
    return GazetteerGeocoder(fixture_gazetteer(tmp_path_factory.mktemp("gaz")), load_words(), load_actors())


def by_name(locs: list[Location]) -> dict[str, Location]:
    return {loc.toponym: loc for loc in locs if loc.toponym is not None}


def spans(text: str, *names: str) -> list[Span]:
    out = []
    for name in names:
        start = text.index(name)
        out.append(Span(start, start + len(name), name))
    return out


def assert_fallback(loc: Location, toponym: str, area: str, why: str) -> None:
    assert loc.toponym == toponym
    assert loc.place is not None and loc.place.name == area
    assert loc.precision == GeoPrecision.REGION
    assert loc.reason is not None and f"{toponym!r} is not in the gazetteer" in loc.reason and why in loc.reason


def test_a_street_is_located_at_the_city_written_after_it(nlp, geocoder) -> None:
    text = "Shots were fired on Bakin Kogi Street, Zinder, late on Saturday, and two shopkeepers were wounded."
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert_fallback(locs["Bakin Kogi Street"], "Bakin Kogi Street", "Zinder", "named right after it")
    # the city itself is untouched: its own place, precision 1, no fallback reason
    city = locs["Zinder"]
    assert city.place is not None and city.place.name == "Zinder" and city.place.feature_code == "PPLA"
    assert city.precision == GeoPrecision.PLACE and city.reason is None


def test_a_market_is_located_at_the_town_the_story_keeps_naming(nlp, geocoder) -> None:
    text = ("Police in Maradi said a fire destroyed stalls at the Kasuwar Dare Market overnight. Traders in "
            "Dosso sent help, and the governor promised aid to the traders of Maradi.")
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert_fallback(locs["Kasuwar Dare Market"], "Kasuwar Dare Market", "Maradi", "names most")
    assert locs["Kasuwar Dare Market"].place.feature_class == "P"  # type: ignore[union-attr]


def test_among_towns_named_once_the_nearest_one_is_taken(nlp, geocoder) -> None:
    text = "The convoy stopped in Dosso before driving on to Tahoua, where it was ambushed outside Garin Dankoli."
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert_fallback(locs["Garin Dankoli"], "Garin Dankoli", "Tahoua", "nearest")


def test_without_a_town_the_region_then_the_country(nlp, geocoder) -> None:
    text = "Farmers in the Tillaberi region said herders had crossed into Garin Dankoli without warning."
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert_fallback(locs["Garin Dankoli"], "Garin Dankoli", "Tillaberi Region", "region")
    text = "Soldiers clashed with bandits near Garin Dankoli, officials in Niger said."
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert_fallback(locs["Garin Dankoli"], "Garin Dankoli", "Republic of Niger", "country")


def test_no_area_named_leaves_the_place_unknown(nlp, geocoder) -> None:
    text = "Soldiers clashed with bandits near Garin Dankoli on Monday."
    loc = by_name(geocoder.geoparse(nlp(text)))["Garin Dankoli"]
    assert loc.place is None and loc.precision == GeoPrecision.REGION
    assert loc.reason is not None and "no larger area" in loc.reason


def test_given_spans_fall_back_the_same_way(nlp, geocoder) -> None:
    text = ("Residents said the clinic on Dan Baskore Road, Tahoua, had closed; in Agadez, "
            "the Tamgak Lodge shut its doors too.")
    locs = geocoder.resolve(nlp(text), spans(text, "Dan Baskore Road", "Tahoua", "Tamgak Lodge"))
    road, town, lodge = locs
    assert_fallback(road, "Dan Baskore Road", "Tahoua", "named right after it")
    assert town.place is not None and town.place.name == "Tahoua" and town.reason is None
    assert_fallback(lodge, "Tamgak Lodge", "Agadez", "nearest")
    assert lodge.place is not None and lodge.place.feature_class == "P"


def test_a_town_of_the_story_country_beats_one_abroad_named_more(nlp, geocoder) -> None:
    text = ("Traders at the Kasuwar Dare Market in Zinder, Niger, said trucks from Gao had stopped coming. "
            "Drivers in Gao blamed the rains.")
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert [loc.place.name for loc in locs.values() if loc.toponym == "Gao" and loc.place] == ["Gao"]
    assert_fallback(locs["Kasuwar Dare Market"], "Kasuwar Dare Market", "Zinder", "nearest")


def test_the_region_the_story_names_beats_a_town_abroad(nlp, geocoder) -> None:
    # no town of Niger is named; Gao (Mali) is only where the herders came from: the hamlet the
    # gazetteer lacks is placed in the region of Niger the story names, not in Mali
    text = "Farmers in the Tillaberi region of Niger said herders who came from Gao had crossed into Garin Dankoli."
    locs = by_name(geocoder.geoparse(nlp(text)))
    assert locs["Gao"].place is not None and locs["Gao"].place.country_code == "ML"
    assert_fallback(locs["Garin Dankoli"], "Garin Dankoli", "Tillaberi Region", "region the document names")
