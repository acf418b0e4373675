"""Reading units: one sentence (or headline) of an article with everything read from it.

spaCy's sentences are split again at line breaks, since a headline or a page line ("Attack in
Teguey: A Deadly Ambush") often runs into the next sentence. Each unit carries its triggers,
claims (with their sources), claims of responsibility, the markers that say whether it starts
a new event ("In a separate attack") or tells background ("since 2020", "over the past
decade"), and its own dates, computed only where a trigger needs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from vigil.extract.attribution import ResponsibilityCue, Source, find_responsibility, find_sources, source_for
from vigil.extract.claims import FoundClaim, find_claims, span_of
from vigil.extract.lexicon import Lexicon
from vigil.extract.triggers import SentenceWords, Trigger, find_triggers
from vigil.types import Span

SENTENCE_END = frozenset({".", "!", "?", '"', "'", "”", "’", ")"})
PERFECT_AUX = frozenset({"have", "has", "had"})
BLAME_VERBS = frozenset({"blame", "accuse", "attribute"})


@dataclass
class Unit:
    """One sentence or headline and what was read from it."""

    start: int  # token range [start, end)
    end: int
    span: Span
    triggers: list[Trigger]
    claims: list[FoundClaim]
    sources: list[Source]
    responsibility: list[ResponsibilityCue]
    separator: bool = False
    background_cue: bool = False
    headline: bool = False
    blame: bool = False  # "police blamed ISWAP": names the perpetrator without a trigger
    notes: list[str] = field(default_factory=list)

    @property
    def counting(self) -> list[Trigger]:
        """Triggers that tell of something that happened."""
        return [t for t in self.triggers if t.counts]

    @property
    def starters(self) -> list[Trigger]:
        """Triggers strong enough to start a mention: not generic, not in a headline."""
        return [t for t in self.counting if not t.generic and not self.headline]


def _pieces(doc: Doc) -> Iterator[tuple[int, int]]:
    """Token ranges of sentences, split again at line breaks; whitespace-only pieces dropped."""
    for sent in doc.sents:
        lo = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text:
                if any(not t.is_space for t in doc[lo : tok.i]):
                    yield lo, tok.i
                lo = tok.i + 1
        if any(not t.is_space for t in doc[lo : sent.end]):
            yield lo, sent.end


def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and doc[lo].is_space:
        lo += 1
    while hi > lo and doc[hi - 1].is_space:
        hi -= 1
    return lo, hi


class _Words:
    """Lemmas and lower-case forms of a whole doc, read once (token access in spaCy is slow)."""

    def __init__(self, doc: Doc) -> None:
        self.lemmas = [t.lemma_.lower() for t in doc]
        self.lowers = [t.lower_ for t in doc]

    def has_phrase(self, lo: int, hi: int, phrases: list[tuple[str, ...]]) -> bool:
        here = set(self.lemmas[lo:hi]) | set(self.lowers[lo:hi])
        for p in phrases:
            if p[0] not in here:
                continue
            n = len(p)
            for i in range(lo, hi - n + 1):
                if all(self.lemmas[i + k] == p[k] or self.lowers[i + k] == p[k] for k in range(n)):
                    return True
        return False


def _background_cue(doc: Doc, lo: int, hi: int, lx: Lexicon, words: _Words) -> bool:
    """Context over a period: a background phrase, "since <year>", or "have been <verb>-ing"."""
    if words.has_phrase(lo, hi, lx.cues["background"]):
        return True
    if "since" not in words.lowers[lo:hi] and "been" not in words.lowers[lo:hi]:
        return False
    for tok in doc[lo:hi]:
        if tok.lower_ == "since":
            after = doc[tok.i + 1 : min(hi, tok.i + 4)]
            if any(t.like_num and len(t.text) == 4 for t in after):
                return True
        if tok.tag_ == "VBG" and tok.dep_ in ("ROOT", "conj", "relcl", "ccomp"):
            aux = [c.lower_ for c in tok.children if c.dep_ == "aux"]
            if "been" in aux and PERFECT_AUX & set(aux):
                return True
    return False


def read_units(doc: Doc, lx: Lexicon) -> list[Unit]:
    """Every unit of ``doc`` with its triggers, claims, sources and markers."""
    units: list[Unit] = []
    prev_group: str | None = None
    last_source: Source | None = None
    index = _Words(doc)
    for lo, hi in _pieces(doc):
        lo, hi = _trim(doc, lo, hi)
        if lo >= hi:
            continue
        claims = find_claims(doc, lo, hi, lx, prev_group)
        for c in claims:
            if c.claim.group and c.claim.group not in ("people", "others"):
                prev_group = c.claim.group
        words = SentenceWords(doc, lo, hi)
        triggers = find_triggers(doc, lo, hi, lx, claims, words)
        responsibility = find_responsibility(doc, lo, hi)
        blame = not BLAME_VERBS.isdisjoint(index.lemmas[lo:hi])
        if not triggers and not claims and not responsibility and not blame:
            continue  # nothing to read: skip the cue and source passes
        sources = find_sources(doc, lo, hi, lx)
        # "It said ...": the pronoun stands for the last source named before
        sources = [replace(s, span=last_source.span, kind=last_source.kind, head=last_source.head) if s.pronoun and last_source else s for s in sources if not s.pronoun or last_source]
        if sources:
            last_source = sources[-1]
        if sources:
            attributed = []
            for c in claims:
                src = source_for(c.first, sources)
                if src is not None and not (src.span.start <= c.claim.span.start < src.span.end):
                    c = replace(c, claim=replace(c.claim, source=src.span.text, source_kind=src.kind, source_span=src.span))
                attributed.append(c)
            claims = attributed
        span = span_of(doc, lo, hi - 1)
        last = doc[hi - 1]
        nxt = doc[hi] if hi < len(doc) else None
        headline = (
            last.text not in SENTENCE_END
            and hi - lo <= 14
            and (nxt is None or (nxt.is_space and "\n" in nxt.text))
        ) or (last.text == ":" and hi - lo <= 10)
        units.append(
            Unit(
                lo, hi, span, triggers, claims, sources, responsibility,
                separator=index.has_phrase(lo, min(hi, lo + 8), lx.cues["separators"]),
                background_cue=_background_cue(doc, lo, hi, lx, index),
                headline=headline,
                blame=blame,
                notes=[c.note for c in claims if c.note],
            )
        )
    return units
