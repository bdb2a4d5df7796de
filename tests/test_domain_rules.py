"""Domain rules on the illustrative sample data (issue 14): each expected value is derived by hand from the
standard in a comment, then checked against what the service computes from the seeded sample."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from app.config import get_settings
from app.monitoring import service as monitoring

SAMPLE = get_settings().layers_dir / "sample"
REFERENCE_DATE = dt.date(2026, 11, 22)  # the sample's "today" (scripts/generate_sample.py)


def _pond_ids(db) -> dict[str, int]:
    return dict(db.execute(text("SELECT code, id FROM ponds WHERE illustrative")).all())


def test_only_the_wells_meant_to_miss_rounds_fail_the_sampling_frequency(db) -> None:
    """GB 18599-2020 §10.3: at least one sample in each calendar quarter in operation, samples >= 1 month apart.

    The sample samples in February, May, August and November (day 10 plus up to 8 days), so gaps reach 99 days
    but every quarter has a sample. Judged on 2026-11-22 over the quarters wholly in the last 730 days
    (Q1 2025 .. Q3 2026, 7 quarters): every well with results is compliant except the two wells of
    PZH-TP-026 (SAMPLING_GAP), whose rounds of August and November 2025 were skipped: Q3 and Q4 2025 missed.
    """
    ids = _pond_ids(db)
    with_results = [c for (c,) in db.execute(text("SELECT DISTINCT p.code FROM monitoring_results r "
                                                   "JOIN ponds p ON p.id = r.pond_id ORDER BY 1"))]  # fmt: skip
    assert len(with_results) == 14  # the one-map ponds
    failing: dict[str, set[str]] = {}
    checked = 0
    for code in with_results:
        m = monitoring.pond_monitoring(db, ids[code], "zh", today=REFERENCE_DATE)
        for w in m["wells"]:
            if not w["results"]:
                continue
            checked += 1
            assert w["frequency"]["periods"] == 7, (code, w["name"])
            if w["frequency"]["state"] != "compliant":
                failing.setdefault(code, set()).add(w["name"].split()[-1])
                assert [p["from"] for p in w["frequency"]["problems"]] == [dt.date(2025, 7, 1), dt.date(2025, 10, 1)]
    assert checked == 55
    assert failing == {"PZH-TP-026": {"BG-1", "MW-1"}}


def test_safety_grades_of_the_sample_follow_gb_50863(db) -> None:
    """GB 50863-2013 §3.2.1 / AQ 2006-2005: grade by capacity V (10^4 m3): <100: 5, <1000: 4, <10000: 3, else 2;
    by dam height H (m): <30: 5, <60: 4, <100: 3, else 2. One grade apart: the higher; more: the higher lowered
    by one.

    万年沟 (PZH-TP-021): V = 3565.8 -> 3, H = 111.9 -> 2; one apart -> 2 (the former "smaller of the two" gave 3).
    Also changed against the former rule: 012 (V 81.3 -> 5, H 36.0 -> 4: 4), 035 (V 103.0 -> 4, H 26.3 -> 5: 4),
    038 (V 1625.7 -> 3, H 57.7 -> 4: 3); no sample pond has grades two apart. 马家田 (009): V 10334.4 -> 2,
    H 119.7 -> 2: 2.
    """
    grades = dict(db.execute(text("SELECT code, safety_grade FROM ponds WHERE illustrative")).all())
    assert grades["PZH-TP-021"] == 2
    assert (grades["PZH-TP-012"], grades["PZH-TP-035"], grades["PZH-TP-038"], grades["PZH-TP-009"]) == (4, 4, 3, 2)
    ids = _pond_ids(db)
    from app.records.service import pond_file

    c = pond_file(db, ids["PZH-TP-021"], "zh")["classification"]
    assert c["safety_grade_computed"] == 2 and c["safety_grade_matches"] is True
    # the former rule (the larger number of the two) and the new one differ on exactly these four ponds
    ponds = [f["properties"] for f in json.loads((SAMPLE / "ponds.geojson").read_text(encoding="utf-8"))["features"]]
    from app.records.config import records_config

    g = records_config().safety_grades
    changed = sorted(
        p["code"]
        for p in ponds
        if max(g.by_volume(p["design_volume_10k_m3"]), g.by_dam_height(p["dam_height_m"])) != p["safety_grade"]
    )
    assert changed == ["PZH-TP-012", "PZH-TP-021", "PZH-TP-035", "PZH-TP-038"]


def test_level_2_ponds_of_the_sample_are_overdue_after_a_year_without_an_inspection(app_for) -> None:
    """Guide 2022: level 2 at least once a year (the period: the calendar year, deadline 31 December); level 3
    by random spot check. The sample has no inspections, so on 2026-03-01 the 2025 period of each of the 8
    level-2 ponds (005, 009, 010, 011, 021, 022, 023, 031) ended without one: overdue; level 3 never is."""
    city = app_for("demo-city")
    body = city.get("/api/stats/inspections-due", params={"on": "2026-03-01"}).json()
    sample = [p for p in body["ponds"] if p["code"].startswith("PZH-TP-")]
    overdue = sorted(p["code"] for p in sample if p["government"]["state"] == "overdue")
    assert overdue == [f"PZH-TP-{n:03d}" for n in (5, 9, 10, 11, 21, 22, 23, 31)]
    assert {p["government"]["state"] for p in sample if p["level"] == 3} == {"spot_check"}
    # the dashboard card "逾期未检查的尾矿库" shows the count of its list (today, the same rule)
    work = city.get("/api/dashboard").json()["inspections"]["overdue"]["government"]
    page = city.get("/dashboard").text
    assert f'data-n="{len(work)}"' in page.split('data-key="inspections_overdue"')[1].split("</a>")[0]
    assert len(work) >= 1


def _user(db, username: str, org_ref: str, role: str) -> str:
    from app.accounts.service import add_user

    add_user(db, username, username, org_ref, role, "Tailings-test-2025")
    return username


def test_ownerless_ponds_duties_fall_to_the_county_bureau(db, app_for) -> None:
    """The sample's ownerless ponds PZH-TP-016 (仁和区) and PZH-TP-036 (盐边县) keep their deregistered former
    operators (示例矿业有限公司…（已注销）). Their duties fall to the county bureau: no pre-flood-season
    self-inspection is demanded of the company, and a hazard's rectification is the county bureau's."""
    ids = _pond_ids(db)
    due = app_for("demo-city").get("/api/stats/inspections-due", params={"on": "2026-07-01"}).json()["ponds"]
    by_code = {p["code"]: p for p in due}
    assert by_code["PZH-TP-016"]["self_inspection"]["state"] == "not_applicable"
    assert by_code["PZH-TP-036"]["self_inspection"]["state"] == "not_applicable"
    assert by_code["PZH-TP-021"]["self_inspection"]["state"] == "overdue"  # an operated pond: its duty, missed
    pond_id = ids["PZH-TP-016"]
    company_org = db.execute(
        text("SELECT o.id FROM ponds p JOIN organisations o ON o.enterprise_id = p.enterprise_id WHERE p.id = :p"),
        {"p": pond_id},
    ).scalar_one()
    company = _user(db, "former-operator-16", str(company_org), "enterprise")
    county = _user(db, "renhe-county", "510411", "county")
    lon, lat = db.execute(text("SELECT ST_X(location), ST_Y(location) FROM ponds WHERE id = :p"), {"p": pond_id}).one()
    import uuid

    r = app_for("demo-city").post(
        f"/api/ponds/{pond_id}/hazards",
        json={"id": str(uuid.uuid4()), "description": "封场覆盖层裂缝", "position": {"lon": lon, "lat": lat}},
    )
    h = r.json()["id"]
    deadline = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    assign = {"action": "assign", "plan": "修补覆盖层", "deadline": deadline, "responsible": "李工"}
    r = app_for(county).post(f"/api/ponds/{pond_id}/hazards/{h}/transitions", json=assign)
    assert r.status_code == 200, r.text
    hazard = r.json()
    assert hazard["rectifier_org_name"] == "仁和区生态环境分局"  # not the deregistered company
    assert [a["action"] for a in hazard["actions"]] == ["rectify", "request_extension"]  # the county's now
    refused = app_for(company).post(f"/api/ponds/{pond_id}/hazards/{h}/transitions", json={"action": "rectify"})
    assert refused.status_code in (403, 404)  # the company has no step here
    inbox = app_for(county).get("/api/hazards/inbox").json()["items"]
    assert h in [i["id"] for i in inbox]


def test_overdue_rectification_is_apart_from_overdue_verification_and_deadlines_can_be_extended(db, app_for) -> None:
    """逾期未整改 counts only hazards waiting for the enterprise's rectification past their deadline; a rectified
    hazard waits for the county, whose verification deadline is 15 days (layers/hazards.yaml, 本系统规则).
    A rejection sets a new deadline (30 days when the verifier gives none); an extension is requested by the
    enterprise and granted by the bureau, each with a reason, in the trail and the audit log."""
    from tests.photos import jpeg
    from tests.test_hazard_workflow import report, step, upload

    pond_id, lon, lat = db.execute(
        text("SELECT id, ST_X(location), ST_Y(location) FROM ponds WHERE code = 'PZH-TP-021'")
    ).one()
    from app.hazards.service import today as china_today

    before = app_for("demo-city").get("/api/stats/hazards").json()
    today = china_today()  # deadlines are China days
    a, b = report(app_for, pond_id, lon, lat), report(app_for, pond_id, lon, lat)
    for h in (a, b):
        r = step(app_for, "demo-county", pond_id, h, "assign", plan="清理", deadline=(today + dt.timedelta(days=10))
                 .isoformat(), responsible="王工")  # fmt: skip
        assert r.status_code == 200, r.text
    # extension: requested (not earlier than the deadline), then granted by the county
    bad = step(app_for, "demo-enterprise", pond_id, a, "request_extension", reason="雨季", deadline=today.isoformat())
    assert bad.status_code == 422
    wished = (today + dt.timedelta(days=40)).isoformat()
    r = step(app_for, "demo-enterprise", pond_id, a, "request_extension", reason="雨季施工困难", deadline=wished)
    assert r.status_code == 200 and r.json()["extension_requested"] == wished
    assert "grant_extension" in [x["action"] for x in app_for("demo-county").get(
        f"/api/ponds/{pond_id}/hazards/{a}").json()["actions"]]  # fmt: skip
    r = step(app_for, "demo-county", pond_id, a, "grant_extension", reason="同意，按期完成")
    assert r.status_code == 200 and r.json()["deadline"] == wished and r.json()["extension_requested"] is None
    assert [s["action"] for s in r.json()["steps"]][-2:] == ["request_extension", "grant_extension"]
    audited = db.execute(
        text("""SELECT count(*) FROM audit_log WHERE object_type = 'hazard_steps'
                AND after->>'action' IN ('request_extension', 'grant_extension')""")
    ).scalar()
    assert audited == 2
    # b: rectified; its old deadline then passes: not rectification-overdue, the county's verification waits
    photo = upload(app_for("demo-enterprise"), pond_id, jpeg(lon, lat))
    r = step(app_for, "demo-enterprise", pond_id, b, "rectify", note="已清理", photo_ids=[photo])
    assert r.json()["verification_deadline"] == (today + dt.timedelta(days=15)).isoformat()
    assert r.json()["verifier_role"] == "county"
    db.execute(text("UPDATE hazards SET deadline = :d WHERE id IN (:a, :b)"),
               {"d": today - dt.timedelta(days=3), "a": a, "b": b})  # fmt: skip
    db.execute(text("UPDATE hazards SET verification_deadline = :d WHERE id = :b"),
               {"d": today - dt.timedelta(days=2), "b": b})  # fmt: skip
    after = app_for("demo-city").get("/api/stats/hazards").json()
    assert after["overdue"] - before["overdue"] == 1  # a only (assigned, deadline passed 3 days ago)
    assert after["overdue_verification"] - before["overdue_verification"] == 1  # b, the county's step
    hb = app_for("demo-county").get(f"/api/ponds/{pond_id}/hazards/{b}").json()
    assert hb["overdue"] is False and hb["verification_overdue"] is True and hb["days_overdue"] == 2
    # a rejection gives a new deadline: 30 days from today when the county sets none
    r = step(app_for, "demo-county", pond_id, b, "reject", reason="池壁仍有裂缝")
    assert r.json()["deadline"] == (today + dt.timedelta(days=30)).isoformat()
    assert r.json()["verification_deadline"] is None and r.json()["overdue"] is False
    page = app_for("demo-county").get(f"/ponds/{pond_id}/hazards/{b}").text
    assert "新整改期限" in page and "整改责任单位" in page


def test_sample_data_agrees_with_its_sources() -> None:
    """攀钢马家田尾矿库 lies in 东区 (510402): its closure is listed in 《攀枝花市东区国家生态文明建设示范区创建规划
    （2021-2025）》. An emergency-plan filing number 510400-YYYY-NNN-X carries the year of filing. The bulletin's
    counts hold on its date (2025-04-24), so no pond stopped after it. Coal gangue is mining waste, not tailings."""
    ponds = {f["properties"]["name"]: f["properties"] for f in _sample("ponds.geojson")}
    assert ponds["攀钢马家田尾矿库"]["county_adcode"] == 510402
    assert ponds["攀枝花鑫帝矿业磨刀沟尾矿库"]["county_adcode"] == 510402
    assert all(p["stopped_since"] is None or p["stopped_since"] <= "2025-04-24" for p in ponds.values())
    assert not [p["code"] for p in ponds.values() if "煤矸石" in (p["ore_type"] or "")]
    records = json.loads((SAMPLE / "records.json").read_text(encoding="utf-8"))["ponds"]
    for code, r in records.items():
        permits = r["permits"]
        assert permits["emergency_plan_filing_no"].split("-")[1] == permits["emergency_plan_filed_on"][:4], code


def test_province_sample_rate_and_evidence_distance_are_layer_data(monkeypatch) -> None:
    """Both live in layers/hazards.yaml (0.2 and 200 m); the documented environment variables still override."""
    from app.hazards import config

    assert config.hazards_config().province_sample_rate == 0.2
    assert config.province_sample_rate() == 0.2 and config.evidence_max_distance_m() == 200
    monkeypatch.setattr(get_settings(), "evidence_max_distance_m", 50.0)
    assert config.evidence_max_distance_m() == 50.0


def _sample(name: str) -> list[dict]:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))["features"]


def test_the_post_closure_duty_ends_after_two_years_not_above_background() -> None:
    """GB 18599-2020 §10.3: after closure at least every 6 months until two consecutive years are not above
    background. A closed pond's monitoring well at or below its background well in 2024 and 2025: the duty ended
    on 2025-12-31, so 2026 without samples is no failure; one result above background in 2025 keeps it."""
    from app.monitoring.config import monitoring_config

    cfg = monitoring_config()
    days = [dt.date(y, m, 10) for y in (2024, 2025) for m in (3, 9)]
    results = [{"well_id": 1, "well_name": "BG-1", "sampled_on": d, "parameter": "mn", "value": 0.05,
                "below_detection": False} for d in days]  # fmt: skip
    results += [{**r, "well_id": 2, "well_name": "MW-1", "value": 0.04} for r in results]
    compared = monitoring.compare(results, {1}, cfg)
    on = dt.date(2026, 11, 22)
    ended = monitoring.duty_ended("closed", compared, {1}, on, cfg)
    assert ended == dt.date(2025, 12, 31)
    assert monitoring.frequency("closed", days, on, cfg, ended)["state"] == "ended"
    assert monitoring.duty_ended("in_use", compared, {1}, on, cfg) is None  # only after closure
    worse = [{**r, "value": 0.07} if r["well_id"] == 2 and r["sampled_on"].year == 2025 else r for r in results]
    assert monitoring.duty_ended("closed", monitoring.compare(worse, {1}, cfg), {1}, on, cfg) is None
    assert monitoring.frequency("closed", days, on, cfg)["state"] == "non_compliant"  # H1 2026 missed
