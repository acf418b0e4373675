"""The date patterns and their resolution against the publication date (used by ``time``).

Each pattern is a regex with a group ``span`` (the date expression without a leading
preposition) and a resolver that turns a match into (date, precision, reason), or None when the
match cannot be placed (a relative date without a publication date, an impossible day). Patterns
run most specific first; a cheap needle per family (a digit, a month name, a weekday...) skips
the patterns that cannot match a sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from vigil.types import Precision

WEEKDAYS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3, "several": 3, "few": 3,
}  # fmt: skip

# Month names are matched case-sensitively ("March", "May") so that the verbs "march" and "may"
# never read as dates; everything else is case-insensitive.
_MON = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUMW = r"(?:\d{1,3}|a\s+few|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
_B = r"(?<![\w/.\-])"  # a date starts at a word boundary and not inside a number like 1.20/3
_E = r"(?![\w/])"
_FLAGS = re.IGNORECASE

# Words before a date that make it a duration, a repetition or a bound, not an event date
# ("since 2020", "every Friday", "until Monday", "for the past decade").
NOT_EVENT_BEFORE = re.compile(
    r"(?:\b(?:since|every|each|until|till|through|throughout|per|within|for)\s+(?:the\s+)?"
    r"|\b(?:past|coming|next)\s+)$",
    _FLAGS,
)
# Words of a DATE entity that mark a duration or a vague period ("the past decade", "24 hours").
VAGUE_ENT = re.compile(
    r"\b(?:decades?|centur(?:y|ies)|hours?|minutes?|seconds?|years?\s+(?:old|to come)|recent|coming|"
    r"past|next|annual|daily|weekly|age[ds]?|old|long|period|season|era|times?|\d*0s)\b",
    _FLAGS,
)
# A date told as the date of a statement ("the army said on Thursday"): kept, but an event
# sentence prefers any other date it has.


@dataclass(frozen=True, slots=True)
class Found:
    """A date expression found by a pattern: absolute offsets, value, precision, reason."""

    start: int
    end: int
    value: dt.date
    precision: Precision
    reason: str | None


Resolver = Callable[[re.Match[str], dt.date | None], tuple[dt.date, Precision, str | None] | None]


def _month(word: str) -> int:
    return MONTHS[word[:3].lower()]


def _number(word: str) -> int:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _middle(first: dt.date, last: dt.date, published: dt.date | None) -> dt.date:
    """The middle of a period, but never after publication when the period started before it."""
    mid = first + (last - first) // 2
    if published is not None and first <= published < mid:
        return published
    return mid


def _month_period(year: int, month: int, published: dt.date | None, part: str | None = None) -> dt.date:
    first = dt.date(year, month, 1)
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    part = (part or "").lower()
    # "early/mid/late March" stay month precision, but their value moves within the month.
    if part.startswith("early") or part.startswith("the beginning"):
        last = first + dt.timedelta(days=9)
    elif part.startswith("late") or part.startswith("the end"):
        first = last - dt.timedelta(days=9)
    return _middle(first, last, published)


def _nearest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """The date with this month and day nearest the publication date (year inferred).

    Past dates are the rule ("December 27" published on 2 January is last December); a date a
    few days ahead stays in its own year as a future date (a scheduled vote, a claim dated after
    a late report) instead of jumping back a whole year, and ``event_date`` leaves it out.
    """
    candidates = [
        d
        for y in (published.year - 1, published.year, published.year + 1)
        if (d := _safe_date(y, month, day))
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - published).days), d > published))


def _full_year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 70 else 1900
    return year


# --- resolvers: each turns one regex match into (date, precision, reason) or None --------------


def _r_full_mdy(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    value = _safe_date(int(m["y"]), _month(m["mon"]), int(re.sub(r"\D", "", m["d"])))
    return (value, "day", None) if value else None


def _r_iso(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    value = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return (value, "day", None) if value else None


def _r_numeric(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    a, b, year = int(m["a"]), int(m["b"]), _full_year(m["y"])
    month_first, day_first = _safe_date(year, a, b), _safe_date(year, b, a)
    readings = [r for r in (month_first, day_first) if r is not None]
    if not readings:
        return None
    if len(set(readings)) == 1:
        return readings[0], "day", None
    # Both readings are dates: the one on or before publication and closest to it; without a
    # publication date, month-first (the GTD and US press convention).
    if published is None:
        return readings[0], "day", "ambiguous numeric date read month-first"
    past = [r for r in readings if r <= published]
    value = max(past) if past else min(readings, key=lambda r: abs((r - published).days))
    return value, "day", "ambiguous numeric date: the reading closest before publication"


def _r_day_month(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    if published is None:
        return None
    value = _nearest_year(_month(m["mon"]), int(re.sub(r"\D", "", m["d"])), published)
    return (value, "day", "year inferred from the publication date") if value else None


def _r_day_of_month(
    m: re.Match[str], published: dt.date | None
) -> tuple[dt.date, Precision, str | None] | None:
    """ "on the 12th": the most recent 12th on or before publication."""
    if published is None:
        return None
    day = int(m["d"])
    year, month = published.year, published.month
    for _ in range(3):  # the 31st may be absent from the last month or two
        value = _safe_date(year, month, day)
        if value is not None and value <= published:
            return value, "day", "month inferred from the publication date"
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return None


def _r_month_year(
    m: re.Match[str], published: dt.date | None
) -> tuple[dt.date, Precision, str | None] | None:
    return _month_period(int(m["y"]), _month(m["mon"]), published, m["part"]), "month", None


def _r_month(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    if published is None:
        return None
    month = _month(m["mon"])
    year = published.year if month <= published.month else published.year - 1
    if (m["rel"] or "").lower() == "last" and month == published.month:
        year -= 1
    return (
        _month_period(year, month, published, m["part"]),
        "month",
        "year inferred from the publication date",
    )


def _r_year(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    year = int(m["y"])
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    part = (m["part"] or "").lower()
    if part.startswith("early"):
        last = dt.date(year, 4, 30)
    elif part.startswith("late"):
        first = dt.date(year, 9, 1)
    return _middle(first, last, published), "year", None


def _r_weekday(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    if published is None:
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    groups = m.groupdict()
    rel, week = (groups.get("rel") or "").lower(), (groups.get("week") or "").lower()
    monday = published - dt.timedelta(days=published.weekday())
    if week == "this":
        value = monday + dt.timedelta(days=wd)
    elif week == "last":
        value = monday - dt.timedelta(days=7 - wd)
    elif week == "next" or rel == "next":
        value = published + dt.timedelta(days=(wd - published.weekday() - 1) % 7 + 1)
    else:
        # The most recent such day on or before publication; "last Tuesday" on a Tuesday is a
        # week before.
        back = (published.weekday() - wd) % 7
        if back == 0 and rel == "last":
            back = 7
        value = published - dt.timedelta(days=back)
    return value, "day", "weekday resolved against the publication date"


def _r_relative_day(
    m: re.Match[str], published: dt.date | None
) -> tuple[dt.date, Precision, str | None] | None:
    if published is None:
        return None
    word = " ".join(m["rd"].lower().split())
    back = 2 if "before yesterday" in word else 1 if word in ("yesterday", "last night") else 0
    return published - dt.timedelta(days=back), "day", "relative day resolved against the publication date"


def _r_ago(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, Precision, str | None] | None:
    if published is None:
        return None
    n, unit = _number(m["n"]), m["unit"].lower()
    reason = "counted back from the publication date"
    if unit == "day":
        few = m["n"].lower().strip() in ("a few", "few", "several")
        return published - dt.timedelta(days=n), "week" if few else "day", reason
    if unit == "week":
        return published - dt.timedelta(weeks=n), "week", reason
    if unit == "month":
        month0 = published.year * 12 + published.month - 1 - n
        return _month_period(month0 // 12, month0 % 12 + 1, published), "month", reason
    year = published.year - n
    return _middle(dt.date(year, 1, 1), dt.date(year, 12, 31), published), "year", reason


def _r_relative_period(
    m: re.Match[str], published: dt.date | None
) -> tuple[dt.date, Precision, str | None] | None:
    if published is None:
        return None
    words = " ".join(m["rp"].lower().split())
    reason = "relative period resolved against the publication date"
    monday = published - dt.timedelta(days=published.weekday())
    if words.endswith("weekend"):
        if "last" in words:
            saturday = monday - dt.timedelta(days=2)
        else:
            saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        return saturday, "week", reason
    if words.endswith("week"):
        if "last" in words or "previous" in words:
            return (
                _middle(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), published),
                "week",
                reason,
            )
        last = published - dt.timedelta(days=1) if "earlier" in words and published > monday else published
        return _middle(monday, last, published), "week", reason
    if words.endswith("month"):
        month0 = (
            published.year * 12 + published.month - 1 - (1 if "last" in words or "previous" in words else 0)
        )
        part = "early" if words.startswith("early") else "late" if words.startswith("late") else None
        return _month_period(month0 // 12, month0 % 12 + 1, published, part), "month", reason
    year = published.year - (1 if "last" in words or "previous" in words else 0)
    return _middle(dt.date(year, 1, 1), dt.date(year, 12, 31), published), "year", reason


# --- the patterns, most specific first; overlapping matches keep the longest ---------------------
# Each has a group "span" (the date expression without a leading preposition).
_PATTERNS: tuple[tuple[re.Pattern[str], Resolver], ...] = tuple(
    (re.compile(p, _FLAGS), r)
    for p, r in (
        (
            rf"{_B}(?P<span>(?:{_WD},?\s+)?(?:the\s+)?(?P<mon>{_MON})\s+(?P<d>{_DAYNUM}),?\s+(?P<y>(?:1[89]|20)\d\d)){_E}",
            _r_full_mdy,
        ),
        (
            rf"{_B}(?P<span>(?:{_WD},?\s+)?(?:the\s+)?(?P<d>{_DAYNUM})\s+(?:of\s+)?(?P<mon>{_MON}),?\s+(?P<y>(?:1[89]|20)\d\d)){_E}",
            _r_full_mdy,
        ),
        (rf"{_B}(?P<span>(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)){_E}", _r_iso),
        (
            rf"{_B}(?P<span>(?P<a>\d{{1,2}})([/.\-])(?P<b>\d{{1,2}})\3(?P<y>(?:19|20)\d\d|\d\d)){_E}",
            _r_numeric,
        ),
        (
            rf"{_B}(?P<span>(?:{_WD},?\s+)?(?P<mon>{_MON}),?\s+(?P<d>{_DAYNUM}){_PART})(?!\w|,?\s*\d)",
            _r_day_month,
        ),
        (
            rf"{_B}(?P<span>(?:{_WD},?\s+)?(?:the\s+)?(?P<d>{_DAYNUM})\s+(?:of\s+)?(?P<mon>{_MON}){_PART})(?!\w|,?\s*\d)",
            _r_day_month,
        ),
        (
            rf"{_B}(?P<span>(?:(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of)[\s-]+)?"
            rf"(?P<mon>{_MON}),?\s+(?P<y>(?:19|20)\d\d)){_E}",
            _r_month_year,
        ),
        (
            rf"\b(?:in|during|by|of|on)\s+(?P<span>(?:(?P<rel>last|this)\s+)?"
            rf"(?:(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of)[\s-]+)?(?P<mon>{_MON}))(?![\w.]|\s+\d)",
            _r_month,
        ),
        (
            rf"(?:\b(?:in|during|of|throughout|by)\s+|(?=(?:early|mid|late)[\s-]))"
            rf"(?P<span>(?:(?P<part>early|mid|late)[\s-]+)?(?P<y>(?:19|20)\d\d)){_E}",
            _r_year,
        ),
        (
            rf"\b(?P<span>(?:the\s+)?night\s+(?:of\s+|from\s+)?(?P<wd>{_WD})\s+(?:to|into|and)\s+{_WD})\b",
            _r_weekday,
        ),
        (
            rf"\b(?P<span>(?:(?P<rel>last|this|next|early|late)\s+(?:on\s+)?)?(?P<wd>{_WD})"
            rf"(?:\s+(?P<week>this|last|next)\s+week)?{_PART})\b",
            _r_weekday,
        ),
        (
            r"\b(?P<span>(?P<rd>the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night|"
            r"earlier\s+today|this\s+(?:morning|afternoon|evening)))\b",
            _r_relative_day,
        ),
        (
            r"\bon\s+(?P<span>the\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
            r"(?!\s+(?:of|century|anniversary|floor|day|time|round|minute|hour|birthday))",
            _r_day_of_month,
        ),
        (rf"\b(?P<span>(?P<n>{_NUMW})\s+(?P<unit>day|week|month|year)s?\s+ago)\b", _r_ago),
        (
            r"\b(?P<span>(?P<rp>(?:earlier|late|early)?\s*(?:last|this|the\s+previous)\s+(?:week|weekend|month|year)"
            r"|(?:over|at)\s+the\s+weekend))\b",
            _r_relative_period,
        ),
    )
)


# A cheap test per family of patterns: most sentences have no digit, month or weekday at all,
# and a pattern whose needle is absent is not run.
_NEEDLES: dict[str, re.Pattern[str]] = {
    "digit": re.compile(r"\d"),
    "month": re.compile(_MON),
    "weekday": re.compile(_WD, _FLAGS),
    "relday": re.compile(r"yesterday|today|tonight|night|morning|afternoon|evening", _FLAGS),
    "ago": re.compile(r"\bago\b", _FLAGS),
    "period": re.compile(r"week|month|year", _FLAGS),
}
_NEEDS: dict[Resolver, str] = {
    _r_full_mdy: "digit",
    _r_iso: "digit",
    _r_numeric: "digit",
    _r_day_month: "digit",
    _r_month_year: "digit",
    _r_year: "digit",
    _r_day_of_month: "digit",
    _r_month: "month",
    _r_weekday: "weekday",
    _r_relative_day: "relday",
    _r_ago: "ago",
    _r_relative_period: "period",
}


def regex_dates(text: str, start: int, end: int, published: dt.date | None) -> list[Found]:
    """Every date the patterns find in ``text[start:end]``, resolved against ``published``;
    overlapping finds are all kept (the caller keeps the longest)."""
    found: list[Found] = []
    present = {key: bool(needle.search(text, start, end)) for key, needle in _NEEDLES.items()}
    for pattern, resolve in _PATTERNS:
        if not present[_NEEDS[resolve]]:
            continue
        for m in pattern.finditer(text, start, end):
            if NOT_EVENT_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
                continue
            resolved = resolve(m, published)
            if resolved is not None:
                value, precision, reason = resolved
                found.append(Found(*m.span("span"), value, precision, reason))
    return found


HAS_ANCHOR = re.compile(rf"\d|{_MON}|{_WD}", _FLAGS)
