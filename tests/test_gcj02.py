from __future__ import annotations

import math

import pytest

from gis.crs import GEOD
from gis.gcj02 import gcj02_to_wgs84, outside_china, wgs84_to_gcj02

# Places across China, for the round trip and the size of the offset.
PLACES = [(101.72, 26.58), (116.397, 39.909), (121.47, 31.23), (87.6, 43.8), (113.26, 23.13), (126.6, 45.75)]


@pytest.mark.parametrize(("lon", "lat"), PLACES)
def test_round_trip_is_exact_to_a_millimetre(lon: float, lat: float) -> None:
    glon, glat = wgs84_to_gcj02(lon, lat)
    back = gcj02_to_wgs84(glon, glat)
    assert GEOD.inv(lon, lat, *back)[2] < 0.001


@pytest.mark.parametrize(("lon", "lat"), PLACES)
def test_the_offset_is_hundreds_of_metres(lon: float, lat: float) -> None:
    _, _, metres = GEOD.inv(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert 50 < metres < 900


def test_panzhihua_offset_matches_the_reference_layers_conversion() -> None:
    # layers/reference/SOURCES.md: converting the DataV districts from GCJ-02 to WGS84 moved them about
    # 150 m west and 390 m north, about 420 m in all; so GCJ-02 lies ~150 m east and ~390 m south.
    lon, lat = 101.72, 26.58
    glon, glat = wgs84_to_gcj02(lon, lat)
    east = GEOD.inv(lon, lat, glon, lat)[2] * (1 if glon > lon else -1)
    north = GEOD.inv(lon, lat, lon, glat)[2] * (1 if glat > lat else -1)
    assert east == pytest.approx(150, abs=60) and north == pytest.approx(-390, abs=60)


def test_outside_china_nothing_changes() -> None:
    assert outside_china(2.35, 48.85) and wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


def test_formula_is_finite_everywhere_in_china() -> None:
    for lon in range(73, 136, 7):
        for lat in range(4, 54, 7):
            glon, glat = wgs84_to_gcj02(lon, lat)
            assert math.isfinite(glon) and math.isfinite(glat)
