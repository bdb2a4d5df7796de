from __future__ import annotations

import datetime as dt
from enum import StrEnum
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
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import app.accounts.models  # noqa: F401  (users, referenced by foreign keys)
import app.ponds.models  # noqa: F401  (ponds)
from app.db import Base
from app.enums import check_in
from gis.crs import STORAGE_SRID


class ImageKind(StrEnum):
    multispectral = "multispectral"  # satellite scenes with green and NIR bands
    rgb = "rgb"  # drone orthophotos
    dem = "dem"  # elevation models
    other = "other"


class DerivedKind(StrEnum):
    water_surface = "water_surface"  # 水面
    pond_outline = "pond_outline"  # the pond's extent seen from imagery


class Image(Base):
    """A stored image (satellite scene, drone orthophoto, DEM), kept once as a COG in the file store."""

    __tablename__ = "images"
    __table_args__ = (
        CheckConstraint(check_in("kind", ImageKind), name="kind"),
        Index("ix_images_footprint", "footprint", postgresql_using="gist"),
        Index("ix_images_acquired_on", "acquired_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))  # the COG in the file store
    source_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # the file as received
    filename: Mapped[str] = mapped_column(Text)
    sensor: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    acquired_on: Mapped[dt.date] = mapped_column(Date)
    crs_epsg: Mapped[int] = mapped_column(Integer)
    resolution_m: Mapped[float] = mapped_column(Float)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    band_count: Mapped[int] = mapped_column(Integer)
    band_roles: Mapped[dict[str, int]] = mapped_column(JSONB)
    dtype: Mapped[str] = mapped_column(String(12))
    nodata: Mapped[float | None] = mapped_column(Float)
    display_range: Mapped[list[float] | None] = mapped_column(JSONB)  # [low, high] for tiles
    footprint = mapped_column(Geometry("POLYGON", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ImagePond(Base):
    """The ponds an image covers (its footprint meets the pond's boundary, or location without one)."""

    __tablename__ = "image_ponds"
    __table_args__ = (Index("ix_image_ponds_pond_id", "pond_id"),)

    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"), primary_key=True)


class DerivedGeometry(Base):
    """A geometry derived from one image for one pond: its water surface or its outline, with method,
    parameters and the image's date, so that dates can be compared."""

    __tablename__ = "derived_geometries"
    __table_args__ = (
        CheckConstraint(check_in("kind", DerivedKind), name="kind"),
        UniqueConstraint("image_id", "pond_id", "kind"),
        Index("ix_derived_geometries_geom", "geom", postgresql_using="gist"),
        Index("ix_derived_geometries_pond", "pond_id", "kind", "acquired_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    kind: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    acquired_on: Mapped[dt.date] = mapped_column(Date)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=STORAGE_SRID, spatial_index=False), nullable=False)
    area_m2: Mapped[float] = mapped_column(Float)
    outside_m2: Mapped[float | None] = mapped_column(Float)  # beyond the approved boundary
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")  # growth: to review
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
