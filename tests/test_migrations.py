from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, inspect, text

import app.models  # noqa: F401
from app import migrate
from app.db import Base
from tests.conftest import scratch_url

FOUNDATION_TABLES = {
    "districts",
    "rivers",
    "sensitive_targets",
    "enterprises",
    "ponds",
    "elements",
    "element_revisions",
}
# tables of the migrations after 0001
ACCOUNT_TABLES = {
    "organisations",
    "users",
    "auth_sessions",
    "login_throttle",
    "pond_chiefs",
    "audit_log",
    "data_versions",
    "jobs",
    "images",
    "image_ponds",
    "derived_geometries",
}
RECORD_TABLES = {
    "pond_permits",
    "tailings_ledger",
    "pond_projects",
    "pollution_facilities",
    "pond_documents",
    "record_revisions",
    "monitoring_imports",
    "monitoring_results",
}
TABLES = FOUNDATION_TABLES | ACCOUNT_TABLES | RECORD_TABLES


def _head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(migrate.alembic_config("postgresql://unused")).get_current_head()


def test_upgrade_from_empty_downgrade_and_upgrade_again() -> None:
    url = scratch_url("tailings_migr")
    migrate.create_database(url)
    engine = create_engine(url)
    try:
        migrate.upgrade(url)
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:
            # every geometry column is CGCS2000 and has exactly one GiST index
            cols = conn.execute(
                text(
                    "SELECT f_table_name, f_geometry_column, srid FROM geometry_columns WHERE f_table_schema = 'public'"
                )
            ).all()
            assert cols and {c.srid for c in cols} == {4490}
            for table, column, _ in cols:
                gist = conn.execute(
                    text("""
                    SELECT count(*) FROM pg_indexes WHERE tablename = :t AND indexdef ILIKE '%USING gist%'
                    AND indexdef LIKE '%(' || :c || ')%'"""),
                    {"t": table, "c": column},
                ).scalar()
                assert gist == 1, (table, column)
            # the models and the migration describe the same schema
            ctx = MigrationContext.configure(
                conn, opts={"include_object": alembic_helpers.include_object, "compare_type": True}
            )
            diff = [d for d in compare_metadata(ctx, Base.metadata)]
            assert diff == []
        # stepping down removes the later tables and leaves the foundation
        migrate.downgrade(url, "0005")
        assert not RECORD_TABLES & set(inspect(engine).get_table_names())
        migrate.downgrade(url, "0002")
        assert "data_versions" not in set(inspect(engine).get_table_names())
        migrate.downgrade(url, "0001")
        assert not ACCOUNT_TABLES & set(inspect(engine).get_table_names())
        assert set(inspect(engine).get_table_names()) >= FOUNDATION_TABLES
        migrate.downgrade(url, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'tailings_%'")).scalar() == 0
        migrate.upgrade(url)
        assert migrate.current_revision(url) == _head()
    finally:
        engine.dispose()
        migrate.drop_database(url)
