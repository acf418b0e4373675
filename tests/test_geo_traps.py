"""Words that gazetteers list as villages but news text uses otherwise: group names, stop words,
acronyms and sentence-initial common nouns; and the country of a text that names no place."""

from __future__ import annotations

import pytest
from spacy.tokens import Span as SpacySpan

from test_geo_resolve import fixture_gazetteer
from vigil.actors import load_actors
from vigil.geo import Gazetteer, GazetteerGeocoder
from vigil.geo.resolve import distance_km
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Location, Span


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return fixture_gazetteer(tmp_path_factory.mktemp("gaz"), "traps.txt")


@pytest.fixture(scope="module")
def geocoder(gazetteer: Gazetteer) -> GazetteerGeocoder:
    return GazetteerGeocoder(gazetteer, load_words(), load_actors())


def names(geocoder: GazetteerGeocoder, doc) -> list[str]:
    return [loc.span.text for loc in geocoder.geoparse(doc) if loc.span is not None]


def _locate(nlp, geocoder: GazetteerGeocoder, text: str) -> Location:
    """Where the event told by the whole text happened."""
    return geocoder.locate(nlp(text), Span(0, len(text), text))


def test_a_group_name_is_not_a_place(nlp, gazetteer, geocoder) -> None:
    text = "Gunmen attacked a checkpoint in Zinder, Niger, on Friday. Officials attributed the attack to the Taliban."
    doc = nlp(text)
    # without the actor dictionary the village called Taliban is taken ("to the Taliban")...
    assert "Taliban" in names(GazetteerGeocoder(gazetteer, load_words()), doc)
    # ...with it, the group is not a place, and the event stays in Zinder
    assert "Taliban" not in names(geocoder, doc)
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Zinder"


def test_a_people_is_not_a_place(nlp, gazetteer, geocoder, tmp_path) -> None:
    text = "Gunmen attacked Bambara villagers near Kourkimba in the Tillaberi region of Niger, killing two."
    doc = nlp(text)
    # with no list of peoples, the hamlet called Bambara is taken ("Bambara villagers")...
    empty = tmp_path / "peoples.txt"
    empty.write_text("# no peoples\n", encoding="utf-8")
    assert "Bambara" in names(GazetteerGeocoder(gazetteer, load_words(peoples=empty), load_actors()), doc)
    # ...with the shipped list it is a people, and the event stays where the text puts it
    assert "Bambara" not in names(geocoder, doc)
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Kourkimba"
    assert load_words().people("Tuaregs") and load_words().people("FULANI") and not load_words().people("Niamey")


def test_a_stop_word_after_a_sentence_end_is_not_a_place(nlp, geocoder) -> None:
    text = "A bomb exploded near a market in Dosso, Niger. Two people were killed in the blast. No group claimed it."
    doc = nlp(text)
    found = names(geocoder, doc)
    assert "No" not in found and "Dosso" in found


def test_an_acronym_is_not_a_place(nlp, geocoder) -> None:
    text = "Fighters of the MNLA (CMA) clashed with soldiers in Gao, Mali, on Sunday."
    doc = nlp(text)
    found = names(geocoder, doc)
    assert "CMA" not in found and "Gao" in found


def test_a_sentence_initial_common_noun_is_not_a_place(nlp, geocoder) -> None:
    text = "Assailants opened fire on a bus near Ouagadougou, Burkina Faso. Assailants then fled on motorbikes."
    doc = nlp(text)
    found = names(geocoder, doc)
    assert "Assailants" not in found and "Ouagadougou" in found


def test_no_place_named_gives_the_country_of_the_groups(nlp, geocoder) -> None:
    text = "Katiba Macina fighters kidnapped a shopkeeper and a midwife on Tuesday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.country_code == "ML"
    assert loc.precision == GeoPrecision.REGION and loc.reason is not None and "groups" in loc.reason


