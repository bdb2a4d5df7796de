"""Spreadsheet exports (openpyxl): one sheet with a bold, frozen header row, each cell written as a value
(local China time for times, never a formula). The domains build their rows (app.hazards.exports,
app.inspections.exports)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from app.clock import CHINA


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA).replace(tzinfo=None)  # Excel has no time zones: local time
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula: user text stays text
    return value


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
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
