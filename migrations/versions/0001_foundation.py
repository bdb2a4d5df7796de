"""Foundation: reference layers, enterprises, ponds, elements and their revisions.

Every geometry is CGCS2000 geographic (EPSG:4490) with a GiST index. Element revisions are written by
a trigger, so no code path (API, import, seed, psql) can change an element without leaving history.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SRID = 4490


def _geom(kind: str) -> Geometry:
    return Geometry(kind, srid=SRID, spatial_index=False)


def _gist(table: str, column: str = "geom", name: str | None = None) -> None:
    op.create_index(name or f"ix_{table}_{column}", table, [column], postgresql_using="gist")


def _check(values: tuple[str, ...], column: str) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


STATUS = ("in_use", "stopped", "closing", "closed", "delisted")
DAM = ("upstream", "centerline", "downstream", "one_time")
STORAGE = ("wet", "dry")
SOURCE = ("satellite", "drone", "field", "enterprise", "digitised")
REVIEW = ("draft", "submitted", "verified", "returned")
OP = ("create", "update", "delete")
SENSITIVE = ("drinking_water_source", "village", "school", "hospital", "farmland", "river", "other")

# The Gauss-Kruger 3-degree zone (CGCS2000, no zone prefix) of a geometry's centroid: the SQL twin of
# gis.crs.gk3_epsg, tested to agree with it.
GK3_SRID = """
CREATE FUNCTION tailings_gk3_srid(g geometry) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT 4534 + (LEAST(GREATEST(3 * round(ST_X(ST_Centroid(g)) / 3.0), 75), 135)::int - 75) / 3
$$;
"""

REVISION_TRIGGER = """
CREATE FUNCTION tailings_element_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('tailings.actor', true), ''), session_user);
  changed boolean;
  shift double precision;
  srid integer;
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO element_revisions (element_id, pond_id, version, op, kind, name, geom, attributes, source,
        captured_at, accuracy_m, review_state, geometry_changed, shift_m, changed_by)
    VALUES (OLD.id, OLD.pond_id, OLD.version + 1, 'delete', OLD.kind, OLD.name, OLD.geom, OLD.attributes,
        OLD.source, OLD.captured_at, OLD.accuracy_m, OLD.review_state, false, NULL, actor);
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    changed := NOT ST_OrderingEquals(OLD.geom, NEW.geom);
    IF changed THEN
      srid := tailings_gk3_srid(OLD.geom);
      shift := ST_HausdorffDistance(ST_Transform(OLD.geom, srid), ST_Transform(NEW.geom, srid));
    END IF;
  ELSE
    changed := true;
  END IF;
  INSERT INTO element_revisions (element_id, pond_id, version, op, kind, name, geom, attributes, source,
      captured_at, accuracy_m, review_state, geometry_changed, shift_m, changed_by)
  VALUES (NEW.id, NEW.pond_id, NEW.version, CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE 'update' END, NEW.kind, NEW.name, NEW.geom, NEW.attributes,
      NEW.source, NEW.captured_at, NEW.accuracy_m, NEW.review_state, changed, shift, actor);
  RETURN NEW;
