"""Imagery: ingest, scope, derivation per pond and date, area over time, field corrections, statistics."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import shapely
from geoalchemy2.shape import from_shape
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import files
from app.accounts import scope
from app.accounts.service import Actor
from app.errors import Forbidden, Invalid, NotFound
from app.imagery.config import get_imagery_settings
from app.imagery.derive import DeriveTask, compute
from app.imagery.models import Image, ImageKind, ImagePond
from gis.crs import STORAGE_SRID
from gis.raster import RasterInfo, RasterRefused, inspect_raster, polygon_stats, resolve_band_roles, to_cog

Progress = Callable[[float, str | None], None]
SENSORS_DEM = {"dem", "dsm"}


def refused(exc: RasterRefused) -> Invalid:
    return Invalid(exc.code, exc.params)


def check(path: Path, sensor: str, filename: str | None = None) -> RasterInfo:
    """Checks on the way in (gis.raster.inspect_raster), with the user's file name in the message."""
    try:
        info = inspect_raster(path, bands=1 if sensor.lower() in SENSORS_DEM else None)
    except RasterRefused as exc:
        if filename:
            exc.params["file"] = filename
        raise refused(exc) from exc
    return info


def _kind(roles: dict[str, int], sensor: str) -> str:
    if sensor.lower() in SENSORS_DEM or set(roles) == {"elevation"}:
        return ImageKind.dem
    if {"green", "nir"} <= set(roles):
        return ImageKind.multispectral
    if {"red", "green", "blue"} <= set(roles):
        return ImageKind.rgb
    return ImageKind.other


def display_bands(image: Image) -> list[int]:
    roles = image.band_roles
    if {"red", "green", "blue"} <= set(roles):
        return [roles["red"], roles["green"], roles["blue"]]
    return [1]


def _display_range(path: Path, bands: list[int], nodata: float | None) -> list[list[float]]:
    """2nd-98th percentile of each displayed band, read from the overviews (a few hundred pixels a side)."""
    with rasterio.open(path) as src:
        scale = max(src.width, src.height) / 512
        shape = (len(bands), max(1, int(src.height / scale)), max(1, int(src.width / scale)))
        data = src.read(bands, out_shape=shape).astype(np.float64)
    out = []
    for band in data:
        valid = band[(band != nodata) & np.isfinite(band)] if nodata is not None else band[np.isfinite(band)]
        lo, hi = np.percentile(valid, [2, 98]) if valid.size else (0.0, 1.0)
        out.append([float(lo), float(hi if hi > lo else lo + 1)])
    return out


def ponds_in_scope_under(session: Session, actor: Actor, footprint: shapely.Geometry) -> list[int]:
    clause, params = scope.pond_scope_sql(actor)
    return list(
        session.execute(
            text(f"""SELECT p.id FROM ponds p WHERE {clause}
                     AND ST_Intersects(coalesce(p.boundary, p.location), ST_GeomFromWKB(:fp, 4490))"""),
            {**params, "fp": shapely.to_wkb(footprint)},
        ).scalars()
    )


def check_upload_scope(session: Session, actor: Actor, info: RasterInfo, filename: str) -> None:
    """Editors may add an image that covers at least one pond of their scope."""
    if actor.role not in scope.EDITORS:
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
    if not ponds_in_scope_under(session, actor, info.footprint):
        raise Invalid("imagery_covers_no_pond", {"file": filename})


