"""Hostile text (issue 19 items 1 and 2): what requests may hold, what uploads are cleaned of, that every writer
copes with whatever is already stored, and that no workbook we write holds a live formula."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from gis.formats.read import read_upload
from gis.formats.text import csv_field, csv_unguard
from tests.factories import add, at, make_pond

EVIL = '=HYPERLINK("http://evil","x")'
CODE = "PZH-TP-002"


def _pond(db: Session, code: str = CODE) -> int:
    return db.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": code}).scalar_one()


def _hazard(client: TestClient, pond: int, description: str, lang: str = "zh") -> Any:
    return client.post(
        f"/api/ponds/{pond}/hazards?lang={lang}", json={"id": str(uuid.uuid4()), "description": description}
    )


@pytest.fixture
def city(app_for: Any) -> TestClient:
    """The city supervisor: may report hazards on every pond."""
    return app_for("demo-city")


def _formulas(data: bytes) -> list[str]:
    """Every formula cell of an XLSX, read both ways: openpyxl's data type and the sheet XML's <f> elements."""
    found = []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        found += [f"{ws.title}!{c.coordinate}" for row in ws.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >]", zf.read(name)):
                found.append(name)
    return found


def _cells(data: bytes) -> list[Any]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


# --- requests --------------------------------------------------------------------------------------------------


def test_a_control_character_is_refused_naming_the_field_by_its_label(db: Session, city: TestClient) -> None:
    pond = _pond(db)
    r = _hazard(city, pond, "渗漏\x18严重")
    assert r.status_code == 422, r.text
    [problem] = r.json()["error"]["problems"]
    assert problem["field"] == "description" and problem["code"] == "text_forbidden_char"
    assert "隐患描述" in problem["message"] and "U+0018" in problem["message"] and "第 3 个字符" in problem["message"]
    en = _hazard(city, pond, "a\x85b", lang="en").json()["error"]["problems"][0]["message"]
    assert "Hazard description" in en and "U+0085" in en
    # a lone surrogate can only come as a JSON escape
    raw = json.dumps({"id": str(uuid.uuid4()), "description": "x"}).replace('"x"', '"x\\ud800"')
    r = city.post(f"/api/ponds/{pond}/hazards", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["code"] == "text_forbidden_char", r.text
    long = _hazard(city, pond, "长" * 4001).json()["error"]["problems"][0]
    assert long["code"] == "text_too_long" and "最多 4000" in long["message"] and "隐患描述" in long["message"]
    blank = _hazard(city, pond, "   ").json()["error"]["problems"][0]
    assert blank["code"] == "text_blank" and "隐患描述" in blank["message"]


def test_accepted_text_is_nfc_with_lf_line_breaks_and_keeps_tabs(db: Session, city: TestClient) -> None:
    r = _hazard(city, _pond(db), "Cafe\u0301\r\n第二行\r第三行\t完")
    assert r.status_code == 201, r.text
    stored = db.execute(text("SELECT description FROM hazards WHERE id = :id"), {"id": r.json()["id"]}).scalar_one()
    assert stored == "Café\n第二行\n第三行\t完"


def test_every_free_text_field_of_the_records_and_element_bodies_follows_the_rule(
    db: Session, client: TestClient
) -> None:
    pond = _pond(db)
    r = client.post(f"/api/ponds/{pond}/records/projects", json={"name": "扩容\x07工程", "kind": "expansion",
                                                                "status": "planned"})  # fmt: skip
    assert r.status_code == 422, r.text
    problem = r.json()["error"]["problems"][0]
    assert problem["code"] == "text_forbidden_char" and "项目名称" in problem["message"], problem
    one_line = client.post(
        f"/api/ponds/{pond}/records/projects", json={"name": "扩容\n工程", "kind": "expansion", "status": "planned"}
    ).json()["error"]["problems"][0]
    assert one_line["code"] == "text_single_line" and "项目名称" in one_line["message"]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": list(at(0, 150).coords[0])},
        "properties": {"kind": "monitoring_well", "name": "MW\x1b-1", "attributes": {"role": "monitoring"}},
    }
    r = client.post(f"/api/ponds/{make_pond(db)}/elements", json=feature)
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "properties.name", r.text
    feature["properties"] |= {"name": "MW-1", "attributes": {"role": "monitoring", "aquifer": "潜水\x00层"}}
    r = client.post(f"/api/ponds/{make_pond(db)}/elements", json=feature)
    assert r.status_code == 422 and "监测含水层" in r.json()["error"]["problems"][0]["message"], r.text


# --- what is already stored -------------------------------------------------------------------------------------


def test_stored_control_characters_break_neither_the_dossier_nor_the_hazard_export(
    db: Session, client: TestClient, city: TestClient
) -> None:
    pond = _pond(db)
    r = _hazard(city, pond, "渗滤液溢流")
    assert r.status_code == 201, r.text
    # old data, written before the rule (or by hand): straight into the database
    db.execute(
        text("UPDATE hazards SET description = :d, responsible = :r WHERE id = :id"),
        {"d": "渗滤液\x18溢流\x0b", "r": EVIL, "id": r.json()["id"]},
    )
    db.execute(
        text("UPDATE elements SET name = :n WHERE id = (SELECT min(id) FROM elements WHERE pond_id = :p)"),
        {"n": "井\x18\x01" + EVIL, "p": pond},
    )
    db.flush()
    export = client.get("/api/exports/hazards.xlsx")
    assert export.status_code == 200, export.text
    values = [c.value for c in _cells(export.content)]
    assert "渗滤液溢流" in values and EVIL in values and not _formulas(export.content)

    r = client.get(f"/api/ponds/{pond}/dossier.zip")
    assert r.status_code == 200, r.text
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    parts = {n.rsplit("-", 1)[-1]: zf.read(n) for n in zf.namelist() if n.count("/") == 1}
    for workbook in ("records.xlsx", "hazards.xlsx"):
        assert not _formulas(parts[workbook]), workbook
    hazards = [c.value for c in _cells(parts["hazards.xlsx"])]
    assert "渗滤液溢流" in hazards and EVIL in hazards
    assert "井" + EVIL in [c.value for c in _cells(parts["records.xlsx"])]
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(parts["report.pdf"])).pages) >= 1
    kml = ET.fromstring(parts["elements.kml"])  # well-formed XML: no control character got in
    names = [e.text for e in kml.iter("{http://www.opengis.net/kml/2.2}name")]
    assert "井" + EVIL in names
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "e.gpkg").write_bytes(parts["elements.gpkg"])
        with sqlite3.connect(Path(tmp) / "e.gpkg") as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    html = parts["map.html"].decode()
    assert "\x18" not in html and "\x01" not in html


def test_a_failed_job_says_so_in_the_users_language_not_with_the_exception(
    db: Session, app_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.dossiers import service as dossiers
    from app.jobs import service as jobs

    def broken(*_a: Any, **_k: Any) -> bytes:
        raise RuntimeError("/var/lib/tailings/files/ab/cd: IllegalCharacterError")

    monkeypatch.setattr(dossiers, "export_all", broken)  # a fault inside the work, whatever it is
    county = app_for("demo-county")
    job_id = county.post("/api/dossiers").json()["id"]
    assert jobs.run(job_id, db) == "failed"
    zh = county.get(f"/api/jobs/{job_id}").json()
    assert zh["state"] == "failed" and zh["message"].startswith("任务未能完成") and str(job_id) in zh["message"]
    en = county.get(f"/api/jobs/{job_id}?lang=en").json()["message"]
    for message in (zh["message"], en):
        assert "RuntimeError" not in message and "/var/lib" not in message and "Illegal" not in message
    assert en.startswith("The job could not be finished")


# --- uploads ---------------------------------------------------------------------------------------------------


def test_control_characters_in_upload_cells_are_removed_with_a_warning_naming_the_cell() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "经度", "纬度", "备注"])
    ws.append(["MW-1", 101.62, 26.38, "ok"])
    ws.cell(row=2, column=1)._value = "MW\x18-1"  # what a pasted cell can hold (openpyxl would refuse it)
    ws.cell(row=2, column=4)._value = "长" * 4001
    buf = io.BytesIO()
    wb.save(buf)
    result = read_upload("井.xlsx", buf.getvalue())
    [f] = result.features
    assert f.properties["name"] == "MW-1"
    removed = [p for p in f.problems if p.code == "cell_chars_removed"]
    assert removed and removed[0].severity == "warning" and removed[0].where.column == "名称"
    assert removed[0].where.row == 2 and removed[0].params["chars"] == "U+0018"
    [long] = [p for p in f.problems if p.code == "cell_too_long"]
    assert long.severity == "error" and long.where.column == "备注" and not result.ok
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A\u0085B"},
               "geometry": {"type": "Point", "coordinates": [101.62, 26.38]}}]}  # fmt: skip
    [g] = read_upload("a.geojson", json.dumps(geojson).encode()).features
    assert g.properties["name"] == "AB" and g.problems[0].code == "cell_chars_removed"


def test_an_upload_with_control_characters_stages_clean_names(db: Session, client: TestClient) -> None:
    pond = make_pond(db)
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point",
               "coordinates": list(at(50, 150).coords[0])}, "properties": {"kind": "monitoring_well",
               "name": "MW\u001b-9", "role": "monitoring"}}]}  # fmt: skip
    r = client.post(f"/api/ponds/{pond}/imports", files={"file": ("w.geojson", json.dumps(geojson).encode())})
    assert r.status_code == 201, r.text
    batch = r.json()
    assert batch["committable"], batch
    assert any(p["code"] == "cell_chars_removed" and "U+001B" in p["message"] for p in batch["problems"]), batch
    rows = client.get(f"/api/ponds/{pond}/imports/{batch['id']}/rows").json()["features"]
    assert [f["properties"]["name"] for f in rows] == ["MW-9"]


# --- live formulas ----------------------------------------------------------------------------------------------


def test_formula_text_stays_text_in_every_workbook_and_survives_export_then_import(
    db: Session, client: TestClient
) -> None:
    pond = make_pond(db)
    well = add(db, pond, "monitoring_well", at(50, 150), EVIL, role="monitoring", depth_m=12.5, aquifer="-潜水+@")
    add(db, pond, "monitoring_well", at(60, 150), "@SUM(1,2)", role="monitoring", aquifer="=1+1")
    db.flush()
    for url in (
        f"/api/ponds/{pond}/export?format=xlsx",
        f"/api/ponds/{pond}/import-template.xlsx",
        "/api/export?format=xlsx",
        "/api/import-template.xlsx",
    ):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        assert not _formulas(r.content), url
        texts = {c.value: c for c in _cells(r.content) if isinstance(c.value, str)}
        if "template.xlsx" in url and "ponds" not in url:
            continue
        assert texts[EVIL].data_type == "s" and texts[EVIL].quotePrefix, url
    exported = client.get(f"/api/ponds/{pond}/export?format=xlsx").content
    from app.imports.service import reading_spec

    back = read_upload("导出.xlsx", exported, spec=reading_spec())
    names = sorted(f.properties.get("name") for f in back.features)
    assert names == sorted([EVIL, "@SUM(1,2)"])
    aquifers = sorted(str(f.properties.get("aquifer")) for f in back.features)
    assert aquifers == sorted(["-潜水+@", "=1+1"])
    [first] = [f for f in back.features if f.properties.get("name") == EVIL]
    assert first.properties["depth_m"] == 12.5
    assert well


def test_negative_numbers_stay_numbers_and_the_error_report_holds_no_formula(db: Session, client: TestClient) -> None:
    from gis.formats.write import OutLayer, write_layers

    data = write_layers([OutLayer("井", [(at(0, 0), {"name": "-5 号井", "depth": -5.0, "note": "+86 电话"})])], "xlsx")
    cells = {c.value: c for c in _cells(data)}
    assert cells[-5.0].data_type == "n" and cells["-5 号井"].data_type == "s" and cells["-5 号井"].quotePrefix
    assert not _formulas(data)
    # an upload whose name looks like a formula, with an error on its row: the report keeps the text as text
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "地下水监测井"
    ws.append(["名称", "经度", "纬度", "井的作用"])
    ws.append([EVIL, at(0, 150).x, at(0, 150).y, "旁边"])
    ws["A2"].data_type = "s"  # typed as text in the user's Excel
    buf = io.BytesIO()
    wb.save(buf)
    pond = make_pond(db)
    batch = client.post(f"/api/ponds/{pond}/imports", files={"file": ("有错.xlsx", buf.getvalue())}).json()
    assert not batch["committable"], batch
    report = client.get(f"/api/ponds/{pond}/imports/{batch['id']}/errors.xlsx")
    assert report.status_code == 200
    assert not _formulas(report.content)
    assert EVIL in [c.value for c in _cells(report.content)]


def test_csv_fields_get_the_owasp_apostrophe_and_our_reader_removes_it() -> None:
    rows = [["名称", "经度", "纬度", "备注"], [EVIL, 101.62, 26.38, "-3 号"], ["@x", -101.62, 26.38, "+1"]]
    assert csv_field(EVIL) == "'" + EVIL and csv_field(-101.62) == "-101.62" and csv_field("普通") == "普通"
    assert csv_unguard("'" + EVIL) == EVIL and csv_unguard("'s 井") == "'s 井"
    buf = io.StringIO()
    import csv

    csv.writer(buf).writerows([[csv_field(v) for v in row] for row in rows])
    assert "'=HYPERLINK" in buf.getvalue() and ",-101.62," in buf.getvalue()
    result = read_upload("井.csv", buf.getvalue().encode())
    by_name = {f.properties["name"]: f for f in result.features}
    assert set(by_name) == {EVIL, "@x"}
    assert by_name[EVIL].properties["备注"] == "-3 号" and by_name["@x"].properties["备注"] == "+1"


def test_a_laboratory_file_with_control_characters_imports_clean_well_names(db: Session, client: TestClient) -> None:
    pond = make_pond(db, shift_km=5)
    add(db, pond, "monitoring_well", at(5000, -200), "下游监控井 MW-7", role="monitoring")
    csv_text = "监测井,采样日期,监测项目,结果,单位\nMW-7\x18,2025-03-12,锰,0.04,mg/L\n"
    r = client.post(f"/api/ponds/{pond}/monitoring/imports", files={"file": ("化验.csv", csv_text.encode())})
    assert r.status_code == 201, r.text
    names = db.execute(text("SELECT well_name FROM monitoring_results WHERE pond_id = :p"), {"p": pond}).scalars()
    assert list(names) == ["下游监控井 MW-7"]
