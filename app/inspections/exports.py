"""The inspections spreadsheet (headers in Chinese): every inspection in the caller's scope."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.i18n import t
from app.reports.xlsx import book

# the columns, in the order of the query below; each has a heading inspections_xlsx_col_<name>
COLUMNS = ("id", "pond_code", "pond", "county", "kind", "state", "inspector", "organisation", "started_at",
           "submitted_at", "template_version", "items", "problems", "note")  # fmt: skip


def inspections_xlsx(session: Session, actor: Actor) -> bytes:
    clause, params = pond_scope_sql(actor)
    rows = session.execute(
        text(f"""
        SELECT i.id::text, p.code, p.name, d.name, i.kind, i.state, u.display_name, o.name, i.started_at,
               i.submitted_at, t.version, count(a.id), count(a.id) FILTER (WHERE a.answer = 'problem'), i.note
        FROM inspections i JOIN ponds p ON p.id = i.pond_id LEFT JOIN districts d ON d.adcode = p.county_adcode
        JOIN users u ON u.id = i.inspector_id JOIN organisations o ON o.id = i.organisation_id
        JOIN checklist_templates t ON t.id = i.template_id
        LEFT JOIN inspection_answers a ON a.inspection_id = i.id
        WHERE {clause} GROUP BY i.id, p.code, p.name, d.name, u.display_name, o.name, t.version
        ORDER BY i.started_at"""),
        params,
    ).all()
    # the workbook is for the bureau's files: Chinese whatever the requester's language
    header = [t(f"inspections_xlsx_col_{c}", "zh") for c in COLUMNS]
    out = []
    for r in rows:
        r = list(r)
        r[4] = t(f"kind_{r[4]}", "zh")
        r[5] = t(f"inspection_state_{r[5]}", "zh")
        out.append(r)
    return book(t("inspections_xlsx_sheet", "zh"), header, out)
