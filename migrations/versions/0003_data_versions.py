"""Data versions for tile caching: a counter per layer, bumped by any change to its table.

Tiles carry an ETag made of the layer's version (and the caller's scope), so a client revalidates with
If-None-Match and gets 304 until the data change; the bump happens in the same transaction as the change.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LAYERS = {"ponds": "ponds", "elements": "elements"}  # layer -> table whose changes bump it


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("layer", sa.String(40), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="1", nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("layer", name="pk_data_versions"),
    )
    op.execute("""
        CREATE FUNCTION tailings_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO data_versions (layer, version, changed_at) VALUES (TG_ARGV[0], 2, now())
          ON CONFLICT (layer) DO UPDATE SET version = data_versions.version + 1, changed_at = now();
          RETURN NULL;
        END
        $$""")
    for layer, table in LAYERS.items():
        op.execute(f"INSERT INTO data_versions (layer) VALUES ('{layer}')")
        op.execute(f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION tailings_bump_data_version('{layer}')")
    # Pond tiles show nothing of elements, but element tiles filter by the pond's scope: a pond that moves
    # to another county or enterprise changes who sees its elements, so pond changes bump elements too.
    op.execute("CREATE TRIGGER ponds_data_version_elements AFTER UPDATE ON ponds "
               "FOR EACH STATEMENT EXECUTE FUNCTION tailings_bump_data_version('elements')")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS ponds_data_version_elements ON ponds")
    for table in LAYERS.values():
        op.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
    op.drop_table("data_versions")
    op.execute("DROP FUNCTION IF EXISTS tailings_bump_data_version()")
