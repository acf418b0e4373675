"""Scoring geoparsing: gold toponyms (LGL, GeoWebNews) against the Locations Vigil's geocoder
returns, with the metrics of Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation".

- recall: share of gold toponyms (those with coordinates) that a Vigil toponym span overlaps;
- precision: share of Vigil toponyms that overlap a gold annotation (one without coordinates
  counts too: it is still a place name; GeoWebNews' "Non_Toponym" annotations do not);
- distance metrics over the recalled gold toponyms: a recalled toponym that Vigil could not
  resolve gets the largest possible error (20039 km), as Gritta et al. do;
- exact (with given toponyms): same GeoNames id, where the gold has one.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vigil.eval.gold import GoldArticle, GoldToponym
from vigil.eval.matching import MAX_ERROR_KM, haversine_km
from vigil.eval.score import share
from vigil.types import Location

ACC_KM = 161  # 100 miles, the customary threshold of "accuracy at k"


def auc(errors_km: Sequence[float]) -> float | None:
    """Gritta et al.'s area under the curve of log error distance, in [0, 1]; lower is better.

    The errors are sorted and put on a log scale, ``log(1 + km) / log(20039)`` so that the largest
    possible error is 1, and the curve is integrated with the trapezoidal rule over an index
    normalised to [0, 1] (n - 1 steps of width 1 / (n - 1)). One error has no curve: its own
    scaled value is returned. No error at all gives None."""
    if not errors_km:
        return None
    scaled = sorted(math.log1p(min(max(e, 0.0), MAX_ERROR_KM)) / math.log(MAX_ERROR_KM) for e in errors_km)
    if len(scaled) == 1:
        return scaled[0]
    steps = len(scaled) - 1
    area = sum((a + b) / 2 for a, b in zip(scaled, scaled[1:], strict=False))
    return area / steps


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _error_km(gold: GoldToponym, loc: Location) -> float:
    place = loc.place
    if place is None or place.lat is None or place.lon is None or gold.lat is None or gold.lon is None:
        return MAX_ERROR_KM
    return haversine_km(gold.lat, gold.lon, place.lat, place.lon)


@dataclass(frozen=True, slots=True)
class ToponymOutcome:
    gold: GoldToponym
    found: Location | None
    km: float | None  # None when not found


@dataclass(slots=True)
class ArticleScore:
    record: str
    outcomes: list[ToponymOutcome] = field(default_factory=list)  # gold toponyms with coordinates
    spurious: list[Location] = field(default_factory=list)  # Vigil toponyms overlapping no gold
    n_vigil: int = 0


def score_article(gold: GoldArticle, locations: Sequence[Location]) -> ArticleScore:
    """Match Vigil's toponyms to the gold ones by overlapping span (the largest overlap wins; each
    Vigil toponym answers for at most one gold toponym)."""
    score = ArticleScore(gold.record)
    spanned = [loc for loc in locations if loc.span is not None]
    score.n_vigil = len(spanned)
    used: set[int] = set()
    for top in gold.toponyms:
        if top.lat is None:
            continue
        best, best_overlap = None, 0
        for i, loc in enumerate(spanned):
            assert loc.span is not None
            size = _overlap(top.start, top.end, loc.span.start, loc.span.end)
            if size > best_overlap and i not in used:
                best, best_overlap = i, size
        if best is None:
            score.outcomes.append(ToponymOutcome(top, None, None))
        else:
            used.add(best)
            score.outcomes.append(ToponymOutcome(top, spanned[best], _error_km(top, spanned[best])))
    annotated = [t for t in gold.toponyms if t.is_toponym]
    for loc in spanned:
        assert loc.span is not None
        s, e = loc.span.start, loc.span.end
        if not any(_overlap(t.start, t.end, s, e) for t in annotated):
            score.spurious.append(loc)
    return score


def score_given(gold: GoldArticle, locations: Sequence[Location]) -> ArticleScore:
    """Score ``locations``, Vigil's resolution of the gold toponyms with coordinates, in order
    (``geocoder.resolve`` with the gold spans: recognition is given, only resolution is measured)."""
    tops = [t for t in gold.toponyms if t.lat is not None]
    if len(tops) != len(locations):
        raise ValueError(f"{gold.record}: {len(tops)} gold toponyms but {len(locations)} resolved locations")
    score = ArticleScore(gold.record, n_vigil=len(locations))
    score.outcomes = [ToponymOutcome(t, loc, _error_km(t, loc)) for t, loc in zip(tops, locations, strict=True)]
    return score


@dataclass(slots=True)
class GeoTally:
    n_articles: int = 0
    n_toponyms: int = 0
    found: int = 0
    n_vigil: int = 0
    spurious: int = 0
    errors: list[float] = field(default_factory=list)
    exact: int = 0
    n_exact: int = 0
    resolved: int = 0
    misaligned: int = 0

    def add(self, gold: GoldArticle, score: ArticleScore) -> None:
        self.n_articles += 1
        self.misaligned += gold.misaligned
        self.n_vigil += score.n_vigil
        self.spurious += len(score.spurious)
        for out in score.outcomes:
            self.n_toponyms += 1
            if out.found is None or out.km is None:
                continue
            self.found += 1
            self.resolved += out.found.place is not None
            self.errors.append(out.km)
            if out.gold.geonameid is not None:
                self.n_exact += 1
                place = out.found.place
                self.exact += place is not None and place.geonameid == out.gold.geonameid

    def metrics(self, *, given_toponyms: bool) -> dict[str, Any]:
        """The geoparsing metrics, each with its denominator ``n_<key>``."""
        n_err = len(self.errors)
        result: dict[str, Any] = {
            "n_articles": self.n_articles,
            "n_toponyms": self.n_toponyms,
            "recall": None if given_toponyms else share(self.found, self.n_toponyms),
            "n_recall": self.n_toponyms,
            "precision": None if given_toponyms else share(self.n_vigil - self.spurious, self.n_vigil),
            "n_precision": self.n_vigil,
            "resolved": share(self.resolved, self.found),
            "n_resolved": self.found,
            "acc_161km": share(sum(e <= ACC_KM for e in self.errors), n_err),
            "n_acc_161km": n_err,
            "median_km": round(statistics.median(self.errors), 1) if self.errors else None,
            "n_median_km": n_err,
            "mean_km": round(statistics.fmean(self.errors), 1) if self.errors else None,
            "n_mean_km": n_err,
            "auc": None if (a := auc(self.errors)) is None else round(a, 4),
            "n_auc": n_err,
            "misaligned_gold": self.misaligned,
        }
        if given_toponyms:
            result["exact"], result["n_exact"] = share(self.exact, self.n_exact), self.n_exact
        return result
