"""Synthetic images for the imagery tests: known water polygons painted into realistic scenes.

A scene is a textured land surface (soil, vegetation and a bright dry tailings beach) with water bodies
painted from polygons given in pixel coordinates, Gaussian sensor noise on every band, in any CRS. The
truth (the painted polygons in EPSG:4490) is returned with the file, so derived polygons can be scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine
from rasterio import features
from shapely.geometry import Polygon

from gis.crs import STORAGE_SRID, reproject, transformer

# Panzhihua, near the river valleys of the sample ponds
CENTRE = (101.72, 26.58)

# uint16 reflectance x 10000 per band (blue, green, red, nir)
LAND = np.array([700, 1000, 1300, 2600], dtype=np.float32)
VEGETATION = np.array([400, 800, 500, 3500], dtype=np.float32)
BEACH = np.array([1600, 1900, 2100, 2300], dtype=np.float32)  # NDWI about -0.1: close to water's threshold
WATER = np.array([900, 1150, 700, 350], dtype=np.float32)
# uint8 drone RGB (red, green, blue)
RGB_LAND = np.array([135, 120, 95], dtype=np.float32)
RGB_VEGETATION = np.array([60, 95, 50], dtype=np.float32)
RGB_WATER = np.array([45, 85, 110], dtype=np.float32)


@dataclass
class Scene:
    path: Path
    epsg: int
    transform: Affine
    truth: list[Polygon]  # painted water, EPSG:4490
    truth_px: list[Polygon]  # painted water, pixel coordinates


def default_water(size: int) -> list[Polygon]:
    """Two ponds: an irregular lobed one with a dry island, and a rotated rectangle; plus nothing at the edges."""
    s = size / 400
    t = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    r = 70 * s * (1 + 0.18 * np.sin(3 * t) + 0.08 * np.cos(5 * t))
    lobed = Polygon(np.c_[150 * s + r * np.cos(t), 170 * s + r * np.sin(t)])
    island = shapely.Point(150 * s, 170 * s).buffer(14 * s)
    lobed = lobed.difference(island)
    rect = shapely.affinity.rotate(shapely.box(255 * s, 250 * s, 355 * s, 320 * s), 25)
    return [lobed, rect]


def _origin(epsg: int, res: float) -> tuple[float, float]:
    x, y = transformer(STORAGE_SRID, epsg).transform(*CENTRE)
    return x, y


def make_scene(
    path: Path,
    epsg: int = 4543,
    kind: str = "ms",
    size: int = 400,
    res: float | None = None,
    water: list[Polygon] | None = None,
    noise: float | None = None,
    nodata_rows: int = 0,
    descriptions: tuple[str, ...] | None = None,
    tiled: bool = True,
    seed: int = 7,
    transform: Affine | None = None,
) -> Scene:
    """Write a synthetic GeoTIFF: `ms` = 4-band uint16 (blue, green, red, nir), `rgb` = 3-band uint8 drone."""
    rng = np.random.default_rng(seed)
    res = res or (0.0001 if epsg == STORAGE_SRID else 10.0)
    if transform is None:
        x0, y0 = _origin(epsg, res)
        transform = Affine(res, 0, x0 - size * res / 2, 0, -res, y0 + size * res / 2)
    water = water or default_water(size)
    yy, xx = np.mgrid[0:size, 0:size]
    texture = (np.sin(xx / 23.0) + np.cos(yy / 31.0) + np.sin((xx + yy) / 17.0)) / 3  # fields, slopes
    veg = texture > 0.25
    beach = (xx > size * 0.05) & (xx < size * 0.3) & (yy > size * 0.75)
    wet = features.rasterize([(p, 1) for p in water], out_shape=(size, size), transform=Affine.identity()) == 1
    if kind == "ms":
        palette = (LAND, VEGETATION, BEACH, WATER)
        sigma, dtype, count = noise if noise is not None else 120.0, "uint16", 4
    else:
        palette = (RGB_LAND, RGB_VEGETATION, RGB_LAND * 1.3, RGB_WATER)
        sigma, dtype, count = noise if noise is not None else 7.0, "uint8", 3
    img = np.empty((count, size, size), dtype=np.float32)
    for b in range(count):
        band = np.where(veg, palette[1][b], palette[0][b]) * (1 + 0.08 * texture)
        band = np.where(beach, palette[2][b], band)
        band = np.where(wet, palette[3][b], band)
        img[b] = band + rng.normal(0, sigma, (size, size))
    top = np.iinfo(dtype).max
    out = np.clip(np.rint(img), 1, top).astype(dtype)
    nodata = None
    if nodata_rows:
        out[:, :nodata_rows, :] = 0
        nodata = 0
    profile = dict(
        driver="GTiff",
        width=size,
        height=size,
        count=count,
        dtype=dtype,
        crs=f"EPSG:{epsg}",
        transform=transform,
        compress="deflate",
        nodata=nodata,
    )
    if tiled:
        profile |= dict(tiled=True, blockxsize=128, blockysize=128)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(out)
        if descriptions:
            for i, d in enumerate(descriptions, start=1):
                dst.set_band_description(i, d)
    truth = [reproject(shapely.affinity.affine_transform(p, transform.to_shapely()), epsg, STORAGE_SRID) for p in water]
    return Scene(path, epsg, transform, truth, water)


def scene_around(
    path: Path, water: list[Polygon], epsg: int = 4543, res: float = 10.0, margin: float = 600.0, **kw: object
) -> Scene:
    """A scene (projected `epsg`, `res` metres) covering EPSG:4490 `water` polygons and a margin around them."""
    local = [reproject(p, STORAGE_SRID, epsg) for p in water]
    x0, y0, x1, y1 = shapely.union_all(local).bounds
    size = int(np.ceil(max(x1 - x0, y1 - y0) / res + 2 * margin / res))
    transform = Affine(res, 0, x0 - margin, 0, -res, y1 + margin)
    to_px = (~transform).to_shapely()
    px = [shapely.affinity.affine_transform(p, to_px) for p in local]
    return make_scene(path, epsg=epsg, size=size, res=res, water=px, transform=transform, **kw)  # type: ignore[arg-type]


def iou(a: Polygon, b: Polygon) -> float:
    """Intersection over union, measured in the Gauss-Kruger zone (metres)."""
    from gis.crs import to_gk3

    ga, epsg = to_gk3(a)
    gb = reproject(b, STORAGE_SRID, epsg)
    return ga.intersection(gb).area / ga.union(gb).area
