"""Vector tiles of ponds and elements, each one PostGIS query (ST_AsMVTGeom + ST_AsMVT).

The tile envelope is transformed to the storage CRS (EPSG:4490) once, so the `&&` filter uses the GiST
index; each geometry is transformed to web mercator once. Elements are drawn from zoom 10 on; below that
a tile would carry thousands of small features (shared/perf-notes.md: 0.9-6 MiB at z6-8), so the pond
layer stands for them: points below zoom 10, boundaries from 10.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg

from app.accounts.lean import psycopg_sql

EXTENT, BUFFER = 4096, 256
ELEMENTS_MIN_ZOOM = 10
POND_OUTLINE_MIN_ZOOM = 10
MAX_ZOOM = 22
Scope = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Layer:
    name: str
    min_zoom: int
    sql: str  # a SELECT of features: id, properties, `geom` in EPSG:4490; `{scope}` filled in
    fields: dict[str, str]  # for TileJSON
    sql_everything: str | None = None  # the same without the ponds join, for callers who see every pond


LAYERS = {
    # `sql` selects the layer's fields and its `geom` (EPSG:4490) from the tile's `bounds b`, with a bbox
    # filter the GiST indexes can serve, for ponds `p` within `{scope}`.
    "ponds": Layer(
        "ponds",
        0,
        f"""SELECT p.id, p.code, p.name, p.supervision_level, p.status, p.county_adcode,
                  round(ST_X(p.location)::numeric, 6) AS lon, round(ST_Y(p.location)::numeric, 6) AS lat,
                  CASE WHEN :z >= {POND_OUTLINE_MIN_ZOOM} THEN coalesce(p.boundary, p.location)
                       ELSE p.location END AS geom
           FROM ponds p LEFT JOIN enterprises en ON en.id = p.enterprise_id, bounds b
           WHERE {{scope}}
             AND (p.location && b.storage OR (:z >= {POND_OUTLINE_MIN_ZOOM} AND p.boundary && b.storage))""",
        {
            "id": "Number",
            "code": "String",
            "name": "String",
            "supervision_level": "Number",
            "status": "String",
            "county_adcode": "Number",
            "lon": "Number",
            "lat": "Number",
        },
    ),
    "elements": Layer(
        "elements",
        ELEMENTS_MIN_ZOOM,
        """SELECT e.id, e.pond_id, e.type, e.kind, e.name, e.review_state, e.geom
           FROM elements e JOIN ponds p ON p.id = e.pond_id, bounds b
           WHERE {scope} AND e.geom && b.storage""",
        {
            "id": "Number",
            "pond_id": "Number",
            "type": "String",
            "kind": "String",
            "name": "String",
            "review_state": "String",
        },
        # joining every feature to its pond only to test `true` costs a lookup per feature (~9 of 52 ms
        # for a dense z10 tile of the national-scale table)
        sql_everything="""SELECT e.id, e.pond_id, e.type, e.kind, e.name, e.review_state, e.geom
           FROM elements e, bounds b WHERE e.geom && b.storage""",
    ),
}


def tile(conn: psycopg.Connection, layer: Layer, z: int, x: int, y: int, scope: Scope) -> tuple[bytes, int]:
    """The MVT of one layer for tile z/x/y within `scope` (a condition on ponds `p`), and the layer's data
    version read in the same statement (for the ETag). `conn`: a psycopg connection (app.accounts.lean)."""
    clause, params = scope
    if z < layer.min_zoom:
        row = conn.execute(psycopg_sql(_VERSION), {"layer": layer.name}).fetchone()
        return b"", (row[0] if row else 0) or 0
    values = {**params, "z": z, "x": x, "y": y, "layer": layer.name}
    row = conn.execute(_statement(layer.name, clause), values).fetchone()
    assert row is not None
    return bytes(row[1] or b""), row[0] or 0


_VERSION = "SELECT version FROM data_versions WHERE layer = :layer"


@lru_cache(maxsize=256)
def _statement(layer_name: str, clause: str) -> str:
    """The tile statement of a layer for a scope clause, in psycopg's parameter style (built once: the
    connection prepares it on the server)."""
    layer = LAYERS[layer_name]
    features = layer.sql_everything if clause == "true" and layer.sql_everything else layer.sql.format(scope=clause)
    columns = ", ".join(f"f.{name}" for name in layer.fields)
    # OFFSET 0 keeps the subquery whole: without it the planner inlines it and computes ST_AsMVTGeom twice
    # per feature, once for the IS NOT NULL filter and once for the output (35 instead of 61 ms, dense z10).
    return psycopg_sql(f"""
        WITH bounds AS (
          SELECT ST_TileEnvelope(:z, :x, :y) AS mercator,
                 ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => {BUFFER / EXTENT}), 4490) AS storage)
        SELECT (SELECT version FROM data_versions WHERE layer = :layer),
               (SELECT ST_AsMVT(t, :layer, {EXTENT}, 'mvt_geom', 'id') FROM (
                  SELECT {columns},
                         ST_AsMVTGeom(ST_Transform(f.geom, 3857), b.mercator, {EXTENT}, {BUFFER}, true) AS mvt_geom
                  FROM ({features}) f, bounds b OFFSET 0) t
                WHERE t.mvt_geom IS NOT NULL)""")


def etag(layer: Layer, version: int, scope: Scope, z: int, x: int, y: int) -> str:
    """Changes when the layer's data change or when the caller's scope differs."""
    key = f"{layer.name}:{version}:{scope[0]}:{sorted(scope[1].items())}:{z}/{x}/{y}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:20] + '"'