def test_no_place_and_no_group_stays_unplaced(nlp, geocoder) -> None:
    text = "Unknown gunmen kidnapped a shopkeeper and a midwife on Tuesday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is None and loc.reason == "no place named in the article"


def test_a_hamlet_abroad_needs_support(nlp, geocoder) -> None:
    # a Malian story (the group is Malian); the gazetteer's only Dialla is a hamlet in Burkina Faso
    text = "Katiba Macina fighters kidnapped two cattle traders in Dialla on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.country_code == "ML"
    # the text says where it is: "Dialla, Burkina Faso" is taken at its word
    text = "Katiba Macina fighters kidnapped two cattle traders in Dialla, Burkina Faso, on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Dialla" and loc.place.country_code == "BF"


def test_an_alternate_name_abroad_needs_support(nlp, geocoder) -> None:
    # "Bouni" is only an alternate name of a Burkinabe town; the story is Malian (demonym)
    text = "Malian soldiers were ambushed near Bouni on Sunday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.country_code == "ML"
    # a story of Burkina Faso takes it
    text = "Soldiers of Burkina Faso were ambushed near Bouni on Sunday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Bonnevue"


def test_an_unknown_place_is_put_in_the_town_written_after_it(nlp, geocoder) -> None:
    # "Dabrayel" is not in the gazetteer; the text puts it in Ouallam, not in the region named later
    text = "Gunmen killed three herders near Dabrayel, Ouallam, and fled toward the Tillaberi region."
    loc = _locate(nlp, geocoder, text)
    assert loc.toponym == "Dabrayel" and loc.precision == GeoPrecision.REGION
    assert loc.place is not None and loc.place.name == "Ouallam"


def test_a_place_forces_came_from_is_not_the_scene(nlp, geocoder) -> None:
    # the evidence names only the origin of the aircraft (or two origins, the second after
    # "and"): the scene is the town of the paragraph
    for origins in ("Niamey", "Niamey and Tillaberi"):
        text = ("Gunmen attacked an army post in Ayorou on Saturday, killing six soldiers. "
                f"The attackers fought for two hours before aircraft were sent from {origins}.")
        second = text.index("The attackers")
        loc = geocoder.locate(nlp(text), Span(second, len(text), text[second:]))
        assert loc.place is not None and loc.place.name == "Ayorou", origins
    # "30 km from X" and "not far from X" are near X, not where anyone came from; a village
    # the gazetteer lacks, put not far from a town, is located at the town
    for text in ("Gunmen attacked an army post 30 km from Ouallam, killing six soldiers.",
                 "Gunmen attacked an army post not far from Ouallam, killing six soldiers.",
                 "Gunmen killed two herders in the area of Dabrayel, not far from Ouallam."):
        loc = _locate(nlp, geocoder, text)
        assert loc.place is not None and loc.place.name == "Ouallam" and loc.precision == GeoPrecision.NEAR, text


def test_a_stated_distance_and_direction_move_the_point(nlp, geocoder, gazetteer) -> None:
    town = next(c.place for c in gazetteer.lookup("Ouallam") if c.place.feature_class == "P")
    assert town.lat is not None and town.lon is not None
    for text, km, north, east in (
            ("An IED exploded 35 km west of Ouallam on Monday.", 35, 0, -1),
            ("Gunmen attacked Dabrayel, about 40km north-east of Ouallam, on Monday.", 40, 1, 1),
            ("Gunmen killed two herders 20 miles to the south of Ouallam.", 32.2, -1, 0)):
        loc = _locate(nlp, geocoder, text)
        assert loc.place is not None and loc.place.name == town.name and loc.precision == GeoPrecision.NEAR, text
        assert loc.place.lat is not None and loc.place.lon is not None
        assert abs(distance_km(town.lat, town.lon, loc.place.lat, loc.place.lon) - km) < 0.5, text
        assert north * (loc.place.lat - town.lat) > 0 or (north == 0 and abs(loc.place.lat - town.lat) < 0.01), text
        assert east * (loc.place.lon - town.lon) > 0 or (east == 0 and abs(loc.place.lon - town.lon) < 0.01), text
        assert loc.reason is not None and f"of {town.name}" in loc.reason, text
    # a distance alone, or a direction alone, says only "near": the point stays the town's
    for text in ("An IED exploded 35 km from Ouallam on Monday.", "An IED exploded west of Ouallam on Monday."):
        loc = _locate(nlp, geocoder, text)
        assert loc.place is not None and (loc.place.lat, loc.place.lon) == (town.lat, town.lon), text


