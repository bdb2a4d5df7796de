"""Coordinate reference systems and measurement in metres.

Storage: every geometry is stored in CGCS2000 geographic coordinates (EPSG:4490), lon/lat order.
CGCS2000 and WGS84 differ by a few centimetres, far below the accuracy of any source we handle,
so GeoJSON (RFC 7946, WGS84) is read and written without a datum shift.

Measurement: lengths and areas are computed on the GRS80 spheroid (CGCS2000's ellipsoid differs
from GRS80 by 0.1 mm in the semi-minor axis), and shifts between two versions of a geometry in the
CGCS2000 3-degree Gauss-Kruger zone that contains them. Never in degrees.
"""

from __future__ import annotations

from functools import lru_cache

import shapely
from pyproj import CRS, Geod, Transformer
from shapely import Geometry

STORAGE_SRID = 4490
"""CGCS2000 geographic, lon/lat. The one SRID of every geometry column."""

WGS84_SRID = 4326

GEOD = Geod(ellps="GRS80")

# CGCS2000 3-degree Gauss-Kruger zones without zone prefix: EPSG:4534 (CM 75°E) .. EPSG:4554 (CM 135°E).
_GK3_FIRST_EPSG = 4534
_GK3_FIRST_CM = 75
_GK3_LAST_CM = 135


def gk3_central_meridian(lon: float) -> int:
    """Central meridian of the 3-degree Gauss-Kruger zone containing `lon`, clamped to China's zones."""
    cm = 3 * round(lon / 3)
    return min(max(cm, _GK3_FIRST_CM), _GK3_LAST_CM)


def gk3_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss-Kruger CRS (no zone prefix) for a longitude.

    Panzhihua (about 101.1-102.3°E) lies in the zone with central meridian 102°E: EPSG:4543.
    The same formula is implemented in SQL as `tailings_gk3_srid()` (migration 0001).
    """
    return _GK3_FIRST_EPSG + (gk3_central_meridian(lon) - _GK3_FIRST_CM) // 3


@lru_cache(maxsize=64)
def transformer(src: int, dst: int) -> Transformer:
    """A cached pyproj transformer between two EPSG codes, x = longitude or easting."""
    return Transformer.from_crs(CRS.from_epsg(src), CRS.from_epsg(dst), always_xy=True)


def reproject(geom: Geometry, src_epsg: int, dst_epsg: int) -> Geometry:
    """Reproject a shapely geometry between two EPSG coordinate systems (x = lon/easting)."""
    if src_epsg == dst_epsg:
        return geom
    t = transformer(src_epsg, dst_epsg)
    return shapely.transform(geom, lambda x, y: t.transform(x, y), interleaved=False)


def to_gk3(geom: Geometry) -> tuple[Geometry, int]:
    """Project a CGCS2000 geographic geometry into the Gauss-Kruger zone of its centroid."""
    epsg = gk3_epsg(geom.centroid.x)
    return reproject(geom, STORAGE_SRID, epsg), epsg


def from_gk3(geom: Geometry, epsg: int) -> Geometry:
    return reproject(geom, epsg, STORAGE_SRID)


def geodesic_length_m(geom: Geometry) -> float:
    """Length in metres on the spheroid of a lon/lat (multi)line or polygon perimeter."""
    return float(GEOD.geometry_length(geom))


def geodesic_area_m2(geom: Geometry) -> float:
    """Area in square metres on the spheroid of a lon/lat (multi)polygon."""
    area, _perimeter = GEOD.geometry_area_perimeter(geom)
    return abs(float(area))
