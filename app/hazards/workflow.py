"""The three-level verification of hazard rectification (三级核查, a rule of this system) as one explicit state machine.

    found --assign--> assigned --rectify--> rectified --county_verify--> county_verified
          --city_verify--> city_verified --province_verify--> province_verified --close--> closed
                                         \\--close (province step not required)--> closed
    reject: rectified (county), county_verified (city), city_verified (province) --> assigned, with a reason
            and a new rectification deadline (the verifier's, else layers/hazards.yaml)
    request_extension (enterprise, while assigned) --> assigned, with the wished deadline and a reason;
    grant_extension / refuse_extension (county or city, while a request waits) --> assigned, with a reason

Everything about who may move a hazard where is in TRANSITIONS below: the service, the pages (which
buttons to show) and the inbox (what waits for whom) all ask this module. Scope (which ponds a person
sees: an enterprise its own, a county its county) is decided before, by app.accounts.scope.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from app.enums import Role
from app.errors import Conflict, FieldProblem, Forbidden, Invalid


class HazardState(StrEnum):
    found = "found"  # 发现
    assigned = "assigned"  # 已交办：整改方案、期限、责任人
    rectified = "rectified"  # 企业已整改，提交佐证
    county_verified = "county_verified"  # 县区核查通过
    city_verified = "city_verified"  # 市级核查通过
    province_verified = "province_verified"  # 省级核查通过
    closed = "closed"  # 销号


class Action(StrEnum):
    report = "report"  # the hazard is found (by an inspection or reported directly): no state before
    assign = "assign"
    rectify = "rectify"
    county_verify = "county_verify"
    city_verify = "city_verify"
    province_verify = "province_verify"
    reject = "reject"
    close = "close"
    request_extension = "request_extension"  # the enterprise asks for a later rectification deadline
    grant_extension = "grant_extension"  # the bureau grants it: the deadline becomes the requested one
    refuse_extension = "refuse_extension"  # the bureau refuses it: the deadline stays


class HazardSource(StrEnum):
    inspection = "inspection"  # a "problem" answer of a government inspection
    self_inspection = "self_inspection"  # the operator's pre-flood-season self-inspection
    report = "report"  # reported directly


class Severity(StrEnum):
    general = "general"  # 一般隐患
    major = "major"  # 重大隐患


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about a hazard beyond its state."""

    province_required: bool
    pond_has_operator: bool = True
    extension_pending: bool = False


@dataclass(frozen=True)
class Transition:
    action: Action
    source: HazardState
    target: HazardState
    roles: frozenset[Role]
    needs: tuple[str, ...] = ()  # request fields that must be given
    when: str | None = None  # a condition on Facts: "province_required", "extension_pending" or their "not_"
    optional: tuple[str, ...] = ()  # request fields that may be given


S, A = HazardState, Action
BUREAU = frozenset({Role.county, Role.city})
TRANSITIONS: tuple[Transition, ...] = (
    Transition(A.assign, S.found, S.assigned, BUREAU, needs=("plan", "deadline", "responsible")),
    Transition(A.rectify, S.assigned, S.rectified, frozenset({Role.enterprise}), needs=("note", "photo_ids")),
    Transition(A.county_verify, S.rectified, S.county_verified, frozenset({Role.county})),
    Transition(A.reject, S.rectified, S.assigned, frozenset({Role.county}), needs=("reason",),
               optional=("deadline",)),
    Transition(A.city_verify, S.county_verified, S.city_verified, frozenset({Role.city})),
    Transition(A.reject, S.county_verified, S.assigned, frozenset({Role.city}), needs=("reason",),
               optional=("deadline",)),
    Transition(A.province_verify, S.city_verified, S.province_verified, frozenset({Role.province}),
               when="province_required"),
    Transition(A.reject, S.city_verified, S.assigned, frozenset({Role.province}), needs=("reason",),
               when="province_required", optional=("deadline",)),
    Transition(A.close, S.city_verified, S.closed, frozenset({Role.city}), when="province_not_required"),
    Transition(A.close, S.province_verified, S.closed, frozenset({Role.city})),
    Transition(A.request_extension, S.assigned, S.assigned, frozenset({Role.enterprise}),
               needs=("deadline", "reason"), when="not_extension_pending"),
    Transition(A.grant_extension, S.assigned, S.assigned, BUREAU, needs=("reason",), when="extension_pending"),
    Transition(A.refuse_extension, S.assigned, S.assigned, BUREAU, needs=("reason",), when="extension_pending"),
)  # fmt: skip

