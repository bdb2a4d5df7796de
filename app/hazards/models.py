"""Hazards (隐患) and every step of their rectification and three-level verification (issue 5)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import check_in
from app.hazards.workflow import Action, HazardSource, HazardState, Severity
from gis.crs import STORAGE_SRID


class Hazard(Base):
    __tablename__ = "hazards"
    __table_args__ = (
        CheckConstraint(check_in("state", HazardState), name="state"),
        CheckConstraint(check_in("source", HazardSource), name="source"),
        CheckConstraint(check_in("severity", Severity), name="severity"),
        CheckConstraint("accuracy_m >= 0", name="accuracy"),
        Index("ix_hazards_pond_id", "pond_id"),
        Index("ix_hazards_state", "state"),
        Index("ix_hazards_location", "location", postgresql_using="gist"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    element_id: Mapped[int | None] = mapped_column(BigInteger)
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"))
    answer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_answers.id"), unique=True)
    item_id: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10), server_default="general")
    description: Mapped[str] = mapped_column(Text)
    location = mapped_column(Geometry("POINT", srid=STORAGE_SRID, spatial_index=False))
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    photo_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default="{}")
    state: Mapped[str] = mapped_column(String(20), server_default="found")
    province_required: Mapped[bool] = mapped_column(Boolean)
    plan: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)  # of the rectification (the enterprise's)
    # of the verification step it waits for (the bureau's), from layers/hazards.yaml `verification_days`
    verification_deadline: Mapped[dt.date | None] = mapped_column(Date)
    extension_requested: Mapped[dt.date | None] = mapped_column(Date)  # the deadline asked for, until decided
    responsible: Mapped[str | None] = mapped_column(Text)
    found_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    found_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    found_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class HazardStep(Base):
    """One step of a hazard's trail: who (person, organisation, level) did what, when, with note and photos."""

    __tablename__ = "hazard_steps"
    __table_args__ = (
        CheckConstraint(check_in("action", Action), name="action"),
        Index("ix_hazard_steps_hazard_id", "hazard_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"))
    pond_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    organisation_name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20))  # the actor's role: enterprise, county, city, province...
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    photo_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default="{}")
    evidence_flags: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
