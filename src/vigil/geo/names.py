"""Folding place names for lookup, and a cheap spelling-variant key.

Two keys meet spellings that a reporter and GeoNames write differently:

- ``fold`` removes case, accents and punctuation: "Téguèy" and "Teguey" both give "teguey";
  "Sant'Anna" and "Sant Anna" both give "sant anna".
- ``variant_key`` goes further for transliterated names, where French, English and local
  spellings of one village differ in vowels and doubled letters: it drops doubled letters,
  writes "ou" as "u", "y" as "i", "kh" as "k", and cuts trailing vowels, so "Tégué",
  "Teguey" and "Téguèy" meet, as do "Tillabéry" and "Tillaberi".

- ``skeleton`` drops the vowels as well, for the names of the countries a user follows village
  by village: Tamasheq, Songhay or Fulfulde names reach French and English with their vowels
  heard differently ("Tamakorata" and "Timakorata", "Sindarkou" and "Sinedarkou"). It only finds
  candidates; ``sounds_alike`` then keeps those that differ in at most two vowels and keep
  their first and last letters. ``respellings`` first brings an English spelling to the French
  one GeoNames mostly keeps for these countries ("Tinzawarek" for "Tinzaouarek", "N'Tabourit"
  for "I-n-Tabourit").

Lookups try the folded key first and only fall back to the looser keys, whose matches rank lower.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
     "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ʼ": "", "’": "", "‘": "", "'": "", "`": ""}
)
_INITIALS = re.compile(r"\b[a-z](?: [a-z]\b)+")
_DOUBLED = re.compile(r"([a-z])\1+")
_TRAILING_VOWELS = re.compile(r"(?<=[a-z]{3})[aeiou]+$")
_INNER_VOWELS = re.compile(r"(?<=.)[aeiou]+")
# Transliteration pairs that differ between French and English spellings of one name.
_VARIANTS = (("ou", "u"), ("kh", "k"), ("dj", "j"), ("y", "i"), ("ph", "f"), ("ck", "k"), ("gh", "g"))


class _FoldTable(dict[int, str]):
    """``str.translate`` table of the folding, one character at a time, filled on first use.

    Folding a character does not depend on its neighbours once the combining marks are dropped,
    so a per-character table gives what decomposing the whole name would, without calling
    ``unicodedata`` for every character of every name (the slow part of a bulk import)."""

    def __missing__(self, code: int) -> str:
        text = unicodedata.normalize("NFKD", chr(code).translate(_SPECIAL))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
        folded = "".join(ch if ch in _ALNUM else " " for ch in text)
        self[code] = folded
        return folded


_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
_FOLD = _FoldTable()


def fold(name: str) -> str:
    """Lower case, no accents, punctuation and runs of spaces as one space.

    Apostrophes vanish rather than split ("N'Djamena" -> "ndjamena") because gazetteers and
    reporters disagree on whether to write them at all."""
    folded = " ".join(name.translate(_FOLD).split())
    # Initialisms: "U.S." and "US", "D.R. Congo" and "DR Congo" must meet.
    return _INITIALS.sub(_close_up, folded) if " " in folded else folded


# Abbreviations news and gazetteers write either way ("St. Petersburg" and "Saint Petersburg",
# "Mt. Kenya", "Ft. Worth"); a word is read as one only before another word ("Main St" is a street)
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_SPELLED = {full: short for short, full in ABBREVIATIONS.items()}


# Tamasheq names of "Tin-" ("she of"), which GeoNames writes "Ti-n-Tabourit" (folded "ti n
# tabourit") and the press "Tin Tabourit" or "Tin-Tabourit" ("I-n-" folds to "in" either way)
TAMASHEQ_TIN, TAMASHEQ_TI_N = "tin ", "ti n "


def spellings(folded: str) -> list[str]:
    """The other ways of writing a folded name's abbreviations: "st petersburg" ->
    ["saint petersburg"], "saint louis" -> ["st louis"]; and of its Tamasheq "Tin-" ("tin
    tabourit" -> ["ti n tabourit"] and back); [] when it has none."""
    words = folded.split(" ")
    if len(words) < 2:
        return []
    out = []
    for table in (ABBREVIATIONS, _SPELLED):
        other = [table.get(w, w) if i < len(words) - 1 else w for i, w in enumerate(words)]
        if other != words:
            out.append(" ".join(other))
    if folded.startswith(TAMASHEQ_TIN):
        out.append(TAMASHEQ_TI_N + folded[len(TAMASHEQ_TIN):])
    elif folded.startswith(TAMASHEQ_TI_N) and len(words) > 2:
        out.append(TAMASHEQ_TIN + folded[len(TAMASHEQ_TI_N):])
    return out


def _close_up(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "")


def is_latin(folded: str) -> bool:
    """True when the folded name is plain a-z/0-9 text that an English article could contain.

    Names in other scripts fold to nothing useful and only bloat the index."""
    return bool(folded) and any("a" <= ch <= "z" for ch in folded)


def variant_key(folded: str) -> str:
    """A looser key for transliteration variants of an already folded name."""
    return _TRAILING_VOWELS.sub("", transliterated(folded))


def transliterated(folded: str) -> str:
    """``variant_key`` short of cutting the trailing vowels: two names that give the same are
    one name in two transliterations ("Tillabéry", "Tillaberi"), while a shared variant key alone
    also meets a different name that ends in another vowel ("Sorba", "Sorbi")."""
    text = folded.replace(" ", "")
    for old, new in _VARIANTS:
        if old in text:
            text = text.replace(old, new)
    return _DOUBLED.sub(_first_letter, text)


def one_name(a: str, b: str) -> bool:
    """Folded ``a`` and ``b`` are one name in two transliterations ("Tillabéry", "Tillaberi"),
    a French silent final "e" aside ("I-n-Kadagotane", "I-n-Kadagotan")."""
    return _silent_e(transliterated(a)) == _silent_e(transliterated(b))


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


def name_keys(name: str) -> tuple[str, str] | None:
    """The (folded, variant) keys of a name, or None when it is not usable in English text."""
    folded = fold(name)
    # is_latin for a folded name (only a-z, 0-9 and spaces): some letter survives the strip
    if not folded.strip("0123456789 "):
        return None
    return folded, variant_key(folded)


def looser_keys(folded: str) -> tuple[str, str]:
    """``variant_key`` and ``skeleton`` of a folded name, transliterating it once (for imports)."""
    text = transliterated(folded)
    return _TRAILING_VOWELS.sub("", text), _INNER_VOWELS.sub("", text)


def skeleton(folded: str) -> str:
    """The consonants of a folded name in another transliteration, after its first letter:
    "tamakorata" and "timakorata" both give "tmkrt"; "sindarkou" and "sinedarkou" both "sndrk"."""
    return _INNER_VOWELS.sub("", transliterated(folded))


def _silent_e(text: str) -> str:
    """``text`` without a final "e" after a consonant, which French writes and does not say."""
    return text[:-1] if len(text) > 2 and text[-1] == "e" and text[-2] not in _VOWELS else text


def _same_ends(a: str, b: str, letters: int) -> bool:
    """Transliterated ``a`` and ``b`` are both ``letters`` long or more and share their first
    and last letter (a silent final "e" aside)."""
    return min(len(a), len(b)) >= letters and a[0] == b[0] and _silent_e(a)[-1] == _silent_e(b)[-1]


SOUND_EDITS = 2  # vowels added, dropped or changed between two spellings of one name
SOUND_LETTERS = 6  # a shorter name has too many namesakes that differ from it in a vowel


def sounds_alike(written: str, name: str) -> bool:
    """Folded ``written`` and ``name`` are one name with its vowels heard differently: the same
    consonants in the same order (one ``skeleton``), the same first and last letter, and at
    most ``SOUND_EDITS`` vowels apart. The last letter counts because a final vowel often makes
    another word ("Sorba", "Sorbi"), but not a French silent "e" ("Koradimane", "Koradiman"); a
    short name is never matched this way."""
    a, b = transliterated(written), transliterated(name)
    if not _same_ends(a, b, SOUND_LETTERS):
        return False
    return a == b or (skeleton(written) == skeleton(name) and _edits(a, b, SOUND_EDITS) <= SOUND_EDITS)


LONG_LETTERS = 9  # a name this long stays itself with one consonant more or less
_CONSONANTS = "bcdfghjklmnpqrstvwxz"  # the consonants of a transliterated name ("y" is "i")


def near_skeletons(folded: str) -> list[str]:
    """The skeletons a name has with one consonant more or one less after its first letter, to
    look up the names that ``sounds_near`` may keep ("Tadoumarat", "Tadoumarast")."""
    bones = skeleton(folded)
    out = {bones[:i] + bones[i + 1:] for i in range(1, len(bones))}
    out |= {bones[:i] + c + bones[i:] for i in range(1, len(bones) + 1) for c in _CONSONANTS}
    out.discard(bones)
    return sorted(out)


def sounds_near(written: str, name: str) -> bool:
    """Folded ``written`` and ``name`` are one long name (``LONG_LETTERS`` or more) that a
    reporter heard with one consonant more or less, and perhaps a vowel otherwise: at most
    ``SOUND_EDITS`` edits apart, one of them the consonant, keeping the first and last letter."""
    a, b = transliterated(written), transliterated(name)
    if not _same_ends(a, b, LONG_LETTERS):
        return False
    one, other = skeleton(written), skeleton(name)
    return abs(len(one) - len(other)) == 1 and _edits(one, other, 1) == 1 and _edits(a, b, SOUND_EDITS) <= SOUND_EDITS


# English spellings of the sounds that GeoNames writes the French way in the countries a user
# follows: "w" for "ou" ("Tinzawarek", "Tinzaouarek"), "c" before a back vowel for "k"
# ("Kacourou", "Kakourou"), "th" for "t" ("Gathibo", "Gatibo").
_ENGLISH = ((re.compile("w"), "ou"), (re.compile("c(?=[aou])"), "k"), (re.compile("th"), "t"))
# Tamasheq names of "In-" ("the one of"): GeoNames writes "I-n-Tabourit", the press "N'Tabourit"
_TAMASHEQ_IN = re.compile("^n(?=[^aeiouy])")
_VOWELS = "aeiou"


def respellings(folded: str) -> list[str]:
    """Other spellings of a folded name to look for among the names of the followed countries,
    besides the name as written: in GeoNames' French conventions (see ``_ENGLISH``, "N'" for
    "In-"), and with each other first vowel, which Tamasheq names take as they are heard
    ("Ekarbane", "Ikarbane"). Empty for a name that none of this applies to."""
    text = folded.replace(" ", "")
    french = _TAMASHEQ_IN.sub("in", text)
    for pattern, sound in _ENGLISH:
        french = pattern.sub(sound, french)
    out = [french] if french != text else []
    if text[:1] in _VOWELS:
        out += [v + french[1:] for v in _VOWELS if v != french[0]]
    return out


SPELLING_MOST = 5  # spelling_distance counts this far


def spelling_distance(a: str, b: str) -> int:
    """How many letters two folded names differ by (Levenshtein, counted up to ``SPELLING_MOST``)."""
    return 0 if a == b else _edits(a, b, SPELLING_MOST)


def _edits(a: str, b: str, most: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``most + 1`` once it must exceed ``most``."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > most:
            return most + 1
        prev = cur
    return prev[-1]
