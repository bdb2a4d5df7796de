"""GCJ-02 ("Mars coordinates"), the obfuscated datum of Chinese web maps (AMap/Gaode, Tencent).

The forward transform from WGS84 is the widely published formula; the inverse has no closed form and is
found by fixed-point iteration to better than 1e-9 degrees. Outside mainland China the datum equals WGS84.
CGCS2000 is taken as WGS84 here (they differ by centimetres). The browser has the same forward formula in
app/static/js/gcj02.js; tests/test_gcj02.py checks that the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the formula uses
_EE = 0.00669342162296594323  # its first eccentricity squared


def outside_china(lon: float, lat: float) -> bool:
    """The coarse box the formula is applied in (the customary one)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _dlat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _dlon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 (or CGCS2000) longitude/latitude to GCJ-02."""
    if outside_china(lon, lat):
        return lon, lat
    dlat, dlon = _dlat(lon - 105.0, lat - 35.0), _dlon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def invert(
    forward: Callable[[float, float], tuple[float, float]],
    lon: float,
    lat: float,
    start: tuple[float, float] | None = None,
    tolerance: float = 1e-10,
) -> tuple[float, float]:
    """The point that `forward` maps to (lon, lat), by fixed-point iteration from `start` (default: the
    target itself). Converges in a few steps for these offsets, which change slowly with position."""
    x, y = start or (lon, lat)
    for _ in range(30):
        fx, fy = forward(x, y)
        dx, dy = fx - lon, fy - lat
        x, y = x - dx, y - dy
        if abs(dx) < tolerance and abs(dy) < tolerance:
            break
    return x, y


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to WGS84, by inverting the forward transform."""
    if outside_china(lon, lat):
        return lon, lat
    return invert(wgs84_to_gcj02, lon, lat)
