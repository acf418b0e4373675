"""Mention assembly: the units of an article grouped into one Mention per event.

News reports mostly tell one event across several sentences and paragraphs. Units are read in
order and joined to the open group unless the text signals another event:

    1. a separator ("In a separate attack", "Meanwhile", "Elsewhere") starts a new group
    2. a date of its own that differs from the group's by more than a day starts a new group
    3. a place of its own (a village or district) far from the group's starts a new group
    4. a protest never joins a battle or an attack, nor the reverse (excessive force aside)

Units with claims, sources or a claim of responsibility but no trigger join the open group (or
the next one). Background units (no date of their own, "since 2020", "over the past decade")
never make a violent mention; political ones make a Strategic developments mention with
``background=True``. Each group then gets its type from its strongest trigger (taxonomy rank),
its date from ``time.event_date``, its place from ``geocoder.locate``, its actors from the
actor dictionary with ACLED roles (``roles``), and every fallback as a reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from vigil.extract.roles import assign_roles, responsibility_actor, upgrade_sources
from vigil.extract.time import event_date, find_dates
from vigil.extract.triggers import Trigger
from vigil.extract.units import Unit, read_units
from vigil.types import ActorKind, ActorMention, Article, DateValue, GeoPrecision, Location, Mention, Span

if TYPE_CHECKING:
    from vigil.actors import ActorDictionary
    from vigil.extract.lexicon import Lexicon
    from vigil.geo.base import Geocoder

FAR_KM = 30.0
WEAK = 0.55  # triggers below this weight ("wounded", "beat") never start a second event
ARMED_KINDS = frozenset({ActorKind.STATE_FORCES, ActorKind.REBEL_GROUP, ActorKind.POLITICAL_MILITIA, ActorKind.IDENTITY_MILITIA, ActorKind.EXTERNAL_FORCES})
ATTACK_WORDS = frozenset({"attack", "assault", "raid", "storm"})  # say nothing of what was done  # two named places further apart than this are two events


@dataclass
class _Group:
    units: list[Unit] = field(default_factory=list)
    date: DateValue | None = None  # the first date of its own any unit gave
    place: Location | None = None
    background: bool = False

    @property
    def triggers(self) -> list[Trigger]:
        return [t for u in self.units for t in u.counting]

    def families(self, lx: Lexicon) -> set[str]:
        return {_family(t, lx) for t in self.triggers if not t.generic}


def _family(t: Trigger, lx: Lexicon) -> str:
    if t.rule.sub_event_type == "Excessive force against protesters":
        return "any"
    if t.rule.event_type in ("Protests", "Riots"):
        return "protest" if t.rule.event_type == "Protests" else "riot"
    if t.rule.event_type == "Strategic developments":
        return "any"
    return "violence"


def _compatible(a: set[str], b: set[str]) -> bool:
    a, b = a - {"any"}, b - {"any"}
    if not a or not b:
        return True
    if "riot" in a | b:
        return True  # riots sit between protests and violence
    return bool(a & b)


def _own_date(doc: Doc, unit: Unit, published: object) -> DateValue | None:
    import datetime as dt

    pub = published if isinstance(published, dt.date) else None
    dates = [d for d in find_dates(doc, unit.span.start, unit.span.end, pub) if pub is None or d.value <= pub]
    return dates[0] if dates else None


def _km(a: Location, b: Location) -> float | None:
    pa, pb = a.place, b.place
    if not pa or not pb or pa.lat is None or pb.lat is None or pa.lon is None or pb.lon is None:
        return None
    la1, la2 = math.radians(pa.lat), math.radians(pb.lat)
    dlat, dlon = la2 - la1, math.radians(pb.lon - pa.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _own_place(doc: Doc, unit: Unit, geocoder: Geocoder) -> Location | None:
    """A village- or district-level place named in the unit itself, else None."""
    loc = geocoder.locate(doc, unit.span)
    if loc.place is None or loc.span is None or loc.precision == GeoPrecision.REGION:
        return None
    if not (unit.span.start <= loc.span.start < unit.span.end):
        return None
    return loc


def _is_background(unit: Unit, own_date: DateValue | None, lx: Lexicon) -> bool:
    if unit.background_cue and (own_date is None or own_date.precision == "year"):
        return True
    # political developments with no date of their own are context, not news
    return own_date is None and all(t.rule.event_type == "Strategic developments" and not lx.type_of(t.rule.event_type, t.rule.sub_event_type).violent for t in unit.counting)


def _same_paragraph(text: str, a: Span, b: Span) -> bool:
    lo, hi = sorted((a.end, b.start))
    return "\n" not in text[lo:hi]


def _supports(text: str, group: _Group, unit: Unit, own_date: DateValue | None, lx: Lexicon) -> bool:
    """A non-violent development told right after an event, with figures or a source or in the
    same paragraph, is part of that event, not an event or background of its own."""
    if unit.separator or own_date is not None or unit.background_cue or not group.triggers:
        return False
    if any(lx.type_of(t.rule.event_type, t.rule.sub_event_type).violent for t in unit.counting):
        return False
    return bool(unit.claims or unit.sources) or _same_paragraph(text, group.units[-1].span, unit.span)


def _starts_new(group: _Group, unit: Unit, own_date: DateValue | None, fam: set[str], lx: Lexicon) -> bool:
    """Rules 1, 2 and 4 of the module docstring (3, the place, needs the geocoder)."""
    if unit.separator and group.triggers:
        return True
    if own_date and group.date and abs((own_date.value - group.date.value).days) > 1:
        return True
    return not _compatible(group.families(lx), fam)


def group_units(doc: Doc, units: list[Unit], article: Article, lx: Lexicon, geocoder: Geocoder) -> list[_Group]:
    """Units grouped into events (see the module docstring for the rules, in order)."""
    groups: list[_Group] = []
    open_group: _Group | None = None
    background: _Group | None = None
    pending: list[Unit] = []
    for unit in units:
        if not unit.starters:
            if unit.counting and unit.background_cue:
                continue  # "Islamist attacks have surged since 2020": context, never an event
            if open_group is None:
                pending.append(unit)
            elif unit.claims or unit.responsibility or unit.sources or unit.blame or _same_paragraph(article.text, open_group.units[-1].span, unit.span):
                open_group.units.append(unit)  # "The assault claimed the lives of 23 soldiers"
            continue
        own_date = _own_date(doc, unit, article.published)
        if open_group is not None and _supports(article.text, open_group, unit, own_date, lx):
            open_group.units.append(unit)  # "police arrested 31", "the army seized weapons": part of it
            continue
        if _is_background(unit, own_date, lx):
            if any(lx.type_of(t.rule.event_type, t.rule.sub_event_type).violent for t in unit.counting):
                continue
            if background is None:
                background = _Group(background=True)
                groups.append(background)
            background.units.append(unit)
            continue
        if open_group is not None and not unit.separator and all(t.rule.weight < WEAK for t in unit.starters):
            open_group.units.append(unit)  # "two officers were injured by stones": part of the story told
            continue
        fam = {_family(t, lx) for t in unit.starters if t.rule.weight >= WEAK}
        new = open_group is None or _starts_new(open_group, unit, own_date, fam, lx)
        place = _own_place(doc, unit, geocoder) if (open_group is not None and not new) or unit.separator else None
        if not new and open_group is not None and place is not None and open_group.place is not None:
            # 3. another named place, far from the group's
            km = _km(place, open_group.place)
            same = place.place == open_group.place.place
            if not same and (km is None or km > FAR_KM):
                new = True
        if new:
            open_group = _Group(units=pending)
            pending = []
            groups.append(open_group)
        assert open_group is not None
        open_group.units.append(unit)
        open_group.date = open_group.date or own_date
        open_group.place = open_group.place or place
    if pending and open_group is None and any(u.counting for u in pending):
        # a report told only in headline-like or plural words ("Clashes reported between the army
        # and gunmen in Bentia", "Truck struck by IED, 5 civilians killed"): still an event
        groups.append(_Group(units=pending))
    return [g for g in groups if g.triggers]


def _hurt(units: list[Unit]) -> bool:
    return any(c.claim.kind in ("killed", "injured") and c.claim.value > 0 for u in units for c in u.claims)


def _strongest(triggers: list[Trigger], lx: Lexicon, units: list[Unit]) -> Trigger:
    """The trigger that types the mention: lowest taxonomy rank, then highest weight."""
    pool = [t for t in triggers if not t.generic] or triggers
    pool = [t for t in pool if t.rule.weight >= WEAK] or pool  # "wounded" types only a story with nothing else
    best = min(pool, key=lambda t: (lx.type_of(t.rule.event_type, t.rule.sub_event_type).rank, -t.rule.weight, t.first))
    # a bomb found and defused, with nobody hurt, is disrupted weapons use, not an explosion
    disrupted = [t for t in pool if t.rule.sub_event_type == "Disrupted weapons use"]
    if best.rule.event_type == "Explosions/Remote violence" and disrupted and not _hurt(units):
        return disrupted[0]
    if best.rule.event_type == "Explosions/Remote violence" and best.rule.sub_event_type != "Air/drone strike":
        # an ambush or clash in which a bomb or mine was used is a battle (both sides fought)
        fights = [t for t in pool if t.rule.event_type == "Battles" and not t.rule.conditions]
        if fights:
            return fights[0]
    hurt = _hurt(units)
    # an attack in which people were only taken, not killed, is an abduction (ACLED)
    if best.rule.sub_event_type == "Attack" and best.rule.phrase[0] in ATTACK_WORDS:
        abductions = [t for t in pool if t.rule.sub_event_type == "Abduction/forced disappearance"]
        if abductions and not hurt:
            return abductions[0]
    # people taken and then killed: an attack (ACLED)
    if best.rule.sub_event_type == "Abduction/forced disappearance" and any(c.claim.kind == "killed" and c.claim.value > 0 for u in units for c in u.claims):
        return replace(best, rule=replace(best.rule, sub_event_type="Attack"))
    # an attack on things in which nobody was hurt is property destruction (ACLED)
    if best.rule.sub_event_type in ("Attack", "Armed clash") and not hurt:
        destruction = [t for t in pool if t.rule.sub_event_type == "Looting/property destruction"]
        if destruction and not any(t.rule.event_type == "Battles" and not t.rule.conditions for t in pool):
            return destruction[0]
        if best.property_target:
            rule = replace(best.rule, event_type="Strategic developments", sub_event_type="Looting/property destruction")
            return replace(best, rule=rule)
    return best


def _locate(doc: Doc, group: _Group, evidence: Span, geocoder: Geocoder) -> Location:
    """The most precise place among the units that tell the event, else the evidence's."""
    if group.place is not None and group.place.precision == GeoPrecision.PLACE:
        return group.place
    best: tuple[tuple[int, int, int], Location] | None = None
    for n, unit in enumerate(group.units):
        if not unit.starters:
            continue
        loc = geocoder.locate(doc, unit.span)
        if loc.span is None or not (unit.span.start <= loc.span.start < unit.span.end):
            continue  # taken from the paragraph or the article, not named here
        # 1. the most precise; 2. below the country (an admin1 known); 3. the first told
        key = (int(loc.precision), 0 if loc.place is not None and loc.place.admin1 else 1, n)
        if best is None or key < best[0]:
            best = (key, loc)
    return best[1] if best else geocoder.locate(doc, evidence)


