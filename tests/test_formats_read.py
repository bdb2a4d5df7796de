"""Reading uploads: CSV and XLSX per a template spec or free headers, every coordinate system, and the GIS
formats as their real writers produce them (issue 4 §2, §3)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import ezdxf
import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from gis.coords import CoordinateSystem, from_cgcs2000
from tests.formats_util import SPEC, codes, read, workbook, zipped

PZH = (101.1, 26.1, 102.3, 27.3)
# Panzhihua control points (CGCS2000 lon/lat)
A = (101.718, 26.582)
B = (101.7215, 26.5848)
C = (101.7251, 26.5809)
GK = {p: from_cgcs2000(*p, CoordinateSystem.gk3, 102) for p in (A, B, C)}
GKZ = {p: from_cgcs2000(*p, CoordinateSystem.gk3_zoned, 102) for p in (A, B, C)}


def near(geom, coords, tol=1e-7):
    got = shapely.get_coordinates(geom)
    assert len(got) == len(coords), (got, coords)
    for (x, y), (ex, ey) in zip(got, coords, strict=True):
        assert abs(x - ex) < tol and abs(y - ey) < tol, ((x, y), (ex, ey))


# --- CSV -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_delimiters(encoding, delimiter):
    rows = [
        ["名称", "经度", "纬度", "备注"],
        ["一号井", "101°43′4.8″", "26°34′55.2″", "上游"],
        ["二号井", B[0], B[1], ""],
    ]
    text = "\n".join(delimiter.join(str(c) for c in r) for r in rows) + "\n"
    result = read("wells.csv", text.encode(encoding))
    assert result.ok and result.format == "csv"
    assert [f.properties.get("name") for f in result.features] == ["一号井", "二号井"]
    assert result.features[0].properties["备注"] == "上游"
    near(result.features[0].geometry, [A])
    near(result.features[1].geometry, [B])
    assert result.features[1].where.row == 3
    # no system given: detected, and said so
    assert codes(result) == ["crs_detected"] and result.crs == "cgcs2000"


def test_csv_with_explicit_crs_and_surveyors_xy_order():
    # Chinese surveyors write X = northing, Y = easting: values tell, the user's system stands
    lines = ["点名,X,Y"] + [f"P{i},{GK[p][1]:.3f},{GK[p][0]:.3f}" for i, p in enumerate((A, B))]
    result = read("survey.csv", "\n".join(lines).encode(), crs="gk3:102")
    assert result.ok and result.crs == "gk3:102"
    assert codes(result) == ["axes_swapped"]
    near(result.features[0].geometry, [A], 1e-7)


def test_csv_row_problems_name_row_and_column():
    text = "名称,经度,纬度\nA,101.7,26.5\nB,abc,26.5\nC,,26.5\n"
    result = read("bad.csv", text.encode())
    assert not result.ok
    bad = {(p.where.row, p.where.column, p.code) for p in result.all_problems() if p.severity == "error"}
    assert bad == {(3, "经度", "coordinate_unreadable"), (4, "经度", "coordinate_missing")}
    assert result.features[0].geometry is not None and result.features[1].geometry is None


def test_undetectable_coordinates_are_a_file_error():
    result = read("odd.csv", b"name,x,y\nA,5,70000000\nB,6,80000000\n")
    assert "crs_undetectable" in codes(result) and not result.ok
    assert all(f.geometry is None for f in result.features)


def test_csv_without_coordinates_headers():
    result = read("list.csv", "名称,备注\nA,b\n".encode())
    assert codes(result) == ["header_not_found"]


def test_unknown_explicit_crs():
    assert codes(read("a.csv", b"name,lon,lat\nA,101.7,26.5\n", crs="EPSG:99999999")) == ["crs_unknown"]
    assert codes(read("a.csv", b"name,lon,lat\nA,101.7,26.5\n", crs="gk3")) == ["crs_meridian_missing"]


# --- XLSX with a template spec ---------------------------------------------------------------------------

TITLE = ["尾矿库环境监管要素坐标填报模板：地下水监测井"]
WELL_HEADER = ["名称*", "经度/X", "纬度/Y", "功能", "井深(m)", "是否有井盖", "建成日期", "含水层"]


def test_xlsx_points_per_spec_with_title_rows_units_examples_and_typed_values():
    import datetime as dt

    data = workbook(
        {
            "地下水监测井": [
                TITLE,
                ["说明：每口井一行"],
                WELL_HEADER,
                ["示例：1号背景井", 101.71, 26.58, "背景井", 30, "是", None, None],
                ["1号井", "101°43′4.8″E", "N26°34′55.2″", "背景井", 35.5, "是", dt.datetime(2021, 5, 1), 12],
                [None] * 8,
                ["2号井", B[0], B[1], "监测井", "12", "否", "2022-03-04", "潜水"],
            ]
        },
        settings=[["坐标系", "CGCS2000 经纬度"]],
    )
    result = read("wells.xlsx", data, spec=SPEC)
    assert result.ok, result.all_problems()
    assert result.crs == "cgcs2000" and codes(result) == []  # the template's choice: no detection warning
    assert [f.properties["name"] for f in result.features] == ["1号井", "2号井"]
    one, two = result.features
    assert one.layer == "地下水监测井" and one.where == type(one.where)("wells.xlsx", "地下水监测井", 5)
    near(one.geometry, [A])
    assert one.properties == {
        "name": "1号井",
        "role": "background",
        "depth_m": 35.5,
        "lined": True,
        "built_on": dt.date(2021, 5, 1),
        "aquifer": "12",
    }
    assert two.properties["lined"] is False and two.properties["depth_m"] == 12.0
    assert two.properties["built_on"] == dt.date(2022, 3, 4)


def test_xlsx_lines_keep_vertex_order_and_polygons_close():
    pipe_rows = [
        ["名称", "顶点序号", "经度/X", "纬度/Y", "管径(mm)"],
        ["示例：1号管", 1, 101.71, 26.58, 300],
        ["1号管", 3, *C, None],
        [None, 1, *A, 300],  # a blank name continues the element above
        ["1号管", 2, *B, None],
        ["2号管", None, *C, 200],
        ["2号管", None, *A, None],
    ]
    liner_rows = [
        ["名称", "经度/X", "纬度/Y", "HDPE膜厚度（mm）"],
        ["东区", *A, 2],
        ["东区", *B, None],
        ["东区", *C, None],
    ]
    data = workbook({"渗滤液收集管": pipe_rows, "防渗区": liner_rows})
    result = read("lines.xlsx", data, spec=SPEC)
    assert result.ok, result.all_problems()
    by_name = {f.properties["name"]: f for f in result.features}
    assert set(by_name) == {"1号管", "2号管", "东区"}
    assert by_name["1号管"].geometry.geom_type == "LineString"
    near(by_name["1号管"].geometry, [A, B, C])  # ordered by vertex: the flow direction
    assert by_name["1号管"].properties == {"name": "1号管", "diameter_mm": 300}
    assert by_name["1号管"].where.row == 3
    near(by_name["2号管"].geometry, [C, A])  # row order when no vertex numbers
    ring = by_name["东区"].geometry
    assert ring.geom_type == "Polygon" and ring.exterior.is_closed
    near(ring, [A, B, C, A])
    assert by_name["东区"].properties["hdpe_mm"] == 2


def test_xlsx_vertex_problems():
    rows = [
        ["名称", "顶点序号", "经度/X", "纬度/Y"],
        ["1号管", 1, *A],
        ["1号管", 1, *B],
        ["2号管", 1, *A],
        ["2号管", 2, *A],
        ["3号管", "x", *A],
        ["3号管", 2, *B],
    ]
    result = read("v.xlsx", workbook({"渗滤液收集管": rows}), spec=SPEC)
    found = {(p.code, p.where.row) for p in result.all_problems() if p.severity == "error"}
    assert ("vertex_duplicate", 3) in found
    assert ("geometry_too_few_points", 4) in found
    assert ("vertex_unreadable", 6) in found
    assert all(f.geometry is None for f in result.features)


def test_invalid_polygon_is_repaired_with_a_warning():
    bowtie = [
        ["名称", "经度/X", "纬度/Y"],
        ["8字", 101.70, 26.50],
        ["8字", 101.71, 26.51],
        ["8字", 101.71, 26.50],
        ["8字", 101.70, 26.51],
    ]
    result = read("bowtie.xlsx", workbook({"防渗区": bowtie}), spec=SPEC, crs="cgcs2000")
    assert result.ok
    (f,) = result.features
    (p,) = f.problems
    assert p.code == "geometry_repaired" and p.severity == "warning" and "Self-intersection" in p.params["reason"]
    assert f.geometry.is_valid and f.geometry.geom_type == "MultiPolygon"


def test_crs_precedence_explicit_over_template_over_detection():
    rows = [["名称", "经度/X", "纬度/Y"], ["1号井", *GK[A]]]
    settings = [["坐标系", "高斯-克吕格 3度带 102°（不带带号）"]]
    from_template = read("gk.xlsx", workbook({"地下水监测井": rows}, settings), spec=SPEC)
    assert from_template.crs == "gk3:102" and codes(from_template) == []
    near(from_template.features[0].geometry, [A], 1e-8)
    # the user's explicit choice wins even over the template (here: wrongly, so the point lands elsewhere)
    explicit = read("gk.xlsx", workbook({"地下水监测井": rows}, settings), spec=SPEC, crs="gk3:105")
    assert explicit.crs == "gk3:105"
    assert abs(explicit.features[0].geometry.x - A[0]) > 1
    # 自动识别 (auto) leaves it to detection, said as a warning
    auto = read("gk.xlsx", workbook({"地下水监测井": rows}, [["坐标系", "自动识别"]]), spec=SPEC, region_bounds=PZH)
    assert auto.crs == "gk3:102" and codes(auto) == ["crs_detected"]


def test_zoned_gauss_kruger_and_gcj02():
    rows = [["名称", "X", "Y"], ["A", *GKZ[A]], ["B", *GKZ[B]]]
    result = read("z.xlsx", workbook({"井": rows}))
    assert result.crs == "gk3_zoned"
    near(result.features[1].geometry, [B], 1e-8)
    gcj = [from_cgcs2000(*A, CoordinateSystem.gcj02)]
    result = read("phone.csv", f"name,lng,lat\nA,{gcj[0][0]},{gcj[0][1]}\n".encode(), crs="gcj02")
    near(result.features[0].geometry, [A], 1e-8)


def test_free_workbook_swapped_lat_lon_is_detected():
    rows = [["名称", "纬度", "经度"], ["A", A[0], A[1]]]  # headers say lat/lon, values are lon/lat
    result = read("free.xlsx", workbook({"Sheet1": rows}))
    assert result.ok and codes(result) == ["crs_detected"]
    assert result.problems[0].params["swapped"] is True
    near(result.features[0].geometry, [A])


def test_required_column_missing_and_unrecognised_sheet():
    rows = [["经度/X", "纬度/Y", "井深"], [*A, 3]]
    data = workbook({"地下水监测井": rows, "备忘": [["随便写的"]]})
    result = read("m.xlsx", data, spec=SPEC)
    assert ("column_missing", "error") in {(p.code, p.severity) for p in result.problems}
    assert ("sheet_unrecognised", "warning") in {(p.code, p.severity) for p in result.problems}


def test_too_many_rows_is_a_limit_message():
    from gis.formats.safety import Limits

    text = "name,lon,lat\n" + "".join(f"P{i},101.7,26.5\n" for i in range(50))
    result = read("big.csv", text.encode(), limits=Limits(max_rows=10))
    assert codes(result) == ["too_many_rows"]


# --- GIS formats by their real writers -------------------------------------------------------------------

WELLS_GDF = gpd.GeoDataFrame(
    {"名称": ["一号井", "二号井"], "depth": [30.5, 12.0], "role": ["background", "monitoring"]},
    geometry=[Point(*A), Point(*B)],
    crs=4490,
)


def shapefile_zip(
    tmp: Path, gdf: gpd.GeoDataFrame, name: str = "wells", *, encoding="UTF-8", cpg=True, prj=True
) -> bytes:
    folder = tmp / name
    folder.mkdir()
    gdf.to_file(folder / f"{name}.shp", encoding=encoding)
    members = {}
    for f in folder.iterdir():
        if (f.suffix == ".cpg" and not cpg) or (f.suffix == ".prj" and not prj):
            continue
        members[f.name] = f.read_bytes()
    return zipped(members)


def test_shapefile_with_prj_and_cpg(tmp_path: Path):
    data = shapefile_zip(tmp_path, WELLS_GDF.to_crs(4543))
    result = read("wells.zip", data)
    assert result.ok and codes(result) == [] and result.crs == "EPSG:4543"
    assert [f.properties["名称"] for f in result.features] == ["一号井", "二号井"]
    assert result.features[0].layer == "wells" and result.features[0].where.row == 1
    near(result.features[0].geometry, [A], 1e-8)


def test_shapefile_gbk_without_cpg_or_prj(tmp_path: Path):
    data = shapefile_zip(tmp_path, WELLS_GDF.to_crs(4543), encoding="GBK", cpg=False, prj=False)
    result = read("gbk.zip", data, crs="gk3:102")
    assert result.ok
    assert "shapefile_encoding_guessed" in codes(result)
    assert [f.properties["名称"] for f in result.features] == ["一号井", "二号井"]
    near(result.features[1].geometry, [B], 1e-8)
    detected = read("gbk.zip", data, region_bounds=PZH)  # the meridian of the region's zone
    assert detected.crs == "gk3:102" and "crs_detected" in codes(detected)


def test_shapefile_missing_dbf(tmp_path: Path):
    data = shapefile_zip(tmp_path, WELLS_GDF)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if not n.endswith(".dbf")}
    result = read("nodbf.zip", zipped(members))
    assert "shapefile_part_missing" in codes(result) and not result.ok


def test_geopackage_every_layer_with_its_crs_and_z_dropped(tmp_path: Path):
    path = tmp_path / "pond.gpkg"
    WELLS_GDF.to_file(path, layer="wells")
    pipes = gpd.GeoDataFrame({"name": ["p"]}, geometry=[LineString([(*A, 1100.0), (*B, 1090.0)])], crs=4490)
    pipes.to_crs(4543).to_file(path, layer="pipes")
    result = read("pond.gpkg", path.read_bytes())
    assert result.ok and codes(result) == ["z_dropped"]
    assert [f.layer for f in result.features] == ["wells", "wells", "pipes"]
    assert not result.features[2].geometry.has_z
    near(result.features[2].geometry, [A, B], 1e-8)


def test_geojson_with_a_legacy_crs_member_and_explicit_override():
    gk = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4543"}},
        "features": [
            {"type": "Feature", "properties": {"name": "a"}, "geometry": {"type": "Point", "coordinates": list(GK[A])}},
            {"type": "Feature", "properties": {"name": "bad"}, "geometry": {"type": "Point", "coordinates": "x"}},
            {"type": "Feature", "properties": {"name": "none"}, "geometry": None},
        ],
    }
    result = read("gk.geojson", json.dumps(gk).encode())
    assert result.crs == "EPSG:4543"
    near(result.features[0].geometry, [A], 1e-8)
    assert [p.code for p in result.features[1].problems] == ["geometry_unreadable"]
    assert [p.code for p in result.features[2].problems] == ["feature_geometry_missing"]
    assert result.features[1].where.row == 2
    plain = WELLS_GDF.to_json()
    result = read("w.geojson", plain.encode(), crs="wgs84")
    assert result.ok and codes(result) == [] and result.features[0].properties["名称"] == "一号井"


def test_kml_and_kmz_written_by_gdal(tmp_path: Path):
    path = tmp_path / "wells.kml"
    WELLS_GDF.to_file(path, driver="KML", layer="监测井")
    result = read("wells.kml", path.read_bytes())
    assert result.ok and result.crs == "wgs84"
    assert {f.layer for f in result.features} == {"监测井"}
    assert result.features[0].properties["名称"] == "一号井"
    assert result.features[0].properties["depth"] == 30.5  # typed by the KML schema
    near(result.features[1].geometry, [B], 1e-9)
    kmz = zipped({"doc.kml": path.read_bytes()})
    assert read("wells.kmz", kmz).features[0].properties["role"] == "background"


def test_kml_folders_extended_data_and_polygons():
    kml = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>一张图</name>
<Folder><name>防渗区</name><Placemark><name>东区</name>
<ExtendedData><Data name="hdpe_mm"><value>2</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing>
<coordinates>{A[0]},{A[1]},0 {B[0]},{B[1]},0 {C[0]},{C[1]},0 {A[0]},{A[1]},0</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark></Folder>
<Folder><name>管线</name><Placemark><name>1号管</name>
<LineString><coordinates>{A[0]},{A[1]} {B[0]},{B[1]}</coordinates></LineString></Placemark>
<Placemark><name>坏的</name><LineString><coordinates>abc</coordinates></LineString></Placemark></Folder>
</Document></kml>"""
    result = read("a.kml", kml.encode())
    by_name = {f.properties["name"]: f for f in result.features}
    assert by_name["东区"].layer == "防渗区" and by_name["东区"].properties["hdpe_mm"] == "2"
    assert by_name["东区"].geometry.geom_type == "Polygon"
    assert by_name["1号管"].layer == "管线"
    assert [p.code for p in by_name["坏的"].problems] == ["geometry_unreadable"]
    assert "z_dropped" in codes(result)


