"""Scoring events: one gold record + Vigil's mentions for its text -> per-field outcomes, and the
tally of outcomes into the metrics that `vigil eval` prints.

Pure functions over the domain types; the runner (``vigil.eval.run``) feeds them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vigil.eval.gold import GoldEvent
from vigil.eval.matching import Matcher, haversine_km
from vigil.types import Actor, Claim, ClaimKind, Mention

# Source kinds whose figures a conservative estimate prefers (ACLED: the lowest credible report).
PREFERRED_SOURCES = frozenset({"official", "unattributed"})
# GTD specificity 4 and 5 mean the gold point is a province centroid or unknown: a distance to it
# says nothing about Vigil's geocoding, so distances are scored only up to this specificity.
GTD_MAX_SPECIFICITY_FOR_DISTANCE = 3
KM_THRESHOLDS = (25, 100)

# The metric keys, in the order they are printed, for each gold format.
EVENT_KEYS = {
    "gtd": ("date_exact", "country_acc", "admin1_acc", "city_acc", "within_25km", "within_100km", "type_acc",
            "actor_acc", "claimed_acc", "killed_exact", "killed_within_10pct", "injured_exact"),
    "acled": ("date_exact", "country_acc", "admin1_acc", "admin2_acc", "location_acc", "within_25km", "within_100km",
              "geo_precision_acc", "type_acc", "subtype_acc", "actor_acc", "actor2_acc", "killed_exact",
              "killed_within_10pct"),
}


def conservative_total(claims: Iterable[Claim], kind: ClaimKind = "killed") -> int:
    """The conservative count of ``kind`` over one mention's claims, as ACLED codes fatalities.

    1. Keep the claims of this kind and group them by whom they count (``Claim.group``; None is a
       group of its own), since "23 soldiers" and "30 attackers" add up.
    2. Within a group, drop the perpetrator's own claims when any other source gives a figure
       (a group boasting of 50 dead is not a count when the ministry says 23).
    3. Within a group, take the smallest figure from an official or unattributed source where there
       is one, else the smallest remaining figure: reports of one loss disagree, they do not add.
    4. Sum over groups. No claim at all is 0, as a report that mentions no deaths implies none.
    """
    groups: dict[str | None, list[Claim]] = {}
    for claim in claims:
        if claim.kind == kind:
            key = claim.group.strip().casefold() if claim.group else None
            groups.setdefault(key, []).append(claim)
    total = 0
    for members in groups.values():
        others = [c for c in members if c.source_kind != "perpetrator"]
        pool = others or members
        preferred = [c for c in pool if c.source_kind in PREFERRED_SOURCES]
        total += min(c.value for c in (preferred or pool))
    return total


@dataclass(frozen=True, slots=True)
class Outcome:
    """One scored field of one record: hit or miss, with both values (for --errors)."""

    key: str
    hit: bool
    gold: Any
    vigil: Any


@dataclass(slots=True)
class RecordScore:
    record: str
    detected: bool
    n_mentions: int  # non-background mentions
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    km: float | None = None  # distance from gold to Vigil's place, where both have coordinates
    chosen: Mention | None = None


def _actor(mention: Mention, role: str) -> Actor | None:
    return next((a.actor for a in mention.actors if a.role == role), None)


def _distance(gold: GoldEvent, mention: Mention | None, fmt: str) -> tuple[bool, float | None]:
    """(whether distance is scored for this record, the distance in km or None)."""
    if gold.lat is None or gold.lon is None:
        return False, None
    if fmt == "gtd" and gold.geo_precision is not None and gold.geo_precision > GTD_MAX_SPECIFICITY_FOR_DISTANCE:
        return False, None
    place = mention.location.place if mention else None
    if place is None or place.lat is None or place.lon is None:
        return True, None
    return True, haversine_km(gold.lat, gold.lon, place.lat, place.lon)


def score_mention(gold: GoldEvent, mention: Mention | None, matcher: Matcher, fmt: str) -> RecordScore:
    """Every scorable field of ``gold`` against one mention (None: nothing detected, all misses)."""
    score = RecordScore(gold.record, mention is not None, 0, chosen=mention)
    out = score.outcomes

    def put(key: str, gold_value: Any, vigil_value: Any, hit: bool) -> None:
        out[key] = Outcome(key, hit and mention is not None, gold_value, vigil_value)

    m = mention
    loc = m.location if m else None
    place = loc.place if loc else None
    code = matcher.country_code(gold.country)
    if gold.date is not None:
        value = m.date.value if m else None
        put("date_exact", gold.date.isoformat(), value.isoformat() if value else None, value == gold.date)
    if gold.country is not None and matcher.is_country(gold.country):
        put("country_acc", gold.country, place.country or place.country_code if place else None,
            matcher.same_country(gold.country, place))
    if gold.admin1 is not None:
        put("admin1_acc", gold.admin1, place.admin1 if place else None, matcher.same_admin(gold.admin1, place.admin1 if place else None))
    if gold.admin2 is not None and fmt == "acled":
        put("admin2_acc", gold.admin2, place.admin2 if place else None, matcher.same_admin(gold.admin2, place.admin2 if place else None))
    if gold.location is not None:
        key = "city_acc" if fmt == "gtd" else "location_acc"
        vigil_name = (place.name if place else None) or (loc.toponym if loc else None)
        put(key, gold.location, vigil_name, matcher.same_place_name(gold.location, place, loc.toponym if loc else None))
    scored, km = _distance(gold, m, fmt)
    if scored:
        score.km = km
        for limit in KM_THRESHOLDS:
            put(f"within_{limit}km", [gold.lat, gold.lon], None if km is None else round(km, 1), km is not None and km <= limit)
    if gold.geo_precision is not None and fmt == "acled":
        precision = int(loc.precision) if loc else None
        put("geo_precision_acc", gold.geo_precision, precision, precision == gold.geo_precision)
    if gold.event_type is not None:
        put("type_acc", gold.event_type, m.event_type if m else None, m is not None and m.event_type == gold.event_type)
    if gold.sub_event_type is not None and fmt == "acled":
        put("subtype_acc", gold.sub_event_type, m.sub_event_type if m else None,
            m is not None and m.sub_event_type == gold.sub_event_type)
    if gold.actor1 is not None:
        actor = _actor(m, "actor1") if m else None
        put("actor_acc", gold.actor1, actor.name if actor else None, matcher.same_actor(gold.actor1, code, actor))
    if gold.actor2 is not None and fmt == "acled":
        actor = _actor(m, "actor2") if m else None
        put("actor2_acc", gold.actor2, actor.name if actor else None, matcher.same_actor(gold.actor2, code, actor))
    if gold.claimed is not None and fmt == "gtd":
        claimed = m.responsibility is not None if m else None
        put("claimed_acc", gold.claimed, claimed, claimed == gold.claimed)
    if gold.killed is not None:
        killed = conservative_total(m.claims, "killed") if m else None
        put("killed_exact", gold.killed, killed, killed == gold.killed)
        put("killed_within_10pct", gold.killed, killed, killed is not None and abs(killed - gold.killed) <= 0.1 * gold.killed)
    if gold.injured is not None and fmt == "gtd":
        injured = conservative_total(m.claims, "injured") if m else None
        put("injured_exact", gold.injured, injured, injured == gold.injured)
    return score


def score_record(gold: GoldEvent, mentions: Sequence[Mention], matcher: Matcher, fmt: str) -> RecordScore:
    """Score the best-matching non-background mention: the one with the most fields right
    (ties: the earlier mention). Background mentions never count as a detection."""
    candidates = [m for m in mentions if not m.background]
    if not candidates:
        return score_mention(gold, None, matcher, fmt)
    scores = [score_mention(gold, m, matcher, fmt) for m in candidates]
    best = max(scores, key=lambda s: sum(o.hit for o in s.outcomes.values()))  # max keeps the first of ties
    best.n_mentions = len(candidates)
    return best


@dataclass(slots=True)
class Tally:
    """Hits and denominators per metric key, accumulated over records."""

    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    km: list[float] = field(default_factory=list)
    n: int = 0
    detected: int = 0
    several: int = 0
    date_fallback: int = 0  # chosen mentions dated by the publication date: no date in the text

    def add(self, score: RecordScore) -> None:
        self.n += 1
        self.detected += score.detected
        self.several += score.n_mentions > 1
        self.date_fallback += score.chosen is not None and score.chosen.date.span is None
        if score.km is not None:
            self.km.append(score.km)
        for key, outcome in score.outcomes.items():
            self.totals[key] = self.totals.get(key, 0) + 1
            self.hits[key] = self.hits.get(key, 0) + outcome.hit

    def metrics(self, keys: Sequence[str]) -> dict[str, Any]:
        """``key`` (a share, None when nothing was scored) and ``n_<key>`` for every metric."""
        result: dict[str, Any] = {"n": self.n}
        result["detected"], result["n_detected"] = share(self.detected, self.n), self.n
        for key in keys:
            total = self.totals.get(key, 0)
            result[key], result[f"n_{key}"] = share(self.hits.get(key, 0), total), total
        result["median_km"] = round(statistics.median(self.km), 1) if self.km else None
        result["n_median_km"] = len(self.km)
        result["several_mentions"], result["n_several_mentions"] = share(self.several, self.n), self.n
        # how often the date came from the publication date (gold date + 3 days): a miss by design
        result["date_fallback"], result["n_date_fallback"] = share(self.date_fallback, self.detected), self.detected
        return result


def share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None
