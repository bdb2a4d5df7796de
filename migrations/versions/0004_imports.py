"""Upload staging, import batches and element review (issue 4).

An uploaded file becomes a batch of staged rows (what each feature would add, move, change or remove, and
what is wrong with it); the commit applies them all in one transaction. The bureau's decisions on
enterprise-submitted elements (verified / returned with a reason) are kept in element_reviews. Batches
and reviews are audited; staged rows are derived from the stored file and are not.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

AUDITED = ("import_batches", "element_reviews")
JSONB = postgresql.JSONB(astext_type=sa.Text())


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), server_default="staged", nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("crs", sa.Text(), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("review_state", sa.String(length=20), nullable=False),
        sa.Column("counts", JSONB, server_default="{}", nullable=False),
        sa.Column("problems", JSONB, server_default="[]", nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("mode IN ('merge', 'replace')", name=op.f("ck_import_batches_mode")),
        sa.CheckConstraint(
            "source IN ('satellite', 'drone', 'field', 'enterprise', 'digitised')",
            name=op.f("ck_import_batches_source"),
        ),
        sa.CheckConstraint("state IN ('staged', 'committed', 'discarded')", name=op.f("ck_import_batches_state")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_import_batches_created_by_users")),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name=op.f("fk_import_batches_pond_id_ponds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index("ix_import_batches_pond", "import_batches", ["pond_id", "id"], unique=False)
    op.create_table(
        "element_reviews",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("element_id", sa.BigInteger(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("element_version", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("decision IN ('verified', 'returned')", name=op.f("ck_element_reviews_decision")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_element_reviews_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name=op.f("fk_element_reviews_pond_id_ponds")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_element_reviews_reviewed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_element_reviews")),
    )
    op.create_index("ix_element_reviews_element", "element_reviews", ["element_id", "id"], unique=False)
    op.create_table(
        "import_rows",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("element_id", sa.BigInteger(), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("geom", Geometry(srid=4490, spatial_index=False), nullable=True),
        sa.Column("attributes", JSONB, server_default="{}", nullable=False),
        sa.Column("captured_at", sa.Date(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("shift_m", sa.Float(), nullable=True),
        sa.Column("changed", JSONB, server_default="[]", nullable=False),
        sa.Column("origin", JSONB, server_default="{}", nullable=False),
        sa.Column("problems", JSONB, server_default="[]", nullable=False),
        sa.CheckConstraint(
            "action IN ('add', 'move', 'change', 'unchanged', 'remove', 'error')", name=op.f("ck_import_rows_action")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_import_rows_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_rows")),
    )
    op.create_index("ix_import_rows_batch", "import_rows", ["batch_id", "seq"], unique=False)
    op.create_index("ix_import_rows_geom", "import_rows", ["geom"], postgresql_using="gist")
    for table in AUDITED:
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tailings_audit()"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
    op.drop_index("ix_import_rows_geom", table_name="import_rows")
    op.drop_index("ix_import_rows_batch", table_name="import_rows")
    op.drop_table("import_rows")
    op.drop_index("ix_element_reviews_element", table_name="element_reviews")
    op.drop_table("element_reviews")
    op.drop_index("ix_import_batches_pond", table_name="import_batches")
    op.drop_table("import_batches")
