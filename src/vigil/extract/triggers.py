"""Event triggers: words that tell of an event, typed by the trigger table and its conditions.

A trigger is a lemma or lemma phrase of ``triggers.csv``. Its rows are tried in order and the
first whose conditions hold gives the candidate sub-event type: "attack" on soldiers is a battle
(``armed_target``), on villagers an attack on civilians; "strike" is a protest with labour words
around it and an air strike with aircraft around it. Conditions read the trigger's target (its
object, passive subject or "on/against X"), its agent, the sentence's words and its claims.

A trigger governed by a modal or by "threaten/fear/plan/warn..." is hypothetical, one under a
negation is negated: neither makes an event ("could attack", "did not attack"), while "no one
was killed" stays a claim of zero beside a real trigger. A plural noun with no determiner or
number ("jihadist attacks") is generic: it supports a mention but never starts one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from vigil.extract.claims import FoundClaim, span_of
from vigil.extract.lexicon import Lexicon, Phrase, TriggerRule
from vigil.types import Span

TARGET_PREPS = frozenset({"on", "against", "at", "upon", "targeting", "into"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "iobj"})
AGENT_DEPS = frozenset({"nsubj", "agent"})
PERSON_PRONOUNS = frozenset({"him", "her", "them", "he", "she", "they"})
TERRITORY_ENTS = frozenset({"GPE", "LOC", "FAC"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
KILL_LEMMAS = frozenset({"kill", "killing", "die", "shoot", "shooting", "wound", "injure"})
# verbs of harm to property, which floods and fires do as often as people
PROPERTY_LEMMAS = frozenset({"burn", "destroy", "damage"})
# verbs that make a plural trigger a particular event ("carried out airstrikes", "fired mortars")
EVENT_VERBS = frozenset({"carry", "launch", "conduct", "stage", "mount", "perpetrate", "commit", "fire", "plant", "detonate", "lead", "execute"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger found in a sentence, with the table row that typed it."""

    first: int
    last: int  # inclusive token range of the phrase
    head: int  # the phrase's syntactic head
    rule: TriggerRule
    span: Span
    hypothetical: bool = False
    negated: bool = False
    generic: bool = False
    property_target: bool = False  # acts on things only ("an electricity tower"), no person named

    @property
    def counts(self) -> bool:
        """Whether this trigger tells of an event that happened."""
        return not (self.hypothetical or self.negated)


def _key(tok: Token) -> str:
    return tok.lemma_.lower()


def _matches(doc: Doc, i: int, end: int, phrase: Phrase) -> bool:
    n = len(phrase)
    if i + n > end:
        return False
    return all(_key(doc[i + k]) == w or doc[i + k].lower_ == w for k, w in enumerate(phrase))


def _phrase_head(doc: Doc, first: int, last: int) -> int:
    for i in range(first, last + 1):
        if not (first <= doc[i].head.i <= last) or doc[i].head.i == i:
            return i
    return last


class SentenceWords:
    """The lemmas of one sentence (and its two-word phrases) for cue look-ups, built once."""

    def __init__(self, doc: Doc, start: int, end: int) -> None:
        lemmas = [_key(t) for t in doc[start:end]]
        self.words = set(lemmas) | {t.lower_ for t in doc[start:end]}
        self.words |= {f"{a} {b}" for a, b in zip(lemmas, lemmas[1:], strict=False)}

    def any(self, cues: Iterable[Phrase]) -> bool:
        return any(" ".join(p) in self.words for p in cues)


def _targets(tok: Token) -> list[Token]:
    """What a trigger acts on: objects, passive subjects, "on/against X", a noun's possessor."""
    out = [c for c in tok.children if c.dep_ in OBJECT_DEPS]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
            out.extend(p for p in c.children if p.dep_ == "pobj")
        if c.dep_ == "compound" and tok.pos_ in ("NOUN", "PROPN"):
            out.append(c)  # "army convoy attack"
    if tok.dep_ in ("pobj",) and tok.head.lower_ == "into":
        out.extend(c for c in tok.head.head.children if c.dep_ == "nsubj")  # "a convoy fell into an ambush"
    if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
        out.append(tok.head)  # "soldiers killed in the attack"
    for t in list(out):
        out.extend(c for c in t.children if c.dep_ == "conj")
    return out


