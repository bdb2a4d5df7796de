"""A scratch database for in-process benchmarks: made on the server of TAILINGS_DATABASE_URL, migrated and
seeded with the sample data (demo mode), the whole application pointed at it, dropped afterwards."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session


@contextmanager
def sample_database(name: str) -> Iterator[str]:
    """The URL of a fresh database `name` holding the sample data; the app's settings and caches follow it."""
    base = os.environ.get("TAILINGS_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not base:
        sys.exit("set TAILINGS_DATABASE_URL (./dev db-start prints one)")
    os.environ.setdefault("TAILINGS_DEMO", "true")
    os.environ.setdefault("TAILINGS_FILES_DIR", tempfile.mkdtemp(prefix="bench-files-"))
    url = make_url(base).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    os.environ["TAILINGS_DATABASE_URL"] = url
    from app import migrate, registry
    from app.config import get_settings
    from app.db import _session_factory, get_engine

    for cached in (get_settings, get_engine, _session_factory):
        cached.cache_clear()
    registry.clear()
    migrate.drop_database(url)
    migrate.create_database(url)
    try:
        migrate.upgrade(url)
        from app.seed import seed

        with Session(get_engine()) as session:
            seed(session, get_settings().layers_dir, demo=True)
            session.commit()
        yield url
    finally:
        get_engine().dispose()
        migrate.drop_database(url)


def actor(session: Session, username: str) -> Any:
    """The signed-in actor of a demo user, as a request would resolve it (an API session opened for it)."""
    from app.accounts.service import open_session, resolve

    uid = session.execute(text("SELECT id FROM users WHERE username = :u"), {"u": username}).scalar_one()
    secret, _, _ = open_session(session, uid, "api", None)
    session.commit()
    found = resolve(session, secret, "api")
    assert found is not None
    return found
