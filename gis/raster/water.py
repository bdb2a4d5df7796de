"""Water surfaces from imagery, window by window.

Methods (each configurable, defaults documented here and in the README):

- `ndwi` (multispectral): McFeeters' NDWI = (green - NIR) / (green + NIR); a pixel is water when NDWI is
  above the threshold, default 0.0 (McFeeters 1996). Turbid tailings water often sits at 0.0-0.2 and
  bright dry beach below -0.1, so a bureau may raise it per image.
- `rgb` (drone orthophotos, no NIR band): a pixel is water when its blue-red difference ratio
  (blue - red) / (blue + red) is above the threshold (default 0.05) and it is not bright (its largest
  band below `max_brightness`, default 0.6 of the data type's range). Water absorbs red more than blue
  and reflects little; vegetation and bare tailings have red at or above blue. Blue-tinted shadows and
  blue roofs pass the test: the minimum area and a look at the result remain needed.

Clean-up: a 3 x 3 majority filter smooths the mask (and removes salt-and-pepper noise); water bodies
smaller than `min_area_m2` are dropped and dry holes smaller than `fill_holes_m2` filled; outlines are
simplified with a tolerance of one pixel (the image resolution, Visvalingam-Whyatt, which keeps
the area), so staircase edges become straight.

Windowing: the mask is computed and polygonized per block of about 1024 x 1024 pixels (aligned with the
file's tiles); the filter takes the pixels beyond a block's edge from its neighbours' bit-packed masks
(three block rows are kept); polygons that reach an inner block edge are merged
with their neighbours after each block row, in pixel coordinates (integers, exact); a merged polygon
that does not reach the row's lower edge is complete. Memory is bounded by the block
size and GDAL's 64 MiB cache, not by the image size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import rasterio
import shapely
from affine import Affine
from rasterio import features
from rasterio.windows import Window
from rasterio.windows import from_bounds as window_from_bounds
from shapely.geometry import MultiPolygon, Polygon, box, shape

from gis.crs import STORAGE_SRID, geodesic_area_m2, reproject
from gis.raster.bands import BandRoles
from gis.raster.errors import RasterRefused

Progress = Callable[[float], None]

METHODS = ("ndwi", "rgb")
DEFAULT_THRESHOLD = {"ndwi": 0.0, "rgb": 0.05}
BLOCK = 1024
GDAL_ENV = {"GDAL_CACHEMAX": 64}


@dataclass(frozen=True)
class WaterParams:
    """How water is told from land, and how the result is cleaned (see the module docstring)."""

    method: str = "ndwi"
    threshold: float | None = None  # None: DEFAULT_THRESHOLD[method]
    max_brightness: float = 0.6  # rgb only: share of the data type's range
    smooth: bool = True  # 3 x 3 majority filter
    min_area_m2: float = 200.0
    fill_holes_m2: float = 200.0
    simplify: bool = True

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise RasterRefused("water_method_unknown", {"method": self.method, "methods": ", ".join(METHODS)})

    @property
    def effective_threshold(self) -> float:
        return DEFAULT_THRESHOLD[self.method] if self.threshold is None else float(self.threshold)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"threshold": self.effective_threshold}


@dataclass(frozen=True)
class WaterBody:
    geom: Polygon  # EPSG:4490 lon/lat
    area_m2: float  # on the GRS80 spheroid


@dataclass
class WaterResult:
    bodies: list[WaterBody]
    water_pixels: int
    valid_pixels: int
    total_pixels: int
    pixel_area_m2: float
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def area_m2(self) -> float:
        return sum(b.area_m2 for b in self.bodies)

    def multipolygon(self) -> MultiPolygon:
        return MultiPolygon([b.geom for b in self.bodies])


def _required_roles(method: str) -> tuple[str, ...]:
    return ("green", "nir") if method == "ndwi" else ("red", "green", "blue")


def water_mask(
    bands: dict[str, np.ndarray], params: WaterParams, nodata: float | None, dtype_max: float
) -> tuple[np.ndarray, np.ndarray]:
    """(water, valid) boolean arrays from the bands a method needs (the same shape each)."""
    t = params.effective_threshold
    if params.method == "ndwi":
        g, n = bands["green"], bands["nir"]
        valid = (g.astype(np.float32) + n) > 0
        if nodata is not None:
            valid &= (g != nodata) & (n != nodata)
        if t == 0.0:
            water = g > n  # NDWI > 0 without a division: same result, a third of the time
        else:
            gf, nf = g.astype(np.float32), n.astype(np.float32)
            water = (gf - nf) > np.float32(t) * (gf + nf)
    else:
        r, g, b = (bands[k].astype(np.float32) for k in ("red", "green", "blue"))
        valid = (r + g + b) > 0
        if nodata is not None:
            valid &= (bands["red"] != nodata) & (bands["green"] != nodata) & (bands["blue"] != nodata)
        water = ((b - r) > np.float32(t) * (b + r)) & (
            np.maximum(np.maximum(r, g), b) < params.max_brightness * dtype_max
        )
    water &= valid
    return water, valid


def _majority(padded: np.ndarray) -> np.ndarray:
    """3 x 3 majority of a uint8 0/1 array padded by one pixel on each side."""
    h, w = padded.shape[0] - 2, padded.shape[1] - 2
    total = np.zeros((h, w), dtype=np.uint8)
    for dy in range(3):
        for dx in range(3):
            total += padded[dy : dy + h, dx : dx + w]
    return total >= 5


@dataclass
class _Mask:
    """A block's water and validity masks, bit-packed, with its edge pixels ready for the neighbours."""

    win: Window
    wet_bits: np.ndarray
    valid_bits: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    left: np.ndarray
    right: np.ndarray

    def __init__(self, win: Window, wet: np.ndarray, valid: np.ndarray):
        self.win = win
        self.wet_bits, self.valid_bits = np.packbits(wet), np.packbits(valid)
        self.top, self.bottom = wet[0].copy(), wet[-1].copy()
        self.left, self.right = wet[:, 0].copy(), wet[:, -1].copy()

    def unpack(self) -> tuple[np.ndarray, np.ndarray]:
        h, w = int(self.win.height), int(self.win.width)
        n = h * w
        return (
            np.unpackbits(self.wet_bits, count=n).view(bool).reshape(h, w),
            np.unpackbits(self.valid_bits, count=n).view(bool).reshape(h, w),
        )


