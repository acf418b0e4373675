"""Reading and validating the actor dictionary file (``vigil/data/actors.toml``).

The file is data, so every entry is checked when it loads and a problem is a ResourceError that
names the file, the entry and what is wrong with it. The format is described in the file's own
header comment.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from vigil.errors import ResourceError
from vigil.types import Actor, ActorKind

_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
_CC = re.compile(r"^[A-Z]{2}$")
_KINDS = {k.value: k for k in ActorKind}


@dataclass(frozen=True)
class Generic:
    """A reference resolved with a country: "the army" -> Military Forces of <country>."""

    id: str
    name: str
    name_any: str
    kind: ActorKind
    foreign_kind: ActorKind | None
    phrases: tuple[str, ...]
    country_phrases: tuple[str, ...]
    gold: tuple[str, ...]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True)
class Family:
    """A name shared by several actors, resolved by the story's country."""

    names: tuple[str, ...]
    default: str | None
    by_country: dict[str, str]


@dataclass(frozen=True)
class UnknownCues:
    group_nouns: frozenset[str]
    violence_verbs: frozenset[str]
    not_actors: tuple[str, ...]


@dataclass
class ActorData:
    """Everything the actor file holds, validated."""

    actors: dict[str, Actor] = field(default_factory=dict)
    gold: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    families: list[Family] = field(default_factory=list)
    names: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    generics: dict[str, Generic] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    unknown: UnknownCues = field(default_factory=lambda: UnknownCues(frozenset(), frozenset(), ()))


class _Reader:
    """Typed access to one table of the file, with errors that say where."""

    def __init__(self, where: str, table: Any, allowed: set[str]) -> None:
        if not isinstance(table, dict):
            raise ResourceError(f"{where}: expected a table, got {type(table).__name__}")
        unknown = set(table) - allowed
        if unknown:
            raise ResourceError(f"{where}: unknown key(s) {sorted(unknown)}; valid: {sorted(allowed)}")
        self.where, self.table = where, table

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ResourceError(f"{self.where}: {key!r} must be a non-empty string")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ResourceError(f"{self.where}: {key!r} must be a list of non-empty strings")
        return tuple(value)

    def kind(self, key: str, default: str | None = None) -> ActorKind:
        value = self.table.get(key, default)
        if value not in _KINDS:
            raise ResourceError(f"{self.where}: {key} {value!r} is not one of {sorted(_KINDS)}")
        return _KINDS[value]

    def country(self, key: str) -> str | None:
        value = self.table.get(key)
        if value is not None and (not isinstance(value, str) or not _CC.match(value)):
            raise ResourceError(f"{self.where}: {key} {value!r} is not an ISO alpha-2 code like 'NE'")
        return value


def default_path() -> Path:
    """The actor dictionary shipped with Vigil."""
    return Path(str(resources.files("vigil.data").joinpath("actors.toml")))


