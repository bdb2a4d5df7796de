from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import SensitiveKind, check_in
from gis.crs import STORAGE_SRID


class District(Base):
    """A county-level administrative unit (区/县), keyed by its adcode."""

    __tablename__ = "districts"
    __table_args__ = (Index("ix_districts_geom", "geom", postgresql_using="gist"),)

    adcode: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    parent_adcode: Mapped[int | None] = mapped_column(Integer)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    source: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class River(Base):
    """A river centreline; `code` links it to the priority-zone buffers of the rules (layers/rules.yaml)."""

    __tablename__ = "rivers"
    __table_args__ = (Index("ix_rivers_geom", "geom", postgresql_using="gist"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("MULTILINESTRING", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    source: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class SensitiveTarget(Base):
    """Something around a pond that pollution would harm: a water source, a village, farmland, a school."""

    __tablename__ = "sensitive_targets"
    __table_args__ = (
        Index("ix_sensitive_targets_geom", "geom", postgresql_using="gist"),
        CheckConstraint(check_in("kind", SensitiveKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("GEOMETRY", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    source: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
