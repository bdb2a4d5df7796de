"""Request bodies of hazards (reported directly or from an inspection's problem answers)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.hazards.workflow import Severity
from app.text import Text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Position(_Body):
    """Where the phone was (WGS84 from the browser, within centimetres of CGCS2000), and how sure it was."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    accuracy_m: float | None = Field(None, ge=0, le=100_000)


class HazardIn(_Body):
    id: uuid.UUID = Field(description="Made by the client: reporting the same hazard again creates one")
    description: Annotated[str, Text("field_hazard_description", 4000, min_length=1)]
    element_id: int | None = None
    position: Position | None = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    severity: Severity = Severity.general
    found_at: dt.datetime | None = None


class TransitionIn(_Body):
    action: str = Field(max_length=40)
    note: Annotated[str | None, Text("field_step_note", 4000)] = None
    reason: Annotated[str | None, Text("field_step_reason", 4000)] = None
    plan: Annotated[str | None, Text("field_rectification_plan", 4000)] = None
    deadline: dt.date | None = None
    responsible: Annotated[str | None, Text("field_responsible_person", 200, single_line=True)] = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
