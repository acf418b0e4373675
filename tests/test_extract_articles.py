"""End to end on articles the team wrote (tests/fixtures/articles/), each with one hard case:
the real model, the real default gazetteer, the real actor dictionary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vigil.extract import extract_mentions
from vigil.ingest import read_inputs
from vigil.types import Article, Mention, Span

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def coded(resources) -> dict[str, tuple[Article, list[Mention]]]:
    out = {}
    for article in read_inputs([str(ARTICLES)]):
        assert isinstance(article, Article), article
        doc = resources.nlp(article.text)
        mentions = extract_mentions(doc, article, lexicon=resources.lexicon, actors=resources.actors, geocoder=resources.geocoder)
        out[Path(article.origin or "").name] = (article, mentions)
    return out


def _events(coded, name: str) -> list[Mention]:
    return [m for m in coded[name][1] if not m.background]


def _one(coded, name: str) -> Mention:
    [m] = _events(coded, name)
    return m


def _claims(m: Mention) -> list[tuple[str, int, str | None]]:
    return [(c.kind, c.value, c.group) for c in m.claims]


def _spans(m: Mention) -> list[Span]:
    spans = [m.trigger, m.evidence, *(c.span for c in m.claims), *(a.span for a in m.actors)]
    spans += [c.source_span for c in m.claims if c.source_span] + [s for s in (m.date.span, m.location.span) if s]
    return spans + ([m.responsibility.span] if m.responsibility else [])


def test_at_least_fifteen_articles(coded):
    assert len(coded) >= 15


def test_every_span_is_the_text_it_names(coded):
    for article, mentions in coded.values():
        for m in mentions:
            for span in _spans(m):
                assert article.text[span.start : span.end] == span.text, (article.origin, span)


def test_yesterday(coded):
    m = _one(coded, "ied-yesterday.txt")
    assert (m.event_type, m.sub_event_type) == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert (m.date.value, m.date.precision) == (dt.date(2023, 8, 14), "day")
    assert _claims(m) == [("killed", 4, "soldiers"), ("injured", 2, "soldiers")]
    assert {c.source_kind for c in m.claims} == {"official"}
    assert m.location.admin1 == "Centre-Nord"


def test_last_friday(coded):
    m = _one(coded, "ambush-last-friday.txt")
    assert (m.event_type, m.sub_event_type) == ("Battles", "Armed clash")
    assert m.date.value == dt.date(2022, 11, 4)
    assert _claims(m) == [("killed", 7, "soldiers")]
    assert (m.location.toponym, m.location.admin1) == ("Tessit", "Gao")


def test_days_ago_and_shot_dead(coded):
    m = _one(coded, "raid-days-ago.txt")
    assert (m.event_type, m.sub_event_type) == ("Violence against civilians", "Attack")
    assert m.date.value == dt.date(2021, 5, 17)
    assert _claims(m) == [("killed", 12, "civilians")]
    assert m.claims[0].source_kind == "witness"
    assert {a.role for a in m.actors} == {"actor1", "actor2"}


def test_follow_up_article_dates_the_old_event_from_the_text(coded):
    attack, march = _events(coded, "follow-up-older-event.txt")
    assert attack.date.value == dt.date(2024, 5, 2) and attack.date.reason is None
    assert _claims(attack) == [("killed", 19, "people")]
    # the march is a separate, later event
    assert (march.event_type, march.date.value) == ("Protests", dt.date(2024, 6, 9))


def test_number_words_and_hedges(coded):
    m = _one(coded, "number-words-hedges.txt")
    killed, injured = m.claims
    assert (killed.kind, killed.value, killed.low, killed.high, killed.exact) == ("killed", 23, 23, None, False)
    assert (injured.kind, injured.value, injured.exact, injured.hedge) == ("injured", 12, False, "dozens")
    assert m.event_type == "Violence against civilians"  # a camp for displaced people is civilian


def test_two_events_in_one_article(coded):
    first, second = _events(coded, "two-events-separate.txt")
    assert (first.event_type, first.date.value, first.location.toponym) == ("Battles", dt.date(2024, 2, 1), "Djibo")
    assert (second.event_type, second.date.value, second.location.toponym) == ("Violence against civilians", dt.date(2024, 2, 2), "Sebba")
    assert _claims(first) == [("killed", 5, "soldiers")] and _claims(second) == [("killed", 8, "civilians")]


def test_conflicting_figures_keep_both_sources(coded):
    m = _one(coded, "conflicting-figures.txt")
    killed = sorted((c.value, c.source_kind) for c in m.claims if c.kind == "killed")
    assert killed == [(9, "official"), (40, "perpetrator")]
    assert m.responsibility is not None and m.responsibility.actor.name == "Islamic State Sahel Province"
    roles = {a.role: a.actor.name for a in m.actors}
    assert roles == {"actor1": "Islamic State Sahel Province", "actor2": "Military Forces of Niger"}


def test_non_violent_article_yields_nothing(coded):
    assert coded["non-violent-budget.txt"][1] == []


def test_threats_are_not_events(coded):
    assert coded["hypothetical-threat.txt"][1] == []


def test_peaceful_protest(coded):
    m = _one(coded, "protest-peaceful.txt")
    assert (m.event_type, m.sub_event_type) == ("Protests", "Peaceful protest")
    assert m.location.toponym == "Dakar" and m.date.value == dt.date(2023, 10, 6)
    assert [a.actor.name for a in m.actors if a.role == "actor1"] == ["Protesters (Senegal)"]


def test_riot(coded):
    m = _one(coded, "riot-police-station.txt")
    assert (m.event_type, m.sub_event_type) == ("Riots", "Violent demonstration")
    assert [a.actor.name for a in m.actors if a.role == "actor1"] == ["Rioters (Guinea)"]


def test_abduction(coded):
    m = _one(coded, "abduction-bus.txt")
    assert (m.event_type, m.sub_event_type) == ("Violence against civilians", "Abduction/forced disappearance")
    [c] = m.claims
    assert (c.kind, c.value, c.exact, c.hedge) == ("abducted", 30, False, "about")


def test_air_strike(coded):
    m = _one(coded, "airstrike-drone.txt")
    assert (m.event_type, m.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert _claims(m) == [("killed", 8, "people")] and m.date.value == dt.date(2024, 3, 17)


def test_background_is_not_coded(coded):
    [m] = coded["background-context.txt"][1]
    assert not m.background and _claims(m) == [("killed", 14, "soldiers")]
    assert "since" not in m.evidence.text


def test_territory_taken(coded):
    m = _one(coded, "territory-seized.txt")
    assert (m.event_type, m.sub_event_type) == ("Battles", "Non-state actor overtakes territory")
    assert [a.actor.kind.value for a in m.actors if a.role == "actor1"] == ["political militia"]


def test_no_one_killed_is_a_zero_not_a_non_event(coded):
    m = _one(coded, "no-one-killed.txt")
    assert m.sub_event_type == "Grenade"
    assert _claims(m) == [("killed", 0, "people")]


def test_casualties_are_inexact_with_a_reason(coded):
    m = _one(coded, "casualties-words.txt")
    [c] = m.claims
    assert (c.kind, c.value, c.group, c.exact) == ("killed", 20, "attackers", False)
    assert any("casualties" in r for r in m.reasons)


def test_fallbacks_are_given_as_reasons(coded):
    m = _one(coded, "ied-yesterday.txt")
    assert any("actor unknown" in r for r in m.reasons)  # no perpetrator named
