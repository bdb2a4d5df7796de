from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import text

from app.accounts.deps import PondReader
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
    rows = (
        session.execute(
            text("""
        SELECT json_build_object('id', id, 'at', at, 'username', username, 'organisation_id', organisation_id,
               'action', action, 'object_type', object_type, 'object_id', object_id, 'before', before,
               'after', after, 'request_id', request_id)::text
        FROM audit_log WHERE pond_id = :pond AND (CAST(:before AS bigint) IS NULL OR id < :before)
        ORDER BY id DESC LIMIT :limit"""),
            {"pond": pond_id, "before": before_id, "limit": limit},
        )
        .scalars()
        .all()
    )
    entries = [json.loads(r) for r in rows]
    return {"entries": entries, "next_before_id": entries[-1]["id"] if len(entries) == limit else None}
