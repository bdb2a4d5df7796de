"""Accounts, sessions, pond chiefs and the append-only audit log.

The audit log is written by triggers on every audited table (so no code path can change data without
a record) and by the service for sign-in events. The database itself refuses UPDATE, DELETE and TRUNCATE
on it. Who acts comes from transaction-local settings (tailings.user_id, ...) the service sets.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ORG_KINDS = ("system", "province", "city", "county", "enterprise")
ROLES = ("admin", "province", "city", "county", "enterprise", "viewer")
CHIEF_ROLES = ("city_chief", "county_chief", "enterprise_chief", "technical_deputy")
AUDITED = {  # table -> columns left out of the record
    "ponds": (),
    "elements": (),
    "enterprises": (),
    "organisations": (),
    "users": ("password_hash",),
    "pond_chiefs": (),
    "districts": ("geom",),
    "rivers": ("geom",),
    "sensitive_targets": (),
}


def _check(values: tuple[str, ...], column: str) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


AUDIT_FUNCTIONS = """
CREATE FUNCTION tailings_setting(name text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('tailings.' || name, true), '')
$$;

CREATE FUNCTION tailings_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  row_ jsonb := coalesce(new_row, old_row);
  skip text;
BEGIN
  IF TG_NARGS > 0 THEN  -- TG_ARGV is NULL without arguments
    FOREACH skip IN ARRAY TG_ARGV LOOP
      old_row := old_row - skip;
      new_row := new_row - skip;
    END LOOP;
  END IF;
  IF TG_OP = 'UPDATE' AND old_row = new_row THEN
    RETURN NULL;  -- nothing audited changed (e.g. only a password hash)
  END IF;
  INSERT INTO audit_log (user_id, username, organisation_id, action, object_type, object_id, pond_id,
                         before, after, request_id, client_addr)
  VALUES (tailings_setting('user_id')::integer,
          coalesce(tailings_setting('actor'), session_user),
          tailings_setting('org_id')::integer,
          lower(TG_OP), TG_TABLE_NAME,
          coalesce(row_->>'id', row_->>'adcode'),
          CASE WHEN TG_TABLE_NAME = 'ponds' THEN (row_->>'id')::integer ELSE (row_->>'pond_id')::integer END,
          old_row, new_row, tailings_setting('request_id'), tailings_setting('client_addr')::inet);
  RETURN NULL;
END
$$;

CREATE FUNCTION tailings_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text()),
        sa.Column("adcode", sa.Integer()),
        sa.Column("enterprise_id", sa.Integer()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_check(ORG_KINDS, "kind"), name=op.f("ck_organisations_kind")),
        sa.CheckConstraint(
            "(kind IN ('province', 'city', 'county')) = (adcode IS NOT NULL) "
            "AND (kind = 'enterprise') = (enterprise_id IS NOT NULL)",
            name=op.f("ck_organisations_scope"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name="fk_organisations_enterprise_id_enterprises"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("enterprise_id", name="uq_organisations_enterprise_id"),
        sa.UniqueConstraint("adcode", name="uq_organisations_adcode"),
    )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("phone", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(_check(ROLES, "role"), name=op.f("ck_users_role")),
        sa.CheckConstraint(
            "username = lower(username) AND username ~ '^[a-z0-9._-]{3,64}$'", name=op.f("ck_users_username")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_users_organisation_id_organisations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )

    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("csrf_token", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("client_addr", postgresql.INET()),
        sa.CheckConstraint("kind IN ('web', 'api')", name=op.f("ck_auth_sessions_kind")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_auth_sessions_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_auth_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_auth_sessions_token_hash"),
    )
    op.create_index("ix_auth_sessions_user_id", "auth_sessions", ["user_id"])

    op.create_table(
        "login_throttle",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )

    op.create_table(
        "pond_chiefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text()),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date()),
        sa.CheckConstraint(_check(CHIEF_ROLES, "role"), name=op.f("ck_pond_chiefs_role")),
        sa.CheckConstraint("term_end IS NULL OR term_end >= term_start", name=op.f("ck_pond_chiefs_term")),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_pond_chiefs_pond_id_ponds"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_pond_chiefs_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_pond_chiefs"),
    )
    op.create_index("ix_pond_chiefs_pond_id", "pond_chiefs", ["pond_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer()),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.Text()),
        sa.Column("pond_id", sa.Integer()),
        sa.Column("before", postgresql.JSONB()),
        sa.Column("after", postgresql.JSONB()),
        sa.Column("request_id", sa.Text()),
        sa.Column("client_addr", postgresql.INET()),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_pond", "audit_log", ["pond_id", "id"])
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"])

    op.execute(AUDIT_FUNCTIONS)
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION tailings_audit_is_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION tailings_audit_is_append_only()"
    )
    for table, skipped in AUDITED.items():
        args = ", ".join(f"'{c}'" for c in skipped)
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tailings_audit({args})"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    for table in ("audit_log", "pond_chiefs", "login_throttle", "auth_sessions", "users", "organisations"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS tailings_audit_is_append_only()")
    op.execute("DROP FUNCTION IF EXISTS tailings_audit()")
    op.execute("DROP FUNCTION IF EXISTS tailings_setting(text)")
