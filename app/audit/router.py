from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.accounts.deps import PondReader
from app.audit import service
from app.db import SessionDep
from app.responses import POND_READ

router = APIRouter(prefix="/api/ponds", tags=["audit"], responses=POND_READ)


@router.get("/{pond_id}/history", summary="Every change to the pond and its records, newest first")
def pond_history(
    pond_id: int,
    actor: PondReader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before_id: Annotated[int | None, Query(description="page: entries older than this id")] = None,
) -> dict[str, Any]:
    return service.pond_history(session, pond_id, limit, before_id)
