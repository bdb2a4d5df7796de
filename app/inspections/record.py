"""The printable inspection record (现场检查记录), in Chinese."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files
from app.clock import CHINA
from app.i18n import t
from app.inspections import service
from app.reports.pdf import Document

MAX_PHOTOS = 12


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if value else "—"


def inspection_record_pdf(session: Session, pond_id: int, inspection_id: uuid.UUID) -> bytes:
    ins = service.detail(session, pond_id, inspection_id)
    pond = session.execute(
        text("""SELECT p.code, p.name, p.supervision_level, p.status, d.name AS county, e.name AS enterprise
                FROM ponds p LEFT JOIN districts d ON d.adcode = p.county_adcode
                LEFT JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = :p"""),
        {"p": pond_id},
    ).one()
    template = ins["template"]
    items = {i["id"]: (s, i) for s in template["sections"] for i in s["items"]}
    doc = Document("尾矿库现场检查记录", footer=f"尾矿库环境监管“一张图” · 记录编号 {ins['id']}")
    position = (
        f"{ins['lon']:.6f}, {ins['lat']:.6f}（精度 {ins['accuracy_m']:.0f} 米）"
        if ins["lon"] is not None and ins["accuracy_m"] is not None
        else (f"{ins['lon']:.6f}, {ins['lat']:.6f}" if ins["lon"] is not None else "—")
    )
    doc.facts(
        [
            ("尾矿库", f"{pond.name}（{pond.code}）"),
            ("所在县区", pond.county or "—"),
            ("企业", pond.enterprise or "—"),
            ("监管级别 / 状态", f"{t('level_n', 'zh', n=pond.supervision_level)} / {t('status_' + pond.status, 'zh')}"),
            ("检查类型", t(f"kind_{ins['kind']}", "zh")),
            ("检查人员", f"{ins['inspector_name']}（{ins['organisation_name']}）"),
            ("开始 / 提交时间", f"{_when(ins['started_at'])} / {_when(ins['submitted_at'])}"),
            ("检查表版本", f"v{ins['template_version']}（{t('status_' + ins['template_status'], 'zh')}）"),
            ("检查位置", position),
        ]
    )
    if ins["note"]:
        doc.heading("总体说明")
        doc.paragraph(ins["note"])
    doc.heading("检查结果")
    rows = [["检查类别 / 要素", "检查项", "结果", "说明", "依据", "隐患"]]
    for a in ins["answers"]:
        section, item = items.get(a["item_id"], ({"label": {"zh": a["section"]}}, {"zh": a["item_id"], "source": ""}))
        where = section["label"]["zh"] + (
            f" · {a['element_name'] or '#' + str(a['element_id'])}" if a["element_id"] else ""
        )
        rows.append(
            [
                where,
                item["zh"],
                t(f"ans_{a['answer']}", "zh"),
                a["note"] or "",
                item.get("source", ""),
                f"#{a['hazard_id']}" if a["hazard_id"] else "",
            ]
        )
    if len(rows) == 1:
        rows.append(["—", "（无答案）", "", "", "", ""])
    doc.table(rows, widths=(32, 52, 16, 38, 30, 12))
    counts = {k: sum(1 for a in ins["answers"] if a["answer"] == k) for k in ("ok", "problem", "not_applicable")}
    doc.paragraph(
        f"共 {len(ins['answers'])} 项：符合 {counts['ok']} 项，存在问题 {counts['problem']} 项，"
        f"不适用 {counts['not_applicable']} 项。"
    )
    photo_ids = [p for a in ins["answers"] for p in a["photo_ids"]][:MAX_PHOTOS]
    if photo_ids:
        doc.heading("现场照片")
        for pid in photo_ids:
            row = session.execute(
                text("SELECT sha256, taken_at FROM photos WHERE id = :i AND pond_id = :p"), {"i": pid, "p": pond_id}
            ).one_or_none()
            if row is None:
                continue
            doc.photo(files.get(row.sha256), width_mm=60)
            doc.paragraph(f"照片 {pid}　拍摄时间 {_when(row.taken_at)}", size=8)
    doc.ln(6)
    doc.paragraph("检查人员签字：____________　　企业负责人签字：____________　　日期：____________")
    return doc.bytes()
