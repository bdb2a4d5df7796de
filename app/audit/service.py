"""The audit trail of a pond, as its history page and API read it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def pond_history(session: Session, pond_id: int, limit: int, before_id: int | None) -> dict[str, Any]:
    """Every change to the pond and its records, newest first, `limit` at a time (older than `before_id`)."""
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
