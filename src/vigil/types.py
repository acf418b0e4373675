"""Vigil's domain types: plain values passed between the stages. No I/O here.

Offsets: every ``Span`` is a pair of character offsets into ``Article.text`` (the normalised
text that Vigil stores), so that a page can highlight ``text[start:end]``.

The flow (see DESIGN.md):
    Article --nlp--> spaCy Doc --extract--> Mention (with Claim, ActorRole, Location, DateValue)
    Mention* --fuse--> Event
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into ``Article.text`` and the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One news report. ``id`` is the hash of the normalised text (see ``ingest.article_id``)."""

    id: str
    text: str
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    language: str = "en"
    origin: str | None = None  # file path or "file:record" the article was read from


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``geonameid`` is the GeoNames id where known."""

    name: str
    country_code: str | None = None  # ISO 3166-1 alpha-2
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature_class: str | None = None  # GeoNames: A admin area, P populated place, H water...
    feature_code: str | None = None  # GeoNames: PPL, ADM1, PCLI...
    population: int = 0


class GeoPrecision(enum.IntEnum):
    """ACLED's geo precision."""

    PLACE = 1  # the place itself
    NEAR = 2  # near it, or a part of it
    REGION = 3  # only a larger area is known


@dataclass(frozen=True, slots=True)
class Location:
    """Where a mention happened: a place plus how the text named it.

    ``place`` is the most precise place resolved (a village, else the admin1, else the
    country); ``toponym`` is the name as written in the text for the most specific place the
    text gives, kept even when the gazetteer cannot resolve it (then precision is REGION).
    ``reason`` says why the location falls back (e.g. "no place below the country named").
    """

    place: Place | None
    toponym: str | None = None
    precision: GeoPrecision = GeoPrecision.REGION
    span: Span | None = None
    reason: str | None = None

    @property
    def country(self) -> str | None:
        return self.place.country if self.place else None

    @property
    def country_code(self) -> str | None:
        return self.place.country_code if self.place else None

    @property
    def admin1(self) -> str | None:
        return self.place.admin1 if self.place else None


class ActorKind(enum.StrEnum):
    """ACLED's actor types."""

    STATE_FORCES = "state forces"
    REBEL_GROUP = "rebel group"
    POLITICAL_MILITIA = "political militia"
    IDENTITY_MILITIA = "identity militia"
    RIOTERS = "rioters"
    PROTESTERS = "protesters"
    CIVILIANS = "civilians"
    EXTERNAL_FORCES = "external forces"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor from the dictionary, or an unknown named group kept as named (``known=False``)."""

    id: str
    name: str
    kind: ActorKind = ActorKind.OTHER
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO alpha-2 of the country it belongs to, if any
    known: bool = True


ActorRole = Literal["actor1", "actor2", "target"]


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor as one mention involves it: actor1 is the side that acts (the perpetrator),
    actor2 the side acted upon, following ACLED."""

    actor: Actor
    role: ActorRole
    span: Span


Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateValue:
    """An event date with its precision. ``span`` is None when it fell back (see ``reason``)."""

    value: dt.date
    precision: Precision = "day"
    span: Span | None = None
    reason: str | None = None


ClaimKind = Literal["killed", "injured", "abducted", "arrested"]
SourceKind = Literal["official", "perpetrator", "witness", "media", "other", "unattributed"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A reported number: ``value`` is the best reading (ACLED's: "dozens" is 12), ``low`` and
    ``high`` its bounds (``high`` None when open, as in "at least 30"), ``exact`` False when
    hedged. ``group`` is whom it counts (soldiers, civilians, attackers, police...), ``source``
    who says so as written ("Niger's defence ministry"), ``source_kind`` its kind."""

    kind: ClaimKind
    value: int
    span: Span
    low: int | None = None
    high: int | None = None
    exact: bool = True
    hedge: str | None = None
    group: str | None = None
    source: str | None = None
    source_kind: SourceKind = "unattributed"
    source_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Responsibility:
    """A claim of responsibility: who claims it, and the words."""

    actor: Actor
    span: Span


@dataclass(frozen=True, slots=True)
class Mention:
    """One article's report of one event, with the evidence for every field."""

    article_id: str
    index: int  # order of the mention in its article; (article_id, index) is its key
    event_type: str  # ACLED event type
    sub_event_type: str
    trigger: Span
    evidence: Span  # the sentence(s) the mention was read from
    date: DateValue
    location: Location
    actors: tuple[ActorMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    responsibility: Responsibility | None = None
    background: bool = False
    confidence: float = 0.5
    reasons: tuple[str, ...] = ()  # every fallback taken, for a reviewer

    @property
    def key(self) -> str:
        return f"{self.article_id}:{self.index}"

    def killed(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.kind == "killed")


@dataclass(frozen=True, slots=True)
class Fatalities:
    """Best, low and high for one victim group, or for all (``group`` None)."""

    group: str | None
    best: int
    low: int
    high: int


@dataclass(slots=True)
class Event:
    """The fused record: one or more mentions of the same event from one or more articles."""

    id: str
    mentions: list[Mention]
    event_type: str
    sub_event_type: str
    date: DateValue
    location: Location
    actors: list[ActorMention] = field(default_factory=list)
    fatalities: list[Fatalities] = field(default_factory=list)  # per group, then total (None)
    injuries: int | None = None
    disagreements: list[str] = field(default_factory=list)

    @property
    def total_fatalities(self) -> Fatalities | None:
        return next((f for f in self.fatalities if f.group is None), None)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums and dates to plain JSON values (for `vigil extract` and the API)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
