"""Groundwater monitoring results imported from laboratory files (GB/T 14848-2017, GB 18599-2020)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class MonitoringImport(Base):
    __tablename__ = "monitoring_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    filename: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # the file, kept in app.files
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MonitoringResult(Base):
    """One value: a well, a date, a parameter; `value` in the parameter's unit (mg/L; pH without unit).

    Below-detection results keep the detection limit as `value` with `below_detection` set. The well is an
    element id without a foreign key, so results outlive a deleted well (as element revisions do).
    """

    __tablename__ = "monitoring_results"
    __table_args__ = (
        UniqueConstraint("well_id", "sampled_on", "parameter"),
        Index("ix_monitoring_results_pond", "pond_id", "parameter", "sampled_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    import_id: Mapped[int] = mapped_column(ForeignKey("monitoring_imports.id"))
    well_id: Mapped[int] = mapped_column(BigInteger)
    well_name: Mapped[str] = mapped_column(Text)
    sampled_on: Mapped[dt.date] = mapped_column(Date)
    parameter: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    below_detection: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    raw_value: Mapped[str] = mapped_column(Text)
    raw_unit: Mapped[str | None] = mapped_column(Text)
