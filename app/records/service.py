"""A pond's file (一库一档): permits, annual ledger, projects, facilities, with versions and flags.

Every record row carries a version; a change names the version it was made on (If-Match) and is refused with
409 when someone changed the row meanwhile. Every state is kept in `record_revisions` by a trigger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.enums import FacilityStatus, ProjectKind, ProjectStatus, RiskGrade
from app.errors import BodyInvalid, Conflict, FieldProblem, Invalid, NotFound
from app.i18n import Lang, label
from app.records.config import records_config
from app.text import Text

Tonnes = float | None


def Number(label: str) -> Text:  # noqa: N802 - reads as a type in the fields below
    """A document number: one line of at most 200 characters."""
    return Text(label, 200, single_line=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: Annotated[str | None, Text("field_note", 2000)] = None


class PermitsIn(_In):
    eia_approval_no: Annotated[str | None, Number("field_eia_approval_no")] = None
    eia_approval_date: dt.date | None = None
    acceptance_no: Annotated[str | None, Number("field_acceptance_no")] = None
    acceptance_date: dt.date | None = None
    discharge_permit_no: Annotated[str | None, Number("field_discharge_permit_no")] = None
    discharge_permit_expiry: dt.date | None = None
    emergency_plan_filing_no: Annotated[str | None, Number("field_emergency_plan_filing_no")] = None
    emergency_plan_filed_on: dt.date | None = None
    risk_grade: RiskGrade | None = None


class LedgerIn(_In):
    year: int = Field(ge=1950, le=2100)
    produced_t: float | None = Field(None, ge=0)
    stored_t: float | None = Field(None, ge=0)
    reused_t: float | None = Field(None, ge=0)
    other_disposal_t: float | None = Field(None, ge=0)
    reported_on: dt.date | None = None

    @model_validator(mode="after")
    def _reported_after_year(self) -> LedgerIn:
        if self.reported_on is not None and self.reported_on.year < self.year:
            raise ValueError("reported_before_year")
        return self


class ProjectIn(_In):
    name: Annotated[str, Text("field_project_name", 300, min_length=1, single_line=True)]
    kind: ProjectKind
    approval_no: Annotated[str | None, Number("field_approval_no")] = None
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    status: ProjectStatus


class FacilityIn(_In):
    name: Annotated[str, Text("field_facility_name", 300, min_length=1, single_line=True)]
    kind: str = Field(max_length=40)
    commissioned_on: dt.date | None = None
    operating_status: FacilityStatus
    last_checked_on: dt.date | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in records_config().facility_kinds:
            raise ValueError(f"one of {', '.join(records_config().facility_kinds)}")
        return v


class RecordKind(StrEnum):
    ledger = "ledger"
    projects = "projects"
    facilities = "facilities"
    permits = "permits"


@dataclass(frozen=True)
class Spec:
    table: str
    model: type[_In]
    order: str
    what: str  # message code naming the thing


SPECS: dict[RecordKind, Spec] = {
    RecordKind.permits: Spec("pond_permits", PermitsIn, "id", "record_permits"),
    RecordKind.ledger: Spec("tailings_ledger", LedgerIn, "year DESC", "record_ledger"),
    RecordKind.projects: Spec("pond_projects", ProjectIn, "started_on DESC NULLS LAST, id", "record_project"),
    RecordKind.facilities: Spec("pollution_facilities", FacilityIn, "name, id", "record_facility"),
}


def validate(kind: RecordKind, body: Any) -> _In:
    try:
        return SPECS[kind].model.model_validate(body)
    except ValidationError as exc:
        raise BodyInvalid([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None


def _columns(model: type[_In]) -> list[str]:
    return list(model.model_fields)


def _row(session: Session, table: str, record_id: int) -> dict[str, Any] | None:
    row = session.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": record_id}).mappings().one_or_none()
    return dict(row) if row else None


def _rows(session: Session, spec: Spec, pond_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in session.execute(
            text(f"SELECT * FROM {spec.table} WHERE pond_id = :p ORDER BY {spec.order}"), {"p": pond_id}
        ).mappings()
    ]


def _stale_or_missing(session: Session, spec: Spec, pond_id: int, record_id: int, expected: int) -> Exception:
    current = session.execute(
        text(f"SELECT version FROM {spec.table} WHERE id = :id AND pond_id = :p"), {"id": record_id, "p": pond_id}
    ).scalar_one_or_none()
    if current is None:
        return NotFound("not_found", {"what_code": spec.what, "id": record_id})
    return Conflict("record_version_conflict", {"current": current, "given": expected})


def _ledger_year_free(session: Session, pond_id: int, year: int, record_id: int | None = None) -> None:
    taken = session.execute(
        text("SELECT id FROM tailings_ledger WHERE pond_id = :p AND year = :y AND id IS DISTINCT FROM :id"),
        {"p": pond_id, "y": year, "id": record_id},
    ).scalar()
    if taken is not None:
        raise Invalid("validation_failed", problems=[FieldProblem("year", "ledger_year_exists", {"year": year})])


def create(session: Session, pond_id: int, kind: RecordKind, body: Any) -> dict[str, Any]:
    spec = SPECS[kind]
    valid = validate(kind, body)
    if kind == RecordKind.ledger:
        _ledger_year_free(session, pond_id, valid.year)  # type: ignore[attr-defined]
    cols = _columns(spec.model)
    record_id = session.execute(
        text(
            f"INSERT INTO {spec.table} (pond_id, {', '.join(cols)}) "
            f"VALUES (:pond_id, {', '.join(':' + c for c in cols)}) RETURNING id"
        ),
        {"pond_id": pond_id, **valid.model_dump()},
    ).scalar_one()
    return _row(session, spec.table, record_id) or {}


def update(
    session: Session, pond_id: int, kind: RecordKind, record_id: int, body: Any, expected: int
) -> dict[str, Any]:
    spec = SPECS[kind]
    valid = validate(kind, body)
    if kind == RecordKind.ledger:
        _ledger_year_free(session, pond_id, valid.year, record_id)  # type: ignore[attr-defined]
    cols = _columns(spec.model)
    updated = session.execute(
        text(
            f"UPDATE {spec.table} SET {', '.join(f'{c} = :{c}' for c in cols)}, version = version + 1, "
            "updated_at = now() WHERE id = :id AND pond_id = :pond_id AND version = :expected RETURNING id"
        ),
        {"id": record_id, "pond_id": pond_id, "expected": expected, **valid.model_dump()},
    ).scalar_one_or_none()
    if updated is None:
        raise _stale_or_missing(session, spec, pond_id, record_id, expected)
    return _row(session, spec.table, record_id) or {}


def put_permits(session: Session, pond_id: int, body: Any, expected: int) -> dict[str, Any]:
    """The pond's permits: created on the first save (version 0 = none yet), then replaced by version."""
    current = session.execute(text("SELECT id FROM pond_permits WHERE pond_id = :p"), {"p": pond_id}).scalar()
    if current is None:
        if expected != 0:
            raise Conflict("record_version_conflict", {"current": 0, "given": expected})
        return create(session, pond_id, RecordKind.permits, body)
    return update(session, pond_id, RecordKind.permits, current, body, expected)


