"""Checklist templates as used, inspections and their answers (issue 5); their photos are app.photos'."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import check_in
from gis.crs import STORAGE_SRID


class InspectionKind(StrEnum):
    government = "government"  # by a bureau's inspector (county, city, province)
    self_inspection = "self_inspection"  # the operator's own, before each flood season [Order 26 art. 7]


class InspectionState(StrEnum):
    draft = "draft"
    submitted = "submitted"


class Answer(StrEnum):
    ok = "ok"
    problem = "problem"  # opens a hazard
    not_applicable = "not_applicable"


def _point() -> Geometry:
    return Geometry("POINT", srid=STORAGE_SRID, spatial_index=False)


class ChecklistTemplate(Base):
    """A checklist template as it was when first used: inspections point here, so they keep their items."""

    __tablename__ = "checklist_templates"
    __table_args__ = (UniqueConstraint("status", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Inspection(Base):
    """One inspection of one pond. The id is made by the client, so sending it twice makes one inspection."""

    __tablename__ = "inspections"
    __table_args__ = (
        CheckConstraint(check_in("kind", InspectionKind), name="kind"),
        CheckConstraint(check_in("state", InspectionState), name="state"),
        CheckConstraint("(state = 'submitted') = (submitted_at IS NOT NULL)", name="submitted"),
        Index("ix_inspections_pond_id", "pond_id", "started_at"),
        Index("ix_inspections_location", "location", postgresql_using="gist"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), server_default="draft")
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    location = mapped_column(_point())
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class InspectionAnswer(Base):
    """The answer to one checklist item for one element (or the pond, for pond-level sections)."""

    __tablename__ = "inspection_answers"
    __table_args__ = (
        CheckConstraint(check_in("answer", Answer), name="answer"),
        CheckConstraint("accuracy_m >= 0", name="accuracy"),
        Index("ix_inspection_answers_inspection_id", "inspection_id"),
        Index("ix_inspection_answers_location", "location", postgresql_using="gist"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"))
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    element_id: Mapped[int | None] = mapped_column(BigInteger)  # no FK: the answer outlives a deleted element
    section: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(80))
    answer: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    photo_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default="{}")
    location = mapped_column(_point())
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
