"""Signing in and out, sessions and tokens, throttling, password changes and user management.

Session and token secrets are random (256 bits); the database keeps only their HMAC under the secret key,
so a copy of the database does not let anyone act as a user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts import passwords
from app.config import get_settings
from app.enums import OrgKind, Role
from app.errors import DomainError, FieldProblem, Invalid, NotFound, Unauthorized


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, retry_after_s: int):
        super().__init__("login_locked", {"minutes": max(1, round(retry_after_s / 60))})
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Actor:
    """The signed-in person making a request, with what scopes them."""

    user_id: int
    username: str
    display_name: str
    role: str
    org_id: int
    org_kind: str
    org_name: str
    adcode: int | None
    enterprise_id: int | None
    session_id: int
    session_kind: str
    csrf_token: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "organisation": {
                "id": self.org_id,
                "kind": self.org_kind,
                "name": self.org_name,
                "adcode": self.adcode,
                "enterprise_id": self.enterprise_id,
            },
        }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def record_event(
    session: Session,
    action: str,
    username: str,
    user_id: int | None = None,
    org_id: int | None = None,
    request_id: str | None = None,
    client_addr: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """An audit entry for something that is not a row change: sign-in, sign-out, a refused sign-in."""
    session.execute(
        text("""
        INSERT INTO audit_log (user_id, username, organisation_id, action, object_type, object_id, after,
                               request_id, client_addr)
        VALUES (:uid, :username, :org, :action, 'session', :uid_text, CAST(:details AS jsonb), :rid,
                CAST(:addr AS inet))"""),
        {
            "uid": user_id,
            "username": username,
            "org": org_id,
            "action": action,
            "uid_text": str(user_id or ""),
            "details": None if details is None else json.dumps(details),
            "rid": request_id,
            "addr": client_addr,
        },
    )


# --- throttling -------------------------------------------------------------------------------------------


def _throttle_keys(username: str, client_addr: str | None) -> list[str]:
    keys = [f"user:{username}"]
    if client_addr:
        keys.append(f"addr:{client_addr}")
    return keys


def _check_throttle(session: Session, keys: list[str]) -> None:
    locked = session.execute(
        text("SELECT max(locked_until) FROM login_throttle WHERE key = ANY(:keys) AND locked_until > now()"),
        {"keys": keys},
    ).scalar()
    if locked is not None:
        raise TooManyAttempts(int((locked - _now()).total_seconds()) + 1)


def _register_failure(session: Session, keys: list[str]) -> None:
    s = get_settings()
    window = dt.timedelta(minutes=s.login_lock_minutes)
    # Addresses are shared (an office behind one NAT), so they get more room than one username.
    for key in keys:
        limit = s.login_max_failures * (4 if key.startswith("addr:") else 1)
        session.execute(
            text("""
            INSERT INTO login_throttle (key, failures, window_started_at) VALUES (:key, 1, now())
            ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN login_throttle.window_started_at < now() - :window THEN 1
                              ELSE login_throttle.failures + 1 END,
              window_started_at = CASE WHEN login_throttle.window_started_at < now() - :window THEN now()
                                       ELSE login_throttle.window_started_at END,
              locked_until = CASE WHEN login_throttle.window_started_at >= now() - :window
                                   AND login_throttle.failures + 1 >= :limit THEN now() + :window END"""),
            {"key": key, "window": window, "limit": limit},
        )


def _clear_throttle(session: Session, username: str) -> None:
    session.execute(text("DELETE FROM login_throttle WHERE key = :k"), {"k": f"user:{username}"})


# --- sign-in ----------------------------------------------------------------------------------------------


def authenticate(
    session: Session, username: str, password: str, client_addr: str | None, request_id: str | None = None
) -> dict[str, Any]:
    """Check a username and password; returns the user row. Failures are counted, then locked out.

    The failure bookkeeping is committed even though the caller's request fails, so guessing cannot be
    undone by the error that answers it.
    """
    username = (username or "").strip().lower()
    keys = _throttle_keys(username, client_addr)
    _check_throttle(session, keys)
    user = (
        session.execute(
            text("""SELECT u.id, u.username, u.password_hash, u.active, u.organisation_id FROM users u
                WHERE u.username = :u"""),
            {"u": username},
        )
        .mappings()
        .one_or_none()
    )
    ok = passwords.verify_password(user["password_hash"] if user else None, password or "")
    if not ok or not user["active"]:
        _register_failure(session, keys)
        record_event(
            session,
            "login_failed",
            username or "?",
            user["id"] if user else None,
            user["organisation_id"] if user else None,
            request_id,
            client_addr,
            {"reason": "disabled" if ok else "bad_credentials"},
        )
        session.commit()
        _check_throttle(session, keys)
        raise Unauthorized("login_failed")
    _clear_throttle(session, username)
    if passwords.needs_rehash(user["password_hash"]):
        session.execute(
            text("UPDATE users SET password_hash = :h WHERE id = :id"),
            {"h": passwords.hash_password(password), "id": user["id"]},
        )
    session.execute(text("UPDATE users SET last_login_at = now() WHERE id = :id"), {"id": user["id"]})
    return dict(user)


def open_session(
    session: Session, user_id: int, kind: str, client_addr: str | None
) -> tuple[str, str | None, dt.datetime]:
    """Create a web session or API token; returns (secret, csrf token, expiry). Only the hash is stored."""
    s = get_settings()
    lifetime = dt.timedelta(hours=s.session_hours) if kind == "web" else dt.timedelta(minutes=s.token_minutes)
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32) if kind == "web" else None
    expires = _now() + lifetime
    session.execute(
        text("""
        INSERT INTO auth_sessions (token_hash, user_id, kind, csrf_token, expires_at, client_addr)
        VALUES (:h, :uid, :kind, :csrf, :exp, CAST(:addr AS inet))"""),
        {"h": token_hash(secret), "uid": user_id, "kind": kind, "csrf": csrf, "exp": expires, "addr": client_addr},
    )
    return secret, csrf, expires


def sign_in(
    session: Session, user: dict[str, Any], kind: str, request_id: str | None, client_addr: str | None
) -> tuple[str, str | None, dt.datetime]:
    """Open a session for an authenticated user and audit the sign-in."""
    opened = open_session(session, user["id"], kind, client_addr)
    record_event(
        session, "login", user["username"], user["id"], user["organisation_id"], request_id, client_addr, {"kind": kind}
    )
    return opened


def sign_out(session: Session, actor: Actor, request_id: str | None, client_addr: str | None) -> None:
    """Revoke the actor's current session or token and audit the sign-out."""
    revoke_session(session, actor.session_id)
    record_event(session, "logout", actor.username, actor.user_id, actor.org_id, request_id, client_addr)


