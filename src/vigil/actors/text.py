"""Folding and tokenising names so that press spellings meet dictionary spellings.

Aliases and text are compared as token sequences: accents stripped ("Nigérien" = "Nigerien"),
apostrophes dropped inside a word ("Niger's" = "Nigers", "Jama'at" = "Jamaat"), hyphens and
spaces equivalent ("al-Shabaab" = "al Shabaab"). Spans come from the original text, so folding
never shifts an offset.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


@dataclass(frozen=True, slots=True)
class Token:
    """One word: character offsets in the original text, its folded form, and folded lowercase."""

    start: int
    end: int
    exact: str
    lower: str


def strip_accents(text: str) -> str:
    """``Téguèy`` -> ``Teguey``; characters without an ASCII base are kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_token(word: str) -> str:
    """A word's comparable form, case kept: accents and apostrophes removed."""
    return strip_accents(word).replace("'", "").replace("’", "")


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """The words of ``text[start:end]`` with absolute offsets."""
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        exact = fold_token(m.group())
        yield Token(m.start(), m.end(), exact, exact.lower())


def token_key(name: str) -> tuple[str, ...]:
    """The folded, case-kept token sequence of a name (for case-sensitive acronyms)."""
    return tuple(t.exact for t in tokens(name.replace("&", " and ")))


def lower_key(name: str) -> tuple[str, ...]:
    """The folded lowercase token sequence of a name."""
    return tuple(t.lower for t in tokens(name.replace("&", " and ")))


def is_case_sensitive(alias: str) -> bool:
    """Acronyms and very short names must match their case: "IS" is not "is", "FAMa" not "fama",
    and a name built on a two-letter acronym keeps it: "IS group" is not "is group"."""
    letters = [c for c in alias if c.isalpha()]
    if not any(c.islower() for c in letters) or len(alias) <= 4:
        return True
    return any(len(t.exact) <= 2 and t.exact.isupper() for t in tokens(alias))


def without_parentheses(name: str) -> str:
    """``Military Forces of Mali (2013-2020)`` -> ``Military Forces of Mali``."""
    return " ".join(_PAREN.sub(" ", name).split())


def parentheticals(name: str) -> list[str]:
    """The texts inside parentheses: ``Tehrik-i-Taliban Pakistan (TTP)`` -> ``["TTP"]``."""
    return [m.group()[1:-1].strip() for m in _PAREN.finditer(name)]
