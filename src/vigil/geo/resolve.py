"""Choosing the gazetteer entry each toponym refers to, using the rest of the document.

Two passes over a document's toponyms. The first ranks every toponym's candidates on the name
alone (how well it matches, feature type, population) and reads off the document's context:
the countries it names (with demonyms) and the admin1 areas it names. The second ranks again
with that context and with the distance to the other places the document names. See
``score`` for the cascade and the weight of each step.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from vigil.geo.gazetteer import Candidate, Gazetteer, place_specificity
from vigil.geo.names import fold, one_name, spelling_distance
from vigil.geo.toponyms import (
    COMPASS,
    DISTANCE_UNITS,
    SEAT_CODES,
    Toponym,
    country_tail,
    strong_place,
    twin_village,
)
from vigil.geo.words import GeoWords
from vigil.types import Place

MAX_CANDIDATES = 60
TINY = 1000  # people: below this a settlement abroad needs the text's support (see _stray_village)
SMALL_TOWN = 20_000  # people: below this, when the text names a region of its country (see _stray_village)
BIG = 1_000_000  # people: a city this large is known by its alternate names too
SHORTLIST = 12  # candidates per toponym that the second pass weighs with the context
SHORT_CODE = 3  # letters: another name this short is a code or abbreviation (see candidates)


def specificity(c: Candidate) -> int:
    """1 a settlement or site, 2 a district, 3 a region, 4 a country, 5 larger (a continent, a sea)."""
    return c.spec or place_specificity(c.place.feature_class, c.place.feature_code)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on the initial compass ``bearing`` (degrees from north),
    on a sphere."""
    d, b = km / 6371.0, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540.0) % 360.0 - 180.0, 5)


def _rough_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: within 1% of the great circle at the ranges that matter
    here (under a few hundred km), at a fraction of the cost."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


ALL = "\0all"  # Context._main's key for the leader of all the votes


