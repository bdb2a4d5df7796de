from __future__ import annotations

import datetime as dt

from geoalchemy2 import Geometry
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import DamType, PondStatus, Storage, check_in
from gis.crs import STORAGE_SRID


class Enterprise(Base):
    """The operator of one or more ponds (企业)."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(Text)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    county_adcode: Mapped[int | None] = mapped_column(ForeignKey("districts.adcode"))
    address: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Pond(Base):
    """A tailings pond (尾矿库) with its identity, classification, capacity and pond-level geometries."""

    __tablename__ = "ponds"
    __table_args__ = (
        CheckConstraint("supervision_level BETWEEN 1 AND 3", name="supervision_level"),
        CheckConstraint("safety_grade BETWEEN 1 AND 5", name="safety_grade"),
        CheckConstraint(check_in("status", PondStatus), name="status"),
        CheckConstraint(check_in("dam_type", DamType), name="dam_type"),
        CheckConstraint(check_in("storage", Storage), name="storage"),
        CheckConstraint("current_volume_10k_m3 >= 0 AND design_volume_10k_m3 >= 0", name="volumes"),
        CheckConstraint("dam_height_m >= 0", name="dam_height"),
        Index("ix_ponds_location", "location", postgresql_using="gist"),
        Index("ix_ponds_boundary", "boundary", postgresql_using="gist"),
        Index("ix_ponds_dam_crest", "dam_crest", postgresql_using="gist"),
        Index("ix_ponds_county_adcode", "county_adcode"),
        Index("ix_ponds_enterprise_id", "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # 尾矿库编码
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    county_adcode: Mapped[int] = mapped_column(ForeignKey("districts.adcode"))
    supervision_level: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(20))
    stopped_since: Mapped[dt.date | None] = mapped_column(Date)
    ownerless: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    safety_grade: Mapped[int | None] = mapped_column(SmallInteger)
    dam_type: Mapped[str | None] = mapped_column(String(20))
    storage: Mapped[str | None] = mapped_column(String(10))
    ore_type: Mapped[str | None] = mapped_column(Text)
    design_volume_10k_m3: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    current_volume_10k_m3: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    dam_height_m: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    location = mapped_column(Geometry("POINT", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    boundary = mapped_column(Geometry("MULTIPOLYGON", srid=STORAGE_SRID, spatial_index=False))
    dam_crest = mapped_column(Geometry("LINESTRING", srid=STORAGE_SRID, spatial_index=False))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
