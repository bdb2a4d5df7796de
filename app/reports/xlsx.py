"""Spreadsheet exports (openpyxl): one sheet with a bold, frozen header row, each cell written as a value
(local China time for times, never a formula). The domains build their rows (app.hazards.exports,
app.inspections.exports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from app.clock import CHINA
from gis.formats.text import sheet_value, workbook_bytes


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA).replace(tzinfo=None)  # Excel has no time zones: local time
    return sheet_value(value)  # text stays text (never a formula), whatever it was stored with


def book(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
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
