"""Statistics of an image inside a polygon (a pond's boundary), window by window."""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike

import numpy as np
import rasterio
import shapely
from rasterio import features
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from gis.crs import STORAGE_SRID, reproject
from gis.raster.bands import BandRoles
from gis.raster.water import BLOCK, GDAL_ENV, _area_window, _blocks


@dataclass(frozen=True)
class PolygonStats:
    pixels: int  # pixels whose centre lies inside the polygon
    valid_pixels: int  # of those, not nodata (and not all-zero)
    valid_share: float  # valid / pixels (0 when the polygon covers no pixel)
    mean_ndwi: float | None  # over valid pixels; None without green and NIR bands or valid pixels
    water_share: float | None  # valid pixels with NDWI above `threshold`


def polygon_stats(
    path: str | PathLike[str], roles: BandRoles, polygon: Polygon | BaseGeometry, threshold: float = 0.0
) -> PolygonStats:
    """Mean NDWI, valid-pixel share and water share of the image inside `polygon` (EPSG:4490)."""
    has_ndwi = "green" in roles and "nir" in roles
    indexes = [roles["green"], roles["nir"]] if has_ndwi else [1]
    pixels = valid = water = 0
    total = 0.0
    with rasterio.Env(**GDAL_ENV), rasterio.open(path) as src:
        epsg = src.crs.to_epsg()
        local = reproject(shapely.segmentize(polygon, 0.0005), STORAGE_SRID, epsg)
        area = _area_window(src, polygon, epsg)  # type: ignore[arg-type]
        if area.width > 0 and area.height > 0:
            for win in _blocks(area, BLOCK, (0, 0)):
                inside = features.geometry_mask(
                    [local],
                    out_shape=(int(win.height), int(win.width)),
                    transform=src.window_transform(win),
                    invert=True,
                )
                if not inside.any():
                    continue
                data = src.read(indexes, window=win).astype(np.float32)
                ok = inside & (data.sum(axis=0) > 0)
                if src.nodata is not None:
                    ok &= np.all(data != src.nodata, axis=0)
                pixels += int(inside.sum())
                valid += int(ok.sum())
                if has_ndwi and ok.any():
                    g, n = data[0][ok], data[1][ok]
                    ndwi = (g - n) / (g + n)
                    total += float(ndwi.sum(dtype=np.float64))
                    water += int((ndwi > threshold).sum())
    return PolygonStats(
        pixels=pixels,
        valid_pixels=valid,
        valid_share=valid / pixels if pixels else 0.0,
        mean_ndwi=total / valid if has_ndwi and valid else None,
        water_share=water / valid if has_ndwi and valid else None,
    )
