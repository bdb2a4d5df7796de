"""Tests run against a real PostGIS: a fresh database per session, migrated and seeded with the sample data;
every test runs in a transaction that is rolled back (endpoints' commits become savepoints)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

SERVER_URL = os.environ.get("TAILINGS_DATABASE_URL") or os.environ.get("DATABASE_URL")
if not SERVER_URL:
    raise pytest.UsageError("Tests need PostGIS: run them with ./dev test (or set TAILINGS_DATABASE_URL)")


def scratch_url(prefix: str) -> str:
    """A URL on the same server as the configured database, for a database of the test's own."""
    url = make_url(SERVER_URL).set(drivername="postgresql+psycopg", database=f"{prefix}_{uuid.uuid4().hex[:10]}")
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    from app import migrate

    url = scratch_url("tailings_test")
    migrate.create_database(url)
    try:
        migrate.upgrade(url)
        # Point the whole application (service, CLI, registry) at the test database.
        os.environ["TAILINGS_DATABASE_URL"] = url
        from app import registry
        from app.config import get_settings
        from app.db import _session_factory, get_engine

        for cached in (get_settings, get_engine, _session_factory):
            cached.cache_clear()
        registry.clear()
        from app.seed import seed

        with Session(get_engine()) as session:
            seed(session, get_settings().layers_dir)
            session.commit()
        yield url
    finally:
        from app.db import get_engine

        get_engine().dispose()
        migrate.drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Engine:
    from app.db import get_engine

    return get_engine()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        conn.close()


@pytest.fixture
def client(db: Session) -> Iterator[TestClient]:
    from app.db import get_session
    from app.main import app

    app.dependency_overrides[get_session] = lambda: db
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.dependency_overrides.clear()


@pytest.fixture
def en(client: TestClient) -> TestClient:
    client.headers["Accept-Language"] = "en"
    return client