def test_a_place_after_a_possessive_place_is_the_scene(nlp, geocoder) -> None:
    # "Ouallam's Ayorou area": the second town is in the first one's orbit, and is where it was
    loc = _locate(nlp, geocoder, "Graves were found in Ouallam's Ayorou area on Monday.")
    assert loc.place is not None and loc.place.name == "Ayorou"
    # written the other way round, the first town named is still taken
    loc = _locate(nlp, geocoder, "Graves were found in Ouallam and Ayorou on Monday.")
    assert loc.place is not None and loc.place.name == "Ouallam"


def test_a_quoted_code_name_is_not_a_place(nlp, geocoder) -> None:
    # "operation 'Ayorou'" names an operation after a town, and "camp 'Abala'" a camp: neither
    # is where the text is; the town named plainly is
    for text in ("Troops of operation 'Ayorou' killed six militants near Ouallam on Monday.",
                 "Rockets struck camp 'Abala' in Ouallam on Monday."):
        doc = nlp(text)
        assert "Ayorou" not in names(geocoder, doc) and "Abala" not in names(geocoder, doc), text
        loc = _locate(nlp, geocoder, text)
        assert loc.place is not None and loc.place.name == "Ouallam", text
    # a quoted place that no lower-case word introduces is still one
    assert "Ayorou" in names(geocoder, nlp("Residents of 'Ayorou' fled on Monday."))


def test_a_sizeable_town_after_a_place_and_a_comma_is_a_place(nlp, geocoder) -> None:
    # the model calls "Agadez" a product here; after a place and a comma, a region's seat or
    # a sizeable town is the next item of a list or the next level of an address
    text = "Aid convoys reached Ouallam, Tahoua, Maradi, Agadez and Zinder on Monday."
    assert {"Ouallam", "Tahoua", "Maradi", "Agadez"} <= set(names(geocoder, nlp(text)))


def test_where_people_fled_or_are_based_is_not_the_scene(nlp, geocoder) -> None:
    text = "Soldiers based in Ouallam were ambushed near Abala on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Abala"
    text = "Villagers fled to Filingue after gunmen stormed Kollo."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Kollo"
    # where a bus was going is not where it was robbed
    text = "Gunmen robbed a bus en route to Filingue, 30 km from Abala, on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Abala"
    # with no scene named at all, the place named is still the best answer
    text = "Villagers fled to Filingue after gunmen burned their granaries."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Filingué"


def test_places_joined_by_and_are_each_a_place(nlp, geocoder) -> None:
    # the model may tag "Kourkimba and Tinkorane" as one person; a list of places is split, and
    # the second is a place because the first is ("between X and Y")
    text = "Gunmen abducted a trader on the track between Kourkimba and Tinkorane on Monday."
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == "Kourkimba")
    doc.ents = [SpacySpan(doc, start, start + 3, label="PERSON")]  # the model's mistake, made sure of
    found = names(geocoder, doc)
    assert "Kourkimba" in found and "Tinkorane" in found


