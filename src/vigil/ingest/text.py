"""Turning raw text into an Article: normalisation, boilerplate, language check, id.

Every span downstream is an offset into ``Article.text``, so the text is normalised exactly once,
here, and the id is the hash of that normalised text (the same story with other whitespace or
quote marks gets the same id, and the store can refuse it as a duplicate).

The data files (``data/boilerplate.txt`` here, the word lists of ``language``) are loaded by
``Cleaner.load`` and passed in; nothing is loaded at import time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from vigil.errors import EmptyInputError, ResourceError
from vigil.ingest.language import LanguageCheck, read_data_lines
from vigil.types import Article

# Quote marks and spaces that look alike but hash differently; mapped to one form each so that
# the same story copied from two sites gets one id and the extractors see one kind of quote.
# fmt: off
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
# fmt: on
# UTF-8 read as Latin-1 or Windows-1252 somewhere upstream ("professorâ\x80\x99s", "â€™"): a
# lead character and the exact number of continuation characters its byte asks for. Repaired
# before anything else, since stripping the control characters would leave a stray "â" behind.
_CONT = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)
_SPACES = re.compile(r" {2,}")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # Unicode category Cc, less the newline
_BLANK_LINES = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"""[.!?:;\u2026]["')\]]*$""")
# The longest line a boilerplate pattern is tried on; the patterns match lines well under it.
MAX_BOILERPLATE_LINE = 300


def article_id(normalised_text: str) -> str:
    """The id of an article: the SHA-256 hex digest of its normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def load_boilerplate(path: Path | None = None) -> re.Pattern[str]:
    """One compiled pattern from the boilerplate file (default ``data/boilerplate.txt``).

    Each line is a regular expression that must match a whole line, case-insensitively.
    """
    where, lines = read_data_lines("boilerplate.txt", path)
    parts = []
    for number, line in lines:
        try:
            re.compile(line)
        except re.error as exc:
            raise ResourceError(
                f"{where}:{number}: not a valid regular expression ({exc}): {line!r}"
            ) from exc
        if re.fullmatch(line, "", re.IGNORECASE):
            raise ResourceError(
                f"{where}:{number}: pattern matches an empty line, which would drop nothing useful: {line!r}"
            )
        parts.append(f"(?:{line})")
    if not parts:
        raise ResourceError(f"{where}: holds no patterns")
    return re.compile("|".join(parts), re.IGNORECASE)


def _unmojibake(match: re.Match[str]) -> str:
    chars = match.group()
    try:
        raw = b"".join(ch.encode("cp1252") if ord(ch) > 0xFF else ch.encode("latin-1") for ch in chars)
        return raw.decode("utf-8")
    except UnicodeError:
        return chars  # not mojibake after all: leave the text as it was


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/Windows-1252 ("â\x80\x99" back to "\u2019")."""
    return _MOJIBAKE.sub(_unmojibake, text)


def _character_pass(text: str) -> str:
    text = unicodedata.normalize("NFC", repair_mojibake(text)).translate(_CHAR_MAP)
    # Other control characters carry no text; they come from bad copy-paste or PDF export.
    return _CONTROL.sub("", text)


def clean_characters(text: str) -> str:
    """Mojibake repaired, NFC, one form of quotes and spaces, no invisible or control characters.

    Dropping a character can bring two others together into a new mojibake pair or a new NFC
    composition, so the pass repeats until nothing changes: the result must be the same when
    stored text is read in again, or its id would change.
    """
    text = text.replace("\r\n", "\n")
    if text.isascii():
        return _character_pass(text)  # no mojibake and no composition in ASCII: one pass is final
    for _ in range(5):
        cleaned = _character_pass(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def _ends_paragraph(line: str) -> bool:
    """Whether a line break after ``line`` ends a paragraph rather than wrapping one."""
    if _SENTENCE_END.search(line):
        return True
    # A heading ("Attack in Teguey: A Deadly Ambush") is short and mostly capitalised; joining
    # it to the next sentence would make one long false sentence for the parser.
    words = [w for w in line.split() if w[0].isalpha()]
    return 0 < len(words) <= 12 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


@dataclass(frozen=True)
class Cleaner:
    """The loaded data that normalisation and the language check need; build once, pass in."""

    boilerplate: re.Pattern[str]
    language: LanguageCheck

    @classmethod
    def load(
        cls,
        boilerplate: Path | None = None,
        english_words: Path | None = None,
        other_languages: Path | None = None,
    ) -> Cleaner:
        """Load the shipped data files (or the given ones) and validate them."""
        return cls(load_boilerplate(boilerplate), LanguageCheck.load(english_words, other_languages))

    def is_boilerplate(self, line: str) -> bool:
        """Whether one normalised line is page furniture rather than the story."""
        line = line.strip()
        # Furniture is short; a long line is story, and skipping it spares the pattern's
        # backtracking over a whole paragraph.
        return len(line) <= MAX_BOILERPLATE_LINE and self.boilerplate.fullmatch(line) is not None

    def normalise(self, text: str) -> str:
        """Mojibake repaired, NFC, straight quotes, one space between words, paragraphs joined by a blank line.

        A single line break is a paragraph break after a line that ends a sentence or reads like
        a heading (many texts from feeds and scrapers put one paragraph a line); otherwise it is
        a hard wrap and becomes a space. Boilerplate lines are dropped first, so that
        "Advertisement" between two paragraphs does not glue them together.
        """
        text = clean_characters(text)
        paragraphs = []
        for block in _BLANK_LINES.split(text):
            lines = [_SPACES.sub(" ", ln).strip() for ln in block.split("\n")]
            current: list[str] = []
            for line in lines:
                if not line or self.is_boilerplate(line):
                    continue
                current.append(line)
                if _ends_paragraph(line):
                    paragraphs.append(" ".join(current))
                    current = []
            if current:
                paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs)

    def check_english(self, text: str, where: str) -> None:
        """Raise LanguageError naming ``where`` when ``text`` is not English (see ``language``)."""
        self.language.check(text, where)


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
