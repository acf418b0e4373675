"""Fusion: group mentions (one article's report of one event) into events.

    1. block     by country, then by admin1 (a mention known only to country level is compared
                 with every admin1 of its country), then by a date window that widens with the
                 date precision (day ±3, week ±7, month ±31, year ±183 days: ``data/fusion.toml``);
    2. score     each pair in a block on place (distance, else the same admin2/admin1), date,
                 event-type compatibility, shared actors, compatible counts and the Jaccard
                 of the evidence sentences' words (on 512-bit word signatures); some pairs are
                 incompatible outright (types that never co-describe one event, places too far
                 apart, dates out of window);
    3. cluster   union-find over the links, best links first; two clusters join only if no cross
                 pair is incompatible and their average cross score passes ``link_floor``, so that
                 A~B and B~C do not chain A and C together when they are different events;
    4. merge     every mention and claim is kept (``fuse_merge.merge_cluster``); fatalities
                 best/low/high per victim group follow the rule in the README.

Incremental use: ``existing`` events are clusters already made; only pairs involving a new
mention are scored, so a stored event's members are never split, and the id of the oldest event
(first in ``existing``) survives when a new report bridges two of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import math
import re
import tomllib
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from vigil.errors import ResourceError
from vigil.fuse_merge import merge_cluster, reported_counts
from vigil.types import Event, GeoPrecision, Mention


@dataclass(frozen=True)
class FuseConfig:
    """The parameters of fusion, from ``data/fusion.toml`` (see the comments there)."""

    threshold: float
    link_floor: float
    cluster_cap: int
    windows: Mapping[str, int]
    weights: Mapping[str, float]
    place: Mapping[str, float]
    same_sub_type: float
    same_type: float
    type_groups: tuple[tuple[frozenset[str], float], ...]
    ambiguous_words: tuple[str, ...]
    generic_groups: tuple[str, ...] = ("unspecified",)
    no_figures: float = 0.5
    other_kinds: float = 0.2
    max_candidates: int = 0  # 0: no cap


def load_fuse_config(path: Path | None = None) -> FuseConfig:
    """Read and validate the fusion parameters; ResourceError names the file and the problem."""
    where = str(path) if path else "vigil/data/fusion.toml"
    try:
        raw = path.read_text() if path else resources.files("vigil.data").joinpath("fusion.toml").read_text()
        data: dict[str, Any] = tomllib.loads(raw)
        windows = {k: int(v) for k, v in data["windows"].items()}
        weights = {k: float(v) for k, v in data["weights"].items()}
        groups = tuple((frozenset(g["types"]), float(g["score"])) for g in data["types"]["groups"])
        cfg = FuseConfig(
            threshold=float(data["threshold"]),
            link_floor=float(data["link_floor"]),
            cluster_cap=int(data["cluster_cap"]),
            max_candidates=int(data.get("max_candidates", 0)),
            windows=windows,
            weights=weights,
            place={k: float(v) for k, v in data["place"].items()},
            same_sub_type=float(data["types"]["same_sub_type"]),
            same_type=float(data["types"]["same_type"]),
            type_groups=groups,
            ambiguous_words=tuple(str(w).lower() for w in data["counts"]["ambiguous_words"]),
            generic_groups=tuple(str(w).lower() for w in data["counts"]["generic_groups"]),
            no_figures=float(data["counts"]["no_figures"]),
            other_kinds=float(data["counts"]["other_kinds"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ResourceError(f"{where}: not a valid fusion config ({type(exc).__name__}: {exc})") from exc
    missing = {"day", "week", "month", "year"} - windows.keys()
    if missing:
        raise ResourceError(f"{where}: [windows] lacks {', '.join(sorted(missing))}")
    if set(weights) != {"place", "date", "type", "actors", "counts", "text"}:
        raise ResourceError(f"{where}: [weights] must set place, date, type, actors, counts and text")
    if abs(sum(weights.values()) - 1.0) > 1e-6:
        raise ResourceError(f"{where}: [weights] add up to {sum(weights.values()):.3f}, not 1")
    for key in ("same_km", "far_km", "max_km", "same_toponym", "same_admin2", "same_admin1", "country_only"):
        if key not in cfg.place:
            raise ResourceError(f"{where}: [place] lacks {key}")
    return cfg


_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=65536)
def _fold(s: str | None) -> str | None:
    """Lower case without accents, so that Tillabéri and Tillaberi block together."""
    if not s:
        return None
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower().strip() or None


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@dataclass(slots=True)
class _Feat:
    """What scoring needs of one mention, computed once."""

    day: int
    window: int
    precision: str
    country: str
    admin1: str | None
    admin2: str | None
    toponym: str | None
    xyz: tuple[float, float, float] | None  # unit vector of a point (coordinates of a place, not of an area)
    event_type: str
    sub_event_type: str
    actors: frozenset[str]
    counts: tuple[int, ...]
    kinds: int  # bit per claim kind reported (killed, injured, abducted, arrested)
    tokens: int  # a 512-bit signature of the evidence's words (see _signature)
    new: bool

    @staticmethod
    def of_type(event_type: str) -> _Feat:
        """A blank mention of one event type (to tabulate the type scores)."""
        return _Feat(0, 0, "day", "", None, None, None, None, event_type, "", frozenset(), (), 0, 0, False)


SIGNATURE_BITS = 512
_KIND_BITS = {"killed": 1, "injured": 2, "abducted": 4, "arrested": 8}


@functools.lru_cache(maxsize=200_000)
def _bit(word: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, and fusion must give the same
    # events in every process (a re-run after a crash is compared with a clean run).
    return 1 << (zlib.crc32(word.encode()) % SIGNATURE_BITS)


def _signature(words: set[str]) -> int:
    """The evidence's content words as bits of one int: Jaccard becomes two bit operations and
    a popcount, and a million signatures take ~100 MB instead of the GBs of word sets. With
    the 10-40 words of a sentence, collisions change the score by a few hundredths."""
    sig = 0
    for w in words:
        if len(w) > 2 or w.isdigit():
            sig |= _bit(w)
    return sig


def _features(
    m: Mention,
    cfg: FuseConfig,
    stop: frozenset[str],
    new: bool,
    shared: dict[tuple[str, ...], frozenset[str]],
) -> _Feat:
    place = m.location.place
    country = (place.country_code or _fold(place.country)) if place else None
    lat = place.lat if place else None
    lon = place.lon if place else None
    point = lat is not None and lon is not None and m.location.precision != GeoPrecision.REGION
    words = set(_WORD.findall(m.evidence.text.lower())) - stop
    return _Feat(
        day=m.date.value.toordinal(),
        window=cfg.windows.get(m.date.precision, cfg.windows["year"]),
        precision=m.date.precision,
        country=country or "",
        admin1=_fold(place.admin1) if place else None,
        admin2=_fold(place.admin2) if place else None,
        # A report that names only a region shares the region with another, not a place: its
        # name counts as the same admin1, never as "the same toponym".
        toponym=None
        if m.location.precision == GeoPrecision.REGION and place and place.admin1
        else _fold(m.location.toponym),
        xyz=_unit(lat, lon) if point else None,  # type: ignore[arg-type]
        event_type=m.event_type,
        sub_event_type=m.sub_event_type,
        actors=shared.setdefault(ids, frozenset(ids))
        if (ids := tuple(a.actor.id for a in m.actors))
        else frozenset(),
        counts=tuple(sorted(set(reported_counts(m, "killed")))),
        kinds=sum(_KIND_BITS.get(k, 0) for k in {c.kind for c in m.claims}),
        tokens=_signature(words),
        new=new,
    )


EARTH_DIAMETER_KM = 12742.0


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    p, q = math.radians(lat), math.radians(lon)
    return (math.cos(p) * math.cos(q), math.cos(p) * math.sin(q), math.sin(p))


def _chord2(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """Squared straight-line distance between two points of the unit sphere: it orders pairs
    as the great-circle distance does, with no trigonometry per pair."""
    dx, dy, dz = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    return dx * dx + dy * dy + dz * dz


def _km_chord2(km: float) -> float:
    """The squared chord of a great-circle distance (the inverse of ``_km``)."""
    return (2.0 * math.sin(min(km, EARTH_DIAMETER_KM * math.pi / 2) / EARTH_DIAMETER_KM)) ** 2


def _km(chord2: float) -> float:
    """Great-circle km from the squared chord: the haversine formula's asin(sqrt(a)), a = chord²/4."""
    return EARTH_DIAMETER_KM * math.asin(min(1.0, math.sqrt(chord2) / 2))


