"""Templates, exports and error reports: a template filled as a user would comes back; every export format
re-imports to equal geometries and attributes (issue 4 §1, §4, §7)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from gis.formats.layout import CM_NAME, CRS_NAME, INSTRUCTIONS_SHEET, LISTS_SHEET
from gis.formats.model import Problem, Where
from gis.formats.report import error_report
from gis.formats.template import write_template
from gis.formats.write import OutLayer, short_field_names, write_layers
from tests.formats_util import SPEC, codes, read

A = (101.718123456789, 26.582987654321)
B = (101.7215, 26.5848)
C = (101.7251, 26.5809)
D = (101.7301, 26.5901)


def layers() -> list[OutLayer]:
    hole = Polygon(
        [(101.70, 26.50), (101.72, 26.50), (101.72, 26.52), (101.70, 26.52)],
        [[(101.705, 26.505), (101.706, 26.505), (101.706, 26.506)]],
    )
    return [
        OutLayer(
            "地下水监测井",
            [
                (Point(*A), {"name": "1号井", "role": "background", "depth_m": 35.5, "sample_count": 4}),
                (Point(*B), {"name": "2号井", "role": "monitoring", "depth_m": 12.25, "sample_count": 2}),
            ],
            "point",
        ),
        OutLayer("渗滤液收集管", [(LineString([A, B, C]), {"name": "1号管", "diameter_mm": 300.0})], "line"),
        OutLayer(
            "防渗区",
            [
                (Polygon([A, B, C, D]), {"name": "东区", "hdpe_mm": 2.0}),
                (hole, {"name": "带洞区", "hdpe_mm": 1.5}),
                (
                    MultiPolygon([Polygon([A, B, C]), Polygon([(101.75, 26.6), (101.76, 26.6), (101.76, 26.61)])]),
                    {"name": "两块"},
                ),
            ],
            "polygon",
        ),
    ]


def by_name(result):
    return {f.properties["name"]: f for f in result.features}


def same_geometry(got, expected):
    assert got is not None
    assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(expected), tolerance=1e-9), (
        got.wkt,
        expected.wkt,
    )


@pytest.mark.parametrize(
    ("fmt", "filename", "spec"),
    [
        ("gpkg", "export.gpkg", None),
        ("shapefile", "export.zip", None),
        ("geojson", "export.geojson", None),
        ("kml", "export.kml", None),
        ("xlsx", "export.xlsx", None),
        ("xlsx", "export.xlsx", SPEC),
    ],
)
def test_export_then_import_gives_the_same_data(fmt, filename, spec):
    out = layers()
    data = write_layers(out, fmt, spec=spec)
    result = read(filename, data, spec=spec)
    assert result.ok, result.all_problems()
    # a sheet made without a template has no place for the system: detected, and said so
    assert codes(result) == (["crs_detected"] if fmt == "xlsx" and spec is None else []), result.all_problems()
    assert result.crs in ("cgcs2000", "EPSG:4490", "wgs84")
    got = by_name(result)
    assert len(result.features) == sum(len(layer.features) for layer in out)
    for layer in out:
        for geom, props in layer.features:
            f = got[props["name"]]
            same_geometry(f.geometry, geom)
            assert f.layer == layer.name
            assert f.properties == props, (fmt, f.properties, props)


def test_shapefile_export_shortens_long_field_names_and_restores_them():
    layer = OutLayer("井", [(Point(*A), {"name": "a", "sampling_frequency": "季度", "地下水含水层": "潜水"})])
    data = write_layers([layer], "shapefile")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        assert {"井.shp", "井.shx", "井.dbf", "井.prj", "井.cpg", "tailings_layers.json"} <= names
        assert zf.read("井.cpg").strip().upper().startswith(b"UTF-8")
    import geopandas as gpd

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall("/tmp/tailings-test-shp")
    raw = gpd.read_file("/tmp/tailings-test-shp/井.shp")
    assert all(len(c.encode()) <= 10 for c in raw.columns if c != "geometry")
    result = read("w.zip", data)
    assert result.features[0].properties == {"name": "a", "sampling_frequency": "季度", "地下水含水层": "潜水"}


def test_short_field_names_are_unique_within_ten_bytes():
    m = short_field_names(["sampling_frequency", "sampling_frequency_2", "Name", "name", "防渗膜厚度毫米"])
    assert len({v.lower() for v in m.values()}) == 5
    assert all(len(v.encode()) <= 10 for v in m.values())


def test_mixed_geometry_layer_to_shapefile_makes_one_file_per_type():
    layer = OutLayer("混合", [(Point(*A), {"name": "p"}), (LineString([A, B]), {"name": "l"})])
    data = write_layers([layer], "shapefile")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {"混合_point.shp", "混合_line.shp"} <= set(zf.namelist())
    result = read("m.zip", data)
    assert {f.layer for f in result.features} == {"混合"}
    assert {f.properties["name"]: f.geometry.geom_type for f in result.features} == {"p": "Point", "l": "LineString"}


# --- template --------------------------------------------------------------------------------------------


def test_template_layout():
    wb = openpyxl.load_workbook(io.BytesIO(write_template(SPEC)))
    assert wb.sheetnames[0] == INSTRUCTIONS_SHEET and wb.active.title == INSTRUCTIONS_SHEET
    assert wb.sheetnames[1:4] == ["地下水监测井", "渗滤液收集管", "防渗区"]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb.defined_names[CRS_NAME].attr_text == f"'{INSTRUCTIONS_SHEET}'!$B$3"
    assert wb.defined_names[CM_NAME].attr_text == f"'{INSTRUCTIONS_SHEET}'!$B$4"
    info = wb[INSTRUCTIONS_SHEET]
    assert info["A3"].value == "坐标系" and info["B3"].value == "自动识别"
    texts = " ".join(str(c.value) for row in info.iter_rows() for c in row if c.value)
    assert "示例" in texts and "水流方向" in texts and "度分秒" in texts
    crs_dv = next(dv for dv in info.data_validations.dataValidation if "B3" in str(dv.sqref))
    choices = [
        c.value for c in wb[LISTS_SHEET][crs_dv.formula1.split("!")[1].replace("$", "").split(":")[0][0]] if c.value
    ]
    assert choices[0] == "自动识别" and "高斯-克吕格 3度带 102°（不带带号）" in choices
    wells = wb["地下水监测井"]
    header = [c.value for c in wells[3]]
    assert header == ["名称*", "经度/X*", "纬度/Y*", "功能", "井深（m）", "是否有井盖", "建成日期", "含水层"]
    assert wells.freeze_panes == "A4"
    assert wells["A4"].value.startswith("示例") and wells["A4"].font.i
    assert wells["D4"].value == "背景井"  # enum written as its label
    validations = {str(dv.sqref).split(":")[0]: dv for dv in wells.data_validations.dataValidation}
    assert validations["D4"].type == "list" and validations["F4"].formula1 == '"是,否"'
    assert validations["E4"].type == "decimal" and validations["G4"].type == "date"
    assert "B4" not in validations  # coordinates may be degrees-minutes-seconds text
    assert wells.column_dimensions["A"].width >= 12
    pipes = wb["渗滤液收集管"]
    assert [c.value for c in pipes[3]][:2] == ["名称*", "顶点序号"]
    assert [pipes["A4"].value, pipes["A5"].value] == ["示例：1号管", "示例：1号管"]
    # the unfilled template imports nothing: examples are never data
    assert codes(read("t.xlsx", write_template(SPEC), spec=SPEC)) == ["file_no_features"]


def test_template_filled_as_a_user_would_reads_back():
    wb = openpyxl.load_workbook(io.BytesIO(write_template(SPEC)))
    wb[INSTRUCTIONS_SHEET]["B3"] = "高斯-克吕格 3度带 102°（不带带号）"
    from gis.coords import CoordinateSystem, from_cgcs2000

    gx, gy = from_cgcs2000(*A, CoordinateSystem.gk3, 102)
    wb["地下水监测井"].append(["1号井", gx, gy, "扩散井", 40, "否", None, "承压水"])
    pipes = wb["渗滤液收集管"]
    for i, p in enumerate((A, B, C), start=1):
        pipes.append(["截渗管", i, *from_cgcs2000(*p, CoordinateSystem.gk3, 102), 200 if i == 1 else None])
    out = io.BytesIO()
    wb.save(out)
    result = read("filled.xlsx", out.getvalue(), spec=SPEC)
    assert result.ok and codes(result) == [] and result.crs == "gk3:102"
    got = by_name(result)
    assert got["1号井"].properties == {
        "name": "1号井",
        "role": "diffusion",
        "depth_m": 40,
        "lined": False,
        "aquifer": "承压水",
    }
    assert got["1号井"].where.row == 5
    assert abs(shapely.get_coordinates(got["1号井"].geometry) - [A]).max() < 1e-9
    assert abs(shapely.get_coordinates(got["截渗管"].geometry) - [A, B, C]).max() < 1e-9
    assert got["截渗管"].properties == {"name": "截渗管", "diameter_mm": 200}


# --- error report ----------------------------------------------------------------------------------------


def translate(p: Problem) -> str:
    from app.i18n import t

    return t(p.code, "zh", **p.params)


def test_error_report_marks_the_users_own_workbook():
    data = write_layers(layers()[:1], "xlsx", spec=SPEC)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb["地下水监测井"]["B4"] = "abc"
    out = io.BytesIO()
    wb.save(out)
    result = read("wells.xlsx", out.getvalue(), spec=SPEC)
    problems = result.all_problems() + [
        Problem(Where("wells.xlsx", "地下水监测井", 5, "井深（m）"), "crs_unknown", {"value": "x"}, "warning")
    ]
    report = error_report("wells.xlsx", out.getvalue(), problems, translate)
    wb = openpyxl.load_workbook(io.BytesIO(report))
    ws = wb["地下水监测井"]
    header = [c.value for c in ws[3]]
    col = header.index("错误说明") + 1
    assert "无法识别的坐标“abc”" in ws.cell(row=4, column=col).value
    assert ws["B4"].fill.fgColor.rgb.endswith("FFC7CE")  # the faulty cell is highlighted
    assert "无法识别的坐标系" in ws.cell(row=5, column=col).value
    assert ws.cell(row=5, column=5).fill.fgColor.rgb.endswith("FFEB9C")
    assert ws["A5"].value == "2号井"  # the user's data is untouched
    assert wb.sheetnames[0] == "错误汇总"
    summary = [[c.value for c in row] for row in wb["错误汇总"].iter_rows(min_row=2)]
    assert summary[0][:4] == ["wells.xlsx", "地下水监测井", 4, "经度/X*"]


def test_error_report_for_other_formats_is_a_table():
    result = read("bad.csv", "名称,经度,纬度\nA,101.7,26.5\nB,x,26.5\n".encode())
    report = error_report("bad.csv", b"", result.all_problems(), translate)
    ws = openpyxl.load_workbook(io.BytesIO(report)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:5] == ["文件", "工作表/图层", "行", "列", "错误说明"]
    assert any(r[2] == 3 and r[3] == "经度" and "x" in r[4] for r in rows[1:])


def test_a_registry_template_without_geometry_reads_rows():
    from gis.formats.model import ColumnSpec, SheetSpec, TemplateSpec

    registry = TemplateSpec(
        title="尾矿库名录",
        sheets=(
            SheetSpec(
                "尾矿库名录",
                "ponds",
                "none",
                (
                    ColumnSpec("code", "尾矿库编码", required=True),
                    ColumnSpec("name", "名称", required=True),
                    ColumnSpec("level", "等别", kind="enum", choices=(("1", "一等"), ("2", "二等"))),
                    ColumnSpec("x", "经度"),
                    ColumnSpec("y", "纬度"),
                ),
                ({"code": "510400-001", "name": "示例：某尾矿库", "level": "2"},),
            ),
        ),
    )
    wb = openpyxl.load_workbook(io.BytesIO(write_template(registry)))
    wb["尾矿库名录"].append(["510400-002", "新山尾矿库", "一等", *A])
    wb["尾矿库名录"].append(["510400-003", "无位置尾矿库", "二等"])
    out = io.BytesIO()
    wb.save(out)
    result = read("ponds.xlsx", out.getvalue(), spec=registry, crs="cgcs2000")
    assert result.ok and codes(result) == []
    one, two = result.features
    assert one.properties == {"code": "510400-002", "name": "新山尾矿库", "level": "1"}
    assert abs(one.geometry.x - A[0]) < 1e-12 and two.geometry is None


def test_error_report_for_a_csv_gives_its_rows_with_the_error_column():
    data = "名称,经度,纬度\nA,101.7,26.5\nB,x,26.5\n".encode("gbk")
    result = read("bad.csv", data)
    ws = openpyxl.load_workbook(io.BytesIO(error_report("bad.csv", data, result.all_problems(), translate)))["数据"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["名称", "经度", "纬度", "错误说明"]
    assert rows[2][:3] == ["B", "x", "26.5"] and "无法识别的坐标“x”" in rows[2][3]
    assert ws["B3"].fill.fgColor.rgb.endswith("FFC7CE")
