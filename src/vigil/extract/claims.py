"""Casualty claims: which number counts whom, and what happened to them.

For each number in a sentence (``numbers.read_quantity``) the counted noun is found from the
dependency parse (``nummod``, "dozens of X", "one of the X"), mapped to a group (soldiers,
police, civilians, attackers, people; "others" inherits the group named before it), and the
claim kind is read, in this order, from:

    1. the noun itself ("30 casualties", "17 wounded", "the dead")
    2. its modifiers ("soldiers killed", "wounded soldiers", "people who died")
    3. the words that govern it ("killed 30 soldiers", "30 soldiers were killed", "left 17 others
       wounded", "claimed the lives of 23", "the death of 30", "the death toll rose to 40")
    4. the nearest casualty word to its right in the same clause (parses of lists are often wrong)

A subject of an active "kill"/"abduct" is the perpetrator, not a victim, and is never read as a
claim. Without a number, a singular victim counts one ("shot dead a soldier", "the chief was
kidnapped") and "no one"/"no casualties" counts zero. Sources are added by ``attribution``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from vigil.extract.lexicon import Lexicon
from vigil.extract.numbers import Quantity, is_count_token, read_quantity
from vigil.types import Claim, Span

NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "appos", "oprd", "npadvmod", "ROOT"})
CLIMB_DEPS = frozenset({"conj", "appos", "pobj", "prep", "compound", "nummod", "quantmod", "amod", "npadvmod"})
TOLL_VERBS = frozenset({"rise", "climb", "reach", "increase", "stand", "hit", "jump", "mount", "be", "put"})
GENERIC_GROUPS = frozenset({"people", "others"})
ZERO_WORDS = frozenset({"nobody", "none", "no-one"})
SUBSET_CUES = frozenset({"including", "includes", "include", "among"})
ARMED_ADJECTIVES = frozenset({"armed", "masked", "heavily-armed"})
AGENT = "agent"  # returned by the climb when the number counts the perpetrators
NOT_PERSON_ENTS = frozenset({"GPE", "LOC", "ORG", "NORP", "FAC", "DATE", "TIME"})


@dataclass(frozen=True, slots=True)
class FoundClaim:
    """A claim plus the tokens it covers and any note for the mention's reasons."""

    claim: Claim
    first: int
    last: int
    note: str | None = None
    noun: int = -1  # token of the noun counted, to join conjoined victims


def span_of(doc: Doc, first: int, last: int) -> Span:
    """The character span of tokens ``first..last`` (inclusive)."""
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    # the tokens' own text, not doc.text: spaCy rebuilds doc.text from every token on each access
    return Span(start, end, doc[first : last + 1].text)


def group_of(tok: Token, lx: Lexicon) -> str | None:
    """The group a noun stands for; a specific modifier wins over a generic head
    ("security force members" -> soldiers, "insurgent casualties" -> attackers)."""
    own = lx.groups.get(tok.lemma_.lower()) or lx.groups.get(tok.lower_)
    if own in ("civilians", "people") and any(c.lower_ in ARMED_ADJECTIVES for c in tok.children if c.dep_ == "amod"):
        return "attackers"  # "armed men", "unidentified gunmen"
    if own and own not in GENERIC_GROUPS and own != "suspects":
        return own
    for child in tok.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.i < tok.i:
            g = lx.groups.get(child.lemma_.lower()) or lx.groups.get(child.lower_)
            if g and g not in GENERIC_GROUPS:
                return g
    return own


def _kind_word(tok: Token, lx: Lexicon) -> str | None:
    return lx.kinds.get(tok.lemma_.lower()) or lx.kinds.get(tok.lower_)


