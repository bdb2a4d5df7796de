"""The lean read path of hot read-only routes (vector tiles, OGC items): raw psycopg, one thread hop, a
verified-credential cache, and per request one round trip that re-checks the session and reads the data
versions.

Measured (bench/README.md): on a warm tile the general path spent ~1.1 ms of Python per request in
SQLAlchemy sessions (pool pre-ping, BEGIN, token lookup, data version, ROLLBACK) and in six crossings into
the thread pool. Here a request crosses once and sends one statement:

- `Reader` runs SQL on a pooled autocommit psycopg connection (server-side prepared statements, no
  pre-ping, no BEGIN/ROLLBACK), or, when the app's `get_session` is overridden (the tests share one
  transaction with the app), on that session's connection.
- `signed_in_read` (policy `signed_in`) resolves the bearer token or session cookie through `CREDENTIALS`,
  a cache of verified credentials kept for `CREDENTIAL_SECONDS`; revoking a session or a user's sessions
  (`app.accounts.service`) drops their entries in this process at once.
- `Reader.check` is the statement every lean request sends: it confirms the cached session is still
  unrevoked, unexpired and its user active, and returns the data versions. So a sign-out, a disabled user
  or an expired token is refused on the next request in every worker, cached or not.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, TypeVar

import psycopg
from fastapi import Depends, Request
from psycopg_pool import ConnectionPool
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.accounts import service
from app.accounts.deps import SESSION_COOKIE, oauth2, policy
from app.accounts.service import Actor
from app.config import get_settings
from app.db import CONNECT_OPTIONS, get_session
from app.errors import Unauthorized

T = TypeVar("T")
CREDENTIAL_SECONDS = 5.0
CREDENTIAL_MAX = 10_000


# --- credentials ------------------------------------------------------------------------------------------


class CredentialCache:
    """Verified (token hash, kind) -> Actor for a few seconds; entries of a session or user can be dropped."""

    def __init__(self, seconds: float, max_entries: int):
        self.seconds, self.max_entries = seconds, max_entries
        self._items: dict[tuple[str, str], tuple[Actor, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Actor | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        actor, deadline = hit
        if time.monotonic() >= deadline:
            self._items.pop(key, None)
            return None
        return actor

    def put(self, key: tuple[str, str], actor: Actor) -> None:
        with self._lock:
            if len(self._items) >= self.max_entries:
                self._items.clear()  # a flood of distinct tokens: start over rather than grow
            self._items[key] = (actor, time.monotonic() + self.seconds)

    def forget(self, session_id: int | None = None, user_id: int | None = None) -> None:
        with self._lock:
            for key, (actor, _) in list(self._items.items()):
                if actor.session_id == session_id or actor.user_id == user_id:
                    del self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CREDENTIALS = CredentialCache(CREDENTIAL_SECONDS, CREDENTIAL_MAX)
service.on_revoke.append(CREDENTIALS.forget)


# --- raw reads --------------------------------------------------------------------------------------------

_PARAM = re.compile(r"(?<![:\w]):(\w+)")


@lru_cache(maxsize=512)
def psycopg_sql(sql: str) -> str:
    """SQLAlchemy-style `:name` parameters as psycopg's `%(name)s` (casts `::type` are left alone)."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


@lru_cache
def _pool() -> ConnectionPool:
    settings = get_settings()
    url = make_url(settings.database_url).set(drivername="postgresql")
    return ConnectionPool(
        url.render_as_string(hide_password=False),
        min_size=1,
        max_size=settings.db_pool_size,
        kwargs={
            "autocommit": True,
            "prepare_threshold": 0,  # every statement prepared on first use: these repeat all day
            # ... but planned for each request's values: a generic plan of a page `ORDER BY id LIMIT n` with
            # an unknown bbox may walk the primary key instead of the spatial index (shared/perf-notes.md)
            "options": f"{CONNECT_OPTIONS} -c plan_cache_mode=force_custom_plan",
            "application_name": "tailings-lean",
        },
        name="tailings-lean",
        open=True,
    )


def close_pool() -> None:
    if _pool.cache_info().currsize:
        _pool().close()
        _pool.cache_clear()


_CHECK = psycopg_sql("""
    SELECT (SELECT u.active FROM auth_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id = :session_id AND s.revoked_at IS NULL AND s.expires_at > now()),
           (SELECT json_object_agg(layer, version) FROM data_versions)""")


@dataclass
class Reader:
    """Runs the lean path's statements: pooled autocommit connections, or a shared (test) session."""

    session: Session | None = None

    def run(self, work: Callable[[psycopg.Connection], T]) -> T:
        if self.session is not None:
            return work(self.session.connection().connection.driver_connection)  # type: ignore[arg-type]
        with _pool().connection() as conn:
            return work(conn)

    def one(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        return self.run(lambda c: c.execute(psycopg_sql(sql), params).fetchone())

    @staticmethod
    def check(conn: psycopg.Connection, actor: Actor) -> dict[str, int]:
        """Refuses a session revoked, expired or disabled since it was cached; the data versions."""
        active, versions = conn.execute(_CHECK, {"session_id": actor.session_id}).fetchone()  # type: ignore[misc]
        if not active:
            CREDENTIALS.forget(session_id=actor.session_id)
            raise Unauthorized("token_invalid" if actor.session_kind == "api" else "login_required")
        return versions or {}


async def reader(request: Request) -> Reader:
    """The app's `get_session`, when overridden (tests share one transaction with the app), else the pool."""
    override = request.app.dependency_overrides.get(get_session)
    return Reader(override() if override is not None else None)


ReaderDep = Annotated[Reader, Depends(reader)]


def _resolve(read: Reader, secret: str, kind: str) -> Actor | None:
    params = {"h": service.token_hash(secret), "kind": kind}
    row = read.run(lambda c: c.execute(psycopg_sql(service.RESOLVE_SQL), params).fetchone())
    return service.actor_from_row(row) if row is not None else None


@policy("signed_in")
async def signed_in_read(request: Request, read: ReaderDep, bearer: Annotated[str | None, Depends(oauth2)]) -> Actor:
    """Any signed-in user, for read-only routes (GET): as `signed_in`, with verified credentials cached for
    a few seconds. The route must call `Reader.check` in its statement (revocation is checked there)."""
    if bearer:
        secret, kind = bearer, "api"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        secret, kind = cookie, "web"  # GET only: no CSRF token to check
    else:
        raise Unauthorized("login_required")
    key = (service.token_hash(secret), kind)
    actor = CREDENTIALS.get(key)
    if actor is None:
        actor = await run_in_threadpool(_resolve, read, secret, kind)
        if actor is None:
            raise Unauthorized("token_invalid" if kind == "api" else "login_required")
        CREDENTIALS.put(key, actor)
    return actor


SignedInRead = Annotated[Actor, Depends(signed_in_read)]
