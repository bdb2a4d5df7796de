"""Bureau imports over HTTP: the pond registry (template, export, preview, commit) and reference layers.

Preview and commit are two requests with no staged table between them: the preview answers with the stored
file's hash and a fingerprint of its plan; the commit sends them back and applies the plan only if it is
still the same (see app.bureau.pond_registry).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Request, Response, UploadFile

from app.accounts.deps import BureauStaff
from app.bureau import pond_registry, reference
from app.db import SessionDep
from app.deps import LangQuery, request_language
from app.errors import Invalid
from app.files import read_bounded
from app.responses import POND_READ, POND_WRITE, XLSX, attachment, media

router = APIRouter(tags=["bureau imports"], responses=POND_READ)
R = "/api/bureau/ponds"

CommitBody = Annotated[
    dict[str, Any],
    Body(
        description="What the preview answered: file (hash), filename, crs, fingerprint; delist or source",
        examples=[
            {"file": "<sha256>", "filename": "名录.xlsx", "crs": None, "delist": True, "fingerprint": "<sha256>"}
        ],
    ),
]


def _text(body: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise Invalid("invalid_value", {"detail": key})
    return value


@router.get(
    R + "/template.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The blank pond-registry template (尾矿库名录)",
)
def registry_template(request: Request, actor: BureauStaff, lang: LangQuery = None) -> Response:
    name, body = pond_registry.template(request_language(request))
    return attachment(name, body, XLSX)


@router.get(
    R + "/export.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The current registry in the template's layout, to edit and upload again",
)
def registry_export(request: Request, actor: BureauStaff, session: SessionDep, lang: LangQuery = None) -> Response:
    name, body = pond_registry.export(session, actor, request_language(request))
    return attachment(name, body, XLSX)


@router.post(
    R + "/preview", summary="Read and check a registry upload: what it would add, update, delist", responses=POND_WRITE
)
async def registry_preview(
    request: Request,
    actor: BureauStaff,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="XLSX (the template), CSV, GeoJSON, Shapefile, GeoPackage, KML")],
    crs: Annotated[str | None, Form(description="cgcs2000, wgs84, gk3:102, gk3_zoned, gcj02, bd09, EPSG:n")] = None,
    delist: Annotated[bool, Form(description="Delist illustrative sample ponds the file does not hold")] = False,
    lang: LangQuery = None,
) -> dict[str, Any]:
    data = await read_bounded(file)
    result = pond_registry.preview(
        session, actor, file.filename or "upload", data, crs=crs, delist=delist, lang=request_language(request)
    )
    session.commit()  # nothing but the stored file: previews change no table
    return result


@router.post(
    R + "/errors.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The registry upload with an error column, to fix and upload again",
)
async def registry_errors(
    request: Request,
    actor: BureauStaff,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="The file that was previewed")],
    crs: Annotated[str | None, Form(description="As for the preview")] = None,
    delist: Annotated[bool, Form(description="As for the preview")] = False,
    lang: LangQuery = None,
) -> Response:
    data = await read_bounded(file)
    name, body = pond_registry.error_report(
        session, actor, file.filename or "upload", data, crs=crs, delist=delist, lang=request_language(request)
    )
    session.commit()
    return attachment(name, body, XLSX)


@router.post(R + "/commit", summary="Apply a previewed registry upload, all of it or nothing", responses=POND_WRITE)
def registry_commit(
    request: Request, actor: BureauStaff, session: SessionDep, body: CommitBody, lang: LangQuery = None
) -> dict[str, Any]:
    applied = pond_registry.commit(
        session,
        actor,
        str(_text(body, "file")),
        str(_text(body, "filename")),
        crs=_text(body, "crs", False),
        delist=bool(body.get("delist")),
        fingerprint=str(_text(body, "fingerprint")),
    )
    session.commit()
    return {"applied": applied}


@router.post(
    "/api/bureau/reference/{layer}/preview",
    summary="Read and check a reference layer that would replace it",
    responses=POND_WRITE,
)
async def reference_preview(
    layer: str,
    request: Request,
    actor: BureauStaff,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ; XLSX/CSV points")],
    crs: Annotated[str | None, Form(description="cgcs2000, wgs84, gk3:102, gk3_zoned, gcj02, bd09, EPSG:n")] = None,
    source: Annotated[str | None, Form(description="Where the data come from (recorded with every row)")] = None,
    lang: LangQuery = None,
) -> dict[str, Any]:
    which = reference.layer_of(layer)
    data = await read_bounded(file)
    result = reference.preview(
        session, which, file.filename or "upload", data, crs=crs, source=source, lang=request_language(request)
    )
    session.commit()
    return result


@router.post(
    "/api/bureau/reference/{layer}/commit",
    summary="Replace a reference layer by a previewed file",
    responses=POND_WRITE,
)
def reference_commit(
    layer: str, request: Request, actor: BureauStaff, session: SessionDep, body: CommitBody, lang: LangQuery = None
) -> dict[str, Any]:
    which = reference.layer_of(layer)
    applied = reference.commit(
        session,
        actor,
        which,
        str(_text(body, "file")),
        str(_text(body, "filename")),
        crs=_text(body, "crs", False),
        source=_text(body, "source", False),
        fingerprint=str(_text(body, "fingerprint")),
    )
    session.commit()
    return {"applied": applied}
