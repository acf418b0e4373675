"""Event filters shared by ``GET /api/events``, ``GET /api/stats`` and ``vigil export``.

An ``EventFilter`` is a plain value, validated when built (``InputError`` names the parameter and
the problem); ``where_clauses`` turns it into parameterised SQLAlchemy conditions over the store's
``events`` table, so user text never reaches SQL as SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from vigil.errors import InputError
from vigil.store.schema import event_actors, events

MAX_LIMIT = 1000  # one page of events, for the API; exports stream instead
MAX_TEXT = 200  # characters of a text filter; longer queries are refused, not truncated

# Sort keys a client may ask for; "-" in front sorts descending. Then seq (unique, the creation
# order) makes the order total, so that pages never repeat or skip an event; the indexes end
# with it (migration 0002), so that they give the whole order and a page reads only its rows.
SORT_COLUMNS: dict[str, Any] = {
    "date": events.c.date,
    "fatalities": events.c.fatalities_best,
    "country": events.c.country,
    "type": events.c.event_type,
    "reports": events.c.n_reports,
    "updated": events.c.updated_at,
}
SORT_CHOICES = tuple(sorted([*SORT_COLUMNS, *(f"-{k}" for k in SORT_COLUMNS)]))


@dataclass(frozen=True)
class EventFilter:
    """What to select. Empty tuples and None mean "any"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    countries: tuple[str, ...] = ()  # ISO alpha-2 codes or country names
    admin1: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actor: str | None = None  # an actor id, or words in an actor's name
    q: str | None = None  # words in the notes, place or actor names
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    min_fatalities: int | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("date_from", f"{self.date_from} is after date_to {self.date_to}")
        if self.min_fatalities is not None and self.min_fatalities < 0:
            raise InputError("min_fatalities", f"{self.min_fatalities} is negative")
        for name in ("actor", "q"):
            value = getattr(self, name)
            if value is not None and len(value) > MAX_TEXT:
                raise InputError(name, f"longer than {MAX_TEXT} characters")
        if self.bbox is not None:
            check_bbox(self.bbox)
        # PostgreSQL refuses NUL in text; refuse it here with a message instead of a 500.
        texts = [*self.countries, *self.admin1, *self.event_types, self.actor or "", self.q or ""]
        if any("\x00" in t for t in texts):
            raise InputError("filter", "text contains a NUL character")


def check_bbox(box: tuple[float, float, float, float]) -> None:
    """Refuse a bounding box that is not min lon, min lat, max lon, max lat on the globe."""
    min_lon, min_lat, max_lon, max_lat = box
    if not all(math.isfinite(v) for v in box):
        raise InputError("bbox", "coordinates must be finite numbers")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InputError("bbox", f"{box} is not min_lon,min_lat,max_lon,max_lat within -180..180 and -90..90")
    if min_lon > max_lon:
        raise InputError("bbox", "min_lon is greater than max_lon (boxes across the antimeridian are not supported)")


def split_list(raw: str | None) -> tuple[str, ...]:
    """``"NE, ML"`` -> ``("NE", "ML")``; empty items are dropped."""
    if not raw:
        return ()
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """``"min_lon,min_lat,max_lon,max_lat"`` -> a checked tuple, or None when absent."""
    if raw is None or not raw.strip():
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise InputError("bbox", f"{raw!r} needs four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        box = (float(parts[0]), float(parts[1]), float(parts[2]), float(parts[3]))
    except ValueError as exc:
        raise InputError("bbox", f"{raw!r} is not four numbers") from exc
    check_bbox(box)
    return box


def make_filter(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    country: str | None = None,
    admin1: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    q: str | None = None,
    bbox: str | None = None,
    min_fatalities: int | None = None,
) -> EventFilter:
    """An EventFilter from the raw query-string values (comma-separated lists, bbox as text)."""
    return EventFilter(
        date_from=date_from,
        date_to=date_to,
        countries=split_list(country),
        admin1=split_list(admin1),
        event_types=split_list(event_type),
        actor=actor.strip() or None if actor else None,
        q=q.strip() or None if q else None,
        bbox=parse_bbox(bbox),
        min_fatalities=min_fatalities,
    )


def _words_match(columns: list[Any], text: str) -> ColumnElement[bool]:
    """Every word of ``text`` appears (case-insensitively) in one of ``columns``."""
    per_word = [or_(*(col.icontains(word, autoescape=True) for col in columns)) for word in text.split()]
    return and_(*per_word)


def where_clauses(f: EventFilter) -> list[ColumnElement[bool]]:
    """The SQL conditions for ``f`` over ``events``; bound parameters only."""
    e = events.c
    out: list[ColumnElement[bool]] = []
    if f.date_from:
        out.append(e.date >= f.date_from)
    if f.date_to:
        out.append(e.date <= f.date_to)
    if f.countries:
        codes = [c.upper() for c in f.countries if len(c) == 2]
        names = [c.lower() for c in f.countries if len(c) != 2]
        parts = []
        if codes:
            parts.append(e.country_code.in_(codes))
        if names:
            parts.append(func.lower(e.country).in_(names))
        out.append(or_(*parts))
    if f.admin1:
        # Exact names as stored (GET /api/stats?by=admin1 lists them): lower() would keep
        # SQLite from using the admin1 index, and a region is always picked from a list.
        out.append(e.admin1.in_(f.admin1))
    if f.event_types:
        out.append(e.event_type.in_(f.event_types))
    if f.min_fatalities is not None:
        out.append(e.fatalities_best >= f.min_fatalities)
    if f.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        out += [e.lon >= min_lon, e.lon <= max_lon, e.lat >= min_lat, e.lat <= max_lat]
    if f.actor:
        by_id = exists(
            select(event_actors.c.event_id).where(
                event_actors.c.event_id == e.id, event_actors.c.actor_id == f.actor
            )
        )
        actor_columns = [e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2]
        out.append(or_(by_id, _words_match(actor_columns, f.actor)))
    if f.q:
        out.append(_words_match([e.notes, e.location, e.admin1, e.country, e.actor1, e.actor2, e.sub_event_type], f.q))
    return out


def order_by(sort: str) -> list[Any]:
    """ORDER BY terms for a sort key such as ``-date``; unknown keys raise InputError."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_COLUMNS:
        raise InputError("sort", f"{sort!r} is not one of {', '.join(SORT_CHOICES)}")
    column = SORT_COLUMNS[key]
    if descending:
        return [column.desc(), events.c.seq.desc()]
    return [column.asc(), events.c.seq.asc()]
