"""Running an evaluation: gold records through the real pipeline, scored and tallied.

The pipeline is used only through its interfaces (``Resources``, ``code_articles``, the
``Geocoder`` protocol), with resources loaded once by the caller and passed in.

Text given to the pipeline:
- gtd / acled: the gold text goes through ``ingest.make_article`` exactly as a real report would
  (normalised, boilerplate dropped), with the record's publication date (see ``gold.py``).
- geoparsing: the gold text is parsed as it stands, without ingest's normalisation, so that the
  gold character offsets stay valid; the geocoder, not ingest, is what is measured there.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vigil.errors import InputError
from vigil.eval.geoscore import ACC_KM, ArticleScore, GeoTally, score_article, score_given
from vigil.eval.gold import GoldArticle, GoldEvent
from vigil.eval.matching import Matcher
from vigil.eval.score import EVENT_KEYS, RecordScore, Tally, score_record
from vigil.types import Article, Mention, Span

if TYPE_CHECKING:
    from vigil.pipeline import Resources

CONTEXT_CHARS = 100  # characters either side of a toponym quoted in --errors


def _write(errors: TextIO | None, line: dict[str, Any]) -> None:
    if errors is not None:
        errors.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


def _write_misses(errors: TextIO | None, gold: GoldEvent, score: RecordScore) -> None:
    if errors is None:
        return
    if not score.detected:
        _write(errors, {"record": gold.record, "field": "detected", "gold": True, "vigil": False, "text": gold.text})
    for outcome in score.outcomes.values():
        if not outcome.hit and score.detected:
            _write(errors, {"record": gold.record, "field": outcome.key, "gold": outcome.gold,
                            "vigil": outcome.vigil, "text": gold.text})


def code_gold(records: Sequence[GoldEvent], res: Resources, batch_size: int = 32) -> list[list[Mention] | InputError]:
    """Vigil's mentions for every gold record's text, in order; an InputError where ingest refused it."""
    from vigil.ingest import Cleaner, make_article
    from vigil.pipeline import code_articles

    cleaner = Cleaner.load()  # once, not per record
    results: list[list[Mention] | InputError] = []
    articles: list[Article] = []
    positions: list[int] = []
    for gold in records:
        try:
            article = make_article(gold.text, published=gold.published, origin=gold.record, cleaner=cleaner)
        except InputError as exc:
            results.append(exc)
            continue
        positions.append(len(results))
        results.append([])
        articles.append(article)
    for position, (_, mentions) in zip(positions, code_articles(articles, res, batch_size=batch_size), strict=True):
        results[position] = mentions
    return results


def evaluate_events(
    records: Sequence[GoldEvent],
    fmt: str,
    res: Resources,
    matcher: Matcher,
    *,
    batch_size: int = 32,
    errors: TextIO | None = None,
) -> dict[str, Any]:
    """Score GTD or ACLED gold records; the metrics of ``EVENT_KEYS[fmt]`` with denominators."""
    started = time.perf_counter()
    coded = code_gold(records, res, batch_size)
    seconds = time.perf_counter() - started
    tally = Tally()
    refused = 0
    for gold, result in zip(records, coded, strict=True):
        if isinstance(result, InputError):
            refused += 1
            _write(errors, {"record": gold.record, "field": "input", "gold": None, "vigil": str(result), "text": gold.text})
            result = []
        score = score_record(gold, result, matcher, fmt)
        tally.add(score)
        _write_misses(errors, gold, score)
    metrics = tally.metrics(EVENT_KEYS[fmt])
    metrics["refused_by_ingest"] = refused
    metrics["seconds"] = round(seconds, 2)
    metrics["articles_per_s"] = round(len(records) / seconds, 1) if seconds > 0 else None
    return metrics


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]


def _write_geo_misses(errors: TextIO | None, gold: GoldArticle, score: ArticleScore) -> None:
    if errors is None:
        return
    for out in score.outcomes:
        top = out.gold
        where = {"record": gold.record, "text": _context(gold.text, top.start, top.end)}
        if out.found is None:
            _write(errors, {**where, "field": "toponym", "gold": top.name, "vigil": None})
        elif out.km is not None and out.km > ACC_KM:
            place = out.found.place
            vigil = None if place is None else [place.name, place.country_code, place.lat, place.lon, place.geonameid]
            _write(errors, {**where, "field": "toponym_km", "gold": [top.name, top.lat, top.lon, top.geonameid],
                            "vigil": vigil, "km": round(out.km, 1)})
    for loc in score.spurious:
        assert loc.span is not None
        _write(errors, {"record": gold.record, "field": "spurious", "gold": None, "vigil": loc.span.text,
                        "text": _context(gold.text, loc.span.start, loc.span.end)})


def evaluate_geoparsing(
    articles: Sequence[GoldArticle],
    res: Resources,
    *,
    given_toponyms: bool = False,
    batch_size: int = 32,
    errors: TextIO | None = None,
) -> dict[str, Any]:
    """Score the geocoder on LGL / GeoWebNews articles: ``geoparse`` (recognition and resolution)
    or, with ``given_toponyms``, ``resolve`` on the gold spans (resolution only)."""
    tally = GeoTally()
    started = time.perf_counter()
    docs = res.nlp.pipe((a.text for a in articles), batch_size=batch_size)
    for gold, doc in zip(articles, docs, strict=True):
        if given_toponyms:
            spans = [Span(t.start, t.end, gold.text[t.start : t.end]) for t in gold.toponyms if t.lat is not None]
            score = score_given(gold, res.geocoder.resolve(doc, spans))
        else:
            score = score_article(gold, res.geocoder.geoparse(doc))
        tally.add(gold, score)
        _write_geo_misses(errors, gold, score)
    seconds = time.perf_counter() - started
    metrics = tally.metrics(given_toponyms=given_toponyms)
    metrics["seconds"] = round(seconds, 2)
    metrics["articles_per_s"] = round(len(articles) / seconds, 1) if seconds > 0 else None
    return metrics
