"""The printable inspection record (现场检查记录), in Chinese."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

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


def _zh(code: str, /, **params: Any) -> str:
    # the printed record is for the files: Chinese whatever the requester's language
    return t(code, "zh", **params)


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
    doc = Document(_zh("inspection_record_title"), footer=_zh("inspection_record_footer", id=ins["id"]))
    position = (
        _zh(
            "inspection_record_position_accuracy",
            lon=f"{ins['lon']:.6f}",
            lat=f"{ins['lat']:.6f}",
            accuracy=f"{ins['accuracy_m']:.0f}",
        )
        if ins["lon"] is not None and ins["accuracy_m"] is not None
        else (f"{ins['lon']:.6f}, {ins['lat']:.6f}" if ins["lon"] is not None else "—")
    )
    doc.facts(
        [
            (_zh("inspection_record_f_pond"), f"{pond.name}（{pond.code}）"),
            (_zh("inspection_record_f_county"), pond.county or "—"),
            (_zh("inspection_record_f_enterprise"), pond.enterprise or "—"),
            (
                _zh("inspection_record_f_level_status"),
                f"{_zh('level_n', n=pond.supervision_level)} / {_zh('status_' + pond.status)}",
            ),
            (_zh("inspection_record_f_kind"), _zh(f"kind_{ins['kind']}")),
            (_zh("inspection_record_f_inspector"), f"{ins['inspector_name']}（{ins['organisation_name']}）"),
            (_zh("inspection_record_f_times"), f"{_when(ins['started_at'])} / {_when(ins['submitted_at'])}"),
            (
                _zh("inspection_record_f_template"),
                f"v{ins['template_version']}（{_zh('status_' + ins['template_status'])}）",
            ),
            (_zh("inspection_record_f_position"), position),
        ]
    )
    if ins["note"]:
        doc.heading(_zh("inspection_record_note"))
        doc.paragraph(ins["note"])
    doc.heading(_zh("inspection_record_results"))
    rows = [[_zh(f"inspection_record_col_{c}") for c in ("where", "item", "answer", "note", "source", "hazard")]]
    for a in ins["answers"]:
        section, item = items.get(a["item_id"], ({"label": {"zh": a["section"]}}, {"zh": a["item_id"], "source": ""}))
        where = section["label"]["zh"] + (
            f" · {a['element_name'] or '#' + str(a['element_id'])}" if a["element_id"] else ""
        )
        rows.append(
            [
                where,
                item["zh"],
                _zh(f"ans_{a['answer']}"),
                a["note"] or "",
                item.get("source", ""),
                f"#{a['hazard_id']}" if a["hazard_id"] else "",
            ]
        )
    if len(rows) == 1:
        rows.append(["—", _zh("inspection_record_no_answers"), "", "", "", ""])
    doc.table(rows, widths=(32, 52, 16, 38, 30, 12))
    counts = {k: sum(1 for a in ins["answers"] if a["answer"] == k) for k in ("ok", "problem", "not_applicable")}
    doc.paragraph(
        _zh(
            "inspection_record_summary",
            n=len(ins["answers"]),
            ok=counts["ok"],
            problem=counts["problem"],
            na=counts["not_applicable"],
        )
    )
    # a photo attached to two answers is printed once; photos are numbered in the order they are printed
    photo_ids = list(dict.fromkeys(p for a in ins["answers"] for p in a["photo_ids"]))[:MAX_PHOTOS]
    shown = 0
    for pid in photo_ids:
        row = session.execute(
            text("SELECT sha256, taken_at FROM photos WHERE id = :i AND pond_id = :p"), {"i": pid, "p": pond_id}
        ).one_or_none()
        if row is None:
            continue
        if shown == 0:
            doc.heading(_zh("inspection_record_photos"))
        shown += 1
        doc.photo(files.get(row.sha256), width_mm=60)
        caption = (
            _zh("inspection_record_photo_taken", n=shown, taken=_when(row.taken_at))
            if row.taken_at
            else _zh("inspection_record_photo", n=shown)
        )
        doc.paragraph(caption, size=8)
    doc.ln(6)
    doc.paragraph(_zh("inspection_record_signatures"))
    return doc.bytes()
