"""POST /api/articles: off without an API key, then key required, body bounded; with the real
pipeline (spaCy model, lexicon, actors, gazetteer) and the real store on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api_support import fresh_pg_database, pg_available
from vigil.api import create_app
from vigil.api.ingest_http import make_ingest

KEY = "test-key-4f1c"
# Invented reports, written for this test.
VIOLENT = (
    "Gunmen killed 7 villagers in an attack on a market in northern Burkina Faso on Tuesday, local "
    "officials said. The attackers burned shops and stole cattle before fleeing on motorbikes."
)
FRENCH = (
    "Des hommes armés ont attaqué un marché dans le nord du pays mardi, selon les autorités locales, "
    "et ont incendié plusieurs boutiques avant de prendre la fuite."
)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database per backend, only for this module's writes."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('ingest-db') / 'ingest.db'}"
        return
    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    with fresh_pg_database() as url:
        yield url


def make_client(settings: Any, db_url: str, resources: Any, **changes: Any) -> httpx.Client:
    from starlette.testclient import TestClient

    from vigil.store import open_store

    store = open_store(db_url)
    # The loader is called on the first accepted request only; tests that are refused before
    # coding never load anything.
    ingest = make_ingest(lambda: resources(), store)
    app = create_app(dataclasses.replace(settings, db=db_url, **changes), engine=store.engine, ingest=ingest)
    return TestClient(app, raise_server_exceptions=False)


def error_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error"]["status"] == status
    return str(response.json()["error"]["message"])


def test_ingestion_is_off_without_a_key(settings: Any, db_url: str, request: pytest.FixtureRequest) -> None:
    client = make_client(settings, db_url, lambda: request.getfixturevalue("resources"))
    assert "api_key" in error_of(client.post("/api/articles", json={"text": VIOLENT}), 403)


@pytest.mark.parametrize(
    ("headers", "body", "status", "words"),
    [
        ({}, {"text": VIOLENT}, 401, "X-API-Key"),
        ({"X-API-Key": "wrong"}, {"text": VIOLENT}, 401, "X-API-Key"),
        ({"X-API-Key": KEY}, {"text": ""}, 422, "text"),
        ({"X-API-Key": KEY}, {"text": VIOLENT, "colour": "red"}, 422, "colour"),
        ({"X-API-Key": KEY}, {"text": VIOLENT, "published": "last week"}, 422, "published"),
        ({"X-API-Key": KEY}, [{"text": "a"}] * 1001, 413, "1000"),
        ({"X-API-Key": KEY}, {"text": "x" * 3000}, 413, "limit"),
    ],
)
def test_refused_requests(
    settings: Any, db_url: str, request: pytest.FixtureRequest, headers: dict[str, str], body: Any, status: int, words: str
) -> None:
    client = make_client(settings, db_url, lambda: request.getfixturevalue("resources"), api_key=KEY, max_file_mb=0.002)
    if status == 413 and isinstance(body, list):
        client = make_client(settings, db_url, lambda: request.getfixturevalue("resources"), api_key=KEY)
    assert words in error_of(client.post("/api/articles", json=body, headers=headers), status)


def test_body_must_be_json(settings: Any, db_url: str, request: pytest.FixtureRequest) -> None:
    client = make_client(settings, db_url, lambda: request.getfixturevalue("resources"), api_key=KEY)
    headers = {"X-API-Key": KEY}
    assert "JSON" in error_of(client.post("/api/articles", content=b"text=hello", headers=headers), 415)
    headers["Content-Type"] = "application/json"
    assert "not JSON" in error_of(client.post("/api/articles", content=b"{nope", headers=headers), 422)


def test_articles_are_coded_stored_once_and_listed(settings: Any, db_url: str, request: pytest.FixtureRequest) -> None:
    client = make_client(settings, db_url, lambda: request.getfixturevalue("resources"), api_key=KEY)
    body = [
        {"text": VIOLENT, "published": "2024-05-02", "source": "Test Wire", "title": "Market attack"},
        {"text": FRENCH, "published": "2024-05-02"},
    ]
    response = client.post("/api/articles", json=body, headers={"X-API-Key": KEY})
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["index"] == 0 and first["stored"] is True and first["error"] is None
    assert first["mentions"] >= 1 and len(first["article_id"]) >= 16
    # One refused article does not stop the batch; its result says why.
    assert second["index"] == 1 and second["stored"] is False and "English" in second["error"]
    # The coded event is served at once, with the article as its report.
    listed = client.get("/api/events", params={"country": "BF"}).json()["events"]
    assert listed, "the violent report should have produced an event in Burkina Faso"
    detail = client.get(f"/api/events/{listed[0]['id']}").json()
    assert detail["reports"][0]["article"]["source"] == "Test Wire"
    # The same text again is recognised by its hash and adds nothing.
    again = client.post("/api/articles", json=body[0], headers={"X-API-Key": KEY}).json()["results"]
    assert again == [{**first, "stored": False}]
    assert len(client.get("/api/events", params={"country": "BF"}).json()["events"]) == len(listed)
