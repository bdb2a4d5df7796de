"""The region a deployment supervises: geometries outside it are probably coordinate errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely import Geometry
from shapely.geometry import shape
from shapely.ops import unary_union

from gis.crs import from_gk3, to_gk3
from gis.geometry import GeometryError, looks_swapped


@dataclass(frozen=True)
class Region:
    """An area (CGCS2000 lon/lat) widened by a margin in metres, with a prepared geometry for fast tests."""

    name: str
    area: Geometry
    margin_m: float

    @classmethod
    def from_geojson(cls, path: Path, margin_m: float) -> Region:
        """Read every polygon of a GeoJSON file (Feature, FeatureCollection or geometry) as one region."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data.get("features") or ([data] if data.get("type") == "Feature" else [{"geometry": data}])
        parts = [shape(f["geometry"]) for f in features]
        name = str((features[0].get("properties") or {}).get("name", Path(path).stem))
        area = unary_union(parts)
        if margin_m > 0:
            projected, epsg = to_gk3(area)
            area = from_gk3(projected.buffer(margin_m, quad_segs=4), epsg)
        shapely.prepare(area)
        return cls(name=name, area=area, margin_m=margin_m)

    def check(self, geom: Geometry) -> None:
        """Raise `GeometryError` unless `geom` lies entirely within the region."""
        if self.area.covers(geom):
            return
        if looks_swapped(geom, self.area.bounds):
            raise GeometryError("coordinates_swapped", {"region": self.name})
        raise GeometryError("outside_region", {"region": self.name, "margin_m": round(self.margin_m)})
