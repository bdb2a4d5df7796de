from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile
from fastapi.responses import JSONResponse

from app import files
from app.accounts.deps import Editor, PondEditor, PondReader, SignedIn
from app.config import get_settings
from app.db import SessionDep
from app.deps import LangQuery, RowId
from app.errors import Invalid
from app.imagery import service, tiles
from app.jobs import service as jobs
from app.responses import POND_READ, POND_WRITE

router = APIRouter(tags=["imagery"], responses=POND_READ)


def _spool(upload: UploadFile, into: FsPath) -> None:
    """Copy an upload to a file, refusing it beyond the upload limit (TAILINGS_UPLOAD_MAX_MB)."""
    limit = int(get_settings().upload_max_mb * 2**20)
    written = 0
    with into.open("wb") as out:
        while chunk := upload.file.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise Invalid(
                    "upload_too_large", {"file": upload.filename or "", "limit_mb": get_settings().upload_max_mb}
                )
            out.write(chunk)


@router.post(
    "/api/imagery",
    status_code=202,
    summary="Upload a GeoTIFF (satellite scene, drone orthophoto, DEM); checked now, converted by a job",
    responses=POND_WRITE,
)
def upload_image(
    actor: Editor,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="GeoTIFF")],
    acquired_on: Annotated[dt.date, Form(description="Acquisition date")],
    sensor: Annotated[str, Form(max_length=60, description="e.g. sentinel-2, gf-2, drone, dem")],
    bands: Annotated[str | None, Form(description="Band roles in order, e.g. blue,green,red,nir")] = None,
    lang: LangQuery = None,
) -> JSONResponse:
    name = FsPath(file.filename or "upload.tif").name
    files.root().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=files.root(), prefix=".upload-") as tmp:
        path = FsPath(tmp) / "upload.tif"
        _spool(file, path)
        info = service.check(path, sensor, name)  # refuse broken files at once, with the reason
        service.check_upload_scope(session, actor, info, name)
        role_list = [b for b in bands.split(",") if b.strip()] if bands else None
        source = files.put_path(path)
    job = jobs.submit(
        session,
        "imagery.ingest",
        {"source_sha256": source, "filename": name, "acquired_on": acquired_on.isoformat(), "sensor": sensor,
         "bands": role_list},
        actor,
    )  # fmt: skip
    session.commit()
    return JSONResponse({"job": jobs.as_dict(job), "job_url": f"/api/jobs/{job.id}"}, status_code=202)


@router.get("/api/imagery/{image_id}", summary="An image's record: date, sensor, resolution, bands, ponds covered")
def get_image(image_id: RowId, actor: SignedIn, session: SessionDep, lang: LangQuery = None) -> dict[str, Any]:
    image = service.ensure_image(session, actor, image_id)
    body = service.as_dict(image, service.covered_ponds(session, image_id, actor))
    body["footprint"] = service.footprint_geojson(session, image_id)
    return body


@router.get(
    "/imagery/{image_id}/tiles/{z}/{x}/{y}.png",
    summary="A map tile (XYZ, PNG) of an image whose ponds you may see",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def image_tile(
    image_id: RowId,
    z: Annotated[int, Path(ge=0, le=24)],
    x: Annotated[int, Path(ge=0)],
    y: Annotated[int, Path(ge=0)],
    actor: SignedIn,
    session: SessionDep,
) -> Response:
    image = service.ensure_image(session, actor, image_id)
    png = tiles.tile_png(image, z, x, y)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


P = "/api/ponds/{pond_id}/imagery"


@router.get(P, summary="The images that cover the pond, oldest first")
def pond_images(pond_id: int, actor: PondReader, session: SessionDep, lang: LangQuery = None) -> list[dict[str, Any]]:
    return service.pond_images(session, pond_id)


@router.post(
    P + "/{image_id}/derive",
    status_code=202,
    summary="Derive the pond's water surface and outline from an image (a job; poll /api/jobs/{id})",
    responses=POND_WRITE,
)
def derive(
    pond_id: int,
    image_id: RowId,
    actor: PondEditor,
    session: SessionDep,
    threshold: Annotated[float | None, Query(ge=-1, le=1, description="NDWI (or RGB ratio) threshold")] = None,
    min_area_m2: Annotated[float | None, Query(ge=0)] = None,
    lang: LangQuery = None,
) -> JSONResponse:
    image = service.image_of_pond(session, pond_id, image_id)
    service.water_params(image)  # refuse a DEM now, not in the job
    job = jobs.submit(
        session,
        "imagery.derive",
        {
            "image_id": image_id,
            "pond_ids": [pond_id],
            "overrides": {"threshold": threshold, "min_area_m2": min_area_m2},
        },
        actor,
        pond_id,
    )
    session.commit()
    return JSONResponse({"job": jobs.as_dict(job), "job_url": f"/api/jobs/{job.id}"}, status_code=202)


@router.get(P + "/areas", summary="Water and outline area per image date; growth beyond the approved boundary")
def areas(pond_id: int, actor: PondReader, session: SessionDep, lang: LangQuery = None) -> dict[str, Any]:
    return service.area_series(session, pond_id)


@router.get(
    P + "/derived",
    summary="Derived geometries (water surface, outline) of the pond as GeoJSON, per image date",
    response_description="GeoJSON FeatureCollection (EPSG:4490)",
)
def derived(
    pond_id: int,
    actor: PondReader,
    session: SessionDep,
    image_id: Annotated[int | None, Query(description="Only this image's")] = None,
    lang: LangQuery = None,
) -> Response:
    return Response(service.derived_geojson(session, pond_id, image_id), media_type="application/geo+json")


@router.get(P + "/{image_id}/stats", summary="Mean NDWI, valid-pixel and water share of an image inside the pond")
def image_stats(
    pond_id: int,
    image_id: RowId,
    actor: PondReader,
    session: SessionDep,
    threshold: Annotated[float | None, Query(ge=-1, le=1)] = None,
    lang: LangQuery = None,
) -> dict[str, Any]:
    return service.stats(session, pond_id, service.image_of_pond(session, pond_id, image_id), threshold)


@router.get(
    "/api/ponds/{pond_id}/field-corrections",
    summary="Shift in metres of each field-surveyed element from its earlier (imagery, enterprise) position",
)
def field_corrections(pond_id: int, actor: PondReader, session: SessionDep, lang: LangQuery = None) -> dict[str, Any]:
    return service.field_corrections(session, pond_id)
