"""The gazetteer index: one SQLite file holding places, their folded names and the admin names.

Layout (one file, so that a process opens it read-only and shares the OS page cache):

    places(id, name, cc, a1, a2, lat, lon, fclass, fcode, pop, src)  one row per GeoNames id
    names(key, vkey, place, skey)  folded name, variant key and skeleton of every usable name
    admin(code, name, geonameid)   "NE.09" -> Tillabéri, "NE.09.8334576" -> its department
    countries(cc, name, iso3, geonameid, capital, pop)
    sources(name, kind, rows, loaded_at)   what was loaded, for `vigil gazetteer info`

Admin names are kept apart from places and joined when a ``Place`` is built, so that importing
``admin1CodesASCII.txt`` after a country file (or before it) gives the same result.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from vigil.errors import ResourceError
from vigil.geo.names import (
    LONG_LETTERS,
    SOUND_LETTERS,
    fold,
    near_skeletons,
    one_name,
    respellings,
    skeleton,
    sounds_alike,
    sounds_near,
    spellings,
    variant_key,
)
from vigil.types import Place

SCHEMA = """
CREATE TABLE IF NOT EXISTS places(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, cc TEXT, a1 TEXT, a2 TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, fclass TEXT, fcode TEXT, pop INTEGER NOT NULL DEFAULT 0,
    src TEXT);
CREATE TABLE IF NOT EXISTS names(key TEXT NOT NULL, vkey TEXT NOT NULL, place INTEGER NOT NULL, skey TEXT);
CREATE INDEX IF NOT EXISTS names_place ON names(place);
CREATE TABLE IF NOT EXISTS admin(code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER);
CREATE TABLE IF NOT EXISTS countries(
    cc TEXT PRIMARY KEY, name TEXT NOT NULL, iso3 TEXT, geonameid INTEGER, capital TEXT,
    pop INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, kind TEXT, rows INTEGER, loaded_at TEXT);
"""
# The lookup indexes are separate so that a large import can drop them and build them once
# at the end (sorting once is far cheaper than updating a B-tree for every row).
LOOKUP_INDEXES = (
    "CREATE INDEX IF NOT EXISTS names_key ON names(key)",
    "CREATE INDEX IF NOT EXISTS names_vkey ON names(vkey)",
    "CREATE INDEX IF NOT EXISTS names_skey ON names(skey)",
)
# The countries whose whole GeoNames file ("ML.txt", "NE.zip") was imported: the user follows
# them village by village (see Gazetteer.focus).
FOCUS_FILE = re.compile(r"[A-Z]{2}\.(txt|zip)")
PLACE_COLUMNS = "id, name, cc, a1, a2, lat, lon, fclass, fcode, pop"
JOINED_PLACE_COLUMNS = ", ".join("p." + c for c in PLACE_COLUMNS.split(", "))  # with places aliased p


def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """Open the index; read-only unless ``write`` (then the file and tables are created)."""
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.executescript(SCHEMA)
        if not has_skeletons(con):
            add_skeletons(con)
        for ddl in LOOKUP_INDEXES:
            con.execute(ddl)
        return con
    if not path.exists():
        raise ResourceError(f"gazetteer {path} does not exist; build it with: vigil gazetteer build-default")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        con.execute("SELECT 1 FROM places LIMIT 1")
    except sqlite3.DatabaseError as exc:
        raise ResourceError(f"gazetteer {path} is not a Vigil gazetteer ({exc}); rebuild it with: "
                            "vigil gazetteer build-default --force") from exc
    return con


def has_skeletons(con: sqlite3.Connection) -> bool:
    """The index has the names' skeletons (a file written before they were added has not)."""
    return any(row[1] == "skey" for row in con.execute("PRAGMA table_info(names)"))


def add_skeletons(con: sqlite3.Connection) -> None:
    """Give a file of the earlier layout the ``skey`` column, filled (once; seconds per million
    names)."""
    con.create_function("skeleton", 1, skeleton, deterministic=True)
    con.execute("BEGIN IMMEDIATE")  # one transaction: a kill leaves the old layout, not a half-filled column
    try:
        if not has_skeletons(con):  # another process may have added them meanwhile
            con.execute("ALTER TABLE names ADD COLUMN skey TEXT")
            con.execute("UPDATE names SET skey = skeleton(key)")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


