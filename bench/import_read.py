"""Reading a 10,000-row point XLSX made from our template: the file-format half of an import.

Builds the template of one point sheet with openpyxl, fills 10,000 wells (Gauss-Kruger metres and decimal
degrees on alternate runs), and times `read_upload` (median of 5; the application adds validation and commit
to this). Run from the repository root: `.venv/bin/python -m bench.import_read [rows]`.
"""

from __future__ import annotations

import io
import statistics
import sys
import time

import openpyxl

from gis.coords import CoordinateSystem, from_cgcs2000
from gis.formats.layout import INSTRUCTIONS_SHEET
from gis.formats.model import ColumnSpec, SheetSpec, TemplateSpec
from gis.formats.read import read_upload
from gis.formats.template import write_template

ROUNDS = 5
SPEC = TemplateSpec(
    title="尾矿库环境监管要素坐标填报模板",
    sheets=(
        SheetSpec(
            name="地下水监测井",
            key="groundwater_well",
            geometry="point",
            columns=(
                ColumnSpec("name", "名称", required=True),
                ColumnSpec("x", "经度/X", kind="number", required=True),
                ColumnSpec("y", "纬度/Y", kind="number", required=True),
                ColumnSpec("role", "功能", kind="enum", choices=(("background", "背景井"), ("monitoring", "监测井"))),
                ColumnSpec("depth_m", "井深", kind="number", unit="m"),
                ColumnSpec("lined", "是否有井盖", kind="boolean"),
                ColumnSpec("aquifer", "含水层"),
                ColumnSpec("note", "备注"),
            ),
            examples=({"name": "示例：1号井", "x": 101.7, "y": 26.5},),
        ),
    ),
    crs_choices=(("cgcs2000", "CGCS2000 经纬度"), ("gk3:102", "高斯-克吕格 3度带 102°（不带带号）")),
)


def build(rows: int, gauss_kruger: bool) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(write_template(SPEC)))
    wb[INSTRUCTIONS_SHEET]["B3"] = SPEC.crs_choices[1 if gauss_kruger else 0][1]
    ws = wb["地下水监测井"]
    for i in range(rows):
        lon, lat = 101.2 + (i % 100) * 0.01, 26.2 + (i // 100) * 0.01
        x, y = from_cgcs2000(lon, lat, CoordinateSystem.gk3, 102) if gauss_kruger else (lon, lat)
        role, lined = ("监测井" if i % 2 else "背景井"), ("是" if i % 3 else "否")
        ws.append([f"{i}号井", x, y, role, 10 + i % 30, lined, "潜水", None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for gauss_kruger in (False, True):
        data = build(rows, gauss_kruger)
        times = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            result = read_upload("wells.xlsx", data, spec=SPEC)
            times.append(time.perf_counter() - t0)
        assert result.ok and len(result.features) == rows, result.problems[:3]
        median = statistics.median(times)
        label = "Gauss-Kruger gk3:102" if gauss_kruger else "CGCS2000 degrees"
        print(
            f"read_upload {rows:,} rows ({label}, {len(data) / 1e6:.2f} MB): median {median:.3f} s "
            f"over {ROUNDS} (min {min(times):.3f}, max {max(times):.3f}); {rows / median:,.0f} rows/s"
        )


if __name__ == "__main__":
    main()
