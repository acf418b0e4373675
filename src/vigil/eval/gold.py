"""Gold readers: GTD-style CSV, ACLED-style CSV, and the LGL / GeoWebNews geoparsing XML.

Each reader turns a file into plain gold values; a file that does not parse is a GoldFormatError
naming the file and line. A blank gold field becomes None and is not scored.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar
from xml.parsers import expat

from vigil.errors import GoldFormatError
from vigil.eval.matching import AttackTypeTable

GoldFormat = Literal["gtd", "acled", "geoparsing"]
FORMATS: tuple[GoldFormat, ...] = ("gtd", "acled", "geoparsing")

# Days added to the gold event date to make the publication date given to the extractor, so that
# "on Wednesday" or "On December 27" resolve as they would in a report written a few days later.
PUBLICATION_LAG_DAYS = 3
# Columns that carry a record's own publication date, where a gold file has one.
PUBLISHED_COLUMNS = ("published", "publication_date", "pubdate")

GTD_COLUMNS = ("iyear", "imonth", "iday", "summary", "country_txt", "provstate", "city", "latitude", "longitude",
               "specificity", "attacktype1_txt", "targtype1_txt", "gname", "claimed", "nkill", "nwound")
ACLED_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2",
                 "location", "latitude", "longitude", "geo_precision", "notes", "fatalities")
# "Looting: ..." — a leading label in ACLED notes is the answer; it is stripped before extraction.
# A label is a short noun phrase of at most four words ("Property destruction", "Change to armed
# group"); digits are excluded so that "On 27 December: ..." keeps its date, and a sentence that
# ends in a colon ("The Kobadi post came under fire: two guards hurt") is the story itself,
# not a label: it starts with an article or holds a verb "to be".
ACLED_LABEL = re.compile(r"^\s*(?!(?:the|a|an)\s)(?![^:]*\b(?:is|are|was|were|been|being)\b)"
                         r"[A-Za-z][A-Za-z/&'-]*(?: [A-Za-z/&'-]+){0,3}:\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One gold record of an event (GTD or ACLED row)."""

    record: str  # "file:line", for messages and --errors
    text: str
    published: dt.date  # given to the extractor: the record's own, else event date + 3 days
    date: dt.date | None = None  # None: not scored (GTD day 0, ACLED time_precision > 1)
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None  # GTD city, ACLED location
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None  # GTD specificity (1..5) or ACLED geo_precision (1..3)
    event_type: str | None = None  # ACLED type; for GTD mapped from the attack type by the table
    sub_event_type: str | None = None  # scored for ACLED only (GTD's is a guess from the table)
    actor1: str | None = None  # GTD gname, ACLED actor1
    actor2: str | None = None
    claimed: bool | None = None
    killed: int | None = None
    injured: int | None = None


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated toponym: offsets into ``GoldArticle.text`` and, where given, its coordinates."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    is_toponym: bool = True  # GeoWebNews also annotates non-toponyms ("Non_Toponym")


@dataclass(frozen=True, slots=True)
class GoldArticle:
    record: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    misaligned: int = 0  # gold toponyms dropped because their offsets do not fit the text


T = TypeVar("T")


def sample(records: Sequence[T], limit: int | None, seed: int | None) -> list[T]:
    """The first ``limit`` records, or with a seed a seeded random sample of them in file order."""
    if limit is None or limit >= len(records):
        return list(records)
    if seed is None:
        return list(records[:limit])
    picked = sorted(random.Random(seed).sample(range(len(records)), limit))
    return [records[i] for i in picked]


# -- CSV ------------------------------------------------------------------------------------------

def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _known(value: str | None) -> str | None:
    """GTD writes "Unknown" for a city or province it does not know: that is a blank, not a name."""
    text = _blank(value)
    return None if text is None or text.casefold() == "unknown" else text


