"""Inspections API: a pond's checklist, inspections (drafts and submissions under client ids), photos."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from app.accounts.deps import PondInspector, PondReader, SignedIn
from app.config import get_settings
from app.db import SessionDep
from app.deps import LangDep
from app.errors import Invalid
from app.inspections import service
from app.inspections.schemas import InspectionIn
from app.photos import service as photos
from app.responses import POND_READ, POND_WRITE, SIGNED_IN, media

router = APIRouter(prefix="/api/ponds/{pond_id}", tags=["inspections"], responses=POND_READ)
exports_router = APIRouter(tags=["inspections"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/checklist", summary="The checklist for this pond (by its status) and its elements")
def checklist(pond_id: int, actor: PondReader, session: SessionDep) -> dict[str, Any]:
    out = service.checklist_for_pond(session, pond_id)
    session.commit()  # the template is stored on first use
    return out


@router.get("/inspections", summary="The pond's inspections, newest first")
def list_inspections(pond_id: int, actor: PondReader, session: SessionDep) -> dict[str, Any]:
    return {"items": service.list_for_pond(session, pond_id)}


@router.put(
    "/inspections/{inspection_id}",
    summary="Create or update an inspection under the client's id; `submit: true` submits it",
    description="Idempotent: the same body sent twice makes one inspection; answers are upserted by their ids. "
    "A submitted inspection is final: sending it again returns it unchanged. Problem answers become hazards. "
    "Inspectors of the province, city and county, and the enterprise (its self-inspection) may inspect.",
    responses={**POND_WRITE, 201: {"description": "Created under the client's id; 200: updated or unchanged"}},
)
def put_inspection(
    pond_id: int, inspection_id: uuid.UUID, actor: PondInspector, body: InspectionIn, session: SessionDep
) -> JSONResponse:
    created = service.put(session, actor, pond_id, inspection_id, body)
    session.commit()
    out = service.detail(session, pond_id, inspection_id)
    return JSONResponse(_json(out), status_code=201 if created else 200)


def _json(obj: Any) -> Any:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(obj)


@router.get("/inspections/{inspection_id}", summary="One inspection with its answers and template")
def get_inspection(pond_id: int, inspection_id: uuid.UUID, actor: PondReader, session: SessionDep) -> Any:
    return _json(service.detail(session, pond_id, inspection_id))


@router.get(
    "/inspections/{inspection_id}/record.pdf",
    response_class=Response,
    responses=media("application/pdf"),
    summary="The printable inspection record (PDF, Chinese)",
)
def inspection_pdf(pond_id: int, inspection_id: uuid.UUID, actor: PondReader, session: SessionDep) -> Response:
    from app.inspections.record import inspection_record_pdf

    data = inspection_record_pdf(session, pond_id, inspection_id)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="inspection-{inspection_id}.pdf"'},
    )


@router.post(
    "/photos",
    summary="Upload a photo (JPEG, PNG, WebP) under the client's id; EXIF time and GPS read",
    responses=POND_WRITE,
)
async def upload_photo(
    pond_id: int,
    actor: PondInspector,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    id: Annotated[uuid.UUID, Form()],
) -> JSONResponse:
    settings = get_settings()
    limit = int(min(settings.photo_max_mb, settings.upload_max_mb) * 1024 * 1024)
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise Invalid("photo_too_large", {"file": file.filename or "", "limit_mb": limit / 1024 / 1024})
    existed = photos.photo_exists(session, id)
    out = service.store_photo(session, actor, pond_id, id, data, file.filename)
    session.commit()
    return JSONResponse(_json(out), status_code=200 if existed else 201)


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses=media("image/jpeg", "image/png", "image/webp"),
    summary="A photo's bytes",
)
def get_photo(pond_id: int, photo_id: uuid.UUID, actor: PondReader, session: SessionDep, lang: LangDep) -> Response:
    data, content_type = photos.photo_bytes(session, pond_id, photo_id)
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=86400, immutable"})


@exports_router.get(
    "/api/exports/inspections.xlsx",
    response_class=Response,
    responses={**SIGNED_IN, **media(XLSX)},
    summary="Inspections in my scope as a spreadsheet",
)
def export_inspections(actor: SignedIn, session: SessionDep) -> Response:
    from app.inspections.exports import inspections_xlsx

    return Response(
        inspections_xlsx(session, actor),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="inspections.xlsx"'},
    )
