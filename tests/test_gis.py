from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, Polygon
from sqlalchemy import text

from app.config import get_settings
from gis.crs import GEOD, geodesic_area_m2, geodesic_length_m, gk3_central_meridian, gk3_epsg, reproject
from gis.geometry import GeometryError, parse_geojson_geometry
from gis.region import Region


@pytest.mark.parametrize(
    ("lon", "epsg"),
    [
        (101.7, 4543),
        (102.0, 4543),
        (100.4, 4542),
        (103.6, 4544),
        (75.0, 4534),
        (134.9, 4554),
        (60.0, 4534),
        (150.0, 4554),
    ],
)
def test_gk3_zone_of_a_longitude(lon: float, epsg: int) -> None:
    assert gk3_epsg(lon) == epsg


def test_panzhihua_is_in_the_zone_of_102e() -> None:
    assert {gk3_central_meridian(lon) for lon in (101.1, 101.6, 102.3)} == {102}


def test_sql_twin_of_the_zone_formula_agrees(db) -> None:
    for lon in (75.0, 88.6, 101.49, 101.51, 102.3, 119.9, 135.0):
        sql = db.execute(text("SELECT tailings_gk3_srid(ST_SetSRID(ST_Point(:x, 30), 4490))"), {"x": lon}).scalar()
        assert sql == gk3_epsg(lon), lon


def test_gk_projection_of_a_known_point() -> None:
    # On the central meridian the false easting is 500 km and northing is the meridian arc length.
    x, y = reproject(Point(102, 26.5), 4490, 4543).coords[0]
    _, _, arc = GEOD.inv(102, 0, 102, 26.5)  # geodesic along the meridian, scale factor 1 on it
    assert x == pytest.approx(500_000, abs=0.01)
    assert y == pytest.approx(arc, abs=0.01)
    # 3 degrees away is the neighbouring zone's meridian; Panzhihua's east edge is still in zone 34 (CM 102).
    assert reproject(Point(102.3, 26.5), 4490, 4543).x == pytest.approx(529_880, abs=200)


def test_geodesic_measures_agree_with_projected_ones() -> None:
    square = Polygon([(101.7, 26.5), (101.71, 26.5), (101.71, 26.51), (101.7, 26.51)])
    projected = reproject(square, 4490, 4543)
    assert geodesic_area_m2(square) == pytest.approx(projected.area, rel=2e-3)
    line = LineString([(101.7, 26.5), (101.7, 26.6)])
    assert geodesic_length_m(line) == pytest.approx(11_084, rel=1e-3)


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        (None, "geometry_malformed"),
        ({"type": "Circle", "coordinates": [1, 2]}, "geometry_type_unknown"),
        ({"type": "LineString", "coordinates": [[101.7, 26.5], [101.8, 26.6]]}, "geometry_type_not_allowed"),
        ({"type": "Point"}, "geometry_malformed"),
        ({"type": "Point", "coordinates": [101.7]}, "geometry_malformed"),
        ({"type": "Point", "coordinates": ["101.7", 26.5]}, "geometry_malformed"),
        ({"type": "Point", "coordinates": [float("nan"), 26.5]}, "geometry_malformed"),
        ({"type": "Point", "coordinates": [500123.0, 2933140.0]}, "coordinates_out_of_range"),
        ({"type": "Point", "coordinates": []}, "geometry_malformed"),
    ],
)
def test_bad_point_geometries_are_refused_with_their_reason(geometry, code) -> None:
    with pytest.raises(GeometryError) as err:
        parse_geojson_geometry(geometry, ["Point", "Polygon"])
    assert err.value.code == code


def test_self_intersecting_polygon_is_refused_with_the_reason() -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[101.7, 26.5], [101.8, 26.6], [101.8, 26.5], [101.7, 26.6], [101.7, 26.5]]],
    }
    with pytest.raises(GeometryError) as err:
        parse_geojson_geometry(bowtie)
    assert err.value.code == "geometry_invalid"
    assert "Self-intersection" in err.value.params["reason"]


def test_degenerate_line_is_refused() -> None:
    with pytest.raises(GeometryError) as err:
        parse_geojson_geometry({"type": "LineString", "coordinates": [[101.7, 26.5], [101.7, 26.5]]})
    assert err.value.code == "geometry_invalid"


def test_valid_geometry_comes_back_2d() -> None:
    g = parse_geojson_geometry({"type": "Point", "coordinates": [101.7, 26.5, 1100.0]})
    assert g.equals(Point(101.7, 26.5)) and not g.has_z


@pytest.fixture(scope="module")
def region() -> Region:
    return Region.from_geojson(get_settings().region_path, 2000)


def test_region_accepts_panzhihua_and_refuses_beijing(region: Region) -> None:
    region.check(Point(101.72, 26.58))  # Panzhihua city centre
    with pytest.raises(GeometryError) as err:
        region.check(Point(116.4, 39.9))
    assert err.value.code == "outside_region"


def test_region_recognises_swapped_latitude_and_longitude(region: Region) -> None:
    # 26.58, 101.72 is not a place in China but is Panzhihua with the axes swapped... only if it falls in the
    # region's box once swapped: latitude 101 is impossible, so the coordinate range check catches it first.
    with pytest.raises(GeometryError):
        parse_geojson_geometry({"type": "Point", "coordinates": [26.58, 101.72]})
    # Inside the valid range a swap is detected against the region box.
    small = Region("box", Polygon([(20, 20), (30, 20), (30, 25), (20, 25)]), 0)
    with pytest.raises(GeometryError) as err:
        small.check(Point(22, 27))
    assert err.value.code == "coordinates_swapped"


def test_region_margin_is_in_metres(region: Region) -> None:
    minx = region.area.bounds[0]
    # 1 km west of the widened region's edge at its westernmost point is outside; the margin itself is 2 km.
    tight = Region.from_geojson(get_settings().region_path, 0)
    west = Point(tight.area.bounds[0] - 0.01, tight.area.centroid.y)  # about 1 km west of the city
    assert minx < tight.area.bounds[0]
    assert region.area.bounds[0] == pytest.approx(tight.area.bounds[0] - 2000 / 99_600, abs=0.002)
    with pytest.raises(GeometryError):
        tight.check(west)
