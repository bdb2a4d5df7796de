"""Coordinates as people write them, and the coordinate systems they really use, to CGCS2000 lon/lat.

Systems (`CoordinateSystem`): CGCS2000 and WGS84 geographic (treated as equal: centimetres apart),
CGCS2000 3-degree Gauss-Kruger with or without the zone number before the easting, GCJ-02 (AMap,
Tencent) and BD-09 (Baidu). Values: decimal degrees, or degrees-minutes-seconds such as `101°43′12.5″`,
`101 43 12.5`, `101d43m12.5sE`, `N26°34'`. Detection proposes the likely system from the values'
ranges, and notices latitude and longitude written the wrong way round; a user's explicit choice always
wins over it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from gis.crs import STORAGE_SRID, gk3_central_meridian, transformer
from gis.gcj02 import gcj02_to_wgs84, invert, wgs84_to_gcj02


class CoordinateSystem(StrEnum):
    cgcs2000 = "cgcs2000"  # EPSG:4490, lon/lat
    wgs84 = "wgs84"  # EPSG:4326, lon/lat (within centimetres of CGCS2000)
    gk3 = "gk3"  # CGCS2000 3-degree Gauss-Kruger, easting without zone number (needs the zone's meridian)
    gk3_zoned = "gk3_zoned"  # the same with the zone number before the easting (e.g. 34 500 000)
    gcj02 = "gcj02"  # AMap, Tencent, phones' map apps
    bd09 = "bd09"  # Baidu


class CoordinateError(ValueError):
    """A value or pair that cannot be read or converted; `code` names why, `params` fill the message."""

    def __init__(self, code: str, **params: object):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


# --- degrees, minutes, seconds -----------------------------------------------------------------------------

_DMS = re.compile(
    r"""^\s*(?P<h1>[NSEW北南东西])?\s*
        (?P<d>[+-]?\d+(?:\.\d+)?)\s*(?:°|º|度|d|\s|:)?\s*
        (?:(?P<m>\d+(?:\.\d+)?)\s*(?:′|'|’|分|m|\s|:)?\s*)?
        (?:(?P<s>\d+(?:\.\d+)?)\s*(?:″|"|”|''|′′|秒|s)?\s*)?
        (?P<h2>[NSEW北南东西])?\s*$""",
    re.X | re.I,
)
_NEGATIVE = {"S", "W", "南", "西"}


def parse_angle(text: str | float | int) -> float:
    """Decimal degrees from a number or from degrees-minutes-seconds text (`101°43′12.5″E`, `26 34 12`)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        if not math.isfinite(text):
            raise CoordinateError("angle_unreadable", value=str(text))
        return float(text)
    raw = str(text).strip()
    if raw.count(",") + raw.count("，") == 1 and "." not in raw:  # a decimal comma, as some spreadsheets write
        raw = raw.replace("，", ".").replace(",", ".")
    m = _DMS.match(raw)
    if not m or (m.group("h1") and m.group("h2")):
        raise CoordinateError("angle_unreadable", value=str(text)[:40])
    degrees = float(m.group("d"))
    minutes = float(m.group("m") or 0)
    seconds = float(m.group("s") or 0)
    if minutes >= 60 or seconds >= 60 or (m.group("m") and "." in m.group("d")):
        raise CoordinateError("angle_unreadable", value=str(text)[:40])
    value = abs(degrees) + minutes / 60 + seconds / 3600
    hemisphere = (m.group("h1") or m.group("h2") or "").upper()
    if degrees < 0 or str(m.group("d")).startswith("-") or hemisphere in _NEGATIVE:
        value = -value
    return value


# --- systems ---------------------------------------------------------------------------------------------


def gk3_zone_epsg(zone: int, zoned: bool) -> int:
    """EPSG of CGCS2000 3-degree Gauss-Kruger zone `zone` (25-45; zone 34 has its meridian at 102°E)."""
    if not 25 <= zone <= 45:
        raise CoordinateError("gk_zone_unknown", zone=zone)
    return (4513 if zoned else 4534) + zone - 25


def zone_of_meridian(central_meridian: int) -> int:
    return central_meridian // 3


def to_cgcs2000(
    x: float, y: float, system: CoordinateSystem, central_meridian: int | None = None
) -> tuple[float, float]:
    """One coordinate pair (x = longitude or easting) in `system` to CGCS2000 lon/lat.

    For `gk3` (no zone number in the easting) the zone's central meridian must be given (Panzhihua: 102).
    """
    match system:
        case CoordinateSystem.cgcs2000 | CoordinateSystem.wgs84:
            return x, y
        case CoordinateSystem.gcj02:
            return gcj02_to_wgs84(x, y)
        case CoordinateSystem.bd09:
            return gcj02_to_wgs84(*bd09_to_gcj02(x, y))
        case CoordinateSystem.gk3_zoned:
            zone = int(x // 1_000_000)
            return transformer(gk3_zone_epsg(zone, True), STORAGE_SRID).transform(x, y)
        case CoordinateSystem.gk3:
            if central_meridian is None:
                raise CoordinateError("gk_meridian_missing")
            epsg = gk3_zone_epsg(zone_of_meridian(central_meridian), False)
            return transformer(epsg, STORAGE_SRID).transform(x, y)
    raise CoordinateError("system_unknown", system=str(system))


def from_cgcs2000(
    lon: float, lat: float, system: CoordinateSystem, central_meridian: int | None = None
) -> tuple[float, float]:
    """CGCS2000 lon/lat to `system` (the inverse of `to_cgcs2000`, for exports and tests)."""
    match system:
        case CoordinateSystem.cgcs2000 | CoordinateSystem.wgs84:
            return lon, lat
        case CoordinateSystem.gcj02:
            return wgs84_to_gcj02(lon, lat)
        case CoordinateSystem.bd09:
            return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
        case CoordinateSystem.gk3_zoned | CoordinateSystem.gk3:
            cm = central_meridian if central_meridian is not None else gk3_central_meridian(lon)
            epsg = gk3_zone_epsg(zone_of_meridian(cm), system == CoordinateSystem.gk3_zoned)
            return transformer(STORAGE_SRID, epsg).transform(lon, lat)
    raise CoordinateError("system_unknown", system=str(system))


_X_PI = math.pi * 3000.0 / 180.0


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to Baidu's BD-09 (the published formula)."""
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 to GCJ-02: the published approximate inverse (a few centimetres off), refined by inverting the
    forward formula from there."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return invert(gcj02_to_bd09, lon, lat, start=(z * math.cos(theta), z * math.sin(theta)))


# --- detection -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detection:
    """What the values look like: a system (None when nothing fits), whether x and y seem swapped, why."""

    system: CoordinateSystem | None
    swapped: bool
    reason: str
    central_meridian: int | None = None


def detect(
    pairs: Iterable[Sequence[float]], region_bounds: tuple[float, float, float, float] | None = None
) -> Detection:
    """Guess the system of (x, y) pairs from their ranges.

    Geographic pairs inside the region's box (or China's) are CGCS2000/WGS84 (GCJ-02 and BD-09 look the
    same: only the user can tell); pairs that fit once swapped are flagged; eastings of 8 digits whose
    first two are 25-45 carry a zone number; eastings near 500 000 with northings of millions are Gauss-
    Kruger without zone, whose meridian cannot be read from the values (the region's is proposed).
    """
    pts = [(float(x), float(y)) for x, y in pairs]
    if not pts:
        raise CoordinateError("no_coordinates")
    box = region_bounds or (73.0, 3.0, 136.0, 54.0)  # China
    minx, miny, maxx, maxy = box

    def all_in(points: list[tuple[float, float]], b: tuple[float, float, float, float]) -> bool:
        return all(b[0] <= px <= b[2] and b[1] <= py <= b[3] for px, py in points)

    def geographic(points: list[tuple[float, float]]) -> bool:
        return all(-180 <= px <= 180 and -90 <= py <= 90 for px, py in points)

    flipped = [(y, x) for x, y in pts]
    if geographic(pts) or geographic(flipped):
        if geographic(pts) and all_in(pts, box):
            return Detection(CoordinateSystem.cgcs2000, False, "geographic, inside the region")
        if geographic(flipped) and all_in(flipped, box):
            return Detection(CoordinateSystem.cgcs2000, True, "geographic, inside the region once swapped")
        return Detection(CoordinateSystem.cgcs2000, not geographic(pts), "geographic, outside the region")
    for candidate, swapped in ((pts, False), ([(y, x) for x, y in pts], True)):
        if all(25_000_000 <= x < 46_000_000 and 0 < y < 6_500_000 for x, y in candidate):
            zones = {int(x // 1_000_000) for x, _ in candidate}
            if len(zones) == 1:
                return Detection(
                    CoordinateSystem.gk3_zoned, swapped, f"Gauss-Kruger, zone {zones.pop()} in the easting", None
                )
        if all(100_000 <= x <= 900_000 and 0 < y < 6_500_000 for x, y in candidate):
            cm = gk3_central_meridian((minx + maxx) / 2)
            return Detection(CoordinateSystem.gk3, swapped, "Gauss-Kruger without zone number", cm)
    return Detection(None, False, "no coordinate system fits these values")
