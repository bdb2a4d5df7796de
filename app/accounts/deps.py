"""Authentication and the declared policy of every route.

Every route depends on exactly one policy below (`public`, `signed_in`, `pond_read`, `pond_edit`,
`pond_manage`, `pond_inspect`, `pond_roles(...)`, `editor`, `job_starter`, `admin_only`, `bureau_staff`, page
variants); tests/test_authorization.py fails for a route without one and checks each route's behaviour per
role. A policy is the first parameter a route's handler depends on, so the role and scope are checked before
the body is validated or an upload is read.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.accounts import scope, service
from app.accounts.service import Actor
from app.db import AuditContext, SessionDep, bind_audit_context
from app.enums import Role
from app.errors import Forbidden, Unauthorized

SESSION_COOKIE = "tailings_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)

F = TypeVar("F", bound=Callable[..., Any])


def policy(name: str) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.policy = name  # type: ignore[attr-defined]
        return fn

    return mark


def request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def client_addr(request: Request) -> str | None:
    """The client's IP address (None when the transport gives no IP, e.g. a unix socket or a test client)."""
    host = request.client.host if request.client else None
    try:
        return str(ipaddress.ip_address(host)) if host else None
    except ValueError:
        return None


def optional_actor(
    request: Request, session: SessionDep, bearer: Annotated[str | None, Depends(oauth2)]
) -> Actor | None:
    """The signed-in actor, from a bearer token or the session cookie; None when there is neither.

    A cookie-authenticated request that changes something must carry the session's CSRF token in the
    X-CSRF-Token header (bearer tokens are not sent by browsers on their own, so they need none).
    """
    actor: Actor | None = None
    if bearer:
        actor = service.resolve(session, bearer, "api")
        if actor is None:
            raise Unauthorized("token_invalid")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        actor = service.resolve(session, cookie, "web")
        if actor is not None and request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not actor.csrf_token or not hmac.compare_digest(sent, actor.csrf_token):
                raise Forbidden("csrf_failed")
    if actor is not None:
        bind_audit_context(
            session,
            AuditContext(
                actor=actor.username,
                user_id=actor.user_id,
                org_id=actor.org_id,
                request_id=request_id(request),
                client_addr=client_addr(request),
            ),
            apply_now=request.method not in SAFE_METHODS,
        )
    return actor


