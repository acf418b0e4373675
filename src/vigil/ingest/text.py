"""Turning raw text into an Article: normalisation, boilerplate, language check, id.

Every span downstream is an offset into ``Article.text``, so the text is normalised exactly once,
here, and the id is the hash of that normalised text (the same story with other whitespace or
quote marks gets the same id, and the store can refuse it as a duplicate).

The two data files this module reads (``data/boilerplate.txt``, ``data/english_words.txt``) are
loaded by ``Cleaner.load`` and passed in; nothing is loaded at import time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from vigil.errors import EmptyInputError, LanguageError, ResourceError
from vigil.types import Article

# Quote marks and spaces that look alike but hash differently; mapped to one form each so that
# the same story copied from two sites gets one id and the extractors see one kind of quote.
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\t": " ", "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
        "\u2002": " ", "\u2003": " ", "\u205f": " ", "\u3000": " ",
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
        "\u2028": "\n", "\u2029": "\n\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n",
    }
)
_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Language check (see ``Cleaner.check_english``). The words of data/english_words.txt make up
# about 30-40% of the words of English news prose and still 15-25% of terse English event notes
# ("Gunmen attacked a checkpoint in X, killing 3."); in French, Spanish, Portuguese, Italian,
# German, Dutch, Hausa or Swahili news text (paragraphs the team wrote to check this) they make up
# 0-8%, mostly "a", "in" and "as". 12% sits in the gap between the two, a little nearer the foreign
# side so that terse English is not refused.
ENGLISH_THRESHOLD = 0.12
# Below this many words the share says little (a one-line headline may hold none of the words),
# so a short text is refused only when its letters are mostly outside the Latin script.
MIN_WORDS_TO_JUDGE = 12


def article_id(normalised_text: str) -> str:
    """The id of an article: the SHA-256 hex digest of its normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def _read_data_lines(name: str, path: Path | None) -> tuple[str, list[tuple[int, str]]]:
    """(where, [(line number, line)]) of a data file, without its comment lines and blanks."""
    where = str(path) if path else f"vigil/data/{name}"
    try:
        raw = path.read_text(encoding="utf-8") if path else resources.files("vigil.data").joinpath(name).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{where}: cannot be read ({exc}); reinstall vigil or pass a valid file") from exc
    lines = raw.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise ResourceError(f"{where}: the first line must be a '#' comment saying what the file holds")
    return where, [(n, ln.strip()) for n, ln in enumerate(lines, 1) if ln.strip() and not ln.lstrip().startswith("#")]


def load_boilerplate(path: Path | None = None) -> re.Pattern[str]:
    """One compiled pattern from the boilerplate file (default ``data/boilerplate.txt``).

    Each line is a regular expression that must match a whole line, case-insensitively.
    """
    where, lines = _read_data_lines("boilerplate.txt", path)
    parts = []
    for number, line in lines:
        try:
            re.compile(line)
        except re.error as exc:
            raise ResourceError(f"{where}:{number}: not a valid regular expression ({exc}): {line!r}") from exc
        if re.fullmatch(line, "", re.IGNORECASE):
            raise ResourceError(f"{where}:{number}: pattern matches an empty line, which would drop nothing useful: {line!r}")
        parts.append(f"(?:{line})")
    if not parts:
        raise ResourceError(f"{where}: holds no patterns")
    return re.compile("|".join(parts), re.IGNORECASE)


def load_english_words(path: Path | None = None) -> frozenset[str]:
    """The function words of the language check (default ``data/english_words.txt``)."""
    where, lines = _read_data_lines("english_words.txt", path)
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


def english_share(text: str, words: frozenset[str]) -> tuple[float, int]:
    """(share of the words of ``text`` that are English function words, number of words)."""
    tokens = [t.lower() for t in _WORD.findall(text)]
    if not tokens:
        return 0.0, 0
    return sum(1 for t in tokens if t in words) / len(tokens), len(tokens)


def _main_script(text: str) -> tuple[str, float]:
    """The most frequent script among the letters of ``text`` and the share of Latin letters."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            # A Unicode name starts with its script for the scripts that matter here
            # ("LATIN SMALL LETTER A", "ARABIC LETTER ALEF", "CYRILLIC ...", "CJK UNIFIED ...").
            script = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
            counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    if not total:
        return "none", 0.0
    return max(counts, key=lambda k: counts[k]), counts.get("LATIN", 0) / total


@dataclass(frozen=True)
class Cleaner:
    """The loaded data that normalisation and the language check need; build once, pass in."""

    boilerplate: re.Pattern[str]
    english_words: frozenset[str]

    @classmethod
    def load(cls, boilerplate: Path | None = None, english_words: Path | None = None) -> Cleaner:
        """Load the shipped data files (or the given ones) and validate them."""
        return cls(load_boilerplate(boilerplate), load_english_words(english_words))

    def is_boilerplate(self, line: str) -> bool:
        """Whether one normalised line is page furniture rather than the story."""
        return self.boilerplate.fullmatch(line.strip()) is not None

    def normalise(self, text: str) -> str:
        """NFC, straight quotes, one space between words, paragraphs joined by a blank line.

        A single line break inside a paragraph is a hard wrap and becomes a space; boilerplate
        lines are dropped before paragraphs are joined, so that "Advertisement" between two
        paragraphs does not glue them together.
        """
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).translate(_CHAR_MAP)
        # Other control characters carry no text; they come from bad copy-paste or PDF export.
        text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
        paragraphs = []
        for block in _BLANK_LINES.split(text):
            lines = [_SPACES.sub(" ", ln).strip() for ln in block.split("\n")]
            kept = [ln for ln in lines if ln and not self.is_boilerplate(ln)]
            if kept:
                paragraphs.append(" ".join(kept))
        return "\n\n".join(paragraphs)

    def check_english(self, text: str, where: str) -> None:
        """Raise LanguageError when ``text`` does not look like English (see ENGLISH_THRESHOLD)."""
        script, latin = _main_script(text)
        if latin < 0.5:
            raise LanguageError(where, f"not English: most letters are in the {script.title()} script")
        share, n = english_share(text, self.english_words)
        if n >= MIN_WORDS_TO_JUDGE and share < ENGLISH_THRESHOLD:
            raise LanguageError(
                where,
                f"not English: only {share:.0%} of its {n} words are common English words "
                f"(English prose has 30-40%; the limit is {ENGLISH_THRESHOLD:.0%})",
            )


def make_article(
    text: str,
    *,
    published: dt.date | None,
    url: str | None = None,
    source: str | None = None,
    title: str | None = None,
    origin: str | None = None,
    cleaner: Cleaner | None = None,
) -> Article:
    """An Article from raw text: normalised, boilerplate dropped, checked to be English.

    Raises EmptyInputError when no text is left and LanguageError when it is not English; both
    name ``origin``. Pass a loaded ``cleaner`` when making many articles.
    """
    cleaner = cleaner or Cleaner.load()
    where = origin or "<text>"
    normalised = cleaner.normalise(text)
    if not normalised:
        raise EmptyInputError(where, "no article text (empty, or only boilerplate lines)")
    cleaner.check_english(normalised, where)
    clean_title = cleaner.normalise(title).replace("\n\n", " ") if title else None
    return Article(
        id=article_id(normalised),
        text=normalised,
        published=published,
        url=url.strip() if url and url.strip() else None,
        source=source.strip() if source and source.strip() else None,
        title=clean_title or None,
        language="en",
        origin=origin,
    )
