"""The inspections spreadsheet (headers in Chinese): every inspection in the caller's scope."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.i18n import t
from app.reports.xlsx import book


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
    header = ["记录编号", "尾矿库编码", "尾矿库", "县区", "检查类型", "状态", "检查人员", "单位", "开始时间",
              "提交时间", "检查表版本", "检查项数", "问题数", "说明"]  # fmt: skip
    out = []
    for r in rows:
        r = list(r)
        r[4] = t(f"kind_{r[4]}", "zh")
        r[5] = "已提交" if r[5] == "submitted" else "草稿"
        out.append(r)
    return book("检查记录", header, out)
