"""The HTTP API over a real store, on SQLite and on PostgreSQL: every endpoint and filter, the
formats, pagination bounds, the JSON error shape, and escaping of untrusted article text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api_support import XSS_MARK, fresh_pg_database, pg_available, populate
from vigil.api import create_app

# ACLED's export columns, in ACLED's order (acleddata.com codebook, 2023 layout).
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('api-db') / 'events.db'}"
    populate(url)
    return url


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    with fresh_pg_database() as url:
        populate(url)
        yield url


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture(scope="session")
def client(db_url: str, settings: Any) -> Iterator[httpx.Client]:
    """The app in-process (datasette's way: through the ASGI transport, no socket)."""
    from starlette.testclient import TestClient

    from vigil.store import open_store

    store = open_store(db_url)
    app = create_app(dataclasses.replace(settings, db=db_url), engine=store.engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    store.close()


def events(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["events"])


def assert_error(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert words in body["error"]["message"]


def by_country(client: httpx.Client, code: str) -> dict[str, Any]:
    (event,) = events(client, country=code)
    return event


# -- /api/events: list, filters, sorting, pagination ---------------------------------------


def test_list_returns_the_fused_events_newest_first(client: httpx.Client) -> None:
    got = events(client)
    # Five reports, two of them the same ambush: four events.
    assert [e["country_code"] for e in got] == ["ML", "NE", "NG", "BF"]
    assert [e["event_date"] for e in got] == sorted((e["event_date"] for e in got), reverse=True)
    ambush = got[1]
    assert (ambush["fatalities"], ambush["fatalities_low"], ambush["fatalities_high"]) == (12, 12, 20)
    assert ambush["n_reports"] == 2 and ambush["location"] == "Tassara" and ambush["admin1"] == "Tahoua"


@pytest.mark.parametrize(
    ("params", "countries"),
    [
        ({"date_from": "2023-01-01"}, {"ML", "NE", "NG"}),
        ({"date_to": "2023-01-08"}, {"NG", "BF"}),
        ({"date_from": "2023-06-08", "date_to": "2023-06-08"}, {"NE"}),
        ({"country": "NE"}, {"NE"}),
        ({"country": "ne,bf"}, {"NE", "BF"}),
        ({"country": "Burkina Faso"}, {"BF"}),
        ({"admin1": "Tahoua"}, {"NE"}),
        ({"admin1": "Borno,Sahel"}, {"NG", "BF"}),
        ({"event_type": "Battles"}, {"NE"}),
        ({"event_type": "Protests,Violence against civilians"}, {"ML", "BF"}),
        ({"actor": "islamic state"}, {"NE"}),
        ({"actor": "test-boko"}, {"NG"}),  # an actor id
        ({"actor": "Military Forces"}, {"NE"}),  # actor2 counts too
        ({"q": "seytenga"}, {"BF"}),
        ({"q": "patrol tassara"}, {"NE"}),  # every word must match
        ({"q": "100%"}, set()),  # LIKE wildcards are literal
        ({"bbox": "-1,10,14,17"}, {"NE", "NG", "BF"}),
        ({"bbox": "-10,12,-5,13"}, {"ML"}),
        ({"min_fatalities": 12}, {"NE", "BF"}),
        ({"min_fatalities": 31}, set()),
        ({"country": "NE,NG", "min_fatalities": 5, "date_from": "2023-01-01"}, {"NE"}),
    ],
)
def test_each_filter_narrows_the_list(client: httpx.Client, params: dict[str, Any], countries: set[str]) -> None:
    assert {e["country_code"] for e in events(client, **params)} == countries


def test_sorting_by_fatalities_and_country(client: httpx.Client) -> None:
    assert [e["fatalities"] for e in events(client, sort="-fatalities")] == [30, 12, 4, 0]
    assert [e["fatalities"] for e in events(client, sort="fatalities")] == [0, 4, 12, 30]
    assert [e["country"] for e in events(client, sort="country")] == ["Burkina Faso", "Mali", "Niger", "Nigeria"]
    assert [e["event_date"] for e in events(client, sort="date")][0] == "2022-06-11"


def test_pages_cover_every_event_once(client: httpx.Client) -> None:
    seen, offset = [], 0
    while offset is not None:
        body = client.get("/api/events", params={"limit": 1, "offset": offset}).json()
        seen += [e["id"] for e in body["events"]]
        offset = body["next_offset"]
    assert len(seen) == len(set(seen)) == 4
    assert client.get("/api/events", params={"offset": 10}).json() == {"events": [], "limit": 100, "offset": 10, "next_offset": None}


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort": "password"}, "sort"),
        ({"format": "xml"}, "format"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2024-02-01", "date_to": "2024-01-01"}, "after date_to"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "0,0,200,10"}, "bbox"),
        ({"bbox": "10,0,0,10"}, "antimeridian"),
        ({"bbox": "nan,0,1,1"}, "bbox"),
        ({"min_fatalities": -1}, "min_fatalities"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "NUL"),
    ],
)
def test_bad_parameters_get_a_422_that_names_them(client: httpx.Client, params: dict[str, Any], words: str) -> None:
    assert_error(client.get("/api/events", params=params), 422, words)


def test_geojson_has_points_in_lon_lat_order(client: httpx.Client) -> None:
    response = client.get("/api/events", params={"format": "geojson", "country": "NE"})
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.59, 16.81]}
    assert feature["properties"]["event_type"] == "Battles" and "latitude" not in feature["properties"]