def _number(value: str | None, where: str, column: str, *, negative_is_unknown: bool = True) -> float | None:
    text = _blank(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError as exc:
        raise GoldFormatError(f"{where}: column {column}: {text!r} is not a number") from exc
    # GTD writes -9 / -99 for "unknown"
    return None if negative_is_unknown and number < 0 else number


def _count(value: str | None, where: str, column: str) -> int | None:
    number = _number(value, where, column)
    return None if number is None else int(round(number))


def _read_csv(path: Path, required: Sequence[str], row_reader: Callable[[dict[str, str], str], GoldEvent]) -> list[GoldEvent]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot open: {exc}") from exc
    records: list[GoldEvent] = []
    with handle:
        reader = csv.DictReader(handle)
        try:
            fields = reader.fieldnames or []
            missing = [c for c in required if c not in fields]
            if missing:
                raise GoldFormatError(f"{path}:1: missing columns {', '.join(missing)} (found: {', '.join(fields) or 'nothing'})")
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if None in row or any(v is None for v in row.values()):
                    raise GoldFormatError(f"{where}: expected {len(fields)} fields, found a different number")
                records.append(row_reader(row, where))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise GoldFormatError(f"{path}:{reader.line_num}: {exc}") from exc
    return records


def _own_published(row: dict[str, str], where: str) -> dt.date | None:
    for column in PUBLISHED_COLUMNS:
        if _blank(row.get(column)):
            return _parse_date(row[column], where, column)
    return None


def _parse_date(text: str, where: str, column: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise GoldFormatError(f"{where}: column {column}: {text!r} is not a date (expected e.g. 2018-12-30 or 30 December 2018)")


def _coords(row: dict[str, str], where: str) -> tuple[float | None, float | None]:
    lat = _number(row.get("latitude"), where, "latitude", negative_is_unknown=False)
    lon = _number(row.get("longitude"), where, "longitude", negative_is_unknown=False)
    if lat is None or lon is None:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GoldFormatError(f"{where}: coordinates {lat}, {lon} are out of range")
    return lat, lon


def read_gtd(path: Path, table: AttackTypeTable) -> list[GoldEvent]:
    """GTD-style CSV: the text is ``summary``; attack types are mapped to ACLED types by ``table``."""

    def row_reader(row: dict[str, str], where: str) -> GoldEvent:
        year = _count(row["iyear"], where, "iyear")
        month = _count(row["imonth"], where, "imonth") or 0
        day = _count(row["iday"], where, "iday") or 0
        if year is None:
            raise GoldFormatError(f"{where}: column iyear is blank")
        try:
            date = dt.date(year, month, day) if month and day else None
            # a date known to the month only still anchors the publication date, at the month's start
            anchor = date or dt.date(year, month or 1, 1)
        except ValueError as exc:
            raise GoldFormatError(f"{where}: {year}-{month}-{day} is not a date: {exc}") from exc
        text = _blank(row["summary"])
        if text is None:
            raise GoldFormatError(f"{where}: column summary (the text) is blank")
        lat, lon = _coords(row, where)
        # the weapon column is optional: without it, only the rules for any weapon apply
        mapped = table.map(_blank(row["attacktype1_txt"]), _blank(row["targtype1_txt"]), _blank(row.get("weaptype1_txt")))
        claimed = _count(row["claimed"], where, "claimed")
        return GoldEvent(
            record=where,
            text=text,
            published=_own_published(row, where) or anchor + dt.timedelta(days=PUBLICATION_LAG_DAYS),
            date=date,
            country=_blank(row["country_txt"]),
            admin1=_known(row["provstate"]),
            location=_known(row["city"]),
            lat=lat,
            lon=lon,
            geo_precision=_count(row["specificity"], where, "specificity"),
            event_type=mapped[0] if mapped else None,
            sub_event_type=mapped[1] if mapped else None,
            actor1=_blank(row["gname"]),
            claimed=None if claimed is None else claimed == 1,
            killed=_count(row["nkill"], where, "nkill"),
            injured=_count(row["nwound"], where, "nwound"),
        )

    return _read_csv(path, GTD_COLUMNS, row_reader)


def strip_label(notes: str) -> str:
    """ACLED notes without a leading "Label:" (it states the answer)."""
    return ACLED_LABEL.sub("", notes, count=1)


def read_acled(path: Path) -> list[GoldEvent]:
    """ACLED-style CSV: the text is ``notes`` with a leading label stripped."""

    def row_reader(row: dict[str, str], where: str) -> GoldEvent:
        raw_date = _blank(row["event_date"])
        if raw_date is None:
            raise GoldFormatError(f"{where}: column event_date is blank")
        date = _parse_date(raw_date, where, "event_date")
        text = _blank(strip_label(row["notes"] or ""))
        if text is None:
            raise GoldFormatError(f"{where}: column notes (the text) is blank")
        lat, lon = _coords(row, where)
        # time_precision 2 or 3: ACLED only knows the week or month; the day is its guess, not scored
        precision = _count(row.get("time_precision"), where, "time_precision")
        return GoldEvent(
            record=where,
            text=text,
            published=_own_published(row, where) or date + dt.timedelta(days=PUBLICATION_LAG_DAYS),
            date=date if precision in (None, 1) else None,
            country=_blank(row["country"]),
            admin1=_blank(row["admin1"]),
            admin2=_blank(row["admin2"]),
            location=_blank(row["location"]),
            lat=lat,
            lon=lon,
            geo_precision=_count(row["geo_precision"], where, "geo_precision"),
            event_type=_blank(row["event_type"]),
            sub_event_type=_blank(row["sub_event_type"]),
            actor1=_blank(row["actor1"]),
            actor2=_blank(row["actor2"]),
            killed=_count(row["fatalities"], where, "fatalities"),
        )

    return _read_csv(path, ACLED_COLUMNS, row_reader)


# -- geoparsing XML -------------------------------------------------------------------------------
# The standard library's ElementTree forgets line numbers, and a gold file error must name its
# line; expat reports them, so a small tree is built straight from expat's callbacks.


@dataclass(slots=True)
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The character data directly inside this element (CDATA included), as one string."""
        return "".join(self.parts)

    def find(self, *path: str) -> Node | None:
        """The first descendant along ``path`` of child tags, or None."""
        node: Node | None = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None) if node else None
        return node


def parse_xml(path: Path) -> Node:
    """Parse ``path`` into a tree of Nodes; malformed XML is a GoldFormatError with file and line."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[Node] = []
    roots: list[Node] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot open: {exc}") from exc
    except expat.ExpatError as exc:
        raise GoldFormatError(f"{path}:{exc.lineno}: not well-formed XML: {expat.ErrorString(exc.code)}") from exc
    if not roots:
        raise GoldFormatError(f"{path}:1: no XML element")
    return roots[0]


def _child_text(node: Node, *path: str) -> str | None:
    found = node.find(*path)
    return _blank(found.text) if found is not None else None


def _align(text: str, start: int, end: int, name: str) -> tuple[int, int] | None:
    """Offsets that cover ``name`` in ``text``: as given, else the nearest occurrence of the name
    (a few gold offsets are off); None when the name is not in the text at all."""
    if text[start:end] == name or not name:
        return (start, end) if 0 <= start < end <= len(text) else None
    hits = [m.start() for m in re.finditer(re.escape(name), text)]
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - start))
    return best, best + len(name)


