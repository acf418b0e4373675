"""The word lists toponym recognition uses, loaded from data files and validated.

- ``geo_cues.tsv``: words around a name that say what it names ("region", "village") or how
  close the event was ("near", "outside"), the prepositions that introduce a place, and the
  words that put a place away from the scene ("sent from X", "based in X", "fled to X").
- ``geo_stopnames.txt``: capitalised words that gazetteers list as places but news text uses
  as ordinary words ("March", "Police", "Union").
- ``geo_demonyms.tsv``: "Nigerien" -> NE; a demonym sets the country context and is never
  itself a place. "Scottish" -> GB.SCT names an admin1 area and votes for its country;
  "European" -> =Europe names a region by its gazetteer name and votes for no country.
- ``geo_peoples.txt``: names of peoples ("Fulani", "Bambara") that gazetteers also list as
  places; alone they name a people, not where something happened. A people that lives mostly
  in one to three countries lists them ("Mossi<TAB>BF"): a story that names no country is
  likely set there.
- ``geo_aliases.tsv``: names news uses that gazetteers lack: "America" -> US, "Calif." -> US.CA.
- ``geo_homelands.tsv``: the admin1 areas where a named group mostly fights or a people mostly
  lives ("katiba-macina" -> ML.04 ML.05): a weak hint between namesakes of two regions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from vigil.errors import ResourceError
from vigil.geo.names import fold

_ISO2 = re.compile(r"[A-Z]{2}")
_ADMIN1 = re.compile(r"[A-Z]{2}\.[0-9A-Z]+")
CUE_ROLES = ("area", "admin2", "place", "feature", "near", "locative", "origin", "elsewhere", "institution", "road", "vicinity",
             "placed", "title", "office", "direction", "around", "part", "site", "abroad", "assault")


@dataclass(frozen=True)
class GeoWords:
    """Cue words by role, stop names, demonyms (all folded)."""

    cues: dict[str, frozenset[str]]
    stopnames: frozenset[str]
    demonyms: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # written form, spaces removed -> code
    peoples: frozenset[str] = frozenset()
    homes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # people -> where most live
    # folded actor id or people's name -> admin1 codes of its base (geo_homelands.tsv)
    homelands: dict[str, frozenset[str]] = field(default_factory=dict)

    def people(self, text: str) -> bool:
        """True when the name is a people's ("Fulani", "Tuaregs"), alone or in the plural."""
        key = fold(text)
        return key in self.peoples or (key.endswith("s") and key[:-1] in self.peoples)

    def home(self, text: str) -> tuple[str, ...]:
        """The countries where most of a people ("Mossi", "Mossis") live, most first; () when
        the list gives none (a people spread over many countries)."""
        key = fold(text)
        return self.homes.get(key) or (self.homes.get(key[:-1], ()) if key.endswith("s") else ())

    def homeland(self, who: str) -> frozenset[str]:
        """The admin1 codes where a group (by actor id) fights or a people ("Dogon", "Dogons")
        lives, mostly; empty when the list gives none."""
        key = fold(who)
        return self.homelands.get(key) or (self.homelands.get(key[:-1], frozenset()) if key.endswith("s") else frozenset())

    def alias(self, text: str) -> str | None:
        """The country ("US"), admin1 ("US.CA") or "=Name" a written name stands for, if listed."""
        return self.aliases.get(text.replace(" ", ""))

    def demonym(self, text: str) -> str | None:
        """The country a demonym or its plural names ("Russians" -> RU), if listed."""
        key = fold(text)
        return self.demonyms.get(key) or (self.demonyms.get(key[:-1]) if key.endswith("s") else None)

    def role(self, word: str, role: str) -> bool:
        """True when the (folded) word has this cue role."""
        return word in self.cues.get(role, frozenset())

    def area_word(self, word: str) -> bool:
        """True for a word that names a kind of area ("region", "Cercle", "county"), any case."""
        key = fold(word)
        return self.role(key, "area") or self.role(key, "admin2")


