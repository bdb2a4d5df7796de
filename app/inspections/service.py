"""Inspections: the checklist of a pond, drafts and submissions (idempotent by client ids), problems that
become hazards, and photo uploads (stored by app.photos)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.accounts.service import Actor
from app.checklists import template_hash
from app.enums import Role
from app.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from app.hazards import service as hazards
from app.hazards.schemas import HazardIn
from app.hazards.workflow import HazardSource
from app.inspections.models import InspectionKind
from app.inspections.schemas import InspectionIn
from app.photos import service as photos


def template_row(session: Session, status: str) -> tuple[int, dict[str, Any]]:
    """The stored template for `status` at the file's current version (stored on first use). A file edited
    without raising its version is refused, so no inspection's template ever changes under it."""
    content = registry.checklists().template(status)  # type: ignore[arg-type]
    digest = template_hash(content)
    row = session.execute(
        text("SELECT id, sha256 FROM checklist_templates WHERE status = :s AND version = :v"),
        {"s": status, "v": content["version"]},
    ).one_or_none()
    if row is None:
        new_id = session.execute(
            text("""INSERT INTO checklist_templates (status, version, content, sha256)
                    VALUES (:s, :v, CAST(:c AS jsonb), :h)
                    ON CONFLICT (status, version) DO NOTHING RETURNING id"""),
            {"s": status, "v": content["version"], "c": json.dumps(content, ensure_ascii=False), "h": digest},
        ).scalar()
        if new_id is not None:
            return new_id, content
        return template_row(session, status)  # stored meanwhile by a concurrent request
    if row.sha256 != digest:
        raise Conflict("checklist_version_not_bumped", {"version": content["version"]})
    return row.id, content


def pond_status(session: Session, pond_id: int) -> str:
    status = session.execute(text("SELECT status FROM ponds WHERE id = :p"), {"p": pond_id}).scalar_one()
    return registry.checklists().checklist_status(status)


def checklist_for_pond(session: Session, pond_id: int) -> dict[str, Any]:
    """What an inspector fills at this pond: the template for its status, and its elements with a position."""
    template_id, template = template_row(session, pond_status(session, pond_id))
    elements = (
        session.execute(
            text("""SELECT id, type, kind, name, ST_X(ST_PointOnSurface(geom)) AS lon,
                       ST_Y(ST_PointOnSurface(geom)) AS lat
                FROM elements WHERE pond_id = :p ORDER BY type, kind, id"""),
            {"p": pond_id},
        )
        .mappings()
        .all()
    )
    return {"template_id": template_id, "template": template, "elements": [dict(e) for e in elements]}


def _template_of(session: Session, template_id: int) -> dict[str, Any]:
    return session.execute(
        text("SELECT content FROM checklist_templates WHERE id = :t"), {"t": template_id}
    ).scalar_one()


def _point(position: Any) -> dict[str, Any]:
    return {
        "lon": position.lon if position else None,
        "lat": position.lat if position else None,
        "acc": position.accuracy_m if position else None,
    }


_POINT = "CASE WHEN CAST(:lon AS float8) IS NOT NULL THEN ST_SetSRID(ST_Point(:lon, :lat), 4490) END"


def put(session: Session, actor: Actor, pond_id: int, inspection_id: uuid.UUID, body: InspectionIn) -> bool:
    """Create or update the draft `inspection_id` with `body` (answers upserted by their client ids), and
    submit it if asked. Sending a submitted inspection again changes nothing. Returns whether it was created."""
    hazards.ensure_reporter(actor)
    # Insert-or-nothing first: of two identical requests racing, the second waits on the id's unique index
    # until the first commits, then finds the inspection (submitted, if that was asked) and does nothing.
    exists = session.execute(text("SELECT 1 FROM inspections WHERE id = :i"), {"i": inspection_id}).scalar()
    created = False
    if exists is None:
        template_id, _ = template_row(session, pond_status(session, pond_id))
        kind = InspectionKind.self_inspection if actor.role == Role.enterprise else InspectionKind.government
        created = (
            session.execute(
                text(f"""
                INSERT INTO inspections (id, pond_id, template_id, kind, state, inspector_id, organisation_id,
                                         started_at, note, location, accuracy_m)
                VALUES (:i, :p, :t, :kind, 'draft', :u, :o, :started, :note, {_POINT}, :acc)
                ON CONFLICT (id) DO NOTHING RETURNING id"""),
                {
                    "i": inspection_id,
                    "p": pond_id,
                    "t": template_id,
                    "kind": kind.value,
                    "u": actor.user_id,
                    "o": actor.org_id,
                    "started": body.started_at or dt.datetime.now(dt.UTC),
                    "note": body.note,
                    **_point(body.position),
                },
            ).scalar()
            is not None
        )
    row = session.execute(
        text("SELECT pond_id, inspector_id, state, template_id FROM inspections WHERE id = :i FOR UPDATE"),
        {"i": inspection_id},
    ).one()
    if row.pond_id != pond_id:
        raise Conflict("inspection_other_pond", {"id": str(inspection_id)})
    if row.inspector_id != actor.user_id:
        raise Forbidden("inspection_not_yours")
    if row.state == "submitted":
        return created  # the same submission again (a retry after a lost response): nothing to do
    template_id = row.template_id
    if not created:
        session.execute(
            text(f"""UPDATE inspections SET note = coalesce(:note, note), updated_at = now(),
                     location = coalesce({_POINT}, location), accuracy_m = coalesce(:acc, accuracy_m)
                     WHERE id = :i"""),
            {"i": inspection_id, "note": body.note, **_point(body.position)},
        )
    _upsert_answers(session, pond_id, inspection_id, _template_of(session, template_id), body)
    if body.submit:
        _submit(session, actor, pond_id, inspection_id, _template_of(session, template_id))
    return created


