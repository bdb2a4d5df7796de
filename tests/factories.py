"""Crafted ponds and elements for tests, placed in a quiet valley of Panzhihua (Renhe District)."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import LineString, Point, Polygon, mapping
from sqlalchemy import text
from sqlalchemy.orm import Session

from gis.crs import from_gk3, reproject

# A spot in 仁和区 far from the sample ponds; all shapes are built in metres (EPSG:4543) around it.
ORIGIN_LON, ORIGIN_LAT = 101.62, 26.38
GK = 4543
_ox, _oy = reproject(Point(ORIGIN_LON, ORIGIN_LAT), 4490, GK).coords[0]


def at(dx: float, dy: float) -> Point:
    """The point dx metres east and dy metres north of the origin, as CGCS2000 lon/lat."""
    return from_gk3(Point(_ox + dx, _oy + dy), GK)


def line(*offsets: tuple[float, float]) -> LineString:
    return LineString([at(dx, dy).coords[0] for dx, dy in offsets])


def rect(dx0: float, dy0: float, dx1: float, dy1: float) -> Polygon:
    return Polygon([at(x, y).coords[0] for x, y in ((dx0, dy0), (dx1, dy0), (dx1, dy1), (dx0, dy1))])


def gj(geom: Any) -> dict[str, Any]:
    return json.loads(json.dumps(mapping(geom)))


_counter = iter(range(1, 10**6))


def make_pond(
    db: Session,
    *,
    shift_km: float = 0,
    status: str = "in_use",
    stopped_since: str | None = None,
    boundary: bool = True,
    level: int = 3,
    **extra: Any,
) -> int:
    """A 400 m x 300 m pond whose south edge is the dam; `shift_km` moves it east to keep ponds apart."""
    dx = shift_km * 1000
    outline = rect(dx - 200, 0, dx + 200, 300)
    n = next(_counter)
    return db.execute(
        text("""
        INSERT INTO ponds (code, name, county_adcode, supervision_level, status, stopped_since, location, boundary,
                           dam_crest, illustrative)
        VALUES (:code, :name, 510411, :level, :status, :since, ST_GeomFromText(:loc, 4490),
                ST_Multi(ST_GeomFromText(:boundary, 4490)), ST_GeomFromText(:crest, 4490), false)
        RETURNING id"""),
        {
            "code": extra.get("code", f"TEST-{n:04d}"),
            "name": extra.get("name", f"测试尾矿库{n}"),
            "level": level,
            "status": status,
            "since": stopped_since,
            "loc": at(dx, 150).wkt,
            "boundary": outline.wkt if boundary else None,
            "crest": line((dx - 200, 0), (dx + 200, 0)).wkt,
        },
    ).scalar_one()


def add(
    db: Session, pond_id: int, kind: str, geom: Any, name: str | None = None, source: str = "drone", **attributes: Any
) -> int:
    """Insert an element directly (bypassing the API's validation, as a crafted fixture may need)."""
    from app import registry

    type_code = registry.catalogue().kinds[kind].type_code
    return db.execute(
        text("""
        INSERT INTO elements (pond_id, type, kind, name, geom, attributes, source)
        VALUES (:pond, :type, :kind, :name, ST_GeomFromText(:wkt, 4490), CAST(:attrs AS jsonb), :source)
        RETURNING id"""),
        {
            "pond": pond_id,
            "type": type_code,
            "kind": kind,
            "name": name,
            "wkt": geom.wkt,
            "attrs": json.dumps(attributes),
            "source": source,
        },
    ).scalar_one()