# A named region or peninsula of one country ("Darfur", "Sinai") weighs as an admin1 area does.
FEATURE_PRIOR = {"PCLI": 3.0, "PCLS": 2.0, "PCLD": 2.0, "PCLF": 2.0, "PCL": 2.0, "ADM1": 2.0,
                 "PPLC": 3.0, "PPLA": 1.0, "PPLA2": 0.5, "ADM2": 0.5, "CONT": 3.0, "RGN": 2.0, "PEN": 2.0}
CLASS_PRIOR = {"P": 0.0, "A": -0.5, "L": -1.0, "H": -2.0, "T": -2.0, "S": -2.0, "V": -3.0, "U": -3.0, "R": -3.0}
# Regions, seas and oceans that lie in no single country (GeoNames gives them no country code):
# "the Sahel", "the Red Sea", "the Atlantic". News names them as it names countries, and they
# have no population to weigh, so they weigh as a country of ten million does (3.0 + 0.5 * 7).
WORLD_CODES = frozenset({"RGN", "OCN", "SEA", "GULF", "BAY", "STRT", "LK", "PEN", "DSRT"})
WORLD_PRIOR = 6.5
CARVED_KM = 150.0  # a carved-out region's point lies this close to a district seat of the older one
KM_PER_DEGREE = 111.2


def is_world(fcode: str | None, cc: str | None) -> bool:
    """A region, sea or ocean of no one country (``cc`` None; one of a country is an area of it)."""
    return cc is None and (fcode or "") in WORLD_CODES


def prior(fclass: str | None, fcode: str | None, population: int, cc: str | None = "") -> float:
    """How likely a place is to be the one a news text means, before reading the text: countries,
    regions and capitals are named most; rivers and wells rarely; a city of a million outranks a
    village (on a log scale, so it does not outrank a capital). ``cc`` None: the place is in no
    country, as an ocean or a world region (see WORLD_PRIOR); "" when not known."""
    if is_world(fcode, cc):
        return WORLD_PRIOR
    return FEATURE_PRIOR.get(fcode or "", CLASS_PRIOR.get(fclass or "", -1.0)) + 0.5 * math.log10(population + 1)


# Specificity: lower is more specific (a village beats a district beats a region beats a country).
# A named spot in the open (a wadi, a well, a hill, a dune, an oasis): where a desert event is
# told to have happened, as precise as a village ("a base in the X valley").
OPEN_SITES = frozenset({"WAD", "WLL", "WLLS", "OAS", "SPNG", "VAL", "HLL", "LCTY", "PASS", "DUNE"})
SPECIFICITY = {"P": 1, "S": 1, "ADM2": 2, "ADM3": 2, "ADM4": 2, "ADM1": 3, "RGN": 3, "PEN": 3,
               **dict.fromkeys(OPEN_SITES, 1)}


