"""Shared fixtures: real components, loaded once per test session."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, or skip the test where it is absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"{SHARED} is absent")
    return SHARED


@pytest.fixture(scope="session")
def vigil_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vigil-home")


@pytest.fixture(scope="session")
def settings(vigil_home: Path):
    from vigil.settings import load_settings

    return dataclasses.replace(load_settings(env={}), home=str(vigil_home))


@pytest.fixture(scope="session")
def nlp():
    from vigil.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def resources(settings, nlp):
    """The real pipeline resources: model, lexicon, actor dictionary, default gazetteer."""
    from vigil.actors import load_actors
    from vigil.extract.lexicon import load_lexicon
    from vigil.geo import load_geocoder
    from vigil.pipeline import Resources

    return Resources(nlp=nlp, lexicon=load_lexicon(), actors=load_actors(), geocoder=load_geocoder(settings))
