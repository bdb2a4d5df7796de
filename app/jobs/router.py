from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.accounts.deps import SignedIn
from app.db import SessionDep
from app.deps import LangDep, LangQuery, RowId
from app.jobs import service
from app.jobs.schemas import JobOut
from app.responses import POND_READ

router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=POND_READ)


@router.get(
    "/{job_id}", response_model=JobOut, summary="A background job's state and progress (0-1); only its owner sees it"
)
def get_job(
    job_id: RowId, actor: SignedIn, session: SessionDep, language: LangDep, lang: LangQuery = None
) -> dict[str, Any]:
    return service.get_for(session, actor, job_id, language)
