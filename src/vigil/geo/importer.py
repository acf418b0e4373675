"""Loading GeoNames files into the gazetteer index.

Formats (https://download.geonames.org/export/dump/readme.txt): the 19-column place rows of
``XX.txt``/``XX.zip``, ``allCountries.zip`` and ``citiesN.txt/.zip``; ``admin1CodesASCII.txt``
and ``admin2Codes.txt`` (code, name, ascii name, geonameid); ``countryInfo.txt``.

Each file is one transaction: a bad row (wrong column count, a coordinate that is not a number
or is out of range) raises an InputError naming the file and line, and nothing of that file stays.
Rows are streamed and written with ``executemany`` in batches, so memory does not grow with the
file. A place that is already indexed (same GeoNames id) is replaced, names and all, except its
population when the new row has none: GeoNames writes 0 for "not known", and its country files
know no population for many towns that its cities files do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sqlite3
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vigil.errors import InputError
from vigil.geo.gazetteer import LOOKUP_INDEXES, connect
from vigil.geo.names import fold, looser_keys

BATCH = 20_000
MAX_NAMES = 40  # per place: the tail of a long alternate-name list is other scripts and codes
NOT_A_LETTER = "0123456789 "  # what a folded name holds besides the letters a-z
BIG_FILE = 30_000_000  # bytes: past this, build the lookup indexes once at the end
PlaceRow = tuple[int, str, str | None, str | None, str | None, float, float, str | None, str | None, int, str]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportReport:
    """What one file added."""

    source: str
    kind: str
    rows: int


class Writer:
    """The write side of the index, used by file imports and by the default build."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = connect(path, write=True)
        # a large page cache keeps the B-trees of a bulk import in memory (the default 2 MB
        # makes each insert re-read pages); 256 MB stays far inside the 2 GB budget
        self.con.execute("PRAGMA cache_size = -262144")
        # the sort that builds a lookup index after a bulk load spills to temporary files; kept
        # in memory it grew with the file (+125 MB per million rows) and would pass 2 GB at 12M
        self.con.execute("PRAGMA temp_store = FILE")

    def close(self) -> None:
        self.con.close()

    @contextlib.contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[None]:
        """One all-or-nothing transaction; ``bulk`` drops the lookup indexes and rebuilds them."""
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            if bulk:
                con.execute("DROP INDEX IF EXISTS names_key")
                con.execute("DROP INDEX IF EXISTS names_vkey")
                con.execute("DROP INDEX IF EXISTS names_skey")
            yield
            for ddl in LOOKUP_INDEXES:
                con.execute(ddl)
            con.execute("CREATE INDEX IF NOT EXISTS places_areas ON places(cc, a1) WHERE fclass = 'A'")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def add_places(self, rows: list[PlaceRow], names: list[list[str]]) -> None:
        """Insert or replace places with their names (``names[i]`` belongs to ``rows[i]``)."""
        con = self.con
        ids = [r[0] for r in rows]
        known: dict[int, int] = {}  # id -> population of the places already indexed
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            known.update(con.execute(
                f"SELECT id, pop FROM places WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        if known:
            con.executemany("DELETE FROM names WHERE place = ?", [(i,) for i in known])
            # a 0 is GeoNames' "not known": it never overwrites a known population
            rows = [(*r[:9], known[r[0]], r[10]) if r[9] == 0 and known.get(r[0], 0) > 0 else r for r in rows]
        con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        name_rows = []
        for row, place_names in zip(rows, names, strict=True):
            seen: set[str] = set()
            # the name and its ASCII form are often the same string: fold each string once, and
            # make the looser keys only for a folded name the place does not have yet
            for name in dict.fromkeys(place_names):
                key = fold(name)
                # a name with no letter (a code, or a script that folds to nothing) is no use
                if key in seen or not key.strip(NOT_A_LETTER):
                    continue
                seen.add(key)
                vkey, skey = looser_keys(key)
                name_rows.append((key, vkey, row[0], skey))
                if len(seen) >= MAX_NAMES:
                    break
        con.executemany("INSERT INTO names(key, vkey, place, skey) VALUES (?,?,?,?)", name_rows)

    def add_admin(self, rows: Iterable[tuple[str, str, int | None]]) -> None:
        self.con.executemany("INSERT OR REPLACE INTO admin VALUES (?,?,?)", rows)

    def add_country(self, cc: str, name: str, iso3: str | None, geonameid: int | None,
                    capital: str | None, pop: int) -> None:
        self.con.execute("INSERT OR REPLACE INTO countries VALUES (?,?,?,?,?,?)",
                         (cc, name, iso3, geonameid, capital, pop))

    def record_source(self, name: str, kind: str, rows: int) -> None:
        self.con.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                         (name, kind, rows, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))


def file_kind(name: str) -> str:
    """What a GeoNames file holds, from its name."""
    base = Path(name).name.lower()
    if base.startswith("admin1codes"):
        return "admin1"
    if base.startswith("admin2codes"):
        return "admin2"
    if base.startswith("countryinfo"):
        return "countries"
    return "places"


@contextlib.contextmanager
def open_lines(path: Path) -> Iterator[tuple[IO[str], int, Callable[[], int]]]:
    """The text stream of a GeoNames file (the data member of a zip), its size in bytes and a
    function giving how many bytes have been read so far (for the progress bar)."""
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.suffix.lower() != ".zip":
        with path.open("rb") as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n"), path.stat().st_size, raw.tell
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(str(path), f"not a readable zip file (truncated or damaged download?): {exc}") from exc
    with archive:
        members = [i for i in archive.infolist() if i.filename.endswith(".txt") and "readme" not in i.filename.lower()]
        if not members:
            raise InputError(str(path), "the zip holds no GeoNames .txt file")
        info = max(members, key=lambda i: i.file_size)
        with archive.open(info) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n"), info.file_size, raw.tell


def _number(where: str, text: str, low: float, high: float, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(where, f"{what} {text!r} is not a number") from None
    if not low <= value <= high:
        raise InputError(where, f"{what} {value} is out of range [{low}, {high}]")
    return value


def parse_place(fields: list[str], where: str, source: str) -> tuple[PlaceRow, list[str]]:
    """One 19-column GeoNames row to a place row and its names; InputError when malformed."""
    if len(fields) != 19:
        raise InputError(where, f"expected 19 tab-separated columns, found {len(fields)}")
    try:
        gid = int(fields[0])
    except ValueError:
        raise InputError(where, f"geonameid {fields[0]!r} is not an integer") from None
    try:
        lat, lon = float(fields[4]), float(fields[5])
        good = -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
    except ValueError:
        good = False
    if not good:  # say which coordinate is wrong, and how
        lat = _number(where, fields[4], -90.0, 90.0, "latitude")
        lon = _number(where, fields[5], -180.0, 180.0, "longitude")
    pop = int(fields[14]) if fields[14].isdigit() else 0
    row: PlaceRow = (gid, fields[1], fields[8] or None, fields[10] or None, fields[11] or None,
                     lat, lon, fields[6] or None, fields[7] or None, pop, source)
    names = [fields[1], fields[2]]
    if fields[3]:
        names += fields[3].split(",")
    return row, names


def _import_places(writer: Writer, lines: IO[str], where: str, source: str, tick: Progress) -> int:
    rows: list[PlaceRow] = []
    names: list[list[str]] = []
    count = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        row, row_names = parse_place(line.split("\t"), f"{where}:{number}", source)
        rows.append(row)
        names.append(row_names)
        if len(rows) >= BATCH:
            writer.add_places(rows, names)
            count += len(rows)
            rows, names = [], []
            tick(number)
    if rows:
        writer.add_places(rows, names)
        count += len(rows)
    return count


def _import_admin(writer: Writer, lines: IO[str], where: str) -> int:
    rows = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip("\r")
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[0].count(".") not in (1, 2):
            raise InputError(f"{where}:{number}", "expected 4 tab-separated columns: code, name, ascii name, geonameid")
        rows.append((fields[0], fields[1], int(fields[3]) if fields[3].isdigit() else None))
    writer.add_admin(rows)
    return len(rows)


def _import_countries(writer: Writer, lines: IO[str], where: str) -> int:
    count = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip("\r")
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 17 or len(fields[0]) != 2:
            raise InputError(f"{where}:{number}", "expected a countryInfo row: ISO, ISO3, ..., geonameid")
        writer.add_country(fields[0], fields[4], fields[1] or None,
                           int(fields[16]) if fields[16].isdigit() else None,
                           fields[5] or None, int(fields[7]) if fields[7].isdigit() else 0)
        count += 1
    return count


def import_file(writer: Writer, path: Path, on_progress: Callable[[int, int], None] | None = None,
                bulk_bytes: int = BIG_FILE) -> ImportReport:
    """Import one GeoNames file (any supported kind, plain or zipped) in one transaction.

    ``on_progress(done_bytes, total_bytes)`` is called between batches. A place file larger
    than ``bulk_bytes`` is loaded with the lookup indexes dropped and built again at the end."""
    kind = file_kind(path.name)
    with open_lines(path) as (lines, total, tell):
        def tick(_line: int) -> None:
            if on_progress:
                on_progress(tell(), total)

        try:
            with writer.transaction(bulk=kind == "places" and total > bulk_bytes):
                if kind == "places":
                    count = _import_places(writer, lines, str(path), path.name, tick)
                elif kind in ("admin1", "admin2"):
                    count = _import_admin(writer, lines, str(path))
                else:
                    count = _import_countries(writer, lines, str(path))
                writer.record_source(path.name, kind, count)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise InputError(str(path), f"the zip is truncated or damaged: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 text: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise InputError(str(path), f"could not write the gazetteer {writer.path}: {exc}") from exc
        if on_progress:
            on_progress(total, total)
    return ImportReport(path.name, kind, count)
