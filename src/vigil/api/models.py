"""Pydantic models of the API's bodies. They document the OpenAPI schema (and are what the
schemathesis test checks responses against); the handlers return plain dicts through
``SafeJSONResponse`` so that a page of 1,000 events is not validated field by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """Every error: ``{"error": {"status": 404, "message": "..."}}``."""

    error: ErrorDetail


class EventSummary(BaseModel):
    """One event as the list, GeoJSON properties and exports give it."""

    id: str
    event_date: str
    year: int
    date_precision: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    actor2: str | None
    assoc_actor_2: str | None
    country: str | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int
    fatalities: int
    fatalities_low: int
    fatalities_high: int
    injuries: int | None
    n_reports: int
    sources: str | None
    notes: str | None
    confidence: float


class EventPage(BaseModel):
    events: list[EventSummary]
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last page.")


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class ClaimOut(BaseModel):
    kind: str
    value: int
    low: int | None
    high: int | None
    exact: bool
    hedge: str | None
    group: str | None
    source: str | None
    source_kind: str
    span: SpanOut | None
    source_span: SpanOut | None
    article_id: str | None = None
    article_source: str | None = None
    article_title: str | None = None


class ArticleOut(BaseModel):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    language: str
    text: str


class Report(BaseModel):
    """One article and its mentions of the event (each mention in the shape of types.Mention)."""

    article: ArticleOut
    mentions: list[dict[str, Any]]


class FatalitiesOut(BaseModel):
    group: str | None
    best: int
    low: int
    high: int


class EventDetail(EventSummary):
    disagreements: list[str]
    fatalities_by_group: list[FatalitiesOut]
    reports: list[Report]
    claims: list[ClaimOut]


class StatsRow(BaseModel):
    model_config = ConfigDict(extra="allow")

    key: str = Field(description="The day, the Monday of the week, the first of the month or year, the country code or the admin1.")
    events: int
    fatalities: int


class StatsReply(BaseModel):
    by: str
    rows: list[StatsRow]


class ArticleIn(BaseModel):
    """An article to code and store."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article text (English).")
    published: dt.date | None = Field(default=None, description="Publication date; relative dates are resolved against it.")
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=2000)


class IngestResult(BaseModel):
    index: int = Field(description="Position of the article in the request (0 for a single object).")
    article_id: str | None = None
    stored: bool = Field(default=False, description="False when the article was already stored or was refused.")
    mentions: int = 0
    error: str | None = None


class IngestReply(BaseModel):
    results: list[IngestResult]