def _toponym(node: Node, path: Path, text: str) -> GoldToponym | None:
    where = f"{path}:{node.line}"
    raw_start, raw_end = _child_text(node, "start"), _child_text(node, "end")
    # negative offsets occur in GeoWebNews; they are integers all the same, and _align repairs them
    if raw_start is None or raw_end is None or not re.fullmatch(r"-?\d+", raw_start) or not re.fullmatch(r"-?\d+", raw_end):
        raise GoldFormatError(f"{where}: toponym needs integer <start> and <end>, found {raw_start!r}, {raw_end!r}")
    name = _child_text(node, "phrase") or _child_text(node, "extractedName") or ""
    gaz = node.find("gaztag")
    if gaz is not None:  # LGL
        raw_lat, raw_lon, raw_id = _child_text(gaz, "lat"), _child_text(gaz, "lon"), gaz.attrs.get("geonameid")
        kind = None
    else:  # GeoWebNews
        raw_lat, raw_lon, raw_id = _child_text(node, "latitude"), _child_text(node, "longitude"), _child_text(node, "geonamesID")
        kind = _child_text(node, "type")
    try:
        lat = float(raw_lat) if raw_lat else None
        lon = float(raw_lon) if raw_lon else None
        geonameid = int(raw_id) if raw_id else None
    except ValueError as exc:
        raise GoldFormatError(f"{where}: bad coordinates or GeoNames id: {exc}") from exc
    if lat is None or lon is None:
        lat = lon = None
    span = _align(text, int(raw_start), int(raw_end), name)
    if span is None:
        return None
    return GoldToponym(span[0], span[1], name or text[span[0]:span[1]], lat, lon, geonameid, kind != "Non_Toponym")


def read_geoparsing(path: Path) -> list[GoldArticle]:
    """LGL or GeoWebNews XML: ``<article>`` elements with ``<text>`` and ``<toponyms>``."""
    root = parse_xml(path)
    if root.tag != "articles":
        raise GoldFormatError(f"{path}:{root.line}: expected <articles> as the root element, found <{root.tag}>")
    articles: list[GoldArticle] = []
    for node in root.children:
        if node.tag != "article":
            continue
        text_node = node.find("text")
        if text_node is None:
            raise GoldFormatError(f"{path}:{node.line}: <article> without <text>")
        text = text_node.text
        ident = node.attrs.get("docid") or node.attrs.get("file") or str(len(articles))
        toponyms: list[GoldToponym] = []
        misaligned = 0
        holder = node.find("toponyms")
        for top in holder.children if holder is not None else []:
            if top.tag != "toponym":
                continue
            gold = _toponym(top, path, text)
            if gold is None:
                misaligned += 1
            else:
                toponyms.append(gold)
        articles.append(GoldArticle(f"{path}:{node.line} (article {ident})", text, tuple(toponyms), misaligned))
    if not articles:
        raise GoldFormatError(f"{path}: no <article> elements")
    return articles
