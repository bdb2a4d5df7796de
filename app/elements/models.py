from __future__ import annotations

import datetime as dt
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
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import GeometrySource, ReviewState, RevisionOp, check_in
from gis.crs import STORAGE_SRID


class Element(Base):
    """One environmental supervision element (环境监管要素): a well, a pipe, a pool, a liner area..."""

    __tablename__ = "elements"
    __table_args__ = (
        CheckConstraint(check_in("source", GeometrySource), name="source"),
        CheckConstraint(check_in("review_state", ReviewState), name="review_state"),
        CheckConstraint("accuracy_m >= 0", name="accuracy"),
        CheckConstraint("version >= 1", name="version"),
        Index("ix_elements_geom", "geom", postgresql_using="gist"),
        Index("ix_elements_pond_type", "pond_id", "type"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    type: Mapped[str] = mapped_column(String(40))  # catalogue type code
    kind: Mapped[str] = mapped_column(String(60))  # catalogue kind code
    name: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("GEOMETRY", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    source: Mapped[str] = mapped_column(String(20))
    captured_at: Mapped[dt.date | None] = mapped_column(Date)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    review_state: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ElementRevision(Base):
    """Every state an element has had, written by a database trigger on each insert, update and delete.

    `shift_m` is how far the geometry moved against the previous revision (Hausdorff distance in the
    element's Gauss-Kruger zone). Rows outlive their element, so there is no foreign key on element_id.
    """

    __tablename__ = "element_revisions"
    __table_args__ = (
        CheckConstraint(check_in("op", RevisionOp), name="op"),
        Index("ix_element_revisions_geom", "geom", postgresql_using="gist"),
        Index("ix_element_revisions_element", "element_id", "version"),
        Index("ix_element_revisions_pond", "pond_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    element_id: Mapped[int] = mapped_column(BigInteger)
    pond_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(60))
    name: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("GEOMETRY", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    source: Mapped[str] = mapped_column(String(20))
    captured_at: Mapped[dt.date | None] = mapped_column(Date)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    review_state: Mapped[str] = mapped_column(String(20))
    geometry_changed: Mapped[bool] = mapped_column(Boolean)
    shift_m: Mapped[float | None] = mapped_column(Float)
    changed_by: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