def _agents(tok: Token) -> list[Token]:
    out = [c for c in tok.children if c.dep_ == "nsubj"]
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out.extend(p for p in c.children if p.dep_ == "pobj")
    if not out and tok.dep_ in ("conj", "xcomp") and tok.head.pos_ in ("VERB", "AUX"):
        out = [c for c in tok.head.children if c.dep_ == "nsubj"]
    return out


def _lemmas(tokens: Iterable[Token], limit: int = 10) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        lo = max(t.left_edge.i, t.i - limit)
        for w in t.doc[lo : min(t.right_edge.i, t.i + limit) + 1]:
            out.add(_key(w))
            out.add(w.lower_)
    return out


class _Conditions:
    """Evaluates trigger conditions for one sentence; each check is computed once, on demand."""

    def __init__(self, doc: Doc, words: SentenceWords, claims: list[FoundClaim], lx: Lexicon) -> None:
        self.doc, self.words, self.claims, self.lx = doc, words, claims, lx
        self.armed = lx.targets["armed"] | {w for w, g in lx.groups.items() if lx.group_kinds.get(g) == "armed"}
        self.civilian = lx.targets["civilian"] | {w for w, g in lx.groups.items() if lx.group_kinds.get(g) == "civilian"}

    def target_class(self, tok: Token) -> str | None:
        """'armed', 'civilian' or None, from the trigger's targets, else the sentence's victims."""
        words = _lemmas(_targets(tok), limit=6)
        if words & self.armed:
            return "armed"
        if words & self.civilian:
            return "civilian"
        groups = {c.claim.group for c in self.claims if c.claim.kind in ("killed", "injured", "abducted") and c.claim.value > 0}
        kinds = {self.lx.group_kinds.get(g or "", "unknown") for g in groups}
        if "armed" in kinds and "civilian" not in kinds:
            return "armed"
        if "civilian" in kinds:
            return "civilian"
        return None

    def property_only(self, tok: Token) -> bool:
        """Whether the trigger's targets are things (a building, a tower), with no person or force."""
        words = _lemmas(_targets(tok), limit=6)
        persons = {w for w, g in self.lx.groups.items() if g not in ("others",)} | self.lx.persons | self.armed
        return bool(words & self.lx.targets["property"]) and not (words & persons) and "village" not in words

    def holds(self, cond: str, tok: Token) -> bool:
        lx = self.lx
        if cond == "armed_target":
            return self.target_class(tok) == "armed"
        if cond == "civilian_target":
            return self.target_class(tok) == "civilian"
        if cond in ("person_object", "property_object", "weapons_object", "base_object", "territory"):
            targets = _targets(tok) or [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"]
            words = _lemmas(targets, limit=4)
            if cond == "person_object":
                return any(
                    t.lemma_.lower() in lx.groups or t.lemma_.lower() in lx.persons or t.ent_type_ == "PERSON" or t.lower_ in PERSON_PRONOUNS
                    for t in targets
                )
            if cond == "property_object":
                return bool(words & lx.targets["property"])
            if cond == "weapons_object":
                return bool(words & lx.targets["weapons"])
            if cond == "base_object":
                return bool(words & {"base", "headquarters", "camp", "post"})
            # a place named as the object itself ("seized Boni"), not one inside it ("a car in
            # Gao"); or the name that control is taken of ("took control of Boni", which the model
            # may not know for a place)
            held = [p for t in targets if _key(t) == "control" for c in t.children
                    if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
            return bool(words & lx.targets["territory"]) or any(t.ent_type_ in TERRITORY_ENTS for t in targets) \
                or any(p.ent_type_ in TERRITORY_ENTS or p.pos_ == "PROPN" for p in held)
        if cond == "state_agent":
            return bool(_lemmas(_agents(tok), limit=4) & lx.targets["state_agents"])
        if cond == "protester_victims":
            # deaths make force excessive (ACLED); injuries alone are an intervention
            return any(c.claim.group == "protesters" and c.claim.kind == "killed" and c.claim.value > 0 for c in self.claims)
        return self.words.any(lx.cues[cond])


def _modality(tok: Token, lx: Lexicon) -> tuple[bool, bool]:
    """(hypothetical, negated) for a trigger token."""
    modal = lx.cue_words("modal_aux")
    governors = lx.cue_words("hypothetical_governors")
    modifiers = lx.cue_words("hypothetical_modifiers")
    hypothetical = any(c.dep_ == "amod" and _key(c) in modifiers for c in tok.children)
    negated = any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children)
    x = tok
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in modal for c in x.children):
            hypothetical = True
        h = x.head
        if h is x:
            break
        if x.dep_ == "ccomp" and x.i < h.i:
            # a clause before its verb is no complement of it: a comma splice the parser took
            # for one ("farmers protested, they also prevented trucks from leaving")
            break
        if _key(h) in governors and x.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "prep", "advcl", "nsubjpass"):
            hypothetical = True
            break
        if x.pos_ in ("VERB", "AUX") and x.dep_ not in ("xcomp", "conj", "amod"):
            break
        if x.dep_ == "pobj" and h.dep_ == "prep":
            x = h
            continue
        if x.dep_ in ("dobj", "nsubj", "nsubjpass", "xcomp", "conj", "prep", "amod"):
            if h.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in h.children) and x.dep_ != "nsubj":
                negated = True
            x = h
            continue
        break
    return hypothetical, negated