def test_a_name_read_abroad_first_moves_its_vote_home(nlp, geocoder) -> None:
    # on its name alone "Tinkorane" is an alternate name of a large town of Burkina Faso; read
    # with the rest of the text it is the Nigerien village, and must then stop voting for
    # Burkina Faso, where it would make the other village "abroad"
    text = "Gunmen abducted a trader on the track between Kourkimba and Tinkorane on Monday."
    doc = nlp(text)
    located = {loc.span.text: loc.place for loc in geocoder.geoparse(doc) if loc.span is not None}
    assert located["Kourkimba"] is not None and located["Kourkimba"].country_code == "NE"
    assert located["Tinkorane"] is not None and located["Tinkorane"].country_code == "NE"
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Kourkimba" and loc.precision == GeoPrecision.NEAR


def test_a_road_between_two_places_when_the_model_tags_only_one(nlp, geocoder) -> None:
    text = "A convoy struck a mine on the Ayorou-Kollo road on Monday."
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == "Ayorou")
    doc.ents = [SpacySpan(doc, start, start + 1, label="PERSON")]  # the model's mistake, made sure of
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.toponym == "Ayorou-Kollo" and loc.precision == GeoPrecision.NEAR
    assert loc.place is not None and loc.place.name == "Ayorou"


def test_a_known_name_before_residents_or_area_is_a_place(nlp, geocoder) -> None:
    for text in ("Gunfire was heard overnight by Ouallam residents.",
                 "Gunmen stole cattle from herders grazing the Ouallam area."):
        doc = nlp(text)
        doc.ents = []  # the model labels nothing: the word after the name must say place
        assert names(geocoder, doc) == ["Ouallam"], text
    # a name the gazetteer lacks needs more than "area" ("the Kibera area" of a city is no village)
    doc = nlp("Gunmen stole cattle from herders grazing the Zongoberi area.")
    doc.ents = []
    assert names(geocoder, doc) == []


def test_a_hamlet_abroad_gives_way_to_the_namesake_at_home(nlp, geocoder) -> None:
    # no country named; the user follows Niger (its file is imported). On its name alone
    # "Tinkorane" is an old name of a Burkinabe town, which is no reading here: the Nigerien
    # village of that name is
    loc = _locate(nlp, geocoder, "Gunmen stole cattle from herders in the Tinkorane area overnight.")
    assert loc.place is not None and loc.place.name == "Tinkorane" and loc.place.country_code == "NE"


