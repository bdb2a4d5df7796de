"""Photos (inspection, hazard, evidence): the bytes in the file store by hash, with what their EXIF says."""

from __future__ import annotations

import datetime as dt
import uuid

from geoalchemy2 import Geometry
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from gis.crs import STORAGE_SRID


class Photo(Base):
    """A photo (inspection, hazard, evidence): bytes in the file store by hash, with what its EXIF says."""

    __tablename__ = "photos"
    __table_args__ = (
        Index("ix_photos_pond_id", "pond_id"),
        Index("ix_photos_location", "location", postgresql_using="gist"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # EXIF
    location = mapped_column(Geometry("POINT", srid=STORAGE_SRID, spatial_index=False))  # EXIF GPS
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
