"""库长制: the pond chiefs, recorded per pond with their term, so that a pond's tasks reach them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field
from sqlalchemy import text

from app.accounts.deps import PondManager, PondReader
from app.db import SessionDep
from app.enums import ChiefRole
from app.errors import FieldProblem, Invalid, NotFound
from app.responses import POND_READ, POND_WRITE

router = APIRouter(prefix="/api/ponds/{pond_id}/chiefs", tags=["accounts"], responses=POND_READ)


class ChiefIn(BaseModel):
    role: ChiefRole
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(None, max_length=40)
    username: str | None = Field(None, description="the chief's user account, if any")
    term_start: dt.date
    term_end: dt.date | None = None


def _chiefs(session: SessionDep, pond_id: int) -> list[dict[str, Any]]:
    rows = (
        session.execute(
            text("""
        SELECT c.id, c.role, c.name, c.phone, c.term_start, c.term_end, u.username,
               (c.term_end IS NULL OR c.term_end >= current_date) AND c.term_start <= current_date AS current
        FROM pond_chiefs c LEFT JOIN users u ON u.id = c.user_id WHERE c.pond_id = :p
        ORDER BY c.role, c.term_start DESC"""),
            {"p": pond_id},
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


@router.get("", summary="The pond's chiefs, current and past")
def list_chiefs(pond_id: int, actor: PondReader, session: SessionDep) -> list[dict[str, Any]]:
    return _chiefs(session, pond_id)


@router.post("", status_code=201, summary="Appoint a chief for a term", responses=POND_WRITE)
def add_chief(pond_id: int, actor: PondManager, body: ChiefIn, session: SessionDep) -> list[dict[str, Any]]:
    if body.term_end is not None and body.term_end < body.term_start:
        raise Invalid("validation_failed", problems=[FieldProblem("term_end", "term_end_before_start")])
    user_id = None
    if body.username:
        user_id = session.execute(
            text("SELECT id FROM users WHERE username = :u"), {"u": body.username.lower()}
        ).scalar()
        if user_id is None:
            raise Invalid(
                "validation_failed", problems=[FieldProblem("username", "user_unknown", {"username": body.username})]
            )
    session.execute(
        text("""
        INSERT INTO pond_chiefs (pond_id, role, user_id, name, phone, term_start, term_end)
        VALUES (:p, :role, :uid, :name, :phone, :start, :end)"""),
        {
            "p": pond_id,
            "role": body.role.value,
            "uid": user_id,
            "name": body.name,
            "phone": body.phone,
            "start": body.term_start,
            "end": body.term_end,
        },
    )
    session.commit()
    return _chiefs(session, pond_id)


@router.post("/{chief_id}/end", summary="End a chief's term (the record stays)", responses=POND_WRITE)
def end_term(
    pond_id: int, chief_id: int, actor: PondManager, session: SessionDep, term_end: Annotated[dt.date, Body(embed=True)]
) -> list[dict[str, Any]]:
    updated = session.execute(
        text("""
        UPDATE pond_chiefs SET term_end = :end WHERE id = :c AND pond_id = :p AND term_start <= :end
        RETURNING id"""),
        {"end": term_end, "c": chief_id, "p": pond_id},
    ).scalar()
    if updated is None:
        exists = session.execute(
            text("SELECT 1 FROM pond_chiefs WHERE id = :c AND pond_id = :p"), {"c": chief_id, "p": pond_id}
        ).scalar()
        if exists is None:
            raise NotFound("not_found", {"what_code": "chief", "id": chief_id})
        raise Invalid("validation_failed", problems=[FieldProblem("term_end", "term_end_before_start")])
    session.commit()
    return _chiefs(session, pond_id)
