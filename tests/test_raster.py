"""gis.raster on synthetic scenes: checks on the way in, COGs, water extraction, statistics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from rio_cogeo.cogeo import cog_validate
from shapely.geometry import Polygon

from gis.crs import STORAGE_SRID, geodesic_area_m2, reproject
from gis.raster import (
    RasterRefused,
    WaterParams,
    extract_water,
    inspect_raster,
    polygon_stats,
    resolve_band_roles,
    to_cog,
)
from gis.raster.water import pond_outline
from tests.rasters import iou, make_scene

MS = {"blue": 1, "green": 2, "red": 3, "nir": 4}
RGB = {"red": 1, "green": 2, "blue": 3}


def _matches(truth: list[Polygon], bodies: list) -> None:
    for painted in truth:
        best = max(bodies, key=lambda b: b.geom.intersection(painted).area)
        score = iou(painted, best.geom)
        expected = geodesic_area_m2(painted)
        assert score >= 0.95, f"IoU {score:.3f}"
        assert best.area_m2 == pytest.approx(expected, rel=0.02)


@pytest.mark.parametrize("epsg", [4490, 4543, 32647])
def test_ndwi_water_matches_the_painted_ponds_in_each_crs(tmp_path: Path, epsg: int) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=epsg)
    result = extract_water(scene.path, MS, WaterParams(), block=128)  # 16 blocks: ponds cross block edges
    assert len(result.bodies) == len(scene.truth), [round(b.area_m2) for b in result.bodies]
    _matches(scene.truth, result.bodies)
    island = [b for b in result.bodies if len(b.geom.interiors) == 1]
    assert len(island) == 1  # the dry island stays a hole (larger than fill_holes_m2)
    assert result.params["threshold"] == 0.0 and result.params["method"] == "ndwi"


def test_drone_rgb_water_matches_the_painted_ponds(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "rgb.tif", epsg=4543, kind="rgb", res=0.5, size=500)
    result = extract_water(scene.path, RGB, WaterParams(method="rgb", min_area_m2=5, fill_holes_m2=5), block=128)
    assert len(result.bodies) == len(scene.truth)
    _matches(scene.truth, result.bodies)


def test_the_result_does_not_depend_on_the_block_size(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=32647)
    small = extract_water(scene.path, MS, block=128)
    whole = extract_water(scene.path, MS, block=4096)
    assert small.water_pixels == whole.water_pixels
    assert len(small.bodies) == len(whole.bodies)
    for a, b in zip(small.bodies, whole.bodies, strict=True):  # simplification may move a vertex
        assert a.area_m2 == pytest.approx(b.area_m2, rel=1e-3) and iou(a.geom, b.geom) > 0.998


def test_threshold_is_configurable_and_noise_is_cleaned(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543)
    raw = extract_water(scene.path, MS, WaterParams(smooth=False, min_area_m2=0, fill_holes_m2=0), block=128)
    assert len(raw.bodies) > 10  # the beach (NDWI about -0.1) flickers above 0 in noise
    strict = extract_water(scene.path, MS, WaterParams(threshold=0.9), block=128)
    assert strict.bodies == [] and strict.params["threshold"] == 0.9


def test_progress_and_area_of_interest(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543)
    seen: list[float] = []
    aoi = scene.truth[1].buffer(0.002)
    result = extract_water(scene.path, MS, aoi=aoi, progress=seen.append, block=128)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 1
    assert len(result.bodies) == 1
    assert iou(scene.truth[1], result.bodies[0].geom) >= 0.95
    assert result.total_pixels < 400 * 400


def test_nodata_is_neither_water_nor_valid(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543, nodata_rows=40)
    result = extract_water(scene.path, MS, block=128)
    assert result.valid_pixels == 400 * 360
    _matches(scene.truth, result.bodies)


def test_pond_outline_fills_the_island(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543)
    result = extract_water(scene.path, MS, block=128)
    lobed = result.bodies[0].geom
    outline = pond_outline(lobed, 4543, closing_m=20)
    assert len(getattr(outline, "interiors", [])) == 0
    assert geodesic_area_m2(outline) > geodesic_area_m2(lobed)


def test_statistics_inside_a_polygon(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543, nodata_rows=40)
    pond = scene.truth[1].buffer(-0.0002)  # inside the painted rectangle
    stats = polygon_stats(scene.path, MS, pond)
    assert stats.valid_share == 1.0 and stats.water_share == 1.0
    assert stats.mean_ndwi == pytest.approx((1150 - 350) / (1150 + 350), abs=0.03)
    # a polygon over the nodata rows: half of it has no data
    corners = [scene.transform @ (c, r) for c, r in ((10, 0), (60, 0), (60, 80), (10, 80))]
    top = reproject(Polygon(corners), 4543, STORAGE_SRID)
    half = polygon_stats(scene.path, MS, top)
    assert half.valid_share == pytest.approx(0.5, abs=0.03)
    assert half.mean_ndwi is not None and half.mean_ndwi < 0


def test_inspection_reads_what_it_needs(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=32647, descriptions=("B02", "B03", "B04", "B08"))
    info = inspect_raster(scene.path, bands=(3, 4))
    assert (info.count, info.crs_epsg, info.dtype) == (4, 32647, "uint16")
    assert info.resolution_m == pytest.approx(10.0)
    assert info.footprint.contains(scene.truth[0])
    assert resolve_band_roles(4, info.descriptions, sensor="sentinel-2") == MS
    assert resolve_band_roles(4, ("nir", "red", "green", "blue")) == {"nir": 1, "red": 2, "green": 3, "blue": 4}
    assert resolve_band_roles(3, ()) == RGB
    with pytest.raises(RasterRefused) as err:
        resolve_band_roles(4, (), given=["green", "nir"])
    assert err.value.code == "raster_band_roles"


def _refusal(path: Path, **kw: object) -> str:
    with pytest.raises(RasterRefused) as err:
        inspect_raster(path, **kw)  # type: ignore[arg-type]
    assert err.value.params["file"] == path.name
    return err.value.code


def test_broken_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543, tiled=False)
    data = scene.path.read_bytes()
    truncated = tmp_path / "truncated.tif"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    assert _refusal(truncated) == "raster_unreadable"
    garbage = tmp_path / "garbage.tif"
    garbage.write_bytes(b"II*\x00" + b"\x17" * 500)
    assert _refusal(garbage) == "raster_unreadable"
    assert _refusal(scene.path, bands=3) == "raster_band_count"

    plain = tmp_path / "plain.tif"
    with rasterio.open(plain, "w", driver="GTiff", width=50, height=50, count=3, dtype="uint8") as dst:
        dst.write(np.ones((3, 50, 50), dtype="uint8"))
    assert _refusal(plain) == "raster_not_georeferenced"

    custom = tmp_path / "custom.tif"
    crs = "+proj=tmerc +lat_0=0 +lon_0=101.5 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
    with rasterio.open(
        custom,
        "w",
        driver="GTiff",
        width=50,
        height=50,
        count=1,
        dtype="uint8",
        crs=crs,
        transform=rasterio.transform.from_origin(480000, 2950000, 10, 10),
    ) as dst:
        dst.write(np.ones((1, 50, 50), dtype="uint8"))
    assert _refusal(custom) == "raster_crs_unknown"

    coarse = make_scene(tmp_path / "coarse.tif", epsg=4543, res=5000.0, size=40)
    assert _refusal(coarse.path) == "raster_resolution"


def test_cog_conversion_keeps_the_pixels_and_adds_overviews(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "ms.tif", epsg=4543, size=1200, tiled=False, nodata_rows=10)
    cog = tmp_path / "ms.cog.tif"
    to_cog(scene.path, cog)
    valid, errors, _ = cog_validate(cog, quiet=True)
    assert valid, errors
    with rasterio.open(scene.path) as a, rasterio.open(cog) as b:
        assert b.overviews(1) and b.profile["tiled"] and b.nodata == 0
        assert b.crs == a.crs and b.transform == a.transform
        assert np.array_equal(a.read(), b.read())
