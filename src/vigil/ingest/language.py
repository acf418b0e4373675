"""The offline language check: is this text English? No model, no download.

The signal is the share of the words that are common English function words
(``data/english_words.txt``), backed by the function words of other languages
(``data/other_languages.txt``) for the short texts where that share alone is unreliable.

Figures behind the thresholds (measured on paragraphs the team wrote, see tests/test_ingest.py):
the English words make up about 30-40% of English news prose and 15-25% of terse English event
notes ("Gunmen attacked a checkpoint in X, killing 3."); in French, Spanish, Portuguese, Italian,
German, Dutch, Hausa or Swahili news text they make up 0-8%, mostly "a", "in" and "as".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from vigil.errors import LanguageError, ResourceError

# 12% sits in the gap between English (15% and up) and other languages (8% and down), nearer the
# foreign side, because refusing an English report loses an event while a foreign text let
# through only yields nothing.
ENGLISH_THRESHOLD = 0.12
# Below this many words the share says little (a headline may hold none of the words), so a
# short text is refused only for its script.
MIN_WORDS_TO_JUDGE = 12
# From this many words a low share is reliable on its own; below it, terse English notes
# ("Gunmen fired on two herders near a well; one dead, one hurt.") can fall under
# the threshold, so they are refused only with evidence of another language or almost no
# English word at all.
LONG_TEXT_WORDS = 30
SHORT_TEXT_FLOOR = 0.04

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NON_ASCII_LETTERS = re.compile(r"[^\W\d_\x00-\x7f]")
_LANGUAGE_LINE = re.compile(r"([a-z]{2}):\s+(\S.*)")


def read_data_lines(name: str, path: Path | None) -> tuple[str, list[tuple[int, str]]]:
    """(where, [(line number, line)]) of a data file under vigil/data (or ``path``), without its
    comment lines and blank lines; the first line must be a comment saying what the file holds."""
    where = str(path) if path else f"vigil/data/{name}"
    try:
        raw = (
            path.read_text(encoding="utf-8")
            if path
            else resources.files("vigil.data").joinpath(name).read_text("utf-8")
        )
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{where}: cannot be read ({exc}); reinstall vigil or pass a valid file") from exc
    lines = raw.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise ResourceError(f"{where}: the first line must be a '#' comment saying what the file holds")
    return where, [
        (n, ln.strip()) for n, ln in enumerate(lines, 1) if ln.strip() and not ln.lstrip().startswith("#")
    ]


def load_english_words(path: Path | None = None) -> frozenset[str]:
    """The English function words (default ``data/english_words.txt``), one a line."""
    where, lines = read_data_lines("english_words.txt", path)
    words: set[str] = set()
    for number, line in lines:
        if not re.fullmatch(r"[a-z']+", line):
            raise ResourceError(f"{where}:{number}: expected one lower-case word, got {line!r}")
        if line in words:
            raise ResourceError(f"{where}:{number}: {line!r} is listed twice")
        words.add(line)
    if len(words) < 50:
        raise ResourceError(f"{where}: only {len(words)} words; the language check needs a fuller list")
    return frozenset(words)


def load_other_languages(english: frozenset[str], path: Path | None = None) -> dict[str, frozenset[str]]:
    """Function words of other languages, by ISO 639-1 code (default ``data/other_languages.txt``).

    A word that is also in the English list is refused: it would count for both sides.
    """
    where, lines = read_data_lines("other_languages.txt", path)
    languages: dict[str, frozenset[str]] = {}
    for number, line in lines:
        match = _LANGUAGE_LINE.fullmatch(line)
        if not match:
            raise ResourceError(f"{where}:{number}: expected 'code: word word ...', got {line!r}")
        code, words = match.group(1), frozenset(match.group(2).split())
        if code in languages or code == "en":
            raise ResourceError(f"{where}:{number}: language {code!r} is listed twice or is English")
        if shared := sorted(words & english):
            raise ResourceError(f"{where}:{number}: {', '.join(shared)} also in the English list")
        if bad := [w for w in words if w != w.lower()]:
            raise ResourceError(f"{where}:{number}: words must be lower case: {', '.join(bad)}")
        languages[code] = words
    return languages


def main_script(text: str) -> tuple[str, float]:
    """The most frequent script among the letters of ``text`` and the share of Latin letters."""
    # ASCII letters are Latin and make up nearly all of an English text: counted in one pass by
    # the regex engine; only the other letters are looked up one by one.
    counts: dict[str, int] = {"LATIN": len(_ASCII_LETTERS.findall(text))}
    for ch in _NON_ASCII_LETTERS.findall(text):
        # A Unicode name starts with its script for the scripts that matter here
        # ("LATIN SMALL LETTER E WITH ACUTE", "ARABIC LETTER ALEF", "CYRILLIC ...", "ETHIOPIC ...").
        script = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
        counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    if not total:
        return "none", 0.0
    return max(counts, key=lambda k: counts[k]), counts["LATIN"] / total


@dataclass(frozen=True)
class LanguageCheck:
    """English and other-language function words, loaded once; ``check`` raises LanguageError."""

    english: frozenset[str]
    others: dict[str, frozenset[str]]

    @classmethod
    def load(cls, english: Path | None = None, others: Path | None = None) -> LanguageCheck:
        """Load and validate the shipped word lists (or the given files)."""
        words = load_english_words(english)
        return cls(words, load_other_languages(words, others))

    def shares(self, text: str) -> tuple[int, float, str | None, float]:
        """(words, English share, most likely other language, its share) of ``text``."""
        tokens = [t.lower() for t in _WORD.findall(text)]
        if not tokens:
            return 0, 0.0, None, 0.0
        english = sum(t in self.english for t in tokens) / len(tokens)
        # The other languages only matter below the threshold; English text skips the count.
        if english >= ENGLISH_THRESHOLD:
            return len(tokens), english, None, 0.0
        counts = {code: sum(t in words for t in tokens) for code, words in self.others.items()}
        best = max(counts, key=lambda k: counts[k]) if counts else None
        if best is None or not counts[best]:
            return len(tokens), english, None, 0.0
        return len(tokens), english, best, counts[best] / len(tokens)

    def check(self, text: str, where: str) -> None:
        """Raise LanguageError naming ``where`` when ``text`` is not English."""
        # 1. Letters mostly outside the Latin script: not English, however short.
        script, latin = main_script(text)
        if latin < 0.5:
            raise LanguageError(where, f"not English: most letters are in the {script.title()} script")
        n, english, other, other_share = self.shares(text)
        # 2. Too short to judge, or enough English words: English.
        if n < MIN_WORDS_TO_JUDGE or english >= ENGLISH_THRESHOLD:
            return
        # 3. A short text under the threshold is refused only with more evidence (see above).
        if n < LONG_TEXT_WORDS and english >= SHORT_TEXT_FLOOR and other_share <= english:
            return
        looks = f"; it looks like language '{other}' ({other_share:.0%} of its words)" if other else ""
        raise LanguageError(
            where,
            f"not English: only {english:.0%} of its {n} words are common English words "
            f"(English prose has 30-40%; the limit is {ENGLISH_THRESHOLD:.0%}){looks}",
        )