RESOLVE_SQL = """
        SELECT s.id AS session_id, s.kind, s.csrf_token, u.id AS user_id, u.username, u.display_name, u.role,
               o.id AS org_id, o.kind AS org_kind, o.name AS org_name, o.adcode, o.enterprise_id
        FROM auth_sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE s.token_hash = :h AND s.kind = :kind AND s.revoked_at IS NULL AND s.expires_at > now()
          AND u.active"""


def actor_from_row(row: Any) -> Actor:
    """An Actor from a row of RESOLVE_SQL (in its column order)."""
    (session_id, kind, csrf, user_id, username, display_name, role, org_id, org_kind, org_name, adcode, ent) = row
    return Actor(
        user_id=user_id,
        username=username,
        display_name=display_name,
        role=role,
        org_id=org_id,
        org_kind=org_kind,
        org_name=org_name,
        adcode=adcode,
        enterprise_id=ent,
        session_id=session_id,
        session_kind=kind,
        csrf_token=csrf,
    )


def resolve(session: Session, secret: str, kind: str) -> Actor | None:
    """The actor behind a session cookie or bearer token, if it is valid, unexpired, unrevoked and active."""
    row = session.execute(text(RESOLVE_SQL), {"h": token_hash(secret), "kind": kind}).one_or_none()
    return actor_from_row(row) if row is not None else None


# Called with (session_id=..., user_id=...) when sessions are revoked: caches of verified credentials
# (app.accounts.lean) drop them. Called before the revoking transaction commits; dropping early is harmless.
on_revoke: list[Callable[..., None]] = []


def _revoked(session_id: int | None = None, user_id: int | None = None) -> None:
    for hook in on_revoke:
        hook(session_id=session_id, user_id=user_id)


def revoke_session(session: Session, session_id: int) -> None:
    _revoked(session_id=session_id)
    session.execute(
        text("UPDATE auth_sessions SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL"), {"id": session_id}
    )


def revoke_all(session: Session, user_id: int, except_session: int | None = None) -> None:
    _revoked(user_id=user_id)
    session.execute(
        text("""UPDATE auth_sessions SET revoked_at = now()
                            WHERE user_id = :u AND revoked_at IS NULL AND id IS DISTINCT FROM :keep"""),
        {"u": user_id, "keep": except_session},
    )