def _lines(name: str, path: Path | None) -> tuple[str, list[tuple[int, str]]]:
    where = str(path) if path else f"vigil/data/{name}"
    try:
        text = path.read_text(encoding="utf-8") if path else resources.files("vigil.data").joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{where}: cannot be read ({exc})") from exc
    rows = text.splitlines()
    if not rows or not rows[0].startswith("#"):
        raise ResourceError(f"{where}: the first line must be a '# ...' header saying what the file holds")
    return where, [(n, line) for n, line in enumerate(rows, 1) if line.strip() and not line.startswith("#")]


def load_words(cues: Path | None = None, stopnames: Path | None = None, demonyms: Path | None = None,
               aliases: Path | None = None, peoples: Path | None = None, homelands: Path | None = None) -> GeoWords:
    """Load and validate the word lists (the shipped ones unless paths are given)."""
    where, rows = _lines("geo_cues.tsv", cues)
    by_role: dict[str, set[str]] = {r: set() for r in CUE_ROLES}
    for n, line in rows:
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in CUE_ROLES or not fold(parts[0]):
            raise ResourceError(f"{where}:{n}: expected 'word<TAB>role' with role one of {', '.join(CUE_ROLES)}")
        by_role[parts[1]].add(fold(parts[0]))
    where, rows = _lines("geo_stopnames.txt", stopnames)
    stops = set()
    for n, line in rows:
        if not fold(line):
            raise ResourceError(f"{where}:{n}: an empty name")
        stops.add(fold(line))
    where, rows = _lines("geo_demonyms.tsv", demonyms)
    demo: dict[str, str] = {}
    for n, line in rows:
        parts = line.split("\t")
        region = len(parts) == 2 and parts[1].startswith("=") and len(parts[1]) > 1
        code = parts[1].split(".") if len(parts) == 2 else []
        if not region and (not code or len(code) > 2 or len(code[0]) != 2 or not code[0].isupper()
                           or not all(code)):
            raise ResourceError(f"{where}:{n}: expected 'demonym<TAB>CC' with an ISO alpha-2 code, "
                                "'demonym<TAB>CC.ADMIN1' for an admin1 area, or 'demonym<TAB>=Name' for a larger region")
        demo[fold(parts[0])] = parts[1]
    where, rows = _lines("geo_aliases.tsv", aliases)
    alias: dict[str, str] = {}
    for n, line in rows:
        parts = line.split("\t")
        code = parts[1].split(".") if len(parts) == 2 else []
        named = len(parts) == 2 and parts[1].startswith("=") and len(parts[1]) > 1
        if not named and (not code or len(code[0]) != 2 or not code[0].isupper() or len(code) > 2 or not parts[0].strip()):
                raise ResourceError(f"{where}:{n}: expected 'name<TAB>CC', 'name<TAB>CC.ADMIN1' or 'name<TAB>=Name'")
        alias[parts[0].replace(" ", "")] = parts[1]
    where, rows = _lines("geo_peoples.txt", peoples)
    folk = set()
    homes: dict[str, tuple[str, ...]] = {}
    for n, line in rows:
        name, _, codes = line.partition("\t")
        home = tuple(codes.split())
        if not fold(name) or (codes and not (1 <= len(home) <= 3 and all(_ISO2.fullmatch(c) for c in home))):
            raise ResourceError(f"{where}:{n}: expected a name, or 'name<TAB>CC [CC [CC]]' with one to three "
                                "ISO alpha-2 codes")
        folk.add(fold(name))
        if home:
            homes[fold(name)] = home
    where, rows = _lines("geo_homelands.tsv", homelands)
    lands: dict[str, set[str]] = {}
    for n, line in rows:
        parts = line.split("\t")
        areas = parts[1].split() if len(parts) == 3 else []
        if not areas or not fold(parts[0]) or not all(_ADMIN1.fullmatch(c) for c in areas):
            raise ResourceError(f"{where}:{n}: expected 'who<TAB>CC.code [CC.code ...]<TAB>names' with GeoNames admin1 codes")
        lands.setdefault(fold(parts[0]), set()).update(areas)
    return GeoWords({r: frozenset(v) for r, v in by_role.items()}, frozenset(stops), demo, alias, frozenset(folk),
                    homes, {k: frozenset(v) for k, v in lands.items()})
