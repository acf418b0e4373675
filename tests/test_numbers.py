"""Numbers in words and digits, hedges, vague quantities and ranges, read on parsed tokens."""

from __future__ import annotations

import pytest

from vigil.extract.lexicon import load_lexicon
from vigil.extract.numbers import read_quantity


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _first_quantity(nlp, lexicon, text: str):
    doc = nlp(text)
    for tok in doc:
        q = read_quantity(doc, tok.i, lexicon)
        if q is not None:
            return doc, q
    raise AssertionError(f"no quantity in {text!r}")


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "exact", "hedge"),
    [
        ("Police said 23 soldiers died.", 23, 23, 23, True, None),
        ("Police said 1,250 people fled.", 1250, 1250, 1250, True, None),
        ("They said twenty-three soldiers died.", 23, 23, 23, True, None),
        ("They said two hundred and fifty people fled.", 250, 250, 250, True, None),
        ("They said a dozen villagers died.", 12, 12, 12, True, None),
        ("They said at least 30 soldiers died.", 30, 30, None, False, "at least"),
        ("They said more than 20 people died.", 20, 20, None, False, "more than"),
        ("They said about 30 fighters died.", 30, None, None, False, "about"),
        ("They said approximately 30 fighters died.", 30, None, None, False, "approximately"),
        ("They said nearly forty people died.", 40, None, None, False, "nearly"),
        ("They said up to 15 people died.", 15, None, 15, False, "up to"),
        ("They said dozens of villagers died.", 12, 12, None, False, "dozens"),
        ("They said hundreds of people fled.", 100, 100, None, False, "hundreds"),
        ("They said several soldiers died.", 3, 3, 9, False, "several"),
        ("They said between 10 and 15 people died.", 10, 10, 15, False, "between 10 and 15"),
        ("They said 10 to 15 people died.", 10, 10, 15, False, "10 to 15"),
    ],
)
def test_readings(nlp, lexicon, text, value, low, high, exact, hedge):
    doc, q = _first_quantity(nlp, lexicon, text)
    assert (q.value, q.low, q.high, q.exact) == (value, low, high, exact)
    assert q.hedge == hedge
    # the tokens covered include the hedge: "at least 30", not "30"
    if hedge and not hedge[0].isdigit():
        assert doc[q.start : q.end].text.lower().startswith(hedge.split()[0].lower())


def test_dates_and_times_are_not_counts(nlp, lexicon):
    doc = nlp("The attack happened on 12 March 2021 at 10 pm.")
    found = [read_quantity(doc, t.i, lexicon) for t in doc]
    assert [q for q in found if q is not None] == []


def test_a_alone_is_not_a_number(nlp, lexicon):
    doc = nlp("A soldier was hurt.")
    assert read_quantity(doc, 0, lexicon) is None
