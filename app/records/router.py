from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Query, Request, Response, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from app.accounts.deps import PagePondReader, PondEditor, PondReader
from app.accounts.scope import EDITORS
from app.db import SessionDep
from app.deps import ExpectedVersion, LangDep, LangQuery, request_language
from app.files import content_disposition, read_bounded
from app.records import documents, service
from app.records.config import records_config
from app.records.service import SPECS, RecordKind
from app.responses import POND_READ, POND_WRITE, media

router = APIRouter(prefix="/api/ponds/{pond_id}", tags=["records"], responses=POND_READ)
pages = APIRouter(include_in_schema=False)


class ListKind(StrEnum):
    ledger = "ledger"
    projects = "projects"
    facilities = "facilities"


class HistoryKind(StrEnum):
    permits = "permits"
    ledger = "ledger"
    projects = "projects"
    facilities = "facilities"
    documents = "documents"


RecordBody = Annotated[dict[str, Any], Body(description="The record's fields (see the schemas of the records)")]


def _versioned(record: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(
        jsonable_encoder(record), status_code=status_code, headers={"ETag": f'"{record.get("version", 0)}"'}
    )


@router.get("/records", summary="The pond's file: classification, permits, ledger, projects, facilities, documents")
def pond_file(pond_id: int, actor: PondReader, session: SessionDep, lang: LangDep) -> Any:
    return service.pond_file(session, pond_id, lang)


@router.put(
    "/records/permits",
    summary='Save the pond\'s permits; If-Match: the version edited ("0" for the first)',
    responses=POND_WRITE,
)
def put_permits(
    pond_id: int,
    actor: PondEditor,
    body: RecordBody,
    session: SessionDep,
    expected: ExpectedVersion,
    lang: LangQuery = None,
) -> JSONResponse:
    saved = service.put_permits(session, pond_id, body, expected)
    session.commit()
    return _versioned(saved)


@router.post(
    "/records/{kind}", status_code=201, summary="Add a ledger year, a project or a facility", responses=POND_WRITE
)
def create_record(
    pond_id: int, kind: ListKind, actor: PondEditor, body: RecordBody, session: SessionDep, lang: LangQuery = None
) -> JSONResponse:
    created = service.create(session, pond_id, RecordKind(kind.value), body)
    session.commit()
    return _versioned(created, 201)


@router.put("/records/{kind}/{record_id}", summary="Replace a record; needs If-Match; stale: 409", responses=POND_WRITE)
def update_record(
    pond_id: int,
    kind: ListKind,
    record_id: int,
    actor: PondEditor,
    body: RecordBody,
    session: SessionDep,
    expected: ExpectedVersion,
    lang: LangQuery = None,
) -> JSONResponse:
    updated = service.update(session, pond_id, RecordKind(kind.value), record_id, body, expected)
    session.commit()
    return _versioned(updated)


@router.delete(
    "/records/{kind}/{record_id}", status_code=204, summary="Delete a record; needs If-Match", responses=POND_WRITE
)
def delete_record(
    pond_id: int,
    kind: ListKind,
    record_id: int,
    actor: PondEditor,
    session: SessionDep,
    expected: ExpectedVersion,
    lang: LangQuery = None,
) -> Response:
    service.delete(session, pond_id, RecordKind(kind.value), record_id, expected)
    session.commit()
    return Response(status_code=204)


@router.get("/records/{kind}/{record_id}/revisions", summary="Every state of a record: who, when, what")
def record_revisions(
    pond_id: int, kind: HistoryKind, record_id: int, actor: PondReader, session: SessionDep, lang: LangQuery = None
) -> Any:
    if kind == HistoryKind.documents:
        table, what = "pond_documents", "document"
    else:
        spec = SPECS[RecordKind(kind.value)]
        table, what = spec.table, spec.what
    return service.revisions(session, pond_id, table, record_id, what)


@router.post(
    "/documents",
    status_code=201,
    summary="Upload a document or photo (PDF, JPEG/PNG/WebP, Office)",
    responses=POND_WRITE,
)
async def upload_document(
    pond_id: int,
    actor: PondEditor,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    doc_type: Annotated[str, Form(max_length=40)],
    title: Annotated[str, Form(max_length=300)] = "",
    lang: LangQuery = None,
) -> JSONResponse:
    data = await read_bounded(file)
    doc = documents.upload(session, pond_id, doc_type, title.strip(), file.filename, data)
    session.commit()
    return _versioned(doc, 201)


@router.post(
    "/documents/{doc_id}/versions", summary="Upload a new version of a document; needs If-Match", responses=POND_WRITE
)
async def upload_document_version(
    pond_id: int,
    doc_id: int,
    actor: PondEditor,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    expected: ExpectedVersion,
    lang: LangQuery = None,
) -> JSONResponse:
    data = await read_bounded(file)
    doc = documents.new_version(session, pond_id, doc_id, file.filename, data, expected)
    session.commit()
    return _versioned(doc)


@router.get(
    "/documents/{doc_id}/file",
    response_class=Response,
    responses=media("application/octet-stream"),
    summary="The document's file: images and PDFs open in the browser",
)
def document_file(
    pond_id: int,
    doc_id: int,
    actor: PondReader,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1)] = None,
    lang: LangQuery = None,
) -> Response:
    data, media_type, filename = documents.content(session, pond_id, doc_id, version)
    disposition = "inline" if media_type in documents.INLINE else "attachment"
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(filename, disposition),
            # a stored file is never a page of ours: no scripts, whatever it holds
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
            "Cache-Control": "private, max-age=300",
        },
    )


@pages.get("/ponds/{pond_id}/records")
def records_page(pond_id: int, request: Request, session: SessionDep, actor: PagePondReader) -> HTMLResponse:
    from app.monitoring import service as monitoring
    from app.ponds.service import get_pond
    from app.web.shell import render

    lang = request_language(request)
    pond = get_pond(session, pond_id)
    cfg = records_config()
    return render(
        request,
        "records.html",
        actor=actor,
        pond=pond,
        file=jsonable_encoder(service.pond_file(session, pond_id, lang)),  # dates as the API sends them
        monitoring=monitoring.pond_monitoring(session, pond_id, lang),
        cfg=cfg,
        can_edit=actor.role in EDITORS,
    )