def _is_active_transitive(verb: Token) -> bool:
    return verb.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) and any(
        c.dep_ == "dobj" for c in verb.children
    )


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _kind_from_governor(x: Token, lx: Lexicon) -> tuple[str | None, Token | None]:
    """Climb from the nominal ``x`` through the parse: the kind and the word that gave it."""
    for _ in range(5):
        h = x.head
        if h is x:
            return None, None
        kind = _kind_word(h, lx)
        if x.dep_ in ("conj", "appos"):
            x = h
            continue
        if kind and h.pos_ in ("VERB", "AUX", "ADJ"):
            if x.dep_ == "nsubj" and _is_active_transitive(h):
                return AGENT, None  # "30 militants killed 5 soldiers": the subject did the killing
            if x.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "pobj", "npadvmod"):
                return kind, h
        if kind and h.pos_ in ("NOUN", "PROPN") and x.dep_ in ("pobj", "prep"):
            return kind, h  # "the lives of 23 soldiers", "the death of 30 soldiers"
        if h.pos_ in ("VERB", "AUX"):
            # "left 17 others wounded", "found 12 people dead": the complement says what happened
            for c in h.children:
                if c.dep_ in ("oprd", "xcomp", "acomp", "ccomp", "advcl", "conj") and (c.i > x.i or c.dep_ in ("oprd", "acomp")) and _kind_word(c, lx):
                    return _kind_word(c, lx), c
            # "the death toll rose to 40"
            if x.dep_ in ("pobj", "prep") or (x.dep_ == "attr" and h.lemma_ == "be"):
                for c in h.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in ("toll", "number", "tally", "count"):
                        return "killed", c
            return None, None
        if x.dep_ not in CLIMB_DEPS and x.dep_ not in ("dobj", "nsubj", "nsubjpass"):
            return None, None
        x = h
    return None, None


def _kind_linear(doc: Doc, q: Quantity, end: int, lx: Lexicon) -> tuple[str | None, Token | None]:
    """The nearest casualty word right of the number, within six tokens of the same clause."""
    for j in range(q.end, min(end, q.end + 6)):
        t = doc[j]
        if t.text in (";", ":") or (t.text == "," and j > q.end + 2) or is_count_token(t, lx) and t.like_num:
            break
        kind = _kind_word(t, lx)
        if kind and t.pos_ in ("VERB", "ADJ", "NOUN"):
            return kind, t
    return None, None


def _counted(doc: Doc, q: Quantity) -> tuple[Token, Token | None]:
    """(anchor, noun): the token that carries the quantity's syntactic role and the noun counted."""
    inside = range(q.first_number, q.end)
    for i in inside:
        t = doc[i]
        if t.dep_ in ("nummod", "quantmod", "amod", "compound") and t.head.i not in inside and t.head.pos_ in ("NOUN", "PROPN", "ADJ"):
            return t.head, t.head
    last = doc[q.end - 1]
    for c in last.children:
        # "dozens of villagers", "one of the soldiers"
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN", "PRON"):
                    return last, p
    return last, None


def _claim(kind: str, q: Quantity, span: Span, group: str | None) -> Claim:
    return Claim(kind=kind, value=q.value, span=span, low=q.low, high=q.high, exact=q.exact, hedge=q.hedge, group=group)  # type: ignore[arg-type]