def _upsert_answers(
    session: Session, pond_id: int, inspection_id: uuid.UUID, template: dict[str, Any], body: InspectionIn
) -> None:
    items = {i["id"]: s for s in template["sections"] for i in s["items"]}
    problems: list[FieldProblem] = []
    types: dict[int, str | None] = {}
    for n, a in enumerate(body.answers):
        where = f"answers.{n}"
        section = items.get(a.item_id)
        if section is None:
            problems.append(
                FieldProblem(
                    f"{where}.item_id", "checklist_item_unknown", {"item": a.item_id, "version": template["version"]}
                )
            )
            continue
        if section["pond_level"] and a.element_id is not None:
            problems.append(FieldProblem(f"{where}.element_id", "checklist_pond_level", {"item": a.item_id}))
        elif not section["pond_level"] and a.element_id is not None:
            if a.element_id not in types:
                types[a.element_id] = session.execute(
                    text("SELECT type FROM elements WHERE id = :e AND pond_id = :p"), {"e": a.element_id, "p": pond_id}
                ).scalar()
            if types[a.element_id] != section["code"]:
                problems.append(
                    FieldProblem(
                        f"{where}.element_id",
                        "checklist_element_mismatch",
                        {"item": a.item_id, "section": section["code"], "element": a.element_id},
                    )
                )
        try:
            photos.photos_of(session, pond_id, a.photo_ids)
        except Invalid as exc:
            problems.append(FieldProblem(f"{where}.photo_ids", exc.code, exc.params))
    if problems:
        raise Invalid("validation_failed", problems=problems)
    for a in body.answers:
        taken = session.execute(
            text("SELECT inspection_id FROM inspection_answers WHERE id = :a"), {"a": a.id}
        ).scalar()
        if taken is not None and taken != inspection_id:
            raise Conflict("inspection_other_pond", {"id": str(a.id)})
        # One answer per item and element: a new client id for the same question replaces the old answer.
        # Re-sending an unchanged answer updates nothing the audit log records (its trigger skips no-ops).
        session.execute(
            text("""DELETE FROM inspection_answers WHERE inspection_id = :i AND item_id = :item
                    AND element_id IS NOT DISTINCT FROM :e AND id <> :a"""),
            {"i": inspection_id, "item": a.item_id, "e": a.element_id, "a": a.id},
        )
        session.execute(
            text(f"""
            INSERT INTO inspection_answers (id, inspection_id, pond_id, element_id, section, item_id, answer, note,
                                            photo_ids, location, accuracy_m, answered_at)
            VALUES (:a, :i, :p, :e, :section, :item, :answer, :note, :photos, {_POINT}, :acc, :at)
            ON CONFLICT (id) DO UPDATE SET answer = EXCLUDED.answer, note = EXCLUDED.note,
                photo_ids = EXCLUDED.photo_ids, location = EXCLUDED.location, accuracy_m = EXCLUDED.accuracy_m,
                answered_at = EXCLUDED.answered_at, element_id = EXCLUDED.element_id, item_id = EXCLUDED.item_id,
                section = EXCLUDED.section"""),
            {
                "a": a.id,
                "i": inspection_id,
                "p": pond_id,
                "e": a.element_id,
                "section": items[a.item_id]["code"],
                "item": a.item_id,
                "answer": a.answer.value,
                "note": a.note,
                "photos": list(a.photo_ids),
                "at": a.answered_at or dt.datetime.now(dt.UTC),
                **_point(a.position),
            },
        )


