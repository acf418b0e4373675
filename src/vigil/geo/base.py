"""The interface between extraction and geocoding.

Extraction asks a ``Geocoder`` where the event told in one stretch of text happened; evaluation
asks it for every toponym in a text (geoparsing) or to resolve toponyms it is given.
"""

from __future__ import annotations

from typing import Protocol

from spacy.tokens import Doc

from vigil.types import Location, Span


class Geocoder(Protocol):
    def locate(self, doc: Doc, evidence: Span) -> Location:
        """Where the event told in ``evidence`` (a sentence or paragraph of ``doc``) happened.

        Uses the rest of the document as context (the country and region it names). Never
        raises for text it cannot place: it returns a Location with ``place=None`` or a
        country-level place and a ``reason``."""
        ...

    def geoparse(self, doc: Doc) -> list[Location]:
        """Every toponym in ``doc``, each resolved (``place`` None when unresolved), with spans."""
        ...

    def resolve(self, doc: Doc, spans: list[Span]) -> list[Location]:
        """Resolve the given toponym spans of ``doc`` (gold spans, for evaluation)."""
        ...