def place_specificity(fclass: str | None, fcode: str | None, cc: str | None = "") -> int:
    """1 a settlement or site, 2 a district, 3 a region, 4 a country, 5 larger: a continent, or a
    region, sea or ocean of no one country (``cc`` None, see is_world). Larger than a country, so
    that an event told "in the Red Sea, off Yemen" or "in the Sahel region of Mali" is located in
    the country, which gives it a country, and a town named with either beats both."""
    fc, code = fclass or "", fcode or ""
    if code == "CONT" or is_world(code, cc):
        return 5
    if code.startswith("PCL"):
        return 4
    return SPECIFICITY.get(code, SPECIFICITY.get(fc, 2))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to; ``variant`` when only a looser key matched."""

    place: Place
    a1_code: str | None
    variant: bool = False
    key: str = ""  # the place's own name, folded
    prior: float = 0.0  # what feature type and population say, whatever the text (see prior)
    spec: int = 0  # resolve.specificity, computed once (0: not yet)
    sound: bool = False  # a variant whose name sounds alike (see names.sounds_alike); implies variant


class Gazetteer:
    """Read side of the index: folded-name lookups with an LRU cache, admin and country names.

    One instance per process; it holds one read-only connection, the admin and country name
    tables (tens of thousands of short strings) and a bounded cache of recent lookups. The cache
    is bounded in names (``cache_size``) and in the candidates they hold (``cache_candidates``,
    about 0.5 KB each): with the full GeoNames a common name has up to 200 namesakes, and 50,000
    such names would hold gigabytes."""

    def __init__(self, path: Path, cache_size: int = 50_000, cache_candidates: int = 250_000) -> None:
        self.path = path
        self._con = connect(path)
        self.admin: dict[str, str] = dict(self._con.execute("SELECT code, name FROM admin"))
        self.countries: dict[str, str] = dict(self._con.execute("SELECT cc, name FROM countries"))
        self._cache: OrderedDict[tuple[str, bool], list[Candidate]] = OrderedDict()
        self._areas: dict[str, Place | None] = {}  # country and admin1 places by code
        self._seats: dict[str, Place] | None = None  # admin1 code -> its seat, country code -> capital
        self._district_seats: dict[str, list[tuple[float, float, str]]] = {}  # cc -> (lat, lon, admin1 code)
        self._carved: dict[str, str | None] = {}  # admin1 code -> the older one (see _carved_from)
        self._seated: set[str] = set()  # admin1 codes of the regions with a seat (PPLA) or the capital
        self._keys: dict[str, str] = {}  # names as written -> folded (folding is the slow part)
        self._cache_size = cache_size
        self._cache_candidates = cache_candidates
        self._cached = 0  # candidates held in the cache
        # the countries imported village by village: a text that names no country is more
        # likely about one of them, and only their names are matched by sound (see lookup)
        self.focus = frozenset(name[:2] for name, kind, _, _ in self.sources()
                               if kind == "places" and FOCUS_FILE.fullmatch(name))
        self._sounds = bool(self.focus) and has_skeletons(self._con)

    def close(self) -> None:
        self._con.close()

    def _place(self, row: tuple) -> Candidate:
        pid, name, cc, a1, a2, lat, lon, fclass, fcode, pop = row
        a1_code = f"{cc}.{a1}" if cc and a1 else None
        a2_code = f"{a1_code}.{a2}" if a1_code and a2 else None
        place = Place(
            name=name, country_code=cc, country=self.countries.get(cc) if cc else None,
            admin1=self.admin.get(a1_code) if a1_code else None,
            admin2=self.admin.get(a2_code) if a2_code else None,
            lat=lat, lon=lon, geonameid=pid if pid > 0 else None,
            feature_class=fclass, feature_code=fcode, population=pop or 0,
        )
        if fcode == "ADM1" and a1_code:
            # a region carved out of older ones is compared by the code its settlements carry
            a1_code = self._carved_from(a1_code, lat, lon) or a1_code
        return Candidate(place, a1_code, key=fold(name), prior=prior(fclass, fcode, pop or 0, cc or None),
                         spec=place_specificity(fclass, fcode, cc or None))

    def lookup(self, name: str, *, variants: bool = True) -> list[Candidate]:
        """Every place whose folded name is ``name`` folded, abbreviations either way ("St." and
        "Saint"); when none, those sharing its variant key and, in the ``focus`` countries, those
        whose name sounds alike (all marked ``variant``; see ``_spelled_otherwise``). Most
        populous first; cached."""
        key = self._keys.get(name)
        if key is None:
            key = fold(name)
            if len(self._keys) < self._cache_size:
                self._keys[name] = key
        if not key:
            return []
        hit = self._cache.get((key, variants))
        if hit is not None:
            self._cache.move_to_end((key, variants))
            return hit
        keys = [key, *spellings(key)]  # "St. Petersburg" meets "Saint Petersburg"
        rows = self._con.execute(
            f"SELECT DISTINCT {PLACE_COLUMNS} FROM places WHERE id IN (SELECT place FROM names WHERE key IN"
            f" ({', '.join('?' * len(keys))})) ORDER BY pop DESC LIMIT 200", keys).fetchall()
        found = [self._place(r) for r in rows]
        if not found and variants:
            found = self._spelled_otherwise(key)
        self._cache[(key, variants)] = found
        self._cached += len(found)
        while len(self._cache) > self._cache_size or (self._cached > self._cache_candidates and len(self._cache) > 1):
            self._cached -= len(self._cache.popitem(last=False)[1])
        return found

    def _spelled_otherwise(self, key: str) -> list[Candidate]:
        """The places that folded ``key`` may name in another spelling: those sharing its
        variant key and, in the followed countries, those whose name sounds alike. When some
        sound alike, the ones that only share the loose variant key (and are not the same name
        in another transliteration) are other names and are left out."""
        found: list[Candidate] = []
        # a variant key shorter than 5 letters ("teg") meets too many unrelated names
        if len(variant_key(key)) >= 5:
            rows = self._con.execute(
                f"SELECT DISTINCT {PLACE_COLUMNS} FROM places WHERE id IN "
                "(SELECT place FROM names WHERE vkey = ?) ORDER BY pop DESC LIMIT 200",
                (variant_key(key),)).fetchall()
            found = [Candidate(c.place, c.a1_code, True, c.key, c.prior, c.spec) for c in map(self._place, rows)]
        if self._sounds and len(key.replace(" ", "")) >= SOUND_LETTERS:
            seen = {c.place.geonameid for c in found}
            alike: dict[int, tuple] = {}
            focus = sorted(self.focus)
            for written in (key, *respellings(key)):
                for name, *row in self._con.execute(
                        f"SELECT n.key, {JOINED_PLACE_COLUMNS} FROM names n JOIN places p ON p.id = n.place"
                        f" WHERE n.skey = ? AND p.cc IN ({', '.join('?' * len(focus))})", (skeleton(written), *focus)):
                    if row[0] not in seen and row[0] not in alike and sounds_alike(written, name):
                        alike[row[0]] = tuple(row)
            if not alike and len(key.replace(" ", "")) >= LONG_LETTERS:
                # none with its consonants: a long name with one consonant more or less
                bones = near_skeletons(key)
                for name, *row in self._con.execute(
                        f"SELECT n.key, {JOINED_PLACE_COLUMNS} FROM names n JOIN places p ON p.id = n.place"
                        f" WHERE n.skey IN ({', '.join('?' * len(bones))}) AND p.cc IN ({', '.join('?' * len(focus))})",
                        (*bones, *focus)):
                    if row[0] not in seen and row[0] not in alike and sounds_near(key, name):
                        alike[row[0]] = tuple(row)
            found += [Candidate(c.place, c.a1_code, True, c.key, c.prior, c.spec, True)
                      for c in map(self._place, sorted(alike.values(), key=lambda r: -r[9]))]
        if any(c.sound for c in found):
            found = [c for c in found if c.sound or one_name(c.key, key)]
        return sorted(found, key=lambda c: -c.place.population)

    def cache_stats(self) -> tuple[int, int]:
        """(names, candidates) held in the lookup cache."""
        return len(self._cache), self._cached

    def get(self, geonameid: int) -> Candidate | None:
        """The place with this id, if loaded."""
        row = self._con.execute(f"SELECT {PLACE_COLUMNS} FROM places WHERE id = ?", (geonameid,)).fetchone()
        return self._place(row) if row else None

    def country_place(self, cc: str) -> Place | None:
        """The country itself as a place (its PCLI row), or a bare Place with its name."""
        if cc not in self._areas:
            self._areas[cc] = self._country_place(cc)
        return self._areas[cc]

    def _country_place(self, cc: str) -> Place | None:
        row = self._con.execute(
            f"SELECT {PLACE_COLUMNS} FROM places WHERE cc = ? AND fclass = 'A' AND fcode LIKE 'PCL%' "
            "ORDER BY pop DESC LIMIT 1", (cc,)).fetchone()
        if row:
            return self._place(row).place
        name = self.countries.get(cc)
        return Place(name=name, country_code=cc, country=name, feature_class="A", feature_code="PCLI") if name else None

    def admin1_place(self, a1_code: str) -> Place | None:
        """The admin1 area with this code ("NE.09") as a place, if loaded."""
        if a1_code not in self._areas:
            self._areas[a1_code] = self._admin1_place(a1_code)
        return self._areas[a1_code]

    def _admin1_place(self, a1_code: str) -> Place | None:
        cc, _, a1 = a1_code.partition(".")
        row = self._con.execute(
            f"SELECT {PLACE_COLUMNS} FROM places WHERE cc = ? AND a1 = ? AND fclass = 'A' AND fcode = 'ADM1' LIMIT 1",
            (cc, a1)).fetchone()
        if row:
            return self._place(row).place
        name = self.admin.get(a1_code)
        if name is None:
            return None
        return Place(name=name, country_code=cc, country=self.countries.get(cc), admin1=name,
                     feature_class="A", feature_code="ADM1")

    def admin1_seat(self, a1_code: str) -> Place | None:
        """The seat of admin1 area ``a1_code`` ("ML.04"): its town coded PPLA, the most
        populous if several; None if the gazetteer marks none (the default one does not). All
        seats are read in one pass at the first call (a few thousand rows): the places table
        has no index for a per-area query."""
        return self._read_seats().get(a1_code)

    def capital(self, cc: str) -> Place | None:
        """The capital of country ``cc`` (its town coded PPLC, the most populous if several:
        GeoNames codes a few seats of government so), or None if the gazetteer marks none."""
        return self._read_seats().get(cc)

    def _read_seats(self) -> dict[str, Place]:
        """Admin1 seats by admin1 code and capitals by country code, read once; and the points
        of the district seats (PPLA2) by country, for ``_carved_from``."""
        if self._seats is None:
            self._seats = {}
            for row in self._con.execute(
                    f"SELECT {PLACE_COLUMNS} FROM places WHERE fcode IN ('PPLA', 'PPLA2', 'PPLC') AND fclass = 'P'"
                    " ORDER BY pop"):
                _, _, cc, a1, _, lat, lon, _, fcode, _ = row
                if fcode == "PPLA2":
                    if cc and a1:
                        self._district_seats.setdefault(cc, []).append((lat, lon, f"{cc}.{a1}"))
                    continue
                cand = self._place(row)
                if cand.a1_code:
                    self._seated.add(cand.a1_code)  # a capital is its region's seat
                code = cand.place.country_code if cand.place.feature_code == "PPLC" else cand.a1_code
                if code:
                    self._seats[code] = cand.place  # ascending population: the largest stays
        return self._seats

    def _carved_from(self, a1_code: str, lat: float, lon: float) -> str | None:
        """For a region carved out of older ones (Mali's Ménaka and Taoudénit, 2016), whose
        settlements GeoNames still codes in the older region: that region's code. Known, in a
        country imported in detail, by the region having neither a seat nor a district of its
        own, and taken from the district seat nearest its point (within CARVED_KM). None for
        any other region."""
        if a1_code in self._carved:
            return self._carved[a1_code]
        cc = a1_code.split(".", 1)[0]
        found = None
        # the focus first: elsewhere no seat table needs reading (a scan of the places table)
        if cc in self.focus and a1_code not in self._read_seats() and a1_code not in self._seated and not self._con.execute(
                "SELECT 1 FROM places WHERE cc = ? AND a1 = ? AND fclass = 'A' AND fcode = 'ADM2' LIMIT 1",
                (cc, a1_code.split(".", 1)[1])).fetchone():
            scale = math.cos(math.radians(lat))
            near = [((slat - lat) ** 2 + ((slon - lon) * scale) ** 2, code)
                    for slat, slon, code in self._district_seats.get(cc, ()) if code != a1_code]
            if near:
                squared, code = min(near)
                found = code if math.sqrt(squared) * KM_PER_DEGREE <= CARVED_KM else None
        self._carved[a1_code] = found
        return found

    def areas(self, fcode: str) -> list[tuple[str, str, float, float]]:
        """(name, country code, lat, lon) of every admin area of GeoNames code ``fcode`` ("ADM2")."""
        return self._con.execute("SELECT name, cc, lat, lon FROM places WHERE fclass = 'A' AND fcode = ?"
                                 " AND cc IS NOT NULL", (fcode,)).fetchall()

    def sources(self) -> list[tuple[str, str, int, str]]:
        """(name, kind, rows, loaded_at) of everything loaded, oldest first."""
        return list(self._con.execute("SELECT name, kind, rows, loaded_at FROM sources ORDER BY loaded_at"))

    def counts(self) -> dict[str, int]:
        """Row counts per table and the number of countries with places."""
        con = self._con
        return {
            "places": con.execute("SELECT count(*) FROM places").fetchone()[0],
            "names": con.execute("SELECT count(*) FROM names").fetchone()[0],
            "admin areas": len(self.admin),
            "countries with places": con.execute("SELECT count(DISTINCT cc) FROM places").fetchone()[0],
        }

    def places_per_country(self, limit: int = 20) -> list[tuple[str, int]]:
        """The countries with the most places, for `vigil gazetteer info`."""
        return list(self._con.execute(
            "SELECT cc, count(*) FROM places GROUP BY cc ORDER BY count(*) DESC LIMIT ?", (limit,)))
