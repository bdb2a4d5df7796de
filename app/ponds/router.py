from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from app.accounts.deps import PondReader, SignedIn
from app.accounts.scope import pond_scope_sql
from app.db import SessionDep
from app.deps import LangQuery, parse_bbox
from app.enums import PondStatus
from app.ponds import service
from app.ponds.schemas import PondOut, PondPage
from app.responses import POND_READ

router = APIRouter(prefix="/api/ponds", tags=["ponds"], responses=POND_READ)


@router.get("", response_model=PondPage, summary="Ponds, filtered and paged, with counts of the whole filtered set")
def list_ponds(
    session: SessionDep,
    actor: SignedIn,
    county: Annotated[list[int] | None, Query(description="County adcode; repeat for several")] = None,
    level: Annotated[list[Annotated[int, Field(ge=1, le=3)]] | None, Query(description="Supervision level 1-3")] = None,
    status: Annotated[list[PondStatus] | None, Query()] = None,
    text: Annotated[str | None, Query(max_length=100, description="Part of the name, code or enterprise")] = None,
    bbox: Annotated[str | None, Query(description="min lon,min lat,max lon,max lat (CGCS2000/WGS84)")] = None,
    one_map: Annotated[bool | None, Query(description="Only ponds whose one map is complete (or not)")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    lang: LangQuery = None,
) -> dict[str, Any]:
    f = service.PondFilter(
        county=county,
        level=level,
        status=[s.value for s in status] if status else None,
        text=text or None,
        bbox=parse_bbox(bbox),
        one_map=one_map,
    )
    return service.list_ponds(session, f, limit, offset, pond_scope_sql(actor))


@router.get(
    "/{pond_id}", response_model=PondOut, summary="One pond with its boundary, element counts per type and completeness"
)
def get_pond(pond_id: int, session: SessionDep, actor: PondReader, lang: LangQuery = None) -> dict[str, Any]:
    return service.get_pond(session, pond_id)
