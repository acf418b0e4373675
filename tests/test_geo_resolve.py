"""Toponym finding and resolution with the real spaCy model over the fixture gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.errors import ResourceError
from vigil.geo import Gazetteer, GazetteerGeocoder
from vigil.geo.importer import Writer, import_file
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Span

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geo"


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory) -> GazetteerGeocoder:
    path = tmp_path_factory.mktemp("gaz") / "gaz.sqlite"
    writer = Writer(path)
    for name in ("countryInfo.txt", "admin1CodesASCII.txt", "admin2Codes.txt", "NE.txt"):
        import_file(writer, FIXTURES / name)
    writer.close()
    return GazetteerGeocoder(Gazetteer(path), load_words())


def sentence(doc, needle: str) -> Span:
    start = doc.text.index(needle)
    return Span(start, start + len(needle), needle)


def test_near_a_village_is_precision_two(nlp, geocoder) -> None:
    text = "Gunmen attacked a patrol near Ayorou in the Tillaberi region of Niger on Monday, killing four soldiers."
    doc = nlp(text)
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.geonameid == 2447416
    assert loc.precision == GeoPrecision.NEAR
    assert loc.toponym == "Ayorou" and text[loc.span.start:loc.span.end] == "Ayorou"


def test_in_a_town_is_precision_one(nlp, geocoder) -> None:
    text = "Protesters gathered in Zinder on Friday to denounce the rising price of bread in Niger."
    doc = nlp(text)
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Zinder" and loc.place.feature_code == "PPLA"
    assert loc.precision == GeoPrecision.PLACE


def test_region_context_picks_the_right_namesake(nlp, geocoder) -> None:
    text = ("Herders clashed with farmers in the Maradi region on Sunday. "
            "The fighting started in Kollo, a village where two people were killed.")
    doc = nlp(text)
    loc = geocoder.locate(doc, sentence(doc, "The fighting started in Kollo, a village where two people were killed."))
    assert loc.place is not None and loc.place.geonameid == 2442252  # the Kollo in Maradi, not the larger one


def test_populated_place_beats_a_well_of_the_same_name(nlp, geocoder) -> None:
    text = "Soldiers were ambushed in Abala, in western Niger, on Tuesday."
    doc = nlp(text)
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.feature_class == "P" and loc.place.geonameid == 2448246


def test_unknown_village_keeps_its_name_at_the_region(nlp, geocoder) -> None:
    text = "Militants burned a school near Dabrayel in the Tillaberi region, officials in Niamey said."
    doc = nlp(text)
    loc = geocoder.locate(doc, sentence(doc, text))
    assert loc.toponym == "Dabrayel"
    assert loc.place is not None and loc.place.feature_code == "ADM1" and loc.place.admin1 == "Tillabéri"
    assert loc.precision == GeoPrecision.REGION
    assert loc.reason and "Dabrayel" in loc.reason


def test_falls_back_to_the_paragraph_then_says_so(nlp, geocoder) -> None:
    text = ("Fighting broke out in Tahoua on Monday.\n\n"
            "Residents fled as the gunmen returned at night. Three people died.")
    doc = nlp(text)
    loc = geocoder.locate(doc, sentence(doc, "Three people died."))
    assert loc.place is not None and loc.place.name == "Tahoua"
    assert loc.reason and "article" in loc.reason
    loc = geocoder.locate(doc, sentence(doc, "Fighting broke out in Tahoua on Monday."))
    assert loc.reason is None


def test_demonyms_and_people_are_not_places(nlp, geocoder) -> None:
    text = "Nigerien officials met Malian envoys on Monday; Niger and Mali agreed to patrol the border."
    doc = nlp(text)
    found = geocoder.geoparse(doc)
    places = {(loc.toponym, loc.place.country_code if loc.place else None) for loc in found}
    assert ("Niger", "NE") in places and ("Mali", "ML") in places
    assert ("Nigerien", "NE") in places  # reported as a reference to the country...
    loc = geocoder.locate(doc, sentence(doc, "Nigerien officials met Malian envoys on Monday;"))
    assert loc.toponym != "Nigerien" and loc.toponym != "Malian"  # ...but never the event's place


def test_resolve_given_spans_uses_the_rest_of_the_text(nlp, geocoder) -> None:
    text = "The convoy left Niamey for Say, then turned north to Ouallam."
    doc = nlp(text)
    spans = [sentence(doc, "Say"), sentence(doc, "Ouallam")]
    locs = geocoder.resolve(doc, spans)
    assert [loc.place.geonameid if loc.place else None for loc in locs] == [2439812, 2440371]
    assert [loc.span for loc in locs] == spans


def test_spelling_variant_only_inside_the_story_country(nlp, geocoder) -> None:
    doc = nlp("Unrest spread in Niger, where troops were deployed near Filinguey in the Tillaberi region.")
    locs = {loc.toponym: loc for loc in geocoder.geoparse(doc)}
    assert locs["Filinguey"].place is not None and locs["Filinguey"].place.geonameid == 2444995
    doc = nlp("Unrest spread in Mali, where troops were deployed near Filinguey and Gao.")
    locs = {loc.toponym: loc for loc in geocoder.geoparse(doc)}
    assert "Filinguey" in locs and locs["Filinguey"].place is None


def test_word_lists_are_validated(tmp_path: Path) -> None:
    bad = tmp_path / "cues.tsv"
    bad.write_text("# cue words\nnear\tclose-by\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"cues.tsv:2: expected 'word<TAB>role'"):
        load_words(cues=bad)
    headless = tmp_path / "stop.txt"
    headless.write_text("march\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="header"):
        load_words(stopnames=headless)
