"""A pond's records as one XLSX workbook (the spreadsheets of the dossier, issue 6 item 3).

Sheets: permits, annual ledger, elements, monitoring (with limits, exceedances and background). The same data
gives the same bytes: rows in a fixed order, and the file's timestamps (document properties and ZIP entries)
set from the data's latest change instead of the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.i18n import Lang, label, t
from app.monitoring import service as monitoring
from app.monitoring.config import monitoring_config
from app.records import service as records
from gis.formats.text import printable, sheet_value, workbook_bytes

_EPOCH = dt.datetime(2000, 1, 1)


def _sheet(wb: Workbook, title: str, heading: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(heading)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([sheet_value(v) for v in row])
    ws.freeze_panes = "A2"


def _stable(data: bytes, when: dt.datetime) -> bytes:
    """The workbook with every timestamp set to `when`, so that equal data give equal files."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", body
                )
            entry = zipfile.ZipInfo(info.filename, date_time=max(when, dt.datetime(1980, 1, 1)).timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def pond_workbook(session: Session, pond_id: int, lang: Lang = "zh") -> bytes:
    pond = session.execute(text("SELECT code, name, updated_at FROM ponds WHERE id = :p"), {"p": pond_id}).one_or_none()
    if pond is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    file = records.pond_file(session, pond_id, lang)
    wb = Workbook()
    wb.remove(wb.active)
    permit = file["permits"] or {}
    fields = [
        "eia_approval_no",
        "eia_approval_date",
        "acceptance_no",
        "acceptance_date",
        "discharge_permit_no",
        "discharge_permit_expiry",
        "emergency_plan_filing_no",
        "emergency_plan_filed_on",
        "risk_grade",
        "note",
    ]
    _sheet(
        wb,
        t("rec_permits", lang),
        [t("name", lang), t("f_note", lang)],
        [[t(f"f_{f}", lang), permit.get(f)] for f in fields],
    )
    ledger_cols = ["year", "produced_t", "stored_t", "reused_t", "other_disposal_t", "reported_on"]
    _sheet(
        wb,
        t("rec_ledger", lang)[:31],
        [t(f"f_{c}", lang) for c in ledger_cols],
        [[r[c] for c in ledger_cols] for r in sorted(file["ledger"], key=lambda r: r["year"])],
    )
    elements = session.execute(
        text("""SELECT id, type, kind, name, source, captured_at, accuracy_m, review_state,
                       round(ST_X(ST_PointOnSurface(geom))::numeric, 7) AS lon,
                       round(ST_Y(ST_PointOnSurface(geom))::numeric, 7) AS lat, attributes
                FROM elements WHERE pond_id = :p ORDER BY type, kind, id"""),
        {"p": pond_id},
    ).all()
    _sheet(
        wb,
        t("sheet_elements", lang),
        [
            "id",
            "type",
            "kind",
            t("name", lang),
            t("source", lang),
            t("captured_at", lang),
            "accuracy_m",
            t("review_state", lang),
            "lon",
            "lat",
            t("attributes", lang),
        ],
        [
            [
                e.id,
                e.type,
                e.kind,
                e.name,
                e.source,
                e.captured_at,
                e.accuracy_m,
                e.review_state,
                float(e.lon),
                float(e.lat),
                json.dumps(e.attributes, ensure_ascii=False, sort_keys=True),
            ]
            for e in elements
        ],
    )
    cfg = monitoring_config()
    ws_ids = {w.id for w in monitoring.wells(session, pond_id) if w.role == "background"}
    compared = monitoring.compare(monitoring.results(session, pond_id), ws_ids, cfg)
    _sheet(
        wb,
        t("mon_title", lang),
        [
            t("mon_well", lang),
            t("mon_col_date", lang),
            t("mon_parameter", lang),
            t("mon_col_value", lang),
            "unit",
            t("chart_below", lang),
            t("chart_limit", lang),
            t("mon_exceed", lang),
            t("chart_background", lang),
        ],
        [
            [
                r["well_name"],
                r["sampled_on"],
                label(cfg.by_code[r["parameter"]].label, lang) if r["parameter"] in cfg.by_code else r["parameter"],
                r["value"],
                cfg.by_code[r["parameter"]].unit if r["parameter"] in cfg.by_code else "",
                r["below_detection"],
                r["limit_max"],
                r["exceeds_limit"],
                r["background_value"],
            ]
            for r in sorted(compared, key=lambda r: (r["well_name"], r["sampled_on"], r["parameter"]))
        ],
    )
    latest = session.execute(
        text("""SELECT max(x) FROM (SELECT max(changed_at) AS x FROM record_revisions WHERE pond_id = :p
                UNION ALL SELECT max(changed_at) FROM element_revisions WHERE pond_id = :p
                UNION ALL SELECT max(imported_at) FROM monitoring_imports WHERE pond_id = :p
                UNION ALL SELECT :u) s"""),
        {"p": pond_id, "u": pond.updated_at},
    ).scalar()
    when = latest.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0) if latest else _EPOCH
    wb.properties.creator = "Tailings One Map"
    wb.properties.title = printable(f"{pond.code} {pond.name}")
    return _stable(workbook_bytes(wb), when)
