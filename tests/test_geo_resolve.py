"""Toponym finding and resolution with the real spaCy model over the fixture gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span as SpacySpan

from vigil.actors import load_actors
from vigil.errors import ResourceError
from vigil.geo import Gazetteer, GazetteerGeocoder
from vigil.geo.importer import Writer, import_file
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Span

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geo"


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory) -> GazetteerGeocoder:
    return GazetteerGeocoder(fixture_gazetteer(tmp_path_factory.mktemp("gaz")), load_words())


def fixture_gazetteer(directory: Path, *extra: str) -> Gazetteer:
    """The Niger fixture gazetteer (tests/fixtures/geo: country info, admin codes, NE.txt) plus
    the ``extra`` fixture files, imported with the real importer into ``directory``."""
    path = directory / "gaz.sqlite"
    writer = Writer(path)
    for name in ("countryInfo.txt", "admin1CodesASCII.txt", "admin2Codes.txt", "NE.txt", *extra):
        import_file(writer, FIXTURES / name)
    writer.close()
    return Gazetteer(path)


def sentence(doc, needle: str) -> Span:
    start = doc.text.index(needle)
    return Span(start, start + len(needle), needle)


def parsed_id(geocoder: GazetteerGeocoder, nlp, text: str, name: str) -> int | None:
    """The GeoNames id ``geoparse`` gives the first toponym written ``name`` in ``text``."""
    found = [loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None and loc.span.text == name]
    return found[0].geonameid if found and found[0] is not None else None


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
    # the point is the region's seat, the town of Tillabéri, not the middle of the region
    assert (loc.place.lat, loc.place.lon) == (14.20711, 1.45418) and "seat, Tillabéri" in loc.reason


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
    # not Niger's Filinguey: a place missing from the gazetteer, located at the story's country
    assert "Filinguey" in locs and locs["Filinguey"].place is not None
    assert locs["Filinguey"].place.country_code == "ML" and locs["Filinguey"].precision == GeoPrecision.REGION


def test_word_lists_are_validated(tmp_path: Path) -> None:
    bad = tmp_path / "cues.tsv"
    bad.write_text("# cue words\nnear\tclose-by\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"cues.tsv:2: expected 'word<TAB>role'"):
        load_words(cues=bad)
    headless = tmp_path / "stop.txt"
    headless.write_text("march\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="header"):
        load_words(stopnames=headless)
    tabbed = tmp_path / "peoples.txt"
    tabbed.write_text("# peoples\nFulani\tMali\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"peoples.txt:2: expected a name, or 'name<TAB>CC"):
        load_words(peoples=tabbed)


def test_a_place_inside_an_organisation_name_is_found(nlp, geocoder) -> None:
    text = ("A release from Niamey Police said two women were hurt. "
            "A lecturer at the University of Maradi was among them.")
    doc = nlp(text)
    found = {loc.span.text: loc.place for loc in geocoder.geoparse(doc) if loc.span is not None}
    assert "Niamey" in found and "Maradi" in found
    assert "University" not in found and "Police" not in found


def test_a_dateline_in_capitals_is_a_place(nlp, geocoder) -> None:
    text = "DOSSO — The regional council voted on Tuesday to repair the market."
    doc = nlp(text)
    found = [loc for loc in geocoder.geoparse(doc) if loc.span is not None and loc.span.text == "DOSSO"]
    assert found and found[0].place is not None and found[0].place.name == "Dosso"


def test_a_bare_region_name_is_its_chief_town(nlp, geocoder) -> None:
    # "Maradi" is a region and the town that is its seat: the bare name is the town...
    text = "Gunmen attacked a market in Maradi on Friday."
    doc = nlp(text)
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.feature_code == "PPLA" and loc.precision == GeoPrecision.PLACE
    # ...the region when the text says so, or when it is listed with another region
    for text, n in (("Floods hit the Maradi region on Friday.", 1),
                    ("Floods hit villages in the Agadez and Maradi regions on Friday.", 2)):
        doc = nlp(text)
        areas = [loc.place.feature_code for loc in geocoder.geoparse(doc) if loc.place is not None]
        assert areas == ["ADM1"] * n, text
    # an event known only by its region is pointed at the region's seat, as ACLED codes it;
    # the place is still the region (its name, admin1, precision 3), and so is what geoparsing
    # reports for the name
    for text in ("Floods hit the Maradi region on Friday.", "Floods hit the Tillaberi region on Friday."):
        doc = nlp(text)
        loc = geocoder.locate(doc, Span(0, len(text), text))
        seat = next(c.place for c in geocoder.gazetteer.lookup(text.split()[3]) if c.place.feature_code == "PPLA")
        assert loc.place is not None and loc.place.feature_code == "ADM1" and loc.precision == GeoPrecision.REGION
        assert (loc.place.lat, loc.place.lon) == (seat.lat, seat.lon) and loc.place.admin1 == seat.admin1, text
        assert "seat" in (loc.reason or "")
        region = [x.place for x in geocoder.geoparse(doc) if x.place is not None][0]
        assert (region.lat, region.lon) != (seat.lat, seat.lon)


Row = tuple[int, str, float, float, str, str, str, str, int]


def _own_gazetteer(tmp_path: Path, rows: list[Row], files: dict[str, list[Row]] | None = None) -> Gazetteer:
    """A gazetteer of the given places (id, name, lat, lon, class, code, country, admin1,
    population; "Name|Alias" gives alternate names), written in GeoNames' dump layout (``files``:
    more, by file name) and imported with the real importer."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = [FIXTURES / "countryInfo.txt"]
    for name, part in {"places.txt": rows, **(files or {})}.items():
        lines = [f"{gid}\t{n.split('|')[0]}\t{n.split('|')[0]}\t{','.join(n.split('|')[1:])}\t{lat}\t{lon}\t{fc}\t"
                 f"{code}\t{cc}\t\t{a1}\t\t\t\t{pop}\t\t\tUTC\t2024-01-01"
                 for gid, n, lat, lon, fc, code, cc, a1, pop in part]
        paths.append(tmp_path / name)
        paths[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    writer = Writer(tmp_path / "gaz.sqlite")
    for path in paths:
        import_file(writer, path)
    writer.close()
    return Gazetteer(tmp_path / "gaz.sqlite")


def test_the_state_of_the_other_towns_picks_the_namesake(nlp, tmp_path: Path) -> None:
    # Lakeview, Texas is larger, but the story's other town lies in Ohio (too far to count as
    # near): the Ohio Lakeview is meant
    gaz = _own_gazetteer(tmp_path, [
        (9910001, "Zanesfield", 40.34, -83.68, "P", "PPL", "US", "OH", 200),
        (9910002, "Lakeview", 32.0, -96.0, "P", "PPL", "US", "TX", 50000),
        (9910003, "Lakeview", 41.5, -81.0, "P", "PPL", "US", "OH", 3000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "A fire destroyed a barn near Zanesfield on Sunday. A second fire broke out in Lakeview."
    places = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert places["Lakeview"] is not None and places["Lakeview"].geonameid == 9910003


def test_a_demonym_of_a_continent_names_the_continent(nlp, tmp_path: Path) -> None:
    gaz = _own_gazetteer(tmp_path, [
        (6255146, "Africa", 7.19, 21.09, "L", "CONT", "", "", 1_000_000_000),
        (2440485, "Niamey", 13.51, 2.11, "P", "PPLC", "NE", "08", 774235),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "African leaders met in Niamey on Monday."
    places = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert places["African"] is not None and places["African"].name == "Africa"
    # it names no country: the story's country is Niger's
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Niamey"


def test_a_name_the_gazetteer_lacks_is_located_at_the_place_it_narrows(nlp, geocoder) -> None:
    # "North Tillaberi" is no gazetteer entry: it is a part of the Tillaberi region
    text = "Gunmen attacked herders in North Tillaberi on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.toponym == "North Tillaberi" and loc.precision == GeoPrecision.REGION
    assert loc.place is not None and loc.place.feature_code == "ADM1" and loc.place.admin1 == "Tillabéri"
    # a town named like a bigger one plus a word that is no institution's stays unknown
    text = "Gunmen attacked Dosso Sabon village on Monday."
    found = [loc for loc in geocoder.geoparse(nlp(text)) if loc.span is not None and "Dosso" in loc.span.text]
    assert [(loc.span.text, loc.place) for loc in found] == [("Dosso Sabon", None)]


def test_a_text_naming_no_country_is_read_in_the_countries_imported_in_detail(nlp, tmp_path: Path) -> None:
    # Japan's Tessit is larger, but the user imported Mali's full file (ML.txt): a note that
    # names no country means the Malian one
    world: list[Row] = [(9920001, "Tessit", 35.0, 135.0, "P", "PPL", "JP", "01", 3000)]
    mali: list[Row] = [(9920002, "Tessit", 15.2, 0.8, "P", "PPL", "ML", "09", 0)]
    text = "Gunmen attacked a market in Tessit on Monday."
    without = GazetteerGeocoder(_own_gazetteer(tmp_path / "a", world + mali), load_words())
    loc = without.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.country_code == "JP"
    focused = GazetteerGeocoder(_own_gazetteer(tmp_path / "b", world, {"ML.txt": mali}), load_words())
    assert focused.focus == frozenset({"ML"})
    loc = focused.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.geonameid == 9920002


def test_a_rejected_hamlet_does_not_reject_the_other_places(nlp, tmp_path: Path) -> None:
    # "Red Cross" is only a hamlet of the US here: rejected as such (the user follows Mali), its
    # country must not then make the Malian town a place abroad
    gaz = _own_gazetteer(tmp_path, [(9930001, "Red Cross", 35.0, -80.0, "P", "PPL", "US", "NC", 742)],
                         {"ML.txt": [(9930002, "Bourem", 16.95, -0.35, "P", "PPLA2", "ML", "09", 0)]})
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "Armed men stole a pickup truck outside the Red Cross office in Bourem on Friday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.geonameid == 9930002


def test_a_new_region_named_after_its_town_coded_elsewhere_is_the_town(nlp, tmp_path: Path) -> None:
    # the region of "Tessit" was carved out of another, where GeoNames still codes its town
    gaz = _own_gazetteer(tmp_path, [
        (9940001, "Tessit", 15.7, 2.8, "A", "ADM1", "ML", "99", 40000),
        (9940002, "Tessit", 15.9, 2.4, "P", "PPLA2", "ML", "09", 9000),
        (9940003, "Tessit", 40.0, 20.0, "P", "PPLA2", "AL", "09", 9000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "A commander was killed in Tessit by three gunmen."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.geonameid == 9940002


def test_a_village_the_user_follows_is_not_abroad_for_a_demonym(nlp, tmp_path: Path) -> None:
    # the only country besides the village's comes from "French" (the soldiers'): the Malian
    # village of a user who imported Mali's file is meant; a text naming France would not be
    village: list[Row] = [(9950001, "Tessit", 15.9, 2.4, "P", "PPL", "ML", "09", 0)]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, [], {"ML.txt": village}), load_words())
    text = "Three French soldiers were wounded near Tessit on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.geonameid == 9950001


def test_a_county_known_by_its_short_name_needs_the_word_county(nlp, tmp_path: Path) -> None:
    gaz = _own_gazetteer(tmp_path, [
        (9960001, "Logan County|Logan", 40.4, -83.8, "A", "ADM2", "US", "OH", 500_000),
        (9960002, "Logan", 41.7, -111.8, "P", "PPL", "US", "UT", 20_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    for text, gid in (("The council met in Logan on Monday.", 9960002),
                      ("The council met in Logan County on Monday.", 9960001)):
        places = [loc.place for loc in geocoder.geoparse(nlp(text)) if loc.place is not None]
        assert [p.geonameid for p in places] == [gid], text


def test_a_road_between_two_places_is_near_the_first(nlp, geocoder) -> None:
    text = "Gunmen ambushed a bus on the Ayorou-Dosso road on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.toponym == "Ayorou-Dosso" and loc.precision == GeoPrecision.NEAR
    assert loc.place is not None and loc.place.name == "Ayorou"


def test_a_road_to_a_hamlet_the_gazetteer_lacks_is_near_the_end_it_knows(nlp, geocoder) -> None:
    for text, end in (("Gunmen ambushed a bus on the Ayorou-Wandidi road on Monday.", "Ayorou"),
                      ("A truck struck a mine on the Tamkoussa-Ouallam axis on Monday.", "Ouallam")):
        loc = geocoder.locate(nlp(text), Span(0, len(text), text))
        assert loc.place is not None and loc.place.name == end, text
        assert loc.precision == GeoPrecision.NEAR and "-" in (loc.toponym or ""), text
    # without a road word, an unknown end makes no road: no place of the two is claimed
    text = "Two herders were killed in Ayorou-Wandidi on Monday."
    assert geocoder.locate(nlp(text), Span(0, len(text), text)).precision != GeoPrecision.NEAR


def test_a_name_the_model_cuts_short_is_read_whole(nlp, tmp_path: Path) -> None:
    # the gazetteer holds each of these whole; the model reads "In" as the preposition, stops
    # at a lower-case word after a hyphen
    gaz = _own_gazetteer(tmp_path, [
        (9920001, "In Tafarit", 15.9, 4.1, "P", "PPL", "NE", "01", 0),
        (9920002, "Tafarit", 20.9, -17.0, "P", "PPL", "MR", "08", 500),
        (9920003, "Kouri Na", 14.1, 1.2, "P", "PPL", "NE", "09", 0),
        (9920004, "In Tamat", 17.2, 6.3, "T", "DUNE", "NE", "01", 0),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    for text, name, gid in (("Eleven bodies were found near In Tafarit on Monday.", "In Tafarit", 9920001),
                            ("Gunmen attacked the village of Kouri-na and seized two camels.", "Kouri-na", 9920003),
                            ("A convoy was attacked by gunmen 15 km from In Tamat on Monday.", "In Tamat", 9920004)):
        loc = geocoder.locate(nlp(text), Span(0, len(text), text))
        assert loc.toponym == name and loc.place is not None and loc.place.geonameid == gid, text


def test_a_region_s_seat_abroad_by_another_name_is_no_hamlet(nlp, tmp_path: Path) -> None:
    # GeoNames lists many cities under their own language's name, the English one among the
    # alternate names; a seat of a region is no hamlet abroad whatever its name
    gaz = _own_gazetteer(tmp_path, [
        (9910001, "Lakova|Lakovo", 46.2, 6.1, "P", "PPLA", "CH", "GE", 200_000),
        (9910002, "Republic of Niger|Niger", 17.0, 9.0, "A", "PCLI", "NE", "00", 20_000_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "Aid workers in Niger met donors in Lakovo on Monday."
    assert parsed_id(geocoder, nlp, text, "Lakovo") == 9910001


def test_a_wadi_named_as_the_scene_beats_the_town_beside_it(nlp, tmp_path: Path) -> None:
    gaz = _own_gazetteer(tmp_path, [
        (9900001, "Tafadek", 20.3, 0.9, "H", "WAD", "ML", "08", 0),
        (9900002, "Aguelhok", 19.46, 0.86, "P", "PPLA2", "ML", "08", 8000),
        (9900003, "Kidal", 19.5, 1.5, "A", "ADM1", "ML", "08", 70_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "Mortar shells struck a military camp at Tafadek, Aguelhok, on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.toponym == "Tafadek" and loc.place is not None and loc.place.geonameid == 9900001


def test_the_district_the_text_names_by_its_kind_beats_a_famous_namesake(nlp, tmp_path: Path) -> None:
    # GeoNames calls a Malian district "X Cercle"; "the cercle of X" names it, not the larger
    # region abroad that has the bare name
    gaz = _own_gazetteer(tmp_path, [
        (9890001, "Tessagou", 35.0, 136.0, "A", "ADM1", "JP", "40", 1_500_000),
        (9890002, "Tessagou Cercle", 15.2, -7.3, "A", "ADM2", "ML", "07", 0),
        (9890003, "Tessagou", 15.17, -7.28, "P", "PPLA2", "ML", "07", 0),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    for text in ("A gendarme was abducted in Dankoli (Cercle of Tessagou) on Monday.",
                 "A gendarme was abducted in Dankoli, in the cercle of Tessagou, on Monday."):
        assert parsed_id(geocoder, nlp, text, "Tessagou") == 9890002, text


def test_an_address_puts_its_first_name_in_the_country_at_its_end(nlp, tmp_path: Path) -> None:
    # "X neighborhood, Town, Country": the only Velmora here is a Swiss town; the text puts its
    # Velmora in a town of Niger, so that is where the event is, not Switzerland
    gaz = _own_gazetteer(tmp_path, [
        (9860001, "Velmora", 46.5, 8.9, "P", "PPL", "CH", "TI", 5000),
        (9860004, "Lakhor", 31.0, 72.0, "A", "ADM1", "PK", "04", 3_000_000),
        (9860005, "Ayorou", 14.73, 0.92, "P", "PPL", "NE", "09", 26_000),
        (9860006, "Tillaberi Region", 14.5, 1.5, "A", "ADM1", "NE", "09", 2_700_000),
        (9860002, "Maradi", 13.5, 7.1, "P", "PPLA", "NE", "04", 163_000),
        (9860003, "Republic of Niger|Niger", 17.0, 9.0, "A", "PCLI", "NE", "00", 20_000_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    for text in ("A bomb exploded near a school in Velmora neighborhood, Maradi, Niger, on Monday.",
                 "A bomb exploded near a school in Velmora, Maradi, Niger, on Monday."):
        loc = geocoder.locate(nlp(text), Span(0, len(text), text))
        assert loc.toponym == "Velmora" and loc.place is not None and loc.place.name == "Maradi", text
        assert loc.precision == GeoPrecision.REGION, text
    # nor a region abroad that heads the first name: it is a colony or quarter of the town
    text = "A bomb exploded in Lakhor Colony neighborhood, Ayorou, Tillaberi Region, on Monday."
    found = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert found["Lakhor Colony"] is not None and found["Lakhor Colony"].country_code == "NE"
    # a list of two towns is no address: each keeps its own reading
    text = "Protests spread to Velmora, Maradi and other towns on Monday."
    assert parsed_id(geocoder, nlp, text, "Velmora") == 9860001


def test_a_seat_the_model_calls_a_person_is_a_place_in_an_address(nlp, tmp_path: Path) -> None:
    gaz = _own_gazetteer(tmp_path, [
        (9850001, "Dan Gado", 13.6, 7.0, "P", "PPLA2", "NE", "04", 45_000),
        (9850002, "Maradi", 13.5, 7.1, "A", "ADM1", "NE", "04", 4_000_000),
        (9850003, "Republic of Niger|Niger", 17.0, 9.0, "A", "PCLI", "NE", "00", 20_000_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "Gunmen attacked Dan Gado, Maradi, Niger, on Monday."
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == "Dan")
    doc.ents = [SpacySpan(doc, start, start + 2, label="PERSON")]  # the model's mistake, made sure of
    assert parsed_id(geocoder, lambda _: doc, text, "Dan Gado") == 9850001


def test_a_name_put_in_an_address_once_is_there_at_every_mention(nlp, tmp_path: Path) -> None:
    # the only Palmera here is a Spanish city; the text puts its Palmera in Maradi, Niger
    gaz = _own_gazetteer(tmp_path, [
        (9840001, "Palmera", 39.57, 2.65, "P", "PPL", "ES", "07", 400_000),
        (9840002, "Maradi", 13.5, 7.1, "A", "ADM1", "NE", "04", 4_000_000),
        (9840003, "Republic of Niger|Niger", 17.0, 9.0, "A", "PCLI", "NE", "00", 20_000_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "Gunmen stormed the town of Palmera on Monday. The raid on Palmera, Maradi, Niger, left two dead."
    found = [(loc.span.text, loc.place) for loc in geocoder.geoparse(nlp(text)) if loc.span is not None]
    palmera = [place for name, place in found if name == "Palmera"]
    assert len(palmera) == 2 and all(p is not None and p.country_code == "NE" for p in palmera), found


def test_a_numbered_unit_is_no_place(nlp, tmp_path: Path) -> None:
    gaz = _own_gazetteer(tmp_path, [
        (9830001, "Precinct", 38.0, -91.0, "P", "PPL", "US", "MO", 2000),
        (9830002, "Dosso", 13.05, 3.19, "P", "PPLA", "NE", "03", 50_000),
        (9830003, "Republic of Niger|Niger", 17.0, 9.0, "A", "PCLI", "NE", "00", 20_000_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "A bomb exploded near a school in Precinct 9 of Dosso, Niger, on Monday."
    doc = nlp(text)
    assert "Precinct" not in [loc.span.text for loc in geocoder.geoparse(doc) if loc.span is not None]
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Dosso"


def test_a_neighbourhood_needs_its_city(nlp, tmp_path: Path) -> None:
    gaz = _own_gazetteer(tmp_path, [
        (9970001, "Eastfield", 39.3, -76.6, "P", "PPLX", "US", "MD", 20_000),
        (9970002, "Eastfield", 52.1, -1.2, "P", "PPL", "GB", "ENG", 8_000),
        (9970003, "Baltimore", 39.29, -76.61, "P", "PPL", "US", "MD", 600_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    for text, gid in (("Heavy rain flooded roads in Eastfield on Monday.", 9970002),
                      ("Heavy rain flooded roads in Eastfield, Baltimore on Monday.", 9970001)):
        places = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
        assert places["Eastfield"] is not None and places["Eastfield"].geonameid == gid, text


def test_a_group_s_country_does_not_make_a_village_of_a_followed_country_abroad(nlp, tmp_path: Path) -> None:
    # a named group's country is a guess, as a nationality's is: groups fight across borders.
    # The only Tessit of the countries the user follows in detail is in Burkina Faso: a text
    # about a Malian group that names no country is read there, not at Mali as a whole
    gaz = _own_gazetteer(tmp_path, [], {"BF.txt": [(9980001, "Tessit", 12.0, -1.0, "P", "PPL", "BF", "53", 0)],
                                        "ML.txt": [(9980002, "Bourem", 16.95, -0.35, "P", "PPLA2", "ML", "09", 0)]})
    geocoder = GazetteerGeocoder(gaz, load_words(), load_actors())
    text = "Fighters of Katiba Macina raided a herders' camp in Tessit overnight."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.geonameid == 9980001


def test_a_name_written_before_a_comma_and_a_place_is_a_place(nlp, geocoder) -> None:
    # an address: the model reads "Police Sector 4, Maradi" as one organisation
    text = "Gunmen raided a checkpoint in Police Sector 4, Maradi, Niger, late on Sunday."
    found = [loc for loc in geocoder.geoparse(nlp(text)) if loc.span is not None]
    assert [loc.span.text for loc in found] == ["Maradi", "Niger"]
    assert found[0].place is not None and found[0].place.admin1 == "Maradi"


def test_a_place_the_text_puts_in_another_country_is_not_its_namesake(nlp, tmp_path: Path) -> None:
    # the only Kollo in this gazetteer lies in Burkina Faso; the text puts its Kollo in Niger
    gaz = _own_gazetteer(tmp_path, [
        (9990001, "Kollo", 12.0, -1.0, "P", "PPL", "BF", "53", 50_000),
        (9990002, "Maradi", 13.8, 7.4, "A", "ADM1", "NE", "04", 3_000_000),
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "Assailants shelled Kollo, Maradi, Niger, on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.toponym == "Kollo" and loc.place is not None and loc.place.geonameid == 9990002


def test_a_long_listed_name_is_read_whole(nlp, geocoder) -> None:
    text = "Troops from the Democratic Republic of the Congo arrived in Niamey."
    names = [loc.span.text for loc in geocoder.geoparse(nlp(text)) if loc.span is not None]
    assert "Democratic Republic of the Congo" in names and "Congo" not in names


def test_a_list_of_towns_is_no_container(nlp, geocoder) -> None:
    text = "Leaders met in Niamey, Bamako and Ouagadougou on Monday."
    places = [loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None]
    assert [p.country_code if p else None for p in places] == ["NE", "ML", "BF"]


def test_the_scene_beats_the_end_of_a_road(nlp, geocoder) -> None:
    text = "Assailants attacked a checkpoint on the Ayorou-Dosso road in Ouallam."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Ouallam"


def test_a_village_named_after_two_places_is_no_road(nlp, geocoder) -> None:
    # two small places joined: a village named after both (two sizeable towns are two places,
    # see the next test)
    text = "Two traders were killed in Ouallam-Abala and in Tera on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.toponym == "Ouallam-Abala" and loc.place is not None and loc.place.name == "Ouallam"
    assert loc.precision != GeoPrecision.NEAR


def test_two_sizeable_places_joined_are_two_toponyms(nlp, geocoder) -> None:
    text = "Troops patrolled the Niger-Mali border after the Niamey-Gao flight was cancelled on Monday."
    doc = nlp(text)
    found = {loc.span.text: loc.place for loc in geocoder.geoparse(doc) if loc.span is not None}
    assert list(found) == ["Niger", "Mali", "Niamey", "Gao"]
    assert [p.country_code if p else None for p in found.values()] == ["NE", "ML", "NE", "ML"]
    # an event told there is placed at the first, as on a road between them
    sentence = text[:text.index(" after")]
    loc = geocoder.locate(nlp(sentence), Span(0, len(sentence), sentence))
    assert loc.place is not None and loc.place.country_code == "NE" and loc.toponym == "Niger"
    # with a road word the pair stays one name, near its first end
    road = "Gunmen ambushed a bus on the Niamey-Gao road."
    loc = geocoder.locate(nlp(road), Span(0, len(road), road))
    assert loc.toponym == "Niamey-Gao" and loc.precision == GeoPrecision.NEAR


def test_a_people_s_adjective_joined_to_another_is_no_road(nlp, tmp_path: Path) -> None:
    # a town named like the short form of a people's adjective ("Franco-") must not
    # make "Franco-German" the road from it; and the second adjective is read whole
    gaz = _own_gazetteer(tmp_path, [
        (9930001, "Franco", 14.0, 1.0, "P", "PPL", "NE", "09", 30_000),
        (9930002, "Republic of Mali|Mali", 17.0, -4.0, "A", "PCLI", "ML", "00", 12_000_000),
        (9930003, "German", 15.0, -3.0, "P", "PPL", "ML", "05", 0),  # a hamlet named like the adjective
    ])
    geocoder = GazetteerGeocoder(gaz, load_words())
    text = "The Franco-German plan was signed on Monday. Russian-Nigerien talks followed."
    found = [loc.span.text for loc in geocoder.geoparse(nlp(text)) if loc.span is not None]
    assert "Russian" in found and "Russian-" not in found
    assert "Franco" not in found and "Franco-German" not in found


def test_the_state_where_all_the_names_can_be_wins(nlp, tmp_path: Path) -> None:
    # each name alone is larger in another state; only Missouri has all three, far apart enough
    # (over 200 km) that nearness does not decide it
    rows: list[Row] = [
        (9940001, "Harlowe", 37.0, -93.0, "P", "PPL", "US", "MO", 2000),
        (9940002, "Harlowe", 38.5, -98.0, "P", "PPL", "US", "KS", 9000),
        (9940003, "Denmore", 39.5, -94.5, "P", "PPL", "US", "MO", 2000),
        (9940004, "Denmore", 35.8, -86.5, "P", "PPL", "US", "TN", 9000),
        (9940005, "Carthby", 38.6, -90.5, "P", "PPL", "US", "MO", 2000),
        (9940006, "Carthby", 42.0, -93.5, "P", "PPL", "US", "IA", 9000),
    ]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, rows), load_words())
    text = ("A barn burned in Harlowe on Sunday. Firefighters in Denmore sent a truck, and the school "
            "in Carthby opened its gym.")
    places = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    chosen = {name: places[name].geonameid if places[name] else None for name in ("Harlowe", "Denmore", "Carthby")}
    assert chosen == {"Harlowe": 9940001, "Denmore": 9940003, "Carthby": 9940005}


def test_a_far_larger_city_beats_a_small_namesake_unless_the_story_is_local(nlp, tmp_path: Path) -> None:
    rows: list[Row] = [
        (9950001, "Brantwick", 51.5, -0.1, "P", "PPLC", "GB", "ENG", 8_000_000),
        (9950002, "Brantwick", 39.9, -83.4, "P", "PPL", "US", "OH", 10_000),
        (9950003, "Harlan Falls", 41.0, -96.0, "P", "PPL", "US", "NE", 60_000),
        (9950004, "Corvin", 41.5, -81.7, "P", "PPL", "US", "OH", 900_000),
        (6252001, "United States", 39.76, -98.5, "A", "PCLI", "US", "", 327_000_000),
    ]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, rows), load_words())
    # a story of the United States: its country votes lift the Ohio town, its size does not
    text = "The mayor of Harlan Falls in the United States flew to Brantwick for talks on Monday."
    assert parsed_id(geocoder, nlp, text, "Brantwick") == 9950001
    # another town of the story lies in Ohio (200 km off): the story is local to the Ohio town
    text = "Firefighters from Corvin helped crews in Brantwick put out a barn fire on Monday."
    assert parsed_id(geocoder, nlp, text, "Brantwick") == 9950002


def test_a_region_demonym_casts_no_country_vote(nlp, tmp_path: Path) -> None:
    # "Central American" names the region; its word "American" must not make it a US story
    rows: list[Row] = [
        (-1000114, "Central America", 13.0, -85.0, "L", "RGN", "", "", 0),
        (9960001, "Tolvera", 37.0, -93.0, "P", "PPL", "US", "MO", 2000),
        (9960002, "Tolvera", 15.5, -88.0, "P", "PPL", "GT", "01", 9000),
    ]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, rows), load_words())
    text = "Central American migrants rested in Tolvera on Monday."
    places = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert places["Central American"] is not None and places["Central American"].name == "Central America"
    assert places["Tolvera"] is not None and places["Tolvera"].geonameid == 9960002


def test_a_state_named_after_its_great_city_is_the_city_when_named_alone(nlp, tmp_path: Path) -> None:
    # the city is known by the state's name only as an alternate name ("Vantara City|Vantara")
    rows: list[Row] = [
        (9970001, "Vantara", 42.9, -75.5, "A", "ADM1", "US", "VT", 19_000_000),
        (9970002, "Vantara City|Vantara", 40.7, -74.0, "P", "PPL", "US", "VT", 8_000_000),
        (9970003, "Oswin Falls", 43.1, -75.2, "P", "PPL", "US", "VT", 60_000),
        (6252001, "United States", 39.76, -98.5, "A", "PCLI", "US", "", 327_000_000),
    ]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, rows), load_words())
    assert parsed_id(geocoder, nlp, "Thousands of protesters marched through Vantara on Saturday.", "Vantara") == 9970002
    # the text calls it a state, or puts a town in it: the state
    assert parsed_id(geocoder, nlp, "Lawmakers in the state of Vantara passed the budget on Saturday.", "Vantara") == 9970001
    text = "A fire destroyed a mill in Oswin Falls, Vantara, on Saturday."
    doc = nlp(text)
    town, state = geocoder.resolve(doc, [sentence(doc, "Oswin Falls"), sentence(doc, "Vantara")])
    assert town.place is not None and town.place.geonameid == 9970003
    assert state.place is not None and state.place.geonameid == 9970001


def test_a_road_named_after_a_town_is_no_second_vote_for_that_town(nlp, tmp_path: Path) -> None:
    # Harrowgate of New Zealand is larger; the story's other town, Castleford, lies next to the
    # Canadian one. "Harrowgate-Castleford" (a riding, located at its first end) is the same name
    # again and must not outvote Castleford for New Zealand.
    rows: list[Row] = [
        (9990001, "Harrowgate", -41.3, 173.3, "P", "PPLA", "NZ", "F5", 54_000),
        (9990004, "Harrowgate", -41.27, 173.27, "A", "ADM1", "NZ", "F5", 98_000),
        (9990002, "Harrowgate", 49.5, -117.3, "P", "PPL", "CA", "02", 10_000),
        (9990003, "Castleford", 49.3, -117.7, "P", "PPL", "CA", "02", 8_000),
    ]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, rows), load_words())
    text = ("Harrowgate residents will find services easier to reach, said the member for "
            "Harrowgate-Castleford. People used to drive to Castleford instead.")
    names = ("Harrowgate", "Harrowgate-Castleford", "Castleford")
    starts = [text.index(names[0]), text.index(names[1]), text.index(names[2], text.index(names[1]) + 12)]
    locs = geocoder.resolve(nlp(text), [Span(s, s + len(n), n) for s, n in zip(starts, names, strict=True)])
    assert [loc.place.geonameid if loc.place else None for loc in locs] == [9990002, 9990002, 9990003]


def test_a_district_named_alone_is_its_town_where_the_gazetteer_marks_no_seat(nlp, tmp_path: Path) -> None:
    # the default gazetteer codes every town PPL, so the seat is known only as the district's
    # namesake town inside it, close to its middle
    rows: list[Row] = [
        (9971001, "Dalwari", 11.6, 13.4, "A", "ADM2", "NG", "27", 90_000),
        (9971002, "Dalwari", 11.62, 13.41, "P", "PPL", "NG", "27", 13_000),
        (2328926, "Nigeria", 10.0, 8.0, "A", "PCLI", "NG", "", 190_000_000),
    ]
    geocoder = GazetteerGeocoder(_own_gazetteer(tmp_path, rows), load_words())
    text = "A bomber struck the fish market of Dalwari, Nigeria, on Tuesday."
    doc = nlp(text)
    loc = geocoder.resolve(doc, [sentence(doc, "Dalwari")])[0]
    assert loc.place is not None and loc.place.geonameid == 9971002
    # the text calls it an area: the district
    text = "Farmers across the Dalwari district of Nigeria lost their crops on Tuesday."
    assert parsed_id(geocoder, nlp, text, "Dalwari") == 9971001


def test_a_name_after_a_title_is_a_person_not_a_place(nlp, geocoder) -> None:
    # Dosso is a town of the fixture gazetteer, and the story names it as one; after "Mr" the
    # same name is a person, and the title itself is no toponym either
    text = "Gunmen attacked a market in Dosso on Monday. Mr Dosso, a trader, said three people were hurt."
    found = [(loc.span.start, loc.span.text) for loc in geocoder.geoparse(nlp(text)) if loc.span is not None]
    assert found == [(text.index("Dosso"), "Dosso")]


def test_a_region_seat_the_model_calls_a_people_is_still_a_place(nlp, tmp_path: Path) -> None:
    # the small model tags "Kidal" NORP here; with no cue word around it the name used to wait
    # for another mention. A seat (PPLA) by its own name is a place; a village namesake is not.
    seat: list[Row] = [(2455290, "Kidal", 18.44, 1.41, "P", "PPLA", "ML", "08", 11_000)]
    village: list[Row] = [(9972001, "Kidal", 18.44, 1.41, "P", "PPL", "ML", "08", 900)]
    text = "Kidal was hit by mortar fire overnight."
    assert parsed_id(GazetteerGeocoder(_own_gazetteer(tmp_path / "a", seat), load_words()), nlp, text, "Kidal") == 2455290
    assert parsed_id(GazetteerGeocoder(_own_gazetteer(tmp_path / "b", village), load_words()), nlp, text, "Kidal") is None