def ingest(
    session: Session,
    path: Path,
    filename: str,
    acquired_on: dt.date,
    sensor: str,
    bands: list[str] | None = None,
    actor: Actor | None = None,
    username: str = "cli",
    progress: Progress | None = None,
) -> tuple[Image, bool]:
    """Check, convert to COG, store once by hash and record an image; (image, created). The same file
    ingested again gives the recorded image."""
    source_sha = files.sha256_of(path)
    existing = session.scalar(select(Image).where(Image.source_sha256 == source_sha))
    if existing is not None:
        return existing, False
    info = check(path, sensor, filename)
    try:
        roles = resolve_band_roles(info.count, info.descriptions, bands, sensor)
    except RasterRefused as exc:
        raise refused(exc) from exc
    if actor is not None:
        check_upload_scope(session, actor, info, filename)
    if progress:
        progress(0.1, "cog")
    kind = _kind(roles, sensor)
    files.root().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=files.root(), prefix=".cog-") as tmp:
        cog = Path(tmp) / "image.tif"
        try:
            to_cog(path, cog, resampling="bilinear" if kind == ImageKind.dem else "average")
        except RasterRefused as exc:
            exc.params["file"] = filename
            raise refused(exc) from exc
        if progress:
            progress(0.8, "store")
        image = Image(
            source_sha256=source_sha,
            filename=filename,
            sensor=sensor,
            kind=kind,
            acquired_on=acquired_on,
            crs_epsg=info.crs_epsg,
            resolution_m=info.resolution_m,
            width=info.width,
            height=info.height,
            band_count=info.count,
            band_roles=roles,
            dtype=info.dtype,
            nodata=info.nodata,
            footprint=from_shape(info.footprint, srid=STORAGE_SRID),
            user_id=actor.user_id if actor else None,
            uploaded_by=actor.username if actor else username,
        )
        image.display_range = _display_range(cog, display_bands(image), info.nodata)
        image.sha256 = files.put_path(cog)
        image.size_bytes = cog.stat().st_size
    session.add(image)
    session.flush()
    session.execute(
        text("""INSERT INTO image_ponds (image_id, pond_id)
                SELECT :id, p.id FROM ponds p, images i WHERE i.id = :id
                AND ST_Intersects(coalesce(p.boundary, p.location), i.footprint)"""),
        {"id": image.id},
    )
    return image, True


def ensure_image(session: Session, actor: Actor, image_id: int) -> Image:
    """The image if it covers a pond in the actor's scope (everything for whole-country scopes)."""
    clause, params = scope.pond_scope_sql(actor)
    where = (
        "true"
        if clause == "true"
        else f"""EXISTS (SELECT 1 FROM image_ponds ip JOIN ponds p
        ON p.id = ip.pond_id WHERE ip.image_id = i.id AND {clause})"""
    )
    visible = session.execute(
        text(f"SELECT 1 FROM images i WHERE i.id = :id AND {where}"), {"id": image_id, **params}
    ).scalar()
    image = session.get(Image, image_id) if visible else None
    if image is None:
        raise NotFound("not_found", {"what_code": "image", "id": image_id})
    return image


def image_of_pond(session: Session, pond_id: int, image_id: int) -> Image:
    """An image that covers the pond (the caller has checked the pond is in scope)."""
    covers = session.execute(
        text("SELECT 1 FROM image_ponds WHERE image_id = :i AND pond_id = :p"), {"i": image_id, "p": pond_id}
    ).scalar()
    image = session.get(Image, image_id) if covers else None
    if image is None:
        raise NotFound("not_found", {"what_code": "image", "id": image_id})
    return image


def as_dict(image: Image, ponds: list[int] | None = None) -> dict[str, Any]:
    d = {
        "id": image.id,
        "filename": image.filename,
        "sensor": image.sensor,
        "kind": image.kind,
        "acquired_on": image.acquired_on.isoformat(),
        "crs_epsg": image.crs_epsg,
        "resolution_m": round(image.resolution_m, 3),
        "width": image.width,
        "height": image.height,
        "band_count": image.band_count,
        "band_roles": image.band_roles,
        "nodata": image.nodata,
        "sha256": image.sha256,
        "size_bytes": image.size_bytes,
        "uploaded_by": image.uploaded_by,
        "tiles": f"/imagery/{image.id}/tiles/{{z}}/{{x}}/{{y}}.png",
    }
    if ponds is not None:
        d["ponds"] = ponds
    return d


def covered_ponds(session: Session, image_id: int, actor: Actor | None = None) -> list[int]:
    clause, params = scope.pond_scope_sql(actor) if actor else ("true", {})
    return list(
        session.execute(
            text(f"""SELECT p.id FROM image_ponds ip JOIN ponds p ON p.id = ip.pond_id
                     WHERE ip.image_id = :i AND {clause} ORDER BY p.id"""),
            {"i": image_id, **params},
        ).scalars()
    )


