"""Laboratory results: imported all or nothing, units normalised, compared with limits and background."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import text

from app.monitoring import service
from app.monitoring.config import monitoring_config
from tests.factories import add, at, make_pond


@pytest.fixture
def pond(db) -> dict[str, int]:
    pond_id = make_pond(db, status="in_use", shift_km=3)
    return {
        "pond": pond_id,
        "bg": add(db, pond_id, "monitoring_well", at(3000, 900), "本底井 BG-1", role="background"),
        "mw": add(db, pond_id, "monitoring_well", at(3000, -200), "下游监控井 MW-1", role="monitoring"),
        "evil": add(db, pond_id, "monitoring_well", at(3100, -200), "<script>alert(1)</script>", role="diffusion"),
    }


GOOD_CSV = """监测井,采样日期,监测项目,结果,单位,检出标志
BG-1,2025-03-10,锰,0.04,mg/L,
BG-1,2025-03-10,Cd,<0.0005,mg/L,
MW-1,2025-03-12,锰,180,μg/L,
MW-1,2025-03-12,Cd,ND,mg/L,
MW-1,2025-03-12,pH,9.1,无量纲,
MW-1,2025-03-12,Pb,0.002L,mg/L,
MW-1,2025-03-12,钒,0.01,mg/L,<
MW-1,2025-06-15,Mn,0.06,mg/L,
下游监控井 MW-1,2025-06-15,硫酸盐,0.3,g/L,
"""


def _import(client, pond_id: int, name: str, data: bytes, lang: str = "zh"):
    return client.post(f"/api/ponds/{pond_id}/monitoring/imports?lang={lang}", files={"file": (name, data)})


def test_a_good_csv_is_imported_with_units_and_detection_limits(client, db, pond) -> None:
    r = _import(client, pond["pond"], "化验结果.csv", GOOD_CSV.encode("utf-8"))
    assert r.status_code == 201, r.text
    assert r.json()["rows"] == 9
    rows = {
        (w, str(d), p): (v, b)
        for w, d, p, v, b in db.execute(
            text("""SELECT well_name, sampled_on, parameter, value, below_detection FROM monitoring_results
                    WHERE pond_id = :p"""),
            {"p": pond["pond"]},
        )
    }
    assert rows[("下游监控井 MW-1", "2025-03-12", "mn")] == (pytest.approx(0.18), False)  # 180 μg/L
    assert rows[("下游监控井 MW-1", "2025-06-15", "sulfate")] == (pytest.approx(300), False)  # 0.3 g/L
    assert rows[("本底井 BG-1", "2025-03-10", "cd")] == (pytest.approx(0.0005), True)  # "<0.0005"
    assert rows[("下游监控井 MW-1", "2025-03-12", "cd")] == (0.0, True)  # ND
    assert rows[("下游监控井 MW-1", "2025-03-12", "pb")] == (pytest.approx(0.002), True)  # "0.002L"
    assert rows[("下游监控井 MW-1", "2025-03-12", "v")] == (pytest.approx(0.01), True)  # flag column
    m = client.get(f"/api/ponds/{pond['pond']}/monitoring").json()
    over = {(e["well_name"], e["parameter"]) for e in m["exceedances"]}
    # Mn 0.18 > 0.10 and pH 9.1 > 8.5 exceed Class III; sulfate 300 > 250; below-detection values never do
    assert over == {("下游监控井 MW-1", "mn"), ("下游监控井 MW-1", "ph"), ("下游监控井 MW-1", "sulfate")}
    mn = next(e for e in m["exceedances"] if e["parameter"] == "mn")
    assert mn["limit_max"] == 0.10 and mn["background_value"] == pytest.approx(0.04) and mn["above_background"]
    # the import is audited, its file kept in the store
    assert db.execute(text("SELECT count(*) FROM audit_log WHERE object_type = 'monitoring_results'")).scalar() >= 9
    # the same results again: refused, nothing doubled
    again = _import(client, pond["pond"], "化验结果.csv", GOOD_CSV.encode("utf-8"))
    assert again.status_code == 422 and again.json()["error"]["problems"][0]["code"] == "mon_already_imported"


def test_xlsx_and_gbk_csv_are_read(client, db, pond) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Well", "Date", "Parameter", "Value", "Unit"])
    ws.append(["MW-1", dt.datetime(2025, 9, 1), "Fe", 0.12, "mg/L"])
    ws.append(["BG-1", dt.datetime(2025, 9, 1), "Fe", 80, "ug/L"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _import(client, pond["pond"], "lab.xlsx", buf.getvalue()).status_code == 201
    gbk = "井号,日期,项目,结果,单位\nMW-1,2025/12/01,氟化物,1.4,mg/L\n".encode("gb18030")
    assert _import(client, pond["pond"], "lab-gbk.csv", gbk).status_code == 201
    got = db.execute(
        text("SELECT parameter, value FROM monitoring_results WHERE pond_id = :p ORDER BY parameter, well_name"),
        {"p": pond["pond"]},
    ).all()
    assert [(p, round(v, 3)) for p, v in got] == [("fe", 0.12), ("fe", 0.08), ("fluoride", 1.4)]


BAD_CSV = """well,date,parameter,value,unit
MW-1,2025-03-12,Mn,0.2,mg/L
MW-9,2025-03-12,Mn,0.2,mg/L
MW-1,2025-13-40,Mn,0.2,mg/L
MW-1,2025-03-12,Unobtainium,0.2,mg/L
MW-1,2025-04-12,Mn,abc,mg/L
MW-1,2025-05-12,Mn,0.2,furlongs
MW-1,2025-03-12,Mn,0.3,mg/L
"""


def test_a_bad_file_names_every_problem_and_stores_nothing(client, db, pond) -> None:
    r = _import(client, pond["pond"], "bad.csv", BAD_CSV.encode())
    assert r.status_code == 422
    err = r.json()["error"]
    assert "bad.csv" in err["message"] and "未导入" in err["message"]
    problems = {(p["field"], p["code"]) for p in err["problems"]}
    assert problems == {
        ("bad.csv:3:well", "mon_unknown_well"),
        ("bad.csv:4:date", "mon_bad_date"),
        ("bad.csv:5:parameter", "mon_unknown_parameter"),
        ("bad.csv:6:value", "mon_bad_value"),
        ("bad.csv:7:unit", "mon_bad_unit"),
        ("bad.csv:8:parameter", "mon_duplicate_in_file"),
    }
    zh = next(p["message"] for p in err["problems"] if p["code"] == "mon_unknown_well")
    assert zh == "bad.csv 第 3 行“监测井”列：本库没有监测井“MW-9”"
    en = _import(client, pond["pond"], "bad.csv", BAD_CSV.encode(), "en").json()["error"]
    unit = next(p["message"] for p in en["problems"] if p["code"] == "mon_bad_unit")
    assert (
        unit == "bad.csv row 7, column 'unit': cannot convert the unit 'furlongs' (expected mg/L or a convertible unit)"
    )
    assert (
        db.execute(text("SELECT count(*) FROM monitoring_results WHERE pond_id = :p"), {"p": pond["pond"]}).scalar()
        == 0
    )
    future = _import(
        client,
        pond["pond"],
        "f.csv",
        f"well,date,parameter,value\nMW-1,{dt.date.today().year + 1}-01-01,Mn,1\n".encode(),
    )
    assert future.json()["error"]["problems"][0]["code"] == "mon_future_date"
    missing = _import(client, pond["pond"], "cols.csv", b"well,date,value\nMW-1,2025-01-01,1\n")
    assert missing.status_code == 422 and missing.json()["error"]["problems"][0]["field"] == "cols.csv:1:parameter"
    junk = _import(client, pond["pond"], "x.xlsx", b"PK\x03\x04 not a workbook")
    assert junk.status_code == 422 and junk.json()["error"]["code"] == "import_unreadable"


def test_sampling_frequency() -> None:
    """GB 18599-2020 §10.3: a counted sample in every ended calendar quarter (half-year after closure), the
    counted samples at least 30 days apart; judged over the quarters wholly in the last 730 days."""
    cfg = monitoring_config()
    today = dt.date(2026, 11, 22)  # window from 2024-11-22: Q1 2025 .. Q3 2026 are judged (Q4 2026 runs)
    # once per quarter with gaps of up to 99 days (15 Feb, 25 May, 1 Sep, 20 Nov ...): compliant
    quarterly = [dt.date(y, m, d) for y in (2025, 2026) for m, d in ((2, 15), (5, 25), (9, 1), (11, 20))]
    result = service.frequency("in_use", quarterly, today, cfg)
    assert result["state"] == "compliant" and result["periods"] == 7, result
    # Q3 and Q4 2025 without a sample: two missed quarters
    gap = [d for d in quarterly if not dt.date(2025, 7, 1) <= d <= dt.date(2025, 12, 31)]
    result = service.frequency("in_use", gap, today, cfg)
    assert result["state"] == "non_compliant"
    assert [(p["code"], p["from"]) for p in result["problems"]] == [
        ("freq_missed_period", dt.date(2025, 7, 1)),
        ("freq_missed_period", dt.date(2025, 10, 1)),
    ]
    # 31 March and 10 April are 10 days apart: the April sample does not count, so Q2 2025 is missed
    close = [d for d in quarterly if d.year == 2026 or d.month > 6] + [dt.date(2025, 3, 31), dt.date(2025, 4, 10)]
    result = service.frequency("in_use", close, today, cfg)
    assert any(n["code"] == "freq_too_close" for n in result["notes"])
    assert [p["from"] for p in result["problems"]] == [dt.date(2025, 4, 1)]
    # an extra sample 10 days after a counted one changes nothing
    extra = sorted([*quarterly, dt.date(2025, 2, 25)])
    assert service.frequency("in_use", extra, today, cfg)["state"] == "compliant"
    # half-yearly: enough after closure (H1 2025, H2 2025, H1 2026 judged), not in operation
    half_yearly = [dt.date(2025, 3, 10), dt.date(2025, 9, 10), dt.date(2026, 3, 10), dt.date(2026, 9, 10)]
    assert service.frequency("closed", half_yearly, today, cfg)["state"] == "compliant"
    assert service.frequency("in_use", half_yearly, today, cfg)["state"] == "non_compliant"
    assert service.frequency("in_use", [], today, cfg)["state"] == "no_data"


def test_chart_has_the_limit_line_and_escapes_names(client, pond) -> None:
    csv = "well,date,parameter,value,unit\n" + "".join(
        f"{w},2025-{m:02d}-05,Mn,{v},mg/L\n"
        for w, m, v in [
            ("<script>alert(1)</script>", 3, 0.05),
            ("<script>alert(1)</script>", 6, 0.2),
            ("BG-1", 3, 0.03),
        ]
    )
    assert _import(client, pond["pond"], "c.csv", csv.encode()).status_code == 201
    r = client.get(f"/api/ponds/{pond['pond']}/monitoring/chart.svg?well={pond['evil']}&parameter=mn")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert "<script>" not in r.text
    svg = ET.fromstring(r.text)
    ns = "{http://www.w3.org/2000/svg}"
    assert [e.get("class") for e in svg.iter(f"{ns}line") if e.get("class") == "limit"] == ["limit"]
    assert len([c for c in svg.iter(f"{ns}circle") if c.get("class") == "well-point over"]) == 1
    assert len([c for c in svg.iter(f"{ns}circle") if c.get("class", "").startswith("background-point")]) == 1
    assert (
        client.get(f"/api/ponds/{pond['pond']}/monitoring/chart.svg?well={pond['bg']}&parameter=xx").status_code == 404
    )
