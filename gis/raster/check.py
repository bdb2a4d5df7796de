"""Checks on the way in: a raster must be readable, georeferenced, in a known CRS, north-up, with a sane
resolution and extent and the band count its use needs. Each refusal is a `RasterRefused` with a code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from os import PathLike

import rasterio
import shapely
from rasterio.errors import RasterioError
from rasterio.windows import Window
from shapely.geometry import Polygon, box

from gis.crs import STORAGE_SRID, reproject
from gis.raster.errors import RasterRefused

__all__ = ["RasterInfo", "RasterRefused", "inspect_raster"]

MIN_RESOLUTION_M = 0.01  # a drone orthophoto finer than 1 cm is a georeferencing mistake
MAX_RESOLUTION_M = 1000.0  # coarser than 1 km shows nothing of a pond
MAX_EXTENT_M = 500_000.0  # wider than 500 km is not a scene of one city's ponds
_M_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class RasterInfo:
    """What the checks learnt of a raster: size, bands, CRS, resolution and its footprint in EPSG:4490."""

    width: int
    height: int
    count: int
    dtype: str
    crs_epsg: int
    resolution: tuple[float, float]  # pixel size in CRS units (x, y)
    resolution_m: float  # the coarser pixel side in metres
    bounds: tuple[float, float, float, float]  # in the raster's CRS
    nodata: float | None
    descriptions: tuple[str | None, ...]
    tiled: bool
    footprint: Polygon = field(repr=False)  # EPSG:4490 lon/lat


def _footprint(bounds: tuple[float, float, float, float], epsg: int) -> Polygon:
    outline = shapely.segmentize(
        box(*bounds), max_segment_length=max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / 16
    )
    return shapely.make_valid(reproject(outline, epsg, STORAGE_SRID))


def inspect_raster(path: str | PathLike[str], bands: int | tuple[int, ...] | None = None) -> RasterInfo:
    """Open and check a raster; `bands` is the band count (or counts) its use needs.

    Refusal codes: `raster_unreadable` (not a raster, corrupt or truncated), `raster_not_georeferenced`,
    `raster_crs_unknown` (no EPSG code), `raster_rotated`, `raster_resolution`, `raster_extent`,
    `raster_band_count`. The first and last rows of every band are read, so a truncated file is caught here.
    """
    name = str(path).rsplit("/", 1)[-1]
    try:
        with rasterio.open(path) as src:
            if src.crs is None or src.transform.is_identity:
                raise RasterRefused("raster_not_georeferenced", {"file": name})
            epsg = src.crs.to_epsg()
            if epsg is None:
                raise RasterRefused("raster_crs_unknown", {"file": name, "crs": src.crs.to_string()[:120]})
            t = src.transform
            if t.b != 0 or t.d != 0 or t.e >= 0:
                raise RasterRefused("raster_rotated", {"file": name})
            wanted = (bands,) if isinstance(bands, int) else bands
            if wanted and src.count not in wanted:
                raise RasterRefused(
                    "raster_band_count", {"file": name, "count": src.count, "expected": "/".join(map(str, wanted))}
                )
            res = (abs(t.a), abs(t.e))
            bounds = tuple(src.bounds)
            if src.crs.is_geographic:
                lat = math.radians((bounds[1] + bounds[3]) / 2) if abs(bounds[1]) <= 90 else 0.0
                res_m = max(res[0] * _M_PER_DEGREE * max(math.cos(lat), 0.01), res[1] * _M_PER_DEGREE)
                extent_m = max(
                    (bounds[2] - bounds[0]) * _M_PER_DEGREE * math.cos(lat), (bounds[3] - bounds[1]) * _M_PER_DEGREE
                )
                inside = -180 <= bounds[0] < bounds[2] <= 180 and -90 <= bounds[1] < bounds[3] <= 90
            else:
                unit = src.crs.linear_units_factor[1]
                res_m = max(res) * unit
                extent_m = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * unit
                inside = True
            if not MIN_RESOLUTION_M <= res_m <= MAX_RESOLUTION_M:
                raise RasterRefused("raster_resolution", {"file": name, "resolution_m": round(res_m, 4)})
            if not inside or extent_m > MAX_EXTENT_M:
                raise RasterRefused("raster_extent", {"file": name, "extent_km": round(extent_m / 1000, 1)})
            footprint = _footprint(bounds, epsg)  # type: ignore[arg-type]
            if footprint.is_empty or not footprint.is_valid:
                raise RasterRefused("raster_extent", {"file": name, "extent_km": round(extent_m / 1000, 1)})
            # Truncated files open fine (the header is at the start) and fail on the last blocks.
            for row in {0, src.height - 1}:
                src.read(window=Window(0, row, src.width, 1))
            return RasterInfo(
                width=src.width,
                height=src.height,
                count=src.count,
                dtype=src.dtypes[0],
                crs_epsg=epsg,
                resolution=res,
                resolution_m=res_m,
                bounds=bounds,  # type: ignore[arg-type]
                nodata=src.nodata,
                descriptions=tuple(src.descriptions),
                tiled=bool(src.profile.get("tiled", False)),
                footprint=footprint,
            )
    except RasterRefused:
        raise
    except (RasterioError, OSError, ValueError) as exc:
        raise RasterRefused("raster_unreadable", {"file": name, "reason_code": "raster_reason_gdal"}) from exc
