"""The hazards spreadsheet (headers in Chinese): every hazard in the caller's scope, or one pond's."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.i18n import t
from app.reports.xlsx import book


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
    return book("隐患", header, out)
