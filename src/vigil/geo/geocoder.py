"""The Geocoder that extraction and evaluation use: toponyms found, resolved and turned into a
``Location`` with ACLED's geo precision and a reason for every fallback."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from vigil.geo.gazetteer import Candidate, Gazetteer
from vigil.geo.names import fold
from vigil.geo.resolve import (
    AREA_GAP,
    DIRECTION,
    DISTANCE,
    SEATS,
    Context,
    across_border,
    anchor_gap,
    area_seat,
    called_area,
    destination,
    resolve_all,
    specificity,
)
from vigil.geo.toponyms import (
    Toponym,
    _cues,
    demonym_countries,
    find_toponyms,
    is_country,
    member_nationality,
    people_countries,
    people_homelands,
)
from vigil.geo.words import GeoWords
from vigil.types import GeoPrecision, Location, Place, Span

if TYPE_CHECKING:
    from vigil.actors import ActorDictionary

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class _Parsed:
    """One document's toponyms with their resolutions (kept for the document's next mention)."""

    text: str
    topos: list[Toponym]
    chosen: list[Candidate | None]
    ctx: Context
    actor_countries: Counter[str] = field(default_factory=Counter)  # countries of named groups
    votes: list[str] = field(default_factory=list)  # the demonyms' country votes
    groups: list[str] = field(default_factory=list)  # the named groups' country votes (see _parse)
    homelands: frozenset[str] = frozenset()  # admin1 codes of the named groups' and peoples' bases


class GazetteerGeocoder:
    """Geocoder over a gazetteer index. Holds the last parsed document, since extraction asks
    for several mentions of one document in a row."""

    def __init__(self, gazetteer: Gazetteer, words: GeoWords, actors: ActorDictionary | None = None) -> None:
        self.gazetteer = gazetteer
        self.words = words
        self.actors = actors
        self.focus = gazetteer.focus
        self.districts = self._districts()
        self._last: tuple[Doc, _Parsed] | None = None

    def _parse(self, doc: Doc) -> _Parsed:
        # the Doc itself is kept (not its id), so that a new Doc can never pass for it
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        text = doc.text  # spaCy joins the tokens on every access: read it once
        blocked: list[tuple[int, int]] = []
        actor_countries: Counter[str] = Counter()
        owners: dict[int, str] = {}  # where a named group of a known country starts -> its country
        homelands: set[str] = set()  # admin1 codes where the named groups fight, the peoples live
        if self.actors is not None:
            for actor, span in self.actors.find(doc, 0, len(text), None):
                # named groups only: a generic reference ("Niger's military") holds a real
                # place name, and an unknown capitalised group may be one ("Tillaberi Region")
                if actor.known and not self.actors.is_generic(actor):
                    blocked.append((span.start, span.end))
                    homelands |= self.words.homeland(actor.id)
                    if actor.country:
                        actor_countries[actor.country] += 1
                        owners[span.start] = actor.country
                elif actor.known and (own := self.actors.own_name_country(span.text)):
                    # a force by its own name ("FAMa", the Malian army) is at home; a generic
                    # phrase is not counted ("Ghanaian soldiers" serving in a UN mission)
                    actor_countries[own] += 1
        # the countries the story's nationalities and named forces are of: a one-word town of
        # theirs is a place even where the model calls it a person
        votes = demonym_countries(doc, self.words, owners)
        home = frozenset(actor_countries) | frozenset(votes)
        topos = [t for t in find_toponyms(doc, self.gazetteer, self.words, text=text, blocked=blocked, home=home)
                 if not (t.label == "DEMONYM" and self._member_nationality(doc, t, owners))]
        # when the text names no country, the groups' countries vote like demonyms: "Katiba
        # Macina militants ... in Kassaberi" is a story of Mali; so do the peoples it names where
        # they live in few countries ("Mossi farmers"). A named country outweighs them
        # ("Hamas ... in Jerusalem, Israel").
        groups: list[str] = []
        if not votes and not any(is_country(self.gazetteer, t.span.text) and not across_border(text, t, self.words)
                                 for t in topos):
            groups = list(actor_countries.elements()) + people_countries(doc, self.words)
        homelands |= people_homelands(doc, self.words)
        chosen, ctx = resolve_all(self.gazetteer, self.words, text, topos, votes, self.focus, groups, self.districts,
                                  frozenset(homelands))
        parsed = _Parsed(text, topos, chosen, ctx, actor_countries, votes, groups, frozenset(homelands))
        self._last = (doc, parsed)
        return parsed

    def _member_nationality(self, doc: Doc, topo: Toponym, owners: dict[int, str]) -> bool:
        """A demonym toponym that only gives a group member's nationality (see
        ``member_nationality``): it names no place of the story."""
        tokens = doc.char_span(topo.span.start, topo.span.end, alignment_mode="expand")
        code = (self.words.demonym(topo.span.text) or "").split(".")[0]
        return (tokens is not None and bool(code) and not code.startswith("=")
                and member_nationality(doc, tokens.end, code, owners, self.words))

    def geoparse(self, doc: Doc) -> list[Location]:
        """Every toponym in ``doc`` with its span, each resolved; one the gazetteer lacks is
        located at the larger area around it (see ``_fallback``), ``place`` None only when the
        document names no area at all."""
        parsed = self._parse(doc)
        pairs = list(zip(parsed.topos, parsed.chosen, strict=True))
        return [self._location(t, c, pairs, parsed.ctx, parsed.text) for t, c in pairs]

    def resolve(self, doc: Doc, spans: list[Span]) -> list[Location]:
        """Resolve the given toponym spans of ``doc`` (gold spans, for evaluation); the toponyms
        found in the rest of the document serve as context."""
        given: list[Toponym] = []
        for s in spans:
            tokens = doc.char_span(s.start, s.end, alignment_mode="expand")
            hint, near = (None, False)
            if tokens is not None:
                hint, near, _ = _cues(doc, tokens.start, tokens.end, self.words)
            given.append(Toponym(Span(s.start, s.end, s.text), hint, near, "GOLD"))
        found = [t for t in self._parse(doc).topos
                 if not any(t.span.start < g.span.end and g.span.start < t.span.end for g in given)]
        topos = sorted(given + found, key=lambda t: t.span.start)
        parsed = self._parse(doc)
        chosen, ctx = resolve_all(self.gazetteer, self.words, parsed.text, topos, parsed.votes, self.focus,
                                  parsed.groups, self.districts, parsed.homelands)
        pairs = list(zip(topos, chosen, strict=True))
        by_span = {(t.span.start, t.span.end): c for t, c in pairs if t.label == "GOLD"}
        return [self._location(g, by_span.get((g.span.start, g.span.end)), pairs, ctx, parsed.text) for g in given]

    def _location(self, topo: Toponym, chosen: Candidate | None, pairs: list[tuple[Toponym, Candidate | None]],
                  ctx: Context, text: str) -> Location:
        if chosen is None:
            return self._fallback(topo, pairs, ctx, text)
        return Location(chosen.place, topo.span.text, _precision(topo, chosen), topo.span)

    def _fallback(self, topo: Toponym, pairs: list[tuple[Toponym, Candidate | None]], ctx: Context,
                  text: str) -> Location:
        """A toponym the gazetteer lacks (a street, a market, a village GeoNames misses) located
        as ACLED codes such places (geo precision 3): at the larger area that contains it, the
        toponym kept as written. A user mapping a story expects a street of a city at the city,
        not nowhere. The area is the container written right after it ("Bakin Kogi Street,
        Zinder", "a hamlet (Tahoua)"), else the area the document puts it in (see
        ``_document_area``)."""
        name = topo.span.text
        box = _container(text, topo, pairs, self.words)
        anchor = _anchor(text, topo, pairs, self.words)
        if box is not None:
            area: Place | None = box.place
            how = "the larger area named right after it"
        elif anchor is not None:
            return _near_anchor(topo, anchor, text)
        else:
            area, how = self._document_area(topo, pairs, ctx)
        if area is None:
            return Location(None, name, GeoPrecision.REGION, topo.span,
                            f"{name!r} is not in the gazetteer, and the text names no larger area")
        return Location(area, name, GeoPrecision.REGION, topo.span,
                        f"{name!r} is not in the gazetteer{' in ' + area.name if box else ''}: located at {area.name}, {how}")

    def _document_area(self, topo: Toponym, pairs: list[tuple[Toponym, Candidate | None]],
                       ctx: Context) -> tuple[Place | None, str]:
        """The area a toponym the gazetteer lacks most likely lies in, when the text writes no
        container after it: the settlement or district the document names most (a local story
        keeps returning to its town; its streets, schools and hamlets lie in or near it), the
        one named nearest the toponym among equals, taken from the towns in an admin1 area the
        document names if there are any, else from those in its main country; with neither, the
        admin1 area the document names most rather than a town elsewhere; else any town, else
        its main country. Measured against the place named nearest before or around it, and against the
        admin1 area or country alone: as good or better on both geoparsing corpora."""
        local = [(t, c) for t, c in pairs if c is not None and t.label != "DEMONYM" and specificity(c) <= 2]
        main = ctx.main_country()
        named = [a1 for a1, n in ctx.admin1.most_common() if n > 0]
        inside = [(t, c) for t, c in local if c.a1_code in named]
        # in the country the document is about, when it names a town there: a story of a
        # market in Zinder that also names the Malian towns its goods come from keeps the
        # market in Niger
        home = [(t, c) for t, c in local if c.place.country_code == main]
        if inside:
            # in a region the document names: a story of the Tillaberi region that names its
            # hamlets and a town of another region keeps the hamlets in Tillaberi
            local = inside
        elif home:
            local = home
        elif named:
            # a region the document names, rather than a town elsewhere that a passing name
            # (often a person's) resolved to
            area = self.gazetteer.admin1_place(named[0])
            if area is not None:
                return area, "the region the document names most"
        if local:
            counts = Counter(c.place.geonameid for _, c in local)
            most = max(counts.values())
            top = [(t, c) for t, c in local if counts[c.place.geonameid] == most]
            _, best = min(top, key=lambda p: abs(p[0].span.start - topo.span.start))
            return best.place, "the place the document names most" if most > 1 else "the place named nearest it"
        if ctx.admin1:
            area = self.gazetteer.admin1_place(ctx.admin1.most_common(1)[0][0])
            if area is not None:
                return area, "the region the document names most"
        country = self.gazetteer.country_place(main) if main else None
        return country, "the country the document is about"

    def locate(self, doc: Doc, evidence: Span) -> Location:
        """Where the event told in ``evidence`` happened: the most specific place named in the
        evidence, else in its paragraph, else the article's country; never raises."""
        parsed = self._parse(doc)
        text = parsed.text
        # 1. the evidence itself, 2. its paragraph, 3. the whole article; a place named as
        # where people or things came from or went ("aircraft were sent from Ouagadougou",
        # "villagers fled to Djibo"), only inside an organisation's name ("a clerk of the
        # Dosso Bank") or as the end of a road ("on the Niamey-Dosso road near a village of
        # Birni district") or the second of two ("the Niger-Mali border"), only when no
        # scene is named anywhere
        scopes = (("evidence", (evidence.start, evidence.end)), ("paragraph", _paragraph(text, evidence)),
                  ("article", (0, len(text))))
        for origins in (False, True):
            for scope, (lo, hi) in scopes:
                inside = [(t, c) for t, c in zip(parsed.topos, parsed.chosen, strict=True)
                          if lo <= t.span.start and t.span.end <= hi and t.label != "DEMONYM"
                          and (origins or not (t.origin or t.label in ("PART", "ROAD", "PAIR")))]
                loc = self._most_specific(inside, parsed.ctx, scope, parsed.actor_countries, text)
                if loc is not None:
                    return loc
        # 4. no place named at all ("Katiba Macina fighters kidnapped a shopkeeper"): the country
        # of the document's demonyms, else of the groups it names, at country precision
        main = parsed.ctx.main_country()
        why = "no place named in the article: country of its " + (
            "demonyms" if parsed.votes or not parsed.groups else "groups it names")
        if main is None and parsed.actor_countries:
            main = parsed.actor_countries.most_common(1)[0][0]
            why = "no place named in the article: country of the groups it names"
        home = self._homeland(parsed.ctx, main)
        if home is not None:
            place, seat = self._at_seat(home)
            return Location(place, None, GeoPrecision.REGION, None,
                            "no place named in the article: the region where the groups and peoples it names are based" + seat)
        area = self.gazetteer.country_place(main) if main else None
        if area is not None:
            place, capital = self._at_seat(Candidate(area, None))
            return Location(place, None, GeoPrecision.REGION, None, why + capital)
        return Location(None, None, GeoPrecision.REGION, None, "no place named in the article")

    def _most_specific(self, inside: list[tuple[Toponym, Candidate | None]], ctx: Context, scope: str,
                       actor_countries: Counter[str] | None = None, text: str = "") -> Location | None:
        if not inside:
            return None
        where = "" if scope == "evidence" else f" (from the {scope}, none in the evidence)"
        resolved = [(t, c) for t, c in inside if c is not None]
        unknown = [t for t, c in inside if c is None]
        # a place the gazetteer lacks but the text calls a place ("near Dabrayel", "X village")
        # is as specific as a village: the first such, or the first village resolved, wins
        # ("outside the Aid Trust office in X": a name that heads an institution's word is not
        # the cued village, whatever the cue before it says)
        # so is one the text puts in a larger area right after it ("Kobadi, Tahoua"): it is
        # inside that area, so more specific than it
        cued = [t for t in unknown if ((t.near or t.hint == "place") and not self._heads_institution(text, t))
                or _container(text, t, inside, self.words) is not None]
        local = sorted((p for p in resolved if specificity(p[1]) <= 2), key=lambda p: specificity(p[1]))
        # "Ouallam's Dabrayel area", "Tahoua's Kobadi district": the place after the possessive is in
        # the one before it, and is where the text is
        starts = {t.span.start for t, _ in local}
        local = [p for p in local if not _possessor(text, p[0], starts)] or local
        # "the Kobala district of Tahoua": the place after "<area word> of" holds the one before
        owned = {m.end() for t, _ in local if (m := KIND_OF.match(text, t.span.end)) and self.words.area_word(m.group(1))}
        local = [p for p in local if p[0].span.start not in owned] or local
        # "in the area of Egharo (Tahoua)": a town in brackets right after a site (not a
        # district: "Kobala Cercle (Tahoua)" names its seat) holds the site, which is the scene
        boxed = {m.end() for t, c in local if c.place.feature_class != "A" and (m := BRACKET.match(text, t.span.end))}
        local = [p for p in local if p[0].span.start not in boxed] or local
        if cued and (not local or (specificity(local[0][1]) > 1 or cued[0].span.start < local[0][0].span.start)):
            local = []
            unknown = cued
        if local:
            topo, cand = local[0]
            precision = _precision(topo, cand)
            # the same place named twice ("Attack in Teguey ... near Teguey"): if any mention
            # puts the event near it, the text does not claim the place itself
            if any(c is not None and c.place == cand.place and t.near for t, c in inside):
                precision = max(precision, GeoPrecision.NEAR)
            # "an IED exploded 25 km east of X": the point is where the text puts the event
            place, moved = _offset(text, topo, cand.place)
            if moved:
                return Location(place, topo.span.text, GeoPrecision.NEAR, topo.span, f"located {moved}{where}")
            if cand.place.feature_code in SEATS:
                # a district named as the scene ("in the Tahoua department"): at its seat, as a region
                place, seat = self._at_seat(cand, topo.span.text)
                if seat:
                    return Location(place, topo.span.text, precision, topo.span, f"a district{seat}{where}")
            return Location(cand.place, topo.span.text, precision, topo.span, where.strip(" ()") or None)
        areas = sorted(resolved, key=lambda p: specificity(p[1]))
        if unknown:
            # 3. a place the gazetteer lacks: keep its name, locate it at the district or region
            # named closest to it ("near Dabrayel in the Tillaberi region")
            topo = unknown[0]
            around = sorted((p for p in resolved if specificity(p[1]) <= 3),
                            key=lambda p: (abs(p[0].span.start - topo.span.start), specificity(p[1])))
            box = _container(text, topo, inside, self.words)
            anchor = _anchor(text, topo, inside, self.words)
            if box is None and anchor is not None:
                return _near_anchor(topo, anchor, text, where)
            holder = box if box is not None else around[0][1] if around else self._context_area(ctx, actor_countries)
            area, seat = self._at_seat(holder) if holder is not None else (None, "")
            # "in X" when the text puts the place in it: the gazetteer may hold the name elsewhere
            missing = f"{topo.span.text!r} is not in the gazetteer" + (f" in {area.name}" if box is not None and area else "")
            reason = f"{missing}: located at " + (
                f"{area.name}, the larger area named{seat}" if area else "no larger area either") + where
            return Location(area, topo.span.text, GeoPrecision.REGION, topo.span, reason)
        if areas:
            topo, cand = areas[0]
            reason = "only a region is named" if specificity(cand) == 3 else "no place below the country named"
            place, seat = self._at_seat(cand, topo.span.text)
            return Location(place, topo.span.text, GeoPrecision.REGION, topo.span, reason + seat + where)
        return None

    def _heads_institution(self, text: str, topo: Toponym) -> bool:
        """The word right after the name makes it an organisation or building ("the X office")."""
        after = re.match(r"\s*([A-Za-z]+)", text[topo.span.end:topo.span.end + 40])
        return after is not None and self.words.role(after.group(1).lower(), "institution")

    def _context_area(self, ctx: Context, actor_countries: Counter[str] | None = None) -> Candidate | None:
        """The admin1 area the document names most, else its main country, else the country
        of the groups it names ("Katiba Macina militants ... in Dogo": Mali)."""
        if ctx.admin1:
            code = ctx.admin1.most_common(1)[0][0]
            area = self.gazetteer.admin1_place(code)
            if area is not None:
                return Candidate(area, code)
        main = ctx.main_country()
        if main is None and actor_countries:
            main = actor_countries.most_common(1)[0][0]
        home = self._homeland(ctx, main)
        if home is not None:
            return home
        country = self.gazetteer.country_place(main) if main else None
        return Candidate(country, None) if country is not None else None

    def _homeland(self, ctx: Context, main: str | None) -> Candidate | None:
        """The one admin1 area of country ``main`` where all the groups and peoples the document
        names are based ("Dogon hunters", "Dan Na Ambassagou": Mopti), if there is one."""
        codes = [code for code in ctx.homelands if main and code.startswith(main + ".")]
        area = self.gazetteer.admin1_place(codes[0]) if len(codes) == 1 else None
        return Candidate(area, codes[0]) if area is not None else None

    def _at_seat(self, area: Candidate, name: str | None = None) -> tuple[Place, str]:
        """Where to point an event known only by the region or district ``area`` (named
        ``name`` in the text, when it is): at the area's seat, as ACLED codes it (geo precision
        3 at the provincial capital), which also lies nearer most of an area's villages than
        its middle does (GTD 2021 dev with GeoNames, within 25 km: 0.553 -> 0.583). The place
        stays the area, its name, admin1 and country; only the point moves. With the words to
        add to the reason."""
        if specificity(area) == 4 and area.place.country_code:
            # a country: at its capital, as ACLED codes an event known only by its country; the
            # middle of a country lies in no one's way (Mali's, in the desert north of Timbuktu)
            seat = self.gazetteer.capital(area.place.country_code)
            if seat is None or seat.lat is None or seat.lon is None:
                return area.place, ""
            return replace(area.place, lat=seat.lat, lon=seat.lon), f", at its capital, {seat.name}"
        seat = area_seat(self.gazetteer, area, name, self._bare(area.place.name))
        if seat is None or seat.lat is None or seat.lon is None:
            return area.place, ""
        return replace(area.place, lat=seat.lat, lon=seat.lon), f", at its seat, {seat.name}"

    def _districts(self) -> dict[str, list[tuple[str, float, float]]]:
        """The districts (GeoNames ADM2) of the countries imported in detail, by their bare folded
        names ("kobala" for "Kobala Cercle"): country and point of each. A district is named
        after its seat, the namesake a text most likely means; GeoNames marks seats (PPLA2) in
        some countries only, and gives Mali's villages no district code: the seat is then the
        town of the district's name close to its point. Only there: elsewhere the gazetteer
        holds towns of 500 people and more, whose populations tell namesakes apart."""
        out: dict[str, list[tuple[str, float, float]]] = {}
        for name, cc, lat, lon in self.gazetteer.areas("ADM2"):
            if cc in self.focus:
                out.setdefault(fold(self._bare(name) or name), []).append((cc, lat, lon))
        return out

    def _bare(self, name: str) -> str | None:
        """An area's name without its words of an area: "Kobala" for "Kobala Cercle" or "Cercle de
        Kobala"; None when nothing is left or nothing was taken."""
        words = name.split()
        kept = [w for w in words if not self.words.area_word(w)]
        if len(kept) == len(words):
            return None
        while kept and fold(kept[0]) in AREA_JOINERS:
            kept = kept[1:]
        while kept and fold(kept[-1]) in AREA_JOINERS:
            kept = kept[:-1]
        return " ".join(kept) or None


