"""库长制: the pond chiefs, recorded per pond with their term, so that a pond's tasks reach them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body

from app.accounts import chiefs_service as service
from app.accounts.chiefs_service import ChiefIn
from app.accounts.deps import PondManager, PondReader
from app.db import SessionDep
from app.responses import POND_READ, POND_WRITE

router = APIRouter(prefix="/api/ponds/{pond_id}/chiefs", tags=["accounts"], responses=POND_READ)


@router.get("", summary="The pond's chiefs, current and past")
def list_chiefs(pond_id: int, actor: PondReader, session: SessionDep) -> list[dict[str, Any]]:
    return service.chiefs(session, pond_id)


@router.post("", status_code=201, summary="Appoint a chief for a term", responses=POND_WRITE)
def add_chief(pond_id: int, actor: PondManager, body: ChiefIn, session: SessionDep) -> list[dict[str, Any]]:
    service.appoint(session, pond_id, body)
    session.commit()
    return service.chiefs(session, pond_id)


@router.post("/{chief_id}/end", summary="End a chief's term (the record stays)", responses=POND_WRITE)
def end_term(
    pond_id: int, chief_id: int, actor: PondManager, session: SessionDep, term_end: Annotated[dt.date, Body(embed=True)]
) -> list[dict[str, Any]]:
    service.end_term(session, pond_id, chief_id, term_end)
    session.commit()
    return service.chiefs(session, pond_id)
