"""Casualty claims (which number counts whom, and what happened), attribution and claims of
responsibility, on sentences parsed by the real model."""

from __future__ import annotations

import pytest

from vigil.extract.attribution import find_responsibility, find_sources, source_for
from vigil.extract.claims import find_claims
from vigil.extract.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _claims(nlp, lexicon, text: str):
    doc = nlp(text)
    out = []
    prev = None
    for sent in doc.sents:
        sources = find_sources(doc, sent.start, sent.end, lexicon)
        for f in find_claims(doc, sent.start, sent.end, lexicon, prev):
            src = source_for(f.first, sources)
            out.append((f.claim, src.span.text if src else None, src.kind if src else None, f.note))
            if f.claim.group and f.claim.group not in ("people", "others"):
                prev = f.claim.group
        for f in out:
            assert doc.text[f[0].span.start : f[0].span.end] == f[0].span.text
    return out


def _simple(found):
    return [(c.kind, c.value, c.group) for c, *_ in found]


def test_group_and_kind_from_the_parse(nlp, lexicon):
    found = _claims(nlp, lexicon, "Gunmen killed 12 villagers and wounded five soldiers.")
    assert _simple(found) == [("killed", 12, "civilians"), ("injured", 5, "soldiers")]


def test_others_inherit_the_group_before_them(nlp, lexicon):
    found = _claims(nlp, lexicon, "The attack claimed the lives of 23 soldiers but also left 17 others wounded.")
    assert _simple(found) == [("killed", 23, "soldiers"), ("injured", 17, "soldiers")]


def test_death_of_and_death_toll(nlp, lexicon):
    assert _simple(_claims(nlp, lexicon, "The raid resulted in the death of 30 soldiers.")) == [("killed", 30, "soldiers")]
    assert _simple(_claims(nlp, lexicon, "The death toll rose to 40 on Monday.")) == [("killed", 40, None)]


def test_perpetrators_counted_are_not_victims(nlp, lexicon):
    found = _claims(nlp, lexicon, "About 200 militants killed 5 soldiers.")
    assert _simple(found) == [("killed", 5, "soldiers")]


def test_casualties_are_killed_but_never_exact(nlp, lexicon):
    [(claim, _, _, note)] = _claims(nlp, lexicon, "The fighting resulted in approximately 30 insurgent casualties.")
    assert (claim.kind, claim.value, claim.group, claim.exact) == ("killed", 30, "attackers", False)
    assert note is not None and "casualties" in note


def test_years_ages_hours_and_vehicles_are_not_victims(nlp, lexicon):
    text = "In 2019, a 30-year-old man was shot dead after a siege that lasted 24 hours; two vehicles were burned."
    found = _claims(nlp, lexicon, text)
    assert _simple(found) == [("killed", 1, "civilians")]


def test_singular_and_zero_victims(nlp, lexicon):
    assert _simple(_claims(nlp, lexicon, "Assailants shot and killed a policeman in the market.")) == [("killed", 1, "police")]
    assert _simple(_claims(nlp, lexicon, "No one was killed in the blast.")) == [("killed", 0, "people")]


def test_abducted_and_arrested(nlp, lexicon):
    assert _simple(_claims(nlp, lexicon, "Dozens of villagers were abducted by gunmen.")) == [("abducted", 12, "civilians")]
    assert _simple(_claims(nlp, lexicon, "Police arrested 15 demonstrators.")) == [("arrested", 15, "protesters")]


def test_sources_by_scope(nlp, lexicon):
    found = _claims(nlp, lexicon, "Witnesses said 12 villagers were killed, while the army said only five died.")
    assert [(c.value, src, kind) for c, src, kind, _ in found] == [(12, "Witnesses", "witness"), (5, "the army", "official")]


def test_according_to_and_as_confirmed_by(nlp, lexicon):
    found = _claims(nlp, lexicon, "Nine soldiers were killed, according to the defence ministry.")
    assert [(c.value, src, kind) for c, src, kind, _ in found] == [(9, "the defence ministry", "official")]
    found = _claims(nlp, lexicon, "The ambush claimed the lives of 23 soldiers, as confirmed by the army.")
    assert [(c.value, src, kind) for c, src, kind, _ in found] == [(23, "the army", "official")]


def test_media_source(nlp, lexicon):
    found = _claims(nlp, lexicon, "Six people died in the clashes, a police officer told AFP.")
    assert found[0][1] == "a police officer" and found[0][2] == "official"


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("The Islamic State group has officially taken credit for the assault.", "The Islamic State group"),
        ("JNIM claimed responsibility for the attack in a statement.", "JNIM"),
        ("Responsibility for the bombing was claimed by al-Shabaab.", "al-Shabaab"),
        ("Boko Haram, which claimed the attack, released a video.", "Boko Haram"),
    ],
)
def test_responsibility(nlp, lexicon, text, claimant):
    doc = nlp(text)
    [cue] = find_responsibility(doc, 0, len(doc))
    assert cue.claimant.text == claimant
    assert doc.text[cue.span.start : cue.span.end] == cue.span.text


@pytest.mark.parametrize(
    "text",
    [
        "No group claimed responsibility for the incident.",
        "The Taliban denied responsibility for the attack.",
        "The group did not claim the attack.",
    ],
)
def test_no_responsibility(nlp, lexicon, text):
    doc = nlp(text)
    assert find_responsibility(doc, 0, len(doc)) == []
