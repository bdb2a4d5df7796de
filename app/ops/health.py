"""Readiness: the database answers and its schema is the one this code was written for."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


@lru_cache
def head_revision() -> str:
    """The newest migration this code knows (read once from migrations/)."""
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    heads = ScriptDirectory.from_config(alembic_config("")).get_heads()
    assert len(heads) == 1, f"the migration chain has several heads: {heads}"
    return heads[0]


def readiness(session: Session) -> tuple[bool, dict[str, str]]:
    """(ready, details). Not ready when the database is unreachable or not migrated to head."""
    head = head_revision()
    try:
        current = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        session.rollback()
        orig = getattr(exc, "orig", None)
        first = (str(orig) if orig else str(exc)).strip().splitlines()[0] if str(orig or exc).strip() else ""
        if "alembic_version" in first:
            return False, {"status": "error", "reason": "database not migrated (run `tailings db upgrade`)"}
        return False, {"status": "error", "reason": f"database unreachable: {first}"[:300]}
    if current != head:
        return False, {
            "status": "error",
            "reason": f"database at migration {current or 'base'}, the code needs {head} (run `tailings db upgrade`)",
        }
    return True, {"status": "ok", "database": "ok", "migration": head}
