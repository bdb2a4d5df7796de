"""Who sees which ponds, and who may change them: the one place where scope is decided.

An organisation's area sets what its people see (enterprise: its own ponds; county: its county; city and
province: every county under them; the system: everything). The role sets what they may do there.
Out-of-scope ponds are reported as not found, so their existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.service import Actor
from app.enums import OrgKind, Role
from app.errors import Forbidden, NotFound

# Roles that may change a pond's elements and records within their scope.
EDITORS = frozenset({Role.admin, Role.city, Role.county, Role.enterprise})
# Roles that manage a pond's organisation (pond chiefs): the bureaus, not the operator.
MANAGERS = frozenset({Role.admin, Role.city, Role.county})


def pond_scope_sql(actor: Actor, alias: str = "p") -> tuple[str, dict[str, Any]]:
    """A SQL condition on the ponds table (as `alias`) that holds for exactly the ponds `actor` may see."""
    match actor.org_kind:
        case OrgKind.system:
            return "true", {}
        case OrgKind.province:
            return f"{alias}.county_adcode / 10000 = :scope_area", {"scope_area": actor.adcode // 10000}
        case OrgKind.city:
            return f"{alias}.county_adcode / 100 = :scope_area", {"scope_area": actor.adcode // 100}
        case OrgKind.county:
            return f"{alias}.county_adcode = :scope_area", {"scope_area": actor.adcode}
        case OrgKind.enterprise:
            return f"{alias}.enterprise_id = :scope_enterprise", {"scope_enterprise": actor.enterprise_id}
    return "false", {}


def ensure_pond(session: Session, actor: Actor, pond_id: int, allowed_roles: frozenset[str] | None = None) -> None:
    """404 unless the pond is in the actor's scope; then 403 unless the actor's role is allowed."""
    clause, params = pond_scope_sql(actor)
    visible = session.execute(
        text(f"SELECT 1 FROM ponds p WHERE p.id = :pond AND {clause}"), {"pond": pond_id, **params}
    ).scalar()
    if visible is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    if allowed_roles is not None and actor.role not in allowed_roles:
        raise Forbidden("forbidden_role", {"role_code": f"role_{actor.role}"})
