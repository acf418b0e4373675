"""Domain values to table rows and back: Mention, Claim, ActorMention, Place, Actor.

Rows keep each span as start, end and text, so that a mention read back is equal to the one
written (a test round-trips them) and fusion can run on stored mentions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vigil.errors import StoreError
from vigil.types import (
    Actor,
    ActorKind,
    ActorMention,
    Claim,
    DateValue,
    GeoPrecision,
    Location,
    Mention,
    Place,
    Responsibility,
    Span,
)

Row = dict[str, Any]


def place_id(place: Place) -> str:
    """A stable key: the GeoNames id where known, else country, admin1 and name."""
    if place.geonameid is not None:
        return f"gn:{place.geonameid}"
    return f"name:{place.country_code or ''}:{place.admin1 or ''}:{place.name}"[:200]


def place_row(place: Place) -> Row:
    return {
        "id": place_id(place),
        "name": place.name,
        "geonameid": place.geonameid,
        "country_code": place.country_code,
        "country": place.country,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "lat": place.lat,
        "lon": place.lon,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "population": place.population,
    }


def actor_row(actor: Actor) -> Row:
    return {
        "id": actor.id[:200],
        "name": actor.name,
        "kind": actor.kind.value if isinstance(actor.kind, ActorKind) else str(actor.kind),
        "country": actor.country,
        "known": actor.known,
        "aliases": json.dumps(list(actor.aliases)),
    }


def actor_from_row(row: Mapping[Any, Any]) -> Actor:
    try:
        kind = ActorKind(row["kind"])
    except ValueError:
        kind = ActorKind.OTHER
    return Actor(
        id=row["id"],
        name=row["name"],
        kind=kind,
        aliases=tuple(json.loads(row["aliases"] or "[]")),
        country=row["country"],
        known=bool(row["known"]),
    )


def _span(start: int | None, end: int | None, text: str | None) -> Span | None:
    if start is None or end is None:
        return None
    return Span(start, end, text or "")


def mention_rows(m: Mention) -> tuple[Row, list[Row], list[Row]]:
    """The mentions row, its claims rows and its mention_actors rows."""
    loc, place = m.location, m.location.place
    resp = m.responsibility
    row: Row = {
        "article_id": m.article_id,
        "idx": m.index,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "date": m.date.value,
        "date_precision": m.date.precision,
        "date_start": m.date.span.start if m.date.span else None,
        "date_end": m.date.span.end if m.date.span else None,
        "date_text": m.date.span.text if m.date.span else None,
        "date_reason": m.date.reason,
        "place_id": place_id(place) if place else None,
        "toponym": loc.toponym,
        "country_code": place.country_code if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "admin2": place.admin2 if place else None,
        "geonameid": place.geonameid if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": int(loc.precision),
        "location_start": loc.span.start if loc.span else None,
        "location_end": loc.span.end if loc.span else None,
        "location_text": loc.span.text if loc.span else None,
        "location_reason": loc.reason,
        "background": m.background,
        "confidence": float(m.confidence),
        "reasons": json.dumps(list(m.reasons)),
        "evidence_start": m.evidence.start,
        "evidence_end": m.evidence.end,
        "evidence_text": m.evidence.text,
        "trigger_start": m.trigger.start,
        "trigger_end": m.trigger.end,
        "trigger_text": m.trigger.text,
        "responsibility_actor_id": resp.actor.id[:200] if resp else None,
        "responsibility_start": resp.span.start if resp else None,
        "responsibility_end": resp.span.end if resp else None,
        "responsibility_text": resp.span.text if resp else None,
    }
    claims = [
        {
            "article_id": m.article_id,
            "idx": m.index,
            "n": n,
            "kind": c.kind,
            "value": c.value,
            "low": c.low,
            "high": c.high,
            "exact": c.exact,
            "hedge": c.hedge,
            "grp": c.group,
            "source": c.source,
            "source_kind": c.source_kind,
            "span_start": c.span.start,
            "span_end": c.span.end,
            "span_text": c.span.text,
            "source_start": c.source_span.start if c.source_span else None,
            "source_end": c.source_span.end if c.source_span else None,
            "source_text": c.source_span.text if c.source_span else None,
        }
        for n, c in enumerate(m.claims)
    ]
    actors = [
        {
            "article_id": m.article_id,
            "idx": m.index,
            "n": n,
            "actor_id": a.actor.id[:200],
            "role": a.role,
            "span_start": a.span.start,
            "span_end": a.span.end,
            "span_text": a.span.text,
        }
        for n, a in enumerate(m.actors)
    ]
    return row, claims, actors


def claim_from_row(r: Mapping[Any, Any]) -> Claim:
    return Claim(
        kind=r["kind"],
        value=r["value"],
        span=Span(r["span_start"], r["span_end"], r["span_text"]),
        low=r["low"],
        high=r["high"],
        exact=bool(r["exact"]),
        hedge=r["hedge"],
        group=r["grp"],
        source=r["source"],
        source_kind=r["source_kind"],
        source_span=_span(r["source_start"], r["source_end"], r["source_text"]),
    )


def mention_from_rows(
    r: Mapping[Any, Any],
    claim_rows: Sequence[Mapping[Any, Any]],
    actor_rows: Sequence[Mapping[Any, Any]],
    places: Mapping[str, Place],
    actors: Mapping[str, Actor],
) -> Mention:
    """Rebuild a Mention from its rows; ``places`` and ``actors`` are keyed by row id."""
    key = f"{r['article_id']}:{r['idx']}"
    try:
        place = places[r["place_id"]] if r["place_id"] else None
        resp = None
        if r["responsibility_actor_id"]:
            resp = Responsibility(
                actors[r["responsibility_actor_id"]],
                Span(r["responsibility_start"], r["responsibility_end"], r["responsibility_text"]),
            )
        roles = tuple(
            ActorMention(
                actors[a["actor_id"]], a["role"], Span(a["span_start"], a["span_end"], a["span_text"])
            )
            for a in sorted(actor_rows, key=lambda a: a["n"])
        )
    except KeyError as exc:
        raise StoreError(f"mention {key}: refers to a missing place or actor {exc}") from exc
    return Mention(
        article_id=r["article_id"],
        index=r["idx"],
        event_type=r["event_type"],
        sub_event_type=r["sub_event_type"],
        trigger=Span(r["trigger_start"], r["trigger_end"], r["trigger_text"]),
        evidence=Span(r["evidence_start"], r["evidence_end"], r["evidence_text"]),
        date=DateValue(
            r["date"],
            r["date_precision"],
            _span(r["date_start"], r["date_end"], r["date_text"]),
            r["date_reason"],
        ),
        location=Location(
            place=place,
            toponym=r["toponym"],
            precision=GeoPrecision(r["geo_precision"]),
            span=_span(r["location_start"], r["location_end"], r["location_text"]),
            reason=r["location_reason"],
        ),
        actors=roles,
        claims=tuple(claim_from_row(c) for c in sorted(claim_rows, key=lambda c: c["n"])),
        responsibility=resp,
        background=bool(r["background"]),
        confidence=float(r["confidence"]),
        reasons=tuple(json.loads(r["reasons"] or "[]")),
    )


def place_from_row(r: Mapping[Any, Any]) -> Place:
    return Place(
        name=r["name"],
        country_code=r["country_code"],
        country=r["country"],
        admin1=r["admin1"],
        admin2=r["admin2"],
        lat=r["lat"],
        lon=r["lon"],
        geonameid=r["geonameid"],
        feature_class=r["feature_class"],
        feature_code=r["feature_code"],
        population=r["population"] or 0,
    )


def referenced(mentions: Iterable[Mention]) -> tuple[dict[str, Place], dict[str, Actor]]:
    """The places and actors a batch of mentions refers to, keyed by row id."""
    places: dict[str, Place] = {}
    actors: dict[str, Actor] = {}
    for m in mentions:
        if m.location.place is not None:
            places[place_id(m.location.place)] = m.location.place
        for a in m.actors:
            actors[a.actor.id[:200]] = a.actor
        if m.responsibility is not None:
            actors[m.responsibility.actor.id[:200]] = m.responsibility.actor
    return places, actors