def _submit(session: Session, actor: Actor, pond_id: int, inspection_id: uuid.UUID, template: dict[str, Any]) -> None:
    session.execute(
        text("UPDATE inspections SET state = 'submitted', submitted_at = now(), updated_at = now() WHERE id = :i"),
        {"i": inspection_id},
    )
    texts = {i["id"]: i for s in template["sections"] for i in s["items"]}
    kind = session.execute(text("SELECT kind FROM inspections WHERE id = :i"), {"i": inspection_id}).scalar_one()
    problems = session.execute(
        text("""SELECT id, element_id, item_id, note, photo_ids, answered_at, ST_X(location) AS lon,
                       ST_Y(location) AS lat, accuracy_m
                FROM inspection_answers WHERE inspection_id = :i AND answer = 'problem' ORDER BY answered_at, id"""),
        {"i": inspection_id},
    ).all()
    source = HazardSource.self_inspection if kind == InspectionKind.self_inspection else HazardSource.inspection
    for p in problems:
        item = texts[p.item_id]
        description = (item["zh"] + (f"：{p.note}" if p.note else ""))[:4000]
        position = {"lon": p.lon, "lat": p.lat, "accuracy_m": p.accuracy_m} if p.lon is not None else None
        body = HazardIn.model_validate(
            {
                "id": p.id,  # the answer's client id: submitting again finds the same hazard
                "description": description,
                "element_id": p.element_id,
                "position": position,
                "photo_ids": p.photo_ids,
                "found_at": p.answered_at,
            }
        )
        hazards.create(
            session, actor, pond_id, body, source=source, inspection_id=inspection_id, answer_id=p.id, item_id=p.item_id
        )


def detail(session: Session, pond_id: int, inspection_id: uuid.UUID) -> dict[str, Any]:
    row = (
        session.execute(
            text("""SELECT i.id, i.pond_id, p.code AS pond_code, p.name AS pond_name, i.kind, i.state, i.started_at,
                       i.submitted_at, i.note, ST_X(i.location) AS lon, ST_Y(i.location) AS lat, i.accuracy_m,
                       i.inspector_id, u.display_name AS inspector_name, o.name AS organisation_name,
                       t.version AS template_version, t.status AS template_status, t.content AS template
                FROM inspections i JOIN ponds p ON p.id = i.pond_id JOIN users u ON u.id = i.inspector_id
                JOIN organisations o ON o.id = i.organisation_id JOIN checklist_templates t ON t.id = i.template_id
                WHERE i.id = :i AND i.pond_id = :p"""),
            {"i": inspection_id, "p": pond_id},
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise NotFound("not_found", {"what_code": "inspection", "id": str(inspection_id)})
    answers = (
        session.execute(
            text("""SELECT a.id, a.element_id, e.name AS element_name, e.kind AS element_kind, a.section, a.item_id,
                       a.answer, a.note, a.photo_ids, ST_X(a.location) AS lon, ST_Y(a.location) AS lat,
                       a.accuracy_m, a.answered_at, h.id AS hazard_id
                FROM inspection_answers a LEFT JOIN elements e ON e.id = a.element_id
                LEFT JOIN hazards h ON h.answer_id = a.id
                WHERE a.inspection_id = :i ORDER BY a.section, a.element_id NULLS FIRST, a.item_id"""),
            {"i": inspection_id},
        )
        .mappings()
        .all()
    )
    out = dict(row)
    out["id"] = str(out["id"])
    out["answers"] = [{**a, "id": str(a["id"]), "photo_ids": [str(x) for x in a["photo_ids"]]} for a in answers]
    return out


def list_for_pond(session: Session, pond_id: int) -> list[dict[str, Any]]:
    rows = (
        session.execute(
            text("""SELECT i.id, i.kind, i.state, i.started_at, i.submitted_at, u.display_name AS inspector_name,
                       o.name AS organisation_name, t.version AS template_version,
                       count(a.id) AS answers, count(a.id) FILTER (WHERE a.answer = 'problem') AS problems
                FROM inspections i JOIN users u ON u.id = i.inspector_id
                JOIN organisations o ON o.id = i.organisation_id JOIN checklist_templates t ON t.id = i.template_id
                LEFT JOIN inspection_answers a ON a.inspection_id = i.id
                WHERE i.pond_id = :p GROUP BY i.id, u.display_name, o.name, t.version
                ORDER BY i.started_at DESC"""),
            {"p": pond_id},
        )
        .mappings()
        .all()
    )
    return [{**r, "id": str(r["id"])} for r in rows]


def store_photo(
    session: Session, actor: Actor, pond_id: int, photo_id: uuid.UUID, data: bytes, filename: str | None
) -> dict[str, Any]:
    """Check and store a photo taken in the field (sending it again returns the stored one): those who may
    inspect and report hazards may upload."""
    hazards.ensure_reporter(actor)
    return photos.store(session, actor.user_id, pond_id, photo_id, data, filename)
