"""World regions, oceans and seas (data/geo_regions.tsv), and a country's own name read as the
country rather than a town named after it. Real spaCy model, real importer and gazetteer code;
the regions are written with the rows the default build writes (default.region_rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_geo_resolve import Row, _own_gazetteer
from vigil.errors import ResourceError
from vigil.geo import Gazetteer, GazetteerGeocoder
from vigil.geo.default import load_regions, region_rows
from vigil.geo.importer import Writer, import_file
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Location, Span

# real places (GeoNames ids and rounded coordinates) that share their name with a country or a sea
US_TOWNS: list[Row] = [
    (4846834, "Atlantic", 41.40, -95.01, "P", "PPL", "US", "IA", 6800),
    (4852832, "Des Moines", 41.60, -93.61, "P", "PPLA", "US", "IA", 214000),
    (5074472, "Omaha", 41.26, -95.94, "P", "PPL", "US", "NE", 486000),
    (4680774, "China", 30.05, -94.34, "P", "PPL", "US", "TX", 1100),
    (4684888, "Dallas", 32.78, -96.81, "P", "PPL", "US", "TX", 1300000),
    (5525577, "Lubbock", 33.58, -101.86, "P", "PPL", "US", "TX", 258000),
    (4691930, "Fort Worth", 32.73, -97.32, "P", "PPL", "US", "TX", 918000),
    (4736286, "Texas", 31.25, -99.25, "A", "ADM1", "US", "TX", 29_000_000),
    (4862182, "Iowa", 42.0, -93.5, "A", "ADM1", "US", "IA", 3_200_000),
    (1814991, "China", 35.0, 105.0, "A", "PCLI", "CN", "00", 1_411_000_000),
    (2455290, "Kidal", 18.44, 1.41, "P", "PPLA", "ML", "08", 25600),
    (51537, "Somalia", 6.0, 48.0, "A", "PCLI", "SO", "00", 15_000_000),
    (614540, "Georgia", 42.0, 43.5, "A", "PCLI", "GE", "00", 3_700_000),
    (4197000, "Georgia", 32.75, -83.5, "A", "ADM1", "US", "GA", 10_700_000),
    (4180439, "Atlanta", 33.75, -84.39, "P", "PPLA", "US", "GA", 499000),
]


def _with_regions(tmp_path: Path, rows: list[Row]) -> GazetteerGeocoder:
    """A gazetteer of ``rows`` plus the shipped world regions, as the default build adds them."""
    _own_gazetteer(tmp_path, rows).close()
    writer = Writer(tmp_path / "gaz.sqlite")
    with writer.transaction():
        writer.add_places(*region_rows(load_regions()))
    writer.close()
    return GazetteerGeocoder(Gazetteer(tmp_path / "gaz.sqlite"), load_words())


@pytest.fixture(scope="module")
def geocoder(tmp_path_factory: pytest.TempPathFactory) -> GazetteerGeocoder:
    return _with_regions(tmp_path_factory.mktemp("regions"), US_TOWNS)


def _places(nlp, geocoder: GazetteerGeocoder, text: str) -> dict[str, Location]:
    return {loc.span.text: loc for loc in geocoder.geoparse(nlp(text)) if loc.span is not None}


def test_the_shipped_regions_load_and_are_checked(tmp_path: Path) -> None:
    regions = {name: (gid, code, aliases) for gid, name, _, code, _, _, aliases, _, _ in load_regions()}
    assert regions["Atlantic Ocean"][1] == "OCN" and "Atlantic" in regions["Atlantic Ocean"][2]
    assert regions["Sahel"][1] == "RGN" and regions["Red Sea"][1] == "SEA"
    assert all(gid < -1_000_000 for gid, _, _ in regions.values())
    bad = tmp_path / "regions.tsv"
    for row, message in (("-1000001\tNowhere Sea\tH\tSEA\t95.0\t10.0\t", "coordinate out of range"),
                         ("-5\tNowhere Sea\tH\tSEA\t5.0\t10.0\t", "id -5 must be unique and below"),
                         ("-1000001\tNowhere\tL\tRGN\t5.0\t10.0\t\tSudan\t100",
                          "country 'Sudan' is not a two-letter ISO code"),
                         ("-1000001\tNowhere\tL\tRGN\t5.0\t10.0\t\tSD", "expected id")):
        bad.write_text(f"# regions\n{row}\n", encoding="utf-8")
        with pytest.raises(ResourceError, match=rf"regions.tsv:2: {message}"):
            load_regions(bad)
    # a region of one country carries it; a world region none
    by_name = {r[1]: r for r in load_regions()}
    assert by_name["Darfur"][7] == "SD" and by_name["Darfur"][8] > 0 and by_name["Sahel"][7] is None


def test_the_atlantic_is_the_ocean_not_the_iowa_town(nlp, geocoder) -> None:
    text = ("Grain shipped from Omaha was lost when the freighter sank in the Atlantic, "
            "a trading firm in Des Moines said on Friday.")
    place = _places(nlp, geocoder, text)["Atlantic"].place
    assert place is not None and place.name == "Atlantic Ocean" and place.country_code is None


def test_a_story_local_to_the_town_keeps_the_town(nlp, geocoder) -> None:
    # the story names a town 80 km away and the town's state: it is about Atlantic, Iowa
    text = "The school board in Atlantic voted on Monday to merge two districts, an Iowa education official said."
    place = _places(nlp, geocoder, text)["Atlantic"].place
    assert place is not None and place.country_code == "US"


def test_a_country_beats_a_us_town_of_its_name(nlp, geocoder) -> None:
    text = ("Cotton growers around Lubbock and Dallas said the tariffs that China imposed last month "
            "have cut their sales, and a Fort Worth exporter said orders from China had stopped.")
    found = _places(nlp, geocoder, text)
    assert found["China"].place is not None and found["China"].place.country_code == "CN"
    assert found["Dallas"].place is not None and found["Dallas"].place.country_code == "US"


def test_a_state_named_like_a_country_stays_the_state(nlp, geocoder) -> None:
    # only settlements lose to the country: an admin1 area keeps what the context says
    text = "Storms flooded roads in Atlanta, and officials across Georgia closed schools on Monday."
    place = _places(nlp, geocoder, text)["Georgia"].place
    assert place is not None and place.country_code == "US" and place.feature_code == "ADM1"


def test_a_town_in_a_container_or_called_a_town_stays_the_town(nlp, geocoder) -> None:
    text = "A tornado tore the roof off a church in China, Texas, late on Tuesday."
    place = _places(nlp, geocoder, text)["China"].place
    assert place is not None and place.country_code == "US" and place.feature_class == "P"
    text = "Cotton growers near Lubbock said a tornado hit the town of China on Tuesday."
    place = _places(nlp, geocoder, text)["China"].place
    assert place is not None and place.country_code == "US"


def test_a_town_in_the_evidence_beats_a_region(nlp, geocoder) -> None:
    text = "Jihadist violence is spreading across the Sahel: gunmen attacked an army post in Kidal on Sunday."
    found = _places(nlp, geocoder, text)
    assert found["Sahel"].place is not None and found["Sahel"].place.feature_code == "RGN"
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Kidal" and loc.precision == GeoPrecision.PLACE
    # a town put in a region of no one country is kept, not rejected as a foreign namesake
    text = "Gunmen attacked a market in Kidal, Sahel, on Sunday."
    place = _places(nlp, geocoder, text)["Kidal"].place
    assert place is not None and place.country_code == "ML"


def test_an_event_at_sea_off_a_country_is_located_in_the_country(nlp, geocoder) -> None:
    # a sea is larger than a country (specificity 5): the country named with it gives the event
    # a country, where the sea has none
    text = "Pirates in a skiff fired on a cargo ship in the Gulf of Aden, off Somalia, on Monday."
    found = _places(nlp, geocoder, text)
    assert found["Gulf of Aden"].place is not None and found["Gulf of Aden"].place.feature_code == "GULF"
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.country_code == "SO" and loc.precision == GeoPrecision.REGION


def test_the_county_a_story_names_picks_the_namesake_in_it(nlp, tmp_path: Path) -> None:
    # made-up ids: two US towns called Lebanon in different counties, and the country; the story
    # names the county of the smaller one (known only as a county name: no place row, no point
    # to be near), so it is that town, not the country nor the larger one
    (tmp_path / "admin2Codes.txt").write_text(
        "US.TN.189\tWilson County\tWilson County\t9940011\nUS.IN.011\tBoone County\tBoone County\t9940012\n",
        encoding="utf-8")
    lines = [f"{gid}\t{name}\t{name}\t\t{lat}\t{lon}\t{fc}\t{code}\t{cc}\t\t{a1}\t{a2}\t\t\t{pop}\t\t\tUTC\t2024-01-01"
             for gid, name, lat, lon, fc, code, cc, a1, a2, pop in [
                 (9940001, "Lebanon", 33.9, 35.9, "A", "PCLI", "LB", "00", "", 6_800_000),
                 (9940002, "Lebanon", 36.21, -86.29, "P", "PPL", "US", "TN", "189", 40000),
                 (9940003, "Lebanon", 40.05, -86.47, "P", "PPL", "US", "IN", "011", 16000),
             ]]
    (tmp_path / "places.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    writer = Writer(tmp_path / "gaz.sqlite")
    for name in ("admin2Codes.txt", "places.txt"):
        import_file(writer, tmp_path / name)
    writer.close()
    geocoder = GazetteerGeocoder(Gazetteer(tmp_path / "gaz.sqlite"), load_words())
    text = ("Lebanon police arrested a man after a traffic stop on Thursday; he was held overnight "
            "in the Boone County jail, the sheriff said.")
    place = _places(nlp, geocoder, text)["Lebanon"].place
    assert place is not None and place.admin2 == "Boone County"


def test_a_demonym_of_an_admin_area_or_a_region(nlp, tmp_path: Path) -> None:
    rows: list[Row] = [
        (4140963, "Washington", 38.90, -77.04, "P", "PPLC", "US", "DC", 690_000),
        (2634715, "Washington", 54.90, -1.52, "P", "PPL", "GB", "ENG", 53_500),
        (6269131, "England", 52.16, -0.70, "A", "ADM1", "GB", "ENG", 53_000_000),
        (2635167, "United Kingdom", 54.76, -2.70, "A", "PCLI", "GB", "00", 66_000_000),
        (95446, "Erbil", 36.19, 44.01, "P", "PPLA", "IQ", "11", 930_000),
        (99237, "Iraq", 33.0, 44.0, "A", "PCLI", "IQ", "00", 38_000_000),
        (6252001, "United States", 39.76, -98.5, "A", "PCLI", "US", "00", 330_000_000),
    ]
    geocoder = _with_regions(tmp_path, rows)
    found = _places(nlp, geocoder, "English diplomats met United States officials in Washington on Monday, while Kurdish "
                                   "fighters regrouped near Erbil.")
    # "English" is of England, not of the whole United Kingdom; "Kurdish" of a land four
    # countries share, not of Iraq alone
    english, kurdish = found["English"].place, found["Kurdish"].place
    assert english is not None and (english.name, english.feature_code) == ("England", "ADM1")
    assert kurdish is not None and (kurdish.name, kurdish.country_code) == ("Kurdistan", None)
    # a demonym names no region of the story: the capital stays the capital, not the town in
    # England that a named region of England would have favoured
    washington = found["Washington"].place
    assert washington is not None and washington.country_code == "US"
    assert load_words().demonym("Scottish") == "GB.SCT"


def test_a_conflict_region_of_one_country_is_that_country_s_region(nlp, tmp_path: Path) -> None:
    # neither source package holds Darfur or the Sinai; GeoNames has a Mexican hamlet "Sinai"
    # (made-up ids and rounded points for the hamlet and the country here)
    geocoder = _with_regions(tmp_path, [
        (9880001, "Sinai", 19.3, -99.6, "P", "PPL", "MX", "15", 817),
        (9880002, "Republic of the Sudan|Sudan", 16.0, 30.0, "A", "PCLI", "SD", "00", 43_000_000),
    ])
    places = _places(nlp, geocoder, "Militants attacked a checkpoint in the Sinai on Friday, killing five soldiers.")
    sinai = places["Sinai"].place
    assert sinai is not None and sinai.name == "Sinai Peninsula" and sinai.country_code == "EG"
    text = "Government forces and a militia clashed in Darfur on Monday."
    loc = geocoder.locate(nlp(text), Span(0, len(text), text))
    assert loc.place is not None and loc.place.name == "Darfur" and loc.place.country_code == "SD"
    assert loc.precision == GeoPrecision.REGION
