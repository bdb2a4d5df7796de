"""The derivation of one pond from one image, as a pure, picklable task: the same function runs in the
worker, the CLI and on Dask workers (it touches files, never the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import MultiPolygon

from gis.crs import geodesic_area_m2
from gis.raster import WaterParams, extract_water
from gis.raster.water import pond_outline


@dataclass(frozen=True)
class DeriveTask:
    image_id: int
    pond_id: int
    path: str  # the image's COG
    roles: dict[str, int]
    params: dict[str, Any]  # WaterParams fields
    aoi_wkb: bytes  # EPSG:4490: the pond's boundary and a margin around it
    boundary_wkb: bytes | None  # EPSG:4490: the approved boundary (water must touch it)
    gk_epsg: int
    closing_m: float
    extra: dict[str, Any] = field(default_factory=dict)


def compute(task: DeriveTask) -> dict[str, Any]:
    """Water surface and outline of the pond: water bodies within the margin that touch the boundary."""
    params = WaterParams(**task.params)
    aoi = shapely.from_wkb(task.aoi_wkb)
    result = extract_water(task.path, task.roles, params, aoi=aoi)
    boundary = shapely.from_wkb(task.boundary_wkb) if task.boundary_wkb else aoi
    bodies = [b.geom for b in result.bodies if b.geom.intersects(boundary)]
    water = MultiPolygon(bodies)
    outline = pond_outline(water, task.gk_epsg, task.closing_m) if bodies else MultiPolygon()
    if outline.geom_type == "Polygon":
        outline = MultiPolygon([outline])
    return {
        "image_id": task.image_id,
        "pond_id": task.pond_id,
        "params": result.params,
        "water_wkb": shapely.to_wkb(water),
        "water_area_m2": sum(geodesic_area_m2(b) for b in bodies),
        "outline_wkb": shapely.to_wkb(outline),
        "outline_area_m2": geodesic_area_m2(outline) if bodies else 0.0,
        "valid_share": result.valid_pixels / result.total_pixels if result.total_pixels else 0.0,
    }
