"""Spreadsheet exports (openpyxl) of inspections and hazards in the caller's scope, headers in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.i18n import t
from app.inspections.photos import CHINA
from gis.formats.text import sheet_value, workbook_bytes


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA).replace(tzinfo=None)  # Excel has no time zones: local time
    return sheet_value(value)  # text stays text (never a formula), whatever it was stored with


def _book(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(header))
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([_cell(v) for v in r])
    ws.freeze_panes = "A2"
    for i, _ in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 18
    return workbook_bytes(wb)


def hazards_xlsx(session: Session, actor: Actor | None, pond_id: int | None = None) -> bytes:
    """Hazards in the actor's scope or, with `pond_id` (the pond's dossier; its caller checked access), one pond's."""
    clause, params = pond_scope_sql(actor) if actor is not None else ("p.id = :pond_id", {"pond_id": pond_id})
    rows = session.execute(
        text(f"""
        SELECT h.id, p.code, p.name, d.name, p.supervision_level, h.source, h.severity, h.description, h.item_id,
               e.name, h.state, h.province_required, h.found_at, h.plan, h.responsible, h.deadline, h.closed_at,
               ST_X(h.location), ST_Y(h.location)
        FROM hazards h JOIN ponds p ON p.id = h.pond_id LEFT JOIN districts d ON d.adcode = p.county_adcode
        LEFT JOIN elements e ON e.id = h.element_id WHERE {clause} ORDER BY h.id"""),
        params,
    ).all()
    header = ["隐患编号", "尾矿库编码", "尾矿库", "县区", "监管级别", "来源", "等级", "描述", "检查项",
              "要素", "状态", "需省级核查", "发现时间", "整改方案", "责任人", "整改期限", "销号时间", "经度",
              "纬度"]  # fmt: skip
    out = []
    for r in rows:
        r = list(r)
        r[5], r[6], r[10] = t(f"src_{r[5]}", "zh"), t(f"sev_{r[6]}", "zh"), t(f"hz_{r[10]}", "zh")
        r[11] = "是" if r[11] else "否"
        out.append(r)
    return _book("隐患", header, out)


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
    return _book("检查记录", header, out)
