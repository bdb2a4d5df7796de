"""The source coordinate system of an upload and the move of its geometries to CGCS2000 lon/lat.

One `SourceCrs` per file (or layer): a `gis.coords.CoordinateSystem` (with the Gauss-Kruger meridian when it
has no zone number) or any CRS pyproj knows (`EPSG:n`, a .prj's WKT), plus whether x and y were written the
wrong way round. Point conversion goes through `gis.coords.to_cgcs2000` and `gis.crs.transformer`, the one
place for CRS conversion; this module only chooses which system applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from gis.coords import CoordinateError, CoordinateSystem, detect, gk3_zone_epsg, to_cgcs2000, zone_of_meridian
from gis.crs import STORAGE_SRID, transformer

_GEOGRAPHIC_SAME = {4490, 4326, 4610, 4214}  # CGCS2000, WGS84 and older Chinese geographic: no shift here


@dataclass(frozen=True)
class SourceCrs:
    """Where a file's coordinates live. Exactly one of `system` / `crs` is set."""

    system: CoordinateSystem | None = None
    central_meridian: int | None = None  # for gk3
    crs: CRS | None = None  # a pyproj CRS (from EPSG:n or a .prj)
    swapped: bool = False  # x holds the latitude / northing

    @property
    def name(self) -> str:
        """The value reported in `ReadResult.crs`: a CoordinateSystem code (`gk3:102`) or `EPSG:n`/WKT name."""
        if self.system is not None:
            if self.system == CoordinateSystem.gk3 and self.central_meridian is not None:
                return f"gk3:{self.central_meridian}"
            return self.system.value
        assert self.crs is not None
        epsg = self.crs.to_epsg()
        return f"EPSG:{epsg}" if epsg else self.crs.name

    def with_swap(self, swapped: bool) -> SourceCrs:
        return SourceCrs(self.system, self.central_meridian, self.crs, swapped)

    def transform(self, geom: BaseGeometry) -> BaseGeometry:
        """`geom` (2-D) in CGCS2000 lon/lat."""
        if self.swapped:
            geom = shapely.transform(geom, lambda c: c[:, ::-1])
        if self.crs is not None:
            epsg = self.crs.to_epsg()
            if epsg in _GEOGRAPHIC_SAME:
                return geom
            t = transformer(epsg, STORAGE_SRID) if epsg else _transformer_from(self.crs)
            return shapely.transform(geom, lambda x, y: t.transform(x, y), interleaved=False)
        system = self.system
        if system in (CoordinateSystem.cgcs2000, CoordinateSystem.wgs84):
            return geom
        cm = self.central_meridian

        def convert(coords: np.ndarray) -> np.ndarray:
            out = np.empty_like(coords)
            for i, (x, y) in enumerate(coords):
                out[i] = to_cgcs2000(float(x), float(y), system, cm)  # type: ignore[arg-type]
            return out

        if system == CoordinateSystem.gk3_zoned:
            return _per_zone(geom)
        if system == CoordinateSystem.gk3:
            t = transformer(_gk3_epsg(cm), STORAGE_SRID)
            return shapely.transform(geom, lambda x, y: t.transform(x, y), interleaved=False)
        return shapely.transform(geom, convert)


def _transformer_from(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, CRS.from_epsg(STORAGE_SRID), always_xy=True)


def _gk3_epsg(cm: int | None) -> int:
    if cm is None:
        raise CoordinateError("crs_meridian_missing")
    return gk3_zone_epsg(zone_of_meridian(cm), False)


def _per_zone(geom: BaseGeometry) -> BaseGeometry:
    def convert(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        for i, (x, y) in enumerate(coords):
            out[i] = to_cgcs2000(float(x), float(y), CoordinateSystem.gk3_zoned)
        return out

    return shapely.transform(geom, convert)


_GK3_WITH_CM = re.compile(r"^gk3\s*[:：]\s*(\d{2,3})$", re.I)


def parse_crs(value: str) -> SourceCrs:
    """A CRS as the application or a template names it: a CoordinateSystem value (`cgcs2000`, `wgs84`,
    `gk3_zoned`, `gcj02`, `bd09`), `gk3:<central meridian>` (e.g. `gk3:102`), or `EPSG:n` / any pyproj input.

    Raises `CoordinateError`: `crs_unknown`, `crs_meridian_missing` (plain `gk3`), `gk_zone_unknown`.
    """
    text = str(value).strip()
    m = _GK3_WITH_CM.match(text)
    if m:
        cm = int(m.group(1))
        if cm % 3:
            raise CoordinateError("gk_zone_unknown", zone=cm)
        _gk3_epsg(cm)  # checks the zone exists
        return SourceCrs(CoordinateSystem.gk3, cm)
    low = text.lower()
    if low == "gk3":
        raise CoordinateError("crs_meridian_missing")
    if low in CoordinateSystem.__members__:
        return SourceCrs(CoordinateSystem(low))
    try:
        crs = CRS.from_user_input(text)
    except CRSError as exc:
        raise CoordinateError("crs_unknown", value=text[:60]) from exc
    return SourceCrs(crs=crs)


def from_wkt(wkt: str) -> SourceCrs:
    """The CRS of a .prj / a layer's WKT; `crs_unknown` when pyproj cannot read it."""
    try:
        crs = CRS.from_user_input(wkt)
    except CRSError as exc:
        raise CoordinateError("crs_unknown", value=wkt[:60]) from exc
    epsg = crs.to_epsg(min_confidence=70)
    return SourceCrs(crs=CRS.from_epsg(epsg) if epsg else crs)


def detect_crs(
    pairs: Iterable[Sequence[float]], region_bounds: tuple[float, float, float, float] | None = None
) -> tuple[SourceCrs, str] | None:
    """The system the values fit (`gis.coords.detect`) with the reason, or None when none fits."""
    pts = list(pairs)
    if not pts:
        return None
    d = detect(pts, region_bounds)
    if d.system is None:
        return None
    return SourceCrs(d.system, d.central_meridian, swapped=d.swapped), d.reason


def axes_swapped(
    pairs: Iterable[Sequence[float]], src: SourceCrs, region_bounds: tuple[float, float, float, float] | None = None
) -> bool:
    """Whether values in a system the user chose are written y-first (Chinese surveyors' X is the northing;
    latitude before longitude): detection agrees on the family of systems only once swapped."""
    pts = list(pairs)
    if not pts or src.crs is not None:
        return False
    d = detect(pts, region_bounds)
    if d.system is None or not d.swapped:
        return False
    geographic = {CoordinateSystem.cgcs2000, CoordinateSystem.wgs84, CoordinateSystem.gcj02, CoordinateSystem.bd09}
    projected = {CoordinateSystem.gk3, CoordinateSystem.gk3_zoned}
    return (d.system in geographic and src.system in geographic) or (d.system in projected and src.system in projected)
