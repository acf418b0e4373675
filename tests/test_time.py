"""Dates: every relative kind resolved against the publication date, with precision and span."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.extract.time import FALLBACK_REASON, event_date, find_dates
from vigil.types import Span

SAT = dt.date(2024, 3, 23)  # a Saturday, like the reference article


def dates(nlp, text: str, published: dt.date | None = SAT):
    doc = nlp(text)
    return [
        (d.value, d.precision, d.span.text if d.span else None)
        for d in find_dates(doc, 0, len(text), published)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "On Wednesday this week, gunmen attacked a convoy.",
            (dt.date(2024, 3, 20), "day", "Wednesday this week"),
        ),
        ("Gunmen attacked a convoy on Wednesday.", (dt.date(2024, 3, 20), "day", "Wednesday")),
        ("A bomb went off on Tuesday night in the market.", (dt.date(2024, 3, 19), "day", "Tuesday night")),
        ("Last Tuesday, rebels raided the town.", (dt.date(2024, 3, 19), "day", "Last Tuesday")),
        ("Rebels raided the town on Monday last week.", (dt.date(2024, 3, 11), "day", "Monday last week")),
        ("Soldiers were killed yesterday near the border.", (dt.date(2024, 3, 22), "day", "yesterday")),
        ("The town was calm today after the raid.", (dt.date(2024, 3, 23), "day", "today")),
        ("Shots were heard last night in the camp.", (dt.date(2024, 3, 22), "day", "last night")),
        ("This morning a blast hit the bus station.", (dt.date(2024, 3, 23), "day", "This morning")),
        ("Two days ago, fighters burned a school.", (dt.date(2024, 3, 21), "day", "Two days ago")),
        ("Three weeks ago the road was mined.", (dt.date(2024, 3, 2), "week", "Three weeks ago")),
        ("Earlier this week militants stormed a post.", (dt.date(2024, 3, 20), "week", "Earlier this week")),
        ("Last week militants stormed a post.", (dt.date(2024, 3, 14), "week", "Last week")),
        ("Last month the village was looted.", (dt.date(2024, 2, 15), "month", "Last month")),
        ("In February the village was looted.", (dt.date(2024, 2, 15), "month", "February")),
        ("In 2019 the group first appeared.", (dt.date(2019, 7, 2), "year", "2019")),
        ("The attack on December 27 killed nine.", (dt.date(2023, 12, 27), "day", "December 27")),
        ("The attack on 27 December killed nine.", (dt.date(2023, 12, 27), "day", "27 December")),
        ("The attack on Dec. 27 killed nine.", (dt.date(2023, 12, 27), "day", "Dec. 27")),
        ("The attack on March 20, 2024 killed nine.", (dt.date(2024, 3, 20), "day", "March 20, 2024")),
        ("The attack of 20 March 2024 killed nine.", (dt.date(2024, 3, 20), "day", "20 March 2024")),
        ("20/03/2024: a mine exploded under a truck.", (dt.date(2024, 3, 20), "day", "20/03/2024")),
        ("2024-03-18 a mine exploded under a truck.", (dt.date(2024, 3, 18), "day", "2024-03-18")),
        (
            "On the night of Sunday to Monday, raiders came.",
            (dt.date(2024, 3, 17), "day", "the night of Sunday to Monday"),
        ),
    ],
)
def test_each_kind_resolves_against_publication(nlp, text, expected):
    assert dates(nlp, text) == [expected]


def test_year_inferred_not_after_publication(nlp):
    # Published on 2 January 2021: "December 27" is four working days before, in 2020.
    assert dates(nlp, "Fighters attacked on December 27.", dt.date(2021, 1, 2)) == [
        (dt.date(2020, 12, 27), "day", "December 27")
    ]
    # "In March", written in April, is this year's March; written in February, last year's.
    assert dates(nlp, "In March, two died.", dt.date(2021, 4, 2))[0][0].year == 2021
    assert dates(nlp, "In March, two died.", dt.date(2021, 2, 2))[0][0].year == 2020


def test_weekday_on_the_publication_day_itself(nlp):
    assert dates(nlp, "Gunmen struck on Saturday.")[0][0] == SAT
    # "last Saturday" on a Saturday means a week before.
    assert dates(nlp, "Gunmen struck last Saturday.")[0][0] == dt.date(2024, 3, 16)


def test_ambiguous_numeric_dates_pick_the_reading_before_publication(nlp):
    # 01/05/2021 is 5 January (month-first) or 1 May (day-first).
    assert dates(nlp, "01/05/2021: Assailants attacked.", dt.date(2021, 1, 10))[0][0] == dt.date(2021, 1, 5)
    assert dates(nlp, "01/05/2021: Assailants attacked.", dt.date(2021, 5, 3))[0][0] == dt.date(2021, 5, 1)
    # Only one reading is a date: 13 is no month.
    assert dates(nlp, "13/05/2021: Assailants attacked.", dt.date(2021, 6, 1))[0][0] == dt.date(2021, 5, 13)
    # No publication date: month-first, the GTD convention.
    assert dates(nlp, "01/05/2021: Assailants attacked.", None)[0][0] == dt.date(2021, 1, 5)


@pytest.mark.parametrize(
    "text",
    [
        "Militant groups have grown over the past decade.",
        "There have been several coups since 2020.",
        "The alliance may reshape the region in the years to come.",
        "Traders gather every Friday at the market.",
        "A 25-year-old man was among the wounded.",
        "The curfew lasts 24 hours.",
        "The siege lasted for two weeks.",
        "The market will stay closed until Monday.",
    ],
)
def test_durations_and_non_event_dates_are_ignored(nlp, text):
    assert dates(nlp, text) == []


def test_month_verbs_are_not_months(nlp):
    assert dates(nlp, "They may march to the capital.") == []


def test_relative_dates_need_a_publication_date(nlp):
    assert dates(nlp, "Gunmen struck on Wednesday.", None) == []
    assert dates(nlp, "Gunmen struck on March 20, 2024.", None) == [
        (dt.date(2024, 3, 20), "day", "March 20, 2024")
    ]


def _evidence(text: str, sentence: str) -> Span:
    start = text.index(sentence)
    return Span(start, start + len(sentence), sentence)


def test_event_date_prefers_its_own_date_then_the_paragraph_then_publication(nlp):
    text = (
        "On Tuesday, gunmen raided a village. They burned the granaries.\n\n"
        "The governor visited the area. Officials counted the losses."
    )
    doc = nlp(text)
    own = event_date(doc, _evidence(text, "On Tuesday, gunmen raided a village."), SAT)
    assert (own.value, own.span.text) == (dt.date(2024, 3, 19), "Tuesday")
    inherited = event_date(doc, _evidence(text, "They burned the granaries."), SAT)
    assert inherited.value == dt.date(2024, 3, 19) and inherited.span is not None
    fallback = event_date(doc, _evidence(text, "Officials counted the losses."), SAT)
    assert (fallback.value, fallback.span, fallback.reason) == (SAT, None, FALLBACK_REASON)


def test_event_date_skips_the_date_of_a_statement(nlp):
    text = "The army said on Thursday that militants killed five soldiers on Tuesday."
    got = event_date(nlp(text), Span(0, len(text), text), SAT)
    assert (got.value, got.span.text) == (dt.date(2024, 3, 19), "Tuesday")


def test_event_date_ignores_future_dates(nlp):
    text = "Talks are planned for next Monday after the ambush."
    got = event_date(nlp(text), Span(0, len(text), text), SAT)
    assert got.reason == FALLBACK_REASON


def test_reference_article(nlp, shared):
    raw = (shared / "data" / "seed" / "niger-teguey-2024-03-23.txt").read_text(encoding="utf-8")
    text = raw.split(" ", 2)[2] if raw.startswith("date ") else raw
    doc = nlp(text)
    sentence = next(s for s in doc.sents if "Teguey" in s.text)
    got = event_date(doc, Span(sentence.start_char, sentence.end_char, sentence.text), dt.date(2024, 3, 23))
    assert (got.value, got.precision, got.span.text) == (dt.date(2024, 3, 20), "day", "Wednesday this week")
    # The background paragraphs carry no date of their own ("since 2020", "in the years to come").
    para = text.index("The surge in jihadist violence")
    assert find_dates(doc, para, len(text), dt.date(2024, 3, 23)) == []


def test_month_day_with_a_comma(nlp):
    assert dates(nlp, "The rebels said they led the raid on October, 20th.") == [
        (dt.date(2023, 10, 20), "day", "October, 20th")
    ]


def test_possessive_weekday_is_the_event_and_the_statement_day_is_not(nlp):
    text = "The death toll from Saturday's raid on the camp has risen to nine, the army said on Tuesday."
    got = event_date(nlp(text), Span(0, len(text), text), dt.date(2024, 5, 14))
    assert (got.value, got.span.text) == (dt.date(2024, 5, 11), "Saturday")


def test_a_reaction_date_is_not_the_event_date(nlp):
    text = "The government on Sunday condemned Thursday's massacre of herders."
    got = event_date(nlp(text), Span(0, len(text), text), dt.date(2024, 2, 11))
    assert (got.value, got.span.text) == (dt.date(2024, 2, 8), "Thursday")


def test_a_day_month_a_few_days_ahead_stays_in_its_year(nlp):
    # A claim dated two days after a (late) report is not a date of the previous year.
    assert dates(nlp, "JNIM claimed it on October 27.", dt.date(2017, 10, 25)) == [
        (dt.date(2017, 10, 27), "day", "October 27")
    ]
    assert dates(nlp, "The vote is on January 3.", dt.date(2020, 12, 30))[0][0] == dt.date(2021, 1, 3)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The ambush occurred on the 12th.", [(dt.date(2024, 3, 12), "day", "the 12th")]),
        ("The siege began on 3rd March.", [(dt.date(2024, 3, 3), "day", "3rd March")]),
        ("By mid-2022 the group held the area.", [(dt.date(2022, 7, 2), "year", "mid-2022")]),
        ("Violence surged in the 1990s.", []),
        ("The attack happened at 2 a.m. near the bridge.", []),
    ],
)
def test_day_of_month_decades_and_clock_times(nlp, text, expected):
    assert dates(nlp, text) == expected


def test_event_date_prefers_the_finest_date_of_the_sentence(nlp):
    text = "The group, formed in 2019, attacked a police post on Tuesday."
    got = event_date(nlp(text), Span(0, len(text), text), SAT)
    assert (got.value, got.precision) == (dt.date(2024, 3, 19), "day")
