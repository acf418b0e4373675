"""``read_inputs``: files, folders and stdin to Articles, one bad input never stopping the rest.

Formats, chosen by the file name's ending:
    .txt                    the reference format: ``date YYYY-MM-DD`` then the text
    .jsonl .ndjson .jsonl.gz  one JSON object a line (see ``records``)
    .json                   one object or a list of objects
    .csv                    a header row with a 'text' column
    .html .htm              a saved page; text and metadata by trafilatura
    .parquet                a table with a 'text' column
    -                       stdin: JSON Lines when it starts with '{', else the reference format

Every problem is yielded as an InputError value naming the file (and the record), never raised,
so that the caller can store the rejection and go on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from vigil.errors import DateLineError, EmptyInputError, EncodingError, FormatError, InputError, TooLargeError
from vigil.ingest import records
from vigil.ingest.text import Cleaner, make_article
from vigil.types import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN_NAME = "<stdin>"

_DATE_LINE = re.compile(r"\A\s*date\b[ \t]*[:=]?[ \t]*(\S*)", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

Reader = Callable[[Path, int, Cleaner], Iterator[Article | InputError]]


def _size_mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a file by its size before reading a byte of it."""
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLargeError(
            str(path), f"file is {_size_mb(size)}, over the {_size_mb(max_bytes)} limit (setting max_file_mb)"
        )
    if size == 0:
        raise EmptyInputError(str(path), "file is empty")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file, after ``check_size``."""
    check_size(path, max_bytes)
    return path.read_bytes()


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text from bytes (UTF-16 when it has a byte order mark); never guesses another codec.

    A wrong guess would change the text without a word, and every span and id with it, so an
    undecodable file is refused with the position of the first bad byte instead.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(where, f"not valid UTF-16 at byte {exc.start}") from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EncodingError(where, f"binary file (NUL byte at offset {nul}), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EncodingError(
            where,
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line}, column {column}) "
            "cannot be decoded; save the file as UTF-8",
        ) from exc
    if not text.strip():
        raise EmptyInputError(where, "file holds only whitespace")
    return text


def split_date_line(text: str, where: str) -> tuple[dt.date, str]:
    """(published date, the rest) of a text in the reference format ``date YYYY-MM-DD text...``."""
    match = _DATE_LINE.match(text)
    if not match:
        start = text.strip()[:40]
        raise DateLineError(where, f"does not start with a 'date YYYY-MM-DD' line (it starts with {start!r})")
    token = match.group(1)
    if not _ISO_DATE.fullmatch(token):
        raise DateLineError(where, f"date line has {token!r} where YYYY-MM-DD is expected")
    try:
        published = dt.date.fromisoformat(token)
    except ValueError as exc:
        raise DateLineError(where, f"date line {token!r} is not a real date ({exc})") from exc
    return published, text[match.end() :]


def reference_article(text: str, where: str, cleaner: Cleaner) -> Article:
    """An Article from a text in the reference format."""
    published, body = split_date_line(text, where)
    return make_article(body, published=published, origin=where, cleaner=cleaner)


def read_txt(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """One article from a .txt file in the reference format."""
    yield reference_article(decode_text(read_bytes(path, max_bytes), str(path)), str(path), cleaner)


def _decode_html(data: bytes, where: str) -> str:
    """HTML bytes to text, honouring a declared charset; UTF-8 otherwise."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        codec = declared.group(1).decode("ascii").lower()
        if codec not in ("utf-8", "utf8"):
            try:
                return data.decode(codec)
            except LookupError as exc:
                raise EncodingError(where, f"declares an unknown charset {codec!r}") from exc
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    where, f"not valid {codec} (its declared charset) at byte {exc.start}"
                ) from exc
    return decode_text(data, where)


