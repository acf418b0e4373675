"""Named groups that are not in the dictionary, kept as the text names them.

A dictionary is never complete: a new brigade or front appears in the news before anyone adds
it. Three cues (their word lists are data, in the ``[unknown]`` table of the actor file):

1. a capitalised name ending in a group noun: "the Mountain Lions Brigade", "Front for the
   Liberation of X";
2. a capitalised name followed by a lowercase "group", "militia", "faction" or "movement":
   "members of the Red Hand group";
3. a spaCy ORG entity that is the subject or the agent of a violence verb: "Tanzim X claimed
   the attack", "was ambushed by Tanzim X".

State forces written in capitals ("Nigerien Armed Forces"), organisations that are not armed
actors (the ``not_actors`` list), and bare religious or ethnic adjectives are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from vigil.actors.data import Country, UnknownCues
from vigil.actors.text import fold_token
from vigil.types import Span

_CONNECTORS = frozenset(
    {"of", "for", "the", "and", "al", "el", "wal", "ul", "de", "du", "des", "la", "le", "ad", "bin"}
)
_LOWER_NOUNS = frozenset({"group", "militia", "faction", "movement", "brigade", "battalion", "outfit"})
# Words that make a capitalised name a state body rather than a group of its own.
_STATE_WORDS = frozenset(
    {"national", "security", "armed", "defence", "defense", "forces", "force", "army", "police", "special", "guard",
     "government", "air", "navy", "naval", "joint", "task", "military", "republican", "presidential", "royal", "federal",
     "state", "people", "peoples", "popular", "the", "of", "and", "for", "liberation", "day", "union", "council"}
)  # fmt: skip


def _is_name_word(tok: Token) -> bool:
    return tok.text[:1].isupper() and (tok.is_alpha or any(c.isdigit() for c in tok.text) or "'" in tok.text)


def _runs(doc: Doc, start: int, end: int) -> Iterable[list[Token]]:
    """Maximal runs of capitalised words, with connectors and hyphens inside them."""
    run: list[Token] = []
    span = doc.char_span(start, end, alignment_mode="contract")
    for tok in span if span is not None else ():
        if _is_name_word(tok):
            run.append(tok)
            continue
        if run and (tok.lower_ in _CONNECTORS or tok.text == "-"):
            run.append(tok)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _trim(run: list[Token]) -> list[Token]:
    # A capital at the start of a sentence is not a name by itself ("Members of the X group").
    while run and run[0].is_sent_start and run[0].tag_ not in ("NNP", "NNPS"):
        run = run[1:]
    while run and (run[-1].lower_ in _CONNECTORS or run[-1].text == "-"):
        run = run[:-1]
    while run and (run[0].lower_ in _CONNECTORS or run[0].text == "-"):
        run = run[1:]
    return run


def country_words(countries: Mapping[str, Country]) -> frozenset[str]:
    """The folded lowercase words of every country name and demonym (built once, at load)."""
    words: set[str] = set()
    for c in countries.values():
        for name in (c.name, *c.names, *c.demonyms):
            words.update(fold_token(w).lower() for w in name.split())
    return frozenset(words)


def _plausible(run: list[Token], cues: UnknownCues, country_words: frozenset[str]) -> bool:
    words = [fold_token(t.text).lower().rstrip("s") for t in run if t.text != "-"]
    nouns = {n.lower().rstrip("s") for n in cues.group_nouns}
    own = [
        w for w in words if w not in nouns and w not in _STATE_WORDS and w.rstrip("s") not in country_words
    ]
    own = [w for w in own if w not in country_words and w + "s" not in country_words]
    if not own:
        return False  # only state words, country names and group nouns: a state body
    if len(run) == 1 and run[0].ent_type_ == "NORP":
        return False  # "Islamist", "Fulani": an adjective, not a name
    # Whole words only: "IED" must not rule out "Allied Democratic Forces".
    text = f" {' '.join(t.text for t in run).lower()} "
    return not any(f" {n.lower()} " in text for n in cues.not_actors)


def _org_entities(doc: Doc, start: int, end: int) -> list[SpacySpan]:
    """ORG entities inside [start, end), read from that stretch's tokens (not ``doc.ents``,
    which builds every entity of the article on each call)."""
    span = doc.char_span(start, end, alignment_mode="contract")
    bounds: list[list[int]] = []
    for tok in span if span is not None else ():
        if tok.ent_type_ != "ORG":
            continue
        if tok.ent_iob_ == "B" or not bounds or bounds[-1][1] != tok.i:
            bounds.append([tok.i, tok.i + 1])
        else:
            bounds[-1][1] = tok.i + 1
    return [doc[i:j] for i, j in bounds]


def _span(doc: Doc, first: Token, last: Token) -> Span:
    # From the tokens, not Doc.text (which spaCy rebuilds from every token on each access).
    return Span(first.idx, last.idx + len(last), doc[first.i : last.i + 1].text)


def find_unknown(
    doc: Doc, start: int, end: int, cues: UnknownCues, country_words: frozenset[str]
) -> list[tuple[str, Span]]:
    """Names of groups in ``doc.text[start:end]`` found by the cues above, with their spans.
    ``country_words`` comes from ``country_words(countries)``."""
    found: list[tuple[str, Span]] = []
    for raw in _runs(doc, start, end):
        run = _trim(raw)
        if not run:
            continue
        after = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
        # 1. a name ending in (or built around) a group noun
        if any(t.text in cues.group_nouns for t in run[1:] + run[:1]) and len(run) >= 2:
            if _plausible(run, cues, country_words):
                span = _span(doc, run[0], run[-1])
                found.append((span.text, span))
            continue
        # 2. a name followed by a lowercase group noun
        if after is not None and after.text in _LOWER_NOUNS and _plausible(run, cues, country_words):
            name_span = _span(doc, run[0], run[-1])
            found.append((name_span.text, _span(doc, run[0], after)))
    # 3. an ORG entity acting in a violence verb
    for ent in _org_entities(doc, start, end):
        if any(s.start < ent.end_char and ent.start_char < s.end for _, s in found):
            continue
        root = ent.root
        verb = root.head
        acting = root.dep_ in ("nsubj", "nsubjpass") and verb.lemma_ in cues.violence_verbs
        agent = root.dep_ == "pobj" and verb.lower_ == "by" and verb.head.lemma_ in cues.violence_verbs
        toks = _trim([t for t in ent])
        if (acting or agent) and toks and _plausible(toks, cues, country_words):
            span = _span(doc, toks[0], toks[-1])
            found.append((span.text, span))
    return found
