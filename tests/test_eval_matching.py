"""Comparing gold values with Vigil's: distances, folded names, the GTD type table, actor rules."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from vigil.errors import ResourceError
from vigil.eval.matching import (
    Matcher,
    fold,
    geonames_country_names,
    haversine_km,
    load_attack_types,
    load_matching_rules,
)
from vigil.types import Actor, Place


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_matching_rules(country_names=geonames_country_names()))


def test_haversine_by_hand() -> None:
    # one degree along the equator: R * pi / 180 = 6371.0088 * 0.01745329 = 111.195 km
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)
    # equator to pole: a quarter circle, R * pi / 2 = 6371.0088 * 1.5707963 = 10007.557 km
    assert haversine_km(0, 0, 90, 0) == pytest.approx(10007.557, abs=0.001)
    # antipodes: half a circle, R * pi = 20015.114 km (asin argument clamped at 1)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015.114, abs=0.001)
    # one degree of latitude is the same length anywhere: 111.195 km from 60N to 61N
    assert haversine_km(60, 10, 61, 10) == pytest.approx(111.195, abs=0.001)
    # one degree of longitude at 60N is cos(60) = half as long... nearly: the great circle is a
    # little shorter than the parallel, 2R*asin(cos60*sin(0.5deg)) = 12742.018 * 0.0043633 = 55.597 km
    expected = 2 * 6371.0088 * math.asin(0.5 * math.sin(math.radians(0.5)))
    assert expected == pytest.approx(55.597, abs=0.001)
    assert haversine_km(60, 10, 60, 11) == pytest.approx(expected, abs=1e-9)


def test_fold_accents_case_punctuation() -> None:
    assert fold("Tillabéri") == fold("TILLABERI") == "tillaberi"
    assert fold("N'tillit") == fold("Ntillit")
    assert fold("Beir al-Abd") == "beir al abd"
    assert fold(None) == ""


def test_admin_names(matcher: Matcher) -> None:
    assert matcher.same_admin("Tillabéri", "Tillaberi Region")
    assert matcher.same_admin("Al Hudaydah", "Hudaydah Governorate")
    assert matcher.same_admin("Jammu and Kashmir", "Jammu & Kashmir") is False  # '&' is not 'and': an honest miss
    assert not matcher.same_admin("Mopti", "Gao")
    assert not matcher.same_admin("Mopti", None)
    assert matcher.same_admin("Kwara", "Kwara State")


def test_country(matcher: Matcher) -> None:
    assert matcher.same_country("Niger", Place("Niamey", country_code="NE", country="Niger"))
    assert not matcher.same_country("Nigeria", Place("Niamey", country_code="NE", country="Niger"))
    assert matcher.same_country("Ivory Coast", Place("Abidjan", country_code="CI", country="Côte d'Ivoire"))
    assert matcher.same_country("West Bank and Gaza Strip", Place("Gaza", country_code="PS"))
    assert not matcher.same_country("Mali", None)
    assert not matcher.is_country("International") and matcher.is_country("Mali")


def test_actor_rules_without_dictionary(matcher: Matcher) -> None:
    group = Actor("boko-haram", "Boko Haram")
    assert matcher.same_actor("Unknown", None, None)
    assert matcher.same_actor("Unidentified Armed Group (Mali)", "ML", None)
    assert not matcher.same_actor("Unknown", None, group)
    assert matcher.same_actor("Boko Haram", "NG", group)
    assert not matcher.same_actor("Boko Haram", "NG", None)
    assert not matcher.same_actor("Al-Shabaab", "SO", group)


def test_attack_type_table() -> None:
    table = load_attack_types()
    assert table.map("Armed Assault", "Military") == ("Battles", "Armed clash")
    assert table.map("Armed Assault", "Private Citizens & Property") == ("Violence against civilians", "Attack")
    assert table.map("Bombing/Explosion", "Police") == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert table.map("Hostage Taking (Kidnapping)", "Business")[1] == "Abduction/forced disappearance"
    # a bomb decides before the target: an assassination by explosives is an explosion
    assert table.map("Assassination", "Government (General)", "Explosives") == (
        "Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert table.map("Assassination", "Government (General)", "Firearms") == ("Violence against civilians", "Attack")
    assert table.map("Unknown", "Military") is None  # not mappable: not scored
    assert table.map("Something New", "Military") is None
    assert table.map(None, None) is None


def test_attack_type_table_matches_the_taxonomy() -> None:
    from vigil.extract.lexicon import load_lexicon

    table = load_attack_types()
    table.check(load_lexicon().taxonomy)  # raises if a mapped type is missing from the taxonomy
    with pytest.raises(ResourceError, match="not in the taxonomy"):
        table.check({("Battles", "Armed clash")})


def test_attack_type_table_errors(tmp_path: Path) -> None:
    bad = tmp_path / "types.csv"
    header = "attack_type,target_type,weapon_type,event_type,sub_event_type\n"
    bad.write_text(header, encoding="utf-8")
    with pytest.raises(ResourceError, match="line 1: expected a '# ...' header"):
        load_attack_types(bad)
    bad.write_text("# types\n" + header + "Armed Assault,*,*,Battles\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="line 3: expected 5 fields"):
        load_attack_types(bad)
    bad.write_text("# types\n" + header + "Armed Assault,*,*,Battles,\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="go together"):
        load_attack_types(bad)


def test_matching_rules_errors(tmp_path: Path) -> None:
    bad = tmp_path / "m.toml"
    bad.write_text('# rules\n[actors]\nunknown = ["Unknown"]\n[admin]\ngeneric_words = []\nleading_articles = []\n'
                   '[countries]\n"Atlantis" = "ATL"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="'Atlantis': 'ATL' is not an ISO alpha-2 code"):
        load_matching_rules(bad)
    bad.write_text("# rules\n[actors]\nunknown = []\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="missing section or key"):
        load_matching_rules(bad)