def _caused_by_accident(tok: Token, lx: Lexicon) -> bool:
    """A death, wound or harm to property that the sentence puts down to an accident or a
    natural hazard ("killed in a crash", "the flood destroyed houses")."""
    if _key(tok) not in KILL_LEMMAS | PROPERTY_LEMMAS:
        return False
    causes = {p[0] for p in lx.cues["non_violent_causes"]}
    return bool(_lemmas(_agents(tok), limit=3) & causes) or any(
        c.dep_ == "prep" and any(_key(p) in causes for p in c.children if p.dep_ == "pobj") for c in tok.children
    )


def find_triggers(doc: Doc, start: int, end: int, lx: Lexicon, claims: list[FoundClaim], words: SentenceWords) -> list[Trigger]:
    """Typed triggers in tokens ``[start, end)`` (one sentence), hypothetical ones included and marked."""
    cond = _Conditions(doc, words, claims, lx)
    out: list[Trigger] = []
    i = start
    while i < end:
        tok = doc[i]
        # the rows of the lemma first, then those of the word as written: "Fighting" opening a
        # sentence is parsed as the verb "fight", whose rows need a target, but it is the noun
        key = _key(tok)
        entries = lx.triggers.get(key)
        if tok.lower_ != key and (written := lx.triggers.get(tok.lower_)):
            entries = [*(entries or ()), *written]
        matched = False
        for phrase, rules in entries or ():
            if not _matches(doc, i, end, phrase):
                continue
            last = i + len(phrase) - 1
            head = doc[_phrase_head(doc, i, last)]
            for rule in rules:
                if rule.pos is not None and len(phrase) == 1 and head.pos_ not in rule.pos:
                    continue
                if all(cond.holds(c, head) for c in rule.conditions):
                    break
            else:
                continue
            if _caused_by_accident(head, lx):
                break
            hypothetical, negated = _modality(head, lx)
            # "jihadist attacks" (a habit, not an event) and "this attack" (one told already)
            plural = head.tag_ == "NNS" and _key(head) not in lx.groups and not any(c.dep_ in ("det", "nummod", "poss") for c in head.children)
            told = _key(head.head) in EVENT_VERBS or any(c.dep_ == "prep" and c.lower_ in TARGET_PREPS for c in head.children)
            generic = (plural and not told) or any(
                c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in head.children
            )
            prop = rule.event_type in ("Violence against civilians", "Battles") and cond.property_only(head)
            out.append(Trigger(i, last, head.i, rule, span_of(doc, i, last), hypothetical, negated, generic, prop))
            i = last + 1
            matched = True
            break
        if not matched:
            i += 1
    # a bomb that was defused, found or seized did not explode: its word is the object, not an event
    disrupted = [doc[t.head] for t in out if t.rule.sub_event_type == "Disrupted weapons use"]
    if disrupted:
        inside = {w.i for d in disrupted for c in d.children if c.dep_ in OBJECT_DEPS for w in c.subtree}
        out = [t for t in out if t.rule.sub_event_type == "Disrupted weapons use" or t.head not in inside]
    return out
