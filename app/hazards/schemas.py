"""Request bodies of hazards (reported directly or from an inspection's problem answers)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from app.hazards.workflow import Severity


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Position(_Body):
    """Where the phone was (WGS84 from the browser, within centimetres of CGCS2000), and how sure it was."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    accuracy_m: float | None = Field(None, ge=0, le=100_000)


class HazardIn(_Body):
    id: uuid.UUID = Field(description="Made by the client: reporting the same hazard again creates one")
    description: str = Field(min_length=1, max_length=4000)
    element_id: int | None = None
    position: Position | None = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    severity: Severity = Severity.general
    found_at: dt.datetime | None = None


class TransitionIn(_Body):
    action: str = Field(max_length=40)
    note: str | None = Field(None, max_length=4000)
    reason: str | None = Field(None, max_length=4000)
    plan: str | None = Field(None, max_length=4000)
    deadline: dt.date | None = None
    responsible: str | None = Field(None, max_length=200)
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
