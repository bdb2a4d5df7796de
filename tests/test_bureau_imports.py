"""Bureau imports: the pond registry and the reference layers, previewed then committed all-or-nothing.

Files are made by the real writers (openpyxl through our template and export, json, geopandas/pyogrio) and
read by the real readers into a real PostGIS.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import openpyxl
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.factories import line, make_pond

OWN = "PZH-TP-021"  # 万年沟, 米易县
SHEET = "尾矿库名录"


@pytest.fixture
def city(app_for: Callable[..., TestClient]) -> TestClient:
    return app_for("demo-city")


def export(c: TestClient) -> openpyxl.Workbook:
    r = c.get("/api/bureau/ponds/export.xlsx")
    assert r.status_code == 200, r.text
    return openpyxl.load_workbook(io.BytesIO(r.content))


def xlsx(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def header(ws: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[3] if c.value}


def col(ws: Any, starts: str) -> int:
    return next(n for h, n in header(ws).items() if h.startswith(starts))


def row_of(ws: Any, code: str) -> int:
    return next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == code)


def preview(c: TestClient, data: bytes, name: str = "名录.xlsx", expect: int = 200, **form: Any) -> dict[str, Any]:
    r = c.post("/api/bureau/ponds/preview", files={"file": (name, data)}, data=form)
    assert r.status_code == expect, r.text
    return r.json()


def commit(c: TestClient, p: dict[str, Any], expect: int = 200, crs: str | None = None) -> dict[str, Any]:
    body = {"file": p["file"], "filename": p["filename"], "crs": crs, "delist": p["delist"]}
    r = c.post("/api/bureau/ponds/commit", json={**body, "fingerprint": p["fingerprint"]})
    assert r.status_code == expect, r.text
    return r.json()


def pond(db: Session, code: str) -> dict[str, Any] | None:
    row = (
        db.execute(
            text("""SELECT p.*, en.name AS enterprise_name, en.credit_code, ST_X(p.location) AS lon,
                           ST_Y(p.location) AS lat
                    FROM ponds p LEFT JOIN enterprises en ON en.id = p.enterprise_id WHERE p.code = :c"""),
            {"c": code},
        )
        .mappings()
        .one_or_none()
    )
    return dict(row) if row else None


def test_the_template_has_one_sheet_with_units_and_drop_downs(city: TestClient) -> None:
    r = city.get("/api/bureau/ponds/template.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert SHEET in wb.sheetnames and wb.sheetnames[0] == "填写说明"
    ws = wb[SHEET]
    heads = list(header(ws))
    assert heads[:2] == ["尾矿库编码*", "尾矿库名称*"]
    assert "设计库容（万m³）" in heads and "坝高（m）" in heads and "所在县区*" in heads
    lists_at = {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation if dv.type == "list"}
    for name in ("运行状态", "监管级别", "筑坝方式", "是否无主库"):
        assert f"{openpyxl.utils.get_column_letter(col(ws, name))}4" in lists_at, name
    lists = [c.value for c in wb["选项"]["A"]] + [c.value for row in wb["选项"].iter_rows() for c in row]
    assert "在用" in lists and "上游式" in lists
    # the filled example is skipped on reading: the blank template previews as empty
    p = preview(city, r.content, "模板.xlsx")
    assert not p["committable"] and p["rows"] == []


def test_export_round_trip_clears_the_illustrative_flags_then_changes_nothing(db: Session, city: TestClient) -> None:
    p = preview(city, xlsx(export(city)))
    assert p["counts"]["add"] == 0 and p["counts"]["error"] == 0 and p["counts"]["update"] == 40
    assert all(r["changes"] == {"illustrative": [True, False]} for r in p["rows"]), p["rows"][:2]
    assert commit(city, p)["applied"] == {"add": 0, "update": 40, "delist": 0, "new_enterprises": 0}
    assert db.execute(text("SELECT count(*) FROM ponds WHERE illustrative")).scalar() == 0
    again = preview(city, xlsx(export(city)))
    assert again["counts"]["unchanged"] == 40 and again["counts"]["update"] == 0


def test_updates_and_additions_by_code_with_a_new_enterprise(db: Session, city: TestClient) -> None:
    before = pond(db, OWN)
    wb = export(city)
    ws = wb[SHEET]
    r = row_of(ws, OWN)
    ws.cell(r, col(ws, "尾矿库名称")).value = "万年沟尾矿库（更名）"
    ws.cell(r, col(ws, "现状库容")).value = 321.5
    ws.cell(r, col(ws, "运行状态")).value = "停用"
    values = {
        "尾矿库编码": "PZH-TP-NEW1",
        "尾矿库名称": "新建尾矿库",
        "企业名称": "测试新矿业有限公司",
        "统一社会信用代码": "91510421TEST00001X",
        "所在县区": "510421",
        "监管级别": "2 级",
        "运行状态": "在用",
        "筑坝方式": "上游式",
        "设计库容": 100,
        "经度/X": 102.05,
        "纬度/Y": 26.88,
    }
    n = ws.max_row + 1
    for h, v in values.items():
        ws.cell(n, col(ws, h)).value = v
    p = preview(city, xlsx(wb))
    assert p["committable"], p["problems"]
    assert p["counts"]["add"] == 1 and p["counts"]["new_enterprises"] == 1
    changed = next(x for x in p["rows"] if x["code"] == OWN)
    assert changed["action"] == "update"
    assert changed["changes"]["name"] == [before["name"], "万年沟尾矿库（更名）"]
    assert changed["changes"]["current_volume_10k_m3"][1] == 321.5
    assert changed["changes"]["status"] == [before["status"], "stopped"]
    result = commit(city, p)["applied"]
    assert result["add"] == 1 and result["new_enterprises"] == 1
    after = pond(db, OWN)
    assert after["name"] == "万年沟尾矿库（更名）" and after["status"] == "stopped"
    assert after["version"] == before["version"] + 1 and after["illustrative"] is False
    assert after["dam_height_m"] == before["dam_height_m"]  # untouched fields stay
    new = pond(db, "PZH-TP-NEW1")
    assert new["county_adcode"] == 510421 and new["supervision_level"] == 2 and new["dam_type"] == "upstream"
    assert new["enterprise_name"] == "测试新矿业有限公司" and new["credit_code"] == "91510421TEST00001X"
    assert abs(new["lon"] - 102.05) < 1e-9 and new["illustrative"] is False
    org = db.execute(
        text("SELECT count(*) FROM organisations o JOIN enterprises e ON e.id = o.enterprise_id WHERE e.name = :n"),
        {"n": "测试新矿业有限公司"},
    ).scalar()
    assert org == 1
    audited = db.execute(
        text("""SELECT action, object_type, username FROM audit_log
                WHERE object_type IN ('ponds', 'enterprises') AND username = 'demo-city' ORDER BY id"""),
    ).all()
    kinds = {(a, o) for a, o, _u in audited}
    assert {("insert", "enterprises"), ("insert", "ponds"), ("update", "ponds")} <= kinds


def test_an_unknown_county_is_an_error_naming_sheet_row_and_column(db: Session, city: TestClient) -> None:
    wb = export(city)
    ws = wb[SHEET]
    r = row_of(ws, OWN)
    ws.cell(r, col(ws, "所在县区")).value = "不存在县"
    data = xlsx(wb)
    p = preview(city, data)
    assert not p["committable"] and p["counts"]["error"] == 1
    message = next(x["message"] for x in p["problems"] if x["code"] == "registry_county_unknown")
    assert f"工作表“{SHEET}”" in message or SHEET in message
    assert f"第 {r} 行" in message and "所在县区" in message and "不存在县" in message
    en = city.post("/api/bureau/ponds/preview?lang=en", files={"file": ("r.xlsx", data)}).json()
    message_en = next(x["message"] for x in en["problems"] if x["code"] == "registry_county_unknown")
    assert f"row {r}" in message_en and "Unknown county" in message_en
    # the error report: the file with an error column on the row to fix
    report = city.post("/api/bureau/ponds/errors.xlsx", files={"file": ("r.xlsx", data)})
    assert report.status_code == 200
    marked = openpyxl.load_workbook(io.BytesIO(report.content))[SHEET]
    last = marked.cell(3, marked.max_column).value
    assert last == "错误说明"
    assert "不存在县" in str(marked.cell(r, marked.max_column).value)
    # and the commit refuses: nothing changes
    commit(city, p, expect=422)
    assert pond(db, OWN)["illustrative"] is True


def test_one_bad_row_blocks_the_whole_file_and_a_stale_preview_is_refused(db: Session, city: TestClient) -> None:
    wb = export(city)
    ws = wb[SHEET]
    ws.cell(row_of(ws, OWN), col(ws, "尾矿库名称")).value = "好的更名"
    ws.cell(row_of(ws, "PZH-TP-010"), col(ws, "设计库容")).value = "很多"
    p = preview(city, xlsx(wb))
    assert p["counts"]["error"] == 1 and p["counts"]["update"] == 39
    commit(city, p, expect=422)
    assert pond(db, OWN)["name"] != "好的更名"
    assert db.execute(text("SELECT count(*) FROM ponds WHERE NOT illustrative")).scalar() == 0
    # a good file, then someone edits a pond before the commit: 409, nothing applied
    ws.cell(row_of(ws, "PZH-TP-010"), col(ws, "设计库容")).value = 10
    p = preview(city, xlsx(wb))
    assert p["committable"]
    db.execute(text("UPDATE ponds SET dam_height_m = 99 WHERE code = 'PZH-TP-010'"))
    r = city.post("/api/bureau/ponds/commit", json={**p, "crs": None})
    assert r.status_code == 409 and "预览" in r.json()["error"]["message"]
    assert pond(db, OWN)["name"] != "好的更名"


def test_delist_marks_sample_ponds_missing_from_the_file_never_deletes(db: Session, city: TestClient) -> None:
    wb = export(city)
    ws = wb[SHEET]
    keep = row_of(ws, OWN)
    for r in range(ws.max_row, 3, -1):
        if r != keep:
            ws.delete_rows(r)
    data = xlsx(wb)
    without = preview(city, data)
    assert without["counts"]["delist"] == 0 and without["delisted"] == []
    p = preview(city, data, delist="true")
    assert p["counts"]["delist"] == 39 and p["counts"]["update"] == 1
    assert commit(city, p)["applied"]["delist"] == 39
    statuses = dict(db.execute(text("SELECT status, count(*) FROM ponds GROUP BY status")).all())
    assert statuses["delisted"] >= 39 and sum(statuses.values()) == 40
    assert pond(db, OWN)["status"] != "delisted" and pond(db, OWN)["illustrative"] is False


def test_a_csv_registry_with_gauss_kruger_coordinates(db: Session, city: TestClient) -> None:
    from shapely.geometry import Point

    from gis.crs import reproject

    x, y = reproject(Point(101.9, 26.9), 4490, 4543).coords[0]  # CM 102°E, without the zone number
    data = f"尾矿库编码,尾矿库名称,所在县区,监管级别,运行状态,X,Y\nPZH-GK-1,高斯库,米易县,3,在用,{x:.3f},{y:.3f}\n"
    p = preview(city, data.encode("gbk"), "名录.csv", crs="gk3:102")
    assert p["committable"], p["problems"]
    commit(city, p, crs="gk3:102")
    new = pond(db, "PZH-GK-1")
    assert abs(new["lon"] - 101.9) < 1e-6 and abs(new["lat"] - 26.9) < 1e-6 and new["county_adcode"] == 510421


@pytest.mark.parametrize("user", ["demo-county", "demo-enterprise", "demo-viewer", "demo-province"])
def test_only_the_city_and_the_administrator_import(app_for: Callable[..., TestClient], user: str) -> None:
    c = app_for(user)
    assert c.get("/api/bureau/ponds/template.xlsx").status_code == 403
    assert c.post("/api/bureau/ponds/preview", files={"file": ("a.csv", b"x")}).status_code == 403
    assert c.post("/api/bureau/reference/rivers/preview", files={"file": ("a.csv", b"x")}).status_code == 403
    assert c.get("/bureau/imports", follow_redirects=False).status_code == 403


def test_the_overview_links_the_page_for_the_bureau_only(app_for: Callable[..., TestClient]) -> None:
    assert 'href="/bureau/imports"' in app_for("demo-city").get("/").text
    assert 'href="/bureau/imports"' not in app_for("demo-county").get("/").text
    page = app_for("demo-admin").get("/bureau/imports?lang=en")
    assert page.status_code == 200 and "Pond registry" in page.text


# --- reference layers -----------------------------------------------------------------------------------


def ref_preview(c: TestClient, layer: str, name: str, data: bytes, expect: int = 200, **form: Any) -> dict[str, Any]:
    r = c.post(f"/api/bureau/reference/{layer}/preview", files={"file": (name, data)}, data=form)
    assert r.status_code == expect, r.text
    return r.json()


def ref_commit(c: TestClient, p: dict[str, Any], expect: int = 200) -> dict[str, Any]:
    body = {k: p[k] for k in ("file", "filename", "fingerprint", "source")}
    r = c.post(f"/api/bureau/reference/{p['layer']}/commit", json={**body, "crs": None})
    assert r.status_code == expect, r.text
    return r.json()


def _rivers_geojson(db: Session, codes: list[str]) -> bytes:
    rows = db.execute(
        text("SELECT code, name_zh, ST_AsGeoJSON(geom)::json FROM rivers WHERE code = ANY(:c) ORDER BY code"),
        {"c": codes},
    ).all()
    features = [
        {"type": "Feature", "geometry": g, "properties": {"河流编码": code, "河流名称": name + "（水利普查）"}}
        for code, name, g in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def test_a_river_replacement_keeps_the_priority_zone_rule_working(db: Session, city: TestClient) -> None:
    pid = make_pond(db)
    db.execute(text("DELETE FROM rivers WHERE code = 'jinsha'"))
    db.execute(
        text("""INSERT INTO rivers (code, name_zh, geom, illustrative)
                VALUES ('jinsha', '金沙江', ST_Multi(ST_GeomFromText(:wkt, 4490)), true)"""),
        {"wkt": line((2400, -5000), (2400, 5000)).wkt},
    )
    data = _rivers_geojson(db, ["jinsha", "yalong", "anning"])
    p = ref_preview(city, "rivers", "rivers.geojson", data, source="四川省水利普查 2023")
    assert p["committable"] and p["counts"]["update"] == 3 and p["counts"]["remove"] == 0, p
    assert ref_commit(city, p)["applied"] == {"add": 0, "update": 3, "remove": 0}
    rows = db.execute(text("SELECT code, name_zh, source, illustrative FROM rivers ORDER BY code")).all()
    assert {r[0] for r in rows} == {"anning", "jinsha", "yalong"}
    assert all(not r[3] and r[2].startswith("四川省水利普查 2023 · rivers.geojson · demo-city") for r in rows)
    zone = city.get(f"/api/ponds/{pid}/compliance").json()
    rule = next(r for r in zone["results"] if r["id"] == "priority_zone")
    assert rule["status"] == "pass" and rule["details"]["in_priority_zone"] is True
    assert rule["details"]["missing_rivers"] == []
    # a file without a river the rule buffers: a warning before, the rule says so after
    p = ref_preview(city, "rivers", "two.geojson", _rivers_geojson(db, ["jinsha", "yalong"]))
    assert p["committable"] and p["counts"]["remove"] == 1
    assert any(x["code"] == "reference_river_rule_missing" and "anning" in x["message"] for x in p["problems"])
    ref_commit(city, p)
    rule = next(r for r in city.get(f"/api/ponds/{pid}/compliance").json()["results"] if r["id"] == "priority_zone")
    assert rule["details"]["missing_rivers"] == ["anning"] and rule["details"]["in_priority_zone"] is True


def test_districts_from_a_geopackage_and_a_district_in_use_cannot_go(db: Session, city: TestClient, tmp_path) -> None:
    rows = db.execute(text("SELECT adcode, name, ST_AsBinary(geom) FROM districts ORDER BY adcode")).all()
    import shapely

    frame = gpd.GeoDataFrame(
        {"adcode": [r[0] for r in rows], "name": [r[1] for r in rows]},
        geometry=[shapely.from_wkb(bytes(r[2])) for r in rows],
        crs="EPSG:4490",
    )
    frame.to_file(tmp_path / "d.gpkg", layer="districts", driver="GPKG")
    p = ref_preview(city, "districts", "d.gpkg", (tmp_path / "d.gpkg").read_bytes())
    assert p["committable"] and p["counts"]["update"] == 5, p["problems"]
    ref_commit(city, p)
    assert db.execute(text("SELECT count(*) FROM districts WHERE NOT illustrative")).scalar() == 5
    frame.iloc[1:].to_file(tmp_path / "four.gpkg", layer="districts", driver="GPKG")
    p = ref_preview(city, "districts", "four.gpkg", (tmp_path / "four.gpkg").read_bytes())
    assert not p["committable"] and any(x["code"] == "reference_district_in_use" for x in p["problems"])
    ref_commit(city, p, expect=422)
    assert db.execute(text("SELECT count(*) FROM districts")).scalar() == 5


def test_sensitive_targets_from_an_xlsx_of_points_replace_the_sample(db: Session, city: TestClient) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "类型", "经度", "纬度"])
    ws.append(["金江镇中心小学", "学校", 101.83, 26.52])
    ws.append(["二滩水源地", "饮用水水源地", 101.78, 26.82])
    p = ref_preview(city, "sensitive_targets", "targets.xlsx", xlsx(wb), source="县区上报")
    assert p["committable"] and p["counts"]["add"] == 2 and p["counts"]["remove"] > 0, p["problems"]
    ref_commit(city, p)
    rows = db.execute(text("SELECT kind, name, illustrative FROM sensitive_targets ORDER BY name")).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("drinking_water_source", "二滩水源地", False),
        ("school", "金江镇中心小学", False),
    ]
    ws.append(["某村", "不知道", 101.8, 26.6])
    p = ref_preview(city, "sensitive_targets", "targets.xlsx", xlsx(wb))
    assert not p["committable"] and any("第 4 行" in x["message"] for x in p["problems"])


def test_a_polygon_where_a_river_is_expected_is_an_error(city: TestClient) -> None:
    poly = {"type": "Polygon", "coordinates": [[[101.7, 26.5], [101.8, 26.5], [101.8, 26.6], [101.7, 26.5]]]}
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": poly, "properties": {"code": "x", "name": "X"}}],
        }
    ).encode()
    p = ref_preview(city, "rivers", "bad.geojson", data)
    assert not p["committable"] and p["rows"][0]["action"] == "error"
    assert shape(poly).is_valid


def test_rivers_from_a_zipped_gbk_shapefile(db: Session, city: TestClient, tmp_path) -> None:
    import zipfile

    import shapely

    rows = db.execute(text("SELECT code, name_zh, ST_AsBinary(geom) FROM rivers ORDER BY code")).all()
    frame = gpd.GeoDataFrame(
        {"河流编码": [r[0] for r in rows], "河流名称": [r[1] for r in rows]},
        geometry=[shapely.from_wkb(bytes(r[2])) for r in rows],
        crs="EPSG:4490",
    )
    frame.to_file(tmp_path / "rivers.shp", encoding="gbk")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        for part in tmp_path.glob("rivers.*"):
            zf.write(part, part.name)
    p = ref_preview(city, "rivers", "河流.zip", data.getvalue(), source="水利普查")
    assert p["committable"], p["problems"]
    assert {r["key"] for r in p["rows"]} == {r[0] for r in rows} and p["counts"]["remove"] == 0
    assert {r["name"] for r in p["rows"]} == {r[1] for r in rows}  # GBK attributes read as written
    ref_commit(city, p)
    assert db.execute(text("SELECT count(*) FROM rivers WHERE illustrative")).scalar() == 0


def test_the_template_with_its_gauss_kruger_choice(db: Session, city: TestClient) -> None:
    from shapely.geometry import Point

    from gis.crs import reproject

    wb = openpyxl.load_workbook(io.BytesIO(city.get("/api/bureau/ponds/template.xlsx").content))
    from app.i18n import t

    choices = [c.value for c in openpyxl.load_workbook(io.BytesIO(xlsx(wb)))["选项"]["A"]]
    assert t("crs_gk3_zoned", "zh") in choices  # the drop-down's own label
    wb["填写说明"]["B3"] = t("crs_gk3_zoned", "zh")
    ws = wb[SHEET]
    x, y = reproject(Point(101.8, 26.7), 4490, 4543).coords[0]
    values = {"尾矿库编码": "PZH-GK-2", "尾矿库名称": "带号库", "所在县区": "仁和区", "监管级别": "1 级"}
    values |= {"运行状态": "停用", "停用日期": "2024/03/01", "经度/X": 34_000_000 + x, "纬度/Y": y}
    for h, v in values.items():
        ws.cell(5, col(ws, h)).value = v
    p = preview(city, xlsx(wb))
    assert p["committable"] and p["crs"] == "gk3_zoned", p["problems"]
    commit(city, p)
    new = pond(db, "PZH-GK-2")
    assert abs(new["lon"] - 101.8) < 1e-6 and abs(new["lat"] - 26.7) < 1e-6
    assert new["county_adcode"] == 510411 and str(new["stopped_since"]) == "2024-03-01"
