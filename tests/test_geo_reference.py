"""Acceptance on the reference article: the village with a village-level gazetteer, the region
without one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vigil.geo import Gazetteer, GazetteerGeocoder, ensure_gazetteer, load_geocoder
from vigil.geo.importer import Writer, import_file
from vigil.geo.words import load_words
from vigil.types import GeoPrecision, Span

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def reference(shared: Path, nlp):
    raw = (shared / "data" / "seed" / "niger-teguey-2024-03-23.txt").read_text(encoding="utf-8")
    text = raw.strip().split(" ", 2)[2]  # drop the "date YYYY-MM-DD" prefix
    doc = nlp(text)
    sent = next(s for s in doc.sents if "convoy" in s.text)
    return doc, Span(sent.start_char, sent.end_char, sent.text)


@pytest.fixture(scope="module")
def ne_gazetteer(settings, shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default gazetteer plus GeoNames' Niger file and admin codes, in a copy."""
    path = tmp_path_factory.mktemp("gaz-ne") / "gazetteer.sqlite"
    shutil.copy(ensure_gazetteer(settings.gazetteer_path), path)
    writer = Writer(path)
    try:
        for name in ("NE.txt", "admin1CodesASCII.txt"):
            import_file(writer, shared / "data" / "geonames" / name)
    finally:
        writer.close()
    return path


def test_teguey_resolves_with_the_niger_file(reference, ne_gazetteer: Path) -> None:
    doc, evidence = reference
    loc = GazetteerGeocoder(Gazetteer(ne_gazetteer), load_words()).locate(doc, evidence)
    assert loc.place is not None
    assert loc.place.geonameid == 2438915
    assert loc.place.lat == pytest.approx(14.65285) and loc.place.lon == pytest.approx(0.53683)
    assert loc.place.admin1 == "Tillabéri"
    assert loc.place.country_code == "NE"
    assert loc.precision == GeoPrecision.NEAR
    assert loc.toponym == "Teguey"
    assert doc.text[loc.span.start:loc.span.end] == "Teguey"


def test_default_gazetteer_keeps_the_toponym_at_region_precision(reference, settings) -> None:
    doc, evidence = reference
    loc = load_geocoder(settings).locate(doc, evidence)
    assert loc.place is not None
    assert loc.place.admin1 == "Tillabéri"
    assert loc.place.country_code == "NE"
    assert loc.precision == GeoPrecision.REGION
    assert loc.toponym == "Teguey"
    assert loc.reason and "Teguey" in loc.reason