def delete(session: Session, pond_id: int, kind: RecordKind, record_id: int, expected: int) -> None:
    spec = SPECS[kind]
    deleted = session.execute(
        text(f"DELETE FROM {spec.table} WHERE id = :id AND pond_id = :p AND version = :expected RETURNING id"),
        {"id": record_id, "p": pond_id, "expected": expected},
    ).scalar_one_or_none()
    if deleted is None:
        raise _stale_or_missing(session, spec, pond_id, record_id, expected)


def revisions(session: Session, pond_id: int, table: str, record_id: int, what: str) -> list[dict[str, Any]]:
    """Every state of a record, oldest first; deleted records keep their history."""
    rows = (
        session.execute(
            text("""SELECT version, op, data, changed_by, changed_at FROM record_revisions
                    WHERE table_name = :t AND record_id = :id AND pond_id = :p ORDER BY id"""),
            {"t": table, "id": record_id, "p": pond_id},
        )
        .mappings()
        .all()
    )
    if not rows:
        raise NotFound("not_found", {"what_code": what, "id": record_id})
    return [dict(r) for r in rows]


# --- flags ---------------------------------------------------------------------------------------------


def permit_state(expiry: dt.date | None, today: dt.date) -> dict[str, Any]:
    """The discharge permit: missing, expired, expiring (within the configured days) or valid."""
    if expiry is None:
        return {"state": "missing", "days_left": None}
    days = (expiry - today).days
    if days < 0:
        return {"state": "expired", "days_left": days}
    if days <= records_config().permits.expiring_within_days:
        return {"state": "expiring", "days_left": days}
    return {"state": "valid", "days_left": days}