END
$$;
CREATE TRIGGER elements_revision AFTER INSERT OR UPDATE OR DELETE ON elements
  FOR EACH ROW EXECUTE FUNCTION tailings_element_revision();
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(GK3_SRID)

    op.create_table(
        "districts",
        sa.Column("adcode", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text()),
        sa.Column("parent_adcode", sa.Integer()),
        sa.Column("geom", _geom("MULTIPOLYGON"), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("illustrative", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("adcode", name="pk_districts"),
    )
    _gist("districts")

    op.create_table(
        "rivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text()),
        sa.Column("geom", _geom("MULTILINESTRING"), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("illustrative", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rivers"),
        sa.UniqueConstraint("code", name="uq_rivers_code"),
    )
    _gist("rivers")

    op.create_table(
        "sensitive_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text()),
        sa.Column("geom", _geom("GEOMETRY"), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("illustrative", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint(_check(SENSITIVE, "kind"), name=op.f("ck_sensitive_targets_kind")),
        sa.PrimaryKeyConstraint("id", name="pk_sensitive_targets"),
    )
    _gist("sensitive_targets")

    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("county_adcode", sa.Integer()),
        sa.Column("address", sa.Text()),
        sa.Column("illustrative", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["county_adcode"], ["districts.adcode"], name="fk_enterprises_county_adcode_districts"),
        sa.PrimaryKeyConstraint("id", name="pk_enterprises"),
        sa.UniqueConstraint("code", name="uq_enterprises_code"),
        sa.UniqueConstraint("credit_code", name="uq_enterprises_credit_code"),
    )

    op.create_table(
        "ponds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text()),
        sa.Column("enterprise_id", sa.Integer()),
        sa.Column("county_adcode", sa.Integer(), nullable=False),
        sa.Column("supervision_level", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stopped_since", sa.Date()),
        sa.Column("ownerless", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("safety_grade", sa.SmallInteger()),
        sa.Column("dam_type", sa.String(20)),
        sa.Column("storage", sa.String(10)),
        sa.Column("ore_type", sa.Text()),
        sa.Column("design_volume_10k_m3", sa.Numeric(12, 2)),
        sa.Column("current_volume_10k_m3", sa.Numeric(12, 2)),
        sa.Column("dam_height_m", sa.Numeric(8, 2)),
        sa.Column("location", _geom("POINT"), nullable=False),
        sa.Column("boundary", _geom("MULTIPOLYGON")),
        sa.Column("dam_crest", _geom("LINESTRING")),
        sa.Column("illustrative", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("supervision_level BETWEEN 1 AND 3", name=op.f("ck_ponds_supervision_level")),
        sa.CheckConstraint("safety_grade BETWEEN 1 AND 5", name=op.f("ck_ponds_safety_grade")),
        sa.CheckConstraint(_check(STATUS, "status"), name=op.f("ck_ponds_status")),
        sa.CheckConstraint(_check(DAM, "dam_type"), name=op.f("ck_ponds_dam_type")),
        sa.CheckConstraint(_check(STORAGE, "storage"), name=op.f("ck_ponds_storage")),
        sa.CheckConstraint("current_volume_10k_m3 >= 0 AND design_volume_10k_m3 >= 0", name=op.f("ck_ponds_volumes")),
        sa.CheckConstraint("dam_height_m >= 0", name=op.f("ck_ponds_dam_height")),
        sa.ForeignKeyConstraint(["county_adcode"], ["districts.adcode"], name="fk_ponds_county_adcode_districts"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"], name="fk_ponds_enterprise_id_enterprises"),
        sa.PrimaryKeyConstraint("id", name="pk_ponds"),
        sa.UniqueConstraint("code", name="uq_ponds_code"),
    )
    _gist("ponds", "location")
    _gist("ponds", "boundary")
    _gist("ponds", "dam_crest")
    op.create_index("ix_ponds_county_adcode", "ponds", ["county_adcode"])
    op.create_index("ix_ponds_enterprise_id", "ponds", ["enterprise_id"])

    op.create_table(
        "elements",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("geom", _geom("GEOMETRY"), nullable=False),
        sa.Column("attributes", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("captured_at", sa.Date()),
        sa.Column("accuracy_m", sa.Float()),
        sa.Column("review_state", sa.String(20), server_default="draft", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_check(SOURCE, "source"), name=op.f("ck_elements_source")),
        sa.CheckConstraint(_check(REVIEW, "review_state"), name=op.f("ck_elements_review_state")),
        sa.CheckConstraint("accuracy_m >= 0", name=op.f("ck_elements_accuracy")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_elements_version")),
        sa.ForeignKeyConstraint(["pond_id"], ["ponds.id"], name="fk_elements_pond_id_ponds"),
        sa.PrimaryKeyConstraint("id", name="pk_elements"),
    )
    _gist("elements")
    op.create_index("ix_elements_pond_type", "elements", ["pond_id", "type"])

    op.create_table(
        "element_revisions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("element_id", sa.BigInteger(), nullable=False),
        sa.Column("pond_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("geom", _geom("GEOMETRY"), nullable=False),
        sa.Column("attributes", postgresql.JSONB(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("captured_at", sa.Date()),
        sa.Column("accuracy_m", sa.Float()),
        sa.Column("review_state", sa.String(20), nullable=False),
        sa.Column("geometry_changed", sa.Boolean(), nullable=False),
        sa.Column("shift_m", sa.Float()),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_check(OP, "op"), name=op.f("ck_element_revisions_op")),
        sa.PrimaryKeyConstraint("id", name="pk_element_revisions"),
    )
    _gist("element_revisions")
    op.create_index("ix_element_revisions_element", "element_revisions", ["element_id", "version"])
    op.create_index("ix_element_revisions_pond", "element_revisions", ["pond_id"])
    op.execute(REVISION_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS elements_revision ON elements")
    op.execute("DROP FUNCTION IF EXISTS tailings_element_revision()")
    for table in ("element_revisions", "elements", "ponds", "enterprises", "sensitive_targets", "rivers", "districts"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS tailings_gk3_srid(geometry)")
    # The postgis extension stays: other schemas of the database may use it.
