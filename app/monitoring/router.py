from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from app.accounts.deps import PondEditor, PondReader
from app.db import SessionDep
from app.deps import LangDep, LangQuery
from app.files import read_bounded
from app.monitoring import service
from app.responses import POND_READ, POND_WRITE, media

router = APIRouter(prefix="/api/ponds/{pond_id}/monitoring", tags=["monitoring"], responses=POND_READ)


@router.get("", summary="Wells, results compared with limits and background, sampling-frequency compliance")
def pond_monitoring(pond_id: int, actor: PondReader, session: SessionDep, lang: LangDep) -> Any:
    return service.pond_monitoring(session, pond_id, lang)


@router.post(
    "/imports",
    status_code=201,
    summary="Import laboratory results (CSV or XLSX: well, date, parameter, value, unit, flag); all or nothing",
    responses=POND_WRITE,
)
async def import_results(
    pond_id: int, actor: PondEditor, session: SessionDep, file: Annotated[UploadFile, File()], lang: LangQuery = None
) -> JSONResponse:
    data = await read_bounded(file)
    result = service.import_results(session, pond_id, file.filename or "upload.csv", data)
    session.commit()
    return JSONResponse(jsonable_encoder(result), status_code=201)


@router.get(
    "/chart.svg",
    response_class=Response,
    responses=media("image/svg+xml"),
    summary="A well's time series of one parameter with the limit line (SVG)",
)
def chart_svg(
    pond_id: int,
    actor: PondReader,
    session: SessionDep,
    lang: LangDep,
    well: Annotated[int, Query()],
    parameter: Annotated[str, Query(max_length=40)],
) -> Response:
    body = service.chart_svg(session, pond_id, well, parameter, lang)
    return Response(body, media_type="image/svg+xml", headers={"Cache-Control": "private, no-cache"})
