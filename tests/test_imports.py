"""Uploads of facility coordinates: staged, previewed, committed all-or-nothing, reviewed; exports re-import.

Files are made here by the real writers (json, openpyxl through our template, geopandas/pyogrio through the
export) and go through the real readers and a real PostGIS.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, shape
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.factories import add, at, gj, line, make_pond, rect

OWN = "PZH-TP-021"  # the demo enterprise's pond (米易县)


def pond_id(db: Session, code: str) -> int:
    return db.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": code}).scalar_one()


def feature(kind: str, geom: Any, name: str | None = None, **attributes: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": gj(geom), "properties": {"kind": kind, "name": name, **attributes}}


def geojson_file(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def upload(
    c: TestClient, pond: int, name: str, data: bytes, expect: int = 201, lang: str = "zh", **form: str
) -> dict[str, Any]:
    r = c.post(f"/api/ponds/{pond}/imports?lang={lang}", files={"file": (name, data)}, data=form)
    assert r.status_code == expect, r.text
    return r.json()


def rows(c: TestClient, pond: int, batch: int) -> list[dict[str, Any]]:
    r = c.get(f"/api/ponds/{pond}/imports/{batch}/rows")
    assert r.status_code == 200, r.text
    return [f["properties"] | {"geometry": f["geometry"]} for f in r.json()["features"]]


def elements(db: Session, pond: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.execute(
            text("""SELECT id, kind, name, attributes, source, review_state, version, ST_AsText(geom) AS wkt
                    FROM elements WHERE pond_id = :p ORDER BY id"""),
            {"p": pond},
        ).mappings()
    ]


@pytest.fixture
def pond(db: Session) -> int:
    return make_pond(db)


def test_geojson_upload_is_staged_then_committed_with_history(db: Session, client: TestClient, pond: int) -> None:
    well = feature("monitoring_well", at(50, 150), "MW-1")
    well["properties"]["role"] = "本底井(上游)"  # a label, not a code: read as the code
    well["properties"]["depth_m"] = "30.5"
    pipe = feature("leachate_pipe", line((0, 250), (0, 100), (20, 20)), "渗滤液管 1")
    pipe["properties"]["material"] = "hdpe"
    before = elements(db, pond)
    batch = upload(client, pond, "设施.geojson", geojson_file(well, pipe))
    assert batch["state"] == "staged" and batch["committable"], batch["problems"]
    assert batch["counts"]["add"] == 2 and batch["counts"]["error"] == 0
    assert elements(db, pond) == before  # staged, not applied

    preview = rows(client, pond, batch["id"])
    assert [(r["action"], r["kind"], r["name"]) for r in preview] == [
        ("add", "monitoring_well", "MW-1"),
        ("add", "leachate_pipe", "渗滤液管 1"),
    ]
    r = client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit")
    assert r.status_code == 200, r.text
    assert r.json()["applied"] == {"add": 2, "update": 0, "remove": 0}
    after = {e["name"]: e for e in elements(db, pond)}
    assert after["MW-1"]["attributes"] == {"role": "background", "depth_m": 30.5}
    assert after["MW-1"]["source"] == "field" and after["MW-1"]["review_state"] == "verified"  # a bureau upload
    # the pipe keeps its vertex order: the flow direction
    pipe_row = db.execute(
        text("SELECT ST_AsGeoJSON(geom) FROM elements WHERE pond_id = :p AND kind = 'leachate_pipe'"), {"p": pond}
    ).scalar_one()
    assert shape(json.loads(pipe_row)).equals_exact(line((0, 250), (0, 100), (20, 20)), 1e-9)
    # a second commit of the same batch is refused
    assert client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit").status_code == 409
    audited = db.execute(
        text("SELECT count(*) FROM audit_log WHERE object_type = 'elements' AND pond_id = :p AND action = 'insert'"),
        {"p": pond},
    ).scalar_one()
    assert audited == 2


def test_errors_name_the_row_and_field_and_block_the_commit(db: Session, client: TestClient, pond: int) -> None:
    good = feature("monitoring_well", at(0, 150), "MW-ok", role="monitoring")
    bad_enum = feature("monitoring_well", at(10, 150), "MW-bad", role="sideways")
    no_kind = {"type": "Feature", "geometry": gj(at(20, 150)), "properties": {"name": "?"}}
    far_away = feature("monitoring_well", Point(116.4, 39.9), "北京", role="monitoring")  # Beijing
    wrong_geometry = feature("monitoring_well", line((0, 0), (10, 10)), "MW-line", role="monitoring")
    before = elements(db, pond)
    batch = upload(
        client, pond, "wells.geojson", geojson_file(good, bad_enum, no_kind, far_away, wrong_geometry), lang="en"
    )
    assert not batch["committable"] and batch["counts"]["error"] == 4
    messages = [p["message"] for p in batch["problems"] if p["severity"] == "error"]
    assert any("row 2" in m and "role" in m for m in messages), messages
    assert any("row 3" in m and "kind" in m.lower() for m in messages), messages
    assert any("row 4" in m for m in messages), messages
    assert any("row 5" in m and "LineString" in m for m in messages), messages
    r = client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit")
    assert r.status_code == 422 and elements(db, pond) == before
    # Chinese by default
    zh = client.get(f"/api/ponds/{pond}/imports/{batch['id']}").json()
    assert any("第 2 行" in p["message"] for p in zh["problems"])


def test_duplicates_within_the_file_are_errors(client: TestClient, pond: int) -> None:
    a = feature("monitoring_well", at(0, 150), "MW-1", role="monitoring")
    b = feature("monitoring_well", at(30, 150), "MW-1", role="monitoring")
    batch = upload(client, pond, "dup.geojson", geojson_file(a, b))
    assert batch["counts"]["error"] == 1
    assert any(p["code"] == "import_duplicate_name" and p["row"] == 2 for p in batch["problems"])


def test_a_far_element_is_a_warning_not_an_error(client: TestClient, pond: int) -> None:
    # 2 km north of a 400 m x 300 m pond: inside the city, beyond the 300 m of the rule
    batch = upload(client, pond, "far.geojson", geojson_file(feature("sprinkler", at(0, 2300), "喷淋 1")))
    assert batch["committable"]
    [far] = [p for p in batch["problems"] if p["code"] == "import_far_from_pond"]
    assert far["severity"] == "warning" and far["params"]["distance_m"] > 1900


def test_a_moved_element_reports_its_shift_and_its_revision_keeps_it(
    db: Session, client: TestClient, pond: int
) -> None:
    element = add(db, pond, "monitoring_well", at(0, 150), name="MW-7", role="monitoring")
    moved = feature("monitoring_well", at(30, 190), "MW-7", role="monitoring")  # 50 m away
    batch = upload(client, pond, "move.geojson", geojson_file(moved))
    [row] = rows(client, pond, batch["id"])
    assert row["action"] == "move" and row["element_id"] == element
    assert row["shift_m"] == pytest.approx(50, abs=0.5)
    assert row["current_geometry"]["type"] == "Point"
    assert client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit").status_code == 200
    revisions = client.get(f"/api/ponds/{pond}/elements/{element}/revisions").json()
    assert revisions[-1]["shift_m"] == pytest.approx(50, abs=0.5)


def test_an_edit_after_staging_makes_the_commit_fail_with_nothing_changed(
    db: Session, client: TestClient, pond: int
) -> None:
    element = add(db, pond, "monitoring_well", at(0, 150), name="MW-8", role="monitoring")
    new = feature("monitoring_well", at(0, 100), "MW-new", role="monitoring")
    moved = feature("monitoring_well", at(10, 150), "MW-8", role="monitoring")
    batch = upload(client, pond, "race.geojson", geojson_file(new, moved))
    current = client.get(f"/api/ponds/{pond}/elements/{element}").json()
    current["properties"]["attributes"]["depth_m"] = 12
    assert client.put(f"/api/ponds/{pond}/elements/{element}", json=current, headers={"If-Match": '"1"'}).is_success
    before = elements(db, pond)
    r = client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit")
    assert r.status_code == 409, r.text
    assert elements(db, pond) == before  # not even the new well was added
    assert client.get(f"/api/ponds/{pond}/imports/{batch['id']}").json()["state"] == "staged"


def test_replace_mode_removes_what_the_file_no_longer_holds(db: Session, client: TestClient, pond: int) -> None:
    keep = add(db, pond, "monitoring_well", at(0, 150), name="MW-keep", role="monitoring")
    gone = add(db, pond, "monitoring_well", at(40, 150), name="MW-gone", role="background")
    other = add(db, pond, "sprinkler", at(0, 200), name="S-1")  # another kind: untouched
    file = geojson_file(feature("monitoring_well", at(0, 150), "MW-keep", role="monitoring"))
    merge = upload(client, pond, "w.geojson", file)
    assert merge["counts"]["unchanged"] == 1 and merge["counts"]["remove"] == 0
    replace = upload(client, pond, "w.geojson", file, mode="replace")
    assert replace["counts"]["remove"] == 1
    assert client.post(f"/api/ponds/{pond}/imports/{replace['id']}/commit").is_success
    assert {e["id"] for e in elements(db, pond)} == {keep, other}
    assert gone not in {e["id"] for e in elements(db, pond)}


def test_enterprise_uploads_wait_for_the_bureau(db: Session, app_for: Callable[..., TestClient]) -> None:
    pond = pond_id(db, OWN)
    lon, lat = db.execute(text("SELECT ST_X(location), ST_Y(location) FROM ponds WHERE id = :p"), {"p": pond}).one()
    enterprise, county, city = app_for("demo-enterprise"), app_for("demo-county"), app_for("demo-city")
    wells = [feature("monitoring_well", Point(lon + i * 1e-4, lat), f"企业井-{i}", role="monitoring") for i in (1, 2)]
    batch = upload(enterprise, pond, "企业.geojson", geojson_file(*wells), source="field")
    assert batch["source"] == "enterprise" and batch["review_state"] == "submitted"
    assert enterprise.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit").is_success
    mine = [e for e in elements(db, pond) if e["name"] and e["name"].startswith("企业井")]
    assert {(e["source"], e["review_state"]) for e in mine} == {("enterprise", "submitted")}

    # the enterprise cannot verify its own work; the county in scope can, the city of another county too
    review = f"/api/ponds/{pond}/imports/{batch['id']}/review"
    assert enterprise.post(review, json={"decision": "verified"}).status_code == 403
    first, second = mine
    r = county.post(
        f"/api/ponds/{pond}/elements/{first['id']}/review",
        json={"decision": "returned"},
        headers={"If-Match": f'"{first["version"]}"'},
    )
    assert r.status_code == 422  # a return needs a reason
    r = county.post(
        f"/api/ponds/{pond}/elements/{first['id']}/review",
        json={"decision": "returned", "reason": "井位与现场不符"},
        headers={"If-Match": f'"{first["version"]}"'},
    )
    assert r.status_code == 200, r.text
    r = city.post(review, json={"decision": "verified"})
    assert r.status_code == 200 and r.json()["elements"] == 1  # only the one still waiting
    states = {e["name"]: e["review_state"] for e in elements(db, pond) if e["id"] in (first["id"], second["id"])}
    assert states == {first["name"]: "returned", second["name"]: "verified"}
    trail = county.get(f"/api/ponds/{pond}/elements/{first['id']}/reviews").json()
    assert [(x["decision"], x["reason"]) for x in trail] == [("returned", "井位与现场不符")]
    # a stale version is refused
    r = county.post(
        f"/api/ponds/{pond}/elements/{first['id']}/review",
        json={"decision": "verified"},
        headers={"If-Match": f'"{first["version"]}"'},
    )
    assert r.status_code == 409


def test_an_enterprise_edit_through_the_api_is_submitted(db: Session, app_for: Callable[..., TestClient]) -> None:
    pond = pond_id(db, OWN)
    lon, lat = db.execute(text("SELECT ST_X(location), ST_Y(location) FROM ponds WHERE id = :p"), {"p": pond}).one()
    body = feature("sprinkler", Point(lon, lat), "喷淋", source="field")
    body["properties"]["review_state"] = "verified"  # not the enterprise's to say
    r = app_for("demo-enterprise").post(f"/api/ponds/{pond}/elements", json=body)
    assert r.status_code == 201, r.text
    assert (r.json()["properties"]["source"], r.json()["properties"]["review_state"]) == ("enterprise", "submitted")


def test_an_enterprise_cannot_upload_to_another_pond(db: Session, app_for: Callable[..., TestClient]) -> None:
    other = pond_id(db, "PZH-TP-010")
    r = app_for("demo-enterprise").post(
        f"/api/ponds/{other}/imports", files={"file": ("x.geojson", geojson_file())}, data={}
    )
    assert r.status_code == 404


def test_discard(db: Session, client: TestClient, pond: int) -> None:
    batch = upload(client, pond, "x.geojson", geojson_file(feature("sprinkler", at(0, 150), "S")))
    assert client.post(f"/api/ponds/{pond}/imports/{batch['id']}/discard").json()["state"] == "discarded"
    assert client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit").status_code == 409
    assert elements(db, pond) == []


def test_an_unreadable_file_is_refused_with_its_name(client: TestClient, pond: int) -> None:
    batch = upload(client, pond, "坏文件.xlsx", b"this is not a workbook", lang="en")
    assert not batch["committable"]
    assert any("坏文件.xlsx" in p["message"] for p in batch["problems"])


# --- files made by the real writers: the template, every export format -------------------------------------


def _header(ws: Any) -> dict[str, int]:
    for row in ws.iter_rows(min_row=1, max_row=6):
        labels = {str(c.value): c.column for c in row if c.value}
        if any(label.startswith("名称") for label in labels):
            return labels
    raise AssertionError(f"no header in sheet {ws.title}")


def _put(ws: Any, values: dict[str, Any]) -> int:
    header = _header(ws)
    row = ws.max_row + 1
    for prefix, value in values.items():
        [column] = [c for label, c in header.items() if label.startswith(prefix)]
        ws.cell(row=row, column=column, value=value)
    return row


def test_the_blank_template_filled_in_excel_imports(db: Session, client: TestClient, pond: int) -> None:
    r = client.get("/api/import-template.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert {"地下水监测井", "渗滤液收集管_盲沟"} <= set(wb.sheetnames), wb.sheetnames
    wells = wb["地下水监测井"]
    assert any(dv.type == "list" for dv in wells.data_validations.dataValidation)  # drop-downs for enums
    well = at(60, 120)
    dms = "{}°{}′{:.3f}″"

    def to_dms(value: float) -> str:
        d = int(value)
        m = int((value - d) * 60)
        return dms.format(d, m, ((value - d) * 60 - m) * 60)

    row = _put(
        wells,
        {"名称": "MW-模板", "经度": to_dms(well.x), "纬度": to_dms(well.y), "井的作用": "污染监控井(下游)", "井深": 35},
    )
    pipes = wb["渗滤液收集管_盲沟"]
    path = line((0, 250), (0, 120), (30, 40))
    for i, (x, y) in enumerate(path.coords, start=1):
        _put(pipes, {"名称": "管-模板", "点序": i, "经度": x, "纬度": y, "材质": "HDPE"})
    buffer = io.BytesIO()
    wb.save(buffer)
    batch = upload(client, pond, "模板.xlsx", buffer.getvalue())
    assert batch["committable"], batch["problems"]
    assert batch["counts"]["add"] == 2  # the template's examples are not imported
    assert client.post(f"/api/ponds/{pond}/imports/{batch['id']}/commit").is_success
    got = {e["name"]: e for e in elements(db, pond)}
    assert got["MW-模板"]["attributes"] == {"role": "monitoring", "depth_m": 35}
    assert Point(*[float(v) for v in got["MW-模板"]["wkt"][6:-1].split()]).distance(well) < 2e-7  # seconds to 0.001″
    pipe = db.execute(
        text("SELECT ST_AsGeoJSON(geom) FROM elements WHERE pond_id = :p AND name = '管-模板'"), {"p": pond}
    ).scalar_one()
    assert shape(json.loads(pipe)).equals_exact(path, 1e-9)  # vertex order kept: the flow direction
    assert row > 4


def _populate(db: Session, pond: int) -> None:
    add(db, pond, "monitoring_well", at(0, 150), name="MW-1", role="background", depth_m=30.5, aquifer="潜水")
    add(db, pond, "leachate_pipe", line((0, 250), (0, 100), (20, 20)), name="LP-1", material="hdpe")
    add(db, pond, "liner", rect(-150, 50, 150, 280), name="防渗区", site_class="II", hdpe_mm=1.5)
    add(db, pond, "outlet", at(100, -50), name="排口", has_sign=True, permit_no="91510400-001")


@pytest.mark.parametrize("fmt", ["xlsx", "geojson", "gpkg", "shapefile", "kml"])
def test_an_export_reimports_to_the_same_data(db: Session, client: TestClient, pond: int, fmt: str) -> None:
    _populate(db, pond)
    before = elements(db, pond)
    r = client.get(f"/api/ponds/{pond}/export", params={"format": fmt})
    assert r.status_code == 200, r.text
    name = r.headers["content-disposition"].split("filename=")[1].split(";")[0].strip('"')
    batch = upload(client, pond, name, r.content)
    assert batch["committable"], batch["problems"]
    assert batch["counts"]["unchanged"] == 4 and batch["counts"]["rows"] == 4, batch["counts"]
    assert not [p for p in batch["problems"] if p["code"] == "import_field_ignored"], batch["problems"]
    # 'unchanged' means: geometry equal within 1e-9 degrees, attributes, name and dates equal
    assert elements(db, pond) == before


def shape_of(db: Session, element: int) -> Any:
    value = db.execute(text("SELECT ST_AsGeoJSON(geom) FROM elements WHERE id = :id"), {"id": element}).scalar_one()
    return shape(json.loads(value))


def test_the_error_report_marks_the_rows_to_fix(db: Session, client: TestClient, pond: int) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/api/import-template.xlsx").content))
    wells = wb["地下水监测井"]
    bad = _put(wells, {"名称": "MW-坏", "经度": at(0, 150).x, "纬度": at(0, 150).y, "井的作用": "旁边"})
    buffer = io.BytesIO()
    wb.save(buffer)
    batch = upload(client, pond, "有错.xlsx", buffer.getvalue())
    assert not batch["committable"]
    [error] = [p for p in batch["problems"] if p["severity"] == "error"]
    assert (error["sheet"], error["row"]) == ("地下水监测井", bad) and "井的作用" in error["message"]
    r = client.get(f"/api/ponds/{pond}/imports/{batch['id']}/errors.xlsx")
    assert r.status_code == 200
    report = openpyxl.load_workbook(io.BytesIO(r.content))
    texts = [str(c.value) for row in report["地下水监测井"].iter_rows(min_row=bad, max_row=bad) for c in row if c.value]
    assert "MW-坏" in texts and any("井的作用" in v for v in texts), texts


def test_gauss_kruger_csv_with_the_zone_chosen(db: Session, client: TestClient, pond: int) -> None:
    from gis.crs import reproject

    target = at(20, 160)
    easting, northing = reproject(target, 4490, 4543).coords[0]
    csv = f"名称,X,Y,井的作用\nMW-GK,{northing:.3f},{easting:.3f},monitoring\n".encode("gbk")
    for crs in ("gk3:102", ""):  # chosen, or found: Panzhihua's zone from the region, the axes from the values
        batch = upload(client, pond, "gk.csv", csv, crs=crs, layer_map=json.dumps({"gk": "monitoring_well"}))
        assert batch["committable"], batch["problems"]
        [row] = rows(client, pond, batch["id"])
        assert Point(row["geometry"]["coordinates"]).distance(target) < 1e-7


def test_an_upload_over_the_limit_is_refused_naming_the_limit(client: TestClient, pond: int, monkeypatch) -> None:
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "upload_max_mb", 0.01)  # 10 KiB
    big = geojson_file(*[feature("sprinkler", at(i, 150), f"S-{i}") for i in range(200)])
    assert len(big) > 20_000
    r = client.post(f"/api/ponds/{pond}/imports?lang=en", files={"file": ("big.geojson", big)})
    assert r.status_code == 422 and "0.01 MB" in r.json()["error"]["message"], r.text


def test_a_refused_file_ends_refused_and_stale_staged_uploads_expire(
    db: Session, client: TestClient, pond: int
) -> None:
    """A file with errors is kept for its error report as a `refused` batch, never `staged` (not offered as
    work); a staged upload older than imports_staged_ttl_hours expires at the next upload and can no longer be
    committed."""
    from app.config import get_settings

    bad = upload(client, pond, "bad.geojson", geojson_file(feature("monitoring_well", at(0, 150), "MW", role="x")))
    assert bad["state"] == "refused" and not bad["committable"], bad
    assert client.post(f"/api/ponds/{pond}/imports/{bad['id']}/commit").status_code == 422
    assert client.get(f"/api/ponds/{pond}/imports/{bad['id']}/errors.xlsx").status_code == 200
    empty = upload(client, pond, "empty.geojson", geojson_file())
    assert empty["state"] == "refused"

    ttl = get_settings().imports_staged_ttl_hours
    old = upload(client, pond, "old.geojson", geojson_file(feature("sprinkler", at(0, 150), "S-old")))
    fresh = upload(client, pond, "fresh.geojson", geojson_file(feature("sprinkler", at(0, 160), "S-fresh")))
    assert old["state"] == fresh["state"] == "staged"
    # the old one was made a little more than the time allowed ago, the fresh one a little less
    for batch, hours in ((old, ttl + 0.1), (fresh, ttl - 0.1)):
        db.execute(
            text("UPDATE import_batches SET created_at = now() - make_interval(secs => :s) WHERE id = :id"),
            {"s": hours * 3600, "id": batch["id"]},
        )
    upload(client, pond, "next.geojson", geojson_file(feature("sprinkler", at(0, 170), "S-next")))
    states = {b["id"]: b["state"] for b in client.get(f"/api/ponds/{pond}/imports").json()}
    assert states[old["id"]] == "expired" and states[fresh["id"]] == "staged"
    assert states[bad["id"]] == states[empty["id"]] == "refused"
    assert client.post(f"/api/ponds/{pond}/imports/{old['id']}/commit").status_code == 409
    assert [s for s in states.values() if s == "staged"] == ["staged", "staged"]  # the fresh and the next
