"""Database engine and sessions (SQLAlchemy 2, psycopg 3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.config import get_settings

# Deterministic constraint names, so migrations can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# JIT compilation costs up to 300 ms on spatial queries and parallel workers slow small ones on
# two cores (shared/perf-notes.md); the service's queries are all small.
CONNECT_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0 -c timezone=UTC"


def make_engine(url: str, pool_size: int = 5) -> Engine:
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"options": CONNECT_OPTIONS, "application_name": "tailings"},
    )


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(settings.database_url, settings.db_pool_size)


@lru_cache
def _session_factory() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def get_session() -> Iterator[Session]:
    with _session_factory()() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True)
class AuditContext:
    """Who makes the changes of a session's transactions; the audit and revision triggers record it."""

    actor: str
    user_id: int | None = None
    org_id: int | None = None
    request_id: str | None = None
    client_addr: str | None = None


def _apply(connection: Connection, ctx: AuditContext) -> None:
    connection.execute(
        text("""SELECT set_config('tailings.actor', :actor, true), set_config('tailings.user_id', :user_id, true),
                       set_config('tailings.org_id', :org_id, true), set_config('tailings.request_id', :rid, true),
                       set_config('tailings.client_addr', :addr, true)"""),
        {
            "actor": ctx.actor,
            "user_id": str(ctx.user_id or ""),
            "org_id": str(ctx.org_id or ""),
            "rid": ctx.request_id or "",
            "addr": ctx.client_addr or "",
        },
    )


@event.listens_for(Session, "after_begin")
def _audit_context_on_begin(session: Session, transaction: object, connection: Connection) -> None:
    ctx = session.info.get("audit")
    if ctx is not None:
        _apply(connection, ctx)


def bind_audit_context(session: Session, ctx: AuditContext, apply_now: bool = True) -> None:
    """Attach `ctx` to the session: applied at every later begin, and now if a transaction is open and
    `apply_now` (a read-only request skips the round trip; its next transaction still gets it)."""
    session.info["audit"] = ctx
    if apply_now and session.in_transaction():
        _apply(session.connection(), ctx)


def set_actor(session: Session, actor: str) -> None:
    """Name a non-personal actor (seed, a CLI job) for the session's changes."""
    bind_audit_context(session, AuditContext(actor=actor))
