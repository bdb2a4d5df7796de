"""The hazards spreadsheet (headers in Chinese): every hazard in the caller's scope, or one pond's."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import registry
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.i18n import t
from app.reports.xlsx import book

# the columns, in the order of the query below; each has a heading hazards_xlsx_col_<name>
COLUMNS = ("id", "pond_code", "pond", "county", "level", "source", "severity", "description", "item",
           "element", "state", "province_required", "found_at", "plan", "responsible", "deadline", "closed_at",
           "lon", "lat")  # fmt: skip


def _item_labels(session: Session, template_ids: set[int]) -> dict[tuple[int | None, str], str]:
    """Chinese checklist item texts by (template id, item id): the version an inspection was made with, and
    under None the current checklist (hazards reported outside an inspection)."""
    out: dict[tuple[int | None, str], str] = {
        (None, i.id): i.zh for s in registry.checklists().sections for i in s.items
    }
    if template_ids:
        for tid, content in session.execute(
            text("SELECT id, content FROM checklist_templates WHERE id = ANY(:ids)"), {"ids": sorted(template_ids)}
        ):
            out.update({(tid, i["id"]): i["zh"] for s in content["sections"] for i in s["items"]})
    return out


def hazards_xlsx(session: Session, actor: Actor | None, pond_id: int | None = None) -> bytes:
    """Hazards in the actor's scope or, with `pond_id` (the pond's dossier; its caller checked access), one pond's."""
    clause, params = pond_scope_sql(actor) if actor is not None else ("p.id = :pond_id", {"pond_id": pond_id})
    rows = session.execute(
        text(f"""
        SELECT h.id, p.code, p.name, d.name, p.supervision_level, h.source, h.severity, h.description, h.item_id,
               e.name, h.state, h.province_required, h.found_at, h.plan, h.responsible, h.deadline, h.closed_at,
               ST_X(h.location), ST_Y(h.location), i.template_id
        FROM hazards h JOIN ponds p ON p.id = h.pond_id LEFT JOIN districts d ON d.adcode = p.county_adcode
        LEFT JOIN elements e ON e.id = h.element_id LEFT JOIN inspections i ON i.id = h.inspection_id
        WHERE {clause} ORDER BY h.id"""),
        params,
    ).all()
    items = _item_labels(session, {r[-1] for r in rows if r[-1] is not None})
    # the workbook is for the bureau's files: Chinese whatever the requester's language
    header = [t(f"hazards_xlsx_col_{c}", "zh") for c in COLUMNS]
    out = []
    for r in rows:
        r, template_id = list(r[:-1]), r[-1]
        # codes stored in the database are shown as their labels (hz_assigned -> 已交办整改)
        r[5], r[6], r[10] = t(f"src_{r[5]}", "zh"), t(f"sev_{r[6]}", "zh"), t(f"hz_{r[10]}", "zh")
        if r[8] is not None:
            r[8] = items.get((template_id, r[8])) or items.get((None, r[8])) or r[8]
        r[11] = t("hazards_xlsx_yes" if r[11] else "hazards_xlsx_no", "zh")
        out.append(r)
    return book(t("hazards_xlsx_sheet", "zh"), header, out)
