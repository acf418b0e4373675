"""What a text that names no country still says about where it is: the peoples and the forces it
names, and spellings of the villages of the countries the user imported in detail.

The gazetteer is the Niger fixture plus two country files written here ("ML.txt", "BF.txt", so
that both countries count as imported in detail), with made-up villages: "Dounkoro" and
"Sabrido" in both countries (population 0, so nothing in the names decides), "Tiemboro" twice
in Mali and once in Burkina Faso, "So" (a short common word) and "Kassaberi" in
Mali and "Kasabero" (a larger town that shares only the loose spelling key, also called "Tondibo"
and, as a code, "KAS") in Burkina Faso;
and in Mali the district "Kobala Cercle" with its seat "Kobala" (GeoNames gives neither an admin2
code, as for Mali), and two villages "Wendeko": one 90 km from the district's point (in it, though
the gazetteer puts it in another admin1), one 500 km away in the district's admin1; "Tiligo", a
well in Mali and a village of 2,000 people in Burkina Faso; two "Bandiro" and two "Korissa" in Mali,
the larger (60 people) of each far from the other name, the two smaller 15 km apart (all four in
different admin1 areas); the district "Sorodji Cercle" with two villages "Sorodji", one 15 km from
its point (its seat, which the gazetteer does not mark) and one 500 km away with 60 people;
three villages "Nawoki" in Mali, in the admin1 areas 07, 04 and 09 (Koulikoro, Mopti and Gao by
GeoNames' codes), all of population 0; the district "Yelekoro" (only the bare name) and the
region's seat "Tassiwa", 90 km apart, and "Egharo", a depression (a site, not a settlement) near it;
"Timakorata", a village of Mali's admin1 09, with "Tamakoratou", a Burkinabe town of 20,000 that
shares only its loose spelling key with "Tamakorata", and "Bilanguessi" and "Sondoré" (85 km from
Kasabero), Burkinabe villages;
"I-n-Tabourit" and "Ti-n-Zaouarek", Malian villages as GeoNames writes Tamasheq names;
"Tadoumarast", a Malian village; "Koradi", a Malian village 520 km from Tassiwa, and "Bossoka",
one 75 km from it; "Sirokoubé" and "Sorokoubé", two Malian villages that GeoNames also calls
"Sorrokoube"; "Ti-n-Moussa", a Malian wadi, and "Issa Mallam", a Malian camp, both names that
the model reads as people's; "Sekoro", a Malian village; the district "Sirakoro Cercle" and its
seat "Sirakoro"; "Tidarikent", a Malian well; the region "Tinaka" (admin1 99, carved out of 09:
no seat or district of its own), its town "Tinaka" and the well "Ikadewen", both still coded in
09 (as GeoNames codes Ménaka's places in Gao); "I-n-Kadoran", a Malian village; "Wagadugu", a
village of Mali's admin1 04 (Mopti), as Ouagadougou is also called; and, in a world cities file,
"Kolimba", a Russian town of 3,000 people.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_geo_resolve import FIXTURES
from vigil.actors import load_actors
from vigil.errors import ResourceError
from vigil.geo import Gazetteer, GazetteerGeocoder, ensure_gazetteer
from vigil.geo.importer import Writer, import_file
from vigil.geo.resolve import across_border
from vigil.geo.toponyms import Toponym, _kind_before
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Location, Span

ROWS = {
    "ML.txt": [(9910001, "Dounkoro", 14.3, -3.5, "08", 0), (9910004, "Sabrido", 14.6, -3.9, "08", 0),
               (9910005, "Kassaberi", 15.1, -2.2, "09", 0), (9910008, "Tiemboro", 13.9, -4.1, "08", 0),
               (9910009, "Tiemboro", 14.8, -3.2, "08", 0), (9910010, "So", 14.2, -3.6, "08", 0),
               (9910011, "Wendeko", 11.6, -7.4, "08", 0), (9910012, "Wendeko", 15.1, -3.1, "09", 0),
               (9910013, "Kobala Cercle", 14.5, -3.7, "08", 0), (9910014, "Kobala", 14.45, -3.65, "08", 0),
               (9910015, "Tiligo", 15.3, -2.6, "09", 0),
               (9910017, "Bandiro", 15.8, -1.2, "09", 60), (9910018, "Bandiro", 13.9, -5.1, "08", 0),
               (9910019, "Korissa", 11.5, -8.2, "07", 60), (9910020, "Korissa", 14.0, -5.0, "05", 0),
               (9910021, "Sorodji Cercle", 13.0, -6.0, "05", 0), (9910022, "Sorodji", 15.5, -2.0, "09", 60),
               (9910023, "Sorodji", 13.1, -6.1, "05", 0), (9910024, "Nawoki", 12.9, -7.6, "07", 0),
               (9910025, "Nawoki", 14.6, -3.3, "04", 0), (9910026, "Nawoki", 16.1, -0.4, "09", 0),
               (9910027, "Yelekoro", 14.9, -4.4, "04", 0), (9910028, "Tassiwa", 15.6, -4.9, "04", 12000),
               (9910029, "Egharo", 15.8, -4.6, "04", 0), (9910030, "Timakorata", 16.2, -0.2, "09", 0),
               (9910033, "I-n-Tabourit", 16.4, -0.1, "09", 0), (9910034, "Ti-n-Zaouarek", 19.5, 1.2, "10", 0),
               (9910035, "Tadoumarast", 16.9, 0.3, "09", 0), (9910036, "Koradi", 12.0, -8.0, "07", 0),
               (9910037, "Bossoka", 15.0, -4.6, "04", 0), (9910038, "Sirokoubé", 16.6, -3.0, "08", 0),
               (9910039, "Sorokoubé", 14.2, -3.9, "04", 0), (9910040, "Ti-n-Moussa", 18.9, 1.9, "10", 0),
               (9910041, "Issa Mallam", 15.4, -1.4, "06", 0), (9910042, "Sekoro", 14.4, -3.0, "04", 0),
               (9910044, "Sirakoro Cercle", 13.5, -6.5, "05", 0), (9910045, "Sirakoro", 13.45, -6.45, "05", 0),
               (9910046, "Tidarikent", 17.5, 0.1, "09", 0), (9910047, "Tinaka", 16.0, 2.6, "99", 0),
               (9910048, "Tinaka", 15.95, 2.45, "09", 5000), (9910049, "Ikadewen", 16.3, 2.2, "09", 0),
               (9910050, "I-n-Kadoran", 16.8, 1.1, "09", 0), (9910051, "Wagadugu", 14.7, -4.1, "04", 0)],
    "BF.txt": [(9910002, "Dounkoro", 12.2, -1.3, "53", 0), (9910003, "Sabrido", 12.4, -1.1, "53", 0),
               (9910006, "Kasabero", 12.6, -1.5, "53", 20000), (9910007, "Tiemboro", 12.9, -1.7, "53", 0),
               (9910016, "Tiligo", 12.1, -1.9, "53", 2000), (9910031, "Tamakoratou", 12.3, -1.6, "53", 20000),
               (9910032, "Bilanguessi", 13.9, -1.4, "53", 0), (9910052, "Sondoré", 13.2, -1.0, "53", 0)],
    # a world cities file: towns of countries not imported in detail
    "cities1000.txt": [(9910043, "Kolimba", 58.3, 112.9, "20", 3000, "RU")],
}


ALTERNATE = {9910006: "Tondibo,KAS",  # Kasabero's other names: another name and a code
             9910038: "Sorrokoube", 9910039: "Sorrokoube"}
FEATURE = {9910013: ("A", "ADM2"), 9910014: ("P", "PPLA2"), 9910015: ("H", "WLL"), 9910021: ("A", "ADM2"),
           9910027: ("A", "ADM2"), 9910028: ("P", "PPLA"), 9910029: ("T", "DPR"),
           9910040: ("H", "WAD"), 9910041: ("S", "CMP"), 9910044: ("A", "ADM2"),
           9910045: ("P", "PPLA2"), 9910046: ("H", "WLL"), 9910047: ("A", "ADM1"), 9910048: ("P", "PPLA2"),
           9910049: ("H", "WLL")}  # else villages


def _row(gid: int, name: str, lat: float, lon: float, a1: str, pop: int, cc: str) -> str:
    return "\t".join([str(gid), name, name, ALTERNATE.get(gid, ""), str(lat), str(lon), *FEATURE.get(gid, ("P", "PPL")),
                      cc, "", a1, "", "", "",
                      str(pop), "", "", "Africa/Bamako", "2024-01-01"])


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory) -> GazetteerGeocoder:
    folder = tmp_path_factory.mktemp("gaz")
    writer = Writer(folder / "gaz.sqlite")
    try:
        for name in ("countryInfo.txt", "admin1CodesASCII.txt", "admin2Codes.txt", "NE.txt"):
            import_file(writer, FIXTURES / name)
        carved = folder / "admin1CodesASCII-carved.txt"
        carved.write_text("ML.99\tTinaka\tTinaka\t9910047\n", encoding="utf-8")
        import_file(writer, carved)
        for name, rows in ROWS.items():
            path = folder / name
            path.write_text("".join((_row(*r) if len(r) == 7 else _row(*r, name[:2])) + "\n" for r in rows),
                            encoding="utf-8")
            import_file(writer, path)
    finally:
        writer.close()
    return GazetteerGeocoder(Gazetteer(folder / "gaz.sqlite"), load_words(), load_actors())


def _locate(nlp, geocoder: GazetteerGeocoder, text: str) -> Location:
    return geocoder.locate(nlp(text), Span(0, len(text), text))


def _where(nlp, geocoder: GazetteerGeocoder, text: str) -> tuple[str | None, str | None]:
    place = _locate(nlp, geocoder, text).place
    return (place.name, place.country_code) if place is not None else (None, None)


def test_a_people_of_one_country_places_a_village_there(nlp, geocoder) -> None:
    # Mossi live in Burkina Faso, Dogon mostly in Mali: each story names a village both
    # countries have, and no country
    assert _where(nlp, geocoder, "Gunmen attacked Mossi farmers in Dounkoro on Monday.") == ("Dounkoro", "BF")
    assert _where(nlp, geocoder, "Gunmen attacked Dogon farmers in Sabrido on Monday.") == ("Sabrido", "ML")
    # a named country outweighs the people
    assert _where(nlp, geocoder, "Gunmen attacked Dogon farmers in Dounkoro, Burkina Faso.") == ("Dounkoro", "BF")
    # Dozo hunters live in three countries, most of them in Mali
    assert _where(nlp, geocoder, "Dozo hunters burned a granary in Sabrido on Monday.") == ("Sabrido", "ML")


def test_peoples_list_their_countries_or_none() -> None:
    words = load_words()
    assert words.home("Mossis") == ("BF",) and words.home("DOGON")[0] == "ML"
    assert words.home("Fulani") == ()  # spread over too many countries to say
    assert words.people("Fulani") and not words.home("Niamey")


@pytest.mark.parametrize(("kind", "good", "line"), [
    *(("peoples", "Fulani", bad) for bad in ["Mossi\tBurkina", "Mossi\tBF ML NE TD", "Mossi\tbf", "\tBF"]),
    *(("homelands", "msa\tML.09\tGao", bad)
      for bad in ["gatia\tML.09", "gatia\tGao\tGao", "gatia\tml.09\tGao", "\tML.09\tGao", "gatia\t\tGao"]),
])
def test_a_bad_word_list_line_names_the_file_and_line(tmp_path: Path, kind: str, good: str, line: str) -> None:
    path = tmp_path / f"{kind}.txt"
    path.write_text(f"# {kind}\n{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"{kind}\.txt:3: "):
        load_words(**{kind: path})


def test_a_force_by_its_own_name_is_at_home(nlp, geocoder) -> None:
    # "FAMa" is the Malian army's own name; "Barkhane" a French force serving abroad, which
    # says nothing of where the story is (its village must not be read in France)
    assert _where(nlp, geocoder, "Soldiers of the FAMa drove off an attack in Sabrido.") == ("Sabrido", "ML")
    text = "A Barkhane unit came under fire near Dounkoro on Monday."
    assert _where(nlp, geocoder, text) == ("Dounkoro", "ML")
    actors = load_actors()
    assert actors.own_name_country("FAMa") == "ML"
    assert actors.own_name_country("Barkhane") is None and actors.own_name_country("Malian soldiers") is None


def test_a_peace_mission_is_in_the_country_it_serves(nlp, geocoder) -> None:
    assert _where(nlp, geocoder, "MINUSMA peacekeepers were attacked near Sabrido.") == ("Sabrido", "ML")


def test_a_nationality_before_a_group_is_not_the_country_of_the_story(nlp, geocoder) -> None:
    # the officer is Burkinabe, the mission he serves in is in Mali
    text = "A Burkinabe MINUSMA officer was shot dead in Sabrido on Monday."
    assert _where(nlp, geocoder, text) == ("Sabrido", "ML")
    # a demonym alone still votes
    assert _where(nlp, geocoder, "Burkinabe soldiers were attacked in Sabrido on Monday.") == ("Sabrido", "BF")


def test_a_name_is_read_where_most_places_bear_it(nlp, geocoder) -> None:
    # no country named, three hamlets of the name, none larger than another: two of them are in
    # Mali, so the name is more likely Malian (each country's share of the name's places)
    loc = _locate(nlp, geocoder, "Gunmen burned the granaries of Tiemboro on Monday.")
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Tiemboro", "ML")
    # a named country still decides
    loc = _locate(nlp, geocoder, "Gunmen burned the granaries of Tiemboro, Burkina Faso, on Monday.")
    assert loc.place is not None and loc.place.country_code == "BF"


def test_a_village_s_airport_or_market_is_at_the_village(nlp, geocoder) -> None:
    # the gazetteer holds the village, not its airport: the facility's name ends in a word of
    # a site, so the village it is named after is where the shells fell
    for text in ("Mortar shells struck the Kassaberi Airport on Monday.",
                 "Gunmen robbed traders at the Kassaberi Market on Monday."):
        loc = _locate(nlp, geocoder, text)
        assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Kassaberi", "ML"), text


def test_a_spelling_of_a_village_of_an_imported_country(nlp, geocoder) -> None:
    # no country named: "Kassabery" is the Malian village "Kassaberi" in another
    # transliteration (y for i, a doubled s), not the larger Burkinabe "Kasabero" that only
    # shares the loose key, and not nothing
    loc = _locate(nlp, geocoder, "Gunmen attacked the village of Kassabery on Monday.")
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Kassaberi", "ML")
    # a name that shares only the loose key with them ("Kassabera": another final vowel) is
    # another village, one the gazetteer lacks: with no country named, it is read nowhere
    # rather than at either
    loc = _locate(nlp, geocoder, "Gunmen attacked a camp near Kassabera on Monday.")
    assert loc.place is None and loc.toponym == "Kassabera"
    # nor when the only country is a nationality: French soldiers serve abroad
    loc = _locate(nlp, geocoder, "French soldiers were ambushed near Kassabery on Monday.")
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Kassaberi", "ML")


def test_a_village_whose_vowels_were_heard_otherwise(nlp, geocoder) -> None:
    # "Tamakorata" is not in the gazetteer: "Timakorata" (Mali) sounds alike, one vowel apart;
    # the larger "Tamakoratou" (Burkina Faso) only shares the loose key with it and is another name
    loc = _locate(nlp, geocoder, "Gunmen ambushed a convoy near Tamakorata on Monday.")
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Timakorata", "ML")
    assert loc.toponym == "Tamakorata" and loc.precision == GeoPrecision.NEAR
    # no country named: the Burkinabe "Bilanguessi" for "Bilangassi" (two vowels apart)
    assert _where(nlp, geocoder, "Gunmen ambushed herders near Bilangassi on Monday.") == ("Bilanguessi", "BF")


@pytest.mark.parametrize(("text", "name"), [
    ("GATIA fighters clashed with gunmen near N'Tabourit on Monday.", "I-n-Tabourit"),
    ("Gunmen stole cattle near Tinzawarek on Monday.", "Ti-n-Zaouarek"),
])
def test_a_village_written_the_english_way_is_found_as_geonames_writes_it(nlp, geocoder, text: str, name: str) -> None:
    assert _where(nlp, geocoder, text) == (name, "ML")


def test_a_long_name_heard_with_a_consonant_less_is_a_place_after_in(nlp, geocoder) -> None:
    # GeoNames writes "Tadoumarast"; the report drops a consonant, and the model tags no place
    loc = _locate(nlp, geocoder, "Gunmen raided the gendarmerie in Tadoumarat on Monday.")
    assert loc.place is not None and (loc.place.name, loc.toponym) == ("Tadoumarast", "Tadoumarat")


def test_between_namesakes_alike_the_one_spelled_most_like_the_text(nlp, geocoder) -> None:
    # both villages are also called "Sorrokoube"; nothing else tells them apart
    loc = _locate(nlp, geocoder, "Gunmen abducted a trader in Sorrokoube on Monday.")
    assert loc.place is not None and loc.place.name == "Sorokoubé"


def test_a_neighbourhood_of_a_town_lies_in_the_town(nlp, geocoder) -> None:
    # the only Koradi lies 520 km from Tassiwa: the neighbourhood meant is missing, located at the town
    loc = _locate(nlp, geocoder, "Gunmen robbed a shop in the Koradi neighbourhood of Tassiwa on Monday.")
    assert loc.place is not None and loc.place.name == "Tassiwa"
    # "the X area of" a town may reach into its district
    assert _where(nlp, geocoder, "Gunmen robbed a shop in the Bossoka area of Tassiwa on Monday.") == ("Bossoka", "ML")


def test_a_name_heard_otherwise_stays_in_the_country_and_region_the_text_gives(nlp, geocoder) -> None:
    # Malian soldiers: even a nationality keeps a name heard otherwise out of Burkina Faso
    loc = _locate(nlp, geocoder, "Malian soldiers were ambushed near Bilangassi on Monday.")
    assert loc.place is None or loc.place.country_code == "ML"
    # a militia of Mopti (Mali's admin1 04) is not read at a village of admin1 09 that only
    # sounds like the name, when the text names no region
    loc = _locate(nlp, geocoder, "Dan Na Ambassagou militiamen attacked herders near Tamakorata on Monday.")
    assert loc.place is None or loc.place.name != "Timakorata"
    # "X, Tassiwa": Tassiwa is the seat of Mali's admin1 04; "Timakorata" lies in 09
    doc = nlp("Gunmen burned granaries in the village of Tamakorata, Tassiwa, on Monday.")
    found = {loc.toponym: loc.place.name if loc.place else None for loc in geocoder.geoparse(doc)}
    assert found == {"Tamakorata": "Tassiwa", "Tassiwa": "Tassiwa"}  # located at the seat


def test_an_address_runs_through_a_bracket_and_a_name_the_gazetteer_lacks(nlp, geocoder) -> None:
    # the commune in brackets is unknown; the address goes on to Kollo, Tillaberi, in Niger,
    # so the Burkinabe town of the same name is not the one meant
    text = "Gunmen attacked a checkpoint near Kasabero (Tinkara commune), Kollo, Tillaberi Region, killing two."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.country_code == "NE" and loc.place.name == "Kollo"
    # the same town with no address is the Burkinabe one
    assert _where(nlp, geocoder, "Gunmen attacked a checkpoint near Kasabero, killing two.") == ("Kasabero", "BF")


def _untagged(nlp, text: str):
    """``text`` parsed with no entity at all: the small model leaves many Sahel names untagged."""
    doc = nlp(text)
    doc.ents = []
    return doc


def _place_of(geocoder: GazetteerGeocoder, doc) -> str | None:
    loc = geocoder.locate(doc, Span(0, len(doc.text), doc.text))
    return loc.place.name if loc.place is not None else None


def test_a_town_named_before_its_market_or_checkpoint_is_a_place(nlp, geocoder) -> None:
    assert _place_of(geocoder, _untagged(nlp, "Gunmen attacked the Sabrido checkpoint on Monday.")) == "Sabrido"
    assert _place_of(geocoder, _untagged(nlp, "Gunmen looted the Dounkoro market on Monday.")) == "Dounkoro"
    # not without "the" before it: "Sabrido market prices rose" says nothing of an event there
    assert _place_of(geocoder, _untagged(nlp, "Gunmen said Sabrido market prices rose on Monday.")) is None


def test_central_or_downtown_before_a_sizeable_town(nlp, geocoder) -> None:
    assert _place_of(geocoder, _untagged(nlp, "Traders said central Kasabero was calm on Monday.")) == "Kasabero"
    assert _place_of(geocoder, _untagged(nlp, "Traders said Kasabero was calm on Monday.")) is None
    # a hamlet's name after such a word is no evidence on its own
    assert _place_of(geocoder, _untagged(nlp, "Traders said central Sabrido was calm on Monday.")) is None


def test_a_town_after_a_part_of_it_the_gazetteer_lacks_is_a_place(nlp, geocoder) -> None:
    # "Dabrayel" is in no gazetteer; the town after it and a comma is where the event was
    text = "Gunmen fired on soldiers in Dabrayel neighbourhood, Tahoua, and fled."
    assert _place_of(geocoder, _untagged(nlp, text)) == "Tahoua"
    # not a hamlet's name, nor after a word that says nothing of a place
    assert _place_of(geocoder, _untagged(nlp, "Gunmen fired on soldiers in Dabrayel neighbourhood, Sabrido, and fled.")) is None
    assert _place_of(geocoder, _untagged(nlp, "Gunmen fired on Dabrayel soldiers, Tahoua, and fled.")) is None


def test_a_village_the_text_puts_in_another_country_is_not_a_namesake_abroad(nlp, geocoder) -> None:
    # the only Dounkoros are in Mali and Burkina Faso; the text's other places are in Niger
    text = "Soldiers were ambushed near the village of Dounkoro on the road between Kollo and Ayorou in the Tillaberi region."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.country_code == "NE"
    # with no place of another country named, the village is taken
    assert _where(nlp, geocoder, "Gunmen burned the village of Dounkoro on Monday.")[0] == "Dounkoro"


def test_a_name_the_text_calls_a_village_or_hamlet_is_a_place(nlp, geocoder) -> None:
    # "the village X", "the Fulani hamlet X": the word before the name says what it is, even
    # where the name alone is a common word ("So") or the model reads it as a person's
    assert _where(nlp, geocoder, "Gunmen opened fire near the fields of the village So on Monday.") == ("So", "ML")
    assert _where(nlp, geocoder, "Dozo militiamen attacked the Fulani hamlet Kassaberi, killing three.") \
        == ("Kassaberi", "ML")
    # the same word alone is no place
    assert _where(nlp, geocoder, "So the gunmen left before dawn on Monday.") == (None, None)
    # nor is a name the gazetteer holds only as another name of a town: a hamlet of that name
    # is missing, not the town
    assert _where(nlp, geocoder, "Gunmen burned the hamlet Tondibo on Monday.") == (None, None)
    assert _where(nlp, geocoder, "Gunmen burned the town of Tondibo on Monday.") == ("Kasabero", "BF")
    # nor is an institution after such a word: "the city Department of Parks"
    words = load_words()
    for text, i, kind in (("the village So burned", 2, True), ("the township Board of Health met", 2, False),
                          ("the city Department of Parks said", 2, False), ("the hamlet Kassaberi Market", 2, False)):
        assert _kind_before(nlp(text), i, words) is kind, text


@pytest.mark.parametrize("text", ["Gunmen killed two herders in Wendeko, Cercle of Kobala, on Monday.",
                                  "Gunmen killed two herders at Wendeko in Kobala Cercle on Monday.",
                                  "Gunmen killed two herders at Wendeko in the Kobala cercle on Monday."])
def test_a_village_the_text_puts_in_a_district_is_its_namesake_there(nlp, geocoder, text: str) -> None:
    # the gazetteer codes no admin2 for either: the one close to the district is in it, whatever
    # admin1 the gazetteer gives it
    place = _locate(nlp, geocoder, text).place
    assert place is not None and (place.name, place.geonameid) == ("Wendeko", 9910012)


@pytest.mark.parametrize("name", ["Nianfara", "Kassaberi"])
def test_a_village_missing_from_the_district_the_text_names_is_located_at_its_seat(nlp, geocoder, name: str) -> None:
    # "Nianfara" is in no gazetteer, and the only Kassaberi lies 170 km from the district:
    # the village meant is missing, and the text puts it in the district, whose seat is the point
    loc = _locate(nlp, geocoder, f"Two herders were killed in {name}, Kobala Cercle, on Monday.")
    assert loc.place is not None and loc.place.name == "Kobala Cercle" and loc.toponym == name
    assert (loc.place.lat, loc.place.lon) == (14.45, -3.65) and loc.precision == 3
    assert loc.reason is not None and "at its seat, Kobala" in loc.reason
    assert f"{name!r} is not in the gazetteer in Kobala Cercle" in loc.reason  # it may be elsewhere


def test_a_district_named_as_the_scene_is_pointed_at_its_seat(nlp, geocoder) -> None:
    loc = _locate(nlp, geocoder, "Gunmen burned granaries in the Kobala cercle on Monday.")
    assert loc.place is not None and loc.place.name == "Kobala Cercle"
    assert (loc.place.lat, loc.place.lon) == (14.45, -3.65) and loc.reason is not None and "Kobala" in loc.reason


def test_a_name_the_text_calls_a_river_or_well_is_the_feature_never_the_country(nlp, geocoder) -> None:
    # the well, though the village of the name has people and the well none
    place = _locate(nlp, geocoder, "Herders clashed at the Tiligo well on Monday.").place
    assert place is not None and (place.name, place.feature_code) == ("Tiligo", "WLL")
    # "the Niger river" is not the Republic of Niger: with no river of the name, no place
    doc = nlp("A boat was attacked on the Niger river on Monday.")
    assert [(loc.toponym, loc.place) for loc in geocoder.geoparse(doc)] == [("Niger", None)]


def test_a_feature_the_text_puts_near_a_town_lies_near_it(nlp, geocoder) -> None:
    # "the X well near Y": the gazetteer's Kasabero, a town, lies 400 km from Ouallam, so the
    # well meant is missing; it is located at Ouallam, its name kept
    doc = nlp("Gunmen attacked herders at the Kasabero well near Ouallam on Monday.")
    first = geocoder.geoparse(doc)[0]
    assert first.toponym == "Kasabero" and first.place is not None and first.place.name == "Ouallam"


def test_two_villages_named_together_are_the_two_namesakes_close_to_each_other(nlp, geocoder) -> None:
    # neither name is sure of its reading, and the larger namesakes of each lie 600 km apart:
    # a story that names both is about the two that lie 15 km from each other
    doc = nlp("Gunmen killed three herders between Bandiro and Korissa on Monday.")
    found = {loc.toponym: loc.place.geonameid for loc in geocoder.geoparse(doc) if loc.place is not None}
    assert found == {"Bandiro": 9910018, "Korissa": 9910020}


def test_a_capitalised_run_never_ends_on_a_joiner(nlp) -> None:
    # "between Bandiro and Korissa" where the model tagged only Korissa: "Bandiro and" is no name
    from spacy.tokens import Span as SpacySpan

    from vigil.geo.toponyms import _capitalised_runs

    doc = nlp.make_doc("Gunmen killed herders between Bandiro and Korissa on Monday.")
    doc.ents = [SpacySpan(doc, 6, 7, label="PERSON")]
    assert [doc[a:b].text for a, b in _capitalised_runs(doc, 0, len(doc))] == ["Gunmen", "Bandiro", "Monday"]


@pytest.mark.parametrize("text", ["MINUSMA reported that Burkinabe peacekeepers came under fire in Sabrido on Monday.",
                                  "A MINUSMA patrol of the Burkinabe contingent was ambushed in Sabrido."])
def test_the_nationality_of_peacekeepers_is_not_the_country_of_the_story(nlp, geocoder, text: str) -> None:
    # peacekeepers serve abroad: the mission's country is the story's, not theirs
    assert _where(nlp, geocoder, text) == ("Sabrido", "ML")
    assert "BF" not in [loc.place.country_code for loc in geocoder.geoparse(nlp(text)) if loc.place is not None]


def test_a_short_name_in_running_text_is_no_code_of_a_longer_one(nlp, geocoder) -> None:
    # "KAS" is a code of Kasabero: written "Kas" it is some place the gazetteer lacks
    def where(text: str, name: str) -> str | None:
        loc = next(loc for loc in geocoder.geoparse(nlp(text)) if loc.toponym == name)
        return loc.place.name if loc.place is not None else None

    assert where("Burkinabe soldiers were attacked in Kas on Monday.", "Kas") != "Kasabero"
    assert where("Burkinabe soldiers were attacked in KAS on Monday.", "KAS") == "Kasabero"


def test_a_nationality_alone_does_not_keep_a_village_from_the_country_of_its_name(nlp, geocoder) -> None:
    # the only country is the soldier's, and Chad has no Tiemboro: as in a story that names
    # no country, the name is most likely Malian (two of its three villages)
    assert _where(nlp, geocoder, "A Chadian soldier died near Tiemboro on Monday.") == ("Tiemboro", "ML")


def test_a_story_is_read_the_same_whatever_was_read_before(nlp, geocoder) -> None:
    # locating "the Kobala cercle" at its seat looked the town up too, and once added it to the
    # gazetteer's cached answer for "Kobala Cercle": a later story's district became the town
    first, later = "Gunmen burned granaries in the Kobala cercle on Monday.", "Two herders were killed in Nianfara, Kobala Cercle."
    alone = GazetteerGeocoder(Gazetteer(geocoder.gazetteer.path), load_words(), load_actors())
    after = GazetteerGeocoder(Gazetteer(geocoder.gazetteer.path), load_words(), load_actors())
    before = list(after.gazetteer.lookup("Kobala Cercle", variants=False))
    _locate(nlp, after, first)
    assert after.gazetteer.lookup("Kobala Cercle", variants=False) == before
    assert _locate(nlp, after, later) == _locate(nlp, alone, later)


def test_a_village_put_in_a_district_seat_is_no_namesake_far_from_it(nlp, geocoder) -> None:
    # "X, Kobala": Kobala is the seat of its district, and the only Kassaberi lies 170 km away:
    # the one meant is missing, and is located at Kobala, its name kept
    loc = _locate(nlp, geocoder, "Two herders were killed in Kassaberi, Kobala, on Monday.")
    assert loc.toponym == "Kassaberi" and loc.place is not None and loc.place.name == "Kobala"
    # a village close to the seat is the one meant
    loc = _locate(nlp, geocoder, "Two herders were killed in Sabrido, Kobala, on Monday.")
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Sabrido", "ML")


@pytest.mark.parametrize("text", ["Gunmen attacked the village of Tiemboro (Kobala) on Monday.",
                                  "Gunmen attacked Tiemboro, Kobala, on Monday."])
def test_a_village_put_in_a_seat_is_its_namesake_nearest_the_seat(nlp, geocoder, text: str) -> None:
    # both Malian Tiemboros lie within 150 km of Kobala, a district's seat: the nearer one (63 km,
    # the other 78 km) is the likelier
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.geonameid == 9910009


def test_a_village_of_a_district_s_name_near_its_point_is_its_seat(nlp, geocoder) -> None:
    # nothing else in the story tells the two Sorodjis apart: the district's seat is the one meant
    loc = _locate(nlp, geocoder, "Riots broke out in Sorodji on Monday.")
    assert loc.place is not None and loc.place.geonameid == 9910023


@pytest.mark.parametrize(("text", "lat"), [
    ("Dan Na Ambassagou militiamen attacked a market in Nawoki on Monday.", 14.6),  # a Dogon militia: Mopti
    ("GATIA fighters clashed with gunmen in Nawoki on Monday.", 16.1),  # Gao, Kidal
    ("Gunmen attacked Dogon farmers in Nawoki on Monday.", 14.6),  # the Dogon live in Mopti
    ("Dozo hunters burned a granary in Nawoki on Monday.", 14.6),  # in Mali, Dozo militias hold Mopti and Segou
])
def test_a_village_is_read_in_the_base_of_the_group_or_people_named(nlp, geocoder, text: str, lat: float) -> None:
    place = _locate(nlp, geocoder, text).place
    assert place is not None and (place.name, place.lat) == ("Nawoki", lat)


def test_the_homelands_name_known_groups_and_peoples_and_real_regions(settings) -> None:
    words = load_words()
    actors = set(load_actors().data.actors)
    admin1 = {code for code in Gazetteer(ensure_gazetteer(settings.gazetteer_path)).admin if code.count(".") == 1}
    assert words.homeland("katiba-macina") == {"ML.04", "ML.05"} and words.homeland("Dogons") == {"ML.04"}
    assert words.homeland("Fulani") == frozenset()  # spread over too many regions to say
    assert len(words.homelands) > 50
    for who, codes in words.homelands.items():
        assert who.replace(" ", "-") in actors or words.people(who), who
        # the default gazetteer knows the regions (Menaka, newer than Mali's villages, aside)
        assert codes & admin1, who


def test_a_story_that_names_no_place_is_in_the_one_region_of_its_groups(nlp, geocoder) -> None:
    place = _locate(nlp, geocoder, "MUJAO fighters abducted a herder on Monday.").place  # based in Gao
    assert place is not None and (place.admin1, place.country_code, place.feature_code) == ("Gao", "ML", "ADM1")
    # a group of two regions says no more than its country
    place = _locate(nlp, geocoder, "Katiba Macina fighters abducted a herder on Monday.").place
    assert place is not None and (place.name, place.feature_code) == ("Republic of Mali", "PCLI")


def test_a_story_that_names_only_its_country_is_pointed_at_the_capital(nlp, geocoder) -> None:
    # the place stays the country, at country precision: only the point moves, from the middle
    # of Mali (the desert north of Timbuktu) to Bamako
    loc = _locate(nlp, geocoder, "Katiba Macina fighters abducted a herder on Monday.")
    assert loc.place is not None and (loc.place.name, loc.precision) == ("Republic of Mali", GeoPrecision.REGION)
    assert (loc.place.lat, loc.place.lon) == (12.65, -8.0)
    assert loc.reason is not None and "capital, Bamako" in loc.reason
    loc = _locate(nlp, geocoder, "Nigerien soldiers were wounded in an ambush on Monday.")
    assert loc.place is not None and (loc.place.name, loc.place.lat, loc.place.lon) == ("Republic of Niger", 13.51366, 2.1098)


@pytest.mark.parametrize("text", ["Two shepherds were shot dead on Tuesday in the area of Issa Mallam, officials said.",
                                  "Soldiers raided a hideout near Tin Moussa on Sunday, the army said."])
def test_a_camp_or_wadi_the_model_reads_as_a_person_is_a_place_after_in_or_near(nlp, geocoder, text: str) -> None:
    # the model labels both names PERSON; the gazetteer holds a camp and a wadi of the names,
    # the wadi as GeoNames writes Tamasheq names ("Ti-n-Moussa" for "Tin Moussa")
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.name in ("Issa Mallam", "Ti-n-Moussa"), loc
    assert loc.place.country_code == "ML" and loc.precision is not GeoPrecision.REGION


@pytest.mark.parametrize("text", ["Hunters burned the village of Sekoro Dogon on Friday.",
                                  "On Monday, militiamen surrounded the village Sekoro-Peulh and killed ten villagers."])
def test_one_of_twin_villages_named_for_their_peoples_is_the_village_of_the_name(nlp, geocoder, text: str) -> None:
    # the gazetteer holds only "Sekoro"; the model reads "Sekoro Dogon" as a person's name
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Sekoro", "ML"), loc
    assert loc.toponym in ("Sekoro Dogon", "Sekoro-Peulh")


def test_a_small_town_abroad_is_not_a_village_of_a_country_imported_in_detail(nlp, geocoder) -> None:
    # Mali's villages are all in the gazetteer: a Kolimba missing there is likelier than the
    # Russian town of 3,000, and is located in Mali, the toponym kept
    loc = _locate(nlp, geocoder, "Three herders died when raiders struck the village of Kolimba in Mali on Monday.")
    assert loc.place is not None and loc.place.country_code == "ML" and loc.toponym == "Kolimba"
    # with no country of the kind named, the town stands
    assert _where(nlp, geocoder, "Protesters marched through Kolimba and Moscow on Monday.")[1] == "RU"


def test_a_district_the_model_tags_as_an_organisation_is_the_district(nlp, geocoder) -> None:
    # spaCy tags "the Cercle of Sirakoro" as an ORG; it is the district, not a place inside an
    # organisation's name (where an event is not placed while the text names another place)
    text = "Militiamen raided the village of Tamboura in the Cercle of Sirakoro, officials said."
    assert any(e.label_ == "ORG" and e.text.endswith("Cercle of Sirakoro") for e in nlp(text).ents)
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and (loc.place.name, loc.toponym) == ("Sirakoro Cercle", "Tamboura"), loc
    assert (loc.place.lat, loc.place.lon) == (13.45, -6.45)  # at its seat


def test_a_well_heard_otherwise_is_a_place_after_in(nlp, geocoder) -> None:
    # GeoNames holds the place of the army camp as a well, "Tidarikent"; the text drops a vowel
    # and the model reads the name as an organisation's
    loc = _locate(nlp, geocoder, "Soldiers fought each other inside the army camp in Tidarkent, and one was killed.")
    assert loc.place is not None and (loc.place.name, loc.toponym) == ("Tidarikent", "Tidarkent"), loc


def test_a_region_carved_out_of_an_older_one_holds_the_places_coded_in_the_older(nlp, geocoder) -> None:
    # "Ikadawen" is the well GeoNames writes "Ikadewen", coded in region 09; the text puts it in
    # the newer region Tinaka, which GeoNames gives no place of its own
    text = "Gunmen killed two herders at Ikadawen in the Tinaka region on Monday."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and (loc.place.name, loc.toponym) == ("Ikadewen", "Ikadawen"), loc
    (region,) = [c for c in geocoder.gazetteer.lookup("Tinaka") if c.place.feature_code == "ADM1"]
    assert (region.a1_code, region.place.admin1) == ("ML.09", "Tinaka")  # compared as 09, named as itself
    # a region with a seat or a district of its own keeps its code
    assert geocoder.gazetteer._carved_from("NE.09", 13.5, 1.5) is None


def test_a_french_silent_e_does_not_make_another_name(nlp, geocoder) -> None:
    # the text names no country: a spelling variant is kept only when it is the same name
    # in another transliteration, and "Inkadorane" is "I-n-Kadoran" with a silent "e"
    assert _where(nlp, geocoder, "Gunmen raided a market in Inkadorane on Monday, and two died.") == ("I-n-Kadoran", "ML")


def test_a_village_where_the_story_s_groups_are_based_beats_a_capital_of_its_nickname(nlp, geocoder) -> None:
    # Dan Na Ambassagou is based in Mopti: the village there, not Ouagadougou, called so too
    text = "Dan Na Ambassagou militiamen threatened voters in Wagadugu on Sunday."
    assert _where(nlp, geocoder, text) == ("Wagadugu", "ML")
    # with nothing local, the capital stands
    assert _where(nlp, geocoder, "Delegates met in Wagadugu on Sunday.") == ("Ouagadougou", "BF")


def test_a_village_the_text_puts_near_a_town_lies_within_50_km_of_it(nlp, geocoder) -> None:
    # the only Bossoka lies 75 km from Tassiwa: not the hamlet "near Tassiwa", which is missing
    loc = _locate(nlp, geocoder, "Dogon militiamen burned the hamlet of Bossoka, near Tassiwa, on Monday.")
    assert loc.place is not None and (loc.toponym, loc.place.name, loc.precision) == ("Bossoka", "Tassiwa", GeoPrecision.NEAR)
    # a stated distance widens the reach ("40 km from": 85 km)
    loc = _locate(nlp, geocoder, "Dogon militiamen burned the hamlet of Bossoka, 40 km from Tassiwa, on Monday.")
    assert loc.place is not None and loc.place.name == "Bossoka"
    # and between towns "near" is looser: Kasabero, a town of 20,000, 85 km from Sondoré
    loc = _locate(nlp, geocoder, "Gunmen attacked a bus in Kasabero, near Sondoré, on Monday.")
    assert loc.place is not None and loc.place.name == "Kasabero"


@pytest.mark.parametrize("text", ["Four people died in an attack by presumed rebels on Kassaberi.",
                                  "Two soldiers died in the raid on Kassaberi."])
def test_the_place_an_attack_was_on_is_a_place(nlp, geocoder, text: str) -> None:
    # the model reads "Kassaberi" as an organisation; "an attack ... on" it makes it the place
    assert _where(nlp, geocoder, text) == ("Kassaberi", "ML")


def test_compass_words_before_a_town_name_a_part_of_the_town(nlp, geocoder) -> None:
    # the model cuts "North-East" from "Kobala": the compass words alone are no place
    loc = _locate(nlp, geocoder, "Three loud blasts shook North-East Kobala's outskirts.")
    assert loc.place is not None and (loc.place.name, loc.toponym) == ("Kobala", "Kobala"), loc


def test_a_village_between_two_towns_lies_near_the_first(nlp, geocoder) -> None:
    # the only Dounkoros are in Mali and Burkina Faso, far from the two towns of Niger
    loc = _locate(nlp, geocoder, "Gunmen attacked the village of Dounkoro between Ayorou and Tillabéri on Monday.")
    assert loc.place is not None and (loc.toponym, loc.place.name, loc.precision) == ("Dounkoro", "Ayorou", GeoPrecision.NEAR)


def test_a_district_of_a_town_is_the_scene_not_the_town(nlp, geocoder) -> None:
    loc = _locate(nlp, geocoder, "Gunmen killed a herder in the Yelekoro district of Tassiwa on Monday.")
    assert loc.place is not None and (loc.toponym, loc.place.name) == ("Yelekoro", "Yelekoro")
    # a list names each place for itself: the town is still more precise than the district
    loc = _locate(nlp, geocoder, "Gunmen killed a herder in the Yelekoro district and in Tassiwa on Monday.")
    assert loc.place is not None and loc.place.name == "Tassiwa"


def test_a_small_town_abroad_is_no_reading_in_a_story_placed_in_a_region(nlp, geocoder) -> None:
    # the only settlement called Tiligo is a town of 2,000 people in Burkina Faso
    text = "Gunmen attacked a market in Tiligo on Monday, the governor of the Tillaberi region said."
    loc = _locate(nlp, geocoder, text)
    assert loc.place is not None and loc.place.country_code == "NE" and loc.toponym == "Tiligo"
    # a story that names no region of its country keeps the town
    loc = _locate(nlp, geocoder, "Gunmen attacked a market in Tiligo on Monday, a Nigerien official said.")
    assert loc.place is not None and (loc.place.name, loc.place.country_code) == ("Tiligo", "BF")


@pytest.mark.parametrize("text", [
    "Gunmen attacked a market in Tiemboro near the border with Burkina Faso on Monday.",
    "Gunmen attacked a market in Tiemboro near the Burkina Faso border on Monday.",
])
def test_the_country_across_a_border_is_not_the_country_of_the_story(nlp, geocoder, text: str) -> None:
    # Tiemboro: twice in Mali, once in Burkina Faso; the text names no other country
    assert _where(nlp, geocoder, text) == ("Tiemboro", "ML")


def test_two_countries_of_a_border_both_stay_in_the_story() -> None:
    text = "Troops patrolled the Mali-Niger border and the border with Chad; Nigerien border guards helped."
    spans = {name: text.index(name) for name in ("Mali", "Niger", "Chad", "Nigerien")}
    words = load_words()
    across = {name: across_border(text, Toponym(Span(at, at + len(name), name)), words) for name, at in spans.items()}
    # a nationality before "border guards" is theirs, not the other side's
    assert across == {"Mali": False, "Niger": False, "Chad": True, "Nigerien": False}



def test_a_group_s_country_counts_when_the_only_country_named_is_across_a_border(nlp, geocoder) -> None:
    # Sabrido: one in Mali, one in Burkina Faso; GATIA fights in Mali
    text = "GATIA fighters attacked a market in Sabrido near the border with Burkina Faso on Monday."
    assert _where(nlp, geocoder, text) == ("Sabrido", "ML")


@pytest.mark.parametrize("text", [
    "Malian troops searched Tassiwa on Monday and detained ten men.",
    "Tassiwa's old quarter was shelled overnight and two Malian soldiers were hurt.",
    "By nightfall Tassiwa was in rebel hands, Malian officials said.",
])
def test_a_seat_of_the_story_s_country_is_a_place_where_the_model_reads_a_person(nlp, geocoder, text: str) -> None:
    # the model calls "Tassiwa" (a region's seat in Mali) a person in each of these
    assert {e.text: e.label_ for e in nlp(text).ents}.get("Tassiwa") == "PERSON"
    assert _where(nlp, geocoder, text) == ("Tassiwa", "ML")


def test_a_person_s_name_stays_a_person_though_a_seat_of_the_country_bears_it(nlp, geocoder) -> None:
    # named in full once, "Tassiwa" alone is that person after it
    text = "Malian police questioned Amadou Tassiwa on Monday. Later, Tassiwa told reporters he was innocent."
    assert [e.label_ for e in nlp(text).ents if e.text == "Tassiwa"] == ["PERSON"]
    assert [t.span.text for t in geocoder.geoparse(nlp(text)) if t.span is not None] == ["Malian"]


def test_a_site_before_a_town_in_brackets_is_the_scene(nlp, geocoder) -> None:
    loc = _locate(nlp, geocoder, "GATIA fighters dumped a body in the area of Egharo (Tassiwa), Mopti Region, on Monday.")
    assert loc.place is not None and (loc.toponym, loc.place.name) == ("Egharo", "Egharo")
    # a district before its town in brackets: the town is the more precise
    loc = _locate(nlp, geocoder, "Malian soldiers killed a herder in Yelekoro (Tassiwa) on Monday.")
    assert loc.place is not None and loc.place.name == "Tassiwa"