def find_claims(doc: Doc, start: int, end: int, lx: Lexicon, prev_group: str | None = None) -> list[FoundClaim]:
    """Casualty claims in tokens ``[start, end)`` of ``doc`` (one sentence), unattributed."""
    found: list[FoundClaim] = []
    covered: set[int] = set()
    sentence_group: str | None = None
    i = start
    while i < end:
        tok = doc[i]
        if not is_count_token(tok, lx):
            i += 1
            continue
        q = read_quantity(doc, i, lx, floor=start, end=end)
        if q is None:
            i += 1
            continue
        i = q.end
        if doc[q.first_number].lower_ == "one" and q.first_number > start and doc[q.first_number - 1].lower_ == "no":
            continue  # "no one was killed": a zero, read by _singular_claims
        if found and q.start > start and doc[q.start - 1].lower_ in SUBSET_CUES:
            continue  # "20 people, including 13 assailants": a part of a figure already given
        if q.end + 1 < end and doc[q.end].lower_ == "of" and doc[q.end + 1].lower_ in ("the", "those", "them", "whom"):
            continue  # "three of the injured": a part of a figure already given
        anchor, noun = _counted(doc, q)
        note = None
        kind: str | None = None
        group: str | None = None
        if noun is not None:
            group = group_of(noun, lx)
            kind = _kind_word(noun, lx) if noun.pos_ in ("NOUN", "ADJ", "PROPN") else None
            lemma = noun.lemma_.lower()
            if lemma in lx.not_persons or noun.ent_type_ in ("DATE", "TIME", "MONEY", "QUANTITY", "PERCENT"):
                continue  # "two vehicles", "24 hours", "3 homes": not people
            person = group is not None or kind is not None or noun.pos_ == "PRON"
            if group == "others":
                group = prev_group
        elif q.value >= 1000 and q.exact:
            continue  # a bare four-digit number is a year, not a count of people
        else:
            group = sentence_group  # "six people were killed and 11 injured": the 11 are people too
        # 2. the governor ("were found dead" over "men abducted the day before"); 3. the noun's own
        # modifiers: "soldiers killed", "people who died", "wounded soldiers"; 4. the nearest
        # casualty word to the right
        head = noun or anchor
        if kind is None:
            gov_kind, gov = _kind_from_governor(anchor if noun is None or anchor is not noun else noun, lx)
            mod = next((c for c in head.children if c.dep_ in ("acl", "relcl", "amod", "appos") and _kind_word(c, lx) and not _negated(c)), None)
            finite = gov is not None and any(c.dep_ in ("aux", "auxpass") for c in gov.head.children if gov.dep_ in ("oprd", "acomp")) or (
                gov is not None and any(c.dep_ in ("aux", "auxpass") for c in gov.children)
            )
            if mod is not None and (gov_kind is None or (mod.i == head.i + 1 and not finite)):
                kind = _kind_word(mod, lx)  # "5 civilians killed and 9 wounded"
            else:
                kind = gov_kind  # "eight men abducted the day before were found dead"
        if kind is None and (noun is None or group is not None):
            kind, _ = _kind_linear(doc, q, end, lx)
        if kind is None or kind == AGENT:
            continue
        if noun is not None and not person:
            group = "people"  # "one employee was killed": whoever a casualty word counts is a person
        if noun is not None and noun.lemma_.lower() in lx.inexact_kinds:
            note = f"{lx.inexact_kinds[noun.lemma_.lower()]} ({doc[q.start : noun.i + 1].text})"
            q = Quantity(q.value, q.low, q.high, False, q.hedge, q.start, q.end, q.first_number)
        last = noun.i if noun is not None and q.end <= noun.i <= q.end + 4 else q.end - 1
        claim = _claim(kind, q, span_of(doc, q.start, last), group)
        found.append(FoundClaim(claim, q.start, last, note, noun.i if noun is not None else anchor.i))
        covered.update(range(q.start, last + 1))
        if noun is not None:
            covered.add(noun.i)
        if group and group not in GENERIC_GROUPS:
            prev_group = group
        sentence_group = group or sentence_group
    found.extend(_singular_claims(doc, start, end, lx, covered))
    found.sort(key=lambda f: f.first)
    return _join_conjoined(doc, found)


def _conjoined(doc: Doc, a: int, b: int) -> bool:
    """Whether noun ``b`` hangs from noun ``a`` through a chain of conjunctions (an apposition
    names the same person again, so it never adds up)."""
    x = doc[b]
    for _ in range(6):
        if x.dep_ != "conj" or x.head is x:
            return False
        x = x.head
        if x.i == a:
            return True
    return False


def _join_conjoined(doc: Doc, found: list[FoundClaim]) -> list[FoundClaim]:
    """"One Kenyan soldier, one Ugandan soldier and four gunmen died": victims of
    one group listed together add up (2 soldiers), while groups stay apart (4 attackers);
    separate figures for one group are alternatives, and are kept apart for the fusion."""
    out: list[FoundClaim] = []
    for f in found:
        prev = next(
            (p for p in reversed(out) if p.claim.kind == f.claim.kind and p.claim.group == f.claim.group and p.noun >= 0 and f.noun >= 0 and _conjoined(doc, p.noun, f.noun)),
            None,
        )
        if prev is None or prev.claim.source != f.claim.source:
            out.append(f)
            continue
        a, b = prev.claim, f.claim
        joined = Claim(
            kind=a.kind,
            value=a.value + b.value,
            span=span_of(doc, prev.first, f.last),
            low=None if a.low is None or b.low is None else a.low + b.low,
            high=None if a.high is None or b.high is None else a.high + b.high,
            exact=a.exact and b.exact,
            hedge=a.hedge or b.hedge,
            group=a.group,
        )
        out[out.index(prev)] = FoundClaim(joined, prev.first, f.last, prev.note or f.note, f.noun)
    return out


def _person_in(p: Token, lx: Lexicon) -> Token | None:
    """A person noun inside a proper-name phrase or its apposition ("Aimaq, editor of ...")."""
    for t in p.subtree:
        if t.i > p.i + 8:
            break
        if t.pos_ == "NOUN" and (t.lemma_.lower() in lx.groups or t.lemma_.lower() in lx.persons) and (t.head.i == p.i or t.i <= p.i + 6):
            return t
    return None