AREA_JOINERS = frozenset({"of", "de", "du", "des", "d"})  # "Cercle de Kobala", "Region of Agadez"
CONTAINER_GAP = re.compile(r"[\s,(]*")
BRACKET = re.compile(r"\s*\(\s*")
POSSESSIVE = re.compile(r"['’]s\s+")
KIND_OF = re.compile(r"\s+([A-Za-z]+)\s+of\s+(?:the\s+)?")  # "X district of Y", "X area of the Y"


def _container(text: str, topo: Toponym, inside: list[tuple[Toponym, Candidate | None]],
               words: GeoWords) -> Candidate | None:
    """The resolved place written right after ``topo`` with only a comma or an opening
    parenthesis between: "Pol-e-Menarha neighborhood, Herat", "Boni (Douentza, Mopti)"; or an
    area the text calls one, after "in" or a comma ("Boni, Cercle of Douentza"). The text puts
    the unknown place in it, so it beats any area named elsewhere."""
    after = [(t, c) for t, c in inside if t.span.start >= topo.span.end]
    if not after or not text:
        return None
    t, c = min(after, key=lambda p: p[0].span.start)
    gap = text[topo.span.end:t.span.start]
    if c is None or not gap or specificity(c) > 3:
        return None
    if CONTAINER_GAP.fullmatch(gap) or (specificity(c) >= 2 and AREA_GAP.fullmatch(gap) and called_area(t, words)):
        return c
    return None


