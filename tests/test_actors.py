"""Actors: dictionary names, context rules by country, generic references, unknown groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.actors import ActorDictionary, load_actors
from vigil.errors import ResourceError
from vigil.types import ActorKind


@pytest.fixture(scope="session")
def actors() -> ActorDictionary:
    return load_actors()


def found(nlp, actors, text: str, country: str | None):
    doc = nlp(text)
    return [(a.name, span.text) for a, span in actors.find(doc, 0, len(text), country)]


def test_dictionary_is_large_and_covers_the_main_groups(actors):
    assert len(actors) >= 150
    for name in (
        "JNIM",
        "ISWAP",
        "Boko Haram",
        "al-Shabaab",
        "TTP",
        "Houthis",
        "Hezbollah",
        "PKK",
        "ELN",
        "M23",
        "RSF",
    ):
        assert actors.normalise(name) is not None, name


def test_islamic_state_depends_on_the_story_country(nlp, actors):
    text = "Islamic State fighters attacked a checkpoint."
    assert found(nlp, actors, text, "NE") == [("Islamic State Sahel Province", "Islamic State fighters")]
    assert found(nlp, actors, text, "NG") == [
        ("Islamic State West Africa Province", "Islamic State fighters")
    ]
    assert found(nlp, actors, text, "IQ") == [("Islamic State (Iraq)", "Islamic State fighters")]
    assert found(nlp, actors, text, "AF") == [("Islamic State Khorasan Province", "Islamic State fighters")]
    assert found(nlp, actors, text, "FR") == [("Islamic State", "Islamic State fighters")]


def test_generic_state_references_take_the_story_country(nlp, actors):
    text = "Soldiers and police repelled gunmen who had attacked villagers and protesters."
    assert found(nlp, actors, text, "ML") == [
        ("Military Forces of Mali", "Soldiers"),
        ("Police Forces of Mali", "police"),
        ("Unidentified Armed Group (Mali)", "gunmen"),
        ("Civilians (Mali)", "villagers"),
        ("Protesters (Mali)", "protesters"),
    ]
    army = actors.find(nlp("The army responded."), 0, 19, "BF")[0][0]
    assert (army.name, army.kind, army.country) == (
        "Military Forces of Burkina Faso",
        ActorKind.STATE_FORCES,
        "BF",
    )


def test_voters_and_election_workers_are_civilians(nlp, actors):
    text = "Gunmen threatened voters and election workers at the polling station."
    assert found(nlp, actors, text, "ML") == [
        ("Unidentified Armed Group (Mali)", "Gunmen"),
        ("Civilians (Mali)", "voters"),
        ("Civilians (Mali)", "election workers"),
    ]


def test_a_named_country_overrides_the_story_country(nlp, actors):
    got = actors.find(nlp("Nigerien soldiers and French forces crossed into Mali."), 0, 52, "ML")
    assert [(a.name, a.kind) for a, _ in got] == [
        ("Military Forces of Niger", ActorKind.EXTERNAL_FORCES),
        ("Military Forces of France", ActorKind.EXTERNAL_FORCES),
    ]


def test_country_possessive_is_one_reference(nlp, actors):
    assert found(nlp, actors, "An assault on Niger's military left many dead.", "NE") == [
        ("Military Forces of Niger", "Niger's military")
    ]


def test_unknown_named_group_is_kept_as_written(nlp, actors):
    got = actors.find(nlp("The Mountain Lions Brigade claimed the raid."), 0, 44, "KE")
    assert [(a.name, a.known, a.kind, s.text) for a, s in got] == [
        ("Mountain Lions Brigade", False, ActorKind.OTHER, "Mountain Lions Brigade")
    ]
    got = found(nlp, actors, "Members of the Red Hand group torched a bus.", "NG")
    assert got == [("Red Hand", "Red Hand group")]


def test_state_bodies_in_capitals_are_not_unknown_groups(nlp, actors):
    got = actors.find(nlp("The Nigerian Armed Forces said the Alliance of Sahel States met."), 0, 64, "NG")
    assert all(a.known for a, _ in got)


def test_acronyms_are_case_sensitive(nlp, actors):
    assert found(nlp, actors, "IS claimed the bombing.", "SY") == [("Islamic State (Syria)", "IS")]
    assert found(nlp, actors, "It is what it is.", "SY") == []
    # "JeM" (Kashmir) and "JEM" (Darfur) differ only by case.
    assert actors.normalise("JeM").id == "jem"
    assert actors.normalise("JEM").id == "jem-sudan"


def test_generic_word_after_a_named_group_belongs_to_it(nlp, actors):
    assert found(nlp, actors, "JNIM militants ambushed a convoy.", "BF") == [
        ("JNIM: Group for Support of Islam and Muslims", "JNIM militants")
    ]


@pytest.mark.parametrize(
    "gold, country, expected",
    [
        ("Jamaat Nusrat al-Islam wal Muslimin (JNIM)", None, "jnim"),
        ("JNIM: Group for Support of Islam and Muslims", None, "jnim"),
        ("Islamic State of Iraq and the Levant (ISIL)", "IQ", "is-iraq"),
        ("Khorasan Chapter of the Islamic State", "AF", "iskp"),
        ("Tehrik-i-Taliban Pakistan (TTP)", None, "ttp"),
        ("Houthi extremists (Ansar Allah)", None, "houthis"),
        ("Military Forces of Mali (2013-2020)", None, "military-ml"),
        ("Police Forces of Mali (2013-2020) Gendarmerie", None, "police-ml"),
        ("Civilians (Mali)", None, "civilians-ml"),
        ("Fulani extremists", "NG", "fulani-militia-ng"),
        ("Unknown", "NG", "unidentified-ng"),
        ("Al-Shabaab", None, "al-shabaab"),
        ("the Taliban", "AF", "taliban"),
    ],
)
def test_normalise_gold_names(actors, gold, country, expected):
    actor = actors.normalise(gold, country)
    assert actor is not None and actor.id == expected


def test_normalise_unknown_name_is_none(actors):
    assert actors.normalise("Friends of the Harbour Choir") is None
    assert actors.normalise("") is None


def test_bad_dictionary_names_the_entry(tmp_path: Path):
    bad = tmp_path / "actors.toml"
    bad.write_text('[[actor]]\nid = "x"\nname = "X"\nkind = "warlords"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"\[\[actor\]\] #1: kind 'warlords'"):
        load_actors(bad)
    clash = tmp_path / "clash.toml"
    clash.write_text(
        '[[actor]]\nid = "a"\nname = "Alpha Front"\nkind = "rebel group"\naliases = ["Red Front"]\n'
        '[[actor]]\nid = "b"\nname = "Beta Front"\nkind = "rebel group"\naliases = ["Red Front"]\n'
        '[[generic]]\nid = "g"\nname = "G of {country}"\nname_any = "G"\nkind = "civilians"\n',
        encoding="utf-8",
    )
    with pytest.raises(ResourceError, match="red front"):
        load_actors(clash)


def test_reference_article(nlp, actors, shared):
    text = (shared / "data" / "seed" / "niger-teguey-2024-03-23.txt").read_text(encoding="utf-8")
    got = {(a.name, s.text) for a, s in actors.find(nlp(text), 0, len(text), "NE")}
    assert ("Islamic State Sahel Province", "Islamic State fighters") in got
    assert ("Islamic State Sahel Province", "Islamic State group") in got
    assert ("Military Forces of Niger", "Niger's military") in got
    assert ("Military Forces of Niger", "the army") in got
    assert not any(span == "Niger" for _, span in got)


def test_parent_group(actors):
    macina = actors.normalise("Katiba Macina")
    assert macina is not None and actors.parent(macina).id == "jnim"
    assert actors.parent(actors.normalise("Hezbollah")) is None


def test_gendarmes_are_police_as_acled_codes_them(nlp, actors):
    assert found(nlp, actors, "Gendarmes were ambushed near the border.", "ML") == [
        ("Police Forces of Mali", "Gendarmes")
    ]


def test_same_actor_named_twice_in_a_row_is_one_reference(nlp, actors):
    assert found(nlp, actors, "Two MINUSMA peacekeepers were hurt.", "ML") == [
        (
            "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali",
            "MINUSMA peacekeepers",
        )
    ]


def test_unknown_group_cues_are_whole_words(nlp, actors):
    # "IED" is not an actor, and ruling it out must not rule out names that contain the letters.
    assert found(nlp, actors, "An IED killed two soldiers.", "AF") == [
        ("Military Forces of Afghanistan", "soldiers")
    ]
    got = found(nlp, actors, "The Allied Riverside Front ambushed a patrol.", "KE")
    assert ("Allied Riverside Front", "Allied Riverside Front") in got


def test_every_name_vigil_writes_normalises_back_to_its_actor(actors):
    """Eval compares names through normalise(): Vigil's own names must come back unchanged."""
    for actor in actors.data.actors.values():
        back = actors.normalise(actor.name, actor.country)
        assert back is not None and back.id == actor.id, actor.name
    for code in ("NE", "ML", "CD", "US", "CI"):
        for generic in actors.data.generics.values():
            name = generic.name.format(country=actors.country_name(code))
            back = actors.normalise(name)
            assert back is not None and back.id == f"{generic.id}-{code.lower()}", name


def test_words_that_mean_a_group_only_in_one_country(nlp, actors):
    text = "Resistance fighters ambushed junta troops."
    assert found(nlp, actors, text, "MM") == [
        ("PDF: People's Defense Force", "Resistance fighters"),
        ("Military Forces of Myanmar", "junta troops"),
    ]
    elsewhere = found(nlp, actors, text, "ML")
    assert ("Military Forces of Mali", "junta troops") in elsewhere
    assert not any(name.startswith("PDF") for name, _ in elsewhere)


def test_a_name_built_on_a_short_acronym_keeps_its_case(nlp, actors):
    assert found(nlp, actors, "The IS group claimed it.", "SY") == [("Islamic State (Syria)", "IS group")]
    assert found(nlp, actors, "This is group work.", "SY") == []
