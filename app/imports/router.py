"""Uploads of a pond's facility coordinates: template, stage, preview, commit or discard, review, export."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from app.accounts.deps import PondEditor, PondManager, PondReader, SignedIn
from app.db import SessionDep
from app.deps import ExpectedVersion, LangQuery, request_language
from app.errors import Invalid
from app.files import read_bounded
from app.imports import exports, service
from app.imports.models import ImportMode
from app.responses import POND_READ, POND_WRITE, XLSX, attachment, media

router = APIRouter(tags=["imports"], responses=POND_READ)
P = "/api/ponds/{pond_id}"


@router.get(
    "/api/import-template.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The blank Excel template of every element kind (or some types)",
)
def blank_template(
    request: Request,
    actor: SignedIn,
    types: Annotated[str | None, Query(description="Comma-separated element type codes")] = None,
    lang: LangQuery = None,
) -> Response:
    language = request_language(request)
    name, body = exports.blank_template(language, _types(types))
    return attachment(name, body, XLSX)


@router.get(
    P + "/import-template.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The pond's template, filled with its current elements",
)
def pond_template(
    pond_id: int,
    request: Request,
    actor: PondReader,
    session: SessionDep,
    types: Annotated[str | None, Query(description="Comma-separated element type codes")] = None,
    lang: LangQuery = None,
) -> Response:
    name, body = exports.pond_export(session, pond_id, "xlsx", request_language(request), _types(types))
    return attachment(name, body, XLSX)


def _types(value: str | None) -> tuple[str, ...] | None:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else None


@router.post(
    P + "/imports",
    status_code=201,
    summary="Upload a file: it is read, checked and staged, not applied",
    responses=POND_WRITE,
)
async def upload(
    pond_id: int,
    request: Request,
    actor: PondEditor,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="XLSX, CSV, GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, DXF")],
    crs: Annotated[
        str | None,
        Form(description="Coordinate system of the file: cgcs2000, wgs84, gk3:102, gk3_zoned, gcj02, bd09, EPSG:n"),
    ] = None,
    mode: Annotated[str, Form(description="merge (default) or replace")] = ImportMode.merge.value,
    source: Annotated[str | None, Form(description="Geometry source (bureau uploads): field, drone, ...")] = None,
    layer_map: Annotated[str | None, Form(description='JSON {"layer name": "kind code"}')] = None,
    lang: LangQuery = None,
) -> JSONResponse:
    data = await read_bounded(file)
    mapping: dict[str, str] | None = None
    if layer_map:
        try:
            mapping = json.loads(layer_map)
        except ValueError:
            mapping = None
        if not isinstance(mapping, dict):
            raise Invalid("import_layer_map_invalid")
    batch_id = service.stage(
        session,
        actor,
        pond_id,
        file.filename or "upload",
        data,
        crs=crs,
        mode=mode,
        source=source,
        layer_map=mapping,
    )
    session.commit()
    return JSONResponse(
        service.batch_summary(session, pond_id, batch_id, request_language(request)),
        status_code=201,
        headers={"Location": f"/api/ponds/{pond_id}/imports/{batch_id}"},
    )


@router.get(P + "/imports", summary="The pond's uploads, newest first")
def list_batches(pond_id: int, actor: PondReader, session: SessionDep) -> list[dict[str, Any]]:
    return service.batches(session, pond_id)


@router.get(P + "/imports/{batch_id}", summary="What an upload would do, and every problem found in it")
def get_batch(
    pond_id: int, batch_id: int, request: Request, actor: PondReader, session: SessionDep, lang: LangQuery = None
) -> dict[str, Any]:
    return service.batch_summary(session, pond_id, batch_id, request_language(request))


@router.get(P + "/imports/{batch_id}/rows", summary="The staged rows as GeoJSON, for the preview map and table")
def batch_rows(
    pond_id: int, batch_id: int, request: Request, actor: PondReader, session: SessionDep, lang: LangQuery = None
) -> Response:
    body = service.rows_geojson(session, pond_id, batch_id, request_language(request))
    return Response(body, media_type="application/geo+json")


@router.get(
    P + "/imports/{batch_id}/errors.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The upload with an error column, to fix and upload again",
)
def batch_errors(
    pond_id: int, batch_id: int, request: Request, actor: PondReader, session: SessionDep, lang: LangQuery = None
) -> Response:
    name, body = service.error_report(session, pond_id, batch_id, request_language(request))
    return attachment(name, body, XLSX)


@router.post(
    P + "/imports/{batch_id}/commit", summary="Apply every row of a staged upload, or none", responses=POND_WRITE
)
def commit_batch(
    pond_id: int, batch_id: int, request: Request, actor: PondEditor, session: SessionDep, lang: LangQuery = None
) -> dict[str, Any]:
    applied = service.commit(session, actor, pond_id, batch_id)
    session.commit()
    return {"applied": applied, **service.batch_summary(session, pond_id, batch_id, request_language(request))}


@router.post(
    P + "/imports/{batch_id}/discard", summary="Drop a staged upload; nothing is applied", responses=POND_WRITE
)
def discard_batch(
    pond_id: int, batch_id: int, request: Request, actor: PondEditor, session: SessionDep, lang: LangQuery = None
) -> dict[str, Any]:
    service.discard(session, actor, pond_id, batch_id)
    session.commit()
    return service.batch_summary(session, pond_id, batch_id, request_language(request))


ReviewBody = Annotated[
    dict[str, Any],
    Body(examples=[{"decision": "returned", "reason": "井位与现场不符，请复测"}], description="decision, reason"),
]


@router.post(
    P + "/imports/{batch_id}/review",
    summary="Verify or return every submitted element of an upload",
    responses=POND_WRITE,
)
def review_batch(
    pond_id: int, batch_id: int, body: ReviewBody, actor: PondManager, session: SessionDep, lang: LangQuery = None
) -> dict[str, Any]:
    result = service.review_batch(
        session, actor, pond_id, batch_id, str(body.get("decision", "")), _reason(body.get("reason"))
    )
    session.commit()
    return result


def _reason(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@router.post(
    P + "/elements/{element_id}/review",
    summary="Verify or return one submitted element; needs If-Match",
    responses=POND_WRITE,
)
def review_element(
    pond_id: int,
    element_id: int,
    body: ReviewBody,
    actor: PondManager,
    session: SessionDep,
    expected: ExpectedVersion,
    lang: LangQuery = None,
) -> JSONResponse:
    result = service.review_element(
        session, actor, pond_id, element_id, str(body.get("decision", "")), _reason(body.get("reason")), expected
    )
    session.commit()
    return JSONResponse(result, headers={"ETag": f'"{result["version"]}"'})


@router.get(P + "/elements/{element_id}/reviews", summary="The bureau's decisions on an element")
def element_reviews(pond_id: int, element_id: int, actor: PondReader, session: SessionDep) -> list[dict[str, Any]]:
    return service.reviews(session, pond_id, element_id)


EXPORT_MEDIA_TYPES = tuple(dict.fromkeys(exports.MEDIA_TYPES.values()))  # what an export may answer
FORMAT = Annotated[str, Query(pattern="^(gpkg|shapefile|geojson|kml|xlsx)$", description="gpkg, shapefile, ...")]


@router.get(
    P + "/export",
    response_class=Response,
    responses=media(*EXPORT_MEDIA_TYPES),
    summary="The pond's layers as GeoPackage, zipped Shapefile, GeoJSON, KML or XLSX",
)
def export_pond(
    pond_id: int, request: Request, actor: PondReader, session: SessionDep, format: FORMAT, lang: LangQuery = None
) -> Response:
    name, body = exports.pond_export(session, pond_id, format, request_language(request))
    return attachment(name, body, exports.MEDIA_TYPES[format])


@router.get(
    "/api/export",
    response_class=Response,
    responses=media(*EXPORT_MEDIA_TYPES),
    summary="Every pond in the caller's scope, its layers in one file",
)
def export_scope(
    request: Request, actor: SignedIn, session: SessionDep, format: FORMAT, lang: LangQuery = None
) -> Response:
    name, body = exports.scope_export(session, actor, format, request_language(request))
    return attachment(name, body, exports.MEDIA_TYPES[format])