# Who verifies next in each state (the bureau whose step it is), for the verification deadline.
VERIFIER = {S.rectified: Role.county, S.county_verified: Role.city, S.province_verified: Role.city}


def verifier_of(state: HazardState | str, facts: Facts) -> Role | None:
    """The role whose verification step the hazard waits for in `state` (None: not waiting for a verifier)."""
    if state == S.city_verified:
        return Role.province if facts.province_required else Role.city
    return VERIFIER.get(HazardState(state)) if state in HazardState.__members__ else None


def _holds(t: Transition, facts: Facts) -> bool:
    if t.when == "province_required":
        return facts.province_required
    if t.when == "province_not_required":
        return not facts.province_required
    if t.when == "extension_pending":
        return facts.extension_pending
    if t.when == "not_extension_pending":
        return not facts.extension_pending
    return True


def roles_for(t: Transition, facts: Facts) -> frozenset[Role]:
    """Who may make the transition. A pond without an operator (ownerless, 无主库) is rectified under the
    county bureau's organisation, so the county submits its rectification."""
    if t.action in (A.rectify, A.request_extension) and not facts.pond_has_operator:
        return frozenset({Role.county})
    return t.roles


def transitions_from(state: HazardState | str, facts: Facts) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state and _holds(t, facts)]


def available(state: HazardState | str, role: str, facts: Facts) -> list[Transition]:
    """The transitions a person of `role` may make now (buttons on the page, the inbox)."""
    return [t for t in transitions_from(state, facts) if role in roles_for(t, facts)]


def decide(state: HazardState | str, action: str, role: str, facts: Facts, given: dict[str, object]) -> Transition:
    """The transition `action` from `state` by `role`, or the reason it is refused:
    409 when the hazard's state does not allow the action, 403 when the role may not make it, 422 when a
    needed field (plan, deadline, responsible, reason, evidence) is missing."""
    possible = transitions_from(state, facts)
    matching = [t for t in possible if t.action == action]
    if not matching:
        if action == A.province_verify and state == S.city_verified:
            raise Conflict("hazard_province_not_required")
        raise Conflict(
            "hazard_transition_illegal",
            {
                "state_code": f"hz_{state}",
                "action_code": f"hz_act_{action}" if action in Action.__members__ else "hz_act_unknown",
                "allowed": ", ".join(sorted({t.action.value for t in possible})) or "—",
            },
        )
    t = matching[0]
    if role not in roles_for(t, facts):
        raise Forbidden(
            "hazard_wrong_role",
            {
                "action_code": f"hz_act_{t.action}",
                "state_code": f"hz_{state}",
                "roles": "/".join(sorted(roles_for(t, facts))),
                "role_code": f"role_{role}",
            },
        )
    missing = [f for f in t.needs if given.get(f) in (None, "", [], ())]
    if missing:
        raise Invalid("validation_failed", problems=[FieldProblem(f, "hazard_field_required") for f in missing])
    return t


def province_required(supervision_level: int, hazard_key: str, rate: float) -> bool:
    """Level-1 ponds always; others sampled at `rate`, chosen by a hash of the hazard's id, so the choice is
    the same on every call and in every test (a rule of this system)."""
    if supervision_level == 1:
        return True
    draw = int(hashlib.sha256(hazard_key.encode()).hexdigest()[:8], 16) / 0x1_0000_0000
    return draw < rate


def table() -> list[dict[str, object]]:
    """The transition table as data (for the API and the documentation)."""
    return [
        {
            "action": t.action.value,
            "from": t.source.value,
            "to": t.target.value,
            "roles": sorted(t.roles),
            "needs": list(t.needs),
            "optional": list(t.optional),
            "when": t.when,
        }
        for t in TRANSITIONS
    ]