def test_a_place_put_near_another_lies_near_it(nlp, geocoder) -> None:
    # the only Bonnevue the gazetteer holds is a town of Burkina Faso, some 300 km away: the one
    # meant is missing, and the event is located at Ayorou, which the text puts it near
    text = "Gunmen looted shops in Bonnevue, 20 km north of Ayorou, in Niger on Sunday."
    found = {loc.span.text: loc for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert found["Bonnevue"].place is not None and found["Bonnevue"].place.name == "Ayorou"
    assert found["Bonnevue"].precision == GeoPrecision.NEAR and found["Ayorou"].precision == GeoPrecision.NEAR
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Ayorou" and loc.precision == GeoPrecision.NEAR
    # a distance the text gives stretches the leash: 250 km west of Ayorou may be that town
    text = "Gunmen looted shops in Bonnevue, 250 km west of Ayorou, on Sunday."
    found = {loc.span.text: loc for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert found["Bonnevue"].place is not None and found["Bonnevue"].place.country_code == "BF"
    # written without the words that put it near Ayorou, Bonnevue stays the town it names
    text = "Gunmen looted shops in Bonnevue and in Ayorou, in Niger on Sunday."
    found = {loc.span.text: loc for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}
    assert found["Bonnevue"].place is not None and found["Bonnevue"].place.country_code == "BF"


def test_the_area_or_village_of_a_place(nlp, geocoder) -> None:
    # "in the area of X": around X (precision 2); "the village of X": a settlement, found even
    # when the gazetteer lacks it, and located in the town the text puts it near
    loc = _locate(nlp, geocoder, "Soldiers were ambushed in the area of Ayorou on Monday, Niger's army said.")
    assert loc.place is not None and loc.place.name == "Ayorou" and loc.precision == GeoPrecision.NEAR
    text = "Gunmen burned the village of Wassakoira, near Ayorou, on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.toponym == "Wassakoira" and loc.place is not None and loc.place.name == "Ayorou"
    assert loc.precision == GeoPrecision.NEAR


def test_a_two_word_town_the_model_calls_a_person(nlp, geocoder) -> None:
    text = "Gunmen attacked a market in Tin Akoff on Friday, killing two traders."
    doc = nlp(text)
    assert [e.label_ for e in doc.ents if e.text == "Tin Akoff"] == ["PERSON"]
    # right after "in", a name the gazetteer holds as a town is the town...
    loc = geocoder.locate(doc, Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Tin Akoff" and loc.place.country_code == "NE"
    # ...but a person's name elsewhere in the sentence stays a person
    assert "Tin Akoff" not in names(geocoder, nlp("Tin Akoff said gunmen attacked the market on Friday."))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> GazetteerGeocoder:
    """The Niger fixture plus a few countries and capitals elsewhere (fixtures/geo/world.txt)."""
    return GazetteerGeocoder(fixture_gazetteer(tmp_path_factory.mktemp("gaz"), "world.txt"), load_words(),
                             load_actors())


def places(geocoder: GazetteerGeocoder, doc) -> dict[str, tuple[str | None, str | None]]:
    """Each toponym as written -> (the place's country code, its feature code)."""
    return {loc.span.text: (loc.place.country_code, loc.place.feature_code) if loc.place else (None, None)
            for loc in geocoder.geoparse(doc) if loc.span is not None}


def test_a_name_the_model_cuts_at_and_or_of_is_whole(nlp, world) -> None:
    text = "Antigua and Barbuda signed the accord in Port of Spain on Monday, officials in Niamey said."
    doc = nlp(text)
    # the small model cuts both names in two; "Antigua" alone is also a town in Guatemala
    assert "Antigua and Barbuda" not in [e.text for e in doc.ents] and "Spain" in [e.text for e in doc.ents]
    found = places(world, doc)
    assert found["Antigua and Barbuda"] == ("AG", "PCLI")
    assert found["Port of Spain"] == ("TT", "PPLC")
    assert not {"Antigua", "Barbuda", "Spain"} & set(found)
    # a list of two places is no name: each stays itself
    listed = places(world, nlp("Officials in Niger and Mali met in Niamey on Monday."))
    assert "Niger and Mali" not in listed and {"Niger", "Mali"} <= set(listed)


def test_a_country_at_the_end_of_a_name(nlp, world) -> None:
    doc = nlp("Officials of Radio Niger said that gunmen had attacked a village near Ayorou.")
    found = places(world, doc)
    assert found["Niger"] == ("NE", "PCLI") and "Ayorou" in found
    # a short alternate name counts only in capitals: "Car" here is no Central African Republic
    doc = nlp("Fans of the Vintage Car gathered in Niamey on Sunday.")
    assert "Car" not in places(world, doc) and "Niamey" in places(world, doc)


def test_a_former_state_is_located_at_its_successor(nlp, world) -> None:
    doc = nlp("Veterans of the USSR met in Niamey. Their fathers had served in Upper Volta.")
    found = places(world, doc)
    assert found["USSR"] == ("RU", "PCLI")
    assert found["Upper Volta"] == ("BF", "PCLI")


def test_an_abbreviation_meets_the_name_spelled_out(nlp, world) -> None:
    # the gazetteer spells the Russian city out and the Florida one abbreviated, as GeoNames does
    spelled = [(c.place.name, c.place.country_code) for c in world.gazetteer.lookup("St. Petersburg")]
    assert ("Saint Petersburg", "RU") in spelled and ("St. Petersburg", "US") in spelled
    assert ("Saint Petersburg", "RU") in [(c.place.name, c.place.country_code)
                                         for c in world.gazetteer.lookup("St Petersburg")]
    # "St" as the last word is a street, not a saint
    assert not world.gazetteer.lookup("Petersburg St")
    found = places(world, nlp("Thousands marched in St. Petersburg on Sunday, the second city of Russia."))
    assert found["St. Petersburg"] == ("RU", "PPLA")


def test_a_place_entity_ends_at_its_last_capitalised_word(nlp) -> None:
    from vigil.geo.toponyms import _trim

    doc = nlp("Warm water in the Pacific equatorial belt, said the Congress party.")
    pacific = [t.i for t in doc if t.text == "Pacific"][0]
    congress = [t.i for t in doc if t.text == "Congress"][0]
    # a place entity the model ran into a lower-case word is cut back to the name...
    assert _trim(doc, pacific - 1, pacific + 2, "LOC") == (pacific, pacific + 1)
    # ...another entity is not: "the Congress party" is a party, not a town called Congress
    assert _trim(doc, congress - 1, congress + 2, "ORG") == (congress, congress + 2)


def test_an_entity_run_across_a_bracket_or_near_is_two_names(nlp, geocoder) -> None:
    for text, first, second in (("Militiamen attacked the hamlet of Tondibia near Ouallam, killing two herders.",
                                 "Tondibia", "Ouallam"),
                                ("Gunmen killed a trader in Kollo (Tillaberi) on Monday.", "Kollo", "Tillaberi")):
        found = names(geocoder, doc_with(nlp, text, first, second))
        assert first in found and second in found, text
    # the hamlet the gazetteer lacks is placed near the village the text names
    text = "Militiamen attacked the hamlet of Tondibia near Ouallam."
    loc = geocoder.locate(doc_with(nlp, text, "Tondibia", "Ouallam"), Span(0, len(text), text))
    assert loc.toponym == "Tondibia" and loc.place is not None and loc.place.name == "Ouallam"
    assert loc.precision == GeoPrecision.NEAR


def doc_with(nlp, text: str, first: str, last: str, label: str = "ORG"):
    """``text`` parsed, with one entity from word ``first`` to word ``last`` (a model's mistake)."""
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == first)
    end = next(t.i for t in doc if t.text == last) + 1
    doc.ents = [SpacySpan(doc, start, end, label=label)]
    return doc


def test_towns_the_model_calls_people_on_a_road_are_places(nlp, geocoder) -> None:
    for text in ("A truck struck a mine on the road linking Ouallam and Kollo on Monday.",
                 "A truck struck a mine on the axis Ouallam and Kollo on Monday."):
        doc = nlp(text)
        doc.ents = [SpacySpan(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text in ("Ouallam", "Kollo")]
        found = names(geocoder, doc)
        assert "Ouallam" in found and "Kollo" in found, text
        loc = geocoder.locate(doc, Span(0, len(text), text))
        assert loc.place is not None and loc.place.name == "Ouallam" and loc.precision == GeoPrecision.NEAR, text


def test_the_place_of_an_office_is_not_the_scene(nlp, geocoder) -> None:
    text = "The mayor of Tera was shot dead at his home in Ouallam on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Ouallam"
    # with no other place named, the office's town is where the story is
    text = "The mayor of Tera was shot dead at his home on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name == "Téra"


def test_a_name_joined_by_a_hyphenated_article_is_one_name(nlp, geocoder) -> None:
    # the parts are other places ("Tera", "Kollo"); the whole, which the gazetteer lacks, is one
    # name, placed where the address puts it
    found = {loc.span.text: loc.place for loc in geocoder.geoparse(nlp(
        "A bomb exploded in Bani-e Kollo, Tillaberi, Niger, on Monday.")) if loc.span is not None}
    assert list(found) == ["Bani-e Kollo", "Tillaberi", "Niger"]
    assert found["Bani-e Kollo"] is not None and found["Bani-e Kollo"].admin1 == "Tillabéri"
    assert names(geocoder, nlp("A bomb exploded in Tera-e Kollo on Monday.")) == ["Tera-e Kollo"]