@dataclass
class Context:
    """What the whole document says about where it is.

    Votes are kept per name so that a name never votes for its own reading: five mentions of
    "Georgia" must not make Georgia the country the document is about."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[str] = field(default_factory=Counter)
    admin1_at: dict[int, str] = field(default_factory=dict)  # toponym index -> the admin1 it names
    points: list[tuple[int, float, float]] = field(default_factory=list)  # (toponym index, lat, lon)
    by_name: dict[str, Counter[str]] = field(default_factory=dict)  # folded name -> its country votes
    keys: list[str] = field(default_factory=list)  # toponym index -> its folded name
    town_admin1: dict[str, str] = field(default_factory=dict)  # folded name -> admin1 of the town chosen
    town_admin1_count: Counter[str] = field(default_factory=Counter)  # admin1 -> names of towns in it
    peer_spec: dict[int, int] = field(default_factory=dict)  # toponym index -> specificity of its list peer
    focus: frozenset[str] = frozenset()  # countries imported village by village (see Gazetteer.focus)
    # admin1 -> folded name -> that name's share of support for the admin1 (see _admin1_support)
    support: dict[str, dict[str, float]] = field(default_factory=dict)
    support_total: dict[str, float] = field(default_factory=dict)  # admin1 -> sum of its support
    demonym_keys: set[str] = field(default_factory=set)  # folded names of the demonyms found ("french")
    _main: dict[str, str | None] = field(default_factory=dict)
    _views: dict[str, tuple[Counter[str], Counter[str], float, str | None]] = field(default_factory=dict)
    _grid: dict[tuple[int, int], list[tuple[int, float, float]]] | None = None
    # (toponym index, lat, lon) of the settlements a name may be that lie close to one another
    # name of the document may be (see _paired)
    paired: set[tuple[int, float, float]] = field(default_factory=set)
    # bare folded name -> (country, lat, lon) of the districts of that name (see GazetteerGeocoder._districts)
    districts: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    homelands: frozenset[str] = frozenset()  # admin1 codes of the named groups' and peoples' bases
    # admin1 codes of the names the text calls areas ("the Tahoua region") or puts places in ("X, Tahoua")
    called_admin1: set[str] = field(default_factory=set)

    def vote(self, key: str, cc: str, weight: int) -> None:
        self.countries[cc] += weight
        self.by_name.setdefault(key, Counter())[cc] += weight
        self._main.clear()
        self._views.clear()

    def unvote(self, key: str) -> None:
        """Withdraw name ``key``'s votes (its reading was rejected once the context was known)."""
        own = self.by_name.pop(key, None)
        if own:
            self.countries.subtract(own)
            self.countries = +self.countries  # drop the zeros
            self._main.clear()
            self._views.clear()

    def named(self, cc: str, key: str, groups: bool = True) -> bool:
        """True when a toponym other than name ``key``, or a named group (unless ``groups`` is
        False), voted for country ``cc``: not only the demonyms, which vote under the empty
        name. A group's country is a guess too (a Burkinabe militia fights across the border),
        but a better one than a nationality."""
        return any(k not in ("", key) and (groups or k != GROUPS) and k not in self.demonym_keys and votes[cc] > 0
                   for k, votes in self.by_name.items())

    def country_share(self, cc: str | None, key: str = "") -> float:
        """The share of the document's country votes for ``cc``, not counting name ``key``'s."""
        if not cc:
            return 0.0
        own = self.by_name.get(key)
        total = self.countries.total() - (own.total() if own else 0)
        return (self.countries[cc] - (own[cc] if own else 0)) / total if total > 0 else 0.0

    def view(self, key: str) -> tuple[Counter[str], Counter[str], float, str | None]:
        """What ``country_share`` and ``main_country`` need for name ``key``, found once per name
        rather than once per candidate (the scoring loop's main cost): all the votes, the
        name's own, the total without them and the leading country."""
        found = self._views.get(key)
        if found is None:
            own = self.by_name.get(key) or Counter()
            found = self._views[key] = (self.countries, own, self.countries.total() - own.total(),
                                        self.main_country(key))
        return found

    def main_country(self, key: str = "") -> str | None:
        """The country with the most votes, not counting name ``key``'s."""
        own = self.by_name.get(key)
        if not own:
            key = ""  # names that voted for nothing share the plain answer
        elif key and key not in self._main:
            # exact shortcut (GEOSPEED): taking away a name's votes for other countries leaves
            # the leader of all the votes leading, ties included (max keeps the first of equals)
            if ALL not in self._main:
                self._main[ALL] = max(self.countries, key=self.countries.__getitem__) if self.countries else None
            top = self._main[ALL]
            if top is None or own[top] == 0:
                self._main[key] = top
        if key not in self._main:
            own = own or Counter()
            rest = {cc: n - own[cc] for cc, n in self.countries.items() if n - own[cc] > 0}
            self._main[key] = max(rest, key=rest.__getitem__) if rest else None
        return self._main[key]

    def nearest_km(self, lat: float, lon: float, index: int) -> float:
        """Distance to the nearest anchor point other than toponym ``index``'s, looked up in a
        grid of 2-degree cells (only neighbours can be within the 200 km that matter)."""
        if self._grid is None:
            self._grid = {}
            for i, plat, plon in self.points:
                self._grid.setdefault((int(plat // 2), int(plon // 2)), []).append((i, plat, plon))
        cy, cx = int(lat // 2), int(lon // 2)
        best = 1e9
        own = self.keys[index] if index < len(self.keys) else None
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for i, plat, plon in self._grid.get((cy + dy, cx + dx), ()):
                    # another mention of the same name is no evidence for its own reading
                    if i != index and (own is None or self.keys[i] != own):
                        best = min(best, _rough_km(lat, lon, plat, plon))
        return best


def candidates(gazetteer: Gazetteer, topo: Toponym, words: GeoWords) -> tuple[list[Candidate], str | None, str]:
    """The candidates for a toponym and the hint to use: the full name first ("Rapides Parish"),
    then without a trailing cue word ("Tillaberi region" -> "Tillaberi", hint area); and the
    name they were found by: the toponym's own, or the part of it a longer name was located by
    ("Tahoua" for "the Tahoua-Agadez road"), which is no more evidence than the part itself."""
    name = topo.span.text
    # 0. a listed alias ("Calif.", "America") or a demonym ("Russians", when given as a toponym)
    # ("W.Va." is often cut before its last period, which the tokenizer reads as the sentence's)
    code = words.alias(topo.span.text) or words.alias(topo.span.text + ".")
    if code and code.startswith("="):
        return gazetteer.lookup(code[1:], variants=False)[:MAX_CANDIDATES], topo.hint, name
    cc = None if code else words.demonym(topo.span.text)
    if cc and cc.startswith("="):  # "European": a region known by its gazetteer name
        return gazetteer.lookup(cc[1:], variants=False)[:MAX_CANDIDATES], topo.hint, name
    code = code or cc
    if code:
        area = gazetteer.admin1_place(code) if "." in code else gazetteer.country_place(code)
        if area is not None:
            return [Candidate(area, code if "." in code else None)], topo.hint, name
    found = _no_codes(gazetteer.lookup(topo.span.text, variants=False), name)
    if topo.cue:
        # "the Tillaberi region", "the cercle of Tessagou": GeoNames may call the area itself
        # "Tillaberi Region", "Tessagou Cercle"; the text then names it by its very name
        full = f"{topo.span.text} {topo.cue}"
        with_cue = gazetteer.lookup(full, variants=False)
        whole = [c for c in with_cue if c.key == fold(full)]
        ids = {c.place.geonameid for c in found}
        found = whole or found + [c for c in with_cue if c.place.geonameid not in ids]
    if found:
        return found[:MAX_CANDIDATES], topo.hint, name
    # "Tillaberi Region", "Kollo Village", and a site named after its town: "the Kassaberi
    # Airport", "the Tiemboro Market" (the gazetteer holds the town, rarely the site)
    parts = topo.span.text.rsplit(" ", 1)
    if len(parts) == 2:
        last = fold(parts[1])
        for role in ("area", "admin2", "place", "site"):
            if words.role(last, role):
                found = gazetteer.lookup(parts[0], variants=False)
                if found:
                    return found[:MAX_CANDIDATES], role, name
    # spelling variants only as a last resort, and only for names long enough to be specific
    found = _no_codes(gazetteer.lookup(topo.span.text), name)
    if found:
        return found[:MAX_CANDIDATES], topo.hint, name
    # one of twin villages named for the people of each ("Kobou-Peulh", "Kobou Dogon"), where
    # the gazetteer holds only the village's own name: that village, the best it knows
    head = twin_village(fold(name), words)
    if head is not None:
        found = [c for c in _no_codes(gazetteer.lookup(head), head) if c.place.feature_class == "P"]
        if found:
            return found[:MAX_CANDIDATES], "place", head
    # a name the gazetteer lacks as a whole, located at the place it is named after or
    # narrows: "North Dakota Plains", "Southeast Ohio", "Friends of Ghana"
    part, hint, by = _named_part(gazetteer, words, topo.span.text, road=topo.label == "ROAD")
    return (part[:MAX_CANDIDATES], hint, by) if part else ([], topo.hint, name)


def _no_codes(found: list[Candidate], name: str) -> list[Candidate]:
    """``found`` without the places that ``name`` only abbreviates: an abbreviation among a
    place's other names ("BRE" for Bremen, "NYC") is written in capitals, so "Bre" in running
    text is no Bremen (but "Obi" may be another spelling of "Obih")."""
    key = fold(name)
    if len(key) > SHORT_CODE or name.isupper():
        return found
    return [c for c in found if not _abbreviates(key, c.key)]


def _abbreviates(short: str, name: str) -> bool:
    """Folded ``short`` is an abbreviation of folded ``name``: its first letters of a much
    longer word ("bre" for "bremen"; not "kob" for "kob district", nor "obi" for "obih", another
    spelling) or its initials ("nyc")."""
    if short == name:
        return False
    first = name.split(" ", 1)[0]
    return (first.startswith(short) and len(first) >= len(short) + 3) or short == "".join(w[0] for w in name.split())


def _named_part(gazetteer: Gazetteer, words: GeoWords, text: str,
                road: bool = False) -> tuple[list[Candidate], str | None, str]:
    """Candidates for the place inside a longer name: the first end of a road ("Tahoua-Agadez";
    with ``road``, the text says it is one, the end the gazetteer knows),
    after a compass word ("North Texas"),
    after "of" ("Friends of Ghana"), or at its head ("Ohio Western College"; a town only
    before an institution's word: "Gao Regional Hospital"); the last two only when the part is a
    country, an admin area or a sizeable town (see strong_place). With the part's text."""
    ends = text.split("-")
    if len(ends) == 2 and all(e[:1].isupper() and len(e) >= 3 for e in ends):
        # "the Tahoua-Agadez axis", "the Ayorou-Dosso road": a road between two known places
        # is located at the first (ACLED codes one end); both must be known
        first, second = (gazetteer.lookup(e, variants=False) for e in ends)
        if first and (second or road):
            return first, None, ends[0]
        if second and road:
            return second, None, ends[1]
    tokens = text.split()
    if len(tokens) < 2:
        return [], None, text
    if fold(tokens[0]) in COMPASS:
        # a part of an area; by the gazetteer's names only ("Central America" is no part of
        # the America that news writes for the United States)
        return gazetteer.lookup(" ".join(tokens[1:]), variants=False), "area", " ".join(tokens[1:])
    for o in range(1, len(tokens) - 1):
        if tokens[o] == "of" and strong_place(gazetteer, words, " ".join(tokens[o + 1:]), {}):
            return _part_lookup(gazetteer, words, " ".join(tokens[o + 1:])), None, " ".join(tokens[o + 1:])
    institution = False
    for k in range(len(tokens) - 1, 0, -1):
        institution = institution or words.role(fold(tokens[k]), "institution")
        head = " ".join(tokens[:k])
        level = strong_place(gazetteer, words, head, {}) if fold(head) not in words.stopnames else None
        if level == "area" or (level == "town" and institution):
            return _part_lookup(gazetteer, words, head), None, head
    for k in range(1, len(tokens)):
        # a country at its end: "Radio Niger", a section heading run into the name ("World
        # News Kenya"); a country only, since "Lake Victoria" is no Victoria, and after whole
        # words only ("N. Carolina" is no part of a Carolina the text never names)
        tail = " ".join(tokens[k:])
        if all(t.isalpha() for t in tokens[:k]) and country_tail(gazetteer, words, tail):
            return _part_lookup(gazetteer, words, tail), None, tail
    return [], None, text


def _part_lookup(gazetteer: Gazetteer, words: GeoWords, text: str) -> list[Candidate]:
    code = words.alias(text) or words.demonym(text)
    if code and code.startswith("="):
        return gazetteer.lookup(code[1:], variants=False)
    if code:
        area = gazetteer.admin1_place(code) if "." in code else gazetteer.country_place(code)
        return [Candidate(area, code if "." in code else None)] if area is not None else []
    return gazetteer.lookup(text, variants=False)


NATURAL = frozenset({"H", "T", "V"})  # GeoNames classes of water, relief and vegetation


def score(c: Candidate, key: str, hint: str | None, ctx: Context | None, container: Candidate | None,
          index: int, homes: dict[str, float] | None = None) -> float:
    """How likely the toponym (folded ``key``) refers to candidate ``c``; higher is better."""
    place = c.place
    s = 0.0
    # 1. the name: a place's own name beats one of its alternate names; a spelling variant is weak
    if c.variant:
        # the same name in another transliteration ("Tillabéry", "Tillaberi") is hardly weaker than
        # the name itself; one that only shares the loose key is another name
        s -= 0.5 if one_name(c.key, key) else 2.0 if c.sound else 3.0
    elif c.key == key:
        s += 1.0
    # 2. what the text says it is ("the X region", "X village")
    fclass, fcode = place.feature_class or "", place.feature_code or ""
    if hint == "area":
        s += 4.0 if fcode in ("ADM1", "ADM2") else -1.0
    elif hint == "admin2":
        s += 4.0 if fcode in ("ADM2", "ADM3") else (1.0 if fcode == "ADM1" else -1.0)
    elif hint == "place":
        s += 2.0 if fclass == "P" else -2.0
    elif hint == "feature":  # "the X river", "the X well": the feature, else a settlement named like it
        s += 4.0 if fclass in NATURAL else -2.0
    # 3-4. feature type and population (see gazetteer.prior)
    s += c.prior
    # a neighbourhood ("Middle East", a part of Baltimore) is named as such in stories about its
    # city, which the context steps below reward; alone it is rarely what a name means
    if fcode == "PPLX":
        s -= 2.0
    # an area whose own name is longer, matched by its short alias ("Logan" for Logan County):
    # the bare name is the town's unless the text says "county"
    if hint not in ("area", "admin2") and fclass == "A" and c.key.startswith(key + " ") and c.spec in (2, 3):
        s -= 1.5
    if ctx is not None:
        # 4b. the seat of a district of its name ("Kobala" by "Kobala Cercle"), where the
        # gazetteer does not mark seats: better known than its namesakes
        near = ctx.districts.get(key) if fclass == "P" else None
        if near and place.lat is not None and place.lon is not None and any(
                cc == place.country_code and _rough_km(place.lat, place.lon, lat, lon) < SEAT_NEAR_KM for cc, lat, lon in near):
            s += DISTRICT_SEAT
        # 5. the countries the document names, in proportion to how often
        votes, own_votes, total, main = ctx.view(key)
        cc = place.country_code
        # = ctx.country_share(cc, key), inline
        share = (votes.get(cc, 0) - own_votes.get(cc, 0)) / total if cc and total > 0 else 0.0
        s += 4.0 * share + (1.0 if place.country_code == main else 0.0)
        if not share and c.variant:
            s -= 10.0  # a spelling variant abroad is almost always a different place
        # 5b. a text that names no country where the name can be (see resolve_all.pick): the
        # countries the user imported in full detail, the more so the more of the name's
        # settlements each holds (``homes``)
        if homes is not None and place.country_code in ctx.focus:
            s += 2.0 + NAME_HOME * homes.get(place.country_code, 0.0)
        # 6. an admin1 area the document names
        # (not counting this toponym's own mention: "Tillaberi" must not vote for the town)
        a1 = c.a1_code
        if a1 and fcode != "ADM1":
            if ctx.admin1.get(a1, 0) - (1 if ctx.admin1_at.get(index) == a1 else 0) > 0:
                s += 3.0
            # 6b. the admin1 of the other towns the document names (from the previous pass)
            elif ctx.town_admin1_count.get(a1, 0) - (1 if ctx.town_admin1.get(key) == a1 else 0) > 0:
                s += 1.5
            # 6e. where the groups the document names fight, or its peoples live: a hint
            # between namesakes of two regions ("Katiba Macina militants ... in Kassaberi")
            elif a1 in ctx.homelands:
                s += HOMELAND
        # 6d. the admin1 where the document's other names can all be (see _admin1_support);
        # the area itself as much as the places in it ("Uruzgan" the province, not a district)
        if c.a1_code and ctx.support:
            backers = ctx.support.get(c.a1_code)
            own_share = backers.get(key) if backers else None
            if own_share is not None:
                s += SUPPORT_WEIGHT * min(1.0, ctx.support_total[c.a1_code] - own_share)
        # 6c. a list ("California or Washington", "Mali and Niger") names places of one kind
        peer = ctx.peer_spec.get(index)
        if peer is not None and specificity(c) == peer:
            s += 2.0
        # 7. the other places named: near them is likely
        if place.lat is not None and place.lon is not None and (ctx.points or ctx.paired):
            best = ctx.nearest_km(place.lat, place.lon, index) if ctx.points else 1e9
            s += 2.0 if best < 50 else 1.0 if best < 200 else 0.0
            # 7b. two villages named together: the two namesakes close to each other
            if best >= PAIR_KM and (index, place.lat, place.lon) in ctx.paired:
                s += PAIR_WEIGHT
    # 8. "X, Y": the container Y the text puts X in
    if container is not None and c is not container:
        cp = container.place
        if specificity(container) == 4 and place.country_code == cp.country_code:
            s += 5.0
        elif specificity(container) == 3 and c.a1_code and c.a1_code == container.a1_code:
            s += 6.0
        elif specificity(container) == 2 and specificity(c) == 1 and in_district(c, container):
            # by code; or the nearest of a district's namesakes when only the distance tells
            # ("X, Cercle of Y", see in_district)
            coded = place.admin2 and container.place.admin2
            s += 6.0 if coded else 5.0 + (_district_closeness(c, container) if place.lat is not None else 0.0)
        elif specificity(container) == 1 and specificity(c) == 1 and container.place.feature_code in SEAT_CODES \
                and place.lat is not None and cp.lat is not None and _within(c, container, DISTRICT_KM):
            # "X, Y" or "X (Y)", Y a seat: the area of Y, the nearer the likelier
            s += 2.0 * _district_closeness(c, container)
    return s


def _readings(cands: list[tuple[list[Candidate], str | None]], keys: list[str]) -> list[tuple[int, float, float]]:
    """The settlements each name may be, for ``_paired``: of names with a few readings
    (a common name has a reading near anything), spelling variants only in another
    transliteration."""
    out = []
    for i, (options, _) in enumerate(cands):
        if not 1 < len(options) <= PAIR_OPTIONS:
            continue  # one reading: an anchor point already (Context.points)
        for c in options:
            p = c.place
            if specificity(c) == 1 and p.lat is not None and p.lon is not None and (
                    not c.variant or one_name(c.key, keys[i])):
                out.append((i, p.lat, p.lon))
    return out


def _paired(readings: list[tuple[int, float, float]], keys: list[str]) -> set[tuple[int, float, float]]:
    """The readings (see _readings) within PAIR_KM of a reading of another name: two villages
    a story names together are most likely the two of their names that lie close to each other."""
    if len({keys[i] for i, _, _ in readings}) < 2:
        return set()
    # a sweep by latitude: the readings of a story lie far apart, so each meets few others
    points = sorted(readings, key=lambda r: r[1])
    span = PAIR_KM / 110.0  # degrees of latitude
    out: set[tuple[int, float, float]] = set()
    for a, (i, lat, lon) in enumerate(points):
        for b in range(a + 1, len(points)):
            j, lat2, lon2 = points[b]
            if lat2 - lat > span:
                break
            if keys[j] != keys[i] and _rough_km(lat, lon, lat2, lon2) < PAIR_KM:
                out.add(points[a])
                out.add(points[b])
    return out


BORDER_BEFORE = re.compile(r"\bborders?\s+(?:with|of)\s+(?:the\s+)?$", re.IGNORECASE)
BORDER_AFTER = re.compile(r"\s+borders?\b", re.IGNORECASE)


def across_border(text: str, topo: Toponym, words: GeoWords) -> bool:
    """The country is named as the other side of a border ("the border with Niger", "near the
    Niger border"): where the story is not. Not one of two ("the Mali-Niger border"): the
    story is on one side or the other; nor a nationality ("Nigerien border guards" are at home)."""
    before = text[max(0, topo.span.start - 30):topo.span.start]
    if before.rstrip().endswith(("-", "–")) or words.demonym(topo.span.text):
        return False
    return BORDER_BEFORE.search(before) is not None or BORDER_AFTER.match(text, topo.span.end) is not None


def _district_closeness(c: Candidate, district: Candidate) -> float:
    """1 at the district's point, 0 at DISTRICT_KM from it."""
    p, d = c.place, district.place
    return 1.0 - _rough_km(p.lat, p.lon, d.lat, d.lon) / DISTRICT_KM  # type: ignore[arg-type]


SUPPORT_WEIGHT = 2.0
HOMELAND = 1.0  # score for a settlement in the base of a group or people the text names (see geo_homelands.tsv)
SEAT_NEAR_KM = 40.0  # a town of a district's name this close to the district's point is taken for its seat
DISTRICT_SEAT = 1.0
PAIR_KM = 25.0  # two settlements this close, each a reading of a name of the story (see _paired)
PAIR_WEIGHT = 1.5
PAIR_OPTIONS = 30  # a name with more readings than this is too common to say where (see _readings)


def _admin1_support(topos: list[Toponym], keys: list[str],
                    cands: list[tuple[list[Candidate], str | None]]) -> dict[str, dict[str, float]]:
    """For each admin1 area, the names of the document that have a town or district there, each
    with weight 1/(number of admin1 areas its readings span): a local story names places of one
    county or state, most of them ambiguous on their own ("Rogersville", "Greene County",
    "Webster County" each exist in several states; one state has them all). A name found in
    thirty states ("Springfield") backs each of them little."""
    spans: dict[str, set[str]] = {}
    for i, (options, _) in enumerate(cands):
        if topos[i].label == "DEMONYM" or keys[i] in spans:
            continue
        if any(specificity(c) >= 3 for c in options[:SHORTLIST]):
            # a name that may be a country or a region ("Mexico", "California") is read as one
            # far more often than as the town of that name in some state: it neither backs
            # nor is backed
            continue
        spans[keys[i]] = {c.a1_code for c in options if c.a1_code and specificity(c) <= 2 and not c.variant}
    out: dict[str, dict[str, float]] = {}
    for key, areas in spans.items():
        for a1 in areas:
            out.setdefault(a1, {})[key] = 1.0 / len(areas)
    # an admin1 backed by one name only is no agreement
    return {a1: backers for a1, backers in out.items() if len(backers) >= 2}


# what lies between a place and the area it is in: a comma, after the kind of place it is
# ("Alexandria, Louisiana", "Birni neighborhood, Dosso", "Kollo district, Tillaberi")
ADDRESS_GAP = re.compile(r"(?:\s+[a-z]+)?\s*(?:\)\s*)?,\s*|\s*\(\s*")
# before a name the text calls an area: "X, Cercle of Y", "X, district of Y", "X in the Y region"
AREA_GAP = re.compile(r"\s*,\s*(?:the\s+)?[A-Za-z]+\s+of\s+|\s+in\s+(?:the\s+)?")
# a word of a part of Y between X and Y: "the X area of Y", "the X neighbourhood of Y"
PART_OF_GAP = re.compile(r"\s+([a-z]+)\s+of\s+")


def _containers(text: str, topos: list[Toponym], words: GeoWords) -> tuple[list[int | None], set[int], dict[int, float]]:
    """For each toponym, the index of the one right after it when only a comma lies between
    ("Alexandria, Louisiana"), or a comma after a word of what the place is ("Birni
    neighborhood, Dosso"), or an opening bracket, or a closing one and a comma ("Kobadi
    (Birni commune), Dosso"); or when the one after is called an area, after "in" or a comma
    ("Kobadi in the Tahoua region", "Kobadi, Department of Tahoua"); or when the text calls
    the first a part of the second ("the Birni area of Dosso", "the Birni neighbourhood of
    Dosso"). And the toponyms whose container is only called an area (it contains them only if
    it is one), and those the text calls a part of theirs, with how far from its point they
    may lie: a neighbourhood close to the town, "the X area of" a town perhaps in its district."""
    out: list[int | None] = [None] * len(topos)
    called: set[int] = set()
    parts: dict[int, float] = {}
    for i in range(len(topos) - 1):
        between = text[topos[i].span.end:topos[i + 1].span.start]
        part = PART_OF_GAP.fullmatch(between)
        if part and (part.group(1) == "area" or words.role(part.group(1), "around")):
            out[i] = i + 1
            parts[i] = DISTRICT_KM if part.group(1) == "area" else PART_KM
        elif ADDRESS_GAP.fullmatch(between):
            out[i] = i + 1
        elif called_area(topos[i + 1], words) and AREA_GAP.fullmatch(between):
            out[i] = i + 1
            called.add(i)
    return out, called, parts


def called_area(topo: Toponym, words: GeoWords) -> bool:
    """The text calls the toponym an area: "the Tahoua region", "Cercle of Tahoua", or its own
    last word says so ("Tahoua Region", "Tahoua Cercle")."""
    last = topo.span.text.rsplit(None, 1)[-1]
    return topo.hint in ("area", "admin2") or (
        last != topo.span.text and words.area_word(last))


PART_KM = 30.0  # a neighbourhood of a town ("the X neighbourhood of Y") lies this close to its point
DISTRICT_KM = 150.0  # a place this close to a district's point may lie in it (see in_district)


def in_district(c: Candidate, district: Candidate) -> bool:
    """``c`` lies in the admin2 area ``district``: by their admin2 codes where the gazetteer
    gives both, else (GeoNames codes no admin2 for most villages of some countries) when it is
    in the same country and within DISTRICT_KM of the district's point."""
    p, d = c.place, district.place
    if p.country_code != d.country_code:
        return False
    if p.admin2 and d.admin2:
        return p.admin2 == d.admin2 and c.a1_code == district.a1_code
    return None not in (p.lat, p.lon, d.lat, d.lon) and \
        _rough_km(p.lat, p.lon, d.lat, d.lon) <= DISTRICT_KM  # type: ignore[arg-type]


def _withdraw(ctx: Context, keys: list[str], first: list[Candidate | None], second: list[Candidate | None]) -> bool:
    """Withdraw the country votes of the names whose every mention was rejected, and move those
    of the names read in another country once the context was known ("Boni", on its name alone
    an old name of a town in Indonesia, is the village of Mali the story is about); True if any."""
    kept = {keys[i] for i, c in enumerate(second) if c is not None}
    gone = {keys[i] for i, c in enumerate(first) if c is not None and second[i] is None and keys[i] not in kept}
    for key in gone:
        ctx.unvote(key)
    now: dict[str, set[str]] = {}
    for i, c in enumerate(second):
        if c is not None and c.place.country_code:
            now.setdefault(keys[i], set()).add(c.place.country_code)
    moved = False
    for key, countries in now.items():
        own = ctx.by_name.get(key)
        if own and len(countries) == 1 and not any(own[cc] > 0 for cc in countries):
            weight = max(own.values())
            ctx.unvote(key)
            ctx.vote(key, next(iter(countries)), weight)
            moved = True
    return bool(gone) or moved


LIST_JOINERS = frozenset({"and", "or", ", and", ", or", "&"})


def _peers(text: str, topos: list[Toponym]) -> list[tuple[int, int]]:
    """Pairs (i, j) of toponyms joined by "and" / "or": each is the other's peer."""
    out = []
    for i in range(len(topos) - 1):
        if text[topos[i].span.end:topos[i + 1].span.start].strip() in LIST_JOINERS:
            out += [(i, i + 1), (i + 1, i)]
    return out


ANCHOR_KM = 150.0  # "X, north of Y", "X between Y and Z": X lies within this of Y
# "X near Y", "X, not far from Y": X lies within this of Y (and "X, 8 km from Y" within half
# as much again as the distance, plus 25 km for rounding and roads, but no closer than this).
# A namesake of X two hours' drive from Y is another village; the X the gazetteer lacks is
# then located at Y, "near Y", as ACLED codes it.
NEAR_KM = 50.0
NEAR_GAP = re.compile(r"\W*(?:(?:not\s+far\s+from|near|close\s+to|(?:on\s+)?the\s+outskirts\s+of|outside)\s*$)", re.IGNORECASE)
# what lies between X and Y when the text puts X near Y: "X, north of Y", "X (about 30 km
# south-east of Y)", "X, 8km from Y", "X near Y", "X, on the outskirts of Y", "X between Y and Z"
# "30 km", "8km", "186 miles": the number and the unit (the units toponym recognition knows)
DISTANCE = r"(\d+(?:[.,]\d+)?)\s*-?\s*(" + "|".join(sorted(DISTANCE_UNITS, key=len, reverse=True)) + r")\b"
STATED_DISTANCE = re.compile(DISTANCE, re.IGNORECASE)
# a compass direction as news writes it ("north", "north-east", "NE")
DIRECTION = r"north|south|east|west|north-?east|north-?west|south-?east|south-?west|ne|nw|se|sw|n|s|e|w"
ANCHOR_GAP = re.compile(
    r"\s*[,(]?\s*(?:(?:at|about|some|around|approximately|roughly|nearly|just)\s+)*"
    r"(?:(?:" + DISTANCE + r"\s+)?"
    r"(?:" + DIRECTION + r")\s+of"
    r"|" + DISTANCE + r"\s+from"
    r"|(?:not\s+far\s+from|near|close\s+to|outside|(?:on\s+)?the\s+outskirts\s+of|(?:located\s+|situated\s+)?between))\s*", re.IGNORECASE)


KIND_WORD = re.compile(r"\s+([a-z]+)")  # "the X well near Y", "the X valley north of Y"


def anchor_gap(gap: str, words: GeoWords) -> bool:
    """``gap``, the text between X and Y, puts X near Y (see ANCHOR_GAP), after a word that
    says what X is, if any ("the Abala well near Ouallam", "the X valley, 20 km from Y")."""
    kind = KIND_WORD.match(gap)
    if kind and any(words.role(kind.group(1), r) for r in ("place", "feature", "site")):
        gap = gap[kind.end():]
    return ANCHOR_GAP.fullmatch(gap) is not None


def _anchors(text: str, topos: list[Toponym], words: GeoWords) -> list[tuple[int, int, float]]:
    """Triples (i, j, km): the text puts toponym i near toponym j, written right after it
    ("a Paris north of Gao", "Wassakoira, 8 km from Ayorou", "Kobadié near Téra"), within km
    of it: ``ANCHOR_KM``, or more where the text gives a longer distance ("300 miles south of
    Y"), with a margin for rounding and for the road being longer than the crow's flight."""
    out = []
    for i in range(len(topos) - 1):
        j = i + 1
        if topos[i].label == "DEMONYM" or topos[j].label == "DEMONYM":
            continue
        gap = text[topos[i].span.end:topos[j].span.start]
        if anchor_gap(gap, words):
            km = NEAR_KM if NEAR_GAP.search(gap) else ANCHOR_KM
            stated = STATED_DISTANCE.search(gap)
            if stated:
                value = float(stated.group(1).replace(",", "."))
                value *= 1.609 if stated.group(2).lower().startswith("mi") else 1.0
                km = max(NEAR_KM, 1.5 * value + 25.0)
            out.append((i, j, km))
    return out


def _within(c: Candidate, y: Candidate, km: float) -> bool:
    """``c`` lies within ``km`` of ``y`` (True when ``y`` has no point to measure from)."""
    if y.place.lat is None or y.place.lon is None:
        return True
    return (c.place.lat is not None and c.place.lon is not None
            and distance_km(c.place.lat, c.place.lon, y.place.lat, y.place.lon) <= km)


def _variant_fits(c: Candidate, ctx: Context | None, key: str = "") -> bool:
    """A spelling-variant match (for the toponym folded ``key``) is kept only inside the
    document's main country (or, when no place of the text names it, the countries whose
    files the user imported) and, when the document names admin1 areas, inside one of them.
    A name heard otherwise (``sound``) is held closer still: to the country that even a
    nationality points to, and (when it names no region) to the lands of the groups and
    peoples it names."""
    if ctx is None:
        return False
    main = ctx.main_country()
    if c.sound and ((main is not None and c.place.country_code != main)
                    or (ctx.homelands and not ctx.admin1 and c.a1_code not in ctx.homelands)):
        return False
    if main is not None and c.place.country_code in ctx.focus and not ctx.named(main, key):
        main = None  # a country only guessed from demonyms ("French soldiers ... in X")
    if c.place.country_code != main and (main is not None or c.place.country_code not in ctx.focus):
        return False
    if main is None and not c.sound and not one_name(c.key, key):
        # with no country to hold it to, only the same name in another transliteration or
        # with its vowels heard otherwise; one that shares only the loose key is another name
        # ("Kasabero" for "Kassabera")
        return False
    return not ctx.admin1 or (c.a1_code is not None and ctx.admin1[c.a1_code] > 0)


def _stray_village(c: Candidate, hint: str | None, ctx: Context, key: str) -> bool:
    """A hamlet abroad: a settlement of under ``TINY`` people (or one matched by an alternate
    name, under ``BIG``) outside the country the rest of the document is about, which the text neither calls a settlement nor puts in a container.
    GeoNames has a hamlet for most short words; a Malian village missing from the gazetteer
    must stay unresolved (and be placed in Mali) rather than become its namesake in Japan."""
    main = ctx.main_country(key)
    if main is None and ctx.focus and c.place.country_code not in ctx.focus and c.key != key:
        # no country named: a place abroad known here only by an alternate name ("Ber" for
        # Berlin) is not what a text about the countries the user follows means
        return specificity(c) <= 2
    cc = c.place.country_code
    called = hint == "place" and (main is None or not cc or ctx.named(cc, key) or not ctx.named(main, key))
    if specificity(c) != 1 or called or c.place.feature_code in SEATS["ADM1"]:
        # a capital or a region's seat is no hamlet, by whichever name: "Seville" is one of
        # GeoNames' alternate names of Sevilla. Nor is a place the text calls a village, unless
        # the text's own places put it in another country ("the village of X near Y, Region")
        return False
    if main is not None and c.place.country_code in ctx.focus and not ctx.named(main, key, groups=False):
        # a village of a country the user follows, in a text whose other country comes only
        # from demonyms or groups ("French soldiers wounded near Dounkoro"): the village is meant
        return False
    # an alternate name abroad ("Boni", an old name of Bonn) is as weak as a hamlet; so is a
    # small town abroad in a story that places itself in a region of its own country ("Kobala,
    # Tahoua Region"; not five mentions of a town read as the region of its name)
    # and so is a small town of a country not imported in detail, in a story of one that was:
    # a village missing from the country's file is likelier than a town of 3,000 far away
    small = SMALL_TOWN if main is not None and (
        (main in ctx.focus and c.place.country_code not in ctx.focus)
        or any(a1.startswith(main + ".") for a1 in ctx.called_admin1)) else TINY
    if c.place.population >= small and (c.key == key or c.place.population >= BIG):
        return False
    if main is None:  # no country named: abroad is outside the countries imported in detail
        return bool(ctx.focus) and c.place.country_code not in ctx.focus
    return c.place.country_code != main and not ctx.country_share(c.place.country_code, key)


NAMESAKE_KM = 50.0  # another place named this close makes a small namesake the one meant


SETTLEMENT_OF = re.compile(r"\b([A-Za-z]+) of\s*$")  # "the town of " right before a name


def _called_settlement(text: str, start: int, words: GeoWords) -> bool:
    """The text calls the name at ``start`` a settlement: "the town of China", "the village of
    Lebanon" (a word the cue list gives the role "place", then "of")."""
    m = SETTLEMENT_OF.search(text[max(0, start - 30):start])
    return m is not None and words.role(m.group(1).lower(), "place")


def _great_namesake(best: Candidate, options: list[Candidate], ctx: Context | None, index: int,
                    called: bool) -> Candidate:
    """A country, a continent or a world region beats a settlement or district of its name:
    "China" in a story full of US towns is the country, not China, Texas; "the Atlantic" is the
    ocean, not Atlantic, Iowa. The country votes of a story about the US lift every US namesake,
    and nothing lifts a sea, so the scores alone would take the town. The small place stays in a
    story local to it (see _local_to), and when the text calls it a settlement (``called``: "the
    town of China"); the caller keeps it when the text puts it in a container ("China, Texas").
    A story that names the county of a namesake town takes that town, even over the country.
    An admin1 area is no settlement: "Georgia" in a story of Atlanta stays the state."""
    if specificity(best) == 3:
        return best
    great = [c for c in options if specificity(c) >= 4 and not c.variant]
    if not great or called:
        return best
    top = max(great, key=lambda c: c.prior)
    if ctx is not None and not _names_county(best, ctx, ctx.keys[index]):
        # the story names the county of a namesake town abroad ("Lebanon ... Boone County"): that
        # one (a county of the name itself, the Mexican municipality of China, is no evidence)
        county = [c for c in options if specificity(c) == 1 and not c.variant and c.place.country_code
                  != top.place.country_code and _names_county(c, ctx, ctx.keys[index])]
        if county:
            return county[0]
    if specificity(best) > 2:
        return best
    # a country's own capital or town of its name ("Mexico" for Mexico City) is no rival reading
    # that a local story could support: the story is local to the country too
    if ctx is not None and top.place.country_code != best.place.country_code and _local_to(best, ctx, index):
        return best
    return top


FAMOUS_POPULATION = 100_000  # people: a city this large is known beyond its country
FAMOUS_RATIO = 20  # times the people of a namesake, for the city to be the one meant by default


def _famous_namesake(best: Candidate, options: list[Candidate], ctx: Context, index: int, key: str) -> Candidate:
    """A city far larger than the small town chosen, called by the same name, is the one meant
    unless the story is local to the town (see _local_to) or names another town of its state or
    province: "London" in a story that names US places is
    still London, "Louisville" a team from the city of 600,000, not the Ohio town of 9,000. The
    country votes of a story lift every namesake at home whatever its size; they do not make a
    small town the one meant."""
    if best.place.feature_class != "P" or best.place.population >= FAMOUS_POPULATION:
        return best
    floor = FAMOUS_RATIO * max(best.place.population, FAMOUS_POPULATION // FAMOUS_RATIO)
    # by its own name, or a capital by a name it is known by ("Washington")
    famous = [c for c in options if c.place.feature_class == "P" and not c.variant
              and (c.key == key or c.place.feature_code == "PPLC") and c.place.population >= floor]
    if not famous or _local_to(best, ctx, index):
        return best
    # another town of the story lies in the same state or province ("Paris" with "Dallas")
    if best.a1_code and ctx.town_admin1_count[best.a1_code] - (1 if ctx.town_admin1.get(key) == best.a1_code else 0) > 0:
        return best
    return max(famous, key=lambda c: c.place.population)


def _names_county(c: Candidate, ctx: Context, key: str) -> bool:
    """The document names the county (admin2) place ``c`` lies in, by another name than ``key``."""
    county = fold(c.place.admin2) if c.place.admin2 else ""
    return bool(county) and county != key and county in ctx.keys


def _local_to(c: Candidate, ctx: Context, index: int) -> bool:
    """The document is local to place ``c``: it names another place within ``NAMESAKE_KM`` of it
    or the county it lies in ("Boone County"); or the groups and peoples it names are based in
    the place's admin1 area (a Dogon militia's raid on X: the village X of Mopti, not a capital
    abroad that English calls X too); or it names its admin1 area ("Texas") and no
    country but the place's own (a story of tariffs that names Texas, the US and Canada is not
    about China, Texas)."""
    place = c.place
    if (ctx.points and place.lat is not None and place.lon is not None
            and ctx.nearest_km(place.lat, place.lon, index) < NAMESAKE_KM):
        return True
    if _names_county(c, ctx, ctx.keys[index]) or (c.a1_code is not None and c.a1_code in ctx.homelands):
        return True
    own = 1 if ctx.admin1_at.get(index) == c.a1_code else 0
    if c.a1_code is None or ctx.admin1[c.a1_code] - own <= 0:
        return False
    key = ctx.keys[index]
    return not any(cc != place.country_code and ctx.country_share(cc, key) > 0 for cc in ctx.countries)


SEATS = {"ADM1": ("PPLA", "PPLC"), "ADM2": ("PPLA", "PPLA2", "PPLC")}
SEAT_KM = 150.0
SEAT_TOWN = 10_000  # people: a town of an area's name this large is taken for its seat


def _seat(best: Candidate, options: list[Candidate], hint: str | None) -> Candidate:
    """A region named after its chief town ("Kidal", "Gao"): the bare name is the town, as
    reporters write "the Kidal region" for the region. Only when the town is the seat of that
    very area, or a city of a million people in it by the same name ("New York"), and the text
    does not call it an area. ACLED codes a region named alone at its chief town too."""
    seats = SEATS.get(best.place.feature_code or "")
    if seats is None or hint in ("area", "admin2"):
        return best
    area = best.place
    for c in options:
        p = c.place
        if p.feature_class != "P" or c.variant:
            continue
        same_area = c.a1_code == best.a1_code and (area.feature_code == "ADM1" or p.admin2 == area.admin2)
        if same_area and p.population >= BIG:  # known by the name: it is among the options
            return c
        close = c.key == best.key and p.country_code == area.country_code and None not in (
            p.lat, p.lon, area.lat, area.lon) and _rough_km(p.lat, p.lon, area.lat, area.lon) < SEAT_KM  # type: ignore[arg-type]
        if p.feature_code not in SEAT_CODES:
            # a gazetteer that does not mark seats (the default one codes every town PPL): the
            # town of the area's own name, inside it, close to its middle, and a real town
            if close and same_area and p.population >= SEAT_TOWN:
                return c
            continue
        inside = p.feature_code in seats and same_area
        # GeoNames may code a new region's seat in the region it was carved from (Ménaka):
        # the same name, same country and close by is as good
        if inside or close:
            return c
    return best


def area_seat(gazetteer: Gazetteer, area: Candidate, name: str | None = None, bare: str | None = None) -> Place | None:
    """The seat of a region or district ``area`` (named ``name`` in the text, when it is): the
    town of its name that is its seat (see _seat), else the town named ``bare`` (the area's
    name without its word of an area: "Kobala" for "Kobala Cercle") that the gazetteer marks as a
    seat, in its country and close by (GeoNames gives some countries' seats no admin2 code),
    else the admin1's seat the gazetteer marks (PPLA); None when none is known."""
    code = area.place.feature_code
    if code not in SEATS:
        return None
    options = gazetteer.lookup(area.place.name, variants=False)
    if name and fold(area.place.name) != fold(name):
        # a new list: the lookup's own is the gazetteer's cached answer
        options = options + gazetteer.lookup(name, variants=False)
    seat = _seat(area, options, None)
    if seat is not area:
        return seat.place
    a = area.place
    if bare and a.lat is not None and a.lon is not None:
        key = fold(bare)
        for c in gazetteer.lookup(bare, variants=False):
            p = c.place
            if c.key == key and p.feature_code in SEATS[code] and p.country_code == a.country_code \
                    and p.lat is not None and p.lon is not None and _rough_km(p.lat, p.lon, a.lat, a.lon) < SEAT_KM:
                return p
    return gazetteer.admin1_seat(area.a1_code) if code == "ADM1" and area.a1_code else None


def _untie(pool: list[Candidate], scores: list[float], key: str) -> int:
    """The index of the best score; between equals, of the place whose own name is spelled
    most like the text's (folded ``key``): "Sorrokoube" is an alternate name of both a
    "Sorokoubé" and a "Sirokoubé", and more likely the first. Otherwise the first (the most
    populous)."""
    best = max(scores)
    tied = [k for k, value in enumerate(scores) if value == best]
    if len(tied) == 1:
        return tied[0]
    return min(tied, key=lambda k: spelling_distance(pool[k].key, key))


NAME_HOME = 1.0  # score for a followed country holding all the settlements of a name (see name_homes)


def name_homes(options: list[Candidate], focus: frozenset[str]) -> dict[str, float]:
    """Each followed country's share of the settlements that bear a name (its own name, not a
    spelling variant). Place names follow languages: a name borne by ten Malian villages and
    one Guinean is more likely Malian, and when a text names no country and its hamlets are
    all alike (GeoNames gives most no population), that is the one thing left to go by. Only the
    countries imported in detail count: elsewhere a name's hamlets are not all listed."""
    counts = Counter(c.place.country_code for c in options
                     if c.place.feature_class == "P" and not c.variant and c.place.country_code in focus)
    total = sum(counts.values())
    return {cc: n / total for cc, n in counts.items()} if total else {}


GROUPS = "@groups"  # the name the named groups' country votes go under


def resolve_all(gazetteer: Gazetteer, words: GeoWords, text: str, topos: list[Toponym],
                demonyms: list[str], focus: frozenset[str] = frozenset(),
                groups: list[str] | None = None,
                districts: dict[str, list[tuple[str, float, float]]] | None = None,
                homelands: frozenset[str] = frozenset(),
                ) -> tuple[list[Candidate | None], Context]:
    """The chosen candidate for each toponym (None when the gazetteer has none) and the context.

    ``demonyms`` and ``groups`` are country votes from the text besides its toponyms: of its
    demonyms ("French soldiers": weak, a nationality) and of the named groups ("Katiba Macina
    militants": the country they fight in). ``districts``: the districts of the followed
    countries by their bare names (see GazetteerGeocoder._districts). ``homelands``: the admin1
    codes where the named groups fight and the peoples live (see geo_homelands.tsv)."""
    found = [candidates(gazetteer, t, words) for t in topos]
    cands = [(options, hint) for options, hint, _ in found]
    keys = [fold(by) for _, _, by in found]
    containers, called_areas, parts = _containers(text, topos, words)
    contained = {j for j in containers if j is not None}

    shortlist: list[list[Candidate]] = [[] for _ in topos]

    def pick(i: int, ctx: Context | None, chosen: list[Candidate | None]) -> Candidate | None:
        options, hint = cands[i]
        if not options:
            return None
        j = containers[i]
        box = chosen[j] if j is not None else None
        if box is not None and i in called_areas and specificity(box) < 2:
            # "Kobadi, Cercle of Tahoua" where the gazetteer has only the town of Tahoua: the
            # text's district is not in it, so it contains nothing
            j = box = None
        # an address ("Birni neighborhood, Dosso, Niger"): a town that is itself put in a
        # larger area passes that area on, and so does a name the gazetteer lacks ("Kobadi
        # (Birni commune), Dosso"); a town alone after a comma may be a list's next item
        # ("Paris, London") and puts nothing anywhere
        address = False
        while j is not None and containers[j] is not None and (box is None or specificity(box) == 1):
            j = containers[j]
            box = chosen[j] if j is not None else None
            address = True
        if ctx is None:
            ranked = sorted(options, key=lambda c: score(c, keys[i], hint, None, box, i), reverse=True)
            # the context can lift a namesake a long way, but not from the bottom of the list
            shortlist[i] = ranked[:SHORTLIST]
            best = ranked[0]
        else:
            # the namesakes in the country the document is about join the shortlist, however
            # low the name alone put them (a village of Mali among a dozen Bonis)
            main = ctx.main_country(keys[i])
            if main is not None and ctx.focus and not ctx.named(main, keys[i], groups=False) \
                    and all(c.place.country_code != main for c in options):
                # the only country is a nationality ("a Chadian soldier died near Dounkoro")
                # and the name is no place of it: as if the text named no country
                main = None
            home = {main} if main else ctx.focus
            pool = shortlist[i] + [c for c in options[SHORTLIST:] if c.place.country_code in home]
            homes = name_homes(options, ctx.focus) if main is None and ctx.focus else None
            # one reading needs no ranking
            scores = [score(c, keys[i], hint, ctx, box, i, homes) for c in pool] if len(pool) > 1 else [0.0]
            top = _untie(pool, scores, keys[i])
            best = pool[top]
            if box is None and _stray_village(best, hint, ctx, keys[i]):
                # a hamlet abroad is no reading; the best reading at home may be ("the Boni
                # area": Bonn by an old name, or the village of the country the text is about)
                ranked = [pool[k] for k in sorted(range(len(pool)), key=scores.__getitem__, reverse=True)]
                best = next((c for c in ranked[1:] if c.place.country_code in home
                             and not _stray_village(c, hint, ctx, keys[i])
                             and (not c.variant or _variant_fits(c, ctx, keys[i]))), best)
            # "the Agadez and Maradi regions": areas both; "Kollo, Tillaberi, Niger": a name
            # after a comma is an area that contains the place before it
            if ctx.peer_spec.get(i) != 3 and i not in contained and not text[:topos[i].span.start].rstrip().endswith(","):
                best = _seat(best, pool, hint)
        if box is None and hint != "place" and specificity(best) != 3:
            called = _called_settlement(text, topos[i].span.start, words)
            best = _great_namesake(best, options, ctx, i, called)
            if ctx is not None and not called:
                best = _famous_namesake(best, options, ctx, i, keys[i])
        if hint == "feature" and best.place.feature_class == "A":
            # "the Niger river" is no country, "the Gao valley" no region (but "the Caucasus
            # mountains" is the Caucasus)
            return None
        if best.variant and not _variant_fits(best, ctx, keys[i]):
            return None
        if best.variant and box is not None and box.a1_code and best.a1_code != box.a1_code:
            # "Kobadi, Tahoua": another spelling of a name, outside the region the text puts
            # it in, is another place (the one meant is missing)
            return None
        if ctx is not None and box is None and _stray_village(best, hint, ctx, keys[i]):
            return None
        if (box is not None and specificity(box) >= 2 and box.place.country_code
                and (specificity(best) < specificity(box) or (address and specificity(best) < 4))
                and best.place.country_code != box.place.country_code):
            # "Kollo, Tillaberi, Niger": a gazetteer whose only Kollo is in Burkina Faso holds
            # another place; the one meant is missing (a list, "Paris, London", is no container;
            # nor is a region of no one country: "Gao, in the Sahel"). In a full address ("X
            # neighborhood, Town, Region, Country") not even a region abroad is meant: "Lakhor
            # Colony, Town, Region" is no part of a Lakhor region of another country
            return None
        if i in parts and box is not None and specificity(box) == 1 and not _within(best, box, parts[i]):
            # "the Birni neighbourhood of Dosso": a Birni far from the town of Dosso is another
            # place (the part meant is missing, and is located at the town)
            return None
        if box is not None and specificity(box) == 2 and specificity(best) == 1 and not in_district(best, box):
            # "Kobadi, Cercle of Tahoua": a Kobadi elsewhere is not the one meant (the one meant
            # is missing, and is located in the district)
            return None
        if box is not None and not address and box.place.feature_code == "PPLA2" and specificity(best) == 1 \
                and best.place.population < TINY and not _within(best, box, DISTRICT_KM):
            # "Kobadi, Tahoua", Tahoua a district's seat: written for its district, and a
            # hamlet of the name 400 km away is not the one meant (a region's seat may stand for
            # the region, whose villages lie farther)
            return None
        return best

    # pass 1: names alone (containers resolved first, they come after what they contain)
    first: list[Candidate | None] = [None] * len(topos)
    for i in reversed(range(len(topos))):
        first[i] = pick(i, None, first)
    ctx = Context(focus=focus, demonym_keys={keys[i] for i, t in enumerate(topos) if t.label == "DEMONYM"},
                  districts=districts or {}, homelands=homelands)
    for cc in demonyms:
        ctx.vote("", cc, 1)
    for cc in groups or ():
        ctx.vote(GROUPS, cc, 1)
    for i, c in enumerate(first):
        if c is None:
            continue
        if not c.place.country_code:
            continue
        if specificity(c) == 4 and across_border(text, topos[i], words):
            continue  # "near the border with Niger": the story is in the country next to it
        ctx.vote(keys[i], c.place.country_code, 2 if specificity(c) == 4 else 1)
        demonym = topos[i].label == "DEMONYM"
        if c.place.feature_code == "ADM1" and c.a1_code and not demonym:
            # "Scottish fans" says no more of where than "British fans": no region named
            ctx.admin1[c.a1_code] += 1
            ctx.admin1_at[i] = c.a1_code
            if called_area(topos[i], words) or i in contained:
                ctx.called_admin1.add(c.a1_code)
        # only places read without doubt anchor the proximity step: unambiguous names, and
        # names the text says the kind of ("the Maradi region"); a demonym's area is no anchor
        sure = len(cands[i][0]) == 1 or (topos[i].hint is not None and specificity(c) >= 2)
        sure = sure and not (demonym and c.place.feature_code == "ADM1")
        if sure and c.place.lat is not None and c.place.lon is not None:
            ctx.points.append((i, c.place.lat, c.place.lon))
    ctx.keys = keys
    readings = _readings(cands, keys)
    ctx.paired = _paired(readings, keys)
    ctx.support = _admin1_support(topos, keys, cands)
    ctx.support_total = {a1: sum(backers.values()) for a1, backers in ctx.support.items()}
    for i, j in _peers(text, topos):
        c = first[j]
        if c is not None and specificity(c) >= 3:
            ctx.peer_spec[i] = specificity(c)
    # pass 2: with the document's context
    second: list[Candidate | None] = [None] * len(topos)
    for i in reversed(range(len(topos))):
        second[i] = pick(i, ctx, second)
    # a name every mention of which was rejected (a hamlet abroad) no longer says where the
    # document is: its pass-1 country must not become the country of a place left unresolved
    # (nor reject another place: "the Aid Trust office in Gao" is not a story of a US
    # hamlet called Aid Trust)
    withdrawn = _withdraw(ctx, keys, first, second)
    # pass 3: the towns chosen in pass 2 anchor each other too (a local story names several
    # towns of one state or district, most of them ambiguous on their own)
    anchored = {i for i, _, _ in ctx.points}
    for i, c in enumerate(second):
        if c is None or specificity(c) > 2:
            continue
        if c.a1_code and keys[i] not in ctx.town_admin1:
            ctx.town_admin1[keys[i]] = c.a1_code
            ctx.town_admin1_count[c.a1_code] += 1
        if i not in anchored and c.place.lat is not None and c.place.lon is not None:
            ctx.points.append((i, c.place.lat, c.place.lon))
    ctx._grid = None  # the points moved: the grid is built anew on first use
    # a name read in pass 2 is now where it was read, not wherever its namesakes are
    ctx.paired = _paired([r for r in readings if second[r[0]] is None], keys)
    if ctx.town_admin1_count or withdrawn:
        before = list(second)
        for i in reversed(range(len(topos))):
            at = containers[i]
            # a name with one candidate can only lose it to the country votes (unchanged unless
            # some were withdrawn) or to its container's reading: otherwise pass 2 stands
            if not withdrawn and len(cands[i][0]) == 1 and (at is None or second[at] is before[at]):
                continue
            second[i] = pick(i, ctx, second)
        _withdraw(ctx, keys, first, second)
    # one sense per document: a name the text once puts in an address ("Palmera, Maradi,
    # Niger") is in that country at its other mentions too ("the town of Palmera" earlier):
    # the reading found there, or none if the gazetteer lacks the place there
    placed: dict[str, tuple[str, Candidate | None]] = {}
    for i, at in enumerate(containers):
        box = second[at] if at is not None else None
        # an address, not a list ("Paris, Texas, Ohio"): the area is itself put in a larger one
        up = containers[at] if at is not None else None
        outer = second[up] if up is not None else None
        if box is not None and outer is not None and 2 <= specificity(box) < specificity(outer) \
                and box.place.country_code and topos[i].label != "DEMONYM":
            c = second[i]
            placed.setdefault(keys[i], (box.place.country_code,
                                        c if c is not None and c.place.country_code == box.place.country_code else None))
    for i, c in enumerate(second):
        if keys[i] in placed and containers[i] is None and c is not None and specificity(c) <= 2:
            country, sense = placed[keys[i]]
            if c.place.country_code != country:
                second[i] = sense
    # a place the text puts near another must lie near it: "in Paris, north of Gao" is no
    # Paris of France but one the gazetteer lacks (located, unresolved, at Gao)
    for i, j, within in _anchors(text, topos, words):
        c, y = second[i], second[j]
        if c is not None and c.place.population >= SMALL_TOWN:
            within = max(within, ANCHOR_KM)  # between towns, "near" is looser
        if c is None or y is None or specificity(c) > 2 or specificity(y) > 2 or _within(c, y, within):
            continue
        near = [o for o in cands[i][0] if _within(o, y, within)]
        second[i] = max(near, key=lambda o: score(o, keys[i], cands[i][1], ctx, None, i)) if near else None
    return second, ctx