class _Scorer:
    """Pair scores (step 2). Weights and limits are read into attributes once: at scale this
    runs tens of millions of times, and a dict lookup per weight per pair shows."""

    def __init__(self, cfg: FuseConfig) -> None:
        self.cfg = cfg
        w, p = cfg.weights, cfg.place
        self.w_place, self.w_date, self.w_type = w["place"], w["date"], w["type"]
        self.w_actors, self.w_counts, self.w_text = w["actors"], w["counts"], w["text"]
        self.same_km, self.far_km = p["same_km"], p["far_km"]
        self.same_c2, self.max_c2 = _km_chord2(p["same_km"]), _km_chord2(p["max_km"])
        self.same_toponym, self.same_admin2 = p["same_toponym"], p["same_admin2"]
        self.same_admin1, self.country_only = p["same_admin1"], p["country_only"]
        self._types: dict[tuple[str, str], float | None] = {}

    def type_score(self, a: _Feat, b: _Feat) -> float | None:
        if a.event_type == b.event_type:
            return self.cfg.same_sub_type if a.sub_event_type == b.sub_event_type else self.cfg.same_type
        key = (a.event_type, b.event_type)
        if key not in self._types:
            scores = [
                s for types, s in self.cfg.type_groups if a.event_type in types and b.event_type in types
            ]
            self._types[key] = max(scores) if scores else None
        return self._types[key]

    def place_score(self, a: _Feat, b: _Feat) -> float | None:
        if a.xyz is not None and b.xyz is not None:
            c2 = _chord2(a.xyz, b.xyz)
            if c2 > self.max_c2:
                return None
            if c2 <= self.same_c2:
                score = 1.0
            else:
                score = max(0.0, 1.0 - (_km(c2) - self.same_km) / (self.far_km - self.same_km))
        elif a.admin1 and b.admin1 and a.admin1 != b.admin1:
            return None
        elif a.admin2 and a.admin2 == b.admin2:
            score = self.same_admin2
        elif a.admin1 and a.admin1 == b.admin1:
            score = self.same_admin1
        else:
            score = self.country_only
        if a.toponym and a.toponym == b.toponym and score < self.same_toponym:
            score = self.same_toponym
        return score

    def score(self, a: _Feat, b: _Feat) -> float | None:
        """The pair score in 0..1, or None when the two cannot be one event."""
        dd = abs(a.day - b.day)
        window = a.window if a.window > b.window else b.window
        if dd > window or a.country != b.country:
            return None
        t = self.type_score(a, b)
        if t is None:
            return None
        place = self.place_score(a, b)
        if place is None:
            return None
        if a.actors is b.actors:  # one shared frozenset per combination of actors (see _features)
            actors = 1.0 if a.actors else 0.5
        elif a.actors and b.actors:
            actors = len(a.actors & b.actors) / len(a.actors | b.actors)
        else:
            actors = 0.5
        if a.counts and b.counts:
            counts = max(min(x, y) / max(x, y) for x in a.counts for y in b.counts)
        elif a.kinds and b.kinds and not a.kinds & b.kinds:
            counts = self.cfg.other_kinds  # one counts the abducted, the other the killed
        else:
            counts = self.cfg.no_figures
        text = (
            (a.tokens & b.tokens).bit_count() / (a.tokens | b.tokens).bit_count()
            if a.tokens and b.tokens
            else 0.0
        )
        return (
            self.w_place * place
            + self.w_date * (1.0 - dd / (window + 1))
            + self.w_type * t
            + self.w_actors * actors
            + self.w_counts * counts
            + self.w_text * text
        )


