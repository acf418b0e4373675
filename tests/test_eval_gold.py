"""Gold readers on the team's tiny gold files, and their errors on malformed ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vigil.errors import GoldFormatError
from vigil.eval.gold import read_acled, read_geoparsing, read_gtd, sample, strip_label
from vigil.eval.matching import load_attack_types

EVAL = Path(__file__).resolve().parent / "fixtures" / "eval"


def test_gtd_reader_dates_types_and_blanks() -> None:
    records = read_gtd(EVAL / "gtd_tiny.csv", load_attack_types())
    assert [r.record.rsplit(":", 1)[1] for r in records] == ["2", "3", "4", "5"]
    police, market, kidnap, convoy = records
    assert police.date == dt.date(2021, 3, 14)
    assert police.published == dt.date(2021, 3, 17)  # gold date + 3 days
    # Armed Assault on Police -> Battles; on anything else it would be Violence against civilians
    assert (police.event_type, police.sub_event_type) == ("Battles", "Armed clash")
    assert market.event_type == "Explosions/Remote violence"
    assert (police.killed, police.injured, police.claimed) == (3, 2, False)
    assert market.injured is None  # blank nwound: not scored
    assert market.claimed is True
    assert kidnap.date is None  # iday 0: the day is unknown, so the date is not scored
    assert kidnap.published == dt.date(2021, 1, 4)  # anchored at the month's first day + 3
    assert kidnap.event_type == "Violence against civilians"
    assert convoy.location is None and convoy.geo_precision == 4  # city "Unknown" is GTD's blank
    assert convoy.actor1 == "Unknown"  # ...but a perpetrator "Unknown" is an answer, kept


def test_acled_reader_strips_label_and_skips_imprecise_dates() -> None:
    boni, menaka, djenne = read_acled(EVAL / "acled_tiny.csv")
    assert menaka.text.startswith("On 5 June 2018, unidentified gunmen")  # "Looting:" stripped
    assert boni.date == dt.date(2018, 3, 12) and boni.published == dt.date(2018, 3, 15)
    assert djenne.date is None  # time_precision 2
    assert djenne.published == dt.date(2018, 8, 23)  # still anchored on ACLED's date
    assert (boni.actor1, boni.actor2, boni.admin2, boni.killed) == (
        "JNIM: Group for Support of Islam and Muslims", "Military Forces of Mali (2013-2020)", "Douentza", 3)


def test_strip_label_keeps_dates_and_plain_sentences() -> None:
    assert strip_label("Property destruction: On 3 May, a school was burned.") == "On 3 May, a school was burned."
    assert strip_label("On 3 May: a school was burned.") == "On 3 May: a school was burned."
    assert strip_label("Gunmen killed two men at 10:30 in Gao.") == "Gunmen killed two men at 10:30 in Gao."
    assert strip_label("Change to armed group: A new group formed.") == "A new group formed."
    # a sentence that ends in a colon is the story, not a label: its place must stay in the text
    for story in ("The Kobadi post came under fire: two guards hurt.",
                  "Tiligo youths fought the police overnight and into the morning: 2 hurt.",
                  "A patrol was ambushed near Dounkoro: 4 killed."):
        assert strip_label(story) == story


def test_lgl_reader_skips_nothing_but_keeps_toponyms_without_coordinates() -> None:
    (article,) = read_geoparsing(EVAL / "lgl_tiny.xml")
    assert article.text.startswith("Flooding closed")
    assert [(t.start, t.end, t.name) for t in article.toponyms] == [
        (35, 46, "Springfield"), (51, 59, "Riverton"), (85, 96, "Springfield"), (114, 122, "Riverton")]
    assert article.toponyms[0].geonameid == 4250542 and article.toponyms[0].lat == pytest.approx(39.80172)
    assert article.toponyms[3].lat is None  # no gaztag: not scored, still a place name for precision


def test_gwn_reader_realigns_offsets_and_marks_non_toponyms() -> None:
    (article,) = read_geoparsing(EVAL / "gwn_tiny.xml")
    by_name = {(t.name, t.start): t for t in article.toponyms}
    marseille = next(t for t in article.toponyms if t.name == "Marseille")
    assert (marseille.start, marseille.end) == (118, 127)  # gold said 120-129; the name is at 118
    assert article.text[marseille.start:marseille.end] == "Marseille"
    assert article.misaligned == 1  # "Paris" is not in the text at all
    assert by_name[("fire", 40)].is_toponym is False
    assert by_name[("Lyon", 131)].geonameid is None and by_name[("Lyon", 131)].lat == pytest.approx(45.74846)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_gtd_names_file_and_line(tmp_path: Path) -> None:
    lines = (EVAL / "gtd_tiny.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",4.0,0.0,0.0,,0.0,", ",many,0.0,0.0,,0.0,")
    path = _write(tmp_path, "bad.csv", "\n".join(lines) + "\n")
    with pytest.raises(GoldFormatError, match=r"bad\.csv:3: column nkill: 'many' is not a number"):
        read_gtd(path, load_attack_types())


def test_gtd_without_required_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "cols.csv", "eventid,summary\n1,Something happened.\n")
    with pytest.raises(GoldFormatError, match=r"cols\.csv:1: missing columns iyear"):
        read_gtd(path, load_attack_types())


def test_acled_bad_date_names_line(tmp_path: Path) -> None:
    text = (EVAL / "acled_tiny.csv").read_text(encoding="utf-8").replace("5 June 2018,2018", "June the fifth,2018")
    path = _write(tmp_path, "acled.csv", text)
    with pytest.raises(GoldFormatError, match=r"acled\.csv:3: column event_date: 'June the fifth' is not a date"):
        read_acled(path)


def test_broken_xml_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.xml", "<articles>\n<article>\n<text>x</text>\n</articles>\n")
    with pytest.raises(GoldFormatError, match=r"broken\.xml:4: not well-formed"):
        read_geoparsing(path)


def test_xml_toponym_without_offsets(tmp_path: Path) -> None:
    path = _write(tmp_path, "nooff.xml", "<articles>\n<article>\n<text>In Gao.</text>\n<toponyms>\n"
                  "<toponym><start>three</start><end>6</end><phrase>Gao</phrase></toponym>\n</toponyms>\n</article>\n</articles>\n")
    with pytest.raises(GoldFormatError, match=r"nooff\.xml:5: toponym needs integer <start> and <end>"):
        read_geoparsing(path)


def test_sample_first_n_or_seeded_in_file_order() -> None:
    records = list(range(100))
    assert sample(records, 3, None) == [0, 1, 2]
    picked = sample(records, 10, seed=7)
    assert picked == sample(records, 10, seed=7)  # reproducible
    assert picked == sorted(picked) and len(set(picked)) == 10
    assert picked != sample(records, 10, seed=8)
    assert sample(records, None, None) == records and sample(records, 500, 1) == records
