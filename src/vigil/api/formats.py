"""Output formats for events: HTML-safe JSON, GeoJSON, CSV (Vigil's or ACLED's columns), Parquet.

Article text is untrusted. JSON leaves here with ``<``, ``>`` and ``&`` written as ``\\u003c``
escapes (still the same JSON value), so that a body sniffed or pasted into HTML cannot open a
tag. CSV cells that a spreadsheet would run as a formula are prefixed with a quote.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson
from starlette.responses import JSONResponse

from vigil.errors import VigilError

_HTML_UNSAFE_BYTES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dumps_safe_bytes(value: Any) -> bytes:
    """Compact JSON as UTF-8 with no raw ``<``, ``>`` or ``&``: they only occur inside strings
    in JSON, so writing them as ``\\u003c`` escapes keeps the value identical. orjson, because
    on a page of 500 events the json module's encoder was the largest cost."""
    body = orjson.dumps(value)
    for raw, escaped in _HTML_UNSAFE_BYTES:
        body = body.replace(raw, escaped)
    return body


def dumps_safe(value: Any) -> str:
    """``dumps_safe_bytes`` as text."""
    return dumps_safe_bytes(value).decode("utf-8")


class SafeJSONResponse(JSONResponse):
    """The API's JSON response: HTML-safe JSON (see ``dumps_safe``)."""

    def render(self, content: Any) -> bytes:
        return dumps_safe_bytes(content)


def feature(event: dict[str, Any]) -> dict[str, Any]:
    """One event as a GeoJSON Feature (geometry null when the event has no coordinates)."""
    lon, lat = event["longitude"], event["latitude"]
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
    props = dict(event)
    del props["latitude"], props["longitude"]
    return {"type": "Feature", "id": event["id"], "geometry": geometry, "properties": props}


def feature_collection(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Events as a GeoJSON FeatureCollection (RFC 7946: lon, lat in WGS 84)."""
    return {"type": "FeatureCollection", "features": [feature(e) for e in events]}


def write_geojson(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Stream a FeatureCollection to ``out`` one feature at a time; returns the count."""
    out.write('{"type":"FeatureCollection","features":[\n')
    n = 0
    for event in events:
        out.write((",\n" if n else "") + dumps_safe(feature(event)))
        n += 1
    out.write("\n]}\n")
    return n


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The header and one CSV line per row, in ``columns`` order."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    yield buffer.take()
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        yield buffer.take()


def write_csv(columns: list[str], rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write CSV to ``out``; returns the number of data rows."""
    n = -1
    for n, line in enumerate(csv_lines(columns, rows)):  # noqa: B007 - n counts the lines written
        out.write(line)
    return max(n, 0)


class _LineBuffer:
    """A write target for csv.writer that hands back what was written since the last take."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts.clear()
        return text


def arrow_schema(columns: dict[str, Any]) -> Any:
    """A pyarrow schema from SQLAlchemy columns, so that a batch whose first rows are all null
    still gets the right types (inference would make them null-typed and the next batch fail)."""
    import pyarrow as pa
    from sqlalchemy import Boolean, Date, DateTime, Float, Integer

    fields = []
    for name, column in columns.items():
        kind = column.type
        if isinstance(kind, Integer):
            arrow = pa.int64()
        elif isinstance(kind, Float):
            arrow = pa.float64()
        elif isinstance(kind, Boolean):
            arrow = pa.bool_()
        elif isinstance(kind, (Date, DateTime)):
            arrow = pa.date32() if isinstance(kind, Date) else pa.timestamp("us", tz="UTC")
        else:
            arrow = pa.string()
        fields.append(pa.field(name, arrow))
    return pa.schema(fields)


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, schema: Any, batch: int = 50_000) -> int:
    """Write rows to a Parquet file with ``schema`` in batches (memory stays bounded); ISO date
    strings become dates. Returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    dates = [f.name for f in schema if pa.types.is_date32(f.type)]
    n = 0
    chunk: list[dict[str, Any]] = []
    try:
        with pq.ParquetWriter(str(path), schema) as writer:
            for row in rows:
                for name in dates:
                    if isinstance(row.get(name), str):
                        row[name] = dt.date.fromisoformat(row[name])
                chunk.append(row)
                n += 1
                if len(chunk) >= batch:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    chunk.clear()
            if chunk:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    except (OSError, pa.ArrowException) as exc:
        raise VigilError(f"{path}: cannot write Parquet: {exc}") from exc
    return n