def _singular_claims(doc: Doc, start: int, end: int, lx: Lexicon, covered: set[int]) -> list[FoundClaim]:
    """Victims without a number: one for a singular person, zero for "no one"/"no casualties"."""
    out: list[FoundClaim] = []
    for tok in doc[start:end]:
        kind = _kind_word(tok, lx)
        if kind is None and tok.pos_ == "VERB":
            # "shot dead", "found dead": the verb's complement says what happened
            kind = next((_kind_word(c, lx) for c in tok.children if c.dep_ in ("oprd", "acomp", "advmod", "xcomp") and c.pos_ == "ADJ" and _kind_word(c, lx)), None)
        if kind is None:
            continue
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("killing", "death", "assassination", "murder", "abduction", "kidnapping", "arrest"):
            # "ended with the killing of a rebel commander"
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            victim = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if victim is not None and victim.i not in covered and victim.tag_ in ("NN", "NNP") and not any(c.dep_ == "nummod" for c in victim.children) and (
                victim.lemma_.lower() in lx.groups or victim.lemma_.lower() in lx.persons or victim.ent_type_ == "PERSON"
            ):
                first = min([victim.i] + [c.i for c in victim.children if c.dep_ in ("det", "amod", "compound") and c.i < victim.i])
                one = Quantity(1, 1, 1, True, None, first, victim.i + 1, first)
                out.append(FoundClaim(_claim(kind, one, span_of(doc, first, victim.i), group_of(victim, lx) or "people"), first, victim.i, None, victim.i))
            continue
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("casualty", "death", "fatality", "injury"):
            # "no casualties", "did not cause any casualties"
            dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
            if "no" in dets or ("any" in dets and _negated(tok.head)):
                for k in (("killed", "injured") if tok.lemma_.lower() == "casualty" else (kind,)):
                    z = Quantity(0, 0, 0, True, None, tok.i, tok.i + 1, tok.i)
                    out.append(FoundClaim(_claim(k, z, span_of(doc, tok.i, tok.i), None), tok.i, tok.i))
            continue
        if tok.pos_ != "VERB" or _negated(tok):
            continue
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        roles = ("nsubjpass",) if passive else ("dobj",) if kind != "killed" or tok.lemma_ != "die" else ("nsubj",)
        patients = [c for c in tok.children if c.dep_ in roles]
        if not patients and not passive and tok.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in tok.children):
            patients = [c for c in tok.head.children if c.dep_ == "dobj"]  # "detained and executed X"
        if not patients and tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN"):
            patients = [tok.head]  # "a ranger and his driver shot dead by gunmen"
        for p in list(patients):
            # "a student and a community leader" are two; "a civilian, Haji Asadullah" is one
            patients.extend(c for c in p.subtree if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and c.head.i in {q.i for q in patients})
        for p in patients:
            if p.i in covered or any(c.dep_ == "nummod" for c in p.children) or p.i < start or p.i >= end:
                continue
            det = {c.lower_ for c in p.children if c.dep_ in ("det", "predet", "nummod")}
            person = _person_in(p, lx)
            if p.lower_ in ZERO_WORDS or ("no" in det and p.lower_ in ("one", "civilian", "soldier", "person")):
                value = 0
            elif "both" in det and p.tag_ == "NNS":
                value = 2
            elif p.tag_ == "NNP" and person is not None and p.ent_type_ in ("ORG", "GPE", "NORP", "FAC"):
                value, p = 1, person  # "a Ministry of Health driver", "Karimi, editor of..."
            elif p.tag_ in ("NN", "NNP") and (
                p.lemma_.lower() in lx.groups
                or p.lemma_.lower() in lx.persons
                or p.ent_type_ == "PERSON"
                or (p.tag_ == "NNP" and p.ent_type_ not in NOT_PERSON_ENTS)
            ) or p.lower_ in ("he", "she"):
                value = 1
            elif p.tag_ in ("NN", "NNP") and p.lemma_.lower() not in lx.not_persons and p.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "DATE", "TIME") and (
                det & {"a", "an", "his", "her", "their"} or any(c.dep_ in ("compound", "amod", "prep", "poss") for c in p.children)
            ):
                value = 1  # "executed a mechanic", "killed an elderly Fulani": whoever is killed is a person
            else:
                continue
            group = group_of(p, lx) or "people"
            first = min([p.i] + [c.i for c in p.children if c.dep_ in ("det", "amod", "compound") and c.i < p.i])
            z = Quantity(value, value, value, True, None, first, p.i + 1, first)
            out.append(FoundClaim(_claim(kind, z, span_of(doc, first, p.i), group if group not in GENERIC_GROUPS else "people"), first, p.i, None, p.i))
    return out
