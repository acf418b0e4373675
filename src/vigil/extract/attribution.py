"""Who says so: attribution of figures, and claims of responsibility.

Attribution cues (data in ``numbers.toml``): "according to X", "as confirmed by X", "X said",
"X told AFP", "X claimed". Each cue covers part of its sentence (its scope): the clause its
reporting verb governs, or the whole sentence when the verb is the root ("..., the governor
said"). A claim takes the source with the smallest scope that contains it. The source's kind
comes from its head noun ("ministry" official, "witnesses" witness, "AFP" media, "group"
perpetrator); the mention assembly upgrades a source to "perpetrator" when it names the group
that claimed the attack.

Responsibility: "X claimed responsibility", "X has taken credit", "X claimed the attack",
"responsibility was claimed by X"; never under a negation ("No group claimed responsibility",
"X denied responsibility").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from vigil.extract.claims import span_of
from vigil.extract.lexicon import Lexicon
from vigil.types import SourceKind, Span

RESPONSIBILITY_NOUNS = frozenset({"responsibility", "credit", "authorship"})
CLAIMED_THINGS = frozenset(
    {"attack", "assault", "bombing", "ambush", "killing", "kidnapping", "abduction", "raid", "operation", "blast", "explosion", "strike", "massacre", "execution", "murder", "assassination", "shooting"}
)
CLAIM_VERBS = frozenset({"claim", "take", "assume", "accept", "admit"})


@dataclass(frozen=True, slots=True)
class Source:
    """A source of figures: its words, kind and the token range it covers in its sentence."""

    span: Span
    kind: SourceKind
    scope: tuple[int, int]  # token range [start, end) of the words it vouches for
    head: int  # token index of the source's head noun
    pronoun: bool = False  # "It said", "he told": the source named in an earlier sentence


@dataclass(frozen=True, slots=True)
class ResponsibilityCue:
    """A claim of responsibility before actor resolution: who (as written) and the words."""

    claimant: Span
    span: Span
    first: int  # tokens of the claimant
    last: int


def _phrase_span(doc: Doc, tok: Token) -> tuple[int, int]:
    """The noun phrase of ``tok`` (its subtree without trailing relative clauses and punctuation)."""
    left = tok.left_edge.i
    right = tok.i
    for c in tok.rights:
        if c.dep_ in ("compound", "appos", "prep", "nmod", "amod", "poss") and c.dep_ != "relcl":
            right = max(right, c.right_edge.i)
        else:
            break
    while right > left and doc[right].is_punct:
        if doc[right].text == ")" and "(" in doc[left:right].text:
            break  # keep the closing bracket of "(JNIM)"
        right -= 1
    return left, right


def source_kind(doc: Doc, first: int, last: int, lx: Lexicon) -> SourceKind:
    """The kind of a source phrase, read from its words, the head noun first."""
    words = [doc[i] for i in range(last, first - 1, -1) if not doc[i].is_punct]
    for t in words:
        kind = lx.source_kinds.get(t.lemma_.lower()) or lx.source_kinds.get(t.lower_)
        if kind:
            return kind  # type: ignore[return-value]
    return "other"


def _scope(doc: Doc, verb: Token, sent_start: int, sent_end: int) -> tuple[int, int]:
    if verb.dep_ == "ROOT":
        return sent_start, sent_end
    return verb.left_edge.i, verb.right_edge.i + 1


def find_sources(doc: Doc, start: int, end: int, lx: Lexicon) -> list[Source]:
    """The attributions in tokens ``[start, end)`` (one sentence)."""
    out: list[Source] = []
    firsts = {p[0] for p in lx.report_preps}
    for tok in doc[start:end]:
        low = tok.lower_
        # 1. prepositional cues: "according to X", "as confirmed by X", "quoted by X"
        for prep in lx.report_preps if low in firsts else ():
            n = len(prep)
            if tuple(t.lower_ for t in doc[tok.i : min(tok.i + n, end)]) != prep:
                continue
            pobj = next((c for c in doc[tok.i + n - 1].children if c.dep_ == "pobj"), None)
            if pobj is None and tok.i + n < end:
                pobj = doc[tok.i + n]
                while pobj.head.i > pobj.i and pobj.head.i < end and pobj.dep_ in ("compound", "det", "amod", "poss", "case"):
                    pobj = pobj.head
            if pobj is None:
                continue
            first, last = _phrase_span(doc, pobj)
            governor = tok.head if tok.head.pos_ in ("VERB", "AUX") else tok
            while governor.dep_ not in ("ROOT",) and governor.pos_ not in ("VERB", "AUX"):
                governor = governor.head
            if governor.dep_ in ("advcl", "prep") and governor.head.pos_ in ("VERB", "AUX"):
                governor = governor.head  # "..., as confirmed by X": X vouches for the clause it hangs on
            scope = _scope(doc, governor if governor.pos_ in ("VERB", "AUX") else doc[start], start, end)
            out.append(Source(span_of(doc, first, last), source_kind(doc, first, last, lx), scope, pobj.i))
        # 2. reporting verbs: "X said", "X told AFP", "X claimed" (not "claimed the lives of")
        if tok.pos_ == "VERB" and tok.lemma_.lower() in lx.report_verbs and low not in ("according",):
            if tok.lemma_ == "claim" and any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in ("life", "responsibility", "credit") for c in tok.children):
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if subj is None or subj.lower_ in ("which", "that", "this", "i", "we", "you"):
                continue
            first, last = _phrase_span(doc, subj)
            # "X said 30 were killed": X vouches for the clause it governs; "30 were killed, the
            # ministry said" (no clause of its own) and a root verb vouch for the whole sentence
            clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if clause is not None:
                scope = (clause.left_edge.i, clause.right_edge.i + 1)
            elif tok.dep_ in ("ROOT", "ccomp", "parataxis", "advcl"):
                scope = (start, end)
            else:
                scope = (tok.left_edge.i, tok.right_edge.i + 1)
            pronoun = subj.pos_ == "PRON" and subj.lower_ in ("it", "he", "she", "they")
            out.append(Source(span_of(doc, first, last), source_kind(doc, first, last, lx), scope, subj.i, pronoun))
    unique: dict[int, Source] = {}
    for src in out:
        unique.setdefault(src.head, src)  # "as confirmed by X" is both a cue and a verb's agent
    return list(unique.values())


def source_for(token_index: int, sources: list[Source]) -> Source | None:
    """The source whose scope contains the token, the narrowest first; the only one otherwise."""
    inside = [s for s in sources if s.scope[0] <= token_index < s.scope[1]]
    if inside:
        return min(inside, key=lambda s: s.scope[1] - s.scope[0])
    return sources[0] if len(sources) == 1 else None


def find_responsibility(doc: Doc, start: int, end: int) -> list[ResponsibilityCue]:
    """Claims of responsibility in tokens ``[start, end)``, without negated or denied ones."""
    out: list[ResponsibilityCue] = []
    for tok in doc[start:end]:
        lemma = tok.lemma_.lower()
        if lemma in RESPONSIBILITY_NOUNS and tok.dep_ == "nsubjpass":
            # "responsibility was claimed by X"
            verb = tok.head
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            who = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if who is not None and not any(c.dep_ == "neg" for c in verb.children):
                first, last = _phrase_span(doc, who)
                out.append(ResponsibilityCue(span_of(doc, first, last), span_of(doc, tok.left_edge.i, last), first, last))
            continue
        if tok.pos_ != "VERB" or lemma not in CLAIM_VERBS or any(c.dep_ == "neg" for c in tok.children):
            continue
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if not any(
            o.lemma_.lower() in RESPONSIBILITY_NOUNS or (lemma == "claim" and o.lemma_.lower() in CLAIMED_THINGS) for o in objs
        ):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None and tok.dep_ in ("relcl", "acl"):
            subj = tok.head  # "the Islamic State, which claimed the attack"
        if subj is None and tok.dep_ == "conj":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in ("which", "who", "that"):
            if subj is not None and tok.dep_ == "relcl":
                subj = tok.head
            else:
                continue
        if any(c.dep_ == "det" and c.lower_ in ("no", "none") for c in subj.children) or subj.lower_ in ("nobody", "none"):
            continue
        first, last = _phrase_span(doc, subj)
        obj_end = max(o.i for o in objs)
        out.append(ResponsibilityCue(span_of(doc, first, last), span_of(doc, min(first, tok.i), max(obj_end, last)), first, last))
    return out
