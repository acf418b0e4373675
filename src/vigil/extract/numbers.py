"""Numbers in reports: digits and words, hedges, vague quantities and ranges, read on tokens.

Readings (the words and values are data in ``numbers.toml``):

    "23"                 value 23, low 23, high 23, exact
    "at least 30"        value 30, low 30, high None (open), inexact
    "more than 20"       value 20, low 20, high None: the figure as written, as GTD and ACLED coders
                         record it; "more than" adds no figure of its own
    "about/some 30"      value 30, low None, high None, inexact
    "up to 30"           value 30, low None, high 30, inexact
    "dozens"             value 12 (ACLED's reading), low 12, high None, inexact
    "between 10 and 15"  value 10 (the conservative end), low 10, high 15, inexact; "10 to 15" too

The parser works on the tokens of an already parsed Doc: no regular expression over the text,
no re-tokenising, so that offsets stay those of the Doc.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from vigil.extract.lexicon import Lexicon

RANGE_JOINERS = frozenset({"to", "-", "–", "or"})
# A number inside these entities is a date, a time, money or a percentage, never a count of people.
NON_COUNT_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number expression: its reading and the tokens ``[start, end)`` it covers (hedge included)."""

    value: int
    low: int | None
    high: int | None
    exact: bool
    hedge: str | None
    start: int
    end: int
    first_number: int  # token index where the number itself starts (after the hedge)


def _digits(text: str) -> int | None:
    """'1,200' -> 1200; '30' -> 30; anything else (decimals, '3rd', '10-15') -> None."""
    cleaned = text.replace(",", "")
    if cleaned.isdigit() and len(cleaned) <= 7 and not (len(text) > 1 and text[0] == "0"):
        return int(cleaned)
    return None


def _word_parts(tok: Token) -> list[str]:
    return [p for p in tok.lower_.split("-") if p]


def _read_number(doc: Doc, i: int, end: int, lx: Lexicon) -> tuple[int, int, bool, str | None] | None:
    """The number starting at token ``i`` (not past ``end``): (value, next index, vague, vague word)."""
    tok = doc[i]
    low = tok.lower_
    if low in ("a", "an") and i + 1 < end:
        # "a dozen", "a hundred", "a few": the article only counts with what follows
        nxt = doc[i + 1].lower_
        if nxt == "few" and "few" in lx.vague:
            return lx.vague["few"].value, i + 2, True, "a few"
        if nxt == "dozen" or nxt in lx.multipliers or nxt == "couple":
            got = _read_number(doc, i + 1, end, lx)
            return got
        return None
    if low in lx.vague and low != "few":
        j = i + 1
        if j < end and doc[j].lower_ == "of":
            j += 1
        return lx.vague[low].value, i + 1, True, low
    value = _digits(tok.text)
    j = i + 1
    if value is None:
        if low in ("a", "an", "no"):
            return None
        parts: list[str] = []
        j = i
        # collect word tokens: "twenty - three", "two hundred and fifty", "two dozen"
        while j < end:
            ps = _word_parts(doc[j])
            if parts and doc[j].lower_ in ("a", "an", "no"):
                break
            if ps and all(p in lx.units or p in lx.multipliers for p in ps):
                parts += ps
                j += 1
                continue
            joins = doc[j].text == "-" or (doc[j].lower_ == "and" and parts and parts[-1] in lx.multipliers)
            following = _word_parts(doc[j + 1]) if j + 1 < end else []
            if parts and joins and following and all(p in lx.units for p in following):
                j += 1
                continue
            break
        if not parts:
            return None
        value = _word_value(parts, lx)
    else:
        # "3 thousand", "2 dozen"
        if j < end and (doc[j].lower_ in lx.multipliers or doc[j].lower_ == "dozen"):
            value *= lx.multipliers.get(doc[j].lower_, 12)
            j += 1
    return value, j, False, None


def _word_value(parts: list[str], lx: Lexicon) -> int:
    total, current = 0, 0
    for p in parts:
        if p in lx.multipliers:
            current = max(current, 1) * lx.multipliers[p]
            if lx.multipliers[p] >= 1000:
                total, current = total + current, 0
        elif p == "dozen":
            current = max(current, 1) * 12
        else:
            current += lx.units[p]
    return total + current


def _hedge_before(doc: Doc, i: int, floor: int, lx: Lexicon) -> tuple[str, str, int] | None:
    """A hedge phrase ending just before token ``i``: (its text, its reading, its first token)."""
    for n in (3, 2, 1):
        s = i - n
        if s < floor:
            continue
        words = tuple(t.lower_ for t in doc[s:i])
        if words in lx.hedges:
            return doc[s:i].text, lx.hedges[words], s
    return None


def is_count_token(tok: Token, lx: Lexicon) -> bool:
    """Whether a token may start a count of people (cheap pre-filter before ``read_quantity``)."""
    if tok.ent_type_ in NON_COUNT_ENTS:
        return False
    low = tok.lower_
    if tok.like_num or low in lx.vague or low in ("a", "an"):
        return True
    return bool(_word_parts(tok)) and all(p in lx.units or p in lx.multipliers for p in _word_parts(tok))


def read_quantity(doc: Doc, i: int, lx: Lexicon, floor: int = 0, end: int | None = None) -> Quantity | None:
    """The quantity whose number starts at token ``i``, with any hedge before it and any range
    after it; ``floor``/``end`` bound the search (the sentence). None when ``i`` starts no number."""
    end = len(doc) if end is None else end
    if doc[i].ent_type_ in NON_COUNT_ENTS:
        return None
    got = _read_number(doc, i, end, lx)
    if got is None:
        return None
    value, j, vague, vague_word = got
    start = i
    if vague:
        v = lx.vague[vague_word.split()[-1]] if vague_word else None
        hedge = _hedge_before(doc, i, floor, lx)
        start = hedge[2] if hedge else i
        return Quantity(
            value, v.low if v else value, v.high if v else None, False,
            f"{hedge[0]} {vague_word}" if hedge else vague_word, start, j, i,
        )
    # 1. a range: "between 10 and 15", "10 to 15", "10-15"
    between = i - 1 >= floor and doc[i - 1].lower_ == "between"
    if j + 1 < end and (doc[j].lower_ in RANGE_JOINERS or (between and doc[j].lower_ == "and")):
        second = _read_number(doc, j + 1, end, lx)
        if second is not None and not second[2] and second[0] > value:
            first = i - 1 if between else i
            return Quantity(value, value, second[0], False, doc[first : second[1]].text, first, second[1], i)
    # 2. a hedge: "at least 30", "about 30", "more than 20", "up to 30"
    hedge = _hedge_before(doc, i, floor, lx)
    if hedge is None:
        return Quantity(value, value, value, True, None, i, j, i)
    text, reading, hstart = hedge
    if reading == "min" or reading == "more":
        return Quantity(value, value, None, False, text, hstart, j, i)
    if reading == "max":
        return Quantity(value, None, value, False, text, hstart, j, i)
    return Quantity(value, None, None, False, text, hstart, j, i)
