"""Request bodies of inspections and hazards."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.hazards.workflow import Severity
from app.inspections.models import Answer
from app.text import Text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Position(_Body):
    """Where the phone was (WGS84 from the browser, within centimetres of CGCS2000), and how sure it was."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    accuracy_m: float | None = Field(None, ge=0, le=100_000)


class AnswerIn(_Body):
    id: uuid.UUID = Field(description="Made by the client: sending the same answer again updates it")
    element_id: int | None = Field(None, description="The element; none for pond-level sections")
    item_id: str = Field(max_length=80)
    answer: Answer
    note: Annotated[str | None, Text("检查说明", "Note", 4000)] = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    position: Position | None = None
    answered_at: dt.datetime | None = None


class InspectionIn(_Body):
    started_at: dt.datetime | None = None
    note: Annotated[str | None, Text("检查说明", "Note", 4000)] = None
    position: Position | None = None
    answers: list[AnswerIn] = Field(default_factory=list, max_length=2000)
    submit: bool = Field(False, description="Submit now (problems become hazards); a submitted inspection is final")


class HazardIn(_Body):
    id: uuid.UUID = Field(description="Made by the client: reporting the same hazard again creates one")
    description: Annotated[str, Text("隐患描述", "Hazard description", 4000, min_length=1)]
    element_id: int | None = None
    position: Position | None = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    severity: Severity = Severity.general
    found_at: dt.datetime | None = None


class TransitionIn(_Body):
    action: str = Field(max_length=40)
    note: Annotated[str | None, Text("说明", "Note", 4000)] = None
    reason: Annotated[str | None, Text("理由", "Reason", 4000)] = None
    plan: Annotated[str | None, Text("整改方案", "Rectification plan", 4000)] = None
    deadline: dt.date | None = None
    responsible: Annotated[str | None, Text("责任人", "Responsible person", 200, single_line=True)] = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
