"""The default gazetteer built from the registry packages: what it marks as capitals."""

from __future__ import annotations

from vigil.geo import Gazetteer, ensure_gazetteer
from vigil.geo.default import _capital_ids


def test_only_the_largest_town_of_the_capital_name_is_the_capital() -> None:
    cities = [
        {"geonameid": 1, "countrycode": "US", "name": "Washington", "population": 1175},
        {"geonameid": 2, "countrycode": "US", "name": "Washington", "population": 689545},
        {"geonameid": 3, "countrycode": "US", "name": "Washington", "population": 13000},
        {"geonameid": 4, "countrycode": "GB", "name": "Washington", "population": 67000},
        {"geonameid": 5, "countrycode": "NE", "name": "Niamey", "population": 774235},
    ]
    capitals = {("US", "Washington"), ("NE", "Niamey"), ("GB", "London")}
    assert _capital_ids(cities, capitals) == {2, 5}


def test_the_built_default_gazetteer_has_one_washington_capital(settings) -> None:
    gaz = Gazetteer(ensure_gazetteer(settings.gazetteer_path))
    capitals = [c.place for c in gaz.lookup("Washington", variants=False) if c.place.feature_code == "PPLC"]
    assert [(p.country_code, p.admin1) for p in capitals] == [("US", "District of Columbia")]