async def _required(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    if actor is None:
        raise Unauthorized("login_required")
    return actor


@policy("public")
async def public() -> None:
    """Anyone, signed in or not."""


@policy("signed_in")
async def signed_in(actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """Any signed-in user; what they then see is filtered by their scope."""
    return actor


@policy("pond_read")
def pond_read(pond_id: int, session: SessionDep, actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """Anyone whose scope includes the pond."""
    scope.ensure_pond(session, actor, pond_id)
    return actor


@policy("pond_edit")
def pond_edit(pond_id: int, session: SessionDep, actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """Editors (admin, city, county, enterprise) whose scope includes the pond."""
    scope.ensure_pond(session, actor, pond_id, scope.EDITORS)
    return actor


@policy("pond_manage")
def pond_manage(pond_id: int, session: SessionDep, actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """Bureau staff (admin, city, county) whose scope includes the pond."""
    scope.ensure_pond(session, actor, pond_id, scope.MANAGERS)
    return actor


@policy("admin_only")
async def admin_only(actor: Annotated[Actor, Depends(_required)]) -> Actor:
    if actor.role != Role.admin:
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
    return actor


# The bureau's own lists (the pond registry, reference layers): the city bureau and the administrator; a
# county bureau, an enterprise, a viewer or the province do not replace what the whole city sees.
BUREAU_STAFF = frozenset({Role.admin, Role.city})


@policy("bureau_staff")
async def bureau_staff(actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """The city bureau and the administrator: imports of the pond registry and of reference layers."""
    if actor.role not in BUREAU_STAFF:
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
    return actor


# Who may inspect, report hazards and upload photos: the bureaus' inspectors and the operator (its own
# self-inspection); not the administrator nor a viewer (app.hazards.service.REPORTERS says the same).
INSPECTORS = frozenset({Role.province, Role.city, Role.county, Role.enterprise})
# Who may start long jobs over many ponds (scope-wide dossier exports): everyone with work on the ponds of
# their scope, not the read-only viewer (a viewer reads, one pond at a time).
JOB_STARTERS = frozenset({Role.admin, Role.province, Role.city, Role.county, Role.enterprise})


def _role_in(actor: Actor, roles: frozenset[str]) -> Actor:
    if actor.role not in roles:
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
    return actor


@policy("pond_inspect")
def pond_inspect(pond_id: int, session: SessionDep, actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """Inspectors (province, city, county, enterprise) whose scope includes the pond: inspections, photos,
    hazard reports. Checked before the body is read."""
    scope.ensure_pond(session, actor, pond_id, INSPECTORS)
    return actor


def pond_roles(name: str, roles: frozenset[str], refusal: Callable[[Actor], Exception] | None = None) -> Any:
    """A policy for a domain's own set of roles on a pond in scope (e.g. the hazard workflow's actors);
    `refusal` gives the domain's own 403 for another role (default: forbidden_role)."""

    @policy(name)
    def check(pond_id: int, session: SessionDep, actor: Annotated[Actor, Depends(_required)]) -> Actor:
        scope.ensure_pond(session, actor, pond_id)
        if actor.role not in roles:
            raise refusal(actor) if refusal else Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
        return actor

    check.__doc__ = f"Roles {', '.join(sorted(roles))} whose scope includes the pond."
    return check


@policy("editor")
async def editor(actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """An editor's role (admin, city, county, enterprise) before an upload that is not tied to one pond (an
    image: which ponds it covers is known once the file is read, and checked against the scope then)."""
    return _role_in(actor, scope.EDITORS)


@policy("job_starter")
async def job_starter(actor: Annotated[Actor, Depends(_required)]) -> Actor:
    """Long jobs over the caller's scope (dossier exports): every role but the read-only viewer."""
    return _role_in(actor, JOB_STARTERS)


Public = Annotated[None, Depends(public)]
SignedIn = Annotated[Actor, Depends(signed_in)]
PondReader = Annotated[Actor, Depends(pond_read)]
PondEditor = Annotated[Actor, Depends(pond_edit)]
PondManager = Annotated[Actor, Depends(pond_manage)]
Admin = Annotated[Actor, Depends(admin_only)]
BureauStaff = Annotated[Actor, Depends(bureau_staff)]
PondInspector = Annotated[Actor, Depends(pond_inspect)]
Editor = Annotated[Actor, Depends(editor)]
JobStarter = Annotated[Actor, Depends(job_starter)]


class LoginRedirect(Exception):
    """A page asked for by someone not signed in: answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str):
        super().__init__(next_path)
        self.next_path = next_path


@policy("page_signed_in")
async def page_signed_in(request: Request, actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    """A page for any signed-in user; anyone else is sent to the sign-in page."""
    if actor is None:
        raise LoginRedirect(request.url.path)
    return actor


@policy("page_pond_read")
def page_pond_read(
    pond_id: int, request: Request, session: SessionDep, actor: Annotated[Actor | None, Depends(optional_actor)]
) -> Actor:
    """A pond's page for those whose scope includes the pond; anyone not signed in goes to sign in."""
    if actor is None:
        raise LoginRedirect(request.url.path)
    scope.ensure_pond(session, actor, pond_id)
    return actor


@policy("page_bureau_staff")
async def page_bureau_staff(request: Request, actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    """A page of the bureau's imports: the city bureau and the administrator; strangers go to sign in."""
    if actor is None:
        raise LoginRedirect(request.url.path)
    if actor.role not in BUREAU_STAFF:
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
    return actor


PageUser = Annotated[Actor, Depends(page_signed_in)]
PagePondReader = Annotated[Actor, Depends(page_pond_read)]
PageBureauStaff = Annotated[Actor, Depends(page_bureau_staff)]
