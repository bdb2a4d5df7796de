"""Hazards: reporting, moving them through the verification workflow, their trail, and each user's inbox."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.clock import today
from app.enums import Role
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.hazards import workflow
from app.hazards.config import evidence_max_distance_m, hazards_config, province_sample_rate
from app.hazards.schemas import HazardIn, Position, TransitionIn
from app.hazards.workflow import Action, Facts, HazardSource, HazardState
from app.i18n import Lang, t
from app.photos.checks import evidence_flags
from app.photos.service import photos_of

# Who may find and report hazards, and inspect: the bureaus' inspectors and the operator (self-inspection).
REPORTERS = frozenset({Role.province, Role.city, Role.county, Role.enterprise})


def ensure_reporter(actor: Actor) -> None:
    if actor.role not in REPORTERS:
        raise Forbidden("inspection_forbidden_role", {"role_code": f"role_{actor.role}"})


def _point_sql(position: Position | None) -> dict[str, Any]:
    return {
        "lon": position.lon if position else None,
        "lat": position.lat if position else None,
        "acc": position.accuracy_m if position else None,
    }


def create(
    session: Session,
    actor: Actor,
    pond_id: int,
    body: HazardIn,
    *,
    source: HazardSource | None = None,
    inspection_id: uuid.UUID | None = None,
    answer_id: uuid.UUID | None = None,
    item_id: str | None = None,
) -> tuple[int, bool]:
    """Record a found hazard (idempotent by its client id); returns (hazard id, created)."""
    ensure_reporter(actor)
    existing = session.execute(
        text("SELECT id, pond_id FROM hazards WHERE client_id = :c"), {"c": body.id}
    ).one_or_none()
    if existing is not None:
        if existing.pond_id != pond_id:
            raise Conflict("inspection_other_pond", {"id": str(body.id)})
        return existing.id, False
    photos_of(session, pond_id, body.photo_ids)
    if body.element_id is not None:
        _element_of_pond(session, pond_id, body.element_id)
    level = session.execute(text("SELECT supervision_level FROM ponds WHERE id = :p"), {"p": pond_id}).scalar_one()
    source = source or (HazardSource.self_inspection if actor.role == Role.enterprise else HazardSource.report)
    required = workflow.province_required(level, str(body.id), province_sample_rate())
    found_at = body.found_at or dt.datetime.now(dt.UTC)
    # Without a position of its own the hazard sits at its element, else at the pond.
    hazard_id = session.execute(
        text("""
        INSERT INTO hazards (client_id, pond_id, element_id, inspection_id, answer_id, item_id, source, severity,
                             description, location, accuracy_m, photo_ids, state, province_required, found_at,
                             found_by, found_org_id)
        VALUES (:client, :pond, :element, :inspection, :answer, :item, :source, :severity, :description,
                CASE WHEN CAST(:lon AS float8) IS NOT NULL THEN ST_SetSRID(ST_Point(:lon, :lat), 4490)
                     ELSE coalesce((SELECT ST_PointOnSurface(geom) FROM elements WHERE id = :element),
                                   (SELECT location FROM ponds WHERE id = :pond)) END,
                :acc, :photos, 'found', :required, :found_at, :user, :org)
        ON CONFLICT (client_id) DO NOTHING RETURNING id"""),
        {
            "client": body.id,
            "pond": pond_id,
            "element": body.element_id,
            "inspection": inspection_id,
            "answer": answer_id,
            "item": item_id,
            "source": source.value,
            "severity": body.severity.value,
            "description": body.description,
            "photos": list(body.photo_ids),
            "required": required,
            "found_at": found_at,
            "user": actor.user_id,
            "org": actor.org_id,
            **_point_sql(body.position),
        },
    ).scalar()
    if hazard_id is None:  # the same report, sent at the same moment, was recorded first
        return create(session, actor, pond_id, body, source=source, inspection_id=inspection_id,
                      answer_id=answer_id, item_id=item_id)  # fmt: skip
    _step(session, actor, hazard_id, pond_id, Action.report, None, HazardState.found, note=body.description,
          photo_ids=list(body.photo_ids))  # fmt: skip
    return hazard_id, True


def _element_of_pond(session: Session, pond_id: int, element_id: int) -> str:
    type_code = session.execute(
        text("SELECT type FROM elements WHERE id = :e AND pond_id = :p"), {"e": element_id, "p": pond_id}
    ).scalar()
    if type_code is None:
        raise NotFound("not_found", {"what_code": "element", "id": element_id})
    return type_code


def _step(
    session: Session,
    actor: Actor,
    hazard_id: int,
    pond_id: int,
    action: Action,
    from_state: str | None,
    to_state: HazardState,
    *,
    note: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    photo_ids: list[uuid.UUID] | None = None,
    flags: list[dict[str, Any]] | None = None,
) -> None:
    session.execute(
        text("""
        INSERT INTO hazard_steps (hazard_id, pond_id, action, from_state, to_state, user_id, username, display_name,
                                  organisation_id, organisation_name, level, note, reason, details, photo_ids,
                                  evidence_flags)
        VALUES (:h, :p, :action, :from_, :to, :uid, :username, :display, :org, :org_name, :level, :note, :reason,
                CAST(:details AS jsonb), :photos, CAST(:flags AS jsonb))"""),
        {
            "h": hazard_id,
            "p": pond_id,
            "action": action.value,
            "from_": from_state,
            "to": to_state.value,
            "uid": actor.user_id,
            "username": actor.username,
            "display": actor.display_name,
            "org": actor.org_id,
            "org_name": actor.org_name,
            "level": actor.role,
            "note": note,
            "reason": reason,
            "details": json.dumps(details or {}, default=str),
            "photos": list(photo_ids or []),
            "flags": json.dumps(flags or []),
        },
    )


def _locked(session: Session, pond_id: int, hazard_id: int) -> Any:
    row = session.execute(
        text(f"""SELECT h.*, ST_X(h.location) AS lon, ST_Y(h.location) AS lat, {OPERATED} AS operated
                FROM hazards h JOIN ponds p ON p.id = h.pond_id
                WHERE h.id = :h AND h.pond_id = :p FOR UPDATE OF h"""),
        {"h": hazard_id, "p": pond_id},
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "hazard", "id": hazard_id})
    return row


def facts(row: Any) -> Facts:
    return Facts(
        province_required=row.province_required,
        pond_has_operator=row.operated,
        extension_pending=row.extension_requested is not None,
    )


def verification_deadline(state: HazardState, f: Facts, on: dt.date) -> dt.date | None:
    """The day by which the bureau whose step it is must verify (layers/hazards.yaml `verification_days`)."""
    role = workflow.verifier_of(state, f)
    if role is None:
        return None
    return on + dt.timedelta(days=getattr(hazards_config().verification_days, role.value))


def transition(session: Session, actor: Actor, pond_id: int, hazard_id: int, body: TransitionIn) -> str:
    """Move the hazard by `body.action` (see app.hazards.workflow); returns the new state.

    Deadlines: assigning sets the rectification deadline; a rejection sets a new one (the verifier's, else
    `rejection_deadline_days` from today); an extension request keeps the wished one until a bureau grants
    (it becomes the deadline) or refuses it. Each verification step waits with a deadline of its own."""
    row = _locked(session, pond_id, hazard_id)
    given = body.model_dump()
    f = facts(row)
    tr = workflow.decide(row.state, body.action, actor.role, f, given)
    photos = photos_of(session, pond_id, body.photo_ids)
    limit = evidence_max_distance_m()
    flags = [fl for p in photos for fl in evidence_flags(p, row.lon, row.lat, row.found_at, limit)]
    on = today()
    details: dict[str, Any] = {}
    deadline, requested = row.deadline, row.extension_requested
    dated = (Action.assign, Action.reject, Action.request_extension)
    if body.deadline is not None and tr.action in dated and body.deadline < on:
        raise Invalid("validation_failed", problems=[_past_deadline()])
    if tr.action == Action.assign:
        deadline = body.deadline
        details = {"plan": body.plan, "deadline": body.deadline, "responsible": body.responsible}
    elif tr.action == Action.reject:
        deadline = body.deadline or on + dt.timedelta(days=hazards_config().rejection_deadline_days)
        requested = None
        details = {"deadline": deadline, "previous_deadline": row.deadline}
    elif tr.action == Action.request_extension:
        assert body.deadline is not None  # a needed field (workflow.decide)
        if row.deadline is not None and body.deadline <= row.deadline:
            from app.errors import FieldProblem

            raise Invalid(
                "validation_failed",
                problems=[FieldProblem("deadline", "hazard_extension_not_later", {"deadline": row.deadline})],
            )
        requested = body.deadline
        details = {"requested_deadline": body.deadline, "previous_deadline": row.deadline}
    elif tr.action == Action.grant_extension:
        deadline, requested = row.extension_requested, None
        details = {"deadline": deadline, "previous_deadline": row.deadline}
    elif tr.action == Action.refuse_extension:
        requested = None
        details = {"requested_deadline": row.extension_requested, "deadline": row.deadline}
    # a verification deadline starts when the hazard reaches a verifier's step (not on a step within a state)
    waiting = row.verification_deadline if tr.source == tr.target else verification_deadline(tr.target, f, on)
    session.execute(
        text("""
        UPDATE hazards SET state = :to, version = version + 1, updated_at = now(),
               plan = coalesce(:plan, plan), deadline = :deadline,
               responsible = coalesce(:responsible, responsible),
               verification_deadline = :verification_deadline, extension_requested = :requested,
               closed_at = CASE WHEN :closing THEN now() END
        WHERE id = :h"""),
        {
            "to": tr.target.value,
            "closing": tr.target == HazardState.closed,
            "h": hazard_id,
            "plan": body.plan if tr.action == Action.assign else None,
            "deadline": deadline,
            "responsible": body.responsible if tr.action == Action.assign else None,
            "verification_deadline": waiting,
            "requested": requested,
        },
    )
    _step(session, actor, hazard_id, pond_id, tr.action, row.state, tr.target, note=body.note, reason=body.reason,
          details=details, photo_ids=body.photo_ids, flags=flags)  # fmt: skip
    return tr.target.value


def _past_deadline() -> Any:
    from app.errors import FieldProblem

    return FieldProblem("deadline", "too_small", {"limit": today().isoformat()})


# A pond whose duties its operator carries: an ownerless pond's (无主库) fall to the county bureau.
OPERATED = "(p.enterprise_id IS NOT NULL AND NOT p.ownerless)"

_HAZARD_JSON = f"""
SELECT h.id, h.client_id, h.pond_id, p.code AS pond_code, p.name AS pond_name, p.supervision_level AS level,
       p.county_adcode, d.name AS county_name, h.element_id, e.name AS element_name, e.kind AS element_kind,
       e.type AS element_type, h.inspection_id, h.answer_id, h.item_id, h.source, h.severity, h.description,
       ST_X(h.location) AS lon, ST_Y(h.location) AS lat, h.accuracy_m, h.photo_ids, h.state, h.province_required,
       h.plan, h.deadline, h.responsible, h.found_at, h.found_by, u.display_name AS found_by_name,
       o.name AS found_org_name, h.closed_at, h.version, h.updated_at, {OPERATED} AS operated,
       h.verification_deadline, h.extension_requested,
       CASE WHEN {OPERATED}
            THEN (SELECT min(eo.name) FROM organisations eo WHERE eo.enterprise_id = p.enterprise_id)
            ELSE (SELECT min(co.name) FROM organisations co WHERE co.kind = 'county' AND co.adcode = p.county_adcode)
       END AS rectifier_org_name
