"""The OpenAPI document against the running app, with schemathesis: generated requests (valid
and invalid) never get a server error, and every response conforms to its documented schema,
status code and content type. The app runs in-process over the hand-written SQLite store."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from api_support import populate
from vigil.api import create_app


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Any:
    from vigil.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('schema-db') / 'events.db'}"
    populate(url)
    store = open_store(url)
    # An API key is set so that POST /api/articles answers 401 to the generated requests (they
    # carry no key) instead of coding them; the endpoint's own tests cover ingestion.
    app = create_app(dataclasses.replace(settings, db=url, api_key="schema-test-key"), engine=store.engine)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema: Any) -> dict[str, Any]:
    out = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        out[f"{operation.method.upper()} {operation.path}"] = operation
    return out


def test_every_endpoint_is_in_the_document(api_schema: Any) -> None:
    assert set(operations(api_schema)) == {
        "GET /api/events",
        "GET /api/events/{event_id}",
        "GET /api/stats",
        "POST /api/articles",
        "GET /api/config",
    }


# pytest-level parametrisation by name: the schema itself comes from the fixture.
@pytest.mark.parametrize(
    "name", ["GET /api/events", "GET /api/events/{event_id}", "GET /api/stats", "POST /api/articles", "GET /api/config"]
)
def test_api_conforms_to_its_openapi_document(api_schema: Any, name: str) -> None:
    strategy = operations(api_schema)[name].as_strategy()

    @given(case=strategy)
    @hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        # Every check but "schema-valid data is accepted": OpenAPI cannot say that date_from
        # comes before date_to or that a bbox lies on the globe, and those 422s are right.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


def test_invalid_requests_are_refused_with_4xx(api_schema: Any) -> None:
    """Negative data: values outside the documented bounds get a 4xx, never a 5xx or a 200."""
    from schemathesis import GenerationMode

    operation = operations(api_schema)["GET /api/events"]

    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    @hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, response.text
        body = response.json() if response.status_code >= 400 else None
        if body is not None:
            assert set(body) == {"error"} and body["error"]["status"] == response.status_code

    check()