def last_due_year(today: dt.date) -> int:
    """The latest year whose annual ledger report is due by `today` (due by 31 January of the next year)."""
    cfg = records_config().ledger
    due = dt.date(today.year, cfg.due_month, cfg.due_day)
    return today.year - 1 if today > due else today.year - 2


def missing_reports(status: str, reported_years: set[int], today: dt.date) -> list[int]:
    """Years whose ledger report was due and is not filed (only for ponds that must report)."""
    cfg = records_config().ledger
    if status not in cfg.statuses:
        return []
    return [y for y in range(cfg.first_year, last_due_year(today) + 1) if y not in reported_years]


def pond_file(session: Session, pond_id: int, lang: Lang, today: dt.date | None = None) -> dict[str, Any]:
    """Everything of the pond's file in one answer, with its flags."""
    today = today or dt.date.today()
    cfg = records_config()
    pond = (
        session.execute(
            text("""SELECT id, code, name, status, safety_grade, dam_type, storage, ore_type, design_volume_10k_m3,
                           current_volume_10k_m3, dam_height_m, illustrative FROM ponds WHERE id = :p"""),
            {"p": pond_id},
        )
        .mappings()
        .one_or_none()
    )
    if pond is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    permits = _rows(session, SPECS[RecordKind.permits], pond_id)
    ledger = _rows(session, SPECS[RecordKind.ledger], pond_id)
    computed = cfg.safety_grades.grade(pond["design_volume_10k_m3"], pond["dam_height_m"])
    permit = permits[0] if permits else None
    documents = [
        {**d, "doc_type_label": label(cfg.document_types[d["doc_type"]].label, lang)}
        if d["doc_type"] in cfg.document_types
        else d
        for d in session.execute(
            text("SELECT * FROM pond_documents WHERE pond_id = :p ORDER BY doc_type, id"), {"p": pond_id}
        ).mappings()
    ]
    return {
        "pond": dict(pond),
        "classification": {
            "safety_grade": pond["safety_grade"],
            "safety_grade_computed": computed,
            "safety_grade_matches": computed is None or pond["safety_grade"] in (None, computed),
            "safety_grade_source": cfg.safety_grades.source,
        },
        "permits": permit,
        "permits_version": permit["version"] if permit else 0,
        "discharge_permit": permit_state(permit["discharge_permit_expiry"] if permit else None, today),
        "ledger": ledger,
        "ledger_missing_years": missing_reports(
            pond["status"], {r["year"] for r in ledger if r["reported_on"] is not None}, today
        ),
        "ledger_due": {"month": cfg.ledger.due_month, "day": cfg.ledger.due_day, "source": cfg.ledger.source},
        "projects": _rows(session, SPECS[RecordKind.projects], pond_id),
        "facilities": _rows(session, SPECS[RecordKind.facilities], pond_id),
        "documents": documents,
    }