def test_csv_has_acled_columns_in_acled_order(client: httpx.Client) -> None:
    response = client.get("/api/events", params={"format": "csv", "sort": "-fatalities"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ACLED_COLUMNS
    assert [r["fatalities"] for r in rows] == ["30", "12", "4", "0"]
    ambush = rows[1]
    assert (ambush["country"], ambush["admin1"], ambush["location"], ambush["event_date"]) == ("Niger", "Tahoua", "Tassara", "2023-06-08")
    assert ambush["source"] == "Sahel Courier; Niamey Daily" and ambush["geo_precision"] == "2"


# -- /api/events/{id} ------------------------------------------------------------------------


def test_event_detail_keeps_both_claims_with_their_sources(client: httpx.Client) -> None:
    ambush = by_country(client, "NE")
    detail = client.get(f"/api/events/{ambush['id']}").json()
    killed = sorted((c["value"], c["source_kind"], c["article_source"]) for c in detail["claims"] if c["kind"] == "killed")
    assert killed == [(12, "official", "Sahel Courier"), (20, "perpetrator", "Niamey Daily")]
    assert len(detail["reports"]) == 2 and detail["disagreements"]
    assert detail["fatalities_by_group"] == [{"group": "soldiers", "best": 12, "low": 12, "high": 20}]


def test_every_evidence_span_points_into_its_article_text(client: httpx.Client) -> None:
    for summary in events(client):
        detail = client.get(f"/api/events/{summary['id']}").json()
        for report in detail["reports"]:
            text = report["article"]["text"]
            for m in report["mentions"]:
                spans = [m["trigger"], m["evidence"], m["date"]["span"], m["location"]["span"]]
                spans += [a["span"] for a in m["actors"]] + [c["span"] for c in m["claims"]]
                for s in filter(None, spans):
                    assert text[s["start"] : s["end"]] == s["text"]


def test_unknown_event_is_a_404_in_the_error_shape(client: httpx.Client) -> None:
    assert_error(client.get("/api/events/ev_doesnotexist"), 404, "ev_doesnotexist")
    assert_error(client.get("/api/events/" + "x" * 65), 422, "event_id")


# -- /api/stats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "keys"),
    [
        ("day", ["2022-06-11", "2023-01-08", "2023-06-08", "2023-07-03"]),
        ("week", ["2022-06-06", "2023-01-02", "2023-06-05", "2023-07-03"]),  # Mondays
        ("month", ["2022-06-01", "2023-01-01", "2023-06-01", "2023-07-01"]),
        ("year", ["2022-01-01", "2023-01-01"]),
    ],
)
def test_stats_per_time_bucket(client: httpx.Client, by: str, keys: list[str]) -> None:
    body = client.get("/api/stats", params={"by": by}).json()
    assert body["by"] == by and [r["key"] for r in body["rows"]] == keys
    assert sum(r["events"] for r in body["rows"]) == 4 and sum(r["fatalities"] for r in body["rows"]) == 46


def test_stats_per_country_and_admin1_with_filters(client: httpx.Client) -> None:
    rows = client.get("/api/stats", params={"by": "country", "min_fatalities": 1}).json()["rows"]
    assert {(r["key"], r["label"], r["events"], r["fatalities"]) for r in rows} == {
        ("NE", "Niger", 1, 12), ("BF", "Burkina Faso", 1, 30), ("NG", "Nigeria", 1, 4)
    }
    rows = client.get("/api/stats", params={"by": "admin1", "country": "NE"}).json()["rows"]
    assert rows == [{"key": "Tahoua", "country_code": "NE", "events": 1, "fatalities": 12}]
    assert_error(client.get("/api/stats", params={"by": "hour"}), 422, "by")


# -- errors, headers, untrusted text -------------------------------------------------------


def test_unknown_paths_and_methods_use_the_error_shape(client: httpx.Client) -> None:
    assert_error(client.get("/api/nothing"), 404, "/api/nothing")
    assert_error(client.delete("/api/events"), 405, "DELETE")


def test_security_headers_on_pages_and_api(client: httpx.Client) -> None:
    for path in ("/", "/api/events", "/static/dashboard.js", "/docs", "/api/nothing"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff"


def test_article_markup_is_escaped_in_every_json_output(client: httpx.Client) -> None:
    protest = by_country(client, "ML")
    outputs = {
        "list": client.get("/api/events"),
        "geojson": client.get("/api/events", params={"format": "geojson"}),
        "detail": client.get(f"/api/events/{protest['id']}"),
        "search": client.get("/api/events", params={"q": "placard"}),
    }
    for name, response in outputs.items():
        raw = response.text
        assert XSS_MARK in raw, name  # the text is there...
        assert "<script" not in raw and "<img" not in raw and "<b>" not in raw, name  # ...but never as markup
    detail = outputs["detail"].json()
    article = detail["reports"][0]["article"]
    assert "<script>window.pwned=1</script>" in article["text"]  # and decodes back unchanged
    assert article["title"] == "Traders march <script>window.pwned=3</script>"


def test_pages_are_static_shells_without_article_text(client: httpx.Client) -> None:
    protest = by_country(client, "ML")
    for path in ("/", f"/events/{protest['id']}", "/docs"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        assert XSS_MARK not in response.text and "<script>" not in response.text


def test_csv_is_an_attachment_and_formula_cells_are_neutralised() -> None:
    from vigil.api.formats import csv_lines

    lines = list(csv_lines(["a", "b"], [{"a": "=HYPERLINK(1)", "b": "-3 killed"}, {"a": 5, "b": None}]))
    assert lines == ["a,b\n", "'=HYPERLINK(1),'-3 killed\n", "5,\n"]


def test_config_and_openapi(client: httpx.Client) -> None:
    assert client.get("/api/config").json()["ingest"] is False
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/stats", "/api/articles"} <= set(spec["paths"])
    assert json.dumps(spec).count("cdn") == 0


def test_static_files_are_all_served_and_local(client: httpx.Client) -> None:
    static = Path(__file__).resolve().parents[1] / "src" / "vigil" / "api" / "static"
    for path in static.iterdir():
        response = client.get(f"/static/{path.name}")
        assert response.status_code == 200, path.name
        if path.suffix in (".html", ".js", ".css"):
            # No asset from anywhere else: the dashboard must work air-gapped.
            assert "http://" not in response.text.replace("http://www.w3.org/2000/svg", "")
            assert "https://" not in response.text


def test_tile_layer_is_opt_in_and_allowed_by_the_csp(settings: Any, sqlite_url: str) -> None:
    from starlette.testclient import TestClient

    from vigil.store import open_store

    store = open_store(sqlite_url)
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    with TestClient(create_app(settings, engine=store.engine, tiles=tiles)) as online:
        assert online.get("/api/config").json()["tiles"] == tiles
        assert "img-src 'self' data: https://tiles.example.org;" in online.get("/").headers["content-security-policy"]
    with TestClient(create_app(settings, engine=store.engine)) as offline:
        assert offline.get("/api/config").json()["tiles"] == ""
        assert "img-src 'self' data:;" in offline.get("/").headers["content-security-policy"]
    store.close()


def test_stats_cache_expires_and_stays_bounded() -> None:
    from vigil.api.app import TTLCache

    cache = TTLCache(ttl=60, size=2)
    cache.put("a", [1])
    cache.put("b", [2])
    assert cache.get("a") == [1]
    cache.put("c", [3])  # over the size: the oldest written ("a") goes
    assert cache.get("a") is None and cache.get("b") == [2] and cache.get("c") == [3]
    stale = TTLCache(ttl=-1, size=2)
    stale.put("a", [1])
    assert stale.get("a") is None