def html_article(html: str, where: str, cleaner: Cleaner, url: str | None = None) -> Article:
    """An Article from an HTML page: trafilatura's main text, title, date, site and URL."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted pages: any failure is this page's
        raise FormatError(where, f"the HTML page could not be parsed ({type(exc).__name__}: {exc})") from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise EmptyInputError(where, "no article text found in the HTML page")
    title = getattr(doc, "title", None)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    # trafilatura repeats the headline as the first line; it is kept in ``title`` only, so that
    # the story's first event is not read twice.
    if title and lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    published = None
    raw_date = getattr(doc, "date", None)
    if raw_date:
        published = records.parse_date(raw_date, where)
    # One paragraph a line in trafilatura's output; a blank line between them is our format.
    return make_article(
        "\n\n".join(lines),
        published=published,
        url=getattr(doc, "url", None) or url,
        source=getattr(doc, "sitename", None) or getattr(doc, "hostname", None),
        title=title,
        origin=where,
        cleaner=cleaner,
    )


def read_html(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """One article from a saved HTML page."""
    yield html_article(_decode_html(read_bytes(path, max_bytes), str(path)), str(path), cleaner)


def read_jsonl(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a JSON Lines file; a bad line is an error for that line only."""
    yield from records.read_json_lines(read_bytes(path, max_bytes).split(b"\n"), str(path), cleaner)


def read_jsonl_gz(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a gzip-compressed JSON Lines file."""
    check_size(path, max_bytes)
    yield from records.read_jsonl_gz(path, max_bytes, cleaner)


def read_json(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a JSON file."""
    yield from records.read_json(decode_text(read_bytes(path, max_bytes), str(path)), str(path), cleaner)


def read_csv(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a CSV file."""
    yield from records.read_csv(decode_text(read_bytes(path, max_bytes), str(path)), str(path), cleaner)


def read_parquet(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a Parquet file."""
    check_size(path, max_bytes)
    yield from records.read_parquet(path, cleaner)


# Longest ending first, so that ".jsonl.gz" wins over ".gz".
READERS: dict[str, Reader] = {
    ".jsonl.gz": read_jsonl_gz,
    ".ndjson.gz": read_jsonl_gz,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".html": read_html,
    ".htm": read_html,
    ".parquet": read_parquet,
    ".txt": read_txt,
}


def reader_for(path: Path) -> Reader | None:
    """The reader for a file name, or None when Vigil does not read that kind of file."""
    name = path.name.lower()
    return next((reader for ending, reader in READERS.items() if name.endswith(ending)), None)


def read_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, cleaner: Cleaner
) -> Iterator[Article | InputError]:
    """The articles of one file, and an InputError value for each thing that could not be read."""
    reader = reader_for(path)
    if reader is None:
        yield FormatError(str(path), f"unknown kind of file; Vigil reads {', '.join(READERS)}")
        return
    try:
        yield from reader(path, max_bytes, cleaner)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(str(path), f"cannot be read ({exc.strerror or exc})")


def walk_folder(folder: Path) -> list[Path]:
    """The readable files under ``folder``, recursively, in sorted order, hidden ones skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / f for f in files if not f.startswith(".") and reader_for(Path(f)))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def read_stdin(stream: IO[bytes], *, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from stdin: JSON Lines when it starts with '{', else one reference-format text."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield TooLargeError(
            STDIN_NAME, f"input is over the {_size_mb(max_bytes)} limit (setting max_file_mb)"
        )
        return
    if not data.strip():
        yield EmptyInputError(STDIN_NAME, "nothing on stdin")
        return
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        yield from records.read_json_lines(data.split(b"\n"), STDIN_NAME, cleaner)
        return
    try:
        yield reference_article(decode_text(data, STDIN_NAME), STDIN_NAME, cleaner)
    except InputError as exc:
        yield exc


def read_inputs(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cleaner: Cleaner | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | InputError]:
    """Articles from files, folders (recursive) and "-" (stdin), with an InputError value for
    every file or record that could not be read; never raises for one bad input."""
    cleaner = cleaner or Cleaner.load()
    for given in paths:
        if given == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, max_bytes=max_bytes, cleaner=cleaner)
            continue
        path = Path(given)
        if path.is_dir():
            files = walk_folder(path)
            if not files:
                yield EmptyInputError(given, f"folder holds no file that Vigil reads ({', '.join(READERS)})")
            for file in files:
                yield from read_file(file, max_bytes=max_bytes, cleaner=cleaner)
        elif path.exists():
            yield from read_file(path, max_bytes=max_bytes, cleaner=cleaner)
        else:
            yield InputError(given, "no such file or folder")
