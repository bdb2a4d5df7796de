"""Background jobs, imagery and derived geometries (issue 9).

`jobs`: long work done by `tailings worker` (claimed with FOR UPDATE SKIP LOCKED), its progress read by
the page that started it. `images`: stored images (COGs in the file store, by hash) with footprint, date,
sensor and band roles; `image_ponds`: the ponds each covers; `derived_geometries`: water surface and
outline per pond per image, with method and parameters. Every table is audited (jobs without their
progress and message, which change many times a second).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

AUDITED = {"jobs": ("progress", "message"), "images": (), "image_ponds": (), "derived_geometries": ("geom",)}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("params", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("state", sa.String(10), server_default="queued", nullable=False),
        sa.Column("progress", sa.Float(), server_default="0", nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("result", postgresql.JSONB()),
        sa.Column("user_id", sa.Integer()),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("pond_id", sa.Integer()),
        sa.Column("worker", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(_in("state", ("queued", "running", "done", "failed")), name="ck_jobs_state"),
        sa.CheckConstraint("progress BETWEEN 0 AND 1", name="ck_jobs_progress"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_jobs_user_id_users"),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_jobs_pond_id_ponds"),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_queue", "jobs", ["state", "id"])
    op.create_index("ix_jobs_user_id", "jobs", ["user_id"])

    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sensor", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("acquired_on", sa.Date(), nullable=False),
        sa.Column("crs_epsg", sa.Integer(), nullable=False),
        sa.Column("resolution_m", sa.Float(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("band_count", sa.Integer(), nullable=False),
        sa.Column("band_roles", postgresql.JSONB(), nullable=False),
        sa.Column("dtype", sa.String(12), nullable=False),
        sa.Column("nodata", sa.Float()),
        sa.Column("display_range", postgresql.JSONB()),
        sa.Column(
            "footprint",
            geoalchemy2.Geometry(
                "POLYGON", srid=4490, spatial_index=False, from_text="ST_GeomFromEWKT", name="geometry"
            ),
            nullable=False,
        ),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_in("kind", ("multispectral", "rgb", "dem", "other")), name="ck_images_kind"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_images_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_images"),
        sa.UniqueConstraint("source_sha256", name="uq_images_source_sha256"),
    )
    op.create_index("ix_images_footprint", "images", ["footprint"], postgresql_using="gist")
    op.create_index("ix_images_acquired_on", "images", ["acquired_on"])

    op.create_table(
        "image_ponds",
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"], name="fk_image_ponds_image_id_images", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_image_ponds_pond_id_ponds"),
        sa.PrimaryKeyConstraint("image_id", "pond_id", name="pk_image_ponds"),
    )
    op.create_index("ix_image_ponds_pond_id", "image_ponds", ["pond_id"])

    op.create_table(
        "derived_geometries",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("params", postgresql.JSONB(), nullable=False),
        sa.Column("acquired_on", sa.Date(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry(
                "MULTIPOLYGON", srid=4490, spatial_index=False, from_text="ST_GeomFromEWKT", name="geometry"
            ),
            nullable=False,
        ),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("outside_m2", sa.Float()),
        sa.Column("flagged", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("job_id", sa.BigInteger()),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_in("kind", ("water_surface", "pond_outline")), name="ck_derived_geometries_kind"),
        sa.ForeignKeyConstraint(
            ["image_id"], ["images.id"], name="fk_derived_geometries_image_id_images", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_derived_geometries_pond_id_ponds"),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name="fk_derived_geometries_job_id_jobs"),
        sa.PrimaryKeyConstraint("id", name="pk_derived_geometries"),
        sa.UniqueConstraint("image_id", "pond_id", "kind", name="uq_derived_geometries_image_id"),
    )
    op.create_index("ix_derived_geometries_geom", "derived_geometries", ["geom"], postgresql_using="gist")
    op.create_index("ix_derived_geometries_pond", "derived_geometries", ["pond_id", "kind", "acquired_on"])

    for table, skipped in AUDITED.items():
        args = ", ".join(f"'{c}'" for c in skipped)
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tailings_audit({args})"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
    for table in ("derived_geometries", "image_ponds", "images", "jobs"):
        op.drop_table(table)
