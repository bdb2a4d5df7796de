from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.accounts.deps import PondReader
from app.compliance import service
from app.db import SessionDep
from app.deps import LangDep
from app.responses import POND_READ

router = APIRouter(prefix="/api/ponds", tags=["compliance"], responses=POND_READ)


@router.get("/{pond_id}/compliance", summary="Rule checks: pass / fail / not applicable, each with reason and source")
def compliance(pond_id: int, session: SessionDep, actor: PondReader, lang: LangDep) -> dict[str, Any]:
    return service.check_pond(session, pond_id, lang)
