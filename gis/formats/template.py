"""The XLSX template enterprises fill in, and the same layout filled with data (exports that re-import).

Layout:
- `填写说明` (first, active): title; the coordinate-system choice in B3 (drop-down of the spec's choices, default
  `自动识别` = detect from the values) and the Gauss-Kruger central meridian in B4 (drop-down 75..135), both
  also reachable through the workbook names `tailings_crs` / `tailings_cm`; then the instructions and a table of
  every sheet's columns (unit, required, allowed values, help).
- one sheet per `SheetSpec`: a title row, a hint row, the header row (label, unit in brackets, `*` when required)
  frozen below; drop-down lists for enums and booleans (是/否), number/integer/date validation; example rows
  in grey italics whose name starts with `示例` (the reader skips them).
- `选项` (hidden): the lists behind the drop-downs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gis.formats import text as cell_text
from gis.formats.layout import (
    AUTO_LABEL,
    CM_LABEL,
    CM_NAME,
    CRS_LABEL,
    CRS_NAME,
    DEFAULT_CRS_CHOICES,
    EXAMPLE_PREFIX,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    NO,
    WKT,
    YES,
)
from gis.formats.model import NAME, VERTEX, ColumnSpec, SheetSpec, TemplateSpec, X, Y

HEADER_ROW = 3  # title, hint, header
LAST_ROW = 1_048_576
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_BOLD = Font(bold=True)

RESERVED_COLUMNS: dict[str, ColumnSpec] = {
    NAME: ColumnSpec(NAME, "名称", ("name",), required=True, help="同一条线或同一个面的各顶点行名称相同"),
    VERTEX: ColumnSpec(VERTEX, "顶点序号", ("vertex",), kind="integer", help="1、2、3……；线按水流方向从上游到下游"),
    X: ColumnSpec(X, "X（经度或东坐标）", ("x",), required=True, help="十进制度、度分秒（101°43′12.5″）或米"),
    Y: ColumnSpec(Y, "Y（纬度或北坐标）", ("y",), required=True, help="十进制度、度分秒（26°34′10″）或米"),
}
WKT_COLUMN = ColumnSpec(WKT, "几何WKT", ("wkt",), help="多部分几何或带洞的面：整个几何写在一格（WKT）")

GEOMETRY_HINTS = {
    "point": "每个要素一行。",
    "line": "每个顶点一行：同一条线的各行名称相同，顶点序号按水流方向（从上游到下游）递增。",
    "polygon": "每个顶点一行：同一个面的各行名称相同，按边界顺序填写，不必重复首点。",
    "none": "每条记录一行。",
}


def sheet_columns(sheet: SheetSpec) -> list[ColumnSpec]:
    """The sheet's columns with the reserved geometry columns it needs (name, vertex, x, y) first if missing."""
    codes = {c.code for c in sheet.columns}
    needed = {"point": [NAME, X, Y], "line": [NAME, VERTEX, X, Y], "polygon": [NAME, VERTEX, X, Y], "none": []}
    added = [RESERVED_COLUMNS[c] for c in needed[sheet.geometry] if c not in codes]
    return added + list(sheet.columns)


def header_label(col: ColumnSpec) -> str:
    label = col.label
    if col.unit and col.unit not in label:
        label = f"{label}（{col.unit}）"
    return f"{label}*" if col.required else label


def _cell_value(value: Any, col: ColumnSpec | None) -> Any:
    if value is None or col is None:
        return value
    if col.kind == "enum":
        return dict(col.choices).get(value, value)
    if col.kind == "boolean" and isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


