"""Conversion to Cloud-Optimised GeoTIFF (rio-cogeo): internal 512 px tiles, DEFLATE, overviews."""

from __future__ import annotations

from os import PathLike

from rasterio.errors import RasterioError
from rio_cogeo.cogeo import cog_translate, cog_validate
from rio_cogeo.profiles import cog_profiles

from gis.raster.errors import RasterRefused

GDAL_CONFIG = {"GDAL_CACHEMAX": 64, "GDAL_NUM_THREADS": "ALL_CPUS", "GDAL_TIFF_OVR_BLOCKSIZE": 512}


def to_cog(src: str | PathLike[str], dst: str | PathLike[str], resampling: str = "average") -> None:
    """Write `src` as a COG at `dst` with overviews down to one tile; GDAL works through a 64 MiB cache,
    so an image larger than memory converts with bounded memory. Overviews are averaged (`nearest` for
    categorical rasters); the source's nodata value is kept.
    """
    profile = cog_profiles.get("deflate")
    profile.update(blockxsize=512, blockysize=512, predictor=2, BIGTIFF="IF_SAFER")
    try:
        cog_translate(
            src,
            dst,
            profile,
            overview_resampling=resampling,  # type: ignore[arg-type]
            in_memory=False,
            config=GDAL_CONFIG,
            quiet=True,
        )
    except (RasterioError, OSError) as exc:
        name = str(src).rsplit("/", 1)[-1]
        raise RasterRefused("raster_unreadable", {"file": name, "reason_code": "raster_reason_gdal"}) from exc
    valid, errors, _warnings = cog_validate(dst, quiet=True)
    if not valid:  # rio-cogeo wrote something that is not a COG: a bug, not the user's fault
        raise RuntimeError(f"not a valid COG: {errors}")
