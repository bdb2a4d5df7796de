"""Pond records, ledger, documents and monitoring data (issue 6).

One pond, one file (一库一档): permits, the annual tailings ledger, construction projects,
pollution-prevention facilities and documents, each versioned (If-Match) with every state kept in
`record_revisions` by a trigger; groundwater monitoring results imported from laboratory files. Every table
is audited by tailings_audit().

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RISK = ("general", "larger", "major")
PROJECT_KINDS = ("construction", "expansion", "closure", "remediation", "other")
PROJECT_STATUS = ("planned", "under_way", "completed", "suspended")
OPERATING = ("normal", "abnormal", "stopped")
OP = ("create", "update", "delete")
VERSIONED = ("pond_permits", "tailings_ledger", "pond_projects", "pollution_facilities", "pond_documents")
AUDITED = (*VERSIONED, "monitoring_imports", "monitoring_results")


def _check(values: tuple[str, ...], column: str) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _common(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("note", sa.Text()),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name=f"fk_{table}_pond_id_ponds"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


REVISION_TRIGGER = """
CREATE FUNCTION tailings_record_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_ jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
BEGIN
  INSERT INTO record_revisions (table_name, record_id, pond_id, version, op, data, changed_by)
  VALUES (TG_TABLE_NAME, (row_->>'id')::bigint, (row_->>'pond_id')::integer,
          (row_->>'version')::integer + CASE WHEN TG_OP = 'DELETE' THEN 1 ELSE 0 END,
          CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
          row_, coalesce(tailings_setting('actor'), session_user));
  RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.create_table(
        "pond_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("eia_approval_no", sa.Text()),
        sa.Column("eia_approval_date", sa.Date()),
        sa.Column("acceptance_no", sa.Text()),
        sa.Column("acceptance_date", sa.Date()),
        sa.Column("discharge_permit_no", sa.Text()),
        sa.Column("discharge_permit_expiry", sa.Date()),
        sa.Column("emergency_plan_filing_no", sa.Text()),
        sa.Column("emergency_plan_filed_on", sa.Date()),
        sa.Column("risk_grade", sa.String(20)),
        *_common("pond_permits"),
        sa.CheckConstraint(_check(RISK, "risk_grade"), name=op.f("ck_pond_permits_risk_grade")),
        sa.UniqueConstraint("pond_id", name="uq_pond_permits_pond_id"),
    )
    op.create_table(
        "tailings_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("produced_t", sa.Numeric(14, 2)),
        sa.Column("stored_t", sa.Numeric(14, 2)),
        sa.Column("reused_t", sa.Numeric(14, 2)),
        sa.Column("other_disposal_t", sa.Numeric(14, 2)),
        sa.Column("reported_on", sa.Date()),
        *_common("tailings_ledger"),
        sa.CheckConstraint("year BETWEEN 1950 AND 2100", name=op.f("ck_tailings_ledger_year")),
        sa.CheckConstraint(
            "produced_t >= 0 AND stored_t >= 0 AND reused_t >= 0 AND other_disposal_t >= 0",
            name=op.f("ck_tailings_ledger_tonnes"),
        ),
        sa.UniqueConstraint("pond_id", "year", name="uq_tailings_ledger_pond_id"),
    )
    op.create_table(
        "pond_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("approval_no", sa.Text()),
        sa.Column("started_on", sa.Date()),
        sa.Column("completed_on", sa.Date()),
        sa.Column("status", sa.String(20), nullable=False),
        *_common("pond_projects"),
        sa.CheckConstraint(_check(PROJECT_KINDS, "kind"), name=op.f("ck_pond_projects_kind")),
        sa.CheckConstraint(_check(PROJECT_STATUS, "status"), name=op.f("ck_pond_projects_status")),
    )
    op.create_index("ix_pond_projects_pond_id", "pond_projects", ["pond_id"])
    op.create_table(
        "pollution_facilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("commissioned_on", sa.Date()),
        sa.Column("operating_status", sa.String(20), nullable=False),
        sa.Column("last_checked_on", sa.Date()),
        *_common("pollution_facilities"),
        sa.CheckConstraint(
            _check(OPERATING, "operating_status"), name=op.f("ck_pollution_facilities_operating_status")
        ),
    )
    op.create_index("ix_pollution_facilities_pond_id", "pollution_facilities", ["pond_id"])
    op.create_table(
        "pond_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        *_common("pond_documents"),
    )
    op.create_index("ix_pond_documents_pond_id", "pond_documents", ["pond_id"])
    op.create_table(
        "record_revisions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("data", postgresql.JSONB(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_check(OP, "op"), name=op.f("ck_record_revisions_op")),
        sa.PrimaryKeyConstraint("id", name="pk_record_revisions"),
    )
    op.create_index("ix_record_revisions_record", "record_revisions", ["table_name", "record_id", "version"])
    op.create_table(
        "monitoring_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_monitoring_imports_pond_id_ponds"),
        sa.PrimaryKeyConstraint("id", name="pk_monitoring_imports"),
    )
    op.create_table(
        "monitoring_results",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("well_id", sa.BigInteger(), nullable=False),
        sa.Column("well_name", sa.Text(), nullable=False),
        sa.Column("sampled_on", sa.Date(), nullable=False),
        sa.Column("parameter", sa.String(40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("below_detection", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("raw_value", sa.Text(), nullable=False),
        sa.Column("raw_unit", sa.Text()),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_monitoring_results_pond_id_ponds"),
        sa.ForeignKeyConstraint(
            ["import_id"], ["monitoring_imports.id"], name="fk_monitoring_results_import_id_monitoring_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_monitoring_results"),
        sa.UniqueConstraint("well_id", "sampled_on", "parameter", name="uq_monitoring_results_well_id"),
    )
    op.create_index("ix_monitoring_results_pond", "monitoring_results", ["pond_id", "parameter", "sampled_on"])
    op.execute(REVISION_TRIGGER)
    for table in VERSIONED:
        op.execute(
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tailings_record_revision()"
        )
    for table in AUDITED:
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tailings_audit()"
        )


def downgrade() -> None:
    for table in (
        "monitoring_results",
        "monitoring_imports",
        "record_revisions",
        "pond_documents",
        "pollution_facilities",
        "pond_projects",
        "tailings_ledger",
        "pond_permits",
    ):
        op.drop_table(table)  # triggers go with their tables
    op.execute("DROP FUNCTION IF EXISTS tailings_record_revision()")
