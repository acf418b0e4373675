"""The gazetteer index: folding, GeoNames imports (plain, zipped, broken), download, CLI."""

from __future__ import annotations

import functools
import http.server
import re
import sqlite3
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli import app
from vigil.errors import InputError, ResourceError
from vigil.geo import Gazetteer, names
from vigil.geo.download import download, file_name
from vigil.geo.gazetteer import connect, has_skeletons
from vigil.geo.importer import Writer, import_file
from vigil.geo.names import fold, skeleton, sounds_alike, variant_key

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geo"
ALL = ("countryInfo.txt", "admin1CodesASCII.txt", "admin2Codes.txt", "NE.txt")


def build(path: Path, files: tuple[str, ...] = ALL) -> Path:
    writer = Writer(path)
    try:
        for name in files:
            import_file(writer, FIXTURES / name)
    finally:
        writer.close()
    return path


@pytest.fixture()
def gaz_path(tmp_path: Path) -> Path:
    return build(tmp_path / "gaz.sqlite")


def _earlier_layout(path: Path, default: Path | None = None) -> Path:
    """``path`` (or a copy of ``default`` written there) in the layout before skeletons: no skey column."""
    if default is not None:
        path.write_bytes(default.read_bytes())
    con = sqlite3.connect(path)
    with con:
        con.execute("DROP INDEX names_skey")
        con.execute("ALTER TABLE names DROP COLUMN skey")
    con.close()
    return path


def test_folding_meets_accents_case_punctuation_and_initialisms() -> None:
    assert fold("Téguèy") == fold("TEGUEY") == "teguey"
    assert fold("N'Djamena") == fold("NDjamena")
    assert fold("U.S.") == fold("US") == "us"
    assert fold("Dar-es-Salaam") == "dar es salaam"


