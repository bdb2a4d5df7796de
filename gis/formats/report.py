"""The error report an uploader downloads, fixes and re-uploads.

For an XLSX upload: the user's own workbook, unchanged but for an added `错误说明` column on each sheet with
problems (the messages of each row), the cells at fault filled red (errors) or yellow (warnings), and a first
sheet `错误汇总` listing every problem. For a CSV: the same, the CSV's rows becoming a sheet. For other formats:
the `错误汇总` table alone (file, sheet/layer, row or feature number, column, message).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from gis.formats.model import Problem, TemplateSpec
from gis.formats.tabular import HEADER_SEARCH_ROWS, _choose, csv_rows, decode_text, normalise_header
from gis.formats.text import sheet_value, workbook_bytes

ERROR_COLUMN = "错误说明"
SUMMARY_SHEET = "错误汇总"
SUMMARY_HEADER = ("文件", "工作表/图层", "行", "列", ERROR_COLUMN, "类别")
_FILL = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
_SEVERITY = {"error": "错误", "warning": "提示"}


def error_report(
    filename: str,
    data: bytes,
    problems: Sequence[Problem],
    translate: Callable[[Problem], str],
    *,
    spec: TemplateSpec | None = None,
) -> bytes:
    """An XLSX report of `problems` of the upload `filename` (`data` its bytes); `translate` gives a problem's
    message in the user's language. `spec` helps find the header row of sheets (found without it too)."""
    ordered = sorted(problems, key=lambda p: (p.where.sheet or "", p.where.row or 0, p.severity != "error"))
    lower = filename.lower()
    wb: Any = None
    if lower.endswith((".xlsx", ".xlsm")):
        try:
            # the values as the import read them (calamine reads a formula's cached value), never live formulas
            wb = load_workbook(io.BytesIO(data), data_only=True)
        except Exception:  # noqa: BLE001 - a file we cannot open gets the table alone
            wb = None
    elif lower.endswith((".csv", ".txt")) and data:
        try:
            rows = csv_rows(decode_text(data, filename))
        except Exception:  # noqa: BLE001
            rows = []
        if rows:
            wb = Workbook()
            ws = wb.active
            ws.title = "数据"
            for _n, cells in rows:
                ws.append([sheet_value(c) for c in cells])
            ordered = [_on_sheet(p, "数据") for p in ordered]
    if wb is None:
        wb = Workbook()
        _summary(wb.active, ordered, translate)
        return _bytes(wb)
    for title in wb.sheetnames:
        here = [p for p in ordered if p.where.sheet == title and p.where.row]
        if here:
            _annotate(wb[title], here, translate, spec)
    _summary(wb.create_sheet(SUMMARY_SHEET, 0), ordered, translate)
    wb.active = 0
    return _bytes(wb)


def _on_sheet(p: Problem, sheet: str) -> Problem:
    if p.where.sheet is not None or p.where.row is None:
        return p
    where = type(p.where)(p.where.file, sheet, p.where.row, p.where.column)
    return Problem(where, p.code, p.params, p.severity)


def _bytes(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


def _summary(ws: Any, problems: Sequence[Problem], translate: Callable[[Problem], str]) -> None:
    ws.title = SUMMARY_SHEET
    ws.append(list(SUMMARY_HEADER))
    for c in ws[1]:
        c.font = Font(bold=True)
    for p in problems:
        w = p.where
        values = [w.file, w.sheet, w.row, w.column, translate(p), _SEVERITY.get(p.severity, p.severity)]
        ws.append([sheet_value(v) for v in values])
        ws.cell(row=ws.max_row, column=5).fill = _FILL.get(p.severity, _FILL["error"])
    for letter, width in zip("ABCDEF", (24, 18, 8, 16, 80, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _annotate(
    ws: Any, problems: Sequence[Problem], translate: Callable[[Problem], str], spec: TemplateSpec | None
) -> None:
    head = [(n, list(cells)) for n, cells in enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), 1)]
    match = _choose(spec, ws.title, head)
    header_row = match.header_row if match else max(1, min(p.where.row or 1 for p in problems) - 1)
    headers = {}
    for j, cell in enumerate(ws[header_row], start=1):
        if cell.value is not None:
            headers.setdefault(str(cell.value).strip(), j)
            headers.setdefault(normalise_header(cell.value), j)
    column = ws.max_column + 1
    top = ws.cell(row=header_row, column=column, value=ERROR_COLUMN)
    top.font = Font(bold=True, color="9C0006")
    top.fill = _FILL["error"]
    ws.column_dimensions[top.column_letter].width = 60
    messages: dict[int, list[str]] = {}
    worst: dict[int, str] = {}
    for p in problems:
        row = p.where.row or header_row
        prefix = "" if p.severity == "error" else "提示："
        text = translate(p)
        if p.where.column and p.where.column not in text:
            text = f"【{p.where.column}】{text}"
        messages.setdefault(row, []).append(prefix + text)
        if worst.get(row) != "error":
            worst[row] = p.severity
        j = headers.get(str(p.where.column).strip()) or headers.get(normalise_header(p.where.column or ""))
        if p.where.column and j:
            ws.cell(row=row, column=j).fill = _FILL.get(p.severity, _FILL["error"])
    for row, texts in messages.items():
        cell = ws.cell(row=row, column=column, value=sheet_value("；".join(dict.fromkeys(texts))))
        cell.fill = _FILL.get(worst[row], _FILL["error"])
        cell.alignment = Alignment(wrap_text=True, vertical="top")