FROM hazards h JOIN ponds p ON p.id = h.pond_id
LEFT JOIN districts d ON d.adcode = p.county_adcode
LEFT JOIN elements e ON e.id = h.element_id
LEFT JOIN users u ON u.id = h.found_by
LEFT JOIN organisations o ON o.id = h.found_org_id
"""


def _hazard(row: Any, actor: Actor | None, lang: Lang) -> dict[str, Any]:
    d = dict(row._mapping)
    operated = d.pop("operated")
    f = Facts(
        province_required=d["province_required"],
        pond_has_operator=operated,
        extension_pending=d["extension_requested"] is not None,
    )
    on = today()
    d["state_label"] = t(f"hz_{d['state']}", lang)
    # rectification overdue (the enterprise's, or the county's for an ownerless pond): only while it waits for
    # the rectification; a rectified hazard waiting for verification is the verifier's, with its own deadline
    d["overdue"] = bool(d["deadline"] and d["state"] == HazardState.assigned and d["deadline"] < on)
    verifier = workflow.verifier_of(d["state"], f)
    d["verifier_role"] = verifier.value if verifier else None
    d["verification_overdue"] = bool(verifier and d["verification_deadline"] and d["verification_deadline"] < on)
    late_since = d["deadline"] if d["overdue"] else d["verification_deadline"] if d["verification_overdue"] else None
    d["days_overdue"] = (on - late_since).days if late_since else 0
    d["client_id"] = str(d["client_id"])
    d["photo_ids"] = [str(p) for p in d["photo_ids"]]
    if actor is not None:
        d["actions"] = [
            {
                "action": tr.action.value,
                "label": t(f"hz_act_{tr.action}", lang),
                "needs": list(tr.needs),
                "optional": list(tr.optional),
            }
            for tr in workflow.available(d["state"], actor.role, f)
        ]
    return d


def detail(session: Session, actor: Actor, pond_id: int, hazard_id: int, lang: Lang) -> dict[str, Any]:
    row = session.execute(
        text(_HAZARD_JSON + " WHERE h.id = :h AND h.pond_id = :p"), {"h": hazard_id, "p": pond_id}
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "hazard", "id": hazard_id})
    hazard = _hazard(row, actor, lang)
    steps = (
        session.execute(
            text("""SELECT id, action, from_state, to_state, user_id, username, display_name, organisation_id,
                       organisation_name, level, at, note, reason, details, photo_ids, evidence_flags
                FROM hazard_steps WHERE hazard_id = :h ORDER BY id"""),
            {"h": hazard_id},
        )
        .mappings()
        .all()
    )
    trail = []
    for s in steps:
        step = dict(s)
        step["photo_ids"] = [str(p) for p in step["photo_ids"]]
        step["action_label"] = t(f"hz_act_{step['action']}", lang)
        step["to_label"] = t(f"hz_{step['to_state']}", lang)
        step["level_label"] = t(f"role_{step['level']}", lang)
        step["evidence_flags"] = [
            {**fl, "message": t(fl["code"], lang, **fl.get("params", {}))} for fl in step["evidence_flags"]
        ]
        trail.append(step)
    hazard["steps"] = trail
    all_ids = {p for p in hazard["photo_ids"]} | {p for s in trail for p in s["photo_ids"]}
    hazard["photos"] = {
        str(p["id"]): {
            "id": str(p["id"]),
            "url": f"/api/ponds/{pond_id}/photos/{p['id']}",
            "taken_at": p["taken_at"],
            "lon": p["lon"],
            "lat": p["lat"],
            "width": p["width"],
            "height": p["height"],
        }
        for p in photos_of(session, pond_id, [uuid.UUID(i) for i in all_ids])
    }
    return hazard


def list_for_pond(session: Session, actor: Actor, pond_id: int, lang: Lang) -> list[dict[str, Any]]:
    rows = session.execute(text(_HAZARD_JSON + " WHERE h.pond_id = :p ORDER BY h.id DESC"), {"p": pond_id}).all()
    return [_hazard(r, actor, lang) for r in rows]


def in_scope(session: Session, actor: Actor, lang: Lang, where: str = "true", **params: Any) -> list[dict[str, Any]]:
    clause, scope_params = pond_scope_sql(actor)
    rows = session.execute(
        text(_HAZARD_JSON + f" WHERE {clause} AND {where} ORDER BY h.id"), {**scope_params, **params}
    ).all()
    return [_hazard(r, actor, lang) for r in rows]


def inbox(session: Session, actor: Actor, lang: Lang) -> list[dict[str, Any]]:
    """What waits for this person: open hazards in their scope with a step that their role may take now;
    overdue first, then by deadline, then oldest first."""
    waiting = [h for h in in_scope(session, actor, lang, "h.state <> 'closed'") if h["actions"]]
    far = dt.date.max
    waiting.sort(key=lambda h: (not (h["overdue"] or h["verification_overdue"]), h["deadline"] or far, h["found_at"]))
    return waiting
