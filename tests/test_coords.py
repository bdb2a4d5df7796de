"""Coordinates as enterprises write them: control points, round trips, detection (CGCS2000, GK zone 34)."""

from __future__ import annotations

import pytest

from gis.coords import (
    CoordinateError,
    bd09_to_gcj02,
    detect,
    from_cgcs2000,
    gcj02_to_bd09,
    gk3_zone_epsg,
    parse_angle,
    to_cgcs2000,
)
from gis.coords import (
    CoordinateSystem as CS,
)
from gis.crs import GEOD

PANZHIHUA = (101.1, 26.1, 102.3, 27.3)


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("101°43′12.5″", 101 + 43 / 60 + 12.5 / 3600),
        ("101°43'12.5\"E", 101 + 43 / 60 + 12.5 / 3600),
        ("E101°43′12.5″", 101 + 43 / 60 + 12.5 / 3600),
        ("101 43 12.5", 101 + 43 / 60 + 12.5 / 3600),
        ("101d43m12.5s", 101 + 43 / 60 + 12.5 / 3600),
        ("26度34分", 26 + 34 / 60),
        ("北26°34′", 26 + 34 / 60),
        ("26.5705", 26.5705),
        ("26,5705", 26.5705),  # decimal comma
        ("-33°52′S", -(33 + 52 / 60)),
        ("33°52′S", -(33 + 52 / 60)),
        (101.72, 101.72),
    ],
)
def test_angles_as_people_write_them(text, degrees) -> None:
    assert parse_angle(text) == pytest.approx(degrees, abs=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "101°73′", "101°43′75″", "N26°E", "101.5°30′", float("nan")])
def test_unreadable_angles_are_refused(text) -> None:
    with pytest.raises(CoordinateError) as err:
        parse_angle(text)
    assert err.value.code == "angle_unreadable"


def test_gauss_kruger_zone_codes() -> None:
    assert gk3_zone_epsg(34, zoned=False) == 4543 and gk3_zone_epsg(34, zoned=True) == 4522  # zone 34 at 102°E
    with pytest.raises(CoordinateError):
        gk3_zone_epsg(60, zoned=True)


def test_a_point_on_the_central_meridian() -> None:
    # On 102°E the easting is the false easting exactly: 500 000 m, or 34 500 000 m with the zone number.
    x, _ = from_cgcs2000(102.0, 26.5, CS.gk3, central_meridian=102)
    xz, _ = from_cgcs2000(102.0, 26.5, CS.gk3_zoned)
    assert x == pytest.approx(500_000, abs=1e-6) and xz == pytest.approx(34_500_000, abs=1e-6)


@pytest.mark.parametrize("system", list(CS))
@pytest.mark.parametrize(("lon", "lat"), [(101.72, 26.58), (101.15, 26.2), (102.28, 27.25)])
def test_round_trips_to_a_millimetre(system, lon, lat) -> None:
    x, y = from_cgcs2000(lon, lat, system, central_meridian=102)
    back = to_cgcs2000(x, y, system, central_meridian=102)
    assert GEOD.inv(lon, lat, *back)[2] < 0.001


def test_bd09_is_a_further_offset_of_gcj02() -> None:
    glon, glat = 101.7265, 26.5771
    blon, blat = gcj02_to_bd09(glon, glat)
    assert 300 < GEOD.inv(glon, glat, blon, blat)[2] < 1500  # Baidu's extra shift
    assert bd09_to_gcj02(blon, blat) == pytest.approx((glon, glat), abs=1e-6)


def test_gk_without_zone_needs_its_meridian() -> None:
    with pytest.raises(CoordinateError) as err:
        to_cgcs2000(500_000, 2_932_000, CS.gk3)
    assert err.value.code == "gk_meridian_missing"


def test_detection() -> None:
    lonlat = [(101.72, 26.58), (101.8, 26.6)]
    assert detect(lonlat, PANZHIHUA) == detect(lonlat, PANZHIHUA)
    d = detect(lonlat, PANZHIHUA)
    assert d.system == CS.cgcs2000 and not d.swapped
    d = detect([(26.58, 101.72), (26.6, 101.8)], PANZHIHUA)
    assert d.system == CS.cgcs2000 and d.swapped
    gk = [from_cgcs2000(lon, lat, CS.gk3, central_meridian=102) for lon, lat in lonlat]
    d = detect(gk, PANZHIHUA)
    assert d.system == CS.gk3 and d.central_meridian == 102 and not d.swapped
    d = detect([(y, x) for x, y in gk], PANZHIHUA)  # northing written first, as surveyors often do
    assert d.system == CS.gk3 and d.swapped
    zoned = [from_cgcs2000(lon, lat, CS.gk3_zoned) for lon, lat in lonlat]
    d = detect(zoned, PANZHIHUA)
    assert d.system == CS.gk3_zoned and "zone 34" in d.reason
    assert detect([(5.0e9, 1.0)], PANZHIHUA).system is None
    with pytest.raises(CoordinateError):
        detect([], PANZHIHUA)
