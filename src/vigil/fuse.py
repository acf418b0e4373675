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

import bisect
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
    lat: float | None
    lon: float | None
    point: bool  # coordinates of a place, not of an admin area
    event_type: str
    sub_event_type: str
    actors: frozenset[str]
    counts: tuple[int, ...]
    kinds: int  # bit per claim kind reported (killed, injured, abducted, arrested)
    tokens: int  # a 512-bit signature of the evidence's words (see _signature)
    new: bool


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
        toponym=_fold(m.location.toponym),
        lat=lat,
        lon=lon,
        point=point,
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


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


class _Scorer:
    def __init__(self, cfg: FuseConfig) -> None:
        self.cfg = cfg
        self.w = cfg.weights
        self.p = cfg.place
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
        p = self.p
        if a.point and b.point:
            d = _km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
            if d > p["max_km"]:
                return None
            score = (
                1.0
                if d <= p["same_km"]
                else max(0.0, 1.0 - (d - p["same_km"]) / (p["far_km"] - p["same_km"]))
            )
        elif a.admin1 and b.admin1 and a.admin1 != b.admin1:
            return None
        elif a.admin2 and a.admin2 == b.admin2:
            score = p["same_admin2"]
        elif a.admin1 and a.admin1 == b.admin1:
            score = p["same_admin1"]
        else:
            score = p["country_only"]
        if a.toponym and a.toponym == b.toponym:
            score = max(score, p["same_toponym"])
        return score

    def score(self, a: _Feat, b: _Feat) -> float | None:
        """The pair score in 0..1, or None when the two cannot be one event."""
        dd = abs(a.day - b.day)
        window = max(a.window, b.window)
        if dd > window or a.country != b.country:
            return None
        t = self.type_score(a, b)
        if t is None:
            return None
        place = self.place_score(a, b)
        if place is None:
            return None
        w = self.w
        actors = len(a.actors & b.actors) / len(a.actors | b.actors) if a.actors and b.actors else 0.5
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
            w["place"] * place
            + w["date"] * (1.0 - dd / (window + 1))
            + w["type"] * t
            + w["actors"] * actors
            + w["counts"] * counts
            + w["text"] * text
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


def _candidate_pairs(feats: list[_Feat], scorer: _Scorer) -> list[tuple[float, int, int]]:
    """Scored links (score >= threshold) between mentions in the same block (steps 1-2)."""
    threshold = scorer.cfg.threshold
    windows = scorer.cfg.windows
    order = sorted(range(len(feats)), key=lambda i: (feats[i].country, feats[i].day))
    links: list[tuple[float, int, int]] = []
    # Per country: admin1 -> precision -> (days, indices), both in day order.
    buckets: dict[str | None, dict[str, tuple[list[int], list[int]]]] = {}
    country = None
    for i in order:
        f = feats[i]
        if f.country != country:
            country, buckets = f.country, {}
        if f.admin1 is None:
            lists = list(buckets.values())
        else:
            lists = [b for b in (buckets.get(f.admin1), buckets.get(None)) if b is not None]
        for by_precision in lists:
            for precision, (days, idx) in by_precision.items():
                lookback = max(f.window, windows.get(precision, windows["year"]))
                for k in range(bisect.bisect_left(days, f.day - lookback), len(days)):
                    j = idx[k]
                    g = feats[j]
                    if not (f.new or g.new):
                        continue  # both already fused: that decision stands
                    s = scorer.score(g, f)
                    if s is not None and s >= threshold:
                        links.append((s, j, i))
        days, idx = buckets.setdefault(f.admin1, {}).setdefault(f.precision, ([], []))
        days.append(f.day)
        idx.append(i)
    return links


def _cluster(feats: list[_Feat], seeds: list[list[int]], scorer: _Scorer) -> _Clusters:
    """Union-find over the links, best first, with the chaining guard (step 3)."""
    cfg = scorer.cfg
    uf = _Clusters(len(feats))
    for members in seeds:
        for j in members[1:]:
            uf.union(uf.find(members[0]), uf.find(j))
    links = _candidate_pairs(feats, scorer)
    # Best links first, ties broken by position so that the result does not depend on hashing.
    links.sort(key=lambda x: (-x[0], x[1], x[2]))
    for _s, i, j in links:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        gi, gj = uf.group(ri), uf.group(rj)
        if len(gi) + len(gj) > cfg.cluster_cap:
            continue
        if len(gi) > 1 or len(gj) > 1:
            total = 0.0
            ok = True
            for a in gi:
                for b in gj:
                    s = scorer.score(feats[a], feats[b])
                    if s is None:
                        ok = False
                        break
                    total += s
                if not ok:
                    break
            if not ok or total / (len(gi) * len(gj)) < cfg.link_floor:
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