def _fold_whole_name(name: str) -> str:
    """The folding written the slow, obvious way: decompose the whole name, drop the marks."""
    special = {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
               "đ": "d", "Đ": "d", "ı": "i", "'": "", "’": ""}
    text = unicodedata.normalize("NFKD", "".join(special.get(ch, ch) for ch in name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@pytest.mark.parametrize("name", ["Đà Nẵng", "Łódź", "İstanbul", "Straße", "Ærøskøbing", "Ouagadougou",
                                  "São Tomé", "Ｔｏｋｙｏ", "ﬁnca", "Côte d’Ivoire", "Kyiv / Київ", "Ñuñoa-2",
                                  "Ağrı", "Œuf  Œuvre", "N'Djaména"])
def test_folding_one_character_at_a_time_equals_folding_the_whole_name(name: str) -> None:
    assert fold(name) == _fold_whole_name(name)


def test_variant_key_meets_transliterations_but_not_other_names() -> None:
    assert variant_key(fold("Tégué")) == variant_key(fold("Teguey"))
    assert variant_key(fold("Tillabéry")) == variant_key(fold("Tillaberi"))
    assert variant_key(fold("Ouallam")) == variant_key(fold("Oualam")) == variant_key(fold("Ualam"))
    assert variant_key(fold("Niamey")) != variant_key(fold("Agadez"))


def test_import_attaches_admin_names_and_finds_alternate_spellings(gaz_path: Path) -> None:
    gaz = Gazetteer(gaz_path)
    (hit,) = gaz.lookup("Tégué")
    assert hit.place.geonameid == 2438915 and hit.place.name == "Téguèy"
    assert hit.place.admin1 == "Tillabéri" and hit.place.country == "Niger"
    assert not hit.variant
    town = next(c for c in gaz.lookup("Tillaberi") if c.place.feature_code == "PPLA")
    assert town.place.admin2 == "Tillaberi Department"
    # most populous first
    assert [c.place.geonameid for c in gaz.lookup("Kollo")] == [2442248, 2442252]


def test_variant_lookup_only_when_the_exact_name_is_absent(gaz_path: Path) -> None:
    gaz = Gazetteer(gaz_path)
    hits = gaz.lookup("Tillabery")  # an alternate name: exact
    assert hits and not any(h.variant for h in hits)
    hits = gaz.lookup("Filinguey")  # not listed: met by the variant key only
    assert [h.place.geonameid for h in hits] == [2444995] and hits[0].variant
    assert gaz.lookup("Filinguey", variants=False) == []


@pytest.mark.parametrize(("written", "name", "alike"), [
    ("Bakoradine", "Bokoradine", True),  # a vowel heard otherwise
    ("Sindarkou", "Sinedarkou", True),  # one added
    ("Gorbenaki", "Gorebinaki", True),  # two: one added, one changed
    ("Tinkoussane", "Tenkousane", True),  # a doubled letter is one transliteration, a vowel another
    ("Koradiman", "Koradimane", True),  # a French silent "e" is no other final vowel
    ("Kassabera", "Kassaberi", False),  # another final vowel: often another word
    ("Sorba", "Sourba", False),  # too short to tell
    ("Aberkoum", "Oberkoum", False),  # another first letter
    ("Bolokanite", "Bilikonate", False),  # the same consonants, four vowels apart
    ("Tilemsin", "Tilemsot", False),  # other consonants
])
def test_sounds_alike_allows_a_few_vowels_and_nothing_else(written: str, name: str, alike: bool) -> None:
    assert sounds_alike(fold(written), fold(name)) is alike
    if alike:
        assert skeleton(fold(written)) == skeleton(fold(name))


@pytest.mark.parametrize(("written", "name", "near"), [
    ("Tadoumarat", "Tadoumarast", True),  # a consonant less in a long name
    ("Tadoumarast", "Tadoumarat", True),  # or more
    ("Tadoumarat", "Tidoumarast", True),  # and a vowel otherwise
    ("Tadoumarat", "Tadoumaraste", True),  # a French silent "e" is no other final letter
    ("Tadoumarat", "Tidoumorast", False),  # three edits
    ("Kabourat", "Kabourast", False),  # too short to tell
    ("Tadoumarat", "Tadoumarat", False),  # the same consonants: sounds_alike's case
    ("Tadoumarat", "Tadoukmarast", False),  # two consonants more
])
def test_sounds_near_allows_one_consonant_in_a_long_name(written: str, name: str, near: bool) -> None:
    assert names.sounds_near(fold(written), fold(name)) is near
    if near:
        assert skeleton(fold(name)) in names.near_skeletons(fold(written))


@pytest.mark.parametrize(("written", "others"), [
    ("N'Tabourit", ["intabourit"]),  # Tamasheq "In-", as GeoNames writes it ("I-n-Tabourit")
    ("Tinzawarek", ["tinzaouarek"]),  # English "w", French "ou"
    ("Kacourou", ["kakourou"]),  # "c" before a back vowel is a "k"
    ("Gathibo", ["gatibo"]),
    ("Ekarbane", ["akarbane", "ikarbane", "okarbane", "ukarbane"]),  # a first vowel as heard
    ("Nabiro", []), ("Kidira", []),  # none of these conventions applies
])
def test_respellings_bring_english_spellings_to_geonames_conventions(written: str, others: list[str]) -> None:
    assert names.respellings(fold(written)) == others


@pytest.mark.parametrize(("written", "others"), [
    ("Tin Moussa", ["ti n moussa"]), ("Tin-Moussa", ["ti n moussa"]),
    ("Ti-n-Moussa", ["tin moussa"]),  # and back ("I-n-Tadert" folds to "in tadert" already)
    ("St. Louis", ["saint louis"]), ("Saint Louis", ["st louis"]),  # abbreviations either way
    ("Tin", []), ("Tintam", []), ("In Tadert", []), ("Kidira", []),
])
def test_spellings_meet_tamasheq_tin_and_in_as_geonames_writes_them(written: str, others: list[str]) -> None:
    assert names.spellings(fold(written)) == others


def test_a_name_heard_otherwise_is_found_in_the_followed_countries_only(gaz_path: Path, tmp_path: Path) -> None:
    # NE.txt was imported whole: Niger is followed, and "Falingue" is its "Filingué" with
    # another first vowel (the variant keys "faling" and "filing" do not meet)
    gaz = Gazetteer(gaz_path)
    assert gaz.focus == {"NE"}
    (hit,) = gaz.lookup("Falingué")
    assert hit.place.geonameid == 2444995 and hit.variant and hit.sound
    assert gaz.lookup("Falingué", variants=False) == []
    assert not any(c.sound for c in gaz.lookup("Filingué"))  # the name itself: no sound match
    # the same rows from a file that is no country file: nothing is followed, nothing is heard
    (tmp_path / "cities500.txt").write_text((FIXTURES / "NE.txt").read_text(encoding="utf-8"), encoding="utf-8")
    writer = Writer(tmp_path / "cities.sqlite")
    try:
        import_file(writer, tmp_path / "cities500.txt")
    finally:
        writer.close()
    other = Gazetteer(tmp_path / "cities.sqlite")
    assert other.focus == frozenset() and other.lookup("Falingué") == []
    assert [c.place.geonameid for c in other.lookup("Filingué")] == [2444995]


def test_a_gazetteer_of_the_earlier_layout_gets_its_skeletons(gaz_path: Path, tmp_path: Path) -> None:
    fresh = sqlite3.connect(gaz_path)
    expected = sorted(fresh.execute("SELECT key, skey, place FROM names"))
    fresh.close()
    _earlier_layout(gaz_path)
    assert Gazetteer(gaz_path).lookup("Falingué") == []  # read as it is: no sound matches
    connect(gaz_path, write=True).close()  # any write connection adds them
    con = sqlite3.connect(gaz_path)
    assert sorted(con.execute("SELECT key, skey, place FROM names")) == expected
    assert con.execute("SELECT 1 FROM sqlite_master WHERE name = 'names_skey'").fetchone()
    con.close()
    assert [c.place.geonameid for c in Gazetteer(gaz_path).lookup("Falingué")] == [2444995]


def test_the_lookup_cache_is_bounded_in_candidates_and_answers_the_same(gaz_path: Path) -> None:
    roomy, tight = Gazetteer(gaz_path), Gazetteer(gaz_path, cache_candidates=3)
    names = ["Kollo", "Tillaberi", "Teguey", "Ayorou", "Filinguey", "Tillabery", "Kollo", "Niamey", "Teguey"]
    for name in names * 2:
        assert tight.lookup(name) == roomy.lookup(name)
        held, candidates = tight.cache_stats()
        assert candidates <= 3 or held == 1  # one name with more namesakes than the bound is kept
    assert roomy.cache_stats()[1] > 3  # the bound, not a lack of candidates, kept the tight one small


def test_reimport_replaces_rows_instead_of_doubling_them(gaz_path: Path) -> None:
    before = Gazetteer(gaz_path).counts()
    build(gaz_path, ("NE.txt",))
    gaz = Gazetteer(gaz_path)
    assert gaz.counts()["places"] == before["places"] == 30
    assert gaz.counts()["names"] == before["names"]
    assert len(gaz.lookup("Teguey")) == 1


def test_a_file_that_knows_no_population_keeps_the_one_known(gaz_path: Path, tmp_path: Path) -> None:
    # GeoNames writes 0 for "not known": a country file that does so for a town whose cities
    # file gave its population must not turn the town into a hamlet
    row = next(line for line in (FIXTURES / "NE.txt").read_text(encoding="utf-8").splitlines()
               if line.startswith("2442248\t")).split("\t")
    assert int(row[14]) > 0

    def reimport(pop: int) -> int:
        row[14] = str(pop)
        path = tmp_path / "NE.txt"
        path.write_text("\t".join(row) + "\n", encoding="utf-8")
        writer = Writer(gaz_path)
        try:
            import_file(writer, path)
        finally:
            writer.close()
        (town,) = [c for c in Gazetteer(gaz_path).lookup("Kollo") if c.place.geonameid == 2442248]
        return town.place.population

    known = int(row[14])
    assert reimport(0) == known
    assert reimport(known + 500) == known + 500  # a population the file knows replaces the old one


def test_admin_codes_imported_after_the_places_still_name_them(tmp_path: Path) -> None:
    path = build(tmp_path / "g.sqlite", ("NE.txt", "admin1CodesASCII.txt"))
    (hit,) = Gazetteer(path).lookup("Ayorou")
    assert hit.place.admin1 == "Tillabéri"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("123\tToo few\tcolumns\n", "expected 19 tab-separated columns, found 3"),
        ("\t".join(["99", "Nowhere", "Nowhere", "", "95.5", "2.0", "P", "PPL", "NE"] + [""] * 10) + "\n",
         "latitude 95.5 is out of range"),
        ("\t".join(["98", "Nowhere", "Nowhere", "", "13.1", "east", "P", "PPL", "NE"] + [""] * 10) + "\n",
         "longitude 'east' is not a number"),
    ],
)
def test_a_bad_row_names_file_and_line_and_leaves_nothing(tmp_path: Path, line: str, problem: str) -> None:
    path = build(tmp_path / "g.sqlite", ("countryInfo.txt",))
    bad = tmp_path / "XX.txt"
    good = (FIXTURES / "NE.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    bad.write_text("".join(good[:5]) + line + "".join(good[5:]), encoding="utf-8")
    writer = Writer(path)
    with pytest.raises(InputError) as info:
        import_file(writer, bad)
    writer.close()
    assert info.value.where == f"{bad}:6"
    assert problem in info.value.problem
    gaz = Gazetteer(path)
    assert gaz.counts()["places"] == 0  # the five good rows before it were rolled back
    assert [s[0] for s in gaz.sources()] == ["countryInfo.txt"]


def _dump(path: Path) -> tuple[list[tuple], list[tuple], list[str]]:
    con = sqlite3.connect(path)
    try:
        places = con.execute("SELECT * FROM places ORDER BY id").fetchall()
        names = con.execute("SELECT key, vkey, place FROM names ORDER BY place, key").fetchall()
        indexes = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")]
    finally:
        con.close()
    return places, names, indexes


def test_bulk_load_gives_the_same_index_as_row_by_row(tmp_path: Path) -> None:
    """Big files drop the lookup indexes and build them at the end; the result must not differ."""
    row_by_row = build(tmp_path / "a.sqlite")
    bulk = build(tmp_path / "b.sqlite", ALL[:3])
    writer = Writer(bulk)
    import_file(writer, FIXTURES / "NE.txt", bulk_bytes=0)
    writer.close()
    assert _dump(bulk) == _dump(row_by_row)
    assert {"names_key", "names_vkey"} <= set(_dump(bulk)[2])
    (hit,) = Gazetteer(bulk).lookup("Tégué")
    assert hit.place.geonameid == 2438915


def test_a_bad_row_in_a_bulk_load_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    path = build(tmp_path / "g.sqlite")
    before = _dump(path)
    bad = tmp_path / "XX.txt"
    good = (FIXTURES / "NE.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    renumbered = ["9" + line for line in good]  # new ids, so that the rows would be added
    bad.write_text("".join(renumbered[:20]) + "1\tBroken\n" + "".join(renumbered[20:]), encoding="utf-8")
    writer = Writer(path)
    with pytest.raises(InputError) as info:
        import_file(writer, bad, bulk_bytes=0)
    writer.close()
    assert info.value.where == f"{bad}:21"
    assert _dump(path) == before  # rows, names and the dropped lookup indexes all restored


def _zip(folder: Path, name: str = "NE.zip") -> Path:
    target = folder / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIXTURES / "NE.txt", "NE.txt")
        zf.writestr("readme.txt", "not data")
    return target


def test_zip_import_reads_the_data_member(tmp_path: Path) -> None:
    path = build(tmp_path / "g.sqlite", ("admin1CodesASCII.txt",))
    writer = Writer(path)
    report = import_file(writer, _zip(tmp_path))
    writer.close()
    assert (report.kind, report.rows) == ("places", 30)
    assert Gazetteer(path).lookup("Teguey")[0].place.admin1 == "Tillabéri"


def test_truncated_zip_is_a_clear_input_error(tmp_path: Path) -> None:
    whole = _zip(tmp_path).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    writer = Writer(tmp_path / "g.sqlite")
    with pytest.raises(InputError, match="truncated or damaged"):
        import_file(writer, cut)
    writer.close()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server for a folder holding NE.zip, as the GeoNames dump site serves it."""
    folder = tmp_path / "dump"
    folder.mkdir()
    _zip(folder)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_download_fetches_the_country_zip(server: str, tmp_path: Path) -> None:
    got = download("ne", tmp_path / "got", server)
    assert got.name == "NE.zip"
    assert got.read_bytes() == (tmp_path / "dump" / "NE.zip").read_bytes()
    with pytest.raises(ResourceError, match="HTTP 404"):
        download("ML", tmp_path / "got", server)
    assert not (tmp_path / "got" / "ML.zip.part").exists()


def test_file_names_for_codes_and_named_dumps() -> None:
    assert file_name("cities15000") == "cities15000.zip"
    assert file_name("admin2Codes") == "admin2Codes.txt"
    with pytest.raises(ResourceError, match="neither a two-letter country code"):
        file_name("NER")


def test_cli_download_import_and_info(server: str, tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.geo import ensure_gazetteer

    # start from the session's default gazetteer, so the CLI need not build it again
    path = tmp_path / "cli.sqlite"
    path.write_bytes(ensure_gazetteer(settings.gazetteer_path).read_bytes())
    monkeypatch.setenv("VIGIL_GAZETTEER", str(path))
    runner = CliRunner()
    result = runner.invoke(app, ["gazetteer", "download", "NE", "--base-url", server])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["gazetteer", "import", str(FIXTURES / "admin1CodesASCII.txt")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["gazetteer", "info"])
    assert result.exit_code == 0, result.output
    assert "source: NE.zip (places, 30 rows" in result.output
    assert "source: admin1CodesASCII.txt (admin1, 11 rows" in result.output
    assert "source: default" in result.output
    (hit,) = Gazetteer(path).lookup("Teguey")
    assert hit.place.geonameid == 2438915
    result = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt: no such file" in " ".join(result.output.split())


def test_a_default_gazetteer_of_the_earlier_layout_is_brought_up_to_date_once(tmp_path: Path, settings) -> None:
    from vigil.geo import ensure_gazetteer

    path = _earlier_layout(tmp_path / "old.sqlite", ensure_gazetteer(settings.gazetteer_path))
    assert ensure_gazetteer(path) == path  # not rebuilt: the skeletons are added to it
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM names WHERE skey IS NULL").fetchone() == (0,)
    assert con.execute("SELECT skey FROM names WHERE key = 'tillaberi' LIMIT 1").fetchone() == (skeleton("tillaberi"),)
    con.close()


def test_a_busy_gazetteer_of_the_earlier_layout_is_read_as_it_is(tmp_path: Path, settings) -> None:
    from vigil.geo import ensure_gazetteer

    path = _earlier_layout(tmp_path / "busy.sqlite", ensure_gazetteer(settings.gazetteer_path))
    con = sqlite3.connect(path)
    places = con.execute("SELECT count(*) FROM places").fetchone()
    con.execute("BEGIN EXCLUSIVE")  # another process writing: the skeletons cannot be added now
    try:
        assert ensure_gazetteer(path) == path  # neither an error nor a rebuild
    finally:
        con.rollback()
    assert con.execute("SELECT count(*) FROM places").fetchone() == places
    assert not has_skeletons(con)
    con.close()
    assert Gazetteer(path).lookup("Tillaberi")  # and it is read as it is


def test_opening_a_missing_gazetteer_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="vigil gazetteer build-default"):
        Gazetteer(tmp_path / "nothing.sqlite")