class _Clusters:
    """Union-find with member lists, for the average-linkage guard."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def group(self, i: int) -> list[int]:
        return self.members.get(i, [i])

    def union(self, a: int, b: int) -> int:
        ga, gb = self.group(a), self.group(b)
        if len(ga) < len(gb):
            a, b, ga, gb = b, a, gb, ga
        self.parent[b] = a
        self.members[a] = ga + gb
        self.members.pop(b, None)
        return a


class _Columns:
    """The features of all mentions as numpy columns, for scoring candidate pairs in bulk.

    ``score`` is ``_Scorer.score`` over arrays: the same terms in the same order in float64, so
    that a pair gets the score the chaining guard computes for it one pair at a time."""

    def __init__(self, feats: Sequence[_Feat], scorer: _Scorer) -> None:
        self.s = scorer
        n = len(feats)

        def ids(values: list[Any], names: dict[Any, int] | None = None) -> np.ndarray:
            """One int per distinct value, in the values' sort order; -1 for None."""
            if names is None:
                names = {None: -1}
            names.update((v, k) for k, v in enumerate(sorted(set(values) - {None})))
            return np.fromiter(map(names.__getitem__, values), np.int64, n)

        self.day = np.fromiter((f.day for f in feats), np.int64, n)
        self.window = np.fromiter((f.window for f in feats), np.int64, n)
        self.new = np.fromiter((f.new for f in feats), np.bool_, n)
        self.country = ids([f.country for f in feats])
        self.precision = ids([f.precision for f in feats])
        self.admin1 = ids([f.admin1 for f in feats])
        self.admin2 = ids([f.admin2 for f in feats])
        self.toponym = ids([f.toponym for f in feats])
        type_ids: dict[Any, int] = {None: -1}
        self.etype = ids([f.event_type for f in feats], type_ids)
        self.sub = ids([f.sub_event_type for f in feats])
        self.point = np.fromiter((f.xyz is not None for f in feats), np.bool_, n)
        self.xyz = np.array([f.xyz or (0.0, 0.0, 0.0) for f in feats], np.float64).reshape(n, 3)
        # Event types: the score of each pair of type names (NaN: never one event).
        types = [(name, k) for name, k in type_ids.items() if name is not None]
        self.type_table = np.full((len(types), len(types)), np.nan)
        for ta, ka in types:
            for tb, kb in types:
                if ta != tb:
                    t = scorer.type_score(_Feat.of_type(ta), _Feat.of_type(tb))
                    self.type_table[ka, kb] = np.nan if t is None else t
        # Actors: one id per distinct set (the sets are shared, see _features); -1 for none.
        sets: dict[int, int] = {}
        self.actor_sets: list[frozenset[str]] = []
        for f in feats:
            if id(f.actors) not in sets:
                sets[id(f.actors)] = len(sets)
                self.actor_sets.append(f.actors)
        self.actors = np.fromiter((sets[id(f.actors)] if f.actors else -1 for f in feats), np.int64, n)
        # Killed figures: up to `width` per mention (NaN pads), enough for every mention's set.
        width = max((len(f.counts) for f in feats), default=0) or 1
        self.counts = np.full((n, width), np.nan)
        for k, f in enumerate(feats):
            if f.counts:
                self.counts[k, : len(f.counts)] = f.counts
        self.has_counts = ~np.isnan(self.counts[:, 0])
        self.kinds = np.fromiter((f.kinds for f in feats), np.int64, n)
        words = SIGNATURE_BITS // 64
        raw = b"".join(f.tokens.to_bytes(SIGNATURE_BITS // 8, "little") for f in feats)
        self.tokens = np.frombuffer(raw, dtype="<u8").reshape(n, words) if n else np.zeros((0, words), "<u8")

    def reorder(self, order: np.ndarray) -> None:
        """Put the mentions' rows in ``order``: row k becomes the mention ``order[k]``."""
        for name in ("day", "window", "new", "country", "precision", "admin1", "admin2", "toponym", "etype",
                     "sub", "point", "xyz", "actors", "counts", "has_counts", "kinds", "tokens"):  # fmt: skip
            setattr(self, name, getattr(self, name)[order])

    def score(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Scores of the pairs (a[k], b[k]) of one country; NaN where they cannot be one event.
        The pairs are narrowed as they fail (date, type, then place) before the costlier terms."""
        s = self.s
        out = np.full(len(a), np.nan)
        dd = np.abs(self.day[a] - self.day[b])
        window = np.maximum(self.window[a], self.window[b])
        # Type.
        ea, eb = self.etype[a], self.etype[b]
        t = np.where(
            ea == eb,
            np.where(self.sub[a] == self.sub[b], s.cfg.same_sub_type, s.cfg.same_type),
            self.type_table[ea, eb],
        )
        rows = np.flatnonzero((dd <= window) & ~np.isnan(t))
        a, b, dd, window, t = a[rows], b[rows], dd[rows], window[rows], t[rows]
        # Place: distance between two points, else the admin areas.
        both = self.point[a] & self.point[b]
        c2 = ((self.xyz[a] - self.xyz[b]) ** 2).sum(axis=1)
        km = EARTH_DIAMETER_KM * np.arcsin(np.minimum(1.0, np.sqrt(c2) / 2))
        near = np.maximum(0.0, 1.0 - (km - s.same_km) / (s.far_km - s.same_km))
        by_point = np.where(c2 <= s.same_c2, 1.0, near)
        a1, b1 = self.admin1[a], self.admin1[b]
        a2, b2 = self.admin2[a], self.admin2[b]
        by_area = np.where(
            (a2 >= 0) & (a2 == b2),
            s.same_admin2,
            np.where((a1 >= 0) & (a1 == b1), s.same_admin1, s.country_only),
        )
        place = np.where(both, by_point, by_area)
        same_toponym = (self.toponym[a] >= 0) & (self.toponym[a] == self.toponym[b])
        place = np.where(same_toponym, np.maximum(place, s.same_toponym), place)
        keep = np.flatnonzero(np.where(both, c2 <= s.max_c2, ~((a1 >= 0) & (b1 >= 0) & (a1 != b1))))
        rows, a, b, dd, window, t, place = (
            rows[keep],
            a[keep],
            b[keep],
            dd[keep],
            window[keep],
            t[keep],
            place[keep],
        )
        # Actors: Jaccard of the two sets, computed once per pair of distinct sets.
        ia, ib = self.actors[a], self.actors[b]
        actors = np.where((ia >= 0) & (ia == ib), 1.0, 0.5)
        differ = (ia >= 0) & (ib >= 0) & (ia != ib)
        if differ.any():
            n_sets = len(self.actor_sets)
            unique, inverse = np.unique(ia[differ] * n_sets + ib[differ], return_inverse=True)
            jaccard = [
                len(self.actor_sets[k // n_sets] & self.actor_sets[k % n_sets])
                / len(self.actor_sets[k // n_sets] | self.actor_sets[k % n_sets])
                for k in unique.tolist()
            ]
            actors[differ] = np.array(jaccard)[inverse]
        # Counts: the closest pair of killed figures, else whether the kinds differ.
        ca, cb = self.counts[a], self.counts[b]
        best = np.minimum(ca[:, 0], cb[:, 0]) / np.maximum(ca[:, 0], cb[:, 0])
        several = (
            np.flatnonzero(~np.isnan(ca[:, 1]) | ~np.isnan(cb[:, 1]))
            if ca.shape[1] > 1
            else np.zeros(0, np.int64)
        )
        if len(several):  # a report with more than one figure: the best match of any two
            sa, sb = ca[several], cb[several]
            top = np.full(len(several), -1.0)
            for p in range(sa.shape[1]):
                for q in range(sb.shape[1]):
                    top = np.fmax(top, np.minimum(sa[:, p], sb[:, q]) / np.maximum(sa[:, p], sb[:, q]))
            best[several] = top  # fmax skips the NaN of a missing figure
        ka, kb = self.kinds[a], self.kinds[b]
        counts = np.where(
            self.has_counts[a] & self.has_counts[b],
            best,
            np.where((ka != 0) & (kb != 0) & ((ka & kb) == 0), s.cfg.other_kinds, s.cfg.no_figures),
        )
        # Text: Jaccard of the word signatures.
        ta, tb = self.tokens[a], self.tokens[b]
        inter = _popcount(ta & tb)
        union = _popcount(ta | tb)
        empty = ~ta.any(axis=1) | ~tb.any(axis=1)
        text = np.where(empty, 0.0, inter / np.maximum(union, 1))
        out[rows] = (
            s.w_place * place
            + s.w_date * (1.0 - dd / (window + 1))
            + s.w_type * t
            + s.w_actors * actors
            + s.w_counts * counts
            + s.w_text * text
        )
        return out


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per row of a (pairs, words) uint64 array."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    table = np.array([bin(v).count("1") for v in range(256)], np.int64)
    return table[words.view(np.uint8)].sum(axis=1)


def _candidate_pairs(feats: list[_Feat], scorer: _Scorer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The links (score >= threshold) between mentions of one block (steps 1-2), best first
    (ties by position, so that the result never depends on hashing): scores, first, second.

    A block is a country and an admin1 (a mention known only to country level is compared with
    every admin1 of its country); within it each mention is compared with the earlier ones
    (in date order) inside the wider of the two date windows. The pairs are listed and scored
    with numpy, one country at a time (``_Columns``). With a fixed date window the reports a
    mention is compared with grow with the density of news in its block: that part of the
    work is inherent. ``max_candidates`` caps it: a mention is compared with at most that many
    earlier reports of its block, the nearest in date first."""
    cols = _Columns(feats, scorer)
    cap = scorer.cfg.max_candidates
    threshold = scorer.cfg.threshold
    n = len(feats)
    # Mentions by country, then date, then input position. The columns are put in that order,
    # so that the mentions of one block lie side by side in memory while their pairs are scored
    # (at 1M mentions, gathering them from all over the arrays costs more than the arithmetic).
    order = np.lexsort((np.arange(n), cols.day, cols.country))
    cols.reorder(order)
    bounds = np.flatnonzero(np.diff(cols.country)) + 1
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start, end in zip(np.r_[0, bounds].tolist(), np.r_[bounds, n].tolist(), strict=True):
        firsts, seconds = _country_pairs(cols, np.arange(start, end), cap)
        for k in range(0, len(firsts), 200_000):
            a, b = firsts[k : k + 200_000], seconds[k : k + 200_000]
            scores = cols.score(a, b)
            keep = scores >= threshold  # NaN (incompatible) compares False
            found.append((scores[keep], a[keep], b[keep]))
    scores = np.concatenate([x[0] for x in found]) if found else np.zeros(0)
    a = order[np.concatenate([x[1] for x in found])] if found else np.zeros(0, np.int64)
    b = order[np.concatenate([x[2] for x in found])] if found else np.zeros(0, np.int64)
    best_first = np.lexsort((b, a, -scores))
    return scores[best_first], a[best_first], b[best_first]


def _country_pairs(cols: _Columns, members: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs (earlier, later) among one country's mentions, in date order."""
    day, window, admin1 = cols.day[members], cols.window[members], cols.admin1[members]
    precision = cols.precision[members]
    pos = np.arange(len(members))
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    # One list per admin1 and date precision (in date order), searched by every mention that
    # may match it: the same admin1, or one of the two known only to country level.
    key = np.lexsort((pos, precision, admin1))
    starts = np.r_[0, np.flatnonzero(np.diff(admin1[key]) | np.diff(precision[key])) + 1]
    unknown = pos[admin1 < 0]
    for lo_k, hi_k in zip(starts.tolist(), np.r_[starts[1:], len(key)].tolist(), strict=True):
        listed = key[lo_k:hi_k]  # positions, ascending (so days ascending too)
        area = int(admin1[listed[0]])
        asking = pos if area < 0 else np.union1d(pos[admin1 == area], unknown)
        lookback = np.maximum(window[asking], window[listed[0]])
        lo = np.searchsorted(day[listed], day[asking] - lookback, "left")
        hi = np.searchsorted(listed, asking, "left")  # only the mentions before the one asking
        count = np.maximum(hi - lo, 0)
        total = int(count.sum())
        if not total:
            continue
        offsets = np.repeat(np.cumsum(count) - count, count)
        firsts.append(listed[np.repeat(lo, count) + np.arange(total) - offsets])
        seconds.append(np.repeat(asking, count))
    if not firsts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = members[np.concatenate(firsts)], members[np.concatenate(seconds)]
    keep = cols.new[a] | cols.new[b]  # both already fused: that decision stands
    a, b = a[keep], b[keep]
    if cap:
        # The nearest `cap` in date of each mention's candidates (ties: the earlier input).
        near = np.lexsort((a, cols.day[b] - cols.day[a], b))
        a, b = a[near], b[near]
        group = np.r_[0, np.flatnonzero(np.diff(b)) + 1]
        rank = np.arange(len(b)) - np.repeat(group, np.diff(np.r_[group, len(b)]))
        a, b = a[rank < cap], b[rank < cap]
    return a, b


def _cluster(feats: list[_Feat], seeds: list[list[int]], scorer: _Scorer) -> _Clusters:
    """Union-find over the links, best first, with the chaining guard (step 3)."""
    cfg = scorer.cfg
    uf = _Clusters(len(feats))
    for members in seeds:
        for j in members[1:]:
            uf.union(uf.find(members[0]), uf.find(j))
    scores, firsts, seconds = _candidate_pairs(feats, scorer)
    # The guard's cross pairs are mostly links already scored in bulk (nine in ten on the
    # synthetic set): look those up, score the others one by one. Keys are i * n + j, i < j.
    n = len(feats)
    linked = dict(
        zip(
            (np.minimum(firsts, seconds) * n + np.maximum(firsts, seconds)).tolist(),
            scores.tolist(),
            strict=True,
        )
    )
    del scores
    # Two clusters that failed the guard fail it again until one of them grows: remember the
    # refusals by (roots, sizes) instead of scoring the same cross pairs once per link between them.
    refused: set[tuple[int, int, int, int]] = set()
    for i, j in zip(firsts.tolist(), seconds.tolist(), strict=True):
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        gi, gj = uf.group(ri), uf.group(rj)
        if len(gi) + len(gj) > cfg.cluster_cap:
            continue
        if len(gi) > 1 or len(gj) > 1:
            key = (ri, rj, len(gi), len(gj)) if ri < rj else (rj, ri, len(gj), len(gi))
            if key in refused:
                continue
            total = 0.0
            ok = True
            for a in gi:
                for b in gj:
                    s = linked.get(a * n + b if a < b else b * n + a)
                    if s is None:
                        s = scorer.score(feats[a], feats[b])
                    if s is None:
                        ok = False
                        break
                    total += s
                if not ok:
                    break
            if not ok or total / (len(gi) * len(gj)) < cfg.link_floor:
                refused.add(key)
                continue
        uf.union(ri, rj)
    return uf


def new_event_id(first: Mention) -> str:
    """A new event's id, from the key of its first report: the same input gives the same id."""
    return "ev_" + hashlib.sha1(first.key.encode()).hexdigest()[:16]


def fuse(
    mentions: Sequence[Mention],
    existing: Sequence[Event] = (),
    *,
    config: FuseConfig | None = None,
    published: Mapping[str, dt.date | None] | None = None,
) -> list[Event]:
    """Fuse ``mentions`` with each other and into ``existing`` events; returns every event.

    ``existing`` is in creation order (the first keeps its id when two merge). Background
    mentions (context with no date of their own) never make events and are left out.
    ``published`` maps article ids to publication dates, used by the fatality rule (a later
    credible toll supersedes an earlier one); without it all reports count as simultaneous.
    Pass each new mention once; one already in ``existing`` is skipped.
    """
    cfg = config or load_fuse_config()
    # Fusion allocates millions of small objects and makes no reference cycles: the cyclic
    # collector would rescan all of them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _fuse(mentions, existing, cfg, published)
    finally:
        if collecting:
            gc.enable()


def _fuse(
    mentions: Sequence[Mention],
    existing: Sequence[Event],
    cfg: FuseConfig,
    published: Mapping[str, dt.date | None] | None,
) -> list[Event]:
    scorer = _Scorer(cfg)
    stop = _stop_words()
    actor_sets: dict[tuple[str, ...], frozenset[str]] = {}  # one frozenset per actor combination
    all_mentions: list[Mention] = []
    feats: list[_Feat] = []
    seeds: list[list[int]] = []
    owner: dict[int, int] = {}  # first member index -> position of its event in `existing`
    for pos, ev in enumerate(existing):
        start = len(all_mentions)
        for m in ev.mentions:
            all_mentions.append(m)
            feats.append(_features(m, cfg, stop, False, actor_sets))
        seeds.append(list(range(start, len(all_mentions))))
        owner[start] = pos
    # A mention already in a stored event is not fused again (keys as tuples: no new strings).
    seen = {(m.article_id, m.index) for m in all_mentions}
    for m in mentions:
        if m.background or (m.article_id, m.index) in seen:
            continue
        all_mentions.append(m)
        feats.append(_features(m, cfg, stop, True, actor_sets))
    uf = _cluster(feats, seeds, scorer)
    del feats  # the largest structure; the merge below needs only the mentions
    groups: dict[int, list[int]] = {}
    for i in range(len(all_mentions)):
        groups.setdefault(uf.find(i), []).append(i)
    events: list[tuple[int, Event]] = []
    for members in groups.values():
        members.sort()
        owners = [owner[i] for i in members if i in owner]
        base = existing[min(owners)] if owners else None
        event_id = base.id if base else new_event_id(all_mentions[members[0]])
        merged = merge_cluster(event_id, [all_mentions[i] for i in members], cfg, published)
        events.append((min(owners) if owners else len(existing) + members[0], merged))
    events.sort(key=lambda x: x[0])
    return [e for _k, e in events]