def read_actor_file(path: Path | None = None) -> ActorData:
    """Parse and validate an actor file; a ResourceError names the file and the bad entry."""
    path = path or default_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResourceError(f"actor dictionary {path}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"actor dictionary {path}: not valid TOML ({exc})") from exc
    extra = set(raw) - {"actor", "family", "names", "generic", "countries", "unknown"}
    if extra:
        raise ResourceError(f"actor dictionary {path}: unknown section(s) {sorted(extra)}")
    data = ActorData()
    for i, table in enumerate(raw.get("actor", [])):
        _read_actor(
            data,
            _Reader(
                f"{path} [[actor]] #{i + 1}",
                table,
                {"id", "name", "kind", "country", "aliases", "gold", "parent"},
            ),
        )
    for child, parent in data.parents.items():
        if parent not in data.actors or parent == child:
            raise ResourceError(
                f"actor dictionary {path}: actor {child!r} has parent {parent!r}, which is no other actor"
            )
    for code, table in raw.get("countries", {}).items():
        r = _Reader(f"{path} [countries] {code}", table, {"name", "names", "demonyms"})
        if not _CC.match(code):
            raise ResourceError(f"{r.where}: {code!r} is not an ISO alpha-2 code")
        data.countries[code] = Country(code, r.text("name"), r.texts("names"), r.texts("demonyms"))
    for i, table in enumerate(raw.get("generic", [])):
        _read_generic(data, _Reader(f"{path} [[generic]] #{i + 1}", table, _GENERIC_KEYS))
    for i, table in enumerate(raw.get("family", [])):
        r = _Reader(f"{path} [[family]] #{i + 1}", table, {"names", "default", "by_country"})
        by_country = table.get("by_country", {})
        if not isinstance(by_country, dict) or not all(_CC.match(k) for k in by_country):
            raise ResourceError(f"{r.where}: by_country must map ISO alpha-2 codes to targets")
        default = table.get("default")
        for target in [*by_country.values(), *([default] if default is not None else [])]:
            check_target(data, target, r.where)
        if not r.texts("names"):
            raise ResourceError(f"{r.where}: a family needs at least one name")
        data.families.append(Family(r.texts("names"), default, dict(by_country)))
    for i, table in enumerate(raw.get("names", [])):
        r = _Reader(f"{path} [[names]] #{i + 1}", table, {"target", "aliases"})
        check_target(data, r.text("target"), r.where)
        data.names.append((r.text("target"), r.texts("aliases")))
    u = _Reader(f"{path} [unknown]", raw.get("unknown", {}), {"group_nouns", "violence_verbs", "not_actors"})
    data.unknown = UnknownCues(
        frozenset(u.texts("group_nouns")), frozenset(u.texts("violence_verbs")), u.texts("not_actors")
    )
    if not data.actors or not data.generics:
        raise ResourceError(f"actor dictionary {path}: no [[actor]] or no [[generic]] entries")
    return data


_GENERIC_KEYS = {"id", "name", "name_any", "kind", "foreign_kind", "phrases", "country_phrases", "gold"}


def _read_actor(data: ActorData, r: _Reader) -> None:
    actor_id = r.text("id")
    if not _ID.match(actor_id):
        raise ResourceError(f"{r.where}: id {actor_id!r} must be lowercase letters, digits and hyphens")
    if actor_id in data.actors:
        raise ResourceError(f"{r.where}: duplicate id {actor_id!r}")
    data.actors[actor_id] = Actor(
        id=actor_id,
        name=r.text("name"),
        kind=r.kind("kind"),
        aliases=r.texts("aliases"),
        country=r.country("country"),
    )
    data.gold[actor_id] = r.texts("gold")
    if "parent" in r.table:
        data.parents[actor_id] = r.text("parent")


def _read_generic(data: ActorData, r: _Reader) -> None:
    gid = r.text("id")
    if not _ID.match(gid) or gid in data.generics or gid in data.actors:
        raise ResourceError(f"{r.where}: id {gid!r} is malformed or already used")
    name = r.text("name")
    if "{country}" not in name:
        raise ResourceError(f"{r.where}: name {name!r} must contain {{country}}")
    for phrase in r.texts("country_phrases"):
        if "{country}" not in phrase and "{demonym}" not in phrase:
            raise ResourceError(f"{r.where}: country phrase {phrase!r} names no {{country}} or {{demonym}}")
    foreign = r.kind("foreign_kind") if "foreign_kind" in r.table else None
    data.generics[gid] = Generic(
        gid,
        name,
        r.text("name_any"),
        r.kind("kind"),
        foreign,
        r.texts("phrases"),
        r.texts("country_phrases"),
        r.texts("gold"),
    )


def split_target(target: str) -> tuple[str, str | None, bool]:
    """``"military@ML"`` -> ("military", "ML", True); ``"military@"`` -> ("military", None, True);
    ``"jnim"`` -> ("jnim", None, False)."""
    if "@" not in target:
        return target, None, False
    gid, _, code = target.partition("@")
    return gid, code or None, True


def check_target(data: ActorData, target: Any, where: str) -> None:
    """A target names an actor, or a generic with an optional country."""
    if not isinstance(target, str):
        raise ResourceError(f"{where}: target {target!r} must be a string")
    name, code, generic = split_target(target)
    if generic:
        if name not in data.generics:
            raise ResourceError(f"{where}: target {target!r}: no [[generic]] with id {name!r}")
        if code is not None and not _CC.match(code):
            raise ResourceError(f"{where}: target {target!r}: {code!r} is not an ISO alpha-2 code")
    elif name not in data.actors:
        raise ResourceError(f"{where}: target {target!r}: no [[actor]] with that id")
