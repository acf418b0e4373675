"""Articles and Mentions as Parquet rows, and the on-disk layout of a batch run.

A batch run writes, under ``DIR/partitions/``::

    articles/part-NNNNN.parquet   one row per article of partition NNNNN (every field of Article)
    mentions/part-NNNNN.parquet   one row per mention: flat columns to query, plus ``mention``,
                                  the whole Mention as JSON, which is what is read back
    done/part-NNNNN.json          the done-marker, written last: the digest of the partition's
                                  article ids, counts, attempts, the worker's peak memory

Each folder is a Parquet dataset on its own (``pyarrow.dataset.dataset(DIR/partitions/mentions)``).
Files are written to a temporary name and renamed, so a reader never sees half a file and a
marker only exists once both data files do.

The flat mention columns are for analysts; the JSON column is decoded back into the domain types
with their type hints, so a field added to ``types.py`` round-trips without touching this file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from vigil import types as vt
from vigil.errors import InputError
from vigil.types import Article, Mention

ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("published", pa.date32()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("language", pa.string()),
        ("origin", pa.string()),
    ]
)

MENTION_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("index", pa.int32()),
        ("event_type", pa.string()),
        ("sub_event_type", pa.string()),
        ("date", pa.date32()),
        ("date_precision", pa.string()),
        ("country_code", pa.string()),
        ("admin1", pa.string()),
        ("place", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("geo_precision", pa.int8()),
        ("actor1", pa.string()),
        ("actor2", pa.string()),
        ("killed_low", pa.int32()),
        ("killed_high", pa.int32()),
        ("background", pa.bool_()),
        ("confidence", pa.float64()),
        ("mention", pa.string()),
    ]
)


# -- decoding JSON back into the domain types -------------------------------------------------


def _decode(value: Any, hint: Any, where: str) -> Any:
    """``value`` (plain JSON) as an instance of the type ``hint``."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        # Optional[X] is the only union in types.py; a wider one would be ambiguous to decode.
        if len(options) != 1:
            raise TypeError(f"{where}: cannot decode union {hint}")
        return _decode(value, options[0], where)
    if origin is typing.Literal:
        return value
    if origin is tuple:
        args = typing.get_args(hint)
        return tuple(_decode(v, args[0], where) for v in value)
    if origin is list:
        return [_decode(v, typing.get_args(hint)[0], where) for v in value]
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return _dataclass(hint, value, where)
        if issubclass(hint, enum.Enum):
            return hint(value)
        if hint is dt.date:
            return dt.date.fromisoformat(value)
        if hint in (int, float, str, bool):
            return hint(value)
    if typing.get_origin(hint) is None and hint is Any:
        return value
    raise TypeError(f"{where}: cannot decode type {hint}")


def _dataclass(cls: type, value: dict[str, Any], where: str) -> Any:
    hints = typing.get_type_hints(cls, vars(vt))
    kwargs = {
        f.name: _decode(value[f.name], hints[f.name], f"{where}.{f.name}")
        for f in dataclasses.fields(cls)
        if f.name in value
    }
    return cls(**kwargs)


def _plain(value: Any, fields: dict[type, tuple[str, ...]]) -> Any:
    """What ``types.to_jsonable(value)`` returns, with each dataclass's field names looked up
    once per class (kept in ``fields``) instead of once per object: writing a partition took
    0.52 CPU ms per article with ``to_jsonable``, mostly that lookup, and 0.23 this way."""
    cls = type(value)
    if value is None or cls is str or cls is int or cls is float or cls is bool:
        return value
    names = fields.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = fields[cls] = tuple(f.name for f in dataclasses.fields(cls))
    if names is not None:
        return {name: _plain(getattr(value, name), fields) for name in names}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v, fields) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, fields) for k, v in value.items()}
    return value


def mention_to_json(mention: Mention, fields: dict[type, tuple[str, ...]] | None = None) -> str:
    """The whole mention as compact JSON (floats keep their exact repr). ``fields``: a cache of
    dataclass field names to share across the mentions of a table."""
    plain = _plain(mention, {} if fields is None else fields)
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


def mention_from_json(text: str, where: str = "mention") -> Mention:
    """Inverse of ``mention_to_json``; an InputError naming ``where`` when it does not decode."""
    try:
        decoded: Mention = _dataclass(Mention, json.loads(text), where)
    except (ValueError, TypeError, KeyError) as exc:
        raise InputError(where, f"not a serialised Mention: {exc}") from exc
    return decoded


# -- rows ---------------------------------------------------------------------------------------


