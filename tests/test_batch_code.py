"""code_partition in this process with the real pipeline: what a worker writes, and how one
article that breaks the extractor is isolated instead of failing its whole partition."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from vigil.batch import _code_isolated, code_partition
from vigil.batch_io import Layout, ids_digest, read_partition
from vigil.ingest import make_article
from vigil.pipeline import code_articles

STORY = (
    "Gunmen killed nine villagers in an attack on a village near Mopti in central Mali on Sunday, "
    "a local official said. The attackers burned houses and granaries before they fled."
)
OTHER = (
    "Hundreds of people marched through Niamey on Saturday to demand the release of a journalist "
    "who was arrested last month, witnesses said. The march ended without violence."
)


def _articles():
    import datetime as dt

    return [
        make_article(STORY, published=dt.date(2024, 3, 5), origin="desk/a.txt"),
        make_article(OTHER, published=dt.date(2024, 3, 4), origin="desk/b.txt"),
    ]


def test_code_partition_writes_what_code_articles_returns(resources, settings, tmp_path: Path) -> None:
    articles = _articles()
    marker = code_partition(4, articles, str(tmp_path), settings, resources=resources)
    assert marker["digest"] == ids_digest([a.id for a in articles]) and marker["attempts"] == 1
    assert marker["errors"] == [] and marker["peak_rss_mb"] > 0
    assert json.loads(Layout(tmp_path).marker(4).read_text()) == marker
    expected = list(code_articles(articles, resources))
    assert sum(len(ms) for _, ms in expected) >= 1  # the story is coded as at least one event
    assert read_partition(Layout(tmp_path), 4) == expected
    assert marker["mentions"] == sum(len(ms) for _, ms in expected)


def test_an_article_that_breaks_coding_is_isolated(resources) -> None:
    good, other = _articles()
    # Text that is not a string: spaCy refuses it, which fails the batch it is in.
    broken = dataclasses.replace(good, id="broken", text=None, origin="feed.jsonl:7")  # type: ignore[arg-type]
    coded, errors = _code_isolated([good, broken, other], resources, batch_size=8)
    assert [a.origin for a, _ in coded] == ["desk/a.txt", "desk/b.txt"]
    assert len(errors) == 1 and errors[0][0] == "feed.jsonl:7" and errors[0][1].startswith("coding failed: ")
    assert coded == list(code_articles([good, other], resources))
