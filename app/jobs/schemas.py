"""Response body of a background job."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.jobs.models import JobState


class JobOut(BaseModel):
    id: int
    kind: str
    state: JobState
    progress: float
    message: str | None
    result: dict[str, Any] | None
    pond_id: int | None
    created_at: str | None
    started_at: str | None
    finished_at: str | None