def _possessor(text: str, topo: Toponym, starts: set[int]) -> bool:
    """``topo`` is written as the owner of the place that starts right after it, at one of
    ``starts`` ("Ouallam's Dabrayel area")."""
    m = POSSESSIVE.match(text, topo.span.end)
    return m is not None and m.end() in starts


def _anchor(text: str, topo: Toponym, inside: list[tuple[Toponym, Candidate | None]],
            words: GeoWords) -> tuple[Toponym, Candidate] | None:
    """The town written right after ``topo`` that the text puts it near ("Wassakoira,
    south of Ayorou", "the hamlet of Kobadié, near Téra"), with its toponym: where a place the
    gazetteer lacks is."""
    after = [(t, c) for t, c in inside if t.span.start >= topo.span.end]
    if not after or not text:
        return None
    t, c = min(after, key=lambda p: p[0].span.start)
    if c is None or specificity(c) > 2 or not anchor_gap(text[topo.span.end:t.span.start], words):
        return None
    return t, c


def _near_anchor(topo: Toponym, anchor: tuple[Toponym, Candidate], text: str, where: str = "") -> Location:
    """A place the gazetteer lacks (or holds only far away), located near the town the text puts
    it near ("X, 40 km west of Y": that far from the town, see _offset), its name kept as written."""
    name, town = topo.span.text, anchor[1].place.name
    place, moved = _offset(text, anchor[0], anchor[1].place)
    return Location(place, name, GeoPrecision.NEAR, topo.span,
                    f"{name!r} is not in the gazetteer near {town}: located {moved or 'at ' + town}, "
                    f"which the text puts it near{where}")


