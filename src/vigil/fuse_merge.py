"""Merging a cluster of mentions into one Event, and the fatality rule (README: "How fatalities
are counted").

    1. every mention and claim is kept; the event's fields are votes over its reports:
       type by summed confidence, date from the most precise reports, location from the most
       precise place;
    2. per victim group (soldiers, civilians, attackers...), from the killed claims:
       - a perpetrator's own claim (source_kind "perpetrator") never sets ``best``;
       - each report gives one figure per group: the largest credible number it states (its
         tally: "25 died, two of them in hospital" is 25);
       - ``best`` is the lowest of those figures among the latest reports that give one (a later
         report's toll supersedes an earlier one; among simultaneous reports the lowest wins:
         ACLED's most conservative credible report); a vague quantity ("several", "about 30")
         sets ``best`` only when no report gives a firm figure ("nine", "at least 9");
       - ``low`` is the lowest figure any credible report allows (a count of "casualties" may be
         all wounded, so it allows 0); ``high`` the highest figure any report gives, claims
         included;
    3. the total adds up the groups; a count with no group ("12 people": ``generic_groups``
       in ``data/fusion.toml``) is a total of its own,
       and the event's total is the larger of the two readings, so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from vigil.types import ActorMention, Claim, Event, Fatalities, Location, Mention

if TYPE_CHECKING:
    from vigil.fuse import FuseConfig

UNSPECIFIED = "unspecified"


def reported_counts(m: Mention, kind: str) -> list[int]:
    """The positive figures a mention reports for ``kind`` (for pair scoring)."""
    return [c.value for c in m.claims if c.kind == kind and c.value > 0]


def _group(c: Claim, generic: Sequence[str]) -> str:
    group = (c.group or "").strip().lower()
    return UNSPECIFIED if not group or group in generic else group


def _firm(c: Claim) -> bool:
    """An exact figure or a floor ("at least 9"), not a vague quantity ("several", "about 30")."""
    return c.exact or c.high is None or c.high <= c.value


def _ambiguous(c: Claim, m: Mention, words: Sequence[str]) -> bool:
    """Whether the number counts "casualties" (killed or wounded): read the claim's words and
    the few words after it in the evidence sentence."""
    after_start = c.span.end - m.evidence.start
    tail = m.evidence.text[max(0, after_start) : max(0, after_start) + 40] if after_start >= 0 else ""
    text = (c.span.text + " " + tail).lower()
    return any(w in text for w in words)


def _bounds(c: Claim) -> tuple[int, int]:
    low = c.low if c.low is not None else c.value
    high = c.high if c.high is not None else c.value
    return min(low, c.value), max(high, c.value)


def _per_report(
    items: Sequence[tuple[Claim, Mention]], figure: Callable[[Claim, Mention], int]
) -> dict[str, int]:
    """One figure per report: the largest it gives for the group. Numbers within one report add
    up to its tally ("25 soldiers died, two of them in hospital" reports 25), whereas different
    reports are alternatives, of which the rule takes the lowest."""
    out: dict[str, int] = {}
    for c, m in items:
        out[m.article_id] = max(out.get(m.article_id, 0), figure(c, m))
    return out


def count_groups(
    mentions: Sequence[Mention],
    kind: str,
    words: Sequence[str],
    published: Mapping[str, dt.date | None] | None = None,
    generic: Sequence[str] = (),
) -> tuple[list[Fatalities], list[str]]:
    """best/low/high per group for claims of ``kind``, then the total (group None), and notes
    on where the reports disagree. Empty when no report gives a figure."""
    by_group: dict[str, list[tuple[Claim, Mention]]] = {}
    for m in mentions:
        for c in m.claims:
            if c.kind == kind:
                by_group.setdefault(_group(c, generic), []).append((c, m))
    rows: list[Fatalities] = []
    notes: list[str] = []
    for group in sorted(by_group):
        items = by_group[group]
        credible = [(c, m) for c, m in items if c.source_kind != "perpetrator"]
        if credible:
            firm = [(c, m) for c, m in credible if _firm(c)] or credible
            dates = [(published or {}).get(m.article_id) for _c, m in firm]
            latest = max((d for d in dates if d is not None), default=None)
            current = [cm for cm, d in zip(firm, dates, strict=True) if latest is None or d == latest]
            best = min(_per_report(current, lambda c, _m: c.value).values())
            low = min(
                _per_report(credible, lambda c, m: 0 if _ambiguous(c, m, words) else _bounds(c)[0]).values()
            )
        else:
            best = low = 0
            notes.append(f"{kind} {group}: only the perpetrator's claim, not counted in best")
        high = max(max(_bounds(c)[1] for c, _m in items), best)
        rows.append(Fatalities(group, best, min(low, best), high))
        figures = sorted({(c.value, c.source or c.source_kind) for c, _m in items})
        if len({v for v, _s in figures}) > 1:
            notes.append(f"{kind} {group}: " + ", ".join(f"{v} ({s})" for v, s in figures))
    if rows:
        named = [r for r in rows if r.group != UNSPECIFIED]
        loose = next((r for r in rows if r.group == UNSPECIFIED), None)
        total = Fatalities(
            None, sum(r.best for r in named), sum(r.low for r in named), sum(r.high for r in named)
        )
        if loose is not None:
            total = Fatalities(
                None, max(total.best, loose.best), max(total.low, loose.low), max(total.high, loose.high)
            )
        rows.append(total)
    return rows, notes


def _vote(values: Sequence[tuple[str, float]]) -> str:
    """The value with the largest summed weight; ties go to the earliest report."""
    weights: dict[str, float] = {}
    for v, w in values:
        weights[v] = weights.get(v, 0.0) + w
    top = max(weights.values())
    return next(v for v, _w in values if weights[v] == top)


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _location(mentions: Sequence[Mention]) -> Location:
    """The most precise location: place itself, then near it, then region; among equals, the
    place most reports name, else the earliest."""

    def rank(loc: Location) -> tuple[int, int]:
        return (0 if loc.place is not None else 1, int(loc.precision))

    best = min(rank(m.location) for m in mentions)
    tied = [m.location for m in mentions if rank(m.location) == best]
    names = Counter((loc.place.geonameid, loc.place.name) if loc.place else None for loc in tied)
    top = max(names.values())
    return next(
        loc for loc in tied if names[(loc.place.geonameid, loc.place.name) if loc.place else None] == top
    )


def merge_cluster(
    event_id: str,
    mentions: Sequence[Mention],
    config: FuseConfig,
    published: Mapping[str, dt.date | None] | None = None,
) -> Event:
    """One Event from the mentions of one cluster (in their order: the first is the earliest)."""
    # 1. Type: summed confidence per sub-type; the event type is the sub-type's.
    sub = _vote([(f"{m.event_type}\x1f{m.sub_event_type}", max(m.confidence, 0.01)) for m in mentions])
    event_type, sub_event_type = sub.split("\x1f")
    # Date: among the most precise reports, the most reported date, ties to the earliest date.
    finest = min(_PRECISION_RANK.get(m.date.precision, 4) for m in mentions)
    dated = sorted(
        (m.date for m in mentions if _PRECISION_RANK.get(m.date.precision, 4) == finest),
        key=lambda d: d.value,
    )
    counts = Counter(d.value for d in dated)
    date = next(d for d in dated if counts[d.value] == max(counts.values()))
    location = _location(mentions)
    actors: list[ActorMention] = []
    seen: set[tuple[str, str]] = set()
    for m in mentions:
        for a in m.actors:
            if (a.actor.id, a.role) not in seen:
                seen.add((a.actor.id, a.role))
                actors.append(a)
    # 2-3. Fatalities and injuries by the rule above.
    words, generic = config.ambiguous_words, config.generic_groups
    fatalities, notes = count_groups(mentions, "killed", words, published, generic)
    injured, inj_notes = count_groups(mentions, "injured", words, published, generic)
    total_injured = next((f.best for f in injured if f.group is None), None)
    disagreements = notes + inj_notes
    if len(counts) > 1 or len({m.date.value for m in mentions}) > 1:
        disagreements.append("date: " + ", ".join(sorted({m.date.value.isoformat() for m in mentions})))
    subs = sorted({f"{m.event_type} / {m.sub_event_type}" for m in mentions})
    if len(subs) > 1:
        disagreements.append("type: " + "; ".join(subs))
    return Event(
        id=event_id,
        mentions=list(mentions),
        event_type=event_type,
        sub_event_type=sub_event_type,
        date=date,
        location=location,
        actors=actors,
        fatalities=fatalities,
        injuries=total_injured,
        disagreements=disagreements,
    )
