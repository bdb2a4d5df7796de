"""Tables of a pond's file (一库一档): permits, ledger, projects, facilities, documents, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import FacilityStatus, ProjectKind, ProjectStatus, RevisionOp, RiskGrade, check_in


class _Versioned:
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PondPermits(_Versioned, Base):
    """The permits of a pond (one row per pond): EIA, acceptance, discharge permit, emergency plan, risk grade."""

    __tablename__ = "pond_permits"
    __table_args__ = (CheckConstraint(check_in("risk_grade", RiskGrade), name="risk_grade"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"), unique=True)
    eia_approval_no: Mapped[str | None] = mapped_column(Text)  # 环评批复文号
    eia_approval_date: Mapped[dt.date | None] = mapped_column(Date)
    acceptance_no: Mapped[str | None] = mapped_column(Text)  # 环保验收
    acceptance_date: Mapped[dt.date | None] = mapped_column(Date)
    discharge_permit_no: Mapped[str | None] = mapped_column(Text)  # 排污许可证
    discharge_permit_expiry: Mapped[dt.date | None] = mapped_column(Date)
    emergency_plan_filing_no: Mapped[str | None] = mapped_column(Text)  # 应急预案备案
    emergency_plan_filed_on: Mapped[dt.date | None] = mapped_column(Date)
    risk_grade: Mapped[str | None] = mapped_column(String(20))  # 环境风险等级


class TailingsLedger(_Versioned, Base):
    """One year of the tailings ledger (尾矿台账), in tonnes; reported_on is when the annual report was filed."""

    __tablename__ = "tailings_ledger"
    __table_args__ = (
        CheckConstraint("year BETWEEN 1950 AND 2100", name="year"),
        CheckConstraint("produced_t >= 0 AND stored_t >= 0 AND reused_t >= 0 AND other_disposal_t >= 0", name="tonnes"),
        UniqueConstraint("pond_id", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    produced_t: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    stored_t: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    reused_t: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    other_disposal_t: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    reported_on: Mapped[dt.date | None] = mapped_column(Date)


class PondProject(_Versioned, Base):
    __tablename__ = "pond_projects"
    __table_args__ = (
        CheckConstraint(check_in("kind", ProjectKind), name="kind"),
        CheckConstraint(check_in("status", ProjectStatus), name="status"),
        Index("ix_pond_projects_pond_id", "pond_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    approval_no: Mapped[str | None] = mapped_column(Text)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))


class PollutionFacility(_Versioned, Base):
    """A pollution-prevention facility (污染防治设施) and how it operates."""

    __tablename__ = "pollution_facilities"
    __table_args__ = (
        CheckConstraint(check_in("operating_status", FacilityStatus), name="operating_status"),
        Index("ix_pollution_facilities_pond_id", "pond_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    commissioned_on: Mapped[dt.date | None] = mapped_column(Date)
    operating_status: Mapped[str] = mapped_column(String(20))
    last_checked_on: Mapped[dt.date | None] = mapped_column(Date)


class PondDocument(_Versioned, Base):
    """A document or photo; each new upload is a new version, earlier ones stay in record_revisions."""

    __tablename__ = "pond_documents"
    __table_args__ = (Index("ix_pond_documents_pond_id", "pond_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    doc_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class RecordRevision(Base):
    """Every state of every record row, written by a trigger (no code path changes a record without history)."""

    __tablename__ = "record_revisions"
    __table_args__ = (
        CheckConstraint(check_in("op", RevisionOp), name="op"),
        Index("ix_record_revisions_record", "table_name", "record_id", "version"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(BigInteger)
    pond_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changed_by: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