BEARINGS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
            "southwest": 225.0, "west": 270.0, "northwest": 315.0,
            "n": 0.0, "ne": 45.0, "e": 90.0, "se": 135.0, "s": 180.0, "sw": 225.0, "w": 270.0, "nw": 315.0}
# "35 km west of X", "about 45km south-east of X", "20 miles to the north of the town of X"
STATED_OFFSET = re.compile(
    DISTANCE + r"\s+(?:to\s+the\s+)?(" + DIRECTION + r")\s+of\s+"
    r"(?:the\s+(?:town|village|city|commune|locality)\s+of\s+)?$", re.IGNORECASE)
MAX_OFFSET_KM = 500.0  # a stated distance beyond this is no local detail ("1,200 km north of the capital")


def _offset(text: str, topo: Toponym, place: Place) -> tuple[Place, str]:
    """``place`` moved by the distance and direction the text writes right before its name
    ("35 km west of X"), with the words saying so ("35 km west of X"); unchanged, and "", when
    the text states none (a distance alone, "30 km from X", or "north of X", says no more than
    near). The place stays the one named; only its point moves."""
    m = STATED_OFFSET.search(text[max(0, topo.span.start - 80):topo.span.start])
    if m is None or place.lat is None or place.lon is None:
        return place, ""
    km = float(m.group(1).replace(",", ".")) * (1.609 if m.group(2).lower().startswith("mi") else 1.0)
    if not 0 < km <= MAX_OFFSET_KM:
        return place, ""
    lat, lon = destination(place.lat, place.lon, km, BEARINGS[m.group(3).lower().replace("-", "")])
    return replace(place, lat=lat, lon=lon), f"{km:g} km {m.group(3).lower()} of {place.name}"


def _precision(topo: Toponym, cand: Candidate) -> GeoPrecision:
    spec = specificity(cand)
    if spec >= 3:
        return GeoPrecision.REGION
    if topo.near or spec == 2:
        return GeoPrecision.NEAR
    return GeoPrecision.PLACE


def _paragraph(text: str, evidence: Span) -> tuple[int, int]:
    """Character bounds of the paragraph (blank-line separated) holding the evidence."""
    starts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    ends = [m.start() for m in PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    for lo, hi in zip(starts, ends, strict=True):
        if lo <= evidence.start <= hi:
            return lo, max(hi, evidence.end)
    return evidence.start, evidence.end
