"""What every reader does once it has geometries in source coordinates: choose the coordinate system
(explicit > declared by the file > detected), move to CGCS2000 lon/lat, drop Z, refuse empty and degenerate
geometries, repair invalid ones with `shapely.make_valid` and say so."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from gis.coords import CoordinateError
from gis.formats.georef import SourceCrs, axes_swapped, detect_crs
from gis.formats.model import Feature, Problem, Where


@dataclass
class RawLayer:
    """Features of one layer as read, geometry still in the file's coordinates (may carry Z)."""

    name: str | None
    features: list[Feature]
    crs: SourceCrs | None = None  # what the file declares for this layer (a .prj, a template's choice, ...)
    problems: list[Problem] = field(default_factory=list)


def _coords(layers: list[RawLayer]) -> np.ndarray:
    geoms = [f.geometry for layer in layers for f in layer.features if f.geometry is not None]
    if not geoms:
        return np.empty((0, 2))
    return shapely.get_coordinates(np.asarray(geoms, dtype=object))


def georeference(
    layers: list[RawLayer],
    explicit: SourceCrs | None,
    filename: str,
    problems: list[Problem],
    region_bounds: tuple[float, float, float, float] | None = None,
) -> str | None:
    """Move every feature to CGCS2000 lon/lat in place; file-level problems go to `problems`.

    Returns the name of the system used (the explicit one, else the first declared or the detected one).
    """
    used: str | None = None
    undeclared = [layer for layer in layers if explicit is None and layer.crs is None]
    detected: SourceCrs | None = None
    if undeclared:
        pts = _coords(undeclared)
        if len(pts):
            found = detect_crs(pts.tolist(), region_bounds)
            if found is None:
                problems.append(Problem(Where(filename), "crs_undetectable"))
                for layer in undeclared:
                    for f in layer.features:
                        f.geometry = None
            else:
                detected, reason = found
                problems.append(
                    Problem(
                        Where(filename),
                        "crs_detected",
                        {"system": detected.name, "swapped": detected.swapped, "reason": reason},
                        "warning",
                    )
                )
    if explicit is not None:
        pts = _coords(layers)
        if len(pts) and axes_swapped(pts.tolist(), explicit, region_bounds):
            explicit = explicit.with_swap(True)
            problems.append(Problem(Where(filename), "axes_swapped", {"system": explicit.name}, "warning"))
    else:
        # a system the file names (a template's choice, KML's WGS84) may still have its axes written y-first
        groups: dict[int, list[RawLayer]] = {}
        for layer in layers:
            if layer.crs is not None and layer.crs.system is not None:
                groups.setdefault(id(layer.crs), []).append(layer)
        for group in groups.values():
            src = group[0].crs
            assert src is not None
            pts = _coords(group)
            if len(pts) and axes_swapped(pts.tolist(), src, region_bounds):
                for layer in group:
                    layer.crs = src.with_swap(True)
                problems.append(Problem(Where(filename), "axes_swapped", {"system": src.name}, "warning"))
    z_seen = False
    for layer in layers:
        src = explicit or layer.crs or detected
        if src is None:
            continue
        used = used or src.name
        z_seen = finish_layer(layer, src) or z_seen
    if z_seen:
        problems.append(Problem(Where(filename), "z_dropped", {}, "warning"))
    return used


def finish_layer(layer: RawLayer, src: SourceCrs) -> bool:
    """Move and check every geometry of a layer at once (vectorised: 10,000 rows in milliseconds); returns
    whether any had Z. A batch the system cannot convert falls back to one feature at a time."""
    feats = [f for f in layer.features if f.geometry is not None]
    if not feats:
        return False
    geoms = np.empty(len(feats), dtype=object)
    geoms[:] = [f.geometry for f in feats]
    z_seen = bool(shapely.has_z(geoms).any())
    geoms = shapely.force_2d(geoms)
    empty = shapely.is_empty(geoms)
    try:
        moved = src.transform(geoms[~empty]) if (~empty).any() else geoms[:0]
    except (CoordinateError, ValueError):
        for f, e in zip(feats, empty, strict=True):
            if e:
                f.problems.append(Problem(f.where, "geometry_empty_feature"))
                f.geometry = None
            else:
                f.geometry = finish_geometry(f, src)
        return z_seen
    coords, index = shapely.get_coordinates(moved, return_index=True)
    bad_rows = ~np.isfinite(coords).all(axis=1) | (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    bad = set(np.unique(index[bad_rows]).tolist())
    valid = shapely.is_valid(moved)
    points = shapely.get_type_id(moved) == 0
    i = 0
    for f, e in zip(feats, empty, strict=True):
        if e:
            f.problems.append(Problem(f.where, "geometry_empty_feature"))
            f.geometry = None
            continue
        geom = moved[i]
        if i in bad:
            f.problems.append(Problem(f.where, "coordinate_unconvertible", {"reason": "out of range"}))
            f.geometry = None
        elif points[i] and valid[i]:
            f.geometry = geom
        else:
            f.geometry = check_geometry(geom, f)
        i += 1
    return z_seen


def finish_geometry(f: Feature, src: SourceCrs) -> BaseGeometry | None:
    """`f.geometry` moved by `src`, 2-D, checked; problems appended to `f.problems`."""
    geom = shapely.force_2d(f.geometry)
    if geom.is_empty:
        f.problems.append(Problem(f.where, "geometry_empty_feature"))
        return None
    try:
        geom = src.transform(geom)
    except (CoordinateError, ValueError) as exc:
        reason = getattr(exc, "code", None) or str(exc)[:80]
        f.problems.append(Problem(f.where, "coordinate_unconvertible", {"reason": reason}))
        return None
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all() or (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        f.problems.append(Problem(f.where, "coordinate_unconvertible", {"reason": "out of range"}))
        return None
    return check_geometry(geom, f)


def check_geometry(geom: BaseGeometry, f: Feature) -> BaseGeometry | None:
    """Refuse degenerate geometries, repair invalid ones (a warning naming the repair)."""
    kind = geom.geom_type
    if kind == "GeometryCollection":
        f.problems.append(Problem(f.where, "geometry_type_unsupported", {"type": kind}))
        return None
    parts = list(getattr(geom, "geoms", [geom]))
    if kind in ("LineString", "MultiLineString") and any(len({*p.coords}) < 2 for p in parts):
        f.problems.append(Problem(f.where, "geometry_degenerate", {"type": kind, "reason": "fewer than 2 points"}))
        return None
    if kind in ("Polygon", "MultiPolygon") and any(len({*p.exterior.coords}) < 3 for p in parts):
        f.problems.append(Problem(f.where, "geometry_degenerate", {"type": kind, "reason": "no area"}))
        return None
    if geom.is_valid:
        return geom
    reason = explain_validity(geom)
    repaired = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    if repaired.is_empty:
        f.problems.append(Problem(f.where, "geometry_degenerate", {"type": kind, "reason": reason}))
        return None
    f.problems.append(
        Problem(f.where, "geometry_repaired", {"reason": reason, "type": kind, "result": repaired.geom_type}, "warning")
    )
    return repaired