def footprint_geojson(session: Session, image_id: int) -> dict[str, Any]:
    return json.loads(
        session.execute(text("SELECT ST_AsGeoJSON(footprint, 7) FROM images WHERE id = :i"), {"i": image_id}).scalar()
    )


def pond_images(session: Session, pond_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Image)
        .join(ImagePond, ImagePond.image_id == Image.id)
        .where(ImagePond.pond_id == pond_id)
        .order_by(Image.acquired_on, Image.id)
    ).all()
    return [as_dict(i) for i in rows]


# --- derivation ---


def water_params(image: Image, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    s = get_imagery_settings()
    if image.kind == ImageKind.multispectral:
        method, threshold = "ndwi", s.ndwi_threshold
    elif image.kind == ImageKind.rgb:
        method, threshold = "rgb", s.rgb_threshold
    else:
        raise Invalid("imagery_no_water_method", {"kind": image.kind, "id": image.id})
    params = {"method": method, "threshold": threshold, "min_area_m2": s.min_area_m2, "fill_holes_m2": s.fill_holes_m2}
    for key, value in (overrides or {}).items():
        if value is not None and key in ("threshold", "min_area_m2", "fill_holes_m2", "max_brightness", "smooth"):
            params[key] = value
    return params


def tasks_for(
    session: Session, image: Image, pond_ids: Iterable[int] | None = None, overrides: dict[str, Any] | None = None
) -> list[DeriveTask]:
    """One task per pond the image covers (or of `pond_ids` among them)."""
    s = get_imagery_settings()
    params = water_params(image, overrides)
    rows = session.execute(
        text("""
        SELECT p.id, tailings_gk3_srid(coalesce(p.boundary, p.location)) AS gk,
               ST_AsBinary(ST_Transform(ST_Buffer(ST_Transform(coalesce(p.boundary, p.location),
                   tailings_gk3_srid(coalesce(p.boundary, p.location))),
                   CASE WHEN p.boundary IS NULL THEN greatest(:margin, 500) ELSE :margin END), 4490)) AS aoi,
               ST_AsBinary(p.boundary) AS boundary
        FROM image_ponds ip JOIN ponds p ON p.id = ip.pond_id
        WHERE ip.image_id = :i AND (CAST(:ponds AS integer[]) IS NULL OR p.id = ANY(:ponds))
        ORDER BY p.id"""),
        {"i": image.id, "margin": s.pond_margin_m, "ponds": list(pond_ids) if pond_ids is not None else None},
    ).all()
    path = str(files.path_of(image.sha256))
    return [
        DeriveTask(
            image_id=image.id,
            pond_id=r.id,
            path=path,
            roles=dict(image.band_roles),
            params=params,
            aoi_wkb=bytes(r.aoi),
            boundary_wkb=bytes(r.boundary) if r.boundary is not None else None,
            gk_epsg=r.gk,
            closing_m=s.outline_closing_m,
        )
        for r in rows
    ]


def store(session: Session, result: dict[str, Any], acquired_on: dt.date, by: str, job_id: int | None = None) -> None:
    """Record a task's water surface and outline (replacing those of the same image and pond), with the area
    beyond the approved boundary; growth beyond it by more than TAILINGS_IMAGERY_GROWTH_FLAG_M2 is flagged."""
    flag_m2 = get_imagery_settings().growth_flag_m2
    method = result["params"]["method"]
    for kind, wkb, area in (
        ("water_surface", result["water_wkb"], result["water_area_m2"]),
        ("pond_outline", result["outline_wkb"], result["outline_area_m2"]),
    ):
        session.execute(
            text("""
            WITH g AS (SELECT ST_Multi(ST_GeomFromWKB(:wkb, 4490)) AS geom),
                 o AS (SELECT CASE WHEN p.boundary IS NULL OR ST_IsEmpty(g.geom) THEN NULL
                                   ELSE ST_Area(ST_Difference(g.geom, p.boundary)::geography) END AS outside
                       FROM ponds p, g WHERE p.id = :pond)
            INSERT INTO derived_geometries (image_id, pond_id, kind, method, params, acquired_on, geom, area_m2,
                                            outside_m2, flagged, job_id, created_by)
            SELECT :image, :pond, CAST(:kind AS text), :method, CAST(:params AS jsonb), :date, g.geom, :area,
                   o.outside, coalesce(o.outside > :flag AND CAST(:kind AS text) = 'pond_outline', false),
                   CAST(:job AS bigint), :by
            FROM g, o
            ON CONFLICT (image_id, pond_id, kind) DO UPDATE SET method = EXCLUDED.method, params = EXCLUDED.params,
                acquired_on = EXCLUDED.acquired_on, geom = EXCLUDED.geom, area_m2 = EXCLUDED.area_m2,
                outside_m2 = EXCLUDED.outside_m2, flagged = EXCLUDED.flagged, job_id = EXCLUDED.job_id,
                created_by = EXCLUDED.created_by, created_at = now()"""),
            {
                "wkb": wkb,
                "pond": result["pond_id"],
                "image": result["image_id"],
                "kind": kind,
                "method": method,
                "params": json.dumps(result["params"]),
                "date": acquired_on,
                "area": area,
                "flag": flag_m2,
                "job": job_id,
                "by": by,
            },
        )


def derive(
    session: Session,
    image: Image,
    pond_ids: Iterable[int] | None = None,
    overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
    by: str = "cli",
    job_id: int | None = None,
) -> list[dict[str, Any]]:
    """Derive water surface and outline for each pond the image covers; a summary per pond."""
    tasks = tasks_for(session, image, pond_ids, overrides)
    summary = []
    for i, task in enumerate(tasks):
        result = compute(task)
        store(session, result, image.acquired_on, by, job_id)
        summary.append(summary_of(result))
        if progress:
            progress((i + 1) / len(tasks), f"pond {task.pond_id}")
    return summary


def summary_of(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "image_id": result["image_id"],
        "pond_id": result["pond_id"],
        "water_area_m2": round(result["water_area_m2"], 1),
        "outline_area_m2": round(result["outline_area_m2"], 1),
    }


# --- reading results ---


def area_series(session: Session, pond_id: int) -> dict[str, Any]:
    """Water and outline area per image date, with growth beyond the approved boundary."""
    rows = session.execute(
        text("""
        SELECT d.image_id, d.acquired_on, i.sensor, i.kind AS image_kind, d.method, d.params,
               max(d.area_m2) FILTER (WHERE d.kind = 'water_surface') AS water_area_m2,
               max(d.area_m2) FILTER (WHERE d.kind = 'pond_outline') AS outline_area_m2,
               max(d.outside_m2) FILTER (WHERE d.kind = 'pond_outline') AS outside_m2,
               bool_or(d.flagged) AS flagged
        FROM derived_geometries d JOIN images i ON i.id = d.image_id
        WHERE d.pond_id = :p
        GROUP BY d.image_id, d.acquired_on, i.sensor, i.kind, d.method, d.params
        ORDER BY d.acquired_on, d.image_id"""),
        {"p": pond_id},
    ).mappings()
    series = []
    for r in rows:
        item = dict(r)
        item["acquired_on"] = r["acquired_on"].isoformat()
        for k in ("water_area_m2", "outline_area_m2", "outside_m2"):
            item[k] = round(item[k], 1) if item[k] is not None else None
        series.append(item)
    approved = session.execute(
        text("SELECT ST_Area(boundary::geography) FROM ponds WHERE id = :p"), {"p": pond_id}
    ).scalar()
    return {
        "pond_id": pond_id,
        "approved_area_m2": round(approved, 1) if approved is not None else None,
        "growth_flag_m2": get_imagery_settings().growth_flag_m2,
        "series": series,
    }


def derived_geojson(session: Session, pond_id: int, image_id: int | None = None) -> str:
    return session.execute(
        text("""
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', d.id, 'geometry', ST_AsGeoJSON(d.geom, 7)::json,
            'properties', json_build_object('kind', d.kind, 'image_id', d.image_id, 'acquired_on', d.acquired_on,
                'method', d.method, 'params', d.params, 'area_m2', round(d.area_m2::numeric, 1),
                'outside_m2', round(d.outside_m2::numeric, 1), 'flagged', d.flagged))
            ORDER BY d.acquired_on, d.kind), '[]'::json))::text
        FROM derived_geometries d
        WHERE d.pond_id = :p AND (CAST(:i AS integer) IS NULL OR d.image_id = :i)"""),
        {"p": pond_id, "i": image_id},
    ).scalar_one()


def field_corrections(session: Session, pond_id: int) -> dict[str, Any]:
    """For each field-surveyed element, its shift in metres (Hausdorff distance in its Gauss-Kruger zone)
    from its latest earlier position from another source (satellite, drone, enterprise upload, digitised)."""
    rows = session.execute(
        text("""
        WITH cur AS (SELECT id, type, kind, name, geom, captured_at FROM elements
                     WHERE pond_id = :p AND source = 'field'),
        prev AS (SELECT DISTINCT ON (r.element_id) r.element_id, r.source, r.version, r.geom, r.changed_at
                 FROM element_revisions r JOIN cur ON cur.id = r.element_id
                 WHERE r.source <> 'field' ORDER BY r.element_id, r.version DESC)
        SELECT cur.id AS element_id, cur.type, cur.kind, cur.name, prev.source AS previous_source,
               prev.version AS previous_version, cur.captured_at,
               ST_HausdorffDistance(ST_Transform(prev.geom, tailings_gk3_srid(cur.geom)),
                                    ST_Transform(cur.geom, tailings_gk3_srid(cur.geom))) AS shift_m
        FROM cur JOIN prev ON prev.element_id = cur.id ORDER BY shift_m DESC, cur.id"""),
        {"p": pond_id},
    ).mappings()
    items = []
    for r in rows:
        item = dict(r)
        item["shift_m"] = round(float(r["shift_m"]), 3)
        item["captured_at"] = r["captured_at"].isoformat() if r["captured_at"] else None
        items.append(item)
    shifts = [i["shift_m"] for i in items]
    by_source: dict[str, list[float]] = {}
    for i in items:
        by_source.setdefault(i["previous_source"], []).append(i["shift_m"])
    return {
        "pond_id": pond_id,
        "summary": {
            "count": len(shifts),
            "mean_m": round(float(np.mean(shifts)), 3) if shifts else None,
            "median_m": round(float(np.median(shifts)), 3) if shifts else None,
            "max_m": max(shifts) if shifts else None,
            "by_source": {k: {"count": len(v), "mean_m": round(float(np.mean(v)), 3)} for k, v in by_source.items()},
        },
        "elements": items,
    }


def stats(session: Session, pond_id: int, image: Image, threshold: float | None = None) -> dict[str, Any]:
    """Mean NDWI, valid-pixel share and water share of the image inside the pond's boundary."""
    wkb = session.execute(
        text("""SELECT ST_AsBinary(coalesce(boundary, ST_Transform(ST_Buffer(ST_Transform(location,
                    tailings_gk3_srid(location)), 100), 4490))) FROM ponds WHERE id = :p"""),
        {"p": pond_id},
    ).scalar_one()
    t = get_imagery_settings().ndwi_threshold if threshold is None else threshold
    s = polygon_stats(files.path_of(image.sha256), image.band_roles, shapely.from_wkb(bytes(wkb)), t)
    return {
        "pond_id": pond_id,
        "image_id": image.id,
        "acquired_on": image.acquired_on.isoformat(),
        "polygon": "boundary",
        "pixels": s.pixels,
        "valid_pixels": s.valid_pixels,
        "valid_share": round(s.valid_share, 4),
        "mean_ndwi": round(s.mean_ndwi, 4) if s.mean_ndwi is not None else None,
        "water_share": round(s.water_share, 4) if s.water_share is not None else None,
        "ndwi_threshold": t,
    }
