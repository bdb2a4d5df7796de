from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from app.accounts.deps import PondReader
from app.db import SessionDep
from app.deps import LangDep, LangQuery
from app.dossiers.workbooks import pond_workbook

router = APIRouter(prefix="/api/ponds/{pond_id}", tags=["dossiers"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/workbook.xlsx", summary="The pond's records as one XLSX: permits, ledger, elements, monitoring")
def workbook(pond_id: int, actor: PondReader, session: SessionDep, lang: LangDep, _l: LangQuery = None) -> Response:
    from sqlalchemy import text

    code = session.execute(text("SELECT code FROM ponds WHERE id = :p"), {"p": pond_id}).scalar()
    return Response(
        pond_workbook(session, pond_id, lang),
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'{code}.xlsx')}"},
    )
