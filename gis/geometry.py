"""Checks of a geometry received from a user: GeoJSON structure, type, coordinate ranges, validity, region.

Errors are `GeometryError` with a machine-readable `code` and `params`; the service turns them into
messages in the user's language. Nothing is repaired silently: a repair is the caller's explicit choice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely import Geometry
from shapely.geometry import shape
from shapely.validation import explain_validity

GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


@dataclass
class GeometryError(ValueError):
    """A geometry that cannot be accepted. `code` names the reason; `params` fill the message."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.params}"


def _positions(coords: Any, depth: int) -> Iterator[Sequence[Any]]:
    if depth == 0:
        yield coords
    else:
        if not isinstance(coords, list | tuple):
            raise GeometryError("geometry_malformed", {"reason": "coordinates must be nested arrays"})
        for c in coords:
            yield from _positions(c, depth - 1)


_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def parse_geojson_geometry(obj: Any, allowed: Iterable[str] = GEOMETRY_TYPES) -> Geometry:
    """Turn a GeoJSON geometry object into a valid shapely geometry, or raise `GeometryError`.

    Checks, in order: it is a GeoJSON geometry of an allowed type; every position has two or three
    finite numbers with longitude in [-180, 180] and latitude in [-90, 90]; the geometry is non-empty
    and valid (OGC simple features), with the reason for invalidity reported.
    """
    allowed = tuple(allowed)
    if not isinstance(obj, dict) or "type" not in obj:
        raise GeometryError("geometry_malformed", {"reason": "not a GeoJSON geometry object"})
    gtype = obj["type"]
    if gtype not in _DEPTH:
        raise GeometryError("geometry_type_unknown", {"type": str(gtype)[:40]})
    if gtype not in allowed:
        raise GeometryError("geometry_type_not_allowed", {"type": gtype, "allowed": ", ".join(allowed)})
    coords = obj.get("coordinates")
    if coords is None:
        raise GeometryError("geometry_malformed", {"reason": "coordinates missing"})
    for pos in _positions(coords, _DEPTH[gtype]):
        if not isinstance(pos, list | tuple) or len(pos) not in (2, 3):
            raise GeometryError("geometry_malformed", {"reason": "a position must have 2 or 3 numbers"})
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in pos):
            raise GeometryError("geometry_malformed", {"reason": "coordinates must be finite numbers"})
        lon, lat = pos[0], pos[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeometryError("coordinates_out_of_range", {"lon": lon, "lat": lat})
    try:
        geom = shape(obj)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeometryError("geometry_malformed", {"reason": str(exc)[:200]}) from exc
    if geom.is_empty:
        raise GeometryError("geometry_empty", {})
    if gtype in ("LineString", "MultiLineString") and any(
        len(set(map(tuple, line.coords))) < 2 for line in getattr(geom, "geoms", [geom])
    ):
        raise GeometryError("geometry_invalid", {"reason": "line with fewer than two distinct points"})
    if not geom.is_valid:
        raise GeometryError("geometry_invalid", {"reason": explain_validity(geom)})
    return shapely.force_2d(geom)


def looks_swapped(geom: Geometry, region_bounds: tuple[float, float, float, float]) -> bool:
    """True when swapping x and y would move a geometry outside the region's box into it.

    Latitude and longitude written the wrong way round is the commonest coordinate error.
    """
    minx, miny, maxx, maxy = region_bounds
    x, y = geom.representative_point().coords[0]
    inside = minx <= x <= maxx and miny <= y <= maxy
    swapped_inside = minx <= y <= maxx and miny <= x <= maxy
    return not inside and swapped_inside
