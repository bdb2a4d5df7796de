"""Checklists, inspections, hazards and their verification (issue 5).

Inspections and their answers carry ids made by the client (UUIDs), so a phone that sends the same
submission twice creates one inspection. Every table is audited by the trigger of 0002.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SRID = 4490
KINDS = ("government", "self_inspection")
STATES = ("draft", "submitted")
ANSWERS = ("ok", "problem", "not_applicable")
HAZARD_STATES = ("found", "assigned", "rectified", "county_verified", "city_verified", "province_verified", "closed")
SOURCES = ("inspection", "self_inspection", "report")
SEVERITIES = ("general", "major")
ACTIONS = ("report", "assign", "rectify", "county_verify", "city_verify", "province_verify", "reject", "close")
AUDITED = ("checklist_templates", "inspections", "inspection_answers", "photos", "hazards", "hazard_steps")
TABLES = ("hazard_steps", "hazards", "inspection_answers", "inspections", "photos", "checklist_templates")


def _check(values: tuple[str, ...], column: str) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _point() -> Geometry:
    return Geometry("POINT", srid=SRID, spatial_index=False)


def _uuids() -> postgresql.ARRAY:
    return postgresql.ARRAY(postgresql.UUID(as_uuid=True))


def _now() -> sa.Column:
    return sa.func.now()


def upgrade() -> None:
    op.create_table(
        "checklist_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_templates"),
        sa.UniqueConstraint("status", "version", name="uq_checklist_templates_status"),
    )
    op.create_table(
        "photos",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("filename", sa.Text()),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True)),
        sa.Column("location", _point()),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_photos_pond_id_ponds"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name="fk_photos_uploaded_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_photos"),
    )
    op.create_index("ix_photos_pond_id", "photos", ["pond_id"])
    op.create_index("ix_photos_location", "photos", ["location"], postgresql_using="gist")

    op.create_table(
        "inspections",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), server_default="draft", nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text()),
        sa.Column("location", _point()),
        sa.Column("accuracy_m", sa.Float()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint(_check(KINDS, "kind"), name=op.f("ck_inspections_kind")),
        sa.CheckConstraint(_check(STATES, "state"), name=op.f("ck_inspections_state")),
        sa.CheckConstraint("(state = 'submitted') = (submitted_at IS NOT NULL)", name=op.f("ck_inspections_submitted")),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_inspections_pond_id_ponds"),
        sa.ForeignKeyConstraint(
            ["template_id"], ["checklist_templates.id"], name="fk_inspections_template_id_checklist_templates"
        ),
        sa.ForeignKeyConstraint(["inspector_id"], ["users.id"], name="fk_inspections_inspector_id_users"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_inspections_organisation_id_organisations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_inspections"),
    )
    op.create_index("ix_inspections_pond_id", "inspections", ["pond_id", "started_at"])
    op.create_index("ix_inspections_location", "inspections", ["location"], postgresql_using="gist")

    op.create_table(
        "inspection_answers",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("inspection_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.BigInteger()),
        sa.Column("section", sa.String(40), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("answer", sa.String(20), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("photo_ids", _uuids(), server_default="{}", nullable=False),
        sa.Column("location", _point()),
        sa.Column("accuracy_m", sa.Float()),
        sa.Column("answered_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint(_check(ANSWERS, "answer"), name=op.f("ck_inspection_answers_answer")),
        sa.CheckConstraint("accuracy_m >= 0", name=op.f("ck_inspection_answers_accuracy")),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name="fk_inspection_answers_inspection_id_inspections"
        ),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_inspection_answers_pond_id_ponds"),
        sa.PrimaryKeyConstraint("id", name="pk_inspection_answers"),
    )
    op.create_index("ix_inspection_answers_inspection_id", "inspection_answers", ["inspection_id"])
    op.create_index("ix_inspection_answers_location", "inspection_answers", ["location"], postgresql_using="gist")

    op.create_table(
        "hazards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.BigInteger()),
        sa.Column("inspection_id", postgresql.UUID(as_uuid=True)),
        sa.Column("answer_id", postgresql.UUID(as_uuid=True)),
        sa.Column("item_id", sa.String(80)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(10), server_default="general", nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location", _point()),
        sa.Column("accuracy_m", sa.Float()),
        sa.Column("photo_ids", _uuids(), server_default="{}", nullable=False),
        sa.Column("state", sa.String(20), server_default="found", nullable=False),
        sa.Column("province_required", sa.Boolean(), nullable=False),
        sa.Column("plan", sa.Text()),
        sa.Column("deadline", sa.Date()),
        sa.Column("responsible", sa.Text()),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("found_by", sa.Integer(), nullable=False),
        sa.Column("found_org_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint(_check(HAZARD_STATES, "state"), name=op.f("ck_hazards_state")),
        sa.CheckConstraint(_check(SOURCES, "source"), name=op.f("ck_hazards_source")),
        sa.CheckConstraint(_check(SEVERITIES, "severity"), name=op.f("ck_hazards_severity")),
        sa.CheckConstraint("accuracy_m >= 0", name=op.f("ck_hazards_accuracy")),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_hazards_pond_id_ponds"),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"], name="fk_hazards_inspection_id_inspections"),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["inspection_answers.id"], name="fk_hazards_answer_id_inspection_answers"
        ),
        sa.ForeignKeyConstraint(["found_by"], ["users.id"], name="fk_hazards_found_by_users"),
        sa.ForeignKeyConstraint(["found_org_id"], ["organisations.id"], name="fk_hazards_found_org_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_hazards"),
        sa.UniqueConstraint("client_id", name="uq_hazards_client_id"),
        sa.UniqueConstraint("answer_id", name="uq_hazards_answer_id"),
    )
    op.create_index("ix_hazards_pond_id", "hazards", ["pond_id"])
    op.create_index("ix_hazards_state", "hazards", ["state"])
    op.create_index("ix_hazards_location", "hazards", ["location"], postgresql_using="gist")

    op.create_table(
        "hazard_steps",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("reason", sa.Text()),
        sa.Column("details", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("photo_ids", _uuids(), server_default="{}", nullable=False),
        sa.Column("evidence_flags", postgresql.JSONB(), server_default="[]", nullable=False),
        sa.CheckConstraint(_check(ACTIONS, "action"), name=op.f("ck_hazard_steps_action")),
        sa.ForeignKeyConstraint(["hazard_id"], ["hazards.id"], name="fk_hazard_steps_hazard_id_hazards"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_hazard_steps_user_id_users"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_hazard_steps_organisation_id_organisations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_hazard_steps"),
    )
    op.create_index("ix_hazard_steps_hazard_id", "hazard_steps", ["hazard_id", "id"])

    for table in AUDITED:
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tailings_audit()"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
    for table in TABLES:
        op.drop_table(table)
