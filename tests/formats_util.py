"""Helpers for the file-format tests: workbooks as openpyxl writes them, zips, a small template spec, and a
reader wrapper that checks every problem code it sees has a message in both languages."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl

from app.i18n import MESSAGES
from gis.formats.model import ColumnSpec, ReadResult, SheetSpec, TemplateSpec
from gis.formats.read import read_upload

WELLS = SheetSpec(
    name="地下水监测井",
    key="groundwater_well",
    geometry="point",
    columns=(
        ColumnSpec("name", "名称", ("Name",), required=True),
        ColumnSpec("x", "经度/X", ("lon",), kind="number", required=True),
        ColumnSpec("y", "纬度/Y", ("lat",), kind="number", required=True),
        ColumnSpec(
            "role",
            "功能",
            ("role",),
            kind="enum",
            choices=(("background", "背景井"), ("monitoring", "监测井"), ("diffusion", "扩散井")),
        ),
        ColumnSpec("depth_m", "井深", ("depth",), kind="number", unit="m"),
        ColumnSpec("lined", "是否有井盖", kind="boolean"),
        ColumnSpec("built_on", "建成日期", kind="date"),
        ColumnSpec("aquifer", "含水层", kind="text"),
    ),
    examples=({"name": "示例：1号背景井", "x": 101.71, "y": 26.58, "role": "background", "depth_m": 30},),
)
PIPES = SheetSpec(
    name="渗滤液收集管",
    key="leachate_pipe",
    geometry="line",
    columns=(
        ColumnSpec("name", "名称", required=True),
        ColumnSpec("vertex", "顶点序号", kind="integer"),
        ColumnSpec("x", "经度/X", kind="number", required=True),
        ColumnSpec("y", "纬度/Y", kind="number", required=True),
        ColumnSpec("diameter_mm", "管径", kind="number", unit="mm"),
    ),
    examples=(
        {"name": "示例：1号管", "vertex": 1, "x": 101.71, "y": 26.58, "diameter_mm": 300},
        {"name": "示例：1号管", "vertex": 2, "x": 101.712, "y": 26.581},
    ),
)
LINERS = SheetSpec(
    name="防渗区",
    key="liner_area",
    geometry="polygon",
    columns=(
        ColumnSpec("name", "名称", required=True),
        ColumnSpec("vertex", "顶点序号", kind="integer"),
        ColumnSpec("x", "经度/X", kind="number", required=True),
        ColumnSpec("y", "纬度/Y", kind="number", required=True),
        ColumnSpec("hdpe_mm", "HDPE膜厚度", kind="number", unit="mm"),
    ),
)
SPEC = TemplateSpec(
    title="尾矿库环境监管要素坐标填报模板",
    sheets=(WELLS, PIPES, LINERS),
    instructions=("每个要素一行；线和面每个顶点一行。",),
    crs_choices=(("cgcs2000", "CGCS2000 经纬度"), ("gk3:102", "高斯-克吕格 3度带 102°（不带带号）")),
)


def checked(result: ReadResult) -> ReadResult:
    """The result, after asserting every problem code has a zh and an en message."""
    for p in result.all_problems():
        assert p.code in MESSAGES, p.code
        assert MESSAGES[p.code].get("zh") and MESSAGES[p.code].get("en"), p.code
    return result


def read(filename: str, data: bytes, **kwargs: Any) -> ReadResult:
    return checked(read_upload(filename, data, **kwargs))


def codes(result: ReadResult) -> list[str]:
    return [p.code for p in result.all_problems()]


def workbook(sheets: dict[str, list[list[Any]]], settings: list[list[Any]] | None = None) -> bytes:
    """An XLSX written by openpyxl: one sheet per entry, rows as given; `settings` rows on a 填写说明 sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if settings is not None:
        ws = wb.create_sheet("填写说明")
        for row in settings:
            ws.append(row)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()