def test_dxf_layers_in_gauss_kruger(tmp_path: Path):
    doc = ezdxf.new()
    msp = doc.modelspace()
    ax, ay = GKZ[A]
    bx, by = GKZ[B]
    cx, cy = GKZ[C]
    msp.add_point((ax, ay, 1100), dxfattribs={"layer": "监测井"})
    block = doc.blocks.new("WELL")
    block.add_attdef("NAME", (0, 0))
    msp.add_blockref("WELL", (bx, by), dxfattribs={"layer": "监测井"}).add_attrib("NAME", "二号井")
    msp.add_lwpolyline([(ax, ay), (bx, by), (cx, cy)], close=True, dxfattribs={"layer": "防渗区"})
    msp.add_lwpolyline([(ax, ay), (bx, by), (cx, cy)], dxfattribs={"layer": "截洪沟"})
    msp.add_line((ax, ay), (cx, cy), dxfattribs={"layer": "管线"})
    msp.add_polyline3d([(ax, ay, 1), (bx, by, 2)], dxfattribs={"layer": "管线"})
    msp.add_text("说明", dxfattribs={"layer": "注记"})  # far from any point: names nothing
    msp.add_text("1号井", dxfattribs={"layer": "注记", "insert": (ax + 3, ay + 2)})  # beside the well: its name
    path = tmp_path / "pond.dxf"
    doc.saveas(path)
    result = read("pond.dxf", path.read_bytes())
    assert result.ok and result.crs == "gk3_zoned"
    assert "crs_detected" in codes(result) and "dxf_entities_skipped" in codes(result)
    by_layer: dict[str, list] = {}
    for f in result.features:
        by_layer.setdefault(f.layer, []).append(f)
    near(by_layer["监测井"][0].geometry, [A], 1e-8)
    assert by_layer["监测井"][0].properties["name"] == "1号井"
    assert "name" not in by_layer["监测井"][1].properties  # named by its block attribute instead
    assert "注记" not in by_layer
    skipped = next(p for p in result.problems if p.code == "dxf_entities_skipped")
    assert skipped.params == {"types": "TEXT", "count": 1}
    assert by_layer["监测井"][1].properties["NAME"] == "二号井"
    assert by_layer["防渗区"][0].geometry.geom_type == "Polygon"
    near(by_layer["截洪沟"][0].geometry, [A, B, C], 1e-8)  # drawing order kept: flow direction
    assert [f.geometry.geom_type for f in by_layer["管线"]] == ["LineString", "LineString"]
    explicit = read("pond.dxf", path.read_bytes(), crs="EPSG:4522")
    assert explicit.crs == "EPSG:4522"
    near(explicit.features[0].geometry, [A], 1e-8)