def mention_row(m: Mention, fields: dict[type, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """One mention as a flat Parquet row (the ``mention`` column holds all of it; ``fields`` as
    in ``mention_to_json``)."""
    place = m.location.place
    roles = {a.role: a.actor.name for a in reversed(m.actors)}  # first actor of each role wins
    killed = m.killed()
    return {
        "article_id": m.article_id,
        "index": m.index,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "date": m.date.value,
        "date_precision": m.date.precision,
        "country_code": m.location.country_code,
        "admin1": m.location.admin1,
        "place": place.name if place else m.location.toponym,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": int(m.location.precision),
        "actor1": roles.get("actor1"),
        "actor2": roles.get("actor2"),
        # The conservative reading across claims, as ACLED counts; the claims are in ``mention``.
        "killed_low": min((c.low if c.low is not None else c.value) for c in killed) if killed else None,
        "killed_high": max((c.high if c.high is not None else c.value) for c in killed) if killed else None,
        "background": m.background,
        "confidence": m.confidence,
        "mention": mention_to_json(m, fields),
    }


def article_row(a: Article) -> dict[str, Any]:
    """One article as a Parquet row."""
    return {f.name: getattr(a, f.name) for f in dataclasses.fields(Article)}


def mentions_table(mentions: Iterable[Mention]) -> pa.Table:
    """Mentions as an Arrow table with the fixed schema (an empty table when there are none)."""
    fields: dict[type, tuple[str, ...]] = {}
    return pa.Table.from_pylist([mention_row(m, fields) for m in mentions], schema=MENTION_SCHEMA)


def articles_table(articles: Iterable[Article]) -> pa.Table:
    """Articles as an Arrow table with the fixed schema."""
    return pa.Table.from_pylist([article_row(a) for a in articles], schema=ARTICLE_SCHEMA)


def mentions_from_table(table: pa.Table, where: str) -> list[Mention]:
    """The mentions stored in ``table`` (from its ``mention`` column)."""
    return [mention_from_json(s, f"{where} row {i}") for i, s in enumerate(table.column("mention").to_pylist())]


def articles_from_table(table: pa.Table) -> list[Article]:
    """The articles stored in ``table``."""
    names = {f.name for f in dataclasses.fields(Article)}
    return [Article(**{k: v for k, v in row.items() if k in names}) for row in table.to_pylist()]


# -- the layout of a run ------------------------------------------------------------------------


def ids_digest(ids: Sequence[str]) -> str:
    """A digest of a partition's article ids, in order: a marker only counts for the same content."""
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:32]


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the files of partition ``n`` live under ``root`` (``DIR/partitions``)."""

    root: Path

    def articles(self, n: int) -> Path:
        return self.root / "articles" / f"part-{n:05d}.parquet"

    def mentions(self, n: int) -> Path:
        return self.root / "mentions" / f"part-{n:05d}.parquet"

    def marker(self, n: int) -> Path:
        return self.root / "done" / f"part-{n:05d}.json"

    def attempts(self, n: int) -> Path:
        return self.root / "attempts" / f"part-{n:05d}"

    def make(self) -> None:
        for sub in ("articles", "mentions", "done", "attempts"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def read_marker(self, n: int) -> dict[str, Any] | None:
        """The marker of partition ``n``, or None when it is absent or unreadable (then: redo it)."""
        try:
            marker: dict[str, Any] = json.loads(self.marker(n).read_text())
        except (OSError, ValueError):
            return None
        return marker

    def is_done(self, n: int, digest: str) -> bool:
        """Partition ``n`` was written completely, for the same articles."""
        marker = self.read_marker(n)
        return (
            marker is not None
            and marker.get("digest") == digest
            and self.articles(n).is_file()
            and self.mentions(n).is_file()
        )


def _tmp(path: Path) -> Path:
    # The pid keeps two attempts of the same partition (a retry racing a slow first try) apart.
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` to a temporary name beside ``path``, then rename; on any failure (the write, or
    a rename that the file system refuses) the temporary file is removed, for the retry."""
    tmp = _tmp(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_table_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` via a temporary file and a rename."""
    _write_atomic(path, lambda tmp: pq.write_table(table, tmp))


def write_json_atomic(value: dict[str, Any], path: Path) -> None:
    """Write ``value`` as JSON to ``path`` via a temporary file and a rename."""
    text = json.dumps(value, indent=1, sort_keys=True)
    _write_atomic(path, lambda tmp: tmp.write_text(text))


def read_partition(layout: Layout, n: int) -> list[tuple[Article, list[Mention]]]:
    """Partition ``n`` read back: each article with its mentions, in the order they were coded."""
    where = str(layout.mentions(n))
    try:
        articles = articles_from_table(pq.read_table(layout.articles(n)))
        mentions = mentions_from_table(pq.read_table(layout.mentions(n)), where)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(where, f"partition files do not read: {exc}") from exc
    by_article: dict[str, list[Mention]] = {a.id: [] for a in articles}
    for m in mentions:
        if m.article_id not in by_article:
            raise InputError(where, f"mention {m.key} names an article that is not in the partition")
        by_article[m.article_id].append(m)
    return [(a, by_article[a.id]) for a in articles]