class _Lists:
    """The hidden sheet of drop-down lists: one column per list."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.column = 0

    def add(self, values: Iterable[Any]) -> str:
        self.column += 1
        letter = get_column_letter(self.column)
        n = 0
        for n, v in enumerate(values, start=1):
            self.ws.cell(row=n, column=self.column, value=v)
        return f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${max(n, 1)}"


def _instructions(ws: Worksheet, spec: TemplateSpec, lists: _Lists, crs_value: str, cm_value: Any) -> None:
    ws["A1"] = spec.title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    choices = list(spec.crs_choices or DEFAULT_CRS_CHOICES)
    ws["A3"], ws["B3"] = CRS_LABEL, crs_value
    ws["A4"], ws["B4"] = CM_LABEL, cm_value
    ws["C3"] = "请选择坐标所用的坐标系；不确定时选“自动识别”，系统按数值判断并提示。"
    ws["C4"] = "仅“高斯-克吕格（不带带号）”需要：攀枝花为 102。"
    for ref in ("A3", "A4"):
        ws[ref].font = _BOLD
    for ref in ("B3", "B4"):
        ws[ref].fill = _REQUIRED_FILL
    crs_list = DataValidation(type="list", formula1=lists.add([AUTO_LABEL, *(label for _c, label in choices)]))
    crs_list.error, crs_list.errorTitle = "请从下拉列表中选择坐标系", "坐标系"
    cm_list = DataValidation(type="list", formula1=lists.add(range(75, 136, 3)), allow_blank=True)
    ws.add_data_validation(crs_list)
    ws.add_data_validation(cm_list)
    crs_list.add("B3")
    cm_list.add("B4")
    title = quote_sheetname(ws.title)
    ws.parent.defined_names[CRS_NAME] = DefinedName(CRS_NAME, attr_text=f"{title}!$B$3")
    ws.parent.defined_names[CM_NAME] = DefinedName(CM_NAME, attr_text=f"{title}!$B$4")
    general = (
        *spec.instructions,
        "每个工作表对应一类要素；请勿修改表头（第 3 行）和工作表名称。",
        f"以“{EXAMPLE_PREFIX}”开头的行是填写示例，导入时自动跳过，可保留或删除。",
        "线要素（管线、沟渠）每个顶点一行，顶点序号按水流方向从上游到下游；面要素每个顶点一行。",
        "坐标可填十进制度（101.7203）、度分秒（101°43′12.5″）或高斯-克吕格米制坐标；经纬度颠倒会被提示。",
        "带 * 的列必填；有下拉箭头的列请从列表中选择。",
        "填好后在系统中上传本文件，预览核对无误后提交；出错时可下载错误报告，改正后重新上传。",
    )
    row = 6
    ws.cell(row=row, column=1, value="填写说明").font = _BOLD
    for i, text in enumerate(general, start=1):
        ws.cell(row=row + i, column=1, value=f"{i}. {text}")
    row += len(general) + 2
    for j, head in enumerate(("工作表", "列", "单位", "必填", "可选值", "说明"), start=1):
        c = ws.cell(row=row, column=j, value=head)
        c.font, c.fill = _BOLD, _HEADER_FILL
    for sheet in spec.sheets:
        for col in sheet_columns(sheet):
            row += 1
            allowed = "、".join(label for _c, label in col.choices) if col.kind == "enum" else ""
            allowed = f"{YES}、{NO}" if col.kind == "boolean" else allowed
            values = (sheet.name, col.label, col.unit or "", YES if col.required else "", allowed, col.help or "")
            for j, v in enumerate(values, start=1):
                ws.cell(row=row, column=j, value=v)
    for letter, width in zip("ABCDEF", (16, 28, 10, 8, 40, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["B"].width = 44


def _data_sheet(
    ws: Worksheet, spec: TemplateSpec, sheet: SheetSpec, lists: _Lists, rows: list[dict[str, Any]], examples: bool
) -> None:
    columns = sheet_columns(sheet)
    if any(WKT in r for r in rows):
        columns.append(WKT_COLUMN)
    known = {c.code for c in columns}
    # attributes without a column of their own keep their key as the header (read back under the same key)
    columns += [ColumnSpec(k, k) for k in dict.fromkeys(k for r in rows for k in r) if k not in known]
    ws["A1"] = f"{spec.title}：{sheet.name}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = GEOMETRY_HINTS[sheet.geometry] + f"“{EXAMPLE_PREFIX}”开头的行为示例，导入时跳过。"
    ws["A2"].font = Font(color="808080")
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=header_label(col))
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col.help:
            cell.comment = Comment(col.help, "模板")
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(12, min(40, 2 * len(header_label(col)) + 4))
        ref = f"{letter}{HEADER_ROW + 1}:{letter}{LAST_ROW}"
        dv: DataValidation | None = None
        if col.kind == "enum" and col.choices:
            dv = DataValidation(type="list", formula1=lists.add(label for _c, label in col.choices), allow_blank=True)
            dv.error = "请从下拉列表中选择：" + "、".join(label for _c, label in col.choices)[:200]
        elif col.kind == "boolean":
            dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
            dv.error = f"请填“{YES}”或“{NO}”"
        elif col.kind == "number" and col.code not in (X, Y):
            dv = DataValidation(
                type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True
            )
            dv.error = "请填数字"
        elif col.kind == "integer" and col.code not in (X, Y):
            dv = DataValidation(type="whole", operator="between", formula1="-1000000000", formula2="1000000000")
            dv.allow_blank, dv.error = True, "请填整数"
        elif col.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            dv.error = "请填日期，如 2024-05-01"
        if dv is not None:
            dv.showErrorMessage = True
            dv.errorTitle = col.label
            ws.add_data_validation(dv)
            dv.add(ref)
        if col.kind == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    by_code = {c.code: c for c in columns}
    row_number = HEADER_ROW
    source = [dict(e) for e in sheet.examples] if examples else rows
    for values in source:
        row_number += 1
        if examples and not str(values.get(NAME, "")).startswith(EXAMPLE_PREFIX):
            values[NAME] = f"{EXAMPLE_PREFIX}：{values.get(NAME) or sheet.name}"
        for j, col in enumerate(columns, start=1):
            value = cell_text.sheet_value(_cell_value(values.get(col.code), by_code[col.code]))
            cell = ws.cell(row=row_number, column=j, value=value)
            if examples:
                cell.font = _EXAMPLE_FONT
            if col.kind == "date":
                cell.number_format = "yyyy-mm-dd"


def build_workbook(
    spec: TemplateSpec,
    data: dict[str, list[dict[str, Any]]] | None = None,
    *,
    crs: str | None = None,
) -> Workbook:
    """The template workbook; with `data` (rows keyed by column code, per SheetSpec name) filled instead of
    examples and the coordinate-system cell set to `crs` (a choice code or label)."""
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    lists_ws = wb.create_sheet(LISTS_SHEET)
    lists_ws.sheet_state = "hidden"
    lists = _Lists(lists_ws)
    choices = dict(spec.crs_choices or DEFAULT_CRS_CHOICES)
    crs_value = AUTO_LABEL if crs is None else choices.get(crs, crs)
    _instructions(ws, spec, lists, crs_value, None)
    for sheet in spec.sheets:
        data_ws = wb.create_sheet(sheet.name[:31])
        rows = (data or {}).get(sheet.name, [])
        _data_sheet(data_ws, spec, sheet, lists, rows, examples=data is None)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    return cell_text.workbook_bytes(wb)


def write_template(spec: TemplateSpec) -> bytes:
    """An XLSX template for `spec`: instructions in Chinese with the coordinate-system choice, one sheet per
    SheetSpec with headers, units, drop-down lists, validation and example rows the reader skips."""
    return workbook_bytes(build_workbook(spec))