def test_degenerate_geometries_are_errors():
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [list(A), list(A)]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[list(A), list(B), list(A), list(A)]]},
            },
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": []}},
        ],
    }
    result = read("d.geojson", json.dumps(fc).encode(), crs="cgcs2000")
    assert [p.code for f in result.features for p in f.problems] == [
        "geometry_degenerate",
        "geometry_degenerate",
        "geometry_empty_feature",
    ]
    assert not result.ok


def test_polygon_helper_shapes():
    assert Polygon([A, B, C]).is_valid


def test_a_sheet_over_the_row_limit_is_refused_with_the_limit():
    from gis.formats.safety import Limits

    rows = [["名称", "经度", "纬度"]] + [[f"P{i}", 101.7, 26.5] for i in range(60)]
    result = read("big.xlsx", workbook({"井": rows}), limits=Limits(max_rows=20))
    assert codes(result) == ["too_many_rows"]
    assert result.problems[0].params == {"file": "big.xlsx", "sheet": "井", "limit": 20}


def test_shapefile_with_a_gbk_cpg_and_geojson_with_swapped_axes(tmp_path: Path):
    data = shapefile_zip(tmp_path, WELLS_GDF, encoding="GBK")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("wells.cpg").strip().upper() in (b"GBK", b"CP936", b"936")
    result = read("gbk.zip", data)
    assert result.ok and codes(result) == [] and result.features[1].properties["名称"] == "二号井"
    swapped = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [A[1], A[0]]}}],
    }
    result = read("swapped.geojson", json.dumps(swapped).encode())
    assert codes(result) == ["crs_detected"] and result.problems[0].params["swapped"] is True
    near(result.features[0].geometry, [A])


def test_surveyors_xy_order_under_the_templates_own_choice():
    rows = [["名称", "经度/X", "纬度/Y"], ["1号井", GK[A][1], GK[A][0]]]  # X = northing, as surveyors write
    data = workbook({"地下水监测井": rows}, [["坐标系", "高斯-克吕格 3度带 102°（不带带号）"]])
    result = read("gk.xlsx", data, spec=SPEC)
    assert result.ok and result.crs == "gk3:102" and codes(result) == ["axes_swapped"]
    near(result.features[0].geometry, [A], 1e-8)
