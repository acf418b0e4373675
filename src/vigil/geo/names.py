"""Folding place names for lookup, and a cheap spelling-variant key.

Two keys meet spellings that a reporter and GeoNames write differently:

- ``fold`` removes case, accents and punctuation: "Téguèy" and "Teguey" both give "teguey";
  "Sant'Anna" and "Sant Anna" both give "sant anna".
- ``variant_key`` goes further for transliterated names, where French, English and local
  spellings of one village differ in vowels and doubled letters: it drops doubled letters,
  writes "ou" as "u", "y" as "i", "kh" as "k", and cuts trailing vowels, so "Tégué",
  "Teguey" and "Téguèy" meet, as do "Tillabéry" and "Tillaberi".

Lookups try the folded key first and only fall back to the variant key, whose matches rank lower.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
     "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ʼ": "", "’": "", "‘": "", "'": "", "`": ""}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_INITIALS = re.compile(r"\b[a-z](?: [a-z]\b)+")
_DOUBLED = re.compile(r"([a-z])\1+")
_TRAILING_VOWELS = re.compile(r"(?<=[a-z]{3})[aeiou]+$")
# Transliteration pairs that differ between French and English spellings of one name.
_VARIANTS = (("ou", "u"), ("kh", "k"), ("dj", "j"), ("y", "i"), ("ph", "f"), ("ck", "k"), ("gh", "g"))


def fold(name: str) -> str:
    """Lower case, no accents, punctuation and runs of spaces as one space.

    Apostrophes vanish rather than split ("N'Djamena" -> "ndjamena") because gazetteers and
    reporters disagree on whether to write them at all."""
    if name.isascii():
        # most names: no accents to strip, skip the (slow) Unicode decomposition
        text = name.translate(_SPECIAL).lower()
    else:
        text = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    folded = _NON_ALNUM.sub(" ", text).strip()
    # Initialisms: "U.S." and "US", "D.R. Congo" and "DR Congo" must meet.
    return _INITIALS.sub(lambda m: m.group(0).replace(" ", ""), folded)


def is_latin(folded: str) -> bool:
    """True when the folded name is plain a-z/0-9 text that an English article could contain.

    Names in other scripts fold to nothing useful and only bloat the index."""
    return bool(folded) and any("a" <= ch <= "z" for ch in folded)


def variant_key(folded: str) -> str:
    """A looser key for transliteration variants of an already folded name."""
    text = folded.replace(" ", "")
    for old, new in _VARIANTS:
        text = text.replace(old, new)
    text = _DOUBLED.sub(r"\1", text)
    return _TRAILING_VOWELS.sub("", text)


def name_keys(name: str) -> tuple[str, str] | None:
    """The (folded, variant) keys of a name, or None when it is not usable in English text."""
    folded = fold(name)
    if not is_latin(folded):
        return None
    return folded, variant_key(folded)
