"""Acceptance on the reference article (../shared/data/seed), with Niger's village-level
GeoNames file imported, as `vigil gazetteer import NE.txt` would do."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from vigil.extract import extract_mentions
from vigil.ingest import read_inputs
from vigil.types import Article, GeoPrecision, Mention

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def niger_geocoder(shared: Path, settings, resources, tmp_path_factory: pytest.TempPathFactory):
    from vigil.geo import Gazetteer, GazetteerGeocoder
    from vigil.geo.importer import Writer, import_file
    from vigil.geo.words import load_words

    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    shutil.copy(settings.gazetteer_path, path)  # the default one the session built
    writer = Writer(path)
    try:
        for name in ("admin1CodesASCII.txt", "NE.txt"):
            import_file(writer, shared / "data" / "geonames" / name)
    finally:
        writer.close()
    return GazetteerGeocoder(Gazetteer(path), load_words())


@pytest.fixture(scope="module")
def reference(shared: Path, resources, niger_geocoder) -> tuple[Article, list[Mention]]:
    [article] = list(read_inputs([str(shared / "data" / "seed" / "niger-teguey-2024-03-23.txt")]))
    assert isinstance(article, Article), article
    doc = resources.nlp(article.text)
    return article, extract_mentions(doc, article, lexicon=resources.lexicon, actors=resources.actors, geocoder=niger_geocoder)


def test_one_violent_event(reference):
    _, mentions = reference
    violent = [m for m in mentions if not m.background]
    assert len(violent) == 1
    # the political background is never a violent event on the publication date
    assert all(m.event_type == "Strategic developments" for m in mentions if m.background)


def test_type_date_place(reference):
    _, mentions = reference
    [m] = [m for m in mentions if not m.background]
    assert (m.event_type, m.sub_event_type) == ("Battles", "Armed clash")
    assert (m.date.value, m.date.precision) == (dt.date(2024, 3, 20), "day")
    assert m.location.toponym == "Teguey"
    assert (m.location.country, m.location.admin1) == ("Niger", "Tillabéri")
    assert m.location.precision in (GeoPrecision.PLACE, GeoPrecision.NEAR)


def test_actors_and_responsibility(reference):
    _, mentions = reference
    [m] = [m for m in mentions if not m.background]
    roles = {(a.role, a.actor.name) for a in m.actors}
    assert roles == {("actor1", "Islamic State Sahel Province"), ("actor2", "Military Forces of Niger")}
    assert m.responsibility is not None and m.responsibility.actor.name == "Islamic State Sahel Province"


def test_claims_with_sources(reference):
    _, mentions = reference
    [m] = [m for m in mentions if not m.background]
    got = {(c.kind, c.value, c.group, c.exact, c.source_kind) for c in m.claims}
    assert ("killed", 23, "soldiers", True, "official") in got
    assert ("killed", 30, "soldiers", True, "perpetrator") in got
    assert ("killed", 30, "attackers", False, "unattributed") in got
    assert ("injured", 17, "soldiers", True, "official") in got
    ministry = next(c for c in m.claims if c.value == 23)
    assert ministry.source is not None and "defence ministry" in ministry.source


def test_every_field_span_is_in_the_text(reference):
    article, mentions = reference
    for m in mentions:
        spans = [m.trigger, m.evidence, m.date.span, m.location.span, *(c.span for c in m.claims)]
        spans += [c.source_span for c in m.claims] + [a.span for a in m.actors]
        spans += [m.responsibility.span] if m.responsibility else []
        for span in spans:
            if span is not None:
                assert article.text[span.start : span.end] == span.text
    [m] = [m for m in mentions if not m.background]
    assert m.date.span is not None and m.date.span.text == "Wednesday this week"
