"""The extraction lexicon: taxonomy, trigger table, context cues and number words, loaded once.

Everything the extractor knows about words lives in four data files under ``vigil/data/``:

    taxonomy.csv         ACLED event and sub-event types, CAMEO/PLOVER/GTD mappings, precedence
    triggers.csv         lemma or phrase -> candidate sub-event type under a condition
    triggers.cues.toml   target words, condition cues, modality, background and separator markers
    numbers.toml         number words, hedges, vague quantities, counted groups, casualty words,
                         attribution cues

``load_lexicon`` reads and validates them and builds the lookup indexes once, so that the
per-article work is dictionary look-ups on token lemmas (no Matcher re-compilation, no re-parse).
A bad file is a ResourceError naming the file, the line and the problem.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from vigil.errors import ResourceError

Phrase = tuple[str, ...]

# Conditions a trigger row may carry (joined with "+"); each one is evaluated in triggers.py.
CONDITIONS = frozenset(
    {
        "armed_target",
        "civilian_target",
        "person_object",
        "property_object",
        "weapons_object",
        "base_object",
        "territory",
        "state_agent",
        "protest_context",
        "protester_victims",
        "intervention",
        "riot_context",
        "labour",
        "air_context",
        "explosive_context",
    }
)
POS_CODES = {"*": None, "V": frozenset({"VERB", "AUX"}), "N": frozenset({"NOUN", "PROPN"}), "A": frozenset({"ADJ"})}
CLAIM_KINDS = frozenset({"killed", "injured", "abducted", "arrested"})
SOURCE_KINDS = ("official", "perpetrator", "witness", "media")
HEDGE_READINGS = frozenset({"min", "more", "approx", "max"})


@dataclass(frozen=True, slots=True)
class SubEventType:
    """One row of the taxonomy."""

    event_type: str
    sub_event_type: str
    cameo: str
    plover: str
    gtd_attack_type: str
    violent: bool
    rank: int  # precedence when one mention has triggers of several types: lower wins


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """One row of the trigger table."""

    phrase: Phrase
    pos: frozenset[str] | None
    event_type: str
    sub_event_type: str
    conditions: tuple[str, ...]
    weight: float
    line: int


@dataclass(frozen=True, slots=True)
class Vague:
    """A vague quantity ("dozens") with its reading and bounds (high None: open)."""

    value: int
    low: int
    high: int | None


@dataclass
class Lexicon:
    """Everything the extractor knows about words; built once by ``load_lexicon``."""

    taxonomy: dict[tuple[str, str], SubEventType]
    triggers: dict[str, list[tuple[Phrase, list[TriggerRule]]]]  # first lemma -> phrases, longest first
    targets: dict[str, frozenset[str]]
    cues: dict[str, list[Phrase]]  # condition cue lists, markers, modality (lemma phrases)
    units: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, Vague]
    hedges: dict[Phrase, str]
    groups: dict[str, str]
    group_kinds: dict[str, str]
    kinds: dict[str, str]
    inexact_kinds: dict[str, str]
    report_verbs: frozenset[str]
    report_preps: list[Phrase]
    source_kinds: dict[str, str] = field(default_factory=dict)
    persons: frozenset[str] = frozenset()
    not_persons: frozenset[str] = frozenset()

    def cue_words(self, name: str) -> frozenset[str]:
        """The one-word cues of a list (for set look-ups on lemmas)."""
        return frozenset(p[0] for p in self.cues.get(name, ()) if len(p) == 1)

    def type_of(self, event_type: str, sub_event_type: str) -> SubEventType:
        """The taxonomy row of a sub-event type."""
        return self.taxonomy[(event_type, sub_event_type)]


def _phrase(text: str) -> Phrase:
    return tuple(text.lower().split())


def _rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    """CSV rows after the one-line ``#`` header comment, with their line numbers."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read: {exc}") from exc
    if not lines or not lines[0].startswith("#"):
        raise ResourceError(f"{path}: line 1: expected a '# ...' header comment saying what the file holds")
    reader = csv.DictReader(lines[1:])
    for offset, row in enumerate(reader, start=3):
        if None in row or any(v is None for v in row.values()):
            raise ResourceError(f"{path}: line {offset}: wrong number of columns")
        yield offset, {k: (v or "").strip() for k, v in row.items()}


