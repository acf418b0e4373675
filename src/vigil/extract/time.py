"""Time expressions: find the dates in a stretch of text and resolve them against the publication
date, with their precision and the span that supports them.

News dates are mostly relative ("on Wednesday", "last week", "two days ago") and mean nothing
without the publication date, so everything here resolves against ``published`` and never against
today's clock. dateparser returns nothing for many of these forms ("Wednesday this week"), so
the common forms are cheap regexes first (``time_rules``); spaCy DATE entities the regexes did not
cover go to dateparser as a fallback (cached, with RELATIVE_BASE = publication and past dates
preferred). A TIME entity alone ("2 a.m.") names no day and is not read.

Coarse precisions (week, month, year) carry the middle of the period, not after publication, so
that a day-level comparison errs least; ``DateValue.reason`` says how each value was reached.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from spacy.tokens import Doc

from vigil.extract.time_rules import HAS_ANCHOR, NOT_EVENT_BEFORE, VAGUE_ENT, Found, regex_dates
from vigil.types import DateValue, Precision, Span

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
FALLBACK_REASON = "no date in the text: publication date"
NO_DATE_REASON = "no date in the text and no publication date"

_SPEECH = (
    r"(?:said|says|told|announced|reported|confirmed|stated|added|claimed|declared|statement|tweeted|posted|"
    r"published|issued|condemned|denounced|deplored|mourned|vowed|pledged|warned|urged|called)"
)
_SPEECH_BEFORE = re.compile(rf"\b{_SPEECH}\b(?:\W+\w+){{0,4}}\W*$", re.IGNORECASE)
# ... or followed by one: "the government on Sunday condemned Thursday's attack".
_SPEECH_AFTER = re.compile(rf"^(?:\W+\w+){{0,1}}\W+{_SPEECH}\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str, published: dt.date | None) -> tuple[dt.date, Precision] | None:
    """dateparser, against the publication date (never today's clock), for what the regexes miss.

    A pure function of its arguments, so its cache never changes a result."""
    import dateparser  # imported here: it is slow to import and only the fallback needs it

    base = dt.datetime.combine(published, dt.time(12)) if published else dt.datetime(1900, 1, 1)
    parser_settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": False,
        "STRICT_PARSING": False,
    }
    data = dateparser.DateDataParser(languages=["en"], settings=parser_settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    period = data.period if data.period in ("day", "week", "month", "year") else "day"
    return data.date_obj.date(), period  # type: ignore[return-value]


def _date_entities(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Character extents of the DATE entities inside [start, end), read from the tokens of
    that stretch only (``doc.ents`` would build every entity of the article on each call)."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) == 0:
        return []
    out: list[tuple[int, int]] = []
    for tok in span:
        if tok.ent_type_ != "DATE":  # a TIME ("2 a.m.") has no day of its own
            continue
        if tok.ent_iob_ == "B" or not out:
            out.append((tok.idx, tok.idx + len(tok)))
        else:
            out[-1] = (out[-1][0], tok.idx + len(tok))
    # An entity cut by the stretch's edge is not read: its other half is outside.
    first, after = span[0], (doc[span.end] if span.end < len(doc) else None)
    if out and first.ent_type_ == "DATE" and first.ent_iob_ == "I":
        out = out[1:]
    if out and after is not None and after.ent_type_ == "DATE" and after.ent_iob_ == "I":
        out = out[:-1]
    return out


def _entity_dates(
    doc: Doc, full: str, start: int, end: int, published: dt.date | None, taken: list[Found]
) -> list[Found]:
    found: list[Found] = []
    for ent_start, ent_end in _date_entities(doc, start, end):
        if any(f.start < ent_end and ent_start < f.end for f in taken):
            continue
        text = full[ent_start:ent_end]
        if not HAS_ANCHOR.search(text) or VAGUE_ENT.search(text) or re.fullmatch(r"\d{1,4}", text.strip()):
            continue  # a bare number or a vague period is not a date we can place
        if NOT_EVENT_BEFORE.search(full[max(0, ent_start - 30) : ent_start]):
            continue
        if published is None and not re.search(r"(?:19|20)\d\d", text):
            continue  # a relative expression cannot be placed without a publication date
        parsed = _dateparser(text, published)
        if parsed is not None:
            found.append(Found(ent_start, ent_end, parsed[0], parsed[1], "read by dateparser"))
    return found


def _keep_longest(found: list[Found]) -> list[Found]:
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or k.end <= f.start for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def find_dates(doc: Doc, start: int, end: int, published: dt.date | None) -> list[DateValue]:
    """Every date expression inside ``doc.text[start:end]``, resolved against ``published``.

    Spans are absolute offsets into ``doc.text``. Durations, repetitions and bounds ("for the
    past decade", "every Friday", "since 2020", "24 hours") are left out. Relative expressions
    are dropped when ``published`` is None (they cannot be placed).
    """
    text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
    found = regex_dates(text, start, end, published)
    found += _entity_dates(doc, text, start, end, published, found)
    return [
        DateValue(f.value, f.precision, Span(f.start, f.end, text[f.start : f.end]), f.reason)
        for f in _keep_longest(found)
    ]


def _paragraph_start(text: str, pos: int) -> int:
    brk = max(text.rfind("\n\n", 0, pos), text.rfind("\r\n\r\n", 0, pos))
    return 0 if brk < 0 else brk + 2


def _is_statement_date(text: str, value: DateValue) -> bool:
    assert value.span is not None
    before = text[max(0, value.span.start - 60) : value.span.start]
    after = text[value.span.end : value.span.end + 40]
    if after[:2] in ("'s", "’s"):
        return False  # "Thursday's attack": the date of a thing told, whatever verb comes before
    return bool(_SPEECH_BEFORE.search(before) or _SPEECH_AFTER.search(after))


def _pick(text: str, dates: list[DateValue], published: dt.date | None) -> DateValue | None:
    """1. not after publication; 2. not the date of a statement; 3. the finest precision (a
    sentence's day is its event, its year mostly background: "the group, formed in 2019,
    attacked on Tuesday"); 4. the first in the text."""
    past = [d for d in dates if published is None or d.value <= published]
    if not past:
        return None
    events = [d for d in past if not _is_statement_date(text, d)] or past
    return min(events, key=lambda d: _PRECISION_RANK[d.precision])  # min keeps the first of equals


def event_date(doc: Doc, evidence: Span, published: dt.date | None) -> DateValue:
    """The date of the event told in ``evidence``.

    1. a date expression inside the evidence; 2. else the nearest preceding date in the same
    paragraph; 3. else the publication date, with reason "no date in the text: publication
    date" and no span. Without any date at all the value is ``date.min`` with a reason saying so.
    """
    text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
    own = _pick(text, find_dates(doc, evidence.start, evidence.end, published), published)
    if own is not None:
        return own
    para = _paragraph_start(text, evidence.start)
    before = find_dates(doc, para, evidence.start, published)
    before = [d for d in before if published is None or d.value <= published]
    if before:
        near = before[-1]
        return DateValue(
            near.value, near.precision, near.span, "date taken from an earlier sentence of the paragraph"
        )
    if published is not None:
        return DateValue(published, "day", None, FALLBACK_REASON)
    return DateValue(dt.date.min, "year", None, NO_DATE_REASON)
