from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.enums import ChiefRole, OrgKind, Role, check_in


class Organisation(Base):
    """Who a person works for: the province, the city, a county bureau, an enterprise, or the system."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(check_in("kind", OrgKind), name="kind"),
        CheckConstraint(
            "(kind IN ('province', 'city', 'county')) = (adcode IS NOT NULL) "
            "AND (kind = 'enterprise') = (enterprise_id IS NOT NULL)",
            name="scope",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    adcode: Mapped[int | None] = mapped_column(Integer, unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(check_in("role", Role), name="role"),
        CheckConstraint("username = lower(username) AND username ~ '^[a-z0-9._-]{3,64}$'", name="username"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    is_demo: Mapped[bool] = mapped_column(Boolean, server_default="false")
    phone: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """A web session (cookie) or an API bearer token; only a keyed hash of the secret is stored."""

    __tablename__ = "auth_sessions"
    __table_args__ = (
        CheckConstraint("kind IN ('web', 'api')", name="kind"),
        Index("ix_auth_sessions_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    client_addr: Mapped[str | None] = mapped_column(INET)


class LoginThrottle(Base):
    """Failed sign-ins per username and per client address, for locking out guessing."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    window_started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PondChief(Base):
    """库长制: the city chief, county chief, enterprise chief and technical deputy of a pond, with their term."""

    __tablename__ = "pond_chiefs"
    __table_args__ = (
        CheckConstraint(check_in("role", ChiefRole), name="role"),
        CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term"),
        Index("ix_pond_chiefs_pond_id", "pond_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pond_id: Mapped[int] = mapped_column(ForeignKey("ponds.id"))
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)


class AuditEntry(Base):
    """One change or sign-in event. Append-only: the database refuses UPDATE, DELETE and TRUNCATE."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_pond", "pond_id", "id"),
        Index("ix_audit_log_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(Text)
    pond_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSONB)
    after: Mapped[dict | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(Text)
    client_addr: Mapped[str | None] = mapped_column(INET)
