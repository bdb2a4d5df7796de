"""Tests run against a real PostGIS: a fresh database per session, migrated and seeded with the sample data;
every test runs in a transaction that is rolled back (endpoints' commits become savepoints)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

SERVER_URL = os.environ.get("TAILINGS_DATABASE_URL") or os.environ.get("DATABASE_URL")
# The suite runs the sample data in demo mode: demo accounts exist, the demo secret key is allowed.
os.environ["TAILINGS_DEMO"] = "true"
os.environ.pop("TAILINGS_SECRET_KEY", None)
# Stored files (photos, documents, imports) of a test session go to a folder of its own.
os.environ["TAILINGS_FILES_DIR"] = tempfile.mkdtemp(prefix="tailings-files-")
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
            seed(session, get_settings().layers_dir, demo=True)
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


def bearer(db: Session, username: str) -> dict[str, str]:
    """An Authorization header for a user (an API token created directly, without the Argon2 cost)."""
    from sqlalchemy import text

    from app.accounts.service import open_session

    uid = db.execute(text("SELECT id FROM users WHERE username = :u"), {"u": username}).scalar_one()
    secret, _, _ = open_session(db, uid, "api", None)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def app_for(db: Session) -> Iterator[Callable[..., TestClient]]:
    """Make test clients that share the test's transaction: `app_for()` anonymous, `app_for("demo-city")`."""
    from app.db import get_session
    from app.main import app

    app.dependency_overrides[get_session] = lambda: db
    # Tests see each other's rolled-back data versions again: a tile cached in one test must not reach the
    # next (in service, readers never see uncommitted versions, so the cache key is sound there).
    from app.tiles.router import _cache

    _cache.cache_clear()
    clients: list[TestClient] = []

    def make(username: str | None = None) -> TestClient:
        c = TestClient(app, base_url="https://testserver")
        c.__enter__()
        if username:
            c.headers.update(bearer(db, username))
        clients.append(c)
        return c

    try:
        yield make
    finally:
        for c in clients:
            c.__exit__(None, None, None)
        app.dependency_overrides.clear()


@pytest.fixture
def client(app_for: Callable[..., TestClient]) -> TestClient:
    """Signed in as the administrator (sees everything)."""
    return app_for("demo-admin")


@pytest.fixture
def anon(app_for: Callable[..., TestClient]) -> TestClient:
    return app_for()


# --- the pages in headless Chromium (tests/browser.py): a server and a browser per test module ---


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, against the session's database."""
    from tests.browser import live_server

    with live_server(database_url) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