def _armed_victims(roles: list[ActorMention]) -> bool:
    victims = [r.actor.kind for r in roles if r.role == "actor2"]
    return bool(victims) and all(k in ARMED_KINDS for k in victims)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def extract_mentions(doc: Doc, article: Article, *, lexicon: Lexicon, actors: ActorDictionary, geocoder: Geocoder) -> list[Mention]:
    """One Mention per distinct event told in ``article`` (parsed as ``doc``), in text order."""
    units = read_units(doc, lexicon)
    mentions: list[Mention] = []
    for group in group_units(doc, units, article, lexicon, geocoder):
        reasons: list[str] = []
        trigger = _strongest(group.triggers, lexicon, group.units)
        evidence = _span(article.text, group.units[0].span.start, max(u.span.end for u in group.units))
        date = event_date(doc, evidence, article.published)
        if date.reason:
            reasons.append(date.reason)
        location = _locate(doc, group, evidence, geocoder)
        if location.reason:
            reasons.append(location.reason)
        country = location.country_code
        found = actors.find(doc, evidence.start, evidence.end, country)
        resp = next((r for u in group.units for r in u.responsibility), None)
        responsibility = responsibility_actor(doc, resp, found, actors, country) if resp else None
        sources = [s.span for u in group.units for s in u.sources]
        roles = assign_roles(doc, trigger, group.triggers, found, responsibility, evidence, location, lexicon, actors, sources)
        if trigger.rule.sub_event_type == "Attack" and _armed_victims(roles):
            # the side attacked is an armed group or force: a battle (ACLED), whatever the words
            trigger = replace(trigger, rule=replace(trigger.rule, event_type="Battles", sub_event_type="Armed clash"))
        if not any(a.role == "actor1" for a in roles):
            reasons.append("actor unknown: no perpetrator named")
        claims = upgrade_sources(group.units, resp, found)
        for u in group.units:
            reasons.extend(u.notes)
        weights = sorted((t.rule.weight for t in group.triggers), reverse=True)
        confidence = weights[0] + 0.05 * min(3, len(weights) - 1) + (0.05 if claims else 0.0)
        if group.background:
            confidence *= 0.5
        mentions.append(
            Mention(
                article_id=article.id,
                index=len(mentions),
                event_type=trigger.rule.event_type,
                sub_event_type=trigger.rule.sub_event_type,
                trigger=trigger.span,
                evidence=evidence,
                date=date,
                location=location,
                actors=tuple(roles),
                claims=tuple(claims),
                responsibility=responsibility,
                background=group.background,
                confidence=round(min(0.99, confidence), 3),
                reasons=tuple(dict.fromkeys(reasons)),
            )
        )
    return mentions
