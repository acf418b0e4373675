"""Extraction: triggers, numbers, claims, attribution and mention assembly (time in ``time``).

``load_lexicon()`` once per process, then ``extract_mentions(doc, article, lexicon=...,
actors=..., geocoder=...)`` per parsed article.
"""

from __future__ import annotations

from vigil.extract.lexicon import Lexicon, load_lexicon
from vigil.extract.mentions import extract_mentions

__all__ = ["Lexicon", "extract_mentions", "load_lexicon"]
