from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from app.accounts.deps import JobStarter, PondReader, SignedIn
from app.db import SessionDep
from app.deps import LangDep, RowId
from app.dossiers import service
from app.dossiers.build import build_dossier
from app.dossiers.workbooks import pond_workbook
from app.files import content_disposition
from app.responses import POND_READ, POND_WRITE, errors, media

router = APIRouter(prefix="/api/ponds/{pond_id}", tags=["dossiers"], responses=POND_READ)
all_router = APIRouter(prefix="/api/dossiers", tags=["dossiers"], responses=POND_READ)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition(filename)}


@router.get(
    "/workbook.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="The pond's records as one XLSX: permits, ledger, elements, monitoring",
)
def workbook(pond_id: int, actor: PondReader, session: SessionDep, lang: LangDep) -> Response:
    code = service.pond_code(session, pond_id)
    return Response(pond_workbook(session, pond_id, lang), media_type=XLSX, headers=_attachment(f"{code}.xlsx"))


@router.get(
    "/dossier.zip",
    response_class=Response,
    responses=media("application/zip"),
    summary="The pond's dossier (一库一档): report PDF, workbooks, GeoPackage, KML, offline map, photos, documents",
)
def dossier(pond_id: int, actor: PondReader, session: SessionDep, lang: LangDep) -> Response:
    code = service.pond_code(session, pond_id)
    return Response(
        build_dossier(session, pond_id, lang), media_type="application/zip", headers=_attachment(f"{code}-dossier.zip")
    )


@all_router.post(
    "",
    status_code=202,
    summary="Start exporting the dossiers of every pond in the caller's scope (a background job)",
    responses=POND_WRITE,
)
def start_all(actor: JobStarter, session: SessionDep, lang: LangDep) -> dict[str, Any]:
    job = service.start_all(session, actor, lang)
    session.commit()
    return job


@all_router.get(
    "/{job_id}/download",
    response_class=Response,
    responses={**errors(409), **media("application/zip")},
    summary="The finished export of one's own `dossier_all` job (ZIP)",
)
def download_all(job_id: RowId, actor: SignedIn, session: SessionDep, lang: LangDep) -> Response:
    filename, data = service.result_of(session, actor, job_id)
    return Response(data, media_type="application/zip", headers=_attachment(filename))
