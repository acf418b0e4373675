"""Evaluation against gold data: readers for GTD, ACLED and geoparsing gold files, scoring, and the
runner behind `vigil eval`. See ``gold``, ``score``, ``geoscore`` and ``run``."""

from vigil.eval.geoscore import auc, score_article, score_given
from vigil.eval.gold import GoldArticle, GoldEvent, GoldToponym, read_acled, read_geoparsing, read_gtd, sample
from vigil.eval.matching import Matcher, haversine_km, load_attack_types, load_matching_rules
from vigil.eval.score import conservative_total, score_mention, score_record

__all__ = [
    "GoldArticle",
    "GoldEvent",
    "GoldToponym",
    "Matcher",
    "auc",
    "conservative_total",
    "haversine_km",
    "load_attack_types",
    "load_matching_rules",
    "read_acled",
    "read_geoparsing",
    "read_gtd",
    "sample",
    "score_article",
    "score_given",
    "score_mention",
    "score_record",
]