def _padded(wet: np.ndarray, masks: dict[int, list[_Mask]], ri: int, ci: int) -> np.ndarray:
    """The block's water mask with a one-pixel frame from its eight neighbours (dry beyond the area)."""
    h, w = wet.shape
    p = np.zeros((h + 2, w + 2), dtype=np.uint8)
    p[1:-1, 1:-1] = wet

    def at(r: int, c: int) -> _Mask | None:
        row = masks.get(r)
        return row[c] if row is not None and 0 <= c < len(row) else None

    if m := at(ri - 1, ci):
        p[0, 1:-1] = m.bottom
    if m := at(ri + 1, ci):
        p[-1, 1:-1] = m.top
    if m := at(ri, ci - 1):
        p[1:-1, 0] = m.right
    if m := at(ri, ci + 1):
        p[1:-1, -1] = m.left
    if m := at(ri - 1, ci - 1):
        p[0, 0] = m.bottom[-1]
    if m := at(ri - 1, ci + 1):
        p[0, -1] = m.bottom[0]
    if m := at(ri + 1, ci - 1):
        p[-1, 0] = m.top[-1]
    if m := at(ri + 1, ci + 1):
        p[-1, -1] = m.top[0]
    return p


def _blocks(area: Window, block: int, origin: tuple[int, int]) -> Iterator[Window]:
    """Windows covering `area`, aligned on a `block` grid that starts at `origin` (col, row)."""
    c0 = origin[0] + ((int(area.col_off) - origin[0]) // block) * block
    r0 = origin[1] + ((int(area.row_off) - origin[1]) // block) * block
    c_end, r_end = int(area.col_off + area.width), int(area.row_off + area.height)
    for r in range(r0, r_end, block):
        for c in range(c0, c_end, block):
            cs, rs = max(c, int(area.col_off)), max(r, int(area.row_off))
            yield Window(cs, rs, min(c + block, c_end) - cs, min(r + block, r_end) - rs)


def _clean(poly: Polygon, min_px: float, hole_px: float) -> Polygon | None:
    if poly.area < min_px:
        return None
    holes = [h for h in poly.interiors if Polygon(h).area >= hole_px]
    return Polygon(poly.exterior, holes) if len(holes) != len(poly.interiors) else poly


def _area_window(src: rasterio.io.DatasetReader, aoi: Polygon | None, epsg: int) -> Window:
    full = Window(0, 0, src.width, src.height)
    if aoi is None:
        return full
    x0, y0, x1, y1 = reproject(shapely.segmentize(aoi, 0.001), STORAGE_SRID, epsg).bounds
    w = window_from_bounds(x0, y0, x1, y1, src.transform).round_offsets(op="floor").round_lengths(op="ceil")
    try:
        return w.intersection(full)
    except rasterio.errors.WindowError:
        return Window(0, 0, 0, 0)


def _pixel_area_m2(transform: Affine, epsg: int, col: float, row: float) -> float:
    px = shapely.affinity.affine_transform(box(col, row, col + 1, row + 1), transform.to_shapely())
    return geodesic_area_m2(reproject(px, epsg, STORAGE_SRID))


def extract_water(
    path: str | PathLike[str],
    roles: BandRoles,
    params: WaterParams | None = None,
    aoi: Polygon | None = None,
    progress: Progress | None = None,
    block: int = BLOCK,
) -> WaterResult:
    """Water bodies of an image (inside `aoi`, an EPSG:4490 polygon, when given), as EPSG:4490 polygons.

    `roles` maps band roles to 1-based band indexes (green and nir for `ndwi`; red, green, blue for `rgb`).
    `progress` is called with the share done (0-1) after every block.
    """
    params = params or WaterParams()
    missing = [r for r in _required_roles(params.method) if r not in roles]
    if missing:
        raise RasterRefused("water_bands_missing", {"method": params.method, "bands": ", ".join(missing)})
    names = _required_roles(params.method)
    indexes = [roles[r] for r in names]
    with rasterio.Env(**GDAL_ENV), rasterio.open(path) as src:
        epsg = src.crs.to_epsg() if src.crs else None
        if epsg is None:
            raise RasterRefused("raster_crs_unknown", {"file": str(path).rsplit("/", 1)[-1], "crs": str(src.crs)})
        area = _area_window(src, aoi, epsg)
        nodata = src.nodata
        dtype = np.dtype(src.dtypes[indexes[0] - 1])
        dtype_max = float(np.iinfo(dtype).max) if dtype.kind in "ui" else 1.0
        bh, bw = src.block_shapes[indexes[0] - 1]
        step = max(bw, (block // bw) * bw) if src.profile.get("tiled") else block
        a_c0, a_r0 = int(area.col_off), int(area.row_off)
        a_c1, a_r1 = a_c0 + int(area.width), a_r0 + int(area.height)
        pixel_area = _pixel_area_m2(src.transform, epsg, (a_c0 + a_c1) / 2, (a_r0 + a_r1) / 2)
        min_px = params.min_area_m2 / pixel_area
        hole_px = params.fill_holes_m2 / pixel_area
        finished: list[Polygon] = []  # complete, cleaned and simplified (pixel coordinates)
        at_edges: list[Polygon] = []  # pieces that may go on in the next block row

        def finish(poly: Polygon) -> None:
            if (kept := _clean(poly, min_px, hole_px)) is not None:
                # Visvalingam-Whyatt (GEOS coverage simplifier): removes one-pixel steps and keeps the area,
                # where Douglas-Peucker cuts every convex corner (a 34 x 24 pixel pond lost 6 % of its area)
                finished.append(shapely.coverage_simplify(kept, 1.0) if params.simplify else kept)

        counts = [0, 0]  # water, valid pixels
        windows = list(_blocks(area, step, (0, 0))) if area.width > 0 and area.height > 0 else []
        block_rows: list[list[Window]] = []
        for win in windows:
            if not block_rows or int(block_rows[-1][0].row_off) != int(win.row_off):
                block_rows.append([])
            block_rows[-1].append(win)
        masks: dict[int, list[_Mask]] = {}  # block row -> its blocks' masks; three rows at most
        done = 0

        def polygonize_row(ri: int) -> None:
            nonlocal done
            for ci, m in enumerate(masks[ri]):
                c0, r0, w, h = int(m.win.col_off), int(m.win.row_off), int(m.win.width), int(m.win.height)
                wet, valid = m.unpack()
                mask = _majority(_padded(wet, masks, ri, ci)) & valid if params.smooth else wet
                counts[0] += int(np.count_nonzero(mask))
                counts[1] += int(np.count_nonzero(valid))
                if mask.any():
                    shifted = Affine.translation(c0, r0)
                    shapes = features.shapes(mask.view(np.uint8), mask=mask, connectivity=4, transform=shifted)
                    for geojson, _value in shapes:
                        poly = shape(geojson)
                        x0, y0, x1, y1 = poly.bounds
                        touches = (
                            (x0 == c0 > a_c0) or (x1 == c0 + w < a_c1) or (y0 == r0 > a_r0) or (y1 == r0 + h < a_r1)
                        )
                        if touches:
                            at_edges.append(poly)
                        else:
                            finish(poly)
                done += 1
                if progress:
                    progress(done / len(windows))
            # Merge the pieces so far; a merged polygon that does not reach this row's bottom edge is complete,
            # so what is kept open is bounded by the image's width, not its height.
            if at_edges:
                bottom = int(masks[ri][0].win.row_off + masks[ri][0].win.height)
                merged = shapely.union_all(at_edges)
                at_edges.clear()
                for part in getattr(merged, "geoms", [merged]):
                    if not isinstance(part, Polygon):
                        continue
                    if part.bounds[3] >= bottom and bottom < a_r1:
                        at_edges.append(part)
                    else:
                        finish(part)

        # Blocks are read aligned on the file's tiles (a halo read would decompress the neighbouring
        # tiles again); the majority filter takes the pixels beyond a block's edges from its neighbours'
        # masks, so a block row is polygonized once the row below it is read.
        lag = 1 if params.smooth else 0
        for ri, row in enumerate(block_rows):
            masks[ri] = []
            for win in row:
                data = src.read(indexes, window=win)
                wet, valid = water_mask(dict(zip(names, data, strict=True)), params, nodata, dtype_max)
                masks[ri].append(_Mask(win, wet, valid))
                del data, wet, valid
            if ri - lag >= 0:
                polygonize_row(ri - lag)
                masks.pop(ri - lag - 1, None)
        if lag and block_rows:
            polygonize_row(len(block_rows) - 1)
        water_px, valid_px = counts
        for part in at_edges:  # only if the last row was never polygonized (no blocks)
            finish(part)
        to_crs = src.transform.to_shapely()
    bodies = []
    for simple in finished:
        lonlat = reproject(shapely.affinity.affine_transform(simple, to_crs), epsg, STORAGE_SRID)
        if not lonlat.is_valid:
            lonlat = shapely.make_valid(lonlat)
            lonlat = max(getattr(lonlat, "geoms", [lonlat]), key=lambda g: g.area)
        if isinstance(lonlat, Polygon) and not lonlat.is_empty:
            bodies.append(WaterBody(lonlat, geodesic_area_m2(lonlat)))
    bodies.sort(key=lambda b: -b.area_m2)
    return WaterResult(
        bodies=bodies,
        water_pixels=water_px,
        valid_pixels=valid_px,
        total_pixels=int(area.width) * int(area.height),
        pixel_area_m2=pixel_area,
        params=params.as_dict(),
    )


def pond_outline(water: Polygon | MultiPolygon, epsg: int, closing_m: float) -> Polygon | MultiPolygon:
    """The pond's extent seen from imagery: its water joined across gaps narrower than 2 x `closing_m`
    (a morphological closing in the Gauss-Kruger zone `epsg`), every hole filled."""
    metric = reproject(water, STORAGE_SRID, epsg)
    closed = metric.buffer(closing_m, join_style="mitre").buffer(-closing_m, join_style="mitre")
    parts = [
        Polygon(p.exterior) for p in getattr(closed, "geoms", [closed]) if isinstance(p, Polygon) and not p.is_empty
    ]
    filled = shapely.union_all(parts) if parts else Polygon()
    return reproject(filled, epsg, STORAGE_SRID)