def check_password_policy(password: str, username: str, field: str = "new_password") -> None:
    s = get_settings()
    if len(password) < s.password_min_length:
        raise Invalid(
            "validation_failed", problems=[_problem(field, "password_too_short", {"min": s.password_min_length})]
        )
    if username and username.lower() in password.lower():
        raise Invalid("validation_failed", problems=[_problem(field, "password_contains_username", {})])


def _problem(field: str, code: str, params: dict[str, Any]) -> FieldProblem:
    return FieldProblem(field, code, params)


def change_password(session: Session, actor: Actor, current: str, new: str) -> None:
    row = session.execute(text("SELECT password_hash FROM users WHERE id = :id"), {"id": actor.user_id}).one()
    if not passwords.verify_password(row.password_hash, current):
        raise Invalid("validation_failed", problems=[_problem("current_password", "password_wrong", {})])
    check_password_policy(new, actor.username)
    session.execute(
        text("UPDATE users SET password_hash = :h, password_changed_at = now() WHERE id = :id"),
        {"h": passwords.hash_password(new), "id": actor.user_id},
    )
    revoke_all(session, actor.user_id, except_session=actor.session_id)


# --- user management (CLI) --------------------------------------------------------------------------------

ROLE_ORG_KINDS: dict[str, set[str]] = {
    Role.admin: {OrgKind.system},
    Role.province: {OrgKind.province},
    Role.city: {OrgKind.city},
    Role.county: {OrgKind.county},
    Role.enterprise: {OrgKind.enterprise},
    Role.viewer: {OrgKind.province, OrgKind.city, OrgKind.county, OrgKind.enterprise, OrgKind.system},
}


def find_organisation(session: Session, ref: str) -> dict[str, Any]:
    """An organisation by id, adcode, enterprise code or exact name."""
    row = (
        session.execute(
            text("""
        SELECT o.id, o.kind, o.name FROM organisations o LEFT JOIN enterprises e ON e.id = o.enterprise_id
        WHERE o.id::text = :r OR o.adcode::text = :r OR e.code = :r OR o.name = :r
           OR (o.kind = 'system' AND :r = 'system')
        ORDER BY o.id LIMIT 1"""),
            {"r": ref},
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise NotFound("not_found", {"what_code": "organisation", "id": ref})
    return dict(row)


def add_user(
    session: Session, username: str, display_name: str, org_ref: str, role: str, password: str, is_demo: bool = False
) -> int:
    username = username.strip().lower()
    org = find_organisation(session, org_ref)
    if role not in ROLE_ORG_KINDS:
        raise Invalid("role_unknown", {"role": role})
    if org["kind"] not in ROLE_ORG_KINDS[role]:
        raise Invalid("role_org_mismatch", {"role": role, "kind": org["kind"]})
    check_password_policy(password, username, "password")
    exists = session.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": username}).scalar()
    if exists:
        raise Invalid("username_taken", {"username": username})
    return session.execute(
        text("""
        INSERT INTO users (username, display_name, organisation_id, role, password_hash, is_demo)
        VALUES (:u, :d, :o, :r, :h, :demo) RETURNING id"""),
        {
            "u": username,
            "d": display_name,
            "o": org["id"],
            "r": role,
            "h": passwords.hash_password(password),
            "demo": is_demo,
        },
    ).scalar_one()


def set_active(session: Session, username: str, active: bool) -> None:
    uid = session.execute(
        text("UPDATE users SET active = :a WHERE username = :u RETURNING id"), {"a": active, "u": username.lower()}
    ).scalar()
    if uid is None:
        raise NotFound("not_found", {"what_code": "user", "id": username})
    if not active:
        revoke_all(session, uid)


def reset_password(session: Session, username: str) -> str:
    new = passwords.generate_password()
    uid = session.execute(
        text("""UPDATE users SET password_hash = :h, password_changed_at = now()
                                  WHERE username = :u RETURNING id"""),
        {"h": passwords.hash_password(new), "u": username.lower()},
    ).scalar()
    if uid is None:
        raise NotFound("not_found", {"what_code": "user", "id": username})
    revoke_all(session, uid)
    session.execute(text("DELETE FROM login_throttle WHERE key = :k"), {"k": f"user:{username.lower()}"})
    return new


def disable_demo_accounts(session: Session) -> int:
    """Outside demo mode no demo account may sign in."""
    ids = session.execute(text("UPDATE users SET active = false WHERE is_demo AND active RETURNING id")).scalars().all()
    for uid in ids:
        revoke_all(session, uid)
    return len(ids)