def _toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read: {exc}") from exc
    if not text.startswith("#"):
        raise ResourceError(f"{path}: line 1: expected a '# ...' header comment saying what the file holds")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"{path}: {exc}") from exc


def _load_taxonomy(path: Path) -> dict[tuple[str, str], SubEventType]:
    out: dict[tuple[str, str], SubEventType] = {}
    for line, row in _rows(path):
        try:
            rank = int(row["rank"])
        except (KeyError, ValueError) as exc:
            raise ResourceError(f"{path}: line {line}: rank must be an integer") from exc
        if row["violent"] not in ("yes", "no"):
            raise ResourceError(f"{path}: line {line}: violent must be yes or no, not {row['violent']!r}")
        key = (row["event_type"], row["sub_event_type"])
        if key in out:
            raise ResourceError(f"{path}: line {line}: duplicate sub-event type {key[1]!r}")
        out[key] = SubEventType(*key, row["cameo"], row["plover"], row["gtd_attack_type"], row["violent"] == "yes", rank)
    if len({k[0] for k in out}) != 6 or len(out) != 25:
        raise ResourceError(f"{path}: expected ACLED's 6 event types and 25 sub-event types, found {len(out)}")
    return out


def _load_triggers(path: Path, taxonomy: dict[tuple[str, str], SubEventType]) -> dict[str, list[tuple[Phrase, list[TriggerRule]]]]:
    by_phrase: dict[Phrase, list[TriggerRule]] = {}
    for line, row in _rows(path):
        phrase = _phrase(row["phrase"])
        if not phrase:
            raise ResourceError(f"{path}: line {line}: empty phrase")
        if row["pos"] not in POS_CODES:
            raise ResourceError(f"{path}: line {line}: pos {row['pos']!r} is not one of {', '.join(POS_CODES)}")
        if (row["event_type"], row["sub_event_type"]) not in taxonomy:
            raise ResourceError(
                f"{path}: line {line}: {row['event_type']}/{row['sub_event_type']} is not in the taxonomy"
            )
        conditions = tuple(c for c in row["condition"].split("+") if c)
        unknown = [c for c in conditions if c not in CONDITIONS]
        if unknown:
            raise ResourceError(f"{path}: line {line}: unknown condition {unknown[0]!r}; valid: {', '.join(sorted(CONDITIONS))}")
        try:
            weight = float(row["weight"])
        except ValueError as exc:
            raise ResourceError(f"{path}: line {line}: weight {row['weight']!r} is not a number") from exc
        rule = TriggerRule(phrase, POS_CODES[row["pos"]], row["event_type"], row["sub_event_type"], conditions, weight, line)
        by_phrase.setdefault(phrase, []).append(rule)
    index: dict[str, list[tuple[Phrase, list[TriggerRule]]]] = {}
    for phrase, rules in by_phrase.items():
        index.setdefault(phrase[0], []).append((phrase, rules))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))  # longest phrase first: "suicide bomb" before "suicide"
    return index


def _str_list(data: dict[str, Any], section: str, key: str, where: Path) -> list[str]:
    value = data.get(section, {}).get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ResourceError(f"{where}: [{section}] {key} must be a list of strings")
    return value


def _int_table(data: dict[str, Any], section: str, where: Path) -> dict[str, int]:
    table = data.get(section)
    if not isinstance(table, dict) or not all(isinstance(v, int) for v in table.values()):
        raise ResourceError(f"{where}: [{section}] must map words to integers")
    return {k.lower(): v for k, v in table.items()}


