"""Import batches (one per uploaded file), their staged rows, and the bureau's review of elements.

A batch is staged first: every feature of the file becomes a row saying what it would do (add, move,
change, leave unchanged, remove) and what is wrong with it. Nothing touches `elements` until the commit,
which applies all rows in one transaction or none. Staged rows are derived from the stored file (kept by
hash), so they are not audited row by row; the batch and every element change are.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
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
from app.enums import GeometrySource, check_in
from gis.crs import STORAGE_SRID


class BatchState(StrEnum):
    staged = "staged"  # read and validated, waiting for the user's commit
    committed = "committed"
    discarded = "discarded"
    refused = "refused"  # the file held errors: nothing of it can be committed (the errors stay readable)
    expired = "expired"  # staged and left undecided past imports_staged_ttl_hours


class ImportMode(StrEnum):
    merge = "merge"  # add and update; elements not in the file stay
    replace = "replace"  # also remove the pond's elements of the file's kinds that the file no longer holds


class RowAction(StrEnum):
    add = "add"
    move = "move"  # the geometry changes (the shift is recorded), perhaps attributes too
    change = "change"  # attributes or name change, the geometry stays
    unchanged = "unchanged"
    remove = "remove"
    error = "error"  # cannot be applied; the batch cannot be committed until the file is fixed


class ReviewDecision(StrEnum):
    verified = "verified"
    returned = "returned"


class ImportBatch(Base):
    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint(check_in("state", BatchState), name="state"),
        CheckConstraint(check_in("mode", ImportMode), name="mode"),
        CheckConstraint(check_in("source", GeometrySource), name="source"),
        Index("ix_import_batches_pond", "pond_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    state: Mapped[str] = mapped_column(String(20), default="staged", server_default="staged")
    filename: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(20))
    crs: Mapped[str | None] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20))  # given to every element the commit writes
    review_state: Mapped[str] = mapped_column(String(20))  # likewise: submitted (enterprise) or verified (bureau)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    problems: Mapped[list[Any]] = mapped_column(JSONB, default=list, server_default="[]")  # file-level
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    committed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ImportRow(Base):
    __tablename__ = "import_rows"
    __table_args__ = (
        CheckConstraint(check_in("action", RowAction), name="action"),
        Index("ix_import_rows_batch", "batch_id", "seq"),
        Index("ix_import_rows_geom", "geom", postgresql_using="gist"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(12))
    element_id: Mapped[int | None] = mapped_column(
        BigInteger
    )  # the element changed or removed (or added, after commit)
    base_version: Mapped[int | None] = mapped_column(Integer)  # its version when staged: the commit requires it still
    type: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("GEOMETRY", srid=STORAGE_SRID, spatial_index=False), nullable=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    captured_at: Mapped[dt.date | None] = mapped_column(Date)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    shift_m: Mapped[float | None] = mapped_column(Float)
    changed: Mapped[list[Any]] = mapped_column(JSONB, default=list, server_default="[]")  # fields that change
    origin: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")  # file, sheet, row
    problems: Mapped[list[Any]] = mapped_column(JSONB, default=list, server_default="[]")


class ElementReview(Base):
    __tablename__ = "element_reviews"
    __table_args__ = (
        CheckConstraint(check_in("decision", ReviewDecision), name="decision"),
        Index("ix_element_reviews_element", "element_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    element_id: Mapped[int] = mapped_column(BigInteger)  # no FK: a review outlives a later deletion
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    element_version: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
