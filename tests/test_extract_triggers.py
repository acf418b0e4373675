"""Trigger typing by condition, modality and negation, on sentences parsed by the real model."""

from __future__ import annotations

import pytest

from vigil.extract.claims import find_claims
from vigil.extract.lexicon import load_lexicon
from vigil.extract.triggers import SentenceWords, find_triggers


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _types(nlp, lexicon, text: str, counting_only: bool = True) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    claims = find_claims(doc, 0, len(doc), lexicon)
    found = find_triggers(doc, 0, len(doc), lexicon, claims, SentenceWords(doc, 0, len(doc)))
    return [(t.span.text, t.rule.event_type, t.rule.sub_event_type) for t in found if t.counts or not counting_only]


@pytest.mark.parametrize(
    ("text", "trigger", "event_type", "sub_event_type"),
    [
        ("Militants attacked an army patrol near the border.", "attacked", "Battles", "Armed clash"),
        ("Militants attacked worshippers at a mosque.", "attacked", "Violence against civilians", "Attack"),
        ("A suicide bomber blew himself up at the checkpoint.", "suicide bomber", "Explosions/Remote violence", "Suicide bomb"),
        ("An airstrike hit the rebel base.", "airstrike", "Explosions/Remote violence", "Air/drone strike"),
        ("A drone strike hit a house.", "drone strike", "Explosions/Remote violence", "Air/drone strike"),
        ("Rebels shelled the town overnight.", "shelled", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("A landmine exploded under a truck.", "landmine", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Someone threw a grenade into the bar.", "grenade", "Explosions/Remote violence", "Grenade"),
        ("Gunmen kidnapped a priest.", "kidnapped", "Violence against civilians", "Abduction/forced disappearance"),
        ("Teachers went on strike to demand higher pay.", "strike", "Protests", "Peaceful protest"),
        ("Police fired tear gas to disperse the protesters.", "protesters", "Protests", "Protest with intervention"),
        ("Rioters torched the town hall.", "Rioters", "Riots", "Violent demonstration"),
        ("A mob lynched a suspected thief.", "mob", "Riots", "Mob violence"),
        ("Police arrested the opposition leader.", "arrested", "Strategic developments", "Arrests"),
        # a sentence that opens with "Fighting" (parsed as the verb "fight", which needs a target)
        ("Fighting between soldiers and rebels was reported near the river.", "Fighting", "Battles", "Armed clash"),
        ("Fighting between two herder communities left the market empty.", "Fighting", "Battles", "Armed clash"),
        ("A loud detonation shook the market at dawn.", "detonation", "Explosions/Remote violence",
         "Remote explosive/landmine/IED"),
        ("A herder was hit by a gunshot near the well.", "gunshot", "Violence against civilians", "Attack"),
        ("Youths threw stones at the police station.", "threw stones", "Riots", "Violent demonstration"),
        # a boat, a tent and election material are property too
        ("Gunmen burned a canoe carrying ballot boxes.", "burned", "Strategic developments",
         "Looting/property destruction"),
        ("Bandits burned the tents of the herders.", "burned", "Strategic developments", "Looting/property destruction"),
        ("Gunmen destroyed the election material.", "destroyed", "Strategic developments",
         "Looting/property destruction"),
        ("Gunmen damaged three trucks of the company.", "damaged", "Strategic developments",
         "Looting/property destruction"),
        ("Militants targeted a police convoy on the highway.", "targeted", "Battles", "Armed clash"),
        ("Gunmen targeted a church during the service.", "targeted", "Violence against civilians", "Attack"),
        # a comma splice the parser reads as a complement of the second verb ("prevent")
        ("Farmers protested against the land seizures, they also prevented trucks from leaving the depot.",
         "protested", "Protests", "Peaceful protest"),
        ("Rebels took control of Kabouna after the army withdrew.", "took control", "Battles",
         "Non-state actor overtakes territory"),
        ("Special forces eliminated six insurgents near the river.", "eliminated", "Battles", "Armed clash"),
        ("Thousands went to the streets against the fuel prices on Friday.", "went to the streets", "Protests",
         "Peaceful protest"),
        ("Jihadists seized the town of Boni.", "seized", "Battles", "Non-state actor overtakes territory"),
        ("The army recaptured the town.", "recaptured", "Battles", "Government regains territory"),
        ("Soldiers seized weapons and ammunition.", "seized", "Strategic developments", "Disrupted weapons use"),
        ("Soldiers defused a bomb on the road.", "defused", "Strategic developments", "Disrupted weapons use"),
        # intimidation of people (ACLED: a strategic development, "other")
        ("Armed men threatened voters at two polling stations in Sinbo.", "threatened", "Strategic developments",
         "Other"),
        ("Gunmen intimidated locals and election officials in the market town.", "intimidated",
         "Strategic developments", "Other"),
    ],
)
def test_typing(nlp, lexicon, text, trigger, event_type, sub_event_type):
    assert (trigger, event_type, sub_event_type) in _types(nlp, lexicon, text)


def test_capture_of_a_person_is_an_arrest(nlp, lexicon):
    assert ("captured", "Strategic developments", "Arrests") in _types(nlp, lexicon, "Soldiers captured a militant commander.")


def test_the_defused_bomb_is_not_an_explosion(nlp, lexicon):
    found = _types(nlp, lexicon, "Soldiers defused a bomb on the road.")
    assert all(t[1] != "Explosions/Remote violence" for t in found)


@pytest.mark.parametrize(
    "text",
    [
        "Militants threatened to attack the town.",
        "Residents fear that militants could attack the village.",
        "The army warned of possible attacks during the election.",
        "Police did not arrest anyone.",
        "Five people were killed in a car accident.",
        # floods, fires and storms destroy property too
        "The flood destroyed several houses in the district.",
        "A fire burned the market stalls overnight.",
        "The storm damaged several houses and a school.",
        "Heavy rains destroyed the bridge on Monday.",
        "The army took control of the situation after the storm.",
        "The team was eliminated from the tournament.",
        "The union threatened to strike over unpaid wages.",  # a threat of something else, no event
        "The drought threatened the harvest this year.",  # a thing, not people
    ],
)
def test_hypothetical_negated_and_accidental_are_not_events(nlp, lexicon, text):
    assert _types(nlp, lexicon, text) == []
