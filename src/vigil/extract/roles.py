"""Actor roles (ACLED style), the claimant of an attack, and sources that are the perpetrator.

actor1 is the side that acts, actor2 the side acted upon. The role comes, in this order, from:

    1. the parse: the agent of a trigger ("ambush by Islamic State fighters", "militants
       attacked") is actor1; its object ("assault on Niger's military") is actor2
    2. the claim of responsibility: the claimant is actor1
    3. the actor's kind: a non-state armed group acts, state forces are acted upon when a
       non-state group is named with them; civilians are always acted upon

Violence against civilians always has civilians as actor2 (ACLED), named from the civilian words
of the evidence ("villagers", "worshippers") when the dictionary names none.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from vigil.extract.attribution import ResponsibilityCue
from vigil.extract.claims import group_of, span_of
from vigil.extract.triggers import Trigger
from vigil.types import Actor, ActorKind, ActorMention, ActorRole, Claim, Location, Responsibility, Span

if TYPE_CHECKING:
    from vigil.actors import ActorDictionary
    from vigil.extract.lexicon import Lexicon
    from vigil.extract.units import Unit

NON_STATE = frozenset({ActorKind.REBEL_GROUP, ActorKind.POLITICAL_MILITIA, ActorKind.IDENTITY_MILITIA})
STATE = frozenset({ActorKind.STATE_FORCES, ActorKind.EXTERNAL_FORCES})
ACTING_PREPS = frozenset({"by"})
ACTED_ON_PREPS = frozenset({"on", "against", "into", "at", "upon", "targeting"})
TARGETED_TYPES = frozenset({"Explosions/Remote violence", "Violence against civilians", "Battles"})
CIVILIAN_VICTIM_TYPES = frozenset({"Violence against civilians", "Explosions/Remote violence"})
BLAME_VERBS = frozenset({"blame", "accuse", "attribute", "suspect"})


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _unknown_actor(text: str, country: str | None) -> Actor:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return Actor(id=f"unknown:{slug}", name=text, kind=ActorKind.OTHER, country=country, known=False)


def responsibility_actor(
    doc: Doc, cue: ResponsibilityCue, found: list[tuple[Actor, Span]], actors: ActorDictionary, country: str | None
) -> Responsibility:
    """The claimant as a dictionary actor (or kept as written, ``known=False``)."""
    for actor, span in found:
        if _overlaps(span, cue.claimant):
            return Responsibility(actor, cue.span)
    hits = actors.find(doc, cue.claimant.start, cue.claimant.end, country)
    if hits:
        return Responsibility(hits[0][0], cue.span)
    return Responsibility(_unknown_actor(cue.claimant.text, country), cue.span)


def _trigger_at(i: int, triggers: list[Trigger]) -> Trigger | None:
    return next((t for t in triggers if t.first <= i <= t.last or t.head == i), None)


def _syntactic_role(doc: Doc, span: Span, triggers: list[Trigger]) -> ActorRole | str | None:
    """The role the parse gives an actor reference: actor1/actor2, "source" for the one who
    blames or reports, or None when the parse says nothing."""
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return None
    x: Token = tokens.root
    if x.dep_ == "pobj" and x.head.lower_ in ACTED_ON_PREPS and x.head.head.pos_ in ("VERB", "NOUN"):
        return "actor2"  # "a grenade was thrown at a police station"
    if x.dep_ == "pobj" and x.head.dep_ == "agent":
        verb = x.head.head
        if any(c.dep_ == "nsubjpass" and _trigger_at(c.i, triggers) for c in verb.children):
            return "actor1"  # "the strike was carried out by the Malian army"
    for _ in range(6):
        h = x.head
        if h is x:
            return None
        if h.lemma_.lower() in BLAME_VERBS:
            # "police blamed ISWAP fighters", "authorities attributed the attack to the Houthis"
            if x.dep_ == "nsubj":
                return "source"
            if x.dep_ in ("dobj", "pobj") and (h.lemma_.lower() != "attribute" or x.dep_ == "pobj"):
                return "actor1"
        if _trigger_at(h.i, triggers) is not None:
            passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in h.children)
            if x.dep_ == "nsubj" and not passive:
                return "actor1"
            if x.dep_ in ("dobj", "iobj", "nsubjpass"):
                return "actor2"
            if x.dep_ == "agent" or (x.dep_ == "prep" and x.lower_ in ACTING_PREPS):
                return "actor1"
            if x.dep_ == "prep" and x.lower_ in ACTED_ON_PREPS:
                return "actor2"
            if x.dep_ in ("poss", "compound") and h.pos_ in ("NOUN", "PROPN"):
                return "actor1"  # "the group's attack", "an IS attack"
            return None
        if x.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ == "to" and h.head.lemma_.lower() == "attribute":
            return "actor1"
        x = h
    return None


def _unidentified(actor: Actor) -> bool:
    return actor.id.split("-")[0] == "unidentified"


def _civilians(
    doc: Doc, evidence: Span, location: Location, lx: Lexicon, actors: ActorDictionary, always: bool = False, trigger: Trigger | None = None
) -> ActorMention | None:
    tokens = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    if tokens is None:
        return None
    hit = next((t for t in tokens if t.pos_ == "NOUN" and lx.group_kinds.get(group_of(t, lx) or "") == "civilian"), None)
    if hit is None:  # "a strike on a wedding", "a bomb in a market": civilians without a word for them
        hit = next((t for t in tokens if t.pos_ == "NOUN" and t.lemma_.lower() in lx.targets["civilian"]), None)
    if hit is None and always and trigger is not None:
        head = doc[trigger.head]  # whom the trigger acts on, else the trigger itself
        hit = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass")), head)
    if hit is None:
        return None
    actor = actors.normalise("Civilians", location.country_code) or Actor(
        id=f"civilians-{(location.country_code or 'xx').lower()}",
        name=f"Civilians ({location.country})" if location.country else "Civilians",
        kind=ActorKind.CIVILIANS,
        country=location.country_code,
    )
    return ActorMention(actor, "actor2", Span(hit.idx, hit.idx + len(hit), hit.text))


def assign_roles(
    doc: Doc,
    trigger: Trigger,
    triggers: list[Trigger],
    found: list[tuple[Actor, Span]],
    responsibility: Responsibility | None,
    evidence: Span,
    location: Location,
    lx: Lexicon,
    actors: ActorDictionary,
    sources: list[Span],
) -> list[ActorMention]:
    """Actors of one mention with their roles (see the module docstring for the order)."""
    roles: dict[str, ActorMention] = {}
    undecided: list[tuple[Actor, Span]] = []
    # only triggers of the event's own kind give roles ("after the army withdrew" does not)
    triggers = [t for t in triggers if t.rule.event_type == trigger.rule.event_type or lx.type_of(t.rule.event_type, t.rule.sub_event_type).violent]
    speakers: set[str] = set()
    heard: set[str] = set()
    for actor, span in found:
        if actor.id in roles:
            continue
        role = _syntactic_role(doc, span, triggers)
        if role == "source" or (role is None and any(_overlaps(span, s) for s in sources)):
            if actor.kind not in NON_STATE:
                speakers.add(actor.id)  # who reports or blames is not a side of the event
                continue
            role = None  # an armed group that gives figures speaks of its own attack
        else:
            heard.add(actor.id)
        if role is None and responsibility is not None and actor.id == responsibility.actor.id:
            role = "actor1"
        if role is None and actor.kind == ActorKind.CIVILIANS:
            role = "actor2"
        if role in ("actor1", "actor2"):
            roles[actor.id] = ActorMention(actor, role, span)  # type: ignore[arg-type]
        else:
            undecided.append((actor, span))
    if responsibility is not None and responsibility.actor.id not in roles and not responsibility.actor.known:
        roles[responsibility.actor.id] = ActorMention(responsibility.actor, "actor1", responsibility.span)
    speakers -= heard
    # a named group makes "gunmen"/"the attackers" a second name for it, not another actor
    if any(a.kind in NON_STATE and not _unidentified(a) and any(_overlaps(s, x) for x in sources) for a, s in undecided) or any(
        r.role == "actor1" and not _unidentified(r.actor) and r.actor.kind not in STATE for r in roles.values()
    ):
        roles = {k: r for k, r in roles.items() if not (_unidentified(r.actor) and r.role == "actor1")}
        undecided = [(a, s) for a, s in undecided if not _unidentified(a)]
    # 3. by kind: non-state groups act; state forces are acted upon when a non-state group acts
    undecided.sort(key=lambda p: (p[0].kind not in NON_STATE, p[1].start))
    battle = trigger.rule.event_type == "Battles"
    for actor, span in undecided:
        if actor.id in roles or (actor.id in speakers and actor.kind != ActorKind.CIVILIANS):
            continue
        has_actor1 = any(r.role == "actor1" for r in roles.values())
        has_actor2 = any(r.role == "actor2" for r in roles.values())
        if actor.kind in STATE and trigger.rule.sub_event_type == "Air/drone strike" and not has_actor1:
            roles[actor.id] = ActorMention(actor, "actor1", span)  # only states fly the aircraft
        elif actor.kind in STATE and trigger.rule.event_type in TARGETED_TYPES:
            # forces named without a part in the parse are, in an attack, its target
            if not has_actor2:
                roles[actor.id] = ActorMention(actor, "actor2", span)
        elif not has_actor1:
            roles[actor.id] = ActorMention(actor, "actor1", span)
        elif actor.kind in NON_STATE and not battle:
            continue  # a group named in passing ("fighters linked to al Qaeda operate there")
        elif not has_actor2 or actor.kind in STATE:
            roles[actor.id] = ActorMention(actor, "actor2", span)
    out = list(roles.values())
    if trigger.rule.event_type in ("Protests", "Riots"):
        out = _crowd_roles(doc, out, trigger, location, actors)
    elif trigger.rule.event_type in CIVILIAN_VICTIM_TYPES and not any(r.role == "actor2" for r in out):
        # violence against civilians always has civilians on the receiving end (ACLED)
        civ = _civilians(doc, evidence, location, lx, actors, always=trigger.rule.event_type == "Violence against civilians", trigger=trigger)
        if civ is not None:
            out.append(civ)
    return sorted(out, key=lambda r: (r.role, r.span.start))


def _crowd_roles(doc: Doc, roles: list[ActorMention], trigger: Trigger, location: Location, actors: ActorDictionary) -> list[ActorMention]:
    """ACLED: protesters/rioters are actor1 and the forces that intervene actor2, except under
    excessive force, where the forces act on the protesters. A crowd the dictionary does not
    name ("thousands of students marched") is the country's protesters or rioters."""
    crowd = {ActorKind.PROTESTERS, ActorKind.RIOTERS}
    excessive = trigger.rule.sub_event_type == "Excessive force against protesters"
    if not any(r.actor.kind in crowd for r in roles):
        generic = "Rioters" if trigger.rule.event_type == "Riots" else "Protesters"
        actor = actors.normalise(generic, location.country_code)
        if actor is not None:
            head = doc[trigger.head]
            who = next((c for c in head.children if c.dep_ == "nsubj"), None)
            span = span_of(doc, who.left_edge.i, who.i) if who is not None else trigger.span
            roles = [*roles, ActorMention(actor, "actor1", span)]
    # the event's type says what the crowd was: protesters who rioted are rioters (ACLED)
    wanted = ActorKind.RIOTERS if trigger.rule.event_type == "Riots" else ActorKind.PROTESTERS
    renamed = actors.normalise("Rioters" if wanted == ActorKind.RIOTERS else "Protesters", location.country_code)
    out = []
    for r in roles:
        if r.actor.kind == ActorKind.CIVILIANS:
            continue  # the traders who marched are the protesters, not their victims
        if r.actor.kind in crowd and r.actor.kind != wanted and renamed is not None and r.actor.known:
            r = ActorMention(renamed, r.role, r.span)
        is_crowd = r.actor.kind in crowd
        role: ActorRole = ("actor2" if is_crowd else "actor1") if excessive else ("actor1" if is_crowd else "actor2")
        out.append(ActorMention(r.actor, role, r.span))
    return out


def upgrade_sources(units: list[Unit], cue: ResponsibilityCue | None, found: list[tuple[Actor, Span]]) -> list[Claim]:
    """The group's claims, de-duplicated: the claimant's own figures and figures a non-state
    group gives are the perpetrator's."""
    armed = [span for actor, span in found if actor.kind in NON_STATE]
    out: list[Claim] = []
    seen: set[tuple[str, int, int]] = set()
    for unit in units:
        claims_here = unit.responsibility[0] if unit.responsibility else None
        for fc in unit.claims:
            c = fc.claim
            key = (c.kind, c.value, c.span.start)
            if key in seen:
                continue
            seen.add(key)
            if c.source is None and claims_here is not None:
                c = replace(c, source=claims_here.claimant.text, source_kind="perpetrator", source_span=claims_here.claimant)
            elif c.source_span is not None and (
                any(_overlaps(c.source_span, s) for s in armed) or (cue is not None and _overlaps(c.source_span, cue.claimant))
            ):
                c = replace(c, source_kind="perpetrator")
            out.append(c)
    return out
