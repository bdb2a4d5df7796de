"""Request bodies of inspections."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.hazards.schemas import Position
from app.inspections.models import Answer
from app.text import Text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerIn(_Body):
    id: uuid.UUID = Field(description="Made by the client: sending the same answer again updates it")
    element_id: int | None = Field(None, description="The element; none for pond-level sections")
    item_id: str = Field(max_length=80)
    answer: Answer
    note: Annotated[str | None, Text("field_inspection_note", 4000)] = None
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    position: Position | None = None
    answered_at: dt.datetime | None = None


class InspectionIn(_Body):
    started_at: dt.datetime | None = None
    note: Annotated[str | None, Text("field_inspection_note", 4000)] = None
    position: Position | None = None
    answers: list[AnswerIn] = Field(default_factory=list, max_length=2000)
    submit: bool = Field(False, description="Submit now (problems become hazards); a submitted inspection is final")
