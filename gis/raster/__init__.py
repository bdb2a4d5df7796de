"""Rasters: checks on the way in, Cloud-Optimised GeoTIFF conversion, band roles, water extraction, statistics.

Pure code (rasterio, numpy, shapely, pyproj): nothing here imports the web service or a database. Every
reader works window by window, so an image larger than memory is processed with bounded memory.
"""

from gis.raster.bands import BandRoles, resolve_band_roles
from gis.raster.check import RasterInfo, RasterRefused, inspect_raster
from gis.raster.cog import to_cog
from gis.raster.stats import PolygonStats, polygon_stats
from gis.raster.water import WaterBody, WaterParams, WaterResult, extract_water

__all__ = [
    "BandRoles",
    "PolygonStats",
    "RasterInfo",
    "RasterRefused",
    "WaterBody",
    "WaterParams",
    "WaterResult",
    "extract_water",
    "inspect_raster",
    "polygon_stats",
    "resolve_band_roles",
    "to_cog",
]
