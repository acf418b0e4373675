"""Readers for files of many records: JSONL (plain or gzip), JSON, CSV and Parquet.

Each record has the fields ``text`` (required), ``published`` or ``date``, ``url``, ``source`` and
``title``. A bad record becomes an InputError naming the file and the line, row or record, and
the reader goes on with the next one; only a file that cannot be read at all stops early.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from vigil.errors import DateLineError, EmptyInputError, EncodingError, FormatError, InputError, TooLargeError
from vigil.ingest.text import Cleaner, make_article
from vigil.types import Article

FIELDS = ("text", "published", "date", "url", "source", "title")


def parse_date(value: Any, where: str) -> dt.date | None:
    """A publication date from a record: a date, a datetime, or an ISO string (time ignored)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        try:
            # The date part alone, so that "2024-03-23T10:00:00Z" and "2024-03-23 10:00" both work
            # and the time zone of a timestamp never moves the date.
            return (
                dt.date.fromisoformat(raw[:10])
                if len(raw) >= 10 and raw[4] == "-"
                else dt.date.fromisoformat(raw)
            )
        except ValueError as exc:
            raise DateLineError(
                where, f"published date {raw!r} is not a valid YYYY-MM-DD date ({exc})"
            ) from exc
    raise DateLineError(where, f"published date {value!r} is a {type(value).__name__}, expected YYYY-MM-DD")


def _optional_str(record: Mapping[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(where, f"field {key!r} must be a string, got {type(value).__name__}")
    return value


def record_to_article(record: Mapping[str, Any], where: str, cleaner: Cleaner) -> Article:
    """One record (a JSON object, a CSV row, a Parquet row) to an Article; InputError if bad."""
    if "text" not in record:
        raise FormatError(
            where, f"record has no 'text' field (fields: {', '.join(map(str, record)) or 'none'})"
        )
    text = record["text"]
    if text is None or (isinstance(text, str) and not text.strip()):
        raise EmptyInputError(where, "the 'text' field is empty")
    if not isinstance(text, str):
        raise FormatError(where, f"the 'text' field must be a string, got {type(text).__name__}")
    published_raw = record.get("published")
    if published_raw is None or published_raw == "":
        published_raw = record.get("date")
    return make_article(
        text,
        published=parse_date(published_raw, where),
        url=_optional_str(record, "url", where),
        source=_optional_str(record, "source", where),
        title=_optional_str(record, "title", where),
        origin=where,
        cleaner=cleaner,
    )


def _json_line(raw: bytes, where: str, cleaner: Cleaner) -> Article:
    if b"\x00" in raw:
        raise EncodingError(where, "binary data (NUL byte), not a line of JSON text")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            where, f"not UTF-8: byte 0x{raw[exc.start]:02x} at column {exc.start + 1} cannot be decoded"
        ) from exc
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(where, f"not JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise FormatError(where, "JSON nested too deeply to read") from exc
    if not isinstance(record, dict):
        raise FormatError(where, f"a JSON {type(record).__name__}, expected an object with a 'text' field")
    return record_to_article(record, where, cleaner)


def read_json_lines(lines: Iterable[bytes], name: str, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from JSON Lines given as raw byte lines; errors name ``name:line``."""
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte order mark some editors write
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        try:
            yield _json_line(raw, where, cleaner)
        except InputError as exc:
            yield exc


def _gzip_lines(stream: IO[bytes], name: str, max_bytes: int) -> Iterator[bytes]:
    """The lines of a gzip stream, each at most ``max_bytes`` (a guard against a gzip bomb)."""
    with gzip.GzipFile(fileobj=stream) as gz:
        number = 0
        while True:
            try:
                raw = gz.readline(max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise FormatError(name, f"not a valid gzip file after line {number} ({exc})") from exc
            if not raw:
                return
            number += 1
            if len(raw) > max_bytes:
                raise TooLargeError(f"{name}:{number}", f"line is over the {max_bytes:,} byte limit")
            yield raw


def read_jsonl_gz(path: Path, max_bytes: int, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a gzip-compressed JSON Lines file, decompressed as a stream."""
    with path.open("rb") as stream:
        try:
            yield from read_json_lines(_gzip_lines(stream, str(path), max_bytes), str(path), cleaner)
        except InputError as exc:
            yield exc


def read_json(text: str, name: str, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a JSON file holding one object or a list of objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield FormatError(name, f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, 1):
        where = f"{name} record {number}" if isinstance(data, list) else name
        if not isinstance(record, dict):
            yield FormatError(
                where, f"a JSON {type(record).__name__}, expected an object with a 'text' field"
            )
            continue
        try:
            yield record_to_article(record, where, cleaner)
        except InputError as exc:
            yield exc


def read_csv(text: str, name: str, cleaner: Cleaner) -> Iterator[Article | InputError]:
    """Articles from a CSV file with a header row naming a 'text' column.

    The delimiter is a comma unless the header has none and has semicolons or tabs instead
    (spreadsheets in many locales save CSV with semicolons).
    """
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "," if "," in header else max(";\t|", key=header.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    except csv.Error as exc:
        yield FormatError(name, f"not a readable CSV header ({exc})")
        return
    if "text" not in columns:
        yield FormatError(name, f"no 'text' column in the header (columns: {', '.join(columns) or 'none'})")
        return
    # Header names are matched without case or surrounding spaces ("Text", " url ").
    reader.fieldnames = columns
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader's position is unknown after a broken quote, so the file stops here.
            yield FormatError(f"{name}:{start}", f"not valid CSV ({exc}); the rest of the file is skipped")
            return
        where = f"{name}:{start}"
        start = reader.line_num + 1
        if None in row:
            yield FormatError(where, f"row has more fields than the header's {len(columns)}")
            continue
        try:
            yield record_to_article(row, where, cleaner)
        except InputError as exc:
            yield exc


def read_parquet(path: Path, cleaner: Cleaner, batch_size: int = 1024) -> Iterator[Article | InputError]:
    """Articles from a Parquet file with a 'text' column, read in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield FormatError(name, f"not a readable Parquet file ({exc})")
        return
    columns = [c for c in parquet.schema_arrow.names if c in FIELDS]
    if "text" not in columns:
        yield FormatError(
            name, f"no 'text' column (columns: {', '.join(parquet.schema_arrow.names) or 'none'})"
        )
        return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
            for row in batch.to_pylist():
                number += 1
                where = f"{name} row {number}"
                try:
                    yield record_to_article(row, where, cleaner)
                except InputError as exc:
                    yield exc
    except (pa.ArrowException, OSError) as exc:
        yield FormatError(name, f"Parquet data cannot be read after row {number} ({exc})")