def _str_table(data: dict[str, Any], section: str, where: Path, allowed: Iterable[str] | None = None) -> dict[str, str]:
    table = data.get(section)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ResourceError(f"{where}: [{section}] must map words to strings")
    if allowed is not None:
        ok = set(allowed)
        bad = [f"{k} = {v!r}" for k, v in table.items() if v not in ok]
        if bad:
            raise ResourceError(f"{where}: [{section}] {bad[0]}: must be one of {', '.join(sorted(ok))}")
    return {k.lower(): v for k, v in table.items()}


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and validate the lexicon files from ``path`` (a folder; default: the shipped data)."""
    base = Path(str(resources.files("vigil.data"))) if path is None else Path(path)
    taxonomy = _load_taxonomy(base / "taxonomy.csv")
    triggers = _load_triggers(base / "triggers.csv", taxonomy)

    cues_path = base / "triggers.cues.toml"
    cues_data = _toml(cues_path)
    targets = {
        key: frozenset(w.lower() for w in _str_list(cues_data, "targets", key, cues_path))
        for key in ("armed", "civilian", "property", "territory", "weapons", "state_agents")
    }
    cues: dict[str, list[Phrase]] = {}
    for section, keys in (
        ("context", ("protest_context", "intervention", "riot_context", "labour", "air_context", "explosive_context")),
        ("filters", ("non_violent_causes", "modal_aux", "hypothetical_governors", "hypothetical_modifiers")),
        ("markers", ("separators", "background")),
    ):
        for key in keys:
            cues[key] = [_phrase(w) for w in _str_list(cues_data, section, key, cues_path)]

    num_path = base / "numbers.toml"
    num = _toml(num_path)
    vague: dict[str, Vague] = {}
    for word, spec in (num.get("vague") or {}).items():
        try:
            high = None if spec["high"] < 0 else int(spec["high"])
            v = Vague(int(spec["value"]), int(spec["low"]), high)
        except (KeyError, TypeError) as exc:
            raise ResourceError(f"{num_path}: [vague.{word}] needs integer value, low and high") from exc
        if v.low > v.value or (v.high is not None and v.high < v.value):
            raise ResourceError(f"{num_path}: [vague.{word}] needs low <= value <= high")
        vague[word.lower()] = v
    hedges = {_phrase(k): v for k, v in _str_table(num, "hedges", num_path, HEDGE_READINGS).items()}
    groups = _str_table(num, "groups", num_path)
    group_kinds = _str_table(num, "group_kinds", num_path, ("armed", "civilian", "unknown"))
    missing = sorted(set(groups.values()) - set(group_kinds))
    if missing:
        raise ResourceError(f"{num_path}: [group_kinds] has no kind for group {missing[0]!r}")
    source_kinds: dict[str, str] = {}
    for kind in SOURCE_KINDS:
        for word in _str_list(num, "source_kinds", kind, num_path):
            source_kinds.setdefault(word.lower(), kind)
    return Lexicon(
        taxonomy=taxonomy,
        triggers=triggers,
        targets=targets,
        cues=cues,
        units=_int_table(num, "units", num_path),
        multipliers=_int_table(num, "multipliers", num_path),
        vague=vague,
        hedges=hedges,
        groups=groups,
        group_kinds=group_kinds,
        kinds=_str_table(num, "kinds", num_path, CLAIM_KINDS),
        inexact_kinds=_str_table(num, "inexact_kinds", num_path),
        report_verbs=frozenset(_str_list(num, "attribution", "verbs", num_path)),
        report_preps=[_phrase(p) for p in _str_list(num, "attribution", "prepositions", num_path)],
        source_kinds=source_kinds,
        persons=frozenset(w.lower() for w in _str_list(num, "persons", "words", num_path)),
        not_persons=frozenset(w.lower() for w in _str_list(num, "not_persons", "words", num_path)),
    )
